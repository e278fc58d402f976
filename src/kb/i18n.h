/* gettext glue: UI strings go through _() and N_(), and the interface
 * language can change while the program runs (the browser's L key). */
#ifndef ERRKB_I18N_H
#define ERRKB_I18N_H

#include <stdbool.h>

#include "lang.h"

#if ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#else
#define _(s) (s)
#define ngettext(a, b, n) ((n) == 1 ? (a) : (b))
#endif
#define N_(s) (s)

/* Bind the message catalogues (built tree, install root or LOCALEDIR),
 * always in UTF-8: errkb writes UTF-8 whatever the locale's codeset. */
void i18n_init(void);
/* From now on, UI messages in lang. */
void i18n_set_lang(enum kb_lang lang);
enum kb_lang i18n_lang(void);
/* i18n_set_lang() works through LANGUAGE; programs errkb starts get the
 * user's own back: true before starting one, false after. */
void i18n_user_env(bool user);
/* The language the locale asks for: the first of LANGUAGE, LC_ALL,
 * LC_MESSAGES and LANG that is set; Chinese when it starts with "zh". */
enum kb_lang i18n_locale_lang(void);

#endif

/* gettext glue: UI strings go through _() and N_(). */
#ifndef ERRKB_I18N_H
#define ERRKB_I18N_H

#if ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#else
#define _(s) (s)
#define ngettext(a, b, n) ((n) == 1 ? (a) : (b))
#endif
#define N_(s) (s)

#endif

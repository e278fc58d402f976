#include <config.h>
#include "i18n.h"
#include "paths.h"

#include <locale.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static enum kb_lang current = KB_EN;
/* The user's LANGUAGE, for the programs errkb starts. */
static char *user_language;
static bool had_language, switched;
/* Read before i18n_set_lang() puts its own LANGUAGE in the environment. */
static int from_locale = -1;

void i18n_init(void)
{
#if ENABLE_NLS
	char *dir = paths_installed(LOCALEDIR, ABS_TOP_BUILDDIR "/locale");

	bindtextdomain(PACKAGE, dir);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
	free(dir);
#endif
	if (getenv("LANGUAGE")) {
		had_language = true;
		user_language = strdup(getenv("LANGUAGE"));
	}
	current = i18n_locale_lang();
}

void i18n_user_env(bool user)
{
#if ENABLE_NLS
	if (!switched)
		return;
	if (!user)
		setenv("LANGUAGE", current == KB_ZH ? "zh_CN" : "en", 1);
	else if (had_language && user_language)
		setenv("LANGUAGE", user_language, 1);
	else
		unsetenv("LANGUAGE");
#else
	(void)user;
#endif
}

void i18n_set_lang(enum kb_lang lang)
{
	i18n_locale_lang();
	current = lang;
	switched = true;
#if ENABLE_NLS
	const char *m = setlocale(LC_MESSAGES, NULL);

	/* gettext reads LANGUAGE on every lookup, but ignores it under the C
	 * locale; C.UTF-8 (glibc 2.35 and Debian's) translates the same. */
	setenv("LANGUAGE", lang == KB_ZH ? "zh_CN" : "en", 1);
	if ((!m || !strcmp(m, "C") || !strcmp(m, "POSIX")) && !setlocale(LC_MESSAGES, "C.UTF-8"))
		setlocale(LC_MESSAGES, "C.utf8");
	{
		/* The documented way to make gettext drop its cached lookups
		 * (GNU gettext manual, "Changing the language at runtime"). */
		extern int _nl_msg_cat_cntr;

		++_nl_msg_cat_cntr;
	}
#endif
}

enum kb_lang i18n_lang(void)
{
	return current;
}

enum kb_lang i18n_locale_lang(void)
{
	static const char *const vars[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };

	if (from_locale >= 0)
		return (enum kb_lang)from_locale;
	from_locale = KB_EN;
	for (size_t i = 0; i < sizeof vars / sizeof *vars; i++) {
		const char *v = getenv(vars[i]);

		if (v && *v) {
			from_locale = !strncmp(v, "zh", 2) ? KB_ZH : KB_EN;
			break;
		}
	}
	return (enum kb_lang)from_locale;
}

#include <config.h>
#include "paths.h"
#include "xalloc.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

char *paths_installed(const char *installed_dir, const char *tree_dir)
{
	char exe[PATH_MAX], built[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	size_t blen = strlen(BINDIR), dlen;

	if (n <= 0)
		return xstrdup(installed_dir);
	exe[n] = '\0';
	if (realpath(ABS_TOP_BUILDDIR "/src/errkb", built) && !strcmp(exe, built) && is_dir(tree_dir))
		return xstrdup(tree_dir);
	/* /stage/usr/local/bin/errkb with BINDIR /usr/local/bin: the root
	 * is /stage. */
	*strrchr(exe, '/') = '\0';
	dlen = strlen(exe);
	if (dlen > blen && !strcmp(exe + dlen - blen, BINDIR)) {
		char *p = xmalloc(dlen - blen + strlen(installed_dir) + 1);

		memcpy(p, exe, dlen - blen);
		strcpy(p + dlen - blen, installed_dir);
		if (is_dir(p))
			return p;
		free(p);
	}
	return xstrdup(installed_dir);
}

/* $var/errkb/name, else $HOME/fallback/errkb/name. */
static char *xdg_file(const char *var, const char *fallback, const char *name)
{
	const char *base = getenv(var), *home = getenv("HOME");
	char *p;
	size_t len;

	/* The XDG spec: a relative value is invalid and is ignored. */
	if (base && base[0] == '/') {
		len = strlen(base) + strlen(name) + 8;
		p = xmalloc(len);
		snprintf(p, len, "%s/errkb/%s", base, name);
		return p;
	}
	if (!home || !*home)
		return NULL;
	len = strlen(home) + strlen(fallback) + strlen(name) + 10;
	p = xmalloc(len);
	snprintf(p, len, "%s/%s/errkb/%s", home, fallback, name);
	return p;
}

char *paths_config_file(void)
{
	return xdg_file("XDG_CONFIG_HOME", ".config", "config");
}

char *paths_state_file(void)
{
	return xdg_file("XDG_STATE_HOME", ".local/state", "state");
}

char *paths_cache_dir(void)
{
	char *p = xdg_file("XDG_CACHE_HOME", ".cache", "");

	if (p && p[strlen(p) - 1] == '/')
		p[strlen(p) - 1] = '\0';
	return p;
}

char *paths_expand_home(const char *p)
{
	const char *home = getenv("HOME");
	char *r;

	if (p[0] != '~' || (p[1] != '/' && p[1] != '\0') || !home || !*home)
		return xstrdup(p);
	r = xmalloc(strlen(home) + strlen(p));
	strcpy(r, home);
	strcat(r, p + 1);
	return r;
}

#include <config.h>
#include "testutil.h"
#include "load.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

const char *tu_dir(void)
{
	if (!dir[0]) {
		strcpy(dir, "/tmp/errkb-test-XXXXXX");
		if (!mkdtemp(dir))
			abort();
	}
	return dir;
}

const char *tu_write(const char *name, const char *text)
{
	static char path[4][512];
	static int turn;
	char *p = path[turn++ % 4];
	FILE *f;

	snprintf(p, 512, "%s/%s", tu_dir(), name);
	/* Make parent directories. */
	for (char *s = strchr(p + strlen(tu_dir()) + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		mkdir(p, 0700);
		*s = '/';
	}
	f = fopen(p, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return p;
}

void tu_load(kb *k, const char *path)
{
	kb_init(k);
	kb_load_paths(k, &path, 1);
}

void tu_load_text(kb *k, const char *name, const char *text)
{
	tu_load(k, tu_write(name, text));
}

size_t tu_count(const kb *k, enum diag_kind kind, const diag **first)
{
	size_t n = 0;

	if (first)
		*first = NULL;
	for (size_t i = 0; i < k->diags.len; i++) {
		if (k->diags.items[i].kind != kind)
			continue;
		if (!n && first)
			*first = &k->diags.items[i];
		n++;
	}
	return n;
}

static int rm(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(p);
}

void tu_cleanup(void)
{
	if (dir[0])
		nftw(dir, rm, 16, FTW_DEPTH | FTW_PHYS);
	dir[0] = '\0';
}

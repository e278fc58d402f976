#include <config.h>
#include "testutil.h"
#include "commands.h"
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

static size_t count(const char *s, char c)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == c;
	return n;
}

/* Every workaround of a KB: no empty command, each found word for word in
 * its text, none holding a backtick (a span cut at the wrong mark). */
size_t tu_check_commands(const char *path, size_t *nwork, size_t *ncmd, size_t *with,
			 size_t *nrun)
{
	size_t bad = 0;
	kb k;

	tu_load(&k, path);
	for (size_t i = 0; i < k.nrecs; i++) {
		const kb_record *r = &k.recs[i];

		for (size_t j = 0; j < r->nworkarounds; j++) {
			const kb_text *parts[] = { &r->workarounds[j].action, &r->workarounds[j].how };
			size_t found = 0;

			(*nwork)++;
			for (int p = 0; p < 2; p++) {
				for (int lang = 0; lang < 2; lang++) {
					const char *t = lang ? parts[p]->zh : parts[p]->en;
					char **v;
					size_t n;

					if (!t)
						continue;
					n = commands_extract(t, &v);
					for (size_t c = 0; c < n; c++) {
						size_t len = strlen(v[c]);

						if (!len || !strstr(t, v[c]) || count(v[c], '`')) {
							fprintf(stderr, "%s: bad command '%s'\n", r->id, v[c]);
							bad++;
						}
						*nrun += commands_runnable(v[c]);
					}
					found += n;
					*ncmd += n;
					commands_free(v, n);
				}
			}
			*with += found > 0;
			/* Backticked code must always come out. */
			if (!found && ((parts[0]->en && count(parts[0]->en, '`') >= 2) ||
				       (parts[1]->en && count(parts[1]->en, '`') >= 2))) {
				fprintf(stderr, "%s: workaround %zu: no command from its code\n", r->id, j);
				bad++;
			}
		}
	}
	kb_free(&k);
	return bad;
}


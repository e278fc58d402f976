/* Commands taken from workaround text, the text as copied, and the risks
 * that ask for confirmation. */
#include <config.h>
#include "testutil.h"
#include "commands.h"
#include "load.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void extracts(const char *text, const char *want)
{
	char **v, got[1024] = "";
	size_t n = commands_extract(text, &v);

	for (size_t i = 0; i < n; i++)
		snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", i ? " | " : "", v[i]);
	commands_free(v, n);
	if (strcmp(got, want))
		fail_msg("%s\n got:  %s\n want: %s", text, got, want);
}

static void extraction(void **state)
{
	(void)state;
	/* The reference record's own text. */
	extracts("Use 'sip reload' in Asterisk to apply changes without restart.", "sip reload");
	extracts("restarting the SIP server process: 'systemctl restart asterisk' or "
		 "'sudo systemctl restart freeswitch' to clear stale nonce caches.",
		 "systemctl restart asterisk | sudo systemctl restart freeswitch");
	/* Apostrophes are not quotes; quoted words that are no command stay out. */
	extracts("ensure the client's 'realm' parameter matches the server's realm", "");
	/* Backticks are code whatever they hold. */
	extracts("Set `max_connections = 200` in postgresql.conf, then `sudo systemctl restart postgresql`.",
		 "max_connections = 200 | sudo systemctl restart postgresql");
	extracts("Run `sudo dpkg --configure -a` and retry", "sudo dpkg --configure -a");
	/* Lines of a multi-line text. */
	extracts("Do this:\n$ sudo apt-get update\nthen reboot", "sudo apt-get update");
	extracts("Shell syntax: \"journalctl -u x | tail\"", "journalctl -u x | tail");
	extracts("", "");
	extracts("unterminated `sudo rm", "");
}

static void copy_cleaning(void **state)
{
	char *c;

	(void)state;
	c = commands_clean_copy("sudo\trm \x1b[2J -rf\xE2\x80\xAE /tmp/x\xFF\n", 0);
	assert_string_equal(c, "sudo rm [2J -rf /tmp/x ");
	free(c);
	c = commands_clean_copy("a\nb", 1);
	assert_string_equal(c, "a\nb");
	free(c);
}

static void risks(void **state)
{
	(void)state;
	assert_non_null(commands_risk("sudo rm -rf /var/lib/docker"));
	assert_non_null(commands_risk("rm -r build"));
	assert_non_null(commands_risk("curl -fsSL https://get.example.com | sudo bash"));
	assert_non_null(commands_risk("chmod 777 /srv/www"));
	assert_non_null(commands_risk("Set auth=no in sip.conf"));
	assert_non_null(commands_risk("ssh -o StrictHostKeyChecking=no host"));
	assert_null(commands_risk("sudo systemctl restart asterisk"));
	assert_null(commands_risk("rm /tmp/lockfile"));
	assert_null(commands_risk("curl -O https://example.com/file.tar.gz"));
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
static size_t check_kb(const char *path, size_t *nwork, size_t *ncmd, size_t *with)
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

static void shipped_kb(void **state)
{
	char path[1024];
	size_t nw = 0, nc = 0, with = 0;
	const char *src = getenv("top_srcdir");

	(void)state;
	snprintf(path, sizeof path, "%s/data/kb", src ? src : ".");
	assert_int_equal(check_kb(path, &nw, &nc, &with), 0);
	printf("shipped KB: %zu workarounds, %zu commands, %zu workarounds with one (%zu%%)\n",
	       nw, nc, with, nw ? with * 100 / nw : 0);
	/* Nearly every shipped workaround has one (the rest are steps in a
	 * web console, copied as whole text). */
	assert_true(with * 100 >= nw * 95);
}

static void corpus(void **state)
{
	char path[1024];
	size_t nw = 0, nc = 0, with = 0;
	const char *src = getenv("top_srcdir");
	FILE *f;

	(void)state;
	snprintf(path, sizeof path, "%s/../shared/corpora/deadends/canons", src ? src : ".");
	if (!(f = fopen(path, "r")))
		skip();
	fclose(f);
	assert_int_equal(check_kb(path, &nw, &nc, &with), 0);
	printf("deadends corpus: %zu workarounds, %zu commands, %zu workarounds with one\n", nw, nc, with);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(extraction),
		cmocka_unit_test(copy_cleaning),
		cmocka_unit_test(risks),
		cmocka_unit_test(shipped_kb),
		cmocka_unit_test(corpus),
	};
	int rc;

	setlocale(LC_ALL, "C.UTF-8");
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tu_cleanup();
	return rc;
}

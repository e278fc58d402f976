/* Commands taken from workaround text, the text as copied, and the risks
 * that ask for confirmation.  The same checks over the deadends corpus are
 * test_corpus_commands, skipped where the corpus is absent. */
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

static void shipped_kb(void **state)
{
	char path[1024];
	size_t nw = 0, nc = 0, with = 0;
	const char *src = getenv("top_srcdir");

	(void)state;
	snprintf(path, sizeof path, "%s/data/kb", src ? src : ".");
	assert_int_equal(tu_check_commands(path, &nw, &nc, &with), 0);
	printf("shipped KB: %zu workarounds, %zu commands, %zu workarounds with one (%zu%%)\n",
	       nw, nc, with, nw ? with * 100 / nw : 0);
	/* Nearly every shipped workaround has one (the rest are steps in a
	 * web console, copied as whole text). */
	assert_true(with * 100 >= nw * 95);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(extraction),
		cmocka_unit_test(copy_cleaning),
		cmocka_unit_test(risks),
		cmocka_unit_test(shipped_kb),
	};
	int rc;

	setlocale(LC_ALL, "C.UTF-8");
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tu_cleanup();
	return rc;
}

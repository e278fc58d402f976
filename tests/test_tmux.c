/* Copying into a real tmux server's buffer, as errkb does when it runs
 * inside tmux.  Skipped (exit 77) where tmux is not installed or cannot
 * start a server. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vt.h"

static char small[1024], dir[64], sock[128];

static void copy_into_a_real_tmux(void **state)
{
	char tmuxenv[400], cmd[800], got[256] = "";
	const char *env[] = { tmuxenv, "DISPLAY=", "WAYLAND_DISPLAY=", NULL };
	const char *argv[] = { getenv("ERRKB"), "--kb", small, NULL };
	FILE *p;
	size_t n;
	vt *t;
	int st;

	(void)state;
	assert_non_null(argv[0]);
	/* errkb finds the server the way a program inside tmux does. */
	snprintf(tmuxenv, sizeof tmuxenv, "TMUX=%s,1,0", sock);
	t = vt_start(120, 30, argv, env);
	assert_true(vt_wait(t, "1/4"));
	vt_send(t, "jjjy\r");                   /* net/timeout: its first command */
	assert_true(vt_wait(t, "Copied with tmux buffer"));
	vt_send(t, "q");
	st = vt_finish(t);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	vt_free(t);
	snprintf(cmd, sizeof cmd, "tmux -S '%s' show-buffer", sock);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(got, 1, sizeof got - 1, p);
	got[n] = '\0';
	pclose(p);
	assert_string_equal(got, "sudo systemctl restart myd");
}

int main(void)
{
	const char *data = getenv("TESTDATA");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(copy_into_a_real_tmux),
	};
	char cmd[400];
	int rc;

	if (!data)
		return 99;
	snprintf(small, sizeof small, "%s/small", data);
	if (system("command -v tmux >/dev/null 2>&1") != 0) {
		printf("tmux is not installed: skipped\n");
		return 77;
	}
	snprintf(dir, sizeof dir, "/tmp/errkb-tmux-XXXXXX");
	if (!mkdtemp(dir))
		return 99;
	snprintf(sock, sizeof sock, "%s/tmux.sock", dir);
	snprintf(cmd, sizeof cmd, "tmux -S '%s' new-session -d -s errkb-test 'sleep 60'", sock);
	if (system(cmd) != 0) {
		printf("tmux cannot start a server (%s): skipped\n", cmd);
		rmdir(dir);
		return 77;
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	snprintf(cmd, sizeof cmd, "tmux -S '%s' kill-server", sock);
	if (system(cmd) != 0)
		fprintf(stderr, "could not stop the tmux server at %s\n", sock);
	unlink(sock);
	rmdir(dir);
	return rc;
}

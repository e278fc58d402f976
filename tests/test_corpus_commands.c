/* test_commands' checks of extracted commands, over the deadends corpus
 * (2,522 records): skipped (exit 77) where the corpus is absent. */
#include <config.h>
#include "testutil.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static char path[1024];

static void corpus(void **state)
{
	size_t nw = 0, nc = 0, with = 0, run = 0;

	(void)state;
	assert_int_equal(tu_check_commands(path, &nw, &nc, &with, &run), 0);
	printf("deadends corpus: %zu workarounds, %zu commands, %zu workarounds with one; "
	       "%zu of the commands run as they stand, %zu are text\n", nw, nc, with, run, nc - run);
	assert_true(nw > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(corpus),
	};
	const char *src = getenv("top_srcdir");
	struct stat st;
	int rc;

	snprintf(path, sizeof path, "%s/../shared/corpora/deadends/canons", src ? src : ".");
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		printf("no corpus at %s: skipped\n", path);
		return 77;
	}
	setlocale(LC_ALL, "C.UTF-8");
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tu_cleanup();
	return rc;
}

/* make bench: how long loading a KB takes and how much memory it holds.
 * Usage: bench_load [PATH]... (default: the deadends corpus beside the
 * source tree).  Prints the median of several loads and the peak RSS
 * against the JSON bytes read. */
#include <config.h>
#include "load.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

enum { RUNS = 9 };

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	const char *def = ABS_TOP_SRCDIR "/../shared/corpora/deadends/canons";
	const char *const *paths = argc > 1 ? (const char *const *)argv + 1 : &def;
	size_t npaths = argc > 1 ? (size_t)argc - 1 : 1, recs = 0, bytes = 0;
	double ms[RUNS];
	struct rusage ru;

	for (int i = 0; i < RUNS; i++) {
		struct timespec t0, t1;
		kb k;

		kb_init(&k);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		kb_load_paths(&k, paths, npaths);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms[i] = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
		recs = k.nrecs;
		bytes = k.json_bytes;
		kb_free(&k);
	}
	qsort(ms, RUNS, sizeof *ms, cmp);
	getrusage(RUSAGE_SELF, &ru);
	printf("load: %zu records, %.1f MB of JSON; median %.1f ms, min %.1f ms, max %.1f ms over %d runs\n",
	       recs, bytes / 1e6, ms[RUNS / 2], ms[0], ms[RUNS - 1], RUNS);
	printf("peak RSS: %.1f MB (%.2fx the JSON)\n", ru.ru_maxrss / 1024.0,
	       bytes ? ru.ru_maxrss * 1024.0 / (double)bytes : 0);
	return recs ? 0 : 1;
}

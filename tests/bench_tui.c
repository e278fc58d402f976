/* make bench: time from start to the first complete frame of the browser,
 * through a pseudo-terminal, on a KB (default: the deadends corpus). */
#include <config.h>
#include "vt.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { RUNS = 5 };

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	const char *kb = argc > 1 ? argv[1] : ABS_TOP_SRCDIR "/../shared/corpora/deadends/canons";
	const char *bin = ABS_TOP_BUILDDIR "/src/errkb";
	const char *args[] = { bin, "--kb", kb, NULL };
	double best = 1e9, sum = 0;

	for (int i = 0; i < RUNS; i++) {
		double t0 = now_ms(), t;
		vt *t_ = vt_start(120, 40, args, NULL);

		/* The status line is drawn last: the frame is complete. */
		if (!vt_wait(t_, "?:help")) {
			vt_free(t_);
			return 1;
		}
		t = now_ms() - t0;
		best = t < best ? t : best;
		sum += t;
		vt_send(t_, "q");
		vt_finish(t_);
		vt_free(t_);
	}
	printf("first frame (120x40, %s): best %.0f ms, mean %.0f ms over %d runs\n",
	       kb, best, sum / RUNS, RUNS);
	return 0;
}

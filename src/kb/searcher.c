/* The browser's search on a thread of its own (searcher.h).
 *
 * The thread shares the browser's connection to the index, and so the
 * read transaction the browser holds (kbcache_hold): the records it finds
 * are the browser's, key for key, whatever another errkb writes
 * meanwhile.  SQLite serializes the calls of the two threads on the
 * connection, one row at a time; kbcache_search_scores uses statements of
 * its own.  A search asks every 64 rows whether a newer one is waiting,
 * and ends at once if so. */
#include <config.h>
#include "searcher.h"
#include "kbcache.h"
#include "matcher.h"
#include "search.h"
#include "xalloc.h"

#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum ask_mode { ASK_WORDS, ASK_LINE, ASK_TYPOS };

struct searcher {
	kbcache *c;
	bool threaded;            /* else no thread, and no lock needed */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t asked_cv;
	/* The last ask, by its number: read without the lock by the search
	 * that runs, to know it is to stop. */
	atomic_uint asked;
	atomic_bool quit;
	/* Under mu: the text of the last ask, the number of the last one
	 * the thread took up (done or stopped), and the answer to the last
	 * ask once there is one. */
	char *text;
	enum ask_mode mode;
	unsigned taken;
	int state;
	kbcache_row *hits;
	size_t nhits;
	char *fixed;              /* a typos ask's corrected text, or NULL */
	/* The thread's alone: what match needs of every record, and the
	 * matcher made of it at the first line asked for; the KB's words,
	 * read at the first typos ask (from the record after vocab_from,
	 * as far as a newer ask let it). */
	kb_slim slim;
	matcher *m;
	search_vocab vocab;
	int64_t vocab_from;
	bool vocab_done;
};

static void lock(searcher *s)
{
	if (s->threaded)
		xcheck(pthread_mutex_lock(&s->mu), "lock");
}

static void unlock(searcher *s)
{
	if (s->threaded)
		xcheck(pthread_mutex_unlock(&s->mu), "unlock");
}

struct run {
	searcher *s;
	unsigned n;
};

static bool newer_asked(void *arg)
{
	const struct run *r = arg;

	return atomic_load(&r->s->asked) != r->n || atomic_load(&r->s->quit);
}

/* One search: SEARCHER_DONE (hits, n), SEARCHER_FAILED, or SEARCHER_BUSY
 * when a newer ask stopped it. */
static int search_once(searcher *s, const char *text, unsigned n, kbcache_row **hits, size_t *nhits)
{
	struct run r = { s, n };
	kbcache_stop stop = { newer_asked, &r };
	char err[128];
	size_t pos, got;
	query q;

	*hits = NULL;
	*nhits = 0;
	if (!query_parse(text, &q, err, sizeof err, &pos))
		return SEARCHER_DONE;     /* the browser asks for queries that parse */
	got = kbcache_search_scores(s->c, &q, hits, s->threaded ? &stop : NULL);
	query_free(&q);
	if (got == KBCACHE_STOPPED)
		return SEARCHER_BUSY;
	if (got == (size_t)-1)
		return SEARCHER_FAILED;
	*nhits = got;
	return SEARCHER_DONE;
}

/* What errkb match finds in the line text: the records it puts first,
 * best first (rows with key, confidence, and the matcher's score), as
 * search_once answers. */
static int match_once(searcher *s, const char *text, unsigned n, kbcache_row **hits, size_t *nhits)
{
	struct run r = { s, n };
	kbcache_stop stop = { newer_asked, &r };
	const match_hit *h;
	size_t got;

	*hits = NULL;
	*nhits = 0;
	if (!s->m) {
		int rc;

		kb_slim_free(&s->slim);
		kb_slim_init(&s->slim);
		rc = kbcache_match_recs(s->c, &s->slim, true, s->threaded ? &stop : NULL);
		if (rc == -2)
			return SEARCHER_BUSY;
		if (rc < 0)
			return SEARCHER_FAILED;
		s->m = matcher_new_slim(&s->slim);
	}
	matcher_reset(s->m);
	matcher_line(s->m, text, 1);
	got = matcher_results(s->m, &h);
	*hits = xmalloc((got ? got : 1) * sizeof **hits);
	for (size_t i = 0; i < got; i++)
		(*hits)[i] = (kbcache_row){ .rid = s->slim.rid[h[i].rec],
					    .confidence = s->slim.confidence[h[i].rec],
					    .score = h[i].score };
	*nhits = got;
	return SEARCHER_DONE;
}

/* The search of text with its typos corrected against the KB's words:
 * as search_once, the corrected text into *fixed (malloc'd; NULL and no
 * hits when no word was corrected). */
static int typos_once(searcher *s, const char *text, unsigned n, kbcache_row **hits, size_t *nhits,
		      char **fixed)
{
	struct run r = { s, n };
	kbcache_stop stop = { newer_asked, &r };
	char err[128], buf[256];
	size_t pos;
	query q, corrected;
	bool ok;
	int state;

	*hits = NULL;
	*nhits = 0;
	*fixed = NULL;
	if (!s->vocab_done) {
		int rc = kbcache_vocab(s->c, &s->vocab, &s->vocab_from, s->threaded ? &stop : NULL);

		if (rc == -2)
			return SEARCHER_BUSY;     /* read on at the next ask */
		if (rc < 0)
			return SEARCHER_FAILED;
		s->vocab_done = true;
	}
	if (!query_parse(text, &q, err, sizeof err, &pos))
		return SEARCHER_DONE;
	ok = search_correct(&q, &s->vocab, &corrected, buf, sizeof buf);
	query_free(&q);
	if (!ok)
		return SEARCHER_DONE;
	query_free(&corrected);
	state = search_once(s, buf, n, hits, nhits);
	if (state == SEARCHER_DONE)
		*fixed = xstrdup(buf);
	return state;
}

/* The answer to ask n, kept if no other was asked since. */
static void answer(searcher *s, unsigned n, int state, kbcache_row *hits, size_t nhits, char *fixed)
{
	if (state != SEARCHER_BUSY && n == atomic_load(&s->asked)) {
		free(s->hits);
		free(s->fixed);
		s->hits = hits;
		s->nhits = nhits;
		s->fixed = fixed;
		s->state = state;
	} else {
		free(hits);
		free(fixed);
	}
}

/* Ask n, of text in mode: its answer. */
static int run_ask(searcher *s, enum ask_mode mode, const char *text, unsigned n, kbcache_row **hits,
		   size_t *nhits, char **fixed)
{
	*fixed = NULL;
	switch (mode) {
	case ASK_LINE:
		return match_once(s, text, n, hits, nhits);
	case ASK_TYPOS:
		return typos_once(s, text, n, hits, nhits, fixed);
	default:
		return search_once(s, text, n, hits, nhits);
	}
}

static void *run_searches(void *arg)
{
	searcher *s = arg;

	lock(s);
	for (;;) {
		unsigned n;
		char *text, *fixed;
		enum ask_mode mode;
		kbcache_row *hits;
		size_t nhits;
		int state;

		while (!atomic_load(&s->quit) && s->taken == atomic_load(&s->asked))
			xcheck(pthread_cond_wait(&s->asked_cv, &s->mu), "wait");
		if (atomic_load(&s->quit))
			break;
		n = s->taken = atomic_load(&s->asked);
		text = xstrdup(s->text);
		mode = s->mode;
		unlock(s);
		state = run_ask(s, mode, text, n, &hits, &nhits, &fixed);
		free(text);
		lock(s);
		answer(s, n, state, hits, nhits, fixed);
	}
	unlock(s);
	return NULL;
}

searcher *searcher_new(kbcache *c)
{
	searcher *s = xcalloc(1, sizeof *s);

	s->c = c;
	s->text = xstrdup("");
	kb_slim_init(&s->slim);
	search_vocab_init(&s->vocab);
	s->vocab_from = INT64_MIN;
	atomic_init(&s->asked, 0);
	atomic_init(&s->quit, false);
	/* Two threads on one connection need SQLite's serialized mode (the
	 * index opens its connection so).  Without a thread, searches run
	 * when asked for. */
	if (sqlite3_threadsafe() != 1 || pthread_mutex_init(&s->mu, NULL) != 0)
		return s;
	if (pthread_cond_init(&s->asked_cv, NULL) != 0) {
		pthread_mutex_destroy(&s->mu);
		return s;
	}
	/* Set before the thread starts: it locks as soon as it runs. */
	s->threaded = true;
	if (thread_start(&s->thread, run_searches, s) != 0) {
		s->threaded = false;
		pthread_cond_destroy(&s->asked_cv);
		pthread_mutex_destroy(&s->mu);
	}
	return s;
}

static void ask(searcher *s, const char *text, enum ask_mode mode)
{
	unsigned n;

	lock(s);
	free(s->text);
	s->text = xstrdup(text);
	s->mode = mode;
	free(s->hits);
	free(s->fixed);
	s->hits = NULL;
	s->fixed = NULL;
	s->nhits = 0;
	s->state = SEARCHER_BUSY;
	n = atomic_load(&s->asked) + 1;
	atomic_store(&s->asked, n);
	if (s->threaded) {
		xcheck(pthread_cond_signal(&s->asked_cv), "signal");
	} else {
		kbcache_row *hits;
		size_t nhits;
		char *fixed;
		int state = run_ask(s, mode, text, n, &hits, &nhits, &fixed);

		s->taken = n;
		answer(s, n, state, hits, nhits, fixed);
	}
	unlock(s);
}

void searcher_ask(searcher *s, const char *text)
{
	ask(s, text, ASK_WORDS);
}

void searcher_ask_line(searcher *s, const char *line)
{
	ask(s, line, ASK_LINE);
}

void searcher_ask_typos(searcher *s, const char *text)
{
	ask(s, text, ASK_TYPOS);
}

int searcher_take(searcher *s, kbcache_row **hits, size_t *n, char **fixed)
{
	int state;

	*hits = NULL;
	*n = 0;
	*fixed = NULL;
	lock(s);
	state = s->state;
	if (state == SEARCHER_DONE || state == SEARCHER_FAILED) {
		*hits = s->hits;
		*n = s->nhits;
		*fixed = s->fixed;
		s->hits = NULL;
		s->fixed = NULL;
		s->nhits = 0;
		s->state = SEARCHER_IDLE;
	}
	unlock(s);
	return state;
}

void searcher_free(searcher *s)
{
	if (!s)
		return;
	if (s->threaded) {
		lock(s);
		atomic_store(&s->quit, true);
		xcheck(pthread_cond_signal(&s->asked_cv), "signal");
		unlock(s);
		xcheck(pthread_join(s->thread, NULL), "join");
		pthread_cond_destroy(&s->asked_cv);
		pthread_mutex_destroy(&s->mu);
	}
	free(s->text);
	free(s->hits);
	free(s->fixed);
	matcher_free(s->m);
	kb_slim_free(&s->slim);
	search_vocab_free(&s->vocab);
	free(s);
}

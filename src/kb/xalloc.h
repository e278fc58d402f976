/* Allocation that never returns NULL: running out of memory in a terminal
 * browser has no useful recovery, so we stop with a clear message. */
#ifndef ERRKB_XALLOC_H
#define ERRKB_XALLOC_H

#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* asprintf(3) that never fails. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* Grow a vector so that it holds at least need items of size sz. */
void *xgrow(void *p, size_t *cap, size_t need, size_t sz);

/* A call that returns 0 or an error number (pthreads): dies on an error,
 * naming what failed.  For calls that cannot fail but by a bug. */
void xcheck(int rc, const char *what);

/* pthread_create, the new thread taking no signal: they are the
 * threads' that handle them (the input loop, a command's main thread).
 * 0 or an error number. */
int thread_start(pthread_t *t, void *(*fn)(void *), void *arg);

/* Hook run by die() before it prints, so the UI can restore the terminal. */
extern void (*die_hook)(void);
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif

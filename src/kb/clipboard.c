#include <config.h>
#include "clipboard.h"
#include "i18n.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* How long a helper may take: xclip and wl-copy fork a keeper and return
 * at once; anything slower is stuck. */
enum { HELPER_MS = 3000 };

int clipboard_run(const char *const argv[], const char *input)
{
	posix_spawn_file_actions_t fa;
	int in[2], status, rc = 0, n = 0, spawned;
	char **args;
	pid_t pid;

	if (pipe(in) != 0)
		return 0;
	/* posix_spawnp wants writable strings. */
	while (argv[n])
		n++;
	args = xcalloc((size_t)n + 1, sizeof *args);
	for (int i = 0; i < n; i++)
		args[i] = xstrdup(argv[i]);
	fcntl(in[1], F_SETFD, FD_CLOEXEC);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
	posix_spawn_file_actions_addclose(&fa, in[0]);
	/* Keep helpers off the screen the browser owns. */
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	i18n_user_env(true);
	spawned = posix_spawnp(&pid, args[0], &fa, NULL, args, environ) == 0;
	i18n_user_env(false);
	posix_spawn_file_actions_destroy(&fa);
	for (int i = 0; i < n; i++)
		free(args[i]);
	free(args);
	if (!spawned) {
		close(in[0]);
		close(in[1]);
		return 0;
	}
	close(in[0]);
	if (input) {
		/* A reader that goes away must not kill us with SIGPIPE. */
		void (*old)(int) = signal(SIGPIPE, SIG_IGN);
		size_t len = strlen(input), off = 0;

		while (off < len) {
			ssize_t w = write(in[1], input + off, len - off);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				break;
			off += (size_t)w;
		}
		signal(SIGPIPE, old);
	}
	close(in[1]);
	for (int waited = 0;; waited += 10) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid) {
			rc = WIFEXITED(status) && WEXITSTATUS(status) == 0;
			break;
		}
		if (r < 0 && errno != EINTR)
			break;
		if (waited >= HELPER_MS) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			break;
		}
		nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000000L }, NULL);
	}
	return rc;
}

static int on_path(const char *prog)
{
	const char *path = getenv("PATH");
	char *copy, *save = NULL;
	int found = 0;

	if (!path)
		return 0;
	copy = xstrdup(path);
	for (char *d = strtok_r(copy, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		char *p;

		if (asprintf(&p, "%s/%s", *d ? d : ".", prog) < 0)
			break;
		found = access(p, X_OK) == 0;
		free(p);
	}
	free(copy);
	return found;
}

static void try(unsigned method, const char *const argv[], const char *text, unsigned *ok, unsigned *tried)
{
	if (!on_path(argv[0]))
		return;
	*tried |= method;
	if (clipboard_run(argv, text))
		*ok |= method;
}

unsigned clipboard_helpers(const char *text, unsigned *tried)
{
	unsigned ok = 0;
	const char *e;

	*tried = 0;
	if ((e = getenv("TMUX")) && *e) {
		const char *const argv[] = { "tmux", "load-buffer", "-w", "-", NULL };

		try(CLIP_TMUX, argv, text, &ok, tried);
	}
	if ((e = getenv("WAYLAND_DISPLAY")) && *e) {
		const char *const argv[] = { "wl-copy", NULL };

		try(CLIP_WAYLAND, argv, text, &ok, tried);
	}
	if ((e = getenv("DISPLAY")) && *e) {
		const char *const xclip[] = { "xclip", "-selection", "clipboard", "-in", NULL };
		const char *const xsel[] = { "xsel", "--clipboard", "--input", NULL };

		try(CLIP_XCLIP, xclip, text, &ok, tried);
		if (!(ok & CLIP_XCLIP))
			try(CLIP_XSEL, xsel, text, &ok, tried);
	}
	{
		const char *const argv[] = { "pbcopy", NULL };

		try(CLIP_PBCOPY, argv, text, &ok, tried);
	}
	return ok;
}

static char *base64(const char *s, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = xmalloc((n + 2) / 3 * 4 + 1), *o = out;

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned char)s[i] << 16 |
			     (i + 1 < n ? (unsigned char)s[i + 1] << 8 : 0) |
			     (i + 2 < n ? (unsigned char)s[i + 2] : 0);

		*o++ = tab[v >> 18 & 63];
		*o++ = tab[v >> 12 & 63];
		*o++ = i + 1 < n ? tab[v >> 6 & 63] : '=';
		*o++ = i + 2 < n ? tab[v & 63] : '=';
	}
	*o = '\0';
	return out;
}

char *clipboard_osc52(const char *text)
{
	size_t n = strlen(text);
	char *b64, *seq;

	if ((n + 2) / 3 * 4 > OSC52_MAX)
		return NULL;
	b64 = base64(text, n);
	if (asprintf(&seq, "\033]52;c;%s\a", b64) < 0)
		die("out of memory");
	free(b64);
	return seq;
}

const char *clipboard_names(unsigned mask)
{
	static const char *const names[] = { "tmux buffer", "wl-copy", "xclip", "xsel", "pbcopy", "OSC 52" };
	static char buf[128];

	buf[0] = '\0';
	for (int i = 0; i < 6; i++)
		if (mask & (1u << i))
			snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s", buf[0] ? ", " : "", names[i]);
	return buf;
}

const char *clipboard_save(const char *text)
{
	static char path[512];
	const char *dir = getenv("XDG_RUNTIME_DIR");
	int fd;
	size_t n = strlen(text);

	snprintf(path, sizeof path, "%s/errkb-copy-XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	if (write(fd, text, n) != (ssize_t)n) {
		close(fd);
		unlink(path);
		return NULL;
	}
	close(fd);
	return path;
}

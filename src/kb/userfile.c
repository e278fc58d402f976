#include <config.h>
#include "userfile.h"
#include "i18n.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *userfile_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return _("is a directory");
	if (S_ISFIFO(mode))
		return _("is a FIFO");
	if (S_ISCHR(mode))
		return _("is a character device");
	if (S_ISBLK(mode))
		return _("is a block device");
	if (S_ISSOCK(mode))
		return _("is a socket");
	return _("is not a regular file");
}

enum userfile_result userfile_read(const char *path, char **text, size_t *len,
				   struct stat *stp, char *why, size_t whylen)
{
	struct stat st;
	char *buf;
	size_t got = 0;
	int fd, flags, saved;

	*text = NULL;
	*len = 0;
	/* O_NONBLOCK: opening a FIFO without a writer would wait for one. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		saved = errno;
		if (saved == ENOENT)
			return USERFILE_MISSING;
		/* A socket cannot be opened at all (ENXIO): say what it is. */
		if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
			snprintf(why, whylen, "%s", userfile_kind(st.st_mode));
			errno = saved;
			return USERFILE_NOT_REGULAR;
		}
		snprintf(why, whylen, "%s", strerror(saved));
		errno = saved;
		return USERFILE_CANNOT_OPEN;
	}
	if (fstat(fd, &st) != 0) {
		saved = errno;
		close(fd);
		snprintf(why, whylen, "%s", strerror(saved));
		errno = saved;
		return USERFILE_READ_ERROR;
	}
	if (stp)
		*stp = st;
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		snprintf(why, whylen, "%s", userfile_kind(st.st_mode));
		return USERFILE_NOT_REGULAR;
	}
	if (st.st_size > USERFILE_MAX) {
		close(fd);
		snprintf(why, whylen, _("larger than 1 MiB"));
		return USERFILE_TOO_BIG;
	}
	/* A regular file from here on: ordinary blocking reads. */
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
		saved = errno;
		close(fd);
		snprintf(why, whylen, "%s", strerror(saved));
		errno = saved;
		return USERFILE_READ_ERROR;
	}
	/* The size was read before; the file may have grown since, so the
	 * cap holds for what is read, not for what fstat said. */
	buf = xmalloc((size_t)st.st_size + 2);
	for (size_t cap = (size_t)st.st_size + 1;;) {
		ssize_t n;

		if (got == cap) {
			if (cap > USERFILE_MAX) {
				free(buf);
				close(fd);
				snprintf(why, whylen, _("larger than 1 MiB"));
				return USERFILE_TOO_BIG;
			}
			cap = cap * 2 > USERFILE_MAX + 1 ? USERFILE_MAX + 1 : cap * 2;
			buf = xrealloc(buf, cap + 1);
		}
		n = read(fd, buf + got, cap - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			saved = errno;
			free(buf);
			close(fd);
			snprintf(why, whylen, "%s", strerror(saved));
			errno = saved;
			return USERFILE_READ_ERROR;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*text = buf;
	*len = got;
	return USERFILE_OK;
}

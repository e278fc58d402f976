/* The user's own small files (the config file, the browser's state), read
 * whole and only when they are regular files of a sane size: a FIFO does
 * not block, a link to /dev/zero does not fill memory. */
#ifndef ERRKB_USERFILE_H
#define ERRKB_USERFILE_H

#include <stddef.h>
#include <sys/stat.h>

/* The most a user file may hold (the message says "1 MiB"). */
enum { USERFILE_MAX = 1 << 20 };

enum userfile_result {
	USERFILE_OK,
	USERFILE_MISSING,      /* it does not exist (nor does a link's target) */
	USERFILE_CANNOT_OPEN,  /* open failed: permissions, a loop of links... */
	USERFILE_NOT_REGULAR,  /* a FIFO, a device, a directory, a socket */
	USERFILE_TOO_BIG,      /* over USERFILE_MAX, or grew past it */
	USERFILE_READ_ERROR,
};

/* Read path whole.  On USERFILE_OK *text holds the bytes plus a NUL
 * (malloc'd; the bytes may hold NULs of their own), *len their number.
 * *st (when not NULL) gets the status of the file opened, for
 * USERFILE_NOT_REGULAR and USERFILE_TOO_BIG as well.  Otherwise *text
 * is NULL and why (len bytes) says what is wrong, translated and without
 * the path, e.g. "is a FIFO" or "larger than 1 MiB"; errno is kept for
 * USERFILE_CANNOT_OPEN and USERFILE_READ_ERROR. */
enum userfile_result userfile_read(const char *path, char **text, size_t *len,
				   struct stat *st, char *why, size_t whylen);

/* What a file of this mode is, for a message: "is a FIFO", "is a
 * directory"...; "is not a regular file" when nothing more is known. */
const char *userfile_kind(mode_t mode);

#endif

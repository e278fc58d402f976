/* The loader's seams for tests, not for the program. */
#ifndef ERRKB_LOAD_INTERNAL_H
#define ERRKB_LOAD_INTERNAL_H

#include <stddef.h>
#include <sys/types.h>

/* The read(2) the loader calls: a test puts in one that returns less than
 * asked, as read(2) may anywhere in a file.  NULL puts read(2) back.
 * Returns the one in use before. */
typedef ssize_t (*load_read_fn)(int fd, void *buf, size_t n);
load_read_fn load_set_read(load_read_fn fn);

/* The largest record loaded, in bytes of JSON (RECORD_MAX): a test puts
 * in a small one.  0 puts RECORD_MAX back.  Returns the one in use. */
size_t load_set_record_max(size_t max);

/* How much of a .jsonl file is read at a time (STREAM_PART): a test puts
 * in a small one, so that lines and findings fall across parts.  0 puts
 * STREAM_PART back.  Returns the one in use. */
size_t load_set_stream_part(size_t part);

#endif

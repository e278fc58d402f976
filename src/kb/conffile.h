/* The user's config file: parsed here into plain values, with every bad
 * line reported as FILE:LINE: message and skipped.  Keys and colours are
 * kept as written where only the terminal side can judge them (key names);
 * the theme is parsed fully, as colours are plain numbers. */
#ifndef ERRKB_CONFFILE_H
#define ERRKB_CONFFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "style.h"

typedef struct cfg_style {
	bool set;
	short fg, bg;              /* -1: the terminal's default; 0..255 */
	int attrs;                 /* CFG_* */
} cfg_style;

typedef struct cfg_binding {
	char *action;
	char **keys;               /* key names as written */
	size_t nkeys;
	int line;
} cfg_binding;

typedef struct config {
	char *path;                /* the file read, or NULL */
	int lang;                  /* -1 unset, else enum kb_lang */
	char **kb;                 /* kb = PATH lines, ~ expanded, in order */
	size_t nkb;
	int mouse;                 /* -1 unset, 0 off, 1 on */
	cfg_style theme[UI_COUNT];
	cfg_binding *bind;
	size_t nbind;
	size_t errors;             /* bad lines reported */
} config;

extern const char *const cfg_style_names[UI_COUNT];
extern const cfg_style cfg_default_theme[UI_COUNT];

void config_init(config *c);
void config_free(config *c);
/* Read path into c; bad lines go to err as "path:line: message".  A file
 * that does not exist is no error (returns true, c->path stays NULL);
 * one that cannot be read is reported and returns false. */
bool config_load(config *c, const char *path, FILE *err);
/* Parse text as if read from path (for tests and config_load). */
void config_parse(config *c, const char *path, const char *text, size_t len, FILE *err);
/* A theme value such as "white on blue bold"; false with a message. */
bool config_parse_style(const char *v, cfg_style *s, char *msg, size_t len);
/* Print a style back in config syntax. */
void config_format_style(const cfg_style *s, char *buf, size_t len);
/* Report a problem at path:line (the format of every config error). */
void config_error(config *c, FILE *err, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif

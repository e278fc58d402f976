/* The command-line side: options every subcommand shares, opening the KB,
 * and the subcommands themselves. */
#ifndef ERRKB_CLI_H
#define ERRKB_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "conffile.h"
#include "kb.h"

/* Exit statuses, as documented in --help and errkb(1). */
enum { EXIT_OK = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2 };

typedef struct cli_opts {
	const char **kb_paths;     /* --kb, in order */
	size_t nkb;
	enum kb_lang lang;
	bool lang_given;           /* --lang was on the command line */
} cli_opts;

/* What holds for every command: the config file (unless --no-config) and
 * the global options that are not passed on to commands. */
typedef struct cli_settings {
	config cfg;
	char *config_path;         /* where the config file is looked for */
	bool no_config, no_mouse;
	bool no_cache;             /* --no-cache: read every KB file, keep no index */
} cli_settings;
extern cli_settings cli_set;

/* Read the config file (errors on err) and apply its keys; then the UI
 * language is the config's, else the locale's. */
void cli_settings_load(FILE *err);
void cli_settings_free(void);
/* errkb --dump-config: the settings in force, in config file syntax,
 * with the KB paths and language of o. */
void cli_dump_config(const struct cli_opts *o, FILE *out);

void cli_opts_init(cli_opts *o);
void cli_opts_free(cli_opts *o);
/* --kb PATH (repeatable) */
void cli_add_kb(cli_opts *o, const char *path);
/* Parse --lang's value; false (with a message) when unknown. */
bool cli_parse_lang(const char *s, enum kb_lang *lang);
/* The KB paths in force: --kb, else $ERRKB_PATH, else the config's kb
 * lines, else the shipped KB.
 * Returns a malloc'd vector of strings the caller frees with
 * cli_free_paths(). */
char **cli_kb_paths(const cli_opts *o, size_t *n);
void cli_free_paths(char **v, size_t n);
/* Load the KB for list/show/browse: errors go to stderr with a count of the
 * records skipped; warnings are left to `check`.  Returns false when nothing
 * could be loaded at all. */
bool cli_open_kb(const cli_opts *o, kb *k);
/* The same for a command that needs a few records or a list: with an
 * index, k gets the findings but no records, and the open, current index
 * is returned for kbcache_list and kbcache_fetch (close it with
 * kbcache_close(c, true, NULL)); NULL when there is no index to be had,
 * and then k holds the whole KB, loaded from its sources. */
struct kbcache *cli_open_kb_lazy(const cli_opts *o, kb *k);
/* For the browser: k holds a slot for each record of the KB, and the
 * index is returned, held, to fill them as they are shown (kbcache_slots;
 * kbheads_free(h), then kbcache_close(c, true, NULL) after); NULL when
 * there is no index to be had: k holds the records whole. */
struct kbheads;
struct kbcache *cli_open_kb_heads(const cli_opts *o, kb *k, struct kbheads *h);
/* The same, quietly: what the load found is for cli_report_load. */
struct kbcache *cli_load_kb_heads(const cli_opts *o, kb *k, struct kbheads *h);
/* What a load found that the user must know of, on stderr. */
void cli_report_load(kb *k);
/* cli_open_kb_lazy, quietly, from these paths: k initialized here. */
struct kbcache *cli_load_kb_lazy(kb *k, const char *const *paths, size_t n);
/* The KB from its sources alone, nothing reported (into k, initialized). */
void cli_load_sources(const cli_opts *o, kb *k);
/* kb_load_paths through the index (kbcache.h), unless --no-cache or there
 * is none to be had. */
void cli_load_kb(kb *k, const char *const *paths, size_t n);
struct option;
/* Before a command's getopt_long on argv: its tables, so that what
 * getopt rejects is said once, by errkb, naming the option (opterr off). */
void cli_options_begin(const struct option *longopts, const char *optstring, int argc, char **argv);
/* Options every command shares: -l/--lang, -k/--kb, -h/--help, and what
 * getopt rejects.  Returns true when it handled opt; *stop then tells the
 * command to end with status *rc (after --help, or on a bad value). */
bool cli_common_option(cli_opts *o, const char *cmd, int opt, void (*usage)(void),
		       bool *stop, int *rc);
/* --format's value among the names given (NULL-terminated); -1 (with a
 * message) when it is none of them. */
int cli_parse_format(const char *cmd, const char *value, const char *const *names);

struct cJSON;
/* Print v as indented JSON on stdout and delete it. */
void cli_print_json(struct cJSON *v);

/* "'a', 'b' or 'c'" (all: "and"), for a message (malloc'd). */
char *cli_quoted_list(const char *const *v, size_t n, bool all);
struct kb_filter;
/* Each domain, category and tier f names is one the KB has, asked of the
 * index c (its columns, no record read) or, when c is NULL, of k: 1.
 * Else 0, having said on stderr which are not, with the closest values
 * the KB has (a typo is an error, not an empty list); -1 the index
 * failed. */
int cli_check_filter(const char *cmd, const struct kb_filter *f, struct kbcache *c, const kb *k);
struct query;
/* The words of argv as one query; on a parse error says where and returns
 * false. */
bool cli_parse_query(int argc, char **argv, struct query *q);
/* The words of the command line, one string, a space between (malloc'd). */
char *cli_join_args(int argc, char **argv);
void cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A subcommand: what main() runs and what its getopt takes, so that the
 * shell completion reads the same tables as the command itself. */
struct option;
typedef struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const struct option *longopts;
	const char *optstring;        /* getopt's; a leading '+': options first */
	const char *const *formats;   /* --format's values, or NULL */
} cli_command;
extern const cli_command cli_list, cli_show, cli_check, cli_match, cli_pick, cli_index;
/* All of them, NULL-terminated, in the order --help gives them. */
extern const cli_command *const cli_commands[];

int cmd_browse(int argc, char **argv);
/* UTF-8 text handling under any locale (C.UTF-8 for LC_CTYPE when the
 * locale's codeset is not UTF-8). */
void cli_want_utf8(void);
/* On a terminal, loads say how far they are on stderr (a progress line),
 * once they have taken cli_progress_delay() seconds (ERRKB_PROGRESS_DELAY,
 * default 0.5).  cli_progress_text: the line's text, into line (len
 * bytes), with errkb's name before it when prefix. */
void cli_progress_init(void);
double cli_progress_delay(void);
struct kb_progress;
void cli_progress_text(const struct kb_progress *p, bool prefix, char *line, size_t len);
/* errkb --complete CWORD WORD...: candidates for the shell completion
 * scripts; argv[0] is CWORD. */
int cmd_complete(int argc, char **argv);

struct browse_opts;
/* The browser with the settings in force (mouse, theme, what is
 * remembered); o->lang_given keeps --lang over the remembered language. */
int cli_run_browser(kb *k, const cli_opts *o, struct browse_opts *bo);

#endif

/* A command line split the way a POSIX shell reads it, enough to tell what
 * it runs: simple commands, each a list of words with quotes and
 * backslashes removed, their redirections, and the pipelines and
 * substitutions ($(...), `...`, <(...), >(...)) that join them.  Nothing is
 * expanded or run.  The text is untrusted: any bytes, unbalanced quotes,
 * any length; one pass, no recursion.  No curses here. */
#ifndef ERRKB_SHWORDS_H
#define ERRKB_SHWORDS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
	char *text;     /* a substitution stands as "$()" */
	bool marked;    /* holds a substitution with a marked command */
} sh_word;

enum sh_redir_op {
	SH_OUT,         /* > >| &> N> */
	SH_APPEND,      /* >> &>> */
	SH_IN,          /* < */
	SH_RW,          /* <> */
	SH_HERESTR,     /* <<< */
	SH_HEREDOC,     /* << <<- (the target is the delimiter) */
	SH_DUP,         /* >& <& (the target a descriptor, or with >& a file) */
};

typedef struct {
	enum sh_redir_op op;
	sh_word target;
} sh_redir;

typedef struct {
	const sh_word *words;
	size_t nwords;
	const sh_redir *redirs;
	size_t nredirs;
	bool piped_in;          /* a pipe from an earlier stage is its input */
	bool piped_out;         /* its output goes down a pipe */
	bool stdin_marked;      /* an earlier stage of its pipeline was marked */
	bool funcdef;           /* "NAME ()": a function's name, its body next */
	size_t depth;           /* substitutions around it */
	size_t end;             /* offset in the text just after it */
} sh_cmd;

/* Called for each simple command as it ends, inner substitutions before the
 * command that holds them; returns true to mark the command (the caller's
 * meaning: e.g. its output is a download), which marks what it feeds: the
 * later stages of its pipeline and the word holding its substitution. */
typedef bool (*sh_cmd_fn)(const sh_cmd *c, void *ctx);

/* Substitutions nested deeper than this are read as commands of the
 * level they stand in. */
#define SH_MAX_DEPTH 256

/* Flags: a comment's text is read as commands too (as a reader of a KB
 * text would: "cmd  # or: rm -rf ~/.cache"). */
#define SH_COMMENTS 1u

/* True when the text ends where a command may end: no quote, $(...),
 * `...` or subshell left open, no ')' closing nothing, no operator (| || &&)
 * or redirection waiting for what follows, no '\' at the very end. */
bool sh_parse(const char *text, size_t len, unsigned flags, sh_cmd_fn fn, void *ctx);

#endif

#include <config.h>
#include "shwords.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

struct buf {
	char *s;
	size_t n, cap;
};

/* One level of reading: the text itself, or a substitution in it. */
struct frame {
	enum { F_TOP, F_PAREN, F_BACKQ } kind;
	bool in_dq;                     /* inside "..." */
	struct buf word;                /* the word being read */
	bool word_started, word_plain, word_marked;
	sh_word *words;                 /* the simple command being read */
	size_t nwords, capw;
	sh_redir *redirs;
	size_t nredirs, capr;
	int pending;                    /* a redirection waiting for its target, or -1 */
	bool piped_in, pipeline_marked; /* the pipeline so far */
	bool marked;                    /* some command of this level was marked */
};

struct parser {
	const char *t;
	size_t len, i;
	struct frame *st;               /* st[0..top] */
	size_t top, cap;
	unsigned flags;
	sh_cmd_fn fn;
	void *ctx;
	/* What leaves the text unfinished: a quote or $((...)) not closed,
	 * a subshell's '(' or ')' without its twin, an operator (| || &&)
	 * or a redirection with nothing after it, a '\' at the end. */
	bool unclosed;
	size_t subshells;               /* '(' open at the top level */
	bool want_cmd;                  /* an operator waits for a command */
};

static void put(struct frame *f, char c)
{
	f->word.s = xgrow(f->word.s, &f->word.cap, f->word.n + 2, 1);
	f->word.s[f->word.n++] = c;
	f->word_started = true;
}

static void put_n(struct frame *f, const char *s, size_t n)
{
	while (n--)
		put(f, *s++);
}

static void end_word(struct frame *f)
{
	sh_word w;

	if (!f->word_started)
		return;
	w.text = xstrndup(f->word.s ? f->word.s : "", f->word.n);
	w.marked = f->word_marked;
	if (f->pending >= 0) {
		f->redirs = xgrow(f->redirs, &f->capr, f->nredirs + 1, sizeof *f->redirs);
		f->redirs[f->nredirs++] = (sh_redir){ .op = (enum sh_redir_op)f->pending, .target = w };
		f->pending = -1;
	} else {
		f->words = xgrow(f->words, &f->capw, f->nwords + 1, sizeof *f->words);
		f->words[f->nwords++] = w;
	}
	f->word.n = 0;
	f->word_started = false;
	f->word_plain = true;
	f->word_marked = false;
}

static void clear_cmd(struct frame *f)
{
	for (size_t k = 0; k < f->nwords; k++)
		free(f->words[k].text);
	for (size_t k = 0; k < f->nredirs; k++)
		free(f->redirs[k].target.text);
	f->nwords = f->nredirs = 0;
	f->pending = -1;
}

/* The simple command ends: at an operator (a pipe when pipe), a newline, a
 * closing substitution or the end of the text. */
static void end_cmd(struct parser *p, struct frame *f, bool pipe, bool funcdef, size_t end)
{
	sh_cmd c;
	bool marked;

	end_word(f);
	f->pending = -1;                        /* a redirection without a target */
	if (!f->nwords && !f->nredirs)
		return;                         /* "a |\n b" is still one pipeline */
	c = (sh_cmd){ .words = f->words, .nwords = f->nwords, .redirs = f->redirs,
		      .nredirs = f->nredirs, .piped_in = f->piped_in, .piped_out = pipe,
		      .stdin_marked = f->pipeline_marked, .funcdef = funcdef, .depth = p->top,
		      .end = end };
	marked = p->fn(&c, p->ctx);
	f->marked |= marked;
	if (pipe) {
		f->piped_in = true;
		f->pipeline_marked |= marked;
	} else {
		f->piped_in = f->pipeline_marked = false;
	}
	clear_cmd(f);
}

static void frame_init(struct frame *f, int kind)
{
	memset(f, 0, sizeof *f);
	f->kind = kind;
	f->word_plain = true;
	f->pending = -1;
}

static void frame_free(struct frame *f)
{
	clear_cmd(f);
	free(f->word.s);
	free(f->words);
	free(f->redirs);
}

/* A substitution opens inside the current word.  Too deep, what it holds
 * is read as commands of this level instead: never hidden in a word. */
static void push(struct parser *p, int kind)
{
	struct frame *f = &p->st[p->top];

	if (p->top + 1 >= SH_MAX_DEPTH) {
		end_cmd(p, f, false, false, p->i);
		return;
	}
	put_n(f, "$(", 2);
	f->word_plain = false;
	p->st = xgrow(p->st, &p->cap, p->top + 2, sizeof *p->st);
	frame_init(&p->st[++p->top], kind);
}

static void pop(struct parser *p)
{
	struct frame *child = &p->st[p->top], *f;

	end_cmd(p, child, false, false, p->i);
	f = &p->st[p->top - 1];
	if (child->marked)
		f->word_marked = true;
	frame_free(child);
	p->top--;
	put(f, ')');
}

/* "$((...))": arithmetic, kept as text up to the matching parentheses. */
static void arith(struct parser *p, struct frame *f)
{
	size_t open = 2;

	put_n(f, "$((", 3);
	for (p->i += 3; p->i < p->len && open; p->i++) {
		char c = p->t[p->i];

		put(f, c);
		open += c == '(';
		open -= c == ')';
	}
	p->unclosed |= open > 0;
	f->word_plain = false;
}

/* A quote that ends at close (in backquotes, a backquote ends it too:
 * their extent is found before what they hold is read). */
static void quoted(struct parser *p, struct frame *f, char close, bool escapes)
{
	f->word_started = true;
	f->word_plain = false;
	while (p->i < p->len && p->t[p->i] != close && !(f->kind == F_BACKQ && p->t[p->i] == '`')) {
		if (escapes && p->t[p->i] == '\\' && p->i + 1 < p->len)
			p->i++;
		put(f, p->t[p->i++]);
	}
	if (p->i < p->len && p->t[p->i] == close)
		p->i++;
	else
		p->unclosed = true;
}

/* '$' at p->i: a substitution, arithmetic, $'...', or a plain '$'. */
static void dollar(struct parser *p, struct frame *f)
{
	char n = p->i + 1 < p->len ? p->t[p->i + 1] : '\0';

	if (n == '(' && p->i + 2 < p->len && p->t[p->i + 2] == '(') {
		arith(p, f);
	} else if (n == '(') {
		p->i += 2;
		push(p, F_PAREN);
	} else if (n == '\'' && !f->in_dq) {
		p->i += 2;
		quoted(p, f, '\'', true);
	} else if (n == '"' && !f->in_dq) {
		p->i++;                 /* $"..." reads as "..." */
	} else {
		put(f, '$');
		p->i++;
	}
}

static void backquote(struct parser *p, struct frame *f)
{
	p->i++;
	if (f->kind == F_BACKQ)
		pop(p);
	else
		push(p, F_BACKQ);
}

static void in_double_quotes(struct parser *p, struct frame *f)
{
	char c = p->t[p->i];

	if (c == '"') {
		f->in_dq = false;
		p->i++;
	} else if (c == '\\' && p->i + 1 < p->len) {
		char n = p->t[p->i + 1];

		if (n != '\n') {
			if (!strchr("$`\"\\", n))
				put(f, '\\');
			put(f, n);
		}
		p->i += 2;
	} else if (c == '$') {
		dollar(p, f);
	} else if (c == '`') {
		backquote(p, f);
	} else {
		put(f, c);
		p->i++;
	}
}

/* '<' or '>' at p->i, unquoted. */
static void redirection(struct parser *p, struct frame *f)
{
	const char *s = p->t + p->i;
	size_t rest = p->len - p->i;
	int op;
	size_t n;

	if (rest > 1 && s[1] == '(') {          /* <(...) >(...): a word */
		p->i += 2;
		push(p, F_PAREN);
		return;
	}
	/* "2>": the digits before are the descriptor, not a word */
	if (f->word_started && f->word_plain && f->word.n) {
		size_t k = 0;

		while (k < f->word.n && f->word.s[k] >= '0' && f->word.s[k] <= '9')
			k++;
		if (k == f->word.n) {
			f->word.n = 0;
			f->word_started = false;
		}
	}
	end_word(f);
	if (s[0] == '<') {
		if (rest > 2 && s[1] == '<' && s[2] == '<')
			op = SH_HERESTR, n = 3;
		else if (rest > 2 && s[1] == '<' && s[2] == '-')
			op = SH_HEREDOC, n = 3;
		else if (rest > 1 && s[1] == '<')
			op = SH_HEREDOC, n = 2;
		else if (rest > 1 && s[1] == '>')
			op = SH_RW, n = 2;
		else if (rest > 1 && s[1] == '&')
			op = SH_DUP, n = 2;
		else
			op = SH_IN, n = 1;
	} else {
		if (rest > 1 && s[1] == '>')
			op = SH_APPEND, n = 2;
		else if (rest > 1 && s[1] == '|')
			op = SH_OUT, n = 2;
		else if (rest > 1 && s[1] == '&')
			op = SH_DUP, n = 2;
		else
			op = SH_OUT, n = 1;
	}
	f->pending = op;
	p->i += n;
}

/* '(' unquoted: "NAME ()" defines a function; otherwise a subshell opens. */
static void paren(struct parser *p, struct frame *f)
{
	size_t k = p->i + 1;

	end_word(f);
	while (k < p->len && (p->t[k] == ' ' || p->t[k] == '\t'))
		k++;
	if (f->nwords == 1 && !f->nredirs && f->pending < 0 && k < p->len && p->t[k] == ')') {
		p->i = k + 1;
		end_cmd(p, f, false, true, p->i);
	} else {
		end_cmd(p, f, false, false, p->i);
		p->subshells += f->kind == F_TOP;
		p->i++;
	}
}

static void unquoted(struct parser *p, struct frame *f)
{
	const char *s = p->t + p->i;
	size_t rest = p->len - p->i;

	switch (s[0]) {
	case ' ': case '\t': case '\r': case '\f': case '\v':
		end_word(f);
		p->i++;
		break;
	case '\n': case ';':
		end_cmd(p, f, false, false, p->i);
		p->i++;
		break;
	case '&':
		if (rest > 1 && s[1] == '>') {  /* &> &>> */
			end_word(f);
			f->pending = rest > 2 && s[2] == '>' ? SH_APPEND : SH_OUT;
			p->i += f->pending == SH_APPEND ? 3 : 2;
		} else {
			end_cmd(p, f, false, false, p->i);
			p->want_cmd |= rest > 1 && s[1] == '&';
			p->i += rest > 1 && s[1] == '&' ? 2 : 1;
		}
		break;
	case '|':
		end_cmd(p, f, !(rest > 1 && s[1] == '|'), false, p->i);
		p->want_cmd = true;
		p->i += rest > 1 && (s[1] == '|' || s[1] == '&') ? 2 : 1;
		break;
	case '(':
		paren(p, f);
		break;
	case ')':
		if (f->kind == F_PAREN) {
			pop(p);
			p->i++;
		} else {
			end_cmd(p, f, false, false, p->i);
			if (f->kind == F_TOP && !p->subshells)
				p->unclosed = true;     /* a ')' that closes nothing */
			else if (f->kind == F_TOP)
				p->subshells--;
			p->i++;
		}
		break;
	case '<': case '>':
		redirection(p, f);
		break;
	case '`':
		backquote(p, f);
		break;
	case '"':
		f->in_dq = true;
		f->word_started = true;
		f->word_plain = false;
		p->i++;
		break;
	case '\'':
		p->i++;
		quoted(p, f, '\'', false);
		break;
	case '\\':                      /* a line continuation, or the next byte as is */
		if (rest > 1 && s[1] != '\n') {
			put(f, s[1]);
			f->word_plain = false;
		}
		p->unclosed |= rest == 1;
		p->i += rest > 1 ? 2 : 1;
		break;
	case '$':
		dollar(p, f);
		break;
	case '#':
		if (!f->word_started && (p->flags & SH_COMMENTS)) {
			end_cmd(p, f, false, false, p->i);
			p->i++;
			break;
		}
		if (!f->word_started) {         /* a comment, to the end of the line */
			while (p->i < p->len && p->t[p->i] != '\n' &&
			       !(f->kind == F_BACKQ && p->t[p->i] == '`'))
				p->i++;
			break;
		}
		put(f, s[0]);           /* a # inside a word is a letter */
		p->i++;
		break;
	default:
		put(f, s[0]);
		p->i++;
	}
}

bool sh_parse(const char *text, size_t len, unsigned flags, sh_cmd_fn fn, void *ctx)
{
	struct parser p = { .t = text, .len = len, .flags = flags, .fn = fn, .ctx = ctx };
	bool complete;

	p.st = xgrow(NULL, &p.cap, 8, sizeof *p.st);
	frame_init(&p.st[0], F_TOP);
	while (p.i < p.len) {
		struct frame *f = &p.st[p.top];

		/* Each step reads at least one byte; a step that opens or
		 * closes a substitution moves p.st, so f is fetched anew. */
		if (f->in_dq)
			in_double_quotes(&p, f);
		else
			unquoted(&p, f);
		if (p.st[p.top].word_started)
			p.want_cmd = false;     /* "a | b": b came */
	}
	complete = !p.unclosed && !p.top && !p.st[0].in_dq && !p.subshells && !p.want_cmd &&
		   !(p.st[0].pending >= 0 && !p.st[0].word_started);
	while (p.top)
		pop(&p);
	end_cmd(&p, &p.st[0], false, false, p.len);
	frame_free(&p.st[0]);
	free(p.st);
	return complete;
}

/* What a command does that deserves a second look before it is copied:
 * the command line is read as a shell reads it (shwords.c) and each simple
 * command judged by its program and parsed options, after the wrappers
 * that run it (sudo, env, xargs...).  A quoted "rm -rf" is an argument, not
 * a command.  Any bytes may come in (KB text is untrusted): the work is
 * linear in the text, the nesting it follows is bounded. */
#include <config.h>
#include "cmdwords.h"
#include "commands.h"
#include "i18n.h"
#include "shwords.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Most harmful first: a command with several risks names the first. */
enum risk {
	R_DISK, R_DELETE, R_PIPE, R_FORK, R_KILLALL, R_PERMS, R_SYSOWN, R_DEVFILE,
	R_FIREWALL, R_MAC, R_AUTH, R_PUSH, R_N
};

static const char *const reasons[R_N] = {
	[R_DISK] = N_("it overwrites a disk or partition"),
	[R_DELETE] = N_("it deletes files recursively"),
	[R_PIPE] = N_("it pipes a download into a shell"),
	[R_FORK] = N_("it starts processes until the system hangs"),
	[R_KILLALL] = N_("it kills every process"),
	[R_PERMS] = N_("it opens permissions wide"),
	[R_SYSOWN] = N_("it changes the owner or mode of system directories"),
	[R_DEVFILE] = N_("it replaces or deletes a device file"),
	[R_FIREWALL] = N_("it turns off the firewall or removes its rules"),
	[R_MAC] = N_("it turns off SELinux or AppArmor"),
	[R_AUTH] = N_("it turns off authentication or verification"),
	[R_PUSH] = N_("it force-pushes over the main branch"),
};

/* Command lines inside command lines (sh -c, eval, ssh, find -exec) are
 * followed this deep. */
#define MAX_NEST 4

struct scan {
	unsigned risks;
	int nest;
	const char *text;
	size_t len;
	bool ps_eval, ps_download;      /* PowerShell's iex (...DownloadString(...)) */
};

/* How the simple command being judged is run. */
struct how {
	bool stdin_marked;      /* its input is a download */
	bool piped_out, out_redirected;
	bool via_list;          /* by find -exec or xargs, on a list of files */
	bool inner;             /* a command found among another's words */
	int level;              /* find -exec in find -exec ... */
};

static const char *const printers[] = { "echo", "printf", NULL };
static const char *const searchers[] = { "grep", "egrep", "fgrep", "zgrep", "rg", "ag", "ack",
	"man", "which", "whereis", "type", "apropos", "whatis", "help", "info", NULL };
static const char *const wrappers[] = { "sudo", "doas", "env", "nohup", "setsid", "builtin",
	"unbuffer", "nocache", "exec", "time", "nice", "ionice", "stdbuf", "timeout", "command",
	"xargs", NULL };

static unsigned risks_of(const char *s, size_t n, int nest);

static void add(struct scan *sc, enum risk r)
{
	sc->risks |= 1u << r;
}

static bool is_in(const char *w, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(w, *list))
			return true;
	return false;
}

static bool is_in_ci(const char *w, const char *const *list)
{
	for (; *list; list++)
		if (!strcasecmp(w, *list))
			return true;
	return false;
}

/* The program a word names, lower case: "/usr/bin/rm" and "RM.exe" are rm.
 * Too long for any name known here: "". */
static void prog_name(const char *w, char *out, size_t size)
{
	const char *b = w;
	size_t n;

	for (const char *p = w; *p; p++)
		if (*p == '/' || *p == '\\')
			b = p + 1;
	n = strlen(b);
	if (n >= size) {
		*out = '\0';
		return;
	}
	for (size_t i = 0; i <= n; i++)
		out[i] = (char)tolower((unsigned char)b[i]);
	if (n > 4 && !strcmp(out + n - 4, ".exe"))
		out[n - 4] = '\0';
}

static bool is_assignment(const char *w)
{
	if (!isalpha((unsigned char)*w) && *w != '_')
		return false;
	while (isalnum((unsigned char)*w) || *w == '_')
		w++;
	return *w == '=';
}

/* A short-option cluster (-vrf) that holds c before any option taking an
 * argument (with_arg: the rest of the word, or the next word, is that). */
static bool cluster_has(const char *w, char c, const char *with_arg)
{
	if (w[0] != '-' || !w[1] || w[1] == '-')
		return false;
	for (const char *p = w + 1; *p; p++) {
		if (*p == c)
			return true;
		if (with_arg && strchr(with_arg, *p))
			return false;
	}
	return false;
}

/* --name, --name=..., or an abbreviation of at least min letters, as
 * getopt_long takes it. */
static bool long_opt(const char *w, const char *name, size_t min)
{
	size_t n;

	if (strncmp(w, "--", 2))
		return false;
	w += 2;
	n = strcspn(w, "=");
	return n >= min && n <= strlen(name) && !strncmp(w, name, n);
}

static bool is_opt(const char *w)
{
	return w[0] == '-' && w[1];
}

/* The options of a wrapper or an interpreter from w[i]: the index of the
 * first operand (after "--"). */
static size_t skip_opts(const sh_word *w, size_t i, size_t n, const char *with_arg,
			const char *const *long_with_arg)
{
	while (i < n) {
		const char *t = w[i].text;

		if (!strcmp(t, "--"))
			return i + 1;
		if (!is_opt(t))
			return i;
		if (t[1] == '-') {
			i += !strchr(t, '=') && long_with_arg && is_in(t + 2, long_with_arg) ? 2 : 1;
			continue;
		}
		i++;
		for (const char *p = t + 1; *p; p++)
			if (strchr(with_arg, *p)) {
				i += !p[1];     /* the argument is the next word */
				break;
			}
	}
	return i < n ? i : n;
}

/* Paths. */

/* A device node that writing to, or replacing, damages: /dev/sda,
 * /dev/nvme0n1, /dev/mapper/x, /dev/mem, /dev/$DISK; not /dev/null,
 * /dev/stderr, terminals or bash's /dev/tcp. */
static bool is_device(const char *path)
{
	static const char *const harmless[] = { "null", "zero", "full", "random", "urandom",
		"stdin", "stdout", "stderr", "tty", "console", "ptmx", "kmsg", NULL };
	static const char *const harmless_dirs[] = { "tty", "pts/", "fd/", "tcp/", "udp/", "shm/",
		"mqueue/", NULL };
	const char *d;

	if (strncmp(path, "/dev/", 5))
		return false;
	d = path + 5;
	if (is_in(d, harmless))
		return false;
	for (const char *const *h = harmless_dirs; *h; h++)
		if (!strncmp(d, *h, strlen(*h)))
			return false;
	return *d != '\0';
}

/* A device file, /dev/null included (mv onto it, rm of it). */
static bool is_devnode(const char *path)
{
	return !strncmp(path, "/dev/", 5) && path[5] && strncmp(path + 5, "shm/", 4) &&
	       strncmp(path + 5, "mqueue/", 7);
}

/* The root or a top system directory: "/", "/usr/", "/etc", "/" + "*". */
static bool is_sysroot(const char *path)
{
	static const char *const roots[] = { "", "/bin", "/boot", "/dev", "/etc", "/home", "/lib",
		"/lib32", "/lib64", "/libx32", "/proc", "/root", "/sbin", "/sys", "/usr", "/usr/bin",
		"/usr/lib", "/usr/sbin", "/var", NULL };
	char p[32];
	size_t n = strlen(path);

	if (!n || path[0] != '/' || n >= sizeof p)
		return false;
	memcpy(p, path, n + 1);
	for (;;) {
		if (n >= 2 && !strcmp(p + n - 2, "/*"))
			n -= 2;
		else if (n >= 2 && !strcmp(p + n - 2, "/."))
			n -= 2;
		else if (n >= 1 && p[n - 1] == '/')
			n--;
		else
			break;
		p[n] = '\0';
	}
	return is_in(p, roots);
}

static bool any_device(const sh_word *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (is_device(a[i].text))
			return true;
	return false;
}

/* Settings that switch a check off, wherever they stand in a command:
 * "key=value", "key: value" and (unless EQ) "key value", any case. */
#define EQ 1
static const struct setting {
	const char *key, *values;       /* values '|'-separated; NULL: the key alone */
	unsigned flags;
	enum risk risk;
} settings[] = {
	{ "verify", "false|0|no|off", EQ, R_AUTH },     /* verify=False, --tls-verify=false */
	{ "sslverify", "false|0|no|off", 0, R_AUTH },   /* git's http.sslVerify, yum's sslverify */
	{ "ssl_verify", "false|0|no|off", 0, R_AUTH },
	{ "ssl-verify", "false|0|no|off", 0, R_AUTH },
	{ "verify_ssl", "false|0|no|off", 0, R_AUTH },
	{ "verify-ssl", "false|0|no|off", 0, R_AUTH },
	{ "strict-ssl", "false|0", 0, R_AUTH },         /* npm, yarn */
	{ "strict_ssl", "false|0", 0, R_AUTH },
	{ "validate_certs", "false|no|0", 0, R_AUTH },
	{ "rejectunauthorized", "false|0", 0, R_AUTH },
	{ "insecureskipverify", "true|1", 0, R_AUTH },
	{ "insecure-skip-tls-verify", "true|1", 0, R_AUTH },
	{ "node_tls_reject_unauthorized", "0", EQ, R_AUTH },
	{ "pythonhttpsverify", "0", EQ, R_AUTH },
	{ "git_ssl_no_verify", "1|true|yes", EQ, R_AUTH },
	{ "stricthostkeychecking", "no|off", 0, R_AUTH },
	{ "permitrootlogin", "yes", 0, R_AUTH },
	{ "permitemptypasswords", "yes", 0, R_AUTH },
	{ "protected-mode", "no", 0, R_AUTH },          /* redis */
	{ "auth", "no", EQ, R_AUTH },
	{ "insecure", "invite|port", EQ, R_AUTH },      /* Asterisk chan_sip */
	{ "skip-grant-tables", NULL, 0, R_AUTH },       /* MySQL */
	{ "skip_grant_tables", NULL, 0, R_AUTH },
	{ "trusted", "yes|true", EQ, R_AUTH },          /* apt's [trusted=yes] */
	{ "allowinsecurerepositories", "true|yes|1", 0, R_AUTH },
	{ "allowunauthenticated", "true|yes|1", 0, R_AUTH },
	{ "trustservercertificate", "true|yes", EQ, R_AUTH },  /* SQL Server */
	{ "gpgcheck", "0|false|no", EQ, R_AUTH },
	{ "selinux", "disabled|permissive|0", EQ, R_MAC },
	{ "enforcing", "0", EQ, R_MAC },                /* kernel command line */
	{ "apparmor", "0", EQ, R_MAC },
};

/* Options that do the same, on any program: --opt, or --opt=true. */
static const char *const off_options[] = {
	"--insecure", "-insecure", "--insecure-skip-tls-verify", "--no-check-certificate",
	"--no-verify-ssl", "--skip-tls-verify", "--tlsallowinvalidcertificates",
	"--tlsallowinvalidhostnames", "--sslallowinvalidcertificates",
	"--sslallowinvalidhostnames", "--trusted-host", "--allow-unauthenticated",
	"--allow-insecure-repositories", "--nogpgcheck", "--no-gpg-checks", "--nosignature",
	"--skip-grant-tables", NULL,
};

static bool word_end(char c)
{
	return !isalnum((unsigned char)c) && c != '_';
}

static bool setting_in(const char *j, const struct setting *s)
{
	size_t kl = strlen(s->key);

	for (const char *p = j; (p = strstr(p, s->key)); p++) {
		const char *q = p + kl;
		bool eq = false;

		if ((p > j && isalnum((unsigned char)p[-1])) || !word_end(*q) || *q == '-')
			continue;
		if (!s->values)
			return true;
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q == '=' || *q == ':') {
			eq = true;
			q++;
			while (*q == ' ' || *q == '\t')
				q++;
		}
		if (!eq && ((s->flags & EQ) || q == p + kl))
			continue;
		if (*q == '"' || *q == '\'')
			q++;
		for (const char *v = s->values; *v;) {
			size_t vl = strcspn(v, "|");

			if (!strncmp(q, v, vl) && word_end(q[vl]))
				return true;
			v += vl + (v[vl] == '|');
		}
	}
	return false;
}

/* "0.0.0.0/0" (or "::/0"): anyone, when it is an access rule and not a
 * route (ip route, WireGuard's AllowedIPs). */
static bool anywhere_in(const char *j)
{
	for (const char *p = j; (p = strstr(p, "0.0.0.0/0")); p++)
		if ((p == j || (!isdigit((unsigned char)p[-1]) && p[-1] != '.')) && !isdigit((unsigned char)p[9]))
			return true;
	for (const char *p = j; (p = strstr(p, "::/0")); p++)
		if ((p == j || (!isxdigit((unsigned char)p[-1]) && p[-1] != ':')) && !isdigit((unsigned char)p[4]))
			return true;
	return false;
}

/* A pg_hba.conf line: "host all all 0.0.0.0/0 md5" (HBA_LINE), or one
 * that lets in without a password, "host all all 0.0.0.0/0 trust"
 * (HBA_TRUST); its address is no risk of its own. */
enum { HBA_NONE, HBA_LINE, HBA_TRUST };

static int hba_line(const char *s)
{
	static const char *const types[] = { "host", "hostssl", "hostnossl", "hostgssenc",
		"hostnogssenc", "local", NULL };
	char first[16];
	const char *last = NULL;
	size_t fields = 0, n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strcspn(s, " \t");
	if (n >= sizeof first)
		return HBA_NONE;
	memcpy(first, s, n);
	first[n] = '\0';
	if (!is_in(first, types))
		return HBA_NONE;
	while (*s) {
		n = strcspn(s, " \t");
		if (n) {
			fields++;
			last = s;
		}
		s += n;
		s += strspn(s, " \t");
	}
	if (fields < 4)
		return HBA_NONE;
	return !strncmp(last, "trust", 5) && word_end(last[5]) ? HBA_TRUST : HBA_LINE;
}

/* The settings, options and access rules of a simple command, in all its
 * words (wrappers and VAR=value too), any case. */
static void scan_settings(struct scan *sc, const sh_word *w, size_t n, size_t prog, bool printer)
{
	size_t len = 1, at = 0, from = (size_t)-1, start = prog;
	int hba = HBA_NONE;
	char *j;

	/* a pg_hba line is the command itself, or what echo prints */
	if (printer)
		for (start = prog + 1; start < n && is_opt(w[start].text); start++)
			;

	for (size_t i = 0; i < n; i++)
		len += strlen(w[i].text) + 1;
	j = xmalloc(len);
	for (size_t i = 0; i < n; i++) {
		const char *t = w[i].text;

		if (i == start)
			from = at;
		for (; *t; t++)
			j[at++] = (char)tolower((unsigned char)*t);
		j[at++] = ' ';
		if (w[i].text[0] == '-' && is_in_ci(w[i].text, off_options))
			add(sc, R_AUTH);
		for (const char *const *o = off_options; w[i].text[0] == '-' && *o; o++) {
			size_t ol = strlen(*o);

			if (!strncasecmp(w[i].text, *o, ol) && w[i].text[ol] == '=' &&
			    is_in_ci(w[i].text + ol + 1, (const char *const[]){ "true", "1", "yes", NULL }))
				add(sc, R_AUTH);
		}
		if (strchr(w[i].text, ' '))
			hba = hba < HBA_LINE ? hba_line(w[i].text) : hba;
	}
	j[at] = '\0';
	for (size_t s = 0; s < sizeof settings / sizeof *settings; s++)
		if (setting_in(j, &settings[s]))
			add(sc, settings[s].risk);
	if (from < at && hba != HBA_TRUST)
		hba = hba_line(j + from);
	if (hba == HBA_TRUST)
		add(sc, R_AUTH);
	if (!hba && anywhere_in(j) && !strstr(j, "allowedips")) {
		char p[16];

		prog_name(prog < n ? w[prog].text : "", p, sizeof p);
		if (!is_in(p, (const char *const[]){ "ip", "route", "wg", "wg-quick", NULL }))
			add(sc, R_PERMS);
	}
	free(j);
}

/* Wrappers that run the rest of their words as a command; the index of
 * the program they run, n when none is.  *list: xargs runs it on a list;
 * *shell: sudo -s or -i with no command runs a shell on its input. */
static size_t skip_wrappers(const sh_word *w, size_t n, bool *list, bool *shell)
{
	static const char *const reserved[] = { "!", "{", "}", "if", "then", "else", "elif", "do",
		"while", "until", "function", NULL };
	size_t i = 0;

	while (i < n) {
		char p[16];

		if (is_assignment(w[i].text) || is_in(w[i].text, reserved)) {
			i++;
			continue;
		}
		prog_name(w[i].text, p, sizeof p);
		if (!strcmp(p, "sudo")) {
			for (size_t k = i + 1; k < n && is_opt(w[k].text) && strcmp(w[k].text, "--"); k++)
				*shell |= cluster_has(w[k].text, 's', "ugpChDrtTU") ||
					  cluster_has(w[k].text, 'i', "ugpChDrtTU") ||
					  !strcmp(w[k].text, "--shell") || !strcmp(w[k].text, "--login");
			i = skip_opts(w, i + 1, n, "ugpChDrtTU", (const char *const[]){ "user", "group",
				"host", "prompt", "close-from", "chdir", "role", "type", "command-timeout",
				"other-user", NULL });
		} else if (!strcmp(p, "doas"))
			i = skip_opts(w, i + 1, n, "uC", NULL);
		else if (!strcmp(p, "env"))
			i = skip_opts(w, i + 1, n, "uCS", (const char *const[]){ "unset", "chdir",
				"split-string", NULL });
		else if (is_in(p, (const char *const[]){ "nohup", "setsid", "builtin", "unbuffer",
				"nocache", NULL }))
			i = skip_opts(w, i + 1, n, "", NULL);
		else if (!strcmp(p, "exec"))
			i = skip_opts(w, i + 1, n, "a", NULL);
		else if (!strcmp(p, "time"))
			i = skip_opts(w, i + 1, n, "fo", (const char *const[]){ "format", "output", NULL });
		else if (!strcmp(p, "nice"))
			i = skip_opts(w, i + 1, n, "n", (const char *const[]){ "adjustment", NULL });
		else if (!strcmp(p, "ionice"))
			i = skip_opts(w, i + 1, n, "cnp", (const char *const[]){ "class", "classdata",
				"pid", NULL });
		else if (!strcmp(p, "stdbuf"))
			i = skip_opts(w, i + 1, n, "ioe", (const char *const[]){ "input", "output",
				"error", NULL });
		else if (!strcmp(p, "timeout"))
			i = skip_opts(w, i + 1, n, "sk", (const char *const[]){ "signal", "kill-after",
				NULL }) + 1;    /* and the duration */
		else if (!strcmp(p, "command")) {
			if (i + 1 < n && (cluster_has(w[i + 1].text, 'v', NULL) ||
					  cluster_has(w[i + 1].text, 'V', NULL)))
				return n;       /* command -v: a lookup */
			i = skip_opts(w, i + 1, n, "", NULL);
		} else if (!strcmp(p, "xargs")) {
			*list = true;
			i = skip_opts(w, i + 1, n, "IEdLnPsa", (const char *const[]){ "arg-file",
				"delimiter", "max-args", "max-procs", "max-chars", "process-slot-var",
				NULL });
		} else {
			break;
		}
	}
	return i < n ? i : n;
}

/* Programs. */

static const char *const downloaders[] = { "curl", "wget", "wget2", "fetch", "http", "https",
	"xh", "lwp-request", "irm", "iwr", "invoke-webrequest", "invoke-restmethod", NULL };

enum interp { I_NONE, I_SHELL, I_PYTHON, I_PERL, I_RUBY, I_NODE, I_PHP, I_PWSH, I_IEX };

/* name, or name followed by a version: python3, python3.12, perl5.36 */
static bool versioned(const char *p, const char *name)
{
	size_t n = strlen(name);

	return !strncmp(p, name, n) && strspn(p + n, "0123456789.") == strlen(p + n);
}

static enum interp interp_of(const char *p)
{
	if (is_in(p, (const char *const[]){ "sh", "bash", "zsh", "dash", "ksh", "mksh", "ash",
			"fish", "csh", "tcsh", "yash", NULL }))
		return I_SHELL;
	if (versioned(p, "python") || versioned(p, "pypy"))
		return I_PYTHON;
	if (versioned(p, "perl"))
		return I_PERL;
	if (versioned(p, "ruby"))
		return I_RUBY;
	if (is_in(p, (const char *const[]){ "node", "nodejs", "bun", "deno", NULL }))
		return I_NODE;
	if (versioned(p, "php"))
		return I_PHP;
	if (is_in(p, (const char *const[]){ "pwsh", "powershell", NULL }))
		return I_PWSH;
	if (is_in(p, (const char *const[]){ "iex", "invoke-expression", NULL }))
		return I_IEX;
	return I_NONE;
}

/* Where an interpreter's program comes from: the word holding it (-c's
 * argument, a script's name), or its standard input. */
static void interp_code(enum interp k, const sh_word *a, size_t n, size_t *code, bool *stdin_code,
			bool *shell_c)
{
	size_t i = 0;

	*code = n;
	*stdin_code = false;
	*shell_c = false;
	if (k == I_IEX) {
		*code = n ? 0 : n;
		*stdin_code = !n;
		return;
	}
	if (k == I_SHELL) {
		bool c = false, s = false;

		while (i < n && (is_opt(a[i].text) || a[i].text[0] == '+') && strcmp(a[i].text, "-")) {
			const char *t = a[i].text;

			if (!strcmp(t, "--")) {
				i++;
				break;
			}
			i++;
			if (t[1] == '-') {
				i += !strcmp(t, "--rcfile") || !strcmp(t, "--init-file");
				continue;
			}
			c |= cluster_has(t, 'c', "oO") || (t[0] == '+' && strchr(t, 'c'));
			s |= cluster_has(t, 's', "oO");
			if (strpbrk(t + 1, "oO") && !strpbrk(t + 1, "c"))
				i++;            /* -o option */
		}
		if (c) {
			*code = i < n ? i : n;
			*shell_c = true;
		} else if (i >= n || s || !strcmp(a[i].text, "-")) {
			*stdin_code = true;
		} else {
			*code = i;
		}
		return;
	}
	while (i < n) {
		const char *t = a[i].text;
		/* options whose argument is code, options with another argument */
		const char *inline_code = k == I_PYTHON ? "c" : k == I_PHP ? "r" : k == I_NODE ? "ep" :
					  k == I_PERL ? "eE" : k == I_RUBY ? "e" : "";
		const char *with_arg = k == I_PYTHON ? "WXQ" : k == I_RUBY ? "IrEC" :
				       k == I_NODE ? "r" : k == I_PHP ? "dcz" : "";

		if (!strcmp(t, "-")) {
			*stdin_code = true;
			return;
		}
		if (!strcmp(t, "--")) {
			i++;
			break;
		}
		if (!is_opt(t))
			break;
		if (k == I_PWSH) {
			if (!strncasecmp(t, "-c", 2) && !strncasecmp("-command", t, strlen(t))) {
				*stdin_code = i + 1 >= n || !strcmp(a[i + 1].text, "-");
				*code = i + 1 < n ? i + 1 : n;
				return;
			}
			if (!strncasecmp(t, "-f", 2) && !strncasecmp("-file", t, strlen(t))) {
				*code = i + 1 < n ? i + 1 : n;
				return;
			}
			i++;
			continue;
		}
		if (t[1] == '-') {
			if (k == I_NODE && (long_opt(t, "eval", 4) || long_opt(t, "print", 5))) {
				*code = strchr(t, '=') ? i : i + 1 < n ? i + 1 : n;
				return;
			}
			i += k == I_NODE && !strchr(t, '=') && long_opt(t, "require", 7) ? 2 : 1;
			continue;
		}
		for (const char *p = t + 1; *p; p++) {
			if (strchr(inline_code, *p)) {
				*code = p[1] ? i : i + 1 < n ? i + 1 : n;
				return;
			}
			if (k == I_PYTHON && *p == 'm')
				return;                 /* python -m module */
			if (k == I_PHP && *p == 'f') {
				*code = p[1] ? i : i + 1 < n ? i + 1 : n;
				return;
			}
			if (strchr(with_arg, *p)) {
				i += !p[1];
				break;
			}
		}
		i++;
	}
	if (i >= n)
		*stdin_code = true;
	else
		*code = i;
}

static bool classify(struct scan *sc, const sh_word *w, size_t n, const struct how *how);

/* The programs judged here (or running others: sudo, xargs...). */
static bool has_rule(const char *p)
{
	static const char *const names[] = { "rm", "rmdir", "rd", "del", "erase", "remove-item",
		"ri", "find", "git", "chmod", "chown", "chgrp", "setenforce", "aa-teardown", "kill",
		"killall5", "dd", "mke2fs", "mkdosfs", "mkntfs", "mkexfatfs", "mkswap", "shred",
		"blkdiscard", "wipefs", "fdisk", "gdisk", "cfdisk", "sfdisk", "sgdisk", "parted", "tee",
		"cp", "mv", "iptables", "ip6tables", "iptables-legacy", "ip6tables-legacy",
		"iptables-nft", "ip6tables-nft", "ebtables", "arptables", "nft", "ufw", "systemctl",
		"service", "chkconfig", "firewall-cmd", "netsh", "set-netfirewallprofile", "source",
		".", "eval", "su", "ssh", NULL };

	return is_in(p, names) || is_in(p, downloaders) || is_in(p, wrappers) ||
	       !strncmp(p, "mkfs", 4) || interp_of(p) != I_NONE;
}

/* A program with no rule here may run a command given in its words
 * (docker exec c rm -rf /data, aws s3 rm --recursive, watch, chroot), or
 * be the first word of a sentence ("Then run rm -rf build/"): each of the
 * first few of its words that names a judged program starts a command. */
static bool inner_commands(struct scan *sc, const sh_word *a, size_t n, const struct how *how)
{
	struct how h = *how;
	bool marked = false;
	int tries = 0;

	h.inner = true;
	for (size_t i = 0; i < n && tries < 8; i++) {
		char p[32];

		prog_name(a[i].text, p, sizeof p);
		if (!*p || !has_rule(p) || is_opt(a[i].text))
			continue;
		tries++;
		marked |= classify(sc, a + i, n - i, &h);
	}
	return marked;
}

static void rule_rm(struct scan *sc, const sh_word *a, size_t n, const struct how *how)
{
	bool rec = how->via_list, opts = true;

	for (size_t i = 0; i < n; i++) {
		const char *t = a[i].text;

		if (opts && !strcmp(t, "--")) {
			opts = false;
		} else if (opts && is_opt(t)) {
			rec |= cluster_has(t, 'r', NULL) || cluster_has(t, 'R', NULL) ||
			       long_opt(t, "recursive", 1);
		} else if (is_devnode(t)) {
			add(sc, R_DEVFILE);
		}
	}
	if (rec)
		add(sc, R_DELETE);
}

/* Whether a chmod mode leaves files writable by everyone (777, 0666,
 * o+w, a+rwx, ugo=rwx); the sticky bit (1777, /tmp's) is the exception. */
static bool world_writable(const char *mode)
{
	bool wide = false, sticky = false;

	if (*mode && strspn(mode, "01234567") == strlen(mode)) {
		unsigned long v = strlen(mode) <= 6 ? strtoul(mode, NULL, 8) : 0;

		return (v & 02) && !(v & 01000);
	}
	for (const char *c = mode; *c;) {
		bool others = false;

		for (; *c && strchr("ugoa", *c); c++)
			others |= *c == 'o' || *c == 'a';
		while (*c && strchr("+-=", *c)) {
			char op = *c++;

			for (; *c && strchr("rwxXstugo", *c); c++) {
				wide |= others && op != '-' && *c == 'w';
				sticky |= op != '-' && *c == 't';
			}
		}
		if (*c && *c != ',')
			return false;           /* not a mode */
		c += *c == ',';
	}
	return wide && !sticky;
}

static void rule_chmod(struct scan *sc, const char *prog, const sh_word *a, size_t n)
{
	bool chmod = !strcmp(prog, "chmod"), rec = false, ref = false, opts = true, sys = false;
	const char *mode = NULL;
	size_t operands = 0;

	for (size_t i = 0; i < n; i++) {
		const char *t = a[i].text;

		if (opts && !strcmp(t, "--")) {
			opts = false;
			continue;
		}
		if (opts && !strncmp(t, "--", 2)) {
			rec |= long_opt(t, "recursive", 3);
			ref |= long_opt(t, "reference", 3);
			continue;
		}
		if (opts && t[0] == '-' && t[1] &&
		    strspn(t + 1, chmod ? "cfvR" : "cfvRhHLP") == strlen(t + 1)) {
			rec |= strchr(t, 'R') != NULL;
			continue;
		}
		if (operands++ == 0 && !ref) {
			mode = t;               /* chmod's mode, chown's owner */
			continue;
		}
		sys |= is_sysroot(t);
	}
	if (chmod && mode && world_writable(mode))
		add(sc, R_PERMS);
	if (rec && sys)
		add(sc, R_SYSOWN);
}

static void rule_find(struct scan *sc, const sh_word *a, size_t n, const struct how *how)
{
	for (size_t i = 0; i < n; i++) {
		const char *t = a[i].text;

		if (!strcmp(t, "-delete")) {
			add(sc, R_DELETE);
		} else if (is_in(t, (const char *const[]){ "-exec", "-execdir", "-ok", "-okdir", NULL })) {
			size_t e = i + 1;
			struct how sub = { .via_list = true, .level = how->level + 1 };

			while (e < n && strcmp(a[e].text, ";") && strcmp(a[e].text, "+"))
				e++;
			if (sub.level <= MAX_NEST)
				classify(sc, a + i + 1, e - i - 1, &sub);
			i = e;
		}
	}
}

static bool is_main(const char *ref)
{
	if (!strncmp(ref, "refs/heads/", 11))
		ref += 11;
	return !strcmp(ref, "main") || !strcmp(ref, "master");
}

static void rule_git(struct scan *sc, const sh_word *a, size_t n)
{
	size_t i = skip_opts(a, 0, n, "Cc", (const char *const[]){ "git-dir", "work-tree",
		"namespace", "config-env", "super-prefix", NULL });
	bool force = false, del = false, dry = false, opts = true;
	size_t operands = 0;

	if (i >= n)
		return;
	if (!strcmp(a[i].text, "push")) {
		for (size_t k = i + 1; k < n; k++) {
			const char *t = a[k].text, *r, *colon;
			bool plus;

			if (opts && !strcmp(t, "--")) {
				opts = false;
				continue;
			}
			if (opts && is_opt(t)) {
				force |= !strcmp(t, "--force") || cluster_has(t, 'f', "o");
				del |= !strcmp(t, "--delete") || cluster_has(t, 'd', "o");
				k += !strcmp(t, "-o") || !strcmp(t, "--push-option") || !strcmp(t, "--repo");
				continue;
			}
			if (operands++ == 0)
				continue;               /* the remote */
			plus = t[0] == '+';
			r = t + plus;
			colon = strrchr(r, ':');
			if (is_main(colon ? colon + 1 : r) && (force || plus || del || colon == r))
				add(sc, R_PUSH);
		}
	} else if (!strcmp(a[i].text, "clean")) {
		for (size_t k = i + 1; k < n; k++) {
			const char *t = a[k].text;

			force |= !strcmp(t, "--force") || cluster_has(t, 'f', "e");
			dry |= !strcmp(t, "--dry-run") || cluster_has(t, 'n', "e");
		}
		if (force && !dry)
			add(sc, R_DELETE);
	}
}

/* Disks: dd of=, mkfs, partitioners, and the like writing a device. */
static void rule_disk(struct scan *sc, const char *p, const sh_word *a, size_t n)
{
	bool ro = false, erase = false;

	if (!strcmp(p, "dd")) {
		for (size_t i = 0; i < n; i++)
			if (!strncmp(a[i].text, "of=", 3) && is_device(a[i].text + 3))
				add(sc, R_DISK);
	} else if (!strncmp(p, "mkfs", 4) || is_in(p, (const char *const[]){ "mke2fs", "mkdosfs",
			"mkntfs", "mkexfatfs", NULL })) {
		/* any file system made anew: on a device almost always;
		 * mke2fs -n, mkfs.xfs -N only show what they would do */
		bool dry = false, target = false;

		for (size_t i = 0; i < n; i++) {
			dry |= !strcmp(a[i].text, strstr(p, "xfs") ? "-N" : "-n");
			target |= !is_opt(a[i].text);
		}
		if (target && !dry)
			add(sc, R_DISK);
	} else if (is_in(p, (const char *const[]){ "mkswap", "shred", "blkdiscard", NULL })) {
		if (any_device(a, n))
			add(sc, R_DISK);
	} else if (!strcmp(p, "wipefs")) {
		for (size_t i = 0; i < n; i++) {
			const char *t = a[i].text;

			erase |= cluster_has(t, 'a', "otO") || cluster_has(t, 'o', "tO") ||
				 long_opt(t, "all", 3) || long_opt(t, "offset", 3);
			ro |= cluster_has(t, 'n', "otO") || long_opt(t, "no-act", 3);
		}
		if (erase && !ro && any_device(a, n))
			add(sc, R_DISK);
	} else if (is_in(p, (const char *const[]){ "fdisk", "gdisk", "cfdisk", "sfdisk", "sgdisk",
			NULL })) {
		static const char *const readonly[] = { "-l", "--list", "-s", "--show-size", "-d",
			"--dump", "-J", "--json", "-g", "--show-geometry", "-V", "--verify",
			"--version", "-F", "--list-free", "-p", "--print", "-i", "--info", "-v", "-O",
			"--print-mbr", "-L", "--list-types", "-h", "--help", "-b", "--backup", NULL };

		for (size_t i = 0; i < n; i++) {
			const char *t = a[i].text;

			if (is_in(t, readonly) || (strcmp(p, "sgdisk") && cluster_has(t, 'l', NULL)))
				ro = true;
			else if (!strcmp(p, "sgdisk") && is_opt(t))
				erase = true;
		}
		if (any_device(a, n) && (!strcmp(p, "sgdisk") ? erase : !ro))
			add(sc, R_DISK);
	} else if (!strcmp(p, "parted")) {
		for (size_t i = 0; i < n; i++) {
			char first[16];
			size_t l = strcspn(a[i].text, " \t");

			if (l >= sizeof first)
				continue;
			for (size_t k = 0; k < l; k++)
				first[k] = (char)tolower((unsigned char)a[i].text[k]);
			first[l] = '\0';
			if (is_in(first, (const char *const[]){ "mklabel", "mktable", "mkpart", "mkpartfs",
					"rm", "resizepart", "resize", "mkfs", NULL }))
				add(sc, R_DISK);
		}
	} else if (!strcmp(p, "tee")) {
		if (any_device(a, n))
			add(sc, R_DISK);
	} else if (!strcmp(p, "cp")) {
		/* its target: -t's, or the last operand (cp /dev/sda disk.img reads) */
		const char *target = NULL, *last = NULL;
		bool opts = true;

		for (size_t i = 0; i < n; i++) {
			const char *t = a[i].text;

			if (opts && !strcmp(t, "--"))
				opts = false;
			else if (opts && (!strcmp(t, "-t") || !strcmp(t, "--target-directory")) && i + 1 < n)
				target = a[++i].text;
			else if (opts && !strncmp(t, "--target-directory=", 19))
				target = t + 19;
			else if (!opts || !is_opt(t))
				last = t;
		}
		if (is_device(target ? target : last ? last : ""))
			add(sc, R_DISK);
	} else if (!strcmp(p, "mv")) {
		for (size_t i = 0; i < n; i++)
			if (is_devnode(a[i].text))
				add(sc, R_DEVFILE);
	}
}

static bool word_ci(const sh_word *a, size_t n, size_t i, const char *s)
{
	return i < n && !strcasecmp(a[i].text, s);
}

/* The operands of a command whose options are all flags (or --x=y). */
static size_t operands(const sh_word *a, size_t n, const char **out, size_t max)
{
	size_t k = 0;

	for (size_t i = 0; i < n && k < max; i++)
		if (!is_opt(a[i].text))
			out[k++] = a[i].text;
	return k;
}

static bool unit_is(const char *unit, const char *const *names)
{
	char u[64];
	size_t l = strlen(unit);

	if (l >= sizeof u)
		return false;
	memcpy(u, unit, l + 1);
	if (l > 8 && !strcmp(u + l - 8, ".service"))
		u[l - 8] = '\0';
	return is_in(u, names);
}

static const char *const firewalls[] = { "firewalld", "ufw", "nftables", "iptables", "ip6tables",
	"netfilter-persistent", "shorewall", "csf", NULL };

static void rule_firewall(struct scan *sc, const char *p, const sh_word *a, size_t n)
{
	const char *op[4];
	size_t nop;

	if (is_in(p, (const char *const[]){ "iptables", "ip6tables", "iptables-legacy",
			"ip6tables-legacy", "iptables-nft", "ip6tables-nft", "ebtables", "arptables",
			NULL })) {
		for (size_t i = 0; i < n; i++) {
			const char *t = a[i].text;

			if (long_opt(t, "flush", 3) || cluster_has(t, 'F', "tAIDRNXPEpsdjgiomw"))
				add(sc, R_FIREWALL);
			if ((!strcmp(t, "-P") || long_opt(t, "policy", 3)) && i + 2 < n &&
			    !strcasecmp(a[i + 2].text, "ACCEPT"))
				add(sc, R_FIREWALL);
		}
	} else if (!strcmp(p, "nft")) {
		for (size_t i = 0; i + 1 < n; i++)
			if ((word_ci(a, n, i, "flush") && (word_ci(a, n, i + 1, "ruleset") ||
				word_ci(a, n, i + 1, "table") || word_ci(a, n, i + 1, "chain"))) ||
			    (word_ci(a, n, i, "delete") && word_ci(a, n, i + 1, "table")))
				add(sc, R_FIREWALL);
		for (size_t i = 0; i < n; i++)
			if (!strncasecmp(a[i].text, "flush ruleset", 13))
				add(sc, R_FIREWALL);
	} else if (!strcmp(p, "ufw")) {
		bool dry = false;

		for (size_t i = 0; i < n; i++)
			dry |= !strcmp(a[i].text, "--dry-run");
		nop = operands(a, n, op, 3);
		if (!dry && nop && (!strcasecmp(op[0], "disable") || !strcasecmp(op[0], "reset")))
			add(sc, R_FIREWALL);
		if (!dry && nop >= 2 && !strcasecmp(op[0], "default") && !strcasecmp(op[1], "allow") &&
		    (nop == 2 || !strcasecmp(op[2], "incoming") || !strcasecmp(op[2], "routed")))
			add(sc, R_FIREWALL);
	} else if (!strcmp(p, "systemctl") || !strcmp(p, "service") || !strcmp(p, "chkconfig")) {
		const char *units[64];
		size_t k = 0;
		bool off;

		for (size_t i = 0; i < n && k < 64; i++) {
			const char *t = a[i].text;

			if (is_opt(t)) {
				i += strlen(t) == 2 && strchr("HMtpnos", t[1]) != NULL;
				continue;
			}
			units[k++] = t;
		}
		for (size_t i = 0; i < k; i++) {
			/* systemctl VERB UNIT..., service UNIT VERB, chkconfig UNIT off */
			if (!strcmp(p, "systemctl"))
				off = i > 0 && is_in(units[0], (const char *const[]){ "stop", "disable",
					"mask", "kill", NULL });
			else
				off = i == 0 && k > 1 && is_in(units[1], (const char *const[]){ "stop", "off",
					"disable", "teardown", NULL });
			if (off && unit_is(units[i], firewalls))
				add(sc, R_FIREWALL);
			if (off && unit_is(units[i], (const char *const[]){ "apparmor", NULL }))
				add(sc, R_MAC);
		}
	} else if (!strcmp(p, "firewall-cmd")) {
		for (size_t i = 0; i < n; i++)
			if (!strcasecmp(a[i].text, "--set-default-zone=trusted") ||
			    (!strcmp(a[i].text, "--set-default-zone") && word_ci(a, n, i + 1, "trusted")))
				add(sc, R_FIREWALL);
	} else if (!strcmp(p, "netsh")) {
		bool fw = false;

		for (size_t i = 0; i < n; i++) {
			fw |= !strcasecmp(a[i].text, "advfirewall") || !strcasecmp(a[i].text, "firewall");
			if (fw && ((word_ci(a, n, i, "state") && word_ci(a, n, i + 1, "off")) ||
				   (word_ci(a, n, i, "opmode") && word_ci(a, n, i + 1, "disable")) ||
				   !strcasecmp(a[i].text, "mode=disable")))
				add(sc, R_FIREWALL);
		}
	} else if (!strcmp(p, "set-netfirewallprofile")) {
		for (size_t i = 0; i < n; i++) {
			const char *t = a[i].text, *v;

			if (strncasecmp(t, "-enabled", 8) || (t[8] && t[8] != ':'))
				continue;
			v = t[8] ? t + 9 : i + 1 < n ? a[i + 1].text : "";
			if (is_in_ci(v, (const char *const[]){ "false", "$false", "0", NULL }))
				add(sc, R_FIREWALL);
		}
	}
}

static void rule_kill(struct scan *sc, const char *p, const sh_word *a, size_t n)
{
	size_t i = 0;

	if (!strcmp(p, "killall5")) {
		add(sc, R_KILLALL);
		return;
	}
	/* kill [-s SIG | -n NUM | -SIG] [--] PID...: a pid of -1 is every process */
	if (i < n && (!strcmp(a[i].text, "-s") || !strcmp(a[i].text, "-n") ||
		      !strcmp(a[i].text, "--signal")))
		i += 2;
	else if (i < n && is_opt(a[i].text) && strcmp(a[i].text, "--"))
		i++;
	if (i < n && !strcmp(a[i].text, "--"))
		i++;
	for (; i < n; i++)
		if (!strcmp(a[i].text, "-1"))
			add(sc, R_KILLALL);
}

/* The words from i as one command line, for sh -c, eval and ssh. */
static void nested(struct scan *sc, const sh_word *a, size_t from, size_t n)
{
	size_t len = 1;
	char *line;

	if (from >= n)
		return;
	for (size_t i = from; i < n; i++)
		len += strlen(a[i].text) + 1;
	line = xmalloc(len);
	len = 0;
	for (size_t i = from; i < n; i++) {
		size_t l = strlen(a[i].text);

		memcpy(line + len, a[i].text, l);
		len += l;
		line[len++] = ' ';
	}
	line[--len] = '\0';
	sc->risks |= risks_of(line, len, sc->nest + 1);
	free(line);
}

static void rule_run(struct scan *sc, const char *p, const sh_word *a, size_t n, const struct how *how)
{
	enum interp k = interp_of(p);

	if (k != I_NONE) {
		size_t code;
		bool from_stdin, shell_c;

		interp_code(k, a, n, &code, &from_stdin, &shell_c);
		if (code < n && !shell_c && is_in(a[code].text, (const char *const[]){ "/dev/stdin",
				"/dev/fd/0", "/proc/self/fd/0", NULL }))
			from_stdin = true;      /* bash /dev/stdin --version 8 */
		if ((from_stdin && how->stdin_marked) || (code < n && a[code].marked))
			add(sc, R_PIPE);
		if (shell_c && code < n)
			nested(sc, a, code, code + 1);
		if (k == I_IEX)
			sc->ps_eval = true;
	} else if (!strcmp(p, "source") || !strcmp(p, ".")) {
		if (n && (a[0].marked || (how->stdin_marked && !strcmp(a[0].text, "/dev/stdin"))))
			add(sc, R_PIPE);
	} else if (!strcmp(p, "eval")) {
		for (size_t i = 0; i < n; i++)
			if (a[i].marked)
				add(sc, R_PIPE);
		nested(sc, a, 0, n);
	} else if (!strcmp(p, "su")) {
		for (size_t i = 0; i < n; i++)
			if ((!strcmp(a[i].text, "-c") || !strcmp(a[i].text, "--command")) && i + 1 < n)
				nested(sc, a, i + 1, i + 2);
			else if (!strncmp(a[i].text, "--command=", 10))
				sc->risks |= risks_of(a[i].text + 10, strlen(a[i].text + 10), sc->nest + 1);
	} else if (!strcmp(p, "ssh")) {
		size_t i = skip_opts(a, 0, n, "BbcDEeFIiJLlmOopQRSWw", NULL);

		nested(sc, a, i + 1, n);        /* after the destination: a remote command */
	}
}

/* Judges one simple command (or find -exec's, xargs's); true when its
 * output is a download. */
static bool classify(struct scan *sc, const sh_word *w, size_t n, const struct how *how)
{
	bool list = false, shell = false, marked = false;
	size_t i = skip_wrappers(w, n, &list, &shell);
	const sh_word *a;
	size_t na;
	char p[64];
	struct how h = *how;

	for (size_t k = 0; k < n; k++) {
		marked |= w[k].marked;
		if (strcasestr(w[k].text, "downloadstring"))
			sc->ps_download = true;
	}
	if (i >= n) {
		if (shell && how->stdin_marked)
			add(sc, R_PIPE);        /* curl ... | sudo -s */
		return marked;
	}
	a = w + i + 1;
	na = n - i - 1;
	h.via_list |= list;
	prog_name(w[i].text, p, sizeof p);
	if (is_in(p, downloaders)) {
		marked = true;
		if (!strncmp(p, "i", 1))
			sc->ps_download = true;         /* irm, iwr, Invoke-... */
	}
	if (h.via_list && is_in(p, (const char *const[]){ "rm", "unlink", "shred", "del", NULL }))
		add(sc, R_DELETE);
	if (!strcmp(p, "rm")) {
		rule_rm(sc, a, na, &h);
	} else if (!strcmp(p, "rmdir") || !strcmp(p, "rd") || !strcmp(p, "del") || !strcmp(p, "erase")) {
		for (size_t k = 0; k < na; k++)
			if (!strcasecmp(a[k].text, "/s"))
				add(sc, R_DELETE);
	} else if (!strcmp(p, "remove-item") || !strcmp(p, "ri")) {
		for (size_t k = 0; k < na; k++)
			if (strlen(a[k].text) >= 2 && !strncasecmp("-recurse", a[k].text, strlen(a[k].text)))
				add(sc, R_DELETE);
	} else if (!strcmp(p, "find")) {
		rule_find(sc, a, na, &h);
	} else if (!strcmp(p, "git")) {
		rule_git(sc, a, na);
	} else if (!strcmp(p, "chmod") || !strcmp(p, "chown") || !strcmp(p, "chgrp")) {
		rule_chmod(sc, p, a, na);
	} else if (!strcmp(p, "curl")) {
		for (size_t k = 0; k < na && strcmp(a[k].text, "--"); k++)
			if (cluster_has(a[k].text, 'k', "AbcCdDeEFHKmoPQrtTuUwxXyYz"))
				add(sc, R_AUTH);
	} else if (!strcmp(p, "setenforce")) {
		const char *op[1];

		if (operands(a, na, op, 1) && (!strcmp(op[0], "0") || !strcasecmp(op[0], "permissive")))
			add(sc, R_MAC);
	} else if (!strcmp(p, "aa-teardown")) {
		add(sc, R_MAC);
	} else if (!strcmp(p, "kill") || !strcmp(p, "killall5")) {
		rule_kill(sc, p, a, na);
	} else if (has_rule(p)) {
		rule_disk(sc, p, a, na);
		rule_firewall(sc, p, a, na);
		rule_run(sc, p, a, na, &h);
	} else if (!h.inner && !is_in(p, printers) && !is_in(p, searchers)) {
		marked |= inner_commands(sc, a, na, &h);
	}
	return marked;
}

/* ":(){ :|:& };:": a function that pipes itself into itself, in the
 * background. */
static void fork_bomb(struct scan *sc, const sh_cmd *c)
{
	const char *name = c->words[0].text;
	size_t nl = strlen(name), k = c->end, o = 0;
	char body[256], pat[140];

	if (!nl || nl > 64)
		return;
	while (k < sc->len && (sc->text[k] == ' ' || sc->text[k] == '\t'))
		k++;
	if (k >= sc->len || (sc->text[k] != '{' && sc->text[k] != '('))
		return;
	for (k++; k < sc->len && o + 1 < sizeof body && sc->text[k] != '}'; k++)
		if (!isspace((unsigned char)sc->text[k]))
			body[o++] = sc->text[k];
	body[o] = '\0';
	snprintf(pat, sizeof pat, "%s|%s&", name, name);
	for (const char *p = body; (p = strstr(p, pat)); p++)
		if (p[strlen(pat)] != '&')
			add(sc, R_FORK);
}

static bool on_cmd(const sh_cmd *c, void *v)
{
	struct scan *sc = v;
	struct how how = { .stdin_marked = c->stdin_marked, .piped_out = c->piped_out };
	bool list = false, shell = false;
	size_t prog;
	char p[16];

	for (size_t i = 0; i < c->nredirs; i++) {
		const sh_redir *r = &c->redirs[i];
		bool fd = r->op == SH_DUP && strspn(r->target.text, "0123456789-") == strlen(r->target.text);

		if ((r->op == SH_OUT || r->op == SH_APPEND || r->op == SH_RW || r->op == SH_DUP) && !fd) {
			how.out_redirected = true;
			if (is_device(r->target.text))
				add(sc, R_DISK);
		}
		if ((r->op == SH_IN || r->op == SH_HERESTR || r->op == SH_RW) && r->target.marked)
			how.stdin_marked = true;
	}
	if (c->funcdef) {
		fork_bomb(sc, c);
		return false;
	}
	prog = skip_wrappers(c->words, c->nwords, &list, &shell);
	prog_name(prog < c->nwords ? c->words[prog].text : "", p, sizeof p);
	/* echo rm -rf only prints; echo ... >> file writes settings */
	if (is_in(p, printers) && !how.piped_out && !how.out_redirected)
		return false;
	if (!is_in(p, searchers))
		scan_settings(sc, c->words, c->nwords, prog, is_in(p, printers));
	return classify(sc, c->words, c->nwords, &how);
}

static unsigned risks_of(const char *s, size_t n, int nest)
{
	struct scan sc = { .nest = nest, .text = s, .len = n };
	const char *a, *b;

	if (nest > MAX_NEST)
		return 0;
	sh_parse(s, n, SH_COMMENTS, on_cmd, &sc);
	if (sc.ps_eval && sc.ps_download)
		add(&sc, R_PIPE);
	/* KB text marks code with backquotes wherever they stand: behind a '#'
	 * or an apostrophe the shell would not read it, a reader would. */
	for (a = memchr(s, '`', n); a && (b = memchr(a + 1, '`', n - (size_t)(a + 1 - s)));
	     a = memchr(b + 1, '`', n - (size_t)(b + 1 - s)))
		sc.risks |= risks_of(a + 1, (size_t)(b - a - 1), nest + 1);
	return sc.risks;
}

size_t cmdwords_program(const sh_word *w, size_t n)
{
	bool list = false, shell = false;

	return skip_wrappers(w, n, &list, &shell);
}

void cmdwords_prog_name(const char *w, char *out, size_t size)
{
	prog_name(w, out, size);
}

bool cmdwords_is_assignment(const char *w)
{
	return is_assignment(w);
}

const char *commands_risk(const char *cmd)
{
	unsigned r = risks_of(cmd, strlen(cmd), 0);

	for (int i = 0; i < R_N; i++)
		if (r & 1u << i)
			return _(reasons[i]);
	return NULL;
}

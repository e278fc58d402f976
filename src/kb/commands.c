#include <config.h>
#include "cmdwords.h"
#include "commands.h"
#include "shwords.h"
#include "textscan.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/utf8.h>

/* Programs whose name first in a span makes it a command. */
static const char *const programs[] = {
	"sudo", "systemctl", "service", "journalctl", "apt", "apt-get", "apt-cache", "dpkg",
	"yum", "dnf", "rpm", "snap", "pip", "pip3", "pipx", "python", "python3", "npm", "npx",
	"yarn", "pnpm", "node", "docker", "podman", "kubectl", "helm", "minikube", "kind", "git",
	"curl", "wget", "ssh", "ssh-keygen", "ssh-keyscan", "ssh-add", "ssh-copy-id", "scp",
	"openssl", "certbot", "nginx", "apachectl", "apache2ctl", "a2enmod", "a2ensite", "httpd",
	"chmod", "chown", "chgrp", "mkdir", "rm", "cp", "mv", "ln", "cat", "echo", "export",
	"ulimit", "sysctl", "mount", "umount", "fsck", "e2fsck", "df", "du", "free", "kill",
	"pkill", "killall", "ps", "ls", "lsof", "find", "grep", "sed", "awk", "tar", "make",
	"cmake", "gcc", "g++", "cc", "clang", "ld", "ldconfig", "ldd", "pkg-config", "autoreconf",
	"./configure", "go", "cargo", "rustup", "rustc", "java", "javac", "mvn", "gradle", "psql",
	"pg_ctl", "pg_ctlcluster", "mysql", "mysqladmin", "mysqld", "redis-cli", "sqlite3",
	"mongosh", "aws", "gcloud", "az", "terraform", "nvidia-smi", "nvcc", "modprobe", "lsmod",
	"update-ca-certificates", "update-alternatives", "dig", "nslookup", "host", "resolvectl",
	"ip", "iptables", "ip6tables", "nft", "ufw", "firewall-cmd", "ss", "netstat", "ping",
	"traceroute", "tcpdump", "asterisk", "fs_cli", "sip", "pjsip", "dialplan", "module", "kamailio", "kamctl", "postfix", "postconf",
	"postqueue", "kinit", "klist", "kdestroy", "ldapsearch", "ldapwhoami", "useradd",
	"usermod", "groupadd", "passwd", "visudo", "crontab", "timedatectl", "hostnamectl",
	"chronyc", "ntpdate", "swapon", "swapoff", "mkswap", "dd", "xfs_repair", "resize2fs",
	"lvextend", "growpart", "env", "export", "source", "setfacl", "getfacl", "chcon",
	"restorecon", "semanage", "setenforce", "getenforce", "tee", "touch", "head", "tail",
	"less", "uname", "which", "whereis", "unset", "alias", "cd", "pwd", "bash", "sh", "zsh",
	"ulimit", "nproc", "top", "htop", "vmstat", "iostat", "strace", "gdb", "valgrind",
	"conda", "virtualenv", "venv", "poetry", "pytest", "php", "php-fpm", "composer", "gem",
	"bundle", "ruby", "rails", "dotnet", "brew", "port", "xcode-select", "defaults",
	"launchctl", "sc", "net", "powershell", "wsl", "code", "vim", "nano", "hash", "exec",
	"eval", "unzip", "zip", "gzip", "xz", "rsync", "sftp", "nc", "socat", "openvpn", "wg",
	"nmcli", "networkctl", "dhclient", "ethtool", "tc", "sshd", "named-checkconf",
	"named-checkzone", "rndc", "unbound-control", "haproxy", "varnishadm", "etcdctl",
	"crictl", "ctr", "nerdctl", "skopeo", "buildah", "oc", "eksctl", "kubeadm", "kubelet",
	"k9s", "flux", "argocd", "vault", "consul", "nomad", "ansible", "ansible-playbook",
	NULL,
};

/* Console commands of other programs (Asterisk's "sip reload", "module
 * reload res_pjsip.so"): found in text as commands are, but no shell runs
 * them. */
static const char *const consoles[] = { "sip", "pjsip", "dialplan", "module", NULL };

static bool is_in_list(const char *w, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(w, *list))
			return true;
	return false;
}

static bool is_program(const char *word, size_t n)
{
	for (const char *const *p = programs; *p; p++)
		if (strlen(*p) == n && !strncmp(*p, word, n))
			return true;
	return false;
}

/* A known program first (after "$ " or "# " prompts and VAR=value
 * settings), or shell syntax. */
static bool looks_like_command(const char *s, size_t n)
{
	size_t i = 0, w;

	while (i < n && isspace((unsigned char)s[i]))
		i++;
	if (i + 1 < n && (s[i] == '$' || s[i] == '#') && s[i + 1] == ' ')
		i += 2;
	for (;;) {
		w = i;
		while (w < n && !isspace((unsigned char)s[w]))
			w++;
		/* FOO=bar before the program */
		if (memchr(s + i, '=', w - i) && w < n && isupper((unsigned char)s[i])) {
			i = w + 1;
			continue;
		}
		break;
	}
	if (w > i && is_program(s + i, w - i))
		return w < n || w - i > 2;      /* "rm" alone is a word, not a command */
	return (memmem(s, n, " | ", 3) || memmem(s, n, " && ", 4) || memmem(s, n, " --", 3)) &&
	       w > i && isalpha((unsigned char)s[i]);
}

static void add(char ***v, size_t *n, size_t *cap, const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (len < 2)
		return;
	for (size_t i = 0; i < *n; i++)
		if (strlen((*v)[i]) == len && !strncmp((*v)[i], s, len))
			return;
	*v = xgrow(*v, cap, *n + 1, sizeof **v);
	(*v)[(*n)++] = xstrndup(s, len);
}

/* The quote at s[i] opens a span: at the start or after a space or an
 * opening bracket, not an apostrophe inside a word. */
static bool opens(const char *s, size_t i)
{
	return i == 0 || strchr(" \t\n(:[{,;=", s[i - 1]);
}

/* ... and s[j] closes it: followed by the end, a space or punctuation. */
static bool closes(const char *s, size_t j)
{
	return !s[j + 1] || !isalnum((unsigned char)s[j + 1]);
}

size_t commands_extract(const char *text, char ***out)
{
	char **v = NULL;
	size_t n = 0, cap = 0, len = strlen(text);

	for (size_t i = 0; i < len; i++) {
		char q = text[i];

		if (q != '`' && q != '\'' && q != '"')
			continue;
		if (q != '`' && !opens(text, i))
			continue;
		for (size_t j = i + 1; j < len; j++) {
			if (text[j] == '\n' && q != '`')
				break;
			if (text[j] != q || (q != '`' && !closes(text, j)))
				continue;
			/* Backticks mark code on purpose; quotes, only when what
			 * they hold reads as a command (and holds no code span of
			 * its own: then it is a quoted message). */
			if (q == '`' || (looks_like_command(text + i + 1, j - i - 1) &&
					 !memchr(text + i + 1, '`', j - i - 1))) {
				add(&v, &n, &cap, text + i + 1, j - i - 1);
				i = j;
			}
			/* Not a command: look inside it too (a `span` in quotes). */
			break;
		}
	}
	/* Whole lines that are commands ("$ sudo ...", or a bare command). */
	for (const char *line = text; *line;) {
		const char *end = strchr(line, '\n');
		size_t n_line = end ? (size_t)(end - line) : strlen(line);

		if (line != text || end) {      /* a line of a multi-line text */
			const char *p = line;
			size_t m = n_line;

			while (m && isspace((unsigned char)*p)) {
				p++;
				m--;
			}
			if (m > 2 && (*p == '$' || *p == '#') && p[1] == ' ') {
				p += 2;
				m -= 2;
			}
			if (!memchr(p, '`', m) && looks_like_command(p, m))
				add(&v, &n, &cap, p, m);
		}
		line += n_line + (end ? 1 : 0);
	}
	*out = v;
	return n;
}

/* ---- a command, or text ---- */

/* Programs that need operands, and the ones a subcommand needs: "chmod
 * 400" lacks the file, "kill -9" the process, "docker run --init" the
 * image.  with_arg: the short options that take a value (the rest of the
 * word or the next word), long_with_arg the long ones; a value is no
 * operand, and an option left waiting for its value leaves the command
 * unfinished.  counts: options whose value stands for the operands
 * (pip install -r FILE).  max: more operands than that is a line of
 * something else ("host all all 0.0.0.0/0 trust" in pg_hba.conf). */
static const char *const pip_install_long[] = { "requirement", "constraint", "editable",
	"target", "index-url", "extra-index-url", "find-links", "prefix", "root", "src", "platform",
	"python-version", "only-binary", "no-binary", "upgrade-strategy", "progress-bar", NULL };

static const struct arity {
	const char *prog, *sub;
	unsigned min, max;      /* max 0: any number */
	const char *with_arg, *counts;
	const char *const *long_with_arg;
} arities[] = {
	/* wrappers alone: "sudo -l" runs, "sudo -u" waits */
	{ "sudo", NULL, 0, 0, "ugpChDrtTU", "", (const char *const[]){ "user", "group", "host",
		"prompt", "close-from", "chdir", "role", "type", "command-timeout", "other-user",
		NULL } },
	{ "env", NULL, 0, 0, "uCS", "", (const char *const[]){ "unset", "chdir", "split-string",
		NULL } },
	{ "chmod", NULL, 2, 0, "", "", NULL },
	{ "chown", NULL, 2, 0, "", "", NULL },
	{ "chgrp", NULL, 2, 0, "", "", NULL },
	{ "cp", NULL, 2, 0, "S", "", (const char *const[]){ "suffix", NULL } },
	{ "mv", NULL, 2, 0, "S", "", (const char *const[]){ "suffix", NULL } },
	{ "ln", NULL, 1, 0, "S", "", (const char *const[]){ "suffix", NULL } },
	{ "rm", NULL, 1, 0, "", "", NULL },
	{ "rmdir", NULL, 1, 0, "", "", NULL },
	{ "mkdir", NULL, 1, 0, "m", "", (const char *const[]){ "mode", NULL } },
	{ "touch", NULL, 1, 0, "dr", "", (const char *const[]){ "date", "reference", NULL } },
	{ "kill", NULL, 1, 0, "sn", "", (const char *const[]){ "signal", NULL } },
	{ "pkill", NULL, 1, 0, "gGPstuU", "", (const char *const[]){ "signal", "pgroup", "group",
		"parent", "session", "terminal", "euid", "uid", NULL } },
	{ "killall", NULL, 1, 0, "su", "", (const char *const[]){ "signal", "user", NULL } },
	{ "source", NULL, 1, 0, "", "", NULL },
	{ ".", NULL, 1, 0, "", "", NULL },
	{ "scp", NULL, 2, 0, "cFiJloPS", "", NULL },
	{ "ssh", NULL, 1, 0, "BbcDEeFIiJLlmOopQRSWw", "", NULL },
	{ "ssh-copy-id", NULL, 1, 0, "ipoFt", "", NULL },
	{ "ping", NULL, 1, 0, "cisIwWtlmMpQ", "", NULL },
	{ "useradd", NULL, 1, 0, "bcdefgGkKpsuU", "", NULL },
	{ "usermod", NULL, 1, 0, "cdefgGlLpsuU", "", NULL },
	{ "groupadd", NULL, 1, 0, "gKp", "", NULL },
	{ "modprobe", NULL, 1, 0, "Cd", "", (const char *const[]){ "config", "dirname", NULL } },
	{ "dpkg", "-i", 1, 0, "", "", NULL },
	{ "dpkg", "--install", 1, 0, "", "", NULL },
	{ "pip", "install", 1, 0, "rceti", "re", pip_install_long },
	{ "pip3", "install", 1, 0, "rceti", "re", pip_install_long },
	{ "docker", "run", 1, 0, "acehlmpuvw", "", (const char *const[]){ "name", "network", "env",
		"env-file", "volume", "publish", "entrypoint", "user", "workdir", "platform", "mount",
		"memory", "cpus", "gpus", "add-host", "label", "restart", "runtime", "shm-size",
		"ulimit", "hostname", "device", "cap-add", "cap-drop", NULL } },
	{ "docker", "exec", 2, 0, "euw", "", (const char *const[]){ "env", "user", "workdir", NULL } },
	{ "docker", "build", 1, 0, "ft", "", (const char *const[]){ "file", "tag", "build-arg",
		"target", "platform", "progress", NULL } },
	{ "docker", "pull", 1, 0, "", "", (const char *const[]){ "platform", NULL } },
	{ "docker", "push", 1, 0, "", "", NULL },
	{ "docker", "logs", 1, 0, "n", "", (const char *const[]){ "tail", "since", "until", NULL } },
	{ "systemctl", "restart", 1, 0, "HMnopst", "", NULL },
	{ "systemctl", "start", 1, 0, "HMnopst", "", NULL },
	{ "systemctl", "stop", 1, 0, "HMnopst", "", NULL },
	{ "systemctl", "reload", 1, 0, "HMnopst", "", NULL },
	{ "systemctl", "enable", 1, 0, "HMnopst", "", NULL },
	{ "systemctl", "disable", 1, 0, "HMnopst", "", NULL },
	{ "systemctl", "edit", 1, 0, "HMnopst", "", NULL },
	{ "host", NULL, 1, 2, "cNRtWm", "", NULL },
	{ "service", NULL, 2, 0, "", "", NULL },
	{ "timedatectl", "set-timezone", 1, 0, "HM", "", NULL },
	{ "timedatectl", "set-time", 1, 0, "HM", "", NULL },
	{ "git", "clone", 1, 0, "bcjou", "", (const char *const[]){ "branch", "depth", "origin",
		"config", "reference", "filter", NULL } },
};

static bool is_opt(const char *w)
{
	return w[0] == '-' && w[1];
}

/* A long option that takes its value from the next word. */
static bool long_waits(const char *w, const char *const *names)
{
	if (strncmp(w, "--", 2) || strchr(w, '='))
		return false;
	for (; names && *names; names++)
		if (!strcmp(w + 2, *names))
			return true;
	return false;
}

/* The words after the program (and subcommand) give what it needs: enough
 * operands, and no option waiting for its value. */
static bool operands_complete(const struct arity *ar, const sh_word *a, size_t n)
{
	unsigned got = 0;
	bool ended = false;

	for (size_t i = 0; i < n; i++) {
		const char *t = a[i].text;

		if (ended || !is_opt(t)) {
			got++;
		} else if (!strcmp(t, "--")) {
			ended = true;
		} else if (t[1] == '-') {
			if (long_waits(t, ar->long_with_arg) && ++i >= n)
				return false;
		} else {
			for (const char *p = t + 1; *p; p++) {
				if (!strchr(ar->with_arg, *p))
					continue;
				if (!p[1] && ++i >= n)
					return false;
				got += strchr(ar->counts, *p) != NULL;
				break;
			}
		}
	}
	return got >= ar->min && (!ar->max || got <= ar->max);
}

/* Programs that are no sign of a command in prose ("sort by date", "id
 * token") but, first in a span that is code, are run as commands. */
static const char *const more_programs[] = {
	"printf", "xargs", "sort", "uniq", "wc", "cut", "tr", "jq", "yq", "base64", "xxd", "od",
	"date", "id", "whoami", "hostname", "uptime", "reboot", "sleep", "truncate", "dmesg",
	"getent", "gpg", "fuser", "findmnt", "lsblk", "lscpu", "lspci", "lsusb", "blkid", "apk",
	"gh", "tsc", "pm2", "nvm", "torchrun", "jar", "pip-compile", "nvidia-ctk", "kvno",
	"ejabberdctl", "prosodyctl", "conntrack", "printenv", "groups", "sestatus", "locale",
	"update-ca-trust", "pg_lsclusters", "ufw", "sysctl", "hexdump", "nmap", "protoc",
	"celery", "colima", "softwareupdate", "diskutil", "mysql_config", "gitlab-runner",
	"compute-sanitizer", NULL,
};

/* Programs that do their work with no argument at all: "nvidia-smi" alone
 * is a command; "asterisk", "git" or "redis-cli" alone is a name in a
 * sentence (or a program waiting for input). */
static const char *const alone[] = {
	"nvidia-smi", "klist", "dmesg", "timedatectl", "date", "free", "df", "uname", "ps",
	"pwd", "ls", "env", "printenv", "nproc", "id", "whoami", "hostname", "uptime", "ulimit",
	"vmstat", "iostat", "lsblk", "lscpu", "lsmod", "lspci", "lsusb", "ldconfig", "sync",
	"groups", "locale", "getenforce", "sestatus", "hostnamectl", "make", "reboot", "lsof",
	"update-ca-certificates", "update-ca-trust", "pg_lsclusters", NULL,
};

/* Extensions of files that are read, not run. */
static bool data_file(const char *name)
{
	static const char *const exts[] = { ".conf", ".cfg", ".cnf", ".ini", ".json", ".yaml",
		".yml", ".toml", ".xml", ".txt", ".log", ".pem", ".crt", ".key", ".csr", ".so",
		".a", ".h", ".c", ".d", ".service", ".socket", ".env", ".lock", ".md",
		".gz", ".tar", ".zip", ".db", ".sql", ".js", ".ts", ".html", ".css", ".pub", NULL };
	const char *dot = strrchr(name, '.');

	return dot && dot != name && is_in_list(dot, exts);
}

/* A program by name ("systemctl"), or a path to one ("./configure",
 * "/usr/local/cuda/bin/nvcc", "vendor/bin/phpstan"); not a file that is
 * read ("/etc/hosts", "sip.conf").  After sudo, env or a pipe any name
 * that can be a program's is one: what runs there is a program. */
static bool names_program(const char *w, bool wrapped)
{
	size_t n = strlen(w);
	const char *base = strrchr(w, '/');

	if (!n || data_file(base ? base + 1 : w))
		return false;
	if (!base) {
		if (is_program(w, n))
			return !is_in_list(w, consoles);
		return is_in_list(w, more_programs) ||
		       (wrapped && isalnum((unsigned char)w[0]) &&
			strspn(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-") == n);
	}
	if (!base[1])
		return false;   /* a directory */
	return !strncmp(w, "./", 2) || !strncmp(w, "../", 3) || strstr(w, "bin/") || wrapped;
}

/* The words from w[from] give program p what it needs. */
static bool arity_ok(const char *p, const sh_word *w, size_t from, size_t n)
{
	for (size_t i = 0; i < sizeof arities / sizeof *arities; i++) {
		const struct arity *ar = &arities[i];
		size_t at = from;

		if (strcmp(ar->prog, p))
			continue;
		if (ar->sub && (at >= n || strcmp(w[at].text, ar->sub)))
			continue;
		at += ar->sub != NULL;
		return operands_complete(ar, w + at, n - at);
	}
	return true;
}

struct runnable {
	bool ok;                /* so far */
	size_t ncmds;           /* simple commands at the top level */
	bool bare;              /* the first is a name alone, "asterisk" */
};

/* Words that are syntax of another language: "source = x", "if err := f()
 * {", "java { toolchain {...} }"; first, "{" and "}" group commands. */
static bool foreign(const sh_word *w, size_t n)
{
	static const char *const words[] = { "=", ":=", "==", "=>", "->", "{", "}", "//", NULL };

	for (size_t i = 1; i < n; i++)
		if (is_in_list(w[i].text, words))
			return true;
	return false;
}

static bool judge(const sh_cmd *c, void *ctx)
{
	struct runnable *r = ctx;
	size_t prog;
	char p[64];

	if (c->depth)
		return false;           /* what $(...) runs is its own affair */
	r->ncmds++;
	for (size_t i = 0; i < c->nredirs; i++)
		if (c->redirs[i].op == SH_HEREDOC)
			r->ok = false;  /* the document's lines are not there */
	for (size_t i = 0; i < c->nwords; i++) {
		const char *t = c->words[i].text;
		size_t n = strlen(t);

		if (!strcmp(t, "...") || (n > 4 && !strcmp(t + n - 4, "=...")))
			r->ok = false;  /* a value left to the reader */
	}
	if (c->funcdef || !c->nwords || foreign(c->words, c->nwords)) {
		r->ok = false;          /* "gc.collect()", "> file" */
		return false;
	}
	prog = cmdwords_program(c->words, c->nwords);
	if (prog >= c->nwords) {
		/* "sudo -i", "env": a wrapper alone runs, unless an option
		 * waits for its value ("sudo -u"); "FOO=1" alone is a setting
		 * to put somewhere. */
		size_t w = 0;

		while (w < c->nwords && cmdwords_is_assignment(c->words[w].text))
			w++;
		if (w == c->nwords) {
			r->ok = false;
			return false;
		}
		cmdwords_prog_name(c->words[w].text, p, sizeof p);
		r->ok &= arity_ok(p, c->words, w + 1, c->nwords);
		return false;
	}
	/* The first command must be a program known here; after it ("... |
	 * jq .", "&& make"), and after sudo, any program name will do. */
	if (!names_program(c->words[prog].text, prog > 0 || r->ncmds > 1 || c->piped_in)) {
		r->ok = false;
		return false;
	}
	for (size_t i = 0; i < prog; i++) {
		cmdwords_prog_name(c->words[i].text, p, sizeof p);
		if (!strcmp(p, "xargs"))
			return false;   /* its operands come on its input */
	}
	cmdwords_prog_name(c->words[prog].text, p, sizeof p);
	r->bare |= r->ncmds == 1 && c->nwords + c->nredirs == 1 && !strchr(c->words[0].text, '/') &&
		   !is_in_list(p, alone);
	r->ok &= arity_ok(p, c->words, prog + 1, c->nwords);
	return false;
}

/* "<name>", "<cluster-api-server>": a placeholder for the reader to fill. */
static bool has_placeholder(const char *s)
{
	for (const char *lt = strchr(s, '<'); lt; lt = strchr(lt + 1, '<')) {
		size_t n = 0;

		if (!isalpha((unsigned char)lt[1]))
			continue;
		while (isalnum((unsigned char)lt[1 + n]) || (lt[1 + n] && strchr("_.:-", lt[1 + n])))
			n++;
		if (lt[1 + n] == '>')
			return true;
	}
	return false;
}

bool commands_runnable(const char *cmd)
{
	struct runnable r = { .ok = true };
	size_t n = strlen(cmd);
	bool complete;

	while (n && isspace((unsigned char)cmd[n - 1]))
		n--;
	/* "alias /srv/static;", "COMMIT;": a line of a configuration or a
	 * statement of another language; "iptables example:" a sentence.  A
	 * shell line seldom ends so. */
	if (!n || cmd[n - 1] == ';' || cmd[n - 1] == ':' || has_placeholder(cmd))
		return false;
	complete = sh_parse(cmd, n, 0, judge, &r);
	/* A name alone ("asterisk", "git") is a word of a sentence; in a
	 * line of several commands it runs. */
	return complete && r.ok && r.ncmds > 0 && !(r.bare && r.ncmds == 1);
}

void commands_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

char *commands_clean_copy(const char *text, int keep_newlines)
{
	int64_t i = 0, len = (int64_t)strlen(text);
	char *out = xmalloc((size_t)len + 1);
	size_t o = 0;

	while (i < len) {
		int64_t at = i;
		UChar32 c;

		U8_NEXT(text, i, len, c);
		if (c < 0)
			continue;                   /* invalid: dropped */
		if (c == '\t') {
			out[o++] = ' ';
		} else if (c == '\n') {
			out[o++] = keep_newlines ? '\n' : ' ';
		} else if (!text_is_unsafe_cp(c)) {
			memcpy(out + o, text + at, (size_t)(i - at));
			o += (size_t)(i - at);
		}
	}
	out[o] = '\0';
	return out;
}

#include <config.h>
#include "commands.h"
#include "i18n.h"
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

static bool has(const char *s, const char *needle)
{
	return strstr(s, needle) != NULL;
}

/* Any of the words in a command, as separate words. */
static bool word(const char *s, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = s; (p = strstr(p, w)); p += n)
		if ((p == s || isspace((unsigned char)p[-1])) && (!p[n] || isspace((unsigned char)p[n])))
			return true;
	return false;
}

const char *commands_risk(const char *cmd)
{
	char *low = xstrdup(cmd);
	const char *risk = NULL;

	for (char *p = low; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if ((word(low, "rm") || has(low, "rm ")) &&
	    (word(low, "-rf") || word(low, "-fr") || word(low, "-r") || word(low, "-R") ||
	     has(low, "--recursive") || has(low, " -rf") || has(low, " -fr")))
		risk = N_("it deletes files recursively");
	else if ((has(low, "curl") || has(low, "wget")) &&
		 (has(low, "| sh") || has(low, "| bash") || has(low, "|sh") || has(low, "|bash") ||
		  has(low, "| sudo sh") || has(low, "| sudo bash") || has(low, "| sudo -e bash")))
		risk = N_("it pipes a download into a shell");
	else if (has(low, "chmod 777") || has(low, "chmod -r 777") || has(low, "chmod a+rwx") ||
		 has(low, "chmod 666") || has(low, "0.0.0.0/0") || has(low, "chmod o+w"))
		risk = N_("it opens permissions wide");
	else if (has(low, "auth=no") || has(low, "protected-mode no") || has(low, " trust") ||
		 has(low, "stricthostkeychecking=no") || has(low, "stricthostkeychecking no") ||
		 has(low, "verify=false") || has(low, "--insecure") || has(low, "--no-check-certificate") ||
		 has(low, "setenforce 0") || has(low, "permitrootlogin yes") ||
		 has(low, "insecure=invite") || has(low, "skip-grant-tables") ||
		 has(low, "node_tls_reject_unauthorized=0") || has(low, "sslverify false"))
		risk = N_("it turns off authentication or verification");
	free(low);
	return risk ? _(risk) : NULL;
}

/* Commands taken from workaround text, the text as copied, and the risks
 * that ask for confirmation.  The same checks over the deadends corpus are
 * test_corpus_commands, skipped where the corpus is absent. */
#include <config.h>
#include "testutil.h"
#include "commands.h"
#include "load.h"
#include "shwords.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void extracts(const char *text, const char *want)
{
	char **v, got[1024] = "";
	size_t n = commands_extract(text, &v);

	for (size_t i = 0; i < n; i++)
		snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", i ? " | " : "", v[i]);
	commands_free(v, n);
	if (strcmp(got, want))
		fail_msg("%s\n got:  %s\n want: %s", text, got, want);
}

static void extraction(void **state)
{
	(void)state;
	/* The reference record's own text. */
	extracts("Use 'sip reload' in Asterisk to apply changes without restart.", "sip reload");
	extracts("restarting the SIP server process: 'systemctl restart asterisk' or "
		 "'sudo systemctl restart freeswitch' to clear stale nonce caches.",
		 "systemctl restart asterisk | sudo systemctl restart freeswitch");
	/* Apostrophes are not quotes; quoted words that are no command stay out. */
	extracts("ensure the client's 'realm' parameter matches the server's realm", "");
	/* Backticks are code whatever they hold. */
	extracts("Set `max_connections = 200` in postgresql.conf, then `sudo systemctl restart postgresql`.",
		 "max_connections = 200 | sudo systemctl restart postgresql");
	extracts("Run `sudo dpkg --configure -a` and retry", "sudo dpkg --configure -a");
	/* Lines of a multi-line text. */
	extracts("Do this:\n$ sudo apt-get update\nthen reboot", "sudo apt-get update");
	extracts("Shell syntax: \"journalctl -u x | tail\"", "journalctl -u x | tail");
	extracts("", "");
	extracts("unterminated `sudo rm", "");
}

/* Commands, as picked to run, and text, copied but never run: items the
 * picker gets from the shipped KB and the deadends corpus. */
static const char *const runnable[] = {
	"sudo systemctl restart freeswitch", "systemctl restart asterisk",
	"asterisk -rx \"sip reload\"", "sudo nginx -t && sudo systemctl reload nginx",
	"chmod 600 ~/.ssh/id_rsa", "chmod -R 775 storage bootstrap/cache",
	"export KUBECONFIG=$HOME/.kube/config", "./configure --disable-werror", "./autogen.sh",
	"vendor/bin/phpstan analyse --level 6 src/", "/usr/local/cuda/bin/nvcc --version",
	"CUDA_LAUNCH_BLOCKING=1 python train.py", "sudo fail2ban-client status asterisk",
	"sudo ./NVIDIA-Linux-x86_64-545.29.06.run", "sudo kadmin.local -q 'ktadd -k /etc/httpd.keytab'",
	"curl -s 'https://x.example/v2/tags' | jq '.results[].name'", "nvidia-smi", "timedatectl",
	"sudo fuser -v /dev/nvidia* 2>/dev/null | xargs -r sudo kill -9", "kill -9 1234",
	"pip install -r requirements.txt", "pip install -v psycopg2 2>&1 | grep -n error",
	"docker run --rm --name web nginx", "export SSL_CERT_FILE=$(python3 -c \"import certifi\")",
	"while sudo fuser /var/lib/dpkg/lock >/dev/null 2>&1; do sleep 5; done", "sudo -l",
	"go build ./...", "printf '%s\\0' *.log | xargs -0 rm --", "echo $DOCKER_HOST",
	"nvcc --version  # CUDA version", "git push --force-with-lease",
};

static const char *const text_only[] = {
	/* a file, a setting, a section, a word, a value */
	"sip.conf", "realm", "[trunk-auth]", "[Service]", "/etc/systemd/resolved.conf",
	"/etc/resolvconf/resolv.conf.d/head", "LimitNOFILE=65535", "LD_LIBRARY_PATH",
	"asterisk", "git", "0.0.0.0", "sip.example.com", "--no-cache-dir", "-p 5432:5432",
	/* arguments missing: an operand, an option's value */
	"chmod 400", "sudo kill -9", "dpkg -i", "pip install --force-reinstall", "docker pull",
	"docker run --init", "docker build --progress=plain", "ssh -i", "sudo -u",
	"timedatectl set-timezone", "service charge",
	/* unfinished: a quote, a pipe, a continuation, a placeholder */
	"curl -X POST -F 'jenkinsfile=<Jenkinsfile", "git stash push -m 'description",
	"aws s3api get-object --bucket b \\", "ps aux |", "kill <PID>",
	"kubectl describe pod <pod-name> -n <namespace>", "docker run --gpus all ...",
	"kubectl apply -f - <<EOF",
	/* other languages and configurations */
	"SELECT pg_reload_conf();", "ALTER SYSTEM SET log_lock_waits = on",
	"ssl_certificate /etc/letsencrypt/live/example.com/fullchain.pem;",
	"alias /var/www/static;", "host all all 0.0.0.0/0 trust", "source  = \"hashicorp/aws\"",
	"gc.collect()", "torch.cuda.empty_cache()", "export default function Page({",
	"if err := srv.ListenAndServe(); err != nil {", "java { toolchain { x } }",
	"RUN apt-get update && apt-get install -y cmake", "FROM node:20-alpine",
	/* console commands of other programs, run inside them */
	"sip reload", "module reload res_pjsip.so", "iptables example:",
};

static void classification(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof runnable / sizeof *runnable; i++)
		if (!commands_runnable(runnable[i]))
			fail_msg("not a command: %s", runnable[i]);
	for (size_t i = 0; i < sizeof text_only / sizeof *text_only; i++)
		if (commands_runnable(text_only[i]))
			fail_msg("a command: %s", text_only[i]);
}

static void copy_cleaning(void **state)
{
	char *c;

	(void)state;
	c = commands_clean_copy("sudo\trm \x1b[2J -rf\xE2\x80\xAE /tmp/x\xFF\n", 0);
	assert_string_equal(c, "sudo rm [2J -rf /tmp/x ");
	free(c);
	c = commands_clean_copy("a\nb", 1);
	assert_string_equal(c, "a\nb");
	free(c);
}

static void risks(void **state)
{
	(void)state;
	assert_non_null(commands_risk("sudo rm -rf /var/lib/docker"));
	assert_non_null(commands_risk("rm -r build"));
	assert_non_null(commands_risk("curl -fsSL https://get.example.com | sudo bash"));
	assert_non_null(commands_risk("chmod 777 /srv/www"));
	assert_non_null(commands_risk("Set auth=no in sip.conf"));
	assert_non_null(commands_risk("ssh -o StrictHostKeyChecking=no host"));
	assert_null(commands_risk("sudo systemctl restart asterisk"));
	assert_null(commands_risk("rm /tmp/lockfile"));
	assert_null(commands_risk("curl -O https://example.com/file.tar.gz"));
}

#define DELETES "it deletes files recursively"
#define PIPES "it pipes a download into a shell"
#define PERMS "it opens permissions wide"
#define AUTH "it turns off authentication or verification"
#define DISK "it overwrites a disk or partition"
#define FIREWALL "it turns off the firewall or removes its rules"
#define MAC "it turns off SELinux or AppArmor"
#define KILLALL "it kills every process"
#define FORK "it starts processes until the system hangs"
#define SYSOWN "it changes the owner or mode of system directories"
#define DEVFILE "it replaces or deletes a device file"
#define PUSH "it force-pushes over the main branch"

/* Dangerous commands, each with the reason the picker gives (issue 11:
 * options in any order and spelling, interpreters by name, wrappers). */
static const struct { const char *cmd, *why; } dangerous[] = {
	{ "rm -rf /var/lib/docker", DELETES },
	{ "rm -vrf build", DELETES },
	{ "rm -r -f build", DELETES },
	{ "rm -Rf build", DELETES },
	{ "rm --recursive --force build", DELETES },
	{ "rm -f build -r", DELETES },                  /* GNU: options after operands */
	{ "sudo -u www-data -E /usr/bin/rm -fR /srv/cache", DELETES },
	{ "\\rm -rf ~/.cache", DELETES },
	{ "cd /tmp && env LC_ALL=C nohup rm -rf x &", DELETES },
	{ "find / -name '*.tmp' -delete", DELETES },
	{ "find . -type d -name node_modules -exec rm -rf {} +", DELETES },
	{ "find /var/log -name '*.gz' | xargs rm", DELETES },
	{ "git clean -fdx", DELETES },
	{ "RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*", DELETES },
	{ "curl -fsSL https://get.example.com | sh", PIPES },
	{ "curl -fsSL https://get.example.com | sudo -E bash -", PIPES },
	{ "curl -sL https://x.example/i.sh | zsh", PIPES },
	{ "wget -qO- https://x.example/get.py | python3", PIPES },
	{ "wget -O - https://x.example/i.pl | sudo perl", PIPES },
	{ "curl -s https://x.example/a | tee install.log | bash -s -- --yes", PIPES },
	{ "bash <(curl -fsSL https://x.example/install)", PIPES },
	{ "sh -c \"$(curl -fsSL https://x.example/install.sh)\"", PIPES },
	{ "/bin/bash -c \"$(curl -fsSL https://raw.example.com/HEAD/install.sh)\"", PIPES },
	{ "eval \"$(curl -s https://x.example/env)\"", PIPES },
	{ "source <(curl -s https://x.example/completion.bash)", PIPES },
	{ "ruby -e \"$(curl -fsSL https://x.example/install.rb)\"", PIPES },
	{ "irm https://get.example.ps1 | iex", PIPES },
	{ "chmod 777 /srv/www", PERMS },
	{ "chmod 0777 /srv/www", PERMS },
	{ "chmod -R a+rwx /srv/www", PERMS },
	{ "sudo chmod 666 /var/run/docker.sock", PERMS },
	{ "chmod o+w,g+w shared", PERMS },
	{ "chmod ugo=rwx file", PERMS },
	{ "chmod -R 777 /", PERMS },
	{ "sudo chown -R $USER:$USER /", SYSOWN },
	{ "chown -R me /usr/", SYSOWN },
	{ "chmod -R 755 /etc", SYSOWN },
	{ "dd if=ubuntu.iso of=/dev/sda bs=4M", DISK },
	{ "sudo dd if=/dev/zero of=/dev/nvme0n1", DISK },
	{ "mkfs.ext4 /dev/sdb1", DISK },
	{ "sudo mkfs -t xfs /dev/vdb", DISK },
	{ "wipefs -a /dev/sdb", DISK },
	{ "cat image.img > /dev/sda", DISK },
	{ "echo 1 > /dev/nvme0n1", DISK },
	{ "sgdisk --zap-all /dev/sdc", DISK },
	{ "parted -s /dev/sdb mklabel gpt", DISK },
	{ "shred -n 1 /dev/sdd", DISK },
	{ "sudo cp disk.img /dev/mmcblk0", DISK },
	{ "mv ~/.bash_history /dev/null", DEVFILE },
	{ "iptables -F", FIREWALL },
	{ "sudo ip6tables --flush", FIREWALL },
	{ "iptables -t nat -F", FIREWALL },
	{ "iptables -P INPUT ACCEPT", FIREWALL },
	{ "nft flush ruleset", FIREWALL },
	{ "sudo ufw disable", FIREWALL },
	{ "systemctl stop firewalld", FIREWALL },
	{ "sudo systemctl disable --now firewalld.service", FIREWALL },
	{ "setenforce 0", MAC },
	{ "sudo setenforce Permissive", MAC },
	{ "sed -i 's/^SELINUX=enforcing/SELINUX=disabled/' /etc/selinux/config", MAC },
	{ "curl -k https://internal.example/api", AUTH },
	{ "curl -fsSLk https://internal.example/api", AUTH },
	{ "curl --insecure https://internal.example/api", AUTH },
	{ "wget --no-check-certificate https://x.example/f", AUTH },
	{ "ssh -o StrictHostKeyChecking=no host", AUTH },
	{ "ssh -o 'StrictHostKeyChecking no' host", AUTH },
	{ "git config --global http.sslVerify false", AUTH },
	{ "git -c http.sslVerify=false clone https://x.example/r.git", AUTH },
	{ "NODE_TLS_REJECT_UNAUTHORIZED=0 npm install", AUTH },
	{ "export PYTHONHTTPSVERIFY=0", AUTH },
	{ "mysqld_safe --skip-grant-tables &", AUTH },
	{ "redis-cli CONFIG SET protected-mode no", AUTH },
	{ "echo 'host all all 0.0.0.0/0 trust' | sudo tee -a /etc/postgresql/16/main/pg_hba.conf", AUTH },
	{ "npm config set strict-ssl false", AUTH },
	{ "Set auth=no in sip.conf", AUTH },
	{ "kill -9 -1", KILLALL },
	{ "sudo kill -KILL -- -1", KILLALL },
	{ "killall5 -9", KILLALL },
	{ ":(){ :|:& };:", FORK },
	{ "bomb() { bomb | bomb & }; bomb", FORK },
	{ "git push --force origin main", PUSH },
	{ "git push -f origin HEAD:master", PUSH },
	{ "git push origin +main", PUSH },
	{ "curl -sSL https://dot.net/v1/dotnet-install.sh | bash /dev/stdin --version 8.0", PIPES },
	{ "curl -fsSL https://x.example/setup | sudo -s", PIPES },
	{ "TrustServerCertificate=True", AUTH },
	{ "mongosh --tlsAllowInvalidCertificates", AUTH },
	{ "echo 'deb [trusted=yes] http://repo.example/ ./' | sudo tee /etc/apt/sources.list.d/x.list", AUTH },
	{ "ufw default allow incoming", FIREWALL },
	/* a command run by a program without rules of its own */
	{ "docker exec web rm -rf /data", DELETES },
	{ "aws s3 rm s3://bucket/logs --recursive", DELETES },
	{ "kubectl exec -it pod -- sh -c 'rm -rf /cache/*'", DELETES },
	/* commands in prose and comments, as the whole text of a workaround */
	{ "Delete the cache, then reconfigure rm -rf build/ && cmake -B build", DELETES },
	{ "执行 chmod -R 777 ~/.ssh 确保 sshd 能读取", PERMS },
	{ "Download it: curl -sSL https://x.example/i.sh | sudo bash", PIPES },
	{ "docker builder prune --all  # or: rm -rf ~/.local/share/docker/buildkit", DELETES },
	/* code in backquotes is code wherever it stands in KB prose */
	{ "Don't worry: `rm -rf build` and rebuild", DELETES },
	{ "Clear the lists with `sudo rm -rf /var/lib/apt/lists/*` and `apt-get clean`", DELETES },
};

/* Look-alikes that must copy without a question. */
static const char *const harmless[] = {
	"rm file.txt",
	"rm -f lockfile",
	"rm -f -- -r",                                  /* a file named -r */
	"rm -fv /tmp/x.lock",
	"sudo rm /etc/nginx/sites-enabled/default",
	"echo rm -rf",
	"echo \"rm -rf /\"",
	"printf '%s\\n' 'rm -rf /'",
	"grep -r foo .",
	"grep -R 'verify=False' src/",
	"git rm -r --cached .",
	"docker rm -f container",
	"kubectl delete pod web-0",
	"chmod 755 script.sh",
	"chmod 600 ~/.ssh/id_ed25519",
	"chmod +x script.sh",
	"chmod -R u+rwX,go-w ~/project",
	"chmod 1777 /tmp",
	"chmod o-w file",
	"chown -R www-data:www-data /var/www",
	"sudo chown -R $USER /usr/local/lib/node_modules",
	"curl -o file https://x.example/f",
	"curl -fsSL https://x.example/key.gpg | sudo gpg --dearmor -o /etc/apt/keyrings/x.gpg",
	"curl https://api.example/v1 | jq .",
	"curl -s https://api.example/v1 | grep x",
	"curl -s https://api.example/v1 | python3 -m json.tool",
	"curl -s https://api.example/v1 | python3 -c 'import json,sys; print(json.load(sys.stdin))'",
	"curl -fsSL https://x.example/install.sh -o install.sh && less install.sh",
	"wget https://x.example/file.tar.gz",
	"bash install.sh",
	"sh -c 'cd /srv && make'",
	"dd if=/dev/zero of=./file bs=1M count=10",
	"dd if=/dev/sda of=disk.img",
	"sudo dd if=/dev/zero of=/swapfile bs=1M count=2048 && sudo mkswap /swapfile",
	"find . -name '*.log'",
	"find . -name x -print",
	"find . -type f -exec grep -l TODO {} +",
	"iptables -L -n",
	"iptables -A INPUT -p tcp --dport 22 -j ACCEPT",
	"nft list ruleset",
	"sudo ufw allow 80/tcp",
	"getenforce",
	"setenforce 1",
	"sudo systemctl restart firewalld",
	"systemctl status ufw",
	"cat /dev/sda | head -c 512 | xxd",
	"ls > /dev/null",
	"make 2>/dev/null",
	"cmd >/dev/null 2>&1",
	"echo hi > /dev/stderr",
	"mkdir -p ~/.config/app",
	"git push --force-with-lease origin feature/login",
	"git push -f origin my-branch",
	"git push origin main",
	"kill -9 1234",
	"kill -1 1234",
	"sudo fdisk -l",
	"lsblk /dev/sda",
	"sudo ip route add 0.0.0.0/0 via 10.0.0.1",
	"curl --cacert ca.pem https://internal.example/api",
	"ssh -o StrictHostKeyChecking=yes host",
	"git config --global http.sslVerify true",
	"echo 'protected-mode no'",
	"man rm",
	"command -v rm",
	"Use 'sip reload' in Asterisk to apply changes without restart.",
	"Add the CA to the system trust store and run sudo update-ca-certificates",
	"Behind a reverse proxy, pass and trust the original scheme and host.",
	"sudo modprobe -r nf_nat_sip nf_conntrack_sip",
	"sudo chown -R redis:redis /var/lib/redis",
	"python3 -m pip install --upgrade pip",
	"kubectl get pods -A",
	"sudo mke2fs -n /dev/sdb1",
	"docker run --rm -it -v /srv:/srv img",
	"aws s3 rm s3://bucket/logs/old.gz",
	"Run the installer again, then rm the lock file",
	"curl -fsSL https://x.example/i.sh -o i.sh  # read it first, then: bash i.sh",
	"sudo dd if=/dev/sda of=/dev/null bs=1M",
	"host all all 0.0.0.0/0 scram-sha-256",          /* pg_hba: a password still */
};

static void risk_table(void **state)
{
	size_t bad = 0;

	(void)state;
	for (size_t i = 0; i < sizeof dangerous / sizeof *dangerous; i++) {
		const char *got = commands_risk(dangerous[i].cmd);

		if (!got || strcmp(got, dangerous[i].why)) {
			fprintf(stderr, "dangerous: %s\n  got:  %s\n  want: %s\n", dangerous[i].cmd,
				got ? got : "(none)", dangerous[i].why);
			bad++;
		}
	}
	for (size_t i = 0; i < sizeof harmless / sizeof *harmless; i++) {
		const char *got = commands_risk(harmless[i]);

		if (got) {
			fprintf(stderr, "harmless: %s\n  got:  %s\n", harmless[i], got);
			bad++;
		}
	}
	assert_true(sizeof dangerous / sizeof *dangerous >= 40);
	assert_true(sizeof harmless / sizeof *harmless >= 40);
	assert_int_equal(bad, 0);
}

/* sh_parse's commands as text: "[depth] word word <redirection ...", a
 * '*' after a marked word, "stdin*" when fed by a marked stage. */
static bool collect(const sh_cmd *c, void *ctx)
{
	static const char *const ops[] = { ">", ">>", "<", "<>", "<<<", "<<", ">&" };
	char *out = ctx;
	size_t at = strlen(out);

	at += (size_t)snprintf(out + at, 1024 - at, "%s[%zu]", *out ? " ; " : "", c->depth);
	for (size_t i = 0; i < c->nwords && at < 1024; i++)
		at += (size_t)snprintf(out + at, 1024 - at, " %s%s", c->words[i].text,
				       c->words[i].marked ? "*" : "");
	for (size_t i = 0; i < c->nredirs && at < 1024; i++)
		at += (size_t)snprintf(out + at, 1024 - at, " %s%s", ops[c->redirs[i].op],
				       c->redirs[i].target.text);
	if (at < 1024 && c->stdin_marked)
		at += (size_t)snprintf(out + at, 1024 - at, " stdin*");
	if (at < 1024 && c->funcdef)
		snprintf(out + at, 1024 - at, " ()");
	/* mark curl, and what holds its output */
	for (size_t i = 0; i < c->nwords; i++)
		if (c->words[i].marked)
			return true;
	return c->nwords && !strcmp(c->words[0].text, "curl");
}

static void splits(const char *line, unsigned flags, const char *want)
{
	char got[1024] = "";

	sh_parse(line, strlen(line), flags, collect, got);
	if (strcmp(got, want))
		fail_msg("%s\n got:  %s\n want: %s", line, got, want);
}

static bool ignore(const sh_cmd *c, void *ctx)
{
	(void)c;
	(void)ctx;
	return false;
}

static bool complete(const char *line)
{
	return sh_parse(line, strlen(line), 0, ignore, NULL);
}

/* Whether a line ends where a command may end. */
static void shell_completeness(void **state)
{
	static const char *const whole[] = { "ls", "a | b", "a && b || c", "a &", "a;",
		"echo 'it''s'", "echo \"$(date)\"", "x=$(( (1+2) * 3 ))", "(cd x && make)",
		"a |\n b", "f() { x; }", "ls 2>&1", "echo \\\\", "a # 'open in a comment", "" };
	static const char *const open[] = { "echo 'open", "echo \"open", "echo $(date",
		"echo `date", "a |", "a &&", "a ||", "a >", "a 2>&1 >", "(cd x", "a)", "echo \\",
		"x=$(( 1 + 2 )", "a |\n" };

	(void)state;
	for (size_t i = 0; i < sizeof whole / sizeof *whole; i++)
		if (!complete(whole[i]))
			fail_msg("not complete: %s", whole[i]);
	for (size_t i = 0; i < sizeof open / sizeof *open; i++)
		if (complete(open[i]))
			fail_msg("complete: %s", open[i]);
}

static void shell_words(void **state)
{
	(void)state;
	splits("sudo -u x -E /usr/bin/rm -vrf 'a b' \"c\"\\ d", 0,
	       "[0] sudo -u x -E /usr/bin/rm -vrf a b c d");
	splits("r\"m\" -'r'f x;y&&z||w &v", 0, "[0] rm -rf x ; [0] y ; [0] z ; [0] w ; [0] v");
	/* substitutions first, marks flowing out of them and down pipes */
	splits("echo \"$(curl -s u)\" | tee f | bash", 0,
	       "[1] curl -s u ; [0] echo $()* ; [0] tee f stdin* ; [0] bash stdin*");
	splits("bash <(curl u) `date`", 0, "[1] curl u ; [1] date ; [0] bash $()* $()");
	splits("curl u |\n sh", 0, "[0] curl u ; [0] sh stdin*");
	splits("x=$(( (1+2) * 3 )) y", 0, "[0] x=$(( (1+2) * 3 )) y");
	/* redirections, descriptors not words */
	splits("ls 2>/dev/null >>log <in 2>&1 &>all <<<\"s\"", 0,
	       "[0] ls >/dev/null >>log <in >&1 >all <<<s");
	/* quotes: $'...', unbalanced, backquote ending a quote inside it */
	splits("printf $'a\\'b' \"open", 0, "[0] printf a'b open");
	splits("a 'open", 0, "[0] a open");
	splits("`it's` ok", 0, "[1] its ; [0] $() ok");
	splits("f() { f|f& }", 0, "[0] f () ; [0] { f ; [0] f ; [0] }");
	/* comments: skipped by a shell, read when asked */
	splits("a # b c", 0, "[0] a");
	splits("a # b c", SH_COMMENTS, "[0] a ; [0] b c");
	splits("a#b", SH_COMMENTS, "[0] a#b");
	splits("", 0, "");
	splits("\\", 0, "");
	splits("$", 0, "[0] $");
}

/* Hostile text: unbalanced, deep, long, not UTF-8.  Each must end, with
 * ASan watching every byte read. */
static void hostile_input(void **state)
{
	static const char *const units[] = { "'", "\"", "`", "$(", "<(", "(", ")", "\\", "$((",
		"$'", "${", "|", "&&", ">", "<<<", "#", "\xff\xfe", "\xe2\x80", "f() ", "a=b ",
		"sudo ", "xargs ", "find -exec ", "sh -c ", "eval ", "ssh h " };
	size_t big = 1 << 18;
	char *s = malloc(big + 64);
	unsigned x = 12345;

	(void)state;
	assert_non_null(s);
	for (size_t u = 0; u < sizeof units / sizeof *units; u++) {
		size_t n = 0, l = strlen(units[u]);

		while (n + l <= big) {
			memcpy(s + n, units[u], l);
			n += l;
		}
		s[n] = '\0';
		(void)commands_risk(s);
		(void)commands_runnable(s);
	}
	/* pseudo-random bytes from the shell's alphabet and beyond */
	for (int round = 0; round < 200; round++) {
		size_t n = 1 + (size_t)round * 97;

		for (size_t i = 0; i < n; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			s[i] = "'\"`$()<>|&;#\\ \n{}=-rfm\x80\xff"[x % 25];
		}
		s[n] = '\0';
		(void)commands_risk(s);
		(void)commands_runnable(s);
	}
	/* nesting past SH_MAX_DEPTH does not hide what is inside */
	{
		size_t n = 0;

		for (int i = 0; i < 1000; i++, n += 2)
			memcpy(s + n, "$(", 2);
		memcpy(s + n, "rm -rf x", 8);
		n += 8;
		for (int i = 0; i < 1000; i++)
			s[n++] = ')';
		s[n] = '\0';
		assert_string_equal(commands_risk(s), DELETES);
	}
	/* sh -c in sh -c ...: followed as deep as MAX_NEST, not further */
	assert_string_equal(commands_risk("sh -c \"sh -c 'rm -rf x'\""), DELETES);
	free(s);
}


static void shipped_kb(void **state)
{
	char path[1024];
	size_t nw = 0, nc = 0, with = 0, run = 0;
	const char *src = getenv("top_srcdir");

	(void)state;
	snprintf(path, sizeof path, "%s/data/kb", src ? src : ".");
	assert_int_equal(tu_check_commands(path, &nw, &nc, &with, &run), 0);
	printf("shipped KB: %zu workarounds, %zu commands, %zu workarounds with one (%zu%%); "
	       "%zu of the commands run as they stand, %zu are text\n",
	       nw, nc, with, nw ? with * 100 / nw : 0, run, nc - run);
	/* Nearly every shipped workaround has one (the rest are steps in a
	 * web console, copied as whole text). */
	assert_true(with * 100 >= nw * 95);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(extraction),
		cmocka_unit_test(classification),
		cmocka_unit_test(copy_cleaning),
		cmocka_unit_test(risks),
		cmocka_unit_test(risk_table),
		cmocka_unit_test(shell_words),
		cmocka_unit_test(shell_completeness),
		cmocka_unit_test(hostile_input),
		cmocka_unit_test(shipped_kb),
	};
	int rc;

	setlocale(LC_ALL, "C.UTF-8");
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tu_cleanup();
	return rc;
}

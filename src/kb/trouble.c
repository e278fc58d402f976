#include <config.h>
#include "trouble.h"

#include <stdlib.h>
#include <string.h>

/* Words that say something went wrong, alone, folded; sorted (bsearch).
 * kubectl's pod states and events among them (OOMKilled,
 * CrashLoopBackOff, FailedScheduling): a line of kubectl get pods says
 * its trouble so. */
static const char *const words[] = {
	"abort", "aborted", "aborting", "aborts", "bad", "blocked", "broken", "cannot",
	"conflict", "corrupt", "corrupted", "corruption", "couldn", "couldnt", "crash",
	"crashed", "crashes", "crashing", "crashloopbackoff", "crit", "critical",
	"deadlock", "deadlocked", "denied", "disallowed", "echec", "emerg",
	"emergency", "err", "erreur", "errimagepull", "errno", "erroneous", "error",
	"errored", "errors", "evicted", "exceeded", "exceeds", "exception",
	"exceptions", "exhausted", "expired", "fail", "failed", "failedmount",
	"failedscheduling", "failing", "fails", "failure", "failures", "fatal",
	"fehler", "fehlgeschlagen", "forbidden", "hung", "illegal", "imagepullbackoff",
	"insufficient", "invalid", "killed", "leak", "lost", "mismatch", "missing",
	"oom", "oomkilled", "overflow", "overloaded", "panic", "panicked", "panics",
	"refuse", "refused", "refusing", "reject", "rejected", "rejecting", "segfault",
	"segmentation", "severe", "stacktrace", "throttled", "throttling", "timedout",
	"timeout", "timeouts", "traceback", "unable", "unauthorised", "unauthorized",
	"unavailable", "uncaught", "undefined", "unexpected", "unhandled", "unhealthy",
	"unreachable", "unrecoverable", "unsupported", "violation", "violations",
	"warn", "warning", "warnings", "wrong",
};

/* Two words that say it together ("not found", "can't"): the second
 * follows the first after blanks or an apostrophe. */
static const char *const pairs[][2] = {
	{ "can", "not" }, { "can", "t" }, { "could", "not" }, { "couldn", "t" },
	{ "no", "route" }, { "no", "rule" }, { "no", "space" }, { "no", "such" }, { "not", "accepting" },
	{ "not", "allowed" }, { "not", "available" }, { "not", "exist" }, { "not", "found" },
	{ "not", "permitted" }, { "not", "responding" }, { "not", "supported" },
	{ "not", "used" },     /* Go: imported and not used, declared and not used */
	{ "out", "of" }, { "timed", "out" }, { "too", "many" }, { "won", "t" },
};

/* FreeSWITCH ends a call's Hangup line with its cause in brackets
 * ("... [CS_EXECUTE] [NORMAL_CLEARING]"): these say the call failed
 * (Q.850 causes as FreeSWITCH names them), folded. */
static const char *const hangup_causes[] = {
	"[bearercapability_notavail]", "[call_rejected]", "[destination_out_of_order]",
	"[gateway_down]", "[incompatible_destination]", "[invalid_number_format]",
	"[media_timeout]", "[network_out_of_order]", "[no_answer]", "[no_route_destination]",
	"[no_user_response]", "[normal_temporary_failure]", "[recovery_on_timer_expire]",
	"[subscriber_absent]", "[switch_congestion]", "[unallocated_number]", "[user_busy]",
	"[user_not_registered]",
};

/* Not in ASCII letters: found anywhere (Chinese words are not spaced;
 * Russian "ошибк" begins ошибка, ошибки, ошибкой). */
static const char *const other_words[] = {
	"错误", "失败", "异常", "拒绝", "超时", "无法", "崩溃", "致命", "找不到", "不存在",
	"没有规则",            /* make's "No rule to make target" */
	"ошибк", "сбой", "échec",
};

/* An exit status follows: those keys say a process's, any non-zero is
 * trouble. */
static const char *const exit_keys[] = {
	"exit status", "exit code", "exit value", "exited with code", "exited with status",
	"exited with", "return code", "returncode", "exitcode", "exit_code", "exit_status",
};
/* These say a status of anything (HTTP's 200 among them): only those
 * that look like a process's, 1-99, or 128 + a signal's number. */
static const char *const status_keys[] = { "status=", "rc=" };

static bool alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
}

static int cmp_word(const void *key, const void *elt)
{
	return strcmp(key, *(const char *const *)elt);
}

/* The token [s, e) of text is a word of its own, not a piece of a name:
 * no joiner before it, none after it with more of the name behind. */
static bool alone(const char *text, size_t s, size_t e)
{
	static const char joiners[] = "-_./\\+@~$%";

	if (s > 0 && strchr(joiners, text[s - 1]))
		return false;
	return !(text[e] && strchr(joiners, text[e]) && alnum(text[e + 1]));
}

/* Whether the token [s, e) is a trouble word alone, or the end of a
 * type's name (ValueError, java.io.IOException: a package before it). */
static bool trouble_word(const char *text, size_t s, size_t e)
{
	char tok[32];
	size_t n = e - s;

	if (n >= sizeof tok)
		return false;
	memcpy(tok, text + s, n);
	tok[n] = '\0';
	if (bsearch(tok, words, sizeof words / sizeof *words, sizeof *words, cmp_word))
		return alone(text, s, e);
	if (s > 0 && text[s - 1] != '.' && !alone(text, s, e))
		return false;
	return (n >= 7 && (!strcmp(tok + n - 5, "error") || !strcmp(tok + n - 6, "errors"))) ||
	       (n >= 11 && !strcmp(tok + n - 9, "exception"));
}

/* The token at s (ending at e) begins a pair whose second word follows. */
static bool trouble_pair(const char *text, size_t s, size_t e)
{
	size_t n = e - s, b = e, be;

	while (text[b] == ' ' || text[b] == '\'')
		b++;
	if (b == e || !alnum(text[b]))
		return false;
	for (be = b; alnum(text[be]); be++)
		;
	for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
		if (strlen(pairs[i][0]) == n && !memcmp(text + s, pairs[i][0], n) &&
		    strlen(pairs[i][1]) == be - b && !memcmp(text + b, pairs[i][1], be - b))
			/* "out of" only as "out of memory" */
			return strcmp(pairs[i][0], "out") || !strncmp(text + b, "of memory", 9);
	return false;
}

/* The number at p (after blanks, ':' or '='): *v, and what follows it in
 * *after; false when none. */
static bool number_at(const char *p, long *v, const char **after)
{
	char *end;

	while (*p == ' ' || *p == ':' || *p == '=')
		p++;
	if (!(*p >= '0' && *p <= '9') && !(*p == '-' && p[1] >= '0' && p[1] <= '9'))
		return false;
	*v = strtol(p, &end, 10);
	*after = end;
	/* A version or a time (1.2, 1:30) is no status. */
	return !alnum(*end) && !((*end == '.' || *end == ':') && alnum(end[1]));
}

static bool exit_status_at(const char *text, size_t s)
{
	const char *after;
	long v;

	for (size_t i = 0; i < sizeof exit_keys / sizeof *exit_keys; i++) {
		size_t n = strlen(exit_keys[i]);

		if (!strncmp(text + s, exit_keys[i], n) && !alnum(text[s + n]) &&
		    number_at(text + s + n, &v, &after))
			return v != 0;
	}
	for (size_t i = 0; i < sizeof status_keys / sizeof *status_keys; i++) {
		size_t n = strlen(status_keys[i]);

		if (!strncmp(text + s, status_keys[i], n) && number_at(text + s + n, &v, &after))
			/* systemd's status=203/exec names a process's status. */
			return (v >= 1 && v <= 99) || (v > 128 && v <= 128 + 64) ||
			       (v != 0 && *after == '/' && alnum(after[1]));
	}
	return false;
}

static void put(size_t *at, size_t *n, size_t max, size_t off)
{
	size_t i = *n;

	if (*n >= max)
		return;
	/* In order of offset: the other words come after the scan. */
	while (i > 0 && at[i - 1] > off) {
		at[i] = at[i - 1];
		i--;
	}
	at[i] = off;
	(*n)++;
}

size_t trouble_signs(const char *folded, size_t *at, size_t max)
{
	size_t n = 0, i = 0;

	while (folded[i] && n < max) {
		size_t s, e;

		while (folded[i] && !alnum(folded[i]))
			i++;
		if (!folded[i])
			break;
		/* A token of ASCII letters and digits, after no such byte. */
		s = i;
		for (e = s; alnum(folded[e]); e++)
			;
		i = e;
		if (s > 0 && (unsigned char)folded[s - 1] >= 0x80)
			continue;
		if (trouble_word(folded, s, e) || (alone(folded, s, e) && trouble_pair(folded, s, e)) ||
		    exit_status_at(folded, s))
			put(at, &n, max, s);
	}
	for (size_t k = 0; k < sizeof other_words / sizeof *other_words; k++) {
		const char *p = strstr(folded, other_words[k]);

		if (p)
			put(at, &n, max, (size_t)(p - folded));
	}
	for (size_t k = 0; k < sizeof hangup_causes / sizeof *hangup_causes && strchr(folded, '['); k++) {
		const char *p = strstr(folded, hangup_causes[k]);

		if (p)
			put(at, &n, max, (size_t)(p - folded + 1));
	}
	return n;
}

bool trouble_any(const char *folded)
{
	size_t at[1];

	return trouble_signs(folded, at, 1) > 0;
}

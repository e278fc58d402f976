/* make bench: a deterministic synthetic KB shaped like the real ones.
 *
 * Usage: genkb [-s SEED] [-d DIR] N
 *   writes N flat bilingual records as JSONL on standard output, or with
 *   -d one file a record under DIR/<domain>/ (a directory tree like
 *   data/kb).  The same N and SEED give the same bytes on every machine.
 *
 * Shaped like the deadends corpus and the shipped KB: 1-4 dead ends and
 * 1-5 workarounds, signatures of 9-300 characters around a median of 63,
 * root causes of 24-900, 0-7 links to other records, 54 domains and 534
 * categories of uneven size, a regex with literals taken from the
 * signature, Chinese twins for 60% of the records.  Words follow a Zipf
 * law over a vocabulary of 40,000 (so a common word is in nearly every
 * record, and a rare one in a few: both kinds of query exist), and every
 * signature carries a code of its own. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { NWORDS = 40000, NDOMAINS = 54, NCATS = 534 };

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint64_t next(void)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1Du;
}

static unsigned below(unsigned n)
{
	return (unsigned)(next() % n);
}

static double unit(void)
{
	return (double)(next() >> 11) / 9007199254740992.0;
}

/* The vocabulary: a few real words at the top, made-up ones after. */
static const char *const common[] = {
	"the", "to", "error", "failed", "is", "a", "of", "connection", "not", "for",
	"in", "when", "server", "file", "request", "timeout", "permission", "denied",
	"config", "client", "cannot", "service", "version", "because", "with", "user",
	"network", "process", "memory", "disk", "certificate", "module", "package",
	"port", "host", "key", "token", "database", "table", "index", "container",
	"image", "build", "install", "update", "restart", "missing", "invalid",
	"unable", "refused", "expired", "limit", "exceeded", "found", "path", "lock",
};
static char *words[NWORDS];
static double zipf[NWORDS];     /* cumulative weights */

static const char *const syl[] = {
	"ka", "lo", "mi", "ter", "sun", "dex", "pra", "vo", "gli", "nor", "que", "zen",
	"bar", "tis", "ul", "ro", "fa", "sen", "cor", "bi", "dun", "el", "har", "jo",
	"lek", "mar", "ny", "ost", "pel", "riv", "sta", "tuk", "vin", "wex", "yar", "zo",
};

/* Common Chinese characters, for the _zh twins. */
static const char *const han[] = {
	"的", "是", "不", "了", "在", "人", "有", "我", "他", "这", "个", "们", "中", "来",
	"上", "大", "为", "和", "国", "地", "到", "以", "说", "时", "要", "就", "出", "会",
	"可", "也", "你", "对", "生", "能", "而", "子", "那", "得", "于", "着", "下", "自",
	"之", "年", "过", "发", "后", "作", "里", "用", "道", "行", "所", "然", "家", "种",
	"事", "成", "方", "多", "经", "么", "去", "法", "学", "如", "都", "同", "现", "当",
	"没", "动", "面", "起", "看", "定", "天", "分", "还", "进", "好", "小", "部", "其",
	"些", "主", "样", "理", "心", "她", "本", "前", "开", "但", "因", "只", "从", "想",
	"实", "日", "军", "者", "意", "无", "力", "它", "与", "长", "把", "机", "十", "民",
	"第", "公", "此", "已", "工", "使", "情", "明", "性", "知", "全", "三", "又", "关",
	"点", "正", "业", "外", "将", "两", "高", "间", "由", "问", "很", "最", "重", "并",
	"物", "手", "应", "战", "向", "头", "文", "体", "政", "美", "相", "见", "被", "利",
	"什", "二", "等", "产", "或", "新", "己", "制", "身", "果", "加", "西", "斯", "月",
	"话", "合", "回", "特", "代", "内", "信", "表", "化", "老", "给", "世", "位", "次",
	"度", "门", "任", "常", "先", "海", "通", "教", "儿", "原", "东", "声", "提", "立",
	"及", "比", "员", "解", "水", "名", "真", "论", "处", "走", "义", "各", "入", "几",
	"错", "误", "连", "接", "失", "败", "服", "务", "器", "文", "件", "权", "限", "拒",
	"绝", "超", "配", "置", "证", "书", "版", "本", "端", "口", "网", "络", "存", "储",
};

static void make_words(void)
{
	size_t nc = sizeof common / sizeof *common, ns = sizeof syl / sizeof *syl;
	double sum = 0;

	for (unsigned i = 0; i < NWORDS; i++) {
		if (i < nc) {
			words[i] = strdup(common[i]);
		} else {
			char w[32];
			unsigned n = 2 + below(3), len = 0;

			for (unsigned j = 0; j < n; j++)
				len += (unsigned)snprintf(w + len, sizeof w - len, "%s", syl[below((unsigned)ns)]);
			/* Unique: a made-up word may repeat; its rank tells them apart. */
			if (i % 3 == 0)
				snprintf(w + len, sizeof w - len, "%u", i % 97);
			words[i] = strdup(w);
		}
		if (!words[i])
			exit(2);
		sum += 1.0 / (i + 1.0);
		zipf[i] = sum;
	}
}

static const char *word(void)
{
	double x = unit() * zipf[NWORDS - 1];
	unsigned lo = 0, hi = NWORDS - 1;

	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;

		if (zipf[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return words[lo];
}

/* A length with a skewed spread between lo and hi, about med in the middle. */
static unsigned length(unsigned lo, unsigned med, unsigned hi)
{
	double u = unit();

	if (u < 0.5)
		return lo + (unsigned)((med - lo) * (u * 2));
	u = (u - 0.5) * 2;
	return med + (unsigned)((hi - med) * u * u * u);
}

/* ---- output ---- */

static FILE *out;

static void put(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void put(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
}

/* English text of about n characters, words from the Zipf law, now and
 * then a command in quotes or a path. */
static void text_en(unsigned n)
{
	unsigned len = 0;

	while (len < n) {
		unsigned r = below(40);

		if (len)
			len += (unsigned)fprintf(out, " ");
		if (r == 0)
			len += (unsigned)fprintf(out, "'systemctl restart %s'", word());
		else if (r == 1)
			len += (unsigned)fprintf(out, "/etc/%s/%s.conf", word(), word());
		else if (r == 2)
			len += (unsigned)fprintf(out, "'%s --%s=%u'", word(), word(), below(1000));
		else
			len += (unsigned)fprintf(out, "%s", word());
	}
	fputc('.', out);
}

static void text_zh(unsigned n)
{
	unsigned len = 0;

	while (len < n) {
		unsigned r = below(12);

		if (r == 0)
			fputs("，", out);
		else if (r == 1)
			len += (unsigned)fprintf(out, " %s ", word());
		else
			fputs(han[below(sizeof han / sizeof *han)], out);
		len++;
	}
	fputs("。", out);
}

static void field_en(const char *name, unsigned n)
{
	put("\"%s\":\"", name);
	text_en(n);
	put("\"");
}

static void field_zh(const char *name, unsigned n)
{
	put(",\"%s\":\"", name);
	text_zh(n);
	put("\"");
}

static const char *const tiers[] = { "ai_generated", "auto_generated", "human_reviewed", "community_verified" };
static const char *const resolv[] = { "true", "partial", "false" };

static char domains[NDOMAINS][24];
static char cats[NCATS][32];

/* An index with a skew: the first ones are picked most. */
static unsigned skewed(unsigned n)
{
	double u = unit();

	return (unsigned)(n * u * u);
}

static void id_of(unsigned long i, char *buf, size_t n)
{
	/* The same record i always has the same domain: a link can name it. */
	uint64_t save = rng;

	rng = 0xD1B54A32D192ED03u ^ (i * 0x9E3779B97F4A7C15u);
	next();
	snprintf(buf, n, "%s/rec-%lu", domains[skewed(NDOMAINS)], i);
	rng = save;
}

static void record(unsigned long i, unsigned long total)
{
	char id[64], code[32];
	const char *dom;
	unsigned nsig = length(9, 63, 300), nde = 1 + skewed(4), nwa = 1 + skewed(5), nlinks;
	bool zh = below(10) < 6;
	const char *w1, *w2, *w3;

	id_of(i, id, sizeof id);
	dom = id;
	snprintf(code, sizeof code, "E%lX%u", i, below(100));
	put("{\"id\":\"%s\"", id);
	/* The signature: a code of its own, words, the same three words in
	 * the regex. */
	w1 = word();
	w2 = word();
	w3 = word();
	put(",\"signature\":\"%s %s: %s %s ", code, w1, w2, w3);
	text_en(nsig > 20 ? nsig - 20 : 1);
	put("\"");
	if (zh) {
		put(",\"signature_zh\":\"%s %s：", code, w1);
		text_zh(nsig / 3 + 2);
		put("\"");
	}
	put(",\"regex\":\"%s\\\\s+%s:\\\\s+%s.*%s\"", code, w1, w2, w3);
	put(",\"domain\":\"%.*s\"", (int)(strchr(dom, '/') - dom), dom);
	put(",\"category\":\"%s\",\"subcategory\":null,", cats[skewed(NCATS)]);
	field_en("root_cause", length(24, 110, 899));
	if (zh)
		field_zh("root_cause_zh", length(12, 50, 400));
	put(",\"root_cause_type\":\"generic\",\"versions\":[");
	for (unsigned v = 0, nv = below(4); v < nv; v++)
		put("%s{\"version\":\"%s %u.%u\",\"introduced\":null,\"deprecated\":null,\"removed\":null,"
		    "\"behavior_change\":null,\"status\":\"active\"}", v ? "," : "", word(), below(20), below(10));
	put("],\"os_specific\":{},\"dead_ends\":[");
	for (unsigned d = 0; d < nde; d++) {
		put("%s{", d ? "," : "");
		field_en("action", length(10, 58, 438));
		put(",");
		field_en("why_fails", length(5, 94, 664));
		put(",\"fail_rate\":%.2f,\"condition\":\"\",\"sources\":[]}", unit());
	}
	put("],\"workarounds\":[");
	for (unsigned w = 0; w < nwa; w++) {
		put("%s{", w ? "," : "");
		field_en("action", length(10, 58, 438));
		put(",\"success_rate\":%.2f,", unit());
		field_en("how", length(10, 80, 300));
		put(",\"condition\":\"\",\"sources\":[]}");
	}
	put("]");
	if (zh) {
		put(",\"workarounds_zh\":[");
		for (unsigned w = 0; w < nwa; w++) {
			put("%s\"", w ? "," : "");
			text_zh(length(10, 30, 150));
			put("\"");
		}
		put("]");
	}
	put(",\"transition_graph\":{");
	nlinks = skewed(8);
	{
		static const char *const kinds[] = { "leads_to", "preceded_by", "frequently_confused_with" };

		for (unsigned k = 0; k < 3; k++) {
			put("%s\"%s\":[", k ? "," : "", kinds[k]);
			for (unsigned l = 0, nl = nlinks / 3 + (k < nlinks % 3); l < nl; l++) {
				char to[64];

				id_of((unsigned long)next() % total, to, sizeof to);
				put("%s{\"error_id\":\"%s\",\"probability\":%.2f}", l ? "," : "", to, unit());
			}
			put("]");
		}
	}
	put("},\"official_doc_url\":\"https://docs.example.org/%s/%s\",\"official_doc_section\":null",
	    word(), word());
	put(",\"error_code\":\"%s\",\"verification_tier\":\"%s\",\"confidence\":%.2f,\"fix_success_rate\":%.2f",
	    code, tiers[below(4)], unit(), unit());
	put(",\"resolvable\":\"%s\",\"first_seen\":\"20%02u-%02u-%02u\",\"last_confirmed\":\"2026-%02u-%02u\"",
	    resolv[below(3)], 15 + below(10), 1 + below(12), 1 + below(28), 1 + below(12), 1 + below(28));
	put(",\"last_updated\":\"2026-%02u-%02u\",\"evidence_count\":%u", 1 + below(12), 1 + below(28), below(50));
	put(",\"tags\":[\"%s\",\"%s\"],\"aliases\":[],\"locale\":\"en\"}\n", word(), word());
}

static void usage(void)
{
	fprintf(stderr, "usage: genkb [-s SEED] [-d DIR] N\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *dir = NULL;
	unsigned long n, seed = 1;
	int opt;

	while ((opt = getopt(argc, argv, "s:d:")) != -1) {
		if (opt == 's')
			seed = strtoul(optarg, NULL, 10);
		else if (opt == 'd')
			dir = optarg;
		else
			usage();
	}
	if (optind != argc - 1)
		usage();
	n = strtoul(argv[optind], NULL, 10);
	if (!n)
		usage();
	rng ^= seed * 0xBF58476D1CE4E5B9u;
	next();
	make_words();
	for (unsigned i = 0; i < NDOMAINS; i++)
		snprintf(domains[i], sizeof domains[i], "%s%s", syl[i % 36], i < 36 ? "" : syl[(i * 7) % 36]);
	for (unsigned i = 0; i < NCATS; i++)
		snprintf(cats[i], sizeof cats[i], "%s_%s", words[60 + i * 5], i % 2 ? "error" : "failure");
	out = stdout;
	for (unsigned long i = 0; i < n; i++) {
		if (dir) {
			char path[512], id[64];
			char *slash;

			id_of(i, id, sizeof id);
			slash = strchr(id, '/');
			*slash = '\0';
			snprintf(path, sizeof path, "%s/%s", dir, id);
			if ((mkdir(dir, 0755) != 0 && errno != EEXIST) ||
			    (mkdir(path, 0755) != 0 && errno != EEXIST)) {
				perror(path);
				return 1;
			}
			snprintf(path, sizeof path, "%s/%s/%s.json", dir, id, slash + 1);
			out = fopen(path, "w");
			if (!out) {
				perror(path);
				return 1;
			}
			record(i, n);
			if (fclose(out) != 0) {
				perror(path);
				return 1;
			}
		} else {
			record(i, n);
		}
	}
	if (!dir && (fflush(stdout) != 0 || ferror(stdout))) {
		perror("genkb");
		return 1;
	}
	return 0;
}

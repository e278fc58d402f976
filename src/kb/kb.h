/* The knowledge-base model: records converted from either JSON format into
 * compact structs whose strings live in one arena, with an id index,
 * reverse links and facet tables.  Knows nothing of curses. */
#ifndef ERRKB_KB_H
#define ERRKB_KB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "lang.h"
#include "strmap.h"

enum kb_zh_state {
	KB_ZH_NONE,          /* no _zh twin: show English, marked */
	KB_ZH_OK,            /* a real Chinese twin */
	KB_ZH_UNTRANSLATED,  /* a twin with no Chinese in it */
};

/* A text field with its optional Chinese twin; en may be NULL when the
 * record has no such field. */
typedef struct kb_text {
	const char *en, *zh;
	uint8_t zh_state;
} kb_text;

/* A member the format does not name, kept to be shown: strings as text,
 * anything else as compact JSON. */
typedef struct kb_extra {
	const char *key, *value;
	bool json;
} kb_extra;

typedef struct kb_version {
	const char *version, *introduced, *deprecated, *removed,
		   *behavior_change, *status;
} kb_version;

typedef struct kb_dead_end {
	kb_text action, why_fails, condition;
	double fail_rate;              /* NAN when absent */
	const char **sources;
	kb_extra *extra;
	uint32_t nsources, nextra;
} kb_dead_end;

typedef struct kb_workaround {
	kb_text action, how, condition;
	double success_rate;           /* NAN when absent */
	const char **sources;
	kb_extra *extra;
	uint32_t nsources, nextra;
} kb_workaround;

enum kb_link_kind { KB_LEADS_TO, KB_PRECEDED_BY, KB_CONFUSED_WITH, KB_LINK_KINDS };

typedef struct kb_link {
	const char *target_id;
	uint32_t target;               /* record index, or KB_NONE if not in the KB */
	double probability;            /* NAN when absent */
	kb_text condition, typical_delay, distinction;
} kb_link;

/* Who points at a record: the reverse of kb_link. */
typedef struct kb_backlink {
	uint32_t from;
	uint8_t kind;
} kb_backlink;

enum kb_resolvable { KB_RES_UNKNOWN, KB_RES_TRUE, KB_RES_PARTIAL, KB_RES_FALSE };
enum kb_format { KB_FORMAT_FLAT, KB_FORMAT_CANON };

#define KB_NONE UINT32_MAX
/* The most items an array of a record keeps (its count is a uint32_t); an
 * array longer than that is cut, and reported. */
#define KB_MAX_ITEMS UINT32_MAX

typedef struct kb_record {
	const char *id;
	kb_text signature, root_cause, official_doc_section;
	/* regex_zh: the pattern of the message as the program prints it
	 * under a Chinese locale (the localized twin of regex, a pattern of
	 * its own, not a translation of it); NULL when none. */
	const char *regex, *regex_zh, *domain, *category, *subcategory, *root_cause_type,
		   *error_code, *verification_tier, *official_doc_url, *locale,
		   *first_seen, *last_confirmed, *last_updated;
	double confidence, fix_success_rate;   /* NAN when absent */
	int32_t evidence_count;                /* -1 when absent */
	uint32_t domain_ix, category_ix;
	uint8_t resolvable, format;

	kb_version *versions;
	kb_extra *os_specific;     /* OS name -> notes */
	kb_extra *environment;     /* canon environment facts */
	kb_dead_end *dead_ends;
	kb_workaround *workarounds;
	kb_link *links[KB_LINK_KINDS];
	kb_backlink *backlinks;
	const char **tags, **aliases;
	const char **sources;      /* where the record comes from (URLs) */
	kb_extra *extra;           /* top-level members the format does not name */
	/* Array lengths: as many items as the file holds (KB_MAX_ITEMS at
	 * most, which memory reaches long before). */
	uint32_t nversions, nos_specific, nenvironment, ndead_ends, nworkarounds,
		 nlinks[KB_LINK_KINDS], nbacklinks, ntags, naliases, nsources, nextra;

	/* Bilingual bookkeeping, for markers and `check`. */
	uint32_t zh_missing, zh_untranslated;

	const char *path;          /* source file */
	uint32_t line;             /* line of the record in it */
} kb_record;

/* A facet: one domain or category value and how many records carry it. */
typedef struct kb_facet {
	const char *name;
	uint32_t count;
} kb_facet;

typedef struct kb {
	arena mem;
	kb_record *recs;
	size_t nrecs, caprecs;
	strmap ids;
	kb_facet *domains, *categories;
	size_t ndomains, ncategories, capdomains, capcategories;
	strmap domain_ix, category_ix;
	diag_list diags;
	size_t files, skipped;     /* files read; records not loaded */
	size_t json_bytes;         /* total size of the JSON read */
} kb;

void kb_init(kb *k);
void kb_free(kb *k);
/* Adds a converted record (its strings already in k->mem).  A duplicate id
 * is reported and dropped (first wins); returns false then. */
bool kb_add(kb *k, const kb_record *r);
/* Puts r at index i of k->recs, an empty slot (zeroed, below nrecs) of a
 * KB whose records come in another order than they are numbered (the
 * browser's heads, kbcache_slots).  False, and nothing put, when its id
 * is at another index already. */
bool kb_put(kb *k, size_t i, const kb_record *r);
/* Resolves links to indexes, builds reverse links, reports dangling ones.
 * Call once after all files are loaded. */
void kb_finish(kb *k);
const kb_record *kb_find(const kb *k, const char *id);
size_t kb_index_of(const kb *k, const char *id);

/* Of each record, what match needs and no more: its id, signature,
 * confidence (NAN: none) and regexes (NULL: none), a tenth of a kb_record
 * (a KB of a million records is matched in less than half the memory).
 * Record i of a KB is record i here.  Strings are mem's, or the KB's
 * (kb_slim_of: it must outlive s). */
typedef struct kb_slim {
	arena mem;
	size_t n, cap;
	const char **id, **regex, **regex_zh;
	const char **sig_en, **sig_zh;   /* the signature's texts (kb_slim_sig) */
	uint8_t *zh_state;
	double *confidence;
	int64_t *rid;                    /* keys in the index, when asked for; else NULL */
} kb_slim;

void kb_slim_init(kb_slim *s);
/* One record more, its strings as given. */
void kb_slim_add(kb_slim *s, const char *id, const kb_text *sig, double confidence, const char *regex,
		 const char *regex_zh);
/* Record i's signature. */
kb_text kb_slim_sig(const kb_slim *s, size_t i);
/* s's records put in another order: record i is the one that was at
 * perm[i] (perm holds each of 0 .. s->n - 1 once). */
void kb_slim_permute(kb_slim *s, const uint32_t *perm);
/* Into the empty s, every record of k, their strings k's. */
void kb_slim_of(kb_slim *s, const kb *k);
void kb_slim_free(kb_slim *s);

/* The distinct http(s) links r cites: its own sources and its dead
 * ends' and workarounds' (what evidence_count counts in the shipped KB). */
size_t kb_source_count(const kb_record *r);

/* Whether r's rates (success, fail, fix success) are estimates written
 * with the record (its verification tier is ai_generated, or the
 * corpus's auto_generated), not counts of what happened: the detail,
 * show and JSON output say so. */
bool kb_rates_estimated(const kb_record *r);

/* The text in lang, falling back to English; *fallback tells whether the
 * English was used for a Chinese request. */
const char *kb_text_get(const kb_text *t, enum kb_lang lang, bool *fallback);

const char *kb_link_kind_name(enum kb_link_kind kind);
const char *kb_resolvable_name(enum kb_resolvable r);

#endif

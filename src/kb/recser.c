#include <config.h>
#include "recser.h"
#include "textscan.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* The layout, in order: a version byte, then every field of kb_record as
 * recser_put writes it.  Unsigned integers are LEB128 varints; a string is
 * varint(length + 1) and its bytes, 0 for NULL; a double is its 8 bytes
 * (NAN included) in the machine's order, as the index never leaves it. */
enum { RECSER_VERSION = 2 };

void recbuf_free(recbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

void recbuf_bytes(recbuf *b, const void *p, size_t n)
{
	b->p = xgrow(b->p, &b->cap, b->n + n, 1);
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

void recbuf_varint(recbuf *b, uint64_t v)
{
	unsigned char t[10];
	size_t n = 0;

	do {
		t[n] = (unsigned char)(v & 0x7F);
		v >>= 7;
		if (v)
			t[n] |= 0x80;
		n++;
	} while (v);
	recbuf_bytes(b, t, n);
}

void recbuf_str(recbuf *b, const char *s)
{
	size_t n;

	if (!s) {
		recbuf_varint(b, 0);
		return;
	}
	n = strlen(s);
	recbuf_varint(b, (uint64_t)n + 1);
	recbuf_bytes(b, s, n);
}

static void put_double(recbuf *b, double d)
{
	recbuf_bytes(b, &d, sizeof d);
}

static void put_text(recbuf *b, const kb_text *t)
{
	recbuf_str(b, t->en);
	recbuf_str(b, t->zh);
	recbuf_varint(b, t->zh_state);
}

static void put_strs(recbuf *b, const char *const *v, uint32_t n)
{
	recbuf_varint(b, n);
	for (uint32_t i = 0; i < n; i++)
		recbuf_str(b, v[i]);
}

static void put_extras(recbuf *b, const kb_extra *v, uint32_t n)
{
	recbuf_varint(b, n);
	for (uint32_t i = 0; i < n; i++) {
		recbuf_str(b, v[i].key);
		recbuf_str(b, v[i].value);
		recbuf_varint(b, v[i].json);
	}
}

void recser_put(recbuf *b, const kb_record *r)
{
	const char *const strs[] = {
		r->id, r->regex, r->regex_zh, r->domain, r->category, r->subcategory, r->root_cause_type,
		r->error_code, r->verification_tier, r->official_doc_url, r->locale,
		r->first_seen, r->last_confirmed, r->last_updated,
	};

	recbuf_varint(b, RECSER_VERSION);
	for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
		recbuf_str(b, strs[i]);
	put_text(b, &r->signature);
	put_text(b, &r->root_cause);
	put_text(b, &r->official_doc_section);
	put_double(b, r->confidence);
	put_double(b, r->fix_success_rate);
	recbuf_varint(b, (uint32_t)r->evidence_count);
	recbuf_varint(b, r->resolvable);
	recbuf_varint(b, r->format);
	recbuf_varint(b, r->nversions);
	for (uint32_t i = 0; i < r->nversions; i++) {
		const kb_version *v = &r->versions[i];

		recbuf_str(b, v->version);
		recbuf_str(b, v->introduced);
		recbuf_str(b, v->deprecated);
		recbuf_str(b, v->removed);
		recbuf_str(b, v->behavior_change);
		recbuf_str(b, v->status);
	}
	put_extras(b, r->os_specific, r->nos_specific);
	put_extras(b, r->environment, r->nenvironment);
	recbuf_varint(b, r->ndead_ends);
	for (uint32_t i = 0; i < r->ndead_ends; i++) {
		const kb_dead_end *d = &r->dead_ends[i];

		put_text(b, &d->action);
		put_text(b, &d->why_fails);
		put_text(b, &d->condition);
		put_double(b, d->fail_rate);
		put_strs(b, d->sources, d->nsources);
		put_extras(b, d->extra, d->nextra);
	}
	recbuf_varint(b, r->nworkarounds);
	for (uint32_t i = 0; i < r->nworkarounds; i++) {
		const kb_workaround *w = &r->workarounds[i];

		put_text(b, &w->action);
		put_text(b, &w->how);
		put_text(b, &w->condition);
		put_double(b, w->success_rate);
		put_strs(b, w->sources, w->nsources);
		put_extras(b, w->extra, w->nextra);
	}
	for (int kind = 0; kind < KB_LINK_KINDS; kind++) {
		recbuf_varint(b, r->nlinks[kind]);
		for (uint32_t i = 0; i < r->nlinks[kind]; i++) {
			const kb_link *l = &r->links[kind][i];

			recbuf_str(b, l->target_id);
			put_double(b, l->probability);
			put_text(b, &l->condition);
			put_text(b, &l->typical_delay);
			put_text(b, &l->distinction);
		}
	}
	put_strs(b, r->tags, r->ntags);
	put_strs(b, r->aliases, r->naliases);
	put_strs(b, r->sources, r->nsources);
	put_extras(b, r->extra, r->nextra);
	recbuf_varint(b, r->zh_missing);
	recbuf_varint(b, r->zh_untranslated);
	recbuf_varint(b, r->line);
}

/* ---- reading ---- */

uint64_t recreader_varint(recreader *r)
{
	uint64_t v = 0;

	for (unsigned shift = 0; !r->bad; shift += 7) {
		unsigned char c;

		if (r->p >= r->end || shift > 63) {
			r->bad = true;
			break;
		}
		c = *r->p++;
		v |= (uint64_t)(c & 0x7F) << shift;
		if (!(c & 0x80))
			return v;
	}
	return 0;
}

static uint32_t get_u32(recreader *r)
{
	uint64_t v = recreader_varint(r);

	if (v > UINT32_MAX)
		r->bad = true;
	return (uint32_t)v;
}

const char *recreader_str(recreader *r, arena *a)
{
	uint64_t n = recreader_varint(r);

	if (r->bad || n == 0)
		return NULL;
	n--;
	if (n > (uint64_t)(r->end - r->p) || memchr(r->p, '\0', (size_t)n) ||
	    text_invalid_utf8((const char *)r->p, (size_t)n) != (size_t)-1) {
		r->bad = true;
		return NULL;
	}
	r->p += n;
	return arena_strndup(a, (const char *)r->p - n, (size_t)n);
}

static double get_double(recreader *r)
{
	double d = 0;

	if ((size_t)(r->end - r->p) < sizeof d) {
		r->bad = true;
		return 0;
	}
	memcpy(&d, r->p, sizeof d);
	r->p += sizeof d;
	return d;
}

static void get_text(recreader *r, arena *a, kb_text *t)
{
	t->en = recreader_str(r, a);
	t->zh = recreader_str(r, a);
	t->zh_state = (uint8_t)recreader_varint(r);
	if (t->zh_state > KB_ZH_UNTRANSLATED)
		r->bad = true;
}

/* An array of n items of size sz, in a; every item takes a byte at
 * least, so a count beyond the bytes left is a lie, caught before any
 * allocation. */
static void *get_array(recreader *r, arena *a, uint32_t *n, size_t sz)
{
	*n = get_u32(r);
	if (r->bad || *n == 0)
		return *n = 0, NULL;
	if (*n > (size_t)(r->end - r->p)) {
		r->bad = true;
		*n = 0;
		return NULL;
	}
	return arena_alloc(a, (size_t)*n * sz);
}

static const char **get_strs(recreader *r, arena *a, uint32_t *n)
{
	const char **v = get_array(r, a, n, sizeof *v);

	for (uint32_t i = 0; i < *n && !r->bad; i++)
		v[i] = recreader_str(r, a);
	return v;
}

static kb_extra *get_extras(recreader *r, arena *a, uint32_t *n)
{
	kb_extra *v = get_array(r, a, n, sizeof *v);

	for (uint32_t i = 0; i < *n && !r->bad; i++) {
		v[i].key = recreader_str(r, a);
		v[i].value = recreader_str(r, a);
		v[i].json = recreader_varint(r) != 0;
		if (!v[i].key || !v[i].value)
			r->bad = true;
	}
	return v;
}

bool recser_get(const void *p, size_t n, arena *a, const char *path, kb_record *out)
{
	recreader rd = { .p = p, .end = (const unsigned char *)p + n };
	recreader *r = &rd;
	kb_record rec;
	const char **strs[] = {
		&rec.id, &rec.regex, &rec.regex_zh, &rec.domain, &rec.category, &rec.subcategory,
		&rec.root_cause_type, &rec.error_code, &rec.verification_tier,
		&rec.official_doc_url, &rec.locale, &rec.first_seen, &rec.last_confirmed,
		&rec.last_updated,
	};

	memset(&rec, 0, sizeof rec);
	if (recreader_varint(r) != RECSER_VERSION)
		return false;
	for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
		*strs[i] = recreader_str(r, a);
	/* What every loaded record has. */
	if (!rec.id || !rec.domain || !rec.category)
		return false;
	get_text(r, a, &rec.signature);
	get_text(r, a, &rec.root_cause);
	get_text(r, a, &rec.official_doc_section);
	rec.confidence = get_double(r);
	rec.fix_success_rate = get_double(r);
	rec.evidence_count = (int32_t)get_u32(r);
	rec.resolvable = (uint8_t)recreader_varint(r);
	rec.format = (uint8_t)recreader_varint(r);
	if (rec.resolvable > KB_RES_FALSE || rec.format > KB_FORMAT_CANON)
		r->bad = true;
	rec.versions = get_array(r, a, &rec.nversions, sizeof *rec.versions);
	for (uint32_t i = 0; i < rec.nversions && !r->bad; i++) {
		kb_version *v = &rec.versions[i];

		v->version = recreader_str(r, a);
		v->introduced = recreader_str(r, a);
		v->deprecated = recreader_str(r, a);
		v->removed = recreader_str(r, a);
		v->behavior_change = recreader_str(r, a);
		v->status = recreader_str(r, a);
	}
	rec.os_specific = get_extras(r, a, &rec.nos_specific);
	rec.environment = get_extras(r, a, &rec.nenvironment);
	rec.dead_ends = get_array(r, a, &rec.ndead_ends, sizeof *rec.dead_ends);
	for (uint32_t i = 0; i < rec.ndead_ends && !r->bad; i++) {
		kb_dead_end *d = &rec.dead_ends[i];

		get_text(r, a, &d->action);
		get_text(r, a, &d->why_fails);
		get_text(r, a, &d->condition);
		d->fail_rate = get_double(r);
		d->sources = get_strs(r, a, &d->nsources);
		d->extra = get_extras(r, a, &d->nextra);
	}
	rec.workarounds = get_array(r, a, &rec.nworkarounds, sizeof *rec.workarounds);
	for (uint32_t i = 0; i < rec.nworkarounds && !r->bad; i++) {
		kb_workaround *w = &rec.workarounds[i];

		get_text(r, a, &w->action);
		get_text(r, a, &w->how);
		get_text(r, a, &w->condition);
		w->success_rate = get_double(r);
		w->sources = get_strs(r, a, &w->nsources);
		w->extra = get_extras(r, a, &w->nextra);
	}
	for (int kind = 0; kind < KB_LINK_KINDS && !r->bad; kind++) {
		rec.links[kind] = get_array(r, a, &rec.nlinks[kind], sizeof *rec.links[kind]);
		for (uint32_t i = 0; i < rec.nlinks[kind] && !r->bad; i++) {
			kb_link *l = &rec.links[kind][i];

			l->target_id = recreader_str(r, a);
			if (!l->target_id)
				r->bad = true;
			l->target = KB_NONE;
			l->probability = get_double(r);
			get_text(r, a, &l->condition);
			get_text(r, a, &l->typical_delay);
			get_text(r, a, &l->distinction);
		}
	}
	rec.tags = get_strs(r, a, &rec.ntags);
	rec.aliases = get_strs(r, a, &rec.naliases);
	rec.sources = get_strs(r, a, &rec.nsources);
	rec.extra = get_extras(r, a, &rec.nextra);
	rec.zh_missing = get_u32(r);
	rec.zh_untranslated = get_u32(r);
	rec.line = get_u32(r);
	if (r->bad || r->p != r->end)
		return false;
	rec.path = path;
	*out = rec;
	return true;
}

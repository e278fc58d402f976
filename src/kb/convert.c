#include <config.h>
#include "convert.h"
#include "i18n.h"
#include "jsonpos.h"
#include "textscan.h"
#include "xalloc.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void conv_diag(conv *c, enum diag_kind kind, const char *at, const char *name,
	       const char *fmt, ...)
{
	char jpath[512], *msg;
	unsigned line = 0, col = 0;
	size_t off = JSONPOS_NONE;
	va_list ap;
	int n;

	snprintf(jpath, sizeof jpath, "%s%s%s", at,
		 *at && name && *name && *name != '[' ? "." : "", name ? name : "");
	if (c->buf && c->start != JSONPOS_NONE) {
		off = json_locate(c->buf, c->len, c->start, jpath);
		if (off == JSONPOS_NONE)      /* missing member: point at its object */
			off = json_locate(c->buf, c->len, c->start, at);
		if (off == JSONPOS_NONE)
			off = c->start;
		json_linecol_from(c->buf, c->line_no ? c->line_off : 0, c->line_no ? c->line_no : 1,
				  off, &line, &col);
	}
	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		die("out of memory");
	if (*jpath)
		diag_add(&c->k->diags, kind, c->path, line, col, c->id, "%s: %s", jpath, msg);
	else
		diag_add(&c->k->diags, kind, c->path, line, col, c->id, "%s", msg);
	free(msg);
}

static const char *type_name(const cJSON *v)
{
	if (cJSON_IsString(v)) return "string";
	if (cJSON_IsNumber(v)) return "number";
	if (cJSON_IsBool(v)) return "boolean";
	if (cJSON_IsArray(v)) return "array";
	if (cJSON_IsObject(v)) return "object";
	return "null";
}

/* Copy untrusted text into the arena, repairing invalid UTF-8 so that the
 * model only ever holds valid UTF-8. */
static const char *keep(conv *c, const char *s, const char *at, const char *name)
{
	size_t n = strlen(s), bad = text_invalid_utf8(s, n);
	const char *out;

	if (bad != (size_t)-1) {
		char *fixed = text_repair_utf8(s, n);

		conv_diag(c, DK_INVALID_UTF8, at, name,
			  _("invalid UTF-8 at byte %zu of the text; shown as U+FFFD"), bad);
		out = arena_strdup(&c->k->mem, fixed);
		free(fixed);
		return out;
	}
	if (text_has_control(s))
		conv_diag(c, DK_CONTROL_CHAR, at, name,
			  _("text holds control or bidi formatting characters; they are shown as placeholders"));
	return arena_strndup(&c->k->mem, s, n);
}

const char *conv_str(conv *c, const cJSON *obj, const char *name, const char *at)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	if (!v || cJSON_IsNull(v))
		return NULL;
	if (!cJSON_IsString(v)) {
		conv_diag(c, DK_WRONG_TYPE, at, name, _("expected a string, found %s"), type_name(v));
		return NULL;
	}
	return keep(c, v->valuestring, at, name);
}

const char *conv_required(conv *c, const cJSON *obj, const char *name, const char *at)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
	const char *s;

	if (!v) {
		conv_diag(c, DK_MISSING_FIELD, at, NULL, _("required field '%s' is missing"), name);
		c->fatal = true;
		return NULL;
	}
	s = conv_str(c, obj, name, at);
	if (!s || !*s) {
		if (cJSON_IsString(v) || cJSON_IsNull(v))
			conv_diag(c, DK_MISSING_FIELD, at, name, _("required field is empty"));
		c->fatal = true;
		return NULL;
	}
	return s;
}

void conv_set_zh(conv *c, kb_text *t, const cJSON *v, const char *at, const char *name)
{
	if (!v || cJSON_IsNull(v))
		return;
	if (!cJSON_IsString(v)) {
		conv_diag(c, DK_WRONG_TYPE, at, name, _("expected a string, found %s"), type_name(v));
		return;
	}
	if (!*v->valuestring)
		return;
	t->zh = keep(c, v->valuestring, at, name);
	if (text_has_han(t->zh)) {
		t->zh_state = KB_ZH_OK;
	} else {
		t->zh_state = KB_ZH_UNTRANSLATED;
		conv_diag(c, DK_ZH_NOT_CJK, at, name, _("Chinese twin holds no Chinese text"));
	}
}

kb_text conv_text(conv *c, const cJSON *obj, const char *name, const char *at)
{
	char zhname[128];
	size_t n = strlen(name);
	kb_text t = { 0 };

	if (n + 4 > sizeof zhname)
		n = sizeof zhname - 4;
	memcpy(zhname, name, n);
	memcpy(zhname + n, "_zh", 4);
	t.en = conv_str(c, obj, name, at);
	conv_set_zh(c, &t, cJSON_GetObjectItemCaseSensitive(obj, zhname), at, zhname);
	return t;
}

double conv_rate(conv *c, const cJSON *obj, const char *name, const char *at)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	if (!v || cJSON_IsNull(v))
		return NAN;
	if (!cJSON_IsNumber(v)) {
		conv_diag(c, DK_WRONG_TYPE, at, name, _("expected a number from 0 to 1, found %s"),
			  type_name(v));
		return NAN;
	}
	if (!(v->valuedouble >= 0.0 && v->valuedouble <= 1.0)) {
		conv_diag(c, DK_RATE_RANGE, at, name, _("%g is outside 0..1"), v->valuedouble);
		return NAN;
	}
	return v->valuedouble;
}

static bool valid_date(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	return m != 2 || d < 29 || (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
}

const char *conv_date(conv *c, const cJSON *obj, const char *name, const char *at)
{
	const char *s = conv_str(c, obj, name, at);

	if (s && !valid_date(s))
		conv_diag(c, DK_BAD_DATE, at, name, _("'%s' is not a date of the form YYYY-MM-DD"), s);
	return s;
}

uint8_t conv_resolvable(conv *c, const cJSON *obj, const char *name, const char *at)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	if (!v || cJSON_IsNull(v))
		return KB_RES_UNKNOWN;
	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v) ? KB_RES_TRUE : KB_RES_FALSE;
	if (cJSON_IsString(v)) {
		if (!strcmp(v->valuestring, "true")) return KB_RES_TRUE;
		if (!strcmp(v->valuestring, "partial")) return KB_RES_PARTIAL;
		if (!strcmp(v->valuestring, "false")) return KB_RES_FALSE;
		conv_diag(c, DK_BAD_VALUE, at, name,
			  _("expected \"true\", \"partial\" or \"false\""));
		return KB_RES_UNKNOWN;
	}
	conv_diag(c, DK_WRONG_TYPE, at, name, _("expected a string or boolean, found %s"), type_name(v));
	return KB_RES_UNKNOWN;
}

int32_t conv_count(conv *c, const cJSON *obj, const char *name, const char *at)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	if (!v || cJSON_IsNull(v))
		return -1;
	if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > INT32_MAX ||
	    v->valuedouble != floor(v->valuedouble)) {
		conv_diag(c, DK_WRONG_TYPE, at, name, _("expected a whole number of at least 0"));
		return -1;
	}
	return (int32_t)v->valuedouble;
}

static const cJSON *array_member(conv *c, const cJSON *obj, const char *name, const char *at)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	if (!v || cJSON_IsNull(v))
		return NULL;
	if (!cJSON_IsArray(v)) {
		conv_diag(c, DK_WRONG_TYPE, at, name, _("expected an array, found %s"), type_name(v));
		return NULL;
	}
	return v;
}

uint32_t conv_count_items(conv *c, const cJSON *arr, const char *at, const char *name)
{
	size_t n = 0;

	/* Counted here: cJSON_GetArraySize() counts in an int. */
	for (const cJSON *it = arr ? arr->child : NULL; it; it = it->next)
		n++;
	if (n > KB_MAX_ITEMS) {
		conv_diag(c, DK_BAD_VALUE, at, name,
			  ngettext("holds %zu item; only the first %zu are kept",
				   "holds %zu items; only the first %zu are kept", n),
			  n, (size_t)KB_MAX_ITEMS);
		n = KB_MAX_ITEMS;
	}
	return (uint32_t)n;
}

const char **conv_strings(conv *c, const cJSON *obj, const char *name,
			  const char *at, uint32_t *n)
{
	const cJSON *arr = array_member(c, obj, name, at), *it;
	const char **v;
	char here[256];
	uint32_t count = conv_count_items(c, arr, at, name), i = 0;

	*n = 0;
	if (!count)
		return NULL;
	v = arena_alloc(&c->k->mem, (size_t)count * sizeof *v);
	snprintf(here, sizeof here, "%s%s%s", at, *at ? "." : "", name);
	for (it = arr->child; it && i < count; it = it->next, i++) {
		char idx[16];

		snprintf(idx, sizeof idx, "[%" PRIu32 "]", i);
		if (!cJSON_IsString(it)) {
			char item[300];

			snprintf(item, sizeof item, "%s%s", here, idx);
			conv_diag(c, DK_WRONG_TYPE, item, NULL, _("expected a string, found %s"),
				  type_name(it));
			continue;
		}
		v[(*n)++] = keep(c, it->valuestring, here, idx);
	}
	return v;
}

static bool is_known(const char *key, const char *const *known)
{
	size_t n = strlen(key);

	for (; *known; known++) {
		size_t k = strlen(*known);

		if (!strcmp(key, *known) ||
		    (n == k + 3 && !strncmp(key, *known, k) && !strcmp(key + k, "_zh")))
			return true;
	}
	return false;
}

const char *conv_display(conv *c, const cJSON *v, bool *json, const char *at, const char *name)
{
	char *s;
	const char *out;

	*json = false;
	if (cJSON_IsString(v))
		return keep(c, v->valuestring, at, name);
	if (cJSON_IsArray(v)) {
		const cJSON *it;
		bool strings = true;

		cJSON_ArrayForEach(it, v)
			strings = strings && cJSON_IsString(it);
		if (strings) {
			size_t len = 1;
			char *joined;

			cJSON_ArrayForEach(it, v)
				len += strlen(it->valuestring) + 2;
			joined = xcalloc(1, len);
			cJSON_ArrayForEach(it, v) {
				if (*joined)
					strcat(joined, ", ");
				strcat(joined, it->valuestring);
			}
			out = keep(c, joined, at, name);
			free(joined);
			return out;
		}
	}
	s = cJSON_PrintUnformatted(v);
	if (!s)
		die("out of memory");
	*json = !cJSON_IsNumber(v) && !cJSON_IsBool(v);
	out = keep(c, s, at, name);
	cJSON_free(s);
	return out;
}

kb_extra *conv_extras(conv *c, const cJSON *obj, const char *const *known,
		      const char *at, uint32_t *n)
{
	const cJSON *it;
	kb_extra *v;
	size_t count = 0;

	*n = 0;
	cJSON_ArrayForEach(it, obj)
		count += !is_known(it->string, known);
	if (!count)
		return NULL;
	if (count > KB_MAX_ITEMS) {
		conv_diag(c, DK_BAD_VALUE, at, NULL,
			  ngettext("holds %zu member the format does not name; only the first %zu are kept",
				   "holds %zu members the format does not name; only the first %zu are kept",
				   count),
			  count, (size_t)KB_MAX_ITEMS);
		count = KB_MAX_ITEMS;
	}
	v = arena_alloc(&c->k->mem, count * sizeof *v);
	cJSON_ArrayForEach(it, obj) {
		char key[256];

		if (is_known(it->string, known))
			continue;
		if (*n == count)
			break;
		snprintf(key, sizeof key, "%s%s%s", at, *at ? "." : "", it->string);
		v[*n].key = keep(c, key, at, it->string);
		v[*n].value = conv_display(c, it, &v[*n].json, at, it->string);
		(*n)++;
	}
	return v;
}

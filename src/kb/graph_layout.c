#include <config.h>
#include "graph_layout.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

typedef struct pending {
	gnode *v;
	size_t n, cap;
} pending;

static gnode *find(pending *p, const char *id)
{
	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->v[i].id, id))
			return &p->v[i];
	return NULL;
}

static void add(pending *cols, enum gcol c, const char *id, uint32_t rec,
		const kb_link *link, uint32_t self, bool *self_loop)
{
	enum gcol opposite = c == GC_LEFT ? GC_RIGHT : c == GC_RIGHT ? GC_LEFT : GC_COUNT;
	gnode *other;

	if (rec == self && rec != KB_NONE) {
		*self_loop = true;
		return;
	}
	if (find(&cols[c], id))
		return;
	/* A cycle: drawn once, in the column it was first placed in. */
	if (opposite != GC_COUNT && (other = find(&cols[opposite], id))) {
		other->both_ways = true;
		return;
	}
	cols[c].v = xgrow(cols[c].v, &cols[c].cap, cols[c].n + 1, sizeof *cols[c].v);
	cols[c].v[cols[c].n++] = (gnode){ .col = c, .rec = rec, .id = id, .link = link };
}

void graph_build(graph *g, const kb *k, uint32_t rec)
{
	static const enum gcol place[KB_LINK_KINDS] = {
		[KB_LEADS_TO] = GC_RIGHT, [KB_PRECEDED_BY] = GC_LEFT, [KB_CONFUSED_WITH] = GC_BELOW,
	};
	/* Who points at me, seen from my side: their leads_to precedes me. */
	static const enum gcol back[KB_LINK_KINDS] = {
		[KB_LEADS_TO] = GC_LEFT, [KB_PRECEDED_BY] = GC_RIGHT, [KB_CONFUSED_WITH] = GC_BELOW,
	};
	const kb_record *r = &k->recs[rec];
	pending cols[GC_COUNT] = { 0 };

	graph_free(g);
	add(cols, GC_CENTER, r->id, rec, NULL, KB_NONE, &g->self_loop);
	for (int kind = 0; kind < KB_LINK_KINDS; kind++)
		for (size_t i = 0; i < r->nlinks[kind]; i++)
			add(cols, place[kind], r->links[kind][i].target_id, r->links[kind][i].target,
			    &r->links[kind][i], rec, &g->self_loop);
	for (size_t i = 0; i < r->nbacklinks; i++) {
		const kb_record *from = &k->recs[r->backlinks[i].from];

		add(cols, back[r->backlinks[i].kind], from->id, r->backlinks[i].from, NULL, rec,
		    &g->self_loop);
	}
	for (int c = 0; c < GC_COUNT; c++) {
		g->first[c] = g->n;
		for (size_t i = 0; i < cols[c].n; i++) {
			g->nodes = xgrow(g->nodes, &g->cap, g->n + 1, sizeof *g->nodes);
			g->nodes[g->n++] = cols[c].v[i];
		}
		free(cols[c].v);
	}
	g->first[GC_COUNT] = g->n;
}

void graph_free(graph *g)
{
	free(g->nodes);
	memset(g, 0, sizeof *g);
}

size_t graph_column_pick(const graph *g, enum gcol c, size_t i)
{
	size_t n = g->first[c + 1] - g->first[c];

	if (!n)
		return (size_t)-1;
	return g->first[c] + (i < n ? i : n - 1);
}

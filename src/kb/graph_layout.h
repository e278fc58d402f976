/* The transition graph around one record, as columns of nodes: what
 * precedes it (left), what it leads to (right), what it is confused with
 * (below).  Both directions of every link are used, each neighbour appears
 * once, self-links become a flag.  No curses here. */
#ifndef ERRKB_GRAPH_LAYOUT_H
#define ERRKB_GRAPH_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "kb.h"

enum gcol { GC_LEFT, GC_CENTER, GC_RIGHT, GC_BELOW, GC_COUNT };

typedef struct gnode {
	enum gcol col;
	uint32_t rec;              /* KB_NONE: the id is not in the KB */
	const char *id;
	const kb_link *link;       /* the link that placed it, for its labels */
	bool both_ways;            /* also in the opposite column: a cycle */
} gnode;

typedef struct graph {
	gnode *nodes;              /* by column: left, center, right, below */
	size_t n, cap;
	size_t first[GC_COUNT + 1];   /* nodes of column c: [first[c], first[c+1]) */
	bool self_loop;
} graph;

void graph_build(graph *g, const kb *k, uint32_t rec);
void graph_free(graph *g);
/* The node of column c nearest to position i of another column. */
size_t graph_column_pick(const graph *g, enum gcol c, size_t i);

#endif

/*
 * analyze: DevTools' graph computations over a heap snapshot: DOM state,
 * page-owned nodes, essential edges, shallow sizes, the dominator tree
 * (Lengauer-Tarjan, with DevTools' handling of weakly held and unreachable
 * nodes), retained sizes and distances.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "analyze.h"
#include "hmap.h"
#include "prefault.h"
#include "regex.h"
#include "reserve.h"

/* DOM link states, as V8 writes them in "detachedness". */
#define DOM_UNKNOWN	0
#define DOM_ATTACHED	1
#define DOM_DETACHED	2

/* Marks the first predecessor of each number's slice (numbers < 2^31). */
#define SLICE_START	0x80000000u
#define NODES_AHEAD	8	/* nodes ahead in a queue: their edges */

int
hs_analysis_fail(struct hs_analysis *a, const char *msg)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

	/* Both cores may fail at once: the first message stays. */
	pthread_mutex_lock(&lock);
	if (a->err[0] == '\0')
		snprintf(a->err, sizeof(a->err), "%s", msg);
	pthread_mutex_unlock(&lock);
	return -1;
}

int
hs_analysis_nomem(struct hs_analysis *a)
{
	return hs_analysis_fail(a, "out of memory");
}

static int
name_starts(const struct hs_snapshot *s, uint32_t node, const char *prefix)
{
	size_t len, n = strlen(prefix);
	const char *p = hs_snapshot_string(s, s->node_name[node], &len);

	return p != NULL && len >= n && memcmp(p, prefix, n) == 0;
}

/*
 * Detachedness, as DevTools' initDetachednessAndClassIndex and
 * propagateDOMState: native nodes reachable from an attached one are
 * attached; the rest reachable from a detached one are detached.  Old
 * snapshots without the field mark native nodes named "Detached ...".
 */
static int
dom_state(struct hs_analysis *a)
{
	const struct hs_snapshot *s = a->snap;
	uint32_t n = s->node_count, i, *stack, top;
	uint8_t *visited;
	int pass;

	if ((a->detached = hs_calloc(n, 1)) == NULL)
		return hs_analysis_nomem(a);
	if (s->node_detached == NULL) {
		for (i = 0; i < n; i++)
			if (HS_NODE_KIND(s, i) == HS_NK_NATIVE &&
			    name_starts(s, i, "Detached "))
				a->detached[i] = DOM_DETACHED;
		return 0;
	}
	if ((visited = hs_calloc(n, 1)) == NULL)
		return hs_analysis_nomem(a);
	if ((stack = hs_alloc_array(n, sizeof(*stack))) == NULL) {
		hs_free(visited);
		return hs_analysis_nomem(a);
	}
	/*
	 * Pass 1 visits the attached nodes (and marks every known node
	 * visited), pass 2 the detached ones, each depth-first from a stack.
	 */
	for (pass = 0; pass < 2; pass++) {
		uint8_t want = pass == 0 ? DOM_ATTACHED : DOM_DETACHED;

		top = 0;
		if (pass == 0) {
			for (i = 0; i < n; i++) {
				uint8_t st = s->node_detached[i];

				if (st == DOM_UNKNOWN || visited[i])
					continue;
				if (HS_NODE_KIND(s, i) != HS_NK_NATIVE) {
					visited[i] = 1;
					continue;
				}
				a->detached[i] = st;
				visited[i] = 1;
				if (st == DOM_ATTACHED)
					stack[top++] = i;
			}
		} else {
			for (i = n; i-- > 0;)
				if (a->detached[i] == DOM_DETACHED &&
				    s->node_detached[i] == DOM_DETACHED)
					stack[top++] = i;
		}
		while (top > 0) {
			uint32_t v = stack[--top], e;

			if (pass == 1 && a->detached[v] == DOM_ATTACHED)
				continue;
			for (e = s->first_edge[v]; e < s->first_edge[v + 1];
			    e++) {
				enum hs_edge_kind ek = HS_EDGE_KIND(s, e);
				uint32_t t = HS_EDGE_TO(s, e);

				if (ek == HS_EK_HIDDEN || ek == HS_EK_WEAK)
					continue;
				if (visited[t])
					continue;
				visited[t] = 1;
				if (HS_NODE_KIND(s, t) != HS_NK_NATIVE)
					continue;
				a->detached[t] = want;
				if (top < n)
					stack[top++] = t;
			}
		}
	}
	hs_free(stack);
	hs_free(visited);
	/* Only a->detached is read from here on. */
	hs_free(a->columns->node_detached);
	a->columns->node_detached = NULL;
	return 0;
}

static int
is_user_root(const struct hs_snapshot *s, uint32_t node)
{
	/* JSHeapSnapshot: any non-synthetic node, or the DOM trees root. */
	return HS_NODE_KIND(s, node) != HS_NK_SYNTHETIC ||
	    hs_snapshot_node_name_is(s, node, "(Document DOM trees)");
}

/* DevTools' markPageOwnedNodes. */
static int
page_owned(struct hs_analysis *a)
{
	const struct hs_snapshot *s = a->snap;
	uint32_t n = s->node_count, root = s->root, *queue, tail = 0, head, e;

	if ((a->page_owned = hs_calloc((n + 7) / 8, 1)) == NULL)
		return hs_analysis_nomem(a);
	if ((queue = hs_alloc_array(n, sizeof(*queue))) == NULL)
		return hs_analysis_nomem(a);
	for (e = s->first_edge[root]; e < s->first_edge[root + 1]; e++) {
		enum hs_edge_kind ek = HS_EDGE_KIND(s, e);
		uint32_t t = HS_EDGE_TO(s, e);

		if (ek == HS_EK_ELEMENT) {
			if (!(HS_NODE_KIND(s, t) == HS_NK_SYNTHETIC &&
			    hs_snapshot_node_name_is(s, t, "(Document DOM trees)")))
				continue;
		} else if (ek != HS_EK_SHORTCUT) {
			continue;
		}
		if (!BIT_GET(a->page_owned, t) && tail < n)
			queue[tail++] = t;
		BIT_SET(a->page_owned, t);
	}
	/*
	 * Breadth first: the nodes next in the queue are known, so their
	 * first edges, then their edges' targets, can be asked for ahead.
	 * This takes three quarters of the time a stack did.
	 */
	for (head = 0; head < tail; head++) {
		uint32_t v = queue[head];

		if (head + 2 * NODES_AHEAD < tail)
			__builtin_prefetch(&s->first_edge[queue[head +
			    2 * NODES_AHEAD]]);
		if (head + NODES_AHEAD < tail)
			__builtin_prefetch(&s->edge_to[s->first_edge[
			    queue[head + NODES_AHEAD]]]);
		for (e = s->first_edge[v]; e < s->first_edge[v + 1]; e++) {
			uint32_t t = HS_EDGE_TO(s, e);

			if (BIT_GET(a->page_owned, t) ||
			    HS_EDGE_KIND(s, e) == HS_EK_WEAK)
				continue;
			BIT_SET(a->page_owned, t);
			queue[tail++] = t;
		}
	}
	hs_free(queue);
	return 0;
}

/*
 * WeakMap entries: V8 names the two internal edges that hold a value
 * "<n> / part of key (K @k) -> value (V @v) pair in WeakMap (table @t)".
 * This cache holds, per string, whether the name has that form.
 */
struct weakmap_names {
	struct hs_regex	*re;
	uint8_t		*checked;
	uint8_t		*matched;
};

static const char weakmap_pattern[] =
    "^\\d+(?<duplicatedPart> / part of key \\(.*? @\\d+\\) -> value "
    "\\(.*? @\\d+\\) pair in WeakMap \\(table @(?<tableId>\\d+)\\))$";

static int
weakmap_init(struct hs_analysis *a, struct weakmap_names *w)
{
	char err[200];
	size_t n = (size_t)(a->snap->kept_limit + 7) / 8;

	if ((w->re = hs_regex_new(weakmap_pattern, 0, err, sizeof(err))) ==
	    NULL)
		return hs_analysis_fail(a, err);
	if ((w->checked = hs_calloc(n, 1)) == NULL ||
	    (w->matched = hs_calloc(n, 1)) == NULL)
		return hs_analysis_nomem(a);
	return 0;
}

static void
weakmap_free(struct weakmap_names *w)
{
	hs_regex_free(w->re);
	hs_free(w->checked);
	hs_free(w->matched);
}

/*
 * Returns the name if string i is a WeakMap edge name, else NULL.  The
 * bitmaps are asked first: they are small enough to stay cached, where
 * the string table's loads, an internal edge each, were not.
 */
static const char *
weakmap_name(const struct hs_snapshot *s, struct weakmap_names *w, uint32_t i,
    size_t *lenp)
{
	const char *p;

	if (i >= s->kept_limit)
		return NULL;
	if (!BIT_GET(w->checked, i)) {
		BIT_SET(w->checked, i);
		p = hs_snapshot_string(s, i, lenp);
		if (p != NULL && hs_regex_match(w->re, p, *lenp) == 1)
			BIT_SET(w->matched, i);
	}
	if (!BIT_GET(w->matched, i))
		return NULL;
	return hs_snapshot_string(s, i, lenp);
}

/* The table id at the end of a WeakMap edge name. */
static uint64_t
weakmap_table(const char *p, size_t len)
{
	uint64_t v = 0, mul = 1;
	size_t i = len - 1;	/* before the closing ")" */

	while (i > 0 && p[i - 1] >= '0' && p[i - 1] <= '9') {
		i--;
		v += (uint64_t)(p[i] - '0') * mul;
		mul *= 10;
		if (mul > 10000000000000ull)
			break;
	}
	return v;
}

/*
 * DevTools' computeIsEssentialEdge, for every edge; and each node's
 * essential in-degree, into indeg[] (zeroed, node_count + 2 entries) for
 * the dominator step.
 */
static int
essential_edges(struct hs_analysis *a, struct weakmap_names *w,
    uint8_t **essp, uint32_t *indeg)
{
	const struct hs_snapshot *s = a->snap;
	uint32_t n = s->node_count, v, e;
	uint8_t *ess;

	if ((ess = hs_calloc(((size_t)s->edge_count + 7) / 8, 1)) == NULL)
		return hs_analysis_nomem(a);
	for (v = 0; v < n; v++) {
		for (e = s->first_edge[v]; e < s->first_edge[v + 1]; e++) {
			enum hs_edge_kind ek = HS_EDGE_KIND(s, e);
			uint32_t t = HS_EDGE_TO(s, e);

			if (ek == HS_EK_INTERNAL) {
				size_t len;
				const char *p = weakmap_name(s, w,
				    s->edge_name[e], &len);

				if (p != NULL &&
				    weakmap_table(p, len) == s->node_id[v])
					continue;
			}
			if (ek == HS_EK_WEAK || v == t)
				continue;
			if (v != s->root) {
				if (ek == HS_EK_SHORTCUT)
					continue;
				if (BIT_GET(a->page_owned, t) &&
				    !BIT_GET(a->page_owned, v))
					continue;
			}
			BIT_SET(ess, e);
			indeg[t]++;
		}
	}
	/* No other step needs the page-owned marks. */
	hs_free(a->page_owned);
	a->page_owned = NULL;
	*essp = ess;
	return 0;
}

/*
 * DevTools' calculateShallowSizes: hidden and array nodes (and external
 * string data) owned by exactly one other node give their size to it.
 * Skipped, as in DevTools, when there are no user roots (a snapshot taken
 * with internals exposed).  It runs on a thread of its own, so it leaves
 * the message to its caller: -1 means memory ran out.
 */
static int
shallow_sizes(struct hs_analysis *a)
{
	const struct hs_snapshot *s = a->snap;
	uint32_t n = s->node_count, i, e, *owners, *work = NULL, top = 0;
	const uint32_t unvisited = UINT32_MAX, multiple = UINT32_MAX - 1;
	size_t cap = 0;

	if ((a->self = hs_alloc_array(n, sizeof(uint32_t))) == NULL)
		return -1;
	memcpy(a->self, s->node_self, (size_t)n * sizeof(uint32_t));
	a->has_user_roots = 0;
	for (e = s->first_edge[s->root]; e < s->first_edge[s->root + 1]; e++)
		if (is_user_root(s, HS_EDGE_TO(s, e)))
			a->has_user_roots = 1;
	if (a->opts.raw || !a->has_user_roots)
		return 0;
	if (n >= multiple)
		return -1;
	if ((owners = hs_alloc_array(n, sizeof(*owners))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		enum hs_node_kind k = HS_NODE_KIND(s, i);

		if (k == HS_NK_HIDDEN || k == HS_NK_ARRAY ||
		    (k == HS_NK_NATIVE &&
		    hs_snapshot_node_name_is(s, i, "system / ExternalStringData")))
			owners[i] = unvisited;
		else
			owners[i] = i;
	}
	/*
	 * From each owner in turn (the outcome does not depend on the order:
	 * a node ends up with the one owner that reaches it, or "multiple").
	 * The work list holds what one owner's search has yet to visit.
	 */
	for (i = 0; i < n; i++) {
		if (owners[i] != i)
			continue;
		if (hs_grow(&work, &cap, 1, sizeof(*work)) == -1) {
			hs_free(owners);
			return -1;
		}
		work[0] = i;
		top = 1;
		while (top > 0) {
			uint32_t id = work[--top], owner = owners[id];

			for (e = s->first_edge[id]; e < s->first_edge[id + 1];
			    e++) {
				uint32_t t = HS_EDGE_TO(s, e);

				if (HS_EDGE_KIND(s, e) == HS_EK_WEAK)
					continue;
				if (owners[t] == unvisited) {
					owners[t] = owner;
				} else if (owners[t] != t &&
				    owners[t] != owner &&
				    owners[t] != multiple) {
					owners[t] = multiple;
				} else {
					continue;
				}
				if (hs_grow(&work, &cap, (size_t)top + 1,
				    sizeof(*work)) == -1) {
					hs_free(work);
					hs_free(owners);
					return -1;
				}
				work[top++] = t;
			}
		}
	}
	for (i = 0; i < n; i++) {
		uint32_t o = owners[i];

		if (o == unvisited || o == multiple || o == i)
			continue;
		if (HS_NODE_KIND(s, o) == HS_NK_SYNTHETIC || o == s->root)
			continue;
		a->self[o] += a->self[i];
		a->self[i] = 0;
	}
	hs_free(work);
	hs_free(owners);
	return 0;
}

/*
 * Lengauer and Tarjan's eval(v), with path compression done iteratively
 * (the recursive form overflows the stack on long chains).  The stack
 * grows as needed; it is as deep as the longest compressed path.
 */
#define LT_AHEAD_FAR	64	/* predecessors ahead: their ancestor, label */
#define LT_AHEAD_NEAR	20	/* and then their ancestor's ancestor, semi */

struct lt {
	uint32_t	*ancestor, *label, *semi;
	uint32_t	*stack;
	size_t		 cap;
};

static int
lt_eval(struct lt *t, uint32_t v, uint32_t *out)
{
	uint32_t *ancestor = t->ancestor, *label = t->label, *semi = t->semi;
	size_t sp = 0;
	uint32_t x = v;

	if (ancestor[v] == 0) {
		*out = v;
		return 0;
	}
	while (ancestor[ancestor[x]] != 0) {
		if (sp + 1 >= t->cap && hs_grow(&t->stack, &t->cap, sp + 2,
		    sizeof(uint32_t)) == -1)
			return -1;
		t->stack[++sp] = x;
		x = ancestor[x];
	}
	while (sp > 0) {
		uint32_t y = t->stack[sp--];

		if (semi[label[ancestor[y]]] < semi[label[y]])
			label[y] = label[ancestor[y]];
		ancestor[y] = ancestor[ancestor[y]];
	}
	*out = label[v];
	return 0;
}

/*
 * Depth-first search over the essential edges from node 'from' (whose DFS
 * parent number is 'up'), numbering nodes in visiting order as DevTools
 * does: each node's edges in order.  num[] maps nodes to numbers (0:
 * unvisited), vertex[] numbers to nodes, parent[] numbers to numbers.
 * next[] is scratch: the next edge to try for each node on the path.
 */
static void
dfs_number(const struct hs_snapshot *s, const uint8_t *ess, uint32_t from,
    uint32_t up, uint32_t *num, uint32_t *vertex, uint32_t *parent,
    uint32_t *next, uint32_t *n)
{
	uint32_t v = from, e;

	num[v] = ++*n;
	vertex[*n] = v;
	parent[*n] = up;
	next[v] = s->first_edge[v];
	for (;;) {
		uint32_t end = s->first_edge[v + 1], t = UINT32_MAX;

		for (e = next[v]; e < end; e++) {
			if (!BIT_GET(ess, e) || num[HS_EDGE_TO(s, e)] != 0)
				continue;
			t = HS_EDGE_TO(s, e);
			break;
		}
		next[v] = e;
		if (t != UINT32_MAX) {
			num[t] = ++*n;
			vertex[*n] = t;
			parent[*n] = num[v];
			next[t] = s->first_edge[t];
			v = t;
			continue;
		}
		if (v == from)
			return;
		v = vertex[parent[num[v]]];
	}
}

/*
 * The predecessor lists of the nodes whose ordinals are in [lo, hi).  The
 * edges are walked in order, so each list comes in its sources' order, and
 * two threads can fill two ranges at once with the same result as one.
 */
struct fill {
	const struct hs_snapshot *s;
	const uint8_t	*ess, *single;
	const uint32_t	*num;
	uint32_t	*next, *preds;
	uint32_t	 split;		/* [0, split) and [split, node_count) */
};

static void
fill_preds(const struct fill *f, uint32_t lo, uint32_t hi)
{
	const struct hs_snapshot *s = f->s;
	uint32_t v, e, t, N = s->node_count;

	for (v = 0; v < N; v++) {
		for (e = s->first_edge[v]; e < s->first_edge[v + 1]; e++) {
			t = HS_EDGE_TO(s, e);
			if (t < lo || t >= hi || !BIT_GET(f->ess, e))
				continue;
			t = f->num[t];
			if (!BIT_GET(f->single, t))
				f->preds[f->next[t]++] = f->num[v];
		}
	}
}

/*
 * What filling a list of k entries costs, roughly, in cache lines: the
 * entries are written as their sources come, so each entry of a short list
 * is a miss, while a hub's (a map's, a prototype's) fall sixteen to a line
 * already cached.  Halves of the entries made one thread's half take twice
 * as long as the other's, which held most of the hubs.
 */
static inline uint64_t
fill_cost(uint32_t k)
{
	return k <= 16 ? k : 16 + k / 16;
}

/*
 * The second half of the lists, offered to the side thread, which is
 * otherwise idle at the end of the dominator step: it takes it if it comes
 * for it before the main thread is done with the first half.
 */
struct fill_share {
	struct hs_gate	 ready;		/* the lists are set up, or not */
	struct hs_gate	 done;		/* the side's half is filled */
	atomic_int	 claimed;	/* the second half is being filled */
	int		 ok;		/* set before ready opens */
	struct fill	 f;
};

static void
fill_share_init(struct fill_share *fs)
{
	hs_gate_init(&fs->ready);
	hs_gate_init(&fs->done);
	atomic_init(&fs->claimed, 0);
	fs->ok = 0;
}

static void
fill_share_destroy(struct fill_share *fs)
{
	hs_gate_destroy(&fs->ready);
	hs_gate_destroy(&fs->done);
}

/* On the side thread. */
static void
fill_share_help(struct fill_share *fs)
{
	hs_gate_wait(&fs->ready);
	if (fs->ok && atomic_exchange(&fs->claimed, 1) == 0) {
		fill_preds(&fs->f, fs->f.split, fs->f.s->node_count);
		hs_gate_open(&fs->done);
	}
}

/*
 * The statistics need only the shallow sizes and the node names, not the
 * classes: the main thread, about to wait for the side's classes, makes
 * them if the side has not come to them yet, and the side then waits for
 * them before it lets the node names go.
 */
struct stats_share {
	struct hs_aggregation *ag;
	atomic_int	 ready;		/* the shallow sizes are done */
	atomic_int	 claimed;	/* the statistics are being made */
	struct hs_gate	 done;		/* they are made, or failed */
	int		 ok;		/* set before done opens */
};

static void
stats_share_init(struct stats_share *ss)
{
	ss->ag = NULL;
	atomic_init(&ss->ready, 0);
	atomic_init(&ss->claimed, 0);
	hs_gate_init(&ss->done);
	ss->ok = 0;
}

/* By either thread: 1 if this one made them, or tried to (see ok). */
static int
stats_share_take(struct stats_share *ss)
{
	if (atomic_exchange(&ss->claimed, 1) != 0)
		return 0;
	ss->ok = hs_aggregate_statistics(ss->ag) == 0;
	hs_gate_open(&ss->done);
	return 1;
}

/* The gates (analyze.h): see hs_analyze_graph(). */
void
hs_gate_init(struct hs_gate *g)
{
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->cond, NULL);
	g->open = 0;
}

void
hs_gate_open(struct hs_gate *g)
{
	if (g == NULL)
		return;
	pthread_mutex_lock(&g->lock);
	g->open = 1;
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);
}

void
hs_gate_wait(struct hs_gate *g)
{
	pthread_mutex_lock(&g->lock);
	while (!g->open)
		pthread_cond_wait(&g->cond, &g->lock);
	pthread_mutex_unlock(&g->lock);
}

void
hs_gate_destroy(struct hs_gate *g)
{
	pthread_mutex_destroy(&g->lock);
	pthread_cond_destroy(&g->cond);
}

/*
 * The dominator tree, computed as DevTools computes it, over the essential
 * edges: a depth-first search from the root in edge order; then searches
 * from nodes that only weak edges retain, as if the root held them; then
 * the nodes still unreached (cycles held only by each other), each
 * numbered as a child of the root.  Semi-dominators come from Lengauer and
 * Tarjan's algorithm (the simple version, as in DevTools), immediate
 * dominators from them as SEMI-NCA does, which needs no buckets and less
 * memory; per-node results are checked identical to DevTools' on every
 * bundled snapshot.  Retained sizes are summed up the tree.
 *
 * The work is done in the space of DFS numbers rather than node ordinals:
 * the loops then walk their arrays in order, which on graphs of tens of
 * millions of nodes is worth several times the speed.
 *
 * It frees ess and indeg as soon as it is done with them.
 */
static int
dominators(struct hs_analysis *a, uint8_t *ess, uint32_t *indeg,
    struct hs_gate *searched_gate, struct hs_gate *classes_gate,
    struct fill_share *share, struct stats_share *stats)
{
	const struct hs_snapshot *s = a->snap;
	uint32_t N = s->node_count, len = N + 1, v, w, u, i, n = 0,
	    searched;
	uint32_t *num = NULL, *vertex = NULL, *parent = NULL, *first = NULL,
	    *preds = NULL, *semi = NULL, *label = NULL, *ancestor = NULL,
	    *dom = NULL, *next = NULL, *pair = NULL;
	uint8_t *haspred = NULL, *single = NULL;
	uint64_t npred = 0, work = 0, p;
	struct hs_prefault *fill = NULL;
	struct lt lt = { 0 };
	struct fill own, *f = share != NULL ? &share->f : &own;
	int rc = -1;

	first = indeg;	/* from here on this step's to free */
	if (N >= SLICE_START)
		goto out;	/* refused before, by hs_analyze_graph() */
	if ((num = hs_calloc(len, sizeof(uint32_t))) == NULL ||
	    (vertex = hs_alloc_array(len, sizeof(uint32_t))) == NULL ||
	    (pair = hs_alloc_array(len, 2 * sizeof(uint32_t))) == NULL)
		goto out;
	/*
	 * parent[] and next[] (later label[] and dom[]) share one block,
	 * which at the end holds the retained sizes, 8 bytes a node: they
	 * then cost no memory at this step's peak.
	 */
	parent = pair;
	next = pair + len;

	/*
	 * first[] holds the essential in-degrees (essential_edges()): they
	 * tell which nodes only weak edges retain.
	 */
	dfs_number(s, ess, s->root, 0, num, vertex, parent, next, &n);
	a->reachable_count = n;
	for (v = 0; v < N && n < N; v++)
		if (num[v] == 0 && first[v] == 0)
			dfs_number(s, ess, v, 1, num, vertex, parent, next,
			    &n);
	searched = n;
	for (v = 0; v < N && n < N; v++) {
		if (num[v] == 0) {
			num[v] = ++n;
			vertex[n] = v;
			parent[n] = 1;
		}
	}
	/* In node order: by number, the loads would be at random. */
	for (v = 0; v < N; v++)
		if (num[v] <= a->reachable_count)
			a->reachable_size += s->node_self[v];
	hs_gate_open(searched_gate);	/* the raw sizes are done with here */

	/*
	 * Predecessors, by number, over the essential edges.  A node that a
	 * search reached and that one edge alone retains was reached through
	 * that edge: its only predecessor is its DFS parent, which is then
	 * its semi-dominator, so it needs no list (four nodes in five, in a
	 * typical heap).  The other nodes' in-degrees, renumbered (next[] is
	 * free now), give each number's slice.
	 */
	if ((single = hs_calloc(len / 8 + 1, 1)) == NULL ||
	    (haspred = hs_calloc(len / 8 + 1, 1)) == NULL)
		goto out;
	next[0] = 0;
	for (v = 0; v < N; v++) {
		if (first[v] == 1 && num[v] <= searched) {
			BIT_SET(single, num[v]);
			next[num[v]] = 0;
		} else {
			next[num[v]] = first[v];
			npred += first[v];
			work += fill_cost(first[v]);
		}
	}
	/* The target ordinal that splits the filling's work in halves. */
	for (v = 0, p = 0; v < N && 2 * p < work; v++)
		if (first[v] != 1 || num[v] > searched)
			p += fill_cost(first[v]);
	f->split = v;
	first[0] = 0;
	for (i = 0; i < len; i++)
		first[i + 1] = first[i] + next[i];	/* to npred */
	/*
	 * The predecessor lists are this step's peak of memory: not while
	 * the classes are being made on the other core, which frees the raw
	 * sizes and DOM states when it is done.  Meanwhile this thread makes
	 * the statistics, if the other has not come to them yet.
	 */
	if (classes_gate != NULL) {
		if (stats != NULL && atomic_load(&stats->ready))
			(void)stats_share_take(stats);
		hs_gate_wait(classes_gate);
	}
	if (a->self == NULL)
		goto out;	/* the side failed: it says why */
	hs_reserve_recycle();	/* the peak: what is freed from here is kept */
	if ((preds = hs_alloc_array(npred ? npred : 1, sizeof(uint32_t))) ==
	    NULL)
		goto out;
	/*
	 * Filled in random order, this array would be faulted in a page at
	 * a time by the threads that fill it: a job faults it in ahead.
	 */
	{
		void *arrays[] = { preds };
		size_t bytes[] = { (size_t)(npred ? npred : 1) *
		    sizeof(uint32_t) };

		fill = hs_prefault_start(arrays, bytes, 1);
	}
	memcpy(next, first, (size_t)len * sizeof(uint32_t));
	f->s = s;
	f->ess = ess;
	f->single = single;
	f->num = num;
	f->next = next;
	f->preds = preds;
	if (share != NULL) {
		share->ok = 1;
		hs_gate_open(&share->ready);
	}
	fill_preds(f, 0, f->split);
	if (share == NULL || atomic_exchange(&share->claimed, 1) == 0)
		fill_preds(f, f->split, N);
	else
		hs_gate_wait(&share->done);
	hs_prefault_free(fill);
	fill = NULL;
	hs_free(ess);
	ess = NULL;
	/*
	 * The slices' bounds become one bit each: the top bit of a slice's
	 * first entry, and whether a number has a slice at all.  Then num[],
	 * next[] and first[] are done with, and their memory becomes semi[],
	 * label[] and ancestor[] (fresh pages cost more than one would think,
	 * and this is the step where memory peaks).
	 */
	for (i = 1; i <= n; i++) {
		if (first[i] != first[i + 1]) {
			preds[first[i]] |= SLICE_START;
			BIT_SET(haspred, i);
		}
	}
	semi = num;
	num = NULL;
	label = next;
	next = NULL;
	ancestor = first;
	first = NULL;
	for (i = 0; i <= n; i++) {
		semi[i] = label[i] = i;
		ancestor[i] = 0;
	}
	lt.ancestor = ancestor;
	lt.label = label;
	lt.semi = semi;
	/*
	 * Semi-dominators, exactly as Lengauer and Tarjan (and DevTools).  The
	 * slices are walked from the end, as numbers go down.  Each eval()
	 * starts with loads at random places in four arrays of 4N bytes, and
	 * most predecessors are in the lists of a few hundred hubs (maps,
	 * prototypes), one after the other: those loads are asked for ahead,
	 * in two stages, as the second depends on the first.  This step takes
	 * two thirds of the time it took without.
	 */
	p = npred;
	for (w = n; w >= 2; w--) {
		if (BIT_GET(single, w)) {
			semi[w] = parent[w];
		} else if (!BIT_GET(haspred, w)) {
			semi[w] = semi[1];	/* an orphan: held by the root */
		} else {
			do {
				p--;
				if (p >= LT_AHEAD_FAR) {
					u = preds[p - LT_AHEAD_FAR] &
					    ~SLICE_START;
					__builtin_prefetch(&ancestor[u]);
					__builtin_prefetch(&label[u]);
				}
				if (p >= LT_AHEAD_NEAR) {
					u = preds[p - LT_AHEAD_NEAR] &
					    ~SLICE_START;
					__builtin_prefetch(
					    &ancestor[ancestor[u]]);
					__builtin_prefetch(&semi[label[u]]);
				}
				if (lt_eval(&lt, preds[p] & ~SLICE_START,
				    &u) == -1)
					goto out;
				if (semi[u] < semi[w])
					semi[w] = semi[u];
			} while (!(preds[p] & SLICE_START));
		}
		ancestor[w] = parent[w];	/* link */
	}
	hs_free(preds);
	preds = NULL;
	hs_free(haspred);
	haspred = NULL;
	hs_free(single);
	single = NULL;
	hs_free(ancestor);
	ancestor = NULL;
	/*
	 * Immediate dominators from the semi-dominators, as the SEMI-NCA
	 * algorithm does (Georgiadis): the nearest ancestor of a node's DFS
	 * parent that is not below its semi-dominator.  It needs no buckets,
	 * and it agrees with Lengauer and Tarjan's last two steps.
	 */
	dom = label;
	label = NULL;
	dom[1] = 1;
	for (w = 2; w <= n; w++) {
		uint32_t x = parent[w];

		while (x > semi[w])
			x = dom[x];
		dom[w] = x;
	}
	parent = NULL;
	/* Back to node ordinals; the dominators into semi[]'s memory. */
	a->dom = semi;
	semi = NULL;
	for (i = 1; i <= n; i++)
		a->dom[vertex[i]] = vertex[dom[i]];
	dom = NULL;

	/*
	 * Retained sizes, summed up the tree in reverse DFS order, straight
	 * into node ordinals (an array by number, then a copy, would be as
	 * many random accesses and 8 bytes a node more at the peak), in the
	 * block parent[] and dom[] are done with.
	 */
	a->retained = (uint64_t *)(void *)pair;
	pair = NULL;
	for (v = 0; v < N; v++)
		a->retained[v] = a->self[v];
	for (i = n; i > 1; i--)
		a->retained[a->dom[vertex[i]]] += a->retained[vertex[i]];
	rc = 0;
	/* On failure the caller reports: this runs on its own thread. */
out:
	hs_free(ess);
	hs_free(num);
	hs_free(vertex);
	hs_free(pair);		/* label[] and dom[] too */
	hs_free(first);
	hs_free(preds);
	hs_free(semi);
	hs_free(ancestor);
	hs_free(haspred);
	hs_free(single);
	hs_free(lt.stack);
	hs_prefault_free(fill);
	if (share != NULL)
		hs_gate_open(&share->ready);	/* ok is 0 if not yet set */
	hs_gate_open(searched_gate);
	return rc;
}

/* Returns the source node of edge e (binary search in first_edge). */
uint32_t
hs_edge_source(const struct hs_snapshot *s, uint32_t e)
{
	uint32_t lo = 0, hi = s->node_count;

	/* The last node v with first_edge[v] <= e. */
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (s->first_edge[mid] <= e)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Distances, as DevTools' calculateDistances: breadth-first from the user
 * roots (distance 1), then from the root for everything else (system
 * objects get a base distance of 100000000 when user roots exist).  Weak
 * edges are not followed, nor a native context's sloppy_function_map, nor
 * the descriptor links of map descriptor arrays, nor the first of the two
 * edges V8 writes for each WeakMap entry.
 *
 * Only each class's minimum is kept (over its counted objects, those never
 * reached counting as HS_NO_DISTANCE, as in DevTools), so the classes come
 * first, and a node's distance is the level of the search that reaches it.
 * The search goes a level at a time.  A level is a list while it is short
 * and a bit a node once it is long, its nodes then taken in node order: a
 * few bits a node in all, not a queue of a word a node, which lets the
 * distances run beside the dominator step's peak.  The order within a
 * level changes only which of the equally short paths reaches a node
 * (bfs_edge), never a distance: a WeakMap entry's second edge is found in
 * the same level whatever the order.
 *
 * Two steps: dist_prepare() takes what the rules need from the node
 * names, before the analysis lets them go; dist_run() searches.
 */
struct dist {
	uint8_t		*special;	/* bit a node: see dist_prepare() */
	uint32_t	*roots;		/* the user roots, as often as held */
	uint32_t	*root_edge;	/* the edge that holds each */
	size_t		 nroots;

	uint8_t		*seen;		/* bit a node */
	/* The level being expanded and the next, by turns. */
	uint32_t	*list[2];
	size_t		 len[2], cap;
	uint64_t	*bits[2];	/* zero but while a long level is kept */
	int		 long_level[2];
	struct hs_hmap	 pending;	/* WeakMap entries seen once: keys */
	uint8_t		*present;	/* and whether each is pending */
	size_t		 present_cap;
};

#define DIST_LIST_MIN	65536	/* list entries, at least */

static void
dist_free(struct dist *d)
{
	hs_free(d->special);
	hs_free(d->roots);
	hs_free(d->root_edge);
	hs_free(d->seen);
	hs_free(d->list[0]);
	hs_free(d->list[1]);
	hs_free(d->bits[0]);
	hs_free(d->bits[1]);
	hs_hmap_free(&d->pending);
	hs_free(d->present);
	memset(d, 0, sizeof(*d));
}

/*
 * What the rules need of the node names: which nodes are native contexts
 * (hidden "system / NativeContext") or map descriptor arrays (array
 * "(map descriptors)"), and which of the root's children are user roots.
 */
static int
dist_prepare(struct hs_analysis *a, struct dist *d)
{
	const struct hs_snapshot *s = a->snap;
	uint32_t N = s->node_count, v, e, lo, hi;

	memset(d, 0, sizeof(*d));
	hs_hmap_init(&d->pending);
	lo = s->first_edge[s->root];
	hi = s->first_edge[s->root + 1];
	if ((d->special = hs_calloc((size_t)N / 8 + 1, 1)) == NULL ||
	    (d->roots = hs_alloc_array((size_t)(hi - lo) + 1,
	    sizeof(uint32_t))) == NULL ||
	    (d->root_edge = hs_alloc_array((size_t)(hi - lo) + 1,
	    sizeof(uint32_t))) == NULL)
		return hs_analysis_nomem(a);
	for (v = 0; v < N; v++) {
		enum hs_node_kind k = HS_NODE_KIND(s, v);

		if ((k == HS_NK_HIDDEN && hs_snapshot_node_name_is(s, v,
		    "system / NativeContext")) || (k == HS_NK_ARRAY &&
		    hs_snapshot_node_name_is(s, v, "(map descriptors)")))
			BIT_SET(d->special, v);
	}
	/* Like DevTools, a user root held twice is expanded twice. */
	for (e = lo; e < hi; e++) {
		uint32_t t = HS_EDGE_TO(s, e);

		if (is_user_root(s, t)) {
			d->roots[d->nroots] = t;
			d->root_edge[d->nroots++] = e;
		}
	}
	return 0;
}

static void
reach(struct hs_analysis *a, uint8_t *seen, uint32_t v, int32_t dist)
{
	struct hs_class *c;

	BIT_SET(seen, v);
	if (!BIT_GET(a->sized, v))
		return;
	c = &a->classes[a->node_class[v]];
	if (dist < c->distance)
		c->distance = dist;
}

/* Adds node t to level 'to'. */
static void
dist_push(struct dist *d, int to, uint32_t t)
{
	uint64_t *b = d->bits[to];

	if (!d->long_level[to]) {
		size_t i;

		if (d->len[to] < d->cap) {
			d->list[to][d->len[to]++] = t;
			return;
		}
		for (i = 0; i < d->len[to]; i++)
			b[d->list[to][i] >> 6] |=
			    (uint64_t)1 << (d->list[to][i] & 63);
		d->long_level[to] = 1;
	}
	b[t >> 6] |= (uint64_t)1 << (t & 63);
}

/* The map descriptors' rule: the edge's index, as parseInt reads it. */
static int64_t
edge_index(const struct hs_snapshot *s, uint32_t e, enum hs_edge_kind ek)
{
	const char *p;
	size_t l, k;
	int64_t idx = 0;

	if (ek == HS_EK_ELEMENT || ek == HS_EK_HIDDEN)
		return s->edge_name[e];
	p = hs_snapshot_string(s, s->edge_name[e], &l);
	if (p == NULL || l == 0 || p[0] < '0' || p[0] > '9')
		return -1;
	for (k = 0; k < l && k < 15 && p[k] >= '0' && p[k] <= '9'; k++)
		idx = idx * 10 + (p[k] - '0');
	return idx;
}

/*
 * The WeakMap rule: 1 if edge e, an internal one, is to be followed.  Of
 * the two edges V8 writes for an entry (named alike but for a leading
 * number), the first found is not, the second is.
 */
static int
weakmap_follow(struct hs_analysis *a, struct dist *d,
    struct weakmap_names *w, uint32_t e)
{
	const struct hs_snapshot *s = a->snap;
	size_t l, k;
	const char *p = weakmap_name(s, w, s->edge_name[e], &l);
	uint32_t id;
	int added;

	if (p == NULL)
		return 1;
	for (k = 0; k < l && p[k] >= '0' && p[k] <= '9'; k++)
		;
	id = hs_hmap_intern(&d->pending, p + k, l - k, &added);
	if (id == UINT32_MAX || hs_grow(&d->present, &d->present_cap,
	    (size_t)id + 1, 1) == -1)
		return -1;
	if (added)
		d->present[id] = 0;
	d->present[id] = !d->present[id];
	return !d->present[id];
}

/* Follows v's edges from level dist into level 'to'. */
static int
dist_expand(struct hs_analysis *a, struct dist *d, struct weakmap_names *w,
    uint32_t v, int32_t dist, int to)
{
	const struct hs_snapshot *s = a->snap;
	enum hs_node_kind vk = HS_NODE_KIND(s, v);
	int special = BIT_GET(d->special, v) != 0;
	int native_ctx = special && vk == HS_NK_HIDDEN;
	int map_desc = special && vk == HS_NK_ARRAY;
	uint32_t e;

	for (e = s->first_edge[v]; e < s->first_edge[v + 1]; e++) {
		enum hs_edge_kind ek = HS_EDGE_KIND(s, e);
		uint32_t t = HS_EDGE_TO(s, e);

		if (ek == HS_EK_WEAK || BIT_GET(d->seen, t))
			continue;
		if (native_ctx && ek != HS_EK_ELEMENT && ek != HS_EK_HIDDEN) {
			size_t l;
			const char *p = hs_snapshot_string(s, s->edge_name[e],
			    &l);

			if (p != NULL && l == 19 &&
			    memcmp(p, "sloppy_function_map", 19) == 0)
				continue;
		}
		if (map_desc) {
			int64_t idx = edge_index(s, e, ek);

			if (idx >= 2 && idx % 3 == 1)
				continue;
		} else if (ek == HS_EK_INTERNAL) {
			int follow = weakmap_follow(a, d, w, e);

			if (follow == -1)
				return -1;
			if (!follow)
				continue;
		}
		reach(a, d->seen, t, dist + 1);
		a->bfs_edge[t] = e;
		dist_push(d, to, t);
	}
	return 0;
}

/* Searches from the nodes of 'first', at distance dist. */
static int
dist_search(struct hs_analysis *a, struct dist *d, struct weakmap_names *w,
    const uint32_t *first, size_t nfirst, int32_t dist)
{
	size_t words = (size_t)a->snap->node_count / 64 + 1, i, wi;
	const uint32_t *list = first;
	size_t len = nfirst;
	int from = 0, to = 1, long_level = 0;

	for (;;) {
		d->len[to] = 0;
		d->long_level[to] = 0;
		if (long_level) {
			uint64_t *b = d->bits[from];

			for (wi = 0; wi < words; wi++) {
				uint64_t x = b[wi];

				b[wi] = 0;
				for (; x != 0; x &= x - 1) {
					uint32_t v = (uint32_t)(wi * 64 +
					    (size_t)__builtin_ctzll(x));

					if (dist_expand(a, d, w, v, dist,
					    to) == -1)
						return -1;
				}
			}
		} else {
			for (i = 0; i < len; i++)
				if (dist_expand(a, d, w, list[i], dist,
				    to) == -1)
					return -1;
		}
		if (d->len[to] == 0 && !d->long_level[to])
			return 0;
		long_level = d->long_level[to];
		list = d->list[to];
		len = d->len[to];
		from = to;
		to = !to;
		dist++;
	}
}

static int
dist_run(struct hs_analysis *a, struct dist *d, struct weakmap_names *w)
{
	const struct hs_snapshot *s = a->snap;
	uint32_t N = s->node_count, root = s->root, i;
	size_t words = (size_t)N / 64 + 1;
	int32_t dist;

	d->cap = N / 128 > DIST_LIST_MIN ? N / 128 : DIST_LIST_MIN;
	if (a->opts.level_list != 0)
		d->cap = a->opts.level_list;
	if ((d->seen = hs_calloc((size_t)N / 8 + 1, 1)) == NULL ||
	    (d->list[0] = hs_alloc_array(d->cap, sizeof(uint32_t))) == NULL ||
	    (d->list[1] = hs_alloc_array(d->cap, sizeof(uint32_t))) == NULL ||
	    (d->bits[0] = hs_calloc(words, sizeof(uint64_t))) == NULL ||
	    (d->bits[1] = hs_calloc(words, sizeof(uint64_t))) == NULL ||
	    (a->bfs_edge == NULL &&
	    (a->bfs_edge = hs_alloc_array(N, sizeof(uint32_t))) == NULL))
		goto oom;
	/* Set as nodes are reached; the rest at the end. */
	a->bfs_edge[root] = UINT32_MAX;
	for (i = 0; i < d->nroots; i++) {
		uint32_t t = d->roots[i];

		/* The root's distance is set by the second search. */
		if (t == root)
			BIT_SET(d->seen, t);
		else
			reach(a, d->seen, t, 1);
		a->bfs_edge[t] = d->root_edge[i];
	}
	if (dist_search(a, d, w, d->roots, d->nroots, 1) == -1)
		goto oom;
	dist = a->has_user_roots ? HS_BASE_SYSTEM_DISTANCE : 0;
	reach(a, d->seen, root, dist);
	if (dist_search(a, d, w, &root, 1, dist) == -1)
		goto oom;
	/* As in DevTools, an object never reached counts with no distance. */
	for (i = 0; i < N; i++) {
		if (!BIT_GET(d->seen, i)) {
			reach(a, d->seen, i, HS_NO_DISTANCE);
			a->bfs_edge[i] = UINT32_MAX;
		}
	}
	dist_free(d);
	return 0;
oom:
	dist_free(d);
	return hs_analysis_nomem(a);
}

/*
 * What the file's own self sizes and the DOM states give the classes,
 * taken as soon as the classes are known, so that both columns can go:
 * each class's raw self size and detached count (over its counted
 * objects), and the raw total.
 */
static void
raw_sizes(struct hs_analysis *a)
{
	const struct hs_snapshot *s = a->snap;
	uint32_t v;

	for (v = 0; v < s->node_count; v++) {
		struct hs_class *c;

		a->raw_self_total += s->node_self[v];
		if (a->self[v] == 0)
			continue;
		c = &a->classes[a->node_class[v]];
		c->raw_self += s->node_self[v];
		if (a->detached[v] == DOM_DETACHED)
			c->detached++;
	}
	hs_free(a->detached);
	a->detached = NULL;
}

/*
 * The work is shared by two threads.  The side one takes what needs
 * nothing from the dominator tree: shallow sizes, class names, raw sizes,
 * the statistics (unless the main thread, waiting for the classes, came to
 * them first) and what the distances need of the node names; then,
 * once the main thread's search is done with them, it lets the raw sizes
 * and the node names go (searched), and searches for the distances beside
 * the dominator step; then, once the tree is done (dom_done), a share of
 * the aggregation (see aggregate.c).  The main thread marks page-owned
 * nodes and essential edges and computes the dominator tree, whose
 * predecessor lists, this step's peak of memory, wait for the columns to
 * go (classes_done), then does the rest of the aggregation.
 */
struct side {
	struct hs_analysis	*a;
	struct hs_aggregation	*ag;
	struct weakmap_names	*w;
	struct dist		 dist;
	struct hs_gate		 searched, classes_done, dom_done;
	struct fill_share	 fill;
	struct stats_share	 stats;
	/*
	 * Set before the gate that follows them opens, so that after a
	 * failure neither thread goes on with what the other did not make.
	 */
	int			 prelude_ok;	/* before searched */
	int			 classes_ok;	/* before classes_done */
	int			 dom_ok;	/* before dom_done */
	int			 threaded;
	int			 ret;
	pthread_t		 thread;
};

/*
 * The nodes that count in their class (a shallow size): a bitmap, which
 * stays in the cache where the loops over edges ask it of their targets,
 * where the sizes themselves would each be a load from memory.
 */
static int
sized_nodes(struct hs_analysis *a)
{
	uint32_t n = a->snap->node_count, v;

	if ((a->sized = hs_calloc((size_t)n / 8 + 1, 1)) == NULL)
		return -1;
	for (v = 0; v < n; v++)
		if (a->self[v] != 0)
			BIT_SET(a->sized, v);
	return 0;
}

static const char *runtime_of(const struct hs_snapshot *);

/*
 * Up to what needs the node names: -1 if memory ran out (the message is
 * set).  The DOM states and the runtime are made here, not before the
 * threads start: the main thread's search is the longer part.
 */
static int
side_classes(struct side *sd)
{
	struct hs_analysis *a = sd->a;

	a->runtime = runtime_of(a->snap);
	a->is_browser = strcmp(a->runtime, "browser") == 0;
	if (dom_state(a) == -1)
		return -1;
	if (shallow_sizes(a) == -1 || sized_nodes(a) == -1)
		return hs_analysis_nomem(a);
	atomic_store(&sd->stats.ready, 1);
	if (hs_classify(a) == -1)
		return -1;
	raw_sizes(a);
	if (stats_share_take(&sd->stats) && !sd->stats.ok)
		return hs_analysis_nomem(a);
	if (hs_aggregate_early(sd->ag) == -1)
		return hs_analysis_nomem(a);
	return dist_prepare(a, &sd->dist);
}

/*
 * What no step needs once the classes and the search are done.  The node
 * names' column, a word a node or more, becomes the distances' bfs_edge:
 * its pages are backed already, where a fresh array's would each cost a
 * fault (see reserve.h), and the reserve is closed by then.
 */
static void
free_columns(struct hs_analysis *a)
{
	hs_free(a->columns->node_self);
	a->columns->node_self = NULL;
	a->bfs_edge = a->columns->node_name;
	a->columns->node_name = NULL;
	hs_free(a->columns->locations);
	a->columns->locations = NULL;
	a->columns->location_count = 0;
}

/*
 * Once the columns are gone: -1 if memory ran out (the message is set) or
 * if the main thread failed (it set the message).
 */
static int
side_rest(struct side *sd)
{
	fill_share_help(&sd->fill);
	if (dist_run(sd->a, &sd->dist, sd->w) == -1)
		return -1;
	hs_gate_wait(&sd->dom_done);
	if (!sd->dom_ok)
		return -1;
	if (hs_aggregate_side(sd->ag) == -1)
		return hs_analysis_nomem(sd->a);
	return 0;
}

static void *
side_thread(void *arg)
{
	struct side *sd = arg;

	sd->ret = side_classes(sd);
	if (sd->ret == 0) {
		hs_gate_wait(&sd->searched);
		/* Made here, or on the main thread: done with the names. */
		hs_gate_wait(&sd->stats.done);
		if (!sd->prelude_ok)
			sd->ret = -1;	/* the main thread says why */
		else if (!sd->stats.ok)
			sd->ret = hs_analysis_nomem(sd->a);
		else
			free_columns(sd->a);
	}
	sd->classes_ok = sd->ret == 0;
	hs_gate_open(&sd->classes_done);
	if (sd->ret == 0)
		sd->ret = side_rest(sd);
	return NULL;
}

/* Without a second thread, the same steps one after the other. */
int
hs_analyze_graph(struct hs_analysis *a, hs_progress_fn progress, void *ctx)
{
	struct weakmap_names w;
	struct hs_aggregation *ag = NULL;
	struct side sd;
	uint8_t *ess = NULL;
	uint32_t *indeg = NULL;
	int ret = -1, rc;

	memset(&w, 0, sizeof(w));
	memset(&sd, 0, sizeof(sd));
	if (a->snap->node_count >= SLICE_START)
		return hs_analysis_fail(a, "more than 2147483647 nodes");
	sd.a = a;
	sd.w = &w;
	hs_gate_init(&sd.searched);
	hs_gate_init(&sd.classes_done);
	hs_gate_init(&sd.dom_done);
	fill_share_init(&sd.fill);
	stats_share_init(&sd.stats);
	if (progress)
		progress(ctx, "dominators");
	if ((ag = hs_aggregation_new(a)) == NULL) {
		hs_analysis_nomem(a);
		goto out;
	}
	sd.ag = ag;
	sd.stats.ag = ag;
	sd.threaded = pthread_create(&sd.thread, NULL, side_thread, &sd) == 0;
	if (!sd.threaded && side_classes(&sd) == -1)
		goto out;
	if ((indeg = hs_calloc((size_t)a->snap->node_count + 2,
	    sizeof(uint32_t))) == NULL) {
		hs_analysis_nomem(a);
		goto out;
	}
	if (page_owned(a) == -1 || weakmap_init(a, &w) == -1 ||
	    essential_edges(a, &w, &ess, indeg) == -1)
		goto out;
	/* All WeakMap names are known now: the cache is only read below. */
	sd.prelude_ok = 1;
	rc = dominators(a, ess, indeg, &sd.searched,
	    sd.threaded ? &sd.classes_done : NULL,
	    sd.threaded ? &sd.fill : NULL,
	    sd.threaded ? &sd.stats : NULL);
	/* dominators() freed both. */
	ess = NULL;
	indeg = NULL;
	if (rc == -1) {
		hs_analysis_nomem(a);
		goto out;
	}
	if (sd.threaded && !sd.classes_ok)
		goto out;	/* the side set the message */
	sd.dom_ok = 1;
	hs_gate_open(&sd.dom_done);
	if (!sd.threaded) {
		free_columns(a);
		if (dist_run(a, &sd.dist, &w) == -1)
			goto out;
		if (hs_aggregate_side(ag) == -1) {
			hs_analysis_nomem(a);
			goto out;
		}
	}
	if (hs_aggregate_main(ag, progress, ctx) == -1)
		goto out;
	if (sd.threaded) {
		pthread_join(sd.thread, NULL);
		sd.threaded = 0;
		if (sd.ret == -1)
			goto out;	/* the side set the message */
	}
	ret = hs_aggregate_finish(ag);
out:
	/* On failure too: the side must not wait for what will not come. */
	hs_gate_open(&sd.searched);
	hs_gate_open(&sd.dom_done);
	if (sd.threaded)
		pthread_join(sd.thread, NULL);
	hs_gate_destroy(&sd.searched);
	hs_gate_destroy(&sd.classes_done);
	hs_gate_destroy(&sd.dom_done);
	fill_share_destroy(&sd.fill);
	hs_gate_destroy(&sd.stats.done);
	hs_aggregation_free(ag);
	dist_free(&sd.dist);
	hs_free(ess);
	hs_free(indeg);
	weakmap_free(&w);
	hs_reserve_end();	/* no more arrays of a word a node to come */
	return ret;
}

struct hs_analysis *
hs_analysis_new(struct hs_snapshot *s,
    const struct hs_analysis_options *opts)
{
	struct hs_analysis *a;

	if ((a = hs_calloc(1, sizeof(*a))) == NULL)
		return NULL;
	a->snap = s;
	a->columns = s;
	a->opts = *opts;
	hs_hmap_init(&a->names);
	hs_hmap_init(&a->keys);
	hs_hmap_init(&a->labels);
	return a;
}

/*
 * Which runtime wrote the snapshot.  A browser: it has DOM trees under the
 * root or, since Chromium no longer writes that node, native DOM nodes:
 * elements ("<div>") or a document.  (Node sets detachedness too, on its
 * own binding objects, so that tells nothing.)  Deno: its global object,
 * a "Window [JSGlobalObject]" outside a browser, holds "Deno".  Otherwise
 * Node.
 */
#define DENO_GLOBAL	"Window [JSGlobalObject]"
#define DENO_NAMES	4	/* its name's string indexes looked for */

struct deno_names {
	uint64_t	 index[DENO_NAMES];
	size_t		 count;	/* of strings DENO_GLOBAL (may be more) */
};

static int
is_deno_global(const struct hs_snapshot *s, const struct deno_names *dn,
    uint32_t v)
{
	uint32_t e;
	size_t i;

	if (dn->count > DENO_NAMES) {
		if (!hs_snapshot_node_name_is(s, v, DENO_GLOBAL))
			return 0;
	} else {
		for (i = 0; i < dn->count; i++)
			if (s->node_name[v] == dn->index[i])
				break;
		if (i == dn->count)
			return 0;
	}
	for (e = s->first_edge[v]; e < s->first_edge[v + 1]; e++) {
		size_t len;
		const char *p;

		if (HS_EDGE_KIND(s, e) != HS_EK_PROPERTY)
			continue;
		p = hs_snapshot_string(s, s->edge_name[e], &len);
		if (p != NULL && len == 4 && memcmp(p, "Deno", 4) == 0)
			return 1;
	}
	return 0;
}

/*
 * The objects are told by their name's string index, not its text: a
 * text compare an object took 0.05 s on a 1 GB snapshot, and Node's have
 * no such string at all.
 */
static const char *
runtime_of(const struct hs_snapshot *s)
{
	struct deno_names dn;
	uint32_t e, v;
	int deno = 0;

	for (e = s->first_edge[s->root]; e < s->first_edge[s->root + 1]; e++)
		if (HS_NODE_KIND(s, HS_EDGE_TO(s, e)) == HS_NK_SYNTHETIC &&
		    hs_snapshot_node_name_is(s, HS_EDGE_TO(s, e),
		    "(Document DOM trees)"))
			return "browser";
	dn.count = hs_snapshot_find_strings(s, DENO_GLOBAL, dn.index,
	    DENO_NAMES);
	for (v = 0; v < s->node_count; v++) {
		enum hs_node_kind k = HS_NODE_KIND(s, v);
		const char *p;

		if (k == HS_NK_NATIVE) {
			p = hs_snapshot_node_name(s, v);
			if (p[0] == '<' || strncmp(p, "HTMLDocument", 12) == 0 ||
			    strncmp(p, "Detached <", 10) == 0)
				return "browser";
		} else if (k == HS_NK_OBJECT && !deno && dn.count > 0) {
			deno = is_deno_global(s, &dn, v);
		}
	}
	return deno ? "deno" : "node";
}

int
hs_analysis_run(struct hs_analysis *a, hs_progress_fn progress, void *ctx)
{
	return hs_analyze_graph(a, progress, ctx);
}

const char *
hs_analysis_error(const struct hs_analysis *a)
{
	return a->err;
}

const char *
hs_analysis_name(const struct hs_analysis *a, uint32_t id)
{
	return hs_hmap_key(&a->names, id, NULL);
}

const char *
hs_analysis_key(const struct hs_analysis *a, uint32_t id)
{
	return hs_hmap_key(&a->keys, id, NULL);
}

const char *
hs_analysis_label(const struct hs_analysis *a, uint32_t id)
{
	return hs_hmap_key(&a->labels, id, NULL);
}

void
hs_analysis_free(struct hs_analysis *a)
{
	size_t i;

	if (a == NULL)
		return;
	hs_free(a->self);
	hs_free(a->sized);
	hs_free(a->detached);
	hs_free(a->page_owned);
	hs_free(a->dom);
	hs_free(a->retained);
	hs_free(a->bfs_edge);
	hs_free(a->node_class);
	hs_hmap_free(&a->names);
	hs_hmap_free(&a->keys);
	hs_hmap_free(&a->labels);
	hs_free(a->label_key);
	hs_free(a->label_val);
	hs_free(a->classes);
	hs_free(a->member_storage);
	hs_free(a->retainers);
	for (i = 0; i < a->path_count; i++)
		hs_free(a->paths[i].steps);
	hs_free(a->paths);
	hs_free(a->closures);
	hs_free(a->allocations);
	hs_free(a);
}

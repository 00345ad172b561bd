/*
 * aggregate: the Summary view's per-class rows (DevTools' buildAggregates
 * and calculateClassesRetainedSize), the Statistics view, and what hs adds
 * for leak hunting: retainers per class, one retainer path per large
 * class, closures by source location, allocation sites, and the object
 * ids of each class.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "analyze.h"
#include "hmap.h"
#include "regex.h"

#define GROUP_CACHE	4096
#define NAME_CACHE	16384

/*
 * Count, sizes and largest object of each class (distances, raw sizes and
 * detached counts: analyze.c).
 */
static int
class_rows(struct hs_analysis *a, uint32_t *largest)
{
	const struct hs_snapshot *s = a->snap;
	uint32_t v;

	for (v = 0; v < s->node_count; v++) {
		struct hs_class *c;

		if (s->node_id[v] > a->max_id)
			a->max_id = s->node_id[v];
		if ((s->node_id[v] & 1) && s->node_id[v] > a->max_js_id)
			a->max_js_id = s->node_id[v];
		if (a->self[v] == 0)
			continue;
		c = &a->classes[a->node_class[v]];
		c->count++;
		c->self += a->self[v];
		if (largest[a->node_class[v]] == UINT32_MAX ||
		    a->retained[v] > c->max_retained) {
			c->max_retained = a->retained[v];
			largest[a->node_class[v]] = v;
		}
		if (s->node_id[v] > c->max_id)
			c->max_id = s->node_id[v];
	}
	return 0;
}

/*
 * A class's retained size counts an object only when no object above it
 * on its dominator path is of the same class, so nothing is counted twice.
 * A walk down the dominator tree keeps, per class, how many objects on the
 * current path are counted; its stack holds a node and its next child per
 * level, as deep as the tree.  It runs on either thread (a shared step),
 * so it leaves the message to its caller: -1 means memory ran out.
 */
struct walk_level {
	uint32_t	node;	/* | ON_PATH when counted, with children */
	uint32_t	next;	/* index into children[] */
};

#define ON_PATH	0x80000000u

static int
class_retained(struct hs_analysis *a)
{
	const struct hs_snapshot *s = a->snap;
	uint32_t N = s->node_count, v, i, *first = NULL, *children = NULL,
	    *active = NULL;
	struct walk_level *stack = NULL;
	size_t top = 0, cap = 0;
	int ret = -1;

	if (N >= ON_PATH)	/* cannot be: snapshots hold under 2^28 */
		return -1;
	if ((first = hs_calloc((size_t)N + 2, sizeof(uint32_t))) == NULL ||
	    (children = hs_alloc_array(N ? N : 1, sizeof(uint32_t))) ==
	    NULL ||
	    (active = hs_calloc(a->class_count + 1, sizeof(uint32_t))) == NULL)
		goto oom;
	for (v = 0; v < N; v++)
		if (v != s->root)
			first[a->dom[v] + 1]++;
	for (i = 0; i < N; i++)
		first[i + 1] += first[i];
	for (v = 0; v < N; v++)
		if (v != s->root)
			children[first[a->dom[v]]++] = v;
	/* first[] moved one slot up while filling: shift it back. */
	for (i = N; i > 0; i--)
		first[i] = first[i - 1];
	first[0] = 0;

	v = s->root;
	for (;;) {
		/* Enter v. */
		uint32_t c = a->node_class[v], mark = 0;

		if (!active[c] && BIT_GET(a->sized, v)) {
			a->classes[c].retained += a->retained[v];
			if (first[v] != first[v + 1]) {
				active[c]++;
				mark = ON_PATH;
			}
		}
		if (hs_grow(&stack, &cap, top + 1, sizeof(*stack)) == -1)
			goto oom;
		stack[top].node = v | mark;
		stack[top].next = first[v];
		top++;
		/* Down to the next child not yet seen, leaving finished ones. */
		for (;;) {
			struct walk_level *l = &stack[top - 1];
			uint32_t x = l->node & ~ON_PATH;

			if (l->next < first[x + 1]) {
				v = children[l->next++];
				break;
			}
			if (l->node & ON_PATH)
				active[a->node_class[x]]--;
			if (--top == 0)
				goto done;
		}
	}
done:
	ret = 0;
oom:
	hs_free(first);
	hs_free(children);
	hs_free(stack);
	hs_free(active);
	return ret;
}

/*
 * DevTools' calculateStatistics (and calculateArraySize), but for the
 * total, which needs the dominator tree (statistics_total()).  An Array's
 * size takes in its elements' store when no other edge leads there: the
 * stores are marked, then one pass over the edges finds those reached
 * once (two bitmaps, which stay in the cache, rather than a count a node).
 * This, class_members() and class_retained() may run on either thread,
 * so they leave the message to the caller: -1 means memory ran out.
 */
static int
statistics(struct hs_analysis *a)
{
	const struct hs_snapshot *s = a->snap;
	struct hs_statistics *st = &a->stats;
	uint32_t v, e, t, *store = NULL;
	size_t nstore = 0, cap = 0, i, len;
	size_t bytes = (size_t)s->node_count / 8 + 1;
	uint8_t *is_store, *once, *twice, *is_array;
	const char *p;

	if ((is_store = hs_calloc(3, bytes)) == NULL)
		return -1;
	once = is_store + bytes;
	twice = once + bytes;
	/* The strings that say "Array": a bit each, not a lookup a node. */
	if ((is_array = hs_calloc((size_t)(s->kept_limit / 8 + 1), 1)) ==
	    NULL) {
		hs_free(is_store);
		return -1;
	}
	for (i = 0; i < s->kept_limit; i++)
		if ((p = hs_snapshot_string(s, i, &len)) != NULL &&
		    len == 5 && memcmp(p, "Array", 5) == 0)
			BIT_SET(is_array, i);
	st->native = s->extra_native_bytes;
	for (v = 0; v < s->node_count; v++) {
		uint64_t size = a->self[v];

		switch (HS_NODE_KIND(s, v)) {
		case HS_NK_HIDDEN:
			st->system += size;
			break;
		case HS_NK_NATIVE:
			st->native += size;
			if (hs_snapshot_node_name_is(s, v, "system / JSArrayBufferData"))
				st->typed_arrays += size;
			break;
		case HS_NK_CODE:
			st->code += size;
			break;
		case HS_NK_STRING:
		case HS_NK_CONS_STRING:
		case HS_NK_SLICED_STRING:
			st->strings += size;
			break;
		default:
			if (s->node_name[v] >= s->kept_limit ||
			    !BIT_GET(is_array, s->node_name[v]))
				break;
			st->js_arrays += size;
			for (e = s->first_edge[v]; e < s->first_edge[v + 1];
			    e++) {
				if (HS_EDGE_KIND(s, e) != HS_EK_INTERNAL)
					continue;
				p = hs_snapshot_string(s, s->edge_name[e],
				    &len);
				if (p == NULL || len != 8 ||
				    memcmp(p, "elements", 8) != 0)
					continue;
				if (hs_grow(&store, &cap, nstore + 1,
				    sizeof(*store)) == -1) {
					hs_free(is_store);
					hs_free(is_array);
					return -1;
				}
				t = HS_EDGE_TO(s, e);
				store[nstore++] = t;
				BIT_SET(is_store, t);
				break;
			}
			break;
		}
	}
	if (nstore > 0) {
		for (e = 0; e < s->edge_count; e++) {
			t = HS_EDGE_TO(s, e);
			if (!BIT_GET(is_store, t))
				continue;
			if (BIT_GET(once, t))
				BIT_SET(twice, t);
			BIT_SET(once, t);
		}
	}
	/* A store two Arrays name is reached twice: in neither's size. */
	for (i = 0; i < nstore; i++)
		if (!BIT_GET(twice, store[i]))
			st->js_arrays += a->self[store[i]];
	hs_free(store);
	hs_free(is_store);
	hs_free(is_array);
	return 0;
}

static void
statistics_total(struct hs_analysis *a)
{
	struct hs_statistics *st = &a->stats;

	a->total_size = a->retained[a->snap->root] +
	    a->snap->extra_native_bytes;
	st->total = a->total_size;
	st->v8heap = st->total - st->native;
}

/*
 * The counted objects of each class, by ascending object id.  Nodes come
 * mostly in id order, so a pass in node order leaves most classes sorted;
 * the others are sorted by id (then ordinal, should ids repeat).
 */
static const uint32_t *member_ids;

static int
cmp_member(const void *x, const void *y)
{
	uint32_t p = *(const uint32_t *)x, q = *(const uint32_t *)y;

	if (member_ids[p] != member_ids[q])
		return member_ids[p] < member_ids[q] ? -1 : 1;
	return p < q ? -1 : p > q;
}

static int
class_members(struct hs_analysis *a, uint32_t **storage)
{
	const struct hs_snapshot *s = a->snap;
	uint64_t *fill, j, n;
	uint32_t v, *members;
	size_t c;

	/* Counted here: class_rows() counts on the other thread. */
	if ((fill = hs_calloc(a->class_count + 1, sizeof(uint64_t))) == NULL)
		return -1;
	for (v = 0; v < s->node_count; v++)
		if (a->self[v] != 0)
			fill[a->node_class[v] + 1]++;
	for (c = 1; c <= a->class_count; c++)
		fill[c] += fill[c - 1];
	if ((*storage = hs_alloc_array(fill[a->class_count] ?
	    fill[a->class_count] : 1, sizeof(uint32_t))) == NULL) {
		hs_free(fill);
		return -1;
	}
	members = *storage;
	for (c = 0; c < a->class_count; c++)
		a->classes[c].members = members + fill[c];
	for (v = 0; v < s->node_count; v++)
		if (a->self[v] != 0)
			members[fill[a->node_class[v]]++] = v;
	member_ids = s->node_id;
	for (c = 0; c < a->class_count; c++) {
		uint32_t *m = a->classes[c].members;

		/* fill[c] is now where class c + 1 begins. */
		n = (uint64_t)(members + fill[c] - m);
		for (j = 1; j < n; j++)
			if (s->node_id[m[j - 1]] > s->node_id[m[j]])
				break;
		if (j < n)
			qsort(m, n, sizeof(uint32_t), cmp_member);
	}
	hs_free(fill);
	return 0;
}

/* Class indexes ordered by retained size (largest first), then key. */
static const struct hs_analysis *order_a;

static int
cmp_class_retained(const void *x, const void *y)
{
	const struct hs_class *p = &order_a->classes[*(const uint32_t *)x];
	const struct hs_class *q = &order_a->classes[*(const uint32_t *)y];

	if (p->retained != q->retained)
		return p->retained > q->retained ? -1 : 1;
	return strcmp(hs_analysis_key(order_a, p->key),
	    hs_analysis_key(order_a, q->key));
}

static uint32_t *
classes_by_retained(struct hs_analysis *a)
{
	uint32_t *order;
	size_t i;

	if ((order = hs_alloc_array(a->class_count + 1, sizeof(*order))) ==
	    NULL)
		return NULL;
	for (i = 0; i < a->class_count; i++)
		order[i] = (uint32_t)i;
	order_a = a;
	qsort(order, a->class_count, sizeof(*order), cmp_class_retained);
	return order;
}

static int
cmp_retainer(const void *x, const void *y)
{
	const struct hs_retainer *p = x, *q = y;

	if (p->target != q->target)
		return p->target < q->target ? -1 : 1;
	if (p->retained != q->retained)
		return p->retained > q->retained ? -1 : 1;
	if (p->count != q->count)
		return p->count > q->count ? -1 : 1;
	if (p->source != q->source)
		return p->source < q->source ? -1 : 1;
	return p->edge_rank < q->edge_rank ? -1 :
	    p->edge_rank > q->edge_rank;
}

/* By target, then count (largest first), then as cmp_retainer. */
static int
cmp_retainer_count_first(const void *x, const void *y)
{
	const struct hs_retainer *p = x, *q = y;

	if (p->target != q->target)
		return p->target < q->target ? -1 : 1;
	if (p->count != q->count)
		return p->count > q->count ? -1 : 1;
	return cmp_retainer(x, y);
}

/*
 * Who holds each class: (retaining class, edge) groups over every strong
 * edge into the class's counted objects, with the number of such edges and
 * the retained size of the objects they reach.  Edges from the root are
 * left out, as in DevTools' retainers view.
 *
 * The edges are collected on both threads, a slice of nodes at a time,
 * each thread into groups of its own (see hs_aggregation), keyed by the
 * edge's kind and what hs_label_name() makes of its name: the labels,
 * which intern strings, are made once both are done (retainers_merge()),
 * in an order that does not depend on which thread took which slice.
 * Only the largest classes' groups are kept (retainers_keep()).
 */
struct group {
	uint32_t	key[4];		/* target, source, kind, name */
	uint64_t	count;
	uint64_t	retained;
};

struct groups {
	struct hs_hmap	 map;
	struct group	*g;
	size_t		 cap;
};

#define RETAINER_SLICE	65536	/* nodes */
#define RETAINER_AHEAD	16	/* edges ahead: their target's entries */

/* Collects slices of nodes until none is left; -1: out of memory. */
static int
retainers_collect(struct hs_analysis *a, struct groups *gr,
    atomic_uint *next_slice)
{
	const struct hs_snapshot *s = a->snap;
	struct group_slot {
		uint32_t key[4];
		uint32_t id;
	} *cache = NULL;
	struct name_slot {
		uint64_t key;
		uint32_t name;
	} *names = NULL;
	size_t i, slot;
	uint32_t v, e, from, to;
	int ret = -1;

	if ((cache = hs_alloc_array(GROUP_CACHE, sizeof(*cache))) == NULL ||
	    (names = hs_calloc(NAME_CACHE, sizeof(*names))) == NULL)
		goto out;
	for (i = 0; i < GROUP_CACHE; i++)
		cache[i].id = UINT32_MAX;
	while ((from = atomic_fetch_add(next_slice, 1)) <
	    (s->node_count + RETAINER_SLICE - 1) / RETAINER_SLICE) {
		from *= RETAINER_SLICE;
		to = s->node_count - from < RETAINER_SLICE ? s->node_count :
		    from + RETAINER_SLICE;
		for (v = from; v < to; v++) {
			if (v == s->root)
				continue;
			for (e = s->first_edge[v]; e < s->first_edge[v + 1];
			    e++) {
				enum hs_edge_kind kind = HS_EDGE_KIND(s, e);
				uint32_t t = HS_EDGE_TO(s, e), key[4], id;
				uint64_t nk;
				struct group *g;
				int added;

				if (e + RETAINER_AHEAD < s->edge_count) {
					uint32_t f = HS_EDGE_TO(s,
					    e + RETAINER_AHEAD);

					if (BIT_GET(a->sized, f)) {
						__builtin_prefetch(
						    &a->node_class[f]);
						__builtin_prefetch(
						    &a->retained[f]);
					}
				}
				if (!BIT_GET(a->sized, t) || kind == HS_EK_WEAK)
					continue;
				key[0] = a->node_class[t];
				key[1] = a->node_class[v];
				key[2] = kind;
				/* Names repeat: a direct-mapped cache. */
				nk = ((uint64_t)kind << 32 | s->edge_name[e]) +
				    1;
				slot = hs_hash_u64(nk) & (NAME_CACHE - 1);
				if (names[slot].key != nk) {
					names[slot].key = nk;
					names[slot].name = hs_label_name(s,
					    kind, s->edge_name[e]);
				}
				key[3] = names[slot].name;
				/* So do the groups. */
				slot = hs_hash_u64(((uint64_t)key[0] << 32 |
				    key[1]) ^ ((uint64_t)key[3] << 17) ^
				    key[2]) & (GROUP_CACHE - 1);
				if (cache[slot].id == UINT32_MAX ||
				    memcmp(cache[slot].key, key,
				    sizeof(key)) != 0) {
					id = hs_hmap_intern(&gr->map, key,
					    sizeof(key), &added);
					if (id == UINT32_MAX)
						goto out;
					if (added) {
						if (hs_grow(&gr->g, &gr->cap,
						    (size_t)id + 1,
						    sizeof(*gr->g)) == -1)
							goto out;
						memcpy(gr->g[id].key, key,
						    sizeof(key));
						gr->g[id].count = 0;
						gr->g[id].retained = 0;
					}
					memcpy(cache[slot].key, key,
					    sizeof(key));
					cache[slot].id = id;
				}
				g = &gr->g[cache[slot].id];
				g->count++;
				g->retained += a->retained[t];
			}
		}
	}
	ret = 0;
out:
	hs_free(cache);
	hs_free(names);
	return ret;
}

static int
cmp_group(const void *x, const void *y)
{
	const struct group *p = x, *q = y;
	int i;

	for (i = 0; i < 4; i++)
		if (p->key[i] != q->key[i])
			return p->key[i] < q->key[i] ? -1 : 1;
	return 0;
}

struct label_text {
	const char	*text;
	uint32_t	 id;
};

static int
cmp_label_text(const void *x, const void *y)
{
	const struct label_text *p = x, *q = y;

	return strcmp(p->text, q->text);
}

/*
 * Each retainer's label's rank in the order of the labels' texts, which
 * breaks ties between groups the same way whatever the labels' ids.
 */
static int
label_ranks(struct hs_analysis *a, struct hs_retainer *r, size_t n)
{
	size_t nl = a->labels.count, i;
	struct label_text *lt;
	uint32_t *rank;

	if ((lt = hs_alloc_array(nl + 1, sizeof(*lt))) == NULL)
		return -1;
	if ((rank = hs_alloc_array(nl + 1, sizeof(*rank))) == NULL) {
		hs_free(lt);
		return -1;
	}
	for (i = 0; i < nl; i++) {
		lt[i].text = hs_analysis_label(a, (uint32_t)i);
		lt[i].id = (uint32_t)i;
	}
	qsort(lt, nl, sizeof(*lt), cmp_label_text);
	for (i = 0; i < nl; i++)
		rank[lt[i].id] = (uint32_t)i;
	for (i = 0; i < n; i++)
		r[i].edge_rank = rank[r[i].edge];
	hs_free(rank);
	hs_free(lt);
	return 0;
}

/*
 * The two threads' groups as retainers (target, source, label), by key:
 * names that differ can share a label (two names --redact drops).
 */
static int
retainers_merge(struct hs_analysis *a, struct groups *gr, size_t ngr,
    struct hs_retainer **outp, size_t *noutp)
{
	struct hs_hmap map;
	struct hs_retainer *out = NULL;
	struct group *all;
	size_t n = 0, cap = 0, i, k;
	int ret = -1;

	for (k = 0; k < ngr; k++)
		n += gr[k].map.count;
	if ((all = hs_alloc_array(n + 1, sizeof(*all))) == NULL)
		return -1;
	for (n = 0, k = 0; k < ngr; k++) {
		if (gr[k].map.count == 0)
			continue;	/* a thread that took no slice */
		memcpy(all + n, gr[k].g, gr[k].map.count * sizeof(*all));
		n += gr[k].map.count;
	}
	qsort(all, n, sizeof(*all), cmp_group);
	hs_hmap_init(&map);
	for (i = 0; i < n; i++) {
		uint32_t key[3], id;
		int added;

		key[0] = all[i].key[0];
		key[1] = all[i].key[1];
		if ((key[2] = hs_label(a, (enum hs_edge_kind)all[i].key[2],
		    all[i].key[3])) == UINT32_MAX ||
		    (id = hs_hmap_intern(&map, key, sizeof(key), &added)) ==
		    UINT32_MAX)
			goto out;
		if (added) {
			if (hs_grow(&out, &cap, (size_t)id + 1,
			    sizeof(*out)) == -1)
				goto out;
			memset(&out[id], 0, sizeof(*out));
			out[id].target = key[0];
			out[id].source = key[1];
			out[id].edge = key[2];
		}
		out[id].count += all[i].count;
		out[id].retained += all[i].retained;
	}
	if (label_ranks(a, out, map.count) == -1)
		goto out;
	*outp = out;
	*noutp = map.count;
	out = NULL;
	ret = 0;
out:
	hs_free(out);
	hs_free(all);
	hs_hmap_free(&map);
	return ret;
}

/*
 * The groups of the retainer_classes largest classes: per class, those
 * among the best `per` by retained size or the best `per` by count, in
 * order of retained size.
 */
static int
retainers_keep(struct hs_analysis *a, struct hs_retainer *g, size_t n,
    const uint32_t *order)
{
	size_t nsel = a->opts.retainer_classes, per = a->opts.retainers_per_class;
	size_t i, j, k, nout = 0;
	struct hs_retainer *out;
	uint8_t *selected;

	if (nsel > a->class_count)
		nsel = a->class_count;
	if ((selected = hs_calloc(a->class_count + 1, 1)) == NULL)
		return hs_analysis_nomem(a);
	for (i = 0; i < nsel; i++)
		selected[order[i]] = 1;
	if (n > 1)
		qsort(g, n, sizeof(*g), cmp_retainer_count_first);
	if ((out = hs_alloc_array(n + 1, sizeof(*out))) == NULL) {
		hs_free(selected);
		return hs_analysis_nomem(a);
	}
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && g[j].target == g[i].target; j++)
			;
		if (!selected[g[i].target])
			continue;
		/* g[i..j) is by count: mark the best by count. */
		for (k = i; k < j; k++)
			g[k].top_count = k - i < per;
		qsort(g + i, j - i, sizeof(*g), cmp_retainer);
		for (k = i; k < j; k++)
			if (k - i < per || g[k].top_count)
				out[nout++] = g[k];
	}
	hs_free(selected);
	a->retainers = out;
	a->retainer_count = nout;
	return 0;
}

/* One shortest path from a root to the largest object of each top class. */
static int
paths(struct hs_analysis *a, const uint32_t *order, const uint32_t *largest)
{
	const struct hs_snapshot *s = a->snap;
	size_t n = a->opts.path_classes, i;

	if (n > a->class_count)
		n = a->class_count;
	if ((a->paths = hs_calloc(n + 1, sizeof(*a->paths))) == NULL)
		return hs_analysis_nomem(a);
	for (i = 0; i < n; i++) {
		uint32_t c = order[i], x = largest[c], steps = 0, v;
		struct hs_path *p = &a->paths[a->path_count];

		if (x == UINT32_MAX || a->bfs_edge[x] == UINT32_MAX)
			continue;
		/* At most 64 steps: a longer path keeps its last 64. */
		for (v = x; v != s->root && steps < 64 &&
		    a->bfs_edge[v] != UINT32_MAX;
		    v = hs_edge_source(s, a->bfs_edge[v]))
			steps++;
		if ((p->steps = hs_alloc_array(steps + 1,
		    sizeof(*p->steps))) == NULL)
			return hs_analysis_nomem(a);
		a->path_count++;	/* from here on it is freed with a */
		p->cls = c;
		p->object_id = s->node_id[x];
		p->retained = a->retained[x];
		p->len = steps;
		while (steps > 0) {
			uint32_t edge = a->bfs_edge[x];

			steps--;
			p->steps[steps].cls = a->node_class[x];
			if ((p->steps[steps].edge = hs_edge_label(a, edge)) ==
			    UINT32_MAX)
				return hs_analysis_nomem(a);
			x = hs_edge_source(s, edge);
		}
	}
	return 0;
}

static int
cmp_site(const void *x, const void *y)
{
	const struct hs_site *p = x, *q = y;

	if (p->retained != q->retained)
		return p->retained > q->retained ? -1 : 1;
	if (p->self != q->self)
		return p->self > q->self ? -1 : 1;
	if (p->count != q->count)
		return p->count > q->count ? -1 : 1;
	if (p->script_id != q->script_id)
		return p->script_id < q->script_id ? -1 : 1;
	if (p->line != q->line)
		return p->line < q->line ? -1 : 1;
	if (p->column != q->column)
		return p->column < q->column ? -1 : 1;
	return p->name < q->name ? -1 : p->name > q->name;
}

/* A function name as it may appear in a summary. */
static uint32_t
function_name(struct hs_analysis *a, const char *p, size_t len)
{
	if (p == NULL || len == 0)
		return hs_hmap_intern(&a->names, "(anonymous)", 11, NULL);
	if (a->opts.redact != NULL && hs_regex_match(a->opts.redact, p, len))
		return hs_hmap_intern(&a->names, "(redacted)", 10, NULL);
	return hs_hmap_intern(&a->names, p, len, NULL);
}

/*
 * Closures grouped by function name and source location, in two steps:
 * the sites, their counts and self sizes as soon as the classes are known
 * (the analysis then lets the node names and the locations go), and their
 * retained sizes once the dominator tree is done.
 */
struct closure_sites {
	struct hs_site	*site;
	size_t		 count;
	struct site_member {
		uint32_t node, site;
	}		*member;
	size_t		 nmember;
};

static int
closure_sites(struct hs_analysis *a, struct closure_sites *cs)
{
	const struct hs_snapshot *s = a->snap;
	struct hs_hmap sites;
	size_t cap = 0, i;
	int ret = -1;

	if (s->location_count == 0)
		return 0;
	if ((cs->member = hs_alloc_array(s->location_count,
	    sizeof(*cs->member))) == NULL)
		return -1;
	hs_hmap_init(&sites);
	for (i = 0; i < s->location_count; i++) {
		const struct hs_location *l = &s->locations[i];
		uint32_t v = l->node, key[4], id;
		size_t len;
		const char *p;
		int added;

		if (HS_NODE_KIND(s, v) != HS_NK_CLOSURE || a->self[v] == 0)
			continue;
		p = hs_snapshot_string(s, s->node_name[v], &len);
		if ((key[0] = function_name(a, p, len)) == UINT32_MAX)
			goto out;
		key[1] = l->script_id;
		key[2] = l->line;
		key[3] = l->column;
		if ((id = hs_hmap_intern(&sites, key, sizeof(key), &added)) ==
		    UINT32_MAX)
			goto out;
		if (added) {
			if (hs_grow(&cs->site, &cap, (size_t)id + 1,
			    sizeof(*cs->site)) == -1)
				goto out;
			memset(&cs->site[id], 0, sizeof(*cs->site));
			cs->site[id].name = key[0];
			cs->site[id].script = UINT32_MAX;
			cs->site[id].script_id = l->script_id;
			cs->site[id].line = l->line;
			cs->site[id].column = l->column;
		}
		cs->member[cs->nmember].node = v;
		cs->member[cs->nmember++].site = id;
		cs->site[id].count++;
		cs->site[id].self += a->self[v];
	}
	cs->count = sites.count;
	ret = 0;
out:
	hs_hmap_free(&sites);
	return ret;
}

static void
closure_sites_free(struct closure_sites *cs)
{
	hs_free(cs->site);
	hs_free(cs->member);
	memset(cs, 0, sizeof(*cs));
}

/* The sites' retained sizes; then they are the analysis's. */
static void
closures(struct hs_analysis *a, struct closure_sites *cs)
{
	size_t i;

	for (i = 0; i < cs->nmember; i++)
		cs->site[cs->member[i].site].retained +=
		    a->retained[cs->member[i].node];
	if (cs->count > 1)
		qsort(cs->site, cs->count, sizeof(*cs->site), cmp_site);
	a->closures = cs->site;
	a->closure_count = cs->count < a->opts.closure_sites ?
	    cs->count : a->opts.closure_sites;
	cs->site = NULL;
	closure_sites_free(cs);
}

static const struct hs_trace_node *
trace_node(const struct hs_snapshot *s, uint32_t id)
{
	size_t lo = 0, hi = s->trace_node_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->trace_nodes[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->trace_node_count && s->trace_nodes[lo].id == id ?
	    &s->trace_nodes[lo] : NULL;
}

/* Live objects by the function that allocated them (allocation traces). */
static int
allocations(struct hs_analysis *a)
{
	const struct hs_snapshot *s = a->snap;
	struct hs_site *site;
	size_t n = s->trace_function_count, i, used = 0;
	uint32_t v;

	if (s->node_trace == NULL || n == 0 || s->trace_node_count == 0)
		return 0;
	if ((site = hs_calloc(n, sizeof(*site))) == NULL)
		return hs_analysis_nomem(a);
	for (v = 0; v < s->node_count; v++) {
		const struct hs_trace_node *t;

		if (s->node_trace[v] == 0 || a->self[v] == 0 ||
		    (t = trace_node(s, s->node_trace[v])) == NULL ||
		    t->function == UINT32_MAX)
			continue;
		site[t->function].count++;
		site[t->function].self += a->self[v];
	}
	for (i = 0; i < n; i++) {
		const struct hs_trace_function *f = &s->trace_functions[i];
		size_t len;
		const char *p;

		if (site[i].count == 0)
			continue;
		site[used] = site[i];
		p = hs_snapshot_string(s, f->name, &len);
		if ((site[used].name = function_name(a, p, len)) == UINT32_MAX)
			goto oom;
		p = hs_snapshot_string(s, f->script_name, &len);
		if (p == NULL || len == 0)
			site[used].script = UINT32_MAX;
		else if ((site[used].script = function_name(a, p, len)) ==
		    UINT32_MAX)
			goto oom;
		site[used].script_id = f->script_id;
		site[used].line = f->line;
		site[used].column = f->column;
		site[used].retained = 0;
		used++;
	}
	if (used > 1)
		qsort(site, used, sizeof(*site), cmp_site);
	a->allocations = site;
	a->allocation_count = used < a->opts.allocation_sites ? used :
	    a->opts.allocation_sites;
	return 0;
oom:
	hs_free(site);
	return hs_analysis_nomem(a);
}

/*
 * The aggregation runs on the analysis's two threads (see
 * hs_analyze_graph()): the statistics and the closures' sites on the
 * side one as soon as the classes are known; once the dominator tree is
 * done, the class rows on the main one, then the class retained sizes and
 * the class members, each on whichever thread comes to it first (the
 * main one, as a rule: the side one is still searching for the
 * distances), then the retainers on both.  They write different members
 * of the classes.  Then the rest, on the main thread.
 */
struct hs_aggregation {
	struct hs_analysis	*a;
	struct groups		 gr[2];		/* main's, side's */
	atomic_uint		 next_slice;	/* of retainers_collect() */
	struct closure_sites	 closures;
	uint32_t		*largest;	/* per class */
	atomic_uint		 next_step;	/* of shared_steps[] */
};

/*
 * Steps taken by whichever thread is free first once the dominator tree
 * is done: how long each thread's own part takes varies from run to run.
 * Each returns -1 when memory runs out, and leaves the message to its
 * caller.  (The class members need only the classes, but their memory
 * would add to the dominator step's peak.)
 */
static int
members_step(struct hs_analysis *a)
{
	return class_members(a, &a->member_storage);
}

static int (*const shared_steps[])(struct hs_analysis *) = {
	class_retained,
	members_step
};

#define NSHARED	(sizeof(shared_steps) / sizeof(shared_steps[0]))

static int
run_shared(struct hs_aggregation *ag)
{
	unsigned k;

	while ((k = atomic_fetch_add(&ag->next_step, 1)) < NSHARED)
		if (shared_steps[k](ag->a) == -1)
			return -1;
	return 0;
}

struct hs_aggregation *
hs_aggregation_new(struct hs_analysis *a)
{
	struct hs_aggregation *ag;

	if ((ag = hs_calloc(1, sizeof(*ag))) == NULL)
		return NULL;
	ag->a = a;
	atomic_init(&ag->next_step, 0);
	atomic_init(&ag->next_slice, 0);
	hs_hmap_init(&ag->gr[0].map);
	hs_hmap_init(&ag->gr[1].map);
	return ag;
}

int
hs_aggregate_statistics(struct hs_aggregation *ag)
{
	return statistics(ag->a);
}

int
hs_aggregate_early(struct hs_aggregation *ag)
{
	return closure_sites(ag->a, &ag->closures);
}

int
hs_aggregate_main(struct hs_aggregation *ag, hs_progress_fn progress,
    void *ctx)
{
	struct hs_analysis *a = ag->a;
	size_t i;

	if (progress)
		progress(ctx, "classes");
	if ((ag->largest = hs_alloc_array(a->class_count + 1,
	    sizeof(uint32_t))) == NULL)
		return hs_analysis_nomem(a);
	for (i = 0; i < a->class_count; i++)
		ag->largest[i] = UINT32_MAX;
	if (class_rows(a, ag->largest) == -1)
		return -1;
	if (run_shared(ag) == -1)
		return hs_analysis_nomem(a);
	if (progress)
		progress(ctx, "retainers");
	if (retainers_collect(a, &ag->gr[0], &ag->next_slice) == -1)
		return hs_analysis_nomem(a);
	return 0;
}

int
hs_aggregate_side(struct hs_aggregation *ag)
{
	if (run_shared(ag) == -1 ||
	    retainers_collect(ag->a, &ag->gr[1], &ag->next_slice) == -1)
		return -1;
	return 0;
}

int
hs_aggregate_finish(struct hs_aggregation *ag)
{
	struct hs_analysis *a = ag->a;
	struct hs_retainer *g = NULL;
	uint32_t *order;
	size_t i, n;
	int ret = -1;

	statistics_total(a);
	if ((order = classes_by_retained(a)) == NULL)
		return hs_analysis_nomem(a);
	if (retainers_merge(a, ag->gr, 2, &g, &n) == -1) {
		hs_analysis_nomem(a);
		goto out;
	}
	if (retainers_keep(a, g, n, order) == -1 ||
	    paths(a, order, ag->largest) == -1 || allocations(a) == -1)
		goto out;
	closures(a, &ag->closures);
	for (i = 0; i < a->class_count; i++)
		if (a->classes[i].distance == INT64_MAX)
			a->classes[i].distance = HS_NO_DISTANCE;
	ret = 0;
out:
	hs_free(g);
	hs_free(order);
	return ret;
}

void
hs_aggregation_free(struct hs_aggregation *ag)
{
	size_t i;

	if (ag == NULL)
		return;
	for (i = 0; i < 2; i++) {
		hs_free(ag->gr[i].g);
		hs_hmap_free(&ag->gr[i].map);
	}
	hs_free(ag->largest);
	closure_sites_free(&ag->closures);
	hs_free(ag);
}

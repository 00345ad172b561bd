/*
 * analyze: what Chrome DevTools computes from a heap snapshot, computed the
 * same way: DOM detachedness, shallow sizes, the dominator tree over the
 * essential edges, retained sizes, distances, class names (plain objects
 * named by shape), the Summary view's per-class aggregates and the
 * Statistics view, plus what hs adds for leak hunting: retainers per
 * class, retainer paths, closures by location, allocation sites and object
 * ids per class.
 *
 * DevTools' front_end/entrypoints/heap_snapshot_worker/HeapSnapshot.ts is
 * the reference; each rule is described in man/hs-summary.5.
 *
 *	a = hs_analysis_new(snap, &opts);	// borrows snap (see below)
 *	if (hs_analysis_run(a, progress, ctx) == -1) ... hs_analysis_error(a)
 *	... read a->classes etc ...
 *	hs_analysis_free(a);
 */
#ifndef HS_ANALYZE_H
#define HS_ANALYZE_H

#include <stddef.h>
#include <pthread.h>
#include <stdint.h>

#include "hmap.h"
#include "snapshot.h"

/* Bit i of a bitmap of bytes (page_owned, sized and the steps' own). */
#define BIT_GET(b, i)	((b)[(i) >> 3] & (1u << ((i) & 7)))
#define BIT_SET(b, i)	((b)[(i) >> 3] |= (uint8_t)(1u << ((i) & 7)))

struct hs_regex;

/* Distances as DevTools reports them. */
#define HS_NO_DISTANCE		(-5)
#define HS_BASE_SYSTEM_DISTANCE	100000000

struct hs_analysis_options {
	int		 raw;		/* raw self sizes, no shape names */
	struct hs_regex	*redact;	/* names matching it are dropped */
	size_t		 retainer_classes;	/* classes given retainers */
	size_t		 retainers_per_class;
	size_t		 path_classes;	/* classes given a retainer path */
	size_t		 closure_sites;	/* closure rows kept */
	size_t		 allocation_sites;
	size_t		 shape_cache;	/* bytes of property lists kept
					   by the shape names (0: 64 MiB) */
	size_t		 level_list;	/* nodes a level of the distances'
					   search lists before it takes a
					   bit a node (0: N/128, 65536 at
					   least) */
};

struct hs_class {
	uint32_t	 name;		/* id in a->names */
	uint32_t	 key;		/* id in a->keys */
	int		 has_location;
	uint32_t	 script_id, line, column;
	uint64_t	 count;
	uint64_t	 self;		/* DevTools' shallow size */
	uint64_t	 raw_self;	/* the file's self_size */
	uint64_t	 retained;	/* without double counting */
	uint64_t	 max_retained;	/* largest single object */
	int64_t		 distance;	/* minimum */
	uint64_t	 detached;
	uint32_t	 max_id;
	/* The counted objects (node ordinals), by ascending object id. */
	uint32_t	*members;
};

struct hs_retainer {
	uint32_t	 target;	/* class index */
	uint32_t	 source;	/* class index */
	uint32_t	 edge;		/* id in a->labels */
	uint32_t	 edge_rank;	/* its label's, in text order */
	uint64_t	 count;
	uint64_t	 retained;
	int		 top_count;	/* among the best by count */
};

struct hs_path_step {
	uint32_t	 cls;		/* class index */
	uint32_t	 edge;		/* label id of the edge into this
					 * node (from the root, for the first) */
};

struct hs_path {
	uint32_t	 cls;		/* the class the path leads to */
	uint32_t	 object_id;
	uint64_t	 retained;
	size_t		 len;
	struct hs_path_step *steps;	/* from the root's child to the object */
};

struct hs_site {
	uint32_t	 name;		/* id in a->names */
	uint32_t	 script;	/* id in a->names (allocation sites) */
	uint32_t	 script_id, line, column;
	uint64_t	 count;
	uint64_t	 self;
	uint64_t	 retained;
};

struct hs_statistics {
	uint64_t	 total, native, typed_arrays, v8heap, code, strings,
			 js_arrays, system;
};

struct hs_analysis {
	const struct hs_snapshot *snap;
	/*
	 * The same snapshot, whose columns node_self, node_detached and
	 * node_name, and locations, the analysis frees (and sets to NULL,
	 * location_count to 0) once it is done with them: on a big
	 * snapshot, memory is what limits.
	 */
	struct hs_snapshot *columns;
	struct hs_analysis_options opts;

	/* Per node. */
	uint32_t	*self;		/* shallow size used (DevTools' or raw) */
	uint8_t		*sized;		/* bitmap: self[] is not 0 */
	uint8_t		*detached;	/* DOM link state, 0..3 */
	uint8_t		*page_owned;	/* bitmap */
	uint32_t	*dom;		/* immediate dominator */
	uint64_t	*retained;
	uint32_t	*bfs_edge;	/* edge that first reached the node */
	uint32_t	*node_class;

	/* Interned display strings (class names, labels, script names). */
	struct hs_hmap	 names;
	struct hs_hmap	 keys;
	struct hs_hmap	 labels;
	uint64_t	*label_key;	/* cache for hs_edge_label() */
	uint32_t	*label_val;

	struct hs_class	*classes;
	size_t		 class_count, class_cap;
	uint32_t	*member_storage;	/* backs classes[].members */
	struct hs_statistics stats;
	struct hs_retainer *retainers;	/* grouped by target, best first */
	size_t		 retainer_count;
	struct hs_path	*paths;
	size_t		 path_count;
	struct hs_site	*closures;
	size_t		 closure_count;
	struct hs_site	*allocations;
	size_t		 allocation_count;

	uint64_t	 total_size;	/* root retained + extra native */
	uint64_t	 raw_self_total;
	uint64_t	 reachable_size;
	uint32_t	 reachable_count;
	uint32_t	 max_id, max_js_id;
	int		 has_user_roots;
	int		 is_browser;
	const char	*runtime;	/* "node", "deno" or "browser" */

	char		 err[256];
};

/* Which phase is running, for progress lines. */
typedef void (*hs_progress_fn)(void *ctx, const char *phase);

struct hs_analysis *hs_analysis_new(struct hs_snapshot *,
		    const struct hs_analysis_options *);
/* Returns 0, or -1 with a message in hs_analysis_error(). */
int		 hs_analysis_run(struct hs_analysis *, hs_progress_fn, void *);
const char	*hs_analysis_error(const struct hs_analysis *);
void		 hs_analysis_free(struct hs_analysis *);

/* The display text of an interned id. */
const char	*hs_analysis_name(const struct hs_analysis *, uint32_t id);
const char	*hs_analysis_key(const struct hs_analysis *, uint32_t id);
const char	*hs_analysis_label(const struct hs_analysis *, uint32_t id);

/* Internal steps, in analyze.c, classify.c and aggregate.c. */
int		 hs_analyze_graph(struct hs_analysis *, hs_progress_fn, void *);
int		 hs_classify(struct hs_analysis *);
int		 hs_analysis_fail(struct hs_analysis *, const char *msg);

/*
 * A one-way gate between two threads of the analysis: one opens it when a
 * step is done (or has failed), the other waits for that.
 */
struct hs_gate {
	pthread_mutex_t	lock;
	pthread_cond_t	cond;
	int		open;
};

void		 hs_gate_init(struct hs_gate *);
void		 hs_gate_open(struct hs_gate *);
void		 hs_gate_wait(struct hs_gate *);
void		 hs_gate_destroy(struct hs_gate *);
int		 hs_analysis_nomem(struct hs_analysis *);

/*
 * The aggregation (aggregate.c), for the two threads: the statistics,
 * which need the shallow sizes and the node names, and early the
 * closures' sites, which need the node names too and come after the
 * classes (both add to the names), but neither the dominator tree; then
 * main the class rows and retainers, side the class retained sizes, and
 * the class members go to whichever is free first.  Statistics, early and
 * side report failure by -1 alone (memory).  Main and side need the
 * dominator tree and the classes; finish needs all of them done.
 */
struct hs_aggregation;

struct hs_aggregation *hs_aggregation_new(struct hs_analysis *);
int		 hs_aggregate_statistics(struct hs_aggregation *);
int		 hs_aggregate_early(struct hs_aggregation *);
int		 hs_aggregate_main(struct hs_aggregation *, hs_progress_fn,
		    void *);
int		 hs_aggregate_side(struct hs_aggregation *);
int		 hs_aggregate_finish(struct hs_aggregation *);
void		 hs_aggregation_free(struct hs_aggregation *);

/* Helpers shared by the steps. */
int		 hs_name_is_identifier(const char *s, size_t len);
/* Whether a name must be left out: not an identifier or redacted. */
int		 hs_name_is_private(const struct hs_analysis *, const char *s,
		    size_t len);
uint32_t	 hs_edge_label(struct hs_analysis *, uint32_t edge);
/* Edge names as far as their labels go; the labels of those (classify.c). */
#define HS_LABEL_INDEX		UINT32_MAX
#define HS_LABEL_PRIVATE	(UINT32_MAX - 1)
uint32_t	 hs_label_name(const struct hs_snapshot *, enum hs_edge_kind,
		    uint32_t name);
uint32_t	 hs_label(struct hs_analysis *, enum hs_edge_kind, uint32_t name);
uint32_t	 hs_edge_source(const struct hs_snapshot *, uint32_t edge);

#endif

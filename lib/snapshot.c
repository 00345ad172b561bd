/*
 * snapshot: streaming reader for V8 heap snapshots (see snapshot.h).
 *
 * Two parsers share the work.  yajl, the parser of record, sees the whole
 * document except the bodies of the big arrays: a light scanner running
 * ahead of it ("the splicer") spots the top-level keys "nodes", "edges",
 * "locations", "trace_function_infos", "samples" and "strings", hands
 * yajl the opening '[', parses the body itself with the strict scanners of
 * scan.c, then hands yajl the closing ']'.  yajl thus checks the document's
 * structure, and the hot arrays cost no per-number callback.  If the
 * splicer does not recognise a key (say it is written with escapes), yajl
 * simply delivers that array's values through the ordinary events, which
 * feed the same sinks: the fast path is an optimisation, never a different
 * grammar.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "prefault.h"
#include "reserve.h"
#include "json.h"
#include "jv.h"
#include "scan.h"
#include "snapshot.h"

enum section {
	SEC_NONE, SEC_SNAPSHOT, SEC_NODES, SEC_EDGES, SEC_LOCATIONS,
	SEC_TRACE_FUNCTION_INFOS, SEC_SAMPLES, SEC_STRINGS, SEC_TRACE_TREE,
	SEC_OTHER, SEC_COUNT
};

static const char *const section_names[SEC_COUNT] = {
	"", "snapshot", "nodes", "edges", "locations",
	"trace_function_infos", "samples", "strings", "trace_tree", ""
};

/*
 * Columns, by meaning: each code is 1 + the field's place in the names
 * below (0: a field this reader does not use).  Location and trace
 * function records are stored as their structs' uint32_t members in this
 * order.
 */
enum { NC_IGNORE, NC_TYPE, NC_NAME, NC_ID, NC_SELF, NC_EDGE_COUNT,
	NC_TRACE, NC_DETACHED };
#define NO_FIELD	0xff	/* in node_pos[]: not in the snapshot */
static const char *const node_field_names[] = { "type", "name", "id",
	"self_size", "edge_count", "trace_node_id", "detachedness", NULL };
enum { EC_IGNORE, EC_TYPE, EC_NAME, EC_TO };
static const char *const edge_field_names[] = { "type", "name_or_index",
	"to_node", NULL };
static const char *const location_field_names[] = { "object_index",
	"script_id", "line", "column", NULL };
static const char *const tfi_field_names[] = { "function_id", "name",
	"script_name", "script_id", "line", "column", NULL };

/* Splicer key states, at depth 1 of the top-level object. */
enum { KS_NONE, KS_EXPECT_KEY, KS_IN_KEY, KS_AFTER_KEY, KS_AFTER_COLON };

/* The deepest nesting accepted (allocation trace trees are deep). */
#define MAX_DEPTH	100000

#define MAX_FIELDS	64

/*
 * An array of records made of uint32_t members, filled from a flat integer
 * array: locations and trace functions.
 */
struct records {
	void		**base;
	size_t		 *count;
	size_t		  cap;
	size_t		  width;	/* members per record */
	unsigned	  nfields;	/* fields per record in the file */
	uint8_t		  col[MAX_FIELDS];
};

struct trace_level {
	uint32_t	parent;		/* trace node index, or UINT32_MAX */
	uint32_t	current;	/* trace node being read */
	unsigned	field;
};

struct hs_snapshot_reader {
	struct hs_snapshot *snap;
	struct hs_json	*json;
	uint64_t	 offset;	/* absolute offset of the next chunk */
	uint64_t	 size_hint;
	size_t		 reserve_per_node;	/* 0: none, or taken */
	int		 edges_sized;	/* edge columns at the declared count,
					 * faulted in by r->prefault */
	int		 failed;
	char		 err[320];

	/* The splicer. */
	int		 sp_depth;
	int		 sp_in_string;
	int		 sp_escape;
	int		 sp_top_object;
	int		 sp_ks;
	char		 sp_key[32];
	size_t		 sp_keylen;
	int		 sp_key_plain;	/* no escapes, fits */
	int		 sp_mode;	/* 0, or the section being scanned */
	struct hs_intscan is;
	struct hs_strscan ss;
	int		 ss_ready;

	/* The structural side, driven by yajl's events. */
	int		 depth;
	enum section	 section;
	int		 seen[SEC_COUNT];
	uint64_t	 section_offset[SEC_COUNT];
	struct hs_jv_builder *header_builder;
	struct hs_jv	*header;

	/* From meta. */
	unsigned	 node_fields;
	uint8_t		 node_col[MAX_FIELDS];
	unsigned	 edge_fields;
	uint8_t		 edge_col[MAX_FIELDS];
	/* Every node field one of node_field_names, each once: where. */
	int		 nodes_v8;
	uint8_t		 node_pos[8];	/* by NC_*, or NO_FIELD */
	/* V8's three edge fields, each once: where each is in an edge. */
	int		 edges_v8;
	uint8_t		 edge_pos[4];
	struct records	 locations;	/* into snap->locations */
	struct records	 functions;	/* into snap->trace_functions */
	unsigned	 trace_node_fields;
	int		 tn_id, tn_function, tn_children;
	int64_t		 declared_nodes, declared_edges;
	int		 keep_trace;	/* allocation traces are recorded */
	int64_t		 root_index;

	/* Int sink state. */
	unsigned	 field;
	size_t		 node_cap, edge_cap, tn_cap;
	uint64_t	 edge_total;	/* sum of edge_count so far */
	uint32_t	 edge_type_now, edge_to_now;	/* of the edge being read */
	struct hs_prefault *prefault;	/* of the columns being filled */
	uint64_t	 sample_values;

	/* Strings. */
	uint8_t		*wanted;	/* bitmap */
	uint64_t	 wanted_bits;
	/*
	 * The largest string index that a node or an edge names, found by
	 * prepare_strings() (name_max_known), so that finish_checks() need
	 * not go over them again.
	 */
	uint64_t	 name_max;
	int		 name_max_known;
	int		 keep_all;
	size_t		 text_cap;

	/* Trace tree. */
	struct trace_level *levels;
	size_t		 level_cap, level_count;
	int		 trace_tree_depth;
};

static int
reader_fail(struct hs_snapshot_reader *r, uint64_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
reader_fail(struct hs_snapshot_reader *r, uint64_t off, const char *fmt, ...)
{
	va_list ap;
	char msg[256];

	if (r->failed)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(r->err, sizeof(r->err), "byte %llu: %s",
	    (unsigned long long)off, msg);
	r->failed = 1;
	return -1;
}

/* For event handlers: fail at yajl's current position. */
static int
ev_fail(struct hs_snapshot_reader *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
ev_fail(struct hs_snapshot_reader *r, const char *fmt, ...)
{
	va_list ap;
	char msg[256];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return reader_fail(r, hs_json_offset(r->json), "%s", msg);
}

static int
oom(struct hs_snapshot_reader *r)
{
	return ev_fail(r, "out of memory");
}

/* ---- meta ---- */

static int
find_field(const struct hs_jv *fields, const char *name)
{
	size_t i;

	for (i = 0; i < fields->len; i++)
		if (fields->items[i].kind == HS_JV_STRING &&
		    strcmp(fields->items[i].str, name) == 0)
			return (int)i;
	return -1;
}

/* Checks that key names an array of at most MAX_FIELDS strings. */
static const struct hs_jv *
string_list(struct hs_snapshot_reader *r, const struct hs_jv *obj,
    const char *key, int required)
{
	const struct hs_jv *v = hs_jv_get(obj, key);
	size_t i;

	if (v == NULL) {
		if (required)
			ev_fail(r, "expected \"%s\" in snapshot.meta", key);
		return NULL;
	}
	if (v->kind != HS_JV_ARRAY || v->len > MAX_FIELDS) {
		ev_fail(r, "expected snapshot.meta.%s to be a list of names",
		    key);
		return NULL;
	}
	for (i = 0; i < v->len; i++) {
		if (v->items[i].kind != HS_JV_STRING) {
			ev_fail(r, "expected snapshot.meta.%s to hold names",
			    key);
			return NULL;
		}
	}
	return v;
}

static const char *const node_kind_names[] = {
	"", "hidden", "array", "string", "object", "code", "closure",
	"regexp", "number", "native", "synthetic", "concatenated string",
	"sliced string", "symbol", "bigint", NULL
};

static const char *const edge_kind_names[] = {
	"", "context", "element", "property", "internal", "hidden",
	"shortcut", "weak", NULL
};

static int
kind_of(const char *name, const char *const *names)
{
	int i;

	for (i = 1; names[i] != NULL; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return 0;
}

/* Copies the type names of types[offset] and maps them to kinds. */
static int
type_table(struct hs_snapshot_reader *r, const struct hs_jv *types,
    int offset, const char *what, const char *const *kinds, char ***namesp,
    uint8_t **kindp, size_t *countp)
{
	const struct hs_jv *t;
	size_t i;

	if (types == NULL || types->kind != HS_JV_ARRAY ||
	    (size_t)offset >= types->len ||
	    (t = &types->items[offset])->kind != HS_JV_ARRAY ||
	    t->len == 0 || t->len > 255)
		return ev_fail(r, "expected snapshot.meta.%s to list the "
		    "type names", what);
	if ((*namesp = hs_calloc(t->len, sizeof(char *))) == NULL ||
	    (*kindp = hs_calloc(t->len, 1)) == NULL)
		return oom(r);
	*countp = t->len;
	for (i = 0; i < t->len; i++) {
		if (t->items[i].kind != HS_JV_STRING)
			return ev_fail(r, "expected snapshot.meta.%s to list "
			    "the type names", what);
		if (((*namesp)[i] = hs_strdup(t->items[i].str)) == NULL)
			return oom(r);
		(*kindp)[i] = (uint8_t)kind_of(t->items[i].str, kinds);
	}
	return 0;
}

/*
 * Sets col[i] to the code of field i of the list (1 + its place in names,
 * or 0 when unknown); a field named twice is read once.
 */
static void
map_fields(const struct hs_jv *fields, const char *const *names,
    uint8_t *col)
{
	size_t i, k;

	for (i = 0; i < fields->len; i++) {
		col[i] = 0;
		for (k = 0; names[k] != NULL; k++)
			if (strcmp(fields->items[i].str, names[k]) == 0)
				col[i] = (uint8_t)(k + 1);
		for (k = 0; k < i; k++)
			if (col[k] == col[i])
				col[i] = 0;
	}
}

static int
read_meta(struct hs_snapshot_reader *r)
{
	struct hs_snapshot *s = r->snap;
	const struct hs_jv *h = r->header, *meta, *f, *v;
	int64_t n;
	int i;

	if ((meta = hs_jv_get(h, "meta")) == NULL ||
	    meta->kind != HS_JV_OBJECT)
		return ev_fail(r, "expected \"meta\" in \"snapshot\"");

	if ((f = string_list(r, meta, "node_fields", 1)) == NULL)
		return -1;
	r->node_fields = (unsigned)f->len;
	for (i = 0; i < 5; i++)
		if (find_field(f, node_field_names[i]) < 0)
			return ev_fail(r, "expected \"%s\" in "
			    "snapshot.meta.node_fields", node_field_names[i]);
	map_fields(f, node_field_names, r->node_col);
	memset(r->node_pos, NO_FIELD, sizeof(r->node_pos));
	r->nodes_v8 = 1;
	for (i = 0; i < (int)f->len; i++) {
		if (r->node_col[i] == NC_IGNORE)
			r->nodes_v8 = 0;
		else
			r->node_pos[r->node_col[i]] = (uint8_t)i;
	}
	if (find_field(f, "trace_node_id") >= 0)
		s->sections |= HS_SEC_TRACE_NODE_ID;
	if (find_field(f, "detachedness") >= 0)
		s->sections |= HS_SEC_DETACHEDNESS;
	if (type_table(r, hs_jv_get(meta, "node_types"), find_field(f, "type"),
	    "node_types", node_kind_names, &s->node_type_names, &s->node_kind,
	    &s->node_type_count) == -1)
		return -1;

	if ((f = string_list(r, meta, "edge_fields", 1)) == NULL)
		return -1;
	r->edge_fields = (unsigned)f->len;
	for (i = 0; i < 3; i++)
		if (find_field(f, edge_field_names[i]) < 0)
			return ev_fail(r, "expected \"%s\" in "
			    "snapshot.meta.edge_fields", edge_field_names[i]);
	map_fields(f, edge_field_names, r->edge_col);
	if (r->edge_fields == 3) {
		unsigned seen = 0;

		for (i = 0; i < 3; i++) {
			r->edge_pos[r->edge_col[i]] = (uint8_t)i;
			seen |= 1u << r->edge_col[i];
		}
		r->edges_v8 = seen == (1u << EC_TYPE | 1u << EC_NAME |
		    1u << EC_TO);
	}
	if (type_table(r, hs_jv_get(meta, "edge_types"), find_field(f, "type"),
	    "edge_types", edge_kind_names, &s->edge_type_names, &s->edge_kind,
	    &s->edge_type_count) == -1)
		return -1;
	if (s->edge_type_count > HS_MAX_EDGE_TYPES)
		return ev_fail(r, "expected at most %u snapshot.meta.edge_types",
		    HS_MAX_EDGE_TYPES);

	if (hs_jv_get(meta, "location_fields") != NULL) {
		if ((f = string_list(r, meta, "location_fields", 0)) == NULL)
			return -1;
		r->locations.nfields = (unsigned)f->len;
		map_fields(f, location_field_names, r->locations.col);
	}
	if (hs_jv_get(meta, "trace_function_info_fields") != NULL) {
		if ((f = string_list(r, meta, "trace_function_info_fields",
		    0)) == NULL)
			return -1;
		r->functions.nfields = (unsigned)f->len;
		map_fields(f, tfi_field_names, r->functions.col);
	}
	r->tn_id = r->tn_function = r->tn_children = -1;
	if ((v = hs_jv_get(meta, "trace_node_fields")) != NULL) {
		if ((f = string_list(r, meta, "trace_node_fields", 0)) == NULL)
			return -1;
		r->trace_node_fields = (unsigned)f->len;
		r->tn_id = find_field(f, "id");
		r->tn_function = find_field(f, "function_info_index");
		r->tn_children = find_field(f, "children");
	}

	r->declared_nodes = r->declared_edges = -1;
	if (hs_jv_get(h, "node_count") != NULL &&
	    hs_jv_get_int(h, "node_count", 0, UINT32_MAX, &n) == -1)
		return ev_fail(r, "expected snapshot.node_count to be a count "
		    "under 2^32");
	else if (hs_jv_get(h, "node_count") != NULL)
		r->declared_nodes = n;
	if (hs_jv_get(h, "edge_count") != NULL &&
	    hs_jv_get_int(h, "edge_count", 0, UINT32_MAX, &n) == -1)
		return ev_fail(r, "expected snapshot.edge_count to be a count "
		    "under 2^32");
	else if (hs_jv_get(h, "edge_count") != NULL)
		r->declared_edges = n;
	/* trace_node_id is all zeros unless allocations were tracked. */
	r->keep_trace = (s->sections & HS_SEC_TRACE_NODE_ID) &&
	    hs_jv_get_int(h, "trace_function_count", 1, INT64_MAX, &n) == 0;
	r->root_index = 0;
	if (hs_jv_get(h, "root_index") != NULL &&
	    hs_jv_get_int(h, "root_index", 0, UINT32_MAX, &r->root_index) == -1)
		return ev_fail(r, "expected snapshot.root_index to be a node "
		    "index");
	if (hs_jv_get(h, "extra_native_bytes") != NULL) {
		if (hs_jv_get_int(h, "extra_native_bytes", 0, INT64_MAX,
		    &n) == -1)
			return ev_fail(r, "expected "
			    "snapshot.extra_native_bytes to be a byte count");
		s->extra_native_bytes = (uint64_t)n;
		s->sections |= HS_SEC_EXTRA_NATIVE_BYTES;
	}
	return 0;
}

/* ---- integer sinks ---- */

static void
prefault_stop(struct hs_snapshot_reader *r)
{
	hs_prefault_free(r->prefault);
	r->prefault = NULL;
}

/*
 * Columns allocated for the whole of a declared count are faulted in on
 * the second core while they fill (see prefault.h).  Small ones are not
 * worth a thread.
 */
#define PREFAULT_MIN	((size_t)16 << 20)

static void
prefault_columns(struct hs_snapshot_reader *r, void *const *cols,
    const size_t *elsize, int n, size_t cap)
{
	size_t len[HS_PREFAULT_MAX], total = 0;
	int i;

	prefault_stop(r);
	for (i = 0; i < n; i++) {
		len[i] = cols[i] != NULL ? cap * elsize[i] : 0;
		total += len[i];
	}
	if (total >= PREFAULT_MIN)
		r->prefault = hs_prefault_start(cols, len, n);
}

static int
grow_nodes(struct hs_snapshot_reader *r)
{
	struct hs_snapshot *s = r->snap;
	size_t need = (size_t)s->node_count + 1, cap = r->node_cap, c;

	if (need <= cap)
		return 0;
	if (cap == 0) {
		/* Trust a declared count only as far as the input allows. */
		cap = 1 << 16;
		if (r->declared_nodes > 0) {
			uint64_t bound = r->size_hint ?
			    r->size_hint / (2 * r->node_fields) : 1u << 20;

			cap = (size_t)((uint64_t)r->declared_nodes < bound ?
			    (uint64_t)r->declared_nodes : bound) + 1;
			if (cap < need)
				cap = need;
		}
	} else {
		cap = cap + cap / 2;
	}
	if (cap > (size_t)UINT32_MAX + 1)
		cap = (size_t)UINT32_MAX + 1;
	prefault_stop(r);	/* the columns may move */
#define GROW(col) do { \
	void *p_ = hs_realloc_array(s->col, cap, sizeof(*s->col)); \
	if (p_ == NULL) return -1; \
	s->col = p_; \
} while (0)
	GROW(node_type);
	GROW(node_name);
	GROW(node_id);
	GROW(node_self);
	if (s->sections & HS_SEC_DETACHEDNESS)
		GROW(node_detached);
	if (r->keep_trace)
		GROW(node_trace);
	c = cap + 1;
	{
		void *p = hs_realloc_array(s->first_edge, c, sizeof(uint32_t));

		if (p == NULL)
			return -1;
		s->first_edge = p;
	}
	if (r->node_cap == 0) {
		void *cols[] = { s->node_type, s->node_name, s->node_id,
		    s->node_self, s->first_edge, s->node_detached,
		    s->node_trace };
		size_t el[] = { 1, 4, 4, 4, 4, 1, 4 };

		prefault_columns(r, cols, el, 7, cap);
	}
	r->node_cap = cap;
	return 0;
}

/*
 * Whole nodes, when every node field is one hs reads (V8's six or seven),
 * in room already there, for a field count known when compiled: the nodes
 * up to the first one out of bounds, which nodes_sink() then takes field
 * by field, to report it.  Returns how many values it took.
 */
static inline size_t
nodes_whole(struct hs_snapshot_reader *r, const uint32_t *v, size_t n,
    unsigned nf)
{
	struct hs_snapshot *s = r->snap;
	const uint8_t *pos = r->node_pos;
	uint32_t node = s->node_count, types = (uint32_t)s->node_type_count;
	uint64_t total = r->edge_total, next;
	size_t i, room = r->node_cap - node;
	int trace = pos[NC_TRACE] != NO_FIELD && r->keep_trace,
	    detached = pos[NC_DETACHED] != NO_FIELD;

	/* The sink says "more than ... nodes". */
	if (room > HS_MAX_NODES - node)
		room = HS_MAX_NODES - node;
	if (node == 0 && room > 0)
		s->first_edge[0] = 0;
	for (i = 0; n - i >= nf && room > 0; i += nf, room--) {
		const uint32_t *x = v + i;

		next = total + x[pos[NC_EDGE_COUNT]];
		if (x[pos[NC_TYPE]] >= types || next > UINT32_MAX ||
		    (detached && x[pos[NC_DETACHED]] > 3))
			break;
		s->node_type[node] = (uint8_t)x[pos[NC_TYPE]];
		s->node_name[node] = x[pos[NC_NAME]];
		s->node_id[node] = x[pos[NC_ID]];
		s->node_self[node] = x[pos[NC_SELF]];
		s->first_edge[node + 1] = (uint32_t)next;
		total = next;
		if (trace)
			s->node_trace[node] = x[pos[NC_TRACE]];
		if (detached)
			s->node_detached[node] = (uint8_t)x[pos[NC_DETACHED]];
		node++;
	}
	r->edge_total = total;
	s->node_count = node;
	return i;
}

static int
nodes_sink(void *ctx, const uint32_t *v, size_t n, size_t *bad)
{
	struct hs_snapshot_reader *r = ctx;
	struct hs_snapshot *s = r->snap;
	unsigned field = r->field, nf = r->node_fields;
	uint32_t node = s->node_count;
	size_t i;

	for (i = 0; i < n; i++) {
		if (field == 0 && r->nodes_v8 && n - i >= nf) {
			s->node_count = node;
			i += nf == 7 ? nodes_whole(r, v + i, n - i, 7) :
			    nf == 6 ? nodes_whole(r, v + i, n - i, 6) :
			    nodes_whole(r, v + i, n - i, nf);
			node = s->node_count;
			if (i == n)
				break;
		}
		if (field == 0) {
			if (node == HS_MAX_NODES) {
				*bad = i;
				return reader_fail(r, 0, "more than %u nodes",
				    HS_MAX_NODES - 1);
			}
			if (node >= r->node_cap) {
				s->node_count = node;
				if (grow_nodes(r) == -1) {
					*bad = i;
					return reader_fail(r, 0,
					    "out of memory");
				}
			}
			if (node == 0)
				s->first_edge[0] = 0;
		}
		switch (r->node_col[field]) {
		case NC_TYPE:
			if (v[i] >= s->node_type_count) {
				*bad = i;
				return reader_fail(r, 0, "expected a node type "
				    "under %zu in \"nodes\"",
				    s->node_type_count);
			}
			s->node_type[node] = (uint8_t)v[i];
			break;
		case NC_NAME:
			s->node_name[node] = v[i];
			break;
		case NC_ID:
			s->node_id[node] = v[i];
			break;
		case NC_SELF:
			s->node_self[node] = v[i];
			break;
		case NC_EDGE_COUNT:
			r->edge_total += v[i];
			if (r->edge_total > UINT32_MAX) {
				*bad = i;
				return reader_fail(r, 0, "edge counts in "
				    "\"nodes\" add up to over 2^32");
			}
			s->first_edge[node + 1] = (uint32_t)r->edge_total;
			break;
		case NC_TRACE:
			if (r->keep_trace)
				s->node_trace[node] = v[i];
			break;
		case NC_DETACHED:
			if (v[i] > 3) {
				*bad = i;
				return reader_fail(r, 0, "expected a "
				    "detachedness of 0 to 3 in \"nodes\"");
			}
			s->node_detached[node] = (uint8_t)v[i];
			break;
		}
		if (++field == nf) {
			field = 0;
			node++;
		}
	}
	r->field = field;
	s->node_count = node;
	return 0;
}

static int
grow_edges(struct hs_snapshot_reader *r)
{
	struct hs_snapshot *s = r->snap;
	size_t need = (size_t)s->edge_count + 1, cap = r->edge_cap;

	if (need <= cap)
		return 0;
	if (cap == 0) {
		/*
		 * The nodes tell how many edges come, but only as far as
		 * the input can hold them (each takes two bytes a field).
		 */
		uint64_t bound = r->size_hint ?
		    r->size_hint / (2 * r->edge_fields) : 1u << 20;

		cap = r->seen[SEC_NODES] == 2 ? (size_t)(r->edge_total <
		    bound ? r->edge_total : bound) + 1 : 1 << 16;
		if (cap < need)
			cap = need;
	} else {
		cap = cap + cap / 2;
	}
	if (cap > (size_t)UINT32_MAX + 1)
		cap = (size_t)UINT32_MAX + 1;
	prefault_stop(r);	/* the nodes' job is over; the columns may move */
	GROW(edge_name);
	GROW(edge_to);
	r->edges_sized = 0;
	if (r->edge_cap == 0) {
		void *cols[] = { s->edge_name, s->edge_to };
		size_t el[] = { 4, 4 };

		prefault_columns(r, cols, el, 2, cap);
		r->edges_sized = r->prefault != NULL;
	}
	r->edge_cap = cap;
	return 0;
}

/* v / nf, by a constant for V8's usual node field counts (6 and 7). */
static inline uint32_t
divide_fields(uint32_t v, unsigned nf)
{
	switch (nf) {
	case 6:
		return v / 6;
	case 7:
		return v / 7;
	default:
		return v / nf;
	}
}

/*
 * Whole edges of V8's three fields (type, name, target, in any order), in
 * room already there, for a node field count known when compiled: the
 * edges up to the first one out of bounds, which edges_sink() then takes
 * field by field, to report it.  Returns how many values it took.
 */
static inline size_t
edges_whole(struct hs_snapshot_reader *r, const uint32_t *v, size_t n,
    unsigned nf)
{
	struct hs_snapshot *s = r->snap;
	unsigned pt = r->edge_pos[EC_TYPE], pn = r->edge_pos[EC_NAME],
	    pto = r->edge_pos[EC_TO];
	uint32_t edge = s->edge_count, types = (uint32_t)s->edge_type_count,
	    nodes = s->node_count, *name = s->edge_name, *to = s->edge_to;
	size_t i, room = r->edge_cap - edge;

	/* The sink says "too many edges". */
	if (room > UINT32_MAX - edge)
		room = UINT32_MAX - edge;

	for (i = 0; n - i >= 3 && room > 0; i += 3, room--) {
		uint32_t t = v[i + pt], x = v[i + pto], target = x / nf;

		if (t >= types || target >= nodes || target * nf != x)
			break;
		name[edge] = v[i + pn];
		to[edge++] = target | t << HS_EDGE_TO_BITS;
	}
	s->edge_count = edge;
	return i;
}

static int
edges_sink(void *ctx, const uint32_t *v, size_t n, size_t *bad)
{
	struct hs_snapshot_reader *r = ctx;
	struct hs_snapshot *s = r->snap;
	unsigned field = r->field, ef = r->edge_fields, nf = r->node_fields;
	uint32_t edge = s->edge_count, to;
	size_t i;

	/* "nodes" came first (begin_section_array() sees to it). */
	for (i = 0; i < n; i++) {
		if (field == 0 && r->edges_v8 && n - i >= 3) {
			s->edge_count = edge;
			i += nf == 7 ? edges_whole(r, v + i, n - i, 7) :
			    nf == 6 ? edges_whole(r, v + i, n - i, 6) :
			    edges_whole(r, v + i, n - i, nf);
			edge = s->edge_count;
			if (i == n)
				break;
		}
		if (field == 0 && edge >= r->edge_cap) {
			if (edge == UINT32_MAX) {
				*bad = i;
				return reader_fail(r, 0, "too many edges");
			}
			s->edge_count = edge;
			if (grow_edges(r) == -1) {
				*bad = i;
				return reader_fail(r, 0, "out of memory");
			}
		}
		switch (r->edge_col[field]) {
		case EC_TYPE:
			if (v[i] >= s->edge_type_count) {
				*bad = i;
				return reader_fail(r, 0, "expected an edge "
				    "type under %zu in \"edges\"",
				    s->edge_type_count);
			}
			r->edge_type_now = v[i];
			break;
		case EC_NAME:
			s->edge_name[edge] = v[i];
			break;
		case EC_TO:
			to = divide_fields(v[i], nf);
			if (to >= s->node_count || to * nf != v[i]) {
				*bad = i;
				return reader_fail(r, 0, "expected an edge "
				    "target that is a node's index (a multiple "
				    "of %u under %llu)", nf,
				    (unsigned long long)s->node_count * nf);
			}
			r->edge_to_now = to;
			break;
		}
		if (++field == ef) {
			s->edge_to[edge] = r->edge_to_now |
			    r->edge_type_now << HS_EDGE_TO_BITS;
			field = 0;
			edge++;
		}
	}
	r->field = field;
	s->edge_count = edge;
	return 0;
}

/* Fills the next records' members from their fields. */
static int
records_sink(struct hs_snapshot_reader *r, struct records *rec,
    const uint32_t *v, size_t n, size_t *bad)
{
	uint32_t *m;
	size_t i;

	for (i = 0; i < n; i++) {
		if (r->field == 0) {
			if (hs_grow(rec->base, &rec->cap, *rec->count + 1,
			    rec->width * sizeof(uint32_t)) == -1) {
				*bad = i;
				return reader_fail(r, 0, "out of memory");
			}
			memset((uint32_t *)*rec->base + *rec->count *
			    rec->width, 0, rec->width * sizeof(uint32_t));
		}
		m = (uint32_t *)*rec->base + *rec->count * rec->width;
		if (rec->col[r->field] != 0)
			m[rec->col[r->field] - 1] = v[i];
		if (++r->field == rec->nfields) {
			r->field = 0;
			(*rec->count)++;
		}
	}
	return 0;
}

static int
locations_sink(void *ctx, const uint32_t *v, size_t n, size_t *bad)
{
	struct hs_snapshot_reader *r = ctx;

	/* object_index is checked against the nodes at the end. */
	return records_sink(r, &r->locations, v, n, bad);
}

static int
tfi_sink(void *ctx, const uint32_t *v, size_t n, size_t *bad)
{
	struct hs_snapshot_reader *r = ctx;

	return records_sink(r, &r->functions, v, n, bad);
}

static int
samples_sink(void *ctx, const uint32_t *v, size_t n, size_t *bad)
{
	struct hs_snapshot_reader *r = ctx;

	(void)v;
	(void)bad;
	r->sample_values += n;
	return 0;
}

static hs_int_sink
sink_for(enum section sec)
{
	switch (sec) {
	case SEC_NODES: return nodes_sink;
	case SEC_EDGES: return edges_sink;
	case SEC_LOCATIONS: return locations_sink;
	case SEC_TRACE_FUNCTION_INFOS: return tfi_sink;
	case SEC_SAMPLES: return samples_sink;
	default: return NULL;
	}
}

/* ---- strings ---- */

static void
want(struct hs_snapshot_reader *r, uint64_t index)
{
	if (index < r->wanted_bits)
		r->wanted[index >> 3] |= (uint8_t)(1u << (index & 7));
}

/*
 * Room for the kept text, as far as the rest of the input could hold it,
 * is taken at once (if it can be: else it grows as it comes).  Grown as it
 * came, the text was moved at every step, and each move waited for the
 * address space, which the threads faulting in pages ahead hold in turn
 * while the strings are read; pages never written cost nothing.
 */
static void
presize_text(struct hs_snapshot_reader *r)
{
	uint64_t want;

	if (r->size_hint <= r->offset || r->text_cap != 0)
		return;
	want = r->size_hint - r->offset + 2;
	if (want > UINT32_MAX)
		want = UINT32_MAX;
	(void)hs_grow(&r->snap->string_text, &r->text_cap, (size_t)want, 1);
}

/*
 * The edge names wanted, marked in a bitmap of bound bits: the largest
 * index marked goes to max.  Edges in [lo, hi), on a thread of their own
 * for prepare_strings().
 */
struct edge_names {
	const struct hs_snapshot *s;
	uint32_t	 lo, hi;
	uint8_t		*bits;
	uint64_t	 bound, max;
};

static void
want_edge_names(struct edge_names *en)
{
	const struct hs_snapshot *s = en->s;
	uint64_t max = en->max;
	uint32_t i, name;

	for (i = en->lo; i < en->hi; i++) {
		enum hs_edge_kind ek = HS_EDGE_KIND(s, i);

		if (ek != HS_EK_ELEMENT && ek != HS_EK_HIDDEN) {
			name = s->edge_name[i];
			if (name < en->bound)
				en->bits[name >> 3] |= (uint8_t)(1u << (name & 7));
			if (name > max)
				max = name;
		}
	}
	en->max = max;
}

static void *
edge_names_thread(void *arg)
{
	want_edge_names(arg);
	return NULL;
}

/*
 * Marks the strings whose text is needed: the names of nodes whose name is
 * a name (not a value), edge names, and allocation function names.
 *
 * On a big graph the main thread is alone here (the reader thread soon
 * waits for room), so a second thread marks the later edges in a bitmap
 * of its own, to be merged: a tenth of a second less on a 1 GB snapshot.
 */
#define EDGE_NAMES_SPLIT	(1u << 17)	/* edges, at least (the bundled
						   snapshots but one have more) */

static int
prepare_strings(struct hs_snapshot_reader *r)
{
	struct hs_snapshot *s = r->snap;
	uint64_t max = 0, any = 0, bound, i;
	uint8_t named[256];
	enum hs_node_kind k;
	struct edge_names own, side;
	uint8_t *side_bits = NULL;
	pthread_t thread;
	int threaded = 0;

	if (r->seen[SEC_NODES] != 2 || r->seen[SEC_EDGES] != 2) {
		/* Strings before the graph: keep all (as names, cut). */
		r->keep_all = 1;
		return 0;
	}
	memset(named, 0, sizeof(named));
	for (i = 0; i < s->node_type_count; i++) {
		k = (enum hs_node_kind)s->node_kind[i];
		named[i] = k == HS_NK_HIDDEN || k == HS_NK_ARRAY ||
		    k == HS_NK_OBJECT || k == HS_NK_NATIVE ||
		    k == HS_NK_CLOSURE || k == HS_NK_SYNTHETIC;
	}
	/*
	 * V8 writes each distinct string once, and only strings that nodes,
	 * edges and trace functions refer to, so no index can exceed their
	 * number: a larger one is corrupt, and must not size a bitmap.  The
	 * bitmap has room for that many, so that one pass both marks the
	 * strings and finds the largest index.
	 */
	bound = (uint64_t)s->node_count + s->edge_count +
	    2 * (uint64_t)s->trace_function_count + 16;
	if ((r->wanted = hs_calloc((size_t)(bound + 7) / 8, 1)) == NULL)
		return oom(r);
	r->wanted_bits = bound;	/* want() takes nothing beyond */
	own = (struct edge_names){ s, 0, s->edge_count, r->wanted, bound, 0 };
	side = own;
	if (s->edge_count >= EDGE_NAMES_SPLIT) {
		/* As many nodes and edges on each thread. */
		own.hi = s->edge_count > s->node_count ?
		    (s->edge_count - s->node_count) / 2 : 0;
		side.lo = own.hi;
		side.bits = side_bits = hs_calloc((size_t)(bound + 7) / 8, 1);
		if (side_bits != NULL && pthread_create(&thread, NULL,
		    edge_names_thread, &side) == 0)
			threaded = 1;
		else
			own.hi = s->edge_count;
	}
	for (i = 0; i < s->node_count; i++) {
		if (s->node_name[i] > any)
			any = s->node_name[i];
		if (named[s->node_type[i]]) {
			want(r, s->node_name[i]);
			if (s->node_name[i] > max)
				max = s->node_name[i];
		}
	}
	want_edge_names(&own);
	if (own.max > max)
		max = own.max;
	if (threaded) {
		pthread_join(thread, NULL);
		if (side.max > max)
			max = side.max;
		for (i = 0; i < (bound + 7) / 8; i++)
			r->wanted[i] |= side_bits[i];
	}
	hs_free(side_bits);
	for (i = 0; i < s->trace_function_count; i++) {
		want(r, s->trace_functions[i].name);
		want(r, s->trace_functions[i].script_name);
		if (s->trace_functions[i].name > max)
			max = s->trace_functions[i].name;
		if (s->trace_functions[i].script_name > max)
			max = s->trace_functions[i].script_name;
	}
	if (max >= bound)
		return ev_fail(r, "a name refers to string %llu, more strings "
		    "than the snapshot can hold", (unsigned long long)max);
	r->wanted_bits = max + 1;
	r->name_max = max > any ? max : any;	/* the edges' are in max */
	r->name_max_known = 1;
	s->kept_limit = r->wanted_bits;
	if ((s->string_off = hs_calloc((size_t)s->kept_limit,
	    sizeof(uint32_t))) == NULL ||
	    (s->string_len = hs_calloc((size_t)s->kept_limit,
	    sizeof(uint32_t))) == NULL)
		return oom(r);
	presize_text(r);
	return 0;
}

static int
string_wanted(void *ctx, uint64_t index)
{
	struct hs_snapshot_reader *r = ctx;

	if (r->keep_all)
		return 1;
	return index < r->wanted_bits &&
	    (r->wanted[index >> 3] & (1u << (index & 7)));
}

static int
string_sink(void *ctx, uint64_t index, const char *text, size_t len,
    int truncated)
{
	struct hs_snapshot_reader *r = ctx;
	struct hs_snapshot *s = r->snap;
	size_t need;

	(void)truncated;
	if (r->keep_all && index >= s->kept_limit) {
		size_t cap = (size_t)s->kept_limit, ncap = cap;

		if (hs_grow(&s->string_off, &ncap, (size_t)index + 1,
		    sizeof(uint32_t)) == -1)
			return reader_fail(r, 0, "out of memory");
		ncap = cap;
		if (hs_grow(&s->string_len, &ncap, (size_t)index + 1,
		    sizeof(uint32_t)) == -1)
			return reader_fail(r, 0, "out of memory");
		/* Both grew to the same capacity; clear the new slots. */
		memset(s->string_off + cap, 0, (ncap - cap) * sizeof(uint32_t));
		memset(s->string_len + cap, 0, (ncap - cap) * sizeof(uint32_t));
		s->kept_limit = ncap;
	}
	if (s->string_text_len == 0)
		s->string_text_len = 1;	/* offset 0 means "not kept" */
	need = s->string_text_len + len + 1;
	if (need > UINT32_MAX)
		return reader_fail(r, 0, "names take more than 4 GiB");
	if (hs_grow(&s->string_text, &r->text_cap, need, 1) == -1)
		return reader_fail(r, 0, "out of memory");
	s->string_text[0] = '\0';
	memcpy(s->string_text + s->string_text_len, text, len);
	s->string_text[s->string_text_len + len] = '\0';
	s->string_off[index] = (uint32_t)s->string_text_len;
	s->string_len[index] = (uint32_t)len;
	s->string_text_len = need;
	return 0;
}

/* ---- trace tree ---- */

static int
trace_push_level(struct hs_snapshot_reader *r, uint32_t parent)
{
	struct trace_level *l;

	if (hs_grow(&r->levels, &r->level_cap, r->level_count + 1,
	    sizeof(*l)) == -1)
		return oom(r);
	l = &r->levels[r->level_count++];
	l->parent = parent;
	l->current = UINT32_MAX;
	l->field = 0;
	return 0;
}

static int
trace_number(struct hs_snapshot_reader *r, uint32_t v)
{
	struct hs_snapshot *s = r->snap;
	struct trace_level *l = &r->levels[r->level_count - 1];
	struct hs_trace_node *t;

	if (r->trace_node_fields == 0 || (int)l->field == r->tn_children)
		return ev_fail(r, "expected \"trace_tree\" to follow "
		    "snapshot.meta.trace_node_fields");
	if (l->field == 0) {
		if (hs_grow(&s->trace_nodes, &r->tn_cap,
		    s->trace_node_count + 1, sizeof(*t)) == -1)
			return oom(r);
		t = &s->trace_nodes[s->trace_node_count];
		t->id = 0;
		t->function = UINT32_MAX;
		t->parent = l->parent;
		l->current = (uint32_t)s->trace_node_count++;
	}
	t = &s->trace_nodes[l->current];
	if ((int)l->field == r->tn_id)
		t->id = v;
	else if ((int)l->field == r->tn_function)
		t->function = v;
	if (++l->field == r->trace_node_fields)
		l->field = 0;
	return 0;
}

/* ---- the structural parser: yajl's events ---- */

#define R(ctx)	((struct hs_snapshot_reader *)(ctx))

static int
route_header(struct hs_snapshot_reader *r)
{
	if (hs_jv_builder_done(r->header_builder)) {
		r->header = hs_jv_builder_take(r->header_builder);
		hs_jv_builder_free(r->header_builder);
		r->header_builder = NULL;
		r->seen[SEC_SNAPSHOT] = 2;
		return read_meta(r);
	}
	return 0;
}

/*
 * V8 gives a node at most one location.  Room for one a node, as far as
 * the rest of the input could hold them, is taken at once: grown as they
 * come, the records were copied and faulted in again at every step (a
 * fifth of a second for the 27 MB of a 1 GB snapshot's locations), while
 * pages never written cost nothing.  More locations than that grow as
 * before.
 */
static int
presize_locations(struct hs_snapshot_reader *r)
{
	struct records *rec = &r->locations;
	uint64_t bound, want;

	if (r->size_hint <= r->offset || r->seen[SEC_NODES] != 2 ||
	    *rec->count != 0 || rec->cap != 0)
		return 0;
	bound = (r->size_hint - r->offset) / (2 * rec->nfields) + 1;
	want = (uint64_t)r->snap->node_count + 1;
	if (want > bound)
		want = bound;
	return hs_grow(rec->base, &rec->cap, (size_t)want,
	    rec->width * sizeof(uint32_t));
}

/* A value starts at depth 1 (the value of a top-level key). */
static int
begin_section_array(struct hs_snapshot_reader *r)
{
	struct hs_snapshot *s = r->snap;

	switch (r->section) {
	case SEC_NODES:
	case SEC_EDGES:
	case SEC_LOCATIONS:
	case SEC_TRACE_FUNCTION_INFOS:
		if (r->seen[SEC_SNAPSHOT] != 2)
			return ev_fail(r, "expected \"snapshot\" with its meta "
			    "before \"%s\"", section_names[r->section]);
		if (r->section == SEC_EDGES && r->seen[SEC_NODES] != 2)
			return ev_fail(r, "expected \"nodes\" before "
			    "\"edges\"");
		if (r->section == SEC_LOCATIONS) {
			if (r->locations.nfields == 0)
				return ev_fail(r, "expected "
				    "snapshot.meta.location_fields before "
				    "\"locations\"");
			if (presize_locations(r) == -1)
				return oom(r);
		}
		if (r->section == SEC_TRACE_FUNCTION_INFOS) {
			if (r->functions.nfields == 0)
				return ev_fail(r, "expected snapshot.meta."
				    "trace_function_info_fields before "
				    "\"trace_function_infos\"");
		}
		r->field = 0;
		break;
	case SEC_SAMPLES:
		break;
	case SEC_STRINGS:
		if (prepare_strings(r) == -1)
			return -1;
		s->string_count = 0;
		break;
	case SEC_TRACE_TREE:
		if (r->trace_node_fields == 0 || r->tn_children < 0)
			return ev_fail(r, "expected snapshot.meta."
			    "trace_node_fields before \"trace_tree\"");
		r->trace_tree_depth = r->depth;
		return trace_push_level(r, UINT32_MAX);
	default:
		break;
	}
	return 0;
}

static int
end_section(struct hs_snapshot_reader *r)
{
	struct hs_snapshot *s = r->snap;
	enum section sec = r->section;

	switch (sec) {
	case SEC_NODES:
		if (r->field != 0)
			return ev_fail(r, "expected \"nodes\" to hold a "
			    "multiple of %u numbers (the node fields)",
			    r->node_fields);
		if (s->node_count == 0)
			return ev_fail(r, "expected at least one node");
		break;
	case SEC_EDGES:
		if (r->field != 0)
			return ev_fail(r, "expected \"edges\" to hold a "
			    "multiple of %u numbers (the edge fields)",
			    r->edge_fields);
		break;
	case SEC_LOCATIONS:
		if (r->field != 0)
			return ev_fail(r, "expected \"locations\" to hold a "
			    "multiple of %u numbers", r->locations.nfields);
		break;
	case SEC_TRACE_FUNCTION_INFOS:
		if (r->field != 0)
			return ev_fail(r, "expected \"trace_function_infos\" "
			    "to hold a multiple of %u numbers",
			    r->functions.nfields);
		break;
	default:
		break;
	}
	/* A section counts as present when it holds something. */
	if (sec == SEC_LOCATIONS && s->location_count > 0)
		s->sections |= HS_SEC_LOCATIONS;
	if (sec == SEC_TRACE_FUNCTION_INFOS && s->trace_function_count > 0)
		s->sections |= HS_SEC_TRACE_FUNCTION_INFOS;
	if (sec == SEC_SAMPLES && r->sample_values > 0)
		s->sections |= HS_SEC_SAMPLES;
	if (sec == SEC_TRACE_TREE && s->trace_node_count > 0)
		s->sections |= HS_SEC_TRACE_TREE;
	r->seen[sec] = 2;
	r->section = SEC_NONE;
	return 0;
}

/* A number inside a section array, when yajl (not a scanner) saw it. */
static int
section_number(struct hs_snapshot_reader *r, const char *text, size_t len)
{
	uint64_t v = 0;
	size_t i, bad;
	uint32_t u;
	hs_int_sink sink;

	for (i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			return ev_fail(r, "expected a non-negative integer in "
			    "\"%s\"", section_names[r->section]);
		v = v * 10 + (uint64_t)(text[i] - '0');
		if (v > UINT32_MAX)
			return ev_fail(r, "number out of range (over "
			    "4294967295)");
	}
	u = (uint32_t)v;
	if (r->section == SEC_TRACE_TREE)
		return trace_number(r, u);
	if ((sink = sink_for(r->section)) == NULL)
		return 0;
	if (sink(r, &u, 1, &bad) == -1) {
		/* Sinks report at offset 0; put yajl's position instead. */
		char msg[sizeof(r->err)];
		const char *colon = strchr(r->err, ':');

		snprintf(msg, sizeof(msg), "%s", colon ? colon + 2 : r->err);
		r->failed = 0;
		return ev_fail(r, "%s", msg);
	}
	return 0;
}

static int
ev_null(void *ctx)
{
	struct hs_snapshot_reader *r = ctx;

	if (r->header_builder)
		return hs_jv_events.null(r->header_builder) == -1 ? -1 :
		    route_header(r);
	if (r->depth == 0)
		return ev_fail(r, "expected a JSON object (a heap snapshot)");
	if (r->depth == 1 || r->section == SEC_OTHER)
		return 0;
	return ev_fail(r, "expected a number in \"%s\"",
	    section_names[r->section]);
}

static int
ev_boolean(void *ctx, int b)
{
	struct hs_snapshot_reader *r = ctx;

	if (r->header_builder)
		return hs_jv_events.boolean(r->header_builder, b) == -1 ? -1 :
		    route_header(r);
	return ev_null(ctx);
}

static int
ev_number(void *ctx, const char *text, size_t len)
{
	struct hs_snapshot_reader *r = ctx;

	if (r->header_builder)
		return hs_jv_events.number(r->header_builder, text, len) ==
		    -1 ? -1 : route_header(r);
	if (r->depth == 0)
		return ev_fail(r, "expected a JSON object (a heap snapshot)");
	if (r->depth == 1) {
		if (r->section != SEC_OTHER && r->section != SEC_NONE)
			return ev_fail(r, "expected an array for \"%s\"",
			    section_names[r->section]);
		return 0;
	}
	if (r->section == SEC_OTHER || r->section == SEC_SAMPLES)
		return 0;
	if (r->section == SEC_STRINGS)
		return ev_fail(r, "expected a string in \"strings\"");
	if (r->section != SEC_TRACE_TREE && r->depth > 2)
		return ev_fail(r, "expected a flat array for \"%s\"",
		    section_names[r->section]);
	return section_number(r, text, len);
}

static int
ev_string(void *ctx, const unsigned char *str, size_t len)
{
	struct hs_snapshot_reader *r = ctx;
	struct hs_snapshot *s = r->snap;

	if (r->header_builder)
		return hs_jv_events.string(r->header_builder, str, len) ==
		    -1 ? -1 : route_header(r);
	if (r->depth == 0)
		return ev_fail(r, "expected a JSON object (a heap snapshot)");
	if (r->depth == 1) {
		if (r->section != SEC_OTHER && r->section != SEC_NONE)
			return ev_fail(r, "expected an array for \"%s\"",
			    section_names[r->section]);
		return 0;
	}
	if (r->section == SEC_OTHER)
		return 0;
	if (r->section != SEC_STRINGS || r->depth > 2)
		return ev_fail(r, "expected a number in \"%s\"",
		    section_names[r->section]);
	if (string_wanted(r, s->string_count)) {
		char tmp[HS_NAME_MAX + 4];
		size_t n = len > HS_NAME_MAX ? HS_NAME_MAX : len;

		while (n < len && n > 0 && (str[n] & 0xc0) == 0x80)
			n--;
		memcpy(tmp, str, n);
		if (string_sink(r, s->string_count, tmp, n, n < len) == -1) {
			r->failed = 0;
			return oom(r);
		}
	}
	s->string_count++;
	return 0;
}

static enum section
section_of(const unsigned char *key, size_t len)
{
	int i;

	for (i = SEC_SNAPSHOT; i < SEC_OTHER; i++)
		if (strlen(section_names[i]) == len &&
		    memcmp(section_names[i], key, len) == 0)
			return (enum section)i;
	return SEC_OTHER;
}

static int
ev_map_key(void *ctx, const unsigned char *key, size_t len)
{
	struct hs_snapshot_reader *r = ctx;

	if (r->header_builder)
		return hs_jv_events.map_key(r->header_builder, key, len);
	if (r->depth == 1) {
		r->section = section_of(key, len);
		if (r->section != SEC_OTHER) {
			if (r->seen[r->section])
				return ev_fail(r, "\"%s\" appears twice",
				    section_names[r->section]);
			r->seen[r->section] = 1;
			r->section_offset[r->section] = hs_json_offset(r->json);
		} else if ((len == 6 && memcmp(key, "scopes", 6) == 0) ||
		    (len > 6 && memcmp(key, "scope_", 6) == 0)) {
			r->snap->sections |= HS_SEC_SCOPES;
		}
		return 0;
	}
	if (r->section == SEC_OTHER)
		return 0;
	return ev_fail(r, "expected a flat array for \"%s\"",
	    section_names[r->section]);
}

static int
ev_start(void *ctx, int is_map)
{
	struct hs_snapshot_reader *r = ctx;

	if (r->header_builder) {
		if ((is_map ? hs_jv_events.start_map(r->header_builder) :
		    hs_jv_events.start_array(r->header_builder)) == -1)
			return -1;
		return route_header(r);
	}
	if (r->depth == 0 && !is_map)
		return ev_fail(r, "expected a JSON object (a heap snapshot)");
	if (r->depth >= MAX_DEPTH)
		return ev_fail(r, "nesting too deep");
	r->depth++;
	if (r->depth == 2) {
		if (r->section == SEC_SNAPSHOT) {
			if (!is_map)
				return ev_fail(r, "expected an object for "
				    "\"snapshot\"");
			r->depth--;	/* the builder tracks it from here */
			if ((r->header_builder =
			    hs_jv_builder_new(1 << 20)) == NULL)
				return oom(r);
			hs_jv_builder_attach(r->header_builder, r->json);
			return hs_jv_events.start_map(r->header_builder);
		}
		if (r->section == SEC_OTHER || r->section == SEC_NONE)
			return 0;
		if (is_map)
			return ev_fail(r, "expected an array for \"%s\"",
			    section_names[r->section]);
		return begin_section_array(r);
	}
	if (r->depth > 2) {
		if (r->section == SEC_OTHER)
			return 0;
		if (r->section == SEC_TRACE_TREE && !is_map) {
			struct trace_level *l =
			    &r->levels[r->level_count - 1];

			if ((int)l->field != r->tn_children ||
			    l->current == UINT32_MAX)
				return ev_fail(r, "expected a number in "
				    "\"trace_tree\"");
			return trace_push_level(r, l->current);
		}
		return ev_fail(r, "expected a flat array for \"%s\"",
		    section_names[r->section]);
	}
	return 0;
}

static int
ev_start_map(void *ctx)
{
	return ev_start(ctx, 1);
}

static int
ev_start_array(void *ctx)
{
	return ev_start(ctx, 0);
}

static int
ev_end(void *ctx)
{
	struct hs_snapshot_reader *r = ctx;

	if (r->header_builder) {
		if (hs_jv_events.end_map(r->header_builder) == -1)
			return -1;
		return route_header(r);
	}
	if (r->section == SEC_TRACE_TREE && r->depth > 1) {
		struct trace_level *l = &r->levels[--r->level_count];

		if (l->field != 0)
			return ev_fail(r, "expected whole trace nodes in "
			    "\"trace_tree\"");
		if (r->level_count > 0) {
			l = &r->levels[r->level_count - 1];
			if (++l->field == r->trace_node_fields)
				l->field = 0;
		}
	}
	r->depth--;
	if (r->depth == 1 && r->section != SEC_NONE)
		return end_section(r);
	return 0;
}

static const struct hs_json_events reader_events = {
	ev_null, ev_boolean, ev_number, ev_string, ev_start_map, ev_map_key,
	ev_end, ev_start_array, ev_end
};

/* ---- the splicer ---- */

static int
spliced_section(const struct hs_snapshot_reader *r)
{
	enum section sec;

	if (!r->sp_key_plain)
		return SEC_NONE;
	sec = section_of((const unsigned char *)r->sp_key, r->sp_keylen);
	switch (sec) {
	case SEC_NODES: case SEC_EDGES: case SEC_LOCATIONS:
	case SEC_TRACE_FUNCTION_INFOS: case SEC_SAMPLES: case SEC_STRINGS:
		return sec;
	default:
		return SEC_NONE;
	}
}

static int
feed_json(struct hs_snapshot_reader *r, const unsigned char *p, size_t n,
    uint64_t off)
{
	if (n == 0)
		return 0;
	if (hs_json_feed(r->json, p, n, off) == -1) {
		if (!r->failed) {
			snprintf(r->err, sizeof(r->err), "%s",
			    hs_json_error(r->json));
			r->failed = 1;
		}
		return -1;
	}
	return r->failed ? -1 : 0;
}

/* Starts a scanner for the array whose '[' yajl has just seen. */
static int
start_scan(struct hs_snapshot_reader *r, int sec)
{
	if (r->section != (enum section)sec) {
		/* yajl disagrees about where we are: let it parse. */
		return 0;
	}
	if (sec == SEC_STRINGS) {
		if (hs_strscan_init(&r->ss, HS_NAME_MAX, string_wanted,
		    string_sink, r) == -1)
			return reader_fail(r, r->offset, "out of memory");
		r->ss_ready = 1;
	} else {
		hs_intscan_init(&r->is, sink_for((enum section)sec), r);
	}
	r->sp_mode = sec;
	return 0;
}

/* The scanner failed: turn its error into the reader's. */
static int
scan_failed(struct hs_snapshot_reader *r, const char *msg, uint64_t off)
{
	if (msg != NULL)
		return reader_fail(r, off, "%s in \"%s\"", msg,
		    section_names[r->sp_mode]);
	/* A sink failed and left "byte 0: ..." in err: fix the offset. */
	{
		char tmp[sizeof(r->err)];
		const char *colon = strchr(r->err, ':');

		snprintf(tmp, sizeof(tmp), "%s", colon ? colon + 2 : r->err);
		r->failed = 0;
		return reader_fail(r, off, "%s", tmp);
	}
}

int
hs_snapshot_reader_feed(struct hs_snapshot_reader *r,
    const unsigned char *buf, size_t len)
{
	return hs_snapshot_reader_feed_ahead(r, buf, len, NULL);
}

int
hs_snapshot_reader_feed_ahead(struct hs_snapshot_reader *r,
    const unsigned char *buf, size_t len, const struct hs_intahead *ahead)
{
	size_t pos = 0, start = 0, used, i;
	uint64_t off = r->offset;
	int ret, sec;
	unsigned char c;

	if (r->failed)
		return -1;
	if (r->reserve_per_node != 0 && r->edges_sized &&
	    hs_prefault_finished(r->prefault)) {
		/*
		 * The columns are faulted in: the second core has time.  Only
		 * where arrays of a word a node are big enough to be carved
		 * from the reserve: smaller graphs gain nothing.  Not when
		 * the columns grow as they fill (a pipe, with no size to
		 * trust the counts by): their spare room takes the memory.
		 */
		if ((size_t)r->snap->node_count * sizeof(uint32_t) >=
		    HS_RESERVE_MIN)
			hs_reserve_start(r->reserve_per_node *
			    r->snap->node_count);
		r->reserve_per_node = 0;
	}
	while (pos < len) {
		if (r->sp_mode) {
			if (r->sp_mode == SEC_STRINGS) {
				ret = hs_strscan_run(&r->ss, buf + pos,
				    len - pos, off + pos, &used);
				if (ret == -1)
					return scan_failed(r, r->ss.err,
					    r->ss.err_offset);
				r->snap->string_count = r->ss.index;
			} else {
				ret = hs_intscan_run_ahead(&r->is, buf, pos,
				    len, off, ahead, &used);
				if (ret == -1)
					return scan_failed(r, r->is.err,
					    r->is.err_offset);
			}
			pos += used;
			if (ret == 1) {
				/* Give yajl the closing bracket. */
				r->sp_mode = 0;
				if (feed_json(r, (const unsigned char *)"]",
				    1, off + pos - 1) == -1)
					return -1;
				start = pos;
			}
			continue;
		}
		/* Scan for the next thing of interest. */
		for (i = pos; i < len; i++) {
			c = buf[i];
			if (r->sp_in_string) {
				if (r->sp_escape) {
					r->sp_escape = 0;
					r->sp_key_plain = 0;
					continue;
				}
				if (r->sp_ks != KS_IN_KEY) {
					/* Skip string bytes quickly. */
					while (i < len && buf[i] != '"' &&
					    buf[i] != '\\')
						i++;
					if (i == len)
						break;
					c = buf[i];
				}
				if (c == '\\') {
					r->sp_escape = 1;
				} else if (c == '"') {
					r->sp_in_string = 0;
					if (r->sp_ks == KS_IN_KEY)
						r->sp_ks = KS_AFTER_KEY;
				} else if (r->sp_ks == KS_IN_KEY) {
					if (r->sp_keylen < sizeof(r->sp_key))
						r->sp_key[r->sp_keylen++] =
						    (char)c;
					else
						r->sp_key_plain = 0;
				}
				continue;
			}
			switch (c) {
			case '"':
				r->sp_in_string = 1;
				if (r->sp_depth == 1 && r->sp_top_object &&
				    r->sp_ks == KS_EXPECT_KEY) {
					r->sp_ks = KS_IN_KEY;
					r->sp_keylen = 0;
					r->sp_key_plain = 1;
				} else if (r->sp_depth == 1) {
					r->sp_ks = KS_NONE;
				}
				break;
			case '[':
			case '{':
				if (r->sp_depth == 1 && c == '[' &&
				    r->sp_ks == KS_AFTER_COLON &&
				    (sec = spliced_section(r)) != SEC_NONE) {
					/* yajl gets everything up to '['. */
					if (feed_json(r, buf + start,
					    i + 1 - start, off + start) == -1)
						return -1;
					r->sp_ks = KS_NONE;
					if (start_scan(r, sec) == -1)
						return -1;
					if (r->sp_mode) {
						pos = i + 1;
						start = pos;
						goto next;
					}
				}
				r->sp_depth++;
				if (r->sp_depth == 1) {
					r->sp_top_object = c == '{';
					r->sp_ks = r->sp_top_object ?
					    KS_EXPECT_KEY : KS_NONE;
				} else if (r->sp_depth == 2) {
					r->sp_ks = KS_NONE;
				}
				break;
			case ']':
			case '}':
				r->sp_depth--;
				break;
			case ',':
				if (r->sp_depth == 1 && r->sp_top_object)
					r->sp_ks = KS_EXPECT_KEY;
				break;
			case ':':
				if (r->sp_depth == 1 &&
				    r->sp_ks == KS_AFTER_KEY)
					r->sp_ks = KS_AFTER_COLON;
				break;
			case ' ': case '\t': case '\n': case '\r':
				break;
			default:
				if (r->sp_depth == 1)
					r->sp_ks = KS_NONE;
				break;
			}
		}
		pos = len;
next:
		;
	}
	if (!r->sp_mode && feed_json(r, buf + start, len - start,
	    off + start) == -1)
		return -1;
	r->offset += len;
	r->snap->text_bytes = r->offset;
	return 0;
}

/* ---- whole-snapshot checks ---- */

static int
finish_checks(struct hs_snapshot_reader *r)
{
	struct hs_snapshot *s = r->snap;
	uint64_t nf = r->node_fields, i, limit;
	static const enum section required[] = { SEC_SNAPSHOT, SEC_NODES,
	    SEC_EDGES, SEC_STRINGS };
	size_t k;
	int names_fit;

	for (k = 0; k < sizeof(required) / sizeof(required[0]); k++)
		if (r->seen[required[k]] != 2)
			return reader_fail(r, r->offset, "expected a "
			    "\"%s\" section (is this a heap snapshot?)",
			    section_names[required[k]]);
	if (r->declared_nodes >= 0 &&
	    (uint64_t)r->declared_nodes != s->node_count)
		return reader_fail(r, r->section_offset[SEC_NODES],
		    "\"nodes\" holds %u nodes but snapshot.node_count says "
		    "%lld", s->node_count, (long long)r->declared_nodes);
	if (r->declared_edges >= 0 &&
	    (uint64_t)r->declared_edges != s->edge_count)
		return reader_fail(r, r->section_offset[SEC_EDGES],
		    "\"edges\" holds %u edges but snapshot.edge_count says "
		    "%lld", s->edge_count, (long long)r->declared_edges);
	if (r->edge_total != s->edge_count)
		return reader_fail(r, r->section_offset[SEC_EDGES],
		    "\"edges\" holds %u edges but the nodes' edge counts add "
		    "up to %llu", s->edge_count,
		    (unsigned long long)r->edge_total);
	if ((uint64_t)r->root_index % nf != 0 ||
	    (uint64_t)r->root_index / nf >= s->node_count)
		return reader_fail(r, r->section_offset[SEC_SNAPSHOT],
		    "expected snapshot.root_index to be a node's index");
	s->root = (uint32_t)((uint64_t)r->root_index / nf);

	limit = s->string_count;
	/*
	 * prepare_strings() found the largest name: the graph is gone over
	 * again only to name the first one past the strings.
	 */
	names_fit = r->name_max_known && r->name_max < limit;
	for (i = 0; i < s->node_count && !names_fit; i++)
		if (s->node_name[i] >= limit)
			return reader_fail(r, r->section_offset[SEC_NODES],
			    "node %llu names string %u, past the %llu strings",
			    (unsigned long long)i, s->node_name[i],
			    (unsigned long long)limit);
	for (i = 0; i < s->edge_count && !names_fit; i++) {
		enum hs_edge_kind ek = HS_EDGE_KIND(s, i);

		if (ek != HS_EK_ELEMENT && ek != HS_EK_HIDDEN &&
		    s->edge_name[i] >= limit)
			return reader_fail(r, r->section_offset[SEC_EDGES],
			    "edge %llu names string %u, past the %llu strings",
			    (unsigned long long)i, s->edge_name[i],
			    (unsigned long long)limit);
	}
	for (i = 0; i < s->location_count; i++) {
		struct hs_location *l = &s->locations[i];

		if (l->node % nf != 0 || l->node / nf >= s->node_count)
			return reader_fail(r,
			    r->section_offset[SEC_LOCATIONS], "location %llu "
			    "refers to no node", (unsigned long long)i);
		l->node = (uint32_t)(l->node / nf);
	}
	for (i = 0; i < s->trace_function_count; i++)
		if (s->trace_functions[i].name >= limit ||
		    s->trace_functions[i].script_name >= limit)
			return reader_fail(r,
			    r->section_offset[SEC_TRACE_FUNCTION_INFOS],
			    "trace function %llu names a string past the "
			    "%llu strings", (unsigned long long)i,
			    (unsigned long long)limit);
	for (i = 0; i < s->trace_node_count; i++)
		if (s->trace_nodes[i].function != UINT32_MAX &&
		    s->trace_nodes[i].function >= s->trace_function_count)
			s->trace_nodes[i].function = UINT32_MAX;
	return 0;
}

static int
cmp_trace_node(const void *a, const void *b)
{
	const struct hs_trace_node *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

int
hs_snapshot_reader_finish(struct hs_snapshot_reader *r)
{
	struct hs_snapshot *s = r->snap;
	size_t i;

	prefault_stop(r);
	if (r->failed)
		return -1;
	if (r->offset == 0)
		return reader_fail(r, 0, "expected a heap snapshot, found "
		    "empty input");
	if (r->sp_mode)
		return reader_fail(r, r->offset, "unexpected end of input in "
		    "\"%s\"", section_names[r->sp_mode]);
	if (hs_json_finish(r->json) == -1) {
		if (!r->failed) {
			snprintf(r->err, sizeof(r->err), "%s",
			    hs_json_error(r->json));
			r->failed = 1;
		}
		return -1;
	}
	if (finish_checks(r) == -1)
		return -1;
	if (s->trace_node_count > 0) {
		/* Parents are indexes: turn them into ids before sorting. */
		for (i = 0; i < s->trace_node_count; i++)
			if (s->trace_nodes[i].parent != UINT32_MAX)
				s->trace_nodes[i].parent =
				    s->trace_nodes[s->trace_nodes[i].parent].id;
		qsort(s->trace_nodes, s->trace_node_count,
		    sizeof(*s->trace_nodes), cmp_trace_node);
	}
	return 0;
}

struct hs_snapshot_reader *
hs_snapshot_reader_new(void)
{
	struct hs_snapshot_reader *r;

	if ((r = hs_calloc(1, sizeof(*r))) == NULL)
		return NULL;
	if ((r->snap = hs_calloc(1, sizeof(*r->snap))) != NULL) {
		r->locations.base = (void **)&r->snap->locations;
		r->locations.count = &r->snap->location_count;
		r->locations.width = 4;
		r->functions.base = (void **)&r->snap->trace_functions;
		r->functions.count = &r->snap->trace_function_count;
		r->functions.width = 6;
	}
	if (r->snap == NULL ||
	    (r->json = hs_json_new(&reader_events, r)) == NULL) {
		hs_snapshot_reader_free(r);
		return NULL;
	}
	return r;
}

void
hs_snapshot_reader_reserve(struct hs_snapshot_reader *r, size_t bytes)
{
	r->reserve_per_node = bytes;
}

void
hs_snapshot_reader_size_hint(struct hs_snapshot_reader *r, uint64_t bytes)
{
	r->size_hint = bytes;
}

const char *
hs_snapshot_reader_error(const struct hs_snapshot_reader *r)
{
	return r->err;
}

uint64_t
hs_snapshot_reader_offset(const struct hs_snapshot_reader *r)
{
	return r->offset;
}

const char *
hs_snapshot_reader_section(const struct hs_snapshot_reader *r)
{
	if (r->sp_mode)
		return section_names[r->sp_mode];
	if (r->section != SEC_NONE && r->section != SEC_OTHER)
		return section_names[r->section];
	return "parsing";
}

struct hs_snapshot *
hs_snapshot_reader_take(struct hs_snapshot_reader *r)
{
	struct hs_snapshot *s = r->snap;

	prefault_stop(r);
	r->snap = NULL;
	return s;
}

void
hs_snapshot_reader_free(struct hs_snapshot_reader *r)
{
	if (r == NULL)
		return;
	prefault_stop(r);
	hs_snapshot_free(r->snap);
	hs_json_free(r->json);
	hs_jv_builder_free(r->header_builder);
	hs_jv_free(r->header);
	if (r->ss_ready)
		hs_strscan_free(&r->ss);
	hs_free(r->wanted);
	hs_free(r->levels);
	hs_free(r);
}

void
hs_snapshot_free(struct hs_snapshot *s)
{
	size_t i;

	if (s == NULL)
		return;
	hs_free(s->node_type);
	hs_free(s->node_name);
	hs_free(s->node_id);
	hs_free(s->node_self);
	hs_free(s->first_edge);
	hs_free(s->node_detached);
	hs_free(s->node_trace);
	hs_free(s->edge_name);
	hs_free(s->edge_to);
	for (i = 0; i < s->node_type_count && s->node_type_names; i++)
		hs_free(s->node_type_names[i]);
	hs_free(s->node_type_names);
	hs_free(s->node_kind);
	for (i = 0; i < s->edge_type_count && s->edge_type_names; i++)
		hs_free(s->edge_type_names[i]);
	hs_free(s->edge_type_names);
	hs_free(s->edge_kind);
	hs_free(s->string_off);
	hs_free(s->string_len);
	hs_free(s->string_text);
	hs_free(s->locations);
	hs_free(s->trace_functions);
	hs_free(s->trace_nodes);
	hs_free(s);
}

const char *
hs_snapshot_node_name(const struct hs_snapshot *s, uint32_t n)
{
	const char *p = hs_snapshot_string(s, s->node_name[n], NULL);

	return p ? p : "";
}

size_t
hs_snapshot_find_strings(const struct hs_snapshot *s, const char *text,
    uint64_t *out, size_t max)
{
	size_t len = strlen(text), found = 0, l;
	uint64_t i;
	const char *p;

	for (i = 0; i < s->kept_limit; i++) {
		p = hs_snapshot_string(s, i, &l);
		if (p == NULL || l != len || memcmp(p, text, len) != 0)
			continue;
		if (found < max)
			out[found] = i;
		found++;
	}
	return found;
}

int
hs_snapshot_node_name_is(const struct hs_snapshot *s, uint32_t n,
    const char *name)
{
	size_t len;
	const char *p = hs_snapshot_string(s, s->node_name[n], &len);

	return p != NULL && len == strlen(name) && memcmp(p, name, len) == 0;
}

/* records_sink() writes these structs as arrays of uint32_t. */
_Static_assert(sizeof(struct hs_location) == 4 * sizeof(uint32_t),
    "struct hs_location is four uint32_t");
_Static_assert(sizeof(struct hs_trace_function) == 6 * sizeof(uint32_t),
    "struct hs_trace_function is six uint32_t");

/*
 * snapshot: reads a V8 heap snapshot (.heapsnapshot JSON) as a stream into a
 * compact in-memory graph.
 *
 * Every field is found by name in snapshot.meta, so node and edge layouts
 * from any V8 version work (6 or 7 node fields, with or without
 * trace_node_id and detachedness, any list of node and edge types).  Only
 * the graph is kept: nodes and edges as columns of small integers, and the
 * text of the strings that name things (node names of objects and edge
 * names), cut to HS_NAME_MAX bytes.  The text of string values is checked
 * and dropped, so a snapshot's secrets never reach memory for long, and one
 * huge string costs nothing.
 *
 *	r = hs_snapshot_reader_new(name);
 *	while (more input) if (hs_snapshot_reader_feed(r, buf, len) == -1) ...
 *	if (hs_snapshot_reader_finish(r) == -1) ... hs_snapshot_reader_error(r)
 *	snap = hs_snapshot_reader_take(r);	// caller owns snap
 *	hs_snapshot_reader_free(r);
 *	...
 *	hs_snapshot_free(snap);
 *
 * Errors read "byte N: expected ..." and never quote input bytes.  Memory is
 * never allocated on the word of a declared count: arrays grow with what is
 * actually read.
 */
#ifndef HS_SNAPSHOT_H
#define HS_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#define HS_NAME_MAX	1024

/* Indexes into hs_snapshot.node_kind: what a node type name means. */
enum hs_node_kind {
	HS_NK_OTHER, HS_NK_HIDDEN, HS_NK_ARRAY, HS_NK_STRING, HS_NK_OBJECT,
	HS_NK_CODE, HS_NK_CLOSURE, HS_NK_REGEXP, HS_NK_NUMBER, HS_NK_NATIVE,
	HS_NK_SYNTHETIC, HS_NK_CONS_STRING, HS_NK_SLICED_STRING, HS_NK_SYMBOL,
	HS_NK_BIGINT
};

enum hs_edge_kind {
	HS_EK_OTHER, HS_EK_CONTEXT, HS_EK_ELEMENT, HS_EK_PROPERTY,
	HS_EK_INTERNAL, HS_EK_HIDDEN, HS_EK_SHORTCUT, HS_EK_WEAK
};

/* Optional sections seen, for the summary header. */
#define HS_SEC_TRACE_FUNCTION_INFOS	0x01
#define HS_SEC_TRACE_TREE		0x02
#define HS_SEC_SAMPLES			0x04
#define HS_SEC_LOCATIONS		0x08
#define HS_SEC_SCOPES			0x10
#define HS_SEC_EXTRA_NATIVE_BYTES	0x20
#define HS_SEC_DETACHEDNESS		0x40
#define HS_SEC_TRACE_NODE_ID		0x80

/* Only uint32_t members, in the order of the file's usual fields. */
struct hs_location {
	uint32_t	node;		/* ordinal */
	uint32_t	script_id;
	uint32_t	line;
	uint32_t	column;
};

struct hs_trace_function {
	uint32_t	function_id;
	uint32_t	name;		/* string index */
	uint32_t	script_name;	/* string index */
	uint32_t	script_id;
	uint32_t	line;
	uint32_t	column;
};

struct hs_trace_node {
	uint32_t	id;
	uint32_t	function;	/* index into trace_functions */
	uint32_t	parent;		/* index into trace_nodes, or UINT32_MAX */
};

struct hs_snapshot {
	uint32_t	 node_count;
	uint32_t	 edge_count;
	uint32_t	 root;		/* ordinal of the root node */

	/* Node columns, node_count long (first_edge: node_count + 1). */
	uint8_t		*node_type;
	uint32_t	*node_name;	/* string index */
	uint32_t	*node_id;
	uint32_t	*node_self;	/* raw self size */
	uint32_t	*first_edge;
	uint8_t		*node_detached;	/* NULL without detachedness */
	uint32_t	*node_trace;	/* NULL without allocation traces */

	/*
	 * Edge columns, edge_count long.  edge_to holds the target's ordinal
	 * in its low HS_EDGE_TO_BITS bits and the edge's type (an index into
	 * edge_kind) in the others: the two are read together in every walk
	 * over the graph, and a column of types would cost a byte an edge.
	 * Read them with HS_EDGE_TO() and HS_EDGE_KIND().
	 */
	uint32_t	*edge_name;	/* string index, or element index */
	uint32_t	*edge_to;	/* target ordinal | type << 28 */

	/* Type tables from meta, mapped to kinds. */
	size_t		 node_type_count;
	char		**node_type_names;
	uint8_t		*node_kind;	/* enum hs_node_kind per type */
	size_t		 edge_type_count;
	char		**edge_type_names;
	uint8_t		*edge_kind;	/* enum hs_edge_kind per type */

	/* Kept string texts: string_off[i] is an offset into string_text, or
	 * 0 when string i was not kept (offset 0 holds an empty string). */
	uint64_t	 string_count;
	uint64_t	 kept_limit;	/* string_off/len cover [0, kept_limit) */
	uint32_t	*string_off;
	uint32_t	*string_len;
	char		*string_text;
	size_t		 string_text_len;

	struct hs_location *locations;
	size_t		 location_count;
	struct hs_trace_function *trace_functions;
	size_t		 trace_function_count;
	struct hs_trace_node *trace_nodes;	/* sorted by id */
	size_t		 trace_node_count;

	uint64_t	 extra_native_bytes;
	unsigned	 sections;	/* HS_SEC_* */
	uint64_t	 text_bytes;	/* bytes of JSON read */
};

struct hs_snapshot_reader;

struct hs_intahead;

struct hs_snapshot_reader *hs_snapshot_reader_new(void);
/*
 * Once the graph's columns are faulted in, reserve this many bytes a node
 * for what comes next (see reserve.h); 0, the default, reserves nothing.
 */
void		 hs_snapshot_reader_reserve(struct hs_snapshot_reader *,
		    size_t bytes_per_node);
/* The input's size, when known, bounds the first allocations. */
void		 hs_snapshot_reader_size_hint(struct hs_snapshot_reader *,
		    uint64_t bytes);
/* Parses the next chunk.  Returns 0, or -1 (see the error). */
int		 hs_snapshot_reader_feed(struct hs_snapshot_reader *,
		    const unsigned char *buf, size_t len);
/*
 * The same, with integers read ahead from this chunk by hs_intscan_ahead()
 * (NULL: none), used if the chunk turns out to be inside an integer array.
 */
int		 hs_snapshot_reader_feed_ahead(struct hs_snapshot_reader *,
		    const unsigned char *buf, size_t len,
		    const struct hs_intahead *ahead);
/* Ends the input and checks the whole.  Returns 0 or -1. */
int		 hs_snapshot_reader_finish(struct hs_snapshot_reader *);
/* "byte N: ..." */
const char	*hs_snapshot_reader_error(const struct hs_snapshot_reader *);
/* Bytes consumed so far, and what is being read ("nodes", "edges", ...). */
uint64_t	 hs_snapshot_reader_offset(const struct hs_snapshot_reader *);
const char	*hs_snapshot_reader_section(const struct hs_snapshot_reader *);
/* After a successful finish: the snapshot, now the caller's. */
struct hs_snapshot *hs_snapshot_reader_take(struct hs_snapshot_reader *);
void		 hs_snapshot_reader_free(struct hs_snapshot_reader *);

void		 hs_snapshot_free(struct hs_snapshot *);

/* The kept text of string i, or NULL when not kept (or out of range). */
static inline const char *
hs_snapshot_string(const struct hs_snapshot *s, uint64_t i, size_t *lenp)
{
	if (i >= s->kept_limit || s->string_off[i] == 0) {
		if (lenp)
			*lenp = 0;
		return NULL;
	}
	if (lenp)
		*lenp = s->string_len[i];
	return s->string_text + s->string_off[i];
}

/*
 * The indexes of the kept strings whose text is text, in ascending order:
 * the first max of them into out.  Returns how many there are, which may
 * be more than max.
 */
size_t		 hs_snapshot_find_strings(const struct hs_snapshot *,
		    const char *text, uint64_t *out, size_t max);
/* The node's raw name text ("" when not kept). */
const char	*hs_snapshot_node_name(const struct hs_snapshot *, uint32_t n);
/* Whether node n's raw name is exactly name. */
int		 hs_snapshot_node_name_is(const struct hs_snapshot *, uint32_t n,
		    const char *name);
/* The kind of node n and of edge e. */
#define HS_NODE_KIND(s, n)	((enum hs_node_kind)(s)->node_kind[(s)->node_type[n]])
#define HS_EDGE_TO_BITS		28
#define HS_MAX_NODES		((uint32_t)1 << HS_EDGE_TO_BITS)
#define HS_MAX_EDGE_TYPES	(1u << (32 - HS_EDGE_TO_BITS))
#define HS_EDGE_TO(s, e)	((s)->edge_to[e] & (HS_MAX_NODES - 1))
#define HS_EDGE_TYPE(s, e)	((s)->edge_to[e] >> HS_EDGE_TO_BITS)
#define HS_EDGE_KIND(s, e)	((enum hs_edge_kind)(s)->edge_kind[HS_EDGE_TYPE(s, e)])

#endif

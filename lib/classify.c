/*
 * classify: DevTools' class names.
 *
 * calculateObjectNames: hidden nodes are "(system)", code "(compiled
 * code)", closures "Function", regexps "RegExp", objects and native nodes
 * their name ("<div id=x>" becomes "<div>", a detached one "Detached
 * <div>"), anything else "(" type ")".  Then inferInterfaceDefinitions and
 * applyInterfaceDefinitions: plain objects (named "Object") are grouped by
 * shape, "{a, b, c}", when enough objects share a shape.  Objects with a
 * source location form one class per location.
 *
 * Names are compared and measured as JavaScript does, in UTF-16 code
 * units, so that the shapes chosen are DevTools' own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "analyze.h"
#include "buf.h"
#include "hmap.h"
#include "regex.h"

#define MAX_INTERFACE_NAME_LENGTH	120
#define LABEL_CACHE			65536
#define NAME_CACHE			65536

/* hs_classify()'s cache: a node name (string << 1 | detached, + 1). */
struct name_slot {
	uint64_t	key;
	uint32_t	name;
};

/* And the class of a name at a source location (instances of a class). */
#define LOCATION_CACHE			16384
struct location_slot {
	uint32_t	name, script_id, line, column;
	uint32_t	class_plus_1;	/* 0: empty */
};
#define MIN_OBJECT_COUNT_PER_INTERFACE	2
#define MIN_OBJECT_PROPORTION		1000

/* Decodes one UTF-8 sequence leniently; invalid bytes stand for themselves. */
static uint32_t
next_cp(const unsigned char **pp, const unsigned char *end)
{
	const unsigned char *p = *pp;
	uint32_t c = *p++;
	int n = 0;

	if (c >= 0xf0 && c < 0xf8) {
		n = 3;
		c &= 0x07;
	} else if (c >= 0xe0) {
		n = c < 0xf0 ? 2 : 0;
		c &= n ? 0x0f : 0xff;
	} else if (c >= 0xc0) {
		n = 1;
		c &= 0x1f;
	}
	if (p + n > end) {
		*pp = p;
		return (*pp)[-1];
	}
	while (n-- > 0)
		c = c << 6 | (*p++ & 0x3f);
	*pp = p;
	return c;
}

static size_t
utf16_len(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	size_t n = 0;

	while (p < end)
		n += next_cp(&p, end) >= 0x10000 ? 2 : 1;
	return n;
}

/* Compares as JavaScript compares strings: by UTF-16 code units. */
static int
utf16_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	const unsigned char *p = (const unsigned char *)a, *pe = p + alen;
	const unsigned char *q = (const unsigned char *)b, *qe = q + blen;

	while (p < pe && q < qe) {
		uint32_t x = next_cp(&p, pe), y = next_cp(&q, qe), ux, uy;

		if (x == y)
			continue;
		ux = x >= 0x10000 ? 0xd800 + ((x - 0x10000) >> 10) : x;
		uy = y >= 0x10000 ? 0xd800 + ((y - 0x10000) >> 10) : y;
		if (ux != uy)
			return ux < uy ? -1 : 1;
		return x < y ? -1 : 1;
	}
	if (p < pe)
		return 1;
	return q < qe ? -1 : 0;
}

/* An identifier, or identifiers joined by dots (Symbol.iterator). */
static int
dotted_identifier(const char *s, size_t len)
{
	size_t i, start = 0;

	for (i = 0; i <= len; i++) {
		if (i == len || s[i] == '.') {
			if (i == start)
				return 0;
			start = i + 1;
			continue;
		}
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_' ||
		    s[i] == '$' || (i > start && s[i] >= '0' && s[i] <= '9')))
			return 0;
	}
	return 1;
}

/*
 * Whether a property name reads as code rather than data: an identifier,
 * a private field "#x", an accessor "get x" / "set x", or a symbol as V8
 * names it, "<symbol Symbol.iterator>".
 */
int
hs_name_is_identifier(const char *s, size_t len)
{
	if (len == 0 || len > 128)
		return 0;
	if (s[0] == '#')
		return dotted_identifier(s + 1, len - 1) &&
		    memchr(s, '.', len) == NULL;
	if (len > 4 && (memcmp(s, "get ", 4) == 0 || memcmp(s, "set ", 4) == 0))
		return dotted_identifier(s + 4, len - 4);
	if (len > 9 && memcmp(s, "<symbol ", 8) == 0 && s[len - 1] == '>')
		return dotted_identifier(s + 8, len - 9);
	return dotted_identifier(s, len) && memchr(s, '.', len) == NULL;
}

int
hs_name_is_private(const struct hs_analysis *a, const char *s, size_t len)
{
	if (!hs_name_is_identifier(s, len))
		return 1;
	return a->opts.redact != NULL &&
	    hs_regex_match(a->opts.redact, s, len) != 0;
}

/* Whether a name (of a class, or an edge's) is dropped by --redact. */
static int
name_redacted(const struct hs_analysis *a, const char *s, size_t len)
{
	return a->opts.redact != NULL &&
	    hs_regex_match(a->opts.redact, s, len) != 0;
}

static const char *
string_or_empty(const struct hs_snapshot *s, uint32_t i, size_t *len)
{
	const char *p = hs_snapshot_string(s, i, len);

	if (p == NULL) {
		*len = 0;
		return "";
	}
	return p;
}

/* JSHeapSnapshotNode.formatPropertyName: quote names with , ' " { }. */
static int
format_property(struct hs_buf *b, const char *p, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] == ',' || p[i] == '\'' || p[i] == '"' ||
		    p[i] == '{' || p[i] == '}')
			break;
	if (i == len)
		return hs_buf_add(b, p, len);
	if (hs_buf_addc(b, '"') == -1)
		return -1;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];
		char esc[7];

		switch (c) {
		case '"': memcpy(esc, "\\\"", 3); break;
		case '\\': memcpy(esc, "\\\\", 3); break;
		case '\b': memcpy(esc, "\\b", 3); break;
		case '\f': memcpy(esc, "\\f", 3); break;
		case '\n': memcpy(esc, "\\n", 3); break;
		case '\r': memcpy(esc, "\\r", 3); break;
		case '\t': memcpy(esc, "\\t", 3); break;
		default:
			if (c < 0x20) {
				esc[0] = '\\'; esc[1] = 'u'; esc[2] = '0';
				esc[3] = '0'; esc[4] = hex[c >> 4];
				esc[5] = hex[c & 15]; esc[6] = '\0';
			} else {
				esc[0] = (char)c;
				esc[1] = '\0';
			}
		}
		if (hs_buf_adds(b, esc) == -1)
			return -1;
	}
	return hs_buf_addc(b, '"');
}

static uint32_t
intern_name(struct hs_analysis *a, const char *s, size_t len)
{
	return hs_hmap_intern(&a->names, s, len, NULL);
}

/* The display name of a class, from the raw node name. */
static uint32_t
object_class_name(struct hs_analysis *a, const char *p, size_t len,
    int detached)
{
	char tmp[HS_NAME_MAX + 16];
	size_t n = 0, i;

	if (detached) {
		memcpy(tmp, "Detached ", 9);
		n = 9;
	}
	memcpy(tmp + n, p, len);
	n += len;
	if (tmp[0] == '<' || (n > 10 && memcmp(tmp, "Detached <", 10) == 0)) {
		size_t from = tmp[0] == '<' ? 0 : 10;

		for (i = from; i < n; i++) {
			if (tmp[i] == ' ') {
				tmp[i] = '>';
				n = i + 1;
				break;
			}
		}
	}
	if (name_redacted(a, tmp, n))
		return intern_name(a, "(redacted)", 10);
	return intern_name(a, tmp, n);
}

struct shapes {
	struct hs_hmap	 cands;		/* DevTools interface name -> id */
	uint32_t	*count;
	uint32_t	*first_node;
	uint32_t	*nprops;
	uint32_t	*display;	/* name id of the display form */
	size_t		 cap;
	/* The property trie. */
	struct hs_hmap	 edges;		/* (trie node, string) -> child */
	uint32_t	*greatest;	/* per trie node: string, or UINT32_MAX */
	uint32_t	*match_name;	/* per trie node: name id, or UINT32_MAX */
	uint32_t	*match_count;
	uint32_t	*match_index;
	size_t		 trie_count, trie_cap;
	/*
	 * Plain objects of one V8 map have the same property names in the
	 * same order, and a name and a class follow from those names alone:
	 * each list is worked out once.  Lists of up to SEQ_MAX_PROPS names
	 * are kept, seq_budget bytes of them at most (opts.shape_cache).
	 */
	struct hs_hmap	 seqs;		/* property names (string ids) -> id */
	uint32_t	*seq_cand;	/* per list: candidate, or NO_CAND */
	uint32_t	*seq_name;	/* per list: class name, or NO_NAME */
	size_t		 seq_cap, seq_budget;
};

#define SEQ_MAX_PROPS	64
#define SEQ_BUDGET	((size_t)64 << 20)
#define NO_SEQ		UINT32_MAX
#define NO_CAND		UINT32_MAX
#define NO_NAME		UINT32_MAX

static int
is_plain_object(const struct hs_snapshot *s, uint32_t v)
{
	size_t len;
	const char *p;

	if (HS_NODE_KIND(s, v) != HS_NK_OBJECT)
		return 0;
	p = hs_snapshot_string(s, s->node_name[v], &len);
	return p != NULL && len == 6 && memcmp(p, "Object", 6) == 0;
}

/*
 * The next property edge of node v from edge e on, leaving out __proto__
 * (as DevTools does when naming shapes); end when there is none.
 */
static uint32_t
next_property(const struct hs_snapshot *s, uint32_t v, uint32_t e,
    const char **p, size_t *len)
{
	for (; e < s->first_edge[v + 1]; e++) {
		if (HS_EDGE_KIND(s, e) != HS_EK_PROPERTY)
			continue;
		*p = string_or_empty(s, s->edge_name[e], len);
		if (*len == 9 && memcmp(*p, "__proto__", 9) == 0)
			continue;
		return e;
	}
	return e;
}

/*
 * Builds the interface name of object v as inferInterfaceDefinitions does,
 * into name (DevTools' form) and display (non-identifiers replaced by
 * "?").  Returns the number of properties taken.
 */
static int
interface_name(struct hs_analysis *a, uint32_t v, struct hs_buf *name,
    struct hs_buf *display, struct hs_buf *tmp, uint32_t *nprops)
{
	/* display may be NULL: it is built only for new candidates. */
	const struct hs_snapshot *s = a->snap;
	size_t u16 = 1, flen, len;
	const char *p;
	uint32_t e;

	hs_buf_reset(name);
	*nprops = 0;
	if (hs_buf_addc(name, '{') == -1)
		return -1;
	if (display != NULL) {
		hs_buf_reset(display);
		if (hs_buf_addc(display, '{') == -1)
			return -1;
	}
	for (e = next_property(s, v, s->first_edge[v], &p, &len);
	    e < s->first_edge[v + 1];
	    e = next_property(s, v, e + 1, &p, &len)) {
		hs_buf_reset(tmp);
		if (format_property(tmp, p, len) == -1)
			return -1;
		flen = utf16_len(tmp->data, tmp->len);
		if (u16 > 1 && u16 + flen > MAX_INTERFACE_NAME_LENGTH)
			break;
		if (u16 != 1) {
			if (hs_buf_add(name, ", ", 2) == -1 ||
			    (display && hs_buf_add(display, ", ", 2) == -1))
				return -1;
			u16 += 2;
		}
		if (hs_buf_add(name, tmp->data, tmp->len) == -1)
			return -1;
		if (display == NULL) {
			/* only the DevTools name is wanted */
		} else if (hs_name_is_private(a, p, len)) {
			if (hs_buf_addc(display, '?') == -1)
				return -1;
		} else if (hs_buf_add(display, p, len) == -1) {
			return -1;
		}
		u16 += flen;
		(*nprops)++;
	}
	if (hs_buf_addc(name, '}') == -1 ||
	    (display && hs_buf_addc(display, '}') == -1))
		return -1;
	return 0;
}

/* Property names compared as JavaScript's default sort does. */
static const struct hs_snapshot *sort_snap;

static int
cmp_props(const void *x, const void *y)
{
	uint32_t i = *(const uint32_t *)x, j = *(const uint32_t *)y;
	size_t il, jl;
	const char *p = string_or_empty(sort_snap, i, &il);
	const char *q = string_or_empty(sort_snap, j, &jl);

	return utf16_cmp(p, il, q, jl);
}

struct order {
	uint32_t	count;
	uint32_t	id;
};

static int
cmp_order(const void *x, const void *y)
{
	const struct order *a = x, *b = y;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

static uint32_t
trie_new(struct shapes *sh)
{
	size_t cap = sh->trie_cap;
	uint32_t id;

	if (sh->trie_count >= cap) {
		size_t ncap = cap;

		if (hs_grow(&sh->greatest, &ncap, sh->trie_count + 1,
		    sizeof(uint32_t)) == -1)
			return UINT32_MAX;
		ncap = cap;
		if (hs_grow(&sh->match_name, &ncap, sh->trie_count + 1,
		    sizeof(uint32_t)) == -1)
			return UINT32_MAX;
		ncap = cap;
		if (hs_grow(&sh->match_count, &ncap, sh->trie_count + 1,
		    sizeof(uint32_t)) == -1)
			return UINT32_MAX;
		ncap = cap;
		if (hs_grow(&sh->match_index, &ncap, sh->trie_count + 1,
		    sizeof(uint32_t)) == -1)
			return UINT32_MAX;
		sh->trie_cap = ncap;
	}
	id = (uint32_t)sh->trie_count++;
	sh->greatest[id] = UINT32_MAX;
	sh->match_name[id] = UINT32_MAX;
	sh->match_count[id] = 0;
	sh->match_index[id] = UINT32_MAX;
	return id;
}

static uint32_t
trie_child(struct shapes *sh, uint32_t node, uint32_t prop, int create)
{
	uint32_t key[2] = { node, prop }, id;
	int added;

	if (!create)
		return hs_hmap_find(&sh->edges, key, sizeof(key));
	id = hs_hmap_intern(&sh->edges, key, sizeof(key), &added);
	if (id == UINT32_MAX)
		return UINT32_MAX;
	if (added && trie_new(sh) != id + 1)
		return UINT32_MAX;
	return id + 1;	/* trie node 0 is the root */
}

/* The better of two matches: more properties, then the earlier one. */
static int
better(const struct shapes *sh, uint32_t t, uint32_t best_count,
    uint32_t best_index)
{
	if (sh->match_name[t] == UINT32_MAX)
		return 0;
	if (sh->match_count[t] != best_count)
		return sh->match_count[t] > best_count;
	return sh->match_index[t] < best_index;
}

/*
 * The names (string ids) of v's property edges, in order, into *props:
 * their number in *k, or max + 1 when there are more than max (then only
 * max are taken).  -1 when memory runs out.
 */
static int
property_names(const struct hs_snapshot *s, uint32_t v, uint32_t max,
    uint32_t **props, size_t *cap, uint32_t *k)
{
	uint32_t e;

	*k = 0;
	for (e = s->first_edge[v]; e < s->first_edge[v + 1]; e++) {
		if (HS_EDGE_KIND(s, e) != HS_EK_PROPERTY)
			continue;
		if (*k == max) {
			*k = max + 1;
			return 0;
		}
		if (hs_grow(props, cap, (size_t)*k + 1, sizeof(uint32_t)) == -1)
			return -1;
		(*props)[(*k)++] = s->edge_name[e];
	}
	return 0;
}

/*
 * The id of v's list of property names (every property edge, in order),
 * added when new and within the budget; NO_SEQ for a list too long to
 * keep, or when the budget is spent.  -1 when memory runs out.
 */
static int
seq_of(struct shapes *sh, const struct hs_snapshot *s, uint32_t v,
    uint32_t **keyp, size_t *capp, uint32_t *seq)
{
	uint32_t k, id;
	int added;

	*seq = NO_SEQ;
	if (property_names(s, v, SEQ_MAX_PROPS, keyp, capp, &k) == -1)
		return -1;
	if (k > SEQ_MAX_PROPS)
		return 0;
	if (sh->seqs.keys_len >= sh->seq_budget) {
		*seq = hs_hmap_find(&sh->seqs, *keyp, k * sizeof(uint32_t));
		return 0;
	}
	id = hs_hmap_intern(&sh->seqs, *keyp, k * sizeof(uint32_t), &added);
	if (id == UINT32_MAX)
		return -1;
	if (added) {
		size_t cap = sh->seq_cap;

		if (hs_grow(&sh->seq_cand, &cap, (size_t)id + 1,
		    sizeof(uint32_t)) == -1)
			return -1;
		cap = sh->seq_cap;
		if (hs_grow(&sh->seq_name, &cap, (size_t)id + 1,
		    sizeof(uint32_t)) == -1)
			return -1;
		sh->seq_cap = cap;
		sh->seq_cand[id] = NO_CAND;
		sh->seq_name[id] = NO_NAME;
	}
	*seq = id;
	return added;
}

static int
shape_classes(struct hs_analysis *a, uint32_t *name_of)
{
	const struct hs_snapshot *s = a->snap;
	struct shapes sh;
	struct hs_buf name = { 0 }, display = { 0 }, tmp = { 0 };
	struct order *order = NULL;
	uint32_t *props = NULL, *states = NULL, *mark = NULL, object_name;
	size_t props_cap = 0, states_cap = 0, ndefs, i, total = 0;
	uint32_t v, e, id, nprops;
	double min_count;
	int ret = -1;

	memset(&sh, 0, sizeof(sh));
	hs_hmap_init(&sh.cands);
	hs_hmap_init(&sh.edges);
	hs_hmap_init(&sh.seqs);
	sh.seq_budget = a->opts.shape_cache ? a->opts.shape_cache : SEQ_BUDGET;
	object_name = intern_name(a, "Object", 6);
	if (object_name == UINT32_MAX)
		goto oom;

	/* inferInterfaceDefinitions: candidates from every plain object. */
	for (v = 0; v < s->node_count; v++) {
		uint32_t seq;
		int added, fresh;

		if (!is_plain_object(s, v))
			continue;
		total++;
		if ((fresh = seq_of(&sh, s, v, &props, &props_cap, &seq)) == -1)
			goto oom;
		name_of[v] = seq;	/* until its class name replaces it */
		if (seq != NO_SEQ && !fresh) {
			if (sh.seq_cand[seq] != NO_CAND)
				sh.count[sh.seq_cand[seq]]++;
			continue;
		}
		if (interface_name(a, v, &name, NULL, &tmp, &nprops) == -1)
			goto oom;
		if (nprops == 0)
			continue;
		id = hs_hmap_intern(&sh.cands, name.data, name.len, &added);
		if (id == UINT32_MAX)
			goto oom;
		if (added) {
			size_t cap = sh.cap;

			if (hs_grow(&sh.count, &cap, (size_t)id + 1,
			    sizeof(uint32_t)) == -1)
				goto oom;
			cap = sh.cap;
			if (hs_grow(&sh.first_node, &cap, (size_t)id + 1,
			    sizeof(uint32_t)) == -1)
				goto oom;
			cap = sh.cap;
			if (hs_grow(&sh.nprops, &cap, (size_t)id + 1,
			    sizeof(uint32_t)) == -1)
				goto oom;
			cap = sh.cap;
			if (hs_grow(&sh.display, &cap, (size_t)id + 1,
			    sizeof(uint32_t)) == -1)
				goto oom;
			sh.cap = cap;
			sh.count[id] = 0;
			sh.first_node[id] = v;
			sh.nprops[id] = nprops;
			if (interface_name(a, v, &name, &display, &tmp,
			    &nprops) == -1 ||
			    (sh.display[id] = intern_name(a, display.data,
			    display.len)) == UINT32_MAX)
				goto oom;
		}
		if (seq != NO_SEQ)
			sh.seq_cand[seq] = id;
		sh.count[id]++;
	}

	/* Sort by popularity (stable), keep the popular ones. */
	if ((order = hs_alloc_array(sh.cands.count + 1, sizeof(*order))) ==
	    NULL)
		goto oom;
	for (i = 0; i < sh.cands.count; i++) {
		order[i].count = sh.count[i];
		order[i].id = (uint32_t)i;
	}
	qsort(order, sh.cands.count, sizeof(*order), cmp_order);
	min_count = (double)total / MIN_OBJECT_PROPORTION;
	if (min_count < MIN_OBJECT_COUNT_PER_INTERFACE)
		min_count = MIN_OBJECT_COUNT_PER_INTERFACE;
	for (ndefs = 0; ndefs < sh.cands.count; ndefs++)
		if ((double)order[ndefs].count < min_count)
			break;

	/* applyInterfaceDefinitions: the trie of sorted property lists. */
	if (trie_new(&sh) != 0)
		goto oom;
	sort_snap = s;
	for (i = 0; i < ndefs; i++) {
		uint32_t d = order[i].id, t = 0, k = 0, n;
		const char *p;
		size_t len;

		v = sh.first_node[d];
		n = sh.nprops[d];
		for (e = next_property(s, v, s->first_edge[v], &p, &len);
		    e < s->first_edge[v + 1] && k < n;
		    e = next_property(s, v, e + 1, &p, &len)) {
			if (hs_grow(&props, &props_cap, (size_t)k + 1,
			    sizeof(uint32_t)) == -1)
				goto oom;
			props[k++] = s->edge_name[e];
		}
		if (k > 1)
			qsort(props, k, sizeof(uint32_t), cmp_props);
		for (n = 0; n < k; n++) {
			uint32_t c = trie_child(&sh, t, props[n], 1);

			if (c == UINT32_MAX)
				goto oom;
			if (sh.greatest[t] == UINT32_MAX ||
			    cmp_props(&sh.greatest[t], &props[n]) < 0)
				sh.greatest[t] = props[n];
			t = c;
		}
		if (sh.match_name[t] == UINT32_MAX) {
			sh.match_name[t] = sh.display[d];
			sh.match_count[t] = k;
			sh.match_index[t] = (uint32_t)i;
		}
	}

	/* Match every plain object against the trie. */
	if ((mark = hs_calloc(sh.trie_count, sizeof(uint32_t))) == NULL)
		goto oom;
	for (v = 0; v < s->node_count; v++) {
		uint32_t k = 0, best_count = 0, best_index = UINT32_MAX,
		    best_name = object_name, nstates, p, seq;

		if (!is_plain_object(s, v))
			continue;
		seq = name_of[v];
		if (ndefs == 0) {
			name_of[v] = object_name;
			continue;
		}
		if (seq != NO_SEQ && sh.seq_name[seq] != NO_NAME) {
			name_of[v] = sh.seq_name[seq];
			continue;
		}
		/* All of them: a node has fewer edges than that. */
		if (property_names(s, v, UINT32_MAX - 1, &props, &props_cap,
		    &k) == -1)
			goto oom;
		if (k > 1)
			qsort(props, k, sizeof(uint32_t), cmp_props);
		if (hs_grow(&states, &states_cap, 1, sizeof(uint32_t)) == -1)
			goto oom;
		states[0] = 0;
		nstates = 1;
		/* mark[t] is v + 1 while t is in the set. */
		mark[0] = v + 1;
		if (better(&sh, 0, best_count, best_index)) {
			best_count = sh.match_count[0];
			best_index = sh.match_index[0];
			best_name = sh.match_name[0];
		}
		for (p = 0; p < k; p++) {
			uint32_t j, n0 = nstates, out = 0;

			if (hs_grow(&states, &states_cap,
			    (size_t)nstates * 2 + 1, sizeof(uint32_t)) == -1)
				goto oom;
			for (j = 0; j < n0; j++) {
				uint32_t t = states[j], c;

				if (sh.greatest[t] == UINT32_MAX ||
				    cmp_props(&props[p], &sh.greatest[t]) >= 0) {
					mark[t] = 0;
					states[j] = UINT32_MAX;
				}
				c = sh.greatest[t] == UINT32_MAX ? UINT32_MAX :
				    trie_child(&sh, t, props[p], 0);
				if (c == UINT32_MAX)
					continue;
				c++;
				if (mark[c] != v + 1) {
					mark[c] = v + 1;
					states[nstates++] = c;
				}
				if (better(&sh, c, best_count, best_index)) {
					best_count = sh.match_count[c];
					best_index = sh.match_index[c];
					best_name = sh.match_name[c];
				}
			}
			for (j = 0; j < nstates; j++)
				if (states[j] != UINT32_MAX)
					states[out++] = states[j];
			nstates = out;
		}
		for (p = 0; p < nstates; p++)
			mark[states[p]] = 0;
		if (seq != NO_SEQ)
			sh.seq_name[seq] = best_name;
		name_of[v] = best_name;
	}
	ret = 0;
	goto out;
oom:
	hs_analysis_fail(a, "out of memory");
out:
	hs_hmap_free(&sh.cands);
	hs_hmap_free(&sh.edges);
	hs_hmap_free(&sh.seqs);
	hs_free(sh.seq_cand);
	hs_free(sh.seq_name);
	hs_free(sh.count);
	hs_free(sh.first_node);
	hs_free(sh.nprops);
	hs_free(sh.display);
	hs_free(sh.greatest);
	hs_free(sh.match_name);
	hs_free(sh.match_count);
	hs_free(sh.match_index);
	hs_free(order);
	hs_free(props);
	hs_free(states);
	hs_free(mark);
	hs_buf_free(&name);
	hs_buf_free(&display);
	hs_buf_free(&tmp);
	return ret;
}

/* Each of 65536 counts becomes where its entries start. */
static void
counts_to_starts(size_t *count)
{
	size_t i, sum;

	for (i = 0, sum = 0; i < 65536; i++) {
		size_t c = count[i];

		count[i] = sum;
		sum += c;
	}
}

/*
 * The indexes of the n locations (n < 2^32) in node order, those of one
 * node in their order, into order: a radix sort, 16 bits a pass through
 * tmp (n entries), with count (65536 entries) as scratch.  Indexes rather
 * than copies: a quarter of the memory, all of it fresh pages.
 */
static void
sort_locations(const struct hs_location *l, size_t n, uint32_t *tmp,
    uint32_t *order, size_t *count)
{
	size_t i;

	memset(count, 0, 65536 * sizeof(*count));
	for (i = 0; i < n; i++)
		count[l[i].node & 0xffff]++;
	counts_to_starts(count);
	for (i = 0; i < n; i++)
		tmp[count[l[i].node & 0xffff]++] = (uint32_t)i;
	memset(count, 0, 65536 * sizeof(*count));
	for (i = 0; i < n; i++)
		count[l[tmp[i]].node >> 16]++;
	counts_to_starts(count);
	for (i = 0; i < n; i++)
		order[count[l[tmp[i]].node >> 16]++] = tmp[i];
}

/* The class index for (name, location), created when new. */
static uint32_t
class_for(struct hs_analysis *a, uint32_t name, const struct hs_location *l,
    struct hs_buf *key)
{
	size_t nlen;
	const char *n = hs_hmap_key(&a->names, name, &nlen);
	uint32_t id;
	int added;

	hs_buf_reset(key);
	if (l != NULL) {
		if (hs_buf_printf(key, "%u,%u,%u,", l->script_id, l->line,
		    l->column) == -1)
			return UINT32_MAX;
	} else if (hs_buf_addc(key, ',') == -1) {
		return UINT32_MAX;
	}
	if (hs_buf_add(key, n, nlen) == -1)
		return UINT32_MAX;
	id = hs_hmap_intern(&a->keys, key->data, key->len, &added);
	if (id == UINT32_MAX)
		return UINT32_MAX;
	if (added) {
		struct hs_class *c;

		if (hs_grow(&a->classes, &a->class_cap, (size_t)id + 1,
		    sizeof(*a->classes)) == -1)
			return UINT32_MAX;
		c = &a->classes[id];
		memset(c, 0, sizeof(*c));
		c->name = name;
		c->key = id;
		c->distance = INT64_MAX;
		if (l != NULL) {
			c->has_location = 1;
			c->script_id = l->script_id;
			c->line = l->line;
			c->column = l->column;
		}
		a->class_count = (size_t)id + 1;
	}
	return id;
}

int
hs_classify(struct hs_analysis *a)
{
	const struct hs_snapshot *s = a->snap;
	uint32_t N = s->node_count, v, t, *name_of = NULL,
	    *type_name = NULL, *by_name = NULL;
	struct name_slot *cache = NULL;
	struct location_slot *loc_cache = NULL;
	uint32_t *order = NULL;	/* the locations by node, if unsorted */
	struct hs_buf key = { 0 };
	size_t by_name_cap = 0, li;
	int ret = -1;

	if ((name_of = hs_alloc_array(N, sizeof(uint32_t))) == NULL ||
	    (cache = hs_calloc(NAME_CACHE, sizeof(*cache))) == NULL ||
	    (type_name = hs_alloc_array(s->node_type_count,
	    sizeof(uint32_t))) == NULL)
		goto oom;
	for (t = 0; t < s->node_type_count; t++) {
		const char *fixed = NULL;
		char tmp[300];

		switch ((enum hs_node_kind)s->node_kind[t]) {
		case HS_NK_HIDDEN: fixed = "(system)"; break;
		case HS_NK_CODE: fixed = "(compiled code)"; break;
		case HS_NK_CLOSURE: fixed = "Function"; break;
		case HS_NK_REGEXP: fixed = "RegExp"; break;
		default:
			snprintf(tmp, sizeof(tmp), "(%s)",
			    s->node_type_names[t]);
			fixed = tmp;
		}
		if ((type_name[t] = intern_name(a, fixed, strlen(fixed))) ==
		    UINT32_MAX)
			goto oom;
	}
	/*
	 * Object and native nodes take their own name, through a
	 * direct-mapped cache by string (and detachedness): names repeat.
	 */
	for (v = 0; v < N; v++) {
		enum hs_node_kind k = HS_NODE_KIND(s, v);

		if (k == HS_NK_OBJECT || k == HS_NK_NATIVE) {
			int det = k == HS_NK_NATIVE &&
			    a->detached[v] == 2 &&
			    (s->sections & HS_SEC_DETACHEDNESS);
			uint64_t ck = ((uint64_t)s->node_name[v] << 1 |
			    (uint64_t)det) + 1;
			struct name_slot *c = &cache[hs_hash_u64(ck) &
			    (NAME_CACHE - 1)];
			size_t len;
			const char *p;

			if (c->key == ck) {
				name_of[v] = c->name;
				continue;
			}
			p = string_or_empty(s, s->node_name[v], &len);
			if ((name_of[v] = object_class_name(a, p, len, det)) ==
			    UINT32_MAX)
				goto oom;
			c->key = ck;
			c->name = name_of[v];
		} else {
			name_of[v] = type_name[s->node_type[v]];
		}
	}
	hs_free(cache);
	cache = NULL;
	if (!a->opts.raw && shape_classes(a, name_of) == -1)
		goto out;

	/* Classes: by name, and by location for objects that have one. */
	/* By node: their order, unless they come sorted. */
	for (li = 1; li < s->location_count; li++)
		if (s->locations[li - 1].node > s->locations[li].node)
			break;
	if (li < s->location_count) {
		uint32_t *tmp;
		size_t *count;

		if (s->location_count > UINT32_MAX)
			goto oom;	/* cannot be: 8 bytes of text each */
		if ((order = hs_alloc_array(s->location_count,
		    sizeof(*order))) == NULL)
			goto oom;
		if ((tmp = hs_alloc_array(s->location_count,
		    sizeof(*tmp))) == NULL)
			goto oom;
		if ((count = hs_alloc_array(65536, sizeof(*count))) == NULL) {
			hs_free(tmp);
			goto oom;
		}
		sort_locations(s->locations, s->location_count, tmp, order,
		    count);
		hs_free(count);
		hs_free(tmp);
	}
#define LOCATION(i)	(&s->locations[order != NULL ? order[i] : (i)])
	/* Each node's class replaces its name in the same array. */
	a->node_class = name_of;
	name_of = NULL;
	if ((loc_cache = hs_calloc(LOCATION_CACHE, sizeof(*loc_cache))) ==
	    NULL)
		goto oom;
	for (v = 0, li = 0; v < N; v++) {
		const struct hs_location *l = NULL;
		struct location_slot *ls = NULL;
		uint32_t c, nm = a->node_class[v];

		/* The locations in node order: walk them along. */
		while (li < s->location_count && LOCATION(li)->node < v)
			li++;
		if (li < s->location_count && LOCATION(li)->node == v &&
		    HS_NODE_KIND(s, v) == HS_NK_OBJECT) {
			/* DevTools' map keeps the last given for a node. */
			while (li + 1 < s->location_count &&
			    LOCATION(li + 1)->node == v)
				li++;
			l = LOCATION(li);
		}
		if (l == NULL && nm < by_name_cap && by_name[nm] != 0) {
			a->node_class[v] = by_name[nm] - 1;
			continue;
		}
		if (l != NULL) {
			ls = &loc_cache[hs_hash_u64(((uint64_t)nm << 32 |
			    l->script_id) * 0x9e3779b97f4a7c15ull ^
			    ((uint64_t)l->line << 32 | l->column)) &
			    (LOCATION_CACHE - 1)];
			if (ls->class_plus_1 != 0 && ls->name == nm &&
			    ls->script_id == l->script_id &&
			    ls->line == l->line && ls->column == l->column) {
				a->node_class[v] = ls->class_plus_1 - 1;
				continue;
			}
		}
		if ((c = class_for(a, nm, l, &key)) == UINT32_MAX)
			goto oom;
		a->node_class[v] = c;
		if (l != NULL) {
			ls->name = nm;
			ls->script_id = l->script_id;
			ls->line = l->line;
			ls->column = l->column;
			ls->class_plus_1 = c + 1;
		}
		if (l == NULL) {
			size_t old = by_name_cap;

			if (hs_grow(&by_name, &by_name_cap, (size_t)nm + 1,
			    sizeof(uint32_t)) == -1)
				goto oom;
			memset(by_name + old, 0,
			    (by_name_cap - old) * sizeof(uint32_t));
			by_name[nm] = c + 1;
		}
	}
#undef LOCATION
	ret = 0;
	goto out;
oom:
	hs_analysis_fail(a, "out of memory");
out:
	hs_free(name_of);
	hs_free(cache);
	hs_free(type_name);
	hs_free(by_name);
	hs_free(loc_cache);
	hs_free(order);
	hs_buf_free(&key);
	return ret;
}

/*
 * What of an edge's name its label depends on: HS_LABEL_INDEX for an
 * element or hidden edge, or a name of digits; HS_LABEL_PRIVATE for a name
 * that is not an identifier; else the name itself (which --redact may
 * still drop).  It only reads the snapshot, so threads may call it.
 */
uint32_t
hs_label_name(const struct hs_snapshot *s, enum hs_edge_kind kind,
    uint32_t name)
{
	const char *p;
	size_t len;

	if (kind == HS_EK_ELEMENT || kind == HS_EK_HIDDEN)
		return HS_LABEL_INDEX;
	p = string_or_empty(s, name, &len);
	if (len > 0 && strspn(p, "0123456789") == len)
		return HS_LABEL_INDEX;
	if (!hs_name_is_identifier(p, len))
		return HS_LABEL_PRIVATE;
	return name;
}

/*
 * A retainer edge in words, as DevTools writes edges: ".name" for a
 * property, "[]" for an element (its index left out, so that elements
 * group), "->name" for a context variable, "{name}" for an internal edge.
 * A name that is not an identifier, or that --redact matches, becomes
 * "?": property names can be data (cache[email] = ...).
 */
uint32_t
hs_edge_label(struct hs_analysis *a, uint32_t e)
{
	const struct hs_snapshot *s = a->snap;

	return hs_label(a, HS_EDGE_KIND(s, e), s->edge_name[e]);
}

/* The same from an edge's kind and name, or hs_label_name()'s form of it. */
uint32_t
hs_label(struct hs_analysis *a, enum hs_edge_kind kind, uint32_t name)
{
	const struct hs_snapshot *s = a->snap;
	char tmp[HS_NAME_MAX + 8];
	const char *p;
	size_t len, slot;
	uint64_t key;
	uint32_t id;
	int n, index = 0;

	/* Labels repeat a lot: a direct-mapped cache avoids most hashing. */
	if (kind == HS_EK_ELEMENT || kind == HS_EK_HIDDEN)
		name = HS_LABEL_INDEX;	/* one label for the kind */
	key = ((uint64_t)kind << 32 | name) + 1;
	slot = hs_hash_u64(key) & (LABEL_CACHE - 1);
	if (a->label_key == NULL) {
		if ((a->label_key = hs_calloc(LABEL_CACHE,
		    sizeof(uint64_t))) == NULL ||
		    (a->label_val = hs_calloc(LABEL_CACHE,
		    sizeof(uint32_t))) == NULL)
			return UINT32_MAX;
	}
	if (a->label_key[slot] == key)
		return a->label_val[slot];
	if (name != HS_LABEL_INDEX && name != HS_LABEL_PRIVATE)
		name = hs_label_name(s, kind, name);
	if (name == HS_LABEL_INDEX) {
		/* An index, or one under another name (a backing store's). */
		index = 1;
		p = "[]";
		len = 2;
	} else if (name == HS_LABEL_PRIVATE) {
		p = "?";
		len = 1;
	} else {
		p = string_or_empty(s, name, &len);
		if (name_redacted(a, p, len)) {	/* an identifier */
			p = "?";
			len = 1;
		}
	}
	switch (kind) {
	case HS_EK_ELEMENT:
		n = snprintf(tmp, sizeof(tmp), "[]");
		break;
	case HS_EK_HIDDEN:
		n = snprintf(tmp, sizeof(tmp), "{hidden}");
		break;
	case HS_EK_PROPERTY:
	case HS_EK_SHORTCUT:
		if (index) {	/* as an element */
			n = snprintf(tmp, sizeof(tmp), "[]");
			break;
		}
		n = snprintf(tmp, sizeof(tmp), ".%.*s", (int)len, p);
		break;
	case HS_EK_CONTEXT:
		n = snprintf(tmp, sizeof(tmp), "->%.*s", (int)len, p);
		break;
	case HS_EK_INTERNAL:
		n = snprintf(tmp, sizeof(tmp), "{%.*s}", (int)len, p);
		break;
	case HS_EK_WEAK:
		n = snprintf(tmp, sizeof(tmp), "[[%.*s]]", (int)len, p);
		break;
	default:
		n = snprintf(tmp, sizeof(tmp), ".%.*s", (int)len, p);
		break;
	}
	id = hs_hmap_intern(&a->labels, tmp, (size_t)n, NULL);
	if (id != UINT32_MAX) {
		a->label_key[slot] = key;
		a->label_val[slot] = id;
	}
	return id;
}

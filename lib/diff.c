/*
 * diff: comparing summaries, and the hs-diff file format (see diff.h and
 * man/hs-diff.5).
 */
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "diff.h"
#include "diff_rules.h"
#include "input.h"
#include "json.h"
#include "jv.h"
#include "lines.h"
#include "records.h"
#include "regex.h"
#include "report.h"
#include "summary.h"
#include "zstdio.h"

/* Severity by growth of retained size (bytes). */
#define SEV_CRITICAL_BYTES	(100ull * HS_MIB)
#define SEV_HIGH_BYTES		(50ull * HS_MIB)
#define SEV_MEDIUM_BYTES	(10ull * HS_MIB)
/* Severity by rate (after / before), only from this before size on. */
#define RATE_FLOOR		(1ull * HS_MIB)
#define SEV_CRITICAL_RATE	10.0
#define SEV_HIGH_RATE		5.0
#define SEV_MEDIUM_RATE		2.0
/*
 * Two summaries come from one process when at least this fraction of the
 * object ids they share name objects of the same class in both.
 */
#define SAME_ID_FRACTION	0.9
/* Retainer groups described per class. */
#define HELD_GROUPS		3
/* Edges shown from a retainer path. */
#define PATH_EDGES		4
/* Diff lines are bounded like summary lines. */

static const char *const severity_names[] = {
	[HS_SEV_NONE] = "none",
	[HS_SEV_LOW] = "low",
	[HS_SEV_MEDIUM] = "medium",
	[HS_SEV_HIGH] = "high",
	[HS_SEV_CRITICAL] = "critical",
};

const char *
hs_severity_name(enum hs_severity s)
{
	return (unsigned)s <= HS_SEV_CRITICAL ? severity_names[s] : "none";
}

int
hs_severity_parse(const char *s, enum hs_severity *out)
{
	int i;

	for (i = HS_SEV_NONE; i <= HS_SEV_CRITICAL; i++)
		if (strcmp(s, severity_names[i]) == 0) {
			*out = (enum hs_severity)i;
			return 0;
		}
	return -1;
}

int
hs_diff_parse_size(const char *s, uint64_t *out)
{
	static const struct {
		const char	*unit;
		double		 mult;
	} units[] = {
		{ "", 1 }, { "b", 1 },
		{ "k", 1024.0 }, { "kb", 1e3 }, { "kib", 1024.0 },
		{ "m", 1048576.0 }, { "mb", 1e6 }, { "mib", 1048576.0 },
		{ "g", 1073741824.0 }, { "gb", 1e9 }, { "gib", 1073741824.0 },
		{ "tb", 1e12 }, { "tib", 1099511627776.0 },
	};
	char unit[8];
	const char *p = s;
	uint64_t whole = 0;
	double frac = 0, scale = 0.1, v;
	size_t i, n;
	int digits = 0;

	while (*p >= '0' && *p <= '9') {
		if (whole > (UINT64_MAX - 9) / 10)
			return -1;
		whole = whole * 10 + (uint64_t)(*p++ - '0');
		digits++;
	}
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			frac += scale * (*p++ - '0');
			scale /= 10;
			digits++;
		}
	}
	if (digits == 0)
		return -1;
	while (*p == ' ')
		p++;
	if ((n = strlen(p)) >= sizeof(unit))
		return -1;
	for (i = 0; i <= n; i++)
		unit[i] = (char)tolower((unsigned char)p[i]);
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(unit, units[i].unit) != 0)
			continue;
		if (units[i].mult == 1) {
			if (frac != 0)
				return -1;
			*out = whole;
			return 0;
		}
		v = ((double)whole + frac) * units[i].mult;
		if (v >= 18446744073709551615.0)
			return -1;
		*out = (uint64_t)(v + 0.5);
		return 0;
	}
	return -1;
}

int
hs_diff_parse_ratio(const char *s, double *out)
{
	char *end;
	double v;

	if (*s == '\0' || isspace((unsigned char)*s) || *s == '-' ||
	    *s == '+')
		return -1;
	v = strtod(s, &end);
	if (end == s)
		return -1;
	if (*end == '%') {
		v /= 100;
		end++;
	}
	if (*end != '\0' || !isfinite(v) || v < 0)
		return -1;
	*out = v;
	return 0;
}

void
hs_diff_defaults(struct hs_diff_options *o)
{
	memset(o, 0, sizeof(*o));
	o->threshold = 10ull * HS_MIB;
	o->growth = 0.1;
	o->producer = "hs-diff";
}

struct hs_diff *
hs_diff_new(void)
{
	return hs_calloc(1, sizeof(struct hs_diff));
}

const char *
hs_diff_error(const struct hs_diff *d)
{
	return d->err;
}

static void
class_free(struct hs_diff_class *c)
{
	hs_free(c->key);
	hs_free(c->name);
	hs_free(c->old_key);
	hs_free(c->held_by);
	hs_free(c->path);
}

static void
pattern_free(struct hs_diff_pattern *p)
{
	hs_free(p->id);
	hs_free(p->key);
	hs_free(p->name);
	hs_free(p->matched);
	hs_free(p->recommendation);
}

void
hs_diff_free(struct hs_diff *d)
{
	size_t i;
	int k;

	if (d == NULL)
		return;
	for (k = 0; k < 3; k++) {
		hs_free(d->inputs[k].name);
		hs_free(d->inputs[k].label);
		hs_free(d->inputs[k].session);
		hs_free(d->inputs[k].captured);
	}
	for (i = 0; i < d->class_count; i++)
		class_free(&d->classes[i]);
	hs_free(d->classes);
	for (i = 0; i < d->pattern_count; i++)
		pattern_free(&d->patterns[i]);
	hs_free(d->patterns);
	for (i = 0; i < d->recommendation_count; i++)
		hs_free(d->recommendations[i]);
	hs_free(d->recommendations);
	hs_free(d->ids_skipped);
	hs_free(d->producer);
	hs_free(d->likely_source);
	hs_free(d->likely_key);
	hs_free(d);
}

static int
fail(struct hs_diff *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->err, sizeof(d->err), fmt, ap);
	va_end(ap);
	return -1;
}

static int
oom(struct hs_diff *d)
{
	return fail(d, "out of memory");
}

/* hs_strdup that accepts NULL; *ok is cleared when memory runs out. */
static char *
dup_or_null(const char *s, int *ok)
{
	char *p;

	if (s == NULL)
		return NULL;
	if ((p = hs_strdup(s)) == NULL)
		*ok = 0;
	return p;
}

/* ---- computing ---- */

static uint64_t
hdr_u64(const struct hs_jv *h, const char *key)
{
	int64_t v;

	return hs_jv_get_int(h, key, 0, INT64_MAX, &v) == 0 ? (uint64_t)v : 0;
}

/*
 * V8 numbers its own objects with odd ids that only grow; the embedder's
 * objects (Node's bindings, say) get even ids that can be addresses.  So
 * "ids go down" is judged on the odd ones.
 */
static uint64_t
max_js_id(const struct hs_summary *s)
{
	const struct hs_jv *h = s->header;

	return hs_jv_get(h, "max_js_object_id") != NULL ?
	    hdr_u64(h, "max_js_object_id") : hdr_u64(h, "max_object_id");
}

static int
input_from(struct hs_diff_input *in, const struct hs_summary *s)
{
	const struct hs_jv *h = s->header, *src = hs_jv_get(h, "source");
	const char *name = hs_jv_get_str(src, "name");
	int ok = 1;

	in->name = dup_or_null(name ? name : s->path, &ok);
	in->label = dup_or_null(hs_jv_get_str(h, "label"), &ok);
	in->session = dup_or_null(hs_jv_get_str(h, "session"), &ok);
	in->captured = dup_or_null(hs_jv_get_str(h, "captured"), &ok);
	in->total_size = hdr_u64(h, "total_size");
	in->node_count = hdr_u64(h, "node_count");
	in->max_object_id = hdr_u64(h, "max_object_id");
	in->max_js_object_id = max_js_id(s);
	in->has_ids = s->has_ids;
	return ok ? 0 : -1;
}

/* Indices of a summary's classes sorted by key, for lookups. */
struct index {
	const struct hs_summary	*s;
	size_t			*order;
};

static const struct hs_summary *sort_s;

static int
cmp_key(const void *a, const void *b)
{
	return strcmp(sort_s->classes[*(const size_t *)a].key,
	    sort_s->classes[*(const size_t *)b].key);
}

static int
index_build(struct index *ix, const struct hs_summary *s)
{
	size_t i;

	ix->s = s;
	if ((ix->order = hs_alloc_array(s->class_count + 1,
	    sizeof(size_t))) == NULL)
		return -1;
	for (i = 0; i < s->class_count; i++)
		ix->order[i] = i;
	sort_s = s;
	qsort(ix->order, s->class_count, sizeof(size_t), cmp_key);
	return 0;
}

/* The index of the class with this key, or SIZE_MAX. */
static size_t
index_find(const struct index *ix, const char *key)
{
	size_t lo = 0, hi = ix->s ? ix->s->class_count : 0, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(key, ix->s->classes[ix->order[mid]].key);
		if (c == 0)
			return ix->order[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return SIZE_MAX;
}

/*
 * Every id of a summary with the index of its class: a hash table with
 * linear probing, twice as many slots as ids, so that building it and
 * looking up millions of ids take one pass each (sorting them took
 * seconds on the summary of a 1 GB snapshot).  UINT32_MAX marks an empty
 * slot; that one id, should a snapshot hold it, is never found.
 */
struct idset {
	uint32_t	*id;
	uint32_t	*cls;
	size_t		 mask;		/* slots - 1 */
	size_t		 n;		/* slots, 0 when empty */
};

#define IDSET_EMPTY	UINT32_MAX

static size_t
idset_slot(uint32_t id, size_t mask)
{
	/*
	 * Fibonacci hashing: the high bits of the product, since ids come
	 * in arithmetic progressions (odd ids, sampled ids) that a mask of
	 * the low bits would pile up.
	 */
	uint64_t h = (uint64_t)id * 0x9e3779b97f4a7c15ull;

	return (size_t)(h >> 32) & mask;
}

/* Takes the ids that sample() keeps (all when it is NULL). */
static int
idset_build(struct idset *set, const struct hs_summary *s,
    int (*sample)(uint32_t))
{
	size_t i, j, n = 0, slots = 16, k;

	memset(set, 0, sizeof(*set));
	for (i = 0; i < s->class_count; i++)
		for (j = 0; j < s->classes[i].id_count; j++)
			if (sample == NULL || sample(s->classes[i].ids[j]))
				n++;
	while (slots < 2 * n)
		slots *= 2;
	if ((set->id = hs_alloc_array(slots, sizeof(uint32_t))) == NULL ||
	    (set->cls = hs_alloc_array(slots, sizeof(uint32_t))) == NULL) {
		hs_free(set->id);
		set->id = NULL;
		return -1;
	}
	memset(set->id, 0xff, slots * sizeof(uint32_t));
	set->mask = slots - 1;
	set->n = slots;
	for (i = 0; i < s->class_count; i++)
		for (j = 0; j < s->classes[i].id_count; j++) {
			uint32_t id = s->classes[i].ids[j];

			if (id == IDSET_EMPTY ||
			    (sample != NULL && !sample(id)))
				continue;
			for (k = idset_slot(id, set->mask);
			    set->id[k] != IDSET_EMPTY && set->id[k] != id;
			    k = (k + 1) & set->mask)
				;
			set->id[k] = id;
			set->cls[k] = (uint32_t)i;
		}
	return 0;
}

static void
idset_free(struct idset *set)
{
	hs_free(set->id);
	hs_free(set->cls);
	set->id = set->cls = NULL;
	set->n = 0;
}

/* The slot of id in the set (set->cls[slot] is its class), or SIZE_MAX. */
static size_t
idset_find(const struct idset *set, uint32_t id)
{
	size_t k;

	if (set->n == 0 || id == IDSET_EMPTY)
		return SIZE_MAX;
	for (k = idset_slot(id, set->mask); set->id[k] != IDSET_EMPTY;
	    k = (k + 1) & set->mask)
		if (set->id[k] == id)
			return k;
	return SIZE_MAX;
}

/*
 * Membership of ids in a summary, for counting new objects: a bitmap of
 * the ids below 2^30 (V8's own ids are dense and well below that) and a
 * hash set of the rest (an embedder's address-like ids).
 */
#define IDBITS_LIMIT	((uint32_t)1 << 30)

struct idbits {
	uint64_t	*bits;
	size_t		 nbits;
	struct idset	 big;
};

static int
is_big(uint32_t id)
{
	return id >= IDBITS_LIMIT;
}

static int
idbits_build(struct idbits *b, const struct hs_summary *s)
{
	uint32_t max = 0, id;
	size_t i, j;

	memset(b, 0, sizeof(*b));
	for (i = 0; i < s->class_count; i++)
		for (j = 0; j < s->classes[i].id_count; j++)
			if ((id = s->classes[i].ids[j]) < IDBITS_LIMIT &&
			    id > max)
				max = id;
	b->nbits = (size_t)max + 1;
	if ((b->bits = hs_calloc((b->nbits + 63) / 64,
	    sizeof(uint64_t))) == NULL)
		return -1;
	for (i = 0; i < s->class_count; i++)
		for (j = 0; j < s->classes[i].id_count; j++)
			if ((id = s->classes[i].ids[j]) < IDBITS_LIMIT)
				b->bits[id >> 6] |= (uint64_t)1 << (id & 63);
	return idset_build(&b->big, s, is_big);
}

static int
idbits_has(const struct idbits *b, uint32_t id)
{
	if (id >= IDBITS_LIMIT)
		return idset_find(&b->big, id) != SIZE_MAX;
	return id < b->nbits && (b->bits[id >> 6] >> (id & 63) & 1);
}

static void
idbits_free(struct idbits *b)
{
	hs_free(b->bits);
	b->bits = NULL;
	idset_free(&b->big);
}

/* The ids that tell whether two summaries come from one process. */
static int
sampled(uint32_t id)
{
	return (id & 15) == 1;
}

int
hs_diff_same_process(struct hs_summary *const *sums, int n, const char **whyp)
{
	struct idset sample_set, *set = &sample_set;
	const char *why = NULL, *sa, *sb;
	uint64_t common = 0, same = 0;
	size_t i, j, k;
	int m;

	for (m = 0; m < n; m++)
		if (!sums[m]->has_ids) {
			why = "a summary has no object ids (made with "
			    "--no-ids)";
			break;
		}
	sa = hs_jv_get_str(sums[0]->header, "session");
	sb = hs_jv_get_str(sums[n - 1]->header, "session");
	if (why == NULL && sa != NULL && sb != NULL && strcmp(sa, sb) != 0)
		why = "the summaries name different sessions";
	for (m = 1; why == NULL && m < n; m++)
		if (max_js_id(sums[m]) < max_js_id(sums[m - 1]))
			why = "object ids go down from one summary to the "
			    "next";
	if (why == NULL) {
		/*
		 * In one process an id always names the same object: a
		 * sample of the ids (the same ids in both) is enough to tell.
		 */
		if (idset_build(set, sums[0], sampled) == -1)
			return -1;
		for (i = 0; i < sums[n - 1]->class_count; i++) {
			const struct hs_summary_class *c =
			    &sums[n - 1]->classes[i];
			size_t last = SIZE_MAX;
			int last_same = 0;

			for (j = 0; j < c->id_count; j++) {
				if (!sampled(c->ids[j]) ||
				    (k = idset_find(set, c->ids[j])) ==
				    SIZE_MAX)
					continue;
				common++;
				/* Ids of a class mostly meet one class. */
				if (set->cls[k] != last) {
					last = set->cls[k];
					last_same = strcmp(
					    sums[0]->classes[last].name,
					    c->name) == 0;
				}
				same += (uint64_t)last_same;
			}
		}
		idset_free(set);
		if (common > 0 && (double)same < SAME_ID_FRACTION *
		    (double)common)
			why = "the objects that the summaries' ids name "
			    "differ";
	}
	*whyp = why;
	return why == NULL;
}

/*
 * Whether the ids can be compared, that is whether the summaries can come
 * from one process.  Sets d->ids_skipped when not.
 */
static int
check_process(struct hs_diff *d, struct hs_summary *const *sums, int n)
{
	const char *why;

	if (hs_diff_same_process(sums, n, &why) == -1)
		return oom(d);
	d->same_process = why == NULL;
	d->ids_used = why == NULL;
	if (why != NULL && (d->ids_skipped = hs_strdup(why)) == NULL)
		return oom(d);
	return 0;
}

static struct hs_diff_class *
add_class(struct hs_diff *d, const char *key, const char *name)
{
	struct hs_diff_class *c;

	if (hs_grow(&d->classes, &d->class_cap, d->class_count + 1,
	    sizeof(*d->classes)) == -1)
		return NULL;
	c = &d->classes[d->class_count];
	memset(c, 0, sizeof(*c));
	if ((c->key = hs_strdup(key)) == NULL ||
	    (c->name = hs_strdup(name)) == NULL) {
		hs_free(c->key);
		return NULL;
	}
	d->class_count++;
	return c;
}

static void
take_figures(struct hs_diff_class *c, int slot,
    const struct hs_summary_class *sc)
{
	c->present[slot] = 1;
	c->count[slot] = sc->count;
	c->self[slot] = sc->self;
	c->retained[slot] = sc->retained;
}

/*
 * Matches the classes of the oldest summary (0) and the newest (n-1), and
 * of the middle one for triples: by key, then located classes left over by
 * name when the name is unique among those left over on both sides.  Each
 * diff class remembers which summary class it came from in ref[].
 */
static int
match_classes(struct hs_diff *d, struct hs_summary *const *sums, int n,
    size_t (**refp)[3])
{
	const struct hs_summary *old = sums[0], *new = sums[n - 1],
	    *mid = n == 3 ? sums[1] : NULL;
	struct index ix_old = { 0 }, ix_mid = { 0 };
	size_t (*ref)[3] = NULL, cap = 0, i, j, k, f;
	char *used_old = NULL;
	int ret = -1;

	if (index_build(&ix_old, old) == -1 ||
	    (mid != NULL && index_build(&ix_mid, mid) == -1) ||
	    (used_old = hs_calloc(old->class_count + 1, 1)) == NULL)
		goto out;
	for (i = 0; i < new->class_count; i++) {
		const struct hs_summary_class *nc = &new->classes[i];
		struct hs_diff_class *c;

		if (hs_grow(&ref, &cap, d->class_count + 1, sizeof(*ref)) ==
		    -1 || (c = add_class(d, nc->key, nc->name)) == NULL)
			goto out;
		ref[d->class_count - 1][0] = index_find(&ix_old, nc->key);
		ref[d->class_count - 1][1] = mid ? index_find(&ix_mid,
		    nc->key) : SIZE_MAX;
		ref[d->class_count - 1][2] = i;
		if (ref[d->class_count - 1][0] != SIZE_MAX)
			used_old[ref[d->class_count - 1][0]] = 1;
	}
	/* Located classes left over on both sides: match by unique name. */
	for (k = 0; k < d->class_count; k++) {
		const struct hs_summary_class *nc = &new->classes[ref[k][2]];
		size_t hits = 0;

		if (ref[k][0] != SIZE_MAX || !nc->has_location)
			continue;
		for (j = 0; j < d->class_count; j++)
			if (j != k && ref[j][0] == SIZE_MAX &&
			    new->classes[ref[j][2]].has_location &&
			    strcmp(new->classes[ref[j][2]].name, nc->name) == 0)
				hits++;
		if (hits > 0)
			continue;
		f = SIZE_MAX;
		for (j = 0; j < old->class_count; j++) {
			if (used_old[j] || !old->classes[j].has_location ||
			    strcmp(old->classes[j].name, nc->name) != 0)
				continue;
			if (f != SIZE_MAX) {
				f = SIZE_MAX - 1;	/* not unique */
				break;
			}
			f = j;
		}
		if (f >= SIZE_MAX - 1)
			continue;
		used_old[f] = 1;
		ref[k][0] = f;
		if ((d->classes[k].old_key = hs_strdup(old->classes[f].key)) ==
		    NULL)
			goto out;
		if (mid != NULL && ref[k][1] == SIZE_MAX)
			ref[k][1] = index_find(&ix_mid, old->classes[f].key);
	}
	/* Classes gone by the newest summary. */
	for (j = 0; j < old->class_count; j++) {
		struct hs_diff_class *c;

		if (used_old[j])
			continue;
		if (hs_grow(&ref, &cap, d->class_count + 1, sizeof(*ref)) ==
		    -1 || (c = add_class(d, old->classes[j].key,
		    old->classes[j].name)) == NULL)
			goto out;
		ref[d->class_count - 1][0] = j;
		ref[d->class_count - 1][1] = mid ? index_find(&ix_mid,
		    old->classes[j].key) : SIZE_MAX;
		ref[d->class_count - 1][2] = SIZE_MAX;
	}
	for (k = 0; k < d->class_count; k++) {
		struct hs_diff_class *c = &d->classes[k];

		if (ref[k][0] != SIZE_MAX)
			take_figures(c, HS_D_OLD, &old->classes[ref[k][0]]);
		if (ref[k][1] != SIZE_MAX)
			take_figures(c, HS_D_MID, &mid->classes[ref[k][1]]);
		if (ref[k][2] != SIZE_MAX)
			take_figures(c, HS_D_NEW, &new->classes[ref[k][2]]);
	}
	ret = 0;
out:
	hs_free(ix_old.order);
	hs_free(ix_mid.order);
	hs_free(used_old);
	if (ret == -1) {
		hs_free(ref);
		return oom(d);
	}
	*refp = ref;
	return 0;
}

/*
 * New objects, and for triples the leak set, from the ids.  An object is
 * new since a summary when that summary does not hold its id (ids are
 * never reused within a process, and the address-like ids of embedder
 * objects rule out a simple "above the largest id").
 */
static int
count_ids(struct hs_diff *d, struct hs_summary *const *sums, int n,
    size_t (*ref)[3], const struct idbits *old_ids)
{
	const struct hs_summary *new = sums[n - 1];
	struct idbits mid_set;
	size_t k, j;

	memset(&mid_set, 0, sizeof(mid_set));
	if (n == 3 && idbits_build(&mid_set, sums[1]) == -1) {
		idbits_free(&mid_set);
		return oom(d);
	}
	for (k = 0; k < d->class_count; k++) {
		struct hs_diff_class *c = &d->classes[k];
		const struct hs_summary_class *sc;

		if (ref[k][2] == SIZE_MAX)
			continue;
		sc = &new->classes[ref[k][2]];
		for (j = 0; j < sc->id_count; j++) {
			uint32_t id = sc->ids[j];

			if (idbits_has(old_ids, id))
				continue;
			c->new_count++;
			c->new_self += sc->id_self[j];
			if (n == 3 && idbits_has(&mid_set, id)) {
				c->leaked_count++;
				c->leaked_self += sc->id_self[j];
			}
		}
	}
	idbits_free(&mid_set);
	return 0;
}

/* Objects of the middle summary allocated since the oldest (triples). */
static uint64_t
mid_new(const struct idbits *old_ids, const struct hs_summary *mid,
    const char *key)
{
	const struct hs_summary_class *c = hs_summary_find(mid, key);
	uint64_t n = 0;
	size_t j;

	if (c == NULL)
		return 0;
	for (j = 0; j < c->id_count; j++)
		if (!idbits_has(old_ids, c->ids[j]))
			n++;
	return n;
}

static double
clamp01(double v)
{
	return v < 0 ? 0 : v > 1 ? 1 : v;
}

/* Two decimals, so that the file and the text agree exactly. */
static double
round2(double v)
{
	return floor(v * 100 + 0.5) / 100;
}

static double
round3(double v)
{
	return floor(v * 1000 + 0.5) / 1000;
}

enum hs_severity
hs_diff_severity(uint64_t growth, uint64_t before)
{
	enum hs_severity s = HS_SEV_LOW, r = HS_SEV_LOW;
	double rate;

	if (growth > SEV_CRITICAL_BYTES)
		s = HS_SEV_CRITICAL;
	else if (growth > SEV_HIGH_BYTES)
		s = HS_SEV_HIGH;
	else if (growth > SEV_MEDIUM_BYTES)
		s = HS_SEV_MEDIUM;
	if (before >= RATE_FLOOR) {
		rate = (double)(before + growth) / (double)before;
		if (rate > SEV_CRITICAL_RATE)
			r = HS_SEV_CRITICAL;
		else if (rate > SEV_HIGH_RATE)
			r = HS_SEV_HIGH;
		else if (rate > SEV_MEDIUM_RATE)
			r = HS_SEV_MEDIUM;
	}
	return s > r ? s : r;
}

/* Whether a change passes the thresholds, and how severe it is. */
static enum hs_severity
judge(const struct hs_diff *d, int64_t growth, uint64_t before,
    uint64_t more)
{
	if (growth <= 0 || (uint64_t)growth < d->threshold ||
	    more < d->min_count)
		return HS_SEV_NONE;
	if (before > 0 && (double)growth < d->growth * (double)before)
		return HS_SEV_NONE;
	return hs_diff_severity((uint64_t)growth, before);
}

static void
figures(struct hs_diff *d, struct hs_diff_class *c)
{
	c->delta_count = (int64_t)c->count[HS_D_NEW] -
	    (int64_t)c->count[HS_D_OLD];
	c->delta_self = (int64_t)c->self[HS_D_NEW] -
	    (int64_t)c->self[HS_D_OLD];
	c->delta_retained = (int64_t)c->retained[HS_D_NEW] -
	    (int64_t)c->retained[HS_D_OLD];
	c->is_new = c->retained[HS_D_OLD] == 0;
	c->rate = c->is_new ? 0 : round3((double)c->retained[HS_D_NEW] /
	    (double)c->retained[HS_D_OLD]);
	(void)d;
}

/* How many objects more: new survivors when ids tell, else the count. */
static uint64_t
objects_more(const struct hs_diff *d, const struct hs_diff_class *c)
{
	if (d->ids_used)
		return c->new_count;
	return c->delta_count > 0 ? (uint64_t)c->delta_count : 0;
}

/* V8's own kinds of object: "(string)", "system / Context". */
static int
is_internal(const char *name)
{
	return name[0] == '(' || strncmp(name, "system / ", 9) == 0;
}

/*
 * The ranking score: growth of retained size, weighted by the part of the
 * class's objects that are new (leaked, for triples), so that a class of
 * new objects comes before the old containers that hold them.
 */
static double
score_of(const struct hs_diff *d, const struct hs_diff_class *c)
{
	double f, n = (double)c->count[HS_D_NEW];

	if (c->delta_retained <= 0 || n == 0)
		return 0;
	if (d->ids_used)
		f = (double)c->new_count / n;
	else
		f = c->delta_count > 0 ? (double)c->delta_count / n : 0;
	return (double)c->delta_retained * (0.1 + 0.9 * clamp01(f)) *
	    (is_internal(c->name) ? 0.5 : 1);
}

static double
confidence_of(const struct hs_diff *d, const struct hs_diff_class *c,
    const struct hs_summary *mid, const struct idbits *old_ids,
    uint64_t churn)
{
	double e_new, e_agree, e_churn, growth = (double)c->delta_retained;
	uint64_t m;

	if (!d->ids_used)
		e_new = 0.5;
	else if (c->delta_self > 0)
		e_new = clamp01((double)c->new_self / (double)c->delta_self);
	else
		e_new = c->new_count > 0 ? 0.5 : 0;
	if (d->ninputs != 3)
		e_agree = 0.5;
	else if (d->ids_used && (m = mid_new(old_ids, mid, c->key)) > 0)
		e_agree = clamp01((double)c->leaked_count / (double)m);
	else
		e_agree = c->retained[HS_D_OLD] < c->retained[HS_D_MID] &&
		    c->retained[HS_D_MID] <= c->retained[HS_D_NEW] ? 0.5 : 0;
	e_churn = growth / (growth + (double)(churn > 0 ? churn : 1));
	return round2(0.4 * e_new + 0.3 * e_agree + 0.3 * e_churn);
}

static int
filter_out(struct hs_diff *d, const struct hs_diff_options *o,
    const struct hs_diff_class *c, int *drop)
{
	size_t len = strlen(c->name);
	int m;

	*drop = 0;
	if (o->include != NULL) {
		if ((m = hs_regex_match(o->include, c->name, len)) == -1)
			return fail(d, "--include: the pattern hit its "
			    "limits");
		if (m == 0) {
			*drop = 1;
			d->classes_filtered++;
			return 0;
		}
	}
	if (o->exclude != NULL) {
		if ((m = hs_regex_match(o->exclude, c->name, len)) == -1)
			return fail(d, "--exclude: the pattern hit its "
			    "limits");
		if (m == 1) {
			*drop = 1;
			d->classes_filtered++;
			return 0;
		}
	}
	if ((m = hs_rules_suppressed(o->suppress, c->name,
	    c->delta_retained)) == -1)
		return fail(d, "a suppression pattern hit its limits");
	if (m == 1) {
		*drop = 1;
		d->classes_suppressed++;
	}
	return 0;
}

static int
cmp_rank(const void *a, const void *b)
{
	const struct hs_diff_class *x = a, *y = b;

	if ((x->severity == HS_SEV_NONE) != (y->severity == HS_SEV_NONE))
		return x->severity == HS_SEV_NONE ? 1 : -1;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->delta_retained != y->delta_retained)
		return x->delta_retained > y->delta_retained ? -1 : 1;
	if (x->retained[HS_D_NEW] != y->retained[HS_D_NEW])
		return x->retained[HS_D_NEW] > y->retained[HS_D_NEW] ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* The records of type and key in s, or NULL. */
static const struct hs_jv *
record_for(const struct hs_summary *s, const char *type, const char *key)
{
	size_t i;

	for (i = 0; i < s->record_count; i++) {
		const char *t = hs_jv_get_str(s->records[i], "type"),
		    *k = hs_jv_get_str(s->records[i], "key");

		if (t && k && strcmp(t, type) == 0 && strcmp(k, key) == 0)
			return s->records[i];
	}
	return NULL;
}

/*
 * A retainer path as text: the class of the node where the last edges
 * start, then those edges, as "system / Context->cache[]".  With all
 * set, the whole path from the root's child.
 */
static int
path_text(const struct hs_jv *steps, int all, struct hs_buf *b)
{
	size_t n = steps->len, k, i;

	if (n == 0)
		return 0;
	k = all || n <= PATH_EDGES ? 1 : n - PATH_EDGES;
	if (!all) {
		/* Start after the last internal edge, if there is one. */
		for (i = n - 1; i > k; i--) {
			const char *e = hs_jv_get_str(&steps->items[i], "edge");

			if (e != NULL && e[0] == '{') {
				k = i + 1 < n ? i + 1 : i;
				break;
			}
		}
	}
	if (hs_buf_adds(b, hs_jv_get_str(&steps->items[k - 1], "class") ?
	    hs_jv_get_str(&steps->items[k - 1], "class") : "?") == -1)
		return -1;
	for (i = k; i < n; i++) {
		const char *e = hs_jv_get_str(&steps->items[i], "edge");

		if (hs_buf_adds(b, e ? e : "?") == -1)
			return -1;
	}
	return 0;
}

/*
 * "held by ..." for a class, from its path or its retainers.  A path is
 * told from its first named edge on: the roots above it say little.
 */
static int
describe_holders(struct hs_diff_class *c, const struct hs_summary *s)
{
	const struct hs_jv *p = record_for(s, "path", c->key), *r, *by,
	    *steps = p ? hs_jv_get(p, "steps") : NULL;
	struct hs_buf b = { 0 };
	size_t i;

	if (steps != NULL && steps->kind == HS_JV_ARRAY && steps->len > 1) {
		size_t n = steps->len, k;
		const char *e, *from, *cls;

		for (k = 0; k < n; k++) {
			e = hs_jv_get_str(&steps->items[k], "edge");
			if (e != NULL && (e[0] == '.' || strncmp(e, "->",
			    2) == 0))
				break;
		}
		if (k == n || n - k > 2 * PATH_EDGES)
			k = n > 2 * PATH_EDGES ? n - 2 * PATH_EDGES : 0;
		e = hs_jv_get_str(&steps->items[k], "edge");
		cls = hs_jv_get_str(&steps->items[k], "class");
		from = k > 0 ? hs_jv_get_str(&steps->items[k - 1], "class") :
		    NULL;
		if (e == NULL || cls == NULL)
			goto retainers;
		if (from != NULL && strcmp(from, "system / Context") == 0 &&
		    strncmp(e, "->", 2) == 0) {
			if (hs_buf_printf(&b, "held by %s (%s, a module-level "
			    "or closure variable)", e + 2, cls) == -1)
				goto oom;
		} else if (hs_buf_printf(&b, "held by %s%s (%s)", from ? from :
		    "", e, cls) == -1)
			goto oom;
		if (k + 1 < n) {
			if (hs_buf_adds(&b, " at ") == -1 ||
			    hs_buf_adds(&b, e[0] == '.' ? e + 1 : e[0] == '-' ?
			    e + 2 : e) == -1)
				goto oom;
			for (i = k + 1; i < n; i++) {
				e = hs_jv_get_str(&steps->items[i], "edge");
				if (hs_buf_adds(&b, e ? e : "?") == -1)
					goto oom;
			}
		}
		if (hs_buf_cstr(&b) == -1)
			goto oom;
		c->held_by = b.data;
		b.data = NULL;
		b.len = b.cap = 0;
		if (path_text(steps, 1, &b) == -1 || hs_buf_cstr(&b) == -1)
			goto oom;
		c->path = b.data;
		return 0;
	}
retainers:
	r = record_for(s, "retainers", c->key);
	by = r ? hs_jv_get(r, "by") : NULL;
	if (by == NULL || by->kind != HS_JV_ARRAY || by->len == 0)
		return 0;
	if (hs_buf_adds(&b, "held by ") == -1)
		goto oom;
	for (i = 0; i < by->len && i < HELD_GROUPS; i++) {
		const char *cls = hs_jv_get_str(&by->items[i], "class"),
		    *e = hs_jv_get_str(&by->items[i], "edge");
		int64_t n = 0;

		hs_jv_get_int(&by->items[i], "count", 0, INT64_MAX, &n);
		if (hs_buf_printf(&b, "%s%s%s (%" PRId64 ")", i > 0 ? ", " :
		    "", cls ? cls : "?", e ? e : "?", n) == -1)
			goto oom;
	}
	if (hs_buf_cstr(&b) == -1)
		goto oom;
	c->held_by = b.data;
	return 0;
oom:
	hs_buf_free(&b);
	return -1;
}

static int
add_pattern(struct hs_diff *d, const struct hs_rule *rule,
    const struct hs_diff_class *c, const char *matched)
{
	struct hs_diff_pattern *p;
	int ok = 1;

	if (hs_grow(&d->patterns, &d->pattern_cap, d->pattern_count + 1,
	    sizeof(*d->patterns)) == -1)
		return -1;
	p = &d->patterns[d->pattern_count++];
	memset(p, 0, sizeof(*p));
	p->id = dup_or_null(rule->id, &ok);
	p->key = dup_or_null(c->key, &ok);
	p->name = dup_or_null(c->name, &ok);
	p->matched = dup_or_null(matched, &ok);
	p->recommendation = dup_or_null(rule->text, &ok);
	return ok ? 0 : -1;
}

/* 1 when re matches s, 0 when not, -1 at a limit. */
static int
matches(struct hs_regex *re, const char *s)
{
	return hs_regex_match(re, s, strlen(s));
}

/*
 * The retainer texts of a class ("Array[]", "EventEmitter._events") and
 * its whole path; the first that re matches is put in b.
 */
static int
match_retainers(struct hs_regex *re, const struct hs_diff_class *c,
    const struct hs_summary *s, struct hs_buf *b)
{
	const struct hs_jv *r = record_for(s, "retainers", c->key),
	    *by = r ? hs_jv_get(r, "by") : NULL;
	size_t i;
	int m;

	if (c->path != NULL) {
		if ((m = matches(re, c->path)) != 0) {
			if (m == 1 && (hs_buf_adds(b, c->path) == -1 ||
			    hs_buf_cstr(b) == -1))
				return -2;
			return m;
		}
	}
	for (i = 0; by != NULL && by->kind == HS_JV_ARRAY && i < by->len;
	    i++) {
		const char *cls = hs_jv_get_str(&by->items[i], "class"),
		    *e = hs_jv_get_str(&by->items[i], "edge");

		hs_buf_reset(b);
		if (hs_buf_adds(b, cls ? cls : "") == -1 ||
		    hs_buf_adds(b, e ? e : "") == -1 || hs_buf_cstr(b) == -1)
			return -2;
		if ((m = matches(re, b->data)) != 0)
			return m;
	}
	return 0;
}

static int
find_patterns(struct hs_diff *d, const struct hs_rules *rules,
    const struct hs_summary *s)
{
	struct hs_buf b = { 0 };
	size_t i, k;
	int m;

	for (k = 0; rules != NULL && k < d->class_count; k++) {
		const struct hs_diff_class *c = &d->classes[k];

		if (c->severity == HS_SEV_NONE)
			continue;
		for (i = 0; i < rules->count; i++) {
			const struct hs_rule *rule = &rules->rules[i];

			if (rule->cls != NULL) {
				if ((m = matches(rule->cls, c->name)) == -1)
					goto limit;
				if (m == 0)
					continue;
			}
			hs_buf_reset(&b);
			if (rule->retainer != NULL) {
				m = match_retainers(rule->retainer, c, s, &b);
				if (m == -2)
					goto nomem;
				if (m == -1)
					goto limit;
				if (m == 0)
					continue;
			}
			if (add_pattern(d, rule, c, rule->retainer ? b.data :
			    c->name) == -1)
				goto nomem;
		}
	}
	hs_buf_free(&b);
	return 0;
limit:
	hs_buf_free(&b);
	return fail(d, "a leak pattern hit its regex limits");
nomem:
	hs_buf_free(&b);
	return oom(d);
}

static int
add_recommendation(struct hs_diff *d, const char *text)
{
	char **p;
	size_t i;

	for (i = 0; i < d->recommendation_count; i++)
		if (strcmp(d->recommendations[i], text) == 0)
			return 0;
	if ((p = hs_realloc_array(d->recommendations,
	    d->recommendation_count + 1, sizeof(*p))) == NULL)
		return -1;
	d->recommendations = p;
	if ((p[d->recommendation_count] = hs_strdup(text)) == NULL)
		return -1;
	d->recommendation_count++;
	return 0;
}

static int
verdict(struct hs_diff *d)
{
	const struct hs_diff_input *a = &d->inputs[HS_D_OLD],
	    *b = &d->inputs[HS_D_NEW];
	const struct hs_diff_class *top = NULL;
	struct hs_buf t = { 0 };
	size_t i;

	d->total_growth = (int64_t)b->total_size - (int64_t)a->total_size;
	d->severity = d->total_severity = judge(d, d->total_growth,
	    a->total_size, UINT64_MAX);
	for (i = 0; i < d->class_count; i++) {
		const struct hs_diff_class *c = &d->classes[i];

		if (c->severity == HS_SEV_NONE)
			continue;
		if (top == NULL)
			top = c;
		if (c->severity > d->severity)
			d->severity = c->severity;
	}
	d->suspicious = d->severity != HS_SEV_NONE;
	if (top != NULL) {
		if ((d->likely_source = hs_strdup(top->name)) == NULL ||
		    (d->likely_key = hs_strdup(top->key)) == NULL)
			return oom(d);
		d->confidence = top->confidence;
	} else if (d->suspicious) {
		/* The heap grew, but no one class passed the thresholds. */
		d->confidence = 0.25;
	}
	for (i = 0; i < d->pattern_count; i++)
		if (add_recommendation(d, d->patterns[i].recommendation) == -1)
			return oom(d);
	if (top != NULL && hs_buf_printf(&t, "Look at what holds the new %s "
	    "objects: hs-report --include '^%s$' on the after summary shows "
	    "their retainers and a path from the root.", top->name,
	    top->name) == 0 && hs_buf_cstr(&t) == 0) {
		if (add_recommendation(d, t.data) == -1) {
			hs_buf_free(&t);
			return oom(d);
		}
	}
	if (d->suspicious && top == NULL && add_recommendation(d, "The heap "
	    "grew but no one class passed the thresholds: take more "
	    "snapshots at the same point of the workload, or lower "
	    "--threshold.") == -1) {
		hs_buf_free(&t);
		return oom(d);
	}
	if (d->suspicious && !d->ids_used && add_recommendation(d, "Take "
	    "the snapshots in one process, with object ids (hs-summarize "
	    "without --no-ids), so that new objects can be told from old "
	    "ones.") == -1) {
		hs_buf_free(&t);
		return oom(d);
	}
	hs_buf_free(&t);
	return 0;
}

int
hs_diff_compute(struct hs_diff *d, struct hs_summary *const *sums, int n,
    const struct hs_diff_options *o)
{
	size_t (*ref)[3] = NULL;
	struct idbits old_ids = { 0 };
	uint64_t churn = 0;
	size_t i, k;
	int m, drop;

	if (n != 2 && n != 3)
		return fail(d, "expected 2 or 3 summaries");
	for (m = 0; m < n; m++)
		if (strcmp(hs_summary_kind(sums[m]), HS_SUMMARY_FORMAT) != 0)
			return fail(d, "%s: not an hs-summary", sums[m]->path);
	d->ninputs = n;
	d->threshold = o->threshold;
	d->growth = o->growth;
	d->min_count = o->min_count;
	if ((d->producer = hs_strdup(o->producer ? o->producer :
	    "hs-diff")) == NULL)
		return oom(d);
	if (input_from(&d->inputs[HS_D_OLD], sums[0]) == -1 ||
	    input_from(&d->inputs[HS_D_NEW], sums[n - 1]) == -1 ||
	    (n == 3 && input_from(&d->inputs[HS_D_MID], sums[1]) == -1))
		return oom(d);
	if (check_process(d, sums, n) == -1 ||
	    match_classes(d, sums, n, &ref) == -1)
		return -1;
	if (d->ids_used && (idbits_build(&old_ids, sums[0]) == -1 ||
	    count_ids(d, sums, n, ref, &old_ids) == -1)) {
		hs_free(ref);
		idbits_free(&old_ids);
		return oom(d);
	}
	hs_free(ref);
	d->classes_compared = d->class_count;

	/* Figures, filters, then the churn of what did not grow. */
	for (i = k = 0; i < d->class_count; i++) {
		struct hs_diff_class *c = &d->classes[i];

		figures(d, c);
		if (filter_out(d, o, c, &drop) == -1) {
			idbits_free(&old_ids);
			return -1;
		}
		if (drop) {
			class_free(c);
			continue;
		}
		if (c->delta_retained < 0 &&
		    (uint64_t)-c->delta_retained > churn)
			churn = (uint64_t)-c->delta_retained;
		if (k != i)
			d->classes[k] = *c;
		k++;
	}
	d->class_count = k;
	for (i = 0; i < d->class_count; i++) {
		struct hs_diff_class *c = &d->classes[i];

		c->score = round2(score_of(d, c));
		c->severity = judge(d, c->delta_retained, c->retained[HS_D_OLD],
		    objects_more(d, c));
		if (c->severity != HS_SEV_NONE)
			c->confidence = confidence_of(d, c, n == 3 ? sums[1] :
			    NULL, &old_ids, churn);
	}
	idbits_free(&old_ids);
	qsort(d->classes, d->class_count, sizeof(*d->classes), cmp_rank);
	if (o->top > 0 && d->class_count > o->top) {
		for (i = o->top; i < d->class_count; i++)
			class_free(&d->classes[i]);
		d->classes_cut = d->class_count - o->top;
		d->class_count = o->top;
	}
	for (i = 0; i < d->class_count; i++)
		if (d->classes[i].present[HS_D_NEW] &&
		    describe_holders(&d->classes[i], sums[n - 1]) == -1)
			return oom(d);
	if (find_patterns(d, o->patterns, sums[n - 1]) == -1)
		return -1;
	return verdict(d);
}

/* ---- writing ---- */

static const char *const roles2[] = { "before", "", "after" };
static const char *const roles3[] = { "baseline", "target", "final" };

static void
write_header(struct hs_records *w, const struct hs_diff *d)
{
	size_t i;
	int k, first = 1;

	hs_rec_begin(w, "header");
	hs_rec_str(w, "format", HS_DIFF_FORMAT);
	hs_rec_u64(w, "version", HS_DIFF_VERSION);
	hs_rec_str(w, "producer", d->producer);
	hs_rec_str(w, "mode", d->ninputs == 3 ? "triple" : "pair");
	hs_rec_raw(w, ",\"inputs\":[");
	for (k = 0; k < 3; k++) {
		const struct hs_diff_input *in = &d->inputs[k];

		if (k == HS_D_MID && d->ninputs != 3)
			continue;
		hs_rec_raw(w, first ? "{\"role\":" : ",{\"role\":");
		first = 0;
		hs_rec_raw(w, "\"");
		hs_rec_raw(w, d->ninputs == 3 ? roles3[k] : roles2[k]);
		hs_rec_raw(w, "\"");
		hs_rec_str(w, "name", in->name ? in->name : "");
		hs_rec_str(w, "label", in->label);
		hs_rec_str(w, "session", in->session);
		hs_rec_str(w, "captured", in->captured);
		hs_rec_u64(w, "total_size", in->total_size);
		hs_rec_u64(w, "node_count", in->node_count);
		hs_rec_u64(w, "max_object_id", in->max_object_id);
		hs_rec_bool(w, "ids", in->has_ids);
		hs_rec_raw(w, "}");
	}
	hs_rec_raw(w, "]");
	hs_rec_bool(w, "same_process", d->same_process);
	hs_rec_bool(w, "ids_used", d->ids_used);
	hs_rec_str(w, "ids_skipped", d->ids_skipped);
	hs_rec_raw(w, ",\"thresholds\":{");
	if (hs_buf_printf(&w->line, "\"threshold\":%" PRIu64, d->threshold) ==
	    -1)
		w->failed = 1;
	hs_rec_num(w, "growth", d->growth);
	hs_rec_u64(w, "min_count", d->min_count);
	hs_rec_raw(w, "},\"classes\":{");
	if (hs_buf_printf(&w->line, "\"compared\":%" PRIu64,
	    d->classes_compared) == -1)
		w->failed = 1;
	hs_rec_u64(w, "filtered", d->classes_filtered);
	hs_rec_u64(w, "suppressed", d->classes_suppressed);
	hs_rec_u64(w, "cut", d->classes_cut);
	hs_rec_u64(w, "kept", d->class_count);
	hs_rec_raw(w, "},\"verdict\":{\"severity\":\"");
	hs_rec_raw(w, hs_severity_name(d->severity));
	hs_rec_raw(w, "\"");
	hs_rec_str(w, "total_severity", hs_severity_name(d->total_severity));
	hs_rec_bool(w, "leak", d->likely_source != NULL);
	hs_rec_i64(w, "total_growth", d->total_growth);
	hs_rec_bool(w, "suspicious", d->suspicious);
	hs_rec_str(w, "likely_source", d->likely_source);
	hs_rec_str(w, "likely_key", d->likely_key);
	hs_rec_num(w, "confidence", d->confidence);
	hs_rec_raw(w, ",\"recommendations\":[");
	for (i = 0; i < d->recommendation_count; i++) {
		if (i > 0)
			hs_rec_raw(w, ",");
		if (hs_json_quote(&w->line, d->recommendations[i],
		    strlen(d->recommendations[i])) == -1)
			w->failed = 1;
	}
	hs_rec_raw(w, "]}");
	hs_rec_end(w);
}

static void
put_figures(struct hs_records *w, const char *key, const struct hs_diff_class *c,
    int slot)
{
	if (hs_buf_printf(&w->line, ",\"%s\":{\"count\":%" PRIu64
	    ",\"self\":%" PRIu64 ",\"retained\":%" PRIu64 "}", key,
	    c->count[slot], c->self[slot], c->retained[slot]) == -1)
		w->failed = 1;
}

static void
write_class(struct hs_records *w, const struct hs_diff *d,
    const struct hs_diff_class *c)
{
	hs_rec_begin(w, "class");
	hs_rec_str(w, "key", c->key);
	hs_rec_str(w, "name", c->name);
	hs_rec_str(w, "old_key", c->old_key);
	hs_rec_str(w, "status", !c->present[HS_D_OLD] ? "new" :
	    !c->present[HS_D_NEW] ? "gone" : "kept");
	/* After's figures as a summary's, so that summary readers work. */
	hs_rec_u64(w, "count", c->count[HS_D_NEW]);
	hs_rec_u64(w, "self", c->self[HS_D_NEW]);
	hs_rec_u64(w, "retained", c->retained[HS_D_NEW]);
	put_figures(w, "before", c, HS_D_OLD);
	if (d->ninputs == 3)
		put_figures(w, "target", c, HS_D_MID);
	if (hs_buf_printf(&w->line, ",\"delta\":{\"count\":%" PRId64
	    ",\"self\":%" PRId64 ",\"retained\":%" PRId64 "}", c->delta_count,
	    c->delta_self, c->delta_retained) == -1)
		w->failed = 1;
	if (!c->is_new)
		hs_rec_num(w, "rate", c->rate);
	if (d->ids_used) {
		if (hs_buf_printf(&w->line, ",\"new\":{\"count\":%" PRIu64
		    ",\"self\":%" PRIu64 "}", c->new_count, c->new_self) == -1)
			w->failed = 1;
		if (d->ninputs == 3 && hs_buf_printf(&w->line,
		    ",\"leaked\":{\"count\":%" PRIu64 ",\"self\":%" PRIu64 "}",
		    c->leaked_count, c->leaked_self) == -1)
			w->failed = 1;
	}
	hs_rec_str(w, "severity", hs_severity_name(c->severity));
	if (c->severity != HS_SEV_NONE)
		hs_rec_num(w, "confidence", c->confidence);
	hs_rec_num(w, "score", c->score);
	hs_rec_str(w, "held_by", c->held_by);
	hs_rec_str(w, "path", c->path);
	hs_rec_end(w);
}

static void
write_pattern(struct hs_records *w, const struct hs_diff_pattern *p)
{
	hs_rec_begin(w, "pattern");
	hs_rec_str(w, "id", p->id);
	hs_rec_str(w, "key", p->key);
	hs_rec_str(w, "name", p->name);
	hs_rec_str(w, "matched", p->matched);
	hs_rec_str(w, "recommendation", p->recommendation);
	hs_rec_end(w);
}

int
hs_diff_write(struct hs_diff *d, hs_write_fn fn, void *sink, int level)
{
	struct hs_records w;
	size_t i;

	d->err[0] = '\0';
	/* Level -1: plain JSON lines (readable where a pipe ends in a log). */
	if (hs_rec_open(&w, level > 0 ? level : level < 0 ? -1 : 6, fn,
	    sink) == -1)
		return oom(d);
	write_header(&w, d);
	for (i = 0; i < d->class_count && !w.failed; i++)
		write_class(&w, d, &d->classes[i]);
	for (i = 0; i < d->pattern_count && !w.failed; i++)
		write_pattern(&w, &d->patterns[i]);
	return hs_rec_close(&w, d->err, sizeof(d->err));
}

/* ---- reading ---- */

static int
get_u64(const struct hs_jv *o, const char *key, uint64_t *out)
{
	int64_t v;

	if (hs_jv_get_int(o, key, 0, INT64_MAX, &v) == -1)
		return -1;
	*out = (uint64_t)v;
	return 0;
}

static int
get_i64(const struct hs_jv *o, const char *key, int64_t *out)
{
	return hs_jv_get_int(o, key, INT64_MIN, INT64_MAX, out);
}

static int
get_severity(const struct hs_jv *o, const char *key, enum hs_severity *s)
{
	const char *v = hs_jv_get_str(o, key);

	return v != NULL ? hs_severity_parse(v, s) : -1;
}

static int
read_header(struct hs_diff *d, const struct hs_jv *h)
{
	const struct hs_jv *ins = hs_jv_get(h, "inputs"),
	    *th = hs_jv_get(h, "thresholds"), *cl = hs_jv_get(h, "classes"),
	    *v = hs_jv_get(h, "verdict"), *recs, *x;
	const char *mode = hs_jv_get_str(h, "mode");
	size_t i;
	int ok = 1;

	if (mode == NULL || ins == NULL || ins->kind != HS_JV_ARRAY ||
	    th == NULL || v == NULL)
		return -1;
	d->ninputs = strcmp(mode, "triple") == 0 ? 3 : 2;
	if (ins->len != (size_t)d->ninputs)
		return -1;
	for (i = 0; i < ins->len; i++) {
		int slot = i == 0 ? HS_D_OLD : i + 1 == ins->len ? HS_D_NEW :
		    HS_D_MID;
		struct hs_diff_input *in = &d->inputs[slot];
		const struct hs_jv *o = &ins->items[i];

		in->name = dup_or_null(hs_jv_get_str(o, "name"), &ok);
		in->label = dup_or_null(hs_jv_get_str(o, "label"), &ok);
		in->session = dup_or_null(hs_jv_get_str(o, "session"), &ok);
		in->captured = dup_or_null(hs_jv_get_str(o, "captured"), &ok);
		if (in->name == NULL || get_u64(o, "total_size",
		    &in->total_size) == -1 || get_u64(o, "node_count",
		    &in->node_count) == -1 || get_u64(o, "max_object_id",
		    &in->max_object_id) == -1)
			return ok ? -1 : -2;
		x = hs_jv_get(o, "ids");
		in->has_ids = x != NULL && x->kind == HS_JV_BOOL && x->boolean;
	}
	x = hs_jv_get(h, "same_process");
	d->same_process = x != NULL && x->kind == HS_JV_BOOL && x->boolean;
	x = hs_jv_get(h, "ids_used");
	d->ids_used = x != NULL && x->kind == HS_JV_BOOL && x->boolean;
	d->ids_skipped = dup_or_null(hs_jv_get_str(h, "ids_skipped"), &ok);
	d->producer = dup_or_null(hs_jv_get_str(h, "producer"), &ok);
	if (get_u64(th, "threshold", &d->threshold) == -1 ||
	    get_u64(th, "min_count", &d->min_count) == -1)
		return -1;
	d->growth = hs_jv_get_num(th, "growth", 0);
	if (cl != NULL) {
		get_u64(cl, "compared", &d->classes_compared);
		get_u64(cl, "filtered", &d->classes_filtered);
		get_u64(cl, "suppressed", &d->classes_suppressed);
		get_u64(cl, "cut", &d->classes_cut);
	}
	if (get_severity(v, "severity", &d->severity) == -1 ||
	    get_severity(v, "total_severity", &d->total_severity) == -1 ||
	    get_i64(v, "total_growth", &d->total_growth) == -1)
		return -1;
	x = hs_jv_get(v, "suspicious");
	d->suspicious = x != NULL && x->kind == HS_JV_BOOL && x->boolean;
	d->likely_source = dup_or_null(hs_jv_get_str(v, "likely_source"),
	    &ok);
	d->likely_key = dup_or_null(hs_jv_get_str(v, "likely_key"), &ok);
	d->confidence = hs_jv_get_num(v, "confidence", 0);
	recs = hs_jv_get(v, "recommendations");
	for (i = 0; recs != NULL && recs->kind == HS_JV_ARRAY &&
	    i < recs->len; i++)
		if (recs->items[i].kind == HS_JV_STRING &&
		    add_recommendation(d, recs->items[i].str) == -1)
			return -2;
	return ok ? 0 : -2;
}

static int
read_figures(const struct hs_jv *o, struct hs_diff_class *c, int slot)
{
	if (o == NULL)
		return -1;
	if (get_u64(o, "count", &c->count[slot]) == -1 ||
	    get_u64(o, "self", &c->self[slot]) == -1 ||
	    get_u64(o, "retained", &c->retained[slot]) == -1)
		return -1;
	return 0;
}

static int
read_class(struct hs_diff *d, const struct hs_jv *r)
{
	const char *key = hs_jv_get_str(r, "key"),
	    *name = hs_jv_get_str(r, "name"),
	    *status = hs_jv_get_str(r, "status");
	const struct hs_jv *delta = hs_jv_get(r, "delta"), *x;
	struct hs_diff_class *c;
	int ok = 1;

	if (key == NULL || name == NULL || status == NULL || delta == NULL)
		return -1;
	if ((c = add_class(d, key, name)) == NULL)
		return -2;
	c->old_key = dup_or_null(hs_jv_get_str(r, "old_key"), &ok);
	c->held_by = dup_or_null(hs_jv_get_str(r, "held_by"), &ok);
	c->path = dup_or_null(hs_jv_get_str(r, "path"), &ok);
	if (!ok)
		return -2;
	if (read_figures(r, c, HS_D_NEW) == -1 ||
	    read_figures(hs_jv_get(r, "before"), c, HS_D_OLD) == -1 ||
	    (d->ninputs == 3 && read_figures(hs_jv_get(r, "target"), c,
	    HS_D_MID) == -1) ||
	    get_i64(delta, "count", &c->delta_count) == -1 ||
	    get_i64(delta, "self", &c->delta_self) == -1 ||
	    get_i64(delta, "retained", &c->delta_retained) == -1 ||
	    get_severity(r, "severity", &c->severity) == -1)
		return -1;
	c->present[HS_D_OLD] = strcmp(status, "new") != 0;
	c->present[HS_D_NEW] = strcmp(status, "gone") != 0;
	c->present[HS_D_MID] = d->ninputs == 3;
	x = hs_jv_get(r, "rate");
	c->is_new = x == NULL;
	c->rate = hs_jv_get_num(r, "rate", 0);
	if ((x = hs_jv_get(r, "new")) != NULL &&
	    (get_u64(x, "count", &c->new_count) == -1 ||
	    get_u64(x, "self", &c->new_self) == -1))
		return -1;
	if ((x = hs_jv_get(r, "leaked")) != NULL &&
	    (get_u64(x, "count", &c->leaked_count) == -1 ||
	    get_u64(x, "self", &c->leaked_self) == -1))
		return -1;
	c->confidence = hs_jv_get_num(r, "confidence", 0);
	c->score = hs_jv_get_num(r, "score", 0);
	return 0;
}

static int
read_pattern(struct hs_diff *d, const struct hs_jv *r)
{
	struct hs_diff_pattern *p;
	int ok = 1;

	if (hs_jv_get_str(r, "id") == NULL || hs_jv_get_str(r, "key") ==
	    NULL)
		return -1;
	if (hs_grow(&d->patterns, &d->pattern_cap, d->pattern_count + 1,
	    sizeof(*d->patterns)) == -1)
		return -2;
	p = &d->patterns[d->pattern_count++];
	memset(p, 0, sizeof(*p));
	p->id = dup_or_null(hs_jv_get_str(r, "id"), &ok);
	p->key = dup_or_null(hs_jv_get_str(r, "key"), &ok);
	p->name = dup_or_null(hs_jv_get_str(r, "name"), &ok);
	p->matched = dup_or_null(hs_jv_get_str(r, "matched"), &ok);
	p->recommendation = dup_or_null(hs_jv_get_str(r, "recommendation"),
	    &ok);
	return ok ? 0 : -2;
}

/* One line of a diff; line_off is its offset in the decompressed text. */
static int
diff_line(struct hs_diff *d, int *have_header, const char *line, size_t len,
    uint64_t off, char *err, size_t errlen)
{
	const char *type, *format, *what;
	struct hs_jv *r;
	int64_t version;
	int rc = 0;

	if ((r = hs_jv_parse(line, len, off, HS_LINE_MAX * 4, err, errlen)) ==
	    NULL)
		return -1;
	if (r->kind != HS_JV_OBJECT || (type = hs_jv_get_str(r, "type")) ==
	    NULL) {
		hs_jv_free(r);
		snprintf(err, errlen, "byte %" PRIu64 ": expected a record "
		    "with a \"type\"", off);
		return -1;
	}
	if (!*have_header) {
		format = hs_jv_get_str(r, "format");
		if (strcmp(type, "header") != 0 || format == NULL ||
		    hs_jv_get_int(r, "version", 0, INT32_MAX, &version) ==
		    -1) {
			hs_jv_free(r);
			snprintf(err, errlen, "byte %" PRIu64 ": expected an "
			    "hs-diff header", off);
			return -1;
		}
		if (strcmp(format, HS_DIFF_FORMAT) != 0) {
			snprintf(err, errlen, "this is an %s file, not an "
			    "hs-diff%s", format, strcmp(format,
			    HS_SUMMARY_FORMAT) == 0 ? " (run hs-diff on two "
			    "summaries first)" : "");
			hs_jv_free(r);
			return -1;
		}
		if (version > HS_DIFF_VERSION) {
			hs_jv_free(r);
			snprintf(err, errlen, "hs-diff version %" PRId64 " is "
			    "newer than this hs reads (%d): upgrade hs",
			    version, HS_DIFF_VERSION);
			return -1;
		}
		*have_header = 1;
		rc = read_header(d, r);
		what = "expected an hs-diff header with mode, inputs, "
		    "thresholds and verdict";
	} else if (strcmp(type, "class") == 0) {
		rc = read_class(d, r);
		what = "expected a class record with key, name, status, "
		    "figures and severity";
	} else if (strcmp(type, "pattern") == 0) {
		rc = read_pattern(d, r);
		what = "expected a pattern record with id and key";
	} else {
		what = "";	/* a record type for a later version */
	}
	hs_jv_free(r);
	if (rc == -2)
		snprintf(err, errlen, "out of memory");
	else if (rc == -1)
		snprintf(err, errlen, "byte %" PRIu64 ": %s", off, what);
	return rc == 0 ? 0 : -1;
}

struct diff_read {
	struct hs_diff	*d;
	int		 have_header;
};

static int
read_diff_line(void *arg, const char *line, size_t len, uint64_t off,
    char *err, size_t errlen)
{
	struct diff_read *c = arg;

	return diff_line(c->d, &c->have_header, line, len, off, err, errlen);
}

struct hs_diff *
hs_diff_read(const char *path, char *err, size_t errlen)
{
	struct diff_read c = { NULL, 0 };
	uint64_t bytes;

	if ((c.d = hs_diff_new()) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (hs_lines_read(path, "diff", "this is a heap snapshot, not an "
	    "hs-diff (run hs-summarize and hs-diff first)", read_diff_line, &c,
	    &bytes, err, errlen) == -1) {
		hs_diff_free(c.d);
		return NULL;
	}
	if (!c.have_header) {
		snprintf(err, errlen, "byte 0: expected an hs-diff header, "
		    "found %s", bytes == 0 ? "empty input" : "no records");
		hs_diff_free(c.d);
		return NULL;
	}
	return c.d;
}

/* ---- text ---- */

/* "+1.2 MB", "-512 B", "0 B": decimal units as hs-report's. */
static char *
signed_size(int64_t v, char *buf, size_t len)
{
	char tmp[32];
	uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	hs_report_size(a, tmp, sizeof(tmp));
	snprintf(buf, len, "%s%s", v > 0 ? "+" : v < 0 ? "-" : "", tmp);
	return buf;
}

static const char *
input_name(const struct hs_diff_input *in)
{
	return in->name ? in->name : "?";
}

/* Control characters in names are escaped, so a name cannot drive a tty. */
static int
add_name(struct hs_buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f) {
			if (hs_buf_printf(b, "\\x%02x", c) == -1)
				return -1;
		} else if (hs_buf_addc(b, (char)c) == -1)
			return -1;
	}
	return 0;
}

int
hs_diff_text(const struct hs_diff *d, size_t top, struct hs_buf *b)
{
	const struct hs_diff_input *a = &d->inputs[HS_D_OLD],
	    *z = &d->inputs[HS_D_NEW];
	char s1[48], s2[48], s3[48];
	size_t i, n;
	int e = 0;

	e |= hs_buf_adds(b, "hs-diff: ");
	e |= add_name(b, input_name(a));
	if (d->ninputs == 3) {
		e |= hs_buf_adds(b, " -> ");
		e |= add_name(b, input_name(&d->inputs[HS_D_MID]));
	}
	e |= hs_buf_adds(b, " -> ");
	e |= add_name(b, input_name(z));
	e |= hs_buf_printf(b, " (%s, %s)\n", d->ninputs == 3 ? "triple" :
	    "pair", d->ids_used ? "object ids compared" :
	    "object ids not compared");
	e |= hs_buf_printf(b, "verdict: %s, severity %s, confidence %.2f\n",
	    d->likely_source ? "leak" : d->suspicious ? "suspicious" :
	    "no leak", hs_severity_name(d->severity), d->confidence);
	e |= hs_buf_printf(b, "total: %s (%s -> %s)\n",
	    signed_size(d->total_growth, s1, sizeof(s1)),
	    hs_report_size(a->total_size, s2, sizeof(s2)),
	    hs_report_size(z->total_size, s3, sizeof(s3)));
	if (d->likely_source != NULL) {
		e |= hs_buf_adds(b, "likely source: ");
		e |= add_name(b, d->likely_source);
		e |= hs_buf_adds(b, "\n");
		for (i = 0; i < d->class_count; i++) {
			const struct hs_diff_class *c = &d->classes[i];

			if (d->likely_key == NULL ||
			    strcmp(c->key, d->likely_key) != 0)
				continue;
			if (c->held_by != NULL) {
				e |= hs_buf_adds(b, "  ");
				e |= add_name(b, c->held_by);
				e |= hs_buf_adds(b, "\n");
			}
			break;
		}
	}
	for (i = 0; i < d->pattern_count; i++) {
		e |= hs_buf_printf(b, "pattern: %s on ", d->patterns[i].id);
		e |= add_name(b, d->patterns[i].name ? d->patterns[i].name :
		    "?");
		e |= hs_buf_adds(b, "\n");
	}
	for (i = 0; i < d->recommendation_count; i++)
		e |= hs_buf_printf(b, "- %s\n", d->recommendations[i]);
	e |= hs_buf_printf(b, "\n%-8s %10s %10s %8s", "severity", "retained",
	    "change", "count");
	if (d->ids_used)
		e |= hs_buf_printf(b, " %8s", "new");
	if (d->ids_used && d->ninputs == 3)
		e |= hs_buf_printf(b, " %8s", "leaked");
	e |= hs_buf_adds(b, "  class\n");
	n = top > 0 && top < d->class_count ? top : d->class_count;
	for (i = 0; i < n; i++) {
		const struct hs_diff_class *c = &d->classes[i];

		e |= hs_buf_printf(b, "%-8s %10s %10s %+8" PRId64,
		    c->severity == HS_SEV_NONE ? "-" :
		    hs_severity_name(c->severity),
		    hs_report_size(c->retained[HS_D_NEW], s1, sizeof(s1)),
		    signed_size(c->delta_retained, s2, sizeof(s2)),
		    c->delta_count);
		if (d->ids_used)
			e |= hs_buf_printf(b, " %8" PRIu64, c->new_count);
		if (d->ids_used && d->ninputs == 3)
			e |= hs_buf_printf(b, " %8" PRIu64, c->leaked_count);
		e |= hs_buf_adds(b, "  ");
		e |= add_name(b, c->name);
		e |= hs_buf_adds(b, "\n");
	}
	if (n < d->class_count)
		e |= hs_buf_printf(b, "(%zu more classes)\n",
		    d->class_count - n);
	return e ? -1 : 0;
}

int
hs_diff_class_text(const struct hs_diff *d, const struct hs_diff_class *c,
    struct hs_buf *b)
{
	char s1[48], s2[48], s3[48];
	size_t i;
	int e = 0;

	e |= hs_buf_adds(b, "class ");
	e |= add_name(b, c->name);
	e |= hs_buf_adds(b, " (key ");
	e |= add_name(b, c->key);
	e |= hs_buf_adds(b, ")\n");
	e |= hs_buf_printf(b, "retained: %s -> %s (%s",
	    hs_report_size(c->retained[HS_D_OLD], s1, sizeof(s1)),
	    hs_report_size(c->retained[HS_D_NEW], s2, sizeof(s2)),
	    signed_size(c->delta_retained, s3, sizeof(s3)));
	if (!c->is_new)
		e |= hs_buf_printf(b, ", rate %.3f", c->rate);
	e |= hs_buf_printf(b, ")\ncount: %" PRIu64 " -> %" PRIu64 " (%+"
	    PRId64 ")\n", c->count[HS_D_OLD], c->count[HS_D_NEW],
	    c->delta_count);
	if (d->ids_used) {
		e |= hs_buf_printf(b, "new objects still alive: %" PRIu64
		    " (%s)\n", c->new_count, hs_report_size(c->new_self, s1,
		    sizeof(s1)));
		if (d->ninputs == 3)
			e |= hs_buf_printf(b, "leaked (allocated between "
			    "baseline and target, alive in final): %" PRIu64
			    " (%s)\n", c->leaked_count,
			    hs_report_size(c->leaked_self, s1, sizeof(s1)));
	}
	e |= hs_buf_printf(b, "severity: %s", hs_severity_name(c->severity));
	if (c->severity != HS_SEV_NONE)
		e |= hs_buf_printf(b, ", confidence %.2f", c->confidence);
	e |= hs_buf_adds(b, "\n");
	if (c->held_by != NULL) {
		e |= add_name(b, c->held_by);
		e |= hs_buf_adds(b, "\n");
	}
	for (i = 0; i < d->pattern_count; i++) {
		if (strcmp(d->patterns[i].key, c->key) != 0)
			continue;
		e |= hs_buf_printf(b, "pattern %s: ", d->patterns[i].id);
		e |= add_name(b, d->patterns[i].recommendation ?
		    d->patterns[i].recommendation : "");
		e |= hs_buf_adds(b, "\n");
	}
	return e ? -1 : 0;
}

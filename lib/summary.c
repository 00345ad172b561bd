/*
 * summary: writing and reading hs-summary files (see summary.h and
 * man/hs-summary.5).
 */
#include <ctype.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "analyze.h"
#include "buf.h"
#include "input.h"
#include "json.h"
#include "jv.h"
#include "lines.h"
#include "scan.h"
#include "snapshot.h"
#include "records.h"
#include "summary.h"
#include "zstdio.h"

/* ---- writing ---- */

static const struct {
	unsigned	 bit;
	const char	*name;
} section_names[] = {
	{ HS_SEC_DETACHEDNESS, "detachedness" },
	{ HS_SEC_EXTRA_NATIVE_BYTES, "extra_native_bytes" },
	{ HS_SEC_LOCATIONS, "locations" },
	{ HS_SEC_SAMPLES, "samples" },
	{ HS_SEC_SCOPES, "scopes" },
	{ HS_SEC_TRACE_FUNCTION_INFOS, "trace_function_infos" },
	{ HS_SEC_TRACE_NODE_ID, "trace_node_id" },
	{ HS_SEC_TRACE_TREE, "trace_tree" },
};

/* Classes with counted objects: the ones that get a class record. */
static uint64_t
counted_classes(const struct hs_analysis *a)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < a->class_count; i++)
		if (a->classes[i].count > 0)
			n++;
	return n;
}

static void
write_header(struct hs_records *w, const struct hs_analysis *a,
    const struct hs_summary_meta *m)
{
	const struct hs_snapshot *s = a->snap;
	size_t i, n = 0;

	hs_rec_begin(w, "header");
	hs_rec_str(w, "format", HS_SUMMARY_FORMAT);
	hs_rec_u64(w, "version", HS_SUMMARY_VERSION);
	hs_rec_str(w, "producer", "hs-summarize " HS_VERSION);
	hs_rec_raw(w, ",\"source\":{\"name\":");
	if (hs_json_quote(&w->line, m->source_name,
	    strlen(m->source_name)) == -1)
		w->failed = 1;
	if (m->source_bytes >= 0)
		hs_rec_i64(w, "bytes", m->source_bytes);
	hs_rec_u64(w, "json_bytes", s->text_bytes);
	hs_rec_raw(w, m->source_compressed ? ",\"compressed\":true}" :
	    ",\"compressed\":false}");
	if (m->label)
		hs_rec_str(w, "label", m->label);
	if (m->session)
		hs_rec_str(w, "session", m->session);
	if (m->captured)
		hs_rec_str(w, "captured", m->captured);
	hs_rec_str(w, "runtime", a->runtime);
	hs_rec_str(w, "conventions", a->opts.raw ? "raw" : "devtools");
	hs_rec_u64(w, "node_count", s->node_count);
	hs_rec_u64(w, "edge_count", s->edge_count);
	hs_rec_u64(w, "total_size", a->total_size);
	hs_rec_u64(w, "raw_self_total", a->raw_self_total);
	hs_rec_u64(w, "reachable_size", a->reachable_size);
	hs_rec_u64(w, "reachable_count", a->reachable_count);
	hs_rec_u64(w, "extra_native_bytes", s->extra_native_bytes);
	hs_rec_u64(w, "max_object_id", a->max_id);
	hs_rec_u64(w, "max_js_object_id", a->max_js_id);
	hs_rec_u64(w, "class_count", counted_classes(a));
	hs_rec_raw(w, ",\"sections\":[");
	for (i = 0; i < sizeof(section_names) / sizeof(section_names[0]);
	    i++) {
		if (!(s->sections & section_names[i].bit))
			continue;
		if (n++ > 0)
			hs_rec_raw(w, ",");
		hs_rec_raw(w, "\"");
		hs_rec_raw(w, section_names[i].name);
		hs_rec_raw(w, "\"");
	}
	hs_rec_raw(w, "]");
	hs_rec_raw(w, m->with_ids ? ",\"ids\":true" : ",\"ids\":false");
	hs_rec_raw(w, m->redacted ? ",\"redacted\":true" : ",\"redacted\":false");
	hs_rec_end(w);
}

static void
write_statistics(struct hs_records *w, const struct hs_analysis *a)
{
	const struct hs_statistics *st = &a->stats;
	uint64_t other = st->v8heap - st->code - st->strings - st->js_arrays -
	    st->system;

	hs_rec_begin(w, "statistics");
	hs_rec_u64(w, "total", st->total);
	hs_rec_u64(w, "v8heap", st->v8heap);
	hs_rec_u64(w, "native", st->native);
	hs_rec_u64(w, "code", st->code);
	hs_rec_u64(w, "strings", st->strings);
	hs_rec_u64(w, "js_arrays", st->js_arrays);
	hs_rec_u64(w, "typed_arrays", st->typed_arrays);
	hs_rec_u64(w, "system", st->system);
	/* What the Statistics view's pie calls "other": the rest. */
	hs_rec_u64(w, "other", st->v8heap >= st->code + st->strings +
	    st->js_arrays + st->system ? other : 0);
	hs_rec_end(w);
}

static void
put_location(struct hs_records *w, uint32_t script_id, uint32_t line,
    uint32_t column)
{
	if (hs_buf_printf(&w->line, ",\"location\":{\"script_id\":%" PRIu32
	    ",\"line\":%" PRIu32 ",\"column\":%" PRIu32 "}", script_id, line,
	    column) == -1)
		w->failed = 1;
}

static const struct hs_analysis *sort_a;

static int
cmp_class(const void *x, const void *y)
{
	const struct hs_class *p = &sort_a->classes[*(const uint32_t *)x];
	const struct hs_class *q = &sort_a->classes[*(const uint32_t *)y];

	if (p->retained != q->retained)
		return p->retained > q->retained ? -1 : 1;
	return strcmp(hs_analysis_key(sort_a, p->key),
	    hs_analysis_key(sort_a, q->key));
}

static void
write_classes(struct hs_records *w, const struct hs_analysis *a,
    const uint32_t *order, int detachedness)
{
	size_t i;

	for (i = 0; i < a->class_count && !w->failed; i++) {
		const struct hs_class *c = &a->classes[order[i]];

		if (c->count == 0)
			continue;
		hs_rec_begin(w, "class");
		hs_rec_str(w, "key", hs_analysis_key(a, c->key));
		hs_rec_str(w, "name", hs_analysis_name(a, c->name));
		if (c->has_location)
			put_location(w, c->script_id, c->line, c->column);
		hs_rec_u64(w, "count", c->count);
		hs_rec_u64(w, "self", c->self);
		hs_rec_u64(w, "raw_self", c->raw_self);
		hs_rec_u64(w, "retained", c->retained);
		hs_rec_u64(w, "max_retained", c->max_retained);
		hs_rec_i64(w, "distance", c->distance);
		if (detachedness)
			hs_rec_u64(w, "detached", c->detached);
		hs_rec_u64(w, "max_id", c->max_id);
		hs_rec_end(w);
	}
}

static void
write_sites(struct hs_records *w, const struct hs_analysis *a, const char *type,
    const struct hs_site *site, size_t n)
{
	size_t i;

	for (i = 0; i < n && !w->failed; i++) {
		hs_rec_begin(w, type);
		hs_rec_str(w, "function", hs_analysis_name(a, site[i].name));
		if (site[i].script != UINT32_MAX)
			hs_rec_str(w, "script", hs_analysis_name(a,
			    site[i].script));
		put_location(w, site[i].script_id, site[i].line,
		    site[i].column);
		hs_rec_u64(w, "count", site[i].count);
		hs_rec_u64(w, "self", site[i].self);
		if (site == a->closures)
			hs_rec_u64(w, "retained", site[i].retained);
		hs_rec_end(w);
	}
}

/* Retainer records, in the order of the class records. */
static void
write_retainers(struct hs_records *w, const struct hs_analysis *a,
    const uint32_t *order)
{
	size_t i, j, k, *start;

	if ((start = hs_alloc_array(a->class_count + 1, sizeof(*start))) ==
	    NULL) {
		w->failed = 1;
		return;
	}
	for (i = 0; i < a->class_count; i++)
		start[i] = SIZE_MAX;
	for (i = a->retainer_count; i-- > 0;)
		start[a->retainers[i].target] = i;
	for (k = 0; k < a->class_count && !w->failed; k++) {
		const struct hs_class *c = &a->classes[order[k]];

		if ((i = start[order[k]]) == SIZE_MAX)
			continue;
		hs_rec_begin(w, "retainers");
		hs_rec_str(w, "key", hs_analysis_key(a, c->key));
		hs_rec_raw(w, ",\"by\":[");
		for (j = i; j < a->retainer_count &&
		    a->retainers[j].target == order[k]; j++) {
			const struct hs_retainer *r = &a->retainers[j];
			const char *name = hs_analysis_name(a,
			    a->classes[r->source].name);

			hs_rec_raw(w, j > i ? ",{\"class\":" : "{\"class\":");
			if (hs_json_quote(&w->line, name, strlen(name)) == -1)
				w->failed = 1;
			hs_rec_str(w, "edge", hs_analysis_label(a, r->edge));
			hs_rec_u64(w, "count", r->count);
			hs_rec_u64(w, "retained", r->retained);
			hs_rec_raw(w, "}");
		}
		hs_rec_raw(w, "]");
		hs_rec_end(w);
	}
	hs_free(start);
}

static void
write_paths(struct hs_records *w, const struct hs_analysis *a)
{
	size_t i, j;

	for (i = 0; i < a->path_count && !w->failed; i++) {
		const struct hs_path *p = &a->paths[i];

		hs_rec_begin(w, "path");
		hs_rec_str(w, "key", hs_analysis_key(a,
		    a->classes[p->cls].key));
		hs_rec_u64(w, "object_id", p->object_id);
		hs_rec_u64(w, "retained", p->retained);
		hs_rec_raw(w, ",\"steps\":[");
		for (j = 0; j < p->len; j++) {
			const char *name = hs_analysis_name(a,
			    a->classes[p->steps[j].cls].name);

			hs_rec_raw(w, j > 0 ? ",{\"edge\":" : "{\"edge\":");
			if (hs_json_quote(&w->line, hs_analysis_label(a,
			    p->steps[j].edge), strlen(hs_analysis_label(a,
			    p->steps[j].edge))) == -1)
				w->failed = 1;
			hs_rec_str(w, "class", name);
			hs_rec_raw(w, "}");
		}
		hs_rec_raw(w, "]");
		hs_rec_end(w);
	}
}

/* Appends the decimal digits of v to the line (capacity ensured). */
static char *
put_digits(char *p, uint32_t v)
{
	char tmp[10];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

/* Writes n numbers as ",a,b,c" (no leading comma for the first). */
static void
put_numbers(struct hs_records *w, const uint32_t *v, size_t n, int deltas)
{
	char *p;
	size_t k;

	if (w->failed || hs_grow(&w->line.data, &w->line.cap,
	    w->line.len + n * 11 + 1, 1) == -1) {
		w->failed = 1;
		return;
	}
	p = w->line.data + w->line.len;
	for (k = 0; k < n; k++) {
		if (k > 0)
			*p++ = ',';
		p = put_digits(p, deltas && k > 0 ? v[k] - v[k - 1] : v[k]);
	}
	w->line.len = (size_t)(p - w->line.data);
}

/*
 * Ids as deltas: the first of each record is absolute.  The records are
 * numbered across the classes in order; this writes those from lo to hi.
 */
static void
write_ids(struct hs_records *w, const struct hs_analysis *a,
    const uint32_t *order, size_t lo, size_t hi)
{
	const struct hs_snapshot *s = a->snap;
	uint32_t *ids, *self;
	size_t i, j, k, n, r = 0;

	if (lo >= hi)
		return;
	if ((ids = hs_alloc_array(HS_IDS_PER_RECORD * 2,
	    sizeof(uint32_t))) == NULL) {
		w->failed = 1;
		return;
	}
	self = ids + HS_IDS_PER_RECORD;
	for (i = 0; i < a->class_count && r < hi && !w->failed; i++) {
		const struct hs_class *c = &a->classes[order[i]];
		size_t nrec = (c->count + HS_IDS_PER_RECORD - 1) /
		    HS_IDS_PER_RECORD;

		if (r + nrec <= lo) {
			r += nrec;
			continue;
		}
		for (j = 0; j < c->count && r < hi && !w->failed; j += n,
		    r++) {
			n = c->count - j;
			if (n > HS_IDS_PER_RECORD)
				n = HS_IDS_PER_RECORD;
			if (r < lo)
				continue;
			for (k = 0; k < n; k++) {
				ids[k] = s->node_id[c->members[j + k]];
				self[k] = a->self[c->members[j + k]];
			}
			hs_rec_begin(w, "ids");
			hs_rec_str(w, "key", hs_analysis_key(a, c->key));
			hs_rec_raw(w, ",\"ids\":[");
			put_numbers(w, ids, n, 1);
			hs_rec_raw(w, "],\"self\":[");
			put_numbers(w, self, n, 0);
			hs_rec_raw(w, "]");
			hs_rec_end(w);
		}
	}
	hs_free(ids);
}

/*
 * The ids records are most of a big summary's bytes and of the time it
 * takes to write it.  With at least IDS_SPLIT_MIN ids (or m->ids_split),
 * the second half of them (by ids, at a record's start) is compressed on a
 * thread of its own into memory, as a zstd frame of its own, while the
 * rest is written; it is appended after the first frame ends: zstd reads
 * concatenated frames as one stream.  Which records go where depends on
 * the counts alone.
 */
#define IDS_SPLIT_MIN	((uint64_t)1 << 20)

struct ids_job {
	const struct hs_analysis *a;
	const uint32_t	*order;
	size_t		 lo, hi;	/* records */
	int		 level;
	struct hs_buf	 out;
	int		 nomem;
	int		 ret;
	char		 err[256];
};

static int
job_sink(void *sink, const void *buf, size_t len)
{
	struct ids_job *job = sink;

	if (hs_buf_add(&job->out, buf, len) == -1) {
		job->nomem = 1;
		return -1;
	}
	return 0;
}

static void *
ids_thread(void *arg)
{
	struct ids_job *job = arg;
	struct hs_records w;

	if (hs_rec_open(&w, job->level, job_sink, job) == -1) {
		job->nomem = 1;
		job->ret = -1;
		return NULL;
	}
	write_ids(&w, job->a, job->order, job->lo, job->hi);
	job->ret = hs_rec_close(&w, job->err, sizeof(job->err));
	return NULL;
}

/*
 * The record where the second half of the ids starts (with at least
 * 'least' ids, else the end), and how many records there are.
 */
static size_t
ids_split(const struct hs_analysis *a, const uint32_t *order, uint64_t least,
    size_t *nrec)
{
	uint64_t total = 0, seen = 0;
	size_t i, r = 0, split = SIZE_MAX;

	for (i = 0; i < a->class_count; i++)
		total += a->classes[i].count;
	for (i = 0; i < a->class_count; i++) {
		uint64_t count = a->classes[order[i]].count, j;

		for (j = 0; j < count; j += HS_IDS_PER_RECORD, r++) {
			if (split == SIZE_MAX && seen + j >= total / 2)
				split = r;
		}
		seen += count;
	}
	*nrec = r;
	if (total < least || split == SIZE_MAX)
		return r;
	return split;
}

int
hs_summary_write(const struct hs_analysis *a, const struct hs_summary_meta *m,
    hs_write_fn fn, void *sink, char *err, size_t errlen)
{
	struct hs_records w;
	struct ids_job job;
	pthread_t thread;
	uint32_t *order;
	size_t i, split = 0, nrec = 0;
	int threaded = 0, ret;

	if ((order = hs_alloc_array(a->class_count + 1,
	    sizeof(*order))) == NULL ||
	    hs_rec_open(&w, m->level, fn, sink) == -1) {
		snprintf(err, errlen, "out of memory");
		hs_free(order);
		return -1;
	}
	for (i = 0; i < a->class_count; i++)
		order[i] = (uint32_t)i;
	sort_a = a;
	qsort(order, a->class_count, sizeof(*order), cmp_class);

	if (m->with_ids) {
		split = ids_split(a, order, m->ids_split ? m->ids_split :
		    IDS_SPLIT_MIN, &nrec);
		memset(&job, 0, sizeof(job));
		job.a = a;
		job.order = order;
		job.lo = split;
		job.hi = nrec;
		job.level = m->level;
		/* Without a thread, all in one frame. */
		if (split < nrec)
			threaded = pthread_create(&thread, NULL, ids_thread,
			    &job) == 0;
		if (!threaded)
			split = nrec;
	}
	write_header(&w, a, m);
	write_statistics(&w, a);
	write_classes(&w, a, order,
	    (a->snap->sections & HS_SEC_DETACHEDNESS) || a->is_browser);
	write_sites(&w, a, "closure", a->closures, a->closure_count);
	write_sites(&w, a, "allocation", a->allocations, a->allocation_count);
	write_retainers(&w, a, order);
	write_paths(&w, a);
	if (m->with_ids)
		write_ids(&w, a, order, 0, split);
	ret = hs_rec_close(&w, err, errlen);
	if (threaded) {
		pthread_join(thread, NULL);
		if (ret == 0 && (job.ret == -1 || job.nomem)) {
			snprintf(err, errlen, "%s", job.nomem ?
			    "out of memory" : job.err);
			ret = -1;
		} else if (ret == 0 &&
		    fn(sink, job.out.data, job.out.len) == -1) {
			snprintf(err, errlen, "%s", "");  /* the sink says */
			ret = -1;
		}
		hs_buf_free(&job.out);
	}
	hs_free(order);
	return ret;
}

/* ---- file names ---- */

static int
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return n > 0;
}

/* "YYYYMMDD" "HHMMSS" -> "YYYY-MM-DDTHH:MM:SS" (+ "Z" when utc). */
static int
iso_time(const char *d, const char *t, int utc, char *out, size_t outlen)
{
	int n = snprintf(out, outlen, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2s%s",
	    d, d + 4, d + 6, t, t + 2, t + 4, utc ? "Z" : "");

	return n > 0 && (size_t)n < outlen ? 0 : -1;
}

int
hs_summary_parse_filename(const char *path, struct hs_summary_meta *m,
    char *buf, size_t buflen)
{
	const char *base = strrchr(path, '/');
	char name[256], *p, *parts[8];
	size_t len, nparts = 0, used = 0;

	base = base ? base + 1 : path;
	if (strlen(base) >= sizeof(name))
		return 0;
	strcpy(name, base);
	len = strlen(name);
	if (len > 4 && strcmp(name + len - 4, ".zst") == 0)
		name[len -= 4] = '\0';
	if (len > 13 && strcmp(name + len - 13, ".heapsnapshot") == 0)
		name[len -= 13] = '\0';
	else
		return 0;

#define KEEP(field, s) do { \
	size_t l_ = strlen(s) + 1; \
	if (m->field == NULL && used + l_ <= buflen) { \
		memcpy(buf + used, s, l_); \
		m->field = buf + used; \
		used += l_; \
	} \
} while (0)

	/* Heap.YYYYMMDD.HHMMSS.PID.0.SEQ */
	if (strncmp(name, "Heap.", 5) == 0) {
		for (p = strtok(name, "."); p && nparts < 8;
		    p = strtok(NULL, "."))
			parts[nparts++] = p;
		if (nparts == 6 && strlen(parts[1]) == 8 &&
		    all_digits(parts[1], 8) && strlen(parts[2]) == 6 &&
		    all_digits(parts[2], 6) && all_digits(parts[3],
		    strlen(parts[3]))) {
			char t[32];

			if (iso_time(parts[1], parts[2], 0, t, sizeof(t)) == 0)
				KEEP(captured, t);
			KEEP(session, parts[3]);
			return 1;
		}
		return 0;
	}
	/* session_<id>_<label>_<YYYYMMDDTHHMMSSZ> */
	if (strncmp(name, "session_", 8) == 0) {
		char *id = name + 8, *time = strrchr(name, '_'), *label;

		if (time == NULL || time <= id)
			return 0;
		*time++ = '\0';
		if ((label = strchr(id, '_')) == NULL)
			return 0;
		*label++ = '\0';
		if (*id == '\0' || *label == '\0')
			return 0;
		if (strlen(time) == 16 && time[8] == 'T' && time[15] == 'Z' &&
		    all_digits(time, 8) && all_digits(time + 9, 6)) {
			char t[32];

			if (iso_time(time, time + 9, 1, t, sizeof(t)) == 0)
				KEEP(captured, t);
		}
		KEEP(session, id);
		KEEP(label, label);
		return 1;
	}
#undef KEEP
	return 0;
}

/* ---- reading ---- */


static int
class_from(struct hs_summary_class *c, const struct hs_jv *r)
{
	const struct hs_jv *loc = hs_jv_get(r, "location");
	const char *key = hs_jv_get_str(r, "key"),
	    *name = hs_jv_get_str(r, "name");
	int64_t v;

	memset(c, 0, sizeof(*c));
	if (key == NULL || name == NULL)
		return -1;
	if ((c->key = hs_strdup(key)) == NULL ||
	    (c->name = hs_strdup(name)) == NULL)
		return -2;	/* out of memory */
#define U64(field) do { \
	if (hs_jv_get_int(r, #field, 0, INT64_MAX, &v) == -1) \
		return -1; \
	c->field = (uint64_t)v; \
} while (0)
	U64(count);
	U64(self);
	U64(retained);
	if (hs_jv_get(r, "raw_self") != NULL)
		U64(raw_self);
	if (hs_jv_get(r, "max_retained") != NULL)
		U64(max_retained);
	if (hs_jv_get(r, "detached") != NULL)
		U64(detached);
#undef U64
	if (hs_jv_get_int(r, "distance", INT32_MIN, INT64_MAX, &v) == 0)
		c->distance = v;
	if (hs_jv_get_int(r, "max_id", 0, UINT32_MAX, &v) == 0)
		c->max_id = (uint32_t)v;
	if (loc != NULL) {
		int64_t s, l, col;

		if (hs_jv_get_int(loc, "script_id", 0, UINT32_MAX, &s) == -1 ||
		    hs_jv_get_int(loc, "line", 0, UINT32_MAX, &l) == -1 ||
		    hs_jv_get_int(loc, "column", 0, UINT32_MAX, &col) == -1)
			return -1;
		c->has_location = 1;
		c->script_id = (uint32_t)s;
		c->line = (uint32_t)l;
		c->column = (uint32_t)col;
	}
	return 0;
}

/*
 * Makes room for n more ids.  The arrays grow with the ids actually read,
 * never on the word of a class record's count alone (a hostile summary
 * could declare billions): at a class's first ids record, room for as many
 * as the count says, but no more than IDS_AHEAD times as many as that
 * record holds.  A big class's ids come in many records, and growing its
 * arrays record by record copied them over and over while they were
 * small.
 */
#define IDS_AHEAD	64

static int
ids_room(struct hs_summary_class *c, size_t n)
{
	size_t cap = c->id_cap, want = c->id_count + n;

	if (want <= cap)
		return 0;
	if (cap == 0) {
		uint64_t room = (uint64_t)n * IDS_AHEAD;

		if (room > c->count)
			room = c->count;
		if (room > want && room <= SIZE_MAX)
			want = (size_t)room;
	}
	if (hs_grow(&c->ids, &cap, want, sizeof(uint32_t)) == -1)
		return -1;
	cap = c->id_cap;
	if (hs_grow(&c->id_self, &cap, want, sizeof(uint32_t)) == -1)
		return -1;
	c->id_cap = cap;
	return 0;
}

/* An ids record parsed as any JSON: 0, -1 when bad, -2 out of memory. */
static int
ids_into(struct hs_summary_class *c, const struct hs_jv *r)
{
	const struct hs_jv *ids = hs_jv_get(r, "ids"), *self = hs_jv_get(r,
	    "self");
	uint64_t prev;
	size_t i, n;

	if (ids == NULL || self == NULL || ids->kind != HS_JV_ARRAY ||
	    self->kind != HS_JV_ARRAY || ids->len != self->len)
		return -1;
	n = ids->len;
	if (c->id_count + n > (size_t)c->count)
		return -1;
	if (ids_room(c, n) == -1)
		return -2;
	prev = 0;
	for (i = 0; i < n; i++) {
		const struct hs_jv *x = &ids->items[i], *y = &self->items[i];
		uint64_t id;

		if (x->kind != HS_JV_NUMBER || !x->is_integer ||
		    x->integer < 0 || y->kind != HS_JV_NUMBER ||
		    !y->is_integer || y->integer < 0 ||
		    y->integer > UINT32_MAX)
			return -1;
		id = (i == 0 ? 0 : prev) + (uint64_t)x->integer;
		if (id > UINT32_MAX)
			return -1;
		prev = id;
		c->ids[c->id_count] = (uint32_t)id;
		c->id_self[c->id_count++] = (uint32_t)y->integer;
	}
	return 0;
}

const struct hs_summary_class *
hs_summary_find(const struct hs_summary *s, const char *key)
{
	size_t i;

	for (i = 0; i < s->class_count; i++)
		if (strcmp(s->classes[i].key, key) == 0)
			return &s->classes[i];
	return NULL;
}

/* Finds a class by key for ids records: classes are few, so a scan. */
static struct hs_summary_class *
find_mut(struct hs_summary *s, const char *key, size_t *hint)
{
	size_t i;

	if (*hint < s->class_count && strcmp(s->classes[*hint].key, key) == 0)
		return &s->classes[*hint];
	for (i = 0; i < s->class_count; i++)
		if (strcmp(s->classes[i].key, key) == 0) {
			*hint = i;
			return &s->classes[i];
		}
	return NULL;
}

const char *
hs_summary_kind(const struct hs_summary *s)
{
	const char *f = hs_jv_get_str(s->header, "format");

	return f ? f : "";
}

static int
read_fail(char *err, size_t errlen, uint64_t off, const char *msg)
{
	snprintf(err, errlen, "byte %" PRIu64 ": %s", off, msg);
	return -1;
}

/* Collects the integers of one array for ids_fast(). */
static int
u32vec_sink(void *ctx, const uint32_t *values, size_t n, size_t *bad)
{
	struct hs_u32vec *vec = ctx;

	*bad = 0;
	if (hs_grow(&vec->v, &vec->cap, vec->n + n, sizeof(uint32_t)) == -1)
		return -1;
	memcpy(vec->v + vec->n, values, n * sizeof(uint32_t));
	vec->n += n;
	return 0;
}

/* Scans one integer array whose '[' is at *pos; moves *pos past ']'. */
static int
scan_array(const char *line, size_t len, size_t *pos, struct hs_u32vec *vec)
{
	struct hs_intscan is;
	size_t used;

	if (*pos >= len || line[*pos] != '[')
		return -1;
	(*pos)++;
	vec->n = 0;
	hs_intscan_init(&is, u32vec_sink, vec);
	if (hs_intscan_run(&is, (const unsigned char *)line + *pos,
	    len - *pos, 0, &used) != 1)
		return -1;
	*pos += used;
	return 0;
}

static int
expect(const char *line, size_t len, size_t *pos, const char *lit)
{
	size_t n = strlen(lit);

	if (len - *pos < n || memcmp(line + *pos, lit, n) != 0)
		return -1;
	*pos += n;
	return 0;
}

/*
 * An ids record as hs-summarize writes it, read without building a tree:
 * on the summary of a 1 GB snapshot, millions of numbers.  Returns 1 when
 * the line was taken, 0 when it is laid out otherwise (the caller then
 * parses it as any JSON), -1 on a bad record, -2 when memory ran out.  The
 * integer scanner is as strict as JSON.
 */
static int
ids_fast(struct hs_summary *sum, const char *line, size_t len, size_t *hint,
    struct hs_u32vec *ids, struct hs_u32vec *self)
{
	static const char head[] = "{\"type\":\"ids\",\"key\":\"";
	struct hs_summary_class *c;
	size_t pos = sizeof(head) - 1, kstart, i;
	char key[HS_NAME_MAX + 64];
	uint64_t id = 0;

	if (len < pos || memcmp(line, head, pos) != 0)
		return 0;
	for (kstart = pos; pos < len && line[pos] != '"'; pos++)
		if (line[pos] == '\\' || (unsigned char)line[pos] < 0x20)
			return 0;	/* escapes: the general path */
	if (pos >= len || pos - kstart >= sizeof(key))
		return 0;
	memcpy(key, line + kstart, pos - kstart);
	key[pos - kstart] = '\0';
	pos++;
	if (expect(line, len, &pos, ",\"ids\":") == -1 ||
	    scan_array(line, len, &pos, ids) == -1 ||
	    expect(line, len, &pos, ",\"self\":") == -1 ||
	    scan_array(line, len, &pos, self) == -1 ||
	    expect(line, len, &pos, "}") == -1 || pos != len)
		return 0;
	if ((c = find_mut(sum, key, hint)) == NULL || ids->n != self->n ||
	    c->id_count + ids->n > (size_t)c->count)
		return -1;
	if (ids_room(c, ids->n) == -1)
		return -2;
	for (i = 0; i < ids->n; i++) {
		id = (i == 0 ? 0 : id) + ids->v[i];
		if (id > UINT32_MAX)
			return -1;
		c->ids[c->id_count] = (uint32_t)id;
		c->id_self[c->id_count++] = self->v[i];
	}
	return 1;
}

/* Handles one line (line_off: its offset in the decompressed text). */
static int
summary_line(struct hs_summary *sum, const char *line, size_t len,
    uint64_t line_off, size_t *cap_classes, size_t *cap_records,
    size_t *hint, char *err, size_t errlen)
{
	struct hs_jv *r;
	const char *type;
	int64_t version;
	int rc;

	if (sum->header != NULL) {
		int fast = ids_fast(sum, line, len, hint, &sum->scratch_ids,
		    &sum->scratch_self);

		if (fast == 1)
			return 0;
		if (fast == -2) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		if (fast == -1)
			return read_fail(err, errlen, line_off,
			    "expected an ids record for a known class");
	}
	if ((r = hs_jv_parse(line, len, line_off, HS_LINE_MAX * 4, err,
	    errlen)) == NULL)
		return -1;
	if (r->kind != HS_JV_OBJECT ||
	    (type = hs_jv_get_str(r, "type")) == NULL) {
		hs_jv_free(r);
		return read_fail(err, errlen, line_off,
		    "expected a record with a \"type\"");
	}
	if (sum->header == NULL) {
		const char *format = hs_jv_get_str(r, "format");

		if (strcmp(type, "header") != 0 || format == NULL) {
			hs_jv_free(r);
			return read_fail(err, errlen, line_off,
			    "expected an hs-summary header");
		}
		if (hs_jv_get_int(r, "version", 0, INT32_MAX, &version) ==
		    -1) {
			hs_jv_free(r);
			return read_fail(err, errlen, line_off,
			    "expected a format version in the header");
		}
		if (strcmp(format, HS_SUMMARY_FORMAT) == 0 &&
		    version > HS_SUMMARY_VERSION) {
			hs_jv_free(r);
			snprintf(err, errlen, "hs-summary version %" PRId64
			    " is newer than this hs reads (%d): upgrade hs",
			    version, HS_SUMMARY_VERSION);
			return -1;
		}
		sum->header = r;
		sum->has_ids = hs_jv_get(r, "ids") != NULL &&
		    hs_jv_get(r, "ids")->kind == HS_JV_BOOL &&
		    hs_jv_get(r, "ids")->boolean;
		return 0;
	}
	if (strcmp(type, "class") == 0) {
		if (hs_grow(&sum->classes, cap_classes, sum->class_count + 1,
		    sizeof(*sum->classes)) == -1) {
			hs_jv_free(r);
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		if ((rc = class_from(&sum->classes[sum->class_count], r)) !=
		    0) {
			hs_free(sum->classes[sum->class_count].key);
			hs_free(sum->classes[sum->class_count].name);
			hs_jv_free(r);
			if (rc == -2) {
				snprintf(err, errlen, "out of memory");
				return -1;
			}
			return read_fail(err, errlen, line_off,
			    "expected a class record with key, name, count, "
			    "self and retained");
		}
		sum->class_count++;
		hs_jv_free(r);
		return 0;
	}
	if (strcmp(type, "ids") == 0) {
		const char *key = hs_jv_get_str(r, "key");
		struct hs_summary_class *c = key ? find_mut(sum, key, hint) :
		    NULL;

		if ((rc = c ? ids_into(c, r) : -1) == -2) {
			hs_jv_free(r);
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		if (rc == -1) {
			hs_jv_free(r);
			return read_fail(err, errlen, line_off,
			    "expected an ids record for a known class");
		}
		hs_jv_free(r);
		return 0;
	}
	if (strcmp(type, "statistics") == 0 && sum->statistics == NULL) {
		sum->statistics = r;
		return 0;
	}
	if (hs_grow(&sum->records, cap_records, sum->record_count + 1,
	    sizeof(*sum->records)) == -1) {
		hs_jv_free(r);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	sum->records[sum->record_count++] = r;
	return 0;
}

struct read_ctx {
	struct hs_summary	*sum;
	size_t			 cap_classes, cap_records, hint;
};

static int
read_line(void *arg, const char *line, size_t len, uint64_t off, char *err,
    size_t errlen)
{
	struct read_ctx *c = arg;

	return summary_line(c->sum, line, len, off, &c->cap_classes,
	    &c->cap_records, &c->hint, err, errlen);
}

/* Plain JSON lines are read too, so that "zstd -dc x.hss | ..." works. */
struct hs_summary *
hs_summary_read(const char *path, char *err, size_t errlen)
{
	struct read_ctx c;
	uint64_t bytes;

	memset(&c, 0, sizeof(c));
	if ((c.sum = hs_calloc(1, sizeof(*c.sum))) == NULL ||
	    (c.sum->path = hs_strdup(path)) == NULL) {
		snprintf(err, errlen, "out of memory");
		hs_summary_free(c.sum);
		return NULL;
	}
	if (hs_lines_read(path, "summary", "this is a heap snapshot, not a "
	    "summary (run hs-summarize on it first)", read_line, &c, &bytes,
	    err, errlen) == -1) {
		hs_summary_free(c.sum);
		return NULL;
	}
	if (c.sum->header == NULL) {
		snprintf(err, errlen, "byte 0: expected an hs-summary header, "
		    "found %s", bytes == 0 ? "empty input" : "no records");
		hs_summary_free(c.sum);
		return NULL;
	}
	return c.sum;
}

void
hs_summary_free(struct hs_summary *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->class_count; i++) {
		hs_free(s->classes[i].key);
		hs_free(s->classes[i].name);
		hs_free(s->classes[i].ids);
		hs_free(s->classes[i].id_self);
	}
	hs_free(s->classes);
	for (i = 0; i < s->record_count; i++)
		hs_jv_free(s->records[i]);
	hs_free(s->records);
	hs_jv_free(s->header);
	hs_jv_free(s->statistics);
	hs_free(s->scratch_ids.v);
	hs_free(s->scratch_self.v);
	hs_free(s->path);
	hs_free(s);
}

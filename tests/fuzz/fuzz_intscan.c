/*
 * fuzz_intscan: libFuzzer target that holds the integer-array scanner
 * (hs_intscan_run(), lib/scan.h) to yajl's verdict on the same bytes.
 *
 * The input is the text after an array's '['.  yajl parses '[' + input;
 * the scanner must accept it (and nothing but JSON whitespace may follow
 * its ']') exactly when yajl accepts it as an array of integers from 0 to
 * 4294967295, and must then give the same values.  (yajl also takes a
 * vertical tab or a form feed as whitespace, where JSON does not, nor the
 * scanner; and the scanner stops at the ']', whatever follows: inputs
 * holding either are compared between the scanner's runs only.)
 *
 * The scanner runs on the whole input, and again in up to three chunks cut
 * where the first and last bytes say, each read ahead (hs_intscan_ahead())
 * as the first byte's bits say, as hs-summarize reads: both runs must
 * agree, to the offset of an error.  So must the processor's AVX-512 path
 * and the one at a time (hs_intscan_simd()), also when the sink refuses a
 * value.  A disagreement aborts.  Built and run by "make fuzz".
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct values {
	uint32_t	*v;
	size_t		 n, cap;
	int		 plain;		/* only integers that fit, so far */
	int		 depth;
	size_t		 refuse;	/* the sink refuses this value, + 1 */
};

static int
keep(struct values *c, uint32_t x)
{
	if (c->n == c->cap) {
		uint32_t *p;

		c->cap = c->cap ? 2 * c->cap : 256;
		if ((p = realloc(c->v, c->cap * sizeof(*p))) == NULL)
			abort();
		c->v = p;
	}
	c->v[c->n++] = x;
	return 0;
}

static int
sink(void *ctx, const uint32_t *v, size_t n, size_t *bad)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (((struct values *)ctx)->n + 1 ==
		    ((struct values *)ctx)->refuse) {
			*bad = i;
			return -1;
		}
		keep(ctx, v[i]);
	}
	return 0;
}

/* yajl's events: anything but numbers at depth 1 is not an int array. */
static int
y_number(void *ctx, const char *text, size_t len)
{
	struct values *c = ctx;
	uint64_t x = 0;
	size_t i;

	if (len > 10 || c->depth != 1)
		c->plain = 0;
	for (i = 0; i < len && c->plain; i++) {
		if (text[i] < '0' || text[i] > '9')
			c->plain = 0;
		x = x * 10 + (uint64_t)(text[i] - '0');
	}
	if (x > UINT32_MAX)
		c->plain = 0;
	return c->plain ? keep(c, (uint32_t)x) : 0;
}

static int
y_other(void *ctx)
{
	((struct values *)ctx)->plain = 0;
	return 0;
}

static int
y_bool(void *ctx, int b)
{
	(void)b;
	return y_other(ctx);
}

static int
y_string(void *ctx, const unsigned char *s, size_t len)
{
	(void)s;
	(void)len;
	return y_other(ctx);
}

static int
y_start_array(void *ctx)
{
	struct values *c = ctx;

	if (++c->depth > 1)
		c->plain = 0;
	return 0;
}

static int
y_end_array(void *ctx)
{
	((struct values *)ctx)->depth--;
	return 0;
}

struct result {
	int		 ret;
	size_t		 end;		/* bytes taken, when ret is 1 */
	uint64_t	 err_offset;
	const char	*err;
};

static int
same_result(const struct result *p, const struct result *q)
{
	return p->ret == q->ret && (p->ret != 1 || p->end == q->end) &&
	    p->err_offset == q->err_offset &&
	    (p->err == NULL) == (q->err == NULL) &&
	    (p->err == NULL || strcmp(p->err, q->err) == 0);
}

static int
same_values(const struct values *p, const struct values *q)
{
	/* (No memcmp() of 0 bytes: the arrays are NULL then.) */
	return p->n == q->n &&
	    (p->n == 0 || memcmp(p->v, q->v, p->n * sizeof(*p->v)) == 0);
}

/* The scanner over data, cut at cut[1] and cut[2]; read ahead by mask. */
static void
scan(const uint8_t *data, const size_t *cut, unsigned ahead_mask,
    struct hs_intscan *s, struct hs_intahead *a, struct values *out,
    struct result *res)
{
	static const atomic_int go_on;
	size_t i, used, pos;
	int ret = 0;

	hs_intscan_init(s, sink, out);
	for (i = 0, pos = 0; i < 3 && ret == 0; i++) {
		size_t n = cut[i + 1] - pos;

		if (n == 0)
			continue;
		if (ahead_mask & (1u << i)) {
			hs_intscan_ahead(a, data + pos, n, &go_on);
			ret = hs_intscan_run_ahead(s, data + pos, 0, n, pos, a,
			    &used);
		} else {
			ret = hs_intscan_run(s, data + pos, n, pos, &used);
		}
		if (ret != -1)
			pos += used;
	}
	res->ret = ret;
	res->end = pos;
	res->err = s->err;
	res->err_offset = ret == -1 ? s->err_offset : 0;
}

#define AHEAD_CAP	4096

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct hs_json_events ev = {
		.null = y_other, .boolean = y_bool, .number = y_number,
		.string = y_string, .start_map = y_other,
		.start_array = y_start_array, .end_array = y_end_array
	};
	static struct hs_intscan *s;
	static struct hs_intahead *a;
	struct values y = { .plain = 1 }, whole = { 0 }, cut_up = { 0 };
	struct result rw, rc;
	struct hs_json *j;
	size_t whole_cut[4] = { 0, size, size, size }, cut[4], i;
	int yajl_ok, scan_ok, judged;

	if (s == NULL && ((s = malloc(sizeof(*s))) == NULL ||
	    (a = malloc(hs_intahead_size(AHEAD_CAP))) == NULL))
		return 0;
	a->cap = AHEAD_CAP;

	if ((j = hs_json_new(&ev, &y)) == NULL)
		return 0;
	yajl_ok = hs_json_feed(j, "[", 1, 0) == 0 &&
	    hs_json_feed(j, data, size, 1) == 0 && hs_json_finish(j) == 0 &&
	    y.plain;
	hs_json_free(j);

	scan(data, whole_cut, 0, s, a, &whole, &rw);
	scan_ok = rw.ret == 1;
	judged = 1;
	for (i = rw.end; scan_ok && i < size; i++)
		if (data[i] != ' ' && data[i] != '\t' && data[i] != '\n' &&
		    data[i] != '\r')
			judged = 0;	/* what follows the array: not ours */
	if (memchr(data, '\v', size) != NULL ||
	    memchr(data, '\f', size) != NULL)
		judged = 0;	/* yajl's own whitespace */
	if (judged && scan_ok != yajl_ok)
		abort();
	if (judged && yajl_ok && !same_values(&whole, &y))
		abort();

	cut[0] = 0;
	cut[1] = size ? (size_t)data[0] * size / 256 : 0;
	cut[2] = size ? cut[1] + (size_t)data[size - 1] * (size - cut[1]) /
	    256 : 0;
	cut[3] = size;
	scan(data, cut, size ? data[0] & 7 : 0, s, a, &cut_up, &rc);
	if (!same_result(&rc, &rw) || (rw.ret == 1 &&
	    !same_values(&cut_up, &whole)))
		abort();

	/*
	 * The processor's AVX-512 path, where it has one, and the one at a
	 * time agree, to where a value the sink refuses begins (the last
	 * byte says which).
	 */
	for (i = 0; i < 2; i++) {
		struct values on = { .refuse = i && size ? data[size - 1] : 0 },
		    off = on;
		struct result r_on, r_off;

		hs_intscan_simd(1);
		scan(data, whole_cut, 0, s, a, &on, &r_on);
		hs_intscan_simd(0);
		scan(data, whole_cut, 0, s, a, &off, &r_off);
		hs_intscan_simd(1);
		if (!same_result(&r_on, &r_off) || !same_values(&on, &off))
			abort();
		free(on.v);
		free(off.v);
	}
	free(y.v);
	free(whole.v);
	free(cut_up.v);
	return 0;
}

/*
 * test_scan: the strict integer-array and string-array scanners.
 *
 * Inputs are written with their opening '[' and scanned from the byte after
 * it, with absolute offsets equal to indexes into the literal, so an
 * expected error offset is simply the index of the offending byte.  Every
 * case is run whole, 1 byte at a time and in chunks of 2, 3, 7 and 4093,
 * and must give the same values, the same error and the same offset.
 */
#include "testutil.h"

#include "json.h"
#include "scan.h"

static const size_t chunks[] = { 1, 2, 3, 7, 4093, (size_t)-1 };
#define NCHUNKS	(sizeof(chunks) / sizeof(chunks[0]))

/* ---- integer scanner harness ---- */

/*
 * When set, each chunk is also read ahead (hs_intscan_ahead(), with room
 * for this many values), and the scanner takes those values where it can,
 * as the snapshot reader does.
 */
static size_t ahead_cap;

struct ints {
	uint32_t	*v;
	size_t		 n, cap;
	size_t		 reject_at;	/* index of a value to refuse */
	size_t		 calls;
};

static int
int_sink(void *ctx, const uint32_t *v, size_t n, size_t *bad)
{
	struct ints *c = ctx;
	size_t i;

	c->calls++;
	assert_true(n > 0 && n <= HS_SCAN_BATCH);
	for (i = 0; i < n; i++) {
		if (c->n == c->reject_at) {
			*bad = i;
			return -1;
		}
		if (c->n == c->cap) {
			c->cap = c->cap ? c->cap * 2 : 64;
			c->v = realloc(c->v, c->cap * sizeof(*c->v));
			assert_non_null(c->v);
		}
		c->v[c->n++] = v[i];
	}
	return 0;
}

struct iresult {
	int		 ret;
	const char	*err;
	uint64_t	 err_offset;
	size_t		 end;		/* index just past what was consumed */
	uint64_t	 count;
};

/* hs_intscan_run() on buf, with the values read ahead from it taken. */
static int
run_ahead(struct hs_intscan *s, const unsigned char *buf, size_t n,
    uint64_t off, size_t *used)
{
	static const atomic_int go_on;
	/* n bytes hold at most n / 2 + 1 values: no bigger block. */
	size_t cap = ahead_cap < n / 2 + 1 ? ahead_cap : n / 2 + 1;
	struct hs_intahead *a = malloc(hs_intahead_size(cap));
	int ret;

	assert_non_null(a);
	a->cap = cap;
	hs_intscan_ahead(a, buf, n, &go_on);
	assert_true(a->start <= a->end && a->end <= n && a->n <= cap);
	ret = hs_intscan_run_ahead(s, buf, 0, n, off, a, used);
	free(a);
	return ret;
}

/*
 * Scans text[1..len) (text[0] is the '['), chunk bytes at a time, each
 * chunk copied into a buffer of its exact size: a read past a chunk's
 * end is then one past an allocation, which the sanitizers catch.
 */
static void
run_ints(const char *text, size_t len, size_t chunk, struct ints *out,
    struct iresult *res)
{
	struct hs_intscan *s = malloc(sizeof(*s));
	unsigned char *buf;
	size_t pos = 1, n, used;
	int ret = 0;

	assert_non_null(s);
	hs_intscan_init(s, int_sink, out);
	while (pos < len) {
		n = len - pos < chunk ? len - pos : chunk;
		used = (size_t)-1;
		buf = malloc(n);
		assert_non_null(buf);
		memcpy(buf, text + pos, n);
		ret = ahead_cap ? run_ahead(s, buf, n, pos, &used) :
		    hs_intscan_run(s, buf, n, pos, &used);
		free(buf);
		if (ret == -1)
			break;
		assert_true(used <= n);
		pos += used;
		if (ret == 1)
			break;
		assert_int_equal(used, n);
	}
	res->ret = ret;
	res->err = s->err;
	res->err_offset = s->err_offset;
	res->end = ret == -1 ? 0 : pos;
	res->count = s->count;
	free(s);
}

static void
ints_free(struct ints *c)
{
	free(c->v);
	memset(c, 0, sizeof(*c));
}

/*
 * Runs text in every chunk size; checks that all agree and returns the
 * whole-input result and values in *res and *out.
 */
static void
ints_all_chunks(const char *text, size_t len, size_t reject_at,
    struct ints *out, struct iresult *res)
{
	size_t k;

	static const size_t caps[] = { 0, 1, 3, (size_t)1 << 20 };
	const size_t ncaps = sizeof(caps) / sizeof(caps[0]);

	memset(out, 0, sizeof(*out));
	out->reject_at = reject_at;
	ahead_cap = 0;
	run_ints(text, len, (size_t)-1, out, res);
	for (k = 0; k < ncaps * NCHUNKS; k++) {
		size_t cap = caps[k / NCHUNKS], chunk = chunks[k % NCHUNKS];
		struct ints c = { 0 };
		struct iresult r;

		c.reject_at = reject_at;
		ahead_cap = cap;
		run_ints(text, len, chunk, &c, &r);
		ahead_cap = 0;
		/*
		 * Values read ahead reach the sink in other batches: before
		 * an error, or the end of an incomplete input, the sink may
		 * have seen more or fewer.
		 */
		int batched = cap != 0 && r.ret != 1;

		if (r.ret != res->ret || r.err_offset != res->err_offset ||
		    r.end != res->end || (r.count != res->count &&
		    !batched) || (r.err == NULL) != (res->err == NULL) ||
		    (r.err && strcmp(r.err, res->err) != 0) ||
		    (c.n != out->n && !batched) || (c.n && out->n &&
		    memcmp(c.v, out->v, (c.n < out->n ? c.n : out->n) *
		    sizeof(*c.v)) != 0))
			fail_msg("chunk size %zu, read ahead %zu, disagrees "
			    "with whole input (ret %d/%d, offset %llu/%llu, "
			    "values %zu/%zu)", chunk, cap, r.ret,
			    res->ret,
			    (unsigned long long)r.err_offset,
			    (unsigned long long)res->err_offset, c.n, out->n);
		ints_free(&c);
	}
}

static void
expect_ints(const char *text, const uint32_t *want, size_t nwant)
{
	struct ints c;
	struct iresult r;

	ints_all_chunks(text, strlen(text), (size_t)-1, &c, &r);
	if (r.ret != 1)
		fail_msg("%s: expected success, got %d (%s at %llu)", text,
		    r.ret, r.err ? r.err : "sink", (unsigned long long)
		    r.err_offset);
	assert_null(r.err);
	assert_int_equal(r.end, strlen(text));
	assert_int_equal(c.n, nwant);
	assert_int_equal(r.count, nwant);
	if (nwant)
		assert_memory_equal(c.v, want, nwant * sizeof(*want));
	ints_free(&c);
}

static void
expect_int_error(const char *text, uint64_t offset, const char *msg)
{
	struct ints c;
	struct iresult r;

	ints_all_chunks(text, strlen(text), (size_t)-1, &c, &r);
	if (r.ret != -1 || r.err == NULL)
		fail_msg("%s: expected an error, got %d", text, r.ret);
	if (r.err_offset != offset || strcmp(r.err, msg) != 0)
		fail_msg("%s: expected \"%s\" at %llu, got \"%s\" at %llu",
		    text, msg, (unsigned long long)offset, r.err,
		    (unsigned long long)r.err_offset);
	ints_free(&c);
}

/* ---- integer tests ---- */

static void
test_int_valid(void **state)
{
	static const uint32_t a[] = { 1, 2, 3 };
	static const uint32_t b[] = { 0, 10, 4294967295u, 7 };
	static const uint32_t c[] = { 0 };
	static const uint32_t d[] = { 123456789, 0, 0, 42 };

	(void)state;
	expect_ints("[1,2,3]", a, 3);
	expect_ints("[0,10,4294967295,7]", b, 4);
	expect_ints("[0]", c, 1);
	expect_ints("[123456789,0,0,42]", d, 4);
	expect_ints("[]", NULL, 0);
}

/*
 * Rows as V8 writes them ("\n," between them), numbers of every length
 * up to ten digits, zeros, and the largest value: the fast path takes a
 * number with its comma, or its newline and comma, when twelve bytes are
 * left, so the chunk sizes put its ends everywhere.
 */
static void
test_int_rows(void **state)
{
	static const char text[] = "[9,1,1,0,10,0\n,9,2,3,0,4294967295,0\n"
	    ",0,12,123,1234,12345,123456,1234567\n,12345678,123456789,"
	    "1234567890\n,4000000000,0,0,0,0,0,0,0,0,0,0,0,7\n,"
	    "1234567890\n,1234567890\n,1\n,22\n,333\n,5]";
	static const uint32_t want[] = { 9, 1, 1, 0, 10, 0, 9, 2, 3, 0,
	    4294967295u, 0, 0, 12, 123, 1234, 12345, 123456, 1234567,
	    12345678, 123456789, 1234567890, 4000000000u, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, 7, 1234567890, 1234567890, 1, 22, 333, 5 };
	char shifted[sizeof(text) + 16];
	size_t k, split, nwant = sizeof(want) / sizeof(want[0]);

	(void)state;
	expect_ints(text, want, nwant);
	/* In two chunks, split everywhere. */
	for (split = 2; split < sizeof(text) - 1; split++) {
		struct hs_intscan *sc = malloc(sizeof(*sc));
		struct ints c = { 0 };
		unsigned char *a = malloc(split - 1);
		unsigned char *b = malloc(sizeof(text) - 1 - split);
		size_t used;

		assert_true(sc != NULL && a != NULL && b != NULL);
		memcpy(a, text + 1, split - 1);
		memcpy(b, text + split, sizeof(text) - 1 - split);
		c.reject_at = (size_t)-1;
		hs_intscan_init(sc, int_sink, &c);
		assert_int_equal(hs_intscan_run(sc, a, split - 1, 1, &used), 0);
		assert_int_equal(hs_intscan_run(sc, b, sizeof(text) - 1 - split,
		    split, &used), 1);
		assert_int_equal(c.n, nwant);
		assert_memory_equal(c.v, want, sizeof(want));
		ints_free(&c);
		free(a);
		free(b);
		free(sc);
	}
	/* The same, with the rows' ends at every offset in a buffer. */
	for (k = 1; k <= 12; k++) {
		memset(shifted, ' ', sizeof(shifted));
		shifted[0] = '[';
		memcpy(shifted + k, text + 1, sizeof(text) - 1);
		expect_ints(shifted, want, nwant);
	}
	/* What the fast path must leave to the states, with their messages. */
	expect_int_error("[1,2,3,4,5,6,01,7,8,9,10,11,12]", 14,
	    "invalid number (leading zero)");
	expect_int_error("[1,2,3,4,5,6,7,4294967296,8,9,10,11,12]", 15,
	    "number out of range (over 4294967295)");
	expect_int_error("[1,2,3,4,5,6,7,12345678901,8,9,10,11,12]", 15,
	    "number out of range (over 4294967295)");
	expect_int_error("[1,2,3,4,5,6,7\n\n,8,9,10,11,12,13,x]", 33,
	    "expected a number");
	expect_int_error("[1,2,3,4,5,6,7\n8,9,10,11,12,13,14]", 15,
	    "expected ',' or ']'");
	expect_int_error("[1,2,3,4,5,6,7.5,8,9,10,11,12,13,14]", 14,
	    "expected an integer");
}

static void
test_int_whitespace(void **state)
{
	static const uint32_t a[] = { 1, 2 };
	static const uint32_t b[] = { 10, 20, 30 };

	(void)state;
	/* JSON whitespace: space, tab, newline, carriage return. */
	expect_ints("[ ]", NULL, 0);
	expect_ints("[\n\t\r ]", NULL, 0);
	expect_ints("[ 1 , 2 ]", a, 2);
	expect_ints("[\t10\n,\r20 ,\n\n30\t]", b, 3);
	/* Nothing else is whitespace. */
	expect_int_error("[\f1]", 1, "expected a number or ']'");
	expect_int_error("[\v]", 1, "expected a number or ']'");
	expect_int_error("[1\v]", 2, "expected ',' or ']'");
	expect_int_error("[1,\xa0" "2]", 3, "expected a number");
	expect_int_error("[1, \x01]", 4, "expected a number");
}

static void
test_int_stops_after_bracket(void **state)
{
	static const char text[] = "[4,5] , {\"x\":1}";
	struct ints c;
	struct iresult r;

	(void)state;
	ints_all_chunks(text, strlen(text), (size_t)-1, &c, &r);
	assert_int_equal(r.ret, 1);
	/* Consumed up to and including the ']' only. */
	assert_int_equal(r.end, 5);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.v[0], 4);
	assert_int_equal(c.v[1], 5);
	ints_free(&c);
}

static void
test_int_errors(void **state)
{
	(void)state;
	/* Leading zeros: at the digit after the zero. */
	expect_int_error("[01]", 2, "invalid number (leading zero)");
	expect_int_error("[00]", 2, "invalid number (leading zero)");
	expect_int_error("[5,007]", 4, "invalid number (leading zero)");
	/* Negative numbers: at the minus sign. */
	expect_int_error("[-1]", 1, "expected a non-negative integer");
	expect_int_error("[1,-2]", 3, "expected a non-negative integer");
	expect_int_error("[-0]", 1, "expected a non-negative integer");
	/* Fractions and exponents: at the '.', 'e' or 'E'. */
	expect_int_error("[1.5]", 2, "expected an integer");
	expect_int_error("[0.5]", 2, "expected an integer");
	expect_int_error("[7,12.0]", 5, "expected an integer");
	expect_int_error("[1e5]", 2, "expected an integer");
	expect_int_error("[1E5]", 2, "expected an integer");
	expect_int_error("[0e1]", 2, "expected an integer");
	expect_int_error("[25e+1]", 3, "expected an integer");
	/* Over 2^32-1: at the start of the number. */
	expect_int_error("[4294967296]", 1,
	    "number out of range (over 4294967295)");
	expect_int_error("[1,4294967300]", 3,
	    "number out of range (over 4294967295)");
	expect_int_error("[7, 99999999999999999999999]", 4,
	    "number out of range (over 4294967295)");
	/* Missing comma, trailing comma, doubled comma, leading comma. */
	expect_int_error("[1 2]", 3, "expected ',' or ']'");
	expect_int_error("[1,2 3]", 5, "expected ',' or ']'");
	expect_int_error("[1,]", 3, "expected a number");
	expect_int_error("[1, ]", 4, "expected a number");
	expect_int_error("[1,,2]", 3, "expected a number");
	expect_int_error("[,1]", 1, "expected a number or ']'");
	/* Garbage. */
	expect_int_error("[x]", 1, "expected a number or ']'");
	expect_int_error("[1x]", 2, "expected ',' or ']'");
	expect_int_error("[\"1\"]", 1, "expected a number or ']'");
	expect_int_error("[true]", 1, "expected a number or ']'");
	expect_int_error("[null]", 1, "expected a number or ']'");
	expect_int_error("[[1]]", 1, "expected a number or ']'");
	expect_int_error("[1,{}]", 3, "expected a number");
	expect_int_error("[+1]", 1, "expected a number or ']'");
	expect_int_error("[1}", 2, "expected ',' or ']'");
	expect_int_error("[1-2]", 2, "expected ',' or ']'");
}

static void
test_int_incomplete(void **state)
{
	struct hs_intscan *s = malloc(sizeof(*s));
	struct ints c = { 0 };
	size_t used;

	(void)state;
	assert_non_null(s);
	c.reject_at = (size_t)-1;
	hs_intscan_init(s, int_sink, &c);
	/* "[12,3" then "4]": the number spans the chunks. */
	assert_int_equal(hs_intscan_run(s, (const unsigned char *)"12,3", 4,
	    1, &used), 0);
	assert_int_equal(used, 4);
	assert_int_equal(hs_intscan_run(s, (const unsigned char *)"4]xyz", 5,
	    5, &used), 1);
	assert_int_equal(used, 2);
	assert_int_equal(s->count, 2);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.v[0], 12);
	assert_int_equal(c.v[1], 34);
	ints_free(&c);
	free(s);
}

/* A long array in many shapes, crossing several batches. */
static char *
make_int_array(size_t n, uint32_t **valuesp, size_t *lenp)
{
	uint32_t *v = malloc(n * sizeof(*v)), x = 12345;
	size_t cap = n * 16 + 16, len = 0, i;
	char *t = malloc(cap);
	static const char *const sep[] = { ",", ", ", ",\n", " ,\t", "\r\n," };

	assert_non_null(v);
	assert_non_null(t);
	t[len++] = '[';
	for (i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		switch (i % 5) {
		case 0: v[i] = 0; break;
		case 1: v[i] = x % 10; break;
		case 2: v[i] = x % 100000; break;
		case 3: v[i] = x; break;
		default: v[i] = i % 97 == 0 ? 4294967295u : x >> 8; break;
		}
		if (i > 0)
			len += (size_t)sprintf(t + len, "%s", sep[(x >> 3) % 5]);
		len += (size_t)sprintf(t + len, "%u", v[i]);
	}
	t[len++] = ']';
	t[len] = '\0';
	*valuesp = v;
	*lenp = len;
	return t;
}

static void
test_int_chunking(void **state)
{
	size_t n = 3 * HS_SCAN_BATCH + 123, len;
	uint32_t *want;
	char *text = make_int_array(n, &want, &len);
	struct ints c;
	struct iresult r;

	(void)state;
	ints_all_chunks(text, len, (size_t)-1, &c, &r);
	assert_int_equal(r.ret, 1);
	assert_int_equal(r.end, len);
	assert_int_equal(r.count, n);
	assert_int_equal(c.n, n);
	assert_memory_equal(c.v, want, n * sizeof(*want));
	/* Values are handed over in batches, not one call per number. */
	assert_true(c.calls <= n / HS_SCAN_BATCH + 1);
	ints_free(&c);
	free(want);
	free(text);
}

static void
test_int_sink_failure(void **state)
{
	size_t n = 2 * HS_SCAN_BATCH + 10, len, reject = HS_SCAN_BATCH + 77;
	uint32_t *want;
	char *text = make_int_array(n, &want, &len), digits[16];
	struct ints c;
	struct iresult r;
	const char *p;
	size_t i;

	(void)state;
	ints_all_chunks(text, len, reject, &c, &r);
	assert_int_equal(r.ret, -1);
	assert_null(r.err);
	assert_int_equal(c.n, reject);
	/* err_offset is where the refused value begins in the text. */
	for (p = text + 1, i = 0; i < reject; i++) {
		p = strchr(p, ',');
		assert_non_null(p);
		p++;
	}
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	assert_int_equal(r.err_offset, (uint64_t)(p - text));
	snprintf(digits, sizeof(digits), "%u", want[reject]);
	assert_memory_equal(p, digits, strlen(digits));
	ints_free(&c);
	free(want);
	free(text);
}

/*
 * Random integer arrays in V8's shape ("digits,", "digits\n,"), a few
 * hundred bytes long so that the scanner takes them 64 bytes at a time,
 * with the slips that must send it back to a value at a time: no value, a leading
 * zero, numbers of 9 to 11 digits around 4294967295, other whitespace,
 * a second newline, a sign, a fraction, an exponent, a letter, two
 * commas, a missing ']'.  The scanner must accept exactly what yajl
 * accepts as an array of integers from 0 to 4294967295, with the same
 * values, in every chunk size (ints_all_chunks(), whose one-byte chunks
 * never take a block).
 */
struct ynums {
	uint32_t	*v;
	size_t		 n, cap;
	int		 plain;		/* all of them integers that fit */
};

static int
y_number(void *ctx, const char *text, size_t len)
{
	struct ynums *y = ctx;
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9' || len > 10) {
			y->plain = 0;
			return 0;
		}
		v = v * 10 + (uint64_t)(text[i] - '0');
	}
	if (v > UINT32_MAX) {
		y->plain = 0;
		return 0;
	}
	if (y->n == y->cap) {
		y->cap = y->cap ? 2 * y->cap : 64;
		y->v = realloc(y->v, y->cap * sizeof(*y->v));
		assert_non_null(y->v);
	}
	y->v[y->n++] = (uint32_t)v;
	return 0;
}

static uint32_t
rnd(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return (uint32_t)(*x >> 32);
}

static size_t
random_int_text(uint64_t *x, char *t, size_t cap)
{
	static const char *const odd_values[] = { "", "0", "00", "012", "-5",
	    "1.5", "2e3", "x", "4294967295", "4294967296", "9999999999",
	    "12345678901", "1000000000", "99999999", "100000000" };
	static const char *const odd_seps[] = { ", ", " ,", "\n\n,", ",\n",
	    "\r\n,", "\t,", ",,", "\n" };
	size_t len = 0, n = 8 + rnd(x) % 200, i;
	unsigned slips = rnd(x) % 4;	/* most texts have none */

	t[len++] = '[';
	for (i = 0; i < n && len + 40 < cap; i++) {
		unsigned r = rnd(x) % 1000;

		if (i > 0) {
			if (slips && r < 6) {
				const char *sp = odd_seps[rnd(x) % 8];

				memcpy(t + len, sp, strlen(sp));
				len += strlen(sp);
			} else if (r < 300) {
				t[len++] = '\n';
				t[len++] = ',';
			} else {
				t[len++] = ',';
			}
		}
		r = rnd(x) % 1000;
		if (slips && r < 8) {
			const char *v = odd_values[rnd(x) % 15];

			memcpy(t + len, v, strlen(v));
			len += strlen(v);
		} else if (r < 40) {
			len += (size_t)sprintf(t + len, "%u", rnd(x));
		} else {
			/* 1 to 8 digits, evenly. */
			static const uint32_t mod[] = { 10, 100, 1000, 10000,
			    100000, 1000000, 10000000, 100000000 };

			len += (size_t)sprintf(t + len, "%u",
			    rnd(x) % mod[rnd(x) % 8]);
		}
	}
	if (!(slips && rnd(x) % 8 == 0))
		t[len++] = ']';
	t[len] = '\0';
	return len;
}

static void
test_int_like_yajl(void **state)
{
	static const struct hs_json_events ev = { .number = y_number };
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	char t[4096];
	unsigned k, accepted = 0;

	(void)state;
	for (k = 0; k < 3000; k++) {
		size_t len = random_int_text(&x, t, sizeof(t));
		struct ynums y = { .plain = 1 };
		struct hs_json *j = hs_json_new(&ev, &y);
		struct ints c;
		struct iresult r;
		int yes;

		assert_non_null(j);
		yes = hs_json_feed(j, t, len, 0) == 0 &&
		    hs_json_finish(j) == 0 && y.plain;
		hs_json_free(j);
		ints_all_chunks(t, len, (size_t)-1, &c, &r);
		if ((r.ret == 1) != yes)
			fail_msg("text %u: yajl %s, the scanner %s", k,
			    yes ? "accepts" : "refuses",
			    r.ret == 1 ? "accepts" : "refuses");
		if (yes) {
			assert_int_equal(c.n, y.n);
			assert_memory_equal(c.v, y.v, y.n * sizeof(*y.v));
			accepted++;
		}
		ints_free(&c);
		free(y.v);
	}
	/* Both kinds are common enough to mean something. */
	assert_true(accepted > 1000 && accepted < 2900);
}

/*
 * Where each value begins, as a sink's refusal reports it, for every value
 * of V8-shaped texts: numbers of 1 to 10 digits, "," or "\n," between
 * them, so that blocks begin at every kind of place (a number's first
 * digit, its middle, a comma, a newline).
 */
static void
test_int_offsets(void **state)
{
	uint64_t x = 0x243f6a8885a308d3ULL;
	enum { NVAL = 700 };
	static const uint32_t mod[] = { 10, 100, 1000, 10000, 100000,
	    1000000, 10000000, 100000000 };
	size_t *at = malloc(NVAL * sizeof(*at)), len, i;
	char *t = malloc(NVAL * 12 + 2);
	unsigned k;

	(void)state;
	assert_true(at != NULL && t != NULL);
	for (k = 0; k < 4; k++) {
		len = 0;
		t[len++] = '[';
		for (i = 0; i < NVAL; i++) {
			if (i > 0) {
				if (rnd(&x) % 7 == 0)
					t[len++] = '\n';
				t[len++] = ',';
			}
			at[i] = len;
			len += (size_t)sprintf(t + len, "%u",
			    rnd(&x) % 50 == 0 ? rnd(&x) :
			    rnd(&x) % mod[rnd(&x) % 8]);
		}
		t[len++] = ']';
		t[len] = '\0';
		for (i = 0; i < NVAL; i++) {
			struct ints c = { .reject_at = i };
			struct iresult r;

			ahead_cap = 0;
			run_ints(t, len, (size_t)-1, &c, &r);
			if (r.ret != -1 || r.err_offset != at[i])
				fail_msg("text %u, value %zu: offset %llu, "
				    "wanted %zu", k, i,
				    (unsigned long long)r.err_offset, at[i]);
			ints_free(&c);
		}
	}
	free(at);
	free(t);
}

/* Reads text ahead with room for cap values; checks what it took. */
static void
expect_ahead(const char *text, size_t cap, size_t start, size_t end,
    const uint32_t *want, size_t nwant)
{
	static const atomic_int go_on;
	size_t len = strlen(text);
	struct hs_intahead *a = malloc(hs_intahead_size(cap));
	unsigned char *buf = malloc(len + 1);

	assert_true(a != NULL && buf != NULL);
	memcpy(buf, text, len);	/* exactly len bytes readable */
	a->cap = cap;
	hs_intscan_ahead(a, buf, len, &go_on);
	if (a->start != start || a->end != end || a->n != nwant)
		fail_msg("\"%s\": start %zu end %zu n %zu, wanted %zu %zu %zu",
		    text, a->start, a->end, a->n, start, end, nwant);
	if (nwant)
		assert_memory_equal(a->values, want, nwant * sizeof(*want));
	free(buf);
	free(a);
}

static void
test_int_ahead(void **state)
{
	static const uint32_t a[] = { 2, 3 }, b[] = { 7, 8, 9 },
	    c[] = { 0, 5 }, d[] = { 4294967295u }, e[] = { 1, 22, 333, 4444,
	    55555, 666666, 7777777, 88888888, 999999999, 1000000000 };
	static const atomic_int stop = 1;
	struct hs_intahead *h;
	unsigned char *buf;
	size_t i, n = 10000;

	(void)state;
	/* From just after the first comma; whole values with their comma. */
	expect_ahead("1,2,3,4]", 16, 2, 6, a, 2);
	expect_ahead("5, 7 ,\n8\t,\r\n9,", 16, 2, 14, b, 3);
	expect_ahead("1\n,0,5,", 16, 3, 7, c, 2);
	expect_ahead("x,1,22,333,4444,55555,666666,7777777\n,88888888,"
	    "999999999,1000000000\n,", 16, 2, 69, e, 10);
	/* It stops before what the scanner must judge, and never fails. */
	expect_ahead("1,01,5,", 16, 2, 2, NULL, 0);
	expect_ahead("1,4294967295,4294967296,", 16, 2, 13, d, 1);
	expect_ahead("1,4294967295,1.5,", 16, 2, 13, d, 1);
	expect_ahead("1,2,-3,", 16, 2, 4, a, 1);
	expect_ahead("1,2,3e1,", 16, 2, 4, a, 1);
	expect_ahead("1,2,\"3\",", 16, 2, 4, a, 1);
	expect_ahead("1,2,3", 16, 2, 4, a, 1);
	expect_ahead("1,2 ", 16, 2, 2, NULL, 0);
	expect_ahead("1,2,,3,", 16, 2, 4, a, 1);
	expect_ahead("no comma at all", 16, 15, 15, NULL, 0);
	expect_ahead("", 16, 0, 0, NULL, 0);
	/* Up to its room. */
	expect_ahead("1,2,3,4,", 1, 2, 4, a, 1);
	expect_ahead("1,2,3,4,", 0, 2, 2, NULL, 0);
	/* Once told to stop, it stops soon. */
	buf = malloc(2 * n);
	h = malloc(hs_intahead_size(n));
	assert_true(buf != NULL && h != NULL);
	for (i = 0; i < n; i++)
		memcpy(buf + 2 * i, "1,", 2);
	h->cap = n;
	hs_intscan_ahead(h, buf, 2 * n, &stop);
	assert_true(h->n > 0 && h->n < n);
	assert_int_equal(h->end, 2 + 2 * h->n);
	free(h);
	free(buf);
}

/* ---- string scanner harness ---- */

struct str {
	uint64_t	 index;
	char		*s;
	size_t		 len;
	int		 truncated;
};

struct strs {
	struct str	*v;
	size_t		 n, cap;
	int		 want_mode;	/* 0 all, 1 odd indexes only */
	uint64_t	 reject_at;	/* refuse this index in the sink */
	uint64_t	 asked;		/* want() calls */
};

static int
str_want(void *ctx, uint64_t index)
{
	struct strs *c = ctx;

	assert_int_equal(index, c->asked);
	c->asked++;
	return c->want_mode == 0 || (index & 1);
}

static int
str_sink(void *ctx, uint64_t index, const char *s, size_t len, int truncated)
{
	struct strs *c = ctx;
	struct str *x;

	if (index == c->reject_at)
		return -1;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->v = realloc(c->v, c->cap * sizeof(*c->v));
		assert_non_null(c->v);
	}
	x = &c->v[c->n++];
	x->index = index;
	x->s = malloc(len + 1);
	assert_non_null(x->s);
	memcpy(x->s, s, len);
	x->s[len] = '\0';
	x->len = len;
	x->truncated = truncated;
	return 0;
}

static void
strs_free(struct strs *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->v[i].s);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

struct sresult {
	int		 ret;
	const char	*err;
	uint64_t	 err_offset;
	size_t		 end;
	uint64_t	 index;
};

static void
run_strs(const char *text, size_t len, size_t chunk, size_t keep_max,
    struct strs *out, struct sresult *res)
{
	struct hs_strscan s;
	size_t pos = 1, n, used;
	int ret = 0;

	assert_int_equal(hs_strscan_init(&s, keep_max, str_want, str_sink,
	    out), 0);
	while (pos < len) {
		n = len - pos < chunk ? len - pos : chunk;
		ret = hs_strscan_run(&s, (const unsigned char *)text + pos, n,
		    pos, &used);
		if (ret == -1)
			break;
		assert_true(used <= n);
		pos += used;
		if (ret == 1)
			break;
		assert_int_equal(used, n);
	}
	res->ret = ret;
	res->err = s.err;
	res->err_offset = s.err_offset;
	res->end = ret == -1 ? 0 : pos;
	res->index = s.index;
	hs_strscan_free(&s);
}

static void
strs_all_chunks(const char *text, size_t len, size_t keep_max, int want_mode,
    uint64_t reject_at, struct strs *out, struct sresult *res)
{
	size_t k, i;

	memset(out, 0, sizeof(*out));
	out->want_mode = want_mode;
	out->reject_at = reject_at;
	run_strs(text, len, (size_t)-1, keep_max, out, res);
	for (k = 0; k < NCHUNKS; k++) {
		struct strs c = { 0 };
		struct sresult r;

		c.want_mode = want_mode;
		c.reject_at = reject_at;
		run_strs(text, len, chunks[k], keep_max, &c, &r);
		if (r.ret != res->ret || r.err_offset != res->err_offset ||
		    r.end != res->end || r.index != res->index ||
		    (r.err == NULL) != (res->err == NULL) ||
		    (r.err && strcmp(r.err, res->err) != 0) || c.n != out->n)
			fail_msg("chunk size %zu disagrees with whole input "
			    "(ret %d/%d, offset %llu/%llu, strings %zu/%zu)",
			    chunks[k], r.ret, res->ret,
			    (unsigned long long)r.err_offset,
			    (unsigned long long)res->err_offset, c.n, out->n);
		for (i = 0; i < c.n; i++) {
			if (c.v[i].index != out->v[i].index ||
			    c.v[i].len != out->v[i].len ||
			    c.v[i].truncated != out->v[i].truncated ||
			    memcmp(c.v[i].s, out->v[i].s, c.v[i].len) != 0)
				fail_msg("chunk size %zu: string %zu differs",
				    chunks[k], i);
		}
		strs_free(&c);
	}
}

/* Expects text (a whole array) to give exactly the strings in want[]. */
static void
expect_strs(const char *text, size_t len, size_t keep_max,
    const char *const *want, const size_t *wantlen, const int *trunc,
    size_t nwant)
{
	struct strs c;
	struct sresult r;
	size_t i;

	strs_all_chunks(text, len, keep_max, 0, (uint64_t)-1, &c, &r);
	if (r.ret != 1)
		fail_msg("expected success, got %d (%s at %llu)", r.ret,
		    r.err ? r.err : "sink", (unsigned long long)r.err_offset);
	assert_int_equal(r.end, len);
	assert_int_equal(r.index, nwant);
	assert_int_equal(c.n, nwant);
	for (i = 0; i < nwant; i++) {
		size_t wl = wantlen ? wantlen[i] : strlen(want[i]);

		assert_int_equal(c.v[i].index, i);
		if (c.v[i].len != wl || memcmp(c.v[i].s, want[i], wl) != 0)
			fail_msg("string %zu: got \"%s\" (%zu bytes), expected "
			    "\"%s\" (%zu bytes)", i, c.v[i].s, c.v[i].len,
			    want[i], wl);
		assert_int_equal(c.v[i].truncated, trunc ? trunc[i] : 0);
	}
	strs_free(&c);
}

static void
expect_str_error(const char *text, size_t len, uint64_t offset,
    const char *msg)
{
	struct strs c;
	struct sresult r;

	strs_all_chunks(text, len, HS_SCAN_BATCH, 0, (uint64_t)-1, &c, &r);
	if (r.ret != -1 || r.err == NULL)
		fail_msg("expected an error (%s), got %d", msg, r.ret);
	if (r.err_offset != offset || strcmp(r.err, msg) != 0)
		fail_msg("expected \"%s\" at %llu, got \"%s\" at %llu", msg,
		    (unsigned long long)offset, r.err,
		    (unsigned long long)r.err_offset);
	strs_free(&c);
}

#define S(lit)	lit, sizeof(lit) - 1

/* ---- string tests ---- */

static void
test_str_basic(void **state)
{
	static const char *const a[] = { "a", "", "hello world" };

	(void)state;
	expect_strs(S("[]"), 1024, NULL, NULL, NULL, 0);
	expect_strs(S("[ \n\t\r]"), 1024, NULL, NULL, NULL, 0);
	expect_strs(S("[\"a\",\"\" ,\n\t\"hello world\" ]"), 1024, a, NULL,
	    NULL, 3);
}

static void
test_str_escapes(void **state)
{
	static const char *const want[] = {
		"a\nb", "\"", "\\", "/", "\b\f\r\t",
		"A", "\xc3\xa9", "\xe2\x82\xac",
		"\xf0\x9f\x98\x80",		/* \ud83d\ude00 */
		"\xf0\x9f\x98\x80",		/* upper-case hex */
		"\xef\xbf\xbd",			/* lone high surrogate */
		"\xef\xbf\xbd",			/* lone low surrogate */
		"\xef\xbf\xbdx",		/* high, then a letter */
		"\xef\xbf\xbd\x41",		/* high, then \u0041 */
		"\xef\xbf\xbd\xf0\x90\x80\x80",	/* high high low */
		"\xef\xbf\xbd\n",		/* high, then \n */
		"\xef\xbf\xbd\xc3\xa9",		/* high, then raw UTF-8 */
		"",				/* \u0000, checked below */
		"x\xef\xbf\xbd\xef\xbf\xbdy",	/* low low */
	};
	static const size_t wantlen[] = { 3, 1, 1, 1, 4, 1, 2, 3, 4, 4, 3, 3,
	    4, 4, 7, 4, 5, 1, 8 };
	static const char text[] = "["
	    "\"a\\nb\",\"\\\"\",\"\\\\\",\"\\/\",\"\\b\\f\\r\\t\","
	    "\"\\u0041\",\"\\u00e9\",\"\\u20ac\","
	    "\"\\ud83d\\ude00\",\"\\uD83D\\uDE00\","
	    "\"\\ud800\",\"\\udc00\",\"\\ud800x\",\"\\ud800\\u0041\","
	    "\"\\ud800\\ud800\\udc00\",\"\\udbff\\n\",\"\\ud800\xc3\xa9\","
	    "\"\\u0000\",\"x\\udc00\\udfffy\"]";

	(void)state;
	expect_strs(text, sizeof(text) - 1, 1024, want, wantlen, NULL,
	    sizeof(want) / sizeof(want[0]));
}

static void
test_str_raw_utf8(void **state)
{
	static const char *const want[] = {
		"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\x7f",
		"\xd0\xba\xd0\xbb\xd1\x8e\xd1\x87",
	};
	static const char text[] = "[\"\xc3\xa9\",\"\xe2\x82\xac\","
	    "\"\xf0\x9f\x98\x80\",\"\x7f\",\"\xd0\xba\xd0\xbb\xd1\x8e\xd1\x87\"]";

	(void)state;
	expect_strs(text, sizeof(text) - 1, 1024, want, NULL, NULL, 5);
}

/* One string's bytes, checked by the scanner and by yajl. */
static int
scan_accepts(const unsigned char *body, size_t n, char *out, size_t *outlen)
{
	char text[64];
	struct strs c;
	struct sresult r;
	int ok;

	assert_true(n + 4 < sizeof(text));
	text[0] = '[';
	text[1] = '"';
	memcpy(text + 2, body, n);
	text[2 + n] = '"';
	text[3 + n] = ']';
	strs_all_chunks(text, n + 4, 1024, 0, (uint64_t)-1, &c, &r);
	ok = r.ret == 1;
	if (ok) {
		assert_int_equal(c.n, 1);
		memcpy(out, c.v[0].s, c.v[0].len);
		*outlen = c.v[0].len;
	}
	strs_free(&c);
	return ok;
}

struct ystr {
	char	 s[64];
	size_t	 len;
	int	 n;
};

static int
y_string(void *ctx, const unsigned char *s, size_t len)
{
	struct ystr *y = ctx;

	assert_true(len < sizeof(y->s));
	memcpy(y->s, s, len);
	y->len = len;
	y->n++;
	return 0;
}

static int
yajl_accepts(const unsigned char *body, size_t n, char *out, size_t *outlen)
{
	static const struct hs_json_events ev = { .string = y_string };
	struct ystr y = { .n = 0 };
	struct hs_json *j = hs_json_new(&ev, &y);
	unsigned char text[64];
	int ok;

	assert_non_null(j);
	text[0] = '[';
	text[1] = '"';
	memcpy(text + 2, body, n);
	text[2 + n] = '"';
	text[3 + n] = ']';
	ok = hs_json_feed(j, text, n + 4, 0) == 0 && hs_json_finish(j) == 0;
	hs_json_free(j);
	if (ok) {
		assert_int_equal(y.n, 1);
		memcpy(out, y.s, y.len);
		*outlen = y.len;
	}
	return ok;
}

/*
 * Every byte value as a lead, followed by nothing, by one, two or three
 * continuation bytes, or by an ASCII letter: the scanner accepts exactly
 * what yajl accepts, and keeps the same bytes.
 */
static void
test_str_utf8_like_yajl(void **state)
{
	static const unsigned char tails[][4] = {
		{ 0 }, { 0x80 }, { 0xbf, 0x80 }, { 0x80, 0x80, 0x80 },
		{ 'A' }, { 0x80, 'A' }, { 0xa0, 0x80, 0x80, 0x80 },
	};
	static const size_t tail_len[] = { 0, 1, 2, 3, 1, 2, 4 };
	unsigned char body[8];
	char a[64], b[64];
	size_t alen, blen, t;
	unsigned lead;
	int sa, ya, accepted = 0, refused = 0;

	(void)state;
	for (lead = 0x20; lead < 0x100; lead++) {
		if (lead == '"' || lead == '\\')
			continue;
		for (t = 0; t < sizeof(tail_len) / sizeof(tail_len[0]); t++) {
			body[0] = (unsigned char)lead;
			memcpy(body + 1, tails[t], tail_len[t]);
			sa = scan_accepts(body, 1 + tail_len[t], a, &alen);
			ya = yajl_accepts(body, 1 + tail_len[t], b, &blen);
			if (sa != ya)
				fail_msg("bytes %02x + tail %zu: scanner %s, "
				    "yajl %s", lead, t, sa ? "accepts" :
				    "refuses", ya ? "accepts" : "refuses");
			if (sa) {
				assert_int_equal(alen, blen);
				assert_memory_equal(a, b, alen);
				accepted++;
			} else {
				refused++;
			}
		}
	}
	/* Both outcomes were exercised. */
	assert_true(accepted > 100);
	assert_true(refused > 100);
}

static void
test_str_utf8_errors(void **state)
{
	(void)state;
	/* A lone continuation byte, at its own offset. */
	expect_str_error(S("[\"ab\x80\"]"), 4, "invalid UTF-8 in string");
	/* Bytes that start no sequence. */
	expect_str_error(S("[\"\xf8\x80\x80\x80\x80\"]"), 2,
	    "invalid UTF-8 in string");
	expect_str_error(S("[\"\xff\"]"), 2, "invalid UTF-8 in string");
	/* A sequence cut short: at the byte that should continue it. */
	expect_str_error(S("[\"\xc3" "A\"]"), 3, "invalid UTF-8 in string");
	expect_str_error(S("[\"\xe2\x82\"]"), 4, "invalid UTF-8 in string");
	expect_str_error(S("[\"ok\",\"\xf0\x9f\x98\"]"), 10,
	    "invalid UTF-8 in string");
	/* In a string nobody wants, too. */
	{
		struct strs c;
		struct sresult r;

		strs_all_chunks(S("[\"\xc3(\",\"b\"]"), 1024, 1,
		    (uint64_t)-1, &c, &r);
		assert_int_equal(r.ret, -1);
		assert_string_equal(r.err, "invalid UTF-8 in string");
		assert_int_equal(r.err_offset, 3);
		assert_int_equal(c.asked, 1);
		strs_free(&c);
	}
}

static void
test_str_control_and_escape_errors(void **state)
{
	(void)state;
	expect_str_error(S("[\"a\x01\"]"), 3, "control character in string");
	expect_str_error(S("[\"a\nb\"]"), 3, "control character in string");
	expect_str_error(S("[\"\t\"]"), 2, "control character in string");
	expect_str_error(S("[\"x\",\"\x1f\"]"), 6,
	    "control character in string");
	expect_str_error(S("[\"a\0b\"]"), 3, "control character in string");
	expect_str_error(S("[\"\\x\"]"), 3, "invalid escape in string");
	expect_str_error(S("[\"ab\\'\"]"), 5, "invalid escape in string");
	expect_str_error(S("[\"\\u12G4\"]"), 6, "invalid \\u escape in string");
	expect_str_error(S("[\"\\u\"]"), 4, "invalid \\u escape in string");
	expect_str_error(S("[\"\\ud800\\u12\"]"), 12,
	    "invalid \\u escape in string");
}

static void
test_str_structure_errors(void **state)
{
	struct strs c;
	struct sresult r;

	(void)state;
	expect_str_error(S("[\"a\" \"b\"]"), 5, "expected ',' or ']'");
	expect_str_error(S("[\"a\",]"), 5, "expected a string");
	expect_str_error(S("[\"a\",,\"b\"]"), 5, "expected a string");
	expect_str_error(S("[,\"a\"]"), 1, "expected a string or ']'");
	expect_str_error(S("[1]"), 1, "expected a string or ']'");
	expect_str_error(S("[\"a\",null]"), 5, "expected a string");
	expect_str_error(S("['a']"), 1, "expected a string or ']'");
	expect_str_error(S("[\"a\"}"), 4, "expected ',' or ']'");
	expect_str_error(S("[\f\"a\"]"), 1, "expected a string or ']'");
	/* An unterminated string wants more input. */
	strs_all_chunks(S("[\"abc"), 1024, 0, (uint64_t)-1, &c, &r);
	assert_int_equal(r.ret, 0);
	assert_int_equal(r.end, 5);
	assert_int_equal(c.n, 0);
	strs_free(&c);
}

static void
test_str_stops_after_bracket(void **state)
{
	struct strs c;
	struct sresult r;

	(void)state;
	strs_all_chunks(S("[\"a\"],\"b\"]"), 1024, 0, (uint64_t)-1, &c, &r);
	assert_int_equal(r.ret, 1);
	assert_int_equal(r.end, 5);
	assert_int_equal(c.n, 1);
	strs_free(&c);
}

static void
test_str_truncation(void **state)
{
	static const char *const want[] = {
		"abcd",			/* "abcdef": cut */
		"abcd",			/* exactly keep_max: whole */
		"abc",			/* "abc\xc3\xa9": not inside the e-acute */
		"ab",			/* "ab" + euro sign */
		"\xf0\x9f\x98\x80",	/* two emoji: the first */
		"ab\xc3\xa9",		/* "ab\u00e9\u00e9" */
		"abc",			/* "abc\u00e9" */
		"\xc3\xa9\xc3\xa9",	/* three raw e-acute */
		"a\xc3\xa9",		/* "a\u00e9\ud83d\ude00" */
		"abc",			/* "abc\ud800": U+FFFD won't fit */
		"",			/* empty */
		"xy\nz",		/* "xy\\nzw" */
	};
	static const int trunc[] = { 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1 };
	static const char text[] = "["
	    "\"abcdef\",\"abcd\",\"abc\xc3\xa9\",\"ab\xe2\x82\xac\","
	    "\"\xf0\x9f\x98\x80\xf0\x9f\x98\x80\",\"ab\\u00e9\\u00e9\","
	    "\"abc\\u00e9\",\"\xc3\xa9\xc3\xa9\xc3\xa9\","
	    "\"a\\u00e9\\ud83d\\ude00\",\"abc\\ud800\",\"\",\"xy\\nzw\"]";

	(void)state;
	expect_strs(text, sizeof(text) - 1, 4, want, NULL, trunc,
	    sizeof(want) / sizeof(want[0]));
}

static void
test_str_want_filter(void **state)
{
	static const char text[] = "[\"zero\",\"one\",\"two\",\"three\","
	    "\"four\",\"five\"]";
	struct strs c;
	struct sresult r;

	(void)state;
	strs_all_chunks(text, sizeof(text) - 1, 64, 1, (uint64_t)-1, &c, &r);
	assert_int_equal(r.ret, 1);
	assert_int_equal(r.index, 6);
	assert_int_equal(c.asked, 6);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.v[0].index, 1);
	assert_string_equal(c.v[0].s, "one");
	assert_int_equal(c.v[1].index, 3);
	assert_string_equal(c.v[1].s, "three");
	assert_int_equal(c.v[2].index, 5);
	assert_string_equal(c.v[2].s, "five");
	strs_free(&c);
}

static void
test_str_sink_failure(void **state)
{
	static const char text[] = "[\"a\",\"bc\",\"d\"]";
	struct strs c;
	struct sresult r;

	(void)state;
	strs_all_chunks(text, sizeof(text) - 1, 64, 0, 1, &c, &r);
	assert_int_equal(r.ret, -1);
	assert_null(r.err);
	/* Just past the refused string's closing quote. */
	assert_int_equal(r.err_offset, 9);
	assert_int_equal(c.n, 1);
	strs_free(&c);
}

/* A long array of assorted strings, compared across chunk sizes. */
static void
test_str_chunking(void **state)
{
	static const char *const pieces[] = {
		"plain", "\\n", "\\\"", "\\\\", "\\/", "\\u0041", "\\u00e9",
		"\\ud83d\\ude00", "\\ud800", "\\udc00", "\xc3\xa9",
		"\xe2\x82\xac", "\xf0\x9f\x98\x80", " ", "\\t",
		"a longer run of plain ASCII text that is cut at keep_max",
	};
	size_t cap = 1 << 20, len = 0, i, k, n = 3000, npieces;
	char *text = malloc(cap);
	uint32_t x = 99;
	struct strs c;
	struct sresult r;

	(void)state;
	assert_non_null(text);
	npieces = sizeof(pieces) / sizeof(pieces[0]);
	text[len++] = '[';
	for (i = 0; i < n; i++) {
		if (i > 0)
			text[len++] = ',';
		if (i % 7 == 0)
			text[len++] = ' ';
		text[len++] = '"';
		for (k = 0; k < i % 9; k++) {
			x = x * 1103515245u + 12345u;
			len += (size_t)sprintf(text + len, "%s",
			    pieces[(x >> 8) % npieces]);
		}
		text[len++] = '"';
		assert_true(len + 1024 < cap);
	}
	text[len++] = ']';
	for (k = 0; k < 2; k++) {
		/* keep_max 16 cuts many strings, 1024 none. */
		strs_all_chunks(text, len, k ? 16 : 1024, 0, (uint64_t)-1,
		    &c, &r);
		assert_int_equal(r.ret, 1);
		assert_int_equal(r.end, len);
		assert_int_equal(c.n, n);
		for (i = 0; i < c.n; i++) {
			assert_true(c.v[i].len <= (k ? 16u : 1024u));
			/* Never ends inside a UTF-8 sequence. */
			if (c.v[i].len > 0) {
				size_t j = c.v[i].len, back = 0;
				unsigned char ch;

				while (j > 0 && (((ch = (unsigned char)
				    c.v[i].s[j - 1]) & 0xc0) == 0x80)) {
					j--;
					back++;
				}
				if (j > 0) {
					ch = (unsigned char)c.v[i].s[j - 1];
					assert_int_equal(back, ch < 0x80 ? 0 :
					    ch < 0xe0 ? 1 : ch < 0xf0 ? 2 : 3);
				}
			}
		}
		strs_free(&c);
	}
	free(text);
}

/*
 * The integer tests run twice: with the processor's AVX-512 path, where
 * it has one, and with the one-at-a-time path that every processor has.
 */
static int
with_simd(void **state)
{
	(void)state;
	print_message("the integer scanner's AVX-512 path: %s\n",
	    hs_intscan_simd(1) ? "on" : "not on this processor");
	return 0;
}

static int
without_simd(void **state)
{
	(void)state;
	hs_intscan_simd(0);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest ints[] = {
		cmocka_unit_test(test_int_valid),
		cmocka_unit_test(test_int_rows),
		cmocka_unit_test(test_int_whitespace),
		cmocka_unit_test(test_int_stops_after_bracket),
		cmocka_unit_test(test_int_errors),
		cmocka_unit_test(test_int_incomplete),
		cmocka_unit_test(test_int_chunking),
		cmocka_unit_test(test_int_sink_failure),
		cmocka_unit_test(test_int_offsets),
		cmocka_unit_test(test_int_ahead),
		cmocka_unit_test(test_int_like_yajl),
	};
	const struct CMUnitTest strs[] = {
		cmocka_unit_test(test_str_basic),
		cmocka_unit_test(test_str_escapes),
		cmocka_unit_test(test_str_raw_utf8),
		cmocka_unit_test(test_str_utf8_like_yajl),
		cmocka_unit_test(test_str_utf8_errors),
		cmocka_unit_test(test_str_control_and_escape_errors),
		cmocka_unit_test(test_str_structure_errors),
		cmocka_unit_test(test_str_stops_after_bracket),
		cmocka_unit_test(test_str_truncation),
		cmocka_unit_test(test_str_want_filter),
		cmocka_unit_test(test_str_sink_failure),
		cmocka_unit_test(test_str_chunking),
	};
	int failed;

	failed = cmocka_run_group_tests_name("integers, AVX-512", ints,
	    with_simd, NULL);
	failed += cmocka_run_group_tests_name("integers, one at a time", ints,
	    without_simd, NULL);
	return failed + cmocka_run_group_tests_name("strings", strs, NULL,
	    NULL);
}

/*
 * scan: strict, fast scanners for arrays of integers and of strings.
 */
#include <stdatomic.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "alloc.h"
#include "scan.h"

enum { S_FIRST, S_VALUE, S_NUMBER, S_ZERO, S_AFTER };

#define IS_WS(c)	((c) == ' ' || (c) == '\n' || (c) == '\r' || (c) == '\t')
#define IS_DIGIT(c)	((unsigned)((c) - '0') < 10)

void
hs_intscan_init(struct hs_intscan *s, hs_int_sink sink, void *ctx)
{
	s->state = 0;
	s->value = 0;
	s->count = 0;
	s->nbatch = 0;
	s->err = NULL;
	s->err_offset = 0;
	s->state = S_FIRST;
	s->sink = sink;
	s->ctx = ctx;
}

static int
int_fail(struct hs_intscan *s, const char *msg, uint64_t off)
{
	s->err = msg;
	s->err_offset = off;
	return -1;
}

static int
flush(struct hs_intscan *s)
{
	size_t n = s->nbatch, bad = 0;

	s->nbatch = 0;
	if (n > 0 && s->sink(s->ctx, s->batch, n, &bad) == -1) {
		s->err = NULL;
		s->err_offset = s->batch_off[bad < n ? bad : n - 1];
		return -1;
	}
	return 0;
}

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SWAR	1

/*
 * The value of the n digits at p, 1 <= n <= 8, 8 bytes readable there:
 * the bytes less '0', shifted so that the number ends at the top with
 * zeros before it, are combined in pairs, then fours, then the eight, by
 * multiplications.
 */
static inline uint64_t
swar_digits(const unsigned char *p, unsigned n)
{
	uint64_t x;

	memcpy(&x, p, sizeof(x));
	x = (x - 0x3030303030303030ULL) << (64 - 8 * n);
	x = x * 10 + (x >> 8);		/* pairs, in bytes 0, 2, 4, 6 */
	return ((x & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32)) +
	    ((x >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32))) >>
	    32;
}
#endif

/*
 * A number of up to ten digits at p, with no leading zero and no more
 * than 4294967295, and at least twelve bytes readable there: its value in
 * *value and the first byte after it, or NULL for anything else (which
 * the states then take, with their messages).
 *
 * Up to seven digits are found eight bytes at a time: the bytes less '0'
 * are digits where they are under 10, the first that is not ends the
 * number.  Longer numbers, digit by digit.
 */
static inline const unsigned char *
fast_number(const unsigned char *p, uint32_t *value)
{
	uint64_t x;
	unsigned n;

	if ((unsigned)(*p - '0') > 9)
		return NULL;
#ifdef SWAR
	{
		uint64_t w, d, stop;

		memcpy(&w, p, sizeof(w));
		d = w - 0x3030303030303030ULL;
		/*
		 * A byte's top bit, where it is not a digit.  Borrows and
		 * carries only run upwards, from a byte after the first that
		 * is not a digit: that one and those before it are exact.
		 */
		stop = ((d + 0x7676767676767676ULL) | d) &
		    0x8080808080808080ULL;
		if (stop != 0) {
			n = (unsigned)__builtin_ctzll(stop) / 8;
			if (n == 0 || (n > 1 && *p == '0'))
				return NULL;
			*value = (uint32_t)swar_digits(p, n);
			return p + n;
		}
	}
#endif
	x = (unsigned)(*p - '0');
	n = 1;
	if (x != 0)
		while (n < 10 && (unsigned)(p[n] - '0') <= 9)
			x = x * 10 + (unsigned)(p[n++] - '0');
	if ((unsigned)(p[n] - '0') <= 9 || x > UINT32_MAX)
		return NULL;
	*value = (uint32_t)x;
	return p + n;
}

/*
 * Whole values of the usual shape, "digits ," or "digits \n ,", taken 64
 * bytes at a time.  For each block, masks of its digits, commas and
 * newlines (a bit a byte) say where every value begins and ends, so the
 * values are converted with no dependency from one to the next, as the
 * one-at-a-time path above cannot.  A block is taken up to its last comma
 * before anything that breaks the shape: a digit first, a digit or a
 * newline before every comma, a digit after it, a newline only between a
 * digit and a comma, no number of two or more digits beginning with 0.
 * Values are taken up to one of over ten digits or 4294967295.  What is
 * not taken is left to the caller, a value at a time: the states then say
 * what is wrong, if anything is.
 */
#define BLOCK		64

#if defined(__SSE2__) && defined(SWAR)

#define BLOCK_NEED	(BLOCK + 16)	/* readable bytes from a block's start */

struct block_masks {
	uint64_t	digit, comma, newline, zero;
};

static inline void
block_masks(const unsigned char *p, struct block_masks *m)
{
	const __m128i comma = _mm_set1_epi8(','), nl = _mm_set1_epi8('\n'),
	    zero = _mm_set1_epi8('0'), nine = _mm_set1_epi8(9);
	int k;

	m->digit = m->comma = m->newline = m->zero = 0;
	for (k = 0; k < BLOCK / 16; k++) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)
		    (p + 16 * k));
		__m128i t = _mm_sub_epi8(v, zero);
		uint64_t d, c, l, z;

		d = (uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(
		    _mm_min_epu8(t, nine), t));
		c = (uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma));
		l = (uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl));
		z = (uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, zero));
		m->digit |= d << (16 * k);
		m->comma |= c << (16 * k);
		m->newline |= l << (16 * k);
		m->zero |= z << (16 * k);
	}
}

/* Bits 0 to i of a word (i < 64), and those below i. */
#define UPTO(i)		((i) == 63 ? ~(uint64_t)0 : ((uint64_t)2 << (i)) - 1)
#define BELOW(i)	(((uint64_t)1 << (i)) - 1)

/*
 * Where the processor has AVX-512 with VBMI (asked once, at run time), a
 * block's values are converted eight at a time: each number's digits are
 * gathered into a 64-bit lane of their own (vpermb), right-aligned with
 * zeros before them, and the eight lanes are combined by multiply-adds, as
 * one would by hand: pairs, fours, then the eight.  Only blocks whose
 * numbers all have 8 digits or fewer, and whose values all fit in the
 * room left; the others take the one-at-a-time path below.  Both paths
 * give the same values, offsets and stopping points (test_scan, run with
 * each, and the fuzzers).
 */
#if defined(__x86_64__) && defined(__GNUC__) && \
    (defined(__clang__) || __GNUC__ >= 8)
#define AVX512_PATH	1
#include <immintrin.h>

#define AVX512_TARGET __attribute__((target("avx512f,avx512bw,avx512vl," \
    "avx512vbmi,avx512vpopcntdq,popcnt")))

static atomic_int avx512_state = -1;	/* unknown, 0 off, 1 on */
static atomic_int avx512_allowed = 1;

static int
avx512_on(void)
{
	int on = atomic_load_explicit(&avx512_state, memory_order_relaxed);

	if (on == -1) {
		__builtin_cpu_init();
		on = __builtin_cpu_supports("avx512f") &&
		    __builtin_cpu_supports("avx512bw") &&
		    __builtin_cpu_supports("avx512vl") &&
		    __builtin_cpu_supports("avx512vbmi") &&
		    __builtin_cpu_supports("avx512vpopcntdq") &&
		    __builtin_cpu_supports("popcnt");
		atomic_store_explicit(&avx512_state, on, memory_order_relaxed);
	}
	return on && atomic_load_explicit(&avx512_allowed,
	    memory_order_relaxed);
}

/*
 * The values of the block at p whose last digits are the bits of ends
 * (each number of 8 digits or fewer, with a byte that is not a digit, or
 * the block's start, before it), into values[] and, if offsets is not
 * NULL, each one's offset, base being p's.  Returns how many, or 0 if
 * they are more than room.
 */
AVX512_TARGET static unsigned
block_convert_avx512(const unsigned char *p, uint64_t ends, uint32_t *values,
    uint64_t *offsets, size_t room, uint64_t base)
{
	unsigned k = (unsigned)__builtin_popcountll(ends), g, i;
	const __m512i text = _mm512_loadu_si512((const void *)p);
	/* Byte j of a lane: j - 7, so that a lane ends at its last digit. */
	const __m512i ramp = _mm512_set1_epi64(0x00FFFEFDFCFBFAF9LL);
	/* Byte i of the low 64 bits into all eight bytes of lane i. */
	const __m512i spread = _mm512_set_epi64(
	    0x0707070707070707LL, 0x0606060606060606LL, 0x0505050505050505LL,
	    0x0404040404040404LL, 0x0303030303030303LL, 0x0202020202020202LL,
	    0x0101010101010101LL, 0);
	const __m512i zero = _mm512_set1_epi8('0'), nine = _mm512_set1_epi8(9);
	const __m512i outside = _mm512_set1_epi8(-1);
	const __m512i ten_one = _mm512_set1_epi16(0x010A);	/* 10, 1 */
	const __m512i hundred_one = _mm512_set1_epi32(0x00010064);
	const __m512i ten_thousand = _mm512_set1_epi64(10000);
	const __m512i low_halves = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14,
	    0, 0, 0, 0, 0, 0, 0, 0);

	if (k > room)
		return 0;
	for (g = 0; g < k; g += 8) {
		unsigned lanes = k - g < 8 ? k - g : 8;
		__mmask8 keep = (__mmask8)((1u << lanes) - 1);
		uint64_t last = 0, x;
		__m512i at, d, q, v;
		__mmask64 in;

		/* Up to eight positions, a byte each. */
		for (i = 0; i < lanes; i++) {
			last |= (uint64_t)(unsigned)__builtin_ctzll(ends) <<
			    (8 * i);
			ends &= ends - 1;
		}
		at = _mm512_add_epi8(_mm512_permutexvar_epi8(spread,
		    _mm512_castsi128_si512(_mm_cvtsi64_si128(
		    (long long)last))), ramp);
		/* The lanes' bytes less '0'; before the block, not a digit. */
		d = _mm512_mask_sub_epi8(outside, _mm512_cmpge_epi8_mask(at,
		    _mm512_setzero_si512()), _mm512_permutexvar_epi8(at, text),
		    zero);
		/*
		 * A lane's number: its digits from the last byte back to the
		 * first byte that is not one.  x: the bytes that are not,
		 * each smeared down to the lane's first byte.
		 */
		x = ~(uint64_t)_mm512_cmple_epu8_mask(d, nine);
		x |= (x >> 1) & 0x7F7F7F7F7F7F7F7FULL;
		x |= (x >> 2) & 0x3F3F3F3F3F3F3F3FULL;
		x |= (x >> 4) & 0x0F0F0F0F0F0F0F0FULL;
		in = ~x & (lanes == 8 ? ~(__mmask64)0 :
		    ((__mmask64)1 << (8 * lanes)) - 1);
		d = _mm512_maskz_mov_epi8(in, d);
		/* Pairs, then fours, then the eight. */
		q = _mm512_madd_epi16(_mm512_maddubs_epi16(d, ten_one),
		    hundred_one);
		v = _mm512_add_epi64(_mm512_mul_epu32(q, ten_thousand),
		    _mm512_srli_epi64(q, 32));
		/* The low halves of the lanes (not vpmovqd to memory: slow). */
		_mm256_mask_storeu_epi32((void *)(values + g), keep,
		    _mm512_castsi512_si256(_mm512_permutexvar_epi32(low_halves,
		    v)));
		if (offsets != NULL) {
			/* A lane's first digit: its last, less its length - 1. */
			__m512i len = _mm512_srli_epi64(_mm512_popcnt_epi64(
			    _mm512_movm_epi8(in)), 3);

			_mm512_mask_storeu_epi64((void *)(offsets + g), keep,
			    _mm512_sub_epi64(_mm512_add_epi64(
			    _mm512_cvtepu8_epi64(_mm_cvtsi64_si128(
			    (long long)last)), _mm512_set1_epi64(
			    (long long)base + 1)), len));
		}
	}
	return k;
}

/* block_masks(), 64 bytes at once. */
AVX512_TARGET static inline void
block_masks_avx512(const unsigned char *p, struct block_masks *m)
{
	const __m512i v = _mm512_loadu_si512((const void *)p);

	m->digit = _mm512_cmple_epu8_mask(_mm512_sub_epi8(v,
	    _mm512_set1_epi8('0')), _mm512_set1_epi8(9));
	m->comma = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(','));
	m->newline = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\n'));
	m->zero = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('0'));
}

/* Whether a number of 9 digits or more begins in region. */
static inline int
long_numbers(uint64_t digit, uint64_t region)
{
	uint64_t r = digit & (digit >> 1);	/* runs of 2 from here */

	r &= r >> 2;				/* of 4 */
	r &= r >> 4;				/* of 8 */
	return (r & (digit >> 8) & region) != 0;	/* of 9 */
}
#endif

/*
 * Takes blocks at p while there is room in the buffer for them: at most
 * room values into values[] (and, if offsets is not NULL, each one's
 * offset, p being at offset off).  Returns how many, with *pp moved past
 * them and their commas.  With avx512 (a constant), the masks and the
 * values are made with AVX-512, in a function built for it.
 */
static inline __attribute__((always_inline)) size_t
block_values_body(const unsigned char **pp, const unsigned char *end,
    uint32_t *values, uint64_t *offsets, size_t room, uint64_t off,
    const int avx512)
{
	const unsigned char *p = *pp, *start = p;
	size_t n = 0;

	/* A digit first: else nothing to take, and no masks to make. */
	while (end - p >= BLOCK_NEED && n < room && IS_DIGIT(*p)) {
		struct block_masks m;
		uint64_t lim, region, starts, ends, flaws;
		unsigned last, e = 0;
		size_t before = n;	/* values taken before this block */
#ifdef AVX512_PATH
		unsigned k;
#endif

#ifdef AVX512_PATH
		if (avx512)
			block_masks_avx512(p, &m);
		else
#endif
			block_masks(p, &m);
		/* Up to the last comma before a byte of no kind allowed. */
		lim = ~(m.digit | m.comma | m.newline);
		lim = lim == 0 ? ~(uint64_t)0 : BELOW(__builtin_ctzll(lim));
		if ((m.comma & lim) == 0)
			break;
		last = 63 - (unsigned)__builtin_clzll(m.comma & lim);
		region = UPTO(last);
		starts = m.digit & ~(m.digit << 1);
		/*
		 * Bytes that break the shape: a newline not followed by a
		 * comma, what follows a comma if not a digit, a digit after
		 * a leading 0.  With a digit first, that leaves only digits
		 * or a newline before a comma, and digits before a newline.
		 */
		flaws = ((m.newline & ~(m.comma >> 1)) |
		    ((m.comma << 1) & ~m.digit) |
		    ((starts & m.zero) << 1 & m.digit)) & region;
		if (flaws != 0) {
			/* Up to the last comma before the first of them. */
			lim = BELOW(__builtin_ctzll(flaws));
			if ((m.comma & lim) == 0)
				break;
			last = 63 - (unsigned)__builtin_clzll(m.comma & lim);
			region = UPTO(last);
		}
		starts &= region;
		ends = m.digit & ~(m.digit >> 1) & region;
#ifdef AVX512_PATH
		if (avx512 && !long_numbers(m.digit, region) &&
		    (k = block_convert_avx512(p, ends, values + n,
		    offsets != NULL ? offsets + n : NULL, room - n,
		    off + (uint64_t)(p - start))) > 0) {
			n += k;
			p += last + 1;
			continue;
		}
#endif
		while (starts != 0 && n < room) {
			unsigned b, len;
			uint64_t v;

			b = (unsigned)__builtin_ctzll(starts);
			len = (unsigned)__builtin_ctzll(ends) - b + 1;
			if (len <= 8) {
				v = swar_digits(p + b, len);
			} else if (len <= 10) {
				v = swar_digits(p + b, len - 8) * 100000000 +
				    swar_digits(p + b + len - 8, 8);
				if (v > UINT32_MAX)
					break;
			} else {
				break;
			}
			if (offsets != NULL)
				offsets[n] = off + (uint64_t)(p - start) + b;
			values[n++] = (uint32_t)v;
			e = b + len - 1;
			starts &= starts - 1;
			ends &= ends - 1;
		}
		if (starts == 0) {
			p += last + 1;
			continue;
		}
		/* Stopped early: past the comma after the last value taken. */
		if (n > before)
			p += __builtin_ctzll(m.comma & ~UPTO(e)) + 1;
		break;
	}
	*pp = p;
	return n;
}

#ifdef AVX512_PATH
AVX512_TARGET static size_t
block_values_avx512(const unsigned char **pp, const unsigned char *end,
    uint32_t *values, uint64_t *offsets, size_t room, uint64_t off)
{
	return block_values_body(pp, end, values, offsets, room, off, 1);
}
#endif

static size_t
block_values(const unsigned char **pp, const unsigned char *end,
    uint32_t *values, uint64_t *offsets, size_t room, uint64_t off)
{
#ifdef AVX512_PATH
	if (avx512_on())
		return block_values_avx512(pp, end, values, offsets, room,
		    off);
#endif
	return block_values_body(pp, end, values, offsets, room, off, 0);
}
#else
static size_t
block_values(const unsigned char **pp, const unsigned char *end,
    uint32_t *values, uint64_t *offsets, size_t room, uint64_t off)
{
	(void)pp;
	(void)end;
	(void)values;
	(void)offsets;
	(void)room;
	(void)off;
	return 0;
}
#endif

int
hs_intscan_simd(int allow)
{
#ifdef AVX512_PATH
	atomic_store_explicit(&avx512_allowed, allow, memory_order_relaxed);
	return avx512_on();
#else
	(void)allow;
	return 0;
#endif
}

int
hs_intscan_run(struct hs_intscan *s, const unsigned char *buf, size_t len,
    uint64_t off, size_t *used)
{
	const unsigned char *p = buf, *end = buf + len;
	uint64_t v = s->value;
	int st = s->state;
	unsigned c;

	while (p < end) {
		/*
		 * The usual case: a number of up to ten digits, no leading
		 * zero, that fits, and a comma right after it, or a newline
		 * and a comma (V8 ends each node's and edge's row so).  Taken
		 * here without the states; anything else, and the last bytes
		 * of the buffer, go through them.
		 */
		while ((st == S_VALUE || st == S_FIRST) && end - p > 11) {
			const unsigned char *q;
			uint32_t x;
			size_t k;

			k = block_values(&p, end, s->batch + s->nbatch,
			    s->batch_off + s->nbatch,
			    HS_SCAN_BATCH - s->nbatch, off + (uint64_t)(p - buf));
			if (k > 0) {
				s->nbatch += k;
				s->count += k;
				st = S_VALUE;
				if (s->nbatch == HS_SCAN_BATCH && flush(s) == -1)
					return -1;
				continue;
			}
			if ((q = fast_number(p, &x)) == NULL)
				break;
			if (*q == '\n' && q[1] == ',')
				q++;	/* q + 1 is at most p + 11 */
			else if (*q != ',')
				break;
			s->batch_off[s->nbatch] = off + (uint64_t)(p - buf);
			s->batch[s->nbatch++] = x;
			s->count++;
			if (s->nbatch == HS_SCAN_BATCH && flush(s) == -1)
				return -1;
			p = q + 1;	/* at most p + 12: end, or short of it */
			st = S_VALUE;
		}
		if (p == end)
			break;
		switch (st) {
		case S_NUMBER:
			while (p < end && IS_DIGIT(*p)) {
				v = v * 10 + (unsigned)(*p - '0');
				if (v > UINT32_MAX)
					return int_fail(s, "number out of "
					    "range (over 4294967295)",
					    s->value_off);
				p++;
			}
			if (p == end)
				break;
			/* FALLTHROUGH */
		case S_ZERO:
			c = *p;
			if (st == S_ZERO && IS_DIGIT(c))
				return int_fail(s, "invalid number (leading "
				    "zero)", off + (uint64_t)(p - buf));
			if (c == '.' || c == 'e' || c == 'E')
				return int_fail(s, "expected an integer",
				    off + (uint64_t)(p - buf));
			s->batch_off[s->nbatch] = s->value_off;
			s->batch[s->nbatch++] = (uint32_t)v;
			s->count++;
			if (s->nbatch == HS_SCAN_BATCH && flush(s) == -1)
				return -1;
			st = S_AFTER;
			break;
		case S_AFTER:
			c = *p++;
			if (c == ',') {
				st = S_VALUE;
			} else if (c == ']') {
				s->state = S_AFTER;
				*used = (size_t)(p - buf);
				if (flush(s) == -1)
					return -1;
				return 1;
			} else if (!IS_WS(c)) {
				return int_fail(s, "expected ',' or ']'",
				    off + (uint64_t)(p - 1 - buf));
			}
			break;
		default:	/* S_FIRST, S_VALUE */
			c = *p++;
			if (c >= '1' && c <= '9') {
				v = c - '0';
				st = S_NUMBER;
				s->value_off = off + (uint64_t)(p - 1 - buf);
			} else if (c == '0') {
				v = 0;
				st = S_ZERO;
				s->value_off = off + (uint64_t)(p - 1 - buf);
			} else if (c == ']' && st == S_FIRST) {
				s->state = S_AFTER;
				*used = (size_t)(p - buf);
				return 1;
			} else if (c == '-') {
				return int_fail(s, "expected a non-negative "
				    "integer", off + (uint64_t)(p - 1 - buf));
			} else if (!IS_WS(c)) {
				return int_fail(s, st == S_FIRST ?
				    "expected a number or ']'" :
				    "expected a number",
				    off + (uint64_t)(p - 1 - buf));
			}
			break;
		}
	}
	s->state = st;
	s->value = v;
	*used = len;
	return 0;
}

/*
 * One value "ws* number ws* ," at p, wholly before end: its value in
 * *value and the byte after its comma, or NULL.
 */
static const unsigned char *
ahead_unit(const unsigned char *p, const unsigned char *end, uint32_t *value)
{
	uint64_t v;

	while (p < end && IS_WS(*p))
		p++;
	if (p == end || !IS_DIGIT(*p))
		return NULL;
	v = (unsigned)(*p++ - '0');
	if (v != 0)
		while (p < end && IS_DIGIT(*p)) {
			v = v * 10 + (unsigned)(*p++ - '0');
			if (v > UINT32_MAX)
				return NULL;
		}
	while (p < end && IS_WS(*p))
		p++;
	if (p == end || *p != ',')
		return NULL;
	*value = (uint32_t)v;
	return p + 1;
}

size_t
hs_intahead_size(size_t cap)
{
	return sizeof(struct hs_intahead) + cap * sizeof(uint32_t);
}

void
hs_intscan_ahead(struct hs_intahead *a, const unsigned char *buf, size_t len,
    const atomic_int *cancel)
{
	const unsigned char *p, *q, *end = buf + len;
	size_t n = 0, cap = a->cap;
	uint32_t x;

	a->n = 0;
	a->start = a->end = len;
	if ((p = memchr(buf, ',', len)) == NULL)
		return;
	a->start = a->end = (size_t)(++p - buf);
	while (n < cap) {
		/* As in hs_intscan_run(), and the rest one value at a time. */
		{
			size_t k = block_values(&p, end, a->values + n, NULL,
			    cap - n, 0);

			if (k > 0) {
				n += k;
				if ((n & ~(size_t)4095) != ((n - k) &
				    ~(size_t)4095) &&
				    atomic_load_explicit(cancel,
				    memory_order_relaxed))
					break;
				continue;
			}
		}
		q = NULL;
		if (end - p > 11 && (q = fast_number(p, &x)) != NULL) {
			q += *q == '\n';	/* at most p + 11 */
			q = *q == ',' ? q + 1 : NULL;
		}
		if (q == NULL && (q = ahead_unit(p, end, &x)) == NULL)
			break;
		a->values[n++] = x;
		p = q;
		if ((n & 4095) == 0 &&
		    atomic_load_explicit(cancel, memory_order_relaxed))
			break;
	}
	a->n = n;
	a->end = (size_t)(p - buf);
}

/* Where the i-th value of a begins, i < a->n. */
static size_t
ahead_offset(const struct hs_intahead *a, const unsigned char *buf, size_t i)
{
	const unsigned char *p = buf + a->start;

	for (;; i--) {
		while (IS_WS(*p))
			p++;
		if (i == 0)
			return (size_t)(p - buf);
		p = (const unsigned char *)memchr(p, ',',
		    (size_t)(buf + a->end - p)) + 1;
	}
}

/* Hands a's values to the sink; buf is the buffer a was made from. */
static int
take_ahead(struct hs_intscan *s, const struct hs_intahead *a,
    const unsigned char *buf, uint64_t off)
{
	size_t i, k, bad;

	if (flush(s) == -1)
		return -1;
	for (i = 0; i < a->n; i += k) {
		k = a->n - i < HS_SCAN_BATCH ? a->n - i : HS_SCAN_BATCH;
		bad = 0;
		s->count += k;
		if (s->sink(s->ctx, a->values + i, k, &bad) == -1) {
			s->err = NULL;
			s->err_offset = off + ahead_offset(a, buf,
			    i + (bad < k ? bad : k - 1));
			return -1;
		}
	}
	return 0;
}

int
hs_intscan_run_ahead(struct hs_intscan *s, const unsigned char *chunk,
    size_t pos, size_t len, uint64_t off, const struct hs_intahead *a,
    size_t *used)
{
	size_t at = pos, u;
	int ret;

	if (a != NULL && a->n > 0 && pos <= a->start) {
		ret = hs_intscan_run(s, chunk + pos, a->start - pos, off + pos,
		    &u);
		if (ret != 0) {
			*used = u;
			return ret;
		}
		at = a->start;
		if (s->state == S_VALUE) {	/* just after a comma */
			if (take_ahead(s, a, chunk, off) == -1)
				return -1;
			at = a->end;
		}
	}
	ret = hs_intscan_run(s, chunk + at, len - at, off + at, &u);
	*used = at - pos + u;
	return ret;
}

/* String scanner states. */
enum { T_FIRST, T_VALUE, T_STRING, T_ESCAPE, T_HEX, T_AFTER };

/* 1 for bytes that need no attention inside a string. */
static unsigned char plain[256];

/*
 * Where the bytes that stand for themselves in a string end: at '"', '\\',
 * a control character or a byte of a UTF-8 sequence.  Sixteen at a time
 * where SSE2 is: as signed bytes, both the control characters and the
 * bytes from 0x80 up are below 0x20.
 */
static const unsigned char *
plain_run(const unsigned char *p, const unsigned char *end)
{
#ifdef __SSE2__
	const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'),
	    space = _mm_set1_epi8(0x20);

	while (end - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		unsigned stop = (unsigned)_mm_movemask_epi8(_mm_or_si128(
		    _mm_or_si128(_mm_cmpeq_epi8(v, quote),
		    _mm_cmpeq_epi8(v, bslash)), _mm_cmplt_epi8(v, space)));

		if (stop != 0)
			return p + __builtin_ctz(stop);
		p += 16;
	}
#endif
	while (p < end && plain[*p])
		p++;
	return p;
}

int
hs_strscan_init(struct hs_strscan *s, size_t keep_max, hs_str_want want,
    hs_str_sink sink, void *ctx)
{
	int c;

	if (!plain['a'])
		for (c = 0x20; c < 0x80; c++)
			plain[c] = c != '"' && c != '\\';
	memset(s, 0, sizeof(*s));
	s->state = T_FIRST;
	s->keep_max = keep_max;
	s->want = want;
	s->sink = sink;
	s->ctx = ctx;
	if ((s->cur = hs_malloc(keep_max + 4)) == NULL)
		return -1;
	return 0;
}

void
hs_strscan_free(struct hs_strscan *s)
{
	hs_free(s->cur);
	s->cur = NULL;
}

static int
str_fail(struct hs_strscan *s, const char *msg, uint64_t off)
{
	s->err = msg;
	s->err_offset = off;
	return -1;
}

/* Appends kept bytes, cutting on a character boundary at keep_max. */
static void
keep_bytes(struct hs_strscan *s, const unsigned char *p, size_t n)
{
	size_t room;

	if (!s->keep || s->truncated)
		return;
	room = s->keep_max - s->curlen;
	if (n > room) {
		n = room;
		/* Do not end on a partial UTF-8 sequence. */
		while (n > 0 && (p[n] & 0xc0) == 0x80)
			n--;
		s->truncated = 1;
	}
	memcpy(s->cur + s->curlen, p, n);
	s->curlen += n;
}

static void
keep_codepoint(struct hs_strscan *s, uint32_t cp)
{
	unsigned char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (unsigned char)(0xc0 | cp >> 6);
		u[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (unsigned char)(0xe0 | cp >> 12);
		u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xf0 | cp >> 18);
		u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	if (s->keep && !s->truncated && s->curlen + n > s->keep_max) {
		s->truncated = 1;
		return;
	}
	keep_bytes(s, u, n);
}

/* A lone surrogate is kept as U+FFFD. */
static void
flush_high(struct hs_strscan *s)
{
	if (s->high) {
		keep_codepoint(s, 0xfffd);
		s->high = 0;
	}
}

/* After a cut, drops a trailing UTF-8 sequence that lost its tail. */
static void
trim_partial(struct hs_strscan *s)
{
	size_t i = s->curlen, back = 0, need;
	unsigned char c;

	while (i > 0 && back < 4) {
		c = (unsigned char)s->cur[i - 1];
		back++;
		if ((c & 0xc0) != 0x80) {
			need = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 :
			    (c >> 4) == 0xe ? 3 : 4;
			if (back < need)
				s->curlen = i - 1;
			return;
		}
		i--;
	}
}

int
hs_hexdigit(int c)
{
	if (IS_DIGIT(c))
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
hs_json_escape(int c)
{
	switch (c) {
	case '"': case '\\': case '/':
		return c;
	case 'b': return '\b';
	case 'f': return '\f';
	case 'n': return '\n';
	case 'r': return '\r';
	case 't': return '\t';
	default:
		return -1;
	}
}

int
hs_strscan_run(struct hs_strscan *s, const unsigned char *buf, size_t len,
    uint64_t off, size_t *used)
{
	const unsigned char *p = buf, *end = buf + len, *run;
	unsigned c;
	int h;

#define AT(q)	(off + (uint64_t)((q) - buf))
	while (p < end) {
		switch (s->state) {
		case T_STRING:
			if (s->utf8_need > 0) {
				c = *p;
				if ((c & 0xc0) != 0x80)
					return str_fail(s, "invalid UTF-8 in "
					    "string", AT(p));
				keep_bytes(s, p, 1);
				p++;
				s->utf8_need--;
				break;
			}
			run = p;
			p = plain_run(p, end);
			if (p > run) {
				flush_high(s);
				keep_bytes(s, run, (size_t)(p - run));
			}
			if (p == end)
				break;
			c = *p;
			if (c == '"') {
				flush_high(s);
				p++;
				if (s->truncated)
					trim_partial(s);
				if (s->keep && s->sink(s->ctx, s->index,
				    s->cur, s->curlen, s->truncated) == -1) {
					s->err = NULL;
					s->err_offset = AT(p);
					return -1;
				}
				s->index++;
				s->state = T_AFTER;
			} else if (c == '\\') {
				p++;
				s->state = T_ESCAPE;
			} else if (c < 0x20) {
				return str_fail(s, "control character in "
				    "string", AT(p));
			} else {
				/* A UTF-8 lead byte, checked as yajl does. */
				flush_high(s);
				if ((c >> 5) == 0x6)
					s->utf8_need = 1;
				else if ((c >> 4) == 0xe)
					s->utf8_need = 2;
				else if ((c >> 3) == 0x1e)
					s->utf8_need = 3;
				else
					return str_fail(s, "invalid UTF-8 in "
					    "string", AT(p));
				keep_bytes(s, p, 1);
				p++;
			}
			break;
		case T_ESCAPE:
			c = *p++;
			s->state = T_STRING;
			if (c == 'u') {
				s->state = T_HEX;
				s->hexdigits = 0;
				s->hexval = 0;
				break;
			}
			flush_high(s);
			if ((h = hs_json_escape((int)c)) < 0)
				return str_fail(s, "invalid escape in string",
				    AT(p - 1));
			{
				unsigned char ch = (unsigned char)h;

				keep_bytes(s, &ch, 1);
			}
			break;
		case T_HEX:
			if ((h = hs_hexdigit(*p)) < 0)
				return str_fail(s, "invalid \\u escape in "
				    "string", AT(p));
			p++;
			s->hexval = s->hexval << 4 | (uint32_t)h;
			if (++s->hexdigits < 4)
				break;
			s->state = T_STRING;
			if (s->hexval >= 0xd800 && s->hexval < 0xdc00) {
				flush_high(s);
				s->high = s->hexval;
			} else if (s->hexval >= 0xdc00 && s->hexval < 0xe000) {
				if (s->high) {
					keep_codepoint(s, 0x10000 +
					    ((s->high - 0xd800) << 10) +
					    (s->hexval - 0xdc00));
					s->high = 0;
				} else {
					keep_codepoint(s, 0xfffd);
				}
			} else {
				flush_high(s);
				keep_codepoint(s, s->hexval);
			}
			break;
		case T_AFTER:
			c = *p++;
			if (c == ',') {
				s->state = T_VALUE;
			} else if (c == ']') {
				*used = (size_t)(p - buf);
				return 1;
			} else if (!IS_WS(c)) {
				return str_fail(s, "expected ',' or ']'",
				    AT(p - 1));
			}
			break;
		default:	/* T_FIRST, T_VALUE */
			c = *p++;
			if (c == '"') {
				s->state = T_STRING;
				s->curlen = 0;
				s->truncated = 0;
				s->high = 0;
				s->utf8_need = 0;
				s->keep = s->want(s->ctx, s->index);
			} else if (c == ']' && s->state == T_FIRST) {
				*used = (size_t)(p - buf);
				return 1;
			} else if (!IS_WS(c)) {
				return str_fail(s, s->state == T_FIRST ?
				    "expected a string or ']'" :
				    "expected a string", AT(p - 1));
			}
			break;
		}
	}
#undef AT
	*used = len;
	return 0;
}

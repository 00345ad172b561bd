/*
 * scan: specialised scanners for the two shapes that make up nearly all of
 * a heap snapshot's text: long arrays of non-negative integers ("nodes",
 * "edges", "locations") and long arrays of strings ("strings").
 *
 * They are resumable state machines fed chunk by chunk, with no per-number
 * call: integers are handed to the sink in batches.  Integers of V8's usual
 * shape ("digits," and "digits\n,") are taken 64 bytes at a time, from
 * masks of where the digits, commas and newlines are, and converted eight
 * at a time where the processor has AVX-512 (VBMI); anything else goes
 * through the states.  They are exactly as
 * strict as JSON inside those arrays (the grammar, the whitespace, the
 * escapes, yajl's UTF-8 rule), and a little stricter where a snapshot must
 * be (no negative, fractional or exponent numbers; nothing over 2^32-1).
 * A scanner starts just after the opening '[' and stops just after the
 * closing ']'.
 *
 * Errors are kept in the scanner with their absolute byte offset; they
 * never quote input.
 */
#ifndef HS_SCAN_H
#define HS_SCAN_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define HS_SCAN_BATCH	4096

/*
 * Return 0 to go on, or -1 to stop with *bad set to the index of the
 * offending value (the sink keeps its own message).
 */
typedef int (*hs_int_sink)(void *ctx, const uint32_t *values, size_t n,
	    size_t *bad);

/*
 * JSON string escapes, for the scanners here and for other readers of
 * JSON text: the byte that the one-character escape \c stands for (not
 * \u), or -1; and the value of hexadecimal digit c, or -1.
 */
int	hs_json_escape(int c);
int	hs_hexdigit(int c);

struct hs_intscan {
	int		 state;
	uint64_t	 value;
	uint64_t	 count;		/* integers scanned so far */
	hs_int_sink	 sink;
	void		*ctx;
	size_t		 nbatch;
	uint32_t	 batch[HS_SCAN_BATCH];
	uint64_t	 batch_off[HS_SCAN_BATCH];	/* where each began */
	uint64_t	 value_off;
	uint64_t	 err_offset;
	const char	*err;		/* static text, NULL if none */
};

void	hs_intscan_init(struct hs_intscan *, hs_int_sink, void *ctx);
/*
 * Whether the integer scanners may use the processor's AVX-512 (VBMI)
 * path where it has one (the default), for tests and measurements: both
 * paths give the same results.  Returns whether it is used from now on.
 */
int	hs_intscan_simd(int allow);
/*
 * Scans buf[0..len), buf[0] being at absolute offset off.  Sets *used to the
 * bytes consumed: all of them, or up to and including the closing ']'.
 * Returns 1 when the array is complete, 0 when more input is needed, -1 on
 * error (s->err and s->err_offset; after a sink failure s->err is NULL and
 * s->err_offset is where the offending value began).
 */
int	hs_intscan_run(struct hs_intscan *, const unsigned char *buf,
	    size_t len, uint64_t off, size_t *used);

/*
 * Reading ahead: integers taken from a buffer before its turn, on another
 * core, on the guess that the buffer lies inside an integer array.
 *
 * hs_intscan_ahead() knows nothing of what came before the buffer, so it
 * starts just after the buffer's first comma and takes only whole values
 * that each end with their own comma, "ws* number ws* ,", in the grammar
 * hs_intscan_run() accepts; it stops before anything else (a ']', a
 * string, a number that is not a plain integer or does not fit, the last
 * bytes of the buffer) and before its room runs out, and never fails.
 * Whether the guess was right is for the scanner to tell when it reaches
 * the buffer: if, fed up to a->start, it is inside its array just after a
 * comma, hs_intscan_run_ahead() hands a's values to its sink, and
 * scanning goes on at a->end exactly as if it had read those bytes
 * itself.  Otherwise the values are not used.
 */
struct hs_intahead {
	size_t		 start;		/* just after the first comma */
	size_t		 end;		/* just after the last value's comma */
	size_t		 n;		/* values taken */
	size_t		 cap;		/* room in values[] */
	uint32_t	 values[];
};

/* Bytes of an hs_intahead with room for cap values. */
size_t	hs_intahead_size(size_t cap);
/*
 * Fills a (its cap set) from buf[0..len).  Gives up early, as if nothing
 * were found after a->end, once *cancel is set (it is polled).
 */
void	hs_intscan_ahead(struct hs_intahead *a, const unsigned char *buf,
	    size_t len, const atomic_int *cancel);
/*
 * hs_intscan_run() on chunk[pos..len), chunk[0] being at absolute offset
 * off, with the values of a (read ahead from chunk[0..len), or NULL)
 * taken where they fit; *used counts from pos.  A sink's refusal of one
 * of a's values is reported as hs_intscan_run() reports it.
 */
int	hs_intscan_run_ahead(struct hs_intscan *s, const unsigned char *chunk,
	    size_t pos, size_t len, uint64_t off, const struct hs_intahead *a,
	    size_t *used);

/*
 * For each string: want() says whether its text is needed; if so, sink()
 * gets its decoded UTF-8 text, cut to at most keep_max bytes (on a
 * character boundary), with truncated set when it was cut.
 */
typedef int (*hs_str_want)(void *ctx, uint64_t index);
typedef int (*hs_str_sink)(void *ctx, uint64_t index, const char *s,
	    size_t len, int truncated);

struct hs_strscan {
	int		 state;
	int		 keep;
	int		 truncated;
	int		 utf8_need;	/* continuation bytes still due */
	int		 hexdigits;	/* \u digits read so far */
	uint32_t	 hexval;
	uint32_t	 high;		/* pending high surrogate */
	uint64_t	 index;		/* of the current string */
	size_t		 keep_max;
	hs_str_want	 want;
	hs_str_sink	 sink;
	void		*ctx;
	char		*cur;		/* keep_max + 4 bytes */
	size_t		 curlen;
	uint64_t	 err_offset;
	const char	*err;
};

/* Returns -1 when memory runs out. */
int	hs_strscan_init(struct hs_strscan *, size_t keep_max, hs_str_want,
	    hs_str_sink, void *ctx);
int	hs_strscan_run(struct hs_strscan *, const unsigned char *buf,
	    size_t len, uint64_t off, size_t *used);
void	hs_strscan_free(struct hs_strscan *);

#endif

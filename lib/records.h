/*
 * records: writing the toolkit's JSON-lines files (summaries, diffs): one
 * JSON object a line, each with a "type", zstd-compressed with a content
 * checksum (or plain).
 *
 *	hs_rec_open(&w, level, write_fn, sink);	// level -1: plain
 *	hs_rec_begin(&w, "class");
 *	hs_rec_str(&w, "key", key);
 *	hs_rec_u64(&w, "count", n);
 *	hs_rec_end(&w);				// the line goes out
 *	if (hs_rec_close(&w, err, errlen) == -1) ...
 *
 * The helpers only append to w.line, which callers may also append to
 * with hs_buf and hs_json_quote; a failure sets w.failed and every later
 * call does nothing, so errors are checked once, at hs_rec_close().
 */
#ifndef HS_RECORDS_H
#define HS_RECORDS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "zstdio.h"

struct hs_records {
	struct hs_zenc	*z;		/* NULL: plain JSON lines */
	hs_write_fn	 fn;
	void		*sink;
	struct hs_buf	 line;		/* the record being built */
	int		 failed;	/* one of: */
#define HS_REC_NO_MEMORY	1	/* building a line */
#define HS_REC_SINK_FAILED	2	/* the sink or the encoder */
};

/* level: a zstd level (0: the default, 3), or -1 for plain output. */
int	hs_rec_open(struct hs_records *, int level, hs_write_fn, void *sink);
void	hs_rec_begin(struct hs_records *, const char *type);
/* Closes the record and sends it, with its newline. */
void	hs_rec_end(struct hs_records *);
void	hs_rec_raw(struct hs_records *, const char *s);
/* ,"key":value members; hs_rec_str() writes nothing for a NULL s. */
void	hs_rec_str(struct hs_records *, const char *key, const char *s);
void	hs_rec_u64(struct hs_records *, const char *key, uint64_t v);
void	hs_rec_i64(struct hs_records *, const char *key, int64_t v);
void	hs_rec_bool(struct hs_records *, const char *key, int v);
/* At most 3 decimals, no trailing zeros. */
void	hs_rec_num(struct hs_records *, const char *key, double v);
/*
 * Ends the stream and frees the writer.  Returns 0, or -1 with the
 * encoder's message in err (empty when the sink failed: the sink reports
 * its own errors).
 */
int	hs_rec_close(struct hs_records *, char *err, size_t errlen);

#endif

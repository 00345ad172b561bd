/*
 * zstdio: the one module that talks to libzstd.
 *
 * A decoder turns compressed bytes into plain bytes in bounded memory (the
 * window is limited to 128 MiB, so a frame that declares a larger one is
 * refused rather than obeyed).  An encoder compresses a stream with a content
 * checksum.  Both keep their error text in the object: hs_zdec_error(),
 * hs_zenc_error().
 *
 *	d = hs_zdec_new();
 *	while (...) hs_zdec_run(d, in, inlen, &inused, out, outcap, &outlen);
 *	hs_zdec_finished(d);	// was the last frame complete?
 *	hs_zdec_free(d);
 */
#ifndef HS_ZSTDIO_H
#define HS_ZSTDIO_H

#include <stddef.h>
#include <stdint.h>

struct hs_zdec;
struct hs_zenc;

/* Magic numbers recognised at the start of a stream. */
int	 hs_zstd_magic(const unsigned char *buf, size_t len);
int	 hs_gzip_magic(const unsigned char *buf, size_t len);

struct hs_zdec	*hs_zdec_new(void);
/*
 * Decompresses from in[0..inlen) into out[0..outcap).  Sets *inused and
 * *outlen.  Returns 0, or -1 on corrupt input (see hs_zdec_error()).
 */
int	 hs_zdec_run(struct hs_zdec *, const void *in, size_t inlen,
	    size_t *inused, void *out, size_t outcap, size_t *outlen);
/* 1 when the input so far ends on a frame boundary. */
int	 hs_zdec_finished(const struct hs_zdec *);
const char *hs_zdec_error(const struct hs_zdec *);
void	 hs_zdec_free(struct hs_zdec *);

/* level: 1..19; checksum always on. */
struct hs_zenc	*hs_zenc_new(int level);
/*
 * Compresses in[0..inlen), appending to the caller's sink through write_fn.
 * hs_zenc_end() flushes the frame epilogue.  Both return 0 or -1 (the sink's
 * failure, or the encoder's, see hs_zenc_error()).
 */
typedef int (*hs_write_fn)(void *sink, const void *buf, size_t len);
int	 hs_zenc_write(struct hs_zenc *, const void *in, size_t inlen,
	    hs_write_fn write_fn, void *sink);
int	 hs_zenc_end(struct hs_zenc *, hs_write_fn write_fn, void *sink);
const char *hs_zenc_error(const struct hs_zenc *);
void	 hs_zenc_free(struct hs_zenc *);

#endif

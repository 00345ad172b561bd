/*
 * zstdio: libzstd behind a small interface (see zstdio.h).
 */
#include <stdio.h>
#include <string.h>

#include <zstd.h>
#include <zstd_errors.h>

#include "alloc.h"
#include "zstdio.h"

/* Larger windows than this are refused: memory stays bounded. */
#define HS_ZSTD_WINDOW_LOG_MAX	27

struct hs_zdec {
	ZSTD_DStream	*ds;
	size_t		 last;		/* last return of decompressStream */
	int		 started;
	char		 err[160];
};

struct hs_zenc {
	ZSTD_CCtx	*cs;
	unsigned char	 buf[1 << 16];
	char		 err[160];
};

int
hs_zstd_magic(const unsigned char *b, size_t len)
{
	return len >= 4 && b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f &&
	    b[3] == 0xfd;
}

int
hs_gzip_magic(const unsigned char *b, size_t len)
{
	return len >= 2 && b[0] == 0x1f && b[1] == 0x8b;
}

struct hs_zdec *
hs_zdec_new(void)
{
	struct hs_zdec *d;

	if ((d = hs_calloc(1, sizeof(*d))) == NULL)
		return NULL;
	if ((d->ds = ZSTD_createDStream()) == NULL) {
		hs_free(d);
		return NULL;
	}
	if (ZSTD_isError(ZSTD_DCtx_setParameter(d->ds, ZSTD_d_windowLogMax,
	    HS_ZSTD_WINDOW_LOG_MAX))) {
		hs_zdec_free(d);
		return NULL;
	}
	return d;
}

int
hs_zdec_run(struct hs_zdec *d, const void *in, size_t inlen, size_t *inused,
    void *out, size_t outcap, size_t *outlen)
{
	ZSTD_inBuffer ib = { in, inlen, 0 };
	ZSTD_outBuffer ob = { out, outcap, 0 };
	size_t r;

	r = ZSTD_decompressStream(d->ds, &ob, &ib);
	*inused = ib.pos;
	*outlen = ob.pos;
	if (ZSTD_isError(r)) {
		if (ZSTD_getErrorCode(r) == ZSTD_error_frameParameter_windowTooLarge)
			snprintf(d->err, sizeof(d->err), "zstd frame needs a "
			    "window over %d MiB (recompress without --long)",
			    1 << (HS_ZSTD_WINDOW_LOG_MAX - 20));
		else
			snprintf(d->err, sizeof(d->err), "corrupt zstd data: %s",
			    ZSTD_getErrorName(r));
		/* libzstd capitalises; messages here are lower case. */
		{
			char *c = strchr(d->err, ':');

			if (c != NULL && c[1] == ' ' && c[2] >= 'A' &&
			    c[2] <= 'Z')
				c[2] = (char)(c[2] - 'A' + 'a');
		}
		return -1;
	}
	d->started = 1;
	/*
	 * A call that moves nothing returns a hint about the next frame; it
	 * must not undo "the last frame ended" (r == 0).
	 */
	if (ib.pos > 0 || ob.pos > 0 || r == 0)
		d->last = r;
	return 0;
}

int
hs_zdec_finished(const struct hs_zdec *d)
{
	return !d->started || d->last == 0;
}

const char *
hs_zdec_error(const struct hs_zdec *d)
{
	return d->err;
}

void
hs_zdec_free(struct hs_zdec *d)
{
	if (d == NULL)
		return;
	ZSTD_freeDStream(d->ds);
	hs_free(d);
}

struct hs_zenc *
hs_zenc_new(int level)
{
	struct hs_zenc *e;

	if ((e = hs_calloc(1, sizeof(*e))) == NULL)
		return NULL;
	if ((e->cs = ZSTD_createCCtx()) == NULL) {
		hs_free(e);
		return NULL;
	}
	if (ZSTD_isError(ZSTD_CCtx_setParameter(e->cs,
	    ZSTD_c_compressionLevel, level)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(e->cs,
	    ZSTD_c_checksumFlag, 1))) {
		hs_zenc_free(e);
		return NULL;
	}
	return e;
}

static int
zenc_step(struct hs_zenc *e, const void *in, size_t inlen,
    ZSTD_EndDirective mode, hs_write_fn write_fn, void *sink)
{
	ZSTD_inBuffer ib = { in, inlen, 0 };
	size_t r;

	for (;;) {
		ZSTD_outBuffer ob = { e->buf, sizeof(e->buf), 0 };

		r = ZSTD_compressStream2(e->cs, &ob, &ib, mode);
		if (ZSTD_isError(r)) {
			snprintf(e->err, sizeof(e->err), "zstd: %s",
			    ZSTD_getErrorName(r));
			return -1;
		}
		if (ob.pos > 0 && write_fn(sink, e->buf, ob.pos) == -1)
			return -1;
		if (mode == ZSTD_e_end ? r == 0 : ib.pos == ib.size)
			return 0;
	}
}

int
hs_zenc_write(struct hs_zenc *e, const void *in, size_t inlen,
    hs_write_fn write_fn, void *sink)
{
	return zenc_step(e, in, inlen, ZSTD_e_continue, write_fn, sink);
}

int
hs_zenc_end(struct hs_zenc *e, hs_write_fn write_fn, void *sink)
{
	return zenc_step(e, NULL, 0, ZSTD_e_end, write_fn, sink);
}

const char *
hs_zenc_error(const struct hs_zenc *e)
{
	return e->err;
}

void
hs_zenc_free(struct hs_zenc *e)
{
	if (e == NULL)
		return;
	ZSTD_freeCCtx(e->cs);
	hs_free(e);
}

/*
 * input: a byte stream from a file or standard input, read ahead and
 * decompressed on a second thread.
 *
 * hs_input_open() takes a path, or "-" for standard input.  A stream that
 * starts with the zstd magic is decompressed (frames may be concatenated);
 * one that starts with the gzip magic is refused with a hint.  The consumer
 * calls hs_input_next() for each chunk; a chunk stays valid until the next
 * call.  Chunks are large (megabytes), which is what yajl wants.
 *
 *	in = hs_input_open(path, err, sizeof(err));
 *	while ((r = hs_input_next(in, &buf, &len)) == 1)
 *		consume(buf, len);
 *	if (r == -1) report(hs_input_error(in));
 *	hs_input_close(in);
 *
 * Errors never quote input bytes.
 */
#ifndef HS_INPUT_H
#define HS_INPUT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

struct hs_input;

/* Returns NULL with a message in err on failure (no such file, ...). */
struct hs_input	*hs_input_open(const char *path, char *err, size_t errlen);
/* 1: a chunk; 0: end of input; -1: error (hs_input_error()). */
int		 hs_input_next(struct hs_input *, const unsigned char **buf,
		    size_t *len);
/*
 * Work ahead: while every buffer is filled and waiting, the reader thread
 * runs fn on the one the consumer will reach last, writing into that
 * buffer's result (result_size bytes, allocated here), and stops early
 * once *taken is set (the consumer has reached the buffer).
 * hs_input_next_worked() then gives the chunk's finished result, or NULL
 * when fn has not run on it to the end (or was cut short).  Call it at
 * most once, before the first chunk is taken.  Returns -1 when memory
 * runs out (there is then no work ahead).
 */
typedef void (*hs_input_work_fn)(void *ctx, const unsigned char *buf,
		    size_t len, void *result, const atomic_int *taken);
int		 hs_input_set_work(struct hs_input *, hs_input_work_fn fn,
		    void *ctx, size_t result_size);
int		 hs_input_next_worked(struct hs_input *,
		    const unsigned char **buf, size_t *len,
		    const void **result);
const char	*hs_input_error(const struct hs_input *);
/* Where in the (compressed) file a decoding error was found. */
uint64_t	 hs_input_error_offset(const struct hs_input *);
/* Whether the stream was zstd-compressed. */
int		 hs_input_compressed(const struct hs_input *);
/* Size of a regular file in bytes, or -1 when unknown (a pipe). */
int64_t		 hs_input_file_size(const struct hs_input *);
/* Bytes read from the file so far (compressed bytes if compressed). */
uint64_t	 hs_input_raw_bytes(const struct hs_input *);
void		 hs_input_close(struct hs_input *);

/* For tests: cap every chunk at n bytes (0 restores the default). */
void		 hs_input_set_max_chunk(size_t n);

#endif

/*
 * input: read-ahead on a second thread, with zstd decompression there too,
 * so that the parser on the first core never waits for the disk or the
 * decompressor.  A ring of large buffers passes between the two threads.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "input.h"
#include "zstdio.h"

#define NBUF		3
#define BUFSIZE		(4u << 20)
#define RAWSIZE		(128u << 10)	/* about ZSTD_DStreamInSize(): errors are placed within a block */

/* Tests set this to hand the consumer small, odd chunks. */
static size_t max_chunk = BUFSIZE;

void
hs_input_set_max_chunk(size_t n)
{
	max_chunk = n == 0 || n > BUFSIZE ? BUFSIZE : n;
}

struct buffer {
	unsigned char	*data;
	size_t		 len;
	int		 ready;		/* filled, not yet given back */
	int		 worked;	/* WORK_NONE, WORK_RUNNING, WORK_DONE */
	atomic_int	 taken;		/* the consumer has it: no more work */
	void		*result;	/* the work's */
};

enum { WORK_NONE, WORK_RUNNING, WORK_DONE };

struct hs_input {
	int		 fd;
	int		 own_fd;
	int		 compressed;
	int64_t		 file_size;
	struct hs_zdec	*zdec;
	unsigned char	*raw;		/* compressed bytes not yet decoded */
	size_t		 rawlen, rawpos;
	unsigned char	 head[4];
	size_t		 headlen;

	pthread_t	 thread;
	int		 thread_started;
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	/*
	 * The buffers' memory, one block each for the data and the work's
	 * results: at the end of a big input, unmapping six blocks took the
	 * main thread 70 ms (each unmap waits for the address space, which
	 * the threads faulting in pages ahead hold in turn).
	 */
	unsigned char	*data, *results;
	struct buffer	 buf[NBUF];
	unsigned	 prod, cons;	/* next buffer to fill, to hand out */
	int		 holding;	/* consumer holds buf[cons - 1] */
	int		 eof;		/* producer finished (end or error) */
	int		 failed;
	atomic_int	 stop;		/* the consumer has gone */
	hs_input_work_fn work;
	void		*work_ctx;
	uint64_t	 raw_bytes;
	uint64_t	 err_offset;	/* in the file, of a decoding error */
	char		 err[256];
};

/*
 * Reads what is there, waiting at most a tenth of a second at a time so
 * that a consumer that stops early (hs_input_close() before the end) is
 * not kept waiting on a pipe that never closes.  A stop reads as the end
 * of input.  (Cancelling the thread instead would be simpler, and is not
 * safe with every runtime: sanitizers misread the unwound stack.)
 */
static ssize_t
read_some(struct hs_input *in, void *p, size_t n)
{
	struct pollfd pfd;
	ssize_t r;

	pfd.fd = in->fd;
	pfd.events = POLLIN;
	for (;;) {
		if (atomic_load(&in->stop))
			return 0;
		r = poll(&pfd, 1, 100);
		if (r == -1 && errno != EINTR)
			break;		/* let read() tell what is wrong */
		if (r > 0)
			break;
	}
	do {
		r = read(in->fd, p, n);
	} while (r == -1 && errno == EINTR);
	if (r > 0) {
		pthread_mutex_lock(&in->lock);
		in->raw_bytes += (uint64_t)r;
		pthread_mutex_unlock(&in->lock);
	}
	return r;
}

/* Fills b; returns 0 with b->len == 0 at end of input, -1 on error. */
static int
fill_plain(struct hs_input *in, struct buffer *b)
{
	ssize_t r;

	b->len = 0;
	if (in->headlen > 0) {
		/* The replayed head may be longer than a tiny max_chunk. */
		b->len = in->headlen < max_chunk ? in->headlen : max_chunk;
		memcpy(b->data, in->head, b->len);
		memmove(in->head, in->head + b->len, in->headlen - b->len);
		in->headlen -= b->len;
		if (in->headlen > 0)
			return 0;
	}
	while (b->len < max_chunk) {
		r = read_some(in, b->data + b->len, max_chunk - b->len);
		if (r == -1) {
			snprintf(in->err, sizeof(in->err), "read error: %s",
			    strerror(errno));
			return -1;
		}
		if (r == 0)
			break;
		b->len += (size_t)r;
	}
	return 0;
}

static int
fill_zstd(struct hs_input *in, struct buffer *b)
{
	size_t used, outlen;
	ssize_t r;

	b->len = 0;
	while (b->len < max_chunk) {
		if (in->rawpos == in->rawlen) {
			in->rawpos = in->rawlen = 0;
			if (in->headlen > 0) {
				memcpy(in->raw, in->head, in->headlen);
				in->rawlen = in->headlen;
				in->headlen = 0;
			} else {
				r = read_some(in, in->raw, RAWSIZE);
				if (r == -1) {
					snprintf(in->err, sizeof(in->err),
					    "read error: %s", strerror(errno));
					return -1;
				}
				if (r == 0) {
					/*
					 * The decoder may hold output back
					 * when the last call filled the
					 * buffer exactly: drain it first.
					 */
					if (!hs_zdec_finished(in->zdec) &&
					    hs_zdec_run(in->zdec, in->raw, 0,
					    &used, b->data + b->len,
					    max_chunk - b->len, &outlen) == 0 &&
					    outlen > 0) {
						b->len += outlen;
						continue;
					}
					if (!hs_zdec_finished(in->zdec)) {
						in->err_offset = in->raw_bytes;
						snprintf(in->err,
						    sizeof(in->err),
						    "truncated zstd frame");
						return -1;
					}
					return 0;
				}
				in->rawlen = (size_t)r;
			}
		}
		if (hs_zdec_run(in->zdec, in->raw + in->rawpos,
		    in->rawlen - in->rawpos, &used, b->data + b->len,
		    max_chunk - b->len, &outlen) == -1) {
			/* The bytes read, less those not yet decoded. */
			in->err_offset = in->raw_bytes -
			    (in->rawlen - in->rawpos - used);
			snprintf(in->err, sizeof(in->err), "%s",
			    hs_zdec_error(in->zdec));
			return -1;
		}
		in->rawpos += used;
		b->len += outlen;
	}
	return 0;
}

/*
 * The filled buffer furthest from the consumer that has not been worked
 * on, or NULL.  Called with the lock held.
 */
static struct buffer *
work_target(struct hs_input *in)
{
	unsigned k;

	if (in->work == NULL)
		return NULL;
	for (k = in->prod; k != in->cons; k--) {
		struct buffer *b = &in->buf[(k - 1) % NBUF];

		if (b->ready && b->worked == WORK_NONE)
			return b;
	}
	return NULL;
}

/*
 * Fills the buffers in turn; while every buffer is full, works ahead on
 * the one the consumer will reach last.
 */
static void *
producer(void *arg)
{
	struct hs_input *in = arg;
	struct buffer *b;
	int r;

	pthread_mutex_lock(&in->lock);
	while (!in->stop) {
		b = &in->buf[in->prod % NBUF];
		if (!in->eof && !b->ready && !(in->holding &&
		    (in->cons - 1) % NBUF == in->prod % NBUF)) {
			pthread_mutex_unlock(&in->lock);
			r = in->compressed ? fill_zstd(in, b) : fill_plain(in, b);
			pthread_mutex_lock(&in->lock);
			if (r == -1) {
				in->failed = 1;
				in->eof = 1;
			} else if (b->len == 0) {
				in->eof = 1;
			} else {
				b->ready = 1;
				b->worked = WORK_NONE;
				atomic_store(&b->taken, 0);
				in->prod++;
			}
			pthread_cond_broadcast(&in->cond);
		} else if ((b = work_target(in)) != NULL) {
			b->worked = WORK_RUNNING;
			pthread_mutex_unlock(&in->lock);
			in->work(in->work_ctx, b->data, b->len, b->result,
			    &b->taken);
			pthread_mutex_lock(&in->lock);
			b->worked = WORK_DONE;
		} else {
			pthread_cond_wait(&in->cond, &in->lock);
		}
	}
	pthread_mutex_unlock(&in->lock);
	return NULL;
}

/* Reads up to 4 bytes to recognise the format; they are replayed later. */
static int
read_head(struct hs_input *in)
{
	ssize_t r;

	while (in->headlen < sizeof(in->head)) {
		do {
			r = read(in->fd, in->head + in->headlen,
			    sizeof(in->head) - in->headlen);
		} while (r == -1 && errno == EINTR);
		if (r == -1) {
			snprintf(in->err, sizeof(in->err), "read error: %s",
			    strerror(errno));
			return -1;
		}
		if (r == 0)
			break;
		in->headlen += (size_t)r;
		in->raw_bytes += (uint64_t)r;
	}
	return 0;
}

struct hs_input *
hs_input_open(const char *path, char *err, size_t errlen)
{
	struct hs_input *in;
	struct stat st;
	int i;

	if ((in = hs_calloc(1, sizeof(*in))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	in->file_size = -1;
	if (strcmp(path, "-") == 0) {
		in->fd = STDIN_FILENO;
	} else {
		if ((in->fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
			snprintf(err, errlen, "%s", strerror(errno));
			hs_free(in);
			return NULL;
		}
		in->own_fd = 1;
	}
	if (fstat(in->fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "is a directory");
			goto fail;
		}
		if (S_ISREG(st.st_mode))
			in->file_size = st.st_size;
	}
	if (read_head(in) == -1) {
		snprintf(err, errlen, "%s", in->err);
		goto fail;
	}
	if (hs_gzip_magic(in->head, in->headlen)) {
		snprintf(err, errlen, "byte 0: gzip-compressed input is not "
		    "read directly; pipe it through zcat");
		goto fail;
	}
	if (hs_zstd_magic(in->head, in->headlen)) {
		in->compressed = 1;
		if ((in->zdec = hs_zdec_new()) == NULL ||
		    (in->raw = hs_malloc(RAWSIZE)) == NULL) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
	}
	if ((in->data = hs_alloc_array(NBUF, BUFSIZE)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	for (i = 0; i < NBUF; i++)
		in->buf[i].data = in->data + (size_t)i * BUFSIZE;
	pthread_mutex_init(&in->lock, NULL);
	pthread_cond_init(&in->cond, NULL);
	if (pthread_create(&in->thread, NULL, producer, in) != 0) {
		snprintf(err, errlen, "cannot start the reader thread");
		pthread_mutex_destroy(&in->lock);
		pthread_cond_destroy(&in->cond);
		goto fail;
	}
	in->thread_started = 1;
	return in;
fail:
	hs_free(in->data);
	hs_free(in->raw);
	hs_zdec_free(in->zdec);
	if (in->own_fd)
		close(in->fd);
	hs_free(in);
	return NULL;
}

int
hs_input_set_work(struct hs_input *in, hs_input_work_fn fn, void *ctx,
    size_t result_size)
{
	unsigned char *results;
	size_t stride = (result_size + 63) & ~(size_t)63;
	int i;

	if (in->results != NULL || result_size > SIZE_MAX / 2 ||
	    (results = hs_alloc_array(NBUF, stride)) == NULL)
		return -1;
	pthread_mutex_lock(&in->lock);
	in->results = results;
	for (i = 0; i < NBUF; i++)
		in->buf[i].result = results + (size_t)i * stride;
	in->work = fn;
	in->work_ctx = ctx;
	pthread_mutex_unlock(&in->lock);
	return 0;
}

int
hs_input_next(struct hs_input *in, const unsigned char **bufp, size_t *lenp)
{
	return hs_input_next_worked(in, bufp, lenp, NULL);
}

int
hs_input_next_worked(struct hs_input *in, const unsigned char **bufp,
    size_t *lenp, const void **resultp)
{
	struct buffer *b;

	pthread_mutex_lock(&in->lock);
	if (in->holding) {
		in->buf[(in->cons - 1) % NBUF].ready = 0;
		in->holding = 0;
		pthread_cond_broadcast(&in->cond);
	}
	b = &in->buf[in->cons % NBUF];
	while (!b->ready && !in->eof)
		pthread_cond_wait(&in->cond, &in->lock);
	if (!b->ready) {
		int failed = in->failed;

		pthread_mutex_unlock(&in->lock);
		return failed ? -1 : 0;
	}
	atomic_store(&b->taken, 1);
	if (resultp != NULL)
		*resultp = b->worked == WORK_DONE ? b->result : NULL;
	in->cons++;
	in->holding = 1;
	pthread_mutex_unlock(&in->lock);
	*bufp = b->data;
	*lenp = b->len;
	return 1;
}

const char *
hs_input_error(const struct hs_input *in)
{
	return in->err;
}

uint64_t
hs_input_error_offset(const struct hs_input *in)
{
	return in->err_offset;
}

int
hs_input_compressed(const struct hs_input *in)
{
	return in->compressed;
}

int64_t
hs_input_file_size(const struct hs_input *in)
{
	return in->file_size;
}

uint64_t
hs_input_raw_bytes(const struct hs_input *in)
{
	uint64_t n;

	pthread_mutex_lock((pthread_mutex_t *)&in->lock);
	n = in->raw_bytes;
	pthread_mutex_unlock((pthread_mutex_t *)&in->lock);
	return n;
}

void
hs_input_close(struct hs_input *in)
{
	int i;

	if (in == NULL)
		return;
	if (in->thread_started) {
		pthread_mutex_lock(&in->lock);
		atomic_store(&in->stop, 1);
		for (i = 0; i < NBUF; i++)
			atomic_store(&in->buf[i].taken, 1);
		pthread_cond_broadcast(&in->cond);
		pthread_mutex_unlock(&in->lock);
		pthread_join(in->thread, NULL);
		pthread_mutex_destroy(&in->lock);
		pthread_cond_destroy(&in->cond);
	}
	hs_free(in->data);
	hs_free(in->results);
	hs_free(in->raw);
	hs_zdec_free(in->zdec);
	if (in->own_fd)
		close(in->fd);
	hs_free(in);
}

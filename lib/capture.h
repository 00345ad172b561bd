/*
 * capture: take a heap snapshot from a V8 inspector (Node.js, Chromium)
 * over the DevTools protocol, streaming it to a writer.
 *
 * The inspector is reached at host:port, by TCP or through a relay command
 * (conn.h): every stream (one for the HTTP target list, one for the
 * WebSocket) is opened anew.  The snapshot arrives as
 * HeapProfiler.addHeapSnapshotChunk events whose unescaped chunk strings go
 * to the writer as they come; nothing holds more than one chunk.
 *
 *	struct hs_capture_options o;
 *	hs_capture_defaults(&o);
 *	o.host = "127.0.0.1"; o.port = "9229"; o.write = fn; o.sink = out;
 *	if (hs_capture(&o, err, sizeof(err)) == -1) ...
 */
#ifndef HS_CAPTURE_H
#define HS_CAPTURE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "zstdio.h"	/* hs_write_fn */

struct hs_capture_options {
	const char	*host;		/* the inspector's address */
	const char	*port;
	/*
	 * Non-NULL: each stream is this command's stdin and stdout, relaying
	 * to host:port wherever it runs (see hs_capture_relay_argv()).
	 */
	char *const	*relay;
	/* A target id, or a PCRE2 pattern over URL and title; NULL: the one. */
	const char	*target;
	int		 gc;		/* collect garbage first (default 1) */
	/* Close the inspector afterwards (Node.js: inspector.close()). */
	int		 close_inspector;
	int64_t		 deadline;	/* hs_now_ms() time, 0 none */
	volatile sig_atomic_t *interrupted;
	size_t		 max_message;	/* one protocol message, bytes */
	hs_write_fn	 write;
	void		*sink;
	/* Snapshot progress as the inspector reports it (done of total). */
	void		(*progress)(void *ctx, uint64_t done, uint64_t total);
	void		*progress_ctx;
	/* Filled in: the bytes written; errno of a failed write, or 0. */
	uint64_t	 bytes;
	int		 write_errno;
};

void	hs_capture_defaults(struct hs_capture_options *);
/* Whether o's host:port is a DevTools inspector (answers /json/list). */
int	hs_capture_probe(struct hs_capture_options *, char *err, size_t errlen);
/* Returns 0, or -1 with a one-line message in err. */
int	hs_capture(struct hs_capture_options *, char *err, size_t errlen);

/* A memory sample of the target, in bytes; -1 where unknown. */
struct hs_capture_sample {
	int64_t	heap_used, heap_total, rss, external, array_buffers;
};

/*
 * Samples the target's memory every interval_ms (for duration_ms, or
 * until interrupted when 0) without snapshots: process.memoryUsage() for
 * Node.js, Runtime.getHeapUsage for a browser page.  fn gets each sample
 * and returns 0 or -1.  An interrupt ends the watch normally (0).
 */
int	hs_capture_watch(struct hs_capture_options *, int64_t interval_ms,
	    int64_t duration_ms,
	    int (*fn)(void *ctx, const struct hs_capture_sample *), void *ctx,
	    char *err, size_t errlen);

#endif

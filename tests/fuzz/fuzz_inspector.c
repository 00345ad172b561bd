/*
 * fuzz_inspector: libFuzzer target for what hs-capture reads from a V8
 * inspector, which may be any process on the other end of a socket.  The
 * first byte picks the reader:
 *
 *	even	one DevTools protocol message (hs_cdp_message in lib/cdp.h),
 *		as the inspector's WebSocket delivers it, with a string event
 *		for snapshot chunks as hs-capture has: a chunk that takes the
 *		fast path must be what the parser makes of the message, or
 *		the target aborts;
 *	odd	the bytes of a WebSocket stream (lib/ws.h, i.e. wslay) that
 *		follow a valid handshake: frames of any kind, fragments,
 *		control frames, truncation.  A thread plays the server on a
 *		socketpair while the protocol client sends commands and reads
 *		the messages, as hs-capture does.
 *
 * Built and run by "make fuzz"; the regression inputs in
 * tests/fuzz/regress/fuzz_inspector/ are replayed by make check.
 */
#include <stddef.h>
#include <stdlib.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cdp.h"
#include "conn.h"
#include "jv.h"
#include "wsserver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_MESSAGE	(64u << 10)
#define MAX_TREE	(256u << 10)

static int
on_event(void *ctx, const char *method, const struct hs_jv *params)
{
	(void)ctx;
	(void)method;
	(void)params;
	return 0;
}

/* The string the fast path gave, to check against the parser's. */
static char	chunk_got[MAX_MESSAGE];
static size_t	chunk_len;
static int	chunk_fast;

static int
on_chunk(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	if (len > sizeof(chunk_got))
		abort();
	memcpy(chunk_got, s, len);
	chunk_len = len;
	chunk_fast = 1;
	return 0;
}

/* The fast path's string is the parser's: the same message, parsed. */
static void
check_chunk(const uint8_t *msg, size_t len)
{
	struct hs_jv *tree;
	const struct hs_jv *v;
	char err[160];

	tree = hs_jv_parse((const char *)msg, len, 0, MAX_TREE, err,
	    sizeof(err));
	if (tree == NULL)
		abort();
	v = hs_jv_get(hs_jv_get(tree, "params"), "chunk");
	if (v == NULL || v->kind != HS_JV_STRING || v->len != chunk_len ||
	    memcmp(v->str, chunk_got, chunk_len) != 0 ||
	    hs_jv_get_str(tree, "method") == NULL ||
	    strcmp(hs_jv_get_str(tree, "method"),
	    "HeapProfiler.addHeapSnapshotChunk") != 0)
		abort();
	hs_jv_free(tree);
}

static void
websocket(const uint8_t *data, size_t size)
{
	struct hs_conn conn;
	struct server srv;
	struct ws_pair pair;
	struct hs_cdp *cdp;
	int i;

	/* The server answers the handshake, then sends the input. */
	memset(&srv, 0, sizeof(srv));
	srv.answer = GOOD;
	srv.frames = (const char *)data;
	srv.frames_len = size;
	if (ws_pair_start(&pair, &srv, &conn) == -1)
		return;
	/*
	 * As hs-capture: the handshake, then commands, each answered (or not)
	 * by the input, with the events before the answers handled.
	 */
	cdp = hs_cdp_new(&conn, MAX_MESSAGE, MAX_TREE, on_event, NULL);
	if (cdp != NULL &&
	    hs_cdp_handshake(cdp, "127.0.0.1:9229", "/fuzz") == 0)
		for (i = 0; i < 4; i++)
			if (hs_cdp_call(cdp, "HeapProfiler.enable", NULL,
			    NULL) == -1)
				break;
	hs_cdp_free(cdp);
	ws_pair_end(&pair);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hs_conn conn;
	struct hs_cdp *cdp;

	if (size == 0)
		return 0;
	if (data[0] & 1) {
		websocket(data + 1, size - 1);
		return 0;
	}
	memset(&conn, 0, sizeof(conn));
	conn.rfd = conn.wfd = -1;
	if ((cdp = hs_cdp_new(&conn, MAX_MESSAGE, MAX_TREE, on_event,
	    NULL)) != NULL) {
		chunk_fast = 0;
		if (hs_cdp_string_event(cdp,
		    "HeapProfiler.addHeapSnapshotChunk", "chunk",
		    on_chunk) == 0 && hs_cdp_message(cdp,
		    (const char *)data + 1, size - 1) == 0 && chunk_fast)
			check_chunk(data + 1, size - 1);
		hs_cdp_free(cdp);
	}
	return 0;
}

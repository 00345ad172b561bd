/*
 * ws: WebSocket client over wslay (see ws.h).
 *
 * wslay's event API does the framing, masking, fragment reassembly, control
 * frames and the message length limit; this module feeds it from a conn,
 * does the client's opening handshake (RFC 6455 4.1), and turns wslay's
 * states into messages.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include <wslay/wslay.h>

#include "alloc.h"
#include "conn.h"
#include "sha1.h"
#include "ws.h"

#define WS_GUID		"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
#define MAX_RESPONSE	8192	/* the handshake's HTTP answer */

struct hs_ws {
	struct hs_conn		*conn;
	wslay_event_context_ptr	 ctx;
	hs_ws_message_fn	 on_message;
	void			*user;
	size_t			 max_message;
	uint64_t		 msg_len;	/* of the message being read */
	/* Bytes read past the handshake's answer, given to wslay first. */
	char			 pre[MAX_RESPONSE];
	size_t			 pre_len, pre_off;
	int			 eof;
	int			 failed;
	int			 closing;
	char			 err[256];
};

int
hs_ws_fail(struct hs_ws *ws, const char *fmt, ...)
{
	va_list ap;

	if (ws->failed)
		return -1;	/* the first cause is the one to tell */
	va_start(ap, fmt);
	vsnprintf(ws->err, sizeof(ws->err), fmt, ap);
	va_end(ap);
	ws->failed = 1;
	return -1;
}

const char *
hs_ws_error(const struct hs_ws *ws)
{
	return ws->err;
}

static ssize_t
recv_cb(wslay_event_context_ptr ctx, uint8_t *buf, size_t len, int flags,
    void *user)
{
	struct hs_ws *ws = user;
	ssize_t n;

	(void)flags;
	if (ws->failed) {
		/* A handler failed or a message is too long: read no more. */
		wslay_event_set_error(ctx, WSLAY_ERR_CALLBACK_FAILURE);
		return -1;
	}
	if (ws->pre_off < ws->pre_len) {
		n = (ssize_t)(ws->pre_len - ws->pre_off);
		if ((size_t)n > len)
			n = (ssize_t)len;
		memcpy(buf, ws->pre + ws->pre_off, (size_t)n);
		ws->pre_off += (size_t)n;
		return n;
	}
	do
		n = read(ws->conn->rfd, buf, len);
	while (n == -1 && errno == EINTR);
	if (n > 0)
		return n;
	if (n == 0) {
		ws->eof = 1;
		wslay_event_set_error(ctx, WSLAY_ERR_CALLBACK_FAILURE);
		return -1;
	}
	if (errno == EAGAIN || errno == EWOULDBLOCK) {
		wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
		return -1;
	}
	/* A peer that went away reads as the end, whichever way it shows. */
	if (errno == ECONNRESET)
		ws->eof = 1;
	else
		hs_ws_fail(ws, "read: %s", strerror(errno));
	wslay_event_set_error(ctx, WSLAY_ERR_CALLBACK_FAILURE);
	return -1;
}

static ssize_t
send_cb(wslay_event_context_ptr ctx, const uint8_t *data, size_t len,
    int flags, void *user)
{
	struct hs_ws *ws = user;
	ssize_t n;

	(void)flags;
	do {
		if (ws->conn->rfd == ws->conn->wfd)
			n = send(ws->conn->wfd, data, len, MSG_NOSIGNAL);
		else
			n = write(ws->conn->wfd, data, len);
	} while (n == -1 && errno == EINTR);
	if (n >= 0)
		return n;
	if (errno == EAGAIN || errno == EWOULDBLOCK) {
		wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
		return -1;
	}
	if (errno == EPIPE || errno == ECONNRESET)
		hs_ws_fail(ws, "connection closed");
	else
		hs_ws_fail(ws, "write: %s", strerror(errno));
	wslay_event_set_error(ctx, WSLAY_ERR_CALLBACK_FAILURE);
	return -1;
}

static int
genmask_cb(wslay_event_context_ptr ctx, uint8_t *buf, size_t len, void *user)
{
	(void)ctx;
	(void)user;
	/* The mask only needs to be unpredictable to the network. */
	return getrandom(buf, len, 0) == (ssize_t)len ? 0 : -1;
}

/* Counts a message's length frame by frame, before wslay buffers it. */
static void
frame_start_cb(wslay_event_context_ptr ctx,
    const struct wslay_event_on_frame_recv_start_arg *arg, void *user)
{
	struct hs_ws *ws = user;

	(void)ctx;
	if (arg->opcode & 0x8)
		return;		/* control frames: wslay limits them to 125 */
	if (arg->opcode != WSLAY_CONTINUATION_FRAME)
		ws->msg_len = 0;
	if (arg->payload_length > ws->max_message - ws->msg_len)
		hs_ws_fail(ws, "expected messages of at most %zu bytes",
		    ws->max_message);
	else
		ws->msg_len += arg->payload_length;
}

static void
msg_cb(wslay_event_context_ptr ctx, const struct wslay_event_on_msg_recv_arg
    *arg, void *user)
{
	struct hs_ws *ws = user;

	(void)ctx;
	if (ws->failed)
		return;
	if (arg->opcode == WSLAY_BINARY_FRAME) {
		hs_ws_fail(ws, "unexpected binary message");
		return;
	}
	if (arg->opcode != WSLAY_TEXT_FRAME)
		return;		/* ping, pong and close: wslay answers */
	if (ws->on_message(ws->user, (const char *)arg->msg,
	    arg->msg_length) == -1 && !ws->failed)
		hs_ws_fail(ws, "message handler failed");
}

struct hs_ws *
hs_ws_new(struct hs_conn *conn, size_t max_message, hs_ws_message_fn fn,
    void *user)
{
	static const struct wslay_event_callbacks cb = {
		recv_cb, send_cb, genmask_cb, frame_start_cb, NULL, NULL,
		msg_cb
	};
	struct hs_ws *ws;

	if ((ws = hs_calloc(1, sizeof(*ws))) == NULL)
		return NULL;
	ws->conn = conn;
	ws->on_message = fn;
	ws->user = user;
	ws->max_message = max_message;
	if (wslay_event_context_client_init(&ws->ctx, &cb, ws) != 0) {
		hs_free(ws);
		return NULL;
	}
	/*
	 * frame_start_cb enforces max_message before any payload is read;
	 * wslay's own check (which would drop the connection without saying
	 * why) is set above it.
	 */
	wslay_event_config_set_max_recv_msg_length(ws->ctx,
	    (uint64_t)max_message + (1u << 20));
	return ws;
}

void
hs_ws_free(struct hs_ws *ws)
{
	if (ws == NULL)
		return;
	wslay_event_context_free(ws->ctx);
	hs_free(ws);
}

/* The value of header name in an HTTP answer's head, or NULL. */
static const char *
header(const char *head, const char *name, size_t *len)
{
	size_t n = strlen(name);
	const char *p = strstr(head, "\r\n"), *v;

	while (p != NULL && p[2] != '\r') {
		p += 2;
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			for (v = p + n + 1; *v == ' ' || *v == '\t'; v++)
				;
			*len = strcspn(v, "\r");
			while (*len > 0 && (v[*len - 1] == ' ' ||
			    v[*len - 1] == '\t'))
				(*len)--;
			return v;
		}
		p = strstr(p, "\r\n");
	}
	return NULL;
}

int
hs_ws_handshake(struct hs_ws *ws, const char *host, const char *path)
{
	char req[1024], key[32], want[32], *end;
	uint8_t nonce[16], digest[20];
	char concat[sizeof(key) + sizeof(WS_GUID)];
	const char *accept;
	size_t got = 0, alen;
	ssize_t n;
	int len;

	if (getrandom(nonce, sizeof(nonce), 0) != (ssize_t)sizeof(nonce))
		return hs_ws_fail(ws, "getrandom: %s", strerror(errno));
	hs_base64(nonce, sizeof(nonce), key);
	len = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\n"
	    "Host: %s\r\n"
	    "Upgrade: websocket\r\n"
	    "Connection: Upgrade\r\n"
	    "Sec-WebSocket-Key: %s\r\n"
	    "Sec-WebSocket-Version: 13\r\n\r\n", path, host, key);
	if (len < 0 || (size_t)len >= sizeof(req))
		return hs_ws_fail(ws, "WebSocket path too long");
	if (hs_conn_write_all(ws->conn, req, (size_t)len) == -1)
		return hs_ws_fail(ws, "%s", ws->conn->err);
	/* Read the answer's head; what follows it is the first frames. */
	for (;;) {
		if (got == sizeof(ws->pre) - 1)
			return hs_ws_fail(ws, "WebSocket handshake: expected "
			    "an HTTP answer of at most %d bytes",
			    MAX_RESPONSE - 1);
		n = hs_conn_read(ws->conn, ws->pre + got,
		    sizeof(ws->pre) - 1 - got);
		if (n == -1)
			return hs_ws_fail(ws, "%s", ws->conn->err);
		if (n == 0)
			return hs_ws_fail(ws, "WebSocket handshake: connection "
			    "closed at byte %zu, expected an HTTP answer", got);
		got += (size_t)n;
		ws->pre[got] = '\0';
		/* Frames may follow the head: look for NULs only before it. */
		end = strstr(ws->pre, "\r\n\r\n");
		if (strlen(ws->pre) < (end != NULL ? (size_t)(end -
		    ws->pre) : got))
			return hs_ws_fail(ws, "WebSocket handshake: expected "
			    "an HTTP answer, got a NUL byte");
		if (end != NULL)
			break;
	}
	end += 4;
	if (strncmp(ws->pre, "HTTP/1.1 101 ", 13) != 0 &&
	    strncmp(ws->pre, "HTTP/1.1 101\r", 13) != 0)
		return hs_ws_fail(ws, "WebSocket handshake: expected status "
		    "101, got %.3s", strncmp(ws->pre, "HTTP/1.", 7) == 0 &&
		    strspn(ws->pre + 9, "0123456789") >= 3 ? ws->pre + 9 :
		    "no HTTP status");
	snprintf(concat, sizeof(concat), "%s%s", key, WS_GUID);
	hs_sha1(concat, strlen(concat), digest);
	hs_base64(digest, sizeof(digest), want);
	if ((accept = header(ws->pre, "Sec-WebSocket-Accept", &alen)) == NULL)
		return hs_ws_fail(ws, "WebSocket handshake: expected a "
		    "Sec-WebSocket-Accept header");
	if (alen != strlen(want) || memcmp(accept, want, alen) != 0)
		return hs_ws_fail(ws, "WebSocket handshake: "
		    "Sec-WebSocket-Accept does not match the key");
	ws->pre_off = (size_t)(end - ws->pre);
	ws->pre_len = got;
	return 0;
}

/* Writes what wslay has queued, waiting while the peer is slow. */
static int
flush(struct hs_ws *ws)
{
	while (wslay_event_want_write(ws->ctx)) {
		if (wslay_event_send(ws->ctx) != 0)
			return hs_ws_fail(ws, "connection closed");
		if (wslay_event_want_write(ws->ctx) &&
		    hs_conn_wait(ws->conn, ws->conn->wfd, POLLOUT) == -1)
			return hs_ws_fail(ws, "%s", ws->conn->err);
	}
	return 0;
}

int
hs_ws_send(struct hs_ws *ws, const char *msg, size_t len)
{
	struct wslay_event_msg m;

	if (ws->failed)
		return -1;
	m.opcode = WSLAY_TEXT_FRAME;
	m.msg = (const uint8_t *)msg;
	m.msg_length = len;
	if (wslay_event_queue_msg(ws->ctx, &m) != 0)
		return hs_ws_fail(ws, "cannot send on a closed connection");
	return flush(ws);
}

/* What a state after wslay_event_recv() means, as an error. */
static int
recv_state(struct hs_ws *ws, int rc)
{
	if (ws->failed)
		return -1;
	if (wslay_event_get_close_received(ws->ctx))
		return ws->closing ? 0 : hs_ws_fail(ws, "the peer closed the "
		    "WebSocket connection");
	if (ws->eof)
		return hs_ws_fail(ws, "connection closed");
	if (rc != 0)
		return hs_ws_fail(ws, "expected WebSocket frames, got a "
		    "protocol error");
	if (!wslay_event_get_read_enabled(ws->ctx))
		return hs_ws_fail(ws, "expected WebSocket frames, got a "
		    "protocol error");
	return 0;
}

int
hs_ws_pump(struct hs_ws *ws)
{
	int rc;

	if (ws->failed)
		return -1;
	if (ws->pre_off >= ws->pre_len &&
	    hs_conn_wait(ws->conn, ws->conn->rfd, POLLIN) == -1)
		return hs_ws_fail(ws, "%s", ws->conn->err);
	rc = wslay_event_recv(ws->ctx);
	if (recv_state(ws, rc) == -1) {
		/* Send what wslay queued (a close frame), best effort. */
		if (wslay_event_want_write(ws->ctx))
			wslay_event_send(ws->ctx);
		return -1;
	}
	/* Pongs and the like. */
	return flush(ws);
}

int
hs_ws_close(struct hs_ws *ws)
{
	int64_t saved = ws->conn->deadline, soon = hs_now_ms() + 1000;

	if (ws->failed)
		return -1;
	ws->closing = 1;
	if (wslay_event_queue_close(ws->ctx, WSLAY_CODE_NORMAL_CLOSURE, NULL,
	    0) != 0 || flush(ws) == -1)
		return -1;
	/* The peer's close frame, for a clean end; not worth a long wait. */
	if (saved == 0 || saved > soon)
		ws->conn->deadline = soon;
	while (!wslay_event_get_close_received(ws->ctx) && !ws->failed &&
	    !ws->eof)
		if (hs_ws_pump(ws) == -1)
			break;
	ws->conn->deadline = saved;
	ws->failed = 0;
	return 0;
}

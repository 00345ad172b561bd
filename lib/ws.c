/*
 * ws: WebSocket client over wslay (see ws.h).
 *
 * wslay's frame layer (wslay_frame_recv, wslay_frame_send) parses and
 * builds the frames: headers, lengths, masking, the rules for control
 * frames.  This module does the rest of RFC 6455 for a client that only
 * reads text: the client's opening handshake (4.1), joining fragments into
 * messages with a length limit checked before anything is buffered, UTF-8
 * (8.1), answering pings and the closing handshake (5.5).
 *
 * wslay's event layer did that last part until it showed in profiles of a
 * capture: it checks UTF-8 a byte at a time through a state machine, reads
 * 4 KiB at a time, and copies each message twice (into chunks, then into
 * one block it frees again), which cost more CPU than everything else
 * hs-capture does with a snapshot.  Here the stream is read 256 KiB at a
 * time, a message is assembled in one buffer that is reused, and UTF-8 is
 * checked eight bytes at a time where it is ASCII (a snapshot always is).
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include <wslay/wslay.h>

#include "alloc.h"
#include "buf.h"
#include "conn.h"
#include "sha1.h"
#include "ws.h"

#define WS_GUID		"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
#define MAX_RESPONSE	8192		/* the handshake's HTTP answer */
#define IN_SIZE		(256u << 10)	/* one read from the stream */
#define MAX_CONTROL	125		/* a control frame's payload */
#define LOST_HEAD	64		/* what is kept of a lost message */

/* Close status codes (RFC 6455 7.4.1). */
#define CLOSE_NORMAL	1000
#define CLOSE_PROTOCOL	1002
#define CLOSE_DATA	1007
#define CLOSE_TOO_BIG	1009

struct hs_ws {
	struct hs_conn		*conn;
	wslay_frame_context_ptr	 fr;
	hs_ws_message_fn	 on_message;
	void			*user;
	size_t			 max_message;
	/* Bytes read from the stream, in[in_off..in_len) not yet parsed. */
	char			*in;
	size_t			 in_off, in_len;
	/* The frame being read. */
	int			 in_frame;	/* its first piece has come */
	uint8_t			 opcode, fin;
	uint64_t		 frame_len, frame_off;
	/* The text message being assembled from its fragments. */
	int			 in_message;
	char			*msg;
	size_t			 msg_len, msg_cap;
	/*
	 * A message that cannot be held (too long, or no memory for it) is
	 * read and thrown away when lost_fn is set, its first bytes kept.
	 */
	hs_ws_lost_fn		 lost_fn;
	int			 losing;
	int			 lost_too_long;	/* else out of memory */
	char			 lost_head[LOST_HEAD];
	size_t			 lost_len;
	/* A control frame's payload. */
	uint8_t			 control[MAX_CONTROL];
	size_t			 control_len;
	struct hs_buf		 out;		/* a frame to send */
	int			 send_broken;	/* a frame half built */
	int			 eof;
	int			 failed;
	int			 closing;	/* hs_ws_close() waits */
	int			 close_sent, close_received;
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

/* wslay_frame_recv() reads through this: from in, never from the stream. */
static ssize_t
recv_cb(uint8_t *buf, size_t len, int flags, void *user)
{
	struct hs_ws *ws = user;
	size_t n = ws->in_len - ws->in_off;

	(void)flags;
	if (n > len)
		n = len;
	memcpy(buf, ws->in + ws->in_off, n);
	ws->in_off += n;
	return (ssize_t)n;	/* 0: wslay wants more than there is */
}

/* wslay_frame_send() writes through this: into out, sent whole later. */
static ssize_t
send_cb(const uint8_t *data, size_t len, int flags, void *user)
{
	struct hs_ws *ws = user;

	(void)flags;
	if (hs_buf_add(&ws->out, data, len) == -1)
		return -1;	/* wslay: WSLAY_ERR_WANT_WRITE */
	return (ssize_t)len;
}

static int
genmask_cb(uint8_t *buf, size_t len, void *user)
{
	(void)user;
	/* The mask only needs to be unpredictable to the network. */
	return getrandom(buf, len, 0) == (ssize_t)len ? 0 : -1;
}

struct hs_ws *
hs_ws_new(struct hs_conn *conn, size_t max_message, hs_ws_message_fn fn,
    void *user)
{
	static const struct wslay_frame_callbacks cb = {
		send_cb, recv_cb, genmask_cb
	};
	struct hs_ws *ws;

	if ((ws = hs_calloc(1, sizeof(*ws))) == NULL)
		return NULL;
	ws->conn = conn;
	ws->on_message = fn;
	ws->user = user;
	ws->max_message = max_message;
	if ((ws->in = hs_malloc(IN_SIZE)) == NULL ||
	    wslay_frame_context_init(&ws->fr, &cb, ws) != 0) {
		hs_free(ws->in);
		hs_free(ws);
		return NULL;
	}
	return ws;
}

void
hs_ws_on_lost(struct hs_ws *ws, hs_ws_lost_fn fn)
{
	ws->lost_fn = fn;
}

void
hs_ws_free(struct hs_ws *ws)
{
	if (ws == NULL)
		return;
	wslay_frame_context_free(ws->fr);
	hs_free(ws->in);
	hs_free(ws->msg);
	hs_buf_free(&ws->out);
	hs_free(ws);
}

/*
 * Writes one masked frame.  With wait, all of it (waiting for the peer
 * within the deadline); without, one try that may fail (a close frame sent
 * on the way out).
 */
static int
send_frame(struct hs_ws *ws, uint8_t opcode, const void *data, size_t len,
    int wait)
{
	struct wslay_frame_iocb io;
	const char *p;
	ssize_t n;

	memset(&io, 0, sizeof(io));
	io.fin = 1;
	io.opcode = opcode;
	io.mask = 1;
	io.payload_length = len;
	io.data = data;
	io.data_length = len;
	if (ws->send_broken)
		return hs_ws_fail(ws, "cannot send on a failed connection");
	ws->out.len = 0;
	if ((n = wslay_frame_send(ws->fr, &io)) < 0 || (size_t)n != len) {
		/* wslay is left in the middle of a frame: send no more. */
		ws->send_broken = 1;
		return hs_ws_fail(ws, n == WSLAY_ERR_WANT_WRITE || n >= 0 ?
		    "out of memory" : "cannot build a WebSocket frame");
	}
	p = ws->out.data;
	if (wait) {
		if (hs_conn_write_all(ws->conn, p, ws->out.len) == -1)
			return hs_ws_fail(ws, "%s", ws->conn->err);
		return 0;
	}
	if (ws->conn->rfd == ws->conn->wfd)
		n = send(ws->conn->wfd, p, ws->out.len, MSG_NOSIGNAL |
		    MSG_DONTWAIT);
	else
		n = write(ws->conn->wfd, p, ws->out.len);
	return n == (ssize_t)ws->out.len ? 0 : -1;
}

/* A close frame with a status code. */
static int
send_close(struct hs_ws *ws, unsigned code, int wait)
{
	uint8_t status[2];

	if (ws->close_sent)
		return 0;
	ws->close_sent = 1;
	status[0] = (uint8_t)(code >> 8);
	status[1] = (uint8_t)code;
	return send_frame(ws, WSLAY_CONNECTION_CLOSE, status, 2, wait);
}

/* Fails the connection: the message, and a close frame if it can go. */
static int
fail_close(struct hs_ws *ws, unsigned code, const char *msg)
{
	if (!ws->failed)
		hs_ws_fail(ws, "%s", msg);
	send_close(ws, code, 0);
	return -1;
}

#define PROTOCOL_ERROR	"expected WebSocket frames, got a protocol error"

/* Whether s[0..len) is UTF-8 (RFC 3629), ASCII 32 bytes at a time. */
static int
utf8_valid(const unsigned char *s, size_t len)
{
	size_t i = 0, n, k;
	uint64_t w, b[4];
	uint32_t c;

	while (len - i >= 32) {
		memcpy(b, s + i, 32);
		if (((b[0] | b[1] | b[2] | b[3]) & 0x8080808080808080ull) != 0)
			break;
		i += 32;
	}
	while (i < len) {
		if (len - i >= 8) {
			memcpy(&w, s + i, 8);
			if ((w & 0x8080808080808080ull) == 0) {
				i += 8;
				continue;
			}
		}
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xc2 && s[i] <= 0xdf) {
			n = 1;
			c = s[i] & 0x1fu;
		} else if ((s[i] & 0xf0) == 0xe0) {
			n = 2;
			c = s[i] & 0x0fu;
		} else if (s[i] >= 0xf0 && s[i] <= 0xf4) {
			n = 3;
			c = s[i] & 0x07u;
		} else {
			return 0;
		}
		if (len - i - 1 < n)
			return 0;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			c = c << 6 | (s[i + k] & 0x3fu);
		}
		/* Overlong forms, surrogates, beyond U+10FFFF. */
		if ((n == 2 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
		    (n == 3 && (c < 0x10000 || c > 0x10ffff)))
			return 0;
		i += n + 1;
	}
	return 1;
}

/*
 * The message being read cannot be held: the rest of it is read and thrown
 * away, its first bytes kept for the lost function.
 */
static int
lose(struct hs_ws *ws, int too_long)
{
	ws->losing = 1;
	ws->lost_too_long = too_long;
	ws->lost_len = ws->msg_len < LOST_HEAD ? ws->msg_len : LOST_HEAD;
	if (ws->lost_len > 0)
		memcpy(ws->lost_head, ws->msg, ws->lost_len);
	return 0;
}

/* The first piece of a frame: its kind, against the state and the limit. */
static int
frame_start(struct hs_ws *ws, const struct wslay_frame_iocb *io)
{
	/* The server never masks; no extension was negotiated. */
	if (io->mask || io->rsv != 0)
		return fail_close(ws, CLOSE_PROTOCOL, PROTOCOL_ERROR);
	ws->in_frame = 1;
	ws->opcode = io->opcode;
	ws->fin = io->fin;
	ws->frame_len = io->payload_length;
	ws->frame_off = 0;
	switch (io->opcode) {
	case WSLAY_CONNECTION_CLOSE:
	case WSLAY_PING:
	case WSLAY_PONG:
		/* wslay has checked: not fragmented, at most 125 bytes. */
		ws->control_len = 0;
		return 0;
	case WSLAY_CONTINUATION_FRAME:
		if (!ws->in_message)
			return fail_close(ws, CLOSE_PROTOCOL, PROTOCOL_ERROR);
		break;
	case WSLAY_TEXT_FRAME:
		if (ws->in_message)
			return fail_close(ws, CLOSE_PROTOCOL, PROTOCOL_ERROR);
		ws->in_message = 1;
		ws->msg_len = 0;
		break;
	case WSLAY_BINARY_FRAME:
		if (ws->in_message)
			return fail_close(ws, CLOSE_PROTOCOL, PROTOCOL_ERROR);
		return fail_close(ws, CLOSE_DATA, "unexpected binary message");
	default:
		return fail_close(ws, CLOSE_PROTOCOL, PROTOCOL_ERROR);
	}
	if (ws->losing)
		return 0;
	/* Checked before any of it is read or buffered. */
	if (io->payload_length > ws->max_message - ws->msg_len) {
		if (ws->lost_fn != NULL)
			return lose(ws, 1);
		hs_ws_fail(ws, "expected messages of at most %zu bytes",
		    ws->max_message);
		return fail_close(ws, CLOSE_TOO_BIG, "");
	}
	if (hs_grow(&ws->msg, &ws->msg_cap, ws->msg_len +
	    (size_t)io->payload_length + 1, 1) == -1) {
		if (ws->lost_fn != NULL)
			return lose(ws, 0);
		return fail_close(ws, CLOSE_TOO_BIG, "out of memory");
	}
	return 0;
}

/* A whole frame has come. */
static int
frame_end(struct hs_ws *ws)
{
	ws->in_frame = 0;
	switch (ws->opcode) {
	case WSLAY_PING:
		return send_frame(ws, WSLAY_PONG, ws->control,
		    ws->control_len, 1);
	case WSLAY_PONG:
		return 0;
	case WSLAY_CONNECTION_CLOSE:
		ws->close_received = 1;
		/* Answered with its status (RFC 6455 5.5.1), best effort. */
		if (!ws->close_sent) {
			ws->close_sent = 1;
			send_frame(ws, WSLAY_CONNECTION_CLOSE, ws->control,
			    ws->control_len >= 2 ? 2 : 0, 0);
		}
		return 0;
	}
	if (!ws->fin)
		return 0;	/* more fragments to come */
	ws->in_message = 0;
	if (ws->losing) {
		char why[96];

		ws->losing = 0;
		if (ws->lost_too_long)
			snprintf(why, sizeof(why), "expected messages of at "
			    "most %zu bytes", ws->max_message);
		else
			snprintf(why, sizeof(why), "out of memory");
		if (ws->lost_fn(ws->user, ws->lost_head, ws->lost_len,
		    why) == -1 && !ws->failed)
			hs_ws_fail(ws, "message handler failed");
		return ws->failed ? -1 : 0;
	}
	if (!utf8_valid((const unsigned char *)ws->msg, ws->msg_len))
		return fail_close(ws, CLOSE_DATA, "expected a UTF-8 text "
		    "message");
	ws->msg[ws->msg_len] = '\0';
	if (ws->on_message(ws->user, ws->msg, ws->msg_len) == -1 &&
	    !ws->failed)
		hs_ws_fail(ws, "message handler failed");
	return ws->failed ? -1 : 0;
}

/* Keeps what fits of a lost message's first bytes. */
static void
keep_head(struct hs_ws *ws, const uint8_t *data, size_t len)
{
	size_t n = LOST_HEAD - ws->lost_len;

	if (n > len)
		n = len;
	memcpy(ws->lost_head + ws->lost_len, data, n);
	ws->lost_len += n;
}

/* Parses the frames in in[], delivering what is whole. */
static int
frames(struct hs_ws *ws)
{
	struct wslay_frame_iocb io;
	ssize_t r;

	while (!ws->close_received) {
		memset(&io, 0, sizeof(io));
		r = wslay_frame_recv(ws->fr, &io);
		if (r == WSLAY_ERR_WANT_READ) {
			if (ws->in_off < ws->in_len)
				continue;
			return 0;
		}
		if (r < 0)
			return fail_close(ws, CLOSE_PROTOCOL, PROTOCOL_ERROR);
		if (!ws->in_frame && frame_start(ws, &io) == -1)
			return -1;
		if (io.data_length > 0) {
			if (ws->opcode & 0x8)
				memcpy(ws->control + ws->frame_off, io.data,
				    io.data_length);
			else if (ws->losing)
				keep_head(ws, io.data, io.data_length);
			else {
				memcpy(ws->msg + ws->msg_len, io.data,
				    io.data_length);
				ws->msg_len += io.data_length;
			}
			ws->frame_off += io.data_length;
		}
		if (ws->frame_off == ws->frame_len) {
			ws->control_len = (size_t)ws->frame_len;
			if (frame_end(ws) == -1)
				return -1;
		}
	}
	return 0;
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
		if (got == MAX_RESPONSE - 1)
			return hs_ws_fail(ws, "WebSocket handshake: expected "
			    "an HTTP answer of at most %d bytes",
			    MAX_RESPONSE - 1);
		n = hs_conn_read(ws->conn, ws->in + got,
		    MAX_RESPONSE - 1 - got);
		if (n == -1)
			return hs_ws_fail(ws, "%s", ws->conn->err);
		if (n == 0)
			return hs_ws_fail(ws, "WebSocket handshake: connection "
			    "closed at byte %zu, expected an HTTP answer", got);
		got += (size_t)n;
		ws->in[got] = '\0';
		/* Frames may follow the head: look for NULs only before it. */
		end = strstr(ws->in, "\r\n\r\n");
		if (strlen(ws->in) < (end != NULL ? (size_t)(end -
		    ws->in) : got))
			return hs_ws_fail(ws, "WebSocket handshake: expected "
			    "an HTTP answer, got a NUL byte");
		if (end != NULL)
			break;
	}
	end += 4;
	if (strncmp(ws->in, "HTTP/1.1 101 ", 13) != 0 &&
	    strncmp(ws->in, "HTTP/1.1 101\r", 13) != 0)
		return hs_ws_fail(ws, "WebSocket handshake: expected status "
		    "101, got %.3s", strncmp(ws->in, "HTTP/1.", 7) == 0 &&
		    strspn(ws->in + 9, "0123456789") >= 3 ? ws->in + 9 :
		    "no HTTP status");
	snprintf(concat, sizeof(concat), "%s%s", key, WS_GUID);
	hs_sha1(concat, strlen(concat), digest);
	hs_base64(digest, sizeof(digest), want);
	if ((accept = header(ws->in, "Sec-WebSocket-Accept", &alen)) == NULL)
		return hs_ws_fail(ws, "WebSocket handshake: expected a "
		    "Sec-WebSocket-Accept header");
	if (alen != strlen(want) || memcmp(accept, want, alen) != 0)
		return hs_ws_fail(ws, "WebSocket handshake: "
		    "Sec-WebSocket-Accept does not match the key");
	/* Frames that came with the head are parsed first. */
	ws->in_off = (size_t)(end - ws->in);
	ws->in_len = got;
	return 0;
}

int
hs_ws_send(struct hs_ws *ws, const char *msg, size_t len)
{
	if (ws->failed)
		return -1;
	if (ws->close_sent)
		return hs_ws_fail(ws, "cannot send on a closed connection");
	return send_frame(ws, WSLAY_TEXT_FRAME, msg, len, 1);
}

/*
 * Reads what the stream has (at most IN_SIZE bytes), waiting for some;
 * the end of the stream sets eof.
 */
static int
fill(struct hs_ws *ws)
{
	ssize_t n;

	ws->in_off = ws->in_len = 0;
	for (;;) {
		if (hs_conn_wait(ws->conn, ws->conn->rfd, POLLIN) == -1)
			return hs_ws_fail(ws, "%s", ws->conn->err);
		n = read(ws->conn->rfd, ws->in, IN_SIZE);
		if (n > 0) {
			ws->in_len = (size_t)n;
			return 0;
		}
		if (n == 0) {
			ws->eof = 1;
			return 0;
		}
		if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
			continue;
		/* A peer that went away reads as the end, whichever way. */
		if (errno == ECONNRESET) {
			ws->eof = 1;
			return 0;
		}
		return hs_ws_fail(ws, "read: %s", strerror(errno));
	}
}

int
hs_ws_pump(struct hs_ws *ws)
{
	if (ws->failed)
		return -1;
	if (ws->in_off >= ws->in_len && fill(ws) == -1)
		return -1;
	if (frames(ws) == -1)
		return -1;
	if (ws->close_received)
		return ws->closing ? 0 : hs_ws_fail(ws, "the peer closed the "
		    "WebSocket connection");
	if (ws->eof)
		return hs_ws_fail(ws, "connection closed");
	return 0;
}

int
hs_ws_close(struct hs_ws *ws)
{
	int64_t saved = ws->conn->deadline, soon = hs_now_ms() + 1000;

	if (ws->failed)
		return -1;
	ws->closing = 1;
	if (send_close(ws, CLOSE_NORMAL, 1) == -1)
		return -1;
	/* The peer's close frame, for a clean end; not worth a long wait. */
	if (saved == 0 || saved > soon)
		ws->conn->deadline = soon;
	while (!ws->close_received && !ws->failed && !ws->eof)
		if (hs_ws_pump(ws) == -1)
			break;
	ws->conn->deadline = saved;
	ws->failed = 0;
	return 0;
}

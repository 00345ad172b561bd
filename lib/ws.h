/*
 * ws: the one module that talks to wslay, a WebSocket (RFC 6455) client
 * over a struct hs_conn (a TCP socket or a relay command's pipes).
 *
 *	ws = hs_ws_new(&conn, max_message, on_message, ctx);
 *	hs_ws_handshake(ws, "127.0.0.1:9229", "/abc-uuid");
 *	hs_ws_send(ws, text, len);
 *	while (...) hs_ws_pump(ws);	// delivers whole text messages
 *	hs_ws_close(ws);		// a close frame; the conn stays open
 *	hs_ws_free(ws);
 *
 * Everything from the peer is untrusted: a message longer than max_message
 * fails the connection (wslay checks it before buffering), bad frames fail
 * it, and no message quotes the peer's bytes.  Waits use the conn's
 * deadline and interruption flag.  Functions return 0 or -1 with a message
 * in hs_ws_error().
 */
#ifndef HS_WS_H
#define HS_WS_H

#include <stddef.h>

struct hs_conn;
struct hs_ws;

/*
 * Called with each complete text message; returns 0 to go on or -1 to fail
 * the connection (after setting a message with hs_ws_fail()).
 */
typedef int (*hs_ws_message_fn)(void *ctx, const char *msg, size_t len);

/*
 * Called instead of failing the connection for a text message that cannot
 * be held (longer than max_message, or no memory for it): the message has
 * been read and thrown away, head is its first bytes (at most 64, not
 * checked as UTF-8), why says what was wrong.  Returns 0 to go on or -1 to
 * fail the connection (after setting a message with hs_ws_fail()).
 */
typedef int (*hs_ws_lost_fn)(void *ctx, const char *head, size_t len,
	    const char *why);
/* NULL when memory runs out. */
struct hs_ws	*hs_ws_new(struct hs_conn *, size_t max_message,
		    hs_ws_message_fn, void *ctx);
/* Skip messages that cannot be held, instead of failing (see above). */
void		 hs_ws_on_lost(struct hs_ws *, hs_ws_lost_fn);
/* Sends the HTTP upgrade request and checks the answer. */
int		 hs_ws_handshake(struct hs_ws *, const char *host,
		    const char *path);
/* Sends one text message, waiting until it is written. */
int		 hs_ws_send(struct hs_ws *, const char *msg, size_t len);
/* Waits for input and delivers the complete messages it holds. */
int		 hs_ws_pump(struct hs_ws *);
/* Sends a close frame (status 1000) and waits briefly for the answer. */
int		 hs_ws_close(struct hs_ws *);
int		 hs_ws_fail(struct hs_ws *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
const char	*hs_ws_error(const struct hs_ws *);
void		 hs_ws_free(struct hs_ws *);

#endif

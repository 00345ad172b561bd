/*
 * cdp: a Chrome DevTools Protocol client over a WebSocket (ws.h).
 *
 * Commands carry increasing ids; hs_cdp_call() sends one and reads messages
 * until the answer with its id comes, handing every event (a message with a
 * "method") to the event handler on the way.  Messages are parsed whole
 * with jv, bounded by the WebSocket's message limit and by max_tree bytes of
 * tree; an answer with another id is ignored.  Nothing the peer sends is
 * quoted in a message: an error answer is reported by its code.
 *
 *	cdp = hs_cdp_new(&conn, max_message, max_tree, on_event, ctx);
 *	hs_cdp_handshake(cdp, "127.0.0.1:9229", "/uuid");
 *	hs_cdp_call(cdp, "HeapProfiler.enable", NULL, NULL);
 *	hs_cdp_call(cdp, "Runtime.evaluate", "{\"expression\":\"1\"}", &res);
 *	hs_jv_free(res);
 *	hs_cdp_close(cdp);
 *	hs_cdp_free(cdp);
 */
#ifndef HS_CDP_H
#define HS_CDP_H

#include <stddef.h>

struct hs_conn;
struct hs_jv;
struct hs_cdp;

/* An event: returns 0 to go on, or -1 after hs_cdp_fail(). */
typedef int (*hs_cdp_event_fn)(void *ctx, const char *method,
	    const struct hs_jv *params);

/*
 * A client on conn (which must outlive it): WebSocket messages of at most
 * max_message bytes, trees of at most max_tree bytes.  NULL when memory
 * runs out.
 */
struct hs_cdp	*hs_cdp_new(struct hs_conn *, size_t max_message,
		    size_t max_tree, hs_cdp_event_fn, void *ctx);
/*
 * A string event: fn gets the string at params.key of each event method,
 * unescaped, and returns 0 to go on or -1 after hs_cdp_fail().  The event
 * then makes no tree and does not reach the event handler, when it comes
 * in the layout V8 writes, {"method":"METHOD","params":{"KEY":"..."}}
 * without spaces, and its string is ASCII: a snapshot's chunks, 100 kB
 * each, which a tree would copy twice.  In any other layout it goes to the
 * event handler as before, so that it must handle it too.
 */
typedef int (*hs_cdp_string_fn)(void *ctx, const char *s, size_t len);
int		 hs_cdp_string_event(struct hs_cdp *, const char *method,
		    const char *key, hs_cdp_string_fn);
/* The WebSocket handshake for path (/json/list's webSocketDebuggerUrl). */
int		 hs_cdp_handshake(struct hs_cdp *, const char *host,
		    const char *path);
/* Closes the WebSocket cleanly (best effort). */
void		 hs_cdp_close(struct hs_cdp *);
/*
 * Sends method with params (the text of a JSON object, or NULL) and waits
 * for its answer.  With result non-NULL, *result gets the whole answer
 * (its "result" is hs_jv_get(*result, "result")), for the caller to free
 * with hs_jv_free().
 */
int		 hs_cdp_call(struct hs_cdp *, const char *method,
		    const char *params, struct hs_jv **result);
/*
 * Takes one incoming message (what hs_cdp_call() does with each); for
 * tests, and for callers that pump the WebSocket themselves.
 */
int		 hs_cdp_message(struct hs_cdp *, const char *msg, size_t len);
int		 hs_cdp_fail(struct hs_cdp *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
const char	*hs_cdp_error(const struct hs_cdp *);
void		 hs_cdp_free(struct hs_cdp *);

#endif

/*
 * cdp: DevTools protocol client (see cdp.h).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "cdp.h"
#include "jv.h"
#include "ws.h"

struct hs_cdp {
	struct hs_ws	*ws;
	size_t		 max_tree;
	hs_cdp_event_fn	 on_event;
	void		*ctx;
	int64_t		 next_id;
	int64_t		 waiting;	/* the id whose answer is awaited */
	int		 answered;
	struct hs_jv	*answer;	/* the whole answer message */
	uint64_t	 nmessages;
	int		 failed;
	char		 err[256];
};

int
hs_cdp_fail(struct hs_cdp *c, const char *fmt, ...)
{
	va_list ap;

	if (c->failed)
		return -1;
	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	c->failed = 1;
	return -1;
}

const char *
hs_cdp_error(const struct hs_cdp *c)
{
	return c->err;
}

int
hs_cdp_message(struct hs_cdp *c, const char *msg, size_t len)
{
	char err[160];
	struct hs_jv *v;
	const char *method;
	int64_t id;
	int rc = 0;

	c->nmessages++;
	if ((v = hs_jv_parse(msg, len, 0, c->max_tree, err,
	    sizeof(err))) == NULL)
		return hs_cdp_fail(c, "DevTools message %llu: %s",
		    (unsigned long long)c->nmessages, err);
	if (v->kind != HS_JV_OBJECT) {
		hs_jv_free(v);
		return hs_cdp_fail(c, "DevTools message %llu: expected an "
		    "object", (unsigned long long)c->nmessages);
	}
	if ((method = hs_jv_get_str(v, "method")) != NULL) {
		const struct hs_jv *params = hs_jv_get(v, "params");

		if (c->on_event != NULL)
			rc = c->on_event(c->ctx, method, params);
		hs_jv_free(v);
		return rc;
	}
	if (hs_jv_get_int(v, "id", 0, INT64_MAX, &id) == -1) {
		hs_jv_free(v);
		return hs_cdp_fail(c, "DevTools message %llu: expected an "
		    "\"id\" or a \"method\"", (unsigned long long)c->nmessages);
	}
	if (id != c->waiting || c->answered) {
		hs_jv_free(v);	/* a late answer to an abandoned call */
		return 0;
	}
	c->answered = 1;
	c->answer = v;
	return 0;
}

static int
on_message(void *arg, const char *msg, size_t len)
{
	struct hs_cdp *c = arg;

	if (hs_cdp_message(c, msg, len) == -1) {
		if (!c->failed)
			hs_cdp_fail(c, "event handler failed");
		return hs_ws_fail(c->ws, "%s", c->err);
	}
	return 0;
}

struct hs_cdp *
hs_cdp_new(struct hs_conn *conn, size_t max_message, size_t max_tree,
    hs_cdp_event_fn fn, void *ctx)
{
	struct hs_cdp *c;

	if ((c = hs_calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if ((c->ws = hs_ws_new(conn, max_message, on_message, c)) == NULL) {
		hs_free(c);
		return NULL;
	}
	c->max_tree = max_tree;
	c->on_event = fn;
	c->ctx = ctx;
	c->next_id = 1;
	c->waiting = -1;
	return c;
}

int
hs_cdp_call(struct hs_cdp *c, const char *method, const char *params,
    struct hs_jv **result)
{
	struct hs_buf b = { NULL, 0, 0 };
	const struct hs_jv *e;
	int64_t code;
	int rc;

	if (result != NULL)
		*result = NULL;
	if (c->failed)
		return -1;
	c->waiting = c->next_id++;
	c->answered = 0;
	if (hs_buf_printf(&b, "{\"id\":%lld,\"method\":\"%s\"",
	    (long long)c->waiting, method) == -1 ||
	    (params != NULL && hs_buf_printf(&b, ",\"params\":%s",
	    params) == -1) || hs_buf_addc(&b, '}') == -1) {
		hs_buf_free(&b);
		return hs_cdp_fail(c, "out of memory");
	}
	rc = hs_ws_send(c->ws, b.data, b.len);
	hs_buf_free(&b);
	if (rc == -1)
		return hs_cdp_fail(c, "%s: %s", method, hs_ws_error(c->ws));
	while (!c->answered)
		if (hs_ws_pump(c->ws) == -1) {
			if (c->failed)
				return -1;
			return hs_cdp_fail(c, "%s: %s", method,
			    hs_ws_error(c->ws));
		}
	if ((e = hs_jv_get(c->answer, "error")) != NULL) {
		if (hs_jv_get_int(e, "code", INT32_MIN, INT32_MAX, &code) == -1)
			code = 0;
		hs_jv_free(c->answer);
		c->answer = NULL;
		return hs_cdp_fail(c, "%s: the inspector answered with error "
		    "%lld", method, (long long)code);
	}
	if (result != NULL)
		*result = c->answer;
	else
		hs_jv_free(c->answer);
	c->answer = NULL;
	return 0;
}

int
hs_cdp_handshake(struct hs_cdp *c, const char *host, const char *path)
{
	if (hs_ws_handshake(c->ws, host, path) == -1)
		return hs_cdp_fail(c, "%s", hs_ws_error(c->ws));
	return 0;
}

void
hs_cdp_close(struct hs_cdp *c)
{
	hs_ws_close(c->ws);
}

void
hs_cdp_free(struct hs_cdp *c)
{
	if (c == NULL)
		return;
	hs_jv_free(c->answer);
	hs_ws_free(c->ws);
	hs_free(c);
}

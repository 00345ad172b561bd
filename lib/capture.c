/*
 * capture: heap snapshots over the DevTools protocol (see capture.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "buf.h"
#include "capture.h"
#include "cdp.h"
#include "conn.h"
#include "jv.h"
#include "regex.h"
#include "session.h"

#define MAX_LIST	(1 << 20)	/* /json/list's answer */
#define MAX_PATH	512		/* a WebSocket path */

void
hs_capture_defaults(struct hs_capture_options *o)
{
	memset(o, 0, sizeof(*o));
	o->host = "127.0.0.1";
	o->port = "9229";
	o->gc = 1;
	/*
	 * V8 sends the snapshot in chunks of about 100 kB of JSON text,
	 * which JSON-escaping can at most multiply by six.
	 */
	o->max_message = 8u << 20;
}

struct capture {
	struct hs_capture_options *o;
	char		*err;
	size_t		 errlen;
	struct hs_cdp	*cdp;
	uint64_t	 chunks;
	int		 write_errno;
	int		 discard;	/* read the rest, write nothing */
};

static void
capture_init(struct capture *c, struct hs_capture_options *o, char *err,
    size_t errlen)
{
	memset(c, 0, sizeof(*c));
	c->o = o;
	c->err = err;
	c->errlen = errlen;
	err[0] = '\0';
}

static int
fail(struct capture *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static int
open_stream(struct capture *c, struct hs_conn *conn)
{
	int rc;

	memset(conn, 0, sizeof(*conn));
	conn->deadline = c->o->deadline;
	conn->interrupted = c->o->interrupted;
	if (c->o->relay != NULL)
		rc = hs_conn_exec(conn, c->o->relay);
	else
		rc = hs_conn_tcp(conn, c->o->host, c->o->port);
	if (rc == -1)
		return fail(c, "inspector not reachable: %s", conn->err);
	return 0;
}

/* host:port for a Host header, an IPv6 address in brackets. */
static void
host_header(const struct hs_capture_options *o, char *buf, size_t len)
{
	snprintf(buf, len, strchr(o->host, ':') != NULL ? "[%s]:%s" : "%s:%s",
	    o->host, o->port);
}

/* The value of the Content-Length header in an HTTP head, or -1. */
static long
content_length(const char *head, const char *end)
{
	const char *p;

	for (p = strstr(head, "\r\n"); p != NULL && p < end;
	    p = strstr(p + 2, "\r\n"))
		if (strncasecmp(p + 2, "Content-Length:", 15) == 0)
			return strtol(p + 17, NULL, 10);
	return -1;
}

/*
 * GET /json/list: reads the whole answer (at most MAX_LIST bytes) and
 * returns its body's tree.
 */
static struct hs_jv *
get_list(struct capture *c)
{
	struct hs_conn conn;
	struct hs_buf b = { NULL, 0, 0 };
	struct hs_jv *v = NULL;
	char req[512], jerr[160], host[300], *body;
	long cl;
	ssize_t n;
	int len;

	if (open_stream(c, &conn) == -1)
		return NULL;
	host_header(c->o, host, sizeof(host));
	len = snprintf(req, sizeof(req), "GET /json/list HTTP/1.1\r\n"
	    "Host: %s\r\nConnection: close\r\n\r\n", host);
	if (len < 0 || (size_t)len >= sizeof(req)) {
		fail(c, "inspector address too long");
		goto out;
	}
	if (hs_conn_write_all(&conn, req, (size_t)len) == -1) {
		fail(c, "/json/list: %s", conn.err);
		goto out;
	}
	for (;;) {
		if (b.len >= MAX_LIST) {
			fail(c, "/json/list: expected at most %d bytes",
			    MAX_LIST);
			goto out;
		}
		if (hs_buf_add(&b, NULL, 0) == -1 ||
		    hs_grow(&b.data, &b.cap, b.len + 65536, 1) == -1) {
			fail(c, "out of memory");
			goto out;
		}
		n = hs_conn_read(&conn, b.data + b.len, b.cap - b.len - 1);
		if (n == -1) {
			fail(c, "/json/list: %s", conn.err);
			goto out;
		}
		if (n == 0)
			break;
		b.len += (size_t)n;
		b.data[b.len] = '\0';
		/* Node and Chromium send Content-Length and may not close. */
		if ((body = strstr(b.data, "\r\n\r\n")) != NULL &&
		    (cl = content_length(b.data, body)) >= 0 &&
		    (size_t)(body + 4 - b.data) + (size_t)cl <= b.len)
			break;
	}
	if (b.len == 0) {
		fail(c, "/json/list: the connection closed without an "
		    "answer");
		goto out;
	}
	if (hs_buf_cstr(&b) == -1) {
		fail(c, "out of memory");
		goto out;
	}
	if (strncmp(b.data, "HTTP/1.", 7) != 0 ||
	    strncmp(b.data + 8, " 200", 4) != 0 ||
	    (body = strstr(b.data, "\r\n\r\n")) == NULL) {
		fail(c, "/json/list: expected an HTTP answer with status 200 "
		    "(is %s:%s a DevTools inspector?)", c->o->host, c->o->port);
		goto out;
	}
	body += 4;
	if ((v = hs_jv_parse(body, b.len - (size_t)(body - b.data), 0,
	    4 * MAX_LIST, jerr, sizeof(jerr))) == NULL) {
		fail(c, "/json/list: %s", jerr);
		goto out;
	}
	if (v->kind != HS_JV_ARRAY) {
		fail(c, "/json/list: expected an array of targets");
		hs_jv_free(v);
		v = NULL;
	}
out:
	hs_buf_free(&b);
	hs_conn_close(&conn);
	return v;
}

int
hs_capture_probe(struct hs_capture_options *o, char *err, size_t errlen)
{
	struct capture c;
	struct hs_jv *list;

	capture_init(&c, o, err, errlen);
	if ((list = get_list(&c)) == NULL)
		return -1;
	hs_jv_free(list);
	return 0;
}

/* The path of a ws://host:port/path URL, checked to be plain. */
static int
ws_path(const char *url, char *path, size_t len)
{
	const char *p;
	size_t i, n;

	if (url == NULL || strncmp(url, "ws://", 5) != 0 ||
	    (p = strchr(url + 5, '/')) == NULL)
		return -1;
	n = strlen(p);
	if (n >= len || n >= MAX_PATH)
		return -1;
	for (i = 0; i < n; i++)
		if (p[i] <= ' ' || p[i] > '~')
			return -1;
	memcpy(path, p, n + 1);
	return 0;
}

static int
matches(struct hs_regex *re, const char *s)
{
	return s != NULL && hs_regex_match(re, s, strlen(s)) == 1;
}

/* Chooses the target and finds its WebSocket path. */
static int
choose_target(struct capture *c, char *path, size_t pathlen)
{
	struct hs_regex *re = NULL;
	struct hs_jv *list;
	const struct hs_jv *t, *pick = NULL;
	const char *type;
	char rerr[256];
	size_t i, n = 0;
	int rc = -1;

	if ((list = get_list(c)) == NULL)
		return -1;
	if (c->o->target != NULL) {
		for (i = 0; i < list->len; i++) {
			const char *id = hs_jv_get_str(&list->items[i], "id");

			if (id != NULL && strcmp(id, c->o->target) == 0) {
				pick = &list->items[i];
				n = 1;
			}
		}
		if (pick == NULL && (re = hs_regex_new(c->o->target, 0, rerr,
		    sizeof(rerr))) == NULL) {
			fail(c, "--target: %s", rerr);
			goto out;
		}
	}
	for (i = 0; pick == NULL && i < list->len; i++) {
		t = &list->items[i];
		type = hs_jv_get_str(t, "type");
		if (re != NULL) {
			if (!matches(re, hs_jv_get_str(t, "url")) &&
			    !matches(re, hs_jv_get_str(t, "title")))
				continue;
		} else if (type == NULL || (strcmp(type, "node") != 0 &&
		    strcmp(type, "page") != 0)) {
			continue;
		}
		if (n++ == 0)
			pick = t;
	}
	if (n == 0) {
		fail(c, c->o->target != NULL ? "no target matches --target" :
		    "no Node.js or page target at %s:%s", c->o->host,
		    c->o->port);
		goto out;
	}
	if (n > 1 && re == NULL) {
		fail(c, "%zu targets at %s:%s: choose one with --target", n,
		    c->o->host, c->o->port);
		goto out;
	}
	if (n > 1) {
		fail(c, "%zu targets match --target: choose one", n);
		goto out;
	}
	if (ws_path(hs_jv_get_str(pick, "webSocketDebuggerUrl"), path,
	    pathlen) == -1) {
		fail(c, "the target has no usable webSocketDebuggerUrl "
		    "(is another debugger attached?)");
		goto out;
	}
	rc = 0;
out:
	hs_regex_free(re);
	hs_jv_free(list);
	return rc;
}

/* A chunk of the snapshot: to the writer. */
static int
chunk(void *arg, const char *s, size_t len)
{
	struct capture *c = arg;

	/* A snapshot is a JSON object: a cheap check of the start. */
	if (c->chunks++ == 0 && len > 0 && s[0] != '{')
		return hs_cdp_fail(c->cdp, "HeapProfiler.addHeapSnapshotChunk: "
		    "expected a heap snapshot (a JSON object)");
	if (c->o->interrupted != NULL && *c->o->interrupted)
		c->discard = 1;
	if (c->discard)
		return 0;
	errno = 0;
	if (c->o->write(c->o->sink, s, len) == -1) {
		c->write_errno = c->o->write_errno = errno != 0 ? errno : EIO;
		c->discard = 1;
		return 0;
	}
	c->o->bytes += len;
	return 0;
}

static int
on_event(void *arg, const char *method, const struct hs_jv *params)
{
	struct capture *c = arg;
	const struct hs_jv *str;
	int64_t done, total;

	if (strcmp(method, "HeapProfiler.addHeapSnapshotChunk") == 0) {
		/* In another layout than V8's (see hs_cdp_string_event()). */
		str = hs_jv_get(params, "chunk");
		if (str == NULL || str->kind != HS_JV_STRING)
			return hs_cdp_fail(c->cdp, "%s: expected a \"chunk\" "
			    "string", method);
		return chunk(c, str->str, str->len);
	} else if (strcmp(method,
	    "HeapProfiler.reportHeapSnapshotProgress") == 0) {
		if (c->o->progress != NULL &&
		    hs_jv_get_int(params, "done", 0, INT64_MAX, &done) == 0 &&
		    hs_jv_get_int(params, "total", 0, INT64_MAX, &total) == 0)
			c->o->progress(c->o->progress_ctx, (uint64_t)done,
			    (uint64_t)total);
	}
	return 0;
}

/*
 * inspector.close() ends every session, this one too, so it runs from a
 * timer after the answer has gone.  The module is looked up at once, while
 * the command line API gives require() (Node.js 12 and later;
 * process.getBuiltinModule() from 22.3), and the timer catches whatever
 * close() throws: nothing may escape into the target as an uncaught
 * exception.
 */
static int
close_inspector(struct capture *c, struct hs_cdp *cdp)
{
	struct hs_jv *answer;
	const struct hs_jv *result;
	int rc = 0;

	if (hs_cdp_call(cdp, "Runtime.evaluate", "{\"expression\":\""
	    "(() => { const i = typeof process.getBuiltinModule === "
	    "'function' ? process.getBuiltinModule('inspector') : "
	    "require('inspector'); setTimeout(() => { try { i.close(); } "
	    "catch (e) {} }, 50); return 'ok'; })()\","
	    "\"includeCommandLineAPI\":true,\"returnByValue\":true}",
	    &answer) == -1)
		return fail(c, "closing the inspector: %s", hs_cdp_error(cdp));
	result = hs_jv_get(answer, "result");
	if (hs_jv_get(result, "exceptionDetails") != NULL ||
	    hs_jv_get_str(hs_jv_get(result, "result"), "value") == NULL ||
	    strcmp(hs_jv_get_str(hs_jv_get(result, "result"), "value"),
	    "ok") != 0)
		rc = fail(c, "closing the inspector: the target could not "
		    "load its inspector module");
	hs_jv_free(answer);
	return rc;
}

/*
 * Finds the target, opens a stream and a DevTools session on it: c->cdp
 * (NULL on failure, the stream then closed or never opened).
 */
static int
open_session(struct capture *c, struct hs_conn *conn)
{
	char path[MAX_PATH], host[300];

	c->cdp = NULL;
	if (choose_target(c, path, sizeof(path)) == -1)
		return -1;
	if (open_stream(c, conn) == -1)
		return -1;
	host_header(c->o, host, sizeof(host));
	if ((c->cdp = hs_cdp_new(conn, c->o->max_message,
	    4 * c->o->max_message, on_event, c)) == NULL)
		return fail(c, "out of memory");
	if (hs_cdp_handshake(c->cdp, host, path) == -1)
		return fail(c, "%s", hs_cdp_error(c->cdp));
	return 0;
}

/* An integer member of a Runtime.evaluate value, or -1. */
static int64_t
member(const struct hs_jv *obj, const char *key)
{
	int64_t v;

	if (hs_jv_get_int(obj, key, 0, INT64_MAX, &v) == 0)
		return v;
	/* Large figures may come as doubles. */
	if (hs_jv_get(obj, key) != NULL &&
	    hs_jv_get(obj, key)->kind == HS_JV_NUMBER &&
	    hs_jv_get_num(obj, key, -1) >= 0 &&
	    hs_jv_get_num(obj, key, -1) < 9e15)
		return (int64_t)hs_jv_get_num(obj, key, -1);
	return -1;
}

/* One sample: process.memoryUsage(), or V8's heap figures in a browser. */
static int
sample(struct capture *c, struct hs_capture_sample *s)
{
	struct hs_jv *answer = NULL;
	const struct hs_jv *r, *v;

	s->heap_used = s->heap_total = s->rss = s->external =
	    s->array_buffers = -1;
	if (hs_cdp_call(c->cdp, "Runtime.evaluate", "{\"expression\":"
	    "\"typeof process === 'object' && process && "
	    "typeof process.memoryUsage === 'function' ? "
	    "process.memoryUsage() : null\",\"returnByValue\":true,"
	    "\"silent\":true}", &answer) == -1)
		return fail(c, "%s", hs_cdp_error(c->cdp));
	r = hs_jv_get(answer, "result");
	v = hs_jv_get(hs_jv_get(r, "result"), "value");
	if (v != NULL && v->kind == HS_JV_OBJECT) {
		s->heap_used = member(v, "heapUsed");
		s->heap_total = member(v, "heapTotal");
		s->rss = member(v, "rss");
		s->external = member(v, "external");
		s->array_buffers = member(v, "arrayBuffers");
	}
	hs_jv_free(answer);
	if (s->heap_used >= 0 && s->heap_total >= 0)
		return 0;
	if (hs_cdp_call(c->cdp, "Runtime.getHeapUsage", NULL, &answer) == -1)
		return fail(c, "%s", hs_cdp_error(c->cdp));
	r = hs_jv_get(answer, "result");
	s->heap_used = member(r, "usedSize");
	s->heap_total = member(r, "totalSize");
	hs_jv_free(answer);
	if (s->heap_used < 0 || s->heap_total < 0)
		return fail(c, "Runtime.getHeapUsage: expected usedSize and "
		    "totalSize");
	return 0;
}

int
hs_capture_watch(struct hs_capture_options *o, int64_t interval_ms,
    int64_t duration_ms, int (*fn)(void *, const struct hs_capture_sample *),
    void *ctx, char *err, size_t errlen)
{
	struct capture c;
	struct hs_conn conn;
	struct hs_capture_sample s;
	int64_t start = hs_now_ms(), next;
	int rc = -1;

	capture_init(&c, o, err, errlen);
	conn.rfd = conn.wfd = -1;
	conn.pid = 0;
	if (open_session(&c, &conn) == -1)
		goto out;
	for (next = start;; next += interval_ms) {
		if (sample(&c, &s) == -1)
			goto out;
		if (fn(ctx, &s) == -1) {
			fail(&c, "cannot write the sample");
			goto out;
		}
		if (duration_ms > 0 && next + interval_ms - start >
		    duration_ms)
			break;
		/* Sleep until the next tick, interruptibly. */
		while (hs_now_ms() < next + interval_ms) {
			if (o->interrupted != NULL && *o->interrupted) {
				rc = 0;		/* Ctrl-C ends a watch */
				hs_cdp_close(c.cdp);
				goto out;
			}
			hs_sleep_ms(next + interval_ms - hs_now_ms() > 100 ?
			    100 : next + interval_ms - hs_now_ms(), NULL);
		}
	}
	hs_cdp_close(c.cdp);
	rc = 0;
out:
	if (rc == -1 && o->interrupted != NULL && *o->interrupted) {
		rc = 0;
		err[0] = '\0';
	}
	hs_cdp_free(c.cdp);
	hs_conn_close(&conn);
	return rc;
}

int
hs_capture(struct hs_capture_options *o, char *err, size_t errlen)
{
	struct capture c;
	struct hs_conn conn;
	struct hs_cdp *cdp = NULL;
	int rc = -1;

	capture_init(&c, o, err, errlen);
	conn.rfd = conn.wfd = -1;
	conn.pid = 0;
	o->bytes = 0;
	o->write_errno = 0;
	if (open_session(&c, &conn) == -1)
		goto out;
	cdp = c.cdp;
	if (hs_cdp_string_event(cdp, "HeapProfiler.addHeapSnapshotChunk",
	    "chunk", chunk) == -1) {
		fail(&c, "%s", hs_cdp_error(cdp));
		goto out;
	}
	if (hs_cdp_call(cdp, "HeapProfiler.enable", NULL, NULL) == -1 ||
	    (o->gc && hs_cdp_call(cdp, "HeapProfiler.collectGarbage", NULL,
	    NULL) == -1)) {
		fail(&c, "%s", o->interrupted != NULL && *o->interrupted ?
		    "interrupted" : hs_cdp_error(cdp));
		goto out;
	}
	/*
	 * Once the snapshot has started, no failure of ours drops the
	 * connection: after a failed write, a first interrupt, or memory
	 * running out (see on_message() in cdp.c), the rest of the snapshot
	 * is read and thrown away, then the session ends cleanly.  Node.js 20
	 * and 22 crash when a client vanishes while they stream a snapshot
	 * (nodejs/node#64209), and a capture must never harm its target.  A
	 * second interrupt, the timeout, or the target going away still end
	 * the wait at once.
	 */
	conn.interrupt_at = 2;
	/*
	 * Progress only for a bar: V8 then counts the heap's objects first
	 * and sends an event every 10,000 of them, which costs the target
	 * time (the snapshot is the same either way).
	 */
	if (hs_cdp_call(cdp, "HeapProfiler.takeHeapSnapshot",
	    o->progress != NULL ? "{\"reportProgress\":true}" :
	    "{\"reportProgress\":false}", NULL) == -1) {
		fail(&c, "%s%s", o->interrupted != NULL && *o->interrupted ?
		    "interrupted" : hs_cdp_error(cdp), c.chunks > 0 ?
		    " (during the snapshot)" : "");
		/* The answer came after a failure of ours: end cleanly. */
		conn.interrupted = NULL;
		hs_cdp_close(cdp);
		goto out;
	}
	conn.interrupt_at = 1;
	if (c.discard) {
		if (c.write_errno != 0)
			fail(&c, "write error: %s", strerror(c.write_errno));
		else
			fail(&c, "interrupted");
		conn.interrupted = NULL;
		hs_cdp_call(cdp, "HeapProfiler.disable", NULL, NULL);
		hs_cdp_close(cdp);
		goto out;
	}
	if (c.chunks == 0 || o->bytes == 0) {
		fail(&c, "HeapProfiler.takeHeapSnapshot: expected snapshot "
		    "chunks, got none");
		goto out;
	}
	if (hs_cdp_call(cdp, "HeapProfiler.disable", NULL, NULL) == -1) {
		fail(&c, "%s", hs_cdp_error(cdp));
		goto out;
	}
	if (o->close_inspector && close_inspector(&c, cdp) == -1)
		goto out;
	hs_cdp_close(cdp);
	rc = 0;
out:
	hs_cdp_free(c.cdp);
	hs_conn_close(&conn);
	return rc;
}

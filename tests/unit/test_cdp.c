/*
 * test_cdp: the DevTools protocol client's message handling: events reach
 * the handler with their method and params, answers are matched by id,
 * and malformed messages (not JSON, not an object, no id nor method, too
 * deep, too big) fail with a message that quotes none of their bytes.
 * String events (hs_cdp_string_event): what the string handler gets is
 * what the parser makes of the same message, whichever path it takes.
 * A call that fails on our side reads on until its answer, then ends the
 * connection cleanly.
 */
#include "testutil.h"

#include "cdp.h"
#include "conn.h"
#include "jv.h"
#include "wsserver.h"

struct seen {
	char	 methods[256];
	int	 events;
	int	 fail_on;	/* fail at this event (1-based), 0 never */
	struct hs_cdp *cdp;
};

static int
on_event(void *ctx, const char *method, const struct hs_jv *params)
{
	struct seen *s = ctx;
	size_t n = strlen(s->methods);

	snprintf(s->methods + n, sizeof(s->methods) - n, "%s%s(%s)",
	    n ? " " : "", method, params != NULL && params->kind ==
	    HS_JV_OBJECT ? "object" : "none");
	if (++s->events == s->fail_on)
		return hs_cdp_fail(s->cdp, "handler says no");
	return 0;
}

static struct hs_cdp *
client(struct hs_conn *conn, struct seen *s, size_t max_tree)
{
	struct hs_cdp *c;

	memset(conn, 0, sizeof(*conn));
	conn->rfd = conn->wfd = -1;
	memset(s, 0, sizeof(*s));
	c = hs_cdp_new(conn, 1 << 20, max_tree, on_event, s);
	assert_non_null(c);
	s->cdp = c;
	return c;
}

#define MSG(c, text)	hs_cdp_message((c), (text), strlen(text))

static void
test_events(void **state)
{
	struct hs_conn conn;
	struct seen s;
	struct hs_cdp *c = client(&conn, &s, 1 << 20);

	(void)state;
	assert_int_equal(MSG(c, "{\"method\":\"A.b\",\"params\":{\"x\":1}}"),
	    0);
	assert_int_equal(MSG(c, "{\"method\":\"C.d\"}"), 0);
	/* Answers to no call in progress are ignored. */
	assert_int_equal(MSG(c, "{\"id\":7,\"result\":{}}"), 0);
	assert_int_equal(MSG(c, "{\"id\":7,\"error\":{\"code\":-1}}"), 0);
	assert_string_equal(s.methods, "A.b(object) C.d(none)");
	hs_cdp_free(c);
}

static void
expect_bad(const char *msg, size_t max_tree, const char *want)
{
	struct hs_conn conn;
	struct seen s;
	struct hs_cdp *c = client(&conn, &s, max_tree);

	assert_int_equal(hs_cdp_message(c, msg, strlen(msg)), -1);
	assert_string_equal(hs_cdp_error(c), want);
	assert_null(strstr(hs_cdp_error(c), "SECRET"));
	assert_int_equal(s.events, 0);
	hs_cdp_free(c);
}

static void
test_malformed(void **state)
{
	char deep[400];
	int i;

	(void)state;
	expect_bad("SECRET", 1 << 20,
	    "DevTools message 1: byte 1: invalid JSON (lexical error: "
	    "invalid char in json text)");
	expect_bad("[\"SECRET\"]", 1 << 20,
	    "DevTools message 1: expected an object");
	expect_bad("{\"SECRET\":1}", 1 << 20,
	    "DevTools message 1: expected an \"id\" or a \"method\"");
	expect_bad("{\"id\":\"SECRET\"}", 1 << 20,
	    "DevTools message 1: expected an \"id\" or a \"method\"");
	expect_bad("{\"id\":-1}", 1 << 20,
	    "DevTools message 1: expected an \"id\" or a \"method\"");
	expect_bad("{\"method\":\"SECRET\"", 1 << 20,
	    "DevTools message 1: byte 18: invalid JSON (parse error: "
	    "premature EOF)");
	expect_bad("{\"method\":\"x\",\"params\":\"SECRET\"} SECRET", 1 << 20,
	    "DevTools message 1: byte 34: invalid JSON (parse error: "
	    "trailing garbage)");
	for (i = 0; i < 200; i++)
		deep[i] = '[';
	deep[i] = '\0';
	expect_bad(deep, 1 << 20, "DevTools message 1: byte 65: nesting "
	    "too deep");
	expect_bad("{\"method\":\"x\",\"params\":{\"SECRET\":\"SECRETSECRETSECRET"
	    "SECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRET\"}}",
	    64, "DevTools message 1: byte 1: document too large");
}

/* Puts p at the start of s, without its NUL. */
static void
prefix(char *s, const char *p)
{
	memcpy(s, p, strlen(p));
}

/* A text frame (unmasked, as a server sends it) of msg, appended at f. */
static size_t
frame(char *f, const char *msg)
{
	size_t n = strlen(msg), h = 2;

	f[0] = (char)0x81;
	if (n < 126) {
		f[1] = (char)n;
	} else {
		f[1] = 126;
		f[2] = (char)(n >> 8);
		f[3] = (char)n;
		h = 4;
	}
	memcpy(f + h, msg, n);
	return h + n;
}

/*
 * Calls a method against a server that sends frames and then ends the
 * stream; the client's messages are at most max_message bytes, its
 * handler fails at event fail_on.  Returns the call's status, its error in
 * err, and whether the client then sent a close frame (a masked 0x88).
 */
static int
call_against(const char *frames, size_t len, size_t max_message,
    int fail_on, char *err, size_t errlen, int *closed)
{
	struct hs_conn conn;
	struct server srv;
	struct seen s;
	struct hs_cdp *c;
	struct ws_pair pair;
	int rc;
	size_t i;

	memset(&srv, 0, sizeof(srv));
	memset(&s, 0, sizeof(s));
	srv.answer = GOOD;
	srv.frames = frames;
	srv.frames_len = len;
	assert_int_equal(ws_pair_start(&pair, &srv, &conn), 0);
	c = hs_cdp_new(&conn, max_message, 1 << 20, on_event, &s);
	assert_non_null(c);
	s.cdp = c;
	s.fail_on = fail_on;
	assert_int_equal(hs_cdp_handshake(c, "127.0.0.1:1", "/x"), 0);
	rc = hs_cdp_call(c, "HeapProfiler.takeHeapSnapshot", NULL, NULL);
	snprintf(err, errlen, "%s", rc == 0 ? "" : hs_cdp_error(c));
	hs_cdp_close(c);
	hs_cdp_free(c);
	ws_pair_end(&pair);
	*closed = 0;
	/* The call's own frame comes first: look past it. */
	for (i = 1; i + 1 < srv.got_len; i++)
		if ((unsigned char)srv.got[i] == 0x88 &&
		    (unsigned char)srv.got[i + 1] == 0x82)
			*closed = 1;
	return rc;
}

/*
 * A failure on our side in the middle of a call (the handler says no, a
 * message too long to hold, one that is not JSON) does not drop the
 * connection: the rest is read until the answer, the call fails with the
 * first cause, and the WebSocket can still close cleanly.  Node.js crashes
 * when a client goes away while it streams a snapshot.
 */
static void
test_failure_waits_for_answer(void **state)
{
	char f[4096], err[256], big[300];
	size_t n;
	int closed;

	(void)state;
	n = frame(f, "{\"method\":\"A\"}");
	n += frame(f + n, "{\"method\":\"B\"}");
	n += frame(f + n, "{\"id\":1,\"result\":{}}");
	assert_int_equal(call_against(f, n, 1 << 20, 1, err, sizeof(err),
	    &closed), -1);
	assert_string_equal(err, "handler says no");
	assert_true(closed);
	/* Without the answer, the end of the stream; the cause stays. */
	n = frame(f, "{\"method\":\"A\"}");
	n += frame(f + n, "{\"method\":\"B\"}");
	assert_int_equal(call_against(f, n, 1 << 20, 1, err, sizeof(err),
	    &closed), -1);
	assert_string_equal(err, "handler says no");
	assert_false(closed);
	/* An event too long to hold, then the answer. */
	memset(big, 'S', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	prefix(big, "{\"method\":\"A\",\"params\":\"");
	n = frame(f, big);
	n += frame(f + n, "{\"id\":1,\"result\":{}}");
	assert_int_equal(call_against(f, n, 200, 0, err, sizeof(err),
	    &closed), -1);
	assert_string_equal(err, "DevTools message 1: expected messages of "
	    "at most 200 bytes");
	assert_true(closed);
	/* The answer itself too long: seen by its first bytes. */
	prefix(big, "{ \"id\" : 1 ,\"result\":\"");
	n = frame(f, "SECRET");
	n += frame(f + n, big);
	n += frame(f + n, "{\"id\":1,\"result\":{}}");
	assert_int_equal(call_against(f, n, 200, 0, err, sizeof(err),
	    &closed), -1);
	assert_string_equal(err, "DevTools message 1: byte 1: invalid JSON "
	    "(lexical error: invalid char in json text)");
	assert_true(closed);
	/* Answers to other ids do not end the wait. */
	n = frame(f, "{\"method\":\"A\"}");
	n += frame(f + n, "{\"id\":12,\"result\":{}}");
	n += frame(f + n, "{\"id\":\"1\",\"result\":{}}");
	assert_int_equal(call_against(f, n, 1 << 20, 1, err, sizeof(err),
	    &closed), -1);
	assert_false(closed);
}

static void
test_handler_failure(void **state)
{
	struct hs_conn conn;
	struct seen s;
	struct hs_cdp *c = client(&conn, &s, 1 << 20);

	(void)state;
	s.fail_on = 2;
	assert_int_equal(MSG(c, "{\"method\":\"A\"}"), 0);
	assert_int_equal(MSG(c, "{\"method\":\"B\"}"), -1);
	assert_string_equal(hs_cdp_error(c), "handler says no");
	hs_cdp_free(c);
}

struct strings {
	char	 got[4096];
	size_t	 len;
	int	 fast, slow;	/* by the string handler, by the tree */
	int	 fail;
	struct hs_cdp *cdp;
};

static int
on_string(void *ctx, const char *s, size_t len)
{
	struct strings *st = ctx;

	if (st->fail)
		return hs_cdp_fail(st->cdp, "string handler says no");
	assert_true(len <= sizeof(st->got));
	memcpy(st->got, s, len);
	st->len = len;
	st->fast++;
	return 0;
}

static int
on_string_event(void *ctx, const char *method, const struct hs_jv *params)
{
	struct strings *st = ctx;
	const struct hs_jv *v = hs_jv_get(params, "chunk");

	assert_string_equal(method, "HeapProfiler.addHeapSnapshotChunk");
	assert_non_null(v);
	assert_int_equal(v->kind, HS_JV_STRING);
	memcpy(st->got, v->str, v->len);
	st->len = v->len;
	st->slow++;
	return 0;
}

/* A client with a string event for snapshot chunks. */
static struct hs_cdp *
string_client(struct hs_conn *conn, struct strings *st)
{
	struct hs_cdp *c;

	memset(conn, 0, sizeof(*conn));
	conn->rfd = conn->wfd = -1;
	memset(st, 0, sizeof(*st));
	c = hs_cdp_new(conn, 1 << 20, 1 << 20, on_string_event, st);
	assert_non_null(c);
	st->cdp = c;
	assert_int_equal(hs_cdp_string_event(c,
	    "HeapProfiler.addHeapSnapshotChunk", "chunk", on_string), 0);
	return c;
}

/*
 * Sends msg to a client with a string event; the string is to be what the
 * parser makes of it, and to come by the fast path when fast.
 */
static void
check_string(const char *msg, int fast)
{
	struct hs_conn conn;
	struct strings st;
	struct hs_cdp *c;
	struct hs_jv *tree;
	const struct hs_jv *v;
	char err[160];

	c = string_client(&conn, &st);
	assert_int_equal(hs_cdp_message(c, msg, strlen(msg)), 0);
	if (st.fast != fast || st.slow != !fast)
		fail_msg("%s: fast %d slow %d, expected the %s path", msg,
		    st.fast, st.slow, fast ? "fast" : "slow");
	tree = hs_jv_parse(msg, strlen(msg), 0, 1 << 20, err, sizeof(err));
	assert_non_null(tree);
	v = hs_jv_get(hs_jv_get(tree, "params"), "chunk");
	assert_non_null(v);
	if (v->len != st.len || memcmp(v->str, st.got, st.len) != 0)
		fail_msg("%s: the string differs from the parser's", msg);
	hs_jv_free(tree);
	hs_cdp_free(c);
}

#define CHUNK	"{\"method\":\"HeapProfiler.addHeapSnapshotChunk\"," \
		"\"params\":{\"chunk\":\""

static void
test_string_event(void **state)
{
	char msg[4400], body[2100];
	size_t i, n;
	unsigned seed = 12345;
	/* Pieces of JSON string text the fast path takes. */
	static const char *const plain[] = {
		"a", "0,1,2,3", "\\n", "\\\"", "\\\\", "\\/", "\\b", "\\f",
		"\\r", "\\t", "\\u0041", "\\u007f", "\\u001F", "{\\\"x\\\":1}",
		"0123456789abcdef", " ", "~"
	};
	int round;

	(void)state;
	check_string(CHUNK "\"}}", 1);
	check_string(CHUNK "{\\\"snapshot\\\":{}}\\n\"}}", 1);
	/* Strings the fast path leaves to the parser, to the same end. */
	check_string(CHUNK "caf\xc3\xa9\"}}", 0);
	check_string(CHUNK "\\u00e9\"}}", 0);
	check_string(CHUNK "\\ud83d\\ude00\"}}", 0);
	check_string(CHUNK "a\\u0000b\"}}", 0);
	/* Another layout: spaces, more members, another order. */
	check_string("{\"method\": \"HeapProfiler.addHeapSnapshotChunk\","
	    "\"params\":{\"chunk\":\"x\"}}", 0);
	check_string("{\"method\":\"HeapProfiler.addHeapSnapshotChunk\","
	    "\"params\":{\"chunk\":\"x\",\"y\":\"\"}}", 0);
	check_string("{\"params\":{\"chunk\":\"x\"},\"method\":"
	    "\"HeapProfiler.addHeapSnapshotChunk\"}", 0);
	check_string(CHUNK "x\"},\"sessionId\":\"s\"}", 0);
	/* Random runs, across the 16- and 8-byte steps of the scan. */
	for (round = 0; round < 2000; round++) {
		n = 0;
		while (n < 1500) {
			const char *p = plain[(seed = seed * 1103515245 +
			    12345) / 65536 % (sizeof(plain) / sizeof(*plain))];

			memcpy(body + n, p, strlen(p));
			n += strlen(p);
		}
		body[n] = '\0';
		snprintf(msg, sizeof(msg), CHUNK "%s\"}}", body);
		check_string(msg, 1);
	}
	for (i = 0; i < 40; i++) {
		memset(body, 'x', i);
		body[i] = '\0';
		snprintf(msg, sizeof(msg), CHUNK "%s\\n%s\"}}", body, body);
		check_string(msg, 1);
	}
}

/* What the fast path does not take is an error where the parser says so. */
static void
test_string_event_bad(void **state)
{
	static const char *const bad[] = {
		CHUNK "SECRET\n\"}}",		/* a raw control character */
		CHUNK "SECRET\\x\"}}",		/* an unknown escape */
		CHUNK "SECRET\\u12\"}}",	/* a short \u */
		CHUNK "SECRET\"\"}}",		/* a quote ends it early */
		CHUNK "SECRET\\\"}}",		/* the last quote escaped */
		CHUNK "SECRET\xff\"}}",		/* not UTF-8 */
	};
	struct hs_conn conn;
	struct strings st;
	struct hs_cdp *c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		c = string_client(&conn, &st);
		assert_int_equal(hs_cdp_message(c, bad[i], strlen(bad[i])),
		    -1);
		assert_non_null(strstr(hs_cdp_error(c), "DevTools message 1: "
		    "byte "));
		assert_null(strstr(hs_cdp_error(c), "SECRET"));
		assert_int_equal(st.fast + st.slow, 0);
		hs_cdp_free(c);
	}
	/* The string handler's failure is the message's. */
	c = string_client(&conn, &st);
	st.fail = 1;
	assert_int_equal(hs_cdp_message(c, CHUNK "x\"}}",
	    strlen(CHUNK "x\"}}")), -1);
	assert_string_equal(hs_cdp_error(c), "string handler says no");
	hs_cdp_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_handler_failure),
		cmocka_unit_test(test_failure_waits_for_answer),
		cmocka_unit_test(test_string_event),
		cmocka_unit_test(test_string_event_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

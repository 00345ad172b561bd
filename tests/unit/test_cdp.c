/*
 * test_cdp: the DevTools protocol client's message handling: events reach
 * the handler with their method and params, answers are matched by id,
 * and malformed messages (not JSON, not an object, no id nor method, too
 * deep, too big) fail with a message that quotes none of their bytes.
 */
#include "testutil.h"

#include "cdp.h"
#include "conn.h"
#include "jv.h"

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_handler_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

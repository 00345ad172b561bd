/*
 * test_ws: the WebSocket client against a scripted server on a socketpair:
 * the handshake (good and bad answers), framing (fragments, pings, masked
 * or reserved or unknown frames, messages over the limit, truncation,
 * close), messages that cannot be held skipped when the owner asks for
 * it, UTF-8, messages longer than one read, and that no error quotes
 * the peer's bytes.  SHA-1 and base64
 * against RFC 6455's example.
 */
#include "testutil.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/socket.h>

#include "conn.h"
#include "sha1.h"
#include "ws.h"
#include "wsserver.h"

/* The server reads the client's pong before it ends the stream. */
static int wait_for_pong;

struct messages {
	char	 text[1024];
	size_t	 n;
};

static int
collect(void *ctx, const char *msg, size_t len)
{
	struct messages *m = ctx;
	size_t used = strlen(m->text);

	snprintf(m->text + used, sizeof(m->text) - used, "[%.*s]", (int)len,
	    msg);
	m->n++;
	return 0;
}

/* A lost message, as [lost HEAD: WHY]. */
static int
note_lost(void *ctx, const char *head, size_t len, const char *why)
{
	struct messages *m = ctx;
	size_t used = strlen(m->text);

	snprintf(m->text + used, sizeof(m->text) - used, "[lost %.*s: %s]",
	    (int)len, head, why);
	return 0;
}

/* What run() gives the messages to, and how many times it pumps. */
static hs_ws_message_fn receiver = collect;
static hs_ws_lost_fn lost_receiver;
static int rounds = 20;

/*
 * Runs a client against a server that answers as told and then sends
 * frames; pumps until an error (or 20 rounds).  Returns the error ("" if
 * none) in err, the messages in m, what the client sent in *srv.
 */
static int
run(enum answer answer, const char *frames, size_t frames_len,
    size_t max_message, struct messages *m, char *err, size_t errlen,
    struct server *srv)
{
	struct hs_conn conn;
	struct ws_pair pair;
	struct hs_ws *ws;
	int rc, i;

	memset(m, 0, sizeof(*m));
	memset(srv, 0, sizeof(*srv));
	srv->answer = answer;
	srv->frames = frames;
	srv->frames_len = frames_len;
	srv->wait_reply = wait_for_pong;
	assert_int_equal(ws_pair_start(&pair, srv, &conn), 0);
	ws = hs_ws_new(&conn, max_message, receiver, m);
	assert_non_null(ws);
	if (lost_receiver != NULL)
		hs_ws_on_lost(ws, lost_receiver);
	rc = hs_ws_handshake(ws, "127.0.0.1:1", "/x");
	for (i = 0; rc == 0 && i < rounds; i++)
		rc = hs_ws_pump(ws);
	snprintf(err, errlen, "%s", rc == 0 ? "" : hs_ws_error(ws));
	hs_ws_free(ws);
	ws_pair_end(&pair);
	return rc;
}

static void
test_sha1_base64(void **state)
{
	const char *key = "dGhlIHNhbXBsZSBub25jZQ=="
	    "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
	uint8_t d[20];
	char out[64];
	char million[200];

	(void)state;
	hs_sha1(key, strlen(key), d);
	hs_base64(d, sizeof(d), out);
	assert_string_equal(out, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
	hs_sha1("abc", 3, d);
	hs_base64(d, sizeof(d), out);
	/* a9993e36 4706816a ba3e2571 7850c26c 9cd0d89d */
	assert_string_equal(out, "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=");
	/* 56 bytes: the padding spills into a second block. */
	memset(million, 'a', 56);
	hs_sha1(million, 56, d);
	/* c2db330f 60838... */
	assert_int_equal(d[0], 0xc2);
	assert_int_equal(d[19], 0x99);
	hs_base64((const uint8_t *)"ab", 2, out);
	assert_string_equal(out, "YWI=");
	hs_base64((const uint8_t *)"a", 1, out);
	assert_string_equal(out, "YQ==");
}

static void
test_messages(void **state)
{
	/* A text message, a fragmented one with a ping between, another. */
	static const char f[] =
	    "\x81\x05hello"
	    "\x01\x03hel" "\x89\x00" "\x80\x02lo"
	    "\x81\x00";
	struct messages m;
	struct server s;
	char err[256];
	size_t i;

	(void)state;
	wait_for_pong = 1;
	run(GOOD, f, sizeof(f) - 1, 100, &m, err, sizeof(err), &s);
	wait_for_pong = 0;
	assert_string_equal(m.text, "[hello][hello][]");
	/* The end of input is an error: the connection closed. */
	assert_string_equal(err, "connection closed");
	/* The ping was answered with a masked pong (and a close). */
	for (i = 0; i + 1 < s.got_len; i++)
		if ((unsigned char)s.got[i] == 0x8a &&
		    (unsigned char)s.got[i + 1] == 0x80)
			break;
	assert_true(i + 1 < s.got_len);
}

static void
expect_frames_fail(const char *frames, size_t len, const char *want)
{
	struct messages m;
	struct server s;
	char err[256];

	assert_int_equal(run(GOOD, frames, len, 100, &m, err, sizeof(err),
	    &s), -1);
	if (strcmp(err, want) != 0)
		fail_msg("frames %02x %02x: \"%s\", expected \"%s\"",
		    (unsigned char)frames[0], (unsigned char)frames[1], err, want);
	assert_null(strstr(err, "SECRET"));
	assert_null(strstr(m.text, "SECRET"));
}

static void
test_bad_frames(void **state)
{
	static const char masked[] = "\x81\x86" "abcd" "SECRET";
	static const char rsv[] = "\xc1\x06SECRET";
	static const char opcode[] = "\x83\x06SECRET";
	static const char binary[] = "\x82\x06SECRET";
	static const char ctl_fragment[] = "\x09\x06SECRET";
	static const char long_ping[] = "\x89\x7e\x00\x80SECRET";
	static const char orphan[] = "\x80\x06SECRET";
	static const char truncated[] = "\x81\x10SECRET";
	static const char close[] = "\x88\x08\x03\xe8SECRET";
	char big[300];

	(void)state;
	expect_frames_fail(masked, sizeof(masked) - 1,
	    "expected WebSocket frames, got a protocol error");
	expect_frames_fail(rsv, sizeof(rsv) - 1,
	    "expected WebSocket frames, got a protocol error");
	expect_frames_fail(opcode, sizeof(opcode) - 1,
	    "expected WebSocket frames, got a protocol error");
	expect_frames_fail(binary, sizeof(binary) - 1,
	    "unexpected binary message");
	expect_frames_fail(ctl_fragment, sizeof(ctl_fragment) - 1,
	    "expected WebSocket frames, got a protocol error");
	expect_frames_fail(long_ping, sizeof(long_ping) - 1,
	    "expected WebSocket frames, got a protocol error");
	expect_frames_fail(orphan, sizeof(orphan) - 1,
	    "expected WebSocket frames, got a protocol error");
	expect_frames_fail(truncated, sizeof(truncated) - 1,
	    "connection closed");
	expect_frames_fail(close, sizeof(close) - 1,
	    "the peer closed the WebSocket connection");
	/* A message over the limit: 256 bytes announced, 100 allowed. */
	memcpy(big, "\x81\x7e\x01\x00", 4);
	memset(big + 4, 'S', sizeof(big) - 4);
	expect_frames_fail(big, sizeof(big),
	    "expected messages of at most 100 bytes");
	/* The same over two fragments. */
	memcpy(big, "\x01\x60", 2);
	memset(big + 2, 'S', 0x60);
	memcpy(big + 2 + 0x60, "\x80\x60", 2);
	memset(big + 4 + 0x60, 'S', 0x60);
	expect_frames_fail(big, 4 + 2 * 0x60,
	    "expected messages of at most 100 bytes");
	/* A new message while one is in fragments. */
	expect_frames_fail("\x01\x01S\x81\x01S", 6,
	    "expected WebSocket frames, got a protocol error");
	/* A 64-bit length with the top bit set. */
	expect_frames_fail("\x81\x7f\x80\x00\x00\x00\x00\x00\x00\x01", 10,
	    "expected WebSocket frames, got a protocol error");
}

/*
 * With a lost function, a message that cannot be held is read and thrown
 * away, its first 64 bytes handed over, and the connection goes on: too
 * long whole, too long in its second fragment, and no memory for it.
 */
static void
test_lost(void **state)
{
	static const char head[] = "{\"id\":7,\"result\":{\"secret\":\"";
	char f[1024], want[512];
	struct messages m;
	struct server s;
	char err[256];
	size_t n = 0, i;

	(void)state;
	memcpy(f + n, "\x81\x02hi", 4);
	n += 4;
	memcpy(f + n, "\x81\x7e\x01\x00", 4);	/* 256 bytes */
	n += 4;
	memcpy(f + n, head, sizeof(head) - 1);
	for (i = sizeof(head) - 1; i < 256; i++)
		f[n + i] = 'x';
	n += 256;
	memcpy(f + n, "\x01\x60", 2);		/* 96 + 96 bytes */
	memset(f + n + 2, 'a', 0x60);
	memcpy(f + n + 2 + 0x60, "\x80\x60", 2);
	memset(f + n + 4 + 0x60, 'b', 0x60);
	n += 4 + 2 * 0x60;
	memcpy(f + n, "\x81\x02ok", 4);
	n += 4;
	lost_receiver = note_lost;
	run(GOOD, f, n, 100, &m, err, sizeof(err), &s);
	snprintf(want, sizeof(want), "[hi][lost %s%.*s: expected messages "
	    "of at most 100 bytes][lost %.64s: expected messages of at most "
	    "100 bytes][ok]", head, (int)(64 - (sizeof(head) - 1)),
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	assert_string_equal(m.text, want);
	assert_string_equal(err, "connection closed");
	/*
	 * Memory runs out from the first message's buffer on (an injected
	 * failure lasts): each message is lost, and the connection goes on.
	 */
	hs_alloc_fail_at(3);
	run(GOOD, "\x81\x02hi\x81\x02ok", 8, 100, &m, err, sizeof(err),
	    &s);
	hs_alloc_fail_at(0);
	lost_receiver = NULL;
	assert_string_equal(m.text, "[lost hi: out of memory]"
	    "[lost ok: out of memory]");
}

static void
test_utf8(void **state)
{
	/* é, €, U+1F600, and é split between two fragments. */
	static const char good[] =
	    "\x81\x02\xc3\xa9"
	    "\x81\x03\xe2\x82\xac"
	    "\x81\x04\xf0\x9f\x98\x80"
	    "\x01\x01\xc3" "\x80\x01\xa9";
	static const char *const bad[] = {
	    "\x81\x02\xc0\xaf",			/* overlong */
	    "\x81\x03\xe0\x80\xaf",		/* overlong */
	    "\x81\x03\xed\xa0\x80",		/* a surrogate */
	    "\x81\x04\xf4\x90\x80\x80",		/* beyond U+10FFFF */
	    "\x81\x01\xff",
	    "\x81\x01\x80",			/* a lone continuation */
	    "\x81\x02\xc3" "a",			/* a sequence cut short */
	    "\x81\x01\xc3",			/* at the end */
	};
	struct messages m;
	struct server s;
	char err[256];
	size_t i;

	(void)state;
	run(GOOD, good, sizeof(good) - 1, 100, &m, err, sizeof(err), &s);
	assert_string_equal(m.text, "[\xc3\xa9][\xe2\x82\xac]"
	    "[\xf0\x9f\x98\x80][\xc3\xa9]");
	assert_string_equal(err, "connection closed");
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		expect_frames_fail(bad[i], 2 + (size_t)(bad[i][1] & 0x7f),
		    "expected a UTF-8 text message");
	/* ASCII in long runs, then one bad byte after them. */
	{
		char f[2 + 90];

		memcpy(f, "\x81\x5a", 2);
		memset(f + 2, 'a', 90);
		f[2 + 70] = (char)0xff;
		expect_frames_fail(f, sizeof(f),
		    "expected a UTF-8 text message");
	}
}

/* Checks the long messages of test_long(): their length and bytes. */
static int
check_long(void *ctx, const char *msg, size_t len)
{
	struct messages *m = ctx;
	size_t i, want = m->n == 0 ? 700u << 10 : 3;

	if (len != want)
		fail_msg("message %zu: %zu bytes, expected %zu", m->n, len,
		    want);
	for (i = 0; i < len; i++)
		if (msg[i] != "abcdefghijklmnopqrstuvwxyz"[i % 26])
			fail_msg("message %zu: byte %zu differs", m->n, i);
	m->n++;
	return 0;
}

/*
 * A message longer than a read (256 KiB) and than wslay's buffer, in
 * fragments of 64 KiB with pings between, then a short one.
 */
static void
test_long(void **state)
{
	size_t len = 700u << 10, frag = 64u << 10, off, n, k, i;
	char *f = malloc(len + 32 * (len / frag + 1) + 16);
	struct messages m;
	struct server s;
	char err[256];

	(void)state;
	assert_non_null(f);
	for (off = 0, n = 0; off < len; off += k) {
		k = len - off < frag ? len - off : frag;
		f[n++] = (char)((off == 0 ? 0x01 : 0x00) |
		    (off + k == len ? 0x80 : 0));
		/* The shortest length form, as wslay insists. */
		if (k < 65536) {
			f[n++] = 126;
			f[n++] = (char)(k >> 8);
			f[n++] = (char)k;
		} else {
			f[n++] = 127;
			for (i = 0; i < 8; i++)
				f[n++] = (char)((uint64_t)k >> (56 - 8 * i));
		}
		for (i = 0; i < k; i++)
			f[n++] = "abcdefghijklmnopqrstuvwxyz"[(off + i) % 26];
		memcpy(f + n, "\x89\x01p", 3);
		n += 3;
	}
	memcpy(f + n, "\x81\x03" "abc", 5);
	n += 5;
	receiver = check_long;
	rounds = 100;
	run(GOOD, f, n, 1u << 20, &m, err, sizeof(err), &s);
	receiver = collect;
	rounds = 20;
	if (m.n != 2)
		fail_msg("%zu messages, error \"%s\"", m.n, err);
	assert_string_equal(err, "connection closed");
	free(f);
}

static void
expect_handshake_fail(enum answer a, const char *want)
{
	struct messages m;
	struct server s;
	char err[256];

	assert_int_equal(run(a, "", 0, 100, &m, err, sizeof(err), &s), -1);
	assert_string_equal(err, want);
	assert_null(strstr(err, "SECRET"));
}

static void
test_bad_handshakes(void **state)
{
	(void)state;
	expect_handshake_fail(BAD_ACCEPT, "WebSocket handshake: "
	    "Sec-WebSocket-Accept does not match the key");
	expect_handshake_fail(NO_ACCEPT, "WebSocket handshake: expected a "
	    "Sec-WebSocket-Accept header");
	expect_handshake_fail(STATUS_403, "WebSocket handshake: expected "
	    "status 101, got 403");
	expect_handshake_fail(HUGE_HEAD, "WebSocket handshake: expected an "
	    "HTTP answer of at most 8191 bytes");
	expect_handshake_fail(NOTHING, "WebSocket handshake: connection "
	    "closed at byte 0, expected an HTTP answer");
}

static void
test_timeout(void **state)
{
	struct hs_conn conn;
	struct hs_ws *ws;
	struct messages m;
	int sv[2];
	int64_t t0;

	(void)state;
	memset(&m, 0, sizeof(m));
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	memset(&conn, 0, sizeof(conn));
	conn.rfd = conn.wfd = sv[0];
	fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK);
	t0 = hs_now_ms();
	conn.deadline = t0 + 300;
	ws = hs_ws_new(&conn, 100, collect, &m);
	assert_int_equal(hs_ws_handshake(ws, "h:1", "/"), -1);
	assert_string_equal(hs_ws_error(ws), "timed out");
	assert_true(hs_now_ms() - t0 < 2000);
	hs_ws_free(ws);
	close(sv[0]);
	close(sv[1]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha1_base64),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_bad_frames),
		cmocka_unit_test(test_lost),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_long),
		cmocka_unit_test(test_bad_handshakes),
		cmocka_unit_test(test_timeout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

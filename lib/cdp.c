/*
 * cdp: DevTools protocol client (see cdp.h).
 */
#include <stdarg.h>
#include <sys/types.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "alloc.h"
#include "buf.h"
#include "cdp.h"
#include "jv.h"
#include "scan.h"
#include "ws.h"

struct hs_cdp {
	struct hs_ws	*ws;
	size_t		 max_tree;
	hs_cdp_event_fn	 on_event;
	void		*ctx;
	int64_t		 next_id;
	int64_t		 waiting;	/* the id whose answer is awaited */
	int		 in_call;	/* hs_cdp_call() waits for it */
	int		 answered;
	struct hs_jv	*answer;	/* the whole answer message */
	uint64_t	 nmessages;
	/* A string event's layout, up to its string, and its handler. */
	char		*str_prefix;
	size_t		 str_prefix_len;
	hs_cdp_string_fn on_string;
	char		*scratch;	/* the unescaped string */
	size_t		 scratch_cap;
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

/* plain_run() a byte at a time: the bytes that are left. */
static size_t
plain_bytes(const char *s, size_t i, size_t len, char *out, size_t *o)
{
	for (; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '"' || ch == '\\' || ch < 0x20 || ch >= 0x80)
			break;
		out[(*o)++] = (char)ch;
	}
	return i;
}

/*
 * The plain run of JSON string text at s[i..len), copied to out[*o..):
 * returns the index of the first byte that ends it (a quote, a backslash,
 * a control character or a non-ASCII byte), or len.  It may store up to
 * 16 bytes past the run in out, which has room for them.
 */
#ifdef __SSE2__
static size_t
plain_run(const char *s, size_t i, size_t len, char *out, size_t *o)
{
	const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
	const __m128i space = _mm_set1_epi8(0x20);
	__m128i x, m;
	unsigned bits, k;

	while (len - i >= 16) {
		x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		/* Signed: below 0x20 is a control character or non-ASCII. */
		m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote),
		    _mm_cmpeq_epi8(x, bslash)), _mm_cmplt_epi8(x, space));
		_mm_storeu_si128((__m128i *)(void *)(out + *o), x);
		if ((bits = (unsigned)_mm_movemask_epi8(m)) != 0) {
			k = (unsigned)__builtin_ctz(bits);
			*o += k;
			return i + k;
		}
		*o += 16;
		i += 16;
	}
	return plain_bytes(s, i, len, out, o);
}
#else
/* Bytes that end a plain run, flagged by their top bit. */
static uint64_t
specials(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull;
	const uint64_t high = 0x8080808080808080ull;
	uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');

	/*
	 * The lowest byte flagged is exact: a false mark only ever sits
	 * above a true one (a borrow that runs on).
	 */
	return ((q - ones) & ~q & high) | ((b - ones) & ~b & high) |
	    ((w - ones * 0x20) & ~w & high) | (w & high);
}

static size_t
plain_run(const char *s, size_t i, size_t len, char *out, size_t *o)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t w, m;
	size_t k;

	while (len - i >= 8) {
		memcpy(&w, s + i, 8);
		memcpy(out + *o, &w, 8);
		if ((m = specials(w)) != 0) {
			k = (size_t)__builtin_ctzll(m) / 8;
			*o += k;
			return i + k;
		}
		*o += 8;
		i += 8;
	}
#endif
	return plain_bytes(s, i, len, out, o);
}
#endif

/*
 * Unescapes the text of a JSON string, s[0..len) between its quotes, into
 * out (len + 16 bytes at least).  Returns the length, or -1 when the text holds
 * what this does not do the same as the parser (jv, yajl) would: a quote
 * that ends the string early, a control character, a non-ASCII byte, an
 * escape that is not one byte of ASCII.  The caller then parses.
 */
static ssize_t
unescape(const char *s, size_t len, char *out)
{
	size_t i = 0, o = 0;
	int h0, h1, h2, h3, v;

	for (;;) {
		i = plain_run(s, i, len, out, &o);
		if (i == len)
			return (ssize_t)o;
		if (s[i] != '\\' || len - i < 2)
			return -1;
		if (s[i + 1] == 'u') {
			if (len - i < 6 || (h0 = hs_hexdigit(s[i + 2])) < 0 ||
			    (h1 = hs_hexdigit(s[i + 3])) < 0 ||
			    (h2 = hs_hexdigit(s[i + 4])) < 0 ||
			    (h3 = hs_hexdigit(s[i + 5])) < 0)
				return -1;
			v = h0 << 12 | h1 << 8 | h2 << 4 | h3;
			if (v == 0 || v >= 0x80)
				return -1;
			out[o++] = (char)v;
			i += 6;
		} else {
			if ((v = hs_json_escape((unsigned char)s[i + 1])) < 0)
				return -1;
			out[o++] = (char)v;
			i += 2;
		}
	}
}

/*
 * A string event in the layout V8 writes, {"method":"M","params":{"K":"
 * then the string and "}}: 1 when it went to the string handler, 0 when
 * the message is to be parsed whole, -1 when the handler failed.
 */
static int
string_event(struct hs_cdp *c, const char *msg, size_t len)
{
	const char *s = msg + c->str_prefix_len;
	size_t n;
	ssize_t got;

	if (len < c->str_prefix_len + 3 ||
	    memcmp(msg, c->str_prefix, c->str_prefix_len) != 0 ||
	    memcmp(msg + len - 3, "\"}}", 3) != 0)
		return 0;
	n = len - c->str_prefix_len - 3;
	/* 16 more bytes: unescape() stores 16 at a time. */
	if (hs_grow(&c->scratch, &c->scratch_cap, n + 16, 1) == -1)
		return hs_cdp_fail(c, "out of memory");
	if ((got = unescape(s, n, c->scratch)) == -1)
		return 0;
	c->nmessages++;
	return c->on_string(c->ctx, c->scratch, (size_t)got) == -1 ? -1 : 1;
}

int
hs_cdp_string_event(struct hs_cdp *c, const char *method, const char *key,
    hs_cdp_string_fn fn)
{
	struct hs_buf b = { NULL, 0, 0 };

	if (hs_buf_printf(&b, "{\"method\":\"%s\",\"params\":{\"%s\":\"",
	    method, key) == -1) {
		hs_buf_free(&b);
		return hs_cdp_fail(c, "out of memory");
	}
	hs_free(c->str_prefix);
	c->str_prefix = b.data;
	c->str_prefix_len = b.len;
	c->on_string = fn;
	return 0;
}

int
hs_cdp_message(struct hs_cdp *c, const char *msg, size_t len)
{
	char err[160];
	struct hs_jv *v;
	const char *method;
	int64_t id;
	int rc = 0;

	if (c->on_string != NULL && (rc = string_event(c, msg, len)) != 0)
		return rc == 1 ? 0 : -1;
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

/*
 * Whether msg is the answer awaited, read by hand with nothing allocated:
 * {"id":N, with N the id (Node.js and Chromium write the id first).
 */
static int
is_answer(const struct hs_cdp *c, const char *msg, size_t len)
{
	static const char key[] = "\"id\"";
	size_t i = 0, digits = 0;
	int64_t id = 0;

#define SPACES() while (i < len && (msg[i] == ' ' || msg[i] == '\t' || \
	    msg[i] == '\r' || msg[i] == '\n')) i++
	SPACES();
	if (i == len || msg[i++] != '{')
		return 0;
	SPACES();
	if (len - i < sizeof(key) - 1 || memcmp(msg + i, key,
	    sizeof(key) - 1) != 0)
		return 0;
	i += sizeof(key) - 1;
	SPACES();
	if (i == len || msg[i++] != ':')
		return 0;
	SPACES();
	for (; i < len && msg[i] >= '0' && msg[i] <= '9' && digits < 18;
	    i++, digits++)
		id = id * 10 + (msg[i] - '0');
	SPACES();
#undef SPACES
	return digits > 0 && i < len && (msg[i] == ',' || msg[i] == '}') &&
	    id == c->waiting;
}

/*
 * A failure of ours while a call waits (memory, a handler's error, a
 * message too long to hold) does not drop the connection: the rest is read
 * and thrown away until the answer comes, and the call then fails with the
 * first cause.  A target is never left writing to a socket that closed
 * under it, which crashes Node.js 20 and 22 when it happens in the middle
 * of a heap snapshot (nodejs/node#64209).
 */
static int
on_message(void *arg, const char *msg, size_t len)
{
	struct hs_cdp *c = arg;

	if (!c->failed && hs_cdp_message(c, msg, len) == 0)
		return 0;
	if (!c->failed)
		hs_cdp_fail(c, "event handler failed");
	if (!c->in_call)
		return hs_ws_fail(c->ws, "%s", c->err);
	if (is_answer(c, msg, len))
		c->answered = 1;
	return 0;
}

static int
on_lost(void *arg, const char *head, size_t len, const char *why)
{
	struct hs_cdp *c = arg;

	c->nmessages++;
	hs_cdp_fail(c, "DevTools message %llu: %s",
	    (unsigned long long)c->nmessages, why);
	if (!c->in_call)
		return hs_ws_fail(c->ws, "%s", c->err);
	if (is_answer(c, head, len))
		c->answered = 1;
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
	hs_ws_on_lost(c->ws, on_lost);
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
	c->in_call = 1;
	while (!c->answered)
		if (hs_ws_pump(c->ws) == -1) {
			c->in_call = 0;
			if (c->failed)
				return -1;
			return hs_cdp_fail(c, "%s: %s", method,
			    hs_ws_error(c->ws));
		}
	c->in_call = 0;
	if (c->failed)
		return -1;	/* the answer came, after a failure of ours */
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
	hs_free(c->str_prefix);
	hs_free(c->scratch);
	hs_free(c);
}

/*
 * json: yajl behind a small push interface (see json.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "alloc.h"
#include "buf.h"
#include "json.h"

/* Every block yajl holds, so that all can be freed after an unwind. */
struct link {
	struct link	*prev, *next;
};

struct block {
	struct link	 link;
	size_t		 size;
	max_align_t	 data[];
};

struct hs_json {
	yajl_handle		 y;
	const struct hs_json_events *ev;
	void			*ctx;
	struct link		 blocks;	/* list of struct block */
	jmp_buf			 oom;
	int			 in_parse;
	int			 finishing;	/* in hs_json_finish() */
	int			 failed;
	uint64_t		 offset;	/* of the chunk being parsed */
	char			 err[256];
};

static void
link_in(struct hs_json *j, struct link *l)
{
	l->next = j->blocks.next;
	l->prev = &j->blocks;
	j->blocks.next->prev = l;
	j->blocks.next = l;
}

static void
link_out(struct link *l)
{
	l->prev->next = l->next;
	l->next->prev = l->prev;
}

static void *
y_malloc(void *ctx, size_t size)
{
	struct hs_json *j = ctx;
	struct block *b;

	if (size > SIZE_MAX - sizeof(*b) ||
	    (b = hs_malloc(sizeof(*b) + size)) == NULL) {
		if (j->in_parse)
			longjmp(j->oom, 1);
		return NULL;
	}
	b->size = size;
	link_in(j, &b->link);
	return b->data;
}

static void
y_free(void *ctx, void *p)
{
	struct block *b;

	(void)ctx;
	if (p == NULL)
		return;
	b = (struct block *)((char *)p - offsetof(struct block, data));
	link_out(&b->link);
	hs_free(b);
}

static void *
y_realloc(void *ctx, void *p, size_t size)
{
	struct hs_json *j = ctx;
	struct block *b, *nb;

	if (p == NULL)
		return y_malloc(ctx, size);
	b = (struct block *)((char *)p - offsetof(struct block, data));
	link_out(&b->link);
	if (size > SIZE_MAX - sizeof(*b) ||
	    (nb = hs_realloc(b, sizeof(*b) + size)) == NULL) {
		/* Keep the old block on the list so it is freed later. */
		link_in(j, &b->link);
		if (j->in_parse)
			longjmp(j->oom, 1);
		return NULL;
	}
	nb->size = size;
	link_in(j, &nb->link);
	return nb->data;
}

#define J(ctx)	((struct hs_json *)(ctx))
#define CALL(name, ...) \
	(J(ctx)->ev->name == NULL || \
	    J(ctx)->ev->name(J(ctx)->ctx, ##__VA_ARGS__) == 0)

static int
y_null(void *ctx)
{
	return CALL(null);
}

static int
y_boolean(void *ctx, int v)
{
	return CALL(boolean, v);
}

static int
y_number(void *ctx, const char *s, size_t len)
{
	return CALL(number, s, len);
}

static int
y_string(void *ctx, const unsigned char *s, size_t len)
{
	return CALL(string, s, len);
}

static int
y_start_map(void *ctx)
{
	return CALL(start_map);
}

static int
y_map_key(void *ctx, const unsigned char *s, size_t len)
{
	return CALL(map_key, s, len);
}

static int
y_end_map(void *ctx)
{
	return CALL(end_map);
}

static int
y_start_array(void *ctx)
{
	return CALL(start_array);
}

static int
y_end_array(void *ctx)
{
	return CALL(end_array);
}

static const yajl_callbacks y_callbacks = {
	y_null, y_boolean, NULL, NULL, y_number, y_string,
	y_start_map, y_map_key, y_end_map, y_start_array, y_end_array
};

struct hs_json *
hs_json_new(const struct hs_json_events *ev, void *ctx)
{
	struct hs_json *j;
	yajl_alloc_funcs af;

	if ((j = hs_calloc(1, sizeof(*j))) == NULL)
		return NULL;
	j->ev = ev;
	j->ctx = ctx;
	j->blocks.next = j->blocks.prev = &j->blocks;
	af.malloc = y_malloc;
	af.realloc = y_realloc;
	af.free = y_free;
	af.ctx = j;
	/* yajl_alloc does not check its own allocation either. */
	if (setjmp(j->oom) != 0) {
		j->in_parse = 0;
		j->y = NULL;
		hs_json_free(j);
		return NULL;
	}
	j->in_parse = 1;
	j->y = yajl_alloc(&y_callbacks, &af, j);
	j->in_parse = 0;
	if (j->y == NULL) {
		hs_json_free(j);
		return NULL;
	}
	return j;
}

int
hs_json_fail(struct hs_json *j, const char *fmt, ...)
{
	va_list ap;
	char msg[200];

	if (j->failed)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(j->err, sizeof(j->err), "byte %llu: %s",
	    (unsigned long long)hs_json_offset(j), msg);
	j->failed = 1;
	return -1;
}

uint64_t
hs_json_offset(const struct hs_json *j)
{
	if (j->finishing)
		return j->offset;
	return j->offset + (j->y ? yajl_get_bytes_consumed(j->y) : 0);
}

/* yajl's short error text, without the verbose part that quotes input. */
static void
set_yajl_error(struct hs_json *j)
{
	unsigned char *e;
	char msg[160];
	size_t n;

	if (setjmp(j->oom) != 0) {
		j->in_parse = 0;
		e = NULL;
	} else {
		j->in_parse = 1;
		e = yajl_get_error(j->y, 0, NULL, 0);
		j->in_parse = 0;
	}
	snprintf(msg, sizeof(msg), "%s", e ? (char *)e : "invalid JSON");
	if (e != NULL)
		yajl_free_error(j->y, e);
	n = strcspn(msg, "\n");
	msg[n] = '\0';
	while (n > 0 && (msg[n - 1] == '.' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	hs_json_fail(j, "invalid JSON (%s)", msg);
}

static int
run(struct hs_json *j, const void *buf, size_t len, int finish)
{
	yajl_status st;

	if (j->failed)
		return -1;
	if (setjmp(j->oom) != 0) {
		j->in_parse = 0;
		/* yajl's state is lost: drop it, its blocks go in free. */
		j->y = NULL;
		snprintf(j->err, sizeof(j->err), "out of memory");
		j->failed = 1;
		return -1;
	}
	j->in_parse = 1;
	if (finish)
		st = yajl_complete_parse(j->y);
	else
		st = yajl_parse(j->y, buf, len);
	j->in_parse = 0;
	if (st == yajl_status_client_canceled) {
		if (!j->failed)
			hs_json_fail(j, "parse stopped");
		return -1;
	}
	if (st != yajl_status_ok) {
		set_yajl_error(j);
		return -1;
	}
	return 0;
}

int
hs_json_feed(struct hs_json *j, const void *buf, size_t len, uint64_t offset)
{
	j->offset = offset;
	return run(j, buf, len, 0);
}

int
hs_json_finish(struct hs_json *j)
{
	/*
	 * yajl counts from the last chunk.  Completion parses a space of its
	 * own making, which must not move the offset past the input's end.
	 */
	if (j->y != NULL)
		j->offset += yajl_get_bytes_consumed(j->y);
	j->finishing = 1;
	return run(j, NULL, 0, 1);
}

const char *
hs_json_error(const struct hs_json *j)
{
	return j->err;
}

int
hs_json_failed(const struct hs_json *j)
{
	return j->failed;
}

void
hs_json_free(struct hs_json *j)
{
	struct link *l, *next;

	if (j == NULL)
		return;
	if (j->y != NULL)
		yajl_free(j->y);
	/* Whatever is left (after an unwind, everything yajl had). */
	for (l = j->blocks.next; l != &j->blocks; l = next) {
		next = l->next;
		hs_free(l);	/* the link is the block's first member */
	}
	hs_free(j);
}

int
hs_json_quote(struct hs_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, start = 0;
	unsigned char c;
	char esc[7];

	if (hs_buf_addc(b, '"') == -1)
		return -1;
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		if (hs_buf_add(b, s + start, i - start) == -1)
			return -1;
		start = i + 1;
		switch (c) {
		case '"':  memcpy(esc, "\\\"", 3); break;
		case '\\': memcpy(esc, "\\\\", 3); break;
		case '\n': memcpy(esc, "\\n", 3); break;
		case '\r': memcpy(esc, "\\r", 3); break;
		case '\t': memcpy(esc, "\\t", 3); break;
		case '\b': memcpy(esc, "\\b", 3); break;
		case '\f': memcpy(esc, "\\f", 3); break;
		default:
			esc[0] = '\\'; esc[1] = 'u'; esc[2] = '0'; esc[3] = '0';
			esc[4] = hex[c >> 4]; esc[5] = hex[c & 15]; esc[6] = 0;
		}
		if (hs_buf_adds(b, esc) == -1)
			return -1;
	}
	if (hs_buf_add(b, s + start, len - start) == -1)
		return -1;
	return hs_buf_addc(b, '"');
}

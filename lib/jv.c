/*
 * jv: small JSON trees with limits (see jv.h).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "json.h"
#include "jv.h"

struct hs_jv_builder {
	struct hs_json	*json;
	struct hs_jv	*root;
	struct hs_jv	*stack[HS_JV_MAX_DEPTH + 1];
	int		 depth;
	char		*pending_key;	/* for the next object member */
	size_t		 used, max_bytes;
	int		 done;
};

static void
jv_clear(struct hs_jv *v)
{
	size_t i;

	if (v->kind == HS_JV_ARRAY || v->kind == HS_JV_OBJECT) {
		for (i = 0; i < v->len; i++) {
			jv_clear(&v->items[i]);
			if (v->keys)
				hs_free(v->keys[i]);
		}
		hs_free(v->items);
		hs_free(v->keys);
	}
	hs_free(v->str);
}

void
hs_jv_free(struct hs_jv *v)
{
	if (v == NULL)
		return;
	jv_clear(v);
	hs_free(v);
}

struct hs_jv_builder *
hs_jv_builder_new(size_t max_bytes)
{
	struct hs_jv_builder *b;

	if ((b = hs_calloc(1, sizeof(*b))) == NULL)
		return NULL;
	b->max_bytes = max_bytes;
	return b;
}

void
hs_jv_builder_attach(struct hs_jv_builder *b, struct hs_json *j)
{
	b->json = j;
}

int
hs_jv_builder_done(const struct hs_jv_builder *b)
{
	return b->done;
}

struct hs_jv *
hs_jv_builder_take(struct hs_jv_builder *b)
{
	struct hs_jv *v = b->root;

	b->root = NULL;
	return v;
}

void
hs_jv_builder_free(struct hs_jv_builder *b)
{
	if (b == NULL)
		return;
	hs_jv_free(b->root);
	hs_free(b->pending_key);
	hs_free(b);
}

static int
fail(struct hs_jv_builder *b, const char *msg)
{
	if (b->json != NULL)
		return hs_json_fail(b->json, "%s", msg);
	return -1;
}

static int
charge(struct hs_jv_builder *b, size_t n)
{
	if (n > b->max_bytes - b->used)
		return fail(b, "document too large");
	b->used += n;
	return 0;
}

/* Adds a value where the builder stands; returns it or NULL. */
static struct hs_jv *
add(struct hs_jv_builder *b, enum hs_jv_kind kind)
{
	struct hs_jv *parent, *v;
	size_t oldcap;

	if (b->done) {
		fail(b, "expected one JSON value");
		return NULL;
	}
	if (charge(b, sizeof(struct hs_jv) + sizeof(char *)) == -1)
		return NULL;
	if (b->depth == 0) {
		if ((b->root = hs_calloc(1, sizeof(*b->root))) == NULL) {
			fail(b, "out of memory");
			return NULL;
		}
		b->root->kind = kind;
		if (kind != HS_JV_ARRAY && kind != HS_JV_OBJECT)
			b->done = 1;
		return b->root;
	}
	parent = b->stack[b->depth - 1];
	oldcap = parent->cap;
	if (hs_grow(&parent->items, &parent->cap, parent->len + 1,
	    sizeof(*parent->items)) == -1) {
		fail(b, "out of memory");
		return NULL;
	}
	if (parent->kind == HS_JV_OBJECT) {
		/* keys[] follows items[]'s capacity. */
		if (parent->keys == NULL || parent->cap != oldcap) {
			char **keys = hs_realloc_array(parent->keys,
			    parent->cap, sizeof(char *));

			if (keys == NULL) {
				/* The parse stops here; len still fits. */
				fail(b, "out of memory");
				return NULL;
			}
			parent->keys = keys;
		}
		parent->keys[parent->len] = b->pending_key;
		b->pending_key = NULL;
	}
	v = &parent->items[parent->len++];
	memset(v, 0, sizeof(*v));
	v->kind = kind;
	return v;
}

static int
push(struct hs_jv_builder *b, struct hs_jv *v)
{
	if (b->depth >= HS_JV_MAX_DEPTH)
		return fail(b, "nesting too deep");
	b->stack[b->depth++] = v;
	return 0;
}

static int
pop(struct hs_jv_builder *b)
{
	if (--b->depth == 0)
		b->done = 1;
	return 0;
}

static int
ev_null(void *ctx)
{
	return add(ctx, HS_JV_NULL) ? 0 : -1;
}

static int
ev_boolean(void *ctx, int value)
{
	struct hs_jv *v = add(ctx, HS_JV_BOOL);

	if (v == NULL)
		return -1;
	v->boolean = value;
	return 0;
}

static int
ev_number(void *ctx, const char *text, size_t len)
{
	struct hs_jv *v = add(ctx, HS_JV_NUMBER);
	char tmp[64], *end;

	if (v == NULL)
		return -1;
	/* Plain integers (ids, sizes: nearly all numbers here) the fast way. */
	if (len > 0 && len <= 18) {
		size_t i = text[0] == '-';
		int64_t n = 0;

		for (; i < len && text[i] >= '0' && text[i] <= '9'; i++)
			n = n * 10 + (text[i] - '0');
		if (i == len && len > (size_t)(text[0] == '-')) {
			v->is_integer = 1;
			v->integer = text[0] == '-' ? -n : n;
			v->number = (double)v->integer;
			return 0;
		}
	}
	if (len >= sizeof(tmp)) {
		/* Too long to matter as anything but a huge number. */
		v->number = HUGE_VAL;
		return 0;
	}
	memcpy(tmp, text, len);
	tmp[len] = '\0';
	v->is_integer = strcspn(tmp, ".eE") == len;
	errno = 0;
	if (v->is_integer) {
		long long n = strtoll(tmp, &end, 10);

		if (errno == ERANGE)
			v->is_integer = 0;
		v->integer = n;
	}
	v->number = strtod(tmp, &end);
	return 0;
}

static int
ev_string(void *ctx, const unsigned char *s, size_t len)
{
	struct hs_jv_builder *b = ctx;
	struct hs_jv *v;

	if (charge(b, len + 1) == -1 || (v = add(b, HS_JV_STRING)) == NULL)
		return -1;
	if ((v->str = hs_strndup((const char *)s, len)) == NULL)
		return fail(b, "out of memory");
	v->len = len;
	return 0;
}

static int
ev_start_map(void *ctx)
{
	struct hs_jv *v = add(ctx, HS_JV_OBJECT);

	return v ? push(ctx, v) : -1;
}

static int
ev_map_key(void *ctx, const unsigned char *s, size_t len)
{
	struct hs_jv_builder *b = ctx;

	if (charge(b, len + 1) == -1)
		return -1;
	hs_free(b->pending_key);
	if ((b->pending_key = hs_strndup((const char *)s, len)) == NULL)
		return fail(b, "out of memory");
	return 0;
}

static int
ev_end(void *ctx)
{
	return pop(ctx);
}

static int
ev_start_array(void *ctx)
{
	struct hs_jv *v = add(ctx, HS_JV_ARRAY);

	return v ? push(ctx, v) : -1;
}

const struct hs_json_events hs_jv_events = {
	ev_null, ev_boolean, ev_number, ev_string, ev_start_map, ev_map_key,
	ev_end, ev_start_array, ev_end
};

struct hs_jv *
hs_jv_parse(const char *buf, size_t len, uint64_t off, size_t max_bytes,
    char *err, size_t errlen)
{
	struct hs_jv_builder *b;
	struct hs_json *j;
	struct hs_jv *v = NULL;

	if ((b = hs_jv_builder_new(max_bytes)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if ((j = hs_json_new(&hs_jv_events, b)) == NULL) {
		snprintf(err, errlen, "out of memory");
		hs_jv_builder_free(b);
		return NULL;
	}
	hs_jv_builder_attach(b, j);
	if (hs_json_feed(j, buf, len, off) == -1 || hs_json_finish(j) == -1)
		snprintf(err, errlen, "%s", hs_json_error(j));
	else
		v = hs_jv_builder_take(b);
	hs_json_free(j);
	hs_jv_builder_free(b);
	return v;
}

const struct hs_jv *
hs_jv_get(const struct hs_jv *obj, const char *key)
{
	size_t i;

	if (obj == NULL || obj->kind != HS_JV_OBJECT)
		return NULL;
	for (i = 0; i < obj->len; i++)
		if (obj->keys[i] != NULL && strcmp(obj->keys[i], key) == 0)
			return &obj->items[i];
	return NULL;
}

const char *
hs_jv_get_str(const struct hs_jv *obj, const char *key)
{
	const struct hs_jv *v = hs_jv_get(obj, key);

	return v && v->kind == HS_JV_STRING ? v->str : NULL;
}

int
hs_jv_get_int(const struct hs_jv *obj, const char *key, int64_t min,
    int64_t max, int64_t *out)
{
	const struct hs_jv *v = hs_jv_get(obj, key);

	if (v == NULL || v->kind != HS_JV_NUMBER || !v->is_integer ||
	    v->integer < min || v->integer > max)
		return -1;
	*out = v->integer;
	return 0;
}

double
hs_jv_get_num(const struct hs_jv *obj, const char *key, double dflt)
{
	const struct hs_jv *v = hs_jv_get(obj, key);

	return v && v->kind == HS_JV_NUMBER ? v->number : dflt;
}

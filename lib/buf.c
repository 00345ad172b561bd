/*
 * buf: growable byte buffer.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"

static int
reserve(struct hs_buf *b, size_t extra)
{
	if (b->len + extra + 1 < b->len)
		return -1;
	return hs_grow(&b->data, &b->cap, b->len + extra + 1, 1);
}

int
hs_buf_add(struct hs_buf *b, const void *p, size_t n)
{
	if (reserve(b, n) == -1)
		return -1;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	return 0;
}

int
hs_buf_addc(struct hs_buf *b, char c)
{
	if (b->len + 1 >= b->cap && reserve(b, 1) == -1)
		return -1;
	b->data[b->len++] = c;
	return 0;
}

int
hs_buf_adds(struct hs_buf *b, const char *s)
{
	return hs_buf_add(b, s, strlen(s));
}

int
hs_buf_printf(struct hs_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (reserve(b, 64) == -1)
		return -1;
	va_start(ap, fmt);
	n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n >= b->cap - b->len) {
		if (reserve(b, (size_t)n) == -1)
			return -1;
		va_start(ap, fmt);
		vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
	return 0;
}

int
hs_buf_cstr(struct hs_buf *b)
{
	if (reserve(b, 0) == -1)
		return -1;
	b->data[b->len] = '\0';
	return 0;
}

void
hs_buf_reset(struct hs_buf *b)
{
	b->len = 0;
}

void
hs_buf_free(struct hs_buf *b)
{
	hs_free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/*
 * lines: JSON-lines files, line by line (see lines.h).
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "input.h"
#include "lines.h"

/* A heap snapshot starts with {"snapshot": (after optional spaces). */
static int
looks_like_snapshot(const unsigned char *p, size_t len)
{
	static const char want[] = "\"snapshot\"";
	size_t i = 0;

	while (i < len && isspace(p[i]))
		i++;
	if (i >= len || p[i++] != '{')
		return 0;
	while (i < len && isspace(p[i]))
		i++;
	return len - i >= sizeof(want) - 1 &&
	    memcmp(p + i, want, sizeof(want) - 1) == 0;
}

int
hs_lines_read(const char *path, const char *what, const char *snapshot_hint,
    hs_line_fn fn, void *ctx, uint64_t *bytes, char *err, size_t errlen)
{
	struct hs_input *in;
	struct hs_buf line = { 0 };
	const unsigned char *buf;
	size_t len, i;
	uint64_t off = 0, line_off = 0;
	int r, first = 1, ret = -1;

	*bytes = 0;
	if ((in = hs_input_open(path, err, errlen)) == NULL)
		return -1;
	while ((r = hs_input_next(in, &buf, &len)) == 1) {
		if (first) {
			first = 0;
			if (looks_like_snapshot(buf, len)) {
				snprintf(err, errlen, "byte 0: %s",
				    snapshot_hint);
				goto out;
			}
		}
		for (i = 0; i < len; i++) {
			const unsigned char *nl = memchr(buf + i, '\n',
			    len - i);
			size_t n = nl ? (size_t)(nl - (buf + i)) : len - i;

			if (line.len + n > HS_LINE_MAX) {
				snprintf(err, errlen, "byte %" PRIu64 ": line "
				    "too long for a %s", line_off, what);
				goto out;
			}
			if (hs_buf_add(&line, buf + i, n) == -1) {
				snprintf(err, errlen, "out of memory");
				goto out;
			}
			i += n;
			if (nl == NULL)
				break;
			if (line.len > 0 && fn(ctx, line.data, line.len,
			    line_off, err, errlen) == -1)
				goto out;
			line_off = off + i + 1;
			hs_buf_reset(&line);
		}
		off += len;
	}
	if (r == -1) {
		if (hs_input_compressed(in))
			snprintf(err, errlen, "byte %" PRIu64 " of the "
			    "compressed input: %s", hs_input_error_offset(in),
			    hs_input_error(in));
		else
			snprintf(err, errlen, "byte %" PRIu64 ": %s", off,
			    hs_input_error(in));
		goto out;
	}
	if (line.len > 0) {
		snprintf(err, errlen, "byte %" PRIu64 ": truncated %s (the "
		    "last line has no newline)", line_off, what);
		goto out;
	}
	*bytes = off;
	ret = 0;
out:
	hs_buf_free(&line);
	hs_input_close(in);
	return ret;
}

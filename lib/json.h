/*
 * json: the one module that talks to yajl, the toolkit's JSON parser of
 * record.
 *
 * A struct hs_json is a push parser: feed it chunks with hs_json_feed(),
 * giving each chunk's absolute byte offset in the whole input, then call
 * hs_json_finish().  Events arrive through struct hs_json_events; a handler
 * returns 0 to go on or -1 to stop, after setting its own message with
 * hs_json_fail().  Numbers arrive as their text (validated by yajl), so that
 * callers choose how to convert them and how to treat overflow.
 *
 * Errors read "byte N: message".  yajl's own verbose error text quotes input
 * bytes, and snapshots hold secrets, so it is never used.  yajl does not
 * check its allocations; this module gives it an allocator that tracks every
 * block and unwinds the parse when memory runs out.
 */
#ifndef HS_JSON_H
#define HS_JSON_H

#include <stddef.h>
#include <stdint.h>

struct hs_json;

struct hs_json_events {
	int	(*null)(void *ctx);
	int	(*boolean)(void *ctx, int value);
	int	(*number)(void *ctx, const char *text, size_t len);
	int	(*string)(void *ctx, const unsigned char *s, size_t len);
	int	(*start_map)(void *ctx);
	int	(*map_key)(void *ctx, const unsigned char *s, size_t len);
	int	(*end_map)(void *ctx);
	int	(*start_array)(void *ctx);
	int	(*end_array)(void *ctx);
};

/* Returns NULL when memory runs out.  events may have NULL members. */
struct hs_json	*hs_json_new(const struct hs_json_events *, void *ctx);
/*
 * Parses buf[0..len), whose first byte is at offset in the whole input.
 * Returns 0, or -1 with a message in hs_json_error().
 */
int		 hs_json_feed(struct hs_json *, const void *buf, size_t len,
		    uint64_t offset);
/* Ends the input: -1 if the document is incomplete. */
int		 hs_json_finish(struct hs_json *);
/* For handlers: sets the error message (printf-style), returns -1. */
int		 hs_json_fail(struct hs_json *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
/* For handlers: the absolute offset just past the current token. */
uint64_t	 hs_json_offset(const struct hs_json *);
const char	*hs_json_error(const struct hs_json *);
/* Whether the parser has failed (the error is set). */
int		 hs_json_failed(const struct hs_json *);
void		 hs_json_free(struct hs_json *);

/* Writes a JSON string literal (with quotes) for s into a growing buffer. */
struct hs_buf;
int		 hs_json_quote(struct hs_buf *, const char *s, size_t len);

#endif

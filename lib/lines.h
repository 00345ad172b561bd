/*
 * lines: reading the toolkit's JSON-lines files (summaries, diffs), plain
 * or zstd-compressed, one line at a time.
 *
 * hs_lines_read() hands each non-empty line to fn with its offset in the
 * decompressed text.  It refuses a heap snapshot given by mistake (with
 * the caller's hint), a line over HS_LINE_MAX bytes, and a last line with
 * no newline (a truncated file).  The caller checks for its header.
 */
#ifndef HS_LINES_H
#define HS_LINES_H

#include <stddef.h>
#include <stdint.h>

/* Lines are small next to snapshots; this bounds a hostile file. */
#define HS_LINE_MAX	(64u << 20)

/* Returns 0, or -1 with a message in err (then reading stops). */
typedef int (*hs_line_fn)(void *ctx, const char *line, size_t len,
	    uint64_t off, char *err, size_t errlen);

/*
 * what names the kind of file in messages ("summary", "diff");
 * snapshot_hint is the message for a heap snapshot.  Sets *bytes to the
 * length of the decompressed text.  Returns 0, or -1 with "byte N: ..."
 * or a plain message in err.
 */
int	hs_lines_read(const char *path, const char *what,
	    const char *snapshot_hint, hs_line_fn fn, void *ctx,
	    uint64_t *bytes, char *err, size_t errlen);

#endif

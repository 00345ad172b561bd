/*
 * summary: the hs-summary file format (man/hs-summary.5): zstd-compressed
 * JSON lines, one header record, then records of other types.  This module
 * writes a summary from an analysis, and reads one back for the tools
 * downstream.
 *
 * Writing:
 *	hs_summary_write(analysis, &meta, write_fn, sink, err, errlen);
 *
 * Reading:
 *	sum = hs_summary_read(path, err, errlen);	// "-" is stdin
 *	... sum->header, sum->classes[i] ...
 *	hs_summary_free(sum);
 *
 * Every reader checks the format name and version in the header; a newer
 * version is refused with a clear message rather than misread.
 */
#ifndef HS_SUMMARY_H
#define HS_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "zstdio.h"

#define HS_SUMMARY_FORMAT	"hs-summary"
#define HS_SUMMARY_VERSION	1
/* Object ids per "ids" record, at most. */
#define HS_IDS_PER_RECORD	65536

struct hs_analysis;
struct hs_jv;

struct hs_summary_meta {
	const char	*source_name;	/* as named; "(stdin)" for stdin */
	int64_t		 source_bytes;	/* -1 when unknown */
	int		 source_compressed;
	const char	*label;		/* NULL when unset */
	const char	*session;
	const char	*captured;	/* ISO 8601, or NULL */
	int		 with_ids;
	int		 redacted;	/* --redact was given */
	int		 level;		/* zstd level */
	uint64_t	 ids_split;	/* ids from which the second half is
					   a frame of its own (0: 1 Mi) */
};

/*
 * Writes the summary of a through write_fn.  Returns 0, or -1 with a
 * message in err (the sink's own failures are reported by the sink).
 */
int	hs_summary_write(const struct hs_analysis *a,
	    const struct hs_summary_meta *m, hs_write_fn write_fn, void *sink,
	    char *err, size_t errlen);

/*
 * Fills label, session and captured from a snapshot's file name when it
 * follows Node's "Heap.YYYYMMDD.HHMMSS.PID.0.SEQ.heapsnapshot" or
 * "session_<id>_<label>_<time>.heapsnapshot".  Fields already set are kept.
 * The strings are written into buf (of size buflen).  Returns 1 when the
 * name was recognised.
 */
int	hs_summary_parse_filename(const char *path, struct hs_summary_meta *m,
	    char *buf, size_t buflen);

/* ---- reading ---- */

/* A growable array of 32-bit integers. */
struct hs_u32vec {
	uint32_t	*v;
	size_t		 n, cap;
};

struct hs_summary_class {
	char		*key;
	char		*name;
	int		 has_location;
	uint32_t	 script_id, line, column;
	uint64_t	 count, self, raw_self, retained, max_retained;
	int64_t		 distance;
	uint64_t	 detached;
	uint32_t	 max_id;
	/* From "ids" records, when present: ascending. */
	uint32_t	*ids;
	uint32_t	*id_self;
	size_t		 id_count, id_cap;
};

struct hs_summary {
	char		*path;
	struct hs_jv	*header;
	struct hs_jv	*statistics;
	struct hs_summary_class *classes;	/* in file order */
	size_t		 class_count;
	struct hs_jv	**records;	/* every other record, in order */
	size_t		 record_count;
	int		 has_ids;
	/* Scratch space for reading ids records. */
	struct hs_u32vec scratch_ids, scratch_self;
};

/*
 * Reads a whole summary (or, with want_kind "hs-diff", a diff; see
 * hs_summary_kind()).  Returns NULL with "byte N: ..." or a plain message
 * in err.
 */
struct hs_summary *hs_summary_read(const char *path, char *err, size_t errlen);
/* The format name in the header: "hs-summary", "hs-diff", ... */
const char	*hs_summary_kind(const struct hs_summary *);
/* The class with this key, or NULL. */
const struct hs_summary_class *hs_summary_find(const struct hs_summary *,
	    const char *key);
void		 hs_summary_free(struct hs_summary *);

#endif

/*
 * jv: a small JSON value tree, for the few small documents the toolkit reads
 * whole: a snapshot's "snapshot" header and each line of a summary or diff.
 * (Snapshot bodies are streamed; they never become a tree.)
 *
 * Trees are built by a struct hs_jv_builder fed from json.c events, with
 * limits on depth and total size so that hostile input cannot exhaust the
 * stack or memory.  hs_jv_parse() does the whole job for one buffer.
 * Objects keep their members in input order; lookups are linear, which is
 * right for the small objects this is for.  hs_jv_free() frees a tree.
 */
#ifndef HS_JV_H
#define HS_JV_H

#include <stddef.h>
#include <stdint.h>

enum hs_jv_kind { HS_JV_NULL, HS_JV_BOOL, HS_JV_NUMBER, HS_JV_STRING,
	HS_JV_ARRAY, HS_JV_OBJECT };

struct hs_jv {
	enum hs_jv_kind	 kind;
	int		 boolean;
	double		 number;	/* HS_JV_NUMBER */
	int		 is_integer;	/* the text was an integer */
	int64_t		 integer;	/* exact when is_integer */
	char		*str;		/* HS_JV_STRING, NUL-terminated */
	size_t		 len;		/* string length, or element count */
	struct hs_jv	*items;		/* array elements / object values */
	char		**keys;		/* object keys */
	size_t		 cap;
};

#define HS_JV_MAX_DEPTH	64

/*
 * Parses a whole JSON document of buf[0..len) (at absolute offset off in
 * its file).  Returns the tree, or NULL with "byte N: message" in err.
 * max_bytes bounds the memory the tree may take.
 */
struct hs_jv	*hs_jv_parse(const char *buf, size_t len, uint64_t off,
		    size_t max_bytes, char *err, size_t errlen);
void		 hs_jv_free(struct hs_jv *);

/* Lookups; NULL when absent or of another kind. */
const struct hs_jv *hs_jv_get(const struct hs_jv *obj, const char *key);
const char	*hs_jv_get_str(const struct hs_jv *obj, const char *key);
/* 0 and *out set when key holds an integer in [min, max]; else -1. */
int		 hs_jv_get_int(const struct hs_jv *obj, const char *key,
		    int64_t min, int64_t max, int64_t *out);
double		 hs_jv_get_num(const struct hs_jv *obj, const char *key,
		    double dflt);

/* The builder, for callers that feed events themselves. */
struct hs_json;
struct hs_jv_builder;
struct hs_jv_builder *hs_jv_builder_new(size_t max_bytes);
/* Event handlers with the builder as ctx; see json.h. */
extern const struct hs_json_events hs_jv_events;
/* Sets the json handle used to report errors. */
void		 hs_jv_builder_attach(struct hs_jv_builder *, struct hs_json *);
/* 1 when a whole value has been built. */
int		 hs_jv_builder_done(const struct hs_jv_builder *);
/* Takes the finished tree out of the builder. */
struct hs_jv	*hs_jv_builder_take(struct hs_jv_builder *);
void		 hs_jv_builder_free(struct hs_jv_builder *);

#endif

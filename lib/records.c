/*
 * records: JSON-lines output (see records.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "records.h"

int
hs_rec_open(struct hs_records *w, int level, hs_write_fn fn, void *sink)
{
	memset(w, 0, sizeof(*w));
	w->fn = fn;
	w->sink = sink;
	if (level >= 0 && (w->z = hs_zenc_new(level > 0 ? level : 3)) == NULL)
		return -1;
	return 0;
}

void
hs_rec_raw(struct hs_records *w, const char *s)
{
	if (!w->failed && hs_buf_adds(&w->line, s) == -1)
		w->failed = HS_REC_NO_MEMORY;
}

void
hs_rec_begin(struct hs_records *w, const char *type)
{
	hs_buf_reset(&w->line);
	if (hs_buf_printf(&w->line, "{\"type\":\"%s\"", type) == -1)
		w->failed = HS_REC_NO_MEMORY;
}

void
hs_rec_end(struct hs_records *w)
{
	hs_rec_raw(w, "}\n");
	if (w->failed)
		return;
	if (w->z == NULL ? w->fn(w->sink, w->line.data, w->line.len) == -1 :
	    hs_zenc_write(w->z, w->line.data, w->line.len, w->fn,
	    w->sink) == -1)
		w->failed = HS_REC_SINK_FAILED;
	hs_buf_reset(&w->line);
}

void
hs_rec_str(struct hs_records *w, const char *key, const char *s)
{
	if (s == NULL || w->failed)
		return;
	if (hs_buf_printf(&w->line, ",\"%s\":", key) == -1 ||
	    hs_json_quote(&w->line, s, strlen(s)) == -1)
		w->failed = HS_REC_NO_MEMORY;
}

void
hs_rec_u64(struct hs_records *w, const char *key, uint64_t v)
{
	if (!w->failed &&
	    hs_buf_printf(&w->line, ",\"%s\":%" PRIu64, key, v) == -1)
		w->failed = HS_REC_NO_MEMORY;
}

void
hs_rec_i64(struct hs_records *w, const char *key, int64_t v)
{
	if (!w->failed &&
	    hs_buf_printf(&w->line, ",\"%s\":%" PRId64, key, v) == -1)
		w->failed = HS_REC_NO_MEMORY;
}

void
hs_rec_bool(struct hs_records *w, const char *key, int v)
{
	if (!w->failed && hs_buf_printf(&w->line, ",\"%s\":%s", key,
	    v ? "true" : "false") == -1)
		w->failed = HS_REC_NO_MEMORY;
}

void
hs_rec_num(struct hs_records *w, const char *key, double v)
{
	char tmp[64];
	size_t n;

	snprintf(tmp, sizeof(tmp), "%.3f", v);
	n = strlen(tmp);
	while (n > 0 && tmp[n - 1] == '0')
		tmp[--n] = '\0';
	if (n > 0 && tmp[n - 1] == '.')
		tmp[--n] = '\0';
	if (!w->failed &&
	    hs_buf_printf(&w->line, ",\"%s\":%s", key, tmp) == -1)
		w->failed = HS_REC_NO_MEMORY;
}

int
hs_rec_close(struct hs_records *w, char *err, size_t errlen)
{
	int ret = 0;

	if (!w->failed && w->z != NULL && hs_zenc_end(w->z, w->fn,
	    w->sink) == -1)
		w->failed = HS_REC_SINK_FAILED;
	if (w->failed == HS_REC_NO_MEMORY) {
		snprintf(err, errlen, "out of memory");
		ret = -1;
	} else if (w->failed) {
		snprintf(err, errlen, "%s", w->z != NULL &&
		    hs_zenc_error(w->z)[0] ? hs_zenc_error(w->z) : "");
		ret = -1;
	}
	hs_zenc_free(w->z);
	hs_buf_free(&w->line);
	w->z = NULL;
	return ret;
}

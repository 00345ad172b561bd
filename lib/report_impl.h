/*
 * report_impl: what the renderers of report.c (summaries) and
 * report_diff.c (diffs) share.  Private to lib/report*.c.
 *
 * Every renderer appends to the buffer of a struct emit, which is handed
 * to the sink whenever it passes FLUSH_AT bytes (e_maybe_flush()).  The
 * e_* functions never fail: running out of memory sets nomem, which
 * hs_report() and hs_report_diff() turn into an error at the end.
 */
#ifndef HS_REPORT_IMPL_H
#define HS_REPORT_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "report.h"

#define BOLD	"\033[1m"
#define DIM	"\033[2m"
#define RED	"\033[31m"
#define GREEN	"\033[32m"
#define YELLOW	"\033[33m"
#define RESET	"\033[0m"

/* Text: names are cut at this many columns when not on a terminal. */
#define NAME_COLS_PIPE	60
#define NAME_COLS_MAX	100

struct hs_diff;

struct emit {
	hs_write_fn	 fn;
	void		*sink;
	struct hs_buf	 b;
	int		 nomem;
	int		 wfail;
	int		 color;
};

void	 e_flush(struct emit *);
void	 e_add(struct emit *, const char *, size_t);
void	 e_puts(struct emit *, const char *);
void	 e_printf(struct emit *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 e_pad(struct emit *, size_t);
/* Colour on: the escape; off: nothing. */
void	 e_sgr(struct emit *, const char *);
void	 e_maybe_flush(struct emit *);

/* Columns a UTF-8 string takes: one per code point. */
size_t	 u8width(const char *, size_t);
/* Appends s with control characters escaped; -1 when memory runs out. */
int	 text_escape(struct hs_buf *, const char *s);
/* The same, cut to cols columns with an ellipsis; -1 on memory. */
int	 add_fitted(struct hs_buf *, const char *s, size_t cols);
/* "Label:        value\n", the value escaped. */
void	 text_fact(struct emit *, const char *label, const char *value);
/* A name for GitHub-flavoured Markdown: escaped, at most 100 columns. */
void	 md_escape(struct emit *, const char *);
void	 tsv_field(struct emit *, const char *);
void	 csv_field(struct emit *, const char *);
void	 delimited_head(struct emit *, const char *const *titles, size_t n,
	    const char *sep, const char *eol);
/* A JSON string literal. */
void	 json_str(struct emit *, const char *, size_t);

/*
 * Whether name passes the options' --include and --exclude: 1 yes, 0 no,
 * -1 when a pattern hit a limit (err set).
 */
int	 report_keep(const struct hs_report_options *, const char *name,
	    char *err, size_t errlen);

/* HTML (report_diff.c): the page's CSS; text escaped for HTML. */
extern const char html_style[];
void	 html_text(struct emit *, const char *);

/* Renders a diff (report_diff.c).  Returns 0, or -1 with err set. */
int	 report_diff(const struct hs_diff *, const struct hs_report_options *,
	    struct emit *, char *err, size_t errlen);

struct hs_trend;
/* Renders a trend (report_trend.c).  Returns 0, or -1 with err set. */
int	 report_trend(const struct hs_trend *,
	    const struct hs_report_options *, struct emit *, char *err,
	    size_t errlen);

#endif

/*
 * cli: what the tools share at the command line: messages, exit codes,
 * atomic output files, progress lines and --stats.
 *
 * Exit codes, for the whole toolkit (see each man page's EXIT STATUS):
 * 0 all is well, 1 the tool found what it looks for (a leak), 2 trouble.
 */
#ifndef HS_CLI_H
#define HS_CLI_H

#include <stddef.h>
#include <stdint.h>

#define HS_EXIT_OK	0
#define HS_EXIT_FOUND	1
#define HS_EXIT_TROUBLE	2

extern const char *hs_progname;

void	hs_cli_init(const char *progname);
/* "progname: message" on stderr. */
void	hs_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "progname: message" and exits 2. */
void	hs_errx(const char *fmt, ...) __attribute__((format(printf, 1, 2),
	    noreturn));
/* The name to show for an input path ("-" is "(stdin)"). */
const char *hs_display_name(const char *path);
/* Parses a non-negative decimal number; -1 when s is not one. */
int	hs_parse_size(const char *s, uint64_t max, uint64_t *out);

/*
 * Option arguments that several tools take, parsed the same way in each;
 * a bad one ends the run with a message naming the option.
 */
struct hs_regex;
/* Replaces old (freed) with the PCRE2 pattern given to option opt. */
struct hs_regex *hs_opt_regex(struct hs_regex *old, const char *pattern,
	    const char *opt);
/* --fail-on: low, medium, high or critical (enum hs_severity). */
int	hs_opt_fail_on(const char *arg);
/* --threshold: a size such as 10MiB, 512KB or 1048576. */
uint64_t hs_opt_threshold(const char *arg);
/* A count up to max (--min-count, --top). */
uint64_t hs_opt_count(const char *arg, uint64_t max, const char *opt);

/*
 * Output: stdout, or a file written beside its final name and renamed
 * into place only by hs_out_commit(), so that a failure or a signal never
 * leaves a partial file.  compressed refuses a terminal on stdout.
 */
struct hs_out;
struct hs_out *hs_out_open(const char *path, int compressed);
/* A write function for lib/ (hs_write_fn); reports its own errors. */
int	hs_out_write(void *out, const void *buf, size_t len);
/* Returns 0, or -1 after reporting. */
int	hs_out_commit(struct hs_out *);
void	hs_out_abort(struct hs_out *);
/* Checks that stdout was written without error (call before exit). */
int	hs_check_stdout(void);

/* Progress on stderr, only when it is a terminal and not quiet. */
struct hs_progress;
struct hs_progress *hs_progress_new(int quiet, int stats);
void	hs_progress_update(void *progress, const char *phase, uint64_t bytes,
	    int64_t total);
/* Ends the line; with --stats, prints time and peak memory per phase. */
void	hs_progress_done(struct hs_progress *, int ok);

#endif

/*
 * session: what a capture session needs besides the capture itself: its
 * file names (which hs-summarize reads back: see hs_summary_parse_filename),
 * durations, ids, directories and the commands run around it.
 *
 * Files are DIR/<service>/session_<id>_<label>_<YYYYMMDDTHHMMSSZ>.heapsnapshot.
 * An id has no underscore (the name's first field ends at one); ids,
 * labels and services are made of letters, digits, '.', '-' (and '_' in
 * labels and services), so that a name is a plain file name everywhere.
 */
#ifndef HS_SESSION_H
#define HS_SESSION_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "zstdio.h"	/* hs_write_fn */

struct hs_buf;
struct hs_capture_options;

/*
 * A session: one snapshot (to output, a file, or stdout), or with out_dir
 * a set of named files: one labelled label, "before" and "after" with
 * before_after_ms between them, or count of them interval_ms apart.  Each
 * finished file goes to pipe (with {} its path without .heapsnapshot) and
 * is then removed unless keep; before_cmd and after_cmd run around it all
 * (after_cmd whatever happened).  Commands see HS_LABEL and HS_SNAPSHOT in
 * their environment, which hs_session_run() sets.
 */
struct hs_session {
	const char	*out_dir, *id, *label, *service;
	const char	*output;	/* without out_dir: a file, or NULL */
	const char	*pipe, *before_cmd, *after_cmd;
	int		 keep;
	int64_t		 before_after_ms, interval_ms;
	uint64_t	 count;
	int64_t		 timeout_s;	/* named in a timeout's message */
	volatile sig_atomic_t *interrupted;
	hs_write_fn	 stdout_write;	/* for a snapshot on stdout */
	/* Each kept file of out_dir (0, or -1 with errno set). */
	int		(*on_file)(void *ctx, const char *path);
	/* After each capture, whatever its end. */
	void		(*after_capture)(void *ctx);
	void		*ctx;
	char		 idbuf[9];
};

void	hs_session_defaults(struct hs_session *);
/*
 * Checks the settings and fills in the defaults (a new id, the label
 * "snapshot", default_service); -1 with a message.
 */
int	hs_session_check(struct hs_session *, const char *default_service,
	    char *err, size_t errlen);
/* Runs the session; -1 with a one-line message (the first failure). */
int	hs_session_run(struct hs_session *, struct hs_capture_options *,
	    char *err, size_t errlen);

/* "500ms", "30s", "3m", "1h", or plain seconds: 0 and *ms, else -1. */
int	hs_parse_duration(const char *s, int64_t *ms);
/* 1 when s is a valid id (underscores 0) or label/service (1). */
int	hs_session_word_ok(const char *s, int underscores);
/* A new session id: 8 random hex digits and a NUL (9 bytes). */
int	hs_session_new_id(char id[9]);
/* Appends the snapshot's path to b (NUL-terminated); -1 out of memory. */
int	hs_session_path(struct hs_buf *b, const char *dir, const char *service,
	    const char *id, const char *label, time_t when);
/* Appends s to b as one single-quoted shell word; -1 out of memory. */
int	hs_shell_quote(struct hs_buf *b, const char *s);
/* mkdir -p with mode for the directories it makes; -1 with errno. */
int	hs_mkdirs(const char *path, int mode);
/*
 * Runs cmd with /bin/sh -c, its stdin from stdin_path (or /dev/null when
 * NULL), and every "{}" in cmd replaced by subst shell-quoted (when
 * subst is not NULL).  Returns its exit status (128+N for a signal), or
 * -1 with a message in err when it could not be run.
 */
int	hs_run_command(const char *cmd, const char *subst,
	    const char *stdin_path, char *err, size_t errlen);
/*
 * Sleeps ms milliseconds, or less when *interrupted becomes non-zero
 * (then returns -1).
 */
int	hs_sleep_ms(int64_t ms, volatile sig_atomic_t *interrupted);

#endif

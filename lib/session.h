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

struct hs_buf;

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

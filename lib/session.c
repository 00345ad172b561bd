/*
 * session: names, durations and commands of capture sessions (see
 * session.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <stdarg.h>

#include "alloc.h"
#include "atomic.h"
#include "buf.h"
#include "capture.h"
#include "session.h"

int
hs_parse_duration(const char *s, int64_t *ms)
{
	static const struct { const char *suffix; int64_t ms; } units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 },
		{ "", 1000 }
	};
	int64_t v = 0;
	size_t i;

	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (INT64_MAX / 3600000 - (*s - '0')) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(s, units[i].suffix) == 0) {
			*ms = v * units[i].ms;
			return 0;
		}
	return -1;
}

int
hs_session_word_ok(const char *s, int underscores)
{
	size_t n = 0;

	if (*s == '\0' || *s == '.' || *s == '-')
		return 0;
	for (; *s; s++, n++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '.' || *s == '-' ||
		    (underscores && *s == '_')))
			return 0;
	return n <= 64;
}

int
hs_session_new_id(char id[9])
{
	unsigned char r[4];

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		return -1;
	snprintf(id, 9, "%02x%02x%02x%02x", r[0], r[1], r[2], r[3]);
	return 0;
}

int
hs_session_path(struct hs_buf *b, const char *dir, const char *service,
    const char *id, const char *label, time_t when)
{
	struct tm tm;
	char t[32];

	gmtime_r(&when, &tm);
	strftime(t, sizeof(t), "%Y%m%dT%H%M%SZ", &tm);
	if (hs_buf_printf(b, "%s/%s/session_%s_%s_%s.heapsnapshot", dir,
	    service, id, label, t) == -1 || hs_buf_cstr(b) == -1)
		return -1;
	return 0;
}

int
hs_mkdirs(const char *path, int mode)
{
	char *p, *copy;
	struct stat st;
	int rc = 0;

	if ((copy = hs_strdup(path)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	for (p = copy + 1; rc == 0; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;

		*p = '\0';
		if (mkdir(copy, (mode_t)mode) == -1 && (errno != EEXIST ||
		    stat(copy, &st) == -1 || !S_ISDIR(st.st_mode))) {
			if (errno == EEXIST)
				errno = ENOTDIR;
			rc = -1;
		}
		*p = c;
		if (c == '\0')
			break;
	}
	hs_free(copy);
	return rc;
}

int
hs_shell_quote(struct hs_buf *b, const char *s)
{
	if (hs_buf_addc(b, '\'') == -1)
		return -1;
	for (; *s; s++)
		if ((*s == '\'' ? hs_buf_adds(b, "'\\''") :
		    hs_buf_addc(b, *s)) == -1)
			return -1;
	return hs_buf_addc(b, '\'');
}

int
hs_run_command(const char *cmd, const char *subst, const char *stdin_path,
    char *err, size_t errlen)
{
	struct hs_buf b = { NULL, 0, 0 };
	const char *p;
	pid_t pid;
	int st, fd, e;

	for (p = cmd; *p; p++) {
		if (subst != NULL && p[0] == '{' && p[1] == '}') {
			if (hs_shell_quote(&b, subst) == -1)
				goto nomem;
			p++;
		} else if (hs_buf_addc(&b, *p) == -1) {
			goto nomem;
		}
	}
	if (hs_buf_cstr(&b) == -1)
		goto nomem;
	if ((pid = fork()) == -1) {
		e = errno;
		hs_buf_free(&b);
		snprintf(err, errlen, "fork: %s", strerror(e));
		return -1;
	}
	if (pid == 0) {
		fd = open(stdin_path != NULL ? stdin_path : "/dev/null",
		    O_RDONLY);
		if (fd == -1 || dup2(fd, STDIN_FILENO) == -1)
			_exit(126);
		if (fd != STDIN_FILENO)
			close(fd);
		signal(SIGPIPE, SIG_DFL);
		execl("/bin/sh", "sh", "-c", b.data, (char *)NULL);
		_exit(127);
	}
	hs_buf_free(&b);
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR) {
			snprintf(err, errlen, "waitpid: %s", strerror(errno));
			return -1;
		}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
nomem:
	hs_buf_free(&b);
	snprintf(err, errlen, "out of memory");
	return -1;
}

int
hs_sleep_ms(int64_t ms, volatile sig_atomic_t *interrupted)
{
	struct timespec ts;
	int64_t step;

	while (ms > 0) {
		if (interrupted != NULL && *interrupted)
			return -1;
		step = ms < 100 ? ms : 100;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)step * 1000000;
		nanosleep(&ts, NULL);
		ms -= step;
	}
	return interrupted != NULL && *interrupted ? -1 : 0;
}

/* ---- sessions ---- */

static int
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

void
hs_session_defaults(struct hs_session *s)
{
	memset(s, 0, sizeof(*s));
}

int
hs_session_check(struct hs_session *s, const char *default_service,
    char *err, size_t errlen)
{
	if (s->out_dir != NULL && *s->out_dir == '\0')
		s->out_dir = NULL;
	if (s->out_dir != NULL && s->output != NULL)
		return fail(err, errlen, "-o and --out-dir exclude each other");
	if ((s->before_after_ms > 0 || s->count > 0) && s->out_dir == NULL)
		return fail(err, errlen, "--before-after and --interval need "
		    "--out-dir");
	if (s->before_after_ms > 0 && s->count > 0)
		return fail(err, errlen, "--before-after and --interval "
		    "exclude each other");
	if ((s->count > 0) != (s->interval_ms > 0))
		return fail(err, errlen, "--interval and --count go together");
	if (s->keep && s->pipe == NULL)
		return fail(err, errlen, "--keep goes with --pipe");
	if (s->pipe != NULL && s->out_dir == NULL && s->output == NULL)
		return fail(err, errlen, "--pipe needs -o or --out-dir");
	if (s->id == NULL || *s->id == '\0') {
		if (hs_session_new_id(s->idbuf) == -1)
			return fail(err, errlen, "cannot make a session id: %s",
			    strerror(errno));
		s->id = s->idbuf;
	}
	if (!hs_session_word_ok(s->id, 0))
		return fail(err, errlen, "--session: expected letters, digits, "
		    "'.' and '-'");
	if (s->label == NULL || *s->label == '\0')
		s->label = "snapshot";
	if (!hs_session_word_ok(s->label, 1))
		return fail(err, errlen, "--label: expected letters, digits, "
		    "'.', '-' and '_'");
	if (s->service == NULL || *s->service == '\0')
		s->service = default_service;
	if (!hs_session_word_ok(s->service, 1))
		return fail(err, errlen, "--service-name: expected letters, "
		    "digits, '.', '-' and '_'");
	setenv("HS_SESSION_ID", s->id, 1);
	setenv("HS_SERVICE_NAME", s->service, 1);
	return 0;
}

/* One snapshot to path (NULL: stdout). */
static int
capture_one(struct hs_session *s, struct hs_capture_options *o,
    const char *path, char *err, size_t errlen)
{
	struct hs_atomic *file = NULL;
	char msg[512];
	int rc;

	if (path != NULL) {
		if ((file = hs_atomic_open(path, 0600, err, errlen)) == NULL)
			return -1;
		o->write = hs_atomic_write;
		o->sink = file;
	} else {
		o->write = s->stdout_write;
		o->sink = NULL;
	}
	rc = hs_capture(o, msg, sizeof(msg));
	if (s->after_capture != NULL)
		s->after_capture(s->ctx);
	if (rc == -1) {
		hs_atomic_abort(file);
		if (o->write_errno != 0)
			return fail(err, errlen, "%s: write error: %s",
			    path != NULL ? path : "(stdout)",
			    strerror(o->write_errno));
		if (strcmp(msg, "timed out") == 0 ||
		    strstr(msg, ": timed out") != NULL)
			return fail(err, errlen, "%s:%s: %s (--timeout %lld)",
			    o->host, o->port, msg, (long long)s->timeout_s);
		return fail(err, errlen, "%s:%s: %s", o->host, o->port, msg);
	}
	if (file != NULL && hs_atomic_commit(file, err, errlen) == -1)
		return -1;
	return 0;
}

/* Runs a hook or --pipe command; -1 unless it exits 0. */
static int
run(const char *what, const char *cmd, const char *subst,
    const char *stdin_path, const char *note, char *err, size_t errlen)
{
	char msg[256];
	int st;

	fflush(stdout);
	if ((st = hs_run_command(cmd, subst, stdin_path, msg,
	    sizeof(msg))) == -1)
		return fail(err, errlen, "%s: %s%s", what, msg, note);
	if (st != 0)
		return fail(err, errlen, "%s: the command exited with status "
		    "%d%s", what, st, note);
	return 0;
}

/* After a snapshot file is written: --pipe, and the file's name. */
static int
finish_file(struct hs_session *s, const char *path, char *err,
    size_t errlen)
{
	struct hs_buf base = { NULL, 0, 0 }, note = { NULL, 0, 0 };
	size_t n = strlen(path), ext = strlen(".heapsnapshot");
	int rc = 0;

	setenv("HS_SNAPSHOT", path, 1);
	if (s->pipe != NULL) {
		if (hs_buf_add(&base, path, n > ext && strcmp(path + n - ext,
		    ".heapsnapshot") == 0 ? n - ext : n) == -1 ||
		    hs_buf_cstr(&base) == -1 ||
		    hs_buf_printf(&note, " (%s is kept)", path) == -1) {
			rc = fail(err, errlen, "out of memory");
		} else if (run("--pipe", s->pipe, base.data, path, note.data,
		    err, errlen) == -1) {
			rc = -1;
		} else if (!s->keep) {
			unlink(path);
			path = NULL;
		}
		hs_buf_free(&base);
		hs_buf_free(&note);
	}
	if (rc == 0 && path != NULL && s->out_dir != NULL &&
	    s->on_file != NULL && s->on_file(s->ctx, path) == -1)
		rc = fail(err, errlen, "(stdout): write error: %s",
		    strerror(errno));
	return rc;
}

/* The snapshots of a session, or the one of output or stdout. */
static int
snapshots(struct hs_session *s, struct hs_capture_options *o, char *err,
    size_t errlen)
{
	struct hs_buf path = { NULL, 0, 0 }, dir = { NULL, 0, 0 };
	char label[160];
	uint64_t i, n = 1;
	int64_t wait = 0;
	int rc = 0, close_at_end = o->close_inspector;

	if (s->out_dir == NULL) {
		if (capture_one(s, o, s->output, err, errlen) == -1)
			return -1;
		return s->output != NULL ? finish_file(s, s->output, err,
		    errlen) : 0;
	}
	if (s->before_after_ms > 0) {
		n = 2;
		wait = s->before_after_ms;
	} else if (s->count > 0) {
		n = s->count;
		wait = s->interval_ms;
	}
	if (hs_buf_printf(&dir, "%s/%s", s->out_dir, s->service) == -1 ||
	    hs_buf_cstr(&dir) == -1)
		return fail(err, errlen, "out of memory");
	if (hs_mkdirs(dir.data, 0700) == -1) {
		rc = fail(err, errlen, "%s: %s", dir.data, strerror(errno));
		hs_buf_free(&dir);
		return rc;
	}
	hs_buf_free(&dir);
	for (i = 0; i < n && rc == 0; i++) {
		if (i > 0 && hs_sleep_ms(wait, s->interrupted) == -1) {
			rc = fail(err, errlen, "interrupted");
			break;
		}
		if (s->before_after_ms > 0)
			snprintf(label, sizeof(label), "%s", i == 0 ? "before" :
			    "after");
		else if (s->count > 0)
			snprintf(label, sizeof(label), "%s-%llu", s->label,
			    (unsigned long long)i + 1);
		else
			snprintf(label, sizeof(label), "%s", s->label);
		setenv("HS_LABEL", label, 1);
		hs_buf_reset(&path);
		/* --close after the last snapshot only. */
		o->close_inspector = close_at_end && i == n - 1;
		if (hs_session_path(&path, s->out_dir, s->service, s->id,
		    label, time(NULL)) == -1)
			rc = fail(err, errlen, "out of memory");
		else if (capture_one(s, o, path.data, err, errlen) == -1 ||
		    finish_file(s, path.data, err, errlen) == -1)
			rc = -1;
	}
	hs_buf_free(&path);
	o->close_inspector = close_at_end;
	return rc;
}

int
hs_session_run(struct hs_session *s, struct hs_capture_options *o,
    char *err, size_t errlen)
{
	char after_err[512];
	int rc = 0;

	/* The after-command runs whatever happened once the window opened. */
	if (s->before_cmd != NULL)
		rc = run("--before-cmd", s->before_cmd, NULL, NULL, "", err,
		    errlen);
	if (rc == 0 && s->interrupted != NULL && *s->interrupted)
		rc = fail(err, errlen, "interrupted");
	if (rc == 0)
		rc = snapshots(s, o, err, errlen);
	if (s->after_cmd != NULL && run("--after-cmd", s->after_cmd, NULL,
	    NULL, "", after_err, sizeof(after_err)) == -1 && rc == 0)
		rc = fail(err, errlen, "%s", after_err);
	return rc;
}

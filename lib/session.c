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

#include "alloc.h"
#include "buf.h"
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

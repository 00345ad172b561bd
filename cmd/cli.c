/*
 * cli: front-end helpers shared by the tools (see cli.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "cli.h"
#include "diff.h"
#include "regex.h"

const char *hs_progname = "hs";

/* The temporary file to remove if a signal arrives while writing. */
static char tmp_path[PATH_MAX];
static volatile sig_atomic_t tmp_active;

/*
 * Fault injection for tests, as HS_FAIL_ALLOC does for allocations:
 * HS_FAIL_WRITE=N makes the Nth write of output, and every later one, fail
 * with ENOSPC.
 */
static unsigned long write_calls, write_fail_at;

/* Whether hs_check_stdout() has reported a write error already. */
static int stdout_reported;

/*
 * At exit, whatever the path (--help, --version, an early return), what
 * is left in stdout's buffer is written and a failure is reported: a full
 * disk or a closed stdout is never silent.
 */
static void
check_stdout_at_exit(void)
{
	if (!stdout_reported && hs_check_stdout() == -1)
		_exit(HS_EXIT_TROUBLE);
}

static void
on_signal(int sig)
{
	if (tmp_active)
		unlink(tmp_path);
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * A standard descriptor that was closed is taken by /dev/null, opened the
 * wrong way round: reading 0 or writing 1 or 2 still fails with EBADF (and
 * is reported), and no file the tool opens becomes its stdout or stderr by
 * accident (hs-summarize --stats 2>&- wrote its figures into the summary).
 */
static void
hold_std_fds(void)
{
	int fd, got;

	for (fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		got = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
		if (got != -1 && got != fd)
			close(got);
	}
}

void
hs_cli_init(const char *progname)
{
	const char *p = strrchr(progname, '/');

	hs_progname = p ? p + 1 : progname;
	hold_std_fds();
	signal(SIGPIPE, SIG_DFL);
	atexit(check_stdout_at_exit);
	hs_alloc_init_from_env();
	hs_alloc_policy();
	if (getenv("HS_FAIL_WRITE") != NULL)
		write_fail_at = strtoul(getenv("HS_FAIL_WRITE"), NULL, 10);
}

void
hs_warnx(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", hs_progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
hs_errx(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", hs_progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(HS_EXIT_TROUBLE);
}

const char *
hs_display_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "(stdin)" : path;
}

int
hs_parse_size(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (max - (uint64_t)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

struct hs_out {
	int	 fd;
	int	 is_stdout;
	int	 is_device;	/* written in place */
	char	*path;
	int	 failed;
};

struct hs_out *
hs_out_open(const char *path, int compressed)
{
	struct hs_out *o;
	char *dir, *copy, resolved[PATH_MAX];
	sigset_t block, old;
	struct stat st;

	if ((o = hs_calloc(1, sizeof(*o))) == NULL) {
		hs_warnx("out of memory");
		return NULL;
	}
	if (path == NULL || strcmp(path, "-") == 0) {
		if (compressed && isatty(STDOUT_FILENO)) {
			hs_warnx("refusing to write compressed data to a "
			    "terminal (use -o FILE or a pipe)");
			hs_free(o);
			return NULL;
		}
		o->fd = STDOUT_FILENO;
		o->is_stdout = 1;
		return o;
	}
	/*
	 * A device or a fifo (-o /dev/null) is written as it is: there is
	 * nothing to replace atomically.  A symbolic link is followed, so
	 * that its target, not the link, gets the new contents.
	 */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) &&
	    !S_ISDIR(st.st_mode)) {
		if ((o->fd = open(path, O_WRONLY | O_CLOEXEC)) == -1) {
			hs_warnx("%s: %s", path, strerror(errno));
			hs_free(o);
			return NULL;
		}
		if ((o->path = hs_strdup(path)) == NULL) {
			hs_warnx("out of memory");
			close(o->fd);
			hs_free(o);
			return NULL;
		}
		o->is_device = 1;
		return o;
	}
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) &&
	    realpath(path, resolved) != NULL)
		path = resolved;
	if ((o->path = hs_strdup(path)) == NULL ||
	    (copy = hs_strdup(path)) == NULL) {
		hs_warnx("out of memory");
		hs_free(o->path);
		hs_free(o);
		return NULL;
	}
	dir = dirname(copy);
	if ((size_t)snprintf(tmp_path, sizeof(tmp_path), "%s/.hs-tmp.XXXXXX",
	    dir) >= sizeof(tmp_path)) {
		hs_warnx("%s: path too long", path);
		hs_free(copy);
		hs_free(o->path);
		hs_free(o);
		return NULL;
	}
	hs_free(copy);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	o->fd = mkstemp(tmp_path);
	if (o->fd != -1) {
		tmp_active = 1;
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
		signal(SIGHUP, on_signal);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (o->fd == -1) {
		hs_warnx("%s: cannot create a file beside it: %s", path,
		    strerror(errno));
		hs_free(o->path);
		hs_free(o);
		return NULL;
	}
	/* mkstemp makes it 0600; a summary is as public as umask says. */
	{
		mode_t mask = umask(0);

		umask(mask);
		fchmod(o->fd, 0666 & ~mask);
	}
	return o;
}

int
hs_out_write(void *arg, const void *buf, size_t len)
{
	struct hs_out *o = arg;
	const char *p = buf;
	ssize_t n;

	if (o->failed)
		return -1;
	while (len > 0) {
		if (write_fail_at != 0 && ++write_calls >= write_fail_at) {
			n = -1;
			errno = ENOSPC;
		} else
			n = write(o->fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			hs_warnx("%s: write error: %s", o->is_stdout ?
			    "(stdout)" : o->path, strerror(errno));
			o->failed = 1;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void
out_free(struct hs_out *o)
{
	hs_free(o->path);
	hs_free(o);
}

void
hs_out_abort(struct hs_out *o)
{
	if (o == NULL)
		return;
	if (o->is_device) {
		close(o->fd);
	} else if (!o->is_stdout) {
		close(o->fd);
		unlink(tmp_path);
		tmp_active = 0;
	}
	out_free(o);
}

int
hs_out_commit(struct hs_out *o)
{
	if (o->failed) {
		hs_out_abort(o);
		return -1;
	}
	if (o->is_stdout) {
		out_free(o);
		return 0;
	}
	if (o->is_device) {
		int rc = close(o->fd);

		if (rc == -1)
			hs_warnx("%s: write error: %s", o->path,
			    strerror(errno));
		out_free(o);
		return rc;
	}
	if (close(o->fd) == -1) {
		hs_warnx("%s: write error: %s", o->path, strerror(errno));
		unlink(tmp_path);
		tmp_active = 0;
		out_free(o);
		return -1;
	}
	if (rename(tmp_path, o->path) == -1) {
		hs_warnx("%s: %s", o->path, strerror(errno));
		unlink(tmp_path);
		tmp_active = 0;
		out_free(o);
		return -1;
	}
	tmp_active = 0;
	out_free(o);
	return 0;
}

int
hs_check_stdout(void)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		if (errno == EPIPE)
			return 0;
		if (!stdout_reported)
			fprintf(stderr, "%s: (stdout): write error: %s\n",
			    hs_progname, strerror(errno));
		stdout_reported = 1;
		return -1;
	}
	return 0;
}

/* ---- progress and --stats ---- */

#define MAX_PHASES	16

struct hs_progress {
	int		 show;
	int		 stats;
	int		 shown;
	double		 start, last_draw, phase_start;
	const char	*phase;
	char		 names[MAX_PHASES][24];
	double		 secs[MAX_PHASES];
	long		 rss_kib[MAX_PHASES];
	int		 nphases;
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long
peak_rss_kib(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) == -1)
		return 0;
	return ru.ru_maxrss;
}

struct hs_progress *
hs_progress_new(int quiet, int stats)
{
	struct hs_progress *p;

	if ((p = hs_calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->show = !quiet && isatty(STDERR_FILENO);
	p->stats = stats;
	p->start = p->last_draw = p->phase_start = now();
	return p;
}

/* Phases are the big steps; parse sections all count as "parsing". */
static const char *
phase_of(const char *name)
{
	static const char *const big[] = { "dominators", "classes",
	    "retainers", "writing", NULL };
	int i;

	for (i = 0; big[i]; i++)
		if (strcmp(name, big[i]) == 0)
			return big[i];
	return "parsing";
}

static void
end_phase(struct hs_progress *p, double t)
{
	if (p->phase == NULL || p->nphases >= MAX_PHASES)
		return;
	snprintf(p->names[p->nphases], sizeof(p->names[0]), "%s", p->phase);
	p->secs[p->nphases] = t - p->phase_start;
	p->rss_kib[p->nphases] = peak_rss_kib();
	p->nphases++;
}

void
hs_progress_update(void *arg, const char *name, uint64_t bytes, int64_t total)
{
	struct hs_progress *p = arg;
	const char *ph = phase_of(name);
	double t = now(), mb = (double)bytes / 1e6;

	if (p == NULL)
		return;
	if (p->phase != ph) {
		end_phase(p, t);
		p->phase = ph;
		p->phase_start = t;
	} else if (t - p->last_draw < 0.1) {
		return;
	}
	p->last_draw = t;
	if (!p->show)
		return;
	if (total > 0)
		fprintf(stderr, "\r%s: %-10s %8.1f MB of %.1f MB (%3.0f%%) "
		    "%6.1f MB/s ", hs_progname, ph, mb, (double)total / 1e6,
		    100.0 * (double)bytes / (double)total,
		    mb / (t - p->start + 1e-9));
	else
		fprintf(stderr, "\r%s: %-10s %8.1f MB %6.1f MB/s ",
		    hs_progname, ph, mb, mb / (t - p->start + 1e-9));
	p->shown = 1;
}

void
hs_progress_done(struct hs_progress *p, int ok)
{
	double t = now();
	int i;

	if (p == NULL)
		return;
	end_phase(p, t);
	if (p->shown)
		fprintf(stderr, "\r\033[K");
	if (p->stats && ok) {
		for (i = 0; i < p->nphases; i++)
			fprintf(stderr, "%s: %-10s %7.2f s  peak %7.1f MiB\n",
			    hs_progname, p->names[i], p->secs[i],
			    (double)p->rss_kib[i] / 1024.0);
		fprintf(stderr, "%s: %-10s %7.2f s  peak %7.1f MiB\n",
		    hs_progname, "total", t - p->start,
		    (double)peak_rss_kib() / 1024.0);
	}
	hs_free(p);
}

struct hs_regex *
hs_opt_regex(struct hs_regex *old, const char *pattern, const char *opt)
{
	struct hs_regex *re;
	char err[256];

	hs_regex_free(old);
	if ((re = hs_regex_new(pattern, 0, err, sizeof(err))) == NULL)
		hs_errx("%s: %s", opt, err);
	return re;
}

int
hs_opt_fail_on(const char *arg)
{
	enum hs_severity sev;

	if (hs_severity_parse(arg, &sev) == -1 || sev == HS_SEV_NONE)
		hs_errx("--fail-on: expected low, medium, high or critical");
	return (int)sev;
}

uint64_t
hs_opt_threshold(const char *arg)
{
	uint64_t size;

	if (hs_diff_parse_size(arg, &size) == -1)
		hs_errx("--threshold: expected a size such as 10MiB, 512KB "
		    "or 1048576");
	return size;
}

uint64_t
hs_opt_count(const char *arg, uint64_t max, const char *opt)
{
	uint64_t n;

	if (hs_parse_size(arg, max, &n) == -1)
		hs_errx("%s: expected a number", opt);
	return n;
}

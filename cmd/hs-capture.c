/*
 * hs-capture: take a heap snapshot from a live Node.js or Chromium process.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "activate.h"
#include "alloc.h"
#include "atomic.h"
#include "buf.h"
#include "capture.h"
#include "cli.h"
#include "conn.h"
#include "session.h"

static const char usage_text[] =
"usage: hs-capture [-q] [--no-gc] [--close] [--allow-remote]\n"
"                  [--target id | regex] [--timeout seconds] [-o file]\n"
"                  [--exec prefix | --docker id |\n"
"                   --k8s pod [--namespace ns] [--container c]]\n"
"                  [--out-dir dir [--session id] [--label label]\n"
"                   [--service-name name] [--before-after duration |\n"
"                   --interval duration --count n]]\n"
"                  [--pipe command [--keep]] [--before-cmd command]\n"
"                  [--after-cmd command] [--watch interval [--duration d]]\n"
"                  [--pid pid] [--inspect host:port]\n";

static void
usage(int status)
{
	fputs(usage_text, status == 0 ? stdout : stderr);
	if (status == 0)
		fputs("\n"
"Takes a heap snapshot from a V8 inspector (Node.js --inspect, Chromium\n"
"--remote-debugging-port) and writes it to standard output or a file.\n"
"\n"
"      --inspect host:port  the inspector (default: $HS_INSPECT)\n"
"      --pid pid            a Node.js process: open its inspector (SIGUSR1)\n"
"                           and find its port\n"
"      --close              close the inspector afterwards\n"
"      --allow-remote       accept an inspector on a non-loopback address\n"
"      --exec prefix        reach the process through a command that runs\n"
"                           others inside its container (with its node)\n"
"      --docker id          --exec 'docker exec -i id' (default pid 1)\n"
"      --k8s pod            --exec 'kubectl exec -i pod --' (with\n"
"                           --namespace ns and --container c)\n"
"      --target id|regex    the target: its id, or a pattern over its URL\n"
"                           and title (a browser's page)\n"
"      --no-gc              no garbage collection before the snapshot\n"
"      --timeout seconds    give up after this long (default: none)\n"
"  -o, --output file        write to file (atomically, mode 0600)\n"
"      --out-dir dir        write dir/service/session_ID_LABEL_TIME.heapsnapshot\n"
"      --session id  --label label  --service-name name\n"
"                           name the files (default: a new id, \"snapshot\")\n"
"      --before-after duration  a \"before\" and an \"after\" snapshot\n"
"      --interval duration --count n  a series of n snapshots\n"
"      --pipe command       run command on each snapshot ({} is its path\n"
"                           without .heapsnapshot); --keep keeps the file\n"
"      --before-cmd command --after-cmd command  run around the captures\n"
"      --watch interval     no snapshot: memory samples as JSON lines\n"
"      --duration d         how long to watch (default: until interrupted)\n"
"  -q, --quiet              no progress bar on a terminal\n"
"  -h, --help               this help;  -V, --version  the version\n",
		    stdout);
	exit(status);
}

static volatile sig_atomic_t interrupted;

static void
on_interrupt(int sig)
{
	(void)sig;
	if (interrupted < 100)
		interrupted++;
}

/* Progress on a terminal: the inspector's done and total. */
struct bar {
	int	 show;
	int	 shown;
	int64_t	 last;
};

static void
bar_update(void *arg, uint64_t done, uint64_t total)
{
	struct bar *b = arg;
	int64_t t = hs_now_ms();
	int i, w = 30, fill;

	if (!b->show || total == 0 || (t - b->last < 100 && done < total))
		return;
	b->last = t;
	fill = done >= total ? w : (int)((double)done / (double)total * w);
	fprintf(stderr, "\r%s: snapshot [", hs_progname);
	for (i = 0; i < w; i++)
		fputc(i < fill ? '#' : ' ', stderr);
	fprintf(stderr, "] %3.0f%% ", 100.0 * (double)done / (double)total);
	b->shown = 1;
}

static void
bar_done(struct bar *b)
{
	if (b->shown)
		fprintf(stderr, "\r\033[K");
}

/* After each capture: the bar is erased, to be drawn anew. */
static void
bar_reset(void *arg)
{
	struct bar *b = arg;

	bar_done(b);
	b->shown = 0;
}

/* Each path as soon as it is there, for whoever waits for it. */
static int
print_path(void *ctx, const char *path)
{
	(void)ctx;
	if (printf("%s\n", path) < 0 || fflush(stdout) == EOF)
		return -1;
	return 0;
}

/* A write function for stdout that leaves the message to the library. */
static int
write_stdout(void *sink, const void *buf, size_t len)
{
	(void)sink;
	return hs_write_all(STDOUT_FILENO, buf, len);
}

/* Splits host:port (or [v6]:port) into o's host and port. */
static void
parse_address(const char *s, char *host, size_t hostlen,
    struct hs_capture_options *o)
{
	const char *colon = strrchr(s, ':');
	uint64_t port;
	size_t n;

	if (colon == NULL || hs_parse_size(colon + 1, 65535, &port) == -1 ||
	    port == 0)
		hs_errx("--inspect: expected host:port");
	n = (size_t)(colon - s);
	if (n > 1 && s[0] == '[' && s[n - 1] == ']') {
		s++;
		n -= 2;
	}
	if (n == 0 || n >= hostlen)
		hs_errx("--inspect: expected host:port");
	memcpy(host, s, n);
	host[n] = '\0';
	o->host = host;
	o->port = colon + 1;
}

/* Appends s to b as one shell word. */
static void
add_quoted(struct hs_buf *b, const char *s)
{
	if (hs_shell_quote(b, s) == -1)
		hs_errx("out of memory");
}

/* The --exec prefix for --docker or --k8s (in b). */
static const char *
container_prefix(struct hs_buf *b, const char *docker, const char *k8s,
    const char *ns, const char *container)
{
	if (docker != NULL) {
		hs_buf_adds(b, "docker exec -i ");
		add_quoted(b, docker);
	} else {
		hs_buf_adds(b, "kubectl exec -i");
		if (ns != NULL) {
			hs_buf_adds(b, " -n ");
			add_quoted(b, ns);
		}
		if (container != NULL) {
			hs_buf_adds(b, " -c ");
			add_quoted(b, container);
		}
		hs_buf_addc(b, ' ');
		add_quoted(b, k8s);
		hs_buf_adds(b, " --");
	}
	if (hs_buf_cstr(b) == -1)
		hs_errx("out of memory");
	return b->data;
}

/* --watch: one JSON line per sample on stdout. */
struct watch {
	pid_t	 pid;		/* local --pid: VmRSS from /proc, or 0 */
};

static void
put_figure(const char *name, int64_t v)
{
	if (v >= 0)
		printf(",\"%s\":%lld", name, (long long)v);
	else
		printf(",\"%s\":null", name);
}

static int
print_sample(void *ctx, const struct hs_capture_sample *s)
{
	struct watch *w = ctx;
	struct timespec ts;
	struct tm tm;
	char t[32], path[64], line[128];
	int64_t rss = s->rss;
	FILE *fp;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%S", &tm);
	if (w->pid > 0) {
		snprintf(path, sizeof(path), "/proc/%ld/status", (long)w->pid);
		if ((fp = fopen(path, "r")) != NULL) {
			while (fgets(line, sizeof(line), fp) != NULL)
				if (strncmp(line, "VmRSS:", 6) == 0)
					rss = strtoll(line + 6, NULL, 10) *
					    1024;
			fclose(fp);
		}
	}
	printf("{\"type\":\"sample\",\"time\":\"%s.%03ldZ\"", t,
	    ts.tv_nsec / 1000000);
	put_figure("heap_used", s->heap_used);
	put_figure("heap_total", s->heap_total);
	put_figure("rss", rss);
	put_figure("external", s->external);
	put_figure("array_buffers", s->array_buffers);
	printf("}\n");
	return fflush(stdout) == EOF || ferror(stdout) ? -1 : 0;
}

/* HS_STRATEGY: "once", "before-after:DURATION" or "interval:D:N". */
static void
strategy_from_env(struct hs_session *s)
{
	const char *e = getenv("HS_STRATEGY");
	char buf[64], *colon;

	if (e == NULL || *e == '\0' || strcmp(e, "once") == 0)
		return;
	snprintf(buf, sizeof(buf), "%s", e);
	if (strncmp(buf, "before-after:", 13) == 0 &&
	    hs_parse_duration(buf + 13, &s->before_after_ms) == 0 &&
	    s->before_after_ms > 0)
		return;
	if (strncmp(buf, "interval:", 9) == 0 &&
	    (colon = strchr(buf + 9, ':')) != NULL) {
		*colon = '\0';
		if (hs_parse_duration(buf + 9, &s->interval_ms) == 0 &&
		    hs_parse_size(colon + 1, 1000000, &s->count) == 0 &&
		    s->interval_ms > 0 && s->count > 0)
			return;
	}
	hs_errx("HS_STRATEGY: expected once, before-after:DURATION or "
	    "interval:DURATION:COUNT");
}

int
main(int argc, char *argv[])
{
	enum { OPT_INSPECT = 256, OPT_TARGET, OPT_NO_GC, OPT_TIMEOUT, OPT_PID,
	    OPT_CLOSE, OPT_ALLOW_REMOTE, OPT_EXEC, OPT_DOCKER, OPT_K8S,
	    OPT_NAMESPACE, OPT_CONTAINER, OPT_OUT_DIR, OPT_SESSION, OPT_LABEL,
	    OPT_SERVICE, OPT_BEFORE_AFTER, OPT_INTERVAL, OPT_COUNT, OPT_PIPE,
	    OPT_KEEP, OPT_BEFORE_CMD, OPT_AFTER_CMD, OPT_WATCH, OPT_DURATION };
	static const struct option longopts[] = {
		{ "inspect", required_argument, NULL, OPT_INSPECT },
		{ "pid", required_argument, NULL, OPT_PID },
		{ "close", no_argument, NULL, OPT_CLOSE },
		{ "allow-remote", no_argument, NULL, OPT_ALLOW_REMOTE },
		{ "exec", required_argument, NULL, OPT_EXEC },
		{ "docker", required_argument, NULL, OPT_DOCKER },
		{ "k8s", required_argument, NULL, OPT_K8S },
		{ "namespace", required_argument, NULL, OPT_NAMESPACE },
		{ "container", required_argument, NULL, OPT_CONTAINER },
		{ "out-dir", required_argument, NULL, OPT_OUT_DIR },
		{ "session", required_argument, NULL, OPT_SESSION },
		{ "label", required_argument, NULL, OPT_LABEL },
		{ "service-name", required_argument, NULL, OPT_SERVICE },
		{ "before-after", required_argument, NULL, OPT_BEFORE_AFTER },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "count", required_argument, NULL, OPT_COUNT },
		{ "pipe", required_argument, NULL, OPT_PIPE },
		{ "keep", no_argument, NULL, OPT_KEEP },
		{ "before-cmd", required_argument, NULL, OPT_BEFORE_CMD },
		{ "after-cmd", required_argument, NULL, OPT_AFTER_CMD },
		{ "watch", required_argument, NULL, OPT_WATCH },
		{ "duration", required_argument, NULL, OPT_DURATION },
		{ "target", required_argument, NULL, OPT_TARGET },
		{ "no-gc", no_argument, NULL, OPT_NO_GC },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct hs_capture_options o;
	struct hs_session sess;
	struct sigaction sa;
	struct bar bar = { 0, 0, 0 };
	struct hs_activate_options act;
	struct hs_buf prefix = { NULL, 0, 0 };
	const char *inspect = getenv("HS_INSPECT"), *output = NULL;
	const char *exec = NULL, *docker = NULL, *k8s = NULL, *ns = NULL;
	const char *container = NULL, *pidarg = NULL;
	char host[256], err[4608], relay_cmd[4096], *relay[11], service[256];
	uint64_t timeout = 0, pid = 0;
	int64_t watch_ms = 0, duration_ms = 0;
	int ch, quiet = 0, allow_remote = 0, inspect_given = 0;

	hs_cli_init(argv[0]);
	hs_capture_defaults(&o);
	hs_session_defaults(&sess);
	sess.out_dir = getenv("HS_OUT_DIR");
	sess.id = getenv("HS_SESSION_ID");
	sess.label = getenv("HS_LABEL");
	sess.service = getenv("HS_SERVICE_NAME");
	sess.pipe = getenv("HS_PIPE");
	sess.before_cmd = getenv("HS_BEFORE_CMD");
	sess.after_cmd = getenv("HS_AFTER_CMD");
	strategy_from_env(&sess);
	while ((ch = getopt_long(argc, argv, "o:qhV", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_INSPECT:
			inspect = optarg;
			inspect_given = 1;
			break;
		case OPT_PID:
			pidarg = optarg;
			if (hs_parse_size(optarg, INT32_MAX, &pid) == -1 ||
			    pid == 0)
				hs_errx("--pid: expected a process id");
			break;
		case OPT_CLOSE:
			o.close_inspector = 1;
			break;
		case OPT_ALLOW_REMOTE:
			allow_remote = 1;
			break;
		case OPT_EXEC:
			exec = optarg;
			break;
		case OPT_DOCKER:
			docker = optarg;
			break;
		case OPT_K8S:
			k8s = optarg;
			break;
		case OPT_NAMESPACE:
			ns = optarg;
			break;
		case OPT_CONTAINER:
			container = optarg;
			break;
		case OPT_OUT_DIR:
			sess.out_dir = optarg;
			break;
		case OPT_SESSION:
			sess.id = optarg;
			break;
		case OPT_LABEL:
			sess.label = optarg;
			break;
		case OPT_SERVICE:
			sess.service = optarg;
			break;
		case OPT_BEFORE_AFTER:
			if (hs_parse_duration(optarg, &sess.before_after_ms) ==
			    -1 || sess.before_after_ms == 0)
				hs_errx("--before-after: expected a duration "
				    "(30s, 3m, 1h)");
			sess.count = 0;
			sess.interval_ms = 0;
			break;
		case OPT_INTERVAL:
			if (hs_parse_duration(optarg, &sess.interval_ms) ==
			    -1 || sess.interval_ms == 0)
				hs_errx("--interval: expected a duration "
				    "(30s, 3m, 1h)");
			sess.before_after_ms = 0;
			break;
		case OPT_COUNT:
			if (hs_parse_size(optarg, 1000000, &sess.count) ==
			    -1 || sess.count == 0)
				hs_errx("--count: expected a number from 1");
			sess.before_after_ms = 0;
			break;
		case OPT_PIPE:
			sess.pipe = optarg;
			break;
		case OPT_KEEP:
			sess.keep = 1;
			break;
		case OPT_BEFORE_CMD:
			sess.before_cmd = optarg;
			break;
		case OPT_AFTER_CMD:
			sess.after_cmd = optarg;
			break;
		case OPT_WATCH:
			if (hs_parse_duration(optarg, &watch_ms) == -1 ||
			    watch_ms == 0)
				hs_errx("--watch: expected a duration (500ms, "
				    "10s, 1m)");
			break;
		case OPT_DURATION:
			if (hs_parse_duration(optarg, &duration_ms) == -1 ||
			    duration_ms == 0)
				hs_errx("--duration: expected a duration "
				    "(30s, 3m, 1h)");
			break;
		case OPT_TARGET:
			o.target = optarg;
			break;
		case OPT_NO_GC:
			o.gc = 0;
			break;
		case OPT_TIMEOUT:
			if (hs_parse_size(optarg, 86400 * 365, &timeout) == -1 ||
			    timeout == 0)
				hs_errx("--timeout: expected a number of "
				    "seconds");
			break;
		case 'o':
			output = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			usage(HS_EXIT_OK);
			break;
		case 'V':
			printf("hs-capture %s\n", HS_VERSION);
			return HS_EXIT_OK;
		default:
			usage(HS_EXIT_TROUBLE);
		}
	}
	if (optind != argc)
		usage(HS_EXIT_TROUBLE);
	if ((exec != NULL) + (docker != NULL) + (k8s != NULL) > 1)
		hs_errx("--exec, --docker and --k8s exclude each other");
	if ((ns != NULL || container != NULL) && k8s == NULL)
		hs_errx("--namespace and --container go with --k8s");
	if (docker != NULL || k8s != NULL)
		exec = container_prefix(&prefix, docker, k8s, ns, container);
	/* For the hooks. */
	if (exec != NULL)
		setenv("HS_EXEC", exec, 1);
	if (docker != NULL)
		setenv("HS_DOCKER", docker, 1);
	if (k8s != NULL)
		setenv("HS_K8S_POD", k8s, 1);
	if (ns != NULL)
		setenv("HS_K8S_NAMESPACE", ns, 1);
	if (container != NULL)
		setenv("HS_K8S_CONTAINER", container, 1);
	if (pidarg != NULL && inspect_given)
		hs_errx("--pid and --inspect exclude each other");
	/* In a container, the main process is the likely target. */
	if (exec != NULL && !inspect_given && pidarg == NULL)
		pid = 1;
	if (pid == 0) {
		if (inspect == NULL || *inspect == '\0')
			hs_errx("no target: expected --inspect host:port or "
			    "--pid pid");
		parse_address(inspect, host, sizeof(host), &o);
	}
	if (output != NULL && strcmp(output, "-") == 0)
		output = NULL;
	if (duration_ms > 0 && watch_ms == 0)
		hs_errx("--duration goes with --watch");
	if (watch_ms > 0 && (output != NULL || sess.out_dir != NULL ||
	    sess.pipe != NULL || sess.before_cmd != NULL ||
	    sess.after_cmd != NULL || sess.before_after_ms > 0 ||
	    sess.count > 0))
		hs_errx("--watch writes samples to stdout, without snapshots, "
		    "files or hooks");
	sess.output = output;
	if (docker != NULL || k8s != NULL)
		snprintf(service, sizeof(service), "%s", docker != NULL ?
		    docker : k8s);
	else if (pid != 0)
		snprintf(service, sizeof(service), "pid-%llu",
		    (unsigned long long)pid);
	else
		snprintf(service, sizeof(service), "node");
	if (hs_session_check(&sess, service, err, sizeof(err)) == -1)
		hs_errx("%s", err);
	if (output == NULL && sess.out_dir == NULL && watch_ms == 0 &&
	    isatty(STDOUT_FILENO))
		hs_errx("refusing to write a snapshot to a terminal (use -o "
		    "file or a pipe)");

	/* An interrupt ends the capture through the library's waits. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_interrupt;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* A relay or stdout that goes away is an error like any other. */
	signal(SIGPIPE, SIG_IGN);

	o.interrupted = &interrupted;
	if (timeout > 0)
		o.deadline = hs_now_ms() + (int64_t)timeout * 1000;
	memset(&act, 0, sizeof(act));
	if (pid != 0) {
		act.pid = (pid_t)pid;
		act.exec = exec;
		act.allow_remote = allow_remote;
		act.deadline = o.deadline;
		act.interrupted = &interrupted;
		if (hs_activate(&act, err, sizeof(err)) == -1)
			hs_errx("%s", err);
		o.host = act.host;
		o.port = act.port;
	}
	if (exec != NULL) {
		hs_activate_argv(exec, "relay", o.host, o.port, relay,
		    relay_cmd, sizeof(relay_cmd));
		o.relay = relay;
	}
	bar.show = !quiet && isatty(STDERR_FILENO);
	o.progress = bar.show ? bar_update : NULL;
	o.progress_ctx = &bar;

	snprintf(err, sizeof(err), "%s:%s", o.host, o.port);
	setenv("HS_INSPECT_ADDRESS", err, 1);

	if (watch_ms > 0) {
		struct watch w;

		w.pid = exec == NULL && pid != 0 ? (pid_t)pid : 0;
		if (hs_capture_watch(&o, watch_ms, duration_ms, print_sample,
		    &w, err, sizeof(err)) == -1) {
			hs_warnx("%s:%s: %s", o.host, o.port, err);
			hs_buf_free(&prefix);
			return HS_EXIT_TROUBLE;
		}
		if (act.opened)
			hs_warnx("note: the inspector of process %ld stays "
			    "open at %s:%s", (long)act.pid, o.host, o.port);
		hs_buf_free(&prefix);
		return HS_EXIT_OK;
	}

	sess.interrupted = &interrupted;
	sess.timeout_s = (int64_t)timeout;
	sess.stdout_write = write_stdout;
	sess.on_file = print_path;
	sess.after_capture = bar_reset;
	sess.ctx = &bar;
	if (hs_session_run(&sess, &o, err, sizeof(err)) == -1) {
		hs_warnx("%s", err);
		hs_buf_free(&prefix);
		return HS_EXIT_TROUBLE;
	}
	if (act.opened && !o.close_inspector)
		hs_warnx("note: the inspector of process %ld stays open at "
		    "%s:%s (--close closes it)", (long)act.pid, o.host, o.port);
	hs_buf_free(&prefix);
	return HS_EXIT_OK;
}

/*
 * hs-capture: take a heap snapshot from a live Node.js or Chromium process.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "activate.h"
#include "alloc.h"
#include "atomic.h"
#include "buf.h"
#include "capture.h"
#include "cli.h"
#include "conn.h"

static const char usage_text[] =
"usage: hs-capture [-q] [--no-gc] [--close] [--allow-remote]\n"
"                  [--target id | regex] [--timeout seconds] [-o file]\n"
"                  [--exec prefix | --docker id |\n"
"                   --k8s pod [--namespace ns] [--container c]]\n"
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
	int rc = hs_buf_addc(b, '\'');

	for (; rc == 0 && *s; s++)
		rc = *s == '\'' ? hs_buf_adds(b, "'\\''") : hs_buf_addc(b, *s);
	if (rc == -1 || hs_buf_addc(b, '\'') == -1)
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

int
main(int argc, char *argv[])
{
	enum { OPT_INSPECT = 256, OPT_TARGET, OPT_NO_GC, OPT_TIMEOUT, OPT_PID,
	    OPT_CLOSE, OPT_ALLOW_REMOTE, OPT_EXEC, OPT_DOCKER, OPT_K8S,
	    OPT_NAMESPACE, OPT_CONTAINER };
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
	struct hs_atomic *file = NULL;
	struct sigaction sa;
	struct bar bar = { 0, 0, 0 };
	struct hs_activate_options act;
	struct hs_buf prefix = { NULL, 0, 0 };
	const char *inspect = getenv("HS_INSPECT"), *output = NULL;
	const char *exec = NULL, *docker = NULL, *k8s = NULL, *ns = NULL;
	const char *container = NULL, *pidarg = NULL;
	char host[256], err[512], relay_cmd[4096], *relay[11];
	uint64_t timeout = 0, pid = 0;
	int ch, quiet = 0, rc, allow_remote = 0, inspect_given = 0;

	hs_cli_init(argv[0]);
	hs_capture_defaults(&o);
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
	if (output == NULL && isatty(STDOUT_FILENO))
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

	if (output != NULL) {
		if ((file = hs_atomic_open(output, 0600, err,
		    sizeof(err))) == NULL)
			hs_errx("%s", err);
		o.write = hs_atomic_write;
		o.sink = file;
	} else {
		o.write = write_stdout;
	}
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
		if (hs_activate(&act, err, sizeof(err)) == -1) {
			hs_atomic_abort(file);
			hs_errx("%s", err);
		}
		o.host = act.host;
		o.port = act.port;
	}
	if (exec != NULL) {
		hs_activate_argv(exec, "relay", o.host, o.port, relay,
		    relay_cmd, sizeof(relay_cmd));
		o.relay = relay;
	}
	bar.show = !quiet && isatty(STDERR_FILENO);
	o.progress = bar_update;
	o.progress_ctx = &bar;

	rc = hs_capture(&o, err, sizeof(err));
	bar_done(&bar);
	if (rc == -1) {
		hs_atomic_abort(file);
		if (o.write_errno != 0)
			hs_errx("%s: write error: %s", output != NULL ? output :
			    "(stdout)", strerror(o.write_errno));
		if (strcmp(err, "timed out") == 0 ||
		    strstr(err, ": timed out") != NULL)
			hs_errx("%s:%s: %s (--timeout %llu)", o.host, o.port,
			    err, (unsigned long long)timeout);
		hs_errx("%s:%s: %s", o.host, o.port, err);
	}
	if (file != NULL && hs_atomic_commit(file, err, sizeof(err)) == -1)
		hs_errx("%s", err);
	if (act.opened && !o.close_inspector)
		hs_warnx("note: the inspector of process %ld stays open at "
		    "%s:%s (--close closes it)", (long)act.pid, o.host, o.port);
	hs_buf_free(&prefix);
	return HS_EXIT_OK;
}

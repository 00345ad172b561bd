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

#include "atomic.h"
#include "capture.h"
#include "cli.h"
#include "conn.h"

static const char usage_text[] =
"usage: hs-capture [-q] [--no-gc] [--target id | regex] [--timeout seconds]\n"
"                  [-o file] --inspect host:port\n";

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

int
main(int argc, char *argv[])
{
	enum { OPT_INSPECT = 256, OPT_TARGET, OPT_NO_GC, OPT_TIMEOUT };
	static const struct option longopts[] = {
		{ "inspect", required_argument, NULL, OPT_INSPECT },
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
	const char *inspect = getenv("HS_INSPECT"), *output = NULL;
	char host[256], err[512];
	uint64_t timeout = 0;
	int ch, quiet = 0, rc;

	hs_cli_init(argv[0]);
	hs_capture_defaults(&o);
	while ((ch = getopt_long(argc, argv, "o:qhV", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_INSPECT:
			inspect = optarg;
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
	if (inspect == NULL || *inspect == '\0')
		hs_errx("no inspector: expected --inspect host:port");
	parse_address(inspect, host, sizeof(host), &o);
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
	return HS_EXIT_OK;
}

/*
 * hs-junit: turn a diff made by hs-diff into a JUnit XML report for CI.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "diff.h"
#include "junit.h"

static const char usage_text[] =
"usage: hs-junit [--exit-zero] [--fail-on severity] [--suite-name name]\n"
"                [--top n] [-o file] [file | -]\n";

static void
usage(int status)
{
	fputs(usage_text, status == 0 ? stdout : stderr);
	if (status == 0)
		fputs("\n"
"Reads a diff written by hs-diff -o (standard input when no file or - is\n"
"given) and writes a JUnit XML report: one test case for the growth of\n"
"the heap and one per class checked.\n"
"\n"
"  --exit-zero        exit 0 even when a check fails\n"
"  --fail-on s        a check fails from severity s: low (default),\n"
"                     medium, high or critical\n"
"  --suite-name name  the test suite's name (memory-leak-detection)\n"
"  --top n            classes checked besides those that passed the\n"
"                     thresholds (default 25; 0 is every class)\n"
"  -o, --output f     write to f (atomically) instead of stdout\n"
"  -h, --help         this help;  -V, --version  the version\n", stdout);
	exit(status);
}

/*
 * Now, or SOURCE_DATE_EPOCH when set (reproducible reports), in UTC and
 * without a zone, as JUnit.xsd wants.
 */
static void
timestamp(char *buf, size_t len)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	uint64_t secs;
	time_t t = time(NULL);
	struct tm tm;

	if (sde != NULL && *sde != '\0') {
		if (hs_parse_size(sde, (uint64_t)LONG_MAX, &secs) == -1)
			hs_errx("SOURCE_DATE_EPOCH: expected a number of "
			    "seconds");
		t = (time_t)secs;
	}
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		hs_errx("cannot format the time");
}

int
main(int argc, char *argv[])
{
	enum { OPT_EXIT_ZERO = 256, OPT_FAIL_ON, OPT_SUITE_NAME, OPT_TOP };
	static const struct option longopts[] = {
		{ "exit-zero", no_argument, NULL, OPT_EXIT_ZERO },
		{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
		{ "suite-name", required_argument, NULL, OPT_SUITE_NAME },
		{ "top", required_argument, NULL, OPT_TOP },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct hs_junit_options o;
	struct hs_buf xml = { 0 };
	struct hs_diff *d;
	struct hs_out *out;
	const char *input = "-", *output = NULL;
	char err[512], when[32], host[256];
	int ch, exit_zero = 0, status = HS_EXIT_OK;

	hs_cli_init(argv[0]);
	hs_junit_defaults(&o);
	while ((ch = getopt_long(argc, argv, "o:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_EXIT_ZERO:
			exit_zero = 1;
			break;
		case OPT_FAIL_ON:
			o.fail_on = hs_opt_fail_on(optarg);
			break;
		case OPT_SUITE_NAME:
			if (strspn(optarg, " \t\n\r") == strlen(optarg))
				hs_errx("--suite-name: expected a name");
			o.suite_name = optarg;
			break;
		case OPT_TOP:
			o.top = (size_t)hs_opt_count(optarg, SIZE_MAX - 1,
			    "--top");
			break;
		case 'o':
			output = optarg;
			break;
		case 'h':
			usage(HS_EXIT_OK);
			break;
		case 'V':
			printf("hs-junit %s\n", HS_VERSION);
			return hs_check_stdout() == 0 ? HS_EXIT_OK :
			    HS_EXIT_TROUBLE;
		default:
			usage(HS_EXIT_TROUBLE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		usage(HS_EXIT_TROUBLE);
	if (argc == 1)
		input = argv[0];
	timestamp(when, sizeof(when));
	o.timestamp = when;
	if (gethostname(host, sizeof(host)) == 0 && host[0] != '\0') {
		host[sizeof(host) - 1] = '\0';
		o.hostname = host;
	}

	if ((d = hs_diff_read(input, err, sizeof(err))) == NULL)
		hs_errx("%s: %s", hs_display_name(input), err);
	if (hs_junit_write(d, &o, &xml, err, sizeof(err)) == -1)
		hs_errx("%s", err);
	if (hs_junit_failures(d, &o) > 0 && !exit_zero)
		status = HS_EXIT_FOUND;
	if ((out = hs_out_open(output, 0)) == NULL)
		status = HS_EXIT_TROUBLE;
	else if (hs_out_write(out, xml.data, xml.len) == -1) {
		hs_out_abort(out);
		status = HS_EXIT_TROUBLE;
	} else if (hs_out_commit(out) == -1)
		status = HS_EXIT_TROUBLE;
	hs_buf_free(&xml);
	hs_diff_free(d);
	if (hs_check_stdout() == -1)
		status = HS_EXIT_TROUBLE;
	return status;
}

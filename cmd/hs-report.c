/*
 * hs-report: show a heap summary, or a diff of summaries with its leak
 * verdict, for people (text, markdown, html) or for other programs (TSV,
 * CSV, JSON, a webhook's JSON).
 */
#include <sys/ioctl.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "diff.h"
#include "regex.h"
#include "report.h"
#include "summary.h"
#include "trend.h"

static const char usage_text[] =
"usage: hs-report [--format text|json|markdown|html|csv|tsv|webhook]\n"
"                 [--top n] [--sort key] [--include regex]\n"
"                 [--exclude regex] [--report-url url] [-o file]\n"
"                 [file | -]\n";

static void
usage(int status)
{
	fputs(usage_text, status == 0 ? stdout : stderr);
	if (status == 0)
		fputs("\n"
"Reads a summary made by hs-summarize, a diff made by hs-diff -o or a\n"
"trend made by hs-trend (standard input when no file or - is given), and\n"
"shows its classes: a summary's largest retained size first, a diff's\n"
"leak verdict and its top offenders, a trend's patterns and charts.\n"
"\n"
"  --format f       text (default), markdown, tsv, csv or json;\n"
"                   html and webhook for diffs only\n"
"  --top n          at most n classes (default 25 for a summary's text\n"
"                   and markdown, 10 for a diff's text, markdown and\n"
"                   html, all for the others; 0 is all)\n"
"  --sort key       retained (a summary's default), self, count, name;\n"
"                   distance for summaries; delta, new for diffs (whose\n"
"                   default is hs-diff's rank)\n"
"  --include regex  only classes whose name matches (PCRE2)\n"
"  --exclude regex  leave out classes whose name matches\n"
"  --report-url url webhook: the link to the full report\n"
"  -o, --output f   write to f (atomically) instead of stdout\n"
"  -h, --help       this help;  -V, --version  the version\n", stdout);
	exit(status);
}

/* Colour and the width to fit, only for a terminal on stdout. */
static void
terminal(const char *output, struct hs_report_options *o)
{
	const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");
	struct winsize ws;

	if ((output != NULL && strcmp(output, "-") != 0) ||
	    !isatty(STDOUT_FILENO))
		return;
	o->color = (no_color == NULL || *no_color == '\0') &&
	    (term == NULL || strcmp(term, "dumb") != 0);
	o->width = 80;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		o->width = ws.ws_col;
}

/*
 * A diff is read twice (the summary reader tells the kinds apart, the
 * diff reader then reads it), so a pipe on stdin is first copied to an
 * unnamed temporary file that takes its place.
 */
static void
rewindable_stdin(void)
{
	FILE *tmp;
	char buf[65536];
	size_t n;

	if (lseek(STDIN_FILENO, 0, SEEK_CUR) != -1 || errno != ESPIPE)
		return;
	if ((tmp = tmpfile()) == NULL)
		hs_errx("(stdin): cannot make a temporary file: %s",
		    strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
		if (fwrite(buf, 1, n, tmp) != n)
			hs_errx("(stdin): cannot write a temporary file: %s",
			    strerror(errno));
	if (ferror(stdin))
		hs_errx("(stdin): %s", strerror(errno));
	if (fflush(tmp) == EOF || dup2(fileno(tmp), STDIN_FILENO) == -1 ||
	    lseek(STDIN_FILENO, 0, SEEK_SET) == -1)
		hs_errx("(stdin): cannot read back a temporary file: %s",
		    strerror(errno));
	fclose(tmp);
}

/*
 * Reads input: a summary, or (*diff or *trend set) a diff or a trend.
 * Errors end the run.
 */
static struct hs_summary *
read_input(const char *input, struct hs_diff **diff, struct hs_trend **trend)
{
	struct hs_summary *sum;
	char err[512];
	off_t at = 0;
	int is_trend;

	*diff = NULL;
	*trend = NULL;
	if (strcmp(input, "-") == 0) {
		rewindable_stdin();
		at = lseek(STDIN_FILENO, 0, SEEK_CUR);
	}
	if ((sum = hs_summary_read(input, err, sizeof(err))) == NULL)
		hs_errx("%s: %s", hs_display_name(input), err);
	is_trend = strcmp(hs_summary_kind(sum), HS_TREND_FORMAT) == 0;
	if (!is_trend && strcmp(hs_summary_kind(sum), HS_DIFF_FORMAT) != 0)
		return sum;
	hs_summary_free(sum);
	if (strcmp(input, "-") == 0 && lseek(STDIN_FILENO, at, SEEK_SET) ==
	    -1)
		hs_errx("(stdin): %s", strerror(errno));
	if (is_trend && (*trend = hs_trend_read(input, err, sizeof(err))) ==
	    NULL)
		hs_errx("%s: %s", hs_display_name(input), err);
	if (!is_trend && (*diff = hs_diff_read(input, err, sizeof(err))) ==
	    NULL)
		hs_errx("%s: %s", hs_display_name(input), err);
	return NULL;
}

int
main(int argc, char *argv[])
{
	enum { OPT_FORMAT = 256, OPT_TOP, OPT_SORT, OPT_INCLUDE, OPT_EXCLUDE,
		OPT_URL };
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "top", required_argument, NULL, OPT_TOP },
		{ "sort", required_argument, NULL, OPT_SORT },
		{ "include", required_argument, NULL, OPT_INCLUDE },
		{ "exclude", required_argument, NULL, OPT_EXCLUDE },
		{ "report-url", required_argument, NULL, OPT_URL },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct hs_report_options o;
	struct hs_summary *sum;
	struct hs_diff *diff;
	struct hs_trend *trend;
	struct hs_out *out;
	const char *input = "-", *output = NULL;
	char err[512];
	uint64_t top;
	int ch, status = HS_EXIT_OK;

	hs_cli_init(argv[0]);
	hs_report_defaults(&o);
	while ((ch = getopt_long(argc, argv, "o:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_FORMAT:
			if (hs_report_format_parse(optarg, &o.format) == -1)
				hs_errx("--format: expected text, json, "
				    "markdown, html, csv, tsv or webhook");
			break;
		case OPT_TOP:
			if (hs_parse_size(optarg, SIZE_MAX - 1, &top) == -1)
				hs_errx("--top: expected a number");
			o.top = (size_t)top;
			break;
		case OPT_SORT:
			if (hs_report_sort_parse(optarg, &o.sort) == -1)
				hs_errx("--sort: expected retained, self, "
				    "count, distance, name, delta or new");
			break;
		case OPT_INCLUDE:
			o.include = hs_opt_regex(o.include, optarg,
			    "--include");
			break;
		case OPT_EXCLUDE:
			o.exclude = hs_opt_regex(o.exclude, optarg,
			    "--exclude");
			break;
		case OPT_URL:
			o.report_url = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 'h':
			usage(HS_EXIT_OK);
			break;
		case 'V':
			printf("hs-report %s\n", HS_VERSION);
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
	terminal(output, &o);

	sum = read_input(input, &diff, &trend);
	if ((out = hs_out_open(output, 0)) == NULL)
		status = HS_EXIT_TROUBLE;
	else if ((trend != NULL ? hs_report_trend(trend, &o, hs_out_write,
	    out, err, sizeof(err)) : diff != NULL ? hs_report_diff(diff, &o,
	    hs_out_write, out, err, sizeof(err)) : hs_report(sum, &o,
	    hs_out_write, out, err, sizeof(err))) == -1) {
		if (err[0] != '\0')
			hs_warnx("%s: %s", hs_display_name(input), err);
		hs_out_abort(out);
		status = HS_EXIT_TROUBLE;
	} else if (hs_out_commit(out) == -1)
		status = HS_EXIT_TROUBLE;
	hs_summary_free(sum);
	hs_diff_free(diff);
	hs_trend_free(trend);
	hs_regex_free(o.include);
	hs_regex_free(o.exclude);
	if (hs_check_stdout() == -1)
		status = HS_EXIT_TROUBLE;
	return status;
}

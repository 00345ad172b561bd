/*
 * hs-trend: how classes grow across a series of summaries of one process,
 * or how memory grows across memory samples; which grow like a leak.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "buf.h"
#include "cli.h"
#include "diff.h"
#include "regex.h"
#include "summary.h"
#include "trend.h"

static const char usage_text[] =
"usage: hs-trend [-q] [--fail-on severity] [--threshold size]\n"
"                [--min-count n] [--include regex] [--exclude regex]\n"
"                [--top n] [--format text|json] [-o file] file ...\n";

static void
usage(int status)
{
	fputs(usage_text, status == 0 ? stdout : stderr);
	if (status == 0)
		fputs("\n"
"Reads three or more summaries of one process (made by hs-summarize, in\n"
"any order), or memory samples as JSON lines (hs-samples(5); - is stdin),\n"
"and tells for each class, the whole heap, or each measure: its pattern\n"
"(stable, spike, linear, exponential, leak), growth per minute, fit and\n"
"confidence.  Exits 1 when a class is a leak of at least --fail-on.\n"
"\n"
"  --fail-on s      low (default), medium, high or critical\n"
"  --threshold size growth that counts (default 10MiB; 512KB, 1048576)\n"
"  --min-count n    objects more that count (default 0)\n"
"  --include regex  only classes whose name matches (PCRE2)\n"
"  --exclude regex  leave out classes whose name matches\n"
"  --top n          keep the n first classes (default all; 25 shown)\n"
"  --format f       text or json (JSON lines, hs-trend(5)); default text\n"
"                   on a terminal or with -o, json on a pipe or a file\n"
"  -o, --output f   write to f, atomically\n"
"  -q, --quiet      print nothing; only the exit status\n"
"  -h, --help       this help;  -V, --version  the version\n", stdout);
	exit(status);
}

/* Reads the inputs: all summaries or all samples; errors end the run. */
static struct hs_summary **
read_inputs(char **paths, int n, struct hs_samples *smp, size_t *nsums)
{
	struct hs_summary **sums;
	char err[512];
	int i, r;

	if ((sums = hs_calloc((size_t)n, sizeof(*sums))) == NULL)
		hs_errx("out of memory");
	*nsums = 0;
	for (i = 0; i < n; i++) {
		const char *name = hs_display_name(paths[i]);

		if ((r = hs_samples_read(paths[i], smp, err, sizeof(err))) ==
		    -1)
			hs_errx("%s: %s", name, err);
		if (r == 1) {
			if (*nsums > 0)
				hs_errx("%s: memory samples among summaries: "
				    "expected one or the other", name);
			continue;
		}
		if (smp->n > 0)
			hs_errx("%s: a summary among memory samples: "
			    "expected one or the other", name);
		if (strcmp(paths[i], "-") == 0)
			hs_errx("(stdin): summaries are read from files, not "
			    "from -");
		if ((sums[*nsums] = hs_summary_read(paths[i], err,
		    sizeof(err))) == NULL)
			hs_errx("%s: %s", name, err);
		(*nsums)++;
	}
	return sums;
}

int
main(int argc, char *argv[])
{
	enum { OPT_FAIL_ON = 256, OPT_THRESHOLD, OPT_MIN_COUNT, OPT_INCLUDE,
	    OPT_EXCLUDE, OPT_TOP, OPT_FORMAT };
	static const struct option longopts[] = {
		{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
		{ "threshold", required_argument, NULL, OPT_THRESHOLD },
		{ "min-count", required_argument, NULL, OPT_MIN_COUNT },
		{ "include", required_argument, NULL, OPT_INCLUDE },
		{ "exclude", required_argument, NULL, OPT_EXCLUDE },
		{ "top", required_argument, NULL, OPT_TOP },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct hs_trend_options o;
	struct hs_samples smp = { 0 };
	struct hs_summary **sums;
	struct hs_buf text = { 0 };
	struct hs_trend *t;
	struct hs_out *out;
	enum hs_severity fail_on = HS_SEV_LOW;
	const char *output = NULL, *format = NULL;
	size_t nsums = 0, i;
	int ch, quiet = 0, status, json;

	hs_cli_init(argv[0]);
	hs_trend_defaults(&o);
	o.producer = "hs-trend " HS_VERSION;
	while ((ch = getopt_long(argc, argv, "o:qhV", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_FAIL_ON:
			fail_on = hs_opt_fail_on(optarg);
			break;
		case OPT_THRESHOLD:
			o.threshold = hs_opt_threshold(optarg);
			break;
		case OPT_MIN_COUNT:
			o.min_count = hs_opt_count(optarg, UINT64_MAX,
			    "--min-count");
			break;
		case OPT_INCLUDE:
			o.include = hs_opt_regex(o.include, optarg,
			    "--include");
			break;
		case OPT_EXCLUDE:
			o.exclude = hs_opt_regex(o.exclude, optarg,
			    "--exclude");
			break;
		case OPT_TOP:
			o.top = (size_t)hs_opt_count(optarg, SIZE_MAX - 1,
			    "--top");
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "text") != 0 &&
			    strcmp(optarg, "json") != 0)
				hs_errx("--format: expected text or json");
			format = optarg;
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
			printf("hs-trend %s\n", HS_VERSION);
			return hs_check_stdout() == 0 ? HS_EXIT_OK :
			    HS_EXIT_TROUBLE;
		default:
			usage(HS_EXIT_TROUBLE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage(HS_EXIT_TROUBLE);

	sums = read_inputs(argv, argc, &smp, &nsums);
	if ((t = hs_trend_new()) == NULL)
		hs_errx("out of memory");
	if ((nsums > 0 ? hs_trend_summaries(t, sums, nsums, &o) :
	    hs_trend_samples(t, &smp, &o)) == -1)
		hs_errx("%s", hs_trend_error(t));
	if (t->ids_skipped != NULL && !quiet)
		hs_warnx("warning: object ids not compared: %s",
		    t->ids_skipped);
	status = t->leaks > 0 && t->severity >= fail_on ? HS_EXIT_FOUND :
	    HS_EXIT_OK;

	/*
	 * As hs-diff: a terminal (or -o) gets the table, anything else (a
	 * pipe into hs-report, a file) the trend itself as JSON lines.
	 */
	json = format != NULL ? strcmp(format, "json") == 0 :
	    output == NULL && !isatty(STDOUT_FILENO);
	if (!quiet) {
		if ((out = hs_out_open(output, 0)) == NULL)
			status = HS_EXIT_TROUBLE;
		else if (json && hs_trend_write(t, hs_out_write, out) == -1) {
			if (hs_trend_error(t)[0] != '\0')
				hs_warnx("%s", hs_trend_error(t));
			hs_out_abort(out);
			status = HS_EXIT_TROUBLE;
		} else if (!json && hs_trend_text(t, o.top > 0 ? o.top : 25,
		    &text) == -1) {
			hs_out_abort(out);
			hs_errx("out of memory");
		} else if (!json && hs_out_write(out, text.data, text.len) ==
		    -1) {
			hs_out_abort(out);
			status = HS_EXIT_TROUBLE;
		} else if (hs_out_commit(out) == -1)
			status = HS_EXIT_TROUBLE;
	}
	hs_buf_free(&text);
	hs_trend_free(t);
	for (i = 0; i < nsums; i++)
		hs_summary_free(sums[i]);
	hs_free(sums);
	hs_samples_free(&smp);
	hs_regex_free(o.include);
	hs_regex_free(o.exclude);
	if (hs_check_stdout() == -1)
		status = HS_EXIT_TROUBLE;
	return status;
}

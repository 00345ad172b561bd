/*
 * hs-diff: compare two heap summaries (before, after) or three (baseline,
 * target, final), say whether the heap leaks and what leaks.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "diff.h"
#include "diff_rules.h"
#include "regex.h"
#include "summary.h"

static const char usage_text[] =
"usage: hs-diff [-q] [--fail-on severity] [--threshold size]\n"
"               [--growth ratio] [--min-count n] [--include regex]\n"
"               [--exclude regex] [--suppress file] [--top n] [-o file]\n"
"               before after [final]\n";

/* File scope, so that an exit on a bad option leaves them reachable. */
static struct hs_rules *suppress, *patterns;

static void
usage(int status)
{
	fputs(usage_text, status == 0 ? stdout : stderr);
	if (status == 0)
		fputs("\n"
"Compares summaries made by hs-summarize, oldest first, prints a verdict\n"
"and the classes that grew, and exits 1 when a class (or the heap) grew\n"
"past the thresholds with a severity at least that of --fail-on.\n"
"\n"
"  --fail-on s      low (default), medium, high or critical\n"
"  --threshold size growth that counts (default 10MiB; 512KB, 1048576)\n"
"  --growth ratio   relative growth that counts (default 0.1, or 10%)\n"
"  --min-count n    objects more that count (default 0)\n"
"  --include regex  only classes whose name matches (PCRE2)\n"
"  --exclude regex  leave out classes whose name matches\n"
"  --suppress file  suppressions (default share/hs/rules/suppress-node.conf)\n"
"  --top n          keep the n first classes (default all; 25 shown)\n"
"  -o, --output f   write the diff (hs-diff(5)) to f, atomically\n"
"  -q, --quiet      print no report\n"
"  -h, --help       this help;  -V, --version  the version\n", stdout);
	exit(status);
}

/* Loads the default rules file name from the data directory, if any. */
static void
load_default(struct hs_rules *r, const char *name, int is_patterns)
{
	char dir[4096], path[4200];

	hs_datadir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/rules/%s", dir, name);
	if ((is_patterns ? hs_rules_load_patterns(r, path) :
	    hs_rules_load_suppress(r, path)) == -1) {
		/* A broken installation is worth a warning; no memory is not. */
		if (strstr(hs_rules_error(r), "out of memory") != NULL)
			hs_errx("%s", hs_rules_error(r));
		hs_warnx("%s; going on without it", hs_rules_error(r));
	}
}

static struct hs_summary *
read_summary(const char *path)
{
	struct hs_summary *s;
	char err[512];

	if ((s = hs_summary_read(path, err, sizeof(err))) == NULL)
		hs_errx("%s: %s", hs_display_name(path), err);
	if (strcmp(hs_summary_kind(s), HS_SUMMARY_FORMAT) != 0)
		hs_errx("%s: this is an %s file, not a summary (hs-diff "
		    "compares summaries made by hs-summarize)",
		    hs_display_name(path), hs_summary_kind(s));
	return s;
}

int
main(int argc, char *argv[])
{
	enum { OPT_FAIL_ON = 256, OPT_THRESHOLD, OPT_GROWTH, OPT_MIN_COUNT,
	    OPT_INCLUDE, OPT_EXCLUDE, OPT_SUPPRESS, OPT_TOP };
	static const struct option longopts[] = {
		{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
		{ "threshold", required_argument, NULL, OPT_THRESHOLD },
		{ "growth", required_argument, NULL, OPT_GROWTH },
		{ "min-count", required_argument, NULL, OPT_MIN_COUNT },
		{ "include", required_argument, NULL, OPT_INCLUDE },
		{ "exclude", required_argument, NULL, OPT_EXCLUDE },
		{ "suppress", required_argument, NULL, OPT_SUPPRESS },
		{ "top", required_argument, NULL, OPT_TOP },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct hs_diff_options o;
	struct hs_summary *sums[3] = { NULL, NULL, NULL };
	struct hs_buf text = { 0 };
	struct hs_diff *d;
	struct hs_out *out = NULL;
	enum hs_severity fail_on = HS_SEV_LOW;
	const char *output = NULL;
	int plain, report;
	int ch, i, quiet = 0, own_suppress = 0, status;

	hs_cli_init(argv[0]);
	hs_diff_defaults(&o);
	o.producer = "hs-diff " HS_VERSION;
	if ((suppress = hs_rules_new()) == NULL ||
	    (patterns = hs_rules_new()) == NULL)
		hs_errx("out of memory");
	while ((ch = getopt_long(argc, argv, "o:qhV", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_FAIL_ON:
			fail_on = hs_opt_fail_on(optarg);
			break;
		case OPT_THRESHOLD:
			o.threshold = hs_opt_threshold(optarg);
			break;
		case OPT_GROWTH:
			if (hs_diff_parse_ratio(optarg, &o.growth) == -1)
				hs_errx("--growth: expected a ratio such as "
				    "0.1 or 10%%");
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
		case OPT_SUPPRESS:
			own_suppress = 1;
			if (hs_rules_load_suppress(suppress, optarg) == -1)
				hs_errx("--suppress: %s",
				    hs_rules_error(suppress));
			break;
		case OPT_TOP:
			o.top = (size_t)hs_opt_count(optarg, SIZE_MAX - 1,
			    "--top");
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
			printf("hs-diff %s\n", HS_VERSION);
			return hs_check_stdout() == 0 ? HS_EXIT_OK :
			    HS_EXIT_TROUBLE;
		default:
			usage(HS_EXIT_TROUBLE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2 || argc > 3)
		usage(HS_EXIT_TROUBLE);
	if (!own_suppress)
		load_default(suppress, "suppress-node.conf", 0);
	load_default(patterns, "patterns.conf", 1);
	o.suppress = suppress;
	o.patterns = patterns;

	for (i = 0; i < argc; i++)
		sums[i] = read_summary(argv[i]);
	if ((d = hs_diff_new()) == NULL)
		hs_errx("out of memory");
	if (hs_diff_compute(d, sums, argc, &o) == -1)
		hs_errx("%s", hs_diff_error(d));
	if (d->ids_skipped != NULL)
		hs_warnx("warning: object ids not compared: %s",
		    d->ids_skipped);
	status = d->severity != HS_SEV_NONE && d->severity >= fail_on ?
	    HS_EXIT_FOUND : HS_EXIT_OK;

	/*
	 * With no -o, a terminal gets the report and anything else (a pipe
	 * into hs-report or hs-junit, a file) the diff itself, as plain JSON
	 * lines: readable too where a CI job's output ends in its log.
	 */
	plain = output == NULL && !quiet && !isatty(STDOUT_FILENO);
	if (plain)
		output = "-";
	/*
	 * -o - puts the diff itself on stdout, so no report there.  The
	 * report is made first: no memory for it must not leave a diff file
	 * behind an exit status of 2.
	 */
	report = !quiet && (output == NULL || strcmp(output, "-") != 0);
	if (report && hs_diff_text(d, o.top > 0 ? o.top : 25, &text) == -1)
		hs_errx("out of memory");
	if (output != NULL) {
		if ((out = hs_out_open(output, !plain)) == NULL)
			status = HS_EXIT_TROUBLE;
		else if (hs_diff_write(d, hs_out_write, out, plain ? -1 : 0) ==
		    -1) {
			if (hs_diff_error(d)[0] != '\0')
				hs_warnx("%s", hs_diff_error(d));
			hs_out_abort(out);
			status = HS_EXIT_TROUBLE;
		} else if (hs_out_commit(out) == -1)
			status = HS_EXIT_TROUBLE;
	}
	if (report && status != HS_EXIT_TROUBLE)
		fwrite(text.data, 1, text.len, stdout);
	hs_buf_free(&text);
	hs_diff_free(d);
	for (i = 0; i < argc; i++)
		hs_summary_free(sums[i]);
	hs_rules_free(suppress);
	hs_rules_free(patterns);
	hs_regex_free(o.include);
	hs_regex_free(o.exclude);
	if (hs_check_stdout() == -1)
		status = HS_EXIT_TROUBLE;
	return status;
}

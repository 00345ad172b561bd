/*
 * hs-summarize: reduce a V8 heap snapshot to a compact summary.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "regex.h"
#include "summarize.h"

static const char usage_text[] =
"usage: hs-summarize [-q] [--stats] [--raw] [--no-ids] [--redact regex]\n"
"                    [--label label] [--session id] [--captured time]\n"
"                    [--level n] [-o file] [file | -]\n";

static void
usage(int status)
{
	fputs(usage_text, status == 0 ? stdout : stderr);
	if (status == 0)
		fputs("\n"
"Reads a heap snapshot (plain or zstd-compressed JSON; standard input\n"
"when no file or - is given) and writes its summary (hs-summary(5)).\n"
"\n"
"  -o, --output file   write to file (atomically) instead of stdout\n"
"  -q, --quiet         no progress line on a terminal\n"
"      --stats         time and peak memory per phase, on stderr\n"
"      --raw           raw self sizes and no shape names (not DevTools')\n"
"      --no-ids        leave out object ids (smaller; no new-object diffs)\n"
"      --redact regex  leave out names that match (PCRE2)\n"
"      --label label   --session id  --captured time\n"
"                      describe the snapshot (else from its file name)\n"
"      --level n       zstd level, 1 to 19 (default 1)\n"
"  -h, --help          this help;  -V, --version  the version\n", stdout);
	exit(status);
}

int
main(int argc, char *argv[])
{
	enum { OPT_STATS = 256, OPT_RAW, OPT_NO_IDS, OPT_REDACT, OPT_LABEL,
	    OPT_SESSION, OPT_CAPTURED, OPT_LEVEL };
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "stats", no_argument, NULL, OPT_STATS },
		{ "raw", no_argument, NULL, OPT_RAW },
		{ "no-ids", no_argument, NULL, OPT_NO_IDS },
		{ "redact", required_argument, NULL, OPT_REDACT },
		{ "label", required_argument, NULL, OPT_LABEL },
		{ "session", required_argument, NULL, OPT_SESSION },
		{ "captured", required_argument, NULL, OPT_CAPTURED },
		{ "level", required_argument, NULL, OPT_LEVEL },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct hs_summarize_options o;
	struct hs_progress *progress;
	struct hs_out *out;
	const char *input = "-", *output = NULL;
	char err[512], namebuf[512];
	int ch, quiet = 0, stats = 0, ok;
	uint64_t level;

	hs_cli_init(argv[0]);
	hs_summarize_defaults(&o);
	while ((ch = getopt_long(argc, argv, "o:qhV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			output = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case OPT_STATS:
			stats = 1;
			break;
		case OPT_RAW:
			o.analysis.raw = 1;
			break;
		case OPT_NO_IDS:
			o.meta.with_ids = 0;
			break;
		case OPT_REDACT:
			hs_regex_free(o.analysis.redact);
			if ((o.analysis.redact = hs_regex_new(optarg, 0, err,
			    sizeof(err))) == NULL)
				hs_errx("--redact: %s", err);
			o.meta.redacted = 1;
			break;
		case OPT_LABEL:
			o.meta.label = optarg;
			break;
		case OPT_SESSION:
			o.meta.session = optarg;
			break;
		case OPT_CAPTURED:
			o.meta.captured = optarg;
			break;
		case OPT_LEVEL:
			if (hs_parse_size(optarg, 19, &level) == -1 ||
			    level < 1)
				hs_errx("--level: expected a number from 1 to "
				    "19");
			o.meta.level = (int)level;
			break;
		case 'h':
			usage(HS_EXIT_OK);
			break;
		case 'V':
			printf("hs-summarize %s\n", HS_VERSION);
			return HS_EXIT_OK;
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
	o.meta.source_name = hs_display_name(input);
	hs_summary_parse_filename(input, &o.meta, namebuf, sizeof(namebuf));

	if ((out = hs_out_open(output, 1)) == NULL)
		return HS_EXIT_TROUBLE;
	progress = hs_progress_new(quiet, stats);
	o.progress = hs_progress_update;
	o.ctx = progress;
	ok = hs_summarize(input, &o, hs_out_write, out, err, sizeof(err)) == 0;
	hs_progress_done(progress, ok);
	if (!ok) {
		if (err[0] != '\0')
			hs_warnx("%s: %s", hs_display_name(input), err);
		hs_out_abort(out);
		hs_regex_free(o.analysis.redact);
		return HS_EXIT_TROUBLE;
	}
	hs_regex_free(o.analysis.redact);
	if (hs_out_commit(out) == -1)
		return HS_EXIT_TROUBLE;
	return HS_EXIT_OK;
}

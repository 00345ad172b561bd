/*
 * fuzz_rules: libFuzzer target for the rules parsers of hs-diff
 * (hs_rules_parse_suppress and hs_rules_parse_patterns in
 * lib/diff_rules.h), which read share/hs/rules/ files and the files given
 * to --suppress.  The first byte picks the parser (even: suppressions,
 * odd: patterns); the rest is the file's text.  Rules that load are then
 * matched against a few class names.  Built and run by "make fuzz".
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "diff_rules.h"
#include "regex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "Object", "(compiled code)",
	    "system / Context", "Detached HTMLDivElement", "", NULL };
	struct hs_rules *r;
	size_t i, j;
	int rc;

	if (size == 0 || (r = hs_rules_new()) == NULL)
		return 0;
	if (data[0] & 1)
		rc = hs_rules_parse_patterns(r, "fuzz", (const char *)data + 1,
		    size - 1);
	else
		rc = hs_rules_parse_suppress(r, "fuzz", (const char *)data + 1,
		    size - 1);
	if (rc == 0)
		for (i = 0; names[i] != NULL; i++) {
			(void)hs_rules_suppressed(r, names[i], 1000);
			for (j = 0; j < r->count; j++)
				if (r->rules[j].retainer != NULL)
					(void)hs_regex_match(r->rules[j].retainer,
					    names[i], strlen(names[i]));
		}
	hs_rules_free(r);
	return 0;
}

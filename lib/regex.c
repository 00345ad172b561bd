/*
 * regex: PCRE2 with limits (see regex.h).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>

#include "alloc.h"
#include "regex.h"

#define MATCH_LIMIT	1000000
#define DEPTH_LIMIT	10000
#define HEAP_LIMIT_KIB	65536

struct hs_regex {
	pcre2_code		*code;
	pcre2_match_data	*md;
	pcre2_match_context	*mctx;
	pcre2_jit_stack		*jit_stack;
	int			 failed;	/* a match hit a limit */
};

struct hs_regex *
hs_regex_new(const char *pattern, int flags, char *err, size_t errlen)
{
	struct hs_regex *re;
	PCRE2_UCHAR msg[160];
	PCRE2_SIZE erroff;
	uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
	int code;

	if (flags & HS_RE_CASELESS)
		opts |= PCRE2_CASELESS;
	if ((re = hs_calloc(1, sizeof(*re))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	re->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	    opts, &code, &erroff, NULL);
	if (re->code == NULL) {
		pcre2_get_error_message(code, msg, sizeof(msg));
		snprintf(err, errlen, "bad regular expression at offset %zu: "
		    "%s", (size_t)erroff, (char *)msg);
		hs_free(re);
		return NULL;
	}
	if ((re->md = pcre2_match_data_create_from_pattern(re->code,
	    NULL)) == NULL ||
	    (re->mctx = pcre2_match_context_create(NULL)) == NULL) {
		snprintf(err, errlen, "out of memory");
		hs_regex_free(re);
		return NULL;
	}
	pcre2_set_match_limit(re->mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(re->mctx, DEPTH_LIMIT);
	pcre2_set_heap_limit(re->mctx, HEAP_LIMIT_KIB);
	/*
	 * HS_REGEX_NO_JIT: the interpreter only (make check-valgrind: the
	 * JIT's SIMD reads past a subject's end look uninitialised there).
	 */
	if (getenv("HS_REGEX_NO_JIT") == NULL &&
	    pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE) == 0 &&
	    (re->jit_stack = pcre2_jit_stack_create(32 * 1024, 512 * 1024,
	    NULL)) != NULL)
		pcre2_jit_stack_assign(re->mctx, NULL, re->jit_stack);
	return re;
}

int
hs_regex_match(struct hs_regex *re, const char *s, size_t len)
{
	int rc;

	/* Once a limit was hit, the run is over: don't spend it again. */
	if (re->failed)
		return -1;
	rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, 0, re->md,
	    re->mctx);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	re->failed = 1;
	return -1;
}

int
hs_regex_failed(const struct hs_regex *re)
{
	return re != NULL && re->failed;
}

void
hs_regex_free(struct hs_regex *re)
{
	if (re == NULL)
		return;
	pcre2_jit_stack_free(re->jit_stack);
	pcre2_match_context_free(re->mctx);
	pcre2_match_data_free(re->md);
	pcre2_code_free(re->code);
	hs_free(re);
}

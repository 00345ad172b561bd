/*
 * diff_rules: suppressions and leak patterns for hs-diff (see
 * diff_rules.h).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "buf.h"
#include "diff.h"
#include "diff_rules.h"
#include "regex.h"

#ifndef HS_DATADIR
#define HS_DATADIR	"/usr/local/share/hs"
#endif

/* Rule files are small; this bounds a mistaken argument (a snapshot). */
#define MAX_RULES_FILE	(4u << 20)

struct hs_rules *
hs_rules_new(void)
{
	return hs_calloc(1, sizeof(struct hs_rules));
}

const char *
hs_rules_error(const struct hs_rules *r)
{
	return r->err;
}

static void
rule_free(struct hs_rule *r)
{
	hs_free(r->id);
	hs_free(r->class_src);
	hs_free(r->retainer_src);
	hs_regex_free(r->cls);
	hs_regex_free(r->retainer);
	hs_free(r->text);
}

void
hs_rules_free(struct hs_rules *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->count; i++)
		rule_free(&r->rules[i]);
	hs_free(r->rules);
	hs_free(r);
}

static struct hs_rule *
add_rule(struct hs_rules *r)
{
	if (hs_grow(&r->rules, &r->cap, r->count + 1, sizeof(*r->rules)) ==
	    -1)
		return NULL;
	memset(&r->rules[r->count], 0, sizeof(r->rules[0]));
	return &r->rules[r->count++];
}

/* Reads a whole small file; NULL with a message in r->err. */
static char *
slurp(struct hs_rules *r, const char *path, size_t *lenp)
{
	struct hs_buf b = { 0 };
	char chunk[8192];
	size_t n;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(r->err, sizeof(r->err), "%s: %s", path,
		    strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b.len + n > MAX_RULES_FILE) {
			snprintf(r->err, sizeof(r->err), "%s: too large for "
			    "a rules file", path);
			goto fail;
		}
		if (hs_buf_add(&b, chunk, n) == -1) {
			snprintf(r->err, sizeof(r->err), "out of memory");
			goto fail;
		}
	}
	if (ferror(f)) {
		snprintf(r->err, sizeof(r->err), "%s: read error", path);
		goto fail;
	}
	fclose(f);
	if (hs_buf_cstr(&b) == -1) {
		snprintf(r->err, sizeof(r->err), "out of memory");
		hs_buf_free(&b);
		return NULL;
	}
	*lenp = b.len;
	return b.data;
fail:
	fclose(f);
	hs_buf_free(&b);
	return NULL;
}

/* Strips white space at both ends of s[0..*len) in place. */
static const char *
trim(const char *s, size_t *len)
{
	while (*len > 0 && isspace((unsigned char)*s)) {
		s++;
		(*len)--;
	}
	while (*len > 0 && isspace((unsigned char)s[*len - 1]))
		(*len)--;
	return s;
}

static struct hs_regex *
compile(struct hs_rules *r, const char *name, size_t lineno,
    const char *src)
{
	struct hs_regex *re;
	char err[256];

	if ((re = hs_regex_new(src, 0, err, sizeof(err))) == NULL)
		snprintf(r->err, sizeof(r->err), "%s: line %zu: %s", name,
		    lineno, err);
	return re;
}

int
hs_rules_parse_suppress(struct hs_rules *r, const char *name,
    const char *text, size_t len)
{
	size_t lineno = 0, i = 0;

	while (i < len) {
		const char *line = text + i, *nl = memchr(line, '\n', len - i),
		    *s, *sp;
		size_t n = nl ? (size_t)(nl - line) : len - i, m;
		struct hs_rule *rule;
		uint64_t size;
		char *src;

		i += n + (nl != NULL);
		lineno++;
		s = trim(line, &n);
		if (n == 0 || *s == '#')
			continue;
		if ((src = hs_strndup(s, n)) == NULL)
			goto oom;
		/* The last word is a threshold when it reads as a size. */
		m = n;
		sp = NULL;
		while (m > 0 && !isspace((unsigned char)src[m - 1]))
			m--;
		if (m > 0 && hs_diff_parse_size(src + m, &size) == 0)
			sp = src + m;
		if ((rule = add_rule(r)) == NULL) {
			hs_free(src);
			goto oom;
		}
		if (sp != NULL) {
			rule->has_threshold = 1;
			rule->threshold = size;
			m = (size_t)(sp - src);
			trim(src, &m);
			src[m] = '\0';
		}
		rule->class_src = src;
		if ((rule->cls = compile(r, name, lineno, src)) == NULL)
			return -1;
	}
	return 0;
oom:
	snprintf(r->err, sizeof(r->err), "out of memory");
	return -1;
}

int
hs_rules_load_suppress(struct hs_rules *r, const char *path)
{
	size_t len;
	char *text;
	int rc;

	if ((text = slurp(r, path, &len)) == NULL)
		return -1;
	rc = hs_rules_parse_suppress(r, path, text, len);
	hs_free(text);
	return rc;
}

/* Appends a line of text to a recommendation, with a space between. */
static int
append_text(char **dst, const char *s, size_t n)
{
	size_t old = *dst ? strlen(*dst) : 0;
	char *p;

	if ((p = hs_realloc(*dst, old + n + 2)) == NULL)
		return -1;
	if (old > 0)
		p[old++] = ' ';
	memcpy(p + old, s, n);
	p[old + n] = '\0';
	*dst = p;
	return 0;
}

static int
check_rule(struct hs_rules *r, const char *name, size_t lineno)
{
	struct hs_rule *rule;

	if (r->count == 0)
		return 0;
	rule = &r->rules[r->count - 1];
	if ((rule->cls == NULL && rule->retainer == NULL) ||
	    rule->text == NULL) {
		snprintf(r->err, sizeof(r->err), "%s: line %zu: pattern %s "
		    "needs a class or retainer line and a text line", name,
		    lineno, rule->id);
		return -1;
	}
	return 0;
}

/*
 * Blocks of "pattern ID" followed by indented "class REGEX", "retainer
 * REGEX" and "text ..." lines (text may repeat: the lines join).
 */
int
hs_rules_parse_patterns(struct hs_rules *r, const char *name,
    const char *text, size_t len)
{
	size_t lineno = 0, i = 0, start = r->count;
	struct hs_rule *rule = NULL;

	while (i < len) {
		const char *line = text + i, *nl = memchr(line, '\n', len - i),
		    *s, *arg;
		size_t n = nl ? (size_t)(nl - line) : len - i, kw, an;

		i += n + (nl != NULL);
		lineno++;
		s = trim(line, &n);
		if (n == 0 || *s == '#')
			continue;
		for (kw = 0; kw < n && !isspace((unsigned char)s[kw]); kw++)
			;
		an = n - kw;
		arg = trim(s + kw, &an);
		if (kw == 7 && memcmp(s, "pattern", 7) == 0) {
			if (r->count > start && check_rule(r, name, lineno) ==
			    -1)
				return -1;
			if (an == 0) {
				snprintf(r->err, sizeof(r->err), "%s: line %zu: "
				    "pattern needs a name", name, lineno);
				return -1;
			}
			if ((rule = add_rule(r)) == NULL ||
			    (rule->id = hs_strndup(arg, an)) == NULL)
				goto oom;
			continue;
		}
		if (rule == NULL) {
			snprintf(r->err, sizeof(r->err), "%s: line %zu: "
			    "expected \"pattern NAME\"", name, lineno);
			return -1;
		}
		if (an == 0) {
			snprintf(r->err, sizeof(r->err), "%s: line %zu: "
			    "expected a value", name, lineno);
			return -1;
		}
		if ((kw == 5 && memcmp(s, "class", 5) == 0) ||
		    (kw == 8 && memcmp(s, "retainer", 8) == 0)) {
			int is_class = kw == 5;
			char **src = is_class ? &rule->class_src :
			    &rule->retainer_src;
			struct hs_regex **re = is_class ? &rule->cls :
			    &rule->retainer;

			if (*src != NULL) {
				snprintf(r->err, sizeof(r->err), "%s: line %zu: "
				    "%s given twice", name, lineno,
				    is_class ? "class" : "retainer");
				return -1;
			}
			if ((*src = hs_strndup(arg, an)) == NULL)
				goto oom;
			if ((*re = compile(r, name, lineno, *src)) == NULL)
				return -1;
		} else if (kw == 4 && memcmp(s, "text", 4) == 0) {
			if (append_text(&rule->text, arg, an) == -1)
				goto oom;
		} else {
			snprintf(r->err, sizeof(r->err), "%s: line %zu: "
			    "expected pattern, class, retainer or text", name,
			    lineno);
			return -1;
		}
	}
	if (r->count > start)
		return check_rule(r, name, lineno);
	return 0;
oom:
	snprintf(r->err, sizeof(r->err), "out of memory");
	return -1;
}

int
hs_rules_load_patterns(struct hs_rules *r, const char *path)
{
	size_t len;
	char *text;
	int rc;

	if ((text = slurp(r, path, &len)) == NULL)
		return -1;
	rc = hs_rules_parse_patterns(r, path, text, len);
	hs_free(text);
	return rc;
}

int
hs_rules_suppressed(const struct hs_rules *r, const char *name,
    int64_t growth)
{
	size_t i;
	int m;

	if (r == NULL)
		return 0;
	for (i = 0; i < r->count; i++) {
		const struct hs_rule *rule = &r->rules[i];

		if (rule->cls == NULL)
			continue;
		if ((m = hs_regex_match(rule->cls, name, strlen(name))) == -1)
			return -1;
		if (m == 0)
			continue;
		if (!rule->has_threshold || growth <= 0 ||
		    (uint64_t)growth <= rule->threshold)
			return 1;
	}
	return 0;
}

static int
has_rules(const char *dir)
{
	char path[4096];
	struct stat st;

	if ((size_t)snprintf(path, sizeof(path), "%s/rules/patterns.conf",
	    dir) >= sizeof(path))
		return 0;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* share/hs beside the running program: a build in the source tree. */
static int
beside_program(char *buf, size_t len)
{
	char exe[4096], *slash;
	ssize_t n;

	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) <= 0)
		return 0;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return 0;
	*slash = '\0';
	if ((size_t)snprintf(buf, len, "%s/share/hs", exe) >= len ||
	    !has_rules(buf))
		return 0;
	return 1;
}

const char *
hs_datadir(char *buf, size_t len)
{
	const char *env = getenv("HS_SHARE");

	if (env != NULL && *env != '\0')
		snprintf(buf, len, "%s", env);
	else if (has_rules(HS_DATADIR))
		snprintf(buf, len, "%s", HS_DATADIR);
	else if (beside_program(buf, len))
		;
	else
		snprintf(buf, len, "share/hs");
	return buf;
}

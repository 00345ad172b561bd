/*
 * junit: JUnit XML from a diff (see junit.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "diff.h"
#include "junit.h"
#include "report.h"

void
hs_junit_defaults(struct hs_junit_options *o)
{
	memset(o, 0, sizeof(*o));
	o->suite_name = HS_JUNIT_SUITE;
	o->hostname = "localhost";
	o->fail_on = HS_SEV_LOW;
	o->top = 25;
}

/* Decodes one UTF-8 character; returns its length, 0 when invalid. */
static size_t
utf8_char(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and what lies past U+10FFFF. */
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 ||
	    c > 0x10ffff)) || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* XML 1.0's Char production. */
static int
xml_char(uint32_t c)
{
	return c == 0x9 || c == 0xa || c == 0xd || (c >= 0x20 &&
	    c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 &&
	    c <= 0x10ffff);
}

int
hs_xml_escape(struct hs_buf *b, const char *str, size_t len, int attr)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n;
	uint32_t c;
	int e = 0;

	while (i < len && !e) {
		if ((n = utf8_char(s + i, len - i, &c)) == 0 || !xml_char(c)) {
			e |= hs_buf_adds(b, "\xef\xbf\xbd");
			i += n > 0 ? n : 1;
			continue;
		}
		switch (c) {
		case '&':
			e |= hs_buf_adds(b, "&amp;");
			break;
		case '<':
			e |= hs_buf_adds(b, "&lt;");
			break;
		case '>':
			/* Always, so that "]]>" never appears. */
			e |= hs_buf_adds(b, "&gt;");
			break;
		case '"':
			e |= attr ? hs_buf_adds(b, "&quot;") :
			    hs_buf_addc(b, '"');
			break;
		case '\t':
		case '\n':
		case '\r':
			/* Attribute values would turn them into spaces. */
			e |= attr ? hs_buf_printf(b, "&#%u;", (unsigned)c) :
			    c == '\r' ? hs_buf_adds(b, "&#13;") :
			    hs_buf_addc(b, (char)c);
			break;
		default:
			e |= hs_buf_add(b, s + i, n);
		}
		i += n;
	}
	return e ? -1 : 0;
}

static int
attr(struct hs_buf *b, const char *name, const char *value)
{
	if (hs_buf_printf(b, " %s=\"", name) == -1 ||
	    hs_xml_escape(b, value, strlen(value), 1) == -1 ||
	    hs_buf_addc(b, '"') == -1)
		return -1;
	return 0;
}

static int
property(struct hs_buf *b, const char *name, const char *value)
{
	if (value == NULL)
		return 0;
	if (hs_buf_adds(b, "    <property") == -1 ||
	    attr(b, "name", name) == -1 || attr(b, "value", value) == -1 ||
	    hs_buf_adds(b, "/>\n") == -1)
		return -1;
	return 0;
}

static int
property_u64(struct hs_buf *b, const char *name, uint64_t v)
{
	char tmp[32];

	snprintf(tmp, sizeof(tmp), "%" PRIu64, v);
	return property(b, name, tmp);
}

/* Whether the class gets a test case: findings always, then the top. */
static int
checked(const struct hs_diff_class *c, size_t rank,
    const struct hs_junit_options *o)
{
	return c->severity != HS_SEV_NONE || o->top == 0 || rank < o->top;
}

static int
fails(enum hs_severity s, const struct hs_junit_options *o)
{
	return s != HS_SEV_NONE && s >= o->fail_on;
}

size_t
hs_junit_failures(const struct hs_diff *d, const struct hs_junit_options *o)
{
	size_t i, n = fails(d->total_severity, o);

	for (i = 0; i < d->class_count; i++)
		if (checked(&d->classes[i], i, o) &&
		    fails(d->classes[i].severity, o))
			n++;
	return n;
}

/* A timestamp as JUnit.xsd wants it: YYYY-MM-DDThh:mm:ss, nothing else. */
static int
timestamp_ok(const char *t)
{
	static const char form[] = "dddd-dd-ddTdd:dd:dd";
	size_t i;

	if (t == NULL || strlen(t) != sizeof(form) - 1)
		return 0;
	for (i = 0; form[i]; i++)
		if (form[i] == 'd' ? t[i] < '0' || t[i] > '9' :
		    t[i] != form[i])
			return 0;
	return 1;
}

static int
inputs(struct hs_buf *b, const struct hs_diff *d)
{
	static const char *const roles2[] = { "before", "", "after" };
	static const char *const roles3[] = { "baseline", "target", "final" };
	char name[64];
	int k, e = 0;

	for (k = 0; k < 3; k++) {
		const struct hs_diff_input *in = &d->inputs[k];
		const char *role = d->ninputs == 3 ? roles3[k] : roles2[k];

		if (k == HS_D_MID && d->ninputs != 3)
			continue;
		snprintf(name, sizeof(name), "hs.%s", role);
		e |= property(b, name, in->name ? in->name : "");
		snprintf(name, sizeof(name), "hs.%s.label", role);
		e |= property(b, name, in->label);
		snprintf(name, sizeof(name), "hs.%s.captured", role);
		e |= property(b, name, in->captured);
		snprintf(name, sizeof(name), "hs.%s.total_size", role);
		e |= property_u64(b, name, in->total_size);
		snprintf(name, sizeof(name), "hs.%s.node_count", role);
		e |= property_u64(b, name, in->node_count);
	}
	return e;
}

static int
properties(struct hs_buf *b, const struct hs_diff *d)
{
	char tmp[64];
	int e = 0;

	e |= hs_buf_adds(b, "  <properties>\n");
	e |= property(b, "hs.mode", d->ninputs == 3 ? "triple" : "pair");
	e |= inputs(b, d);
	snprintf(tmp, sizeof(tmp), "%" PRId64, d->total_growth);
	e |= property(b, "hs.total_growth", tmp);
	e |= property(b, "hs.severity", hs_severity_name(d->severity));
	e |= property(b, "hs.suspicious", d->suspicious ? "true" : "false");
	e |= property(b, "hs.likely_source", d->likely_source);
	snprintf(tmp, sizeof(tmp), "%.2f", d->confidence);
	e |= property(b, "hs.confidence", tmp);
	e |= property(b, "hs.ids_compared", d->ids_used ? "true" : "false");
	e |= property_u64(b, "hs.threshold", d->threshold);
	snprintf(tmp, sizeof(tmp), "%g", d->growth);
	e |= property(b, "hs.growth", tmp);
	e |= property_u64(b, "hs.min_count", d->min_count);
	e |= hs_buf_adds(b, "  </properties>\n");
	return e;
}

/* One <testcase>, failing with message and text when it fails. */
static int
testcase(struct hs_buf *b, const char *suite, const char *name,
    const char *classname, enum hs_severity sev, const char *message,
    const char *text, const struct hs_junit_options *o)
{
	int e = 0;
	char cls[512];

	snprintf(cls, sizeof(cls), "%s.%s", suite, classname);
	e |= hs_buf_adds(b, "  <testcase");
	e |= attr(b, "name", name);
	e |= attr(b, "classname", cls);
	e |= hs_buf_adds(b, " time=\"0\"");
	if (!fails(sev, o))
		return e | hs_buf_adds(b, "/>\n");
	e |= hs_buf_adds(b, ">\n    <failure");
	e |= attr(b, "message", message);
	e |= attr(b, "type", hs_severity_name(sev));
	e |= hs_buf_adds(b, ">");
	e |= hs_xml_escape(b, text, strlen(text), 0);
	e |= hs_buf_adds(b, "</failure>\n  </testcase>\n");
	return e;
}

static int
heap_case(struct hs_buf *b, const struct hs_diff *d,
    const struct hs_junit_options *o, const char *report)
{
	char msg[256], s1[48], s2[48];
	uint64_t g = d->total_growth < 0 ? 0 : (uint64_t)d->total_growth;

	snprintf(msg, sizeof(msg), "the heap grew by %s (%s), severity %s",
	    hs_report_size(g, s1, sizeof(s1)),
	    hs_report_size(d->inputs[HS_D_NEW].total_size, s2, sizeof(s2)),
	    hs_severity_name(d->total_severity));
	return testcase(b, o->suite_name, "heap growth", "heap",
	    d->total_severity, msg, report, o);
}

static int
class_case(struct hs_buf *b, const struct hs_diff *d,
    const struct hs_diff_class *c, const struct hs_junit_options *o)
{
	struct hs_buf text = { 0 }, name = { 0 }, msg = { 0 };
	char s1[48];
	uint64_t g = c->delta_retained < 0 ? 0 : (uint64_t)c->delta_retained;
	int e = 0;

	e |= hs_buf_printf(&name, "class %s", c->name);
	e |= hs_buf_printf(&msg, "%s grew by %s", c->name,
	    hs_report_size(g, s1, sizeof(s1)));
	if (d->ids_used)
		e |= hs_buf_printf(&msg, ", %" PRIu64 " new objects",
		    c->new_count);
	if (d->ids_used && d->ninputs == 3)
		e |= hs_buf_printf(&msg, ", %" PRIu64 " leaked",
		    c->leaked_count);
	e |= hs_buf_printf(&msg, ", severity %s",
	    hs_severity_name(c->severity));
	e |= hs_diff_class_text(d, c, &text);
	e |= hs_buf_cstr(&text) | hs_buf_cstr(&name) | hs_buf_cstr(&msg);
	if (e == 0)
		e = testcase(b, o->suite_name, name.data, "classes",
		    c->severity, msg.data, text.data, o);
	hs_buf_free(&text);
	hs_buf_free(&name);
	hs_buf_free(&msg);
	return e;
}

int
hs_junit_write(const struct hs_diff *d, const struct hs_junit_options *o,
    struct hs_buf *b, char *err, size_t errlen)
{
	struct hs_buf report = { 0 };
	const char *p;
	size_t i, tests = 1;
	int e = 0;

	for (p = o->suite_name; p != NULL && *p == ' '; p++)
		;
	if (p == NULL || *p == '\0') {
		snprintf(err, errlen, "the suite name is empty");
		return -1;
	}
	if (!timestamp_ok(o->timestamp)) {
		snprintf(err, errlen, "the timestamp must read "
		    "YYYY-MM-DDThh:mm:ss");
		return -1;
	}
	for (i = 0; i < d->class_count; i++)
		if (checked(&d->classes[i], i, o))
			tests++;
	if (hs_diff_text(d, 0, &report) == -1 || hs_buf_cstr(&report) == -1)
		goto oom;
	e |= hs_buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<testsuite");
	e |= attr(b, "name", o->suite_name);
	e |= attr(b, "timestamp", o->timestamp);
	e |= attr(b, "hostname", o->hostname && *o->hostname ? o->hostname :
	    "localhost");
	e |= hs_buf_printf(b, " tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
	    "skipped=\"0\" time=\"0\">\n", tests, hs_junit_failures(d, o));
	e |= properties(b, d);
	e |= heap_case(b, d, o, report.data);
	for (i = 0; i < d->class_count && !e; i++)
		if (checked(&d->classes[i], i, o))
			e |= class_case(b, d, &d->classes[i], o);
	e |= hs_buf_adds(b, "  <system-out>");
	e |= hs_xml_escape(b, report.data, report.len, 0);
	e |= hs_buf_adds(b, "</system-out>\n  <system-err>");
	if (d->ids_skipped != NULL) {
		e |= hs_buf_adds(b, "object ids not compared: ");
		e |= hs_xml_escape(b, d->ids_skipped, strlen(d->ids_skipped),
		    0);
		e |= hs_buf_adds(b, "\n");
	}
	e |= hs_buf_adds(b, "</system-err>\n</testsuite>\n");
	hs_buf_free(&report);
	if (e)
		goto oom;
	return 0;
oom:
	hs_buf_free(&report);
	snprintf(err, errlen, "out of memory");
	return -1;
}

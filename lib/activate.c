/*
 * activate: open and find a Node.js process's inspector (see activate.h).
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "activate.h"
#include "alloc.h"
#include "buf.h"
#include "capture.h"
#include "conn.h"

#define MAX_FACTS	(4 << 20)	/* the facts' text */
#define SIGUSR1_BIT	(1ULL << (SIGUSR1 - 1))

/*
 * The script the container's node runs: "info PID" prints the facts,
 * "usr1 PID" sends SIGUSR1, "relay HOST PORT" relays a TCP stream over
 * stdin and stdout.  It writes no more than one line to stderr, and
 * nothing when a side just goes away (hs-capture sees that itself).
 */
static const char script[] =
"'use strict';"
"const [m,a,b]=process.argv.slice(1),fs=require('fs');"
"const die=e=>{process.stderr.write('hs-capture relay: '+e.message+'\\n');"
"process.exit(1)};"
"if(m==='relay'){"
"const s=require('net').connect(+b,a);"
"const gone=e=>e.code==='ECONNRESET'||e.code==='EPIPE'?process.exit(0):die(e);"
"s.on('error',gone);process.stdout.on('error',gone);"
"process.stdin.pipe(s);s.pipe(process.stdout,{end:false});"
"s.on('end',()=>process.stdout.write('',()=>process.exit(0)));"
"process.stdin.on('end',()=>s.end());"
"}else if(m==='usr1'){"
"try{process.kill(+a,'SIGUSR1')}catch(e){die(e)}"
"}else{"
"const p='/proc/'+a,o=[];"
"try{o.push('exe '+require('path').basename(fs.readlinkSync(p+'/exe')));"
"const g=/^SigCgt:\\s*(\\S+)/m.exec(fs.readFileSync(p+'/status','utf8'));"
"if(g)o.push('sigcgt '+g[1]);"
"for(const f of fs.readdirSync(p+'/fd')){"
"try{const x=/^socket:\\[(\\d+)\\]$/.exec(fs.readlinkSync(p+'/fd/'+f));"
"if(x)o.push('sock '+x[1])}catch(e){}}"
"for(const t of['tcp','tcp6'])try{fs.readFileSync(p+'/net/'+t,'utf8')"
".split('\\n').slice(1).forEach(l=>{if(l.trim())o.push(t+' '+l.trim())})"
"}catch(e){}"
"}catch(e){o.length=0;o.push('error '+(e.code||'EIO'))}"
"process.stdout.write(o.join('\\n')+'\\n')}";

void
hs_activate_argv(const char *exec, const char *mode, const char *a,
    const char *b, char *argv[11], char *cmd, size_t cmdlen)
{
	snprintf(cmd, cmdlen, "%s \"$@\"", exec);
	argv[0] = (char *)"/bin/sh";
	argv[1] = (char *)"-c";
	argv[2] = cmd;
	argv[3] = (char *)"hs-capture";
	argv[4] = (char *)"node";
	argv[5] = (char *)"-e";
	argv[6] = (char *)script;
	argv[7] = (char *)mode;
	argv[8] = (char *)a;
	argv[9] = a != NULL ? (char *)b : NULL;
	argv[10] = NULL;
}

static int
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- the facts ---- */

static int
hexval(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;
	int d;

	if (n == 0 || n > 16)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			d = s[i] - '0';
		else if (s[i] >= 'a' && s[i] <= 'f')
			d = s[i] - 'a' + 10;
		else if (s[i] >= 'A' && s[i] <= 'F')
			d = s[i] - 'A' + 10;
		else
			return -1;
		v = v << 4 | (uint64_t)d;
	}
	*out = v;
	return 0;
}

/*
 * A listening socket's local address, as /proc/net/tcp{,6} print it: the
 * address as native 32-bit words in hex, a colon, the port in hex.
 */
static int
parse_address(const char *s, size_t n, int v6, struct hs_listener *l)
{
	uint8_t a[16];
	uint64_t w, port;
	size_t words = v6 ? 4 : 1, i;
	uint32_t u;
	int mapped;

	if (n != words * 8 + 5 || s[words * 8] != ':' ||
	    hexval(s + words * 8 + 1, 4, &port) == -1 || port == 0)
		return -1;
	for (i = 0; i < words; i++) {
		if (hexval(s + 8 * i, 8, &w) == -1)
			return -1;
		u = (uint32_t)w;
		memcpy(a + 4 * i, &u, 4);
	}
	snprintf(l->port, sizeof(l->port), "%u", (unsigned)port);
	mapped = v6 && memcmp(a, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0;
	if (!v6 || mapped) {
		const uint8_t *v4 = v6 ? a + 12 : a;

		if (memcmp(v4, "\0\0\0\0", 4) == 0) {
			snprintf(l->host, sizeof(l->host), "127.0.0.1");
			l->loopback = 1;
		} else {
			inet_ntop(AF_INET, v4, l->host, sizeof(l->host));
			l->loopback = v4[0] == 127;
		}
		return 0;
	}
	if (memcmp(a, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16) == 0) {
		snprintf(l->host, sizeof(l->host), "::1");
		l->loopback = 1;
		return 0;
	}
	inet_ntop(AF_INET6, a, l->host, sizeof(l->host));
	l->loopback = memcmp(a, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1", 16) == 0;
	return 0;
}

/* The n-th space-separated field of line (of length len). */
static const char *
field(const char *line, size_t len, int n, size_t *flen)
{
	const char *p = line, *end = line + len;
	int i;

	for (i = 0;; i++) {
		while (p < end && *p == ' ')
			p++;
		if (p == end)
			return NULL;
		*flen = 0;
		while (p + *flen < end && p[*flen] != ' ')
			(*flen)++;
		if (i == n)
			return p;
		p += *flen;
	}
}

int
hs_proc_parse(const char *text, size_t len, pid_t pid,
    struct hs_proc_facts *f, char *err, size_t errlen)
{
	const char *line = text, *end = text + len, *nl, *x;
	uint64_t *socks = NULL, v;
	size_t nsocks = 0, cap = 0, n, xl, i, pass;

	memset(f, 0, sizeof(*f));
	/* Two passes: the socket inodes, then the listeners among them. */
	for (pass = 0; pass < 2; pass++) {
		for (line = text; line < end; line = nl + 1) {
			if ((nl = memchr(line, '\n', (size_t)(end - line))) ==
			    NULL)
				nl = end;
			n = (size_t)(nl - line);
			if (pass == 0 && n > 6 && strncmp(line, "error ", 6) ==
			    0) {
				hs_free(socks);
				if (n - 6 == 6 && strncmp(line + 6, "ENOENT",
				    6) == 0)
					return fail(err, errlen, "no such "
					    "process: %ld", (long)pid);
				if (n - 6 == 6 && strncmp(line + 6, "EACCES",
				    6) == 0)
					return fail(err, errlen, "process "
					    "%ld: permission denied", (long)pid);
				return fail(err, errlen, "process %ld: "
				    "cannot read its /proc entries", (long)pid);
			}
			if (pass == 0 && n > 4 && strncmp(line, "exe ", 4) ==
			    0) {
				xl = n - 4 < sizeof(f->exe) - 1 ? n - 4 :
				    sizeof(f->exe) - 1;
				memcpy(f->exe, line + 4, xl);
				f->exe[xl] = '\0';
			} else if (pass == 0 && n > 7 &&
			    strncmp(line, "sigcgt ", 7) == 0 &&
			    hexval(line + 7, n - 7, &v) == 0) {
				f->have_sigcgt = 1;
				f->usr1_caught = (v & SIGUSR1_BIT) != 0;
			} else if (pass == 0 && n > 5 &&
			    strncmp(line, "sock ", 5) == 0) {
				if (hs_grow(&socks, &cap, nsocks + 1,
				    sizeof(*socks)) == -1) {
					hs_free(socks);
					return fail(err, errlen,
					    "out of memory");
				}
				socks[nsocks] = strtoull(line + 5, NULL, 10);
				nsocks++;
			} else if (pass == 1 && f->nlisten < HS_MAX_LISTEN &&
			    (strncmp(line, "tcp ", 4) == 0 ||
			    strncmp(line, "tcp6 ", 5) == 0)) {
				int v6 = line[3] == '6';
				const char *rest = line + (v6 ? 5 : 4);
				size_t rl = n - (v6 ? 5 : 4);
				struct hs_listener *l = &f->listen[f->nlisten];

				/* Only LISTEN (0A) sockets of this process. */
				if ((x = field(rest, rl, 3, &xl)) == NULL ||
				    xl != 2 || strncmp(x, "0A", 2) != 0 ||
				    (x = field(rest, rl, 9, &xl)) == NULL)
					continue;
				v = strtoull(x, NULL, 10);
				for (i = 0; i < nsocks && socks[i] != v; i++)
					;
				if (i == nsocks)
					continue;
				if ((x = field(rest, rl, 1, &xl)) == NULL ||
				    parse_address(x, xl, v6, l) == -1)
					continue;
				l->inode = v;
				f->nlisten++;
			}
			if (nl == end)
				break;
		}
	}
	hs_free(socks);
	if (f->exe[0] == '\0')
		return fail(err, errlen, "process %ld: cannot read its "
		    "/proc entries", (long)pid);
	return 0;
}

/* Appends "PREFIX LINE\n" for each line of a file (after its header). */
static int
add_file_lines(struct hs_buf *b, const char *path, const char *prefix,
    int skip_header)
{
	char line[512];
	FILE *fp;
	int rc = 0;

	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (skip_header) {
			skip_header = 0;
			continue;
		}
		line[strcspn(line, "\n")] = '\0';
		if (hs_buf_printf(b, "%s %s\n", prefix, line + strspn(line,
		    " ")) == -1)
			rc = -1;
	}
	fclose(fp);
	return rc;
}

/* The facts of a local process, as text. */
static int
read_local(pid_t pid, struct hs_buf *b)
{
	char path[64], link[PATH_MAX], line[256];
	const char *base;
	struct dirent *de;
	ssize_t n;
	DIR *d;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%ld/exe", (long)pid);
	if ((n = readlink(path, link, sizeof(link) - 1)) == -1) {
		const char *code = errno == ENOENT || errno == ESRCH ?
		    "ENOENT" : errno == EACCES || errno == EPERM ? "EACCES" :
		    "EIO";

		return hs_buf_printf(b, "error %s\n", code);
	}
	link[n] = '\0';
	base = strrchr(link, '/');
	if (hs_buf_printf(b, "exe %s\n", base ? base + 1 : link) == -1)
		return -1;
	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	if ((fp = fopen(path, "r")) != NULL) {
		while (fgets(line, sizeof(line), fp) != NULL)
			if (strncmp(line, "SigCgt:", 7) == 0)
				hs_buf_printf(b, "sigcgt %s", line + 7 +
				    strspn(line + 7, " \t"));
		fclose(fp);
	}
	snprintf(path, sizeof(path), "/proc/%ld/fd", (long)pid);
	if ((d = opendir(path)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			char fd[320];

			if (de->d_name[0] == '.')
				continue;
			snprintf(fd, sizeof(fd), "%s/%s", path, de->d_name);
			if ((n = readlink(fd, link, sizeof(link) - 1)) <= 0)
				continue;
			link[n] = '\0';
			if (strncmp(link, "socket:[", 8) == 0)
				hs_buf_printf(b, "sock %s\n", link + 8);
		}
		closedir(d);
	}
	snprintf(path, sizeof(path), "/proc/%ld/net/tcp", (long)pid);
	if (add_file_lines(b, path, "tcp", 1) == -1)
		return -1;
	snprintf(path, sizeof(path), "/proc/%ld/net/tcp6", (long)pid);
	return add_file_lines(b, path, "tcp6", 1);
}

/* Runs the script in the container; its output (bounded) goes to b. */
static int
run_script(struct hs_activate_options *o, const char *mode, struct hs_buf *b,
    char *err, size_t errlen)
{
	struct hs_conn c;
	char *argv[11], cmd[4096], pid[24];
	char chunk[4096];
	ssize_t n;

	memset(&c, 0, sizeof(c));
	c.deadline = o->deadline;
	c.interrupted = o->interrupted;
	snprintf(pid, sizeof(pid), "%ld", (long)o->pid);
	hs_activate_argv(o->exec, mode, pid, NULL, argv, cmd, sizeof(cmd));
	if (hs_conn_exec(&c, argv) == -1)
		return fail(err, errlen, "--exec: %s", c.err);
	close(c.wfd);
	c.wfd = -1;
	while ((n = hs_conn_read(&c, chunk, sizeof(chunk))) > 0)
		if (b->len + (size_t)n > MAX_FACTS ||
		    hs_buf_add(b, chunk, (size_t)n) == -1) {
			hs_conn_close(&c);
			return fail(err, errlen, "--exec: expected at most "
			    "%d bytes of facts", MAX_FACTS);
		}
	hs_conn_close(&c);
	if (n == -1)
		return fail(err, errlen, "--exec: %s", c.err);
	return 0;
}

static int
get_facts(struct hs_activate_options *o, struct hs_proc_facts *f, char *err,
    size_t errlen)
{
	struct hs_buf b = { NULL, 0, 0 };
	int rc;

	if (o->exec != NULL)
		rc = run_script(o, "info", &b, err, errlen);
	else if ((rc = read_local(o->pid, &b)) == -1)
		fail(err, errlen, "out of memory");
	if (rc == 0 && b.len == 0)
		rc = fail(err, errlen, "--exec: the command printed nothing "
		    "(is node there?)");
	if (rc == 0)
		rc = hs_proc_parse(b.data, b.len, o->pid, f, err, errlen);
	hs_buf_free(&b);
	return rc;
}

static int
is_node(const char *exe)
{
	return strncmp(exe, "node", 4) == 0 || strcmp(exe, "nodejs") == 0;
}

/* Whether host:port answers /json/list (a short wait). */
static int
probe(struct hs_activate_options *o, const struct hs_listener *l)
{
	struct hs_capture_options c;
	char *argv[11], cmd[4096], perr[256];
	int64_t soon = hs_now_ms() + 2000;

	hs_capture_defaults(&c);
	c.host = l->host;
	c.port = l->port;
	c.deadline = o->deadline != 0 && o->deadline < soon ? o->deadline :
	    soon;
	c.interrupted = o->interrupted;
	if (o->exec != NULL) {
		hs_activate_argv(o->exec, "relay", l->host, l->port, argv,
		    cmd, sizeof(cmd));
		c.relay = argv;
	}
	return hs_capture_probe(&c, perr, sizeof(perr));
}

static int
choose(struct hs_activate_options *o, const struct hs_listener *l, char *err,
    size_t errlen)
{
	if (!l->loopback && !o->allow_remote)
		return fail(err, errlen, "process %ld: its inspector listens "
		    "on %s, not a loopback address (--allow-remote)",
		    (long)o->pid, l->host);
	snprintf(o->host, sizeof(o->host), "%s", l->host);
	snprintf(o->port, sizeof(o->port), "%s", l->port);
	return 0;
}

int
hs_activate(struct hs_activate_options *o, char *err, size_t errlen)
{
	struct hs_proc_facts before, now;
	struct hs_buf b = { NULL, 0, 0 };
	size_t i, j;
	int64_t until;

	o->opened = 0;
	if (get_facts(o, &before, err, errlen) == -1)
		return -1;
	if (!is_node(before.exe))
		return fail(err, errlen, "process %ld is not a Node.js process "
		    "(its program is %s)", (long)o->pid, before.exe);
	/* An inspector already open answers /json/list. */
	for (i = 0; i < before.nlisten; i++)
		if (probe(o, &before.listen[i]) == 0)
			return choose(o, &before.listen[i], err, errlen);
	if (o->interrupted != NULL && *o->interrupted)
		return fail(err, errlen, "interrupted");
	if (before.have_sigcgt && !before.usr1_caught)
		return fail(err, errlen, "process %ld does not handle SIGUSR1 "
		    "(started with --disable-sigusr1?): its inspector cannot "
		    "be opened", (long)o->pid);
	if (o->exec != NULL) {
		if (run_script(o, "usr1", &b, err, errlen) == -1) {
			hs_buf_free(&b);
			return -1;
		}
		hs_buf_free(&b);
	} else if (kill(o->pid, SIGUSR1) == -1) {
		return fail(err, errlen, "process %ld: cannot send SIGUSR1: %s",
		    (long)o->pid, strerror(errno));
	}
	o->opened = 1;
	/* Its new listening socket is the inspector. */
	until = hs_now_ms() + 10000;
	if (o->deadline != 0 && o->deadline < until)
		until = o->deadline;
	for (;;) {
		usleep(50000);
		if (o->interrupted != NULL && *o->interrupted)
			return fail(err, errlen, "interrupted");
		if (get_facts(o, &now, err, errlen) == -1)
			return -1;
		for (i = 0; i < now.nlisten; i++) {
			for (j = 0; j < before.nlisten; j++)
				if (now.listen[i].inode ==
				    before.listen[j].inode)
					break;
			if (j == before.nlisten)
				return choose(o, &now.listen[i], err, errlen);
		}
		if (hs_now_ms() >= until)
			return fail(err, errlen, "process %ld: no inspector "
			    "port opened after SIGUSR1", (long)o->pid);
	}
}

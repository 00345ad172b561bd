/*
 * conn: byte streams with deadlines (see conn.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conn.h"

int64_t
hs_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
fail(struct hs_conn *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	return -1;
}

static void
conn_init(struct hs_conn *c)
{
	c->rfd = c->wfd = -1;
	c->pid = 0;
	c->err[0] = '\0';
}

static int
set_nonblocking(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl == -1 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

int
hs_conn_wait(struct hs_conn *c, int fd, short events)
{
	struct pollfd p;
	int64_t left;
	int r;

	for (;;) {
		if (c->interrupted != NULL && *c->interrupted >=
		    (c->interrupt_at > 0 ? c->interrupt_at : 1))
			return fail(c, "interrupted");
		left = -1;
		if (c->deadline != 0) {
			left = c->deadline - hs_now_ms();
			if (left <= 0)
				return fail(c, "timed out");
		}
		/* Wake up now and then to notice an interruption. */
		if (left < 0 || left > 200)
			left = 200;
		p.fd = fd;
		p.events = events;
		p.revents = 0;
		r = poll(&p, 1, (int)left);
		if (r == -1 && errno != EINTR)
			return fail(c, "poll: %s", strerror(errno));
		if (r > 0)
			return 0;	/* ready, or an error the I/O will show */
	}
}

int
hs_conn_tcp(struct hs_conn *c, const char *host, const char *port)
{
	struct addrinfo hints, *res, *ai;
	int fd = -1, r, soerr;
	socklen_t len;

	conn_init(c);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((r = getaddrinfo(host, port, &hints, &res)) != 0)
		return fail(c, "%s: %s", host, gai_strerror(r));
	soerr = ECONNREFUSED;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol);
		if (fd == -1) {
			soerr = errno;
			continue;
		}
		if (set_nonblocking(fd) == -1) {
			soerr = errno;
			close(fd);
			fd = -1;
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		if (errno == EINPROGRESS) {
			if (hs_conn_wait(c, fd, POLLOUT) == -1) {
				close(fd);
				freeaddrinfo(res);
				return -1;
			}
			len = sizeof(soerr);
			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr,
			    &len) == 0 && soerr == 0)
				break;
		} else {
			soerr = errno;
		}
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd == -1)
		return fail(c, "%s", strerror(soerr));
	c->rfd = c->wfd = fd;
	return 0;
}

static int
cloexec_pipe(int fds[2])
{
	if (pipe(fds) == -1)
		return -1;
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	return 0;
}

int
hs_conn_exec(struct hs_conn *c, char *const argv[])
{
	int in[2], out[2], errpipe[2], e = 0;
	ssize_t n;
	pid_t pid;

	conn_init(c);
	if (cloexec_pipe(in) == -1)
		return fail(c, "pipe: %s", strerror(errno));
	if (cloexec_pipe(out) == -1) {
		e = errno;
		close(in[0]);
		close(in[1]);
		return fail(c, "pipe: %s", strerror(e));
	}
	if (cloexec_pipe(errpipe) == -1) {
		e = errno;
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		return fail(c, "pipe: %s", strerror(e));
	}
	if ((pid = fork()) == -1) {
		e = errno;
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		close(errpipe[0]);
		close(errpipe[1]);
		return fail(c, "fork: %s", strerror(e));
	}
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		signal(SIGINT, SIG_IGN);	/* the parent ends the relay */
		if (dup2(in[0], STDIN_FILENO) == -1 ||
		    dup2(out[1], STDOUT_FILENO) == -1)
			_exit(127);
		execvp(argv[0], argv);
		e = errno;
		n = write(errpipe[1], &e, sizeof(e));
		(void)n;
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	close(errpipe[1]);
	/* The exec either succeeds (the pipe closes) or sends errno. */
	do
		n = read(errpipe[0], &e, sizeof(e));
	while (n == -1 && errno == EINTR);
	close(errpipe[0]);
	c->wfd = in[1];
	c->rfd = out[0];
	c->pid = pid;
	if (n == (ssize_t)sizeof(e)) {
		hs_conn_close(c);
		return fail(c, "%s: %s", argv[0], strerror(e));
	}
	if (set_nonblocking(c->rfd) == -1 || set_nonblocking(c->wfd) == -1) {
		e = errno;
		hs_conn_close(c);
		return fail(c, "fcntl: %s", strerror(e));
	}
	return 0;
}

ssize_t
hs_conn_read(struct hs_conn *c, void *buf, size_t len)
{
	ssize_t n;

	for (;;) {
		n = read(c->rfd, buf, len);
		if (n >= 0)
			return n;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return fail(c, "read: %s", strerror(errno));
		if (hs_conn_wait(c, c->rfd, POLLIN) == -1)
			return -1;
	}
}

int
hs_conn_write_all(struct hs_conn *c, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		if (c->rfd == c->wfd)
			n = send(c->wfd, p, len, MSG_NOSIGNAL);
		else
			n = write(c->wfd, p, len);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno != EAGAIN && errno != EWOULDBLOCK)
			return fail(c, "write: %s", strerror(errno));
		if (hs_conn_wait(c, c->wfd, POLLOUT) == -1)
			return -1;
	}
	return 0;
}

void
hs_conn_close(struct hs_conn *c)
{
	int i, st;

	if (c->wfd != -1 && c->wfd != c->rfd)
		close(c->wfd);
	if (c->rfd != -1)
		close(c->rfd);
	c->rfd = c->wfd = -1;
	if (c->pid > 0) {
		/* The relay ends at the end of its input; wait a little. */
		for (i = 0; i < 100; i++) {
			if (waitpid(c->pid, &st, WNOHANG) != 0)
				break;
			if (i == 50)
				kill(c->pid, SIGTERM);
			usleep(20000);
		}
		if (i == 100) {
			kill(c->pid, SIGKILL);
			waitpid(c->pid, &st, 0);
		}
		c->pid = 0;
	}
}

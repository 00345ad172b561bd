/*
 * conn: a byte stream to a DevTools endpoint, as a pair of file descriptors
 * with deadlines on every wait.
 *
 * The stream is either a TCP connection (hs_conn_tcp) or the standard input
 * and output of a command that relays the bytes (hs_conn_exec: e.g. "docker
 * exec -i ID node -e SCRIPT"), so that the WebSocket and HTTP code above it
 * runs unchanged across a container boundary.
 *
 * Deadlines are absolute times in milliseconds of CLOCK_MONOTONIC
 * (hs_now_ms()); 0 means none.  A wait also ends when *interrupted (if set)
 * reaches interrupt_at (1 when 0): a signal handler counts signals there,
 * and the wait then fails with "interrupted".  Functions return 0 (or a byte count) or -1 with a message
 * in err.
 */
#ifndef HS_CONN_H
#define HS_CONN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct hs_conn {
	int			 rfd, wfd;	/* the same socket, or two pipes */
	pid_t			 pid;		/* the relay command, or 0 */
	int64_t			 deadline;	/* for every wait; 0 none */
	volatile sig_atomic_t	*interrupted;
	int			 interrupt_at;
	char			 err[256];
};

int64_t	 hs_now_ms(void);

/*
 * The open functions keep the deadline and interrupted fields, which the
 * caller sets first (zero them for none).
 */
/* Connects to host:port (numeric or resolved), non-blocking. */
int	 hs_conn_tcp(struct hs_conn *, const char *host, const char *port);
/*
 * Runs argv[0] (searched in PATH) with its stdin and stdout as the stream;
 * its stderr stays the caller's.
 */
int	 hs_conn_exec(struct hs_conn *, char *const argv[]);
/*
 * Waits until fd is readable (events POLLIN) or writable (POLLOUT), within
 * the deadline.  Returns 0, or -1 with "timed out" or "interrupted".
 */
int	 hs_conn_wait(struct hs_conn *, int fd, short events);
/* Reads at most len bytes (waiting): >0 bytes, 0 at the end, -1 error. */
ssize_t	 hs_conn_read(struct hs_conn *, void *buf, size_t len);
/* Writes all of buf (waiting). */
int	 hs_conn_write_all(struct hs_conn *, const void *buf, size_t len);
/*
 * Closes the descriptors; a relay command is sent SIGTERM if it has not
 * ended within a second, and reaped.
 */
void	 hs_conn_close(struct hs_conn *);

#endif

/*
 * wsserver: a scripted WebSocket server for the unit and fuzz tests, run
 * on a thread over one end of a socketpair: it reads the client's upgrade
 * request, answers as told, sends the frames it was given, then reads what
 * the client sends (keeping the start of it) until the client closes.
 *
 *	ws_pair_start(&pair, &server, &conn);	// conn: the client's end
 *	... a client on conn ...
 *	ws_pair_end(&pair);
 */
#ifndef HS_TEST_WSSERVER_H
#define HS_TEST_WSSERVER_H

#include <pthread.h>
#include <stddef.h>

struct hs_conn;

enum answer { GOOD, BAD_ACCEPT, NO_ACCEPT, STATUS_403, HUGE_HEAD, NOTHING };

struct server {
	int		 fd;
	enum answer	 answer;
	const char	*frames;	/* sent after the answer */
	size_t		 frames_len;
	int		 wait_reply;	/* read a reply before the end */
	char		 got[512];	/* what the client sent after it */
	size_t		 got_len;
};

struct ws_pair {
	int		 sv[2];
	pthread_t	 thread;
};

/*
 * Starts srv (its fd is set here) on a thread; conn gets the other end,
 * non-blocking, with a deadline 5 s away.  0, or -1 with nothing to end.
 */
int	 ws_pair_start(struct ws_pair *, struct server *srv, struct hs_conn *);
/* Closes the client's end, waits for the server, closes both. */
void	 ws_pair_end(struct ws_pair *);
/* The server thread itself. */
void	*ws_serve(void *server);
/* Sends all of p, or as much as the peer takes. */
void	 ws_send_all(int fd, const void *p, size_t n);

#endif

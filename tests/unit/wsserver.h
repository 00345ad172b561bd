/*
 * wsserver: a scripted WebSocket server for the unit tests, run on a
 * thread over one end of a socketpair: it reads the client's upgrade
 * request, answers as told, sends the frames it was given, then keeps what
 * the client sends until the client closes.
 */
#ifndef HS_TEST_WSSERVER_H
#define HS_TEST_WSSERVER_H

#include <stddef.h>

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

/* The thread: pthread_create(&t, NULL, ws_serve, &server). */
void	*ws_serve(void *server);
/* Sends all of p, or as much as the peer takes. */
void	 ws_send_all(int fd, const void *p, size_t n);

#endif

/*
 * wsserver: a scripted WebSocket server for the tests (wsserver.h).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conn.h"
#include "sha1.h"
#include "wsserver.h"

void
ws_send_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	ssize_t w;

	while (n > 0) {
		w = send(fd, c, n, MSG_NOSIGNAL);
		if (w <= 0)
			return;
		c += w;
		n -= (size_t)w;
	}
}

void *
ws_serve(void *arg)
{
	struct server *s = arg;
	char req[2048], resp[9000], accept[32], concat[128];
	const char *k;
	uint8_t d[20];
	size_t len = 0;
	ssize_t n;

	while (len < sizeof(req) - 1) {
		n = read(s->fd, req + len, sizeof(req) - 1 - len);
		if (n <= 0)
			return NULL;
		len += (size_t)n;
		req[len] = '\0';
		if (strstr(req, "\r\n\r\n") != NULL)
			break;
	}
	k = strstr(req, "Sec-WebSocket-Key: ");
	if (k == NULL)
		return NULL;
	k += 19;
	snprintf(concat, sizeof(concat), "%.*s%s", (int)strcspn(k, "\r"), k,
	    "258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
	hs_sha1(concat, strlen(concat), d);
	hs_base64(d, sizeof(d), accept);
	switch (s->answer) {
	case GOOD:
		snprintf(resp, sizeof(resp), "HTTP/1.1 101 Switching Protocols"
		    "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
		    "sec-websocket-accept:  %s \r\n\r\n", accept);
		break;
	case BAD_ACCEPT:
		snprintf(resp, sizeof(resp), "HTTP/1.1 101 OK\r\n"
		    "Sec-WebSocket-Accept: SECRETx%s\r\n\r\n", accept + 7);
		break;
	case NO_ACCEPT:
		snprintf(resp, sizeof(resp), "HTTP/1.1 101 OK\r\n"
		    "X-Secret: SECRET\r\n\r\n");
		break;
	case STATUS_403:
		snprintf(resp, sizeof(resp), "HTTP/1.1 403 SECRET\r\n\r\n");
		break;
	case HUGE_HEAD:
		memset(resp, 'S', sizeof(resp) - 1);
		resp[sizeof(resp) - 1] = '\0';
		memcpy(resp, "HTTP/1.1 101 OK\r\nX: ", 20);
		break;
	case NOTHING:
		resp[0] = '\0';
		break;
	}
	ws_send_all(s->fd, resp, strlen(resp));
	ws_send_all(s->fd, s->frames, s->frames_len);
	while (s->wait_reply && s->got_len < 6 && (n = read(s->fd,
	    s->got + s->got_len, sizeof(s->got) - s->got_len)) > 0)
		s->got_len += (size_t)n;
	shutdown(s->fd, SHUT_WR);
	/* Keep what the client sends (pongs, close frames), to its end. */
	for (;;) {
		char sink[4096];

		if (s->got_len < sizeof(s->got))
			n = read(s->fd, s->got + s->got_len,
			    sizeof(s->got) - s->got_len);
		else
			n = read(s->fd, sink, sizeof(sink));
		if (n <= 0)
			return NULL;
		if (s->got_len < sizeof(s->got))
			s->got_len += (size_t)n;
	}
}

int
ws_pair_start(struct ws_pair *p, struct server *srv, struct hs_conn *conn)
{
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, p->sv) == -1)
		return -1;
	srv->fd = p->sv[1];
	if (pthread_create(&p->thread, NULL, ws_serve, srv) != 0) {
		close(p->sv[0]);
		close(p->sv[1]);
		return -1;
	}
	memset(conn, 0, sizeof(*conn));
	conn->rfd = conn->wfd = p->sv[0];
	fcntl(p->sv[0], F_SETFL, fcntl(p->sv[0], F_GETFL) | O_NONBLOCK);
	conn->deadline = hs_now_ms() + 5000;
	return 0;
}

void
ws_pair_end(struct ws_pair *p)
{
	shutdown(p->sv[0], SHUT_RDWR);
	pthread_join(p->thread, NULL);
	close(p->sv[0]);
	close(p->sv[1]);
}


/*
 * bench/raw-echo.c - raw TCP echo pair (epoll, plain C, no WebSocket framing).
 *
 * The physical limit for the ping-pong and streaming scenarios of the
 * benchmark: the same traffic shape as load-client, over bare TCP sockets on
 * loopback.  The client checks every echoed byte against what it sent.
 *
 *   raw-echo server [-p port] [-i iface]
 *   raw-echo client -m pingpong|stream [-a addr] [-p port] [-c conns]
 *                   [-s size] [-n count] [-t seconds] [-w window]
 *                   [-W watchdog_s]
 *   raw-echo hold -c conns [-a addr] [-p port] [-k concurrency] [-t seconds]
 *
 * The server prints "READY port=<port> pid=<pid>" once it listens and exits
 * on SIGINT/SIGTERM.  The client prints one "RESULT key=value ..." line in
 * the same format as load-client and exits non-zero on any error.
 *
 * hold opens -c WebSocket connections (protocol "bench-echo", -k connecting
 * at a time, the upgrade request written by hand), prints "HELD n=<conns>"
 * once every one has its 101 answer, then keeps them open and silent until
 * SIGTERM or -t seconds (300 by default): the idle crowd of the scale
 * scenario, in a process whose cost does not depend on the library tested.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BUFSZ 65536
#define MAXEV 256

static volatile sig_atomic_t interrupted;

static void
on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void
on_alarm(int sig)
{
	static const char msg[] = "raw-echo: FAIL: watchdog expired\n";
	ssize_t r;

	(void)sig;
	r = write(2, msg, sizeof(msg) - 1);
	(void)r;
	_exit(3);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
set_nodelay(int fd)
{
	int one = 1;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

/* ---------------------------------------------------------------- server */

struct sconn {
	int fd;
	size_t off, len;	/* bytes of buf still to write back */
	unsigned char buf[BUFSZ];
};

static int
server_main(int argc, char **argv)
{
	struct epoll_event ev, evs[MAXEV];
	struct sockaddr_in sa;
	socklen_t sl = sizeof sa;
	const char *iface = "127.0.0.1";
	int port = 7690, lfd, ep, opt, one = 1, n, k;

	while ((opt = getopt(argc, argv, "p:i:")) != -1) {
		switch (opt) {
		case 'p': port = atoi(optarg); break;
		case 'i': iface = optarg; break;
		default:
			fprintf(stderr, "usage: raw-echo server [-p port] "
				"[-i iface]\n");
			return 2;
		}
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);

	lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (lfd < 0)
		return 1;
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, iface, &sa.sin_addr) != 1 ||
	    bind(lfd, (struct sockaddr *)&sa, sizeof sa) ||
	    listen(lfd, 4096)) {
		fprintf(stderr, "raw-echo server: bind/listen on %s:%d: %s\n",
			iface, port, strerror(errno));
		return 1;
	}
	getsockname(lfd, (struct sockaddr *)&sa, &sl);
	ep = epoll_create1(EPOLL_CLOEXEC);
	ev.events = EPOLLIN;
	ev.data.ptr = NULL;
	epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
	printf("READY port=%d pid=%d\n", ntohs(sa.sin_port), (int)getpid());
	fflush(stdout);

	while (!interrupted) {
		n = epoll_wait(ep, evs, MAXEV, 1000);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		for (k = 0; k < n; k++) {
			struct sconn *c = evs[k].data.ptr;
			ssize_t r;

			if (!c) {
				int fd;

				while ((fd = accept4(lfd, NULL, NULL,
						     SOCK_NONBLOCK |
						     SOCK_CLOEXEC)) >= 0) {
					c = malloc(sizeof(*c));
					if (!c) {
						close(fd);
						continue;
					}
					c->fd = fd;
					c->off = c->len = 0;
					set_nodelay(fd);
					ev.events = EPOLLIN;
					ev.data.ptr = c;
					epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
				}
				continue;
			}
			if (c->len) {	/* waiting to write the rest back */
				r = write(c->fd, c->buf + c->off, c->len);
				if (r < 0 && errno != EAGAIN)
					goto drop;
				if (r > 0) {
					c->off += (size_t)r;
					c->len -= (size_t)r;
				}
				if (!c->len) {
					ev.events = EPOLLIN;
					ev.data.ptr = c;
					epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
				}
				continue;
			}
			r = read(c->fd, c->buf, BUFSZ);
			if (r == 0 || (r < 0 && errno != EAGAIN))
				goto drop;
			if (r < 0)
				continue;
			c->off = 0;
			c->len = (size_t)r;
			r = write(c->fd, c->buf, c->len);
			if (r < 0 && errno != EAGAIN)
				goto drop;
			if (r > 0) {
				c->off = (size_t)r;
				c->len -= (size_t)r;
			}
			if (c->len) {
				ev.events = EPOLLOUT;
				ev.data.ptr = c;
				epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
			}
			continue;
drop:
			close(c->fd);
			free(c);
		}
	}
	close(lfd);
	close(ep);
	return 0;
}

/* ---------------------------------------------------------------- client */

struct cconn {
	int fd, idx, wantout;
	uint64_t started, recvd;	/* messages */
	size_t tx_pos;			/* bytes of message `started-1` sent */
	size_t rx_pos;			/* bytes of message `recvd` received */
	double t_send;
};

static unsigned char *pat;
static int size = 16, window = 1, nconns = 1, pingpong = 1;
static uint64_t limit = UINT64_MAX, total_started, total_recvd, inflight;
static int stopping, failed;
static uint32_t *lat_ns;
static size_t lat_cap, lat_n;

static size_t
pat_off(const struct cconn *c, uint64_t seq)
{
	return (size_t)(((uint64_t)c->idx * 31u + seq * 7u) % 251u);
}

static int
cfail(const char *why, const struct cconn *c)
{
	fprintf(stderr, "raw-echo client: FAIL: %s (conn %d, msg %llu)\n",
		why, c->idx, (unsigned long long)c->recvd);
	failed = 1;
	return -1;
}

/* write as much as the window and the socket allow */
static int
pump_tx(int ep, struct cconn *c)
{
	struct epoll_event ev;
	int want = 0;

	for (;;) {
		ssize_t r;

		if (c->tx_pos == (size_t)size || !c->started) {
			/* the current message is done: may we start another? */
			if (stopping || total_started >= limit ||
			    c->started - c->recvd >= (uint64_t)window)
				break;
			c->started++;
			total_started++;
			inflight++;
			c->tx_pos = 0;
			if (pingpong)
				c->t_send = now_s();
		}
		r = write(c->fd, pat + pat_off(c, c->started - 1) + c->tx_pos,
			  (size_t)size - c->tx_pos);
		if (r < 0) {
			if (errno == EAGAIN) {
				want = 1;
				break;
			}
			return cfail("write failed", c);
		}
		c->tx_pos += (size_t)r;
	}
	if (want != c->wantout) {
		ev.events = EPOLLIN | (want ? EPOLLOUT : 0);
		ev.data.ptr = c;
		epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
		c->wantout = want;
	}
	return 0;
}

static int
pump_rx(struct cconn *c, unsigned char *buf)
{
	for (;;) {
		ssize_t r = read(c->fd, buf, BUFSZ);
		size_t p = 0;

		if (r == 0)
			return cfail("server closed the connection", c);
		if (r < 0)
			return errno == EAGAIN ? 0 : cfail("read failed", c);
		while (p < (size_t)r) {
			size_t take = (size_t)size - c->rx_pos;

			if (c->recvd >= c->started)
				return cfail("data received with no message "
					     "in flight", c);
			if (take > (size_t)r - p)
				take = (size_t)r - p;
			if (memcmp(buf + p, pat + pat_off(c, c->recvd) +
				   c->rx_pos, take))
				return cfail("echoed bytes differ", c);
			p += take;
			c->rx_pos += take;
			if (c->rx_pos == (size_t)size) {
				if (pingpong && lat_n < lat_cap) {
					double d = (now_s() - c->t_send) * 1e9;

					lat_ns[lat_n++] = d > 4e9 ?
						4000000000u : (uint32_t)d;
				}
				c->rx_pos = 0;
				c->recvd++;
				total_recvd++;
				inflight--;
			}
		}
		if ((size_t)r < BUFSZ)
			return 0;
	}
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
client_main(int argc, char **argv)
{
	struct epoll_event ev, evs[MAXEV];
	struct sockaddr_in sa;
	struct cconn *cs;
	unsigned char *buf;
	const char *address = "127.0.0.1";
	double duration = 0, t_start, t_end, secs;
	int port = 7690, opt, k, n, ep, watchdog = 0;

	while ((opt = getopt(argc, argv, "m:a:p:c:s:n:t:w:W:")) != -1) {
		switch (opt) {
		case 'm':
			if (!strcmp(optarg, "pingpong"))
				pingpong = 1;
			else if (!strcmp(optarg, "stream"))
				pingpong = 0;
			else
				goto usage;
			break;
		case 'a': address = optarg; break;
		case 'p': port = atoi(optarg); break;
		case 'c': nconns = atoi(optarg); break;
		case 's': size = atoi(optarg); break;
		case 'n': limit = strtoull(optarg, NULL, 10); break;
		case 't': duration = atof(optarg); break;
		case 'w': window = atoi(optarg); break;
		case 'W': watchdog = atoi(optarg); break;
		default:
			goto usage;
		}
	}
	if (pingpong)
		window = 1;
	if (nconns < 1 || size < 1 || window < 1 || !limit ||
	    (limit == UINT64_MAX && duration <= 0))
		goto usage;
	if (!watchdog)
		watchdog = (int)duration + 60;
	signal(SIGALRM, on_alarm);
	signal(SIGPIPE, SIG_IGN);
	alarm((unsigned)watchdog);

	pat = malloc((size_t)size + 256);
	buf = malloc(BUFSZ);
	cs = calloc((size_t)nconns, sizeof(*cs));
	if (!pat || !buf || !cs)
		return 1;
	for (k = 0; k < size + 256; k++)
		pat[k] = (unsigned char)(k * 131 + (k >> 8) * 7 + 1);
	if (pingpong) {
		lat_cap = limit < (1u << 21) ? (size_t)limit : (1u << 21);
		lat_ns = malloc(lat_cap * sizeof(*lat_ns));
		if (!lat_ns)
			return 1;
	}

	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, address, &sa.sin_addr) != 1)
		goto usage;
	ep = epoll_create1(EPOLL_CLOEXEC);
	for (k = 0; k < nconns; k++) {
		struct cconn *c = &cs[k];

		c->idx = k;
		c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (c->fd < 0 ||
		    connect(c->fd, (struct sockaddr *)&sa, sizeof sa)) {
			fprintf(stderr, "raw-echo client: connect: %s\n",
				strerror(errno));
			return 1;
		}
		set_nodelay(c->fd);
		fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
		ev.events = EPOLLIN;
		ev.data.ptr = c;
		epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
	}

	t_start = now_s();
	for (k = 0; k < nconns; k++)
		if (pump_tx(ep, &cs[k]))
			return 1;

	while (!failed) {
		int tmo = 1000;

		if (duration > 0 && !stopping) {
			double left = t_start + duration - now_s();

			if (left <= 0)
				stopping = 1;
			else
				tmo = (int)(left * 1000) + 1;
		}
		if ((stopping || total_started >= limit) && !inflight)
			break;
		n = epoll_wait(ep, evs, MAXEV, tmo);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		for (k = 0; k < n && !failed; k++) {
			struct cconn *c = evs[k].data.ptr;

			if (evs[k].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
				if (pump_rx(c, buf))
					break;
			if (pump_tx(ep, c))
				break;
		}
	}
	t_end = now_s();
	if (failed)
		return 1;

	secs = t_end - t_start;
	if (pingpong) {
		qsort(lat_ns, lat_n, sizeof(*lat_ns), cmp_u32);
		printf("RESULT mode=pingpong conns=%d size=%d msgs=%llu "
		       "secs=%.4f msgs_per_s=%.1f p50_us=%.2f p99_us=%.2f\n",
		       nconns, size, (unsigned long long)total_recvd, secs,
		       (double)total_recvd / secs,
		       lat_n ? lat_ns[(lat_n - 1) / 2] / 1e3 : 0.0,
		       lat_n ? lat_ns[(size_t)((double)(lat_n - 1) * 0.99)] /
			       1e3 : 0.0);
	} else
		printf("RESULT mode=stream conns=%d size=%d window=%d msgs=%llu "
		       "secs=%.4f msgs_per_s=%.1f mb_per_s=%.2f\n", nconns,
		       size, window, (unsigned long long)total_recvd, secs,
		       (double)total_recvd / secs,
		       (double)total_recvd * size / secs / 1e6);
	for (k = 0; k < nconns; k++)
		close(cs[k].fd);
	close(ep);
	free(lat_ns);
	free(cs);
	free(buf);
	free(pat);
	return 0;

usage:
	fprintf(stderr, "usage: raw-echo client -m pingpong|stream [-a addr] "
		"[-p port] [-c conns] [-s size] [-n count] [-t seconds] "
		"[-w window] [-W watchdog_s]\n");
	return 2;
}

/* ------------------------------------------------------------------ hold */

struct hconn {
	int fd, state;		/* 0 connecting, 1 awaiting 101, 2 held */
	size_t got;
	char buf[512];
};

static int
hold_main(int argc, char **argv)
{
	static const char req[] =
		"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
		"Connection: Upgrade\r\n"
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
		"Sec-WebSocket-Version: 13\r\n"
		"Sec-WebSocket-Protocol: bench-echo\r\n\r\n";
	struct epoll_event ev, evs[MAXEV];
	struct sockaddr_in sa;
	struct hconn *hs;
	const char *address = "127.0.0.1";
	int port = 7681, opt, k, n, ep, conc = 128, pending = 0, held = 0;
	int next = 0, nc = 0;
	double hold_s = 300, t0, deadline;

	while ((opt = getopt(argc, argv, "a:p:c:k:t:")) != -1) {
		switch (opt) {
		case 'a': address = optarg; break;
		case 'p': port = atoi(optarg); break;
		case 'c': nc = atoi(optarg); break;
		case 'k': conc = atoi(optarg); break;
		case 't': hold_s = atof(optarg); break;
		default: goto usage;
		}
	}
	if (nc < 1 || conc < 1 || hold_s <= 0)
		goto usage;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGALRM, on_alarm);
	alarm((unsigned)hold_s + 180);

	hs = calloc((size_t)nc, sizeof(*hs));
	if (!hs)
		return 1;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, address, &sa.sin_addr) != 1)
		goto usage;
	ep = epoll_create1(EPOLL_CLOEXEC);
	t0 = now_s();
	while (held < nc && !interrupted) {
		while (next < nc && pending < conc) {
			struct hconn *h = &hs[next++];

			h->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK |
				       SOCK_CLOEXEC, 0);
			if (h->fd < 0) {
				fprintf(stderr, "raw-echo hold: socket: %s\n",
					strerror(errno));
				return 1;
			}
			if (connect(h->fd, (struct sockaddr *)&sa, sizeof sa) &&
			    errno != EINPROGRESS) {
				fprintf(stderr, "raw-echo hold: connect: %s\n",
					strerror(errno));
				return 1;
			}
			ev.events = EPOLLOUT;
			ev.data.ptr = h;
			epoll_ctl(ep, EPOLL_CTL_ADD, h->fd, &ev);
			pending++;
		}
		n = epoll_wait(ep, evs, MAXEV, 1000);
		if (n < 0 && errno != EINTR)
			return 1;
		if (now_s() - t0 > 120) {
			fprintf(stderr, "raw-echo hold: FAIL: %d of %d up after "
				"120 s\n", held, nc);
			return 1;
		}
		for (k = 0; k < n; k++) {
			struct hconn *h = evs[k].data.ptr;
			int err = 0;
			socklen_t el = sizeof err;
			ssize_t r;

			if (h->state == 0) {
				getsockopt(h->fd, SOL_SOCKET, SO_ERROR, &err, &el);
				if (err || write(h->fd, req, sizeof(req) - 1) !=
						   (ssize_t)sizeof(req) - 1) {
					fprintf(stderr, "raw-echo hold: FAIL: "
						"connect/request: %s\n",
						strerror(err ? err : errno));
					return 1;
				}
				h->state = 1;
				ev.events = EPOLLIN;
				ev.data.ptr = h;
				epoll_ctl(ep, EPOLL_CTL_MOD, h->fd, &ev);
				continue;
			}
			r = read(h->fd, h->buf + h->got, sizeof(h->buf) - 1 - h->got);
			if (r <= 0) {
				if (r < 0 && errno == EAGAIN)
					continue;
				fprintf(stderr, "raw-echo hold: FAIL: closed "
					"during the handshake\n");
				return 1;
			}
			h->got += (size_t)r;
			h->buf[h->got] = '\0';
			if (!strstr(h->buf, "\r\n\r\n"))
				continue;
			if (strncmp(h->buf, "HTTP/1.1 101", 12)) {
				fprintf(stderr, "raw-echo hold: FAIL: answer "
					"%.40s\n", h->buf);
				return 1;
			}
			h->state = 2;
			epoll_ctl(ep, EPOLL_CTL_DEL, h->fd, NULL);
			pending--;
			held++;
		}
	}
	if (interrupted)
		return 1;
	printf("HELD n=%d secs=%.3f\n", held, now_s() - t0);
	fflush(stdout);
	/* silent until told to stop, or the deadline */
	deadline = now_s() + hold_s;
	while (!interrupted && now_s() < deadline)
		usleep(50000);
	for (k = 0; k < nc; k++)
		close(hs[k].fd);
	close(ep);
	free(hs);
	return 0;

usage:
	fprintf(stderr, "usage: raw-echo hold -c conns [-a addr] [-p port] "
		"[-k concurrency] [-t seconds]\n");
	return 2;
}

int
main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "server"))
		return server_main(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "client"))
		return client_main(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "hold"))
		return hold_main(argc - 1, argv + 1);
	fprintf(stderr, "usage: raw-echo server|client|hold [options]\n");
	return 2;
}

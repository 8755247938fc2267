/*
 * bench/http-peer.c - the library-neutral side of the HTTP throughput
 * scenarios, in plain C (blocking sockets, no libwebsockets).
 *
 *   http-peer server [-p port] [-t seconds]
 *       HTTP/1.1 server, one connection at a time, keep-alive.
 *       GET /.../N     answers 200 with N bytes of the pattern (content-length):
 *                      /bytes/N, /bench/gen/N (as http-bench serves it)
 *       POST (any path) reads the content-length body, checks it against the
 *                      pattern and answers 200 "ok" (400 "bad" on a mismatch)
 *       Prints "READY" when listening. Exits after -t seconds (default 600).
 *
 *   http-peer client [-p port] -m get|post -s bytes [-u path] [-P pid]
 *       The load side against an lws HTTP server: GET path (default
 *       /bench/gen/<bytes>) and check every byte of the body, or POST <bytes>
 *       of the pattern to path (default /bench/upload) and expect 200. With -P
 *       it reports the server's CPU time over the transfer
 *       (/proc/PID/schedstat) and its peak RSS (VmHWM) afterwards.
 *       Prints one "RESULT key=value ..." line; exits non-zero on any error.
 *
 *   http-peer mkfile PATH bytes
 *       Writes a file of the pattern (for lws_serve_http_file).
 *
 * The body pattern is http-pattern.h's.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http-pattern.h"

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
die(const char *what)
{
	fprintf(stderr, "http-peer: %s: %s\n", what, errno ? strerror(errno) : "failed");
	exit(1);
}

static int
send_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* buffered reader over one connection */
struct rd {
	int fd;
	char buf[65536];
	size_t pos, len;
};

static ssize_t
rd_fill(struct rd *r)
{
	ssize_t n;

	if (r->pos == r->len)
		r->pos = r->len = 0;
	do
		n = recv(r->fd, r->buf + r->len, sizeof(r->buf) - r->len, 0);
	while (n < 0 && errno == EINTR);
	if (n > 0)
		r->len += (size_t)n;
	return n;
}

/*
 * Reads one head (up to the blank line) into head (NUL-terminated, CRs kept).
 * Returns its length, 0 on a clean close before any byte, -1 on error.
 */
static int
read_head(struct rd *r, char *head, size_t max)
{
	size_t n = 0;

	for (;;) {
		while (r->pos < r->len) {
			if (n + 1 >= max)
				return -1;
			head[n++] = r->buf[r->pos++];
			if (n >= 4 && !memcmp(head + n - 4, "\r\n\r\n", 4)) {
				head[n] = '\0';
				return (int)n;
			}
		}
		ssize_t got = rd_fill(r);

		if (got == 0 && n == 0)
			return 0;
		if (got <= 0)
			return -1;
	}
}

/* the value of header `name` in head (case-insensitive), or NULL */
static const char *
header(const char *head, const char *name)
{
	size_t nl = strlen(name);
	const char *p = strstr(head, "\r\n");

	while (p && p[2] != '\r') {
		p += 2;
		if (!strncasecmp(p, name, nl) && p[nl] == ':') {
			p += nl + 1;
			while (*p == ' ')
				p++;
			return p;
		}
		p = strstr(p, "\r\n");
	}
	return NULL;
}

/*
 * Reads len body bytes, checking them against the pattern from offset 0.
 * Returns 0 if all arrived and matched, 1 on a mismatch (all read), -1 on error.
 */
static int
read_body(struct rd *r, uint64_t len)
{
	uint64_t off = 0;
	int bad = 0;

	while (off < len) {
		if (r->pos == r->len && rd_fill(r) <= 0)
			return -1;
		size_t n = r->len - r->pos;

		if (n > len - off)
			n = (size_t)(len - off);
		if (!bad && pattern_check(off, r->buf + r->pos, n))
			bad = 1;
		r->pos += n;
		off += n;
	}
	return bad;
}

static int
listen_on(int port)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) || listen(fd, 16))
		die("bind/listen");
	return fd;
}

static void
serve_conn(int fd)
{
	static char head[8192], out[65536];
	static struct rd r;
	const char *v;

	r.fd = fd;
	r.pos = r.len = 0;
	for (;;) {
		int n = read_head(&r, head, sizeof head);

		if (n <= 0)
			return;
		if (!strncmp(head, "GET /", 5)) {
			/* the path's last segment is the length: /bytes/N, /bench/gen/N */
			const char *sp = strchr(head + 4, ' '), *sl = head + 4;
			uint64_t len, off = 0;
			int hl;

			for (v = head + 4; sp && v < sp; v++)
				if (*v == '/')
					sl = v;
			len = strtoull(sl + 1, NULL, 10);
			hl = snprintf(out, sizeof out,
					  "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\n"
					  "content-length: %llu\r\n\r\n", (unsigned long long)len);

			if (send_all(fd, out, (size_t)hl))
				return;
			while (off < len) {
				size_t k = sizeof out;

				if (k > len - off)
					k = (size_t)(len - off);
				pattern_fill(off, (unsigned char *)out, k);
				if (send_all(fd, out, k))
					return;
				off += k;
			}
		} else if (!strncmp(head, "POST ", 5)) {
			v = header(head, "content-length");
			if (!v)
				return;
			n = read_body(&r, strtoull(v, NULL, 10));
			if (n < 0)
				return;
			v = n ? "HTTP/1.1 400 Bad Request\r\ncontent-length: 3\r\n\r\nbad" :
				"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok";
			if (send_all(fd, v, strlen(v)))
				return;
		} else {
			v = "HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 0\r\n\r\n";
			send_all(fd, v, strlen(v));
		}
	}
}

static void
sched_ns(int pid, unsigned long long *cpu, unsigned long long *wait)
{
	char path[64];
	FILE *f;

	*cpu = *wait = 0;
	snprintf(path, sizeof path, "/proc/%d/schedstat", pid);
	f = fopen(path, "r");
	if (!f)
		return;
	if (fscanf(f, "%llu %llu", cpu, wait) != 2)
		*cpu = *wait = 0;
	fclose(f);
}

static long
status_kib(int pid, const char *key)
{
	char path[64], line[256];
	size_t kl = strlen(key);
	long v = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, key, kl)) {
			v = atol(line + kl);
			break;
		}
	fclose(f);
	return v;
}

static int
client(int port, int post, uint64_t size, const char *path, int pid)
{
	static char head[8192], out[65536];
	static struct rd r;
	unsigned long long c0 = 0, w0 = 0, c1 = 0, w1 = 0;
	struct sockaddr_in a;
	struct timeval tv = { 60, 0 };
	const char *v;
	double t0, t1;
	int fd, hl, one = 1, status;
	uint64_t off = 0, len;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof a))
		die("connect");
	if (pid)
		sched_ns(pid, &c0, &w0);
	t0 = now_s();
	if (post) {
		hl = snprintf(out, sizeof out, "POST %s HTTP/1.1\r\nHost: localhost\r\n"
			      "content-type: application/octet-stream\r\ncontent-length: %llu\r\n\r\n",
			      path, (unsigned long long)size);
		if (send_all(fd, out, (size_t)hl))
			die("send");
		while (off < size) {
			size_t k = sizeof out;

			if (k > size - off)
				k = (size_t)(size - off);
			pattern_fill(off, (unsigned char *)out, k);
			if (send_all(fd, out, k))
				die("send body");
			off += k;
		}
	} else {
		hl = snprintf(out, sizeof out, "GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n", path);
		if (send_all(fd, out, (size_t)hl))
			die("send");
	}
	r.fd = fd;
	if (read_head(&r, head, sizeof head) <= 0)
		die("no response head");
	status = atoi(head + 9);
	v = header(head, "content-length");
	if (status != 200) {
		fprintf(stderr, "http-peer: status %d\n", status);
		return 1;
	}
	if (post) {
		len = v ? strtoull(v, NULL, 10) : 0;
		while (r.len - r.pos < len)
			if (rd_fill(&r) <= 0)
				die("short response");
	} else {
		if (v && strtoull(v, NULL, 10) != size) {
			fprintf(stderr, "http-peer: content-length %s, expected %llu\n", v,
				(unsigned long long)size);
			return 1;
		}
		if (v) {
			if (read_body(&r, size)) {
				fprintf(stderr, "http-peer: body bytes differ or short\n");
				return 1;
			}
		} else {
			/* no content-length: the body ends at the close */
			int bad = 0;
			ssize_t n;

			off = r.len - r.pos;
			if (off && pattern_check(0, r.buf + r.pos, (size_t)off))
				bad = 1;
			r.pos = r.len = 0;
			while ((n = rd_fill(&r)) > 0) {
				if (!bad && pattern_check(off, r.buf, (size_t)n))
					bad = 1;
				off += (uint64_t)n;
				r.pos = r.len = 0;
			}
			if (bad || off != size) {
				fprintf(stderr, "http-peer: body bytes differ or short (%llu)\n",
					(unsigned long long)off);
				return 1;
			}
		}
	}
	t1 = now_s();
	if (pid)
		sched_ns(pid, &c1, &w1);
	close(fd);
	printf("RESULT mode=%s bytes=%llu secs=%.4f mb_per_s=%.1f", post ? "post" : "get",
	       (unsigned long long)size, t1 - t0, (double)size / 1e6 / (t1 - t0));
	if (pid)
		printf(" srv_cpu_ms_per_mb=%.3f srv_wait_pct=%.1f srv_peak_rss_kib=%ld",
		       (double)(c1 - c0) / 1e6 / ((double)size / 1e6),
		       100.0 * (double)(w1 - w0) / 1e9 / (t1 - t0), status_kib(pid, "VmHWM:"));
	printf("\n");
	return 0;
}

int
main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "", *path = NULL;
	int port = 7681, post = 0, pid = 0, opt;
	double secs = 600;
	uint64_t size = 0;
	static char defpath[64];

	pattern_init();
	if (!strcmp(mode, "mkfile")) {
		static unsigned char buf[65536];
		uint64_t off = 0;
		FILE *f;

		if (argc < 4)
			return 2;
		size = strtoull(argv[3], NULL, 10);
		f = fopen(argv[2], "wb");
		if (!f)
			die(argv[2]);
		while (off < size) {
			size_t k = sizeof buf;

			if (k > size - off)
				k = (size_t)(size - off);
			pattern_fill(off, buf, k);
			if (fwrite(buf, 1, k, f) != k)
				die("write");
			off += k;
		}
		return fclose(f) ? 1 : 0;
	}
	if (strcmp(mode, "server") && strcmp(mode, "client")) {
		fprintf(stderr, "usage: http-peer server|client|mkfile ... (see the source)\n");
		return 2;
	}
	optind = 2;
	while ((opt = getopt(argc, argv, "p:m:s:u:P:t:")) != -1) {
		switch (opt) {
		case 'p': port = atoi(optarg); break;
		case 'm': post = !strcmp(optarg, "post"); break;
		case 's': size = strtoull(optarg, NULL, 10); break;
		case 'u': path = optarg; break;
		case 'P': pid = atoi(optarg); break;
		case 't': secs = atof(optarg); break;
		default: return 2;
		}
	}
	if (!strcmp(mode, "client")) {
		if (!path) {
			if (post)
				path = "/bench/upload";
			else {
				snprintf(defpath, sizeof defpath, "/bench/gen/%llu", (unsigned long long)size);
				path = defpath;
			}
		}
		return client(port, post, size, path, pid);
	}
	{
		int lfd = listen_on(port);
		double end = now_s() + secs;

		signal(SIGPIPE, SIG_IGN);
		printf("READY\n");
		fflush(stdout);
		while (now_s() < end) {
			struct timeval tv = { 5, 0 };
			fd_set fds;
			int fd;

			FD_ZERO(&fds);
			FD_SET(lfd, &fds);
			if (select(lfd + 1, &fds, NULL, NULL, &tv) <= 0)
				continue;
			fd = accept(lfd, NULL, NULL);
			if (fd < 0)
				continue;
			tv.tv_sec = 60;
			setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
			setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
			serve_conn(fd);
			close(fd);
		}
	}
	return 0;
}

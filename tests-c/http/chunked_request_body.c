/*
 * Chunked request bodies (Transfer-Encoding: chunked) decoded on the server:
 * the bytes reach LWS_CALLBACK_HTTP_BODY in order, BODY_COMPLETION follows the
 * last chunk, trailers are skipped and the next request on the connection is
 * served (keep-alive). Bad framing (a non-hex size, a chunk without its CRLF, a
 * size line over 1 KiB) closes the connection with a log line, never a hang.
 * A 3 MiB body sent by curl in chunked framing arrives whole.
 *
 * ctest-timeout: 60
 */
#include <libwebsockets.h>

#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <errno.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "harness.h"

extern char **environ;

static unsigned char got[4 * 1024 * 1024];
static size_t got_len;
static int completions, requests;

static int
cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	uint8_t buf[LWS_PRE + 256], *start = &buf[LWS_PRE], *p = start, *end = &buf[sizeof(buf) - 1];

	switch (reason) {
	case LWS_CALLBACK_HTTP:
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		if (reason == LWS_CALLBACK_HTTP) {
			requests++;
			if (lws_hdr_total_length(wsi, WSI_TOKEN_POST_URI))
				return 0; /* wait for the body */
		} else
			completions++;
		if (lws_add_http_common_headers(wsi, HTTP_STATUS_OK, "text/plain", 2, &p, end) ||
		    lws_finalize_write_http_header(wsi, start, &p, end))
			return 1;
		lws_callback_on_writable(wsi);
		return 0;
	case LWS_CALLBACK_HTTP_BODY:
		H_ASSERT(got_len + len <= sizeof got);
		memcpy(got + got_len, in, len);
		got_len += len;
		return 0;
	case LWS_CALLBACK_HTTP_WRITEABLE:
		memcpy(start, "ok", 2);
		if (lws_write(wsi, start, 2, LWS_WRITE_HTTP_FINAL) != 2)
			return 1;
		return lws_http_transaction_completed(wsi) ? -1 : 0;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols protocols[] = {
	{ "http", cb, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static struct lws_context *cx;
static int port;

/* Sends `req` on a fresh connection and collects what comes back until the
 * server closes (or 3 s pass). Returns the bytes received. */
static int exchange(const char *req, size_t req_len, char *resp, size_t room, int *closed)
{
	int fd = h_loopback_connect(port), n = 0, i;

	H_ASSERT_EQ_INT(send(fd, req, req_len, 0), (long long)req_len);
	*closed = 0;
	for (i = 0; i < 3000 && !*closed; i++) {
		ssize_t r;

		lws_service(cx, -1);
		r = recv(fd, resp + n, room - 1 - (size_t)n, MSG_DONTWAIT);
		if (r > 0)
			n += (int)r;
		else if (r == 0)
			*closed = 1;
		else if (errno != EAGAIN)
			*closed = 1;
		else
			usleep(1000);
	}
	resp[n] = '\0';
	close(fd);
	for (i = 0; i < 20; i++)
		lws_service(cx, -1);
	return n;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle))) {
		n++;
		hay++;
	}
	return n;
}

int main(void)
{
	struct lws_context_creation_info info;
	char resp[8192], req[4096], url[64], *argv[16];
	static char longline[2000];
	int closed, st = 0, i, n;
	pid_t pid;
	FILE *f;

	h_watchdog(50);
	lws_set_log_level(LLL_ERR, NULL);
	memset(&info, 0, sizeof info);
	info.port = 0;
	info.iface = "127.0.0.1";
	info.protocols = protocols;
	info.timeout_secs = 3;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	port = lws_get_vhost_listen_port(lws_get_vhost_by_name(cx, "default"));

	/* Two chunks (one with an extension), a trailer, then a pipelined GET. */
	n = snprintf(req, sizeof req,
		     "POST /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
		     "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n"
		     "GET /g HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
	exchange(req, (size_t)n, resp, sizeof resp, &closed);
	H_ASSERT(closed);
	H_ASSERT_EQ_INT(got_len, 12);
	H_ASSERT(!memcmp(got, "hello, world", 12));
	H_ASSERT_EQ_INT(completions, 1);
	H_ASSERT_EQ_INT(requests, 2);
	H_ASSERT_EQ_INT(count(resp, "HTTP/1.1 200 OK"), 2);

	/* Bad framing: each closes the connection without a second response. */
	{
		const char *bad[] = {
			"zz\r\nhello\r\n0\r\n\r\n",	/* not hex */
			"-5\r\nhello\r\n0\r\n\r\n",	/* a sign */
			"5\r\nhelloXX0\r\n\r\n",	/* no CRLF after the data */
		};

		for (i = 0; i < 3; i++) {
			got_len = 0;
			completions = 0;
			n = snprintf(req, sizeof req,
				     "POST /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n%s",
				     bad[i]);
			exchange(req, (size_t)n, resp, sizeof resp, &closed);
			H_ASSERT(closed);
			H_ASSERT_EQ_INT(completions, 0);
			H_ASSERT(!strstr(resp, "200 OK"));
		}
		memset(longline, '1', sizeof(longline) - 1);
		n = snprintf(req, sizeof req,
			     "POST /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n%.1500s",
			     longline);
		exchange(req, (size_t)n, resp, sizeof resp, &closed);
		H_ASSERT(closed);
		H_ASSERT_EQ_INT(completions, 0);
	}

	/* curl sends a 3 MiB file chunked. */
	f = fopen("/tmp/lws-rs-chunked-body.bin", "wb");
	H_ASSERT(f != NULL);
	for (i = 0; i < 3 * 1024 * 1024; i++)
		fputc((i * 7 + (i >> 10)) & 0xff, f);
	fclose(f);
	got_len = 0;
	completions = 0;
	snprintf(url, sizeof url, "http://127.0.0.1:%d/up", port);
	n = 0;
	argv[n++] = (char *)"curl";
	argv[n++] = (char *)"-s";
	argv[n++] = (char *)"-o";
	argv[n++] = (char *)"/dev/null";
	argv[n++] = (char *)"--max-time";
	argv[n++] = (char *)"20";
	argv[n++] = (char *)"-H";
	argv[n++] = (char *)"Transfer-Encoding: chunked";
	argv[n++] = (char *)"--data-binary";
	argv[n++] = (char *)"@/tmp/lws-rs-chunked-body.bin";
	argv[n++] = url;
	argv[n] = NULL;
	H_ASSERT_EQ_INT(posix_spawnp(&pid, "curl", NULL, NULL, argv, environ), 0);
	{
		/* bounded in time, not in passes: curl's start-up takes a while */
		time_t deadline = time(NULL) + 30;
		int reaped = 0;

		while (!reaped && time(NULL) < deadline) {
			reaped = waitpid(pid, &st, WNOHANG) == pid;
			if (!reaped) {
				lws_service(cx, -1);
				usleep(50);
			}
		}
		H_ASSERT(reaped);
	}
	H_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	H_ASSERT_EQ_INT(got_len, 3 * 1024 * 1024);
	H_ASSERT_EQ_INT(completions, 1);
	for (i = 0; i < 3 * 1024 * 1024; i++)
		if (got[i] != (unsigned char)((i * 7 + (i >> 10)) & 0xff))
			H_FAIL("byte %d differs", i);
	unlink("/tmp/lws-rs-chunked-body.bin");

	lws_context_destroy(cx);
	return h_pass();
}

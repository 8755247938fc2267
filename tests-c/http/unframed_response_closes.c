/*
 * A response sent without a length (lws_add_http_common_headers with
 * LWS_ILLEGAL_HTTP_CONTENT_LEN: "connection: close") ends with the connection:
 * lws_http_transaction_completed returns 1 after it, even though the HTTP/1.1
 * request asked for keep-alive, and the peer sees the end of the body at once
 * instead of after the keep-alive timeout (lws's HTTP_CONNECTION_CLOSE; the
 * v4.3.3 minimal-http-server-dynamic example took 5 s per page without it).
 * A response with a content-length on the same kind of request is kept alive
 * (0).
 * ctest-timeout: 30
 */
#include <libwebsockets.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../harness/harness.h"

static int completed = -9, framed;

static int
cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	uint8_t buf[LWS_PRE + 512], *start = &buf[LWS_PRE], *p = start, *end = &buf[sizeof(buf) - 1];
	const char *body = "no length here\n";

	switch (reason) {
	case LWS_CALLBACK_HTTP:
		if (lws_add_http_common_headers(wsi, HTTP_STATUS_OK, "text/plain",
						framed ? (lws_filepos_t)strlen(body) :
							 LWS_ILLEGAL_HTTP_CONTENT_LEN,
						&p, end) ||
		    lws_finalize_write_http_header(wsi, start, &p, end))
			return 1;
		lws_callback_on_writable(wsi);
		return 0;
	case LWS_CALLBACK_HTTP_WRITEABLE:
		strcpy((char *)start, body);
		if (lws_write(wsi, start, strlen(body), LWS_WRITE_HTTP_FINAL) != (int)strlen(body))
			return 1;
		completed = lws_http_transaction_completed(wsi);
		return completed ? -1 : 0;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols protocols[] = {
	{ "http", cb, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

/* Sends one keep-alive request; returns 1 when the peer closed within 2 s. */
static int
request(struct lws_context *cx, int port, char *got, size_t room)
{
	const char *req = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
	size_t have = 0;
	time_t t0 = time(NULL);
	int fd = h_loopback_connect(port), closed = 0;

	H_ASSERT(write(fd, req, strlen(req)) == (ssize_t)strlen(req));
	fcntl(fd, F_SETFL, O_NONBLOCK);
	while (!closed && time(NULL) - t0 < 2) {
		ssize_t n;

		lws_service(cx, -1);
		n = read(fd, got + have, room - 1 - have);
		if (n > 0)
			have += (size_t)n;
		else if (!n)
			closed = 1;
		else if (errno != EAGAIN)
			closed = 1;
		else
			usleep(1000);
	}
	got[have] = '\0';
	close(fd);
	return closed;
}

int main(void)
{
	struct lws_context_creation_info info;
	struct lws_context *cx;
	char got[2048];
	int port;

	h_watchdog(20);
	lws_set_log_level(LLL_ERR, NULL);
	memset(&info, 0, sizeof info);
	info.port = 0;
	info.iface = "127.0.0.1";
	info.protocols = protocols;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	port = lws_get_vhost_listen_port(lws_get_vhost_by_name(cx, "default"));

	H_ASSERT_EQ_INT(request(cx, port, got, sizeof got), 1);
	H_ASSERT_EQ_INT(completed, 1);
	H_ASSERT_CONTAINS(got, "connection: close\r\n");
	H_ASSERT_CONTAINS(got, "\r\n\r\nno length here\n");

	framed = 1;
	completed = -9;
	H_ASSERT_EQ_INT(request(cx, port, got, sizeof got), 0); /* kept alive */
	H_ASSERT_EQ_INT(completed, 0);
	H_ASSERT_CONTAINS(got, "content-length: 15\r\n");

	lws_context_destroy(cx);
	return h_pass();
}

/*
 * Server-sent events as lws's minimal-http-server-sse writes them:
 * lws_http_mark_sse after the text/event-stream head detaches the request
 * headers (lws_hdr_* find nothing, lws_http_headers_detach answers 0) and makes
 * the stream immortal: it outlives timeout_secs while events are written from
 * LWS_CALLBACK_HTTP_WRITEABLE on a timer. A client that vanishes mid-stream
 * ends it with CLOSED_HTTP, and the server keeps serving.
 *
 * ctest-timeout: 40
 */
#include <libwebsockets.h>

#include <arpa/inet.h>
#include <errno.h>
#include <sys/socket.h>

#include "harness.h"

struct pss {
	int n;
};

static int uri_before = -1, uri_after = -1, detach_rc = -1, closed_http, sse_null_rc = -1;

static int
cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	struct pss *pss = (struct pss *)user;
	uint8_t buf[LWS_PRE + 256], *start = &buf[LWS_PRE], *p = start, *end = &buf[sizeof(buf) - 1];

	switch (reason) {
	case LWS_CALLBACK_HTTP:
		uri_before = lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI);
		if (lws_add_http_common_headers(wsi, HTTP_STATUS_OK, "text/event-stream",
						LWS_ILLEGAL_HTTP_CONTENT_LEN, &p, end) ||
		    lws_finalize_write_http_header(wsi, start, &p, end))
			return 1;
		H_ASSERT_EQ_INT(lws_http_mark_sse(wsi), 0);
		uri_after = lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI);
		detach_rc = lws_http_headers_detach(wsi);
		sse_null_rc = lws_http_mark_sse(NULL);
		lws_callback_on_writable(wsi);
		return 0;
	case LWS_CALLBACK_HTTP_WRITEABLE:
		p += lws_snprintf((char *)p, lws_ptr_diff_size_t(end, p), "data: %d\r\n\r\n", pss->n++);
		if (lws_write(wsi, start, lws_ptr_diff_size_t(p, start), LWS_WRITE_HTTP) !=
		    lws_ptr_diff(p, start))
			return 1;
		lws_set_timer_usecs(wsi, 100 * LWS_US_PER_MS);
		return 0;
	case LWS_CALLBACK_TIMER:
		lws_callback_on_writable(wsi);
		return 0;
	case LWS_CALLBACK_CLOSED_HTTP:
		closed_http++;
		break;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols protocols[] = {
	{ "http", lws_callback_http_dummy, 0, 0, 0, NULL, 0 },
	{ "sse", cb, sizeof(struct pss), 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static struct lws_context *cx;

static int open_stream(int port)
{
	static const char req[] = "GET /sse HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n";
	int fd = h_loopback_connect(port);

	H_ASSERT_EQ_INT(send(fd, req, sizeof(req) - 1, 0), (long long)sizeof(req) - 1);
	return fd;
}

/* Services for `ms`, collecting what `fd` receives; -1 once the peer closed. */
static int collect(int fd, char *got, size_t room, int ms)
{
	size_t n = strlen(got);
	int i;

	for (i = 0; i < ms; i++) {
		ssize_t r;

		lws_service(cx, -1);
		r = recv(fd, got + n, room - 1 - n, MSG_DONTWAIT);
		if (r > 0)
			n += (size_t)r;
		else if (r == 0 || errno != EAGAIN)
			return -1;
		else
			usleep(1000);
		got[n] = '\0';
	}
	return (int)n;
}

static int events(const char *s)
{
	int n = 0;

	while ((s = strstr(s, "data: "))) {
		n++;
		s++;
	}
	return n;
}

int main(void)
{
	struct lws_http_mount mount;
	struct lws_context_creation_info info;
	static char got[65536];
	int port, fd, i;

	h_watchdog(35);
	lws_set_log_level(LLL_ERR, NULL);
	memset(&mount, 0, sizeof mount);
	mount.mountpoint = "/sse";
	mount.mountpoint_len = 4;
	mount.protocol = "sse";
	mount.origin_protocol = LWSMPRO_CALLBACK;
	memset(&info, 0, sizeof info);
	info.port = 0;
	info.iface = "127.0.0.1";
	info.protocols = protocols;
	info.mounts = &mount;
	info.timeout_secs = 1;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	port = lws_get_vhost_listen_port(lws_get_vhost_by_name(cx, "default"));

	/* A stream that outlives timeout_secs (1 s) by far. */
	fd = open_stream(port);
	got[0] = '\0';
	H_ASSERT(collect(fd, got, sizeof got, 2500) > 0);
	H_ASSERT_CONTAINS(got, "HTTP/1.1 200 OK\r\n");
	H_ASSERT_CONTAINS(got, "content-type: text/event-stream\r\n");
	H_ASSERT(!strstr(got, "content-length"));
	H_ASSERT_CONTAINS(got, "\r\n\r\ndata: 0\r\n\r\ndata: 1\r\n\r\n");
	H_ASSERT(events(got) >= 10);
	H_ASSERT(uri_before > 0);
	H_ASSERT_EQ_INT(uri_after, 0);
	H_ASSERT_EQ_INT(detach_rc, 0);
	H_ASSERT_EQ_INT(sse_null_rc, 0);
	H_ASSERT_EQ_INT(closed_http, 0);

	/* The client vanishes mid-stream: CLOSED_HTTP, and the server carries on. */
	close(fd);
	for (i = 0; i < 2000 && !closed_http; i++) {
		lws_service(cx, -1);
		usleep(1000);
	}
	H_ASSERT_EQ_INT(closed_http, 1);
	fd = open_stream(port);
	got[0] = '\0';
	H_ASSERT(collect(fd, got, sizeof got, 500) > 0);
	H_ASSERT(events(got) >= 2);
	close(fd);
	for (i = 0; i < 2000 && closed_http < 2; i++) {
		lws_service(cx, -1);
		usleep(1000);
	}
	H_ASSERT_EQ_INT(closed_http, 2);

	lws_context_destroy(cx);
	return h_pass();
}

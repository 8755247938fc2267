/*
 * B4.4: every client failure after a non-NULL return is one
 * CLIENT_CONNECTION_ERROR with a reason, then WSI_DESTROY, never
 * CLIENT_CLOSED. B4.T3 refused port ("conn fail: 111"); B4.T5 a 200 answer
 * (ESTABLISHED_CLIENT_HTTP first, then "HS: ws upgrade response not 101");
 * B4.T6 CLIENT_FILTER_PRE_ESTABLISH returning -1 ("HS: Rejected by filter
 * cb"); a silent server ("Timed out waiting server reply" after
 * timeout_secs); a peer that hangs up before answering; a peer that resets
 * the connection instead of answering ("read failed", as lws).
 * ctest-timeout: 60
 */
#include <libwebsockets.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>
#include "../harness/harness.h"

enum { ANSWER_200, ANSWER_NOTHING, ANSWER_HANGUP, ANSWER_RESET };

static struct lws_context *cx;
static char error_text[128];
static int errors, closed, established_http, destroyed, reject_in_filter;
static volatile int mode;

static int
cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	(void)wsi; (void)user; (void)len;
	switch (reason) {
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		errors++;
		lws_strncpy(error_text, in ? (const char *)in : "", sizeof error_text);
		break;
	case LWS_CALLBACK_ESTABLISHED_CLIENT_HTTP:
		established_http++;
		break;
	case LWS_CALLBACK_CLIENT_FILTER_PRE_ESTABLISH:
		return reject_in_filter ? -1 : 0;
	case LWS_CALLBACK_CLIENT_CLOSED:
		closed++;
		break;
	case LWS_CALLBACK_WSI_DESTROY:
		destroyed++;
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "c", cb, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static int listen_fd;

static int
listener(void)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	H_ASSERT(bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0);
	H_ASSERT(listen(fd, 8) == 0);
	H_ASSERT(getsockname(fd, (struct sockaddr *)&sa, &sl) == 0);
	listen_fd = fd;
	return ntohs(sa.sin_port);
}

/* A fake server: reads the request, then answers as `mode` says. */
static void *
fake_server(void *a)
{
	char req[4096];
	int c;

	(void)a;
	for (;;) {
		c = accept(listen_fd, NULL, NULL);
		if (c < 0)
			return NULL;
		if (read(c, req, sizeof req) <= 0) {
			close(c);
			continue;
		}
		if (mode == ANSWER_200) {
			const char *r = "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n";
			if (write(c, r, strlen(r)) < 0)
				break;
		} else if (mode == ANSWER_NOTHING) {
			sleep(3);
		} else if (mode == ANSWER_RESET) {
			struct linger l = { 1, 0 };

			setsockopt(c, SOL_SOCKET, SO_LINGER, &l, sizeof l);
		}
		close(c);
	}
	return NULL;
}

static void
run_connect(int port)
{
	struct lws_client_connect_info ci;
	int n = 0, start_destroyed = destroyed;

	errors = closed = established_http = 0;
	error_text[0] = '\0';
	memset(&ci, 0, sizeof ci);
	ci.context = cx;
	ci.address = "127.0.0.1";
	ci.port = port;
	ci.host = "127.0.0.1";
	ci.protocol = "c";
	H_ASSERT(lws_client_connect_via_info(&ci) != NULL);
	while (destroyed == start_destroyed && n >= 0)
		n = lws_service(cx, 0);
	H_ASSERT_EQ_INT(errors, 1);
	H_ASSERT_EQ_INT(closed, 0);
}

int main(void)
{
	struct lws_context_creation_info info;
	pthread_t th;
	int port, dead_port;

	h_watchdog(40);
	lws_set_log_level(LLL_ERR, NULL);
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.timeout_secs = 1;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);

	/* B4.T3: a port nobody listens on */
	dead_port = listener();
	close(listen_fd);
	run_connect(dead_port);
	H_ASSERT_STREQ(error_text, "conn fail: 111");

	port = listener();
	pthread_create(&th, NULL, fake_server, NULL);

	mode = ANSWER_200;
	run_connect(port);
	H_ASSERT_EQ_INT(established_http, 1);
	H_ASSERT_STREQ(error_text, "HS: ws upgrade response not 101");

	mode = ANSWER_HANGUP;
	run_connect(port);
	H_ASSERT_STREQ(error_text, "Peer hung up");

	mode = ANSWER_RESET;
	run_connect(port);
	H_ASSERT_STREQ(error_text, "read failed");

	mode = ANSWER_NOTHING;
	run_connect(port);
	H_ASSERT_STREQ(error_text, "Timed out waiting server reply");

	/* B4.T6: a real server, refused by our own filter */
	{
		struct lws_vhost *vh;

		info.port = 0;
		info.iface = "127.0.0.1";
		info.vhost_name = "srv";
		vh = lws_create_vhost(cx, &info);
		H_ASSERT(vh != NULL);
		reject_in_filter = 1;
		run_connect(lws_get_vhost_listen_port(vh));
		H_ASSERT_STREQ(error_text, "HS: Rejected by filter cb");
	}

	lws_context_destroy(cx);
	shutdown(listen_fd, SHUT_RDWR);
	close(listen_fd);
	return h_pass();
}

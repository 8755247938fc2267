/*
 * B1.T10: port 0 listens on an OS-chosen port (a TCP connect succeeds);
 * CONTEXT_PORT_NO_LISTEN creates no listener. B1.T11: a busy port fails
 * context creation (NULL). EXPLICIT_VHOSTS creates no default vhost.
 */
#include <libwebsockets.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>
#include "../harness/harness.h"

static const struct lws_protocols protocols[] = {
	{ "p", lws_callback_http_dummy, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static int
tcp_connect(int port)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0), r;

	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	r = connect(fd, (struct sockaddr *)&sa, sizeof sa);
	close(fd);
	return r;
}

int main(void)
{
	struct lws_context_creation_info info;
	struct lws_context *cx, *cx2;
	struct lws_vhost *vh;
	int port;

	h_watchdog(20);
	lws_set_log_level(LLL_ERR, NULL);
	memset(&info, 0, sizeof info);
	info.port = 0;
	info.iface = "127.0.0.1";
	info.protocols = protocols;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	vh = lws_get_vhost_by_name(cx, "default");
	H_ASSERT(vh != NULL);
	port = lws_get_vhost_listen_port(vh);
	H_ASSERT(port > 0);
	H_ASSERT_EQ_INT(tcp_connect(port), 0);

	/* B1.T11: the same port again */
	info.port = port;
	cx2 = lws_create_context(&info);
	H_ASSERT(cx2 == NULL);

	/* interface by name */
	info.port = 0;
	info.iface = "lo";
	cx2 = lws_create_context(&info);
	H_ASSERT(cx2 != NULL);
	lws_context_destroy(cx2);

	info.iface = "no-such-interface0";
	H_ASSERT(lws_create_context(&info) == NULL);

	info.iface = NULL;
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.vhost_name = "client";
	vh = lws_create_vhost(cx, &info);
	H_ASSERT(vh != NULL);
	H_ASSERT_EQ_INT(lws_get_vhost_listen_port(vh), CONTEXT_PORT_NO_LISTEN);

	/* destroyed vhosts are not found; their listener closes */
	vh = lws_get_vhost_by_name(cx, "default");
	lws_vhost_destroy(vh);
	H_ASSERT(lws_get_vhost_by_name(cx, "default") == NULL);
	H_ASSERT(lws_service(cx, -1) >= 0);
	H_ASSERT(tcp_connect(port) != 0);
	lws_context_destroy(cx);

	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	info.port = 0;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	H_ASSERT(lws_get_vhost_by_name(cx, "default") == NULL);
	H_ASSERT(lws_get_vhost_by_name(cx, "client") == NULL);
	lws_context_destroy(cx);
	return h_pass();
}

/*
 * B3.1: vhosts created with the same port share one listening socket, and a
 * request is routed to the vhost named by its Host header (port stripped;
 * exact name first, then a parent domain), falling back to the first vhost on
 * that port.
 */
#include <libwebsockets.h>

#include <string.h>
#include "../harness/harness.h"

static struct lws_context *cx;
static char routed_to[64];
static int established, done;

static int
cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	(void)user; (void)in; (void)len;
	switch (reason) {
	case LWS_CALLBACK_ESTABLISHED:
		lws_strncpy(routed_to, lws_get_vhost_name(lws_get_vhost(wsi)), sizeof routed_to);
		break;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		established++;
		return -1;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		/* our CLIENT_ESTABLISHED returned -1: lws reports that as this error */
		if (!in || strcmp((const char *)in, "HS: Rejected at CLIENT_ESTABLISHED"))
			H_FAIL("connection error: %s", in ? (const char *)in : "-");
		done = 1;
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
		done = 1;
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "r", cb, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static void
connect_as(int port, const char *host, const char *expect)
{
	struct lws_client_connect_info ci;
	int n = 0;

	done = 0;
	routed_to[0] = '\0';
	memset(&ci, 0, sizeof ci);
	ci.context = cx;
	ci.address = "127.0.0.1";
	ci.port = port;
	ci.host = host;
	ci.protocol = "r";
	ci.vhost = lws_get_vhost_by_name(cx, "client");
	H_ASSERT(lws_client_connect_via_info(&ci) != NULL);
	while (!done && n >= 0)
		n = lws_service(cx, 0);
	H_ASSERT_STREQ(routed_to, expect);
}

int main(void)
{
	struct lws_context_creation_info info;
	int port;

	h_watchdog(20);
	lws_set_log_level(LLL_ERR, NULL);
	memset(&info, 0, sizeof info);
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	info.protocols = protocols;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);

	info.port = 0;
	info.iface = "127.0.0.1";
	info.vhost_name = "first.test";
	H_ASSERT(lws_create_vhost(cx, &info) != NULL);
	port = lws_get_vhost_listen_port(lws_get_vhost_by_name(cx, "first.test"));
	info.port = port;
	info.vhost_name = "second.test";
	H_ASSERT(lws_create_vhost(cx, &info) != NULL);
	H_ASSERT_EQ_INT(lws_get_vhost_listen_port(lws_get_vhost_by_name(cx, "second.test")), port);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.vhost_name = "client";
	H_ASSERT(lws_create_vhost(cx, &info) != NULL);

	connect_as(port, "second.test", "second.test");
	connect_as(port, "second.test:1234", "second.test");
	connect_as(port, "www.second.test", "second.test");
	connect_as(port, "first.test", "first.test");
	connect_as(port, "unknown.example", "first.test");
	H_ASSERT_EQ_INT(established, 5);
	lws_context_destroy(cx);
	return h_pass();
}

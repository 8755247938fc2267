/*
 * docs/COMPAT.md rows 13 and 16 (B3.T2, B4.1):
 * 13. lws_callback_on_writable_all_protocol_vhost() also accepts a protocol
 *     pointer that is not the vhost's copy but has the same name (here the
 *     application's own table): SERVER_WRITEABLE reaches the connection.
 * 16. A connect info with host == NULL sends the address as the Host header.
 */
#include <libwebsockets.h>
#include "../harness/harness.h"

static struct lws_context *cx;
static struct lws_vhost *srv;
static char seen_host[64];
static int server_writeable, client_closed, asked;

static int cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
	      size_t len);

static const struct lws_protocols protocols[] = {
	{ "p", cb, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static int
cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	(void)user; (void)in; (void)len;
	switch (reason) {
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		if (lws_hdr_copy(wsi, seen_host, sizeof seen_host, WSI_TOKEN_HOST) < 0)
			seen_host[0] = '\0';
		break;
	case LWS_CALLBACK_ESTABLISHED:
		/* The application's table, not lws_get_protocol(wsi). */
		H_ASSERT(lws_get_protocol(wsi) != &protocols[0]);
		H_ASSERT_EQ_INT(lws_callback_on_writable_all_protocol_vhost(srv, &protocols[0]), 0);
		asked = 1;
		break;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		server_writeable++;
		return -1;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		H_FAIL("connection error: %s", in ? (const char *)in : "-");
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
		client_closed = 1;
		break;
	default:
		break;
	}
	return 0;
}

int main(void)
{
	struct lws_context_creation_info info;
	struct lws_client_connect_info ci;
	int n;

	h_watchdog(20);
	lws_set_log_level(LLL_ERR, NULL);
	memset(&info, 0, sizeof info);
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	info.protocols = protocols;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	info.port = 0;
	info.iface = "127.0.0.1";
	info.vhost_name = "srv";
	srv = lws_create_vhost(cx, &info);
	H_ASSERT(srv != NULL);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.iface = NULL;
	info.vhost_name = "cli";
	H_ASSERT(lws_create_vhost(cx, &info) != NULL);

	memset(&ci, 0, sizeof ci);
	ci.context = cx;
	ci.address = "127.0.0.1";
	ci.port = lws_get_vhost_listen_port(srv);
	ci.host = NULL;
	ci.protocol = "p";
	ci.vhost = lws_get_vhost_by_name(cx, "cli");
	H_ASSERT(lws_client_connect_via_info(&ci) != NULL);
	for (n = 0; n < 500 && !client_closed; n++)
		H_ASSERT(lws_service(cx, 10) >= 0);
	H_ASSERT(asked);
	H_ASSERT_EQ_INT(server_writeable, 1);
	H_ASSERT_STREQ(seen_host, "127.0.0.1");
	H_ASSERT(client_closed);
	lws_context_destroy(cx);
	return h_pass();
}

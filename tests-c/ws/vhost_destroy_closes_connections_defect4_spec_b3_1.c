/*
 * Issue 10 defect 4 (B3.1, B1.7 order): lws_vhost_destroy() closes the vhost's
 * connections first, each with its closing callbacks and WSI_DESTROY, and only
 * then sends PROTOCOL_DESTROY and frees the per-vhost storage. The client at
 * the other end sees its connection closed.
 */
#include <libwebsockets.h>
#include "../harness/harness.h"

static struct lws_context *cx;
static int server_established, client_established, client_closed;

static const char *
vhname(struct lws *wsi)
{
	struct lws_vhost *vh = lws_get_vhost(wsi);

	return vh ? lws_get_vhost_name(vh) : "?";
}

static int
cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	(void)user; (void)in; (void)len;
	if (strcmp(vhname(wsi), "srv"))
		goto client;
	switch (reason) {
	case LWS_CALLBACK_ESTABLISHED:
		server_established++;
		break;
	case LWS_CALLBACK_CLOSED:
		h_trace_addf("srv:closed");
		/* Per-vhost storage is still there while its connections close. */
		H_ASSERT(lws_protocol_vh_priv_get(lws_get_vhost(wsi),
						  lws_get_protocol(wsi)) != NULL);
		break;
	case LWS_CALLBACK_WSI_DESTROY:
		h_trace_addf("srv:wsi_destroy");
		break;
	case LWS_CALLBACK_PROTOCOL_INIT:
		H_ASSERT(lws_protocol_vh_priv_zalloc(lws_get_vhost(wsi),
						     lws_get_protocol(wsi), 16) != NULL);
		break;
	case LWS_CALLBACK_PROTOCOL_DESTROY:
		h_trace_addf("srv:protocol_destroy");
		break;
	default:
		break;
	}
	return 0;
client:
	switch (reason) {
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		client_established++;
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		H_FAIL("connection error: %s", in ? (const char *)in : "-");
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
		client_closed++;
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "p", cb, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

/* Positions of trace entries by text. */
static int
at(const char *what)
{
	int i;

	for (i = 0; i < h_trace_len; i++)
		if (!strcmp(h_trace_entries[i], what))
			return i;
	return -1;
}

int main(void)
{
	struct lws_context_creation_info info;
	struct lws_client_connect_info ci;
	struct lws_vhost *srv;
	int port, n;

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
	port = lws_get_vhost_listen_port(srv);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.iface = NULL;
	info.vhost_name = "cli";
	H_ASSERT(lws_create_vhost(cx, &info) != NULL);

	memset(&ci, 0, sizeof ci);
	ci.context = cx;
	ci.address = "127.0.0.1";
	ci.port = port;
	ci.host = "127.0.0.1";
	ci.protocol = "p";
	ci.vhost = lws_get_vhost_by_name(cx, "cli");
	H_ASSERT(lws_client_connect_via_info(&ci) != NULL);
	for (n = 0; n < 500 && !(server_established && client_established); n++)
		H_ASSERT(lws_service(cx, 10) >= 0);
	H_ASSERT_EQ_INT(server_established, 1);
	H_ASSERT_EQ_INT(client_established, 1);

	lws_vhost_destroy(srv);
	for (n = 0; n < 500 && !(client_closed && at("srv:protocol_destroy") >= 0); n++)
		H_ASSERT(lws_service(cx, 10) >= 0);
	H_ASSERT(at("srv:closed") >= 0);
	H_ASSERT(at("srv:wsi_destroy") > at("srv:closed"));
	H_ASSERT(at("srv:protocol_destroy") > at("srv:wsi_destroy"));
	H_ASSERT_EQ_INT(client_closed, 1);

	h_trace_reset();
	lws_context_destroy(cx);
	/* Nothing of the destroyed vhost is heard again. */
	H_ASSERT_EQ_INT(h_trace_len, 0);
	return h_pass();
}

/*
 * Issue 10 re-entry table (B1.4, guide R2/R3): from inside every callback reason
 * a loopback ws session produces (protocol-wide, server, client, timers), a
 * fixed set of APIs is called. None may meet a held library lock ("context is
 * busy") or an internal error, and a nested lws_service() is refused (-1) in
 * every one of them. The table of reasons reached is checked for coverage.
 */
#include <libwebsockets.h>
#include "../harness/harness.h"

static struct lws_context *cx;
static int busy_lines, internal_lines, nested_ok = 1, calls;
static int reached[LWS_CALLBACK_USER + 1];
static int server_est, client_est, client_closed, sent, received;
static lws_sorted_usec_list_t probe_sul, tick_sul;
/* During lws_context_destroy the vhosts are no longer found by name. */
static int destroying;

static void
emit(int level, const char *line)
{
	(void)level;
	if (strstr(line, "context is busy"))
		busy_lines++;
	if (strstr(line, "internal error"))
		internal_lines++;
}

static void
never(lws_sorted_usec_list_t *s)
{
	(void)s;
}

/* The table's columns: what every callback calls. */
static void
probe(struct lws *wsi, int reason)
{
	char peer[64];
	void *op;

	calls++;
	if (reason >= 0 && reason <= LWS_CALLBACK_USER)
		reached[reason]++;
	if (lws_service(cx, 0) != -1)
		nested_ok = 0;
	if (lws_get_context(wsi) != cx || !lws_get_vhost(wsi) || !lws_get_protocol(wsi) ||
	    lws_context_user(cx) != (void *)&cx)
		H_FAIL("reason %d: wsi accessors refused", reason);
	if (!destroying && !lws_get_vhost_by_name(cx, "srv"))
		H_FAIL("reason %d: vhost lookup refused", reason);
	op = lws_get_opaque_user_data(wsi);
	lws_set_opaque_user_data(wsi, op);
	(void)lws_wsi_user(wsi);
	(void)lws_is_final_fragment(wsi);
	(void)lws_is_first_fragment(wsi);
	(void)lws_frame_is_binary(wsi);
	(void)lws_remaining_packet_payload(wsi);
	(void)lws_partial_buffered(wsi);
	(void)lws_get_socket_fd(wsi);
	(void)lws_get_peer_simple(wsi, peer, sizeof peer);
	(void)lws_hdr_total_length(wsi, WSI_TOKEN_HOST);
	lws_sul_schedule(cx, 0, &probe_sul, never, 10 * LWS_US_PER_SEC);
	lws_sul_cancel(&probe_sul);
	if (reason != LWS_CALLBACK_EVENT_WAIT_CANCELLED)
		lws_cancel_service(cx);
}

static void
tick(lws_sorted_usec_list_t *s)
{
	(void)s;
	reached[LWS_CALLBACK_USER]++;
	if (lws_service(cx, 0) != -1)
		nested_ok = 0;
	H_ASSERT(lws_get_vhost_by_name(cx, "srv") != NULL);
}

static int
cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	unsigned char buf[LWS_PRE + 8];

	(void)user; (void)in; (void)len;
	probe(wsi, (int)reason);
	switch (reason) {
	case LWS_CALLBACK_PROTOCOL_INIT:
		if (!strcmp(lws_get_vhost_name(lws_get_vhost(wsi)), "srv"))
			lws_sul_schedule(cx, 0, &tick_sul, tick, 1000);
		break;
	case LWS_CALLBACK_ESTABLISHED:
		server_est++;
		lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		if (!sent++) {
			memcpy(buf + LWS_PRE, "hi", 2);
			H_ASSERT_EQ_INT(lws_write(wsi, buf + LWS_PRE, 2, LWS_WRITE_TEXT), 2);
		}
		break;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		client_est++;
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		received++;
		lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, (unsigned char *)"ok", 2);
		return -1;
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

int main(void)
{
	static const int must[] = {
		LWS_CALLBACK_PROTOCOL_INIT, LWS_CALLBACK_EVENT_WAIT_CANCELLED,
		LWS_CALLBACK_WSI_CREATE, LWS_CALLBACK_SERVER_NEW_CLIENT_INSTANTIATED,
		LWS_CALLBACK_HTTP_BIND_PROTOCOL, LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION,
		LWS_CALLBACK_ADD_HEADERS, LWS_CALLBACK_ESTABLISHED,
		LWS_CALLBACK_SERVER_WRITEABLE, LWS_CALLBACK_WS_PEER_INITIATED_CLOSE,
		LWS_CALLBACK_CLOSED, LWS_CALLBACK_WSI_DESTROY,
		LWS_CALLBACK_CLIENT_HTTP_BIND_PROTOCOL, LWS_CALLBACK_CONNECTING,
		LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER,
		LWS_CALLBACK_ESTABLISHED_CLIENT_HTTP, LWS_CALLBACK_CLIENT_FILTER_PRE_ESTABLISH,
		LWS_CALLBACK_CLIENT_ESTABLISHED, LWS_CALLBACK_CLIENT_RECEIVE,
		LWS_CALLBACK_CLIENT_CLOSED, LWS_CALLBACK_USER /* the sul */
	};
	struct lws_context_creation_info info;
	struct lws_client_connect_info ci;
	struct lws_vhost *srv;
	int n, port;
	size_t i;

	h_watchdog(20);
	lws_set_log_level(LLL_ERR | LLL_WARN, emit);
	memset(&info, 0, sizeof info);
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	info.protocols = protocols;
	info.user = (void *)&cx;
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
	for (n = 0; n < 5; n++)
		H_ASSERT(lws_service(cx, -1) >= 0);

	memset(&ci, 0, sizeof ci);
	ci.context = cx;
	ci.address = "127.0.0.1";
	ci.port = port;
	ci.host = "127.0.0.1";
	ci.protocol = "p";
	ci.vhost = lws_get_vhost_by_name(cx, "cli");
	H_ASSERT(lws_client_connect_via_info(&ci) != NULL);
	/* Until the session is over and the 1 ms timer has fired (a fast session
	 * can end first). */
	for (n = 0; n < 1000 && !(client_closed && reached[LWS_CALLBACK_CLOSED] &&
				  reached[LWS_CALLBACK_WSI_DESTROY] >= 2 &&
				  reached[LWS_CALLBACK_USER]); n++)
		H_ASSERT(lws_service(cx, 10) >= 0);
	H_ASSERT_EQ_INT(received, 1);
	destroying = 1;
	lws_context_destroy(cx);
	lws_set_log_level(LLL_ERR | LLL_WARN, lwsl_emit_stderr);

	for (i = 0; i < sizeof must / sizeof must[0]; i++)
		if (!reached[must[i]])
			H_FAIL("reason %d never reached", must[i]);
	H_ASSERT(reached[LWS_CALLBACK_PROTOCOL_DESTROY] > 0);
	H_ASSERT(nested_ok);
	H_ASSERT_EQ_INT(busy_lines, 0);
	H_ASSERT_EQ_INT(internal_lines, 0);
	fprintf(stderr, "%d callbacks probed\n", calls);
	return h_pass();
}

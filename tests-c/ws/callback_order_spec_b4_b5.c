/*
 * One context serves and connects to itself over loopback.
 * B4.T1: the client's callbacks after the TCP connect come in lws's order;
 * B5.4: the server's too, with the request headers readable up to ESTABLISHED
 * (B4.T7: a header appended in CLIENT_APPEND_HANDSHAKE_HEADER reaches the
 * server; the Host header is i.host; B5.4 step 8: a header added in
 * ADD_HEADERS reaches the client). B4.T8: `userdata` is the client's user
 * pointer; the server's per-session data is zeroed. B6.T4: lws_close_reason
 * + return -1 sends code 1001 "bye", which the peer sees in
 * WS_PEER_INITIATED_CLOSE. B4.T2: CLIENT_CLOSED exactly once, then WSI_DESTROY
 * to protocols[0] although the connection is bound to protocols[1].
 */
#include <libwebsockets.h>
#include "../harness/harness.h"

struct pss { int zero_check[8]; };

static struct lws_context *cx;
static int done, destroys_on_p0, client_closed, client_user_ok = 1;
static char peer_close[16];
static size_t peer_close_len;
static char seen_header[32], seen_host[64], seen_server_header[16];
static int userdata_marker;

static int
cb_p0(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	(void)user; (void)in; (void)len;
	if (reason == LWS_CALLBACK_WSI_DESTROY) {
		destroys_on_p0++;
		h_trace_addf("p0:destroy");
		if (destroys_on_p0 == 2)
			done = 1;
	}
	if (reason == LWS_CALLBACK_WSI_CREATE)
		h_trace_addf("p0:create");
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols protocols[3];

static int
cb_test(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	struct pss *pss = (struct pss *)user;
	char **p, *end;
	int i;

	switch (reason) {
	/* client side */
	case LWS_CALLBACK_CLIENT_HTTP_BIND_PROTOCOL:
		h_trace_addf("c:bind");
		break;
	case LWS_CALLBACK_CONNECTING:
		h_trace_addf("c:connecting");
		break;
	case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
		h_trace_addf("c:append");
		p = (char **)in;
		end = *p + len;
		if (lws_add_http_header_by_name(wsi, (const unsigned char *)"x-test:",
				(const unsigned char *)"hello", 5, (unsigned char **)p, (unsigned char *)end))
			return -1;
		break;
	case LWS_CALLBACK_ESTABLISHED_CLIENT_HTTP:
		h_trace_addf("c:est-http");
		H_ASSERT_EQ_INT(lws_http_client_http_response(wsi), 101);
		lws_hdr_custom_copy(wsi, seen_server_header, sizeof seen_server_header, "x-server:", 9);
		break;
	case LWS_CALLBACK_CLIENT_FILTER_PRE_ESTABLISH:
		h_trace_addf("c:pre-est");
		break;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		h_trace_addf("c:established");
		if (user != &userdata_marker)
			client_user_ok = 0;
		break;
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		h_trace_addf("c:peer-close");
		peer_close_len = len < sizeof peer_close ? len : sizeof peer_close;
		memcpy(peer_close, in, peer_close_len);
		break;
	case LWS_CALLBACK_WS_CLIENT_DROP_PROTOCOL:
		h_trace_addf("c:drop");
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
		h_trace_addf("c:closed");
		client_closed++;
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		H_FAIL("connection error: %s", in ? (const char *)in : "-");
		break;

	/* server side */
	case LWS_CALLBACK_HTTP_BIND_PROTOCOL:
		h_trace_addf("s:bind");
		break;
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		h_trace_addf("s:filter");
		lws_hdr_custom_copy(wsi, seen_header, sizeof seen_header, "x-test:", 7);
		lws_hdr_copy(wsi, seen_host, sizeof seen_host, WSI_TOKEN_HOST);
		break;
	case LWS_CALLBACK_ADD_HEADERS:
		h_trace_addf("s:add-headers");
		{
			struct lws_process_html_args *args = (struct lws_process_html_args *)in;

			if (lws_add_http_header_by_name(wsi, (const unsigned char *)"x-server:",
					(const unsigned char *)"yes", 3, (unsigned char **)&args->p,
					(unsigned char *)args->p + args->max_len))
				return -1;
		}
		break;
	case LWS_CALLBACK_ESTABLISHED:
		h_trace_addf("s:established");
		for (i = 0; i < 8; i++)
			H_ASSERT_EQ_INT(pss->zero_check[i], 0);
		H_ASSERT(lws_hdr_total_length(wsi, WSI_TOKEN_UPGRADE) > 0);
		/* the application's own protocol pointer is accepted (COMPAT 13) */
		H_ASSERT_EQ_INT(lws_callback_on_writable_all_protocol_vhost(lws_get_vhost(wsi),
				&protocols[1]), 0);
		break;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		h_trace_addf("s:writeable");
		lws_close_reason(wsi, LWS_CLOSE_STATUS_GOINGAWAY, (unsigned char *)"bye", 3);
		return -1;
	case LWS_CALLBACK_WS_SERVER_DROP_PROTOCOL:
		h_trace_addf("s:drop");
		break;
	case LWS_CALLBACK_CLOSED:
		h_trace_addf("s:closed");
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[3] = {
	{ "http", cb_p0, 0, 0, 0, NULL, 0 },
	{ "test", cb_test, sizeof(struct pss), 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static int
index_of(const char *what)
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
	struct lws *wsi, *pwsi = NULL;
	int n = 0;

	h_watchdog(20);
	lws_set_log_level(LLL_ERR | LLL_WARN, NULL);
	memset(&info, 0, sizeof info);
	info.port = 0;
	info.iface = "127.0.0.1";
	info.protocols = protocols;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);

	memset(&ci, 0, sizeof ci);
	ci.context = cx;
	ci.address = "127.0.0.1";
	ci.port = lws_get_vhost_listen_port(lws_get_vhost_by_name(cx, "default"));
	ci.path = "/chat";
	ci.host = "example.test";
	ci.protocol = "test";
	ci.userdata = &userdata_marker;
	ci.pwsi = &pwsi;
	wsi = lws_client_connect_via_info(&ci);
	H_ASSERT(wsi != NULL);
	H_ASSERT(pwsi == wsi);
	H_ASSERT(lws_wsi_user(wsi) == &userdata_marker);

	while (!done && n >= 0)
		n = lws_service(cx, 0);

	/* B4.T1: client order */
	H_ASSERT(index_of("c:bind") < index_of("c:connecting"));
	H_ASSERT(index_of("c:append") < index_of("c:est-http"));
	H_ASSERT(index_of("c:est-http") < index_of("c:pre-est"));
	H_ASSERT(index_of("c:pre-est") < index_of("c:established"));
	/* B5.4: server order */
	H_ASSERT(index_of("p0:create") < index_of("s:bind"));
	H_ASSERT(index_of("s:bind") < index_of("s:filter"));
	H_ASSERT(index_of("s:filter") < index_of("s:add-headers"));
	H_ASSERT(index_of("s:add-headers") < index_of("s:established"));
	H_ASSERT_STREQ(seen_server_header, "yes");
	H_ASSERT(index_of("s:established") < index_of("s:writeable"));
	H_ASSERT(index_of("s:drop") < index_of("s:closed"));
	/* B4.T7 */
	H_ASSERT_STREQ(seen_header, "hello");
	H_ASSERT_STREQ(seen_host, "example.test");
	/* B4.T8 */
	H_ASSERT(client_user_ok);
	/* B6.T4 / B6.T5 */
	H_ASSERT(peer_close_len == 5);
	H_ASSERT((unsigned char)peer_close[0] == 0x03 && (unsigned char)peer_close[1] == 0xe9);
	H_ASSERT(!memcmp(peer_close + 2, "bye", 3));
	/* B4.T2 */
	H_ASSERT_EQ_INT(client_closed, 1);
	H_ASSERT(index_of("c:drop") < index_of("c:closed"));
	H_ASSERT_EQ_INT(destroys_on_p0, 2);

	lws_context_destroy(cx);
	return h_pass();
}

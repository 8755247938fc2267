/*
 * Issue #13 (COMPAT P3): a program can refuse permessage-deflate per
 * connection, as with lws. One context with the extension serves and connects
 * to itself, three times:
 *   0: both callbacks return 0       -> the 101 answers permessage-deflate;
 *   1: the server's bound protocol returns 1 for CONFIRM_EXTENSION_OKAY
 *      -> the client's offer arrives, the 101 names no extension;
 *   2: protocols[0] returns 1 for CLIENT_CONFIRM_EXTENSION_SUPPORTED
 *      -> no offer is sent, and the server is not asked.
 * Each callback gets `in` = "permessage-deflate" (a C string), `len` 0; the
 * client's goes to protocols[0], the server's to the protocol bound by the
 * upgrade, after FILTER_PROTOCOL_CONNECTION and before ADD_HEADERS. A message
 * still echoes in every mode.
 */
#include <libwebsockets.h>
#include "../harness/harness.h"

static int mode, done, destroys, s_confirms, c_confirms, s_offer_len, echoed;
static char c_answer[128];

static int
cb_p0(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	switch (reason) {
	case LWS_CALLBACK_CLIENT_CONFIRM_EXTENSION_SUPPORTED:
		H_ASSERT_STREQ((const char *)in, "permessage-deflate");
		H_ASSERT_EQ_INT(len, 0);
		c_confirms++;
		h_trace_add(reason);
		return mode == 2;
	case LWS_CALLBACK_CONFIRM_EXTENSION_OKAY:
		H_FAIL("CONFIRM_EXTENSION_OKAY reached protocols[0], not the bound protocol");
	case LWS_CALLBACK_WSI_DESTROY:
		if (++destroys == 2)
			done = 1;
		break;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static int
cb_test(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	unsigned char buf[LWS_PRE + 16];

	(void)user;
	switch (reason) {
	case LWS_CALLBACK_CLIENT_CONFIRM_EXTENSION_SUPPORTED:
		H_FAIL("CLIENT_CONFIRM_EXTENSION_SUPPORTED reached the bound protocol");
	case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
		h_trace_add(reason);
		break;
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		h_trace_add(reason);
		s_offer_len = lws_hdr_total_length(wsi, WSI_TOKEN_EXTENSIONS);
		break;
	case LWS_CALLBACK_CONFIRM_EXTENSION_OKAY:
		H_ASSERT_STREQ((const char *)in, "permessage-deflate");
		H_ASSERT_EQ_INT(len, 0);
		s_confirms++;
		h_trace_add(reason);
		return mode == 1;
	case LWS_CALLBACK_ADD_HEADERS:
		h_trace_add(reason);
		break;
	case LWS_CALLBACK_ESTABLISHED_CLIENT_HTTP:
		if (lws_hdr_copy(wsi, c_answer, sizeof c_answer, WSI_TOKEN_EXTENSIONS) < 0)
			c_answer[0] = '\0';
		break;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		memcpy(buf + LWS_PRE, "hello", 5);
		H_ASSERT_EQ_INT(lws_write(wsi, buf + LWS_PRE, 5, LWS_WRITE_TEXT), 5);
		break;
	case LWS_CALLBACK_RECEIVE:
		memcpy(buf + LWS_PRE, in, len < 16 ? len : 16);
		H_ASSERT_EQ_INT(lws_write(wsi, buf + LWS_PRE, len, LWS_WRITE_TEXT), (int)len);
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		H_ASSERT_EQ_INT(len, 5);
		H_ASSERT(!memcmp(in, "hello", 5));
		echoed = 1;
		return -1;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		H_FAIL("mode %d: connection error: %s", mode, in ? (const char *)in : "-");
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "http", cb_p0, 0, 0, 0, NULL, 0 },
	{ "test", cb_test, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static const struct lws_extension extensions[] = {
	{ "permessage-deflate", lws_extension_callback_pm_deflate,
	  "permessage-deflate; client_no_context_takeover; client_max_window_bits" },
	{ NULL, NULL, NULL }
};

static void
run(void)
{
	struct lws_context_creation_info info;
	struct lws_client_connect_info ci;
	struct lws_context *cx;
	int n = 0;

	done = destroys = s_confirms = c_confirms = echoed = 0;
	s_offer_len = -1;
	c_answer[0] = '\0';
	h_trace_reset();
	memset(&info, 0, sizeof info);
	info.port = 0;
	info.iface = "127.0.0.1";
	info.protocols = protocols;
	info.extensions = extensions;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	memset(&ci, 0, sizeof ci);
	ci.context = cx;
	ci.address = "127.0.0.1";
	ci.port = lws_get_vhost_listen_port(lws_get_vhost_by_name(cx, "default"));
	ci.path = "/";
	ci.host = "127.0.0.1";
	ci.protocol = "test";
	H_ASSERT(lws_client_connect_via_info(&ci) != NULL);
	while (!done && n >= 0)
		n = lws_service(cx, 0);
	lws_context_destroy(cx);
	H_ASSERT(echoed);
}

int main(void)
{
	h_watchdog(20);
	lws_set_log_level(LLL_ERR | LLL_WARN, NULL);

	mode = 0;
	run();
	H_ASSERT_EQ_INT(c_confirms, 1);
	H_ASSERT_EQ_INT(s_confirms, 1);
	H_ASSERT(s_offer_len > 0);
	H_ASSERT_CONTAINS(c_answer, "permessage-deflate");
	H_ASSERT(h_trace_index(LWS_CALLBACK_CLIENT_CONFIRM_EXTENSION_SUPPORTED, 0) <
		 h_trace_index(LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER, 0));
	H_ASSERT(h_trace_index(LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION, 0) <
		 h_trace_index(LWS_CALLBACK_CONFIRM_EXTENSION_OKAY, 0));
	H_ASSERT(h_trace_index(LWS_CALLBACK_CONFIRM_EXTENSION_OKAY, 0) <
		 h_trace_index(LWS_CALLBACK_ADD_HEADERS, 0));

	mode = 1;
	run();
	H_ASSERT_EQ_INT(s_confirms, 1);
	H_ASSERT(s_offer_len > 0);
	H_ASSERT_STREQ(c_answer, "");

	mode = 2;
	run();
	H_ASSERT_EQ_INT(c_confirms, 1);
	H_ASSERT_EQ_INT(s_offer_len, 0);
	H_ASSERT_EQ_INT(s_confirms, 0);
	H_ASSERT_STREQ(c_answer, "");
	return h_pass();
}

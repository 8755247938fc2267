/*
 * Small helpers: lws_http_basic_auth_gen (RFC 7617 example),
 * lws_sa46_write_numeric_address, lws_callback_vhost_protocols_vhost
 * (every protocol of the vhost hears the reason, in order, synchronously).
 */
#include <libwebsockets.h>
#include <arpa/inet.h>
#include "../harness/harness.h"

static int
cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	(void)user;
	if ((int)reason == LWS_CALLBACK_USER + 7) {
		h_trace_addf("%s:%s:%zu", lws_get_protocol(wsi)->name, (const char *)in, len);
		H_ASSERT(lws_wsi_tag(wsi) != NULL);
		H_ASSERT(lws_get_network_wsi(wsi) == wsi);
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "one", cb, 0, 0, 0, NULL, 0 },
	{ "two", cb, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

int main(void)
{
	struct lws_context_creation_info info;
	struct lws_context *cx;
	lws_sockaddr46 sa;
	char buf[64];

	h_watchdog(20);
	lws_set_log_level(LLL_ERR, NULL);
	H_ASSERT_EQ_INT(lws_http_basic_auth_gen("Aladdin", "open sesame", buf, sizeof buf), 0);
	H_ASSERT_STREQ(buf, "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
	H_ASSERT_EQ_INT(lws_http_basic_auth_gen("Aladdin", "open sesame", buf, 10), 1);

	memset(&sa, 0, sizeof sa);
	sa.sa4.sin_family = AF_INET;
	sa.sa4.sin_addr.s_addr = htonl(0x7f000001);
	H_ASSERT_EQ_INT(lws_sa46_write_numeric_address(&sa, buf, sizeof buf), 9);
	H_ASSERT_STREQ(buf, "127.0.0.1");

	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	H_ASSERT_EQ_INT(lws_callback_vhost_protocols_vhost(lws_get_vhost_by_name(cx, "default"),
			LWS_CALLBACK_USER + 7, (void *)"hi", 2), 0);
	H_ASSERT_EQ_INT(h_trace_len, 2);
	H_ASSERT_STREQ(h_trace_entries[0], "one:hi:2");
	H_ASSERT_STREQ(h_trace_entries[1], "two:hi:2");
	lws_context_destroy(cx);
	return h_pass();
}

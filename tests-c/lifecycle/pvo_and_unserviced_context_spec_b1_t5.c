/*
 * B1.T5: with info.pvo naming only protocol "b", "a" gets no PROTOCOL_INIT but
 * does get PROTOCOL_DESTROY; PROTOCOL_INIT's `in` is b's pvo options.
 * B1.7: a context destroyed without ever being serviced sees neither.
 * B1.5: SKIP_PROTOCOL_INIT suppresses a vhost's init.
 */
#include <libwebsockets.h>
#include "../harness/harness.h"

static const struct lws_protocol_vhost_options opt = { NULL, NULL, "k", "v" };
static const struct lws_protocol_vhost_options pvo_b = { NULL, &opt, "b", "" };
static const void *init_in;
static int fail_init_of_a;

static int
cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	(void)user; (void)len;
	if (reason == LWS_CALLBACK_PROTOCOL_INIT) {
		h_trace_addf("init:%s", lws_get_protocol(wsi)->name);
		init_in = in;
		if (fail_init_of_a && !strcmp(lws_get_protocol(wsi)->name, "a"))
			return -1;
	}
	if (reason == LWS_CALLBACK_PROTOCOL_DESTROY)
		h_trace_addf("destroy:%s", lws_get_protocol(wsi)->name);
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "a", cb, 0, 0, 0, NULL, 0 },
	{ "b", cb, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

int main(void)
{
	struct lws_context_creation_info info;
	struct lws_context *cx;

	h_watchdog(20);
	lws_set_log_level(LLL_ERR, NULL);
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;

	/* never serviced: no init, no destroy */
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	lws_context_destroy(cx);
	H_ASSERT_EQ_INT(h_trace_len, 0);

	info.pvo = &pvo_b;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	H_ASSERT(lws_service(cx, -1) >= 0);
	H_ASSERT_EQ_INT(h_trace_len, 1);
	H_ASSERT_STREQ(h_trace_entries[0], "init:b");
	H_ASSERT(init_in == &opt);
	H_ASSERT(lws_pvo_search(&pvo_b, "b") == &pvo_b);
	H_ASSERT(lws_pvo_search(&pvo_b, "x") == NULL);

	info.pvo = NULL;
	info.vhost_name = "skipped";
	info.options = LWS_SERVER_OPTION_SKIP_PROTOCOL_INIT;
	H_ASSERT(lws_create_vhost(cx, &info) != NULL);
	H_ASSERT_EQ_INT(h_trace_len, 1);

	lws_context_destroy(cx);
	H_ASSERT_EQ_INT(h_trace_len, 3);
	H_ASSERT_STREQ(h_trace_entries[1], "destroy:a");
	H_ASSERT_STREQ(h_trace_entries[2], "destroy:b");

	/* COMPAT 11: a failed PROTOCOL_INIT does not stop the others; only the
	 * failed protocol misses PROTOCOL_DESTROY */
	h_trace_reset();
	fail_init_of_a = 1;
	info.options = 0;
	info.vhost_name = NULL;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	H_ASSERT(lws_service(cx, -1) >= 0);
	H_ASSERT_STREQ(h_trace_entries[0], "init:a");
	H_ASSERT_STREQ(h_trace_entries[1], "init:b");
	lws_context_destroy(cx);
	H_ASSERT_EQ_INT(h_trace_len, 3);
	H_ASSERT_STREQ(h_trace_entries[2], "destroy:b");
	return h_pass();
}

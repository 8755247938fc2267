/*
 * Issue 10 defect 1 (B1.7, B1.4): lws_callback_vhost_protocols_vhost() runs user
 * code through the same gate as every callout. A callback it calls that asks for
 * lws_context_destroy() only marks the context (the destroy completes when main
 * calls it again), and its nested lws_service() is refused, even though main,
 * not lws_service(), made the broadcast. The walk over the vhost's protocols
 * finishes on a live vhost.
 */
#include <libwebsockets.h>
#include "../harness/harness.h"

static struct lws_context *cx;

/* Position of the first trace entry equal to `what`, or -1. */
static int
h_trace_index_str(const char *what)
{
	int i;

	for (i = 0; i < h_trace_len; i++)
		if (!strcmp(h_trace_entries[i], what))
			return i;
	return -1;
}
static int nested_service_ret = 99;

static int
cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	const struct lws_protocols *p = lws_get_protocol(wsi);

	(void)user; (void)len;
	switch (reason) {
	case LWS_CALLBACK_USER:
		h_trace_addf("user:%s", p->name);
		H_ASSERT(in == (void *)&nested_service_ret);
		if (!strcmp(p->name, "a")) {
			nested_service_ret = lws_service(cx, 0);
			lws_context_destroy(cx);
			h_trace_addf("destroy-asked");
		}
		break;
	case LWS_CALLBACK_PROTOCOL_DESTROY:
		h_trace_addf("destroy:%s", p->name);
		break;
	default:
		break;
	}
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
	struct lws_vhost *vh;
	int i, r;

	h_watchdog(20);
	lws_set_log_level(LLL_ERR | LLL_WARN, NULL);
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	vh = lws_get_vhost_by_name(cx, "default");
	H_ASSERT(vh != NULL);
	/* Protocol init happens in the first pass. */
	for (i = 0; i < 3; i++)
		H_ASSERT_EQ_INT(lws_service(cx, -1), 0);

	H_ASSERT_EQ_INT(lws_callback_vhost_protocols_vhost(vh, LWS_CALLBACK_USER,
							   &nested_service_ret, 0), 0);
	/* Both protocols heard it; nothing was torn down under the walk. */
	H_ASSERT(h_trace_index_str("user:a") >= 0);
	H_ASSERT(h_trace_index_str("user:b") > h_trace_index_str("destroy-asked"));
	H_ASSERT_EQ_INT(nested_service_ret, -1);
	H_ASSERT(h_trace_index_str("destroy:a") < 0);

	/* The deferred destroy: the loop is told to stop, then main finishes it. */
	r = lws_service(cx, 0);
	H_ASSERT_EQ_INT(r, -1);
	lws_context_destroy(cx);
	H_ASSERT(h_trace_index_str("destroy:a") > h_trace_index_str("user:b"));
	H_ASSERT(h_trace_index_str("destroy:b") > h_trace_index_str("destroy:a"));
	return h_pass();
}

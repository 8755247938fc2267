/*
 * Issue 10 defect 6 (B7.1, B1.7): a sul still armed when its context is
 * destroyed is left detached, so it no longer points into the freed context:
 * lws_dll2_is_detached() says so, lws_sul_cancel() on it is a no-op, and it can
 * be armed on another context and fire there. (Under ASan the cancel of the
 * old behaviour was a read of freed memory.)
 */
#include <libwebsockets.h>
#include "../harness/harness.h"

static int fired;

static int
cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	(void)wsi; (void)reason; (void)user; (void)in; (void)len;
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "only", cb, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static void
on_sul(lws_sorted_usec_list_t *sul)
{
	(void)sul;
	fired++;
}

static struct lws_context *
make(void)
{
	struct lws_context_creation_info info;

	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	return lws_create_context(&info);
}

int main(void)
{
	static lws_sorted_usec_list_t sul, never;
	struct lws_context *cx;
	int i;

	h_watchdog(20);
	lws_set_log_level(LLL_ERR | LLL_WARN, NULL);
	cx = make();
	H_ASSERT(cx != NULL);
	lws_sul_schedule(cx, 0, &sul, on_sul, 3600 * LWS_US_PER_SEC);
	lws_sul_schedule(cx, 0, &never, on_sul, 10 * LWS_US_PER_SEC);
	H_ASSERT_EQ_INT(lws_dll2_is_detached(&sul.list), 0);
	H_ASSERT_EQ_INT(lws_service(cx, -1), 0);
	lws_context_destroy(cx);

	H_ASSERT_EQ_INT(lws_dll2_is_detached(&sul.list), 1);
	H_ASSERT_EQ_INT(lws_dll2_is_detached(&never.list), 1);
	lws_sul_cancel(&sul);
	lws_sul_cancel(&never);
	H_ASSERT_EQ_INT(fired, 0);

	/* The node is reusable on a new context. */
	cx = make();
	H_ASSERT(cx != NULL);
	lws_sul_schedule(cx, 0, &sul, on_sul, 1);
	for (i = 0; i < 200 && !fired; i++)
		lws_service(cx, 10);
	H_ASSERT_EQ_INT(fired, 1);
	lws_context_destroy(cx);
	return h_pass();
}

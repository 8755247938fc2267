/*
 * Issue 10 defect 7 (B8, README "threads"): once lws_service() has run on one
 * thread, every wsi and vhost accessor called from another thread is refused
 * (NULL / no effect), not run: the stand-in wsi of a protocol-wide callback
 * and its vhost are asked from a worker, then from the service thread.
 */
#include <libwebsockets.h>
#include <pthread.h>
#include "../harness/harness.h"

static struct lws *standin;
static struct lws_vhost *vh;
static int marker, fired;
static lws_sorted_usec_list_t sul;

static void
on_sul(lws_sorted_usec_list_t *s)
{
	(void)s;
	fired++;
}
static struct lws_context *seen_cx;

static struct {
	void *user, *opaque;
	const struct lws_protocols *prot;
	struct lws_vhost *vhost;
	struct lws_context *context;
	const char *vhost_name;
	void *context_user;
	lws_state_manager_t *mgr;
	int final, binary;
} seen;

static int
cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	(void)user; (void)in; (void)len;
	if (reason == LWS_CALLBACK_PROTOCOL_INIT)
		standin = wsi;
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "only", cb, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static void *
worker(void *arg)
{
	(void)arg;
	lws_set_opaque_user_data(standin, &marker);
	seen.opaque = lws_get_opaque_user_data(standin);
	seen.user = lws_wsi_user(standin);
	seen.prot = lws_get_protocol(standin);
	seen.vhost = lws_get_vhost(standin);
	seen.context = lws_get_context(standin);
	seen.vhost_name = lws_get_vhost_name(vh);
	seen.context_user = lws_context_user(seen_cx);
	seen.mgr = lws_system_get_state_manager(seen_cx);
	/* Refused: the sul stays armed on the service thread. */
	lws_sul_cancel(&sul);
	seen.final = lws_is_final_fragment(standin);
	seen.binary = lws_frame_is_binary(standin);
	return NULL;
}

int main(void)
{
	struct lws_context_creation_info info;
	struct lws_context *cx;
	pthread_t t;
	int i;

	h_watchdog(20);
	lws_set_log_level(0, NULL);
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.user = &marker;
	cx = lws_create_context(&info);
	seen_cx = cx;
	H_ASSERT(cx != NULL);
	vh = lws_get_vhost_by_name(cx, "default");
	H_ASSERT(vh != NULL);
	for (i = 0; i < 3; i++)
		H_ASSERT_EQ_INT(lws_service(cx, -1), 0);
	H_ASSERT(standin != NULL);

	lws_sul_schedule(cx, 0, &sul, on_sul, 50 * LWS_US_PER_MS);
	H_ASSERT_EQ_INT(pthread_create(&t, NULL, worker, NULL), 0);
	H_ASSERT_EQ_INT(pthread_join(t, NULL), 0);
	H_ASSERT_EQ_INT(lws_dll2_is_detached(&sul.list), 0);
	H_ASSERT(seen.opaque == NULL);
	H_ASSERT(seen.prot == NULL);
	H_ASSERT(seen.vhost == NULL);
	H_ASSERT(seen.context == NULL);
	H_ASSERT(seen.vhost_name == NULL);
	H_ASSERT(seen.context_user == NULL);
	H_ASSERT(seen.mgr == NULL);
	H_ASSERT_EQ_INT(seen.final, 0);
	H_ASSERT_EQ_INT(seen.binary, 0);

	/* The refused set had no effect; the service thread is served. */
	H_ASSERT(lws_get_opaque_user_data(standin) == NULL);
	H_ASSERT(lws_get_protocol(standin) != NULL);
	H_ASSERT(lws_get_vhost(standin) == vh);
	H_ASSERT(lws_get_context(standin) == cx);
	H_ASSERT_STREQ(lws_get_vhost_name(vh), "default");
	H_ASSERT(lws_context_user(cx) == &marker);
	H_ASSERT(lws_system_get_state_manager(cx) != NULL);
	lws_set_opaque_user_data(standin, &marker);
	H_ASSERT(lws_get_opaque_user_data(standin) == &marker);
	for (i = 0; i < 200 && !fired; i++)
		lws_service(cx, 10);
	H_ASSERT_EQ_INT(fired, 1);

	lws_context_destroy(cx);
	return h_pass();
}

/*
 * B1.T1, B1.T2, B1.T4, B1.T9 (without connections), B3.T1, B3.T3:
 * PROTOCOL_INIT happens in the first lws_service, per (vhost, protocol) in
 * creation and array order, followed by one EVENT_WAIT_CANCELLED broadcast;
 * destroy sends POLICY_INVALID, PROTOCOL_DESTROY in order, then
 * CONTEXT_DESTROYING.
 */
#include <libwebsockets.h>
#include "../harness/harness.h"

static int inits_seen_before_service;
static struct lws_vhost *vh_seen_init[8];
static int n_init;
static void *priv_a;

static int
cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	const struct lws_protocols *p = lws_get_protocol(wsi);

	(void)user; (void)in; (void)len;
	switch (reason) {
	case LWS_CALLBACK_PROTOCOL_INIT:
		h_trace_addf("init:%s:%s", lws_get_vhost_name(lws_get_vhost(wsi)), p->name);
		if (n_init < 8)
			vh_seen_init[n_init++] = lws_get_vhost(wsi);
		if (!strcmp(p->name, "a") && !priv_a) {
			priv_a = lws_protocol_vh_priv_zalloc(lws_get_vhost(wsi), p, 64);
			H_ASSERT(priv_a != NULL);
			H_ASSERT_EQ_INT(((char *)priv_a)[63], 0);
		}
		break;
	case LWS_CALLBACK_PROTOCOL_DESTROY:
		h_trace_addf("destroy:%s:%s", lws_get_vhost_name(lws_get_vhost(wsi)), p->name);
		break;
	case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
		h_trace_addf("cancelled:%s", p->name);
		break;
	default:
		break;
	}
	return 0;
}

static int
notifier(lws_state_manager_t *mgr, lws_state_notify_link_t *link, int current, int target)
{
	(void)mgr; (void)link;
	if (current == target && current >= LWS_SYSTATE_POLICY_INVALID)
		h_trace_addf("state:%d", current);
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
	static lws_state_notify_link_t link = { { 0 }, notifier, "test" };
	static lws_state_notify_link_t *links[] = { &link, NULL };
	struct lws_context *cx;
	struct lws_vhost *vh1, *vh2;
	int i;

	h_watchdog(20);
	lws_set_log_level(LLL_ERR | LLL_WARN, NULL);
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.register_notifier_list = links;
	info.user = (void *)&info;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	H_ASSERT(lws_context_user(cx) == (void *)&info);

	info.vhost_name = "second";
	vh2 = lws_create_vhost(cx, &info);
	H_ASSERT(vh2 != NULL);
	vh1 = lws_get_vhost_by_name(cx, "default");
	H_ASSERT(vh1 != NULL);
	H_ASSERT(lws_get_vhost_by_name(cx, "second") == vh2);
	H_ASSERT(lws_get_vhost_by_name(cx, "nope") == NULL);

	/* B1.T1 */
	inits_seen_before_service = h_trace_len;
	H_ASSERT_EQ_INT(inits_seen_before_service, 0);

	/* B1.T2: one pass inits everything, then one broadcast */
	for (i = 0; i < 3; i++)
		H_ASSERT(lws_service(cx, -1) >= 0);
	H_ASSERT_EQ_INT(n_init, 4); /* B1.T4 */
	H_ASSERT_STREQ(h_trace_entries[0], "init:default:a");
	H_ASSERT_STREQ(h_trace_entries[1], "init:default:b");
	H_ASSERT_STREQ(h_trace_entries[2], "init:second:a");
	H_ASSERT_STREQ(h_trace_entries[3], "init:second:b");
	H_ASSERT(vh_seen_init[0] == vh1 && vh_seen_init[2] == vh2);
	H_ASSERT_STREQ(h_trace_entries[4], "cancelled:a");
	H_ASSERT_STREQ(h_trace_entries[5], "cancelled:b");
	H_ASSERT_STREQ(h_trace_entries[6], "cancelled:a");
	H_ASSERT_STREQ(h_trace_entries[7], "cancelled:b");
	H_ASSERT_EQ_INT(h_trace_len, 8);

	/* B3.T3 / B3.T1: storage found again; protocol pointers are the vhost's copy */
	H_ASSERT(lws_protocol_vh_priv_get(vh1, &protocols[0]) == priv_a);
	{
		/* COMPAT 12: a second block replaces the first, which stays usable */
		char *again = lws_protocol_vh_priv_zalloc(vh1, &protocols[0], 16);

		H_ASSERT(again != NULL && again != priv_a);
		H_ASSERT(lws_protocol_vh_priv_get(vh1, &protocols[0]) == again);
		memset(priv_a, 1, 64); /* under ASan/valgrind: must still be ours */
	}
	H_ASSERT(lws_protocol_vh_priv_get(vh1, &protocols[1]) == NULL);
	H_ASSERT(lws_protocol_vh_priv_get(vh2, &protocols[0]) == NULL);
	{
		const struct lws_protocols *copy = lws_vhost_name_to_protocol(vh1, "b");
		H_ASSERT(copy != NULL && copy != &protocols[1]);
		H_ASSERT_STREQ(copy->name, "b");
		H_ASSERT(copy->callback == cb);
	}

	/* a vhost created after init gets its PROTOCOL_INIT synchronously (B1.5) */
	info.vhost_name = "third";
	H_ASSERT(lws_create_vhost(cx, &info) != NULL);
	H_ASSERT_STREQ(h_trace_entries[8], "init:third:a");
	H_ASSERT_STREQ(h_trace_entries[9], "init:third:b");

	h_trace_reset();
	lws_context_destroy(cx);
	/* B1.T9: POLICY_INVALID, PROTOCOL_DESTROY per vhost in order, DESTROYING */
	H_ASSERT_STREQ(h_trace_entries[0], "state:13");
	H_ASSERT_STREQ(h_trace_entries[1], "destroy:default:a");
	H_ASSERT_STREQ(h_trace_entries[2], "destroy:default:b");
	H_ASSERT_STREQ(h_trace_entries[3], "destroy:second:a");
	H_ASSERT_STREQ(h_trace_entries[4], "destroy:second:b");
	H_ASSERT_STREQ(h_trace_entries[5], "destroy:third:a");
	H_ASSERT_STREQ(h_trace_entries[6], "destroy:third:b");
	H_ASSERT_STREQ(h_trace_entries[7], "state:14");
	H_ASSERT_EQ_INT(h_trace_len, 8);
	return h_pass();
}

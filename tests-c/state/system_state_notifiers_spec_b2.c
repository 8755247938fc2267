/*
 * B2.T1: the 4.3.3 numbering. B2.T2: a notifier from register_notifier_list
 * sees each arrival 2..12 once, in order, with mgr->parent == context.
 * B2.T3: PROTOCOL_INIT precedes the OPERATIONAL arrival.
 * B2.T4: a notifier holding TIME_VALID keeps the state at 5 across many
 * passes until released with lws_state_transition_steps.
 * B2.T5: notifiers registered N1 then N2 are consulted N2 first.
 */
#include <libwebsockets.h>
#include "../harness/harness.h"

static struct lws_context *cx;
static int hold = 1, arrivals[16], n_arrivals, init_done, init_before_operational = -1;

static int
cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	(void)wsi; (void)user; (void)in; (void)len;
	if (reason == LWS_CALLBACK_PROTOCOL_INIT)
		init_done = 1;
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "p", cb, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static int
n1(lws_state_manager_t *mgr, lws_state_notify_link_t *l, int current, int target)
{
	(void)l;
	H_ASSERT(mgr->parent == (void *)cx);
	if (current == target) {
		if (n_arrivals < 16)
			arrivals[n_arrivals++] = current;
		if (current == LWS_SYSTATE_OPERATIONAL)
			init_before_operational = init_done;
		H_ASSERT_EQ_INT(mgr->state, current);
		return 0;
	}
	h_trace_addf("n1:%d", target);
	return 0;
}

static int
n2(lws_state_manager_t *mgr, lws_state_notify_link_t *l, int current, int target)
{
	(void)mgr; (void)l;
	if (current == target)
		return 0;
	h_trace_addf("n2:%d", target);
	return hold && target == LWS_SYSTATE_TIME_VALID;
}

int main(void)
{
	struct lws_context_creation_info info;
	static lws_state_notify_link_t l1 = { { 0 }, n1, "n1" };
	static lws_state_notify_link_t *list[] = { &l1, NULL };
	static lws_state_notify_link_t l2 = { { 0 }, n2, "n2" };
	lws_state_manager_t *mgr;
	int i;

	/* B2.T1 */
	H_ASSERT_EQ_INT(LWS_SYSTATE_OPERATIONAL, 12);
	H_ASSERT_EQ_INT(LWS_SYSTATE_POLICY_VALID, 8);
	H_ASSERT_EQ_INT(LWS_SYSTATE_CONTEXT_DESTROYING, 14);

	h_watchdog(20);
	lws_set_log_level(LLL_ERR, NULL);
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.register_notifier_list = list;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	mgr = lws_system_get_state_manager(cx);
	H_ASSERT(mgr != NULL);
	H_ASSERT(mgr->parent == (void *)cx);
	H_ASSERT(lws_system_context_from_system_mgr(mgr) == cx);
	H_ASSERT_EQ_INT(mgr->state, LWS_SYSTATE_CONTEXT_CREATED);
	lws_state_reg_notifier(mgr, &l2);

	for (i = 0; i < 20; i++)
		H_ASSERT(lws_service(cx, -1) >= 0);
	/* B2.T4: held at CPD_PRE_TIME, yet PROTOCOL_INIT happened (B2.4) */
	H_ASSERT_EQ_INT(mgr->state, LWS_SYSTATE_CPD_PRE_TIME);
	H_ASSERT(init_done);
	/* B2.T5: n2 (registered last) is asked first */
	H_ASSERT_STREQ(h_trace_entries[0], "n2:2");
	H_ASSERT_STREQ(h_trace_entries[1], "n1:2");

	hold = 0;
	H_ASSERT_EQ_INT(lws_state_transition_steps(mgr, LWS_SYSTATE_OPERATIONAL), 0);
	H_ASSERT_EQ_INT(mgr->state, LWS_SYSTATE_OPERATIONAL);

	/* B2.T2 */
	H_ASSERT_EQ_INT(n_arrivals, 11);
	for (i = 0; i < 11; i++)
		H_ASSERT_EQ_INT(arrivals[i], i + 2);
	/* B2.T3 */
	H_ASSERT_EQ_INT(init_before_operational, 1);

	/* deregistered notifiers hear nothing more */
	lws_state_reg_deregister(&l2);
	h_trace_reset();
	lws_context_destroy(cx);
	for (i = 0; i < h_trace_len; i++)
		H_ASSERT(strncmp(h_trace_entries[i], "n2:", 3));
	return h_pass();
}

/*
 * B7.T1: suls for 30, 10, 20 ms fire in order 10, 20, 30, never early. (The delays are
 * scaled by 10 so that slow arming, e.g. under valgrind, cannot reorder them.)
 * B7.T2: a re-scheduled sul fires once at its new time; a cancelled one never.
 * B1.T12: a sul re-armed for 0 µs from its own callback fires on a later pass.
 * lws_dll2_is_detached(&sul->list) tells whether a sul is armed.
 */
#include <libwebsockets.h>
#include "../harness/harness.h"

struct tmr {
	lws_sorted_usec_list_t sul;
	int id;
	lws_usec_t armed_at, delay;
};

static struct lws_context *cx;
static int fired, self_rearm_passes, pass_no, rearm_fired_in_pass = -1;
static struct tmr t[6];

static void
on_timer(lws_sorted_usec_list_t *sul)
{
	struct tmr *m = lws_container_of(sul, struct tmr, sul);
	lws_usec_t now = lws_now_usecs();

	H_ASSERT(now - m->armed_at >= m->delay);
	H_ASSERT(lws_dll2_is_detached(&sul->list));
	h_trace_addf("t%d", m->id);
	fired++;
}

static void
on_rearm(lws_sorted_usec_list_t *sul)
{
	if (!self_rearm_passes) {
		self_rearm_passes = pass_no;
		lws_sul_schedule(cx, 0, sul, on_rearm, 0);
		return;
	}
	rearm_fired_in_pass = pass_no;
}

static void
arm(int i, int id, lws_usec_t delay)
{
	t[i].id = id;
	t[i].delay = delay;
	t[i].armed_at = lws_now_usecs();
	lws_sul_schedule(cx, 0, &t[i].sul, on_timer, delay);
}

int main(void)
{
	struct lws_context_creation_info info;
	lws_usec_t start;

	h_watchdog(20);
	lws_set_log_level(LLL_ERR, NULL);
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);

	arm(0, 30, 300 * LWS_US_PER_MS);
	arm(1, 10, 100 * LWS_US_PER_MS);
	arm(2, 20, 200 * LWS_US_PER_MS);
	arm(3, 99, 50 * LWS_US_PER_MS);
	H_ASSERT(!lws_dll2_is_detached(&t[3].sul.list));
	lws_sul_cancel(&t[3].sul);                 /* never fires */
	H_ASSERT(lws_dll2_is_detached(&t[3].sul.list));
	lws_sul_cancel(&t[3].sul);                 /* no-op */
	arm(4, 40, 10 * LWS_US_PER_MS);
	arm(4, 40, 400 * LWS_US_PER_MS);          /* moved, fires once */
	arm(5, 77, 50 * LWS_US_PER_MS);
	lws_sul_schedule(cx, 0, &t[5].sul, on_timer, LWS_SET_TIMER_USEC_CANCEL);

	start = lws_now_usecs();
	while (fired < 4 && lws_now_usecs() - start < 5 * LWS_US_PER_SEC)
		H_ASSERT(lws_service(cx, 0) >= 0);
	/* let anything wrongly still armed fire */
	start = lws_now_usecs();
	while (lws_now_usecs() - start < 100 * LWS_US_PER_MS)
		H_ASSERT(lws_service(cx, -1) >= 0);

	H_ASSERT_EQ_INT(fired, 4);
	H_ASSERT_STREQ(h_trace_entries[0], "t10");
	H_ASSERT_STREQ(h_trace_entries[1], "t20");
	H_ASSERT_STREQ(h_trace_entries[2], "t30");
	H_ASSERT_STREQ(h_trace_entries[3], "t40");

	/* B1.T12 */
	{
		lws_sorted_usec_list_t r;

		memset(&r, 0, sizeof r);
		lws_sul_schedule(cx, 0, &r, on_rearm, 0);
		for (pass_no = 1; pass_no < 50 && rearm_fired_in_pass < 0; pass_no++)
			H_ASSERT(lws_service(cx, -1) >= 0);
		H_ASSERT(self_rearm_passes > 0);
		H_ASSERT(rearm_fired_in_pass > self_rearm_passes);
	}

	lws_context_destroy(cx);
	return h_pass();
}

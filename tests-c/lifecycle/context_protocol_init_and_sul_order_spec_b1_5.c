/*
 * spec B1.5, B1.7, B7.1 (B1.T1, B1.T2, B7.T1) on a client-only context with two protocols:
 *  - no PROTOCOL_INIT before the first lws_service();
 *  - the first lws_service() delivers exactly one PROTOCOL_INIT per protocol, in array
 *    order, and then EVENT_WAIT_CANCELLED reaches every protocol;
 *  - three suls armed for 300, 100 and 200 ms fire in the order 100, 200, 300, none early
 *    (100 ms apart, so the order holds even when arming is slow, e.g. under valgrind);
 *  - lws_context_destroy() delivers one PROTOCOL_DESTROY per protocol, in array order.
 *
 * ctest-link: both
 * ctest-timeout: 30
 */
#include <libwebsockets.h>

#include <time.h>

#include "harness.h"

struct timer {
	lws_sorted_usec_list_t sul;
	int ms;
	lws_usec_t armed_at;
};

static struct lws_context *cx;
static struct timer timers[3];
static int fired;
static int late_or_early;

static lws_usec_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (lws_usec_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void timer_cb(lws_sorted_usec_list_t *sul)
{
	struct timer *t = lws_container_of(sul, struct timer, sul);

	if (now_us() - t->armed_at < (lws_usec_t)t->ms * 1000)
		late_or_early = 1;
	h_trace_addf("sul=%d", t->ms);
	if (++fired == 3)
		lws_cancel_service(cx); /* else the poll() after the last timer never ends */
}

static int cb_a(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		size_t len)
{
	(void)wsi; (void)user; (void)in; (void)len;
	if (reason == LWS_CALLBACK_PROTOCOL_INIT || reason == LWS_CALLBACK_PROTOCOL_DESTROY ||
	    reason == LWS_CALLBACK_EVENT_WAIT_CANCELLED)
		h_trace_addf("a:cb=%d", (int)reason);
	h_trace_add((int)reason);
	return 0;
}

static int cb_b(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		size_t len)
{
	(void)wsi; (void)user; (void)in; (void)len;
	if (reason == LWS_CALLBACK_PROTOCOL_INIT || reason == LWS_CALLBACK_PROTOCOL_DESTROY ||
	    reason == LWS_CALLBACK_EVENT_WAIT_CANCELLED)
		h_trace_addf("b:cb=%d", (int)reason);
	h_trace_add((int)reason);
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "proto-a", cb_a, 0, 0, 0, NULL, 0 },
	{ "proto-b", cb_b, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

/* Position of the first trace entry "<who>:cb=<reason>" (or "sul=<ms>" with who NULL). */
static int trace_pos(const char *who, int n)
{
	char want[H_TRACE_ENTRY];
	int i;

	if (who)
		snprintf(want, sizeof(want), "%s:cb=%d", who, n);
	else
		snprintf(want, sizeof(want), "sul=%d", n);
	for (i = 0; i < h_trace_len; i++)
		if (!strcmp(h_trace_entries[i], want))
			return i;
	return -1;
}

int main(void)
{
	struct lws_context_creation_info info;
	const int ms[3] = { 300, 100, 200 };
	lws_usec_t deadline;
	int i;

	h_watchdog(20);
	lws_set_log_level(LLL_ERR | LLL_WARN, NULL);

	memset(&info, 0, sizeof(info));
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;

	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	H_ASSERT_EQ_INT(h_trace_count(LWS_CALLBACK_PROTOCOL_INIT), 0);

	for (i = 0; i < 3; i++) {
		timers[i].ms = ms[i];
		timers[i].armed_at = now_us();
		lws_sul_schedule(cx, 0, &timers[i].sul, timer_cb, (lws_usec_t)ms[i] * LWS_US_PER_MS);
	}

	H_ASSERT(lws_service(cx, 0) >= 0);
	H_ASSERT_EQ_INT(h_trace_count(LWS_CALLBACK_PROTOCOL_INIT), 2);
	H_ASSERT(trace_pos("a", LWS_CALLBACK_PROTOCOL_INIT) >= 0 &&
		 trace_pos("a", LWS_CALLBACK_PROTOCOL_INIT) < trace_pos("b", LWS_CALLBACK_PROTOCOL_INIT));

	/* lws_service(cx, 0) waits for the next timer, but it may also return early: bound by time. */
	deadline = now_us() + 5 * LWS_US_PER_SEC;
	while (fired < 3 && now_us() < deadline)
		H_ASSERT(lws_service(cx, 0) >= 0);
	H_ASSERT_EQ_INT(fired, 3);
	H_ASSERT(!late_or_early);
	H_ASSERT(trace_pos(NULL, 100) < trace_pos(NULL, 200));
	H_ASSERT(trace_pos(NULL, 200) < trace_pos(NULL, 300));

	/* The wake-up lws_create_context() queued is broadcast after protocol init. */
	H_ASSERT(trace_pos("a", LWS_CALLBACK_EVENT_WAIT_CANCELLED) >
		 trace_pos("b", LWS_CALLBACK_PROTOCOL_INIT));
	H_ASSERT(trace_pos("b", LWS_CALLBACK_EVENT_WAIT_CANCELLED) >
		 trace_pos("b", LWS_CALLBACK_PROTOCOL_INIT));

	H_ASSERT_EQ_INT(h_trace_count(LWS_CALLBACK_PROTOCOL_INIT), 2);
	H_ASSERT_EQ_INT(h_trace_count(LWS_CALLBACK_PROTOCOL_DESTROY), 0);
	lws_context_destroy(cx);
	H_ASSERT_EQ_INT(h_trace_count(LWS_CALLBACK_PROTOCOL_DESTROY), 2);
	H_ASSERT(trace_pos("a", LWS_CALLBACK_PROTOCOL_DESTROY) >= 0 &&
		 trace_pos("a", LWS_CALLBACK_PROTOCOL_DESTROY) < trace_pos("b", LWS_CALLBACK_PROTOCOL_DESTROY));

	return h_pass();
}

/*
 * B1.T6: once idle, lws_service(ctx, 0) blocks until lws_cancel_service() from
 * another thread, then returns 0 after one EVENT_WAIT_CANCELLED broadcast.
 * B1.T7: many cancels made while the service thread is busy coalesce.
 * B8.T1: 10 000 cancels from a worker never crash and are observed.
 * B8 / guide R1: other APIs called from a second thread are refused, not run.
 * ctest-timeout: 60
 */
#include <libwebsockets.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>
#include "../harness/harness.h"

static struct lws_context *cx;
static volatile int cancelled;
static volatile int worker_done;
static int refused_schedule_ran;

static int
cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	(void)wsi; (void)user; (void)in; (void)len;
	if (reason == LWS_CALLBACK_EVENT_WAIT_CANCELLED)
		cancelled++;
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "only", cb, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static void
never(lws_sorted_usec_list_t *sul)
{
	(void)sul;
	refused_schedule_ran = 1;
}

static void *
one_cancel_later(void *a)
{
	(void)a;
	usleep(200 * 1000);
	lws_cancel_service(cx);
	return NULL;
}

static void *
ten_cancels(void *a)
{
	int i;

	(void)a;
	for (i = 0; i < 10; i++)
		lws_cancel_service(cx);
	return NULL;
}

static void *
many_cancels(void *a)
{
	static lws_sorted_usec_list_t sul;
	int i;

	(void)a;
	for (i = 0; i < 10000; i++)
		lws_cancel_service(cx);
	/* not the service thread: refused with a log line, never scheduled */
	lws_sul_schedule(cx, 0, &sul, never, 1);
	worker_done = 1;
	lws_cancel_service(cx);
	return NULL;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(void)
{
	struct lws_context_creation_info info;
	pthread_t th;
	double t0;
	int before, i;

	h_watchdog(40);
	lws_set_log_level(LLL_ERR, NULL);
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);

	/* start-up: init and the creation-time broadcast */
	for (i = 0; i < 5; i++)
		H_ASSERT(lws_service(cx, -1) >= 0);
	H_ASSERT_EQ_INT(cancelled, 1);

	/* B1.T8: -1 with nothing to do returns promptly */
	t0 = now_s();
	H_ASSERT_EQ_INT(lws_service(cx, -1), 0);
	H_ASSERT(now_s() - t0 < 0.05);

	/* B1.T6 */
	pthread_create(&th, NULL, one_cancel_later, NULL);
	t0 = now_s();
	H_ASSERT_EQ_INT(lws_service(cx, 0), 0);
	H_ASSERT(now_s() - t0 >= 0.15);
	H_ASSERT_EQ_INT(cancelled, 2);
	pthread_join(th, NULL);

	/* B1.T7 */
	before = cancelled;
	pthread_create(&th, NULL, ten_cancels, NULL);
	pthread_join(th, NULL);
	H_ASSERT_EQ_INT(lws_service(cx, 0), 0);
	H_ASSERT_EQ_INT(cancelled - before, 1);

	/* B8.T1 */
	before = cancelled;
	pthread_create(&th, NULL, many_cancels, NULL);
	t0 = now_s();
	while (!worker_done && now_s() - t0 < 20)
		H_ASSERT(lws_service(cx, 0) >= 0);
	pthread_join(th, NULL);
	for (i = 0; i < 3; i++)
		H_ASSERT(lws_service(cx, -1) >= 0);
	H_ASSERT(worker_done);
	H_ASSERT(cancelled > before);
	H_ASSERT(!refused_schedule_ran);

	lws_context_destroy(cx);
	return h_pass();
}

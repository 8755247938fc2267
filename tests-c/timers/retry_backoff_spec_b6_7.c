/*
 * B6.7 / B7.1: lws_retry_get_delay_ms walks the table (staying on the last
 * entry), adds at most jitter_percent, counts tries; lws_retry_sul_schedule
 * returns 1 without scheduling once conceal_count is used up.
 */
#include <libwebsockets.h>
#include "../harness/harness.h"

static const uint32_t table[] = { 10, 20, 40 };
static const lws_retry_bo_t policy = {
	.retry_ms_table = table,
	.retry_ms_table_count = LWS_ARRAY_SIZE(table),
	.conceal_count = 3,
	.jitter_percent = 10,
};
static int fired;

static void
on_retry(lws_sorted_usec_list_t *sul)
{
	(void)sul;
	fired++;
}

int main(void)
{
	struct lws_context_creation_info info;
	struct lws_context *cx;
	lws_sorted_usec_list_t sul;
	uint16_t tries = 0;
	unsigned int ms;
	int conceal, i;

	h_watchdog(20);
	lws_set_log_level(LLL_ERR, NULL);
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);

	for (i = 0; i < 5; i++) {
		uint32_t base = table[i < 3 ? i : 2];

		ms = lws_retry_get_delay_ms(cx, &policy, &tries, &conceal);
		H_ASSERT(ms >= base && ms <= base + base / 10);
		H_ASSERT_EQ_INT(conceal, i < 3);
	}
	H_ASSERT_EQ_INT(tries, 5);

	memset(&sul, 0, sizeof sul);
	tries = 0;
	for (i = 0; i < 3; i++) {
		H_ASSERT_EQ_INT(lws_retry_sul_schedule(cx, 0, &sul, &policy, on_retry, &tries), 0);
		while (fired == i)
			H_ASSERT(lws_service(cx, 0) >= 0);
	}
	H_ASSERT_EQ_INT(lws_retry_sul_schedule(cx, 0, &sul, &policy, on_retry, &tries), 1);
	H_ASSERT(lws_dll2_is_detached(&sul.list));
	lws_context_destroy(cx);
	return h_pass();
}

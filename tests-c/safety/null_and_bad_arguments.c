/*
 * Every exported function survives NULL and out-of-range arguments: it returns
 * the lws error value (and logs) instead of crashing. Errors are logged at
 * LLL_ERR; this test counts that they were.
 */
#include <libwebsockets.h>
#include "../harness/harness.h"

static int errors;

static void
emit(int level, const char *line)
{
	(void)line;
	if (level == LLL_ERR)
		errors++;
}

int main(void)
{
	struct lws_context_creation_info info;
	struct lws_context *cx;
	struct lws_vhost *vh;
	lws_sorted_usec_list_t sul;
	uint16_t ctry = 0;
	int n0;
	char buf[4];

	h_watchdog(20);
	lws_set_log_level(LLL_ERR, emit);

	H_ASSERT(lws_create_context(NULL) == NULL);
	H_ASSERT(errors > 0);
	lws_context_destroy(NULL);
	H_ASSERT_EQ_INT(lws_service(NULL, 0), 1);
	lws_cancel_service(NULL);
	H_ASSERT(lws_create_vhost(NULL, NULL) == NULL);
	H_ASSERT(lws_get_vhost_by_name(NULL, "x") == NULL);
	lws_vhost_destroy(NULL);
	H_ASSERT(lws_context_user(NULL) == NULL);
	H_ASSERT(lws_get_context(NULL) == NULL);
	H_ASSERT(lws_get_vhost(NULL) == NULL);
	H_ASSERT(lws_get_protocol(NULL) == NULL);
	H_ASSERT(lws_protocol_vh_priv_zalloc(NULL, NULL, 4) == NULL);
	H_ASSERT(lws_protocol_vh_priv_get(NULL, NULL) == NULL);
	H_ASSERT(lws_pvo_search(NULL, NULL) == NULL);
	H_ASSERT(lws_pvo_search(NULL, "x") == NULL);
	lws_sul_schedule(NULL, 0, NULL, NULL, 1);
	lws_sul_cancel(NULL);
	H_ASSERT(lws_system_get_state_manager(NULL) == NULL);
	H_ASSERT_EQ_INT(lws_state_transition_steps(NULL, 12), 0);
	lws_state_reg_notifier(NULL, NULL);
	lws_state_reg_deregister(NULL);
	H_ASSERT(lws_ring_create(0, 8, NULL) == NULL);
	H_ASSERT(lws_ring_create(4, 0, NULL) == NULL);
	H_ASSERT(lws_ring_create((size_t)-1, 2, NULL) == NULL);
	lws_ring_destroy(NULL);
	/* issue #14: this one dereferenced the NULL owner (a non-unwinding panic) */
	n0 = errors;
	lws_dll2_add_head(NULL, NULL);
	H_ASSERT_EQ_INT(errors, n0 + 1);
	H_ASSERT_EQ_INT(lws_ring_insert(NULL, buf, 1), 0);
	H_ASSERT_EQ_INT(lws_ring_consume(NULL, NULL, NULL, 1), 0);
	H_ASSERT(lws_ring_get_element(NULL, NULL) == NULL);
	H_ASSERT(lws_cmdline_option(0, NULL, "-d") == NULL);
	H_ASSERT(lws_cmdline_option(1, NULL, NULL) == NULL);
	H_ASSERT(lws_strncpy(NULL, "x", 4) == NULL);
	H_ASSERT_STREQ(lws_strncpy(buf, NULL, sizeof buf), "");
	H_ASSERT_EQ_INT(lws_snprintf(NULL, 4, "x"), 0);
	lwsl_hexdump_level(LLL_ERR, NULL, 10);
	H_ASSERT_EQ_INT(lws_retry_sul_schedule(NULL, 0, NULL, NULL, NULL, NULL), 1);
	_lws_log(LLL_ERR, NULL);

	/* a pointer that is not a context, vhost or wsi is refused, not used */
	memset(&info, 0, sizeof info);
	H_ASSERT(lws_create_vhost((struct lws_context *)&info, &info) == NULL);
	H_ASSERT(lws_get_vhost_name((struct lws_vhost *)&info) == NULL);
	H_ASSERT(lws_get_protocol((struct lws *)&info) == NULL);

	/* out-of-range values */
	info.port = 70000;
	H_ASSERT(lws_create_context(&info) == NULL);
	info.port = CONTEXT_PORT_NO_LISTEN;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	vh = lws_get_vhost_by_name(cx, "default");
	H_ASSERT(vh != NULL);
	H_ASSERT(lws_protocol_vh_priv_zalloc(vh, lws_vhost_name_to_protocol(vh, "http-only"), -5) == NULL);
	H_ASSERT_EQ_INT(lws_service_tsi(cx, 0, 3), -1);
	H_ASSERT_EQ_INT(lws_state_transition(lws_system_get_state_manager(cx), 99), 1);
	memset(&sul, 0, sizeof sul);
	lws_sul_schedule(cx, 0, &sul, NULL, 10);   /* no callback: fires harmlessly */
	H_ASSERT_EQ_INT(lws_service(cx, -1), 0);
	(void)ctry;
	lws_context_destroy(cx);
	return h_pass();
}

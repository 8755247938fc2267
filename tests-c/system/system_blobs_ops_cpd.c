/*
 * lws_system: blobs (heap and direct), the application's system ops, attach
 * requests served on the service thread once their state is reached, captive
 * portal detection state and its NETWORK announcement, and context
 * deprecation. Bad arguments give lws's error value and one error line.
 */
#include <libwebsockets.h>
#include "../harness/harness.h"

static int err_lines, cpd_requests, attached, reloaded;
static struct lws_context *cx;

static void count_emit(int level, const char *line)
{
	(void)line;
	if (level == LLL_ERR)
		err_lines++;
}

static int cpd_request(struct lws_context *context)
{
	H_ASSERT(context == cx);
	cpd_requests++;
	return 0;
}

static void attach_cb(struct lws_context *context, int tsi, void *opaque)
{
	H_ASSERT(context == cx && tsi == 0);
	h_trace_addf("attach:%s", (const char *)opaque);
	attached++;
}

/* The application's attach op: lws serializes nothing, it just forwards. */
static int attach_op(struct lws_context *context, int tsi, lws_attach_cb_t cb,
		     lws_system_states_t state, void *opaque,
		     struct lws_attach_item **get)
{
	return __lws_system_attach(context, tsi, cb, state, opaque, get);
}

static int net_cb(void *opaque, lws_smd_class_t cls, lws_usec_t ts, void *buf,
		  size_t len)
{
	(void)opaque;
	(void)cls;
	(void)ts;
	h_trace_addf("net:%.*s", (int)len, (const char *)buf);
	return 0;
}

static int reload(void)
{
	reloaded++;
	return 0;
}

static const lws_system_ops_t ops = {
	.attach = attach_op,
	.captive_portal_detect_request = cpd_request,
};

int main(void)
{
	static const uint8_t direct[] = "direct-bytes";
	struct lws_context_creation_info info;
	const uint8_t *single;
	lws_system_blob_t *b, *b2;
	uint8_t buf[32];
	size_t len;
	int n;

	h_watchdog(20);
	lws_set_log_level(LLL_ERR, count_emit);
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.system_ops = &ops;
	info.early_smd_cb = net_cb;
	info.early_smd_class_filter = LWSSMDCL_NETWORK;
	cx = lws_create_context(&info);
	H_ASSERT(cx);
	H_ASSERT(lws_system_get_ops(cx) == &ops);

	/* Blobs: one slot per type + index; out of range is NULL. */
	b = lws_system_get_blob(cx, LWS_SYSBLOB_TYPE_DEVICE_SERIAL, 0);
	b2 = lws_system_get_blob(cx, LWS_SYSBLOB_TYPE_AUTH, 1);
	H_ASSERT(b && b2 && b != b2);
	H_ASSERT(lws_system_get_blob(cx, LWS_SYSBLOB_TYPE_DEVICE_SERIAL, 0) == b);
	H_ASSERT_EQ_INT(lws_system_blob_get_size(b), 0);
	H_ASSERT_EQ_INT(lws_system_blob_get_single_ptr(b, &single), -1);

	H_ASSERT_EQ_INT(lws_system_blob_heap_append(b, (const uint8_t *)"abc", 3), 0);
	H_ASSERT_EQ_INT(lws_system_blob_get_single_ptr(b, &single), 0);
	H_ASSERT(!memcmp(single, "abc", 3));
	H_ASSERT_EQ_INT(lws_system_blob_heap_append(b, (const uint8_t *)"defg", 4), 0);
	H_ASSERT_EQ_INT(lws_system_blob_get_size(b), 7);
	H_ASSERT_EQ_INT(lws_system_blob_get_single_ptr(b, &single), -1);
	len = sizeof(buf);
	memset(buf, 0, sizeof(buf));
	H_ASSERT_EQ_INT(lws_system_blob_get(b, buf, &len, 2), 0);
	H_ASSERT_EQ_INT(len, 5);
	H_ASSERT_STREQ((const char *)buf, "cdefg");
	lws_system_blob_heap_empty(b);
	H_ASSERT_EQ_INT(lws_system_blob_get_size(b), 0);

	lws_system_blob_direct_set(b2, direct, sizeof(direct) - 1);
	H_ASSERT_EQ_INT(lws_system_blob_get_size(b2), 12);
	H_ASSERT_EQ_INT(lws_system_blob_get_single_ptr(b2, &single), 0);
	H_ASSERT(single == direct);
	len = 3;
	H_ASSERT_EQ_INT(lws_system_blob_get(b2, buf, &len, 7), 0);
	H_ASSERT_EQ_INT(len, 3);
	H_ASSERT(!memcmp(buf, "byt", 3));
	len = 3;
	H_ASSERT_EQ_INT(lws_system_blob_get(b2, buf, &len, 12), 1);
	H_ASSERT_EQ_INT(len, 0);
	lws_system_blob_destroy(b2);
	H_ASSERT_EQ_INT(lws_system_blob_get_size(b2), 12); /* the app's memory */

	/* Attach: queued from any thread, run on the service thread once the
	 * system state has reached the one asked for. */
	H_ASSERT_EQ_INT(ops.attach(cx, 0, attach_cb, LWS_SYSTATE_OPERATIONAL,
				   (void *)"op", NULL), 0);
	H_ASSERT_EQ_INT(attached, 0);

	/* CPD: the ops' request is called; the result is set once. */
	H_ASSERT_EQ_INT(lws_system_cpd_state_get(cx), LWS_CPD_UNKNOWN);
	H_ASSERT_EQ_INT(lws_system_cpd_start(cx), 0);
	H_ASSERT_EQ_INT(cpd_requests, 1);

	for (n = 0; n < 10; n++)
		lws_service(cx, -1);
	H_ASSERT_EQ_INT(attached, 1);
	H_ASSERT_STREQ(h_trace_entries[0], "attach:op");

	lws_system_cpd_set(cx, LWS_CPD_CAPTIVE_PORTAL);
	lws_system_cpd_set(cx, LWS_CPD_INTERNET_OK); /* ignored: already set */
	H_ASSERT_EQ_INT(lws_system_cpd_state_get(cx), LWS_CPD_CAPTIVE_PORTAL);
	lws_service(cx, -1);
	H_ASSERT_STREQ(h_trace_entries[1],
		       "net:{\"type\":\"cpd\",\"result\":\"Captive\"}");

	/* A NETWORK "cpdcheck" trigger restarts detection (lws's own peer). */
	H_ASSERT_EQ_INT(lws_smd_msg_printf(cx, LWSSMDCL_NETWORK,
					   "{\"trigger\":\"cpdcheck\"}"), 0);
	lws_service(cx, -1);
	H_ASSERT_EQ_INT(cpd_requests, 2);
	H_ASSERT_EQ_INT(lws_system_cpd_state_get(cx), LWS_CPD_UNKNOWN);

	/* Deferred start runs on the service thread after the delay. */
	lws_system_cpd_start_defer(cx, 1000);
	for (n = 0; n < 50 && cpd_requests < 3; n++)
		lws_service(cx, 10);
	H_ASSERT_EQ_INT(cpd_requests, 3);

	/* Deprecation: flagged; with no connections the reload runs once. */
	H_ASSERT_EQ_INT(lws_context_is_deprecated(cx), 0);
	H_ASSERT_EQ_INT(lws_context_is_being_destroyed(cx), 0);
	lws_context_deprecate(cx, reload);
	H_ASSERT_EQ_INT(lws_context_is_deprecated(cx), 1);
	lws_service(cx, -1);
	lws_service(cx, -1);
	H_ASSERT_EQ_INT(reloaded, 1);

	/* Bad arguments. */
	err_lines = 0;
	H_ASSERT(!lws_system_get_blob(cx, LWS_SYSBLOB_TYPE_COUNT, 0));
	H_ASSERT(!lws_system_get_blob(cx, LWS_SYSBLOB_TYPE_AUTH, -1));
	H_ASSERT(!lws_system_get_blob(NULL, LWS_SYSBLOB_TYPE_AUTH, 0));
	H_ASSERT_EQ_INT(lws_system_blob_heap_append(NULL, buf, 1), -1);
	H_ASSERT_EQ_INT(lws_system_blob_heap_append(b2, buf, 1), -1); /* direct */
	H_ASSERT_EQ_INT(lws_system_blob_get_size(NULL), 0);
	H_ASSERT_EQ_INT(lws_system_blob_get(b, buf, NULL, 0), -2);
	H_ASSERT(!lws_system_get_ops(NULL));
	H_ASSERT_EQ_INT(lws_system_cpd_start(NULL), 1);
	H_ASSERT_EQ_INT(__lws_system_attach(cx, 0, NULL, 0, NULL, NULL), 1);
	H_ASSERT_EQ_INT(lws_context_is_deprecated(NULL), 0);
	H_ASSERT_EQ_INT(err_lines, 11);
	lws_system_blob_destroy(NULL); /* allowed, as in lws */
	H_ASSERT_EQ_INT(err_lines, 11);

	lws_context_destroy(cx);
	return h_pass();
}

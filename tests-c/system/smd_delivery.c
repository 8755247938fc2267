/*
 * lws_smd: class filters, lws's round-robin delivery order on the service
 * thread, the queue depth, alloc/send/free ownership, the SYSTEM_STATE
 * announcements of the system state, and refusals of bad arguments (one error
 * line each, never a crash).
 */
#include <libwebsockets.h>
#include "../harness/harness.h"

static int err_lines;

static void count_emit(int level, const char *line)
{
	(void)line;
	if (level == LLL_ERR)
		err_lines++;
}

static int peer_cb(void *opaque, lws_smd_class_t cls, lws_usec_t ts, void *buf,
		   size_t len)
{
	(void)ts;
	H_ASSERT(((const char *)buf)[len] == '\0');
	h_trace_addf("%s:%x:%.*s", (const char *)opaque, (unsigned int)cls,
		     (int)len, (const char *)buf);
	return 0;
}

static void service_a_little(struct lws_context *cx)
{
	int n;

	for (n = 0; n < 10; n++)
		lws_service(cx, -1);
}

static int index_of(const char *entry)
{
	int i;

	for (i = 0; i < h_trace_len; i++)
		if (!strcmp(h_trace_entries[i], entry))
			return i;
	return -1;
}

int main(void)
{
	struct lws_context_creation_info info;
	struct lws_smd_peer *a, *b, *u;
	struct lws_context *cx, *cx2;
	char big[LWS_SMD_MAX_PAYLOAD + 8];
	void *p, *q;
	int n;

	h_watchdog(20);
	lws_set_log_level(LLL_ERR, count_emit);
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	cx = lws_create_context(&info);
	H_ASSERT(cx);

	/* Nobody wants class 1 << 30: not generated, and that is success. */
	H_ASSERT(!lws_smd_msg_alloc(cx, 1u << 30, 4));
	H_ASSERT_EQ_INT(lws_smd_msg_printf(cx, 1u << 30, "x"), 0);

	a = lws_smd_register(cx, (void *)"a", 0,
			     LWSSMDCL_INTERACTION | LWSSMDCL_SYSTEM_STATE, peer_cb);
	b = lws_smd_register(cx, (void *)"b", 0, LWSSMDCL_INTERACTION, peer_cb);
	H_ASSERT(a && b);

	/* alloc / fill / send: the library owns the payload after a 0. */
	p = lws_smd_msg_alloc(cx, LWSSMDCL_INTERACTION, 5);
	H_ASSERT(p);
	memcpy(p, "hello", 5);
	H_ASSERT_EQ_INT(lws_smd_msg_send(cx, p), 0);
	H_ASSERT_EQ_INT(lws_smd_msg_printf(cx, LWSSMDCL_INTERACTION, "n=%d", 2), 0);
	H_ASSERT_EQ_INT(lws_smd_msg_printf(cx, LWSSMDCL_SYSTEM_STATE, "s"), 0);

	/* Too long for LWS_SMD_MAX_PAYLOAD: refused, not cut. */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	H_ASSERT_EQ_INT(lws_smd_msg_printf(cx, LWSSMDCL_INTERACTION, "%s", big), 1);

	H_ASSERT_EQ_INT(h_trace_len, 0); /* nothing before the service thread */
	service_a_little(cx);

	/* Round robin, peers in registration order, each message once per peer. */
	H_ASSERT_STREQ(h_trace_entries[0], "a:1:hello");
	H_ASSERT_STREQ(h_trace_entries[1], "b:1:hello");
	H_ASSERT_STREQ(h_trace_entries[2], "a:1:n=2");
	H_ASSERT_STREQ(h_trace_entries[3], "b:1:n=2");
	H_ASSERT_STREQ(h_trace_entries[4], "a:2:s");

	/* Each state the system steps through is announced as lws does. */
	H_ASSERT(index_of("a:2:{\"state\":\"INITIALIZED\"}") > 4);
	H_ASSERT(index_of("a:2:{\"state\":\"POLICY_VALID\"}") >
		 index_of("a:2:{\"state\":\"INITIALIZED\"}"));
	H_ASSERT(index_of("a:2:{\"state\":\"OPERATIONAL\"}") >
		 index_of("a:2:{\"state\":\"POLICY_VALID\"}"));
	H_ASSERT(index_of("b:2:{\"state\":\"OPERATIONAL\"}") < 0);

	/* A peer that left hears nothing more; messages only it wanted vanish. */
	u = lws_smd_register(cx, (void *)"u", 0, 1u << LWSSMDCL_USER_BASE_BITNUM,
			     peer_cb);
	H_ASSERT(u);
	H_ASSERT_EQ_INT(lws_smd_msg_printf(cx, 1u << LWSSMDCL_USER_BASE_BITNUM,
					   "gone"), 0);
	lws_smd_unregister(u);
	lws_smd_unregister(b);
	H_ASSERT_EQ_INT(lws_smd_msg_printf(cx, LWSSMDCL_INTERACTION, "last"), 0);
	n = h_trace_len;
	service_a_little(cx);
	H_ASSERT_EQ_INT(h_trace_len, n + 1);
	H_ASSERT_STREQ(h_trace_entries[n], "a:1:last");
	H_ASSERT(index_of("u:1000000:gone") < 0);

	/* A context whose queue holds 3 (info.smd_queue_depth). */
	info.smd_queue_depth = 3;
	cx2 = lws_create_context(&info);
	H_ASSERT(cx2);
	H_ASSERT(lws_smd_register(cx2, (void *)"d", 0, LWSSMDCL_INTERACTION, peer_cb));
	for (n = 0; n < 3; n++)
		H_ASSERT_EQ_INT(lws_smd_msg_printf(cx2, LWSSMDCL_INTERACTION, "%d", n), 0);
	/* The 4th is refused... */
	q = lws_smd_msg_alloc(cx2, LWSSMDCL_INTERACTION, 1);
	H_ASSERT(q);
	*(char *)q = 'q';
	H_ASSERT_EQ_INT(lws_smd_msg_send(cx2, q), 1);
	H_ASSERT_EQ_INT(lws_smd_msg_printf(cx2, LWSSMDCL_INTERACTION, "r"), 1);
	/* ... and stays the caller's to free. */
	lws_smd_msg_free(&q);
	H_ASSERT(q == NULL);
	n = h_trace_len;
	lws_service(cx2, -1);
	H_ASSERT_STREQ(h_trace_entries[n], "d:1:0");
	H_ASSERT_STREQ(h_trace_entries[n + 2], "d:1:2");
	/* Delivered, the queue has room again. */
	H_ASSERT_EQ_INT(lws_smd_msg_printf(cx2, LWSSMDCL_INTERACTION, "again"), 0);
	lws_context_destroy(cx2);

	/* Messages older than info.smd_ttl_us are dropped, not delivered. */
	info.smd_queue_depth = 0;
	info.smd_ttl_us = 2000;
	cx2 = lws_create_context(&info);
	H_ASSERT(cx2);
	H_ASSERT(lws_smd_register(cx2, (void *)"t", 0, LWSSMDCL_INTERACTION, peer_cb));
	H_ASSERT_EQ_INT(lws_smd_msg_printf(cx2, LWSSMDCL_INTERACTION, "stale"), 0);
	usleep(20000);
	n = h_trace_len;
	lws_service(cx2, -1);
	H_ASSERT_EQ_INT(h_trace_len, n);
	lws_context_destroy(cx2);

	/* Bad arguments: lws's error value and one error line each. */
	err_lines = 0;
	H_ASSERT(!lws_smd_register(NULL, NULL, 0, 1, peer_cb));
	H_ASSERT(!lws_smd_register(cx, NULL, 0, 1, NULL));
	H_ASSERT(!lws_smd_msg_alloc(NULL, 1, 1));
	H_ASSERT_EQ_INT(lws_smd_msg_send(cx, NULL), 1);
	H_ASSERT_EQ_INT(lws_smd_msg_send(NULL, NULL), 1);
	H_ASSERT_EQ_INT(lws_smd_msg_printf(NULL, 1, "x"), 1);
	lws_smd_msg_free(NULL);
	lws_smd_unregister(NULL);
	H_ASSERT_EQ_INT(err_lines, 8);

	lws_context_destroy(cx);
	return h_pass();
}

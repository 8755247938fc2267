/*
 * Issue 10 defect 2 (B7.3): the library's own log lines reach a user emitter
 * only after the core lock is released, in order, so an emitter that calls an
 * API is served rather than refused. "listening on port" is logged while a
 * vhost is added under the lock; the emitter looks a vhost up there.
 */
#include <libwebsockets.h>
#include "../harness/harness.h"

static struct lws_context *cx;
static int in_emitter, lookups, lookups_found, refusals, listening_lines;

static void
emit(int level, const char *line)
{
	(void)level;
	if (strstr(line, "context is busy"))
		refusals++;
	if (in_emitter || !cx)
		return;
	in_emitter = 1;
	if (strstr(line, "listening on port")) {
		listening_lines++;
		lookups++;
		if (lws_get_vhost_by_name(cx, "default"))
			lookups_found++;
	}
	in_emitter = 0;
}

static int
cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	(void)wsi; (void)reason; (void)user; (void)in; (void)len;
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "a", cb, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

int main(void)
{
	struct lws_context_creation_info info;

	h_watchdog(20);
	lws_set_log_level(LLL_ERR | LLL_WARN | LLL_INFO, emit);
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);

	info.port = 0;
	info.vhost_name = "second";
	H_ASSERT(lws_create_vhost(cx, &info) != NULL);
	lws_set_log_level(LLL_ERR | LLL_WARN, lwsl_emit_stderr);

	H_ASSERT_EQ_INT(listening_lines, 1);
	H_ASSERT_EQ_INT(lookups_found, lookups);
	H_ASSERT_EQ_INT(refusals, 0);
	lws_context_destroy(cx);
	return h_pass();
}

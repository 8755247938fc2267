/*
 * lws_xos (exact outputs of lws 4.3.3 for one seed), lws_now_secs and
 * lws_get_effective_uid_gid; NULL arguments give one error line, no crash.
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

int main(void)
{
	struct lws_context_creation_info info;
	struct lws_context *cx;
	struct lws_xos x;
	unsigned long now;
	uid_t uid;
	gid_t gid;
	int n, hits = 0;

	h_watchdog(20);
	lws_set_log_level(LLL_ERR, count_emit);

	/* What lws 4.3.3 itself gives for seed 12345. */
	lws_xos_init(&x, 12345);
	H_ASSERT(x.s[0] == 0xf36cf1164265dd51ull && x.s[1] == 0x22118258a9d111a0ull);
	H_ASSERT(x.s[2] == 0x346edce5f713f8edull && x.s[3] == 0x1e9a57bc80e6721dull);
	H_ASSERT(lws_xos(&x) == 0x89f4caece00c92fdull);
	H_ASSERT(lws_xos(&x) == 0x3af08a04b214781cull);
	H_ASSERT(lws_xos(&x) == 0xd30947d7b2e8307full);
	for (n = 0; n < 1000; n++)
		hits += lws_xos_percent(&x, 25);
	H_ASSERT_EQ_INT(hits, 257);

	now = lws_now_secs();
	H_ASSERT(now + 1 >= (unsigned long)time(NULL) &&
		 now <= (unsigned long)time(NULL));

	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.uid = 123;
	info.gid = 456;
	cx = lws_create_context(&info);
	H_ASSERT(cx);
	lws_get_effective_uid_gid(cx, &uid, &gid);
	H_ASSERT_EQ_INT(uid, 123);
	H_ASSERT_EQ_INT(gid, 456);
	lws_context_destroy(cx);

	/* A user / group name gives its ids. */
	info.username = "root";
	info.groupname = "root";
	cx = lws_create_context(&info);
	H_ASSERT(cx);
	lws_get_effective_uid_gid(cx, &uid, &gid);
	H_ASSERT_EQ_INT(uid, 0);
	H_ASSERT_EQ_INT(gid, 0);

	err_lines = 0;
	lws_xos_init(NULL, 1);
	H_ASSERT(lws_xos(NULL) == 0);
	H_ASSERT_EQ_INT(lws_xos_percent(NULL, 50), 0);
	lws_get_effective_uid_gid(NULL, &uid, &gid);
	lws_get_effective_uid_gid(cx, NULL, &gid);
	H_ASSERT_EQ_INT(err_lines, 5);

	lws_context_destroy(cx);
	return h_pass();
}

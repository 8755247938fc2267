/*
 * The rest of lws 4.3.3's header, as a program uses it: the helper macros give lws's
 * results (option tests, rounding, padding, text building, list walks, HTTP error
 * codes), the built-out feature macros (fault injection, metrics,
 * SMP locks) compile to nothing, lws_struct_map_t tables built with the LSM_ macros
 * hold the member offsets and sizes, and the misc types have lws's sizes and
 * enumerator values (a few spot checks; abi/layouts-misc.tsv and
 * abi/manifests/misc/constants.tsv have them all).
 */
#include <libwebsockets.h>
#include "../harness/harness.h"

struct item {
	struct item *next;
	int n;
};

struct rec {
	int32_t s;
	uint16_t u;
	char flag;
	char name[12];
	const char *str;
	lws_dll2_owner_t kids;
};

static const lws_struct_map_t rec_map[] = {
	LSM_SIGNED(struct rec, s, "s"),
	LSM_UNSIGNED(struct rec, u, "u"),
	LSM_BOOLEAN(struct rec, flag, "flag"),
	LSM_CARRAY(struct rec, name, "name"),
	LSM_STRING_PTR(struct rec, str, "str"),
};

static const lws_struct_map_t rec_schema[] = {
	LSM_SCHEMA(struct rec, NULL, rec_map, "rec"),
};

int main(void)
{
	struct item c = { NULL, 3 }, b = { &c, 2 }, a = { &b, 1 }, *head = &a;
	lws_intptr_t ip = (lws_intptr_t)&a;
	char text[16], *p;
	size_t left = sizeof(text);
	unsigned int x = 13;
	int sum = 0, walked = 0;
	lws_pthread_mutex(unused_lock)

	h_watchdog(20);

	H_ASSERT(lws_check_opt(LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT |
			       LWS_SERVER_OPTION_DISABLE_TLS_SESSION_CACHE,
			       LWS_SERVER_OPTION_DISABLE_TLS_SESSION_CACHE));
	H_ASSERT(!lws_check_opt(LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT,
				LWS_SERVER_OPTION_DISABLE_TLS_SESSION_CACHE));
	H_ASSERT_EQ_INT((int)LWS_US_TO_MS(1499), 1);
	H_ASSERT_EQ_INT((int)LWS_US_TO_MS(1500), 2);
	H_ASSERT_EQ_INT(_LWS_PAD(17), 32);
	H_ASSERT_EQ_INT(_LWS_PAD(16), 16);
	LWS_ALIGN_TO(x, 8);
	H_ASSERT_EQ_INT((int)x, 16);
	H_ASSERT(ip != 0);

	p = lws_concat_temp(text, left);
	H_ASSERT(p == text);
	left -= (size_t)lws_snprintf(p, left, "ab%d", 7);
	H_ASSERT_EQ_INT((int)lws_concat_used(text, left), 3);
	H_ASSERT_STREQ(text, "ab7");

	H_ASSERT(lws_http_client_http_resp_is_error(404));
	H_ASSERT(!lws_http_client_http_resp_is_error(304));

	lws_start_foreach_ll(struct item *, it, head) {
		sum += it->n;
	} lws_end_foreach_ll(it, next);
	H_ASSERT_EQ_INT(sum, 6);
	lws_start_foreach_ll_safe(struct item *, it, head, next) {
		it->next = NULL; /* the walk already holds the next one */
		walked++;
	} lws_end_foreach_ll_safe(it);
	H_ASSERT_EQ_INT(walked, 3);

	/* built out: no fault is ever injected, metrics and locks vanish */
	H_ASSERT_EQ_INT(lws_fi(NULL, "x"), 0);
	H_ASSERT_EQ_INT(lws_fi_user_context_fi(NULL, "x"), 0);
	lws_metrics_caliper_declare(cal, NULL);
	lws_metrics_caliper_report(cal, METRES_GO);
	lws_pthread_mutex_lock(&unused_lock);
	lws_pthread_mutex_unlock(&unused_lock);
	H_ASSERT((_LWS_ENABLED_LOGS & LLL_DEBUG) != 0);
	H_ASSERT_EQ_INT(lws_is_be(), 0); /* x86_64 */

	H_ASSERT_STREQ(rec_map[3].colname, "name");
	H_ASSERT_EQ_INT((int)rec_map[3].ofs, (int)offsetof(struct rec, name));
	H_ASSERT_EQ_INT((int)rec_map[3].aux, 12);
	H_ASSERT_EQ_INT((int)rec_map[1].aux, 2);
	H_ASSERT_EQ_INT(rec_map[4].type, LSMT_STRING_PTR);
	H_ASSERT_EQ_INT((int)rec_schema[0].child_map_size, 5);
	H_ASSERT_EQ_INT((int)rec_schema[0].aux, (int)sizeof(struct rec));
	H_ASSERT_EQ_INT(rec_schema[0].type, LSMT_SCHEMA);

	/* a few of lws 4.3.3's sizes and values */
	H_ASSERT_EQ_INT((int)sizeof(struct lws_jwe), 4344);
	H_ASSERT_EQ_INT((int)sizeof(struct lws_ss_policy), 248);
	H_ASSERT_EQ_INT((int)offsetof(struct lws_ss_policy, retry_bo), 200);
	H_ASSERT_EQ_INT((int)sizeof(struct lecp_ctx), 1088);
	H_ASSERT_EQ_INT(LECPCB_ARRAY_ITEM_START, 29);
	H_ASSERT_EQ_INT(LWSSSCS_QOS_ACK_REMOTE, 10);
	H_ASSERT_EQ_INT(LWS_GENCRYPTO_KTY_EC, 3);
	H_ASSERT_EQ_INT(LWS_JWE_LIMIT_KEY_ELEMENT_BYTES, 512);

	return h_pass();
}

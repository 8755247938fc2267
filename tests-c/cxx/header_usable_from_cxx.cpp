/*
 * The public header is usable from C++ (extern "C" linkage, no C-only constructs in the
 * parts a C++ program touches): a C++ translation unit includes it, takes the address of
 * API functions and calls into the library. A missing extern "C" shows up here as an
 * undefined, mangled symbol at link time.
 *
 * ctest-timeout: 30
 */
#include <libwebsockets.h>

#include "harness.h"

static int emitted;

/* The misc types and table macros work in C++ too (positional initializers, layouts). */
struct rec {
	int32_t s;
	const char *str;
};
static const lws_struct_map_t rec_map[] = {
	LSM_SIGNED(struct rec, s, "s"),
	LSM_STRING_PTR(struct rec, str, "str"),
};
static_assert(sizeof(struct lws_ss_policy) == 248, "lws 4.3.3 size");
static_assert(sizeof(struct lecp_ctx) == 1088, "lws 4.3.3 size");
static_assert(LWS_GENCRYPTO_KTY_EC == 3, "lws 4.3.3 value");

static void emit(int level, const char *line)
{
	(void)level;
	(void)line;
	emitted++;
}

int main()
{
	struct lws_context *(*create)(const struct lws_context_creation_info *) = lws_create_context;
	void (*destroy)(struct lws_context *) = lws_context_destroy;
	char buf[16];

	h_watchdog(20);
	H_ASSERT(create != nullptr && destroy != nullptr);

	lws_set_log_level(LLL_ERR, emit);
	lwsl_err("from C++ %d\n", 1);
	H_ASSERT_EQ_INT(emitted, 1);

	H_ASSERT_EQ_INT(lws_snprintf(buf, sizeof(buf), "%s", "cxx"), 3);
	H_ASSERT_STREQ(buf, "cxx");

	H_ASSERT_EQ_INT((int)rec_map[1].ofs, (int)offsetof(struct rec, str));
	H_ASSERT_EQ_INT(rec_map[1].type, LSMT_STRING_PTR);

	return h_pass();
}

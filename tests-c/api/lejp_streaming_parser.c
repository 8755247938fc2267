/*
 * lejp: the streaming JSON parser through its C surface. The callback reads
 * struct lejp_ctx directly (path, buf, npos, sp, i[], path_match, wild[],
 * user), as lws users do; the layout is pinned to lws 4.3.3's x86_64 offsets.
 * Parsing a document in one call or one byte at a time gives the same
 * callbacks (lws 4.3.3 itself repeats LEJPCB_START at each call made at the
 * root; we send it once, with the document's first byte); errors carry lws's codes and texts; a callback can push and pop
 * a sub-parser; NULL arguments are refused without crashing.
 *
 * ctest-timeout: 30
 */
#include <libwebsockets.h>
#include <stddef.h>

#include "harness.h"

static char trace[16384];
static size_t trace_len;

static void trace_add(const char *fmt, ...) H_PRINTF(1, 2);
static void trace_add(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	trace_len += (size_t)vsnprintf(trace + trace_len, sizeof(trace) - trace_len, fmt, ap);
	va_end(ap);
	if (trace_len >= sizeof(trace))
		H_FAIL("trace overflow");
}

static const char *const paths[] = { "name", "list[]", "obj.*.v", "obj.*" };

static signed char record(struct lejp_ctx *ctx, char reason)
{
	int *calls = ctx->user;
	char wild[16] = "";

	(*calls)++;
	if (ctx->path_match == 3)
		H_ASSERT(lejp_get_wildcard(ctx, 0, wild, sizeof(wild)) > 0);
	trace_add("%d:%s:m%d:sp%d", reason, ctx->path, ctx->path_match, ctx->sp);
	if (ctx->ipos)
		trace_add(":i%d", ctx->i[ctx->ipos - 1]);
	if (wild[0])
		trace_add(":w=%s", wild);
	if (reason == LEJPCB_VAL_STR_CHUNK)
		trace_add(":chunk%d", ctx->npos);
	else if (reason & LEJP_FLAG_CB_IS_VALUE)
		trace_add(":'%s'", ctx->buf);
	trace_add("\n");

	return 0;
}

static const char doc[] =
	"{\"name\":\"lws\", \"list\":[1,2.5,-3e2,true,false,null],\n"
	" \"obj\":{\"k1\":{\"v\":\"x\\u00e9\\n\"},\"k2\":{}},"
	" \"long\":\"%s\"}";

static int parse_in_chunks(const char *json, size_t len, size_t chunk, int *calls)
{
	struct lejp_ctx ctx;
	size_t at = 0;
	int n = LEJP_CONTINUE;

	trace_len = 0;
	trace[0] = '\0';
	lejp_construct(&ctx, record, calls, paths, LWS_ARRAY_SIZE(paths));
	H_ASSERT(ctx.user == calls);
	H_ASSERT_EQ_INT(ctx.line, 1);
	while (at < len && n == LEJP_CONTINUE) {
		size_t step = len - at < chunk ? len - at : chunk;

		n = lejp_parse(&ctx, (const unsigned char *)json + at, (int)step);
		at += step;
	}
	H_ASSERT_EQ_INT(ctx.line, 2);
	lejp_destruct(&ctx);

	return n;
}

/* A sub-parser pushed at "obj" sees paths relative to it. */
static const char *const sub_paths[] = { "*.v" };
static int sub_hits;

static signed char sub_cb(struct lejp_ctx *ctx, char reason)
{
	if (reason == LEJPCB_VAL_STR_END && ctx->path_match == 1)
		sub_hits++;
	if (reason == LEJPCB_OBJECT_END && ctx->sp == 1)
		H_ASSERT_EQ_INT(lejp_parser_pop(ctx), 0);
	return 0;
}

static signed char outer_cb(struct lejp_ctx *ctx, char reason)
{
	if (reason == LEJPCB_OBJECT_START && !strcmp(ctx->path, "obj")) {
		H_ASSERT_EQ_INT(ctx->pst_sp, 0);
		H_ASSERT_EQ_INT(lejp_parser_push(ctx, NULL, sub_paths, 1, sub_cb), 0);
		H_ASSERT_EQ_INT(ctx->pst_sp, 1);
	}
	return 0;
}

/* Patterns may sit inside larger records, path_stride bytes apart (lws_struct does this). */
struct rule {
	const char *pattern;
	int weight;
};

static const struct rule rules[] = { { "x", 1 }, { "obj.*.v", 2 } };
static int stride_match;

static signed char stride_cb(struct lejp_ctx *ctx, char reason)
{
	if (reason == LEJPCB_VAL_STR_END && ctx->path_match)
		stride_match = ctx->path_match;
	return 0;
}

static signed char quiet_cb(struct lejp_ctx *ctx, char reason)
{
	(void)ctx;
	(void)reason;
	return 0;
}

static signed char reject_numbers(struct lejp_ctx *ctx, char reason)
{
	(void)ctx;
	return reason == LEJPCB_VAL_NUM_INT ? 1 : 0;
}

int main(void)
{
	static char json[2048], whole[16384];
	char longstr[601];
	struct lejp_ctx ctx;
	int calls = 0, n;
	size_t len, c;

	h_watchdog(20);

	/* The layout C code compiled against lws 4.3.3 relies on. */
	H_ASSERT_EQ_INT((int)sizeof(struct lejp_ctx), 664);
	H_ASSERT_EQ_INT((int)offsetof(struct lejp_ctx, pst), 8);
	H_ASSERT_EQ_INT((int)offsetof(struct lejp_ctx, st), 168);
	H_ASSERT_EQ_INT((int)offsetof(struct lejp_ctx, i), 216);
	H_ASSERT_EQ_INT((int)offsetof(struct lejp_ctx, wild), 232);
	H_ASSERT_EQ_INT((int)offsetof(struct lejp_ctx, path), 248);
	H_ASSERT_EQ_INT((int)offsetof(struct lejp_ctx, buf), 376);
	H_ASSERT_EQ_INT((int)offsetof(struct lejp_ctx, path_stride), 632);
	H_ASSERT_EQ_INT((int)offsetof(struct lejp_ctx, line), 640);
	H_ASSERT_EQ_INT((int)offsetof(struct lejp_ctx, npos), 646);
	H_ASSERT_EQ_INT((int)offsetof(struct lejp_ctx, sp), 649);
	H_ASSERT_EQ_INT((int)offsetof(struct lejp_ctx, path_match), 652);
	H_ASSERT_EQ_INT((int)offsetof(struct lejp_ctx, pst_sp), 655);
	H_ASSERT_EQ_INT((int)offsetof(struct lejp_ctx, outer_array), 656);
	H_ASSERT_EQ_INT((int)sizeof(struct _lejp_parsing_stack), 32);
	H_ASSERT_EQ_INT(LEJP_STRING_CHUNK, 254);
	H_ASSERT_EQ_INT(LEJPCB_VAL_STR_END, 77);
	H_ASSERT_EQ_INT(LEJP_MP_VALUE_NUM_INT, 75);

	memset(longstr, 'z', 600);
	longstr[600] = '\0';
	len = (size_t)snprintf(json, sizeof(json), doc, longstr);

	/* In one call: the whole document is used. */
	H_ASSERT_EQ_INT(parse_in_chunks(json, len, len, &calls), 0);
	memcpy(whole, trace, trace_len + 1);
	H_ASSERT(calls > 20);
	/*
	 * As in lws 4.3.3: patterns are matched at member names (so array
	 * elements see no match of their own), a "*" stands for one path
	 * element, and leaving a member of the root object keeps its path and
	 * index depth until the next member starts.
	 */
	H_ASSERT_CONTAINS(whole, "0::m0:sp0\n2::m0:sp0\n16::m0:sp0\n");
	H_ASSERT_CONTAINS(whole, "77:name:m1:sp1:'lws'\n");
	H_ASSERT_CONTAINS(whole, "73:list[]:m0:sp1:i0:'1'\n");
	H_ASSERT_CONTAINS(whole, "74:list[]:m0:sp1:i1:'2.5'\n");
	H_ASSERT_CONTAINS(whole, "73:list[]:m0:sp1:i2:'-3e2'\n");
	H_ASSERT_CONTAINS(whole, "70:list[]:m0:sp1:i3:'1'\n");
	H_ASSERT_CONTAINS(whole, "71:list[]:m0:sp1:i4:'0'\n");
	H_ASSERT_CONTAINS(whole, "72:list[]:m0:sp1:i5:''\n");
	H_ASSERT_CONTAINS(whole, "77:obj.k1.v:m3:sp3:i5:w=k1:'x\xc3\xa9\n'\n");
	H_ASSERT_CONTAINS(whole, "5:obj.k2:m4:sp1:i5\n16:obj.k2:m4:sp1:i5\n");
	H_ASSERT_CONTAINS(whole, ":chunk254\n");
	H_ASSERT_CONTAINS(whole, "17:long:m0:sp0:i5\n3:long:m0:sp0:i5\n");
	/* lejp_destruct tells the callback. */
	H_ASSERT_CONTAINS(whole, "3:long:m0:sp0:i5\n1:long:m0:sp0:i5\n");

	/* lejp_check_path_match on a path set by hand (as lws_struct does). */
	lejp_construct(&ctx, quiet_cb, NULL, paths, LWS_ARRAY_SIZE(paths));
	strcpy(ctx.path, "obj.kk.v");
	ctx.pst[0].ppos = 8;
	lejp_check_path_match(&ctx);
	H_ASSERT_EQ_INT(ctx.path_match, 3);
	H_ASSERT_EQ_INT(ctx.wildcount, 1);
	H_ASSERT_EQ_INT(ctx.wild[0], 4);
	H_ASSERT_EQ_INT(lejp_get_wildcard(&ctx, 0, longstr, sizeof(longstr)), 3);
	H_ASSERT_STREQ(longstr, "kk");
	H_ASSERT_EQ_INT(lejp_get_wildcard(&ctx, 0, longstr, 2), 2);
	H_ASSERT_STREQ(longstr, "k");

	/* Any chunking gives the same callbacks. */
	for (c = 1; c < 40; c += 3) {
		H_ASSERT_EQ_INT(parse_in_chunks(json, len, c, &calls), 0);
		H_ASSERT_STREQ(trace, whole);
	}

	/* What follows a complete document is reported as unused. */
	lejp_construct(&ctx, record, &calls, NULL, 0);
	H_ASSERT_EQ_INT(lejp_parse(&ctx, (const unsigned char *)"{\"a\":1}xyz", 10), 3);
	lejp_construct(&ctx, record, &calls, NULL, 0);
	H_ASSERT_EQ_INT(lejp_parse(&ctx, (const unsigned char *)"{\"a\":", 5), LEJP_CONTINUE);

	/* Errors: lws's codes and texts, after a FAILED callback. */
	trace_len = 0;
	lejp_construct(&ctx, record, &calls, NULL, 0);
	n = lejp_parse(&ctx, (const unsigned char *)"{\"a\":123,\"b\":}}", 15);
	H_ASSERT_EQ_INT(n, LEJP_REJECT_MP_DELIM_BAD_VALUE_START);
	H_ASSERT_STREQ(lejp_error_to_string(n), "Illegal value start");
	H_ASSERT_CONTAINS(trace, "4:b:");
	lejp_construct(&ctx, record, &calls, NULL, 0);
	H_ASSERT_EQ_INT(lejp_parse(&ctx, (const unsigned char *)"nope", 4), LEJP_REJECT_IDLE_NO_BRACE);
	lejp_construct(&ctx, reject_numbers, &calls, NULL, 0);
	n = lejp_parse(&ctx, (const unsigned char *)"{\"a\":1}", 7);
	H_ASSERT_EQ_INT(n, LEJP_REJECT_CALLBACK);
	H_ASSERT_STREQ(lejp_error_to_string(n), "Parser callback errored (see earlier error)");
	H_ASSERT_STREQ(lejp_error_to_string(LEJP_CONTINUE), "");
	H_ASSERT_STREQ(lejp_error_to_string(-100), "Unknown error");

	/* A pushed sub-parser, popped when its object ends. */
	lejp_construct(&ctx, outer_cb, NULL, paths, LWS_ARRAY_SIZE(paths));
	H_ASSERT_EQ_INT(lejp_parse(&ctx, (const unsigned char *)json, (int)len), 0);
	H_ASSERT_EQ_INT(sub_hits, 1);
	H_ASSERT_EQ_INT(ctx.pst_sp, 0);
	H_ASSERT_EQ_INT(lejp_parser_pop(&ctx), -1);

	lejp_construct(&ctx, stride_cb, NULL, &rules[0].pattern, LWS_ARRAY_SIZE(rules));
	ctx.path_stride = sizeof(rules[0]);
	H_ASSERT_EQ_INT(lejp_parse(&ctx, (const unsigned char *)json, (int)len), 0);
	H_ASSERT_EQ_INT(stride_match, 2);

	/* Changing the callback: DESTRUCTED to the old, CONSTRUCTED + START to the new. */
	calls = 0;
	lejp_construct(&ctx, outer_cb, &calls, NULL, 0);
	lejp_change_callback(&ctx, record);
	H_ASSERT_EQ_INT(calls, 2);

	/* NULL and out-of-range arguments: lws's error values, no crash. */
	lejp_construct(NULL, record, NULL, NULL, 0);
	lejp_destruct(NULL);
	H_ASSERT_EQ_INT(lejp_parse(NULL, (const unsigned char *)"{}", 2), LEJP_REJECT_UNKNOWN);
	H_ASSERT_EQ_INT(lejp_parse(&ctx, NULL, 5), LEJP_REJECT_UNKNOWN);
	H_ASSERT_EQ_INT(lejp_parse(&ctx, (const unsigned char *)"{}", -1), LEJP_REJECT_UNKNOWN);
	H_ASSERT_EQ_INT(lejp_get_wildcard(NULL, 0, longstr, 10), 0);
	H_ASSERT_EQ_INT(lejp_get_wildcard(&ctx, 5, longstr, 10), 0);
	H_ASSERT_EQ_INT(lejp_parser_push(NULL, NULL, NULL, 0, record), -1);
	H_ASSERT_EQ_INT(lejp_parser_pop(NULL), -1);
	lejp_check_path_match(NULL);
	lejp_change_callback(NULL, record);

	return h_pass();
}

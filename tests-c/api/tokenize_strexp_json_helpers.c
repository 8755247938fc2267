/*
 * lws_tokenize, lws_strexp and the JSON/SQL text helpers through their C
 * surface: struct lws_tokenize and lws_strexp_t are read and written directly
 * (lws 4.3.3 layouts), tokens point into the caller's string, the expander
 * streams through a small output buffer, and NULL arguments are refused
 * without crashing.
 *
 * ctest-timeout: 30
 */
#include <libwebsockets.h>
#include <stddef.h>

#include "harness.h"

struct expected {
	lws_tokenize_elem e;
	const char *text;
};

static void expect_tokens(const char *s, int flags, const struct expected *x, int count)
{
	struct lws_tokenize ts;
	char buf[64];
	int n;

	lws_tokenize_init(&ts, s, flags);
	H_ASSERT_EQ_INT(ts.len, 0x7fffffff);
	H_ASSERT_EQ_INT(ts.delim, LWSTZ_DT_NEED_FIRST_CONTENT);
	for (n = 0; n < count; n++) {
		ts.e = (int8_t)lws_tokenize(&ts);
		if (ts.e != x[n].e)
			H_FAIL("\"%s\" element %d: %d, wanted %d", s, n, ts.e, x[n].e);
		if (ts.e <= 0)
			continue;
		/* The token is a pointer into the input. */
		H_ASSERT(ts.token >= s && ts.token + ts.token_len <= s + strlen(s));
		H_ASSERT_EQ_INT(lws_tokenize_cstr(&ts, buf, sizeof(buf)), 0);
		H_ASSERT_STREQ(buf, x[n].text);
	}
}

static int expand_name(void *priv, const char *name, char *out, size_t *pos, size_t olen,
		       size_t *exp_ofs)
{
	const char *value;
	size_t left, room;

	(*(int *)priv)++;
	if (strcmp(name, "who"))
		return LSTRX_FATAL_NAME_UNKNOWN;
	value = "world-of-lws";
	left = strlen(value) - *exp_ofs;
	room = olen - *pos;
	if (room > left)
		room = left;
	if (out)
		memcpy(out + *pos, value + *exp_ofs, room);
	*pos += room;
	*exp_ofs += room;

	return *exp_ofs == strlen(value) ? LSTRX_DONE : LSTRX_FILLED_OUT;
}

int main(void)
{
	static const struct expected hdr[] = {
		{ LWS_TOKZE_TOKEN, "text" }, { LWS_TOKZE_DELIMITER, "/" },
		{ LWS_TOKZE_TOKEN, "html" }, { LWS_TOKZE_DELIMITER, ";" },
		{ LWS_TOKZE_TOKEN_NAME_EQUALS, "q" }, { LWS_TOKZE_FLOAT, "0.5" },
		{ LWS_TOKZE_DELIMITER, "," }, { LWS_TOKZE_QUOTED_STRING, "a b" },
		{ LWS_TOKZE_ENDED, "" },
	};
	static const struct expected list[] = {
		{ LWS_TOKZE_TOKEN, "gzip" }, { LWS_TOKZE_DELIMITER, "," },
		{ LWS_TOKZE_INTEGER, "12" }, { LWS_TOKZE_ERR_COMMA_LIST, "" },
	};
	static const struct expected errs[] = {
		{ LWS_TOKZE_ERR_NUM_ON_LHS, "" },
	};
	char out[16], text[64], esc[64];
	struct lws_tokenize ts;
	size_t used_in, used_out, alen, total = 0;
	const char *in, *p;
	lws_strexp_t exp;
	int calls = 0, n, used;

	h_watchdog(20);

	H_ASSERT_EQ_INT((int)sizeof(struct lws_tokenize), 40);
	H_ASSERT_EQ_INT((int)offsetof(struct lws_tokenize, token_len), 24);
	H_ASSERT_EQ_INT((int)offsetof(struct lws_tokenize, flags), 32);
	H_ASSERT_EQ_INT((int)offsetof(struct lws_tokenize, e), 35);
	H_ASSERT_EQ_INT((int)sizeof(lws_strexp_t), 88);
	H_ASSERT_EQ_INT((int)offsetof(lws_strexp_t, pos), 64);
	H_ASSERT_EQ_INT((int)offsetof(lws_strexp_t, state), 81);

	expect_tokens("text/html; q=0.5, \"a b\"", LWS_TOKENIZE_F_RFC7230_DELIMS, hdr,
		      (int)LWS_ARRAY_SIZE(hdr));
	expect_tokens("gzip, 12 x", LWS_TOKENIZE_F_COMMA_SEP_LIST, list, (int)LWS_ARRAY_SIZE(list));
	expect_tokens("1=2", 0, errs, 1);

	/* An explicit length stops short of the NUL. */
	memset(&ts, 0, sizeof(ts));
	ts.start = "abc def";
	ts.len = 3;
	H_ASSERT_EQ_INT(lws_tokenize(&ts), LWS_TOKZE_TOKEN);
	H_ASSERT_EQ_INT(ts.token_len, 3);
	H_ASSERT_EQ_INT(lws_tokenize(&ts), LWS_TOKZE_ENDED);
	H_ASSERT(ts.token == NULL);
	/* lws_tokenize_cstr wants a byte to spare beyond the token and its NUL. */
	lws_tokenize_init(&ts, "longtoken", 0);
	H_ASSERT_EQ_INT(lws_tokenize(&ts), LWS_TOKZE_TOKEN);
	H_ASSERT_EQ_INT(lws_tokenize_cstr(&ts, out, 10), 1);
	H_ASSERT_EQ_INT(lws_tokenize_cstr(&ts, out, 11), 0);
	H_ASSERT_STREQ(out, "longtoken");

	/* strexp: expand through a 16-byte buffer, resuming where it filled. */
	in = "hello ${who} and $x!";
	lws_strexp_init(&exp, &calls, expand_name, out, sizeof(out));
	text[0] = '\0';
	for (n = 0; n < 10; n++) {
		int r = lws_strexp_expand(&exp, in, strlen(in), &used_in, &used_out);

		memcpy(text + total, out, used_out);
		total += used_out;
		in += used_in;
		if (r == LSTRX_DONE)
			break;
		H_ASSERT_EQ_INT(r, LSTRX_FILLED_OUT);
		lws_strexp_reset_out(&exp, out, sizeof(out));
		H_ASSERT_EQ_INT(exp.pos, 0);
	}
	text[total] = '\0';
	H_ASSERT_STREQ(text, "hello world-of-lws and $x!");
	H_ASSERT(calls >= 2);
	/* Measuring only (no output buffer). */
	lws_strexp_init(&exp, &calls, expand_name, NULL, (size_t)-1);
	H_ASSERT_EQ_INT(lws_strexp_expand(&exp, "<${who}>", 8, &used_in, &used_out), LSTRX_DONE);
	H_ASSERT_EQ_INT(used_out, 14);
	lws_strexp_init(&exp, &calls, expand_name, out, sizeof(out));
	H_ASSERT_EQ_INT(lws_strexp_expand(&exp, "${nope}", 7, &used_in, &used_out),
			LSTRX_FATAL_NAME_UNKNOWN);

	/* JSON member lookup. */
	p = "{\"id\": \"a\\\"b\", \"n\":42}";
	in = lws_json_simple_find(p, strlen(p), "\"id\":", &alen);
	H_ASSERT(in == p + 8);
	H_ASSERT_EQ_INT(alen, 4);
	in = lws_json_simple_find(p, strlen(p), "\"n\":", &alen);
	H_ASSERT(in && alen == 2 && !strncmp(in, "42", 2));
	H_ASSERT(lws_json_simple_find(p, strlen(p), "\"x\":", &alen) == NULL);
	H_ASSERT_EQ_INT(lws_json_simple_strcmp(p, strlen(p), "\"n\":", "42"), 0);
	H_ASSERT_EQ_INT(lws_json_simple_strcmp(p, strlen(p), "\"n\":", "4"), -1);

	/* Escaping. */
	H_ASSERT_STREQ(lws_json_purify(esc, "a\"b\\c\nd", sizeof(esc), &used), "a\\u0022b\\\\c\\nd");
	H_ASSERT_EQ_INT(used, 7);
	H_ASSERT_EQ_INT(lws_json_purify_len("a\"b\\c\nd"), 18);
	H_ASSERT_STREQ(lws_json_purify(esc, "abcdefghij", 10, NULL), "abcd");
	H_ASSERT_STREQ(lws_json_purify(esc, NULL, sizeof(esc), NULL), "");
	H_ASSERT_STREQ(lws_sql_purify(esc, "it's", sizeof(esc)), "it''s");

	/* NULL arguments: error values, no crash. */
	lws_tokenize_init(NULL, "x", 0);
	H_ASSERT_EQ_INT(lws_tokenize(NULL), LWS_TOKZE_ENDED);
	H_ASSERT_EQ_INT(lws_tokenize_cstr(NULL, out, sizeof(out)), 1);
	memset(&ts, 0, sizeof(ts));
	ts.len = 5;
	H_ASSERT_EQ_INT(lws_tokenize(&ts), LWS_TOKZE_ENDED);
	lws_strexp_init(NULL, NULL, expand_name, out, sizeof(out));
	lws_strexp_reset_out(NULL, out, sizeof(out));
	H_ASSERT_EQ_INT(lws_strexp_expand(NULL, "x", 1, &used_in, &used_out), LSTRX_FATAL_NAME_UNKNOWN);
	H_ASSERT(lws_json_simple_find(NULL, 4, "\"a\":", &alen) == NULL);
	H_ASSERT_EQ_INT(lws_json_simple_strcmp(p, strlen(p), NULL, "1"), -1);
	H_ASSERT(lws_json_purify(NULL, "x", 10, NULL) == NULL);
	H_ASSERT_EQ_INT(lws_json_purify_len(NULL), 0);
	H_ASSERT(lws_sql_purify(NULL, "x", 10) == NULL);

	return h_pass();
}

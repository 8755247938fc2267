/*
 * String helpers with lws 4.3.3's exact results (measured against the real library):
 * lws_strcmp_wildcard, lws_nstrstr, lws_parse_uri (in place, scheme ports, IPv6 literals,
 * +unix sockets), lws_urlencode / lws_urldecode, lws_filename_purify_inplace,
 * lws_humanize with the exported schemas,
 * lws_token_to_string, lws_http_date_render_from_unix (lws names the weekday one day on)
 * and lws_http_date_parse_unix, lws_ser_*, lws_vbi_*. NULL arguments are refused.
 */
#include <libwebsockets.h>
#include "../harness/harness.h"

static int
wc(const char *w, const char *c)
{
	return lws_strcmp_wildcard(w, strlen(w), c, strlen(c));
}

static void
expect_uri(const char *uri, const char *prot, const char *ads, int port, const char *path,
	   int path_ofs)
{
	const char *p1, *a1, *pa1;
	char b[128];
	int po = -99;

	strcpy(b, uri);
	H_ASSERT_EQ_INT(lws_parse_uri(b, &p1, &a1, &po, &pa1), 0);
	H_ASSERT_STREQ(p1, prot);
	H_ASSERT_STREQ(a1, ads);
	H_ASSERT_EQ_INT(po, port);
	H_ASSERT_STREQ(pa1, path);
	if (path_ofs >= 0)
		H_ASSERT(pa1 == b + path_ofs);
	else
		H_ASSERT(pa1 < b || pa1 >= b + sizeof b);
}

static void
expect_humanize(uint64_t v, const lws_humanize_unit_t *schema, size_t len, int want,
		const char *text)
{
	char b[32];

	memset(b, '#', sizeof b);
	H_ASSERT_EQ_INT(lws_humanize(b, len, v, schema), want);
	H_ASSERT_STREQ(b, text);
}

int main(void)
{
	static const char *t1 = "abc123456";
	const char *prot, *ads, *path;
	char b[64];
	uint8_t u[8];
	uint64_t v;
	time_t t;
	int port;

	h_watchdog(20);
	lws_set_log_level(LLL_ERR, NULL);

	/* wildcards: up to three '*'; an empty pattern matches nothing */
	H_ASSERT_EQ_INT(wc("allied", "allied"), 0);
	H_ASSERT_EQ_INT(wc("a*", "allied"), 0);
	H_ASSERT_EQ_INT(wc("all*d", "allied"), 0);
	H_ASSERT_EQ_INT(wc("*ied", "allied"), 0);
	H_ASSERT_EQ_INT(wc("a*l*d", "allied"), 0);
	H_ASSERT_EQ_INT(wc("*.com", "x.y.com"), 0);
	H_ASSERT_EQ_INT(wc("*a*", "bab"), 0);
	H_ASSERT_EQ_INT(wc("b*", "allied"), 1);
	H_ASSERT_EQ_INT(wc("b*ed", "allied"), 1);
	H_ASSERT_EQ_INT(wc("a*x*d", "allied"), 1);
	H_ASSERT_EQ_INT(wc("allie", "allied"), 1);
	H_ASSERT_EQ_INT(wc("allied", "allie"), 1);
	H_ASSERT_EQ_INT(wc("*", ""), 0);
	H_ASSERT_EQ_INT(wc("", ""), 1);
	H_ASSERT_EQ_INT(wc("a*b*c*d", "abcd"), 0);
	H_ASSERT_EQ_INT(wc("a*b*c*d*e", "abcde"), 1);
	H_ASSERT_EQ_INT(lws_strcmp_wildcard(NULL, 3, "abc", 3), 1);

	H_ASSERT(lws_nstrstr(t1, 9, "abc", 3) == t1);
	H_ASSERT(lws_nstrstr(t1, 9, "def", 3) == NULL);
	H_ASSERT(lws_nstrstr(t1, 9, "456", 3) == t1 + 6);
	H_ASSERT(lws_nstrstr(t1, 9, "1", 1) == t1 + 3);
	H_ASSERT(lws_nstrstr(t1, 9, "abc1234567", 10) == NULL);
	H_ASSERT(lws_nstrstr(t1, 6, "456", 3) == NULL);
	H_ASSERT(lws_nstrstr(NULL, 9, "abc", 3) == NULL);

	expect_uri("https://warmcat.com/a/b?c", "https", "warmcat.com", 443, "a/b?c", 20);
	expect_uri("http://h:8080/x", "http", "h", 8080, "x", 14);
	expect_uri("ws://h", "ws", "h", 80, "/", -1);
	expect_uri("wss://h/", "wss", "h", 443, "/", -1);
	expect_uri("foo://h", "foo", "h", -99, "/", -1);
	expect_uri("foo://h:99", "foo", "h", 99, "/", -1);
	expect_uri("h.com:81/p", "", "h.com", 81, "p", 9);
	expect_uri("http://[::1]:7681/x", "http", "::1", 7681, "x", 18);
	expect_uri("http://+/var/run/s.sock:/my/path", "http", "+/var/run/s.sock", 0, "my/path", 25);
	expect_uri("http://h:abc/x", "http", "h", 0, "x", 13);
	expect_uri("http:/x", "", "http", 0, "x", 6);
	expect_uri("", "", "", -99, "/", -1);
	H_ASSERT_EQ_INT(lws_parse_uri(NULL, &prot, &ads, &port, &path), -1);
	strcpy(b, "http://h/");
	H_ASSERT_EQ_INT(lws_parse_uri(b, &prot, &ads, NULL, &path), -1);

	H_ASSERT_STREQ(lws_urlencode(b, "a b/c", sizeof b), "a+b%2Fc");
	H_ASSERT_STREQ(lws_urlencode(b, "a.b_c~\xc3\xa9", sizeof b), "a%2Eb%5Fc%7E%C3%A9");
	H_ASSERT_STREQ(lws_urlencode(b, "abcdef", 6), "abc");
	H_ASSERT_STREQ(lws_urlencode(b, "//", 6), "%2F");
	H_ASSERT_STREQ(lws_urlencode(b, "abc", 3), "");
	H_ASSERT(lws_urlencode(NULL, "abc", 8) == NULL);

	H_ASSERT_EQ_INT(lws_urldecode(b, "a+b%2fc%2F", sizeof b), 0);
	H_ASSERT_STREQ(b, "a b/c/");
	H_ASSERT_EQ_INT(lws_urldecode(b, "abcdef", 3), 0);
	H_ASSERT_STREQ(b, "abc");
	H_ASSERT_EQ_INT(lws_urldecode(b, "ab%4", sizeof b), 0);
	H_ASSERT_STREQ(b, "ab");
	memset(b, '#', sizeof b);
	H_ASSERT_EQ_INT(lws_urldecode(b, "ab%zz", sizeof b), -1);
	H_ASSERT(memcmp(b, "ab##", 4) == 0);
	strcpy(b, "x%41%42+y");
	H_ASSERT_EQ_INT(lws_urldecode(b, b, sizeof b), 0); /* in place */
	H_ASSERT_STREQ(b, "xAB y");
	H_ASSERT_EQ_INT(lws_urldecode(NULL, "a", 4), -1);
	H_ASSERT_EQ_INT(lws_urldecode(b, "a", -1), -1);

	strcpy(b, "../a:b\\c$d%e..f...g");
	lws_filename_purify_inplace(b);
	H_ASSERT_STREQ(b, "__/a_b_c_d_e__f__.g");
	lws_filename_purify_inplace(NULL);

	expect_humanize(0, humanize_schema_si, 24, 1, "0");
	expect_humanize(999, humanize_schema_si, 24, 3, "999");
	expect_humanize(1000, humanize_schema_si, 24, 4, "1000");
	expect_humanize(1024, humanize_schema_si, 24, 7, "1.000Ki");
	expect_humanize(1536, humanize_schema_si_bytes, 24, 8, "1.512KiB");
	expect_humanize(1023, humanize_schema_si_bytes, 24, 5, "1023B");
	expect_humanize(123456789012ull, humanize_schema_si_bytes, 24, 10, "114.978GiB");
	expect_humanize(~0ull, humanize_schema_si, 24, 10, "6383.000Pi");
	expect_humanize(90000000ull, humanize_schema_us, 24, 8, "1.500min");
	expect_humanize(1500, humanize_schema_us, 24, 7, "1.500ms");
	expect_humanize(12, humanize_schema_us, 24, 5, "12\xce\xbcs");
	expect_humanize(400ull * 24 * 3600 * 1000000, humanize_schema_us, 24, 6, "1.095y");
	expect_humanize(1024, humanize_schema_si, 7, 7, "1.000K");
	H_ASSERT_EQ_INT(lws_humanize(NULL, 8, 1, humanize_schema_si), 0);
	H_ASSERT_EQ_INT(humanize_schema_si[4].factor, LWS_KI);
	H_ASSERT(humanize_schema_si[6].name == NULL);
	H_ASSERT(humanize_schema_us[7].name == NULL);

	H_ASSERT_STREQ((const char *)lws_token_to_string(WSI_TOKEN_GET_URI), "get ");
	H_ASSERT_STREQ((const char *)lws_token_to_string(WSI_TOKEN_HOST), "host:");
	H_ASSERT_STREQ((const char *)lws_token_to_string(WSI_TOKEN_CHALLENGE), "\r\n");
	H_ASSERT_STREQ((const char *)lws_token_to_string(WSI_TOKEN_HTTP_COLON_PATH), ":path");
	H_ASSERT_STREQ((const char *)lws_token_to_string(WSI_TOKEN_HTTP_URI_ARGS), "uri-args");
	H_ASSERT_STREQ((const char *)lws_token_to_string(WSI_TOKEN_DSS_SIGNATURE),
		       "x-amzn-dss-signature:");
	H_ASSERT_STREQ((const char *)lws_token_to_string(_WSI_TOKEN_CLIENT_SENT_PROTOCOLS), "");
	H_ASSERT(lws_token_to_string(_WSI_TOKEN_CLIENT_PEER_ADDRESS) == NULL);
	H_ASSERT(lws_token_to_string(WSI_TOKEN_COUNT) == NULL);

	H_ASSERT_EQ_INT(lws_http_date_parse_unix("Tue, 15 Nov 1994 08:12:31 GMT", 29, &t), 0);
	H_ASSERT_EQ_INT(t, 784887151);
	H_ASSERT_EQ_INT(lws_http_date_render_from_unix(b, 30, &t), 0);
	H_ASSERT_STREQ(b, "Wed, 15 Nov 1994 08:12:31 GMT"); /* lws 4.3.3's weekday */
	H_ASSERT_EQ_INT(lws_http_date_render_from_unix(b, 29, &t), 0);
	H_ASSERT_STREQ(b, "Wed, 15 Nov 1994 08:12:31 GM");
	H_ASSERT_EQ_INT(lws_http_date_render_from_unix(b, 28, &t), -1);
	t = 0;
	H_ASSERT_EQ_INT(lws_http_date_render_from_unix(b, sizeof b, &t), 0);
	H_ASSERT_STREQ(b, "Fri, 01 Jan 1970 00:00:00 GMT");
	t = 253402300800LL;
	H_ASSERT_EQ_INT(lws_http_date_render_from_unix(b, sizeof b, &t), 0);
	H_ASSERT_STREQ(b, "Sun, 01 Jan 10000 00:00:00 GMT");
	H_ASSERT_EQ_INT(lws_http_date_parse_unix("Tue, 31 Feb 1994 08:12:31 GMT", 29, &t), 0);
	H_ASSERT_EQ_INT(t, 762682351);
	H_ASSERT_EQ_INT(lws_http_date_parse_unix("Tue,  5 Nov 1994 08:12:31 GMT", 29, &t), 0);
	H_ASSERT_EQ_INT(t, 784023151);
	H_ASSERT_EQ_INT(lws_http_date_parse_unix("Tue, 15 Nov 1994 23:59:61 GMT", 29, &t), 0);
	H_ASSERT_EQ_INT(t, 784944001);
	/* the time -1 is lws's failure value; lws still stores it */
	H_ASSERT_EQ_INT(lws_http_date_parse_unix("Wed, 31 Dec 1969 23:59:59 GMT", 29, &t), -1);
	H_ASSERT_EQ_INT(t, -1);
	t = 7;
	H_ASSERT_EQ_INT(lws_http_date_parse_unix("Xyz, 15 Nov 1994 08:12:31 GMT", 29, &t), -1);
	H_ASSERT_EQ_INT(lws_http_date_parse_unix("Tue, 15 Nov 1994 24:12:31 GMT", 29, &t), -1);
	H_ASSERT_EQ_INT(lws_http_date_parse_unix("Tue, 15 Nov 1899 08:12:31 GMT", 29, &t), -1);
	H_ASSERT_EQ_INT(lws_http_date_parse_unix("Tue, 15 Nov 1994 08:12:31 GMX", 29, &t), -1);
	H_ASSERT_EQ_INT(lws_http_date_parse_unix("Tue, 15 Nov 1994 08:12:31 GMT", 28, &t), -1);
	H_ASSERT_EQ_INT(t, 7);
	H_ASSERT_EQ_INT(lws_http_date_parse_unix(NULL, 29, &t), -1);
	H_ASSERT_EQ_INT(lws_http_date_render_from_unix(b, sizeof b, NULL), -1);

	lws_ser_wu16be(u, 0x1234);
	H_ASSERT(memcmp(u, "\x12\x34", 2) == 0);
	lws_ser_wu32be(u, 0x12345678);
	H_ASSERT(memcmp(u, "\x12\x34\x56\x78", 4) == 0);
	lws_ser_wu64be(u, 0x0102030405060708ull);
	H_ASSERT(memcmp(u, "\x01\x02\x03\x04\x05\x06\x07\x08", 8) == 0);
	H_ASSERT_EQ_INT(lws_ser_ru16be(u), 0x0102);
	H_ASSERT_EQ_INT(lws_ser_ru32be(u), 0x01020304);
	H_ASSERT(lws_ser_ru64be(u) == 0x0102030405060708ull);
	H_ASSERT_EQ_INT(lws_ser_ru32be(NULL), 0);
	lws_ser_wu32be(NULL, 1);

	H_ASSERT_EQ_INT(lws_vbi_encode(0, u), 1);
	H_ASSERT_EQ_INT(u[0], 0);
	H_ASSERT_EQ_INT(lws_vbi_encode(128, u), 2);
	H_ASSERT(memcmp(u, "\x80\x01", 2) == 0);
	H_ASSERT_EQ_INT(lws_vbi_encode(0xfffffff, u), 4);
	H_ASSERT(memcmp(u, "\xff\xff\xff\x7f", 4) == 0);
	H_ASSERT_EQ_INT(lws_vbi_encode(0x10000000, u), -1);
	/* lws 4.3.3's decoder stops at a byte with the top bit set, returning its offset */
	H_ASSERT_EQ_INT(lws_vbi_decode("\x05\x81", &v, 2), 1);
	H_ASSERT(v == 133);
	v = 9;
	H_ASSERT_EQ_INT(lws_vbi_decode("\x05", &v, 1), 0);
	H_ASSERT(v == 9);
	H_ASSERT_EQ_INT(lws_vbi_decode("\x85\x01", &v, 2), 0);
	H_ASSERT(v == 5);
	H_ASSERT_EQ_INT(lws_vbi_decode("\x85", NULL, 1), 0);

	return h_pass();
}

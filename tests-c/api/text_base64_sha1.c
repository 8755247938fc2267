/*
 * lws-sha1-base64.h and the byte helpers of lws-misc.h, with lws 4.3.3's exact results
 * (measured against the real library): lws_b64_encode_string(_url) and their buffer rule
 * (text + 2 bytes), lws_b64_decode_string(_len) (lenient: foreign characters skipped, both
 * alphabets, cut at whole groups, NUL after the data), lws_b64_decode_stateful across
 * chunks, lws_SHA1, lws_timingsafe_bcmp, lws_explicit_bzero; NULL and out-of-range
 * arguments return lws's error value.
 */
#include <libwebsockets.h>
#include "../harness/harness.h"

static void
expect_decode(const char *in, int out_size, int want, const char *want_text)
{
	char out[64];

	memset(out, '#', sizeof out);
	H_ASSERT_EQ_INT(lws_b64_decode_string(in, out, out_size), want);
	H_ASSERT(memcmp(out, want_text, (size_t)want + 1) == 0);
}

int main(void)
{
	static const char *plain = "any carnal pleasure.";
	static const char *coded = "YW55IGNhcm5hbCBwbGVhc3VyZS4=";
	struct lws_b64state st;
	unsigned char md[20], secret[8];
	char out[64], hex[41];
	uint8_t bin[32];
	size_t il, ol;
	unsigned int n;

	h_watchdog(20);
	lws_set_log_level(LLL_ERR, NULL);

	/* encode: RFC 4648 vectors, NUL-terminated, length returned */
	H_ASSERT_EQ_INT(lws_b64_encode_string("foobar", 6, out, sizeof out), 8);
	H_ASSERT_STREQ(out, "Zm9vYmFy");
	H_ASSERT_EQ_INT(lws_b64_encode_string("fo", 2, out, sizeof out), 4);
	H_ASSERT_STREQ(out, "Zm8=");
	H_ASSERT_EQ_INT(lws_b64_encode_string(plain, (int)strlen(plain), out, sizeof out), 28);
	H_ASSERT_STREQ(out, coded);
	H_ASSERT_EQ_INT(lws_b64_encode_string("\xfb\xff\xbf", 3, out, sizeof out), 4);
	H_ASSERT_STREQ(out, "+/+/");
	H_ASSERT_EQ_INT(lws_b64_encode_string_url("\xfb\xff\xbf", 3, out, sizeof out), 4);
	H_ASSERT_STREQ(out, "-_-_");
	/* lws wants text + 2 bytes: "Zg==" fits 6, not 5 (the group stays written) */
	H_ASSERT_EQ_INT(lws_b64_encode_string("f", 1, out, 6), 4);
	memset(out, '#', sizeof out);
	H_ASSERT_EQ_INT(lws_b64_encode_string("f", 1, out, 5), -1);
	H_ASSERT(memcmp(out, "Zg==#", 5) == 0);
	H_ASSERT_EQ_INT(lws_b64_encode_string("", 0, out, 2), 0);
	H_ASSERT_STREQ(out, "");
	H_ASSERT_EQ_INT(lws_b64_encode_string("", 0, out, 1), -1);
	H_ASSERT_EQ_INT(lws_b64_encode_string("foobar", 6, out, 7), -1);
	H_ASSERT_EQ_INT(lws_b64_encode_string(NULL, 3, out, sizeof out), -1);
	H_ASSERT_EQ_INT(lws_b64_encode_string("abc", 3, NULL, 16), -1);
	H_ASSERT_EQ_INT(lws_b64_encode_string("abc", -1, out, sizeof out), -1);

	/* decode */
	expect_decode("Zm9vYmFy", 16, 6, "foobar");
	expect_decode("Zg==", 16, 1, "f");
	expect_decode("Zg", 16, 1, "f");
	expect_decode("Zm8", 16, 2, "fo");
	expect_decode(coded, 64, 20, plain);
	expect_decode("Zm9v\nYmFy", 16, 6, "foobar");
	expect_decode("Zm*9v", 16, 3, "foo");
	expect_decode("Zm=9v", 16, 3, "foo");
	expect_decode("-_-_", 16, 3, "\xfb\xff\xbf");
	expect_decode("", 16, 0, "");
	expect_decode("Z", 16, 0, "");
	expect_decode("====", 16, 0, "");
	/* each group needs 3 bytes of room; the NUL follows the data */
	expect_decode("Zm8=", 2, 0, "");
	expect_decode("Zm8=", 3, 2, "fo");
	expect_decode("Zm9vYmFy", 5, 3, "foo");
	memset(out, '#', sizeof out);
	H_ASSERT_EQ_INT(lws_b64_decode_string_len("Zm9vYmFy", 5, out, 16), 3);
	H_ASSERT(memcmp(out, "foo", 4) == 0);
	H_ASSERT_EQ_INT(lws_b64_decode_string_len("Zm9vYmFy", 0, out, 16), 0);
	H_ASSERT_EQ_INT(lws_b64_decode_string_len("Zm9vYmFy", -1, out, 16), 6);
	H_ASSERT_EQ_INT(lws_b64_decode_string(NULL, out, 16), -1);
	H_ASSERT_EQ_INT(lws_b64_decode_string("Zm9v", NULL, 16), -1);
	H_ASSERT_EQ_INT(lws_b64_decode_string("Zm9v", out, -1), -1);

	/* stateful: any split gives the same bytes */
	for (n = 0; n <= strlen(coded); n++) {
		size_t made;

		memset(bin, '#', sizeof bin);
		lws_b64_decode_state_init(&st);
		il = n;
		ol = sizeof bin;
		H_ASSERT_EQ_INT(lws_b64_decode_stateful(&st, coded, &il, bin, &ol, 0), 0);
		H_ASSERT_EQ_INT(il, n);
		made = ol;
		il = strlen(coded) - n;
		ol = sizeof bin - made;
		H_ASSERT_EQ_INT(lws_b64_decode_stateful(&st, coded + n, &il, bin + made, &ol, 1), 0);
		H_ASSERT_EQ_INT(made + ol, 20);
		H_ASSERT(memcmp(bin, plain, 21) == 0);
	}
	/* lws's state after 5 characters: one group out, one character in */
	lws_b64_decode_state_init(&st);
	il = 5;
	ol = sizeof bin;
	H_ASSERT_EQ_INT(lws_b64_decode_stateful(&st, coded, &il, bin, &ol, 0), 0);
	H_ASSERT_EQ_INT(ol, 3);
	H_ASSERT_EQ_INT(st.i, 1);
	H_ASSERT_EQ_INT(st.len, 1);
	H_ASSERT_EQ_INT(st.c, 'I');
	H_ASSERT_EQ_INT(st.done, 3);
	/* a full output stops at whole groups and says how much input was used */
	lws_b64_decode_state_init(&st);
	il = 8;
	ol = 4;
	H_ASSERT_EQ_INT(lws_b64_decode_stateful(&st, "Zm9vYmFy", &il, bin, &ol, 1), 0);
	H_ASSERT_EQ_INT(il, 4);
	H_ASSERT_EQ_INT(ol, 3);
	H_ASSERT_EQ_INT(lws_b64_decode_stateful(NULL, "Zm9v", &il, bin, &ol, 1), -1);
	lws_b64_decode_state_init(NULL); /* refused with a log line, no crash */

	/* SHA-1 (FIPS 180 "abc") */
	H_ASSERT(lws_SHA1((const unsigned char *)"abc", 3, md) == md);
	lws_hex_from_byte_array(md, sizeof md, hex, sizeof hex);
	H_ASSERT_STREQ(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
	lws_SHA1((const unsigned char *)"", 0, md);
	lws_hex_from_byte_array(md, sizeof md, hex, sizeof hex);
	H_ASSERT_STREQ(hex, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	H_ASSERT(lws_SHA1((const unsigned char *)"abc", 3, NULL) == NULL);

	/* constant-time compare and zeroing */
	H_ASSERT_EQ_INT(lws_timingsafe_bcmp("abcd", "abcd", 4), 0);
	H_ASSERT(lws_timingsafe_bcmp("abcd", "abce", 4) != 0);
	H_ASSERT(lws_timingsafe_bcmp("\x80zzz", "\x81zzz", 4) != 0);
	H_ASSERT_EQ_INT(lws_timingsafe_bcmp("abcd", "xbcd", 0), 0);
	H_ASSERT(lws_timingsafe_bcmp(NULL, "abcd", 4) != 0);
	memset(secret, 0x5a, sizeof secret);
	lws_explicit_bzero(secret, 6);
	H_ASSERT(memcmp(secret, "\0\0\0\0\0\0\x5a\x5a", 8) == 0);
	lws_explicit_bzero(NULL, 0);

	return h_pass();
}

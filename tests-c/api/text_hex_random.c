/*
 * lws_hex_to_byte_array, lws_hex_from_byte_array, lws_hex_random and lws_get_random with
 * lws 4.3.3's exact results: hex decoding needs max above the byte count and refuses odd
 * or non-hex text (having stored what it decoded), rendering truncates to fit with a NUL
 * (splitting a byte), random hex fills len - 1 characters of 0-9a-f. NULL and
 * out-of-range arguments return lws's error value.
 */
#include <libwebsockets.h>
#include "../harness/harness.h"

static void
expect_hex(const char *h, int max, int want, const uint8_t *bytes, size_t nbytes)
{
	uint8_t d[32];

	memset(d, 0xee, sizeof d);
	H_ASSERT_EQ_INT(lws_hex_to_byte_array(h, d, max), want);
	H_ASSERT(memcmp(d, bytes, nbytes) == 0);
	H_ASSERT_EQ_INT(d[nbytes], 0xee);
}

int main(void)
{
	static const uint8_t src[3] = { 0x01, 0xab, 0xff };
	static const char *want[] = { "", "0", "01", "01a", "01ab", "01abf", "01abff", "01abff" };
	struct lws_context_creation_info info;
	struct lws_context *cx;
	uint8_t r1[32], r2[32];
	char d[64];
	size_t len, i;

	h_watchdog(20);
	lws_set_log_level(LLL_ERR, NULL);

	expect_hex("0123456789abcdefABCDEF", 64, 11,
		   (const uint8_t *)"\x01\x23\x45\x67\x89\xab\xcd\xef\xab\xcd\xef", 11);
	expect_hex("", 4, 0, (const uint8_t *)"", 0);
	expect_hex("abc", 8, -1, (const uint8_t *)"\xab", 1);
	expect_hex("ab-c", 8, -1, (const uint8_t *)"\xab", 1);
	expect_hex("zz", 8, -1, (const uint8_t *)"", 0);
	expect_hex("abcd", 3, 2, (const uint8_t *)"\xab\xcd", 2);
	/* lws needs max > byte count: 2 bytes with max 2 is an error */
	expect_hex("abcd", 2, -1, (const uint8_t *)"\xab\xcd", 2);
	expect_hex("abcdef", 2, -1, (const uint8_t *)"\xab\xcd", 2);
	expect_hex("", 0, -1, (const uint8_t *)"", 0);
	H_ASSERT_EQ_INT(lws_hex_to_byte_array(NULL, r1, 4), -1);
	H_ASSERT_EQ_INT(lws_hex_to_byte_array("ab", NULL, 4), -1);
	H_ASSERT_EQ_INT(lws_hex_to_byte_array("ab", r1, -3), -1);

	for (len = 1; len <= 8; len++) {
		memset(d, '#', sizeof d);
		lws_hex_from_byte_array(src, sizeof src, d, len);
		H_ASSERT_STREQ(d, want[len - 1]);
		H_ASSERT_EQ_INT(d[len], '#');
	}
	memset(d, '#', sizeof d);
	lws_hex_from_byte_array(src, 0, d, sizeof d);
	H_ASSERT_STREQ(d, "");
	lws_hex_from_byte_array(src, 3, NULL, 8); /* refused, no crash */
	lws_hex_from_byte_array(src, 3, d, 0);
	H_ASSERT_EQ_INT(d[0], 0);

	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);

	H_ASSERT_EQ_INT(lws_get_random(cx, r1, sizeof r1), sizeof r1);
	H_ASSERT_EQ_INT(lws_get_random(cx, r2, sizeof r2), sizeof r2);
	H_ASSERT(memcmp(r1, r2, sizeof r1) != 0);
	H_ASSERT_EQ_INT(lws_get_random(cx, r1, 0), 0);
	H_ASSERT_EQ_INT(lws_get_random(NULL, r1, sizeof r1), 0);
	H_ASSERT_EQ_INT(lws_get_random(cx, NULL, 4), 0);

	for (len = 1; len <= 34; len++) {
		memset(d, '#', sizeof d);
		H_ASSERT_EQ_INT(lws_hex_random(cx, d, len), 0);
		H_ASSERT_EQ_INT(strlen(d), len - 1);
		for (i = 0; i < len - 1; i++)
			H_ASSERT((d[i] >= '0' && d[i] <= '9') || (d[i] >= 'a' && d[i] <= 'f'));
		H_ASSERT_EQ_INT(d[len], '#');
	}
	H_ASSERT_EQ_INT(lws_hex_random(cx, d, 0), 1);
	H_ASSERT_EQ_INT(lws_hex_random(NULL, d, 8), 1);
	H_ASSERT_EQ_INT(lws_hex_random(cx, NULL, 8), 1);

	lws_context_destroy(cx);
	return h_pass();
}

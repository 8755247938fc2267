/*
 * lws-network-helper.h address helpers with lws 4.3.3's exact results (measured against
 * the real library, whose default build has no IPv6 sockets): lws_parse_numeric_address
 * (IPv4, IPv6 with "::" and "::ffff:a.b.c.d", lws's negative codes),
 * lws_sa46_parse_numeric_address, lws_write_numeric_address (first zero run elided, 8
 * bytes of room per group), lws_sa46_write_numeric_address (other families by name),
 * lws_sa46_compare_ads, lws_sa46_on_net, lws_interface_to_sa
 * ("lo", a missing interface, a numeric address). NULL arguments are refused.
 */
#include <libwebsockets.h>
#include <arpa/inet.h>
#include "../harness/harness.h"

static void
expect_parse(const char *ads, size_t max, int want, const uint8_t *bytes)
{
	uint8_t r[20];

	memset(r, 0xee, sizeof r);
	H_ASSERT_EQ_INT(lws_parse_numeric_address(ads, r, max), want);
	if (want > 0)
		H_ASSERT(memcmp(r, bytes, (size_t)want) == 0);
}

static void
expect_text(const uint8_t *ads, int size, size_t len, int want, const char *text)
{
	char b[64];

	memset(b, '#', sizeof b);
	H_ASSERT_EQ_INT(lws_write_numeric_address(ads, size, b, len), want);
	if (text)
		H_ASSERT_STREQ(b, text);
	else
		H_ASSERT_EQ_INT(b[0], '#');
}

int main(void)
{
	static const uint8_t a4[4] = { 127, 0, 0, 1 };
	uint8_t one[16] = { 0 }, zero[16] = { 0 }, mapped[16] = { 0 }, runs[16] = { 0 };
	uint8_t doc[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x85, 0xa3, 0, 0, 0, 0, 0x8a, 0x2e,
			    0x03, 0x70, 0x73, 0x34 };
	lws_sockaddr46 a, b, net;
	struct sockaddr_in sin;

	h_watchdog(20);
	lws_set_log_level(LLL_ERR, NULL);
	one[15] = 1;
	memcpy(&mapped[10], "\xff\xff\xc0\x00\x02\x80", 6);
	runs[1] = 1;
	runs[7] = 2;
	runs[15] = 3;

	expect_parse("192.168.1.254", 16, 4, (const uint8_t *)"\xc0\xa8\x01\xfe");
	expect_parse(" 10.0.0.1", 16, 4, (const uint8_t *)"\x0a\x00\x00\x01");
	expect_parse("1 .2.3.4", 16, 4, (const uint8_t *)"\x01\x02\x03\x04");
	expect_parse("1.2.3.4", 4, 4, (const uint8_t *)"\x01\x02\x03\x04");
	expect_parse("1.2.3", 16, -1, NULL);
	expect_parse("1.2.3.4", 3, -3, NULL);
	expect_parse("1.2.3.256", 16, -6, NULL);
	expect_parse("1.2.3.1234", 16, -1, NULL);
	expect_parse("1.2..3.4", 16, -9, NULL);
	expect_parse("1.2.3/4.5", 16, -11, NULL);
	expect_parse("1.2.3.4.5", 16, -12, NULL);
	expect_parse("1.2.3.4x", 16, -1, NULL);
	expect_parse("\"1.2.3.4\"", 16, -13, NULL);
	expect_parse("localhost", 16, -1, NULL);
	expect_parse("::1", 16, 16, one);
	expect_parse("::", 16, 16, zero);
	expect_parse("2001:db8:85a3:0:0:8a2e:370:7334", 16, 16, doc);
	expect_parse("2001:db8:85a3::8a2e:370:7334", 16, 16, doc);
	expect_parse("::ffff:192.0.2.128", 16, 16, mapped);
	expect_parse("::1", 15, -4, NULL);
	expect_parse(":", 16, -2, NULL);
	expect_parse("1:::2", 16, -8, NULL);
	expect_parse("12345::1", 16, -1, NULL);
	expect_parse("1:2", 16, -12, NULL);
	H_ASSERT_EQ_INT(lws_parse_numeric_address(NULL, one, 16), -1);

	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	memset(&net, 0, sizeof net);
	H_ASSERT_EQ_INT(lws_sa46_parse_numeric_address("10.1.2.3", &a), 0);
	H_ASSERT_EQ_INT(a.sa4.sin_family, AF_INET);
	H_ASSERT_EQ_INT(a.sa4.sin_addr.s_addr, htonl(0x0a010203));
	H_ASSERT_EQ_INT(lws_sa46_parse_numeric_address("::1", &b), -1); /* no IPv6 sockets */
	H_ASSERT_EQ_INT(b.sa4.sin_family, 0);
	H_ASSERT_EQ_INT(lws_sa46_parse_numeric_address("nope", &b), -1);
	H_ASSERT_EQ_INT(lws_sa46_parse_numeric_address("10.1.2.4", &b), 0);
	H_ASSERT_EQ_INT(lws_sa46_parse_numeric_address("10.1.0.0", &net), 0);
	H_ASSERT_EQ_INT(lws_sa46_parse_numeric_address(NULL, &b), -1);

	H_ASSERT_EQ_INT(lws_sa46_compare_ads(&a, &a), 0);
	H_ASSERT_EQ_INT(lws_sa46_compare_ads(&a, &b), 1);
	H_ASSERT_EQ_INT(lws_sa46_compare_ads(&a, NULL), 1);
	H_ASSERT_EQ_INT(lws_sa46_on_net(&a, &net, 16), 0);
	H_ASSERT_EQ_INT(lws_sa46_on_net(&a, &net, 15), 0);
	H_ASSERT_EQ_INT(lws_sa46_on_net(&a, &net, 24), 1);
	H_ASSERT_EQ_INT(lws_sa46_on_net(&a, &net, 0), 0);
	H_ASSERT_EQ_INT(lws_sa46_on_net(&a, &b, 29), 0); /* 10.1.2.3 and .4 share /29 */
	H_ASSERT_EQ_INT(lws_sa46_on_net(&a, &b, 30), 1);
	b.sa4.sin_family = AF_INET6;
	H_ASSERT_EQ_INT(lws_sa46_compare_ads(&a, &b), 1);
	H_ASSERT_EQ_INT(lws_sa46_on_net(&a, &b, 8), 1);
	H_ASSERT_EQ_INT(lws_sa46_on_net(NULL, &net, 8), 1);

	expect_text(a4, 4, 32, 9, "127.0.0.1");
	expect_text(a4, 4, 5, 5, "127.");
	expect_text(one, 16, 64, 3, "::1");
	expect_text(zero, 16, 64, 2, "::");
	expect_text(doc, 16, 64, 28, "2001:db8:85a3::8a2e:370:7334");
	expect_text(mapped, 16, 64, 18, "::ffff:192.0.2.128");
	expect_text(runs, 16, 64, 12, "1::2:0:0:0:3");
	expect_text(one, 16, 7, -1, NULL);
	expect_text(one, 16, 9, 3, "::1");
	expect_text(a4, 3, 64, -1, NULL);
	H_ASSERT_EQ_INT(lws_write_numeric_address(NULL, 4, (char *)one, 16), -1);

	{
		char t[32];

		H_ASSERT_EQ_INT(lws_sa46_write_numeric_address(&a, t, sizeof t), 8);
		H_ASSERT_STREQ(t, "10.1.2.3");
		H_ASSERT_EQ_INT(lws_sa46_write_numeric_address(&a, t, 5), 5);
		H_ASSERT_STREQ(t, "10.1");
		H_ASSERT_EQ_INT(lws_sa46_write_numeric_address(&b, t, sizeof t), 13);
		H_ASSERT_STREQ(t, "(ipv6 unsupp)");
		b.sa4.sin_family = AF_UNIX;
		H_ASSERT_EQ_INT(lws_sa46_write_numeric_address(&b, t, sizeof t), 10);
		H_ASSERT_STREQ(t, "(unix skt)");
		b.sa4.sin_family = 0;
		H_ASSERT_EQ_INT(lws_sa46_write_numeric_address(&b, t, sizeof t), 7);
		H_ASSERT_STREQ(t, "(unset)");
		b.sa4.sin_family = 99;
		H_ASSERT_EQ_INT(lws_sa46_write_numeric_address(&b, t, sizeof t), -1);
		H_ASSERT_STREQ(t, "(AF99 unsupp)");
	}

	memset(&sin, 0, sizeof sin);
	H_ASSERT_EQ_INT(lws_interface_to_sa(0, "lo", &sin, sizeof sin), LWS_ITOSA_USABLE);
	H_ASSERT_EQ_INT(sin.sin_family, AF_INET);
	H_ASSERT_EQ_INT(sin.sin_addr.s_addr, htonl(0x7f000001));
	memset(&sin, 0, sizeof sin);
	H_ASSERT_EQ_INT(lws_interface_to_sa(0, "nosuchif0", &sin, sizeof sin), LWS_ITOSA_NOT_EXIST);
	H_ASSERT_EQ_INT(sin.sin_family, 0);
	H_ASSERT_EQ_INT(lws_interface_to_sa(0, "127.0.0.2", &sin, sizeof sin), LWS_ITOSA_USABLE);
	H_ASSERT_EQ_INT(sin.sin_addr.s_addr, htonl(0x7f000002));
	H_ASSERT_EQ_INT(lws_interface_to_sa(0, "lo", &sin, 4), LWS_ITOSA_NOT_EXIST);
	H_ASSERT_EQ_INT(lws_interface_to_sa(0, NULL, &sin, sizeof sin), LWS_ITOSA_NOT_EXIST);

	return h_pass();
}

/*
 * B7.T5: a custom emitter gets "[YYYY/MM/DD HH:MM:SS:ffff] U: hi\n" at level
 * 1024 and nothing for a disabled level. Long lines are cut and end in
 * "...\n". Variadics survive many integer and floating arguments.
 * B7.T6: lws_cmdline_option forms. B7.T7: the version string.
 * lws_snprintf / lws_strncpy truncation rules; lwsl_hexdump_level.
 */
#include <libwebsockets.h>
#include "../harness/harness.h"

static char last[512];
static int last_level, lines;

static void
emit(int level, const char *line)
{
	lines++;
	last_level = level;
	lws_strncpy(last, line, sizeof last);
}

static int
matches_prefix(const char *s, char letter)
{
	/* [2026/11/25 12:34:56:1234] U: */
	static const char shape[] = "[dddd/dd/dd dd:dd:dd:dddd] ";
	size_t i;

	for (i = 0; i < sizeof shape - 1; i++) {
		if (shape[i] == 'd') {
			if (s[i] < '0' || s[i] > '9')
				return 0;
		} else if (s[i] != shape[i])
			return 0;
	}
	return s[i] == letter && s[i + 1] == ':' && s[i + 2] == ' ';
}

int main(void)
{
	const char *argv1[] = { "prog", "-d", "1039" };
	const char *argv2[] = { "prog", "-d1039" };
	const char *argv3[] = { "prog", "-d" };
	const char *argv4[] = { "prog", "--port=7681", "-x" };
	char buf[8], big[400];
	unsigned char dump[20];
	int n;

	h_watchdog(20);
	lws_set_log_level(LLL_USER | LLL_ERR, emit);
	lwsl_user("hi");
	H_ASSERT_EQ_INT(lines, 1);
	H_ASSERT_EQ_INT(last_level, LLL_USER);
	H_ASSERT(matches_prefix(last, 'U'));
	H_ASSERT_STREQ(last + 27, "U: hi\n");

	lwsl_notice("not shown");
	H_ASSERT_EQ_INT(lines, 1);

	lwsl_err("%d %d %d %d %d %d %d %d %.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f %s",
		 1, 2, 3, 4, 5, 6, 7, 8, 0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, "end");
	H_ASSERT_EQ_INT(last_level, LLL_ERR);
	H_ASSERT_STREQ(last + 27,
		"E: 1 2 3 4 5 6 7 8 0.5 1.5 2.5 3.5 4.5 5.5 6.5 7.5 8.5 end\n");

	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	lwsl_err("%s", big);
	n = (int)strlen(last);
	H_ASSERT(n <= 255);
	H_ASSERT_STREQ(last + n - 4, "...\n");

	memset(dump, 'A', sizeof dump);
	lines = 0;
	lwsl_hexdump_level(LLL_USER, dump, sizeof dump);
	H_ASSERT_EQ_INT(lines, 2);
	H_ASSERT_CONTAINS(last, "0010: 41 41 41 41");
	lwsl_hexdump_level(LLL_DEBUG, dump, sizeof dump);
	H_ASSERT_EQ_INT(lines, 2);

	/* B7.T6 */
	H_ASSERT_STREQ(lws_cmdline_option(3, argv1, "-d"), "1039");
	H_ASSERT_STREQ(lws_cmdline_option(2, argv2, "-d"), "1039");
	H_ASSERT_STREQ(lws_cmdline_option(2, argv3, "-d"), "");
	H_ASSERT_STREQ(lws_cmdline_option(3, argv4, "--port"), "7681");
	H_ASSERT(lws_cmdline_option(3, argv4, "-y") == NULL);

	lws_cmdline_option_handle_builtin(3, argv1, NULL);
	H_ASSERT(lwsl_visible(LLL_INFO));
	H_ASSERT(!lwsl_visible(LLL_DEBUG));
	lws_set_log_level(LLL_USER | LLL_ERR, NULL);   /* keeps our emitter */
	lines = 0;
	lwsl_user("still mine");
	H_ASSERT_EQ_INT(lines, 1);

	/* B7.T7 */
	H_ASSERT(!strncmp(lws_get_library_version(), "4.3.", 4));

	n = lws_snprintf(buf, sizeof buf, "%s", "123456789");
	H_ASSERT_EQ_INT(n, (int)sizeof buf);
	H_ASSERT_STREQ(buf, "1234567");
	H_ASSERT_EQ_INT(lws_snprintf(buf, sizeof buf, "%d", 42), 2);
	H_ASSERT_EQ_INT(lws_snprintf(buf, 0, "%d", 42), 0);
	H_ASSERT_STREQ(lws_strncpy(buf, "abcdefghij", sizeof buf), "abcdefg");
	H_ASSERT_STREQ(lws_strncpy(buf, "ab", sizeof buf), "ab");

	lws_set_log_level(LLL_ERR | LLL_WARN | LLL_NOTICE, lwsl_emit_stderr);
	return h_pass();
}

/*
 * spec B7.3 / B7.T5: lws_set_log_level(levels, emit) installs a custom emitter that gets one
 * complete line per visible log call, with exactly one level bit; filtered levels emit
 * nothing. Also lws_snprintf's truncation rule (it returns the bytes written, never more
 * than size), since both go through the library's C-variadic entry points.
 *
 * ctest-link: both
 * ctest-timeout: 30
 */
#include <libwebsockets.h>

#include "harness.h"

static int lines;
static int last_level;
static char last_line[512];

static void emit(int level, const char *line)
{
	lines++;
	last_level = level;
	snprintf(last_line, sizeof(last_line), "%s", line);
}

static int line_has_timestamp_and_letter(const char *line, char letter)
{
	/* "[YYYY/MM/DD HH:MM:SS:ffff] L: " */
	const char *p = strchr(line, ']');

	return line[0] == '[' && p && p - line == 25 && p[1] == ' ' && p[2] == letter &&
	       p[3] == ':' && p[4] == ' ';
}

int main(void)
{
	char buf[8];
	int n;

	h_watchdog(20);

	lws_set_log_level(LLL_USER | LLL_ERR, emit);

	lwsl_user("hi");
	H_ASSERT_EQ_INT(lines, 1);
	H_ASSERT_EQ_INT(last_level, LLL_USER);
	H_ASSERT(line_has_timestamp_and_letter(last_line, 'U'));
	H_ASSERT_CONTAINS(last_line, "U: hi\n");

	lwsl_err("answer %d, %s\n", 42, "ok");
	H_ASSERT_EQ_INT(lines, 2);
	H_ASSERT_EQ_INT(last_level, LLL_ERR);
	H_ASSERT_CONTAINS(last_line, "E: answer 42, ok\n");

	lwsl_notice("must not be emitted\n");
	lwsl_warn("must not be emitted\n");
	H_ASSERT_EQ_INT(lines, 2);

	/* NULL keeps the current emitter. */
	lws_set_log_level(LLL_NOTICE, NULL);
	lwsl_notice("notice %s\n", "now");
	H_ASSERT_EQ_INT(lines, 3);
	H_ASSERT_EQ_INT(last_level, LLL_NOTICE);
	H_ASSERT_CONTAINS(last_line, "N: notice now\n");

	n = lws_snprintf(buf, sizeof(buf), "%d", 1234);
	H_ASSERT_EQ_INT(n, 4);
	H_ASSERT_STREQ(buf, "1234");
	n = lws_snprintf(buf, sizeof(buf), "%s", "far too long");
	H_ASSERT(n <= (int)sizeof(buf));
	H_ASSERT_EQ_INT(strlen(buf), sizeof(buf) - 1);
	H_ASSERT_EQ_INT(lws_snprintf(buf, 0, "x"), 0);

	return h_pass();
}

/*
 * lws_plat_write_file creates (0600) or truncates and returns 0; a bad path
 * returns 1. lws_plat_read_file returns the bytes read (at most len), -1 for a
 * missing file. NULL names are refused.
 *
 * ctest-timeout: 30
 */
#include <libwebsockets.h>
#include <sys/stat.h>

#include "harness.h"

int main(void)
{
	char path[64], buf[16];
	struct stat st;

	alarm(20);
	snprintf(path, sizeof(path), "/tmp/lws-rs-platfile-%d", (int)getpid());
	H_ASSERT_EQ_INT(lws_plat_write_file(path, "hello world", 11), 0);
	H_ASSERT(!stat(path, &st) && (st.st_mode & 0777) == 0600);
	H_ASSERT_EQ_INT(lws_plat_write_file(path, "bye", 3), 0);
	memset(buf, 0, sizeof(buf));
	H_ASSERT_EQ_INT(lws_plat_read_file(path, buf, sizeof(buf)), 3);
	H_ASSERT(!strcmp(buf, "bye"));
	H_ASSERT_EQ_INT(lws_plat_read_file(path, buf, 2), 2);
	unlink(path);
	H_ASSERT_EQ_INT(lws_plat_read_file(path, buf, sizeof(buf)), -1);
	H_ASSERT_EQ_INT(lws_plat_write_file("/nonexistent-dir/x", "a", 1), 1);
	H_ASSERT_EQ_INT(lws_plat_write_file(NULL, "a", 1), 1);
	H_ASSERT_EQ_INT(lws_plat_read_file(NULL, buf, 1), -1);
	return 0;
}

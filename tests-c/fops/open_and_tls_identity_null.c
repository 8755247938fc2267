/*
 * lws_open (needed by minimal-raw-file / -raw-serial): open(2) with the mode
 * taken from "..." only for O_CREAT, FD_CLOEXEC set on the descriptor, -1 for
 * a missing file or a NULL path (with one log line). Also the TLS identity
 * queries that need no connection: lws_is_ssl / lws_get_ssl on NULL (0 / NULL
 * and a log line), lws_plat_recommended_rsa_bits (4096 on unix, as lws),
 * lws_plat_write_cert (write, fsync, rewind; 0 only when all was written).
 */
#include <libwebsockets.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../harness/harness.h"

static int err_lines;

static void emit(int level, const char *line)
{
	(void)line;
	if (level == LLL_ERR)
		err_lines++;
}

int main(void)
{
	char path[64], buf[8];
	struct stat st;
	int fd, before;

	lws_set_log_level(LLL_ERR, emit);

	snprintf(path, sizeof(path), "/tmp/lws-rs-open-%d", (int)getpid());
	unlink(path);

	fd = lws_open(path, O_CREAT | O_EXCL | O_RDWR, 0640);
	H_ASSERT(fd >= 0);
	H_ASSERT(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	H_ASSERT_EQ_INT((int)write(fd, "abc", 3), 3);
	close(fd);
	H_ASSERT_EQ_INT(stat(path, &st), 0);
	H_ASSERT_EQ_INT((int)(st.st_mode & 0777) & ~0640, 0);

	fd = lws_open(path, O_RDONLY);
	H_ASSERT(fd >= 0);
	H_ASSERT(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	memset(buf, 0, sizeof(buf));
	H_ASSERT_EQ_INT((int)read(fd, buf, sizeof(buf)), 3);
	H_ASSERT_STREQ(buf, "abc");
	close(fd);
	unlink(path);

	/* a missing file is open(2)'s -1, not an API misuse: no log line */
	before = err_lines;
	H_ASSERT_EQ_INT(lws_open(path, O_RDONLY), -1);
	H_ASSERT_EQ_INT(err_lines, before);

	before = err_lines;
	H_ASSERT_EQ_INT(lws_open(NULL, O_RDONLY), -1);
	H_ASSERT_EQ_INT(err_lines, before + 1);

	before = err_lines;
	H_ASSERT_EQ_INT(lws_is_ssl(NULL), 0);
	H_ASSERT_EQ_INT(err_lines, before + 1);

	before = err_lines;
	H_ASSERT(lws_get_ssl(NULL) == NULL);
	H_ASSERT_EQ_INT(err_lines, before + 1);

	H_ASSERT_EQ_INT(lws_plat_recommended_rsa_bits(), 4096);

	/* lws_plat_write_cert: all written, synced, file offset back at 0 */
	fd = lws_open(path, O_CREAT | O_TRUNC | O_RDWR, 0600);
	H_ASSERT(fd >= 0);
	H_ASSERT_EQ_INT(lws_plat_write_cert(NULL, 0, fd, "-----BEGIN", 10), 0);
	H_ASSERT_EQ_INT((int)lseek(fd, 0, SEEK_CUR), 0);
	memset(buf, 0, sizeof(buf));
	H_ASSERT_EQ_INT((int)read(fd, buf, 5), 5);
	H_ASSERT_STREQ(buf, "-----");
	close(fd);
	unlink(path);
	H_ASSERT_EQ_INT(lws_plat_write_cert(NULL, 1, -1, "x", 1), 1);
	before = err_lines;
	H_ASSERT_EQ_INT(lws_plat_write_cert(NULL, 1, 0, NULL, 4), 1);
	H_ASSERT_EQ_INT(err_lines, before + 1);

	printf("ok\n");
	return 0;
}

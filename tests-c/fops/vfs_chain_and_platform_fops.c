/*
 * The file-ops layer of lws-vfs.h: a context's fops chain starts with its own
 * platform fops (lws_get_fops: open/close/seek_cur/read/write are the
 * exported _lws_plat_file_*), chained to info.fops; lws_vfs_file_open picks
 * the fops whose fi[].sig ends a "/"-terminated prefix of the path and hands
 * it the chain head and the virtual part of the path; lws_set_fops replaces
 * the head. The platform fops: length from fstat, position tracked by
 * read/write/seek, seek_cur clamped to [0, len], close NULLs the caller's
 * pointer. lws_vfs_file_seek_set/_end, tell, get_length, get_mod_time as lws
 * 4.3.3 computes them (seek_end is seek_cur(len + pos + offset)). NULL
 * arguments: lws's error value and one log line.
 */
#include <libwebsockets.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "../harness/harness.h"

static int err_lines;

static void emit(int level, const char *line)
{
	(void)line;
	if (level == LLL_ERR)
		err_lines++;
}

static const char *seen_path, *seen_vpath;
static const struct lws_plat_file_ops *seen_head;
static int virt_opens;

/* A "virtual" fops for paths through "x.arc/": serves the vpath as content. */
static lws_fop_fd_t arc_open(const struct lws_plat_file_ops *fops,
			     const char *filename, const char *vpath,
			     lws_fop_flags_t *flags)
{
	static struct lws_fop_fd f;
	extern const struct lws_plat_file_ops arc_fops;

	seen_head = fops;
	seen_path = filename;
	seen_vpath = vpath;
	virt_opens++;
	memset(&f, 0, sizeof(f));
	f.fops = &arc_fops;
	f.len = vpath ? strlen(vpath) : 0;
	f.mod_time = 1234;
	f.fd = -1;
	*flags |= LWS_FOP_FLAG_VIRTUAL | LWS_FOP_FLAG_MOD_TIME_VALID;
	f.flags = *flags;
	return &f;
}

static int arc_close(lws_fop_fd_t *fd)
{
	*fd = NULL;
	return 0;
}

static lws_fileofs_t arc_seek(lws_fop_fd_t fd, lws_fileofs_t ofs)
{
	fd->pos = (lws_filepos_t)((lws_fileofs_t)fd->pos + ofs);
	return (lws_fileofs_t)fd->pos;
}

const struct lws_plat_file_ops arc_fops = {
	.open = arc_open,
	.close = arc_close,
	.seek_cur = arc_seek,
	.fi = { { ".arc/", 5 } },
};

int main(void)
{
	struct lws_context_creation_info info;
	struct lws_plat_file_ops *plat, copy;
	struct lws_context *cx;
	lws_fop_flags_t fl;
	lws_filepos_t amount;
	lws_fop_fd_t f;
	char path[64];
	uint8_t buf[32];
	int before;

	h_watchdog(20);
	lws_set_log_level(LLL_ERR, emit);

	memset(&info, 0, sizeof(info));
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.fops = &arc_fops;
	cx = lws_create_context(&info);
	H_ASSERT(cx);

	plat = lws_get_fops(cx);
	H_ASSERT(plat);
	H_ASSERT(plat->open == _lws_plat_file_open);
	H_ASSERT(plat->close == _lws_plat_file_close);
	H_ASSERT(plat->seek_cur == _lws_plat_file_seek_cur);
	H_ASSERT(plat->read == _lws_plat_file_read);
	H_ASSERT(plat->write == _lws_plat_file_write);
	H_ASSERT(plat->fi[0].sig == NULL);
	H_ASSERT(plat->next == &arc_fops);

	/* platform fops: write then read back a real file */
	snprintf(path, sizeof(path), "/tmp/lws-rs-vfs-%d", (int)getpid());
	unlink(path);
	fl = LWS_O_CREAT | O_RDWR | LWS_O_TRUNC;
	f = lws_vfs_file_open(plat, path, &fl);
	H_ASSERT(f);
	H_ASSERT(f->fops == plat);
	H_ASSERT_EQ_INT((int)lws_vfs_get_length(f), 0);
	H_ASSERT_EQ_INT(lws_vfs_file_write(f, &amount, (uint8_t *)"0123456789", 10), 0);
	H_ASSERT_EQ_INT((int)amount, 10);
	H_ASSERT_EQ_INT((int)lws_vfs_tell(f), 10);
	H_ASSERT_EQ_INT(lws_vfs_file_close(&f), 0);
	H_ASSERT(f == NULL);

	fl = LWS_O_RDONLY;
	f = lws_vfs_file_open(plat, path, &fl);
	H_ASSERT(f);
	H_ASSERT_EQ_INT((int)lws_vfs_get_length(f), 10);
	H_ASSERT_EQ_INT((int)lws_vfs_get_mod_time(f), 0);
	H_ASSERT_EQ_INT((int)lws_vfs_file_seek_set(f, 4), 4);
	memset(buf, 0, sizeof(buf));
	H_ASSERT_EQ_INT(lws_vfs_file_read(f, &amount, buf, 3), 0);
	H_ASSERT_EQ_INT((int)amount, 3);
	H_ASSERT_STREQ((char *)buf, "456");
	H_ASSERT_EQ_INT((int)lws_vfs_tell(f), 7);
	/* seek_cur is clamped to the file */
	H_ASSERT_EQ_INT((int)lws_vfs_file_seek_cur(f, 100), 10);
	H_ASSERT_EQ_INT((int)lws_vfs_file_seek_cur(f, -100), 0);
	/* from position 0, seek_end(-3) lands 3 before the end */
	H_ASSERT_EQ_INT((int)lws_vfs_file_seek_end(f, -3), 7);
	/* ... from elsewhere it is lws's len + pos + offset, clamped at the end */
	H_ASSERT_EQ_INT((int)lws_vfs_file_seek_end(f, -3), 10);
	H_ASSERT_EQ_INT(lws_vfs_file_read(f, &amount, buf, sizeof(buf)), 0);
	H_ASSERT_EQ_INT((int)amount, 0);
	H_ASSERT_EQ_INT(lws_vfs_file_close(&f), 0);
	unlink(path);

	/* a missing file: NULL, no log line */
	before = err_lines;
	fl = LWS_O_RDONLY;
	H_ASSERT(lws_vfs_file_open(plat, "/nonexistent/lws-rs", &fl) == NULL);
	H_ASSERT_EQ_INT(err_lines, before);

	/* the signature selects the later fops, which gets the head and the vpath */
	fl = LWS_O_RDONLY;
	f = lws_vfs_file_open(plat, "/srv/x.arc/inner/file", &fl);
	H_ASSERT(f);
	H_ASSERT_EQ_INT(virt_opens, 1);
	H_ASSERT(seen_head == plat);
	H_ASSERT_STREQ(seen_path, "/srv/x.arc/inner/file");
	H_ASSERT_STREQ(seen_vpath, "inner/file");
	H_ASSERT(fl & LWS_FOP_FLAG_VIRTUAL);
	H_ASSERT_EQ_INT((int)lws_vfs_get_length(f), 10);
	H_ASSERT_EQ_INT((int)lws_vfs_get_mod_time(f), 1234);
	H_ASSERT_EQ_INT((int)lws_vfs_file_seek_set(f, 6), 6);
	H_ASSERT_EQ_INT(lws_vfs_file_close(&f), 0);
	H_ASSERT(f == NULL);
	/* "arc/" without the dot does not match: the platform open runs */
	fl = LWS_O_RDONLY;
	H_ASSERT(lws_vfs_file_open(plat, "/nonexistent/xarc/y", &fl) == NULL);
	H_ASSERT_EQ_INT(virt_opens, 1);

	/* lws_set_fops replaces the head; C may edit the platform table */
	copy = *plat;
	copy.next = NULL;
	lws_set_fops(cx, &copy);
	H_ASSERT(lws_get_fops(cx) == &copy);
	lws_set_fops(cx, plat);
	H_ASSERT(lws_get_fops(cx) == plat);

	/* NULL arguments: the error value and one log line each */
	before = err_lines;
	H_ASSERT(lws_get_fops(NULL) == NULL);
	lws_set_fops(cx, NULL);
	H_ASSERT(lws_get_fops(cx) == plat);
	H_ASSERT(lws_vfs_file_open(NULL, path, &fl) == NULL);
	H_ASSERT(lws_vfs_file_open(plat, NULL, &fl) == NULL);
	H_ASSERT_EQ_INT((int)lws_vfs_file_seek_set(NULL, 0), -1);
	H_ASSERT_EQ_INT((int)lws_vfs_file_seek_end(NULL, 0), -1);
	H_ASSERT_EQ_INT((int)lws_vfs_get_length(NULL), 0);
	H_ASSERT_EQ_INT((int)lws_vfs_get_mod_time(NULL), 0);
	H_ASSERT_EQ_INT((int)lws_vfs_tell(NULL), 0);
	H_ASSERT(_lws_plat_file_open(plat, NULL, NULL, &fl) == NULL);
	H_ASSERT_EQ_INT(_lws_plat_file_close(NULL), -1);
	H_ASSERT_EQ_INT(_lws_plat_file_read(NULL, &amount, buf, 1), -1);
	H_ASSERT_EQ_INT(_lws_plat_file_write(NULL, &amount, buf, 1), -1);
	H_ASSERT_EQ_INT((int)_lws_plat_file_seek_cur(NULL, 0), -1);
	H_ASSERT_EQ_INT(err_lines, before + 14);

	lws_context_destroy(cx);
	return h_pass();
}

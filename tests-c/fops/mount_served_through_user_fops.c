/*
 * The HTTP file server opens mount files through the context's fops chain,
 * as lws does: a path carrying a later fops' signature (info.fops with
 * fi[0].sig ".arc/") is opened, read and closed by that fops (here a
 * virtual file made from the vpath), Range requests seek through its
 * seek_cur; a plain file goes through the chain head, which lws_set_fops
 * may replace (here the platform ops with a counting open, as lws's
 * test-server does); a file the fops cannot open falls through to
 * LWS_CALLBACK_HTTP. Every opened file is closed once.
 */
#include <libwebsockets.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../harness/harness.h"

static char content[64];
static int arc_opens, arc_closes, arc_seeks, plat_opens, http_cb;
static struct lws_plat_file_ops counting;
extern const struct lws_plat_file_ops arc_fops;

static lws_fop_fd_t arc_open(const struct lws_plat_file_ops *fops, const char *filename,
			     const char *vpath, lws_fop_flags_t *flags)
{
	lws_fop_fd_t f;

	(void)fops; (void)filename;
	if (!vpath || strncmp(vpath, "hello", 5))
		return NULL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	snprintf(content, sizeof content, "virtual %s!", vpath);
	f->fops = &arc_fops;
	f->fd = -1;
	f->len = strlen(content);
	f->mod_time = 77;
	*flags |= LWS_FOP_FLAG_VIRTUAL | LWS_FOP_FLAG_MOD_TIME_VALID;
	f->flags = *flags;
	arc_opens++;
	return f;
}

static int arc_close(lws_fop_fd_t *f)
{
	free(*f);
	*f = NULL;
	arc_closes++;
	return 0;
}

static lws_fileofs_t arc_seek(lws_fop_fd_t f, lws_fileofs_t ofs)
{
	arc_seeks++;
	f->pos = (lws_filepos_t)((lws_fileofs_t)f->pos + ofs);
	return (lws_fileofs_t)f->pos;
}

static int arc_read(lws_fop_fd_t f, lws_filepos_t *amount, uint8_t *buf, lws_filepos_t len)
{
	lws_filepos_t n = f->len - f->pos;

	if (n > len)
		n = len;
	memcpy(buf, content + f->pos, (size_t)n);
	f->pos += n;
	*amount = n;
	return 0;
}

const struct lws_plat_file_ops arc_fops = {
	.open = arc_open,
	.close = arc_close,
	.seek_cur = arc_seek,
	.read = arc_read,
	.fi = { { ".arc/", 5 } },
};

static lws_fop_fd_t counting_open(const struct lws_plat_file_ops *fops, const char *filename,
				  const char *vpath, lws_fop_flags_t *flags)
{
	plat_opens++;
	return _lws_plat_file_open(fops, filename, vpath, flags);
}

static int cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
	      size_t len)
{
	if (reason == LWS_CALLBACK_HTTP) {
		http_cb++;
		if (lws_return_http_status(wsi, HTTP_STATUS_NOT_FOUND, NULL))
			return -1;
		return lws_http_transaction_completed(wsi) ? -1 : 0;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols protocols[] = {
	{ "http", cb, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

/* One request on a fresh socket; the whole response (until close) in out. */
static int get(struct lws_context *cx, int port, const char *req, char *out, size_t room)
{
	struct sockaddr_in sa;
	size_t got = 0;
	int fd, n, i;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	H_ASSERT(connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0);
	H_ASSERT(write(fd, req, strlen(req)) == (ssize_t)strlen(req));
	fcntl(fd, F_SETFL, O_NONBLOCK);
	/* service only while the answer is not there: lws_service waits for
	 * the next event, and none comes once the server has closed */
	for (i = 0; i < 400; i++) {
		n = (int)read(fd, out + got, room - 1 - got);
		if (n == 0)
			break;
		if (n > 0)
			got += (size_t)n;
		else if (errno == EAGAIN)
			lws_service(cx, 10);
		else
			break;
	}
	out[got] = '\0';
	close(fd);
	return (int)got;
}

int main(void)
{
	struct lws_context_creation_info info;
	struct lws_http_mount mount;
	struct lws_context *cx;
	char dir[64], path[96], resp[2048];
	int port, fd;

	h_watchdog(30);
	lws_set_log_level(LLL_ERR, NULL);
	snprintf(dir, sizeof dir, "/tmp/lws-rs-fops-mnt-%d", (int)getpid());
	mkdir(dir, 0700);
	snprintf(path, sizeof path, "%s/real.txt", dir);
	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	H_ASSERT(fd >= 0);
	H_ASSERT(write(fd, "real file\n", 10) == 10);
	close(fd);

	memset(&mount, 0, sizeof mount);
	mount.mountpoint = "/";
	mount.mountpoint_len = 1;
	mount.origin = dir;
	mount.origin_protocol = LWSMPRO_FILE;
	memset(&info, 0, sizeof info);
	info.port = 0;
	info.iface = "127.0.0.1";
	info.protocols = protocols;
	info.mounts = &mount;
	info.fops = &arc_fops;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	port = lws_get_vhost_listen_port(lws_get_vhost_by_name(cx, "default"));

	/* the virtual file, through the chained fops */
	get(cx, port, "GET /pack.arc/hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
	    resp, sizeof resp);
	H_ASSERT_CONTAINS(resp, "HTTP/1.1 200");
	H_ASSERT_CONTAINS(resp, "content-type: text/plain");
	H_ASSERT_CONTAINS(resp, "\r\n\r\nvirtual hello.txt!");
	H_ASSERT_EQ_INT(arc_opens, 1);
	H_ASSERT_EQ_INT(arc_closes, 1);

	/* a range of it: the server seeks through the fops */
	get(cx, port, "GET /pack.arc/hello.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=8-12\r\n"
	    "Connection: close\r\n\r\n", resp, sizeof resp);
	H_ASSERT_CONTAINS(resp, "HTTP/1.1 206");
	H_ASSERT_CONTAINS(resp, "\r\n\r\nhello");
	H_ASSERT(arc_seeks >= 1);
	H_ASSERT_EQ_INT(arc_closes, 2);

	/* the fops cannot open it: LWS_CALLBACK_HTTP gets the request */
	get(cx, port, "GET /pack.arc/other.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
	    resp, sizeof resp);
	H_ASSERT_CONTAINS(resp, "HTTP/1.1 404");
	H_ASSERT_EQ_INT(http_cb, 1);
	H_ASSERT_EQ_INT(arc_opens, 2);

	/* a plain file goes through the head of the chain, which C may replace */
	counting = *lws_get_fops(cx);
	counting.open = counting_open;
	lws_set_fops(cx, &counting);
	get(cx, port, "GET /real.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
	    resp, sizeof resp);
	H_ASSERT_CONTAINS(resp, "HTTP/1.1 200");
	H_ASSERT_CONTAINS(resp, "\r\n\r\nreal file\n");
	H_ASSERT_EQ_INT(plat_opens, 1);
	/* ... and still hands signed paths to the chained fops */
	get(cx, port, "GET /pack.arc/hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
	    resp, sizeof resp);
	H_ASSERT_CONTAINS(resp, "\r\n\r\nvirtual hello.txt!");
	H_ASSERT_EQ_INT(plat_opens, 1);
	H_ASSERT_EQ_INT(arc_opens, 3);
	H_ASSERT_EQ_INT(arc_closes, 3);

	lws_context_destroy(cx);
	unlink(path);
	rmdir(dir);
	return h_pass();
}

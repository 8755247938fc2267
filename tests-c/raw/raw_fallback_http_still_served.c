/*
 * An HTTP listener with LWS_SERVER_OPTION_FALLBACK_TO_APPLY_LISTEN_ACCEPT_CONFIG:
 *  1. curl still gets the mounted file (HTTP is served);
 *  2. a client whose first bytes cannot start an HTTP request becomes a raw socket bound to
 *     listen_accept_protocol: HTTP_BIND_PROTOCOL (lws binds while the role is still h1),
 *     RAW_ADOPT, then RAW_RX with the bytes that arrived, and it is echoed (the callback
 *     writes with LWS_WRITE_HTTP, which on a raw socket sends the bytes as they are);
 *  3. a socket adopted with lws_adopt_socket_vhost_readbuf(), the start of its request
 *     already read: the request is served as if it had all come from the socket.
 * ctest-timeout: 90
 */
#include <libwebsockets.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "harness.h"

extern char **environ;

struct pss {
	char buf[LWS_PRE + 1024];
	size_t len;
};

static int raw_closed;

static int cb_raw(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		  size_t len)
{
	struct pss *pss = (struct pss *)user;

	switch (reason) {
	case LWS_CALLBACK_HTTP_BIND_PROTOCOL:
	case LWS_CALLBACK_RAW_ADOPT:
		h_trace_add(reason);
		break;
	case LWS_CALLBACK_RAW_RX:
		h_trace_add(reason);
		H_ASSERT(pss && len < sizeof(pss->buf) - LWS_PRE - pss->len);
		memcpy(pss->buf + LWS_PRE + pss->len, in, len);
		pss->len += len;
		lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_RAW_WRITEABLE:
		H_ASSERT_EQ_INT(lws_write(wsi, (unsigned char *)pss->buf + LWS_PRE, pss->len,
					  LWS_WRITE_HTTP),
				pss->len);
		pss->len = 0;
		break;
	case LWS_CALLBACK_RAW_CLOSE:
		h_trace_add(reason);
		raw_closed++;
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "http", lws_callback_http_dummy, 0, 0, 0, NULL, 0 },
	{ "raw-echo", cb_raw, sizeof(struct pss), 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static char dir[64];

static struct lws_http_mount mount = {
	.mountpoint = "/",
	.def = "index.html",
	.origin_protocol = LWSMPRO_FILE,
	.mountpoint_len = 1,
};

static int curl_get(struct lws_context *cx, int port, const char *out)
{
	char url[64];
	char *argv[] = { (char *)"curl", (char *)"-s", (char *)"--max-time", (char *)"20",
			 (char *)"-o", (char *)out, url, NULL };
	int st = 0, i;
	pid_t pid;

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/index.html", port);
	if (posix_spawnp(&pid, "curl", NULL, NULL, argv, environ))
		H_FAIL("cannot run curl: %s", strerror(errno));
	for (i = 0; i < 100000; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			break;
		lws_service(cx, -1);
		usleep(200);
	}
	H_ASSERT(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static int connect_to(int port)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	H_ASSERT(connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

/* Reads what arrives on `fd` (non-blocking) while serving, until `want` bytes or EOF. */
static size_t collect(struct lws_context *cx, int fd, char *buf, size_t room, size_t want)
{
	size_t have = 0;
	int i;

	for (i = 0; i < 4000 && have < want; i++) {
		ssize_t n = recv(fd, buf + have, room - 1 - have, 0);
		if (n == 0)
			break;
		if (n > 0)
			have += (size_t)n;
		lws_service(cx, -1);
		usleep(500);
	}
	buf[have] = '\0';
	return have;
}

int main(void)
{
	static const char page[] = "<html>still served</html>\n";
	struct lws_context_creation_info info;
	struct lws_context *cx;
	struct lws_vhost *vh;
	char path[128], buf[4096];
	FILE *f;
	int port, fd, i, sp[2];

	h_watchdog(80);
	lws_set_log_level(LLL_ERR | LLL_WARN, NULL);
	snprintf(dir, sizeof(dir), "/tmp/lws-rs-fallback-%d", (int)getpid());
	H_ASSERT(mkdir(dir, 0700) == 0);
	snprintf(path, sizeof(path), "%s/index.html", dir);
	f = fopen(path, "w");
	H_ASSERT(f != NULL);
	fputs(page, f);
	fclose(f);
	mount.origin = dir;

	memset(&info, 0, sizeof(info));
	info.port = 0;
	info.protocols = protocols;
	info.mounts = &mount;
	info.listen_accept_role = "raw-skt";
	info.listen_accept_protocol = "raw-echo";
	info.options = LWS_SERVER_OPTION_FALLBACK_TO_APPLY_LISTEN_ACCEPT_CONFIG;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	vh = lws_get_vhost_by_name(cx, "default");
	H_ASSERT(vh != NULL);
	port = lws_get_vhost_listen_port(vh);
	H_ASSERT(port > 0);

	/* 1. HTTP is still served. */
	snprintf(path, sizeof(path), "%s/got", dir);
	H_ASSERT_EQ_INT(curl_get(cx, port, path), 0);
	f = fopen(path, "r");
	H_ASSERT(f != NULL);
	i = (int)fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[i > 0 ? i : 0] = '\0';
	H_ASSERT_STREQ(buf, page);
	unlink(path);

	/* 2. Not HTTP: raw, echoed. */
	fd = connect_to(port);
	H_ASSERT_EQ_INT(send(fd, "hello raw\n", 10, 0), 10);
	collect(cx, fd, buf, sizeof(buf), 10);
	H_ASSERT_STREQ(buf, "hello raw\n");
	H_ASSERT_EQ_INT(send(fd, "more", 4, 0), 4);
	collect(cx, fd, buf, sizeof(buf), 4);
	H_ASSERT_STREQ(buf, "more");
	close(fd);
	for (i = 0; i < 2000 && !raw_closed; i++) {
		lws_service(cx, -1);
		usleep(500);
	}
	H_ASSERT_EQ_INT(raw_closed, 1);
	H_ASSERT(h_trace_index(LWS_CALLBACK_HTTP_BIND_PROTOCOL, 0) <
		 h_trace_index(LWS_CALLBACK_RAW_ADOPT, 0));
	H_ASSERT(h_trace_index(LWS_CALLBACK_RAW_ADOPT, 0) < h_trace_index(LWS_CALLBACK_RAW_RX, 0));

	/* 3. Adopted with the start of its request already read. */
	H_ASSERT(socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == 0);
	fcntl(sp[1], F_SETFL, O_NONBLOCK);
	{
		static const char head[] = "GET /index.html HTTP/1.1\r\n";
		H_ASSERT(lws_adopt_socket_vhost_readbuf(vh, sp[0], head, strlen(head)) != NULL);
	}
	H_ASSERT_EQ_INT(send(sp[1], "Host: x\r\nConnection: close\r\n\r\n", 31, 0), 31);
	collect(cx, sp[1], buf, sizeof(buf), sizeof(buf) - 1);
	H_ASSERT_CONTAINS(buf, "HTTP/1.1 200");
	H_ASSERT_CONTAINS(buf, "still served");
	close(sp[1]);

	lws_context_destroy(cx);
	snprintf(path, sizeof(path), "%s/index.html", dir);
	unlink(path);
	rmdir(dir);
	return h_pass();
}

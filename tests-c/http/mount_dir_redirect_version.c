/*
 * The 301 a FILE mount deeper than "/" gives a URI without its trailing '/'
 * (and a REDIR_HTTPS mount gives every request), as lws 4.3.3 sends it: lws
 * answers these before it has read the request's version and Connection
 * header, so on a new connection the status line is "HTTP/1.0 301 Redirect"
 * and the connection closes after it; after a kept-alive transaction on the
 * same connection they are that transaction's ("HTTP/1.1", kept open). The
 * v4.3.3 examples minimal-http-server-basicauth (/secret) and -tls-80 (port
 * 80) show it. Passes on lws 4.3.3 too.
 *
 * ctest-timeout: 60
 */
#include <libwebsockets.h>

#include <sys/stat.h>

#include "harness.h"
#include "curl_head.h"

static char dir[200];

static const char *
path(const char *name)
{
	static char p[16][300];
	static int n;
	char *r = p[n++ % 16];

	snprintf(r, 300, "%s/%s", dir, name);
	return r;
}

int main(void)
{
	struct lws_context_creation_info info;
	struct lws_http_mount m, r;
	char u0[160], u1[160], u2[160], want[600];
	struct lws_context *cx;
	struct lws_vhost *files, *redir;
	FILE *f;
	int port, rport;

	h_watchdog(50);
	lws_set_log_level(LLL_ERR, NULL);
	snprintf(dir, sizeof dir, "/tmp/lws-rs-mount-redir-%d", (int)getpid());
	H_ASSERT(!mkdir(dir, 0700));
	H_ASSERT(!mkdir(path("sub"), 0700));
	f = fopen(path("sub/index.html"), "w");
	H_ASSERT(f != NULL);
	fputs("sub\n", f);
	fclose(f);

	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);

	memset(&m, 0, sizeof m);
	m.mountpoint = "/sub";
	m.mountpoint_len = 4;
	m.origin = path("sub");
	m.def = "index.html";
	m.origin_protocol = LWSMPRO_FILE;
	memset(&info, 0, sizeof info);
	info.vhost_name = "files";
	info.port = 0;
	info.iface = "127.0.0.1";
	info.mounts = &m;
	files = lws_create_vhost(cx, &info);
	H_ASSERT(files != NULL);

	memset(&r, 0, sizeof r);
	r.mountpoint = "/";
	r.mountpoint_len = 1;
	r.origin = "example.com/";
	r.def = "/";
	r.origin_protocol = LWSMPRO_REDIR_HTTPS;
	info.vhost_name = "redir";
	info.mounts = &r;
	redir = lws_create_vhost(cx, &info);
	H_ASSERT(redir != NULL);
	port = lws_get_vhost_listen_port(files);
	rport = lws_get_vhost_listen_port(redir);

	/* new connection: HTTP/1.0 status line, closed after it (two connections) */
	snprintf(u0, sizeof u0, "http://127.0.0.1:%d/sub", port);
	{
		const char *a[] = { "-o", "/dev/null", u0, "-o", "/dev/null", u0, NULL };

		H_ASSERT_EQ_INT(curl_args(cx, path("head"), path("w"), a), 0);
	}
	snprintf(want, sizeof want,
		 "HTTP/1.0 301 Redirect\nlocation: http://127.0.0.1:%d/sub/\n"
		 "content-type: text/html\ncontent-length: 0\n\n"
		 "HTTP/1.0 301 Redirect\nlocation: http://127.0.0.1:%d/sub/\n"
		 "content-type: text/html\ncontent-length: 0\n\n", port, port);
	H_ASSERT_STREQ(head_of(path("head")), want);
	H_ASSERT_STREQ(head_of(path("w")), "1 1 ");

	/* after a kept-alive HTTP/1.1 transaction: HTTP/1.1, the connection reused */
	snprintf(u1, sizeof u1, "http://127.0.0.1:%d/sub/", port);
	{
		const char *a[] = { "-o", "/dev/null", u1, "-o", "/dev/null", u0, "-o", "/dev/null",
				    u1, NULL };

		H_ASSERT_EQ_INT(curl_args(cx, path("head"), path("w"), a), 0);
	}
	H_ASSERT_STREQ(head_of(path("w")), "1 0 0 ");
	snprintf(want, sizeof want,
		 "HTTP/1.1 301 Redirect\nlocation: http://127.0.0.1:%d/sub/\n"
		 "content-type: text/html\ncontent-length: 0\n\n", port);
	H_ASSERT(strstr(head_of(path("head")), want) != NULL);

	/* a REDIR_HTTPS mount: the same on its first request */
	snprintf(u2, sizeof u2, "http://127.0.0.1:%d/a/b", rport);
	{
		const char *a[] = { "-o", "/dev/null", u2, NULL };

		H_ASSERT_EQ_INT(curl_args(cx, path("head"), path("w"), a), 0);
	}
	H_ASSERT_STREQ(head_of(path("head")), "HTTP/1.0 301 Redirect\nlocation: https://example.com/\n"
		       "content-type: text/html\ncontent-length: 0\n\n");

	lws_context_destroy(cx);
	snprintf(want, sizeof want, "rm -rf %s", dir);
	H_ASSERT_EQ_INT(system(want), 0);
	return h_pass();
}

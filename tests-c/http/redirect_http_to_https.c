/*
 * Plain HTTP on a TLS listener, as lws 4.3.3 answers it (B3.3):
 * - ALLOW_NON_SSL_ON_SSL_PORT + REDIRECT_HTTP_TO_HTTPS: each request gets
 *   "301 Redirect" with location https://<Host><path>?<args>, content-type
 *   text/html, content-length 0 and no connection: close; an HTTP/1.1
 *   connection stays open for the next request (curl reuses it), HTTP/1.0 gets
 *   a 1.0 status line; a request without Host is closed unanswered. TLS
 *   clients on the same port are served as usual.
 * - REDIRECT_HTTP_TO_HTTPS without ALLOW_NON_SSL_ON_SSL_PORT, and
 *   ALLOW_NON_SSL_ON_SSL_PORT alone: the plain client is dropped, no answer.
 * Passes on lws 4.3.3 too.
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

/* curl_args with <dir>/head and <dir>/w */
static int
run_curl(struct lws_context *cx, const char *const *args)
{
	return curl_args(cx, path("head"), path("w"), args);
}

static struct lws_vhost *
tls_vhost(struct lws_context *cx, const char *name, uint64_t options)
{
	struct lws_context_creation_info info;
	static struct lws_http_mount m;

	memset(&m, 0, sizeof m);
	m.mountpoint = "/";
	m.mountpoint_len = 1;
	m.origin = dir;
	m.def = "index.html";
	m.origin_protocol = LWSMPRO_FILE;
	memset(&info, 0, sizeof info);
	info.vhost_name = name;
	info.port = 0;
	info.iface = "127.0.0.1";
	info.mounts = &m;
	info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT | options;
	info.ssl_cert_filepath = path("server.pem");
	info.ssl_private_key_filepath = path("server.key");
	return lws_create_vhost(cx, &info);
}

int main(void)
{
	struct lws_context_creation_info info;
	char u0[160], u1[160], u2[160], resolve[80], cmd[1024], want[600];
	struct lws_context *cx;
	struct lws_vhost *redir, *noallow, *allowonly;
	FILE *f;
	int port;

	h_watchdog(50);
	lws_set_log_level(LLL_ERR, NULL);
	snprintf(dir, sizeof dir, "/tmp/lws-rs-redirect-https-%d", (int)getpid());
	H_ASSERT(!mkdir(dir, 0700));
	snprintf(cmd, sizeof cmd,
		 "cd %s && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
		 "-keyout server.key -out server.pem -days 5 -subj '/CN=localhost' "
		 "-addext subjectAltName=DNS:localhost >/dev/null 2>&1", dir);
	H_ASSERT_EQ_INT(system(cmd), 0);
	f = fopen(path("index.html"), "w");
	H_ASSERT(f != NULL);
	fputs("secure\n", f);
	fclose(f);

	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT | LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	redir = tls_vhost(cx, "redir", LWS_SERVER_OPTION_ALLOW_NON_SSL_ON_SSL_PORT |
				       LWS_SERVER_OPTION_REDIRECT_HTTP_TO_HTTPS);
	noallow = tls_vhost(cx, "noallow", LWS_SERVER_OPTION_REDIRECT_HTTP_TO_HTTPS);
	allowonly = tls_vhost(cx, "allowonly", LWS_SERVER_OPTION_ALLOW_NON_SSL_ON_SSL_PORT);
	H_ASSERT(redir && noallow && allowonly);
	port = lws_get_vhost_listen_port(redir);

	/* two requests on one HTTP/1.1 connection: both redirected, the second reuses it */
	snprintf(u0, sizeof u0, "http://127.0.0.1:%d/a/b.html?x=1&y=2", port);
	snprintf(u1, sizeof u1, "http://127.0.0.1:%d/c", port);
	{
		const char *a[] = { "-o", "/dev/null", u0, "-o", "/dev/null", u1, NULL };

		H_ASSERT_EQ_INT(run_curl(cx, a), 0);
	}
	snprintf(want, sizeof want,
		 "HTTP/1.1 301 Redirect\nlocation: https://127.0.0.1:%d/a/b.html?x=1&y=2\n"
		 "content-type: text/html\ncontent-length: 0\n\n"
		 "HTTP/1.1 301 Redirect\nlocation: https://127.0.0.1:%d/c\n"
		 "content-type: text/html\ncontent-length: 0\n\n", port, port);
	H_ASSERT_STREQ(head_of(path("head")), want);
	H_ASSERT_STREQ(head_of(path("w")), "1 0 ");

	/* the Host header names the target, whatever was connected to */
	H_ASSERT_EQ_INT(curl(cx, path("head"), "Host: example.com:8443", u1), 0);
	H_ASSERT_STREQ(head_of(path("head")), "HTTP/1.1 301 Redirect\nlocation: https://example.com:8443/c\n"
		       "content-type: text/html\ncontent-length: 0\n\n");

	/* HTTP/1.0: a 1.0 status line */
	{
		const char *a[] = { "-o", "/dev/null", "--http1.0", u1, NULL };

		H_ASSERT_EQ_INT(run_curl(cx, a), 0);
	}
	snprintf(want, sizeof want, "HTTP/1.0 301 Redirect\nlocation: https://127.0.0.1:%d/c\n"
		 "content-type: text/html\ncontent-length: 0\n\n", port);
	H_ASSERT_STREQ(head_of(path("head")), want);

	/* no Host: closed unanswered (curl: empty reply, 52) */
	{
		const char *a[] = { "-o", "/dev/null", "--http1.0", "-H", "Host:", u1, NULL };

		H_ASSERT_EQ_INT(run_curl(cx, a), 52);
	}
	H_ASSERT_STREQ(head_of(path("head")), "");

	/* TLS on the same port is served from the mount (h1: our build has no h2) */
	snprintf(resolve, sizeof resolve, "localhost:%d:127.0.0.1", port);
	snprintf(u2, sizeof u2, "https://localhost:%d/", port);
	{
		const char *a[] = { "-o", path("body"), "--http1.1", "--cacert", path("server.pem"),
				    "--resolve", resolve, u2, NULL };

		H_ASSERT_EQ_INT(run_curl(cx, a), 0);
	}
	H_ASSERT(!strncmp(head_of(path("head")), "HTTP/1.1 200 OK\n", 16));
	H_ASSERT_STREQ(head_of(path("body")), "secure\n");

	/* without ALLOW_NON_SSL_ON_SSL_PORT, and with it alone: no answer */
	snprintf(u2, sizeof u2, "http://127.0.0.1:%d/c", lws_get_vhost_listen_port(noallow));
	{
		const char *a[] = { "-o", "/dev/null", u2, NULL };

		H_ASSERT(run_curl(cx, a) != 0);
	}
	H_ASSERT_STREQ(head_of(path("head")), "");
	snprintf(u2, sizeof u2, "http://127.0.0.1:%d/c", lws_get_vhost_listen_port(allowonly));
	{
		const char *a[] = { "-o", "/dev/null", u2, NULL };

		H_ASSERT(run_curl(cx, a) != 0);
	}
	H_ASSERT_STREQ(head_of(path("head")), "");

	lws_context_destroy(cx);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	H_ASSERT_EQ_INT(system(cmd), 0);
	return h_pass();
}

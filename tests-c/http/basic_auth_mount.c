/*
 * Basic auth on a mount as lws 4.3.3 does it (basic_auth_login_file): no
 * Authorization or an unknown login gets 401 with `www-authenticate: Basic
 * realm="lwsws"` and an empty body, keep-alive kept; a malformed one (not
 * "Basic") gets 403; a login line of the file passes, and the mount's protocol
 * then reads the user name alone as the Authorization header. Error pages carry
 * lws's body (no reason text). Passes on lws 4.3.3 too.
 *
 * ctest-timeout: 60
 */
#include <libwebsockets.h>

#include <errno.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "harness.h"
#include "curl_head.h"

extern char **environ;

static char dir[200], auth_seen[64];
static int https;

static int
cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	uint8_t buf[LWS_PRE + 512], *start = &buf[LWS_PRE], *p = start, *end = &buf[sizeof(buf) - 1];

	switch (reason) {
	case LWS_CALLBACK_HTTP:
		https++;
		auth_seen[0] = '\0';
		lws_hdr_copy(wsi, auth_seen, sizeof auth_seen, WSI_TOKEN_HTTP_AUTHORIZATION);
		if (lws_add_http_common_headers(wsi, HTTP_STATUS_OK, "text/plain", 2, &p, end) ||
		    lws_finalize_write_http_header(wsi, start, &p, end))
			return 1;
		lws_callback_on_writable(wsi);
		return 0;
	case LWS_CALLBACK_HTTP_WRITEABLE:
		memcpy(start, "ok", 2);
		if (lws_write(wsi, start, 2, LWS_WRITE_HTTP_FINAL) != 2)
			return 1;
		return lws_http_transaction_completed(wsi) ? -1 : 0;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols protocols[] = {
	{ "http", lws_callback_http_dummy, 0, 0, 0, NULL, 0 },
	{ "secret", cb, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};



int main(void)
{
	struct lws_context_creation_info info;
	struct lws_http_mount m;
	char url[128], out[256], pw[256];
	struct lws_context *cx;
	const char *h;
	FILE *f;
	int port;

	h_watchdog(50);
	lws_set_log_level(LLL_ERR, NULL);
	snprintf(dir, sizeof dir, "/tmp/lws-rs-basicauth-%d", (int)getpid());
	H_ASSERT(!mkdir(dir, 0700));
	snprintf(pw, sizeof pw, "%s/passwords", dir);
	f = fopen(pw, "w");
	H_ASSERT(f != NULL);
	fputs("alice:wonder\nbob:builder\n", f);
	fclose(f);

	memset(&m, 0, sizeof m);
	m.mountpoint = "/secret";
	m.mountpoint_len = 7;
	m.protocol = "secret";
	m.origin_protocol = LWSMPRO_CALLBACK;
	m.basic_auth_login_file = pw;
	memset(&info, 0, sizeof info);
	info.port = 0;
	info.iface = "127.0.0.1";
	info.protocols = protocols;
	info.mounts = &m;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	port = lws_get_vhost_listen_port(lws_get_vhost_by_name(cx, "default"));
	snprintf(url, sizeof url, "http://127.0.0.1:%d/secret/x", port);
	snprintf(out, sizeof out, "%s/head.txt", dir);

	H_ASSERT_EQ_INT(curl(cx, out, NULL, url), 0);
	H_ASSERT_STREQ(head_of(out), "HTTP/1.1 401 Unauthorized\n"
		       "www-authenticate: Basic realm=\"lwsws\"\ncontent-length: 0\n\n");
	H_ASSERT_EQ_INT(https, 0);

	/* alice:nope */
	H_ASSERT_EQ_INT(curl(cx, out, "Authorization: Basic YWxpY2U6bm9wZQ==", url), 0);
	H_ASSERT(!strncmp(head_of(out), "HTTP/1.1 401 ", 13));
	/* "alic" is the start of a line, not a login */
	H_ASSERT_EQ_INT(curl(cx, out, "Authorization: Basic YWxpYzp3b25kZXI=", url), 0);
	H_ASSERT(!strncmp(head_of(out), "HTTP/1.1 401 ", 13));
	H_ASSERT_EQ_INT(https, 0);

	H_ASSERT_EQ_INT(curl(cx, out, "Authorization: Bearer abcdefgh", url), 0);
	h = head_of(out);
	H_ASSERT(!strncmp(h, "HTTP/1.1 403 Forbidden\n", 23));
	H_ASSERT_CONTAINS(h, "content-length: 173\n");

	/* bob:builder */
	H_ASSERT_EQ_INT(curl(cx, out, "Authorization: Basic Ym9iOmJ1aWxkZXI=", url), 0);
	H_ASSERT(!strncmp(head_of(out), "HTTP/1.1 200 OK\n", 16));
	H_ASSERT_EQ_INT(https, 1);
	H_ASSERT_STREQ(auth_seen, "bob");

	lws_context_destroy(cx);
	snprintf(out, sizeof out, "rm -rf %s", dir);
	H_ASSERT_EQ_INT(system(out), 0);
	return h_pass();
}

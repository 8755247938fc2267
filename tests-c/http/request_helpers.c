/*
 * Request and response helpers of lws-http.h on real requests:
 * lws_http_get_uri_and_method (lws's method index, the URI without its args),
 * lws_http_cookie_get (found, absent, too small), lws_hdr_custom_name_foreach
 * (unknown headers in order, lower-case with ':'), lws_get_mimetype (a mount's
 * extra types, '*', lws's table, unknown), lws_is_cgi and
 * lws_http_compression_apply (0: neither is built), and on an lws HTTP client
 * lws_http_check_retry_after with "Retry-After: 120" (lengthens, never shortens).
 * The server is driven by curl; the same program passes on lws 4.3.3.
 *
 * ctest-timeout: 60
 */
#include <libwebsockets.h>

#include <errno.h>
#include <spawn.h>
#include <sys/wait.h>

#include "harness.h"

extern char **environ;

static int method = -9, uri_len = -9, ck_ok = -9, ck_absent = -9, ck_small = -9, ck_len = -1;
static int cgi = -9, compr = -9, foreach_rc = -9, retry_rc = -9, retry_rc2 = -9, client_done;
static char uri[64], cookie[32], custom[256];
static lws_usec_t retry_us, retry_us2;

static void names(const char *name, int nlen, void *opaque)
{
	char *out = (char *)opaque;
	size_t n = strlen(out);

	snprintf(out + n, 256 - n, "[%.*s]", nlen, name);
}

static int
cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	uint8_t buf[LWS_PRE + 512], *start = &buf[LWS_PRE], *p = start, *end = &buf[sizeof(buf) - 1];
	char *u = NULL, small[4];
	size_t ml;

	switch (reason) {
	case LWS_CALLBACK_HTTP:
		method = lws_http_get_uri_and_method(wsi, &u, &uri_len);
		if (u)
			lws_strnncpy(uri, u, uri_len, sizeof uri);
		ml = sizeof cookie;
		ck_ok = lws_http_cookie_get(wsi, "session", cookie, &ml);
		ck_len = (int)ml;
		ml = sizeof cookie;
		ck_absent = lws_http_cookie_get(wsi, "nothere", cookie + 16, &ml);
		ml = sizeof small;
		ck_small = lws_http_cookie_get(wsi, "long", small, &ml);
		custom[0] = '\0';
		foreach_rc = lws_hdr_custom_name_foreach(wsi, names, custom);
		cgi = lws_is_cgi(wsi);
		if (lws_add_http_header_status(wsi, HTTP_STATUS_SERVICE_UNAVAILABLE, &p, end))
			return 1;
		compr = lws_http_compression_apply(wsi, NULL, &p, end, 0);
		if (lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_RETRY_AFTER,
						 (unsigned char *)"120", 3, &p, end) ||
		    lws_add_http_header_content_length(wsi, 0, &p, end) ||
		    lws_finalize_write_http_header(wsi, start, &p, end))
			return 1;
		return lws_http_transaction_completed(wsi) ? -1 : 0;
	case LWS_CALLBACK_ESTABLISHED_CLIENT_HTTP:
		retry_us = 5 * LWS_US_PER_SEC;
		retry_rc = lws_http_check_retry_after(wsi, &retry_us);
		retry_us2 = 500 * LWS_US_PER_SEC;
		retry_rc2 = lws_http_check_retry_after(wsi, &retry_us2);
		break;
	case LWS_CALLBACK_COMPLETED_CLIENT_HTTP:
	case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		client_done = 1;
		break;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols protocols[] = {
	{ "http", cb, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static int curl(struct lws_context *cx, const char *const *args)
{
	char *argv[24];
	int n = 0, st = 0, i;
	pid_t pid;

	argv[n++] = (char *)"curl";
	argv[n++] = (char *)"-s";
	argv[n++] = (char *)"-o";
	argv[n++] = (char *)"/dev/null";
	argv[n++] = (char *)"--max-time";
	argv[n++] = (char *)"10";
	for (i = 0; args[i] && n < 22; i++)
		argv[n++] = (char *)args[i];
	argv[n] = NULL;
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

int main(void)
{
	struct lws_protocol_vhost_options zip = { NULL, NULL, ".zip", "application/zip" },
					  any = { &zip, NULL, "*", "application/x-any" };
	struct lws_context_creation_info info;
	struct lws_client_connect_info ci;
	struct lws_http_mount m;
	struct lws_context *cx;
	char url[96];
	int port, i;

	h_watchdog(50);
	lws_set_log_level(LLL_ERR, NULL);

	/* lws_get_mimetype needs no context. */
	memset(&m, 0, sizeof m);
	m.extra_mimetypes = &any;
	H_ASSERT(lws_get_mimetype("a.ZIP", &m) == zip.value);
	H_ASSERT(lws_get_mimetype("a.bin", &m) == any.value);
	H_ASSERT_STREQ(lws_get_mimetype("a.css", &m), "text/css");
	H_ASSERT_STREQ(lws_get_mimetype("x.js", NULL), "text/javascript");
	H_ASSERT_STREQ(lws_get_mimetype("x.woff2", NULL), "application/font-woff2");
	H_ASSERT(lws_get_mimetype("x.pdf", NULL) == NULL);
	H_ASSERT(lws_get_mimetype(".js", NULL) == NULL);
	H_ASSERT_STREQ(lws_wsi_tag(NULL), "[null wsi]");

	memset(&info, 0, sizeof info);
	info.port = 0;
	info.iface = "127.0.0.1";
	info.protocols = protocols;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	port = lws_get_vhost_listen_port(lws_get_vhost_by_name(cx, "default"));

	snprintf(url, sizeof url, "http://127.0.0.1:%d/some/path?a=1&b=2", port);
	{
		const char *args[] = { "-X", "PUT", "-H", "Cookie: a=1; session=abc123; long=toolong",
				       "-H", "X-First: 1", "-H", "Accept: */*", "-H",
				       "X-Second-One: 2", url, NULL };

		H_ASSERT_EQ_INT(curl(cx, args), 0);
	}
	H_ASSERT_EQ_INT(method, 3); /* PUT */
	H_ASSERT_STREQ(uri, "/some/path");
	H_ASSERT_EQ_INT(uri_len, 10);
	H_ASSERT_EQ_INT(ck_ok, 0);
	H_ASSERT_STREQ(cookie, "abc123");
	H_ASSERT_EQ_INT(ck_len, 6);
	H_ASSERT_EQ_INT(ck_absent, 1);
	H_ASSERT_EQ_INT(ck_small, 2);
	H_ASSERT_EQ_INT(foreach_rc, 0);
	H_ASSERT_STREQ(custom, "[x-first:][x-second-one:]");
	H_ASSERT_EQ_INT(cgi, 0);
	H_ASSERT_EQ_INT(compr, 0);

	{
		const char *args[] = { "-X", "DELETE", url, NULL };

		H_ASSERT_EQ_INT(curl(cx, args), 0);
	}
	H_ASSERT_EQ_INT(method, 5);
	H_ASSERT_EQ_INT(ck_ok, 1); /* no Cookie header */

	/* The client side: Retry-After: 120 on a 503. */
	memset(&ci, 0, sizeof ci);
	ci.context = cx;
	ci.address = "127.0.0.1";
	ci.host = "127.0.0.1";
	ci.port = port;
	ci.path = "/r";
	ci.method = "GET";
	ci.protocol = "http";
	H_ASSERT(lws_client_connect_via_info(&ci) != NULL);
	for (i = 0; i < 3000 && !client_done; i++)
		lws_service(cx, 1);
	H_ASSERT(client_done);
	H_ASSERT_EQ_INT(retry_rc, 0);
	H_ASSERT_EQ_INT(retry_us, 120 * LWS_US_PER_SEC);
	H_ASSERT_EQ_INT(retry_rc2, 1);
	H_ASSERT_EQ_INT(retry_us2, 500 * LWS_US_PER_SEC);

	lws_context_destroy(cx);
	return h_pass();
}

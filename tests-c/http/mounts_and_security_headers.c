/*
 * Mounts as lws 4.3.3 routes them, checked with curl: a LWSMPRO_CALLBACK mount
 * naming its protocol in `.protocol` (the protocols given through
 * info.pprotocols) gets LWS_CALLBACK_HTTP with the URI after the mountpoint; one
 * naming it in `.origin` gets the whole URI; one naming a protocol the vhost lacks
 * closes the connection. LWS_SERVER_OPTION_HTTP_HEADERS_SECURITY_BEST_PRACTICES_ENFORCE
 * adds lws's five headers, in lws's order, after the vhost's own headers; a FILE
 * mount's head is laid out as lws's (content-type, content-length, cache-control
 * from cache_max_age / cache_reusable / cache_intermediaries, ETag as 16 hex
 * digits), and a matching If-None-Match gets 304 with the cache-control.
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

static char dir[200], seen_in[128], seen_proto[32];

static int
cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	uint8_t buf[LWS_PRE + 512], *start = &buf[LWS_PRE], *p = start, *end = &buf[sizeof(buf) - 1];
	const char *body = "dynamic\n";

	switch (reason) {
	case LWS_CALLBACK_HTTP:
		lws_strnncpy(seen_in, (const char *)in, len, sizeof seen_in);
		lws_strncpy(seen_proto, lws_get_protocol(wsi)->name, sizeof seen_proto);
		if (lws_add_http_common_headers(wsi, HTTP_STATUS_OK, "text/plain",
						(lws_filepos_t)strlen(body), &p, end) ||
		    lws_finalize_write_http_header(wsi, start, &p, end))
			return 1;
		lws_callback_on_writable(wsi);
		return 0;
	case LWS_CALLBACK_HTTP_WRITEABLE:
		strcpy((char *)start, body);
		if (lws_write(wsi, start, strlen(body), LWS_WRITE_HTTP_FINAL) != (int)strlen(body))
			return 1;
		if (lws_http_transaction_completed(wsi))
			return -1;
		return 0;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols p_default = { "default", lws_callback_http_dummy, 0, 0, 0, NULL, 0 },
	p_named = { "named", cb, 0, 0, 0, NULL, 0 }, p_origin = { "by-origin", cb, 0, 0, 0, NULL, 0 };
static const struct lws_protocols *pprotocols[] = { &p_default, &p_named, &p_origin, NULL };


#define CSP "content-security-policy: default-src 'none'; img-src 'self' data: ; " \
	"script-src 'self'; font-src 'self'; style-src 'self'; connect-src 'self' ws: wss:; " \
	"frame-ancestors 'none'; base-uri 'none';form-action 'self';\n"
#define SECURITY CSP "x-content-type-options: nosniff\nx-xss-protection: 1; mode=block\n" \
	"x-frame-options: deny\nreferrer-policy: no-referrer\n"

int main(void)
{
	struct lws_http_mount m_file, m_named, m_origin, m_missing;
	struct lws_protocol_vhost_options vh_header = { NULL, NULL, "x-vhost:", "1" };
	struct lws_context_creation_info info;
	char url[128], out[256], expect[1024], etag[64], inm[96];
	struct lws_context *cx;
	const char *h, *e;
	struct stat st;
	FILE *f;
	int port;

	h_watchdog(50);
	lws_set_log_level(LLL_ERR, NULL);
	snprintf(dir, sizeof dir, "/tmp/lws-rs-mounts-%d", (int)getpid());
	H_ASSERT(!mkdir(dir, 0700));
	snprintf(out, sizeof out, "%s/index.html", dir);
	f = fopen(out, "w");
	H_ASSERT(f != NULL);
	fputs("<html>hello</html>\n", f);
	fclose(f);
	H_ASSERT(!stat(out, &st));

	memset(&m_file, 0, sizeof m_file);
	m_file.mountpoint = "/";
	m_file.mountpoint_len = 1;
	m_file.origin = dir;
	m_file.def = "index.html";
	m_file.origin_protocol = LWSMPRO_FILE;
	m_file.cache_max_age = 3600;
	m_file.cache_reusable = 1;
	m_file.cache_intermediaries = 1;
	m_file.mount_next = &m_named;
	memset(&m_named, 0, sizeof m_named);
	m_named.mountpoint = "/dyn";
	m_named.mountpoint_len = 4;
	m_named.protocol = "named";
	m_named.origin_protocol = LWSMPRO_CALLBACK;
	m_named.mount_next = &m_origin;
	memset(&m_origin, 0, sizeof m_origin);
	m_origin.mountpoint = "/org";
	m_origin.mountpoint_len = 4;
	m_origin.origin = "by-origin";
	m_origin.origin_protocol = LWSMPRO_CALLBACK;
	m_origin.mount_next = &m_missing;
	memset(&m_missing, 0, sizeof m_missing);
	m_missing.mountpoint = "/nope";
	m_missing.mountpoint_len = 5;
	m_missing.protocol = "not-here";
	m_missing.origin_protocol = LWSMPRO_CALLBACK;

	memset(&info, 0, sizeof info);
	info.port = 0;
	info.iface = "127.0.0.1";
	info.pprotocols = pprotocols;
	info.mounts = &m_file;
	info.headers = &vh_header;
	info.options = LWS_SERVER_OPTION_HTTP_HEADERS_SECURITY_BEST_PRACTICES_ENFORCE;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	port = lws_get_vhost_listen_port(lws_get_vhost_by_name(cx, "default"));
	H_ASSERT(port > 0);
	snprintf(out, sizeof out, "%s/head.txt", dir);

	/* .protocol: bound, and handed the URI after the mountpoint. */
	snprintf(url, sizeof url, "http://127.0.0.1:%d/dyn/foo/bar", port);
	H_ASSERT_EQ_INT(curl(cx, out, NULL, url), 0);
	H_ASSERT_STREQ(seen_proto, "named");
	H_ASSERT_STREQ(seen_in, "/foo/bar");
	h = head_of(out);
	H_ASSERT(!strncmp(h, "HTTP/1.1 200 OK\nx-vhost: 1\n" SECURITY, strlen("HTTP/1.1 200 OK\nx-vhost: 1\n" SECURITY)));

	/* .origin only: bound, and handed the whole URI (lws). */
	snprintf(url, sizeof url, "http://127.0.0.1:%d/org/x", port);
	H_ASSERT_EQ_INT(curl(cx, out, NULL, url), 0);
	H_ASSERT_STREQ(seen_proto, "by-origin");
	H_ASSERT_STREQ(seen_in, "/org/x");

	/* A protocol the vhost lacks: lws closes without an answer (curl: 52). */
	snprintf(url, sizeof url, "http://127.0.0.1:%d/nope/x", port);
	H_ASSERT_EQ_INT(curl(cx, out, NULL, url), 52);

	/* The FILE mount's head, field by field in lws's order. */
	snprintf(url, sizeof url, "http://127.0.0.1:%d/", port);
	H_ASSERT_EQ_INT(curl(cx, out, NULL, url), 0);
	snprintf(etag, sizeof etag, "%08llX%08lX", (unsigned long long)st.st_size,
		 (unsigned long)st.st_mtime);
	snprintf(expect, sizeof expect,
		 "HTTP/1.1 200 OK\nx-vhost: 1\n" SECURITY "content-type: text/html\n"
		 "content-length: %lld\ncache-control: public, max-age=3600\netag: %s\n\n",
		 (long long)st.st_size, etag);
	H_ASSERT_STREQ(head_of(out), expect);

	/* If-None-Match with lws's tag: 304, the tag and the cache-control again. */
	snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
	H_ASSERT_EQ_INT(curl(cx, out, inm, url), 0);
	h = head_of(out);
	H_ASSERT(!strncmp(h, "HTTP/1.1 304 Not Modified\n", 26));
	e = strstr(h, "etag: ");
	H_ASSERT(e && !strncmp(e + 6, etag, strlen(etag)));
	H_ASSERT_CONTAINS(h, "cache-control: public, max-age=3600\n");

	lws_context_destroy(cx);
	snprintf(out, sizeof out, "rm -rf %s", dir);
	H_ASSERT_EQ_INT(system(out), 0);
	return h_pass();
}

/*
 * lws_ssl_remove_wsi_from_buffered_list takes a wsi off the list of TLS
 * connections serviced again for input already decrypted; it drops nothing
 * and does not stall a connection whose socket still has input: a server
 * calling it on every LWS_CALLBACK_HTTP_BODY of a 3 MiB HTTPS POST from curl
 * still gets every byte in order, BODY_COMPLETION, and answers 200 before
 * curl's 10 s limit. On a plain-HTTP wsi (on no such list) the same POST is
 * unchanged; a NULL wsi gets a log line, nothing else.
 *
 * ctest-labels: http
 * ctest-timeout: 90
 */
#include <libwebsockets.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "curl_head.h"

#define BODY_LEN (3 * 1024 * 1024 + 77)

static char dir[200];
static unsigned char *sent;
static size_t got_len;
static int mismatch, completions, calls, was_ssl = -1;

static const char *path(const char *name)
{
	static char p[4][300];
	static int n;
	char *r = p[n++ % 4];

	snprintf(r, 300, "%s/%s", dir, name);
	return r;
}

static int
cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	uint8_t buf[LWS_PRE + 512], *start = &buf[LWS_PRE], *p = start, *end = &buf[sizeof(buf) - 1];

	switch (reason) {
	case LWS_CALLBACK_HTTP:
		got_len = 0;
		was_ssl = lws_is_ssl(wsi);
		return 0; /* wait for the body */
	case LWS_CALLBACK_HTTP_BODY:
		if (got_len + len > BODY_LEN || memcmp(sent + got_len, in, len))
			mismatch++;
		got_len += len;
		lws_ssl_remove_wsi_from_buffered_list(wsi);
		calls++;
		return 0;
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		completions++;
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
	{ "http", cb, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static void post(struct lws_context *cx, const char *url)
{
	char data[320];
	const char *args[] = { "-k", "-o", "/dev/null", "-H", "Content-Type: application/octet-stream",
			       "--data-binary", data, url, NULL };

	snprintf(data, sizeof data, "@%s", path("body.bin"));
	got_len = 0;
	mismatch = completions = calls = 0;
	H_ASSERT_EQ_INT(curl_args(cx, path("head.txt"), path("w.txt"), args), 0);
	H_ASSERT(!strncmp(head_of(path("head.txt")), "HTTP/1.1 200 OK\n", 16));
	H_ASSERT_EQ_INT(mismatch, 0);
	H_ASSERT_EQ_INT((int)got_len, BODY_LEN);
	H_ASSERT_EQ_INT(completions, 1);
	H_ASSERT(calls > 0);
}

int main(void)
{
	struct lws_context_creation_info info;
	struct lws_vhost *tls, *plain;
	struct lws_context *cx;
	char cmd[1024], url[128];
	unsigned int seed = 5;
	FILE *f;
	size_t i;

	h_watchdog(80);
	lws_set_log_level(LLL_ERR, NULL);
	snprintf(dir, sizeof dir, "/tmp/lws-rs-tlsbuffered-%d", (int)getpid());
	snprintf(cmd, sizeof cmd,
		 "mkdir -p %s && cd %s && "
		 "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
		 "-keyout srv.key -out srv.pem -days 3 -subj '/O=lws-rs/CN=localhost' "
		 "-addext subjectAltName=DNS:localhost >/dev/null 2>&1", dir, dir);
	H_ASSERT_EQ_INT(system(cmd), 0);

	sent = malloc(BODY_LEN);
	H_ASSERT(sent != NULL);
	for (i = 0; i < BODY_LEN; i++) {
		seed = seed * 1103515245u + 12345u;
		sent[i] = (unsigned char)(seed >> 16);
	}
	f = fopen(path("body.bin"), "wb");
	H_ASSERT(f != NULL);
	H_ASSERT(fwrite(sent, 1, BODY_LEN, f) == BODY_LEN);
	fclose(f);

	memset(&info, 0, sizeof info);
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS | LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.protocols = protocols;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	info.iface = "127.0.0.1";
	info.port = 0;
	info.vhost_name = "localhost";
	info.ssl_cert_filepath = path("srv.pem");
	info.ssl_private_key_filepath = path("srv.key");
	tls = lws_create_vhost(cx, &info);
	H_ASSERT(tls != NULL);
	info.vhost_name = "plain";
	info.ssl_cert_filepath = info.ssl_private_key_filepath = NULL;
	plain = lws_create_vhost(cx, &info);
	H_ASSERT(plain != NULL);

	snprintf(url, sizeof url, "https://127.0.0.1:%d/up", lws_get_vhost_listen_port(tls));
	post(cx, url);
	H_ASSERT_EQ_INT(was_ssl, 1);
	fprintf(stderr, "https: %d HTTP_BODY callbacks\n", calls);

	snprintf(url, sizeof url, "http://127.0.0.1:%d/up", lws_get_vhost_listen_port(plain));
	post(cx, url);
	H_ASSERT_EQ_INT(was_ssl, 0);

	lws_ssl_remove_wsi_from_buffered_list(NULL);

	lws_context_destroy(cx);
	free(sent);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	H_ASSERT_EQ_INT(system(cmd), 0);
	return 0;
}

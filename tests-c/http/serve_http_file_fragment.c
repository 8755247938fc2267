/*
 * lws_serve_http_file_fragment driving a file lws_serve_http_file started:
 * called from the HTTP callback right after lws_serve_http_file and then
 * from the wsi's timer while the file is in flight, it answers 0 (more to
 * send) or 1 (all sent), never anything else; curl gets the file's bytes
 * exactly and HTTP_FILE_COMPLETION comes once per file. On a wsi that sends
 * no file, with nothing queued, it answers 1; a NULL wsi gets -1.
 * Differences from lws 4.3.3 (docs/COMPAT.md): lws answers 1 at once for a
 * small file (we open the file after the callback returns: 0), and lws
 * delivers HTTP_FILE_COMPLETION again when called on a wsi whose file is
 * done or that sends none (run against lws 4.3.3: 3 completions for 2 files).
 *
 * ctest-timeout: 60
 */
#include <libwebsockets.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "curl_head.h"

#define BIG_LEN (6 * 1024 * 1024 + 123)
#define SMALL_LEN 3000

static char dir[200], small_path[256], big_path[256];
static int completions, bad_ret, timer_calls, timer_zero, timer_one, first_ret[2] = { -9, -9 },
	none_ret = -9;

struct pss {
	int sending;
};

static int
cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	uint8_t buf[LWS_PRE + 512], *start = &buf[LWS_PRE], *p = start, *end = &buf[sizeof(buf) - 1];
	struct pss *pss = (struct pss *)user;
	int r, big;

	switch (reason) {
	case LWS_CALLBACK_HTTP:
		if (!strcmp((const char *)in, "/none")) {
			if (lws_add_http_common_headers(wsi, HTTP_STATUS_OK, "text/plain", 2, &p,
							end) ||
			    lws_finalize_write_http_header(wsi, start, &p, end))
				return 1;
			memcpy(start, "ok", 2);
			if (lws_write(wsi, start, 2, LWS_WRITE_HTTP_FINAL) != 2)
				return 1;
			none_ret = lws_serve_http_file_fragment(wsi);
			return lws_http_transaction_completed(wsi) ? -1 : 0;
		}
		big = !strcmp((const char *)in, "/big");
		if (lws_serve_http_file(wsi, big ? big_path : small_path,
					"application/octet-stream", NULL, 0))
			return -1;
		pss->sending = 1;
		r = lws_serve_http_file_fragment(wsi);
		first_ret[big] = r;
		if (r < 0)
			return -1;
		if (r == 0 && big)
			lws_set_timer_usecs(wsi, 1000);
		return 0;
	case LWS_CALLBACK_TIMER:
		if (!pss->sending)
			return 0;
		timer_calls++;
		r = lws_serve_http_file_fragment(wsi);
		if (r == 0)
			timer_zero++;
		else if (r == 1)
			timer_one++;
		else
			bad_ret++;
		if (r < 0)
			return -1;
		if (r == 0 && timer_calls < 20000)
			lws_set_timer_usecs(wsi, 1000);
		return 0;
	case LWS_CALLBACK_HTTP_FILE_COMPLETION:
		completions++;
		pss->sending = 0;
		lws_set_timer_usecs(wsi, LWS_SET_TIMER_USEC_CANCEL);
		return lws_http_transaction_completed(wsi) ? -1 : 0;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols protocols[] = {
	{ "http", cb, sizeof(struct pss), 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static unsigned char *pattern(size_t n, unsigned int seed)
{
	unsigned char *b = malloc(n);
	size_t i;

	H_ASSERT(b != NULL);
	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		b[i] = (unsigned char)(seed >> 16);
	}
	return b;
}

static void put(const char *path, const unsigned char *b, size_t n)
{
	FILE *f = fopen(path, "wb");

	H_ASSERT(f != NULL);
	H_ASSERT(fwrite(b, 1, n, f) == n);
	fclose(f);
}

/* Whether the file at path holds exactly b[0..n). */
static int same(const char *path, const unsigned char *b, size_t n)
{
	unsigned char *got = malloc(n + 1);
	FILE *f = fopen(path, "rb");
	size_t r;
	int ok;

	H_ASSERT(got != NULL && f != NULL);
	r = fread(got, 1, n + 1, f);
	fclose(f);
	ok = r == n && !memcmp(got, b, n);
	if (!ok)
		fprintf(stderr, "%s: %zu bytes, want %zu\n", path, r, n);
	free(got);
	return ok;
}

int main(void)
{
	struct lws_context_creation_info info;
	char url[128], out[256], body[256];
	unsigned char *small, *big;
	struct lws_context *cx;
	int port;

	h_watchdog(50);
	lws_set_log_level(LLL_ERR, NULL);
	snprintf(dir, sizeof dir, "/tmp/lws-rs-fragment-%d", (int)getpid());
	H_ASSERT(!mkdir(dir, 0700));
	snprintf(small_path, sizeof small_path, "%s/small.bin", dir);
	snprintf(big_path, sizeof big_path, "%s/big.bin", dir);
	snprintf(out, sizeof out, "%s/head.txt", dir);
	snprintf(body, sizeof body, "%s/body.bin", dir);
	small = pattern(SMALL_LEN, 7);
	big = pattern(BIG_LEN, 11);
	put(small_path, small, SMALL_LEN);
	put(big_path, big, BIG_LEN);

	memset(&info, 0, sizeof info);
	info.port = 0;
	info.iface = "127.0.0.1";
	info.protocols = protocols;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	port = lws_get_vhost_listen_port(lws_get_vhost_by_name(cx, "default"));

	snprintf(url, sizeof url, "http://127.0.0.1:%d/small", port);
	H_ASSERT_EQ_INT(curl_to(cx, out, body, NULL, url), 0);
	H_ASSERT(!strncmp(head_of(out), "HTTP/1.1 200 OK\n", 16));
	H_ASSERT(same(body, small, SMALL_LEN));
	H_ASSERT(first_ret[0] == 0 || first_ret[0] == 1);
	H_ASSERT_EQ_INT(completions, 1);

	snprintf(url, sizeof url, "http://127.0.0.1:%d/big", port);
	H_ASSERT_EQ_INT(curl_to(cx, out, body, NULL, url), 0);
	H_ASSERT(!strncmp(head_of(out), "HTTP/1.1 200 OK\n", 16));
	H_ASSERT(same(body, big, BIG_LEN));
	H_ASSERT(first_ret[1] == 0 || first_ret[1] == 1);
	H_ASSERT_EQ_INT(bad_ret, 0);
	H_ASSERT_EQ_INT(completions, 2);
	fprintf(stderr, "first %d/%d, timer calls %d (0: %d, 1: %d)\n", first_ret[0], first_ret[1],
		timer_calls, timer_zero, timer_one);

	snprintf(url, sizeof url, "http://127.0.0.1:%d/none", port);
	H_ASSERT_EQ_INT(curl_to(cx, out, body, NULL, url), 0);
	H_ASSERT(!strncmp(head_of(out), "HTTP/1.1 200 OK\n", 16));
	H_ASSERT(same(body, (const unsigned char *)"ok", 2));
	H_ASSERT_EQ_INT(none_ret, 1);
	H_ASSERT_EQ_INT(completions, 2);

	H_ASSERT_EQ_INT(lws_serve_http_file_fragment(NULL), -1);

	lws_context_destroy(cx);
	unlink(small_path);
	unlink(big_path);
	unlink(out);
	unlink(body);
	rmdir(dir);
	free(small);
	free(big);
	return 0;
}

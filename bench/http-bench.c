/*
 * bench/http-bench.c - the libwebsockets side of the HTTP throughput
 * scenarios: one source built against each implementation (public API only).
 *
 *   http-bench server [-p port] [-f file] [-c chunk] [-t seconds]
 *       GET  /bench/gen/N   200, content-length N, the body written from
 *                           LWS_CALLBACK_HTTP_WRITEABLE, -c bytes (16384) a time
 *       GET  /bench/file    lws_serve_http_file(-f file)
 *       POST /bench/upload  the body consumed in LWS_CALLBACK_HTTP_BODY and
 *                           checked against the pattern; 200 "ok" (400 "bad")
 *       Prints "READY" once listening; exits on SIGTERM/SIGINT or after -t s.
 *
 *   http-bench client [-p port] -m get|post -s bytes [-u path] [-c chunk]
 *       An lws HTTP client on 127.0.0.1: GET path (default /bytes/<bytes>,
 *       as http-peer serves it) checking every body byte (RECEIVE_CLIENT_HTTP_READ),
 *       or POST <bytes> of the pattern (default path /upload) sent from
 *       LWS_CALLBACK_CLIENT_HTTP_WRITEABLE with lws_client_http_body_pending,
 *       -c bytes a time, expecting 200. Prints "RESULT mb_per_s=...
 *       cli_cpu_ms_per_mb=... cli_peak_rss_kib=..." (its own CPU from
 *       /proc/self/schedstat over the transfer, connect included; its VmHWM);
 *       exits non-zero on any error, mismatch or short body.
 *
 * The body pattern is http-pattern.h's (shared with http-peer.c).
 */
#include <libwebsockets.h>

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "http-pattern.h"

static struct lws_context *context;
static const char *file_path = "bench.bin";
static size_t chunk = 16384;
static unsigned char *txbuf;
static volatile int interrupted;
static int failed, done;

/* per HTTP transaction (server) */
struct pss {
	uint64_t left, off;
	int bad;
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
sigh(int s)
{
	(void)s;
	interrupted = 1;
	if (context)
		lws_cancel_service(context);
}

static int
respond(struct lws *wsi, unsigned int status, const char *body)
{
	unsigned char buf[LWS_PRE + 512], *start = buf + LWS_PRE, *p = start,
		      *end = buf + sizeof buf - 1;
	size_t n = strlen(body);

	if (lws_add_http_common_headers(wsi, status, "text/plain", (lws_filepos_t)n, &p, end) ||
	    lws_finalize_write_http_header(wsi, start, &p, end))
		return 1;
	memcpy(start, body, n);
	if (lws_write(wsi, start, n, LWS_WRITE_HTTP_FINAL) != (int)n)
		return 1;
	return lws_http_transaction_completed(wsi) ? -1 : 0;
}

static int
server_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	struct pss *pss = user;
	unsigned char hb[LWS_PRE + 512], *start = hb + LWS_PRE, *p = start, *end = hb + sizeof hb - 1;
	const char *uri = in;
	size_t n;

	switch (reason) {
	case LWS_CALLBACK_HTTP:
		memset(pss, 0, sizeof *pss);
		if (!strncmp(uri, "/bench/gen/", 11)) {
			pss->left = strtoull(uri + 11, NULL, 10);
			if (lws_add_http_common_headers(wsi, HTTP_STATUS_OK, "application/octet-stream",
							(lws_filepos_t)pss->left, &p, end) ||
			    lws_finalize_write_http_header(wsi, start, &p, end))
				return 1;
			lws_callback_on_writable(wsi);
			return 0;
		}
		if (!strcmp(uri, "/bench/file")) {
			n = (size_t)lws_serve_http_file(wsi, file_path, "application/octet-stream", NULL, 0);
			if ((int)n < 0 || ((int)n > 0 && lws_http_transaction_completed(wsi)))
				return -1;
			return 0;
		}
		if (!strcmp(uri, "/bench/upload"))
			return 0;	/* the body follows */
		return respond(wsi, HTTP_STATUS_NOT_FOUND, "no");

	case LWS_CALLBACK_HTTP_WRITEABLE:
		if (!pss->left)
			break;
		n = chunk;
		if (n > pss->left)
			n = (size_t)pss->left;
		pattern_fill(pss->off, txbuf + LWS_PRE, n);
		if (lws_write(wsi, txbuf + LWS_PRE, n,
			      n == pss->left ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP) != (int)n)
			return 1;
		pss->off += n;
		pss->left -= n;
		if (!pss->left)
			return lws_http_transaction_completed(wsi) ? -1 : 0;
		lws_callback_on_writable(wsi);
		return 0;

	case LWS_CALLBACK_HTTP_BODY:
		if (!pss->bad && pattern_check(pss->off, in, len))
			pss->bad = 1;
		pss->off += len;
		return 0;

	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		if (pss->bad)
			fprintf(stderr, "http-bench: uploaded body bytes differ\n");
		return respond(wsi, pss->bad ? HTTP_STATUS_BAD_REQUEST : HTTP_STATUS_OK,
			       pss->bad ? "bad" : "ok");

	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

/* client state */
static int post;
static uint64_t size, sent, got;
static int status;

static int
client_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	unsigned char **p = in, *end;
	size_t n;

	switch (reason) {
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		fprintf(stderr, "http-bench: connection error: %s\n", in ? (const char *)in : "");
		failed = 1;
		done = 1;
		lws_cancel_service(lws_get_context(wsi));
		break;

	case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
		if (!post)
			break;
		end = (*p) + len;
		if (lws_add_http_header_content_length(wsi, (lws_filepos_t)size, p, end))
			return -1;
		lws_client_http_body_pending(wsi, 1);
		lws_callback_on_writable(wsi);
		break;

	case LWS_CALLBACK_CLIENT_HTTP_WRITEABLE:
		if (sent >= size)
			break;
		n = chunk;
		if (n > size - sent)
			n = (size_t)(size - sent);
		pattern_fill(sent, txbuf + LWS_PRE, n);
		if (lws_write(wsi, txbuf + LWS_PRE, n,
			      sent + n == size ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP) != (int)n)
			return -1;
		sent += n;
		if (sent == size)
			lws_client_http_body_pending(wsi, 0);
		else
			lws_callback_on_writable(wsi);
		break;

	case LWS_CALLBACK_ESTABLISHED_CLIENT_HTTP:
		status = (int)lws_http_client_http_response(wsi);
		break;

	case LWS_CALLBACK_RECEIVE_CLIENT_HTTP_READ:
		if (!post && !failed && pattern_check(got, in, len)) {
			fprintf(stderr, "http-bench: body bytes differ at %llu\n", (unsigned long long)got);
			failed = 1;
		}
		got += len;
		break;

	case LWS_CALLBACK_RECEIVE_CLIENT_HTTP: {
		char buf[LWS_PRE + 65536], *px = buf + LWS_PRE;
		int lenx = (int)sizeof buf - LWS_PRE;

		if (lws_http_client_read(wsi, &px, &lenx) < 0)
			return -1;
		break;
	}

	case LWS_CALLBACK_COMPLETED_CLIENT_HTTP:
		done = 1;
		lws_cancel_service(lws_get_context(wsi));
		break;

	case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
		if (!done) {
			fprintf(stderr, "http-bench: closed before the response completed\n");
			failed = 1;
			done = 1;
		}
		lws_cancel_service(lws_get_context(wsi));
		break;

	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols server_protocols[] = {
	{ "http", server_cb, sizeof(struct pss), 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static const struct lws_protocols client_protocols[] = {
	{ "http", client_cb, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static void
sched_ns(unsigned long long *cpu, unsigned long long *wait)
{
	FILE *f = fopen("/proc/self/schedstat", "r");

	*cpu = *wait = 0;
	if (!f)
		return;
	if (fscanf(f, "%llu %llu", cpu, wait) != 2)
		*cpu = *wait = 0;
	fclose(f);
}

static long
status_kib(const char *key)
{
	char line[256];
	size_t kl = strlen(key);
	long v = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, key, kl)) {
			v = atol(line + kl);
			break;
		}
	fclose(f);
	return v;
}

int
main(int argc, char **argv)
{
	struct lws_context_creation_info info;
	const char *mode = argc > 1 ? argv[1] : "", *path = NULL;
	int port = 7681, opt, server;
	double secs = 600, t0, t1, deadline;
	unsigned long long c0, w0, c1, w1;
	char defpath[64];
	long base_kib;

	server = !strcmp(mode, "server");
	if (!server && strcmp(mode, "client")) {
		fprintf(stderr, "usage: http-bench server|client ... (see the source)\n");
		return 2;
	}
	optind = 2;
	while ((opt = getopt(argc, argv, "p:f:c:t:m:s:u:")) != -1) {
		switch (opt) {
		case 'p': port = atoi(optarg); break;
		case 'f': file_path = optarg; break;
		case 'c': chunk = (size_t)atol(optarg); break;
		case 't': secs = atof(optarg); break;
		case 'm': post = !strcmp(optarg, "post"); break;
		case 's': size = strtoull(optarg, NULL, 10); break;
		case 'u': path = optarg; break;
		default: return 2;
		}
	}
	if (!chunk)
		return 2;
	pattern_init();
	txbuf = malloc(LWS_PRE + chunk);
	if (!txbuf)
		return 1;
	signal(SIGINT, sigh);
	signal(SIGTERM, sigh);
	lws_set_log_level(LLL_ERR | LLL_WARN, NULL);

	memset(&info, 0, sizeof info);
	if (server) {
		info.port = port;
		info.iface = "127.0.0.1";
		info.protocols = server_protocols;
	} else {
		info.port = CONTEXT_PORT_NO_LISTEN;
		info.protocols = client_protocols;
	}
	context = lws_create_context(&info);
	if (!context) {
		fprintf(stderr, "http-bench: lws_create_context failed\n");
		return 1;
	}
	base_kib = status_kib("VmRSS:");
	deadline = now_s() + secs;
	if (server) {
		printf("READY\n");
		fflush(stdout);
		while (!interrupted && now_s() < deadline)
			if (lws_service(context, 0) < 0)
				break;
		lws_context_destroy(context);
		free(txbuf);
		return 0;
	}

	{
		struct lws_client_connect_info ci;

		if (!path) {
			if (post)
				path = "/upload";
			else {
				snprintf(defpath, sizeof defpath, "/bytes/%llu", (unsigned long long)size);
				path = defpath;
			}
		}
		memset(&ci, 0, sizeof ci);
		ci.context = context;
		ci.address = "127.0.0.1";
		ci.port = port;
		ci.path = path;
		ci.host = "localhost";
		ci.origin = "localhost";
		ci.method = post ? "POST" : "GET";
		ci.protocol = client_protocols[0].name;
		sched_ns(&c0, &w0);
		t0 = now_s();
		if (!lws_client_connect_via_info(&ci)) {
			fprintf(stderr, "http-bench: connect failed\n");
			return 1;
		}
	}
	while (!done && !interrupted && now_s() < deadline)
		if (lws_service(context, 0) < 0)
			break;
	t1 = now_s();
	sched_ns(&c1, &w1);
	if (!done) {
		fprintf(stderr, "http-bench: no completion (timeout or interrupted)\n");
		failed = 1;
	}
	if (!failed && status != 200) {
		fprintf(stderr, "http-bench: status %d\n", status);
		failed = 1;
	}
	if (!failed && !post && got != size) {
		fprintf(stderr, "http-bench: body %llu bytes, expected %llu\n", (unsigned long long)got,
			(unsigned long long)size);
		failed = 1;
	}
	if (!failed && post && sent != size) {
		fprintf(stderr, "http-bench: sent %llu bytes of %llu\n", (unsigned long long)sent,
			(unsigned long long)size);
		failed = 1;
	}
	if (!failed)
		printf("RESULT mode=%s bytes=%llu secs=%.4f mb_per_s=%.1f cli_cpu_ms_per_mb=%.3f "
		       "cli_wait_pct=%.1f cli_peak_rss_kib=%ld cli_base_rss_kib=%ld\n",
		       post ? "post" : "get", (unsigned long long)size, t1 - t0,
		       (double)size / 1e6 / (t1 - t0), (double)(c1 - c0) / 1e6 / ((double)size / 1e6),
		       100.0 * (double)(w1 - w0) / 1e9 / (t1 - t0), status_kib("VmHWM:"), base_kib);
	lws_context_destroy(context);
	free(txbuf);
	return failed;
}

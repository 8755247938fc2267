/*
 * Per-session data on a connection served only from a FILE mount, as lws
 * 4.3.3 gives it: protocols[0]'s zeroed per-session data is there from
 * FILTER_HTTP_CONNECTION on, through HTTP_FILE_COMPLETION, HTTP_DROP_PROTOCOL
 * and CLOSED_HTTP, although no LWS_CALLBACK_HTTP bound the connection (the
 * v4.3.3 minimal-http-server-form-post example reads it in
 * HTTP_DROP_PROTOCOL and crashed on a NULL there). Passes on lws 4.3.3 too.
 *
 * ctest-timeout: 60
 */
#include <libwebsockets.h>

#include <sys/stat.h>

#include "harness.h"
#include "curl_head.h"

struct pss {
	int filtered, file_done;
};

static int filters, file_completions, drops, closes, missing;

static int
cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	struct pss *pss = user;

	switch (reason) {
	case LWS_CALLBACK_FILTER_HTTP_CONNECTION:
		filters++;
		if (!pss) {
			missing++;
			break;
		}
		pss->filtered = 1;
		break;
	case LWS_CALLBACK_HTTP_FILE_COMPLETION:
		file_completions++;
		if (!pss || !pss->filtered)
			missing++;
		else
			pss->file_done = 1;
		break;
	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
		drops++;
		if (!pss)
			missing++;
		break;
	case LWS_CALLBACK_CLOSED_HTTP:
		closes++;
		if (!pss)
			missing++;
		break;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols protocols[] = {
	{ "http", cb, sizeof(struct pss), 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

int main(void)
{
	struct lws_context_creation_info info;
	struct lws_http_mount m;
	char dir[200], path[300], url[128];
	struct lws_context *cx;
	FILE *f;
	int port, i;

	h_watchdog(50);
	lws_set_log_level(LLL_ERR, NULL);
	snprintf(dir, sizeof dir, "/tmp/lws-rs-file-pss-%d", (int)getpid());
	H_ASSERT(!mkdir(dir, 0700));
	snprintf(path, sizeof path, "%s/index.html", dir);
	f = fopen(path, "w");
	H_ASSERT(f != NULL);
	fputs("hello\n", f);
	fclose(f);

	memset(&m, 0, sizeof m);
	m.mountpoint = "/";
	m.mountpoint_len = 1;
	m.origin = dir;
	m.def = "index.html";
	m.origin_protocol = LWSMPRO_FILE;
	memset(&info, 0, sizeof info);
	info.port = 0;
	info.iface = "127.0.0.1";
	info.protocols = protocols;
	info.mounts = &m;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	port = lws_get_vhost_listen_port(lws_get_vhost_by_name(cx, "default"));
	snprintf(url, sizeof url, "http://127.0.0.1:%d/index.html", port);
	snprintf(path, sizeof path, "%s/head.txt", dir);

	H_ASSERT_EQ_INT(curl(cx, path, NULL, url), 0);
	H_ASSERT(!strncmp(head_of(path), "HTTP/1.1 200 OK\n", 16));
	/* the close reaches the server after curl exited: serve it (bounded) */
	for (i = 0; i < 2000 && !closes; i++) {
		lws_service(cx, -1);
		usleep(1000);
	}
	H_ASSERT_EQ_INT(filters, 1);
	H_ASSERT_EQ_INT(file_completions, 1);
	H_ASSERT(drops >= 1);
	H_ASSERT_EQ_INT(closes, 1);
	H_ASSERT_EQ_INT(missing, 0);

	lws_context_destroy(cx);
	snprintf(path, sizeof path, "rm -rf %s", dir);
	H_ASSERT_EQ_INT(system(path), 0);
	return h_pass();
}

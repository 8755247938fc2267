/*
 * The classic libwebsockets server layout: one vhost serving files from a
 * directory (a LWSMPRO_FILE mount on "/"), a dynamic page from a protocol
 * callback (a LWSMPRO_CALLBACK mount on "/dyn"), a form handler that reads a
 * POST body ("/form"), and a WebSocket echo protocol, all on one port.
 *
 *   http-ws-server [-p port] [-r document-root] [-d loglevel]
 *                  [--timeout-secs N] [--keepalive-secs N]
 *
 * Prints "http-ws-server on port N" once listening.
 */
#include <libwebsockets.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

struct pss_dyn {
	size_t body_len;
	char body_start[64];
	int is_form;
};

static int interrupted;

static int
callback_dynamic(struct lws *wsi, enum lws_callback_reasons reason, void *user,
		 void *in, size_t len)
{
	struct pss_dyn *pss = (struct pss_dyn *)user;
	unsigned char buf[LWS_PRE + 2048], *start = &buf[LWS_PRE], *p = start,
		      *end = &buf[sizeof(buf) - 1];
	char arg[64];
	int n;

	switch (reason) {
	case LWS_CALLBACK_HTTP:
		if (lws_hdr_total_length(wsi, WSI_TOKEN_POST_URI)) {
			pss->is_form = 1;
			return 0; /* answered at HTTP_BODY_COMPLETION */
		}
		if (lws_get_urlarg_by_name_safe(wsi, "name", arg, sizeof arg) < 0)
			lws_strncpy(arg, "world", sizeof arg);
		n = lws_snprintf((char *)start + 1024, 1000, "hello %s from %s", arg,
				 (const char *)in);
		if (lws_add_http_common_headers(wsi, HTTP_STATUS_OK, "text/plain",
						(lws_filepos_t)n, &p, end) ||
		    lws_finalize_write_http_header(wsi, start, &p, end))
			return 1;
		memmove(start, start + 1024, (size_t)n);
		if (lws_write(wsi, start, (size_t)n, LWS_WRITE_HTTP_FINAL) != n)
			return 1;
		if (lws_http_transaction_completed(wsi))
			return -1;
		return 0;

	case LWS_CALLBACK_HTTP_BODY:
		if (pss->body_len < sizeof(pss->body_start) - 1) {
			size_t room = sizeof(pss->body_start) - 1 - pss->body_len;

			memcpy(pss->body_start + pss->body_len, in, len < room ? len : room);
		}
		pss->body_len += len;
		return 0;

	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		n = lws_snprintf((char *)start + 1024, 1000, "received %zu bytes: %s",
				 pss->body_len, pss->body_start);
		if (lws_add_http_common_headers(wsi, HTTP_STATUS_OK, "text/plain",
						(lws_filepos_t)n, &p, end) ||
		    lws_finalize_write_http_header(wsi, start, &p, end))
			return 1;
		memmove(start, start + 1024, (size_t)n);
		if (lws_write(wsi, start, (size_t)n, LWS_WRITE_HTTP_FINAL) != n)
			return 1;
		if (lws_http_transaction_completed(wsi))
			return -1;
		return 0;

	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static int
callback_echo(struct lws *wsi, enum lws_callback_reasons reason, void *user,
	      void *in, size_t len)
{
	unsigned char buf[LWS_PRE + 4096];

	(void)user;
	if (reason == LWS_CALLBACK_RECEIVE && len <= 4096) {
		memcpy(buf + LWS_PRE, in, len);
		if (lws_write(wsi, buf + LWS_PRE, len,
			      lws_frame_is_binary(wsi) ? LWS_WRITE_BINARY : LWS_WRITE_TEXT) < (int)len)
			return -1;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "http", lws_callback_http_dummy, 0, 0, 0, NULL, 0 },
	{ "dyn", callback_dynamic, sizeof(struct pss_dyn), 0, 0, NULL, 0 },
	{ "echo", callback_echo, 0, 4096, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static struct lws_http_mount mount_form = {
	.mountpoint = "/form", .origin = "dyn", .origin_protocol = LWSMPRO_CALLBACK,
	.mountpoint_len = 5,
};
static struct lws_http_mount mount_dyn = {
	.mount_next = &mount_form, .mountpoint = "/dyn", .origin = "dyn",
	.origin_protocol = LWSMPRO_CALLBACK, .mountpoint_len = 4,
};
static struct lws_http_mount mount_root = {
	.mount_next = &mount_dyn, .mountpoint = "/", .origin = ".", .def = "index.html",
	.origin_protocol = LWSMPRO_FILE, .mountpoint_len = 1,
};

static struct lws_context *context;

/* Waking the loop matters: a flag alone is only seen after the next event. */
static void
sigint_handler(int sig)
{
	(void)sig;
	interrupted = 1;
	lws_cancel_service(context);
}

int main(int argc, const char **argv)
{
	struct lws_context_creation_info info;
	const char *p;
	int n = 0;

	signal(SIGINT, sigint_handler);
	signal(SIGTERM, sigint_handler);
	memset(&info, 0, sizeof info);
	lws_cmdline_option_handle_builtin(argc, argv, &info);
	info.port = 7681;
	if ((p = lws_cmdline_option(argc, argv, "-p")))
		info.port = atoi(p);
	if ((p = lws_cmdline_option(argc, argv, "-r")))
		mount_root.origin = p;
	if ((p = lws_cmdline_option(argc, argv, "--timeout-secs")))
		info.timeout_secs = (unsigned int)atoi(p);
	if ((p = lws_cmdline_option(argc, argv, "--keepalive-secs")))
		info.keepalive_timeout = atoi(p);
	/* -e /404.html: answer 404s with a redirect to that page, as lws does */
	if ((p = lws_cmdline_option(argc, argv, "-e")))
		info.error_document_404 = p;
	info.iface = "127.0.0.1";
	info.protocols = protocols;
	info.mounts = &mount_root;
	info.server_string = "lws-rs-example";

	context = lws_create_context(&info);
	if (!context)
		return 1;
	lwsl_user("http-ws-server on port %d\n",
		  lws_get_vhost_listen_port(lws_get_vhost_by_name(context, "default")));
	while (n >= 0 && !interrupted)
		n = lws_service(context, 0);
	lws_context_destroy(context);
	return 0;
}

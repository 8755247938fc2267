/*
 * An HTTP client in the shape lws recommends: the request is made from a
 * system-state notifier when the context reaches OPERATIONAL. It prints the
 * status and the body length and a checksum of the body, and exits 0 when the
 * transaction completed.
 *
 *   http-client [-a address] [-p port] [--path /x] [-m METHOD] [--post DATA]
 *               [--tls [--ca ca.pem]] [--host name]
 */
#include <libwebsockets.h>
#include <stdlib.h>
#include <string.h>

static const char *address = "127.0.0.1", *path = "/", *method = "GET", *post, *host;
static int ssl_flags;
static int port = 80, status, completed, failed, finished, redirects;
static size_t total, post_sent;
static uint32_t sum;
static struct lws_context *context;

static int
callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	char buffer[1024 + LWS_PRE], *px = buffer + LWS_PRE;
	int lenx = sizeof(buffer) - LWS_PRE;
	const unsigned char *p = (const unsigned char *)in;
	size_t i;

	(void)user;
	switch (reason) {
	case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
		if (post) {
			char cl[16], **pp = (char **)in, *end = *pp + len;

			lws_snprintf(cl, sizeof cl, "%d", (int)strlen(post));
			if (lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH,
					(unsigned char *)cl, (int)strlen(cl), (unsigned char **)pp,
					(unsigned char *)end) ||
			    lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CONTENT_TYPE,
					(unsigned char *)"application/x-www-form-urlencoded", 33,
					(unsigned char **)pp, (unsigned char *)end))
				return -1;
			lws_client_http_body_pending(wsi, 1);
			lws_callback_on_writable(wsi);
		}
		break;
	case LWS_CALLBACK_CLIENT_HTTP_WRITEABLE:
		if (post && post_sent < strlen(post)) {
			size_t n = strlen(post);

			memcpy(buffer + LWS_PRE, post, n);
			if (lws_write(wsi, (unsigned char *)buffer + LWS_PRE, n, LWS_WRITE_HTTP_FINAL) != (int)n)
				return -1;
			post_sent = n;
			lws_client_http_body_pending(wsi, 0);
		}
		break;
	case LWS_CALLBACK_ESTABLISHED_CLIENT_HTTP:
		status = (int)lws_http_client_http_response(wsi);
		break;
	case LWS_CALLBACK_RECEIVE_CLIENT_HTTP_READ:
		for (i = 0; i < len; i++)
			sum = sum * 31 + p[i];
		total += len;
		break;
	case LWS_CALLBACK_RECEIVE_CLIENT_HTTP:
		if (lws_http_client_read(wsi, &px, &lenx) < 0)
			return -1;
		break;
	case LWS_CALLBACK_CLIENT_HTTP_REDIRECT:
		redirects++;
		lwsl_user("redirect %d to %s\n", (int)len, (const char *)in);
		break;
	case LWS_CALLBACK_COMPLETED_CLIENT_HTTP:
		completed = 1;
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		lwsl_err("connection error: %s\n", in ? (const char *)in : "(null)");
		failed = finished = 1;
		break;
	case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
		finished = 1;
		break;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols protocols[] = {
	{ "http", callback, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static int
system_notify_cb(lws_state_manager_t *mgr, lws_state_notify_link_t *link, int current, int target)
{
	struct lws_client_connect_info i;

	(void)mgr; (void)link;
	if (current != LWS_SYSTATE_OPERATIONAL || target != LWS_SYSTATE_OPERATIONAL)
		return 0;
	memset(&i, 0, sizeof i);
	i.context = context;
	i.address = address;
	i.port = port;
	i.path = path;
	i.host = host ? host : address;
	i.method = method;
	i.ssl_connection = ssl_flags;
	i.protocol = protocols[0].name;
	if (!lws_client_connect_via_info(&i))
		failed = finished = 1;
	return 0;
}

int main(int argc, const char **argv)
{
	static lws_state_notify_link_t notifier = { { 0 }, system_notify_cb, "app" };
	static lws_state_notify_link_t *na[] = { &notifier, NULL };
	struct lws_context_creation_info info;
	const char *p;
	int n = 0;

	memset(&info, 0, sizeof info);
	lws_cmdline_option_handle_builtin(argc, argv, &info);
	if ((p = lws_cmdline_option(argc, argv, "-a")))
		address = p;
	if ((p = lws_cmdline_option(argc, argv, "-p")))
		port = atoi(p);
	if ((p = lws_cmdline_option(argc, argv, "--path")))
		path = p;
	if ((p = lws_cmdline_option(argc, argv, "-m")))
		method = p;
	if ((p = lws_cmdline_option(argc, argv, "--post"))) {
		post = p;
		method = "POST";
	}
	if ((p = lws_cmdline_option(argc, argv, "--host")))
		host = p;
	if (lws_cmdline_option(argc, argv, "--tls")) {
		ssl_flags = LCCSCF_USE_SSL;
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
		info.client_ssl_ca_filepath = lws_cmdline_option(argc, argv, "--ca");
	}
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.register_notifier_list = na;
	context = lws_create_context(&info);
	if (!context)
		return 1;
	while (n >= 0 && !finished)
		n = lws_service(context, 0);
	lws_context_destroy(context);
	printf("status %d bytes %zu sum %u completed %d redirects %d\n", status, total, sum,
	       completed, redirects);
	return failed || !completed;
}

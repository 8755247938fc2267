/*
 * The pattern libwebsockets issue #3306 is about: a client connection made
 * straight from LWS_CALLBACK_PROTOCOL_INIT. With libwebsockets the connect
 * starts at once, before the system state is OPERATIONAL (lws 4.3.3 connects
 * while the state is still INITIALIZED; lws main failed with "No vhost in the
 * context" / "SSL_new failed"). With lws-rs the request is queued: the call
 * returns the wsi at once, and the connection starts when the context reaches
 * OPERATIONAL. The notifier pattern (connect when the state arrives at
 * OPERATIONAL) works unchanged as well; see the README.
 *
 *   connect-from-init [-a address] [-p port] [-d loglevel]
 *
 * Run it against examples/echo-server (port 7681 by default).
 */
#include <libwebsockets.h>
#include <stdlib.h>
#include <string.h>

static const char *address = "127.0.0.1";
static int port = 7681, finished, failed;

static int
system_state(struct lws *wsi)
{
	return lws_system_get_state_manager(lws_get_context(wsi))->state;
}

static int
callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	struct lws_client_connect_info i;
	unsigned char msg[LWS_PRE + 5];

	(void)user; (void)len;
	switch (reason) {
	case LWS_CALLBACK_PROTOCOL_INIT:
		memset(&i, 0, sizeof i);
		i.context = lws_get_context(wsi);
		i.address = address;
		i.port = port;
		i.host = address;
		i.path = "/";
		i.protocol = "lws-echo";
		lwsl_user("PROTOCOL_INIT: connecting now (system state %d)\n", system_state(wsi));
		if (!lws_client_connect_via_info(&i)) {
			failed = finished = 1;
			return -1;
		}
		break;

	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		lwsl_user("established (system state %d: OPERATIONAL is %d)\n",
			  system_state(wsi), LWS_SYSTATE_OPERATIONAL);
		lws_callback_on_writable(wsi);
		break;

	case LWS_CALLBACK_CLIENT_WRITEABLE:
		memcpy(msg + LWS_PRE, "hello", 5);
		if (lws_write(wsi, msg + LWS_PRE, 5, LWS_WRITE_TEXT) < 5)
			return -1;
		break;

	case LWS_CALLBACK_CLIENT_RECEIVE:
		lwsl_user("echoed: %.*s\n", (int)len, (const char *)in);
		finished = 1;
		lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, NULL, 0);
		return -1;

	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		lwsl_err("connection error: %s\n", in ? (const char *)in : "(null)");
		failed = finished = 1;
		break;

	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "lws-echo", callback, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

int main(int argc, const char **argv)
{
	struct lws_context_creation_info info;
	struct lws_context *context;
	const char *p;
	int n = 0;

	memset(&info, 0, sizeof info);
	lws_cmdline_option_handle_builtin(argc, argv, &info);
	if ((p = lws_cmdline_option(argc, argv, "-a")))
		address = p;
	if ((p = lws_cmdline_option(argc, argv, "-p")))
		port = atoi(p);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	context = lws_create_context(&info);
	if (!context)
		return 1;
	while (n >= 0 && !finished)
		n = lws_service(context, 0);
	lws_context_destroy(context);
	return failed;
}

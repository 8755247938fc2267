/*
 * A WebSocket echo client written against the libwebsockets 4.3 API. It
 * connects (from the OPERATIONAL pattern's cousin: a sul scheduled after
 * context creation), sends `-n` messages of `-s` bytes with a known pattern,
 * checks every echoed byte, and exits 0 only if all came back intact.
 *
 *   echo-client [-a address] [-p port] [-n count] [-s size] [-d loglevel]
 *               [--tls [--ca ca.pem] [--allow-selfsigned] [--skip-hostname-check]
 *                      [--allow-expired]]
 *               [--host name]
 */
#include <libwebsockets.h>
#include <stdlib.h>
#include <string.h>

static struct lws_context *context;
static lws_sorted_usec_list_t sul_connect;
static const char *address = "127.0.0.1", *host;
static int ssl_flags;
static int port = 7681, count = 10, size = 64, sent, received, failed, finished;
static size_t got_in_msg;
static unsigned char *txbuf;

static unsigned char
pattern(int msg, size_t i)
{
	return (unsigned char)(msg * 7 + i * 13);
}

static int
callback_client(struct lws *wsi, enum lws_callback_reasons reason, void *user,
		void *in, size_t len)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t i;
	int n;

	(void)user;
	switch (reason) {
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		lwsl_err("connection error: %s\n", in ? (const char *)in : "(null)");
		failed = 1;
		finished = 1;
		break;

	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		lwsl_user("established\n");
		lws_callback_on_writable(wsi);
		break;

	case LWS_CALLBACK_CLIENT_WRITEABLE:
		if (sent >= count)
			break;
		for (i = 0; i < (size_t)size; i++)
			txbuf[LWS_PRE + i] = pattern(sent, i);
		n = lws_write(wsi, txbuf + LWS_PRE, (size_t)size, LWS_WRITE_BINARY);
		if (n < size)
			return -1;
		sent++;
		if (sent < count)
			lws_callback_on_writable(wsi);
		break;

	case LWS_CALLBACK_CLIENT_RECEIVE:
		for (i = 0; i < len; i++)
			if (p[i] != pattern(received, got_in_msg + i)) {
				lwsl_err("message %d byte %zu differs\n", received, got_in_msg + i);
				failed = 1;
				return -1;
			}
		got_in_msg += len;
		if (lws_is_final_fragment(wsi)) {
			if (got_in_msg != (size_t)size) {
				lwsl_err("message %d has %zu bytes\n", received, got_in_msg);
				failed = 1;
				return -1;
			}
			got_in_msg = 0;
			if (++received == count) {
				lwsl_user("%d messages of %d bytes echoed intact\n", count, size);
				lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, (unsigned char *)"done", 4);
				return -1;
			}
		}
		break;

	case LWS_CALLBACK_CLIENT_CLOSED:
		finished = 1;
		break;

	default:
		break;
	}

	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "lws-echo", callback_client, 0, 4096, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

/* --pmd: permessage-deflate (RFC 7692), as the lws minimal examples enable it. */
static const struct lws_extension extensions[] = {
	{ "permessage-deflate", lws_extension_callback_pm_deflate,
	  "permessage-deflate; client_no_context_takeover; client_max_window_bits" },
	{ NULL, NULL, NULL }
};

static void
connect_cb(lws_sorted_usec_list_t *sul)
{
	struct lws_client_connect_info i;

	(void)sul;
	memset(&i, 0, sizeof i);
	i.context = context;
	i.address = address;
	i.port = port;
	i.path = "/";
	i.host = host ? host : address;
	i.origin = address;
	i.ssl_connection = ssl_flags;
	i.protocol = protocols[0].name;
	if (!lws_client_connect_via_info(&i)) {
		failed = 1;
		finished = 1;
	}
}

int main(int argc, const char **argv)
{
	struct lws_context_creation_info info;
	const char *p;
	int n = 0;

	memset(&info, 0, sizeof info);
	lws_cmdline_option_handle_builtin(argc, argv, &info);
	if ((p = lws_cmdline_option(argc, argv, "-a")))
		address = p;
	if ((p = lws_cmdline_option(argc, argv, "-p")))
		port = atoi(p);
	if ((p = lws_cmdline_option(argc, argv, "-n")))
		count = atoi(p);
	if ((p = lws_cmdline_option(argc, argv, "-s")))
		size = atoi(p);

	txbuf = malloc(LWS_PRE + (size_t)size);
	if (!txbuf)
		return 1;
	if ((p = lws_cmdline_option(argc, argv, "--host")))
		host = p;
	if (lws_cmdline_option(argc, argv, "--tls")) {
		ssl_flags = LCCSCF_USE_SSL;
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
		info.client_ssl_ca_filepath = lws_cmdline_option(argc, argv, "--ca");
		if (lws_cmdline_option(argc, argv, "--allow-selfsigned"))
			ssl_flags |= LCCSCF_ALLOW_SELFSIGNED;
		if (lws_cmdline_option(argc, argv, "--skip-hostname-check"))
			ssl_flags |= LCCSCF_SKIP_SERVER_CERT_HOSTNAME_CHECK;
		if (lws_cmdline_option(argc, argv, "--allow-expired"))
			ssl_flags |= LCCSCF_ALLOW_EXPIRED;
	}
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	if (lws_cmdline_option(argc, argv, "--pmd"))
		info.extensions = extensions;
	context = lws_create_context(&info);
	if (!context) {
		lwsl_err("lws init failed\n");
		return 1;
	}
	lws_sul_schedule(context, 0, &sul_connect, connect_cb, 1);

	while (n >= 0 && !finished)
		n = lws_service(context, 0);

	lws_context_destroy(context);
	free(txbuf);
	if (!failed && received == count)
		lwsl_user("PASS\n");
	return failed || received != count;
}

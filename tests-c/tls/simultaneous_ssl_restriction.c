/*
 * info.simultaneous_ssl_restriction, as lws counts it per context:
 * - client: with a limit of 1, a second TLS connection made while the first
 *   is open fails with CLIENT_CONNECTION_ERROR "tls restriction limit"; once
 *   the first has closed, a new one succeeds (the loan went back);
 * - server: with a limit of 1 the TLS listener stops accepting while one TLS
 *   connection is open: a second client is not established until the first
 *   closes, then it is (nothing lost, no error).
 * ctest-timeout: 60
 */
#include <libwebsockets.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../harness/harness.h"

static int established, errors, closed;
static char last_error[128];
static struct lws *to_close;

static const char *path(const char *name)
{
	return h_scratch_path("tls-limit", name);
}

static int
client_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	(void)user; (void)len;
	switch (reason) {
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		established++;
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		errors++;
		lws_strncpy(last_error, in ? (const char *)in : "", sizeof last_error);
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
		closed++;
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		if (wsi == to_close)
			return -1;
		break;
	default:
		break;
	}
	return 0;
}

static int
server_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols client_protocols[] = {
	{ "t", client_cb, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static const struct lws_protocols server_protocols[] = {
	{ "http", server_cb, 0, 0, 0, NULL, 0 },
	{ "t", server_cb, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static struct lws_context *srv, *cli;
static int port;

static struct lws *
open_ws(void)
{
	struct lws_client_connect_info i;
	struct lws *w;

	memset(&i, 0, sizeof i);
	i.context = cli;
	i.address = "127.0.0.1";
	i.host = "localhost";
	i.port = port;
	i.path = "/";
	i.protocol = "t";
	i.ssl_connection = LCCSCF_USE_SSL | LCCSCF_ALLOW_SELFSIGNED;
	w = lws_client_connect_via_info(&i);
	H_ASSERT(w != NULL);
	return w;
}

static void
service(int passes)
{
	int n;

	/* -1: a pass that does not wait (lws waits for its next timer otherwise) */
	for (n = 0; n < passes; n++) {
		lws_service(cli, -1);
		lws_service(srv, -1);
		usleep(2000);
	}
}

static void
service_until(int *counter, int want)
{
	int n;

	for (n = 0; n < 2500 && *counter < want; n++)
		service(1);
	H_ASSERT_EQ_INT(*counter, want);
}

static void
contexts(int client_limit, int server_limit)
{
	struct lws_context_creation_info info;

	memset(&info, 0, sizeof info);
	info.port = 0;
	info.iface = "127.0.0.1";
	info.protocols = server_protocols;
	info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.ssl_cert_filepath = path("c.pem");
	info.ssl_private_key_filepath = path("k.pem");
	info.simultaneous_ssl_restriction = server_limit;
	srv = lws_create_context(&info);
	H_ASSERT(srv != NULL);
	port = lws_get_vhost_listen_port(lws_get_vhost_by_name(srv, "default"));

	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = client_protocols;
	info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.simultaneous_ssl_restriction = client_limit;
	cli = lws_create_context(&info);
	H_ASSERT(cli != NULL);
	established = errors = closed = 0;
}

int main(void)
{
	struct lws *first;

	h_watchdog(50);
	lws_set_log_level(LLL_ERR, NULL);
	H_ASSERT_EQ_INT(h_scratch_cert("tls-limit", "k.pem", "c.pem"), 0);

	/* client limit */
	contexts(1, 0);
	first = open_ws();
	service_until(&established, 1);
	open_ws();
	service_until(&errors, 1);
	H_ASSERT_STREQ(last_error, "tls restriction limit");
	to_close = first;
	lws_callback_on_writable(first);
	service_until(&closed, 1);
	open_ws();
	service_until(&established, 2);
	H_ASSERT_EQ_INT(errors, 1);
	lws_context_destroy(cli);
	lws_context_destroy(srv);

	/* server limit */
	contexts(0, 1);
	first = open_ws();
	service_until(&established, 1);
	open_ws();
	service(200);
	H_ASSERT_EQ_INT(established, 1); /* waits in the backlog */
	H_ASSERT_EQ_INT(errors, 0);
	to_close = first;
	lws_callback_on_writable(first);
	service_until(&closed, 1);
	service_until(&established, 2);
	H_ASSERT_EQ_INT(errors, 0);
	lws_context_destroy(cli);
	lws_context_destroy(srv);

	H_ASSERT_EQ_INT(h_scratch_remove(), 0);
	return h_pass();
}

/*
 * The reason lws-rs exists (libwebsockets issue #3306), over TLS.
 * B2.T6: a wss connect from PROTOCOL_INIT, with no explicit vhost and the CA
 * from the creation info, returns a wsi at once and reaches
 * CLIENT_ESTABLISHED after the OPERATIONAL arrival: never "SSL_new failed",
 * "bio_create failed" or "No vhost in the context".
 * B3.T6 / issue #7: an unreadable CA file does not fail context creation; the
 * queued request then fails with one CLIENT_CONNECTION_ERROR naming the cause.
 * A missing client certificate file does fail it.
 * B3.T5: a TLS connect on a vhost without DO_SSL_GLOBAL_INIT never
 * establishes; its error says why.
 * Certificates are made at test time by tests/tls/make-certs.sh.
 * ctest-timeout: 90
 * TLS paths are checked under ASan, not valgrind: ring's constant-time AES
 * code trips valgrind's uninitialised-value tracking (ecosystem.md §7).
 * ctest-labels: novalgrind
 */
#include <libwebsockets.h>

#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "../harness/harness.h"

static struct lws_context *cx;
static int port, state_max, established_after_operational = -1, established, errors;
static char error_text[256], certs[256];

static int
cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	struct lws_client_connect_info ci;

	(void)user; (void)len;
	switch (reason) {
	case LWS_CALLBACK_PROTOCOL_INIT:
		memset(&ci, 0, sizeof ci);
		ci.context = lws_get_context(wsi);
		ci.address = "127.0.0.1";
		ci.port = port;
		ci.host = "localhost";
		ci.protocol = "t";
		ci.ssl_connection = LCCSCF_USE_SSL;
		H_ASSERT(lws_client_connect_via_info(&ci) != NULL);
		break;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		established++;
		established_after_operational = state_max == LWS_SYSTATE_OPERATIONAL;
		return -1;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		/* our CLIENT_ESTABLISHED returned -1: lws reports that as this error */
		if (in && !strcmp((const char *)in, "HS: Rejected at CLIENT_ESTABLISHED"))
			break;
		errors++;
		lws_strncpy(error_text, in ? (const char *)in : "", sizeof error_text);
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "t", cb, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static int
server_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	(void)wsi; (void)reason; (void)user; (void)in; (void)len;
	return 0;
}

static const struct lws_protocols server_protocols[] = {
	{ "t", server_cb, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static int
notifier(lws_state_manager_t *mgr, lws_state_notify_link_t *l, int current, int target)
{
	(void)mgr; (void)l;
	if (current == target && current <= LWS_SYSTATE_OPERATIONAL && current > state_max)
		state_max = current;
	return 0;
}

static lws_state_notify_link_t link_ = { { 0 }, notifier, "test" };
static lws_state_notify_link_t *links[] = { &link_, NULL };

static char *
cert(const char *name)
{
	static char paths[8][300];
	static int n;
	char *p = paths[n++ % 8];

	snprintf(p, 300, "%s/%s", certs, name);
	return p;
}

static void
run_client(struct lws_context *srv, unsigned long long options, const char *ca)
{
	struct lws_context_creation_info info;
	int i;

	state_max = 0;
	established = errors = 0;
	established_after_operational = -1;
	error_text[0] = '\0';
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.options = options;
	info.client_ssl_ca_filepath = ca;
	info.register_notifier_list = links;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	for (i = 0; i < 2000 && !established && !errors; i++) {
		lws_service(cx, -1);
		lws_service(srv, -1);
		usleep(1000);
	}
	lws_context_destroy(cx);
}

int main(void)
{
	struct lws_context_creation_info info;
	struct lws_context *srv;
	char cmd[600], dir[256];

	h_watchdog(80);
	lws_set_log_level(LLL_ERR, NULL);

	/* certificates, made now */
	lws_strncpy(dir, __FILE__, sizeof dir);
	*strrchr(dir, '/') = '\0';
	snprintf(certs, sizeof certs, "/tmp/lws-rs-wss-test-%d", (int)getpid());
	snprintf(cmd, sizeof cmd, "%s/../../tests/tls/make-certs.sh %s >/dev/null", dir, certs);
	H_ASSERT_EQ_INT(system(cmd), 0);

	memset(&info, 0, sizeof info);
	info.port = 0;
	info.iface = "127.0.0.1";
	info.protocols = server_protocols;
	info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.ssl_cert_filepath = cert("server.pem");
	info.ssl_private_key_filepath = cert("server.key");
	srv = lws_create_context(&info);
	H_ASSERT(srv != NULL);
	port = lws_get_vhost_listen_port(lws_get_vhost_by_name(srv, "default"));

	/* B2.T6 */
	run_client(srv, LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT, cert("ca.pem"));
	H_ASSERT_STREQ(error_text, "");
	H_ASSERT_EQ_INT(established, 1);
	H_ASSERT_EQ_INT(established_after_operational, 1);

	/* an unreadable CA: the context is made; the request fails naming why */
	run_client(srv, LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT | LWS_SERVER_OPTION_DISABLE_OS_CA_CERTS,
		   "/nonexistent/ca.pem");
	H_ASSERT_EQ_INT(established, 0);
	H_ASSERT_EQ_INT(errors, 1);
	H_ASSERT_CONTAINS(error_text, "tls: ");
	H_ASSERT_CONTAINS(error_text, "/nonexistent/ca.pem");

	/* B3.T5: no client TLS context on the vhost */
	run_client(srv, 0, cert("ca.pem"));
	H_ASSERT_EQ_INT(established, 0);
	H_ASSERT_EQ_INT(errors, 1);
	H_ASSERT_CONTAINS(error_text, "no client TLS context");

	/* B3.T6: a missing client certificate fails context creation */
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.client_ssl_cert_filepath = "/nonexistent/client.pem";
	info.client_ssl_private_key_filepath = "/nonexistent/client.key";
	H_ASSERT(lws_create_context(&info) == NULL);

	lws_context_destroy(srv);
	snprintf(cmd, sizeof cmd, "rm -rf %s", certs);
	if (system(cmd))
		return 1;
	return h_pass();
}

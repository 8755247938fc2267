/*
 * The vhost TLS contexts changed after creation:
 * - lws_init_vhost_client_ssl gives a vhost made without
 *   DO_SSL_GLOBAL_INIT a client TLS context from a creation info (and keeps
 *   one it already has: a second call with a CA changes nothing);
 * - lws_tls_client_vhost_extra_cert_mem adds a DER CA to its trust store:
 *   a server it did not accept is accepted by later connections;
 * - lws_tls_cert_updated makes the vhost whose certificate was given with
 *   these paths load them again (after moving <path>.upd files in) and serve
 *   the new certificate to new connections; with the files gone (and no
 *   IGNORE_MISSING_CERT) it keeps the one it has.
 * Bad or NULL arguments: lws's error value and one log line.
 */
#include <libwebsockets.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../harness/harness.h"

static char dir[256];
static long long peer_to;
static int done, established, conn_errors, err_lines;

static void emit(int level, const char *line)
{
	(void)line;
	if (level == LLL_ERR)
		err_lines++;
}

static const char *path(const char *name)
{
	static char p[8][300];
	static int n;
	char *r = p[n++ % 8];

	snprintf(r, 300, "%s/%s", dir, name);
	return r;
}

static char *slurp(const char *name, size_t *len)
{
	FILE *f = fopen(path(name), "rb");
	char *buf;

	H_ASSERT(f != NULL);
	buf = malloc(8192);
	H_ASSERT(buf != NULL);
	*len = fread(buf, 1, 8192, f);
	fclose(f);
	return buf;
}

static int cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
	      size_t len)
{
	union lws_tls_cert_info_results r;

	(void)user; (void)in; (void)len;
	switch (reason) {
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		established++;
		if (!lws_tls_peer_cert_info(wsi, LWS_TLS_CERT_INFO_VALIDITY_TO, &r, 0))
			peer_to = (long long)r.time;
		done = 1;
		return -1;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		conn_errors++;
		done = 1;
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
		done = 1;
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

static void attempt(struct lws_context *cx, struct lws_context *srv, int port)
{
	struct lws_client_connect_info ci;
	int i;

	memset(&ci, 0, sizeof ci);
	ci.context = cx;
	ci.address = "127.0.0.1";
	ci.port = port;
	ci.host = "localhost";
	ci.protocol = "t";
	ci.ssl_connection = LCCSCF_USE_SSL;
	done = 0;
	if (!lws_client_connect_via_info(&ci))
		return;
	for (i = 0; i < 3000 && !done; i++) {
		lws_service(cx, -1);
		lws_service(srv, -1);
		usleep(500);
	}
	/* let both sides finish closing */
	for (i = 0; i < 20; i++) {
		lws_service(cx, -1);
		lws_service(srv, -1);
		usleep(500);
	}
}

int main(void)
{
	struct lws_context_creation_info info, cinfo;
	struct lws_context *srv, *cx;
	struct lws_vhost *vh, *cvh;
	char cmd[2048], *der, *cert2, *key2;
	size_t der_len, cert2_len, key2_len;
	long long first_to;
	int port, before;

	h_watchdog(90);
	lws_set_log_level(LLL_ERR, emit);
	snprintf(dir, sizeof dir, "/tmp/lws-rs-tls-update-test-%d", (int)getpid());
	snprintf(cmd, sizeof cmd,
		 "mkdir -p %s && cd %s && "
		 "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key "
		 "-out ca.pem -days 30 -subj '/O=lws-rs/CN=update CA' >/dev/null 2>&1 && "
		 "openssl x509 -in ca.pem -outform der -out ca.der && "
		 "printf 'subjectAltName=DNS:localhost\\nbasicConstraints=CA:FALSE\\n' > srv.ext && "
		 "for n in 1 2 3; do "
		 "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout srv$n.key "
		 "-out srv$n.csr -subj '/O=lws-rs/CN=localhost' >/dev/null 2>&1 && "
		 "openssl x509 -req -in srv$n.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out srv$n.pem "
		 "-days $((n * 5)) -extfile srv.ext >/dev/null 2>&1 || exit 1; done", dir, dir);
	H_ASSERT_EQ_INT(system(cmd), 0);

	memset(&info, 0, sizeof info);
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS | LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.protocols = protocols;
	info.timeout_secs = 2;
	srv = lws_create_context(&info);
	H_ASSERT(srv != NULL);
	info.iface = "127.0.0.1";
	info.port = 0;
	info.vhost_name = "localhost";
	info.ssl_cert_filepath = path("srv1.pem");
	info.ssl_private_key_filepath = path("srv1.key");
	vh = lws_create_vhost(srv, &info);
	H_ASSERT(vh != NULL);
	port = lws_get_vhost_listen_port(vh);

	/* a client context without TLS */
	memset(&cinfo, 0, sizeof cinfo);
	cinfo.port = CONTEXT_PORT_NO_LISTEN;
	cinfo.protocols = protocols;
	cinfo.timeout_secs = 2;
	cx = lws_create_context(&cinfo);
	H_ASSERT(cx != NULL);
	cvh = lws_get_vhost_by_name(cx, "default");
	H_ASSERT(cvh != NULL);

	/* no DO_SSL_GLOBAL_INIT in the info: nothing is made */
	H_ASSERT_EQ_INT(lws_init_vhost_client_ssl(&cinfo, cvh), 0);
	/* a client TLS context trusting nothing */
	cinfo.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT | LWS_SERVER_OPTION_DISABLE_OS_CA_CERTS;
	H_ASSERT_EQ_INT(lws_init_vhost_client_ssl(&cinfo, cvh), 0);
	attempt(cx, srv, port);
	H_ASSERT_EQ_INT(established, 0);
	H_ASSERT(conn_errors >= 1);
	/* it already has one: a second call with the CA changes nothing */
	cinfo.client_ssl_ca_filepath = path("ca.pem");
	H_ASSERT_EQ_INT(lws_init_vhost_client_ssl(&cinfo, cvh), 0);
	attempt(cx, srv, port);
	H_ASSERT_EQ_INT(established, 0);

	/* the CA as DER, added to its trust store */
	der = slurp("ca.der", &der_len);
	H_ASSERT_EQ_INT(lws_tls_client_vhost_extra_cert_mem(cvh, (const uint8_t *)der, der_len), 0);
	attempt(cx, srv, port);
	H_ASSERT_EQ_INT(established, 1);
	first_to = peer_to;
	H_ASSERT(first_to > 0);

	/* the server's certificate renewed at its paths: new connections get it */
	snprintf(cmd, sizeof cmd, "cd %s && cp srv2.pem srv1.pem && cp srv2.key srv1.key", dir);
	H_ASSERT_EQ_INT(system(cmd), 0);
	H_ASSERT_EQ_INT(lws_tls_cert_updated(srv, path("srv1.pem"), path("srv1.key"), NULL, 0,
					     NULL, 0), 0);
	attempt(cx, srv, port);
	H_ASSERT_EQ_INT(established, 2);
	H_ASSERT(peer_to > first_to + 4 * 86400);
	/* <path>.upd files replace the paths first (the old ones kept) */
	snprintf(cmd, sizeof cmd, "cd %s && cp srv3.pem srv1.pem.upd && cp srv3.key srv1.key.upd",
		 dir);
	H_ASSERT_EQ_INT(system(cmd), 0);
	first_to = peer_to;
	H_ASSERT_EQ_INT(lws_tls_cert_updated(srv, path("srv1.pem"), path("srv1.key"), NULL, 0,
					     NULL, 0), 0);
	H_ASSERT(access(path("srv1.pem.old.0"), R_OK) == 0);
	H_ASSERT(access(path("srv1.pem.upd"), R_OK) != 0);
	attempt(cx, srv, port);
	H_ASSERT_EQ_INT(established, 3);
	H_ASSERT(peer_to > first_to + 4 * 86400);
	/* missing files (no IGNORE_MISSING_CERT): the vhost keeps its certificate */
	snprintf(cmd, sizeof cmd, "cd %s && rm srv1.pem srv1.key", dir);
	H_ASSERT_EQ_INT(system(cmd), 0);
	cert2 = slurp("srv2.pem", &cert2_len);
	key2 = slurp("srv2.key", &key2_len);
	first_to = peer_to;
	H_ASSERT_EQ_INT(lws_tls_cert_updated(srv, path("srv1.pem"), path("srv1.key"), cert2,
					     cert2_len, key2, key2_len), 0);
	attempt(cx, srv, port);
	H_ASSERT_EQ_INT(established, 4);
	H_ASSERT(peer_to == first_to);
	/* other paths: no vhost matches, nothing changes */
	H_ASSERT_EQ_INT(lws_tls_cert_updated(srv, path("x.pem"), path("x.key"), NULL, 0, NULL, 0), 0);

	/* bad and NULL arguments: the error value and one log line each */
	before = err_lines;
	H_ASSERT_EQ_INT(lws_tls_client_vhost_extra_cert_mem(cvh, (const uint8_t *)"junk", 4), 1);
	H_ASSERT_EQ_INT(err_lines, before + 1);
	before = err_lines;
	H_ASSERT_EQ_INT(lws_tls_client_vhost_extra_cert_mem(NULL, (const uint8_t *)der, der_len), 1);
	H_ASSERT_EQ_INT(lws_tls_client_vhost_extra_cert_mem(cvh, NULL, 0), 1);
	H_ASSERT_EQ_INT(lws_init_vhost_client_ssl(NULL, cvh), 1);
	H_ASSERT_EQ_INT(lws_init_vhost_client_ssl(&cinfo, NULL), 1);
	H_ASSERT_EQ_INT(lws_tls_cert_updated(NULL, "a", "b", NULL, 0, NULL, 0), -1);
	H_ASSERT_EQ_INT(lws_tls_cert_updated(srv, NULL, NULL, NULL, 0, NULL, 0), -1);
	H_ASSERT_EQ_INT(err_lines, before + 6);

	free(der);
	free(cert2);
	free(key2);
	lws_context_destroy(cx);
	lws_context_destroy(srv);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	H_ASSERT_EQ_INT(system(cmd), 0);
	return h_pass();
}

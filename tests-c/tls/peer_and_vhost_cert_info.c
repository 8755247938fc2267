/*
 * lws_tls_peer_cert_info from the client side of a wss connection to a server
 * with a certificate made at test time (exact CN, issuer, validity against the
 * openssl CLI), lws_tls_vhost_cert_info on the server's vhost, lws_is_ssl on
 * the TLS connection, and -1 for a vhost without TLS and for NULL arguments.
 */
#include <libwebsockets.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../harness/harness.h"

static char dir[256], peer_cn[80], peer_issuer[80];
static long long peer_from, peer_to;
static int done, is_ssl = -1, rc_cn = -9, rc_missing = -9;

static const char *path(const char *name)
{
	static char p[8][300];
	static int n;
	char *r = p[n++ % 8];

	snprintf(r, 300, "%s/%s", dir, name);
	return r;
}

static long long cli_time(const char *pem, const char *which)
{
	char cmd[600], out[64];
	FILE *p;

	snprintf(cmd, sizeof cmd,
		 "date -u -d \"$(openssl x509 -noout -%s -in %s | cut -d= -f2)\" +%%s",
		 which, path(pem));
	p = popen(cmd, "r");
	H_ASSERT(p != NULL);
	H_ASSERT(fgets(out, sizeof out, p) != NULL);
	pclose(p);
	return atoll(out);
}

static int
cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	union lws_tls_cert_info_results r;

	(void)user; (void)in; (void)len;
	switch (reason) {
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		is_ssl = lws_is_ssl(wsi);
		rc_cn = lws_tls_peer_cert_info(wsi, LWS_TLS_CERT_INFO_COMMON_NAME, &r, sizeof(r.ns.name));
		lws_strncpy(peer_cn, r.ns.name, sizeof peer_cn);
		if (!lws_tls_peer_cert_info(wsi, LWS_TLS_CERT_INFO_ISSUER_NAME, &r, sizeof(r.ns.name)))
			lws_strncpy(peer_issuer, r.ns.name, sizeof peer_issuer);
		if (!lws_tls_peer_cert_info(wsi, LWS_TLS_CERT_INFO_VALIDITY_FROM, &r, 0))
			peer_from = (long long)r.time;
		if (!lws_tls_peer_cert_info(wsi, LWS_TLS_CERT_INFO_VALIDITY_TO, &r, 0))
			peer_to = (long long)r.time;
		/* no subject key id extension in this leaf: 1, as lws */
		rc_missing = lws_tls_peer_cert_info(wsi, LWS_TLS_CERT_INFO_SUBJECT_KEY_ID, &r, 0);
		done = 1;
		return -1;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
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

int main(void)
{
	struct lws_context_creation_info info, cinfo;
	struct lws_client_connect_info ci;
	union lws_tls_cert_info_results r;
	struct lws_context *srv, *cx;
	struct lws_vhost *vh, *plain;
	char cmd[2048];
	int port, i;

	h_watchdog(60);
	lws_set_log_level(LLL_ERR, NULL);
	snprintf(dir, sizeof dir, "/tmp/lws-rs-certinfo-test-%d", (int)getpid());
	snprintf(cmd, sizeof cmd,
		 "mkdir -p %s && cd %s && "
		 "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key "
		 "-out ca.pem -days 5 -subj '/C=GB/O=lws-rs/CN=certinfo CA' >/dev/null 2>&1 && "
		 "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout srv.key "
		 "-out srv.csr -subj '/O=lws-rs/CN=localhost' >/dev/null 2>&1 && "
		 "printf 'subjectAltName=DNS:localhost\\nbasicConstraints=CA:FALSE\\nsubjectKeyIdentifier=none\\nauthorityKeyIdentifier=none\\n' > srv.ext && "
		 "openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem "
		 "-days 3 -extfile srv.ext >/dev/null 2>&1", dir, dir);
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
	info.ssl_cert_filepath = path("srv.pem");
	info.ssl_private_key_filepath = path("srv.key");
	vh = lws_create_vhost(srv, &info);
	H_ASSERT(vh != NULL);
	port = lws_get_vhost_listen_port(vh);
	info.vhost_name = "plain";
	info.ssl_cert_filepath = info.ssl_private_key_filepath = NULL;
	plain = lws_create_vhost(srv, &info);
	H_ASSERT(plain != NULL);

	H_ASSERT_EQ_INT(lws_tls_vhost_cert_info(vh, LWS_TLS_CERT_INFO_COMMON_NAME, &r, sizeof(r.ns.name)), 0);
	H_ASSERT_STREQ(r.ns.name, "localhost");
	H_ASSERT_EQ_INT(lws_tls_vhost_cert_info(vh, LWS_TLS_CERT_INFO_ISSUER_NAME, &r, sizeof(r.ns.name)), 0);
	H_ASSERT_STREQ(r.ns.name, "/C=GB/O=lws-rs/CN=certinfo CA");
	H_ASSERT_EQ_INT(lws_tls_vhost_cert_info(plain, LWS_TLS_CERT_INFO_COMMON_NAME, &r, 0), -1);
	H_ASSERT_EQ_INT(lws_tls_vhost_cert_info(NULL, LWS_TLS_CERT_INFO_COMMON_NAME, &r, 0), -1);
	H_ASSERT_EQ_INT(lws_tls_peer_cert_info(NULL, LWS_TLS_CERT_INFO_COMMON_NAME, &r, 0), -1);

	memset(&cinfo, 0, sizeof cinfo);
	cinfo.port = CONTEXT_PORT_NO_LISTEN;
	cinfo.protocols = protocols;
	cinfo.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT | LWS_SERVER_OPTION_DISABLE_OS_CA_CERTS;
	cinfo.client_ssl_ca_filepath = path("ca.pem");
	cx = lws_create_context(&cinfo);
	H_ASSERT(cx != NULL);
	memset(&ci, 0, sizeof ci);
	ci.context = cx;
	ci.address = "127.0.0.1";
	ci.port = port;
	ci.host = "localhost";
	ci.protocol = "t";
	ci.ssl_connection = LCCSCF_USE_SSL;
	H_ASSERT(lws_client_connect_via_info(&ci) != NULL);
	for (i = 0; i < 3000 && !done; i++) {
		lws_service(cx, -1);
		lws_service(srv, -1);
		usleep(500);
	}
	H_ASSERT_EQ_INT(is_ssl, 1);
	H_ASSERT_EQ_INT(rc_cn, 0);
	H_ASSERT_STREQ(peer_cn, "localhost");
	H_ASSERT_STREQ(peer_issuer, "/C=GB/O=lws-rs/CN=certinfo CA");
	H_ASSERT(peer_from == cli_time("srv.pem", "startdate"));
	H_ASSERT(peer_to == cli_time("srv.pem", "enddate"));
	H_ASSERT_EQ_INT(rc_missing, 1);

	lws_context_destroy(cx);
	lws_context_destroy(srv);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	H_ASSERT_EQ_INT(system(cmd), 0);
	printf("ok\n");
	return 0;
}

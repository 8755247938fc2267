/*
 * Server TLS per vhost (spec B3.3, issue #4):
 * - two TLS vhosts on one port: the certificate and the vhost are chosen by
 *   SNI / Host ("a.test" and "b.test", each with its own certificate; a
 *   client trusting only one CA reaches only that vhost);
 * - a vhost requiring client certificates (REQUIRE_VALID_OPENSSL_CLIENT_CERT
 *   with ssl_ca_filepath) accepts a client with a certificate from that CA and
 *   refuses one without;
 * - the CA can also be given in memory (client_ssl_ca_mem);
 * - a client that connects and never starts the handshake is dropped after
 *   timeout_secs, while others keep working.
 * Certificates are made at test time with the openssl command.
 * ctest-timeout: 90
 * TLS paths are checked under ASan, not valgrind: ring's constant-time AES
 * code trips valgrind's uninitialised-value tracking (ecosystem.md §7).
 * ctest-labels: novalgrind
 */
#include <libwebsockets.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>
#include "../harness/harness.h"

static char dir[256];
static char routed[64], error_text[256];
static int established, errors, done;

static const char *
path(const char *name)
{
	static char p[8][300];
	static int n;
	char *r = p[n++ % 8];

	snprintf(r, 300, "%s/%s", dir, name);
	return r;
}

static void
sh(const char *fmt, const char *a, const char *b)
{
	char cmd[1024];

	snprintf(cmd, sizeof cmd, fmt, a, b);
	H_ASSERT_EQ_INT(system(cmd), 0);
}

/* A CA named `ca` and a leaf `leaf` signed by it for DNS name `cn`. */
static void
make_ca_and_leaf(const char *ca, const char *leaf, const char *cn, const char *usage)
{
	char cmd[2048];

	snprintf(cmd, sizeof cmd,
		 "cd %s && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
		 "-keyout %s.key -out %s.pem -days 5 -subj '/CN=%s CA' >/dev/null 2>&1 && "
		 "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout %s.key "
		 "-out %s.csr -subj '/CN=%s' >/dev/null 2>&1 && "
		 "printf 'subjectAltName=DNS:%s\\nbasicConstraints=CA:FALSE\\n%s\\n' > %s.ext && "
		 "openssl x509 -req -in %s.csr -CA %s.pem -CAkey %s.key -CAcreateserial -out %s.pem "
		 "-days 5 -extfile %s.ext >/dev/null 2>&1",
		 dir, ca, ca, cn, leaf, leaf, cn, cn, usage, leaf, leaf, ca, ca, leaf, leaf);
	H_ASSERT_EQ_INT(system(cmd), 0);
}

static int
cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	(void)user; (void)len;
	switch (reason) {
	case LWS_CALLBACK_ESTABLISHED:
		lws_strncpy(routed, lws_get_vhost_name(lws_get_vhost(wsi)), sizeof routed);
		break;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		established++;
		return -1;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		errors++;
		lws_strncpy(error_text, in ? (const char *)in : "", sizeof error_text);
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

static struct lws_context *srv;

/* One client context per attempt, so each has its own trust settings. */
static void
attempt(int port, const char *host, struct lws_context_creation_info *cinfo)
{
	struct lws_client_connect_info ci;
	struct lws_context *cx;
	int i;

	routed[0] = error_text[0] = '\0';
	established = errors = done = 0;
	cinfo->port = CONTEXT_PORT_NO_LISTEN;
	cinfo->protocols = protocols;
	cinfo->options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT | LWS_SERVER_OPTION_DISABLE_OS_CA_CERTS;
	cx = lws_create_context(cinfo);
	H_ASSERT(cx != NULL);
	memset(&ci, 0, sizeof ci);
	ci.context = cx;
	ci.address = "127.0.0.1";
	ci.port = port;
	ci.host = host;
	ci.protocol = "t";
	ci.ssl_connection = LCCSCF_USE_SSL;
	H_ASSERT(lws_client_connect_via_info(&ci) != NULL);
	for (i = 0; i < 3000 && !done; i++) {
		lws_service(cx, -1);
		lws_service(srv, -1);
		usleep(500);
	}
	lws_context_destroy(cx);
}

static char *
slurp(const char *file, unsigned int *len)
{
	FILE *f = fopen(file, "rb");
	static char buf[8192];

	H_ASSERT(f != NULL);
	*len = (unsigned int)fread(buf, 1, sizeof buf, f);
	fclose(f);
	return buf;
}

int main(void)
{
	struct lws_context_creation_info info, cinfo;
	int port, port_mtls;

	h_watchdog(80);
	lws_set_log_level(LLL_ERR, NULL);
	snprintf(dir, sizeof dir, "/tmp/lws-rs-sni-test-%d", (int)getpid());
	sh("mkdir -p %s%s", dir, "");
	make_ca_and_leaf("ca_a", "a", "a.test", "");
	make_ca_and_leaf("ca_b", "b", "b.test", "");
	make_ca_and_leaf("ca_c", "client", "client.test", "extendedKeyUsage=clientAuth");

	memset(&info, 0, sizeof info);
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS | LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.protocols = protocols;
	info.timeout_secs = 2;
	srv = lws_create_context(&info);
	H_ASSERT(srv != NULL);

	info.iface = "127.0.0.1";
	info.port = 0;
	info.vhost_name = "a.test";
	info.ssl_cert_filepath = path("a.pem");
	info.ssl_private_key_filepath = path("a.key");
	H_ASSERT(lws_create_vhost(srv, &info) != NULL);
	port = lws_get_vhost_listen_port(lws_get_vhost_by_name(srv, "a.test"));
	info.port = port;
	info.vhost_name = "b.test";
	info.ssl_cert_filepath = path("b.pem");
	info.ssl_private_key_filepath = path("b.key");
	H_ASSERT(lws_create_vhost(srv, &info) != NULL);

	info.port = 0;
	info.vhost_name = "mtls.test";
	info.ssl_cert_filepath = path("a.pem");
	info.ssl_private_key_filepath = path("a.key");
	info.ssl_ca_filepath = path("ca_c.pem");
	info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT | LWS_SERVER_OPTION_REQUIRE_VALID_OPENSSL_CLIENT_CERT;
	H_ASSERT(lws_create_vhost(srv, &info) != NULL);
	port_mtls = lws_get_vhost_listen_port(lws_get_vhost_by_name(srv, "mtls.test"));

	/* SNI picks b's certificate: a client trusting only b's CA gets through */
	memset(&cinfo, 0, sizeof cinfo);
	cinfo.client_ssl_ca_filepath = path("ca_b.pem");
	attempt(port, "b.test", &cinfo);
	H_ASSERT_EQ_INT(established, 1);
	H_ASSERT_STREQ(routed, "b.test");

	memset(&cinfo, 0, sizeof cinfo);
	cinfo.client_ssl_ca_filepath = path("ca_a.pem");
	attempt(port, "a.test", &cinfo);
	H_ASSERT_EQ_INT(established, 1);
	H_ASSERT_STREQ(routed, "a.test");

	/* asking for b while trusting only a's CA fails: b's certificate was sent */
	memset(&cinfo, 0, sizeof cinfo);
	cinfo.client_ssl_ca_filepath = path("ca_a.pem");
	attempt(port, "b.test", &cinfo);
	H_ASSERT_EQ_INT(established, 0);
	H_ASSERT_CONTAINS(error_text, "tls: unknown issuer");

	/* the CA in memory */
	memset(&cinfo, 0, sizeof cinfo);
	cinfo.client_ssl_ca_mem = slurp(path("ca_b.pem"), &cinfo.client_ssl_ca_mem_len);
	attempt(port, "b.test", &cinfo);
	H_ASSERT_EQ_INT(established, 1);

	/* client certificates required */
	memset(&cinfo, 0, sizeof cinfo);
	cinfo.client_ssl_ca_filepath = path("ca_a.pem");
	cinfo.client_ssl_cert_filepath = path("client.pem");
	cinfo.client_ssl_private_key_filepath = path("client.key");
	attempt(port_mtls, "a.test", &cinfo);
	H_ASSERT_EQ_INT(established, 1);
	H_ASSERT_STREQ(routed, "mtls.test");

	memset(&cinfo, 0, sizeof cinfo);
	cinfo.client_ssl_ca_filepath = path("ca_a.pem");
	attempt(port_mtls, "a.test", &cinfo);
	H_ASSERT_EQ_INT(established, 0);
	H_ASSERT_EQ_INT(errors, 1);

	/* a stalled handshake is dropped after timeout_secs (2 s) */
	{
		struct sockaddr_in sa;
		char b;
		int fd = socket(AF_INET, SOCK_STREAM, 0), i;

		memset(&sa, 0, sizeof sa);
		sa.sin_family = AF_INET;
		sa.sin_port = htons((uint16_t)port);
		sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		H_ASSERT(connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0);
		for (i = 0; i < 3500; i++) {
			lws_service(srv, -1);
			usleep(1000);
		}
		H_ASSERT(recv(fd, &b, 1, MSG_DONTWAIT) == 0); /* closed by the server */
		close(fd);
	}
	memset(&cinfo, 0, sizeof cinfo);
	cinfo.client_ssl_ca_filepath = path("ca_a.pem");
	attempt(port, "a.test", &cinfo);
	H_ASSERT_EQ_INT(established, 1);

	lws_context_destroy(srv);
	sh("rm -rf %s%s", dir, "");
	return h_pass();
}

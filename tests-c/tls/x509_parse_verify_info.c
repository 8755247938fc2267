/*
 * lws_x509_*: parse PEM, answer cert-info queries as lws 4.3.3 renders them
 * (CN after "/CN=", issuer as an OpenSSL oneline, validity as time_t, key
 * usage in OpenSSL's bits, DER), verify the issuer relationship with and
 * without a common name, refuse bad PEM and NULL arguments with lws's error
 * value and one log line. Certificates are made at test time with openssl.
 */
#include <libwebsockets.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../harness/harness.h"

static char dir[256];
static int err_lines;

static void emit(int level, const char *line)
{
	(void)line;
	if (level == LLL_ERR)
		err_lines++;
}

static void sh(const char *cmd)
{
	char full[2048];

	snprintf(full, sizeof full, "cd %s && %s >/dev/null 2>&1", dir, cmd);
	H_ASSERT_EQ_INT(system(full), 0);
}

static char *slurp(const char *name, size_t *len)
{
	static char bufs[4][8192];
	static int n;
	char p[300], *buf = bufs[n++ % 4];
	FILE *f;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	f = fopen(p, "rb");
	H_ASSERT(f != NULL);
	*len = fread(buf, 1, sizeof(bufs[0]) - 1, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

/* The openssl CLI's notBefore / notAfter of a cert, as time_t. */
static long long cli_time(const char *pem, const char *which)
{
	char cmd[600], out[64];
	FILE *p;

	snprintf(cmd, sizeof cmd,
		 "date -u -d \"$(openssl x509 -noout -%s -in %s/%s | cut -d= -f2)\" +%%s",
		 which, dir, pem);
	p = popen(cmd, "r");
	H_ASSERT(p != NULL);
	H_ASSERT(fgets(out, sizeof out, p) != NULL);
	pclose(p);
	return atoll(out);
}

static struct lws_x509_cert *load(const char *name)
{
	struct lws_x509_cert *x = NULL;
	size_t len;
	char *pem = slurp(name, &len);

	H_ASSERT_EQ_INT(lws_x509_create(&x), 0);
	H_ASSERT(x != NULL);
	/* lws users commonly pass the length with the terminating NUL */
	H_ASSERT_EQ_INT(lws_x509_parse_from_pem(x, pem, len + 1), 0);
	return x;
}

int main(void)
{
	union lws_tls_cert_info_results r;
	struct lws_x509_cert *ca, *leaf, *other, *bad = NULL;
	unsigned char big[sizeof(r) + 2048];
	union lws_tls_cert_info_results *rb = (union lws_tls_cert_info_results *)big;
	int before;

	lws_set_log_level(LLL_ERR, emit);
	snprintf(dir, sizeof dir, "/tmp/lws-rs-x509-test-%d", (int)getpid());
	{
		char cmd[300];
		snprintf(cmd, sizeof cmd, "mkdir -p %s", dir);
		H_ASSERT_EQ_INT(system(cmd), 0);
	}
	sh("printf 'basicConstraints=critical,CA:TRUE\\nkeyUsage=critical,keyCertSign,cRLSign\\n' > ca.ext && "
	   "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key "
	   "-out ca.pem -days 7 -subj '/C=GB/O=lws-rs/CN=x509 test CA' -addext 'keyUsage=critical,keyCertSign,cRLSign' && "
	   "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout other.key "
	   "-out other.pem -days 7 -subj '/C=GB/O=lws-rs/CN=x509 test CA' && "
	   "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout leaf.key "
	   "-out leaf.csr -subj '/O=lws-rs/CN=leaf.test' && "
	   "printf 'basicConstraints=CA:FALSE\\nkeyUsage=digitalSignature\\n' > leaf.ext && "
	   "openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out leaf.pem "
	   "-days 3 -extfile leaf.ext");

	ca = load("ca.pem");
	leaf = load("leaf.pem");
	other = load("other.pem"); /* same name as ca, different key */

	H_ASSERT_EQ_INT(lws_x509_info(leaf, LWS_TLS_CERT_INFO_COMMON_NAME, &r, sizeof(r.ns.name)), 0);
	H_ASSERT_STREQ(r.ns.name, "leaf.test");
	H_ASSERT_EQ_INT(r.ns.len, 9);
	H_ASSERT_EQ_INT(lws_x509_info(leaf, LWS_TLS_CERT_INFO_ISSUER_NAME, &r, 0), 0);
	H_ASSERT_STREQ(r.ns.name, "/C=GB/O=lws-rs/CN=x509 test CA");
	H_ASSERT_EQ_INT(r.ns.len, (int)strlen("/C=GB/O=lws-rs/CN=x509 test CA"));

	H_ASSERT_EQ_INT(lws_x509_info(leaf, LWS_TLS_CERT_INFO_VALIDITY_FROM, &r, 0), 0);
	H_ASSERT(r.time == (time_t)cli_time("leaf.pem", "startdate"));
	H_ASSERT_EQ_INT(lws_x509_info(leaf, LWS_TLS_CERT_INFO_VALIDITY_TO, &r, 0), 0);
	H_ASSERT(r.time == (time_t)cli_time("leaf.pem", "enddate"));

	H_ASSERT_EQ_INT(lws_x509_info(leaf, LWS_TLS_CERT_INFO_USAGE, &r, 0), 0);
	H_ASSERT_EQ_INT((int)r.usage, 0x80); /* KU_DIGITAL_SIGNATURE */
	H_ASSERT_EQ_INT(lws_x509_info(ca, LWS_TLS_CERT_INFO_USAGE, &r, 0), 0);
	H_ASSERT_EQ_INT((int)r.usage, 0x06); /* KU_KEY_CERT_SIGN | KU_CRL_SIGN */

	/* DER: too big for 64 bytes, fits 2048; starts with a SEQUENCE */
	H_ASSERT_EQ_INT(lws_x509_info(leaf, LWS_TLS_CERT_INFO_DER_RAW, &r, 0), -1);
	H_ASSERT_EQ_INT(lws_x509_info(leaf, LWS_TLS_CERT_INFO_DER_RAW, rb, 2048), 0);
	H_ASSERT(rb->ns.len > 200 && (unsigned char)rb->ns.name[0] == 0x30);
	H_ASSERT_EQ_INT(lws_x509_info(leaf, LWS_TLS_CERT_INFO_OPAQUE_PUBLIC_KEY, rb, 2048), 0);
	H_ASSERT_EQ_INT(rb->ns.len, 91); /* P-256 SubjectPublicKeyInfo */

	/* verify: the issuer relationship, then the optional exact CN */
	H_ASSERT_EQ_INT(lws_x509_verify(leaf, ca, NULL), 0);
	H_ASSERT_EQ_INT(lws_x509_verify(leaf, ca, "leaf.test"), 0);
	before = err_lines;
	H_ASSERT_EQ_INT(lws_x509_verify(leaf, ca, "leaf.tes"), -1);
	H_ASSERT_EQ_INT(err_lines, before + 1);
	before = err_lines;
	H_ASSERT_EQ_INT(lws_x509_verify(leaf, other, NULL), -1);
	H_ASSERT_EQ_INT(err_lines, before + 1);
	H_ASSERT_EQ_INT(lws_x509_verify(ca, leaf, NULL), -1);

	/* a PEM that does not parse; NULL arguments */
	H_ASSERT_EQ_INT(lws_x509_create(&bad), 0);
	before = err_lines;
	H_ASSERT_EQ_INT(lws_x509_parse_from_pem(bad, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", 60), -1);
	H_ASSERT_EQ_INT(err_lines, before + 1);
	H_ASSERT_EQ_INT(lws_x509_info(bad, LWS_TLS_CERT_INFO_COMMON_NAME, &r, 0), -1);
	before = err_lines;
	H_ASSERT(lws_x509_create(NULL) != 0);
	H_ASSERT_EQ_INT(lws_x509_parse_from_pem(NULL, "x", 1), -1);
	H_ASSERT_EQ_INT(lws_x509_verify(NULL, ca, NULL), -1);
	H_ASSERT_EQ_INT(lws_x509_info(leaf, LWS_TLS_CERT_INFO_COMMON_NAME, NULL, 0), -1);
	H_ASSERT_EQ_INT(lws_x509_info(NULL, LWS_TLS_CERT_INFO_COMMON_NAME, &r, 0), -1);
	lws_x509_destroy(NULL);
	H_ASSERT_EQ_INT(err_lines, before + 6);

	lws_x509_destroy(&bad);
	H_ASSERT(bad == NULL);
	lws_x509_destroy(&bad); /* already NULL: nothing */
	lws_x509_destroy(&ca);
	lws_x509_destroy(&leaf);
	lws_x509_destroy(&other);
	H_ASSERT(ca == NULL && leaf == NULL && other == NULL);

	{
		char cmd[300];
		snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
		H_ASSERT_EQ_INT(system(cmd), 0);
	}
	printf("ok\n");
	return 0;
}

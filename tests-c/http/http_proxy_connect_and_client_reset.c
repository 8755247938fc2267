/*
 * Client connections through an HTTP proxy (LWS_CLIENT_HTTP_PROXYING) and
 * lws_client_reset, against our own server and real peers: the CONNECT proxies,
 * a WebSocket echo server (Python `websockets`) and http.server are
 * tests/interop/proxy_peers.py, run by the venv's Python (LWS_INTEROP_PYTHON).
 *
 * - lws_set_proxy: -1 for NULL and for an address without a port, 0 otherwise.
 * - ws through info.http_proxy_address / _port to our own server, requested from
 *   PROTOCOL_INIT (the connect queue, B2.7); ws through $http_proxy to Python.
 * - wss and https through a proxy that wants credentials, given as
 *   lws_set_proxy("user:pass@host:port"): the proxy saw "basic dXNlcjpwYXNz".
 * - HTTP through the proxy to http.server and to our own server, with conmon.
 * - One CLIENT_CONNECTION_ERROR naming the cause: 407 ("http_proxy -> 407"),
 *   a proxy that closes ("proxy conn dead"), an answer head that never ends,
 *   a proxy that never answers (timeout_secs).
 * - lws_client_reset from CLIENT_RECEIVE (then returning -1, lws's redirect
 *   pattern) moves a connected ws client from server A to server B, and from
 *   outside any callback on to our own server: three CLIENT_ESTABLISHED, no close.
 * Certificates are made at test time by tests/tls/make-certs.sh.
 * ctest-timeout: 120
 * TLS paths are checked under ASan, not valgrind (ring, ecosystem.md §7).
 * ctest-labels: novalgrind
 */
#include <libwebsockets.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../harness/harness.h"

extern char **environ;

/* lws exports it without declaring it in its public headers. */
struct lws *lws_client_reset(struct lws **wsi, int ssl, const char *address, int port,
			     const char *path, const char *host, char weak);

static char certs[256], portfile[300], logfile[300];
static int p_open, p_auth, p_vanish, p_endless, p_silent, p_wsa, p_wsb, p_wss, p_http, p_https;
static int own_port;
static struct lws_context *srv;

/* what the client saw */
static int established, errors, closed, http_status, completed, received;
static char error_text[256], last_rx[128], body[256];
static int conmon_ok;
/* the reset plan: reset to wsB on the first message from A */
static int reset_on_a;
static struct lws *client_wsi;
/* a connect from PROTOCOL_INIT */
static int connect_from_init;

static const char *
cert(const char *name)
{
	static char paths[4][300];
	static int n;
	char *p = paths[n++ % 4];

	snprintf(p, 300, "%s/%s", certs, name);
	return p;
}

static int
client_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	(void)user;
	switch (reason) {
	case LWS_CALLBACK_PROTOCOL_INIT:
		if (connect_from_init) {
			struct lws_client_connect_info i;

			connect_from_init = 0;
			memset(&i, 0, sizeof i);
			i.context = lws_get_context(wsi);
			i.address = "127.0.0.1";
			i.port = own_port;
			i.path = "/";
			i.host = "127.0.0.1";
			i.protocol = "echo";
			i.pwsi = &client_wsi;
			H_ASSERT(lws_client_connect_via_info(&i) != NULL);
		}
		break;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		established++;
		lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE: {
		unsigned char b[LWS_PRE + 8];

		memcpy(b + LWS_PRE, "ping", 4);
		if (lws_write(wsi, b + LWS_PRE, 4, LWS_WRITE_TEXT) != 4)
			return -1;
		break;
	}
	case LWS_CALLBACK_CLIENT_RECEIVE:
		received++;
		snprintf(last_rx, sizeof last_rx, "%.*s", (int)len, (const char *)in);
		if (reset_on_a && !strcmp(last_rx, "A:ping")) {
			struct lws *w = wsi;

			reset_on_a = 0;
			H_ASSERT(lws_client_reset(&w, 0, "127.0.0.1", p_wsb, "", "127.0.0.1", 1) == wsi);
			return -1; /* the close is the move (lws's redirect flow) */
		}
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		errors++;
		snprintf(error_text, sizeof error_text, "%s", in ? (const char *)in : "(null)");
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
	case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
		closed++;
		break;
	case LWS_CALLBACK_ESTABLISHED_CLIENT_HTTP: {
		struct lws_conmon cm;

		http_status = (int)lws_http_client_http_response(wsi);
		memset(&cm, 0, sizeof cm);
		lws_conmon_wsi_take(wsi, &cm);
		conmon_ok = cm.dns_disposition == LWSCONMON_DNS_OK && cm.ciu_txn_resp > 0;
		lws_conmon_release(&cm);
		break;
	}
	case LWS_CALLBACK_RECEIVE_CLIENT_HTTP_READ:
		strncat(body, (const char *)in, len < sizeof body - strlen(body) - 1 ?
					      len : sizeof body - strlen(body) - 1);
		break;
	case LWS_CALLBACK_RECEIVE_CLIENT_HTTP: {
		char b[LWS_PRE + 512], *px = b + LWS_PRE;
		int lenx = sizeof b - LWS_PRE;

		if (lws_http_client_read(wsi, &px, &lenx) < 0)
			return -1;
		break;
	}
	case LWS_CALLBACK_COMPLETED_CLIENT_HTTP:
		completed++;
		break;
	default:
		break;
	}
	return 0;
}

/* Our own server: GET answers "lws"; ws "echo" answers "L:" + the message. */
static int
server_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	unsigned char b[LWS_PRE + 256], *start = b + LWS_PRE, *p = start, *end = b + sizeof b - 1;

	(void)user;
	switch (reason) {
	case LWS_CALLBACK_HTTP:
		if (lws_add_http_common_headers(wsi, HTTP_STATUS_OK, "text/plain", 3, &p, end) ||
		    lws_finalize_write_http_header(wsi, start, &p, end))
			return 1;
		lws_callback_on_writable(wsi);
		return 0;
	case LWS_CALLBACK_HTTP_WRITEABLE:
		memcpy(start, "lws", 3);
		if (lws_write(wsi, start, 3, LWS_WRITE_HTTP_FINAL) != 3)
			return -1;
		if (lws_http_transaction_completed(wsi))
			return -1;
		return 0;
	case LWS_CALLBACK_RECEIVE:
		if (len > 100)
			return -1;
		memcpy(start, "L:", 2);
		memcpy(start + 2, in, len);
		if (lws_write(wsi, start, len + 2, LWS_WRITE_TEXT) != (int)len + 2)
			return -1;
		return 0;
	default:
		return 0;
	}
}

static const struct lws_protocols client_protocols[] = {
	{ "echo", client_cb, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static const struct lws_protocols server_protocols[] = {
	{ "http", server_cb, 0, 0, 0, NULL, 0 },
	{ "echo", server_cb, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static void
reset_seen(void)
{
	established = errors = closed = http_status = completed = received = 0;
	conmon_ok = 0;
	error_text[0] = last_rx[0] = body[0] = '\0';
	client_wsi = NULL;
}

/* A client context; `proxy_port` goes to info.http_proxy_address / _port when set. */
static struct lws_context *
client_context(int proxy_port, unsigned int timeout_secs)
{
	struct lws_context_creation_info info;
	struct lws_context *cx;

	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = client_protocols;
	info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.client_ssl_ca_filepath = cert("ca.pem");
	info.timeout_secs = timeout_secs;
	if (proxy_port) {
		info.http_proxy_address = "127.0.0.1";
		info.http_proxy_port = (unsigned int)proxy_port;
	}
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	return cx;
}

static void
connect_to(struct lws_context *cx, int port, int tls, const char *method, const char *path,
	   int conmon)
{
	struct lws_client_connect_info i;

	memset(&i, 0, sizeof i);
	i.context = cx;
	i.address = "127.0.0.1";
	i.port = port;
	i.path = path;
	i.host = "127.0.0.1";
	i.method = method;
	i.protocol = method ? NULL : "echo";
	i.local_protocol_name = "echo";
	i.ssl_connection = (tls ? LCCSCF_USE_SSL : 0) | (conmon ? LCCSCF_CONMON : 0);
	i.pwsi = &client_wsi;
	H_ASSERT(lws_client_connect_via_info(&i) != NULL);
}

/* Services both contexts until `done()` or an error, at most `ms` milliseconds. */
static void
run_until(struct lws_context *cx, int (*done)(void), int ms)
{
	int i;

	for (i = 0; i < ms && !done() && !errors; i++) {
		lws_service(cx, -1);
		lws_service(srv, -1);
		usleep(1000);
	}
}

static int got_reply(void) { return received > 0; }
static int got_body(void) { return completed > 0; }
static int never(void) { return 0; }

static int
log_has(const char *needle)
{
	char line[512];
	int found = 0;
	FILE *f = fopen(logfile, "r");

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof line, f))
		found = strstr(line, needle) != NULL;
	fclose(f);
	return found;
}

static int
read_ports(void)
{
	char name[32];
	int port;
	FILE *f = fopen(portfile, "r");

	if (!f)
		return 0;
	while (fscanf(f, "%31s %d", name, &port) == 2) {
		int *slot = !strcmp(name, "open") ? &p_open : !strcmp(name, "auth") ? &p_auth :
			    !strcmp(name, "vanish") ? &p_vanish : !strcmp(name, "endless") ? &p_endless :
			    !strcmp(name, "silent") ? &p_silent : !strcmp(name, "wsA") ? &p_wsa :
			    !strcmp(name, "wsB") ? &p_wsb : !strcmp(name, "wss") ? &p_wss :
			    !strcmp(name, "http") ? &p_http : !strcmp(name, "https") ? &p_https : NULL;
		if (slot)
			*slot = port;
	}
	fclose(f);
	return p_https != 0;
}

/* One failing proxy: exactly one CLIENT_CONNECTION_ERROR containing `why`. */
static void
expect_failure(int proxy_port, unsigned int timeout_secs, const char *why, int ms)
{
	struct lws_context *cx = client_context(proxy_port, timeout_secs);

	reset_seen();
	connect_to(cx, p_wsa, 0, NULL, "/", 0);
	run_until(cx, never, ms);
	for (int i = 0; i < 50; i++) {
		lws_service(cx, -1);
		usleep(1000);
	}
	H_ASSERT_EQ_INT(errors, 1);
	H_ASSERT_EQ_INT(established, 0);
	H_ASSERT_CONTAINS(error_text, why);
	lws_context_destroy(cx);
}

int main(void)
{
	struct lws_context_creation_info info;
	struct lws_context *cx;
	const char *py = getenv("LWS_INTEROP_PYTHON");
	char cmd[900], dir[256], script[400], pyfallback[400], target[64];
	posix_spawn_file_actions_t fa;
	pid_t peers;
	int in[2], i, status;

	h_watchdog(110);
	signal(SIGPIPE, SIG_IGN);
	lws_set_log_level(getenv("H_DEBUG") ? LLL_ERR | LLL_WARN | LLL_NOTICE | LLL_INFO : LLL_ERR, NULL);
	unsetenv("http_proxy");

	lws_strncpy(dir, __FILE__, sizeof dir);
	*strrchr(dir, '/') = '\0';
	snprintf(certs, sizeof certs, "/tmp/lws-rs-proxy-test-%d", (int)getpid());
	snprintf(cmd, sizeof cmd, "%s/../../tests/tls/make-certs.sh %s >/dev/null", dir, certs);
	H_ASSERT_EQ_INT(system(cmd), 0);
	snprintf(portfile, sizeof portfile, "%s/ports", certs);
	snprintf(logfile, sizeof logfile, "%s/proxy.log", certs);
	snprintf(script, sizeof script, "%s/../../tests/interop/proxy_peers.py", dir);
	snprintf(pyfallback, sizeof pyfallback, "%s/../../.venv/bin/python", dir);
	if (!py || !*py)
		py = pyfallback;
	if (access(py, X_OK))
		H_FAIL("no Python venv at %s (run scripts/venv.sh)", py);

	/* the peers, stopped by closing their stdin */
	H_ASSERT_EQ_INT(pipe(in), 0);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_addclose(&fa, in[1]);
	{
		char *argv[] = { (char *)py, "-u", script, portfile, logfile, certs,
				 "--seconds", "100", NULL };
		H_ASSERT_EQ_INT(posix_spawn(&peers, py, &fa, NULL, argv, environ), 0);
	}
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	for (i = 0; i < 1000 && !read_ports(); i++)
		usleep(10000);
	H_ASSERT(p_https != 0);

	/* our own server */
	memset(&info, 0, sizeof info);
	info.port = 0;
	info.iface = "127.0.0.1";
	info.protocols = server_protocols;
	srv = lws_create_context(&info);
	H_ASSERT(srv != NULL);
	own_port = lws_get_vhost_listen_port(lws_get_vhost_by_name(srv, "default"));

	/* lws_set_proxy's answers */
	cx = client_context(0, 0);
	{
		struct lws_vhost *vh = lws_get_vhost_by_name(cx, "default");

		H_ASSERT_EQ_INT(lws_set_proxy(vh, NULL), -1);
		H_ASSERT_EQ_INT(lws_set_proxy(vh, "127.0.0.1"), -1);
		snprintf(target, sizeof target, "http://127.0.0.1:%d", p_open);
		H_ASSERT_EQ_INT(lws_set_proxy(vh, target), 0);
	}
	/* ... and the setting is used: HTTP to http.server, with conmon */
	reset_seen();
	connect_to(cx, p_http, 0, "GET", "/who", 1);
	run_until(cx, got_body, 5000);
	H_ASSERT_STREQ(error_text, "");
	H_ASSERT_EQ_INT(http_status, 200);
	H_ASSERT_STREQ(body, "python");
	H_ASSERT(conmon_ok);
	snprintf(target, sizeof target, "open 127.0.0.1:%d auth=-", p_http);
	H_ASSERT(log_has(target));
	/* HTTP to our own server through the same proxy */
	reset_seen();
	connect_to(cx, own_port, 0, "GET", "/", 0);
	run_until(cx, got_body, 5000);
	H_ASSERT_EQ_INT(http_status, 200);
	H_ASSERT_STREQ(body, "lws");
	lws_context_destroy(cx);

	/* ws from PROTOCOL_INIT (queued until OPERATIONAL) through info.http_proxy_* */
	reset_seen();
	connect_from_init = 1;
	cx = client_context(p_open, 0);
	run_until(cx, got_reply, 5000);
	H_ASSERT_STREQ(error_text, "");
	H_ASSERT_EQ_INT(established, 1);
	H_ASSERT_STREQ(last_rx, "L:ping");
	snprintf(target, sizeof target, "open 127.0.0.1:%d auth=-", own_port);
	H_ASSERT(log_has(target));
	lws_context_destroy(cx);

	/* ws to Python through $http_proxy */
	snprintf(target, sizeof target, "http://127.0.0.1:%d", p_open);
	setenv("http_proxy", target, 1);
	cx = client_context(0, 0);
	unsetenv("http_proxy");
	reset_seen();
	connect_to(cx, p_wsa, 0, NULL, "/", 0);
	run_until(cx, got_reply, 5000);
	H_ASSERT_EQ_INT(established, 1);
	H_ASSERT_STREQ(last_rx, "A:ping");
	snprintf(target, sizeof target, "open 127.0.0.1:%d auth=-", p_wsa);
	H_ASSERT(log_has(target));

	/* lws_client_reset: A -> B from CLIENT_RECEIVE, then B -> our server from here */
	reset_seen();
	reset_on_a = 1;
	connect_to(cx, p_wsa, 0, NULL, "/", 0);
	run_until(cx, got_reply, 5000);
	H_ASSERT_STREQ(last_rx, "A:ping");
	received = 0;
	run_until(cx, got_reply, 5000);
	H_ASSERT_STREQ(error_text, "");
	H_ASSERT_EQ_INT(established, 2);
	H_ASSERT_STREQ(last_rx, "B:ping");
	snprintf(target, sizeof target, "open 127.0.0.1:%d auth=-", p_wsb);
	H_ASSERT(log_has(target));
	received = 0;
	{
		struct lws *w = client_wsi;

		H_ASSERT(lws_client_reset(&w, 0, "127.0.0.1", own_port, "/", "127.0.0.1", 1) ==
			 client_wsi);
	}
	run_until(cx, got_reply, 5000);
	H_ASSERT_EQ_INT(established, 3);
	H_ASSERT_STREQ(last_rx, "L:ping");
	H_ASSERT_EQ_INT(closed, 0);
	H_ASSERT_EQ_INT(errors, 0);
	/* a NULL slot is refused */
	H_ASSERT(lws_client_reset(NULL, 0, "127.0.0.1", own_port, "/", "x", 1) == NULL);
	lws_context_destroy(cx);
	/* the moved connection and the first one to A close with the context */
	H_ASSERT_EQ_INT(closed, 2);

	/* wss and https through a proxy that wants credentials */
	cx = client_context(0, 0);
	snprintf(target, sizeof target, "user:pass@127.0.0.1:%d", p_auth);
	H_ASSERT_EQ_INT(lws_set_proxy(lws_get_vhost_by_name(cx, "default"), target), 0);
	reset_seen();
	connect_to(cx, p_wss, 1, NULL, "/", 0);
	run_until(cx, got_reply, 5000);
	H_ASSERT_STREQ(error_text, "");
	H_ASSERT_STREQ(last_rx, "A:ping");
	snprintf(target, sizeof target, "auth 127.0.0.1:%d auth=basic dXNlcjpwYXNz", p_wss);
	H_ASSERT(log_has(target));
	reset_seen();
	connect_to(cx, p_https, 1, "GET", "/who", 0);
	run_until(cx, got_body, 5000);
	H_ASSERT_STREQ(error_text, "");
	H_ASSERT_STREQ(body, "python");
	lws_context_destroy(cx);

	/* failures: one CLIENT_CONNECTION_ERROR each, naming the cause */
	expect_failure(p_auth, 0, "http_proxy -> 407", 3000);
	expect_failure(p_vanish, 0, "proxy conn dead", 3000);
	expect_failure(p_endless, 0, "answer head too long", 3000);
	expect_failure(p_silent, 1, "closed before established", 4000);

	lws_context_destroy(srv);
	close(in[1]);
	for (i = 0; i < 500 && waitpid(peers, &status, WNOHANG) == 0; i++)
		usleep(10000);
	if (i == 500) {
		kill(peers, SIGKILL);
		waitpid(peers, &status, 0);
	}
	snprintf(cmd, sizeof cmd, "rm -rf %s", certs);
	if (system(cmd))
		return 1;
	return h_pass();
}

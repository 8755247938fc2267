/*
 * Client TLS session resumption against `openssl s_server` (TLS 1.3, issuing
 * tickets), lws_tls_session_is_reused, lws_tls_session_dump_save / _load, and
 * lws_conmon_wsi_take / _release on the same connections (LCCSCF_CONMON): real
 * connect / TLS / transaction timings, the peer and the DNS list. The h2 entry
 * points answer an h1 connection as lws 4.3.3 does.
 *
 * ctest-timeout: 90
 */
#include <libwebsockets.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../harness/harness.h"

extern char **environ;

static int done, status, reused = -1, long_poll = -9, est0 = -9, upd = -9, est1 = -9;
static struct lws_conmon cm, cm2;
static int took;

static const char *path(const char *name)
{
	return h_scratch_path("tls-sess", name);
}

static int
cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	(void)user;
	switch (reason) {
	case LWS_CALLBACK_ESTABLISHED_CLIENT_HTTP:
		status = (int)lws_http_client_http_response(wsi);
		reused = lws_tls_session_is_reused(wsi);
		long_poll = lws_h2_client_stream_long_poll_rxonly(wsi);
		est0 = lws_h2_get_peer_txcredit_estimate(wsi);
		upd = lws_h2_update_peer_txcredit(wsi, (unsigned int)-1, 100);
		est1 = lws_h2_get_peer_txcredit_estimate(wsi);
		break;
	case LWS_CALLBACK_RECEIVE_CLIENT_HTTP: {
		char buf[1024 + LWS_PRE], *px = buf + LWS_PRE;
		int lenx = sizeof(buf) - LWS_PRE;

		if (lws_http_client_read(wsi, &px, &lenx) < 0)
			return -1;
		return 0;
	}
	case LWS_CALLBACK_RECEIVE_CLIENT_HTTP_READ:
		(void)in; (void)len;
		return 0;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		fprintf(stderr, "connection error: %s\n", in ? (const char *)in : "-");
		done = 1;
		break;
	case LWS_CALLBACK_COMPLETED_CLIENT_HTTP:
	case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
		if (!took) {
			lws_conmon_wsi_take(wsi, &cm);
			lws_conmon_wsi_take(wsi, &cm2);
			took = 1;
		}
		done = 1;
		break;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols protocols[] = {
	{ "http", cb, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static int port;

static void fetch(struct lws_context *cx)
{
	struct lws_client_connect_info i;
	int n = 0;

	done = 0;
	took = 0;
	status = 0;
	reused = -1;
	memset(&i, 0, sizeof i);
	i.context = cx;
	i.address = "127.0.0.1";
	i.host = "localhost";
	i.port = port;
	i.path = "/";
	i.method = "GET";
	i.protocol = "http";
	i.ssl_connection = LCCSCF_USE_SSL | LCCSCF_ALLOW_SELFSIGNED | LCCSCF_CONMON;
	H_ASSERT(lws_client_connect_via_info(&i) != NULL);
	while (!done && n++ < 2000)
		lws_service(cx, 10);
	H_ASSERT(done);
}

static struct lws_context *client_context(void)
{
	struct lws_context_creation_info info;
	struct lws_context *cx;

	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.protocols = protocols;
	info.timeout_secs = 5;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	return cx;
}

/* The dump the save callback was handed, kept for the load callback. */
static unsigned char saved[512];
static size_t saved_len;
static char saved_tag[LWS_SESSION_TAG_LEN];
static int opaque_ok, garbage;

static int save_cb(struct lws_context *cx, struct lws_tls_session_dump *d)
{
	(void)cx;
	opaque_ok = d->opaque == (void *)&saved;
	H_ASSERT(d->blob_len <= sizeof saved);
	memcpy(saved, d->blob, d->blob_len);
	saved_len = d->blob_len;
	lws_strncpy(saved_tag, d->tag, sizeof saved_tag);
	return 0;
}

static int load_cb(struct lws_context *cx, struct lws_tls_session_dump *d)
{
	(void)cx;
	d->blob = malloc(saved_len ? saved_len : 1);
	H_ASSERT(d->blob != NULL);
	memcpy(d->blob, saved, saved_len);
	if (garbage)
		((unsigned char *)d->blob)[0] ^= 0xff;
	d->blob_len = saved_len;
	return 0;
}

static int failing_cb(struct lws_context *cx, struct lws_tls_session_dump *d)
{
	(void)cx; (void)d;
	return 1;
}

static pid_t server;

/* Also on a failed assertion (exit): an orphaned s_server would hold ctest's pipes. */
static void stop_server(void)
{
	if (server > 0) {
		kill(server, SIGTERM);
		waitpid(server, NULL, 0);
		server = 0;
	}
}

static int free_port(void)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0), p;

	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	H_ASSERT(!bind(fd, (struct sockaddr *)&sa, sizeof sa));
	H_ASSERT(!getsockname(fd, (struct sockaddr *)&sa, &sl));
	p = ntohs(sa.sin_port);
	close(fd);
	return p;
}

int main(void)
{
	struct lws_context *cx, *cx2;
	char ports[24], tag[128], ads[48];
	int n;

	h_watchdog(80);
	lws_set_log_level(LLL_ERR, NULL);
	H_ASSERT_EQ_INT(h_scratch_cert("tls-sess", "k.pem", "c.pem"), 0);

	port = free_port();
	snprintf(ports, sizeof ports, "127.0.0.1:%d", port);
	{
		char *argv[] = { "openssl", "s_server", "-quiet", "-www", "-tls1_3",
				 "-num_tickets", "2", "-accept", ports,
				 "-cert", (char *)path("c.pem"), "-key", (char *)path("k.pem"),
				 NULL };
		posix_spawn_file_actions_t fa;

		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", 1, 0);
		H_ASSERT_EQ_INT(posix_spawnp(&server, "openssl", &fa, NULL, argv, environ), 0);
		posix_spawn_file_actions_destroy(&fa);
		atexit(stop_server);
	}
	/* Wait (bounded) until it listens. */
	for (n = 0; n < 100; n++) {
		struct sockaddr_in sa;
		int fd = socket(AF_INET, SOCK_STREAM, 0), ok;

		memset(&sa, 0, sizeof sa);
		sa.sin_family = AF_INET;
		sa.sin_port = htons((uint16_t)port);
		sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		ok = !connect(fd, (struct sockaddr *)&sa, sizeof sa);
		close(fd);
		if (ok)
			break;
		usleep(50000);
	}
	H_ASSERT(n < 100);

	cx = client_context();

	/* Nothing cached yet: save has nothing to hand out. */
	H_ASSERT_EQ_INT(lws_tls_session_dump_save(lws_get_vhost_by_name(cx, "default"),
						  "localhost", (uint16_t)port, save_cb, saved), 1);

	/* 1: a full handshake, measured. */
	fetch(cx);
	H_ASSERT_EQ_INT(status, 200);
	H_ASSERT_EQ_INT(reused, 0);
	H_ASSERT_EQ_INT(long_poll, 1);
	H_ASSERT_EQ_INT(est0, 0);
	H_ASSERT_EQ_INT(upd, 0);
	H_ASSERT_EQ_INT(est1, 200); /* stream and network wsi are one on h1 */
	H_ASSERT(took);
	lws_sa46_write_numeric_address(&cm.peer46, ads, sizeof ads);
	H_ASSERT_STREQ(ads, "127.0.0.1");
	H_ASSERT(cm.ciu_sockconn > 0);
	H_ASSERT(cm.ciu_tls > 0);
	H_ASSERT(cm.ciu_txn_resp > 0);
	/* lws fills protocol_specific only for a redirect answer */
	H_ASSERT_EQ_INT(cm.pcol, LWSCONMON_PCOL_NONE);
	H_ASSERT_EQ_INT(cm.dns_disposition, LWSCONMON_DNS_OK);
	H_ASSERT(cm.dns_results_copy != NULL);
	H_ASSERT(cm.dns_results_copy->ai_next == NULL);
	H_ASSERT_EQ_INT(cm.dns_results_copy->ai_family, AF_INET);
	lws_sa46_write_numeric_address((lws_sockaddr46 *)cm.dns_results_copy->ai_addr, ads,
				       sizeof ads);
	H_ASSERT_STREQ(ads, "127.0.0.1");
	/* the list passed to the first taker */
	H_ASSERT(cm2.dns_results_copy == NULL);
	H_ASSERT_EQ_INT(cm2.ciu_tls, cm.ciu_tls);
	lws_conmon_release(&cm);
	H_ASSERT(cm.dns_results_copy == NULL);
	lws_conmon_release(&cm2);
	lws_conmon_release(NULL);
	fprintf(stderr, "full: sockconn %uus tls %uus txn %uus\n", (unsigned)cm2.ciu_sockconn,
		(unsigned)cm2.ciu_tls, (unsigned)cm2.ciu_txn_resp);

	/* 2: resumed from the ticket the server issued. */
	fetch(cx);
	H_ASSERT_EQ_INT(status, 200);
	H_ASSERT_EQ_INT(reused, 1);
	lws_conmon_release(&cm);
	fprintf(stderr, "resumed: tls %uus\n", (unsigned)cm2.ciu_tls);

	/* Another port of the same host has its own sessions. */
	H_ASSERT_EQ_INT(lws_tls_session_dump_save(lws_get_vhost_by_name(cx, "default"),
						  "localhost", (uint16_t)(port + 1), save_cb, saved), 1);
	/* A failing save keeps the session cached. */
	H_ASSERT_EQ_INT(lws_tls_session_dump_save(lws_get_vhost_by_name(cx, "default"),
						  "localhost", (uint16_t)port, failing_cb, NULL), 1);
	H_ASSERT_EQ_INT(lws_tls_session_dump_save(lws_get_vhost_by_name(cx, "default"),
						  "localhost", (uint16_t)port, save_cb, saved), 0);
	H_ASSERT(opaque_ok);
	H_ASSERT(saved_len > 0);
	snprintf(tag, sizeof tag, "default_localhost_%d", port);
	H_ASSERT_STREQ(saved_tag, tag);

	/* A fresh context has no session: a full handshake... */
	cx2 = client_context();
	/* ...unless the dump is loaded first. A corrupt blob is refused. */
	garbage = 1;
	H_ASSERT_EQ_INT(lws_tls_session_dump_load(lws_get_vhost_by_name(cx2, "default"),
						  "localhost", (uint16_t)port, load_cb, NULL), 1);
	H_ASSERT_EQ_INT(lws_tls_session_dump_load(lws_get_vhost_by_name(cx2, "default"),
						  "localhost", (uint16_t)port, failing_cb, NULL), 1);
	garbage = 0;
	H_ASSERT_EQ_INT(lws_tls_session_dump_load(lws_get_vhost_by_name(cx2, "default"),
						  "localhost", (uint16_t)port, load_cb, NULL), 0);
	/* Loaded: a second load finds one cached and leaves it. */
	H_ASSERT_EQ_INT(lws_tls_session_dump_load(lws_get_vhost_by_name(cx2, "default"),
						  "localhost", (uint16_t)port, load_cb, NULL), 1);
	fetch(cx2);
	H_ASSERT_EQ_INT(status, 200);
	H_ASSERT_EQ_INT(reused, 1);
	lws_conmon_release(&cm);

	lws_context_destroy(cx2);
	lws_context_destroy(cx);
	stop_server();
	if (h_scratch_remove())
		fprintf(stderr, "cleanup failed\n");
	return h_pass();
}

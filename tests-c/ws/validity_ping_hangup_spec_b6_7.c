/*
 * B6.T8: with a policy of ping after 1 s and hang up after 2 s, a peer that
 * never answers PINGs sees a zero-length PING after ~1 s and the connection
 * closed (no Close frame) after ~2 s, while a peer that answers (our own
 * client: PONGs are automatic) stays connected.
 * ctest-timeout: 60
 */
#include <libwebsockets.h>
#include <arpa/inet.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "../harness/harness.h"

static struct lws_context *cx;
static int port, server_closed, client_closed, client_up;
static volatile int raw_saw_ping, raw_saw_eof, raw_saw_close_frame;
static volatile double raw_ping_at, raw_eof_at;

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	(void)wsi; (void)user; (void)in; (void)len;
	if (reason == LWS_CALLBACK_CLOSED)
		server_closed++;
	if (reason == LWS_CALLBACK_CLIENT_ESTABLISHED)
		client_up = 1;
	if (reason == LWS_CALLBACK_CLIENT_CLOSED)
		client_closed++;
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "v", cb, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

/* A peer that upgrades and then never answers anything. */
static void *
silent_peer(void *a)
{
	static const char req[] =
		"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
	struct sockaddr_in sa;
	unsigned char b[1024];
	double t0;
	int fd = socket(AF_INET, SOCK_STREAM, 0), n, got101 = 0;

	(void)a;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) || write(fd, req, sizeof req - 1) < 0)
		return NULL;
	t0 = now_s();
	while (now_s() - t0 < 10) {
		n = (int)read(fd, b, sizeof b);
		if (n <= 0) {
			raw_saw_eof = 1;
			raw_eof_at = now_s() - t0;
			break;
		}
		if (!got101) {
			got101 = 1; /* the 101 answer; frames come later */
			continue;
		}
		if (b[0] == 0x89 && b[1] == 0x00 && !raw_saw_ping) {
			raw_saw_ping = 1;
			raw_ping_at = now_s() - t0;
		}
		if ((b[0] & 0x0f) == 0x8)
			raw_saw_close_frame = 1;
	}
	close(fd);
	return NULL;
}

int main(void)
{
	static const uint32_t table[] = { 1000 };
	static const lws_retry_bo_t policy = {
		.retry_ms_table = table, .retry_ms_table_count = 1,
		.secs_since_valid_ping = 1, .secs_since_valid_hangup = 2,
	};
	struct lws_context_creation_info info;
	struct lws_client_connect_info ci;
	pthread_t th;
	double t0;
	int n = 0;

	h_watchdog(30);
	lws_set_log_level(LLL_ERR, NULL);
	memset(&info, 0, sizeof info);
	info.port = 0;
	info.iface = "127.0.0.1";
	info.protocols = protocols;
	info.retry_and_idle_policy = &policy;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	port = lws_get_vhost_listen_port(lws_get_vhost_by_name(cx, "default"));

	memset(&ci, 0, sizeof ci);
	ci.context = cx;
	ci.address = "127.0.0.1";
	ci.port = port;
	ci.host = "127.0.0.1";
	ci.protocol = "v";
	ci.retry_and_idle_policy = &policy;
	H_ASSERT(lws_client_connect_via_info(&ci) != NULL);

	pthread_create(&th, NULL, silent_peer, NULL);
	t0 = now_s();
	while (!raw_saw_eof && now_s() - t0 < 8 && n >= 0)
		n = lws_service(cx, 0);
	/* keep servicing a little longer: the answering client must survive */
	while (now_s() - t0 < 3.5 && n >= 0)
		n = lws_service(cx, 0);
	pthread_join(th, NULL);

	H_ASSERT(raw_saw_ping);
	H_ASSERT(raw_ping_at > 0.8 && raw_ping_at < 1.9);
	H_ASSERT(raw_saw_eof);
	H_ASSERT(raw_eof_at > 1.8 && raw_eof_at < 3.5);
	H_ASSERT(!raw_saw_close_frame);
	H_ASSERT_EQ_INT(server_closed, 1);
	H_ASSERT(client_up);
	H_ASSERT_EQ_INT(client_closed, 0);
	lws_context_destroy(cx);
	return h_pass();
}

/*
 * UDP in the raw role (lws_create_adopt_udp, lws_get_udp):
 *  1. a bound UDP wsi: lws 4.3.3's order WSI_CREATE, RAW_SKT_BIND_PROTOCOL, RAW_ADOPT,
 *     RAW_SKT_DROP_PROTOCOL, RAW_SKT_BIND_PROTOCOL; each datagram from a plain UDP peer is one
 *     RAW_RX, lws_get_udp()->sa46 is its sender, and lws_write() answers that sender (two
 *     peers, each gets its own answers); an empty datagram is skipped (no close);
 *  2. a connected UDP wsi (no LWS_CAUDP_BIND): lws_get_udp() says connected, lws_write()
 *     reaches the peer it was connected to, and lws_get_socket_fd() is its socket;
 *  3. bad input: an unknown protocol name, a port already bound: NULL.
 * ctest-timeout: 60
 */
#include <libwebsockets.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "harness.h"

static struct lws *server, *client;
static int rx_count, closed;
static uint16_t last_port;

static int cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
	      size_t len)
{
	const struct lws_udp *u;
	unsigned char out[LWS_PRE + 64];
	int n;

	(void)user;
	switch (reason) {
	case LWS_CALLBACK_RAW_SKT_BIND_PROTOCOL:
	case LWS_CALLBACK_RAW_ADOPT:
	case LWS_CALLBACK_RAW_SKT_DROP_PROTOCOL:
		/* Only the bound wsi exists while these are checked. */
		if (!client)
			h_trace_add(reason);
		break;
	case LWS_CALLBACK_RAW_RX:
		if (client)
			break;
		rx_count++;
		u = lws_get_udp(wsi);
		H_ASSERT(u != NULL);
		H_ASSERT_EQ_INT(u->sa46.sa4.sin_family, AF_INET);
		last_port = ntohs(u->sa46.sa4.sin_port);
		H_ASSERT(len > 0 && len < 40);
		n = snprintf((char *)out + LWS_PRE, 60, "re:%.*s", (int)len, (const char *)in);
		H_ASSERT_EQ_INT(lws_write(wsi, out + LWS_PRE, (size_t)n, LWS_WRITE_RAW), n);
		break;
	case LWS_CALLBACK_RAW_CLOSE:
		closed++;
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "udp", cb, 16, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static int udp_socket(uint16_t *port)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	H_ASSERT(bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	H_ASSERT(getsockname(fd, (struct sockaddr *)&sa, &sl) == 0);
	*port = ntohs(sa.sin_port);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

static void send_to(int fd, uint16_t port, const char *m)
{
	struct sockaddr_in sa;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	H_ASSERT_EQ_INT(sendto(fd, m, strlen(m), 0, (struct sockaddr *)&sa, sizeof(sa)),
			(long long)strlen(m));
}

static void expect(struct lws_context *cx, int fd, const char *want)
{
	char buf[128];
	ssize_t n = -1;
	int i;

	for (i = 0; i < 3000 && n < 0; i++) {
		lws_service(cx, -1);
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n < 0)
			usleep(300);
	}
	H_ASSERT(n >= 0);
	buf[n] = '\0';
	H_ASSERT_STREQ(buf, want);
}

int main(void)
{
	struct lws_context_creation_info info;
	struct lws_context *cx;
	struct lws_vhost *vh;
	uint16_t port, p1, p2, pc;
	int a, b, c, i;
	const struct lws_udp *u;

	h_watchdog(50);
	lws_set_log_level(LLL_ERR | LLL_WARN, NULL);
	memset(&info, 0, sizeof(info));
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	info.port = CONTEXT_PORT_NO_LISTEN_SERVER;
	info.protocols = protocols;
	vh = lws_create_vhost(cx, &info);
	H_ASSERT(vh != NULL);

	/* A free port for the bound wsi. */
	close(udp_socket(&port));
	server = lws_create_adopt_udp(vh, "127.0.0.1", port, LWS_CAUDP_BIND, "udp", NULL, NULL,
				      NULL, NULL, NULL);
	H_ASSERT(server != NULL);
	a = udp_socket(&p1);
	b = udp_socket(&p2);
	send_to(a, port, "one");
	expect(cx, a, "re:one");
	H_ASSERT_EQ_INT(last_port, p1);
	send_to(b, port, "two");
	expect(cx, b, "re:two");
	H_ASSERT_EQ_INT(last_port, p2);
	send_to(a, port, "");
	send_to(a, port, "three");
	expect(cx, a, "re:three");
	H_ASSERT_EQ_INT(rx_count, 3);
	H_ASSERT_EQ_INT(closed, 0);
	u = lws_get_udp(server);
	H_ASSERT(u && !u->connected);
	H_ASSERT_EQ_INT(h_trace_index(LWS_CALLBACK_RAW_SKT_BIND_PROTOCOL, 0), 0);
	H_ASSERT_EQ_INT(h_trace_index(LWS_CALLBACK_RAW_ADOPT, 0), 1);
	H_ASSERT_EQ_INT(h_trace_index(LWS_CALLBACK_RAW_SKT_DROP_PROTOCOL, 0), 2);
	H_ASSERT_EQ_INT(h_trace_index(LWS_CALLBACK_RAW_SKT_BIND_PROTOCOL, 1), 3);

	/* Connected. */
	c = udp_socket(&pc);
	client = lws_create_adopt_udp(vh, "127.0.0.1", pc, 0, "udp", NULL, NULL, NULL, NULL, NULL);
	H_ASSERT(client != NULL);
	u = lws_get_udp(client);
	H_ASSERT(u && u->connected);
	H_ASSERT_EQ_INT(ntohs(u->sa46.sa4.sin_port), pc);
	H_ASSERT(lws_get_socket_fd(client) >= 0);
	{
		unsigned char m[LWS_PRE + 8];
		memcpy(m + LWS_PRE, "hi", 2);
		H_ASSERT_EQ_INT(lws_write(client, m + LWS_PRE, 2, LWS_WRITE_RAW), 2);
	}
	expect(cx, c, "hi");
	H_ASSERT(lws_get_udp(NULL) == NULL);

	/* Bad input. */
	H_ASSERT(lws_create_adopt_udp(vh, "127.0.0.1", port, LWS_CAUDP_BIND, "nope", NULL, NULL,
				      NULL, NULL, NULL) == NULL);
	H_ASSERT(lws_create_adopt_udp(vh, "127.0.0.1", port, LWS_CAUDP_BIND, "udp", NULL, NULL,
				      NULL, NULL, NULL) == NULL);

	lws_wsi_close(server, LWS_TO_KILL_ASYNC);
	for (i = 0; i < 2000 && !closed; i++) {
		lws_service(cx, -1);
		usleep(300);
	}
	H_ASSERT_EQ_INT(closed, 1);
	close(a);
	close(b);
	close(c);
	lws_context_destroy(cx);
	return h_pass();
}

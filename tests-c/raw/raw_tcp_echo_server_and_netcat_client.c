/*
 * The raw-skt role over loopback with plain-socket peers:
 *  1. a raw echo server (LWS_SERVER_OPTION_ONLY_RAW, listen_accept_protocol) echoes 256 KiB
 *     sent by a plain TCP client in pieces, and the callbacks come in lws 4.3.3's order:
 *     WSI_CREATE, RAW_SKT_BIND_PROTOCOL, RAW_ADOPT, RAW_RX..., RAW_SKT_DROP_PROTOCOL (the
 *     protocol has per-session data), RAW_CLOSE, WSI_DESTROY;
 *  2. a netcat-like raw client (connect info method "RAW") to a plain listening socket:
 *     RAW_CONNECTED, then what the peer sends arrives as RAW_RX and what the client writes
 *     with lws_write(LWS_WRITE_RAW) reaches the peer; no CLIENT_CONNECTION_ERROR;
 *  3. connected sockets adopted with lws_adopt_descriptor_vhost(LWS_ADOPT_SOCKET) and
 *     lws_adopt_descriptor_vhost_via_info with a parent: lws_get_parent, lws_get_child,
 *     opaque data, and a parent's close closes its child first (both sockets closed);
 *     lws_close_free_wsi (RAW_CLOSE) and __lws_close_free_wsi_final (only WSI_DESTROY).
 * ctest-timeout: 60
 */
#include <libwebsockets.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "harness.h"

#define TOTAL (256 * 1024)

struct pss {
	unsigned char buf[LWS_PRE + 8192];
	size_t len;
};

static size_t echoed_rx;
static int server_closed;

static int cb_echo(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		   size_t len)
{
	struct pss *pss = (struct pss *)user;

	switch (reason) {
	case LWS_CALLBACK_RAW_SKT_BIND_PROTOCOL:
	case LWS_CALLBACK_RAW_ADOPT:
	case LWS_CALLBACK_RAW_SKT_DROP_PROTOCOL:
		h_trace_add(reason);
		break;
	case LWS_CALLBACK_RAW_CLOSE:
		h_trace_add(reason);
		server_closed++;
		break;
	case LWS_CALLBACK_RAW_RX:
		H_ASSERT(pss != NULL);
		if (h_trace_count(LWS_CALLBACK_RAW_RX) == 0)
			h_trace_add(reason);
		H_ASSERT(len > 0 && len <= sizeof(pss->buf) - LWS_PRE - pss->len);
		memcpy(pss->buf + LWS_PRE + pss->len, in, len);
		pss->len += len;
		echoed_rx += len;
		/* Hold reading until this is echoed. */
		lws_rx_flow_control(wsi, 0);
		lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_RAW_WRITEABLE:
		if (pss->len) {
			H_ASSERT_EQ_INT(lws_write(wsi, pss->buf + LWS_PRE, pss->len, LWS_WRITE_RAW),
					pss->len);
			pss->len = 0;
		}
		lws_rx_flow_control(wsi, 1);
		break;
	default:
		break;
	}
	return 0;
}

/* protocols[0]: the netcat-like client and the adopted sockets. */
static struct lws *client_wsi, *adopted, *child, *closing, *final_wsi;
static int client_connected, client_error, client_closed, adopted_closed, child_closed;
static int closing_closed, final_closed, final_destroyed;
static char client_got[256], adopted_got[256];
static size_t client_got_len, adopted_got_len;

static int cb_nc(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		 size_t len)
{
	(void)user;
	switch (reason) {
	case LWS_CALLBACK_WSI_CREATE:
	case LWS_CALLBACK_WSI_DESTROY:
		/* protocols[0] hears these for every connection of its vhost. */
		h_trace_add(reason);
		if (reason == LWS_CALLBACK_WSI_DESTROY && wsi == final_wsi)
			final_destroyed++;
		break;
	case LWS_CALLBACK_RAW_CONNECTED:
		h_trace_add(reason);
		client_connected++;
		H_ASSERT(wsi == client_wsi);
		lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		h_trace_addf("cce %s", in ? (const char *)in : "");
		client_error++;
		break;
	case LWS_CALLBACK_RAW_WRITEABLE:
		if (wsi == client_wsi) {
			static unsigned char m[LWS_PRE + 16];
			memcpy(m + LWS_PRE, "from-lws\n", 9);
			H_ASSERT_EQ_INT(lws_write(wsi, m + LWS_PRE, 9, LWS_WRITE_RAW), 9);
		}
		break;
	case LWS_CALLBACK_RAW_RX:
		if (wsi == client_wsi && client_got_len + len < sizeof(client_got)) {
			memcpy(client_got + client_got_len, in, len);
			client_got_len += len;
		} else if (wsi == adopted && adopted_got_len + len < sizeof(adopted_got)) {
			memcpy(adopted_got + adopted_got_len, in, len);
			adopted_got_len += len;
		}
		break;
	case LWS_CALLBACK_RAW_CLOSE:
		if (wsi == client_wsi)
			client_closed++;
		if (wsi == closing)
			closing_closed++;
		if (wsi == final_wsi)
			final_closed++;
		if (wsi == child) {
			child_closed++;
			h_trace_addf("child closed");
			/* The parent is still there while its child closes. */
			H_ASSERT(adopted_closed == 0);
		}
		if (wsi == adopted) {
			adopted_closed++;
			h_trace_addf("parent closed");
		}
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "nc", cb_nc, 0, 0, 0, NULL, 0 },
	{ "echo", cb_echo, sizeof(struct pss), 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static void service_for(struct lws_context *cx, int ms)
{
	int i;

	for (i = 0; i < ms; i++) {
		lws_service(cx, -1);
		usleep(1000);
	}
}

static int plain_listener(int *port)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	H_ASSERT(fd >= 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	H_ASSERT(bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	H_ASSERT(listen(fd, 4) == 0);
	H_ASSERT(getsockname(fd, (struct sockaddr *)&sa, &sl) == 0);
	*port = ntohs(sa.sin_port);
	return fd;
}

static int connect_to(int port)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	H_ASSERT(connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	return fd;
}

static void echo_server(struct lws_context *cx, int port)
{
	static unsigned char out[TOTAL], back[TOTAL];
	size_t sent = 0, got = 0;
	int fd = connect_to(port), i;

	for (i = 0; i < TOTAL; i++)
		out[i] = (unsigned char)(i * 7 + (i >> 9));
	fcntl(fd, F_SETFL, O_NONBLOCK);
	for (i = 0; i < 20000 && got < TOTAL; i++) {
		ssize_t n;

		if (sent < TOTAL) {
			size_t piece = 1 + (size_t)(i % 3000);
			if (piece > TOTAL - sent)
				piece = TOTAL - sent;
			n = send(fd, out + sent, piece, 0);
			if (n > 0)
				sent += (size_t)n;
		}
		n = recv(fd, back + got, TOTAL - got, 0);
		if (n > 0)
			got += (size_t)n;
		lws_service(cx, -1);
	}
	H_ASSERT_EQ_INT(got, TOTAL);
	H_ASSERT(!memcmp(out, back, TOTAL));
	H_ASSERT_EQ_INT(echoed_rx, TOTAL);
	close(fd);
	for (i = 0; i < 2000 && !server_closed; i++) {
		lws_service(cx, -1);
		usleep(500);
	}
	H_ASSERT_EQ_INT(server_closed, 1);
	/* lws 4.3.3's order for an accepted raw socket. */
	H_ASSERT(h_trace_index(LWS_CALLBACK_WSI_CREATE, 0) <
		 h_trace_index(LWS_CALLBACK_RAW_SKT_BIND_PROTOCOL, 0));
	H_ASSERT(h_trace_index(LWS_CALLBACK_RAW_SKT_BIND_PROTOCOL, 0) <
		 h_trace_index(LWS_CALLBACK_RAW_ADOPT, 0));
	H_ASSERT(h_trace_index(LWS_CALLBACK_RAW_ADOPT, 0) < h_trace_index(LWS_CALLBACK_RAW_RX, 0));
	H_ASSERT(h_trace_index(LWS_CALLBACK_RAW_RX, 0) <
		 h_trace_index(LWS_CALLBACK_RAW_SKT_DROP_PROTOCOL, 0));
	H_ASSERT(h_trace_index(LWS_CALLBACK_RAW_SKT_DROP_PROTOCOL, 0) <
		 h_trace_index(LWS_CALLBACK_RAW_CLOSE, 0));
	H_ASSERT(h_trace_index(LWS_CALLBACK_RAW_CLOSE, 0) <
		 h_trace_index(LWS_CALLBACK_WSI_DESTROY, 0));
}

static void netcat_client(struct lws_context *cx, struct lws_vhost *vh)
{
	struct lws_client_connect_info i;
	char buf[64];
	int port, l = plain_listener(&port), peer = -1, n;
	size_t have = 0;

	memset(&i, 0, sizeof(i));
	i.context = cx;
	i.vhost = vh;
	i.address = "127.0.0.1";
	i.port = port;
	i.method = "RAW";
	i.local_protocol_name = "nc";
	i.pwsi = &client_wsi;
	H_ASSERT(lws_client_connect_via_info(&i) != NULL);
	fcntl(l, F_SETFL, O_NONBLOCK);
	for (n = 0; n < 3000 && peer < 0; n++) {
		peer = accept(l, NULL, NULL);
		lws_service(cx, -1);
		usleep(500);
	}
	H_ASSERT(peer >= 0);
	fcntl(peer, F_SETFL, O_NONBLOCK);
	H_ASSERT_EQ_INT(send(peer, "from-peer\n", 10, 0), 10);
	for (n = 0; n < 3000 && (have < 9 || client_got_len < 10); n++) {
		ssize_t r = recv(peer, buf + have, sizeof(buf) - 1 - have, 0);
		if (r > 0)
			have += (size_t)r;
		lws_service(cx, -1);
		usleep(500);
	}
	buf[have] = '\0';
	H_ASSERT_EQ_INT(client_connected, 1);
	H_ASSERT_EQ_INT(client_error, 0);
	H_ASSERT_STREQ(buf, "from-lws\n");
	client_got[client_got_len] = '\0';
	H_ASSERT_STREQ(client_got, "from-peer\n");
	/* The peer hangs up: RAW_CLOSE, not CLIENT_CONNECTION_ERROR. */
	close(peer);
	for (n = 0; n < 3000 && !client_closed; n++) {
		lws_service(cx, -1);
		usleep(500);
	}
	H_ASSERT_EQ_INT(client_closed, 1);
	H_ASSERT_EQ_INT(client_error, 0);
	close(l);
}

static void adopted_sockets(struct lws_context *cx, struct lws_vhost *vh)
{
	lws_sock_file_fd_type u;
	lws_adopt_desc_t d;
	int sp[2], sp2[2], n;
	static int marker;

	H_ASSERT(socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == 0);
	H_ASSERT(socketpair(AF_UNIX, SOCK_STREAM, 0, sp2) == 0);
	u.sockfd = sp[0];
	adopted = lws_adopt_descriptor_vhost(vh, LWS_ADOPT_SOCKET, u, "nc", NULL);
	H_ASSERT(adopted != NULL);
	H_ASSERT(lws_get_parent(adopted) == NULL);
	memset(&d, 0, sizeof(d));
	d.vh = vh;
	d.type = LWS_ADOPT_SOCKET;
	d.fd.sockfd = sp2[0];
	d.vh_prot_name = "nc";
	d.parent = adopted;
	d.opaque = &marker;
	child = lws_adopt_descriptor_vhost_via_info(&d);
	H_ASSERT(child != NULL);
	H_ASSERT(lws_get_opaque_user_data(child) == &marker);
	H_ASSERT(lws_get_parent(child) == adopted);
	H_ASSERT(lws_get_child(adopted) == child);
	H_ASSERT(lws_get_child(child) == NULL);
	H_ASSERT_EQ_INT(lws_get_child_pending_on_writable(adopted), 0);
	lws_set_opaque_parent_data(child, &marker);
	H_ASSERT(lws_get_opaque_parent_data(child) == &marker);

	H_ASSERT_EQ_INT(write(sp[1], "adopted-bytes", 13), 13);
	for (n = 0; n < 2000 && adopted_got_len < 13; n++) {
		lws_service(cx, -1);
		usleep(500);
	}
	adopted_got[adopted_got_len] = '\0';
	H_ASSERT_STREQ(adopted_got, "adopted-bytes");

	/* Closing the parent closes its child first. */
	lws_wsi_close(adopted, LWS_TO_KILL_ASYNC);
	for (n = 0; n < 2000 && !adopted_closed; n++) {
		lws_service(cx, -1);
		usleep(500);
	}
	H_ASSERT_EQ_INT(child_closed, 1);
	H_ASSERT_EQ_INT(adopted_closed, 1);
	/* Both sockets really closed: the peers see EOF. */
	{
		char c;
		H_ASSERT_EQ_INT(read(sp[1], &c, 1), 0);
		H_ASSERT_EQ_INT(read(sp2[1], &c, 1), 0);
	}
	close(sp[1]);
	close(sp2[1]);

	/* lws_close_free_wsi: RAW_CLOSE; __lws_close_free_wsi_final: only WSI_DESTROY. */
	H_ASSERT(socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == 0);
	H_ASSERT(socketpair(AF_UNIX, SOCK_STREAM, 0, sp2) == 0);
	u.sockfd = sp[0];
	closing = lws_adopt_descriptor_vhost(vh, LWS_ADOPT_SOCKET, u, "nc", NULL);
	u.sockfd = sp2[0];
	final_wsi = lws_adopt_descriptor_vhost(vh, LWS_ADOPT_SOCKET, u, "nc", NULL);
	H_ASSERT(closing && final_wsi);
	service_for(cx, 5);
	lws_close_free_wsi(closing, LWS_CLOSE_STATUS_NOSTATUS, "test");
	__lws_close_free_wsi_final(final_wsi);
	for (n = 0; n < 2000 && !(closing_closed && final_destroyed); n++) {
		lws_service(cx, -1);
		usleep(500);
	}
	H_ASSERT_EQ_INT(closing_closed, 1);
	H_ASSERT_EQ_INT(final_destroyed, 1);
	H_ASSERT_EQ_INT(final_closed, 0);
	{
		char c;
		H_ASSERT_EQ_INT(read(sp[1], &c, 1), 0);
		H_ASSERT_EQ_INT(read(sp2[1], &c, 1), 0);
	}
	close(sp[1]);
	close(sp2[1]);
}

int main(void)
{
	struct lws_context_creation_info info;
	struct lws_context *cx;
	struct lws_vhost *raw_vh, *nc_vh;
	int port;

	h_watchdog(50);
	lws_set_log_level(LLL_ERR | LLL_WARN, NULL);
	memset(&info, 0, sizeof(info));
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);

	info.port = 0;
	info.vhost_name = "raw";
	info.protocols = protocols;
	info.options = LWS_SERVER_OPTION_ONLY_RAW;
	info.listen_accept_role = "raw-skt";
	info.listen_accept_protocol = "echo";
	raw_vh = lws_create_vhost(cx, &info);
	H_ASSERT(raw_vh != NULL);
	port = lws_get_vhost_listen_port(raw_vh);
	H_ASSERT(port > 0);

	memset(&info, 0, sizeof(info));
	info.port = CONTEXT_PORT_NO_LISTEN_SERVER;
	info.vhost_name = "nc";
	info.protocols = protocols;
	nc_vh = lws_create_vhost(cx, &info);
	H_ASSERT(nc_vh != NULL);
	service_for(cx, 20);

	echo_server(cx, port);
	netcat_client(cx, nc_vh);
	adopted_sockets(cx, nc_vh);

	lws_context_destroy(cx);
	return h_pass();
}

/*
 * A ws-to-raw bridge, as minimal-ws-raw-proxy does it, all over loopback in one context:
 * a ws client sends 60 messages (1 byte to 32 KiB) to a ws server; for each ws connection
 * the server opens a raw client (method "RAW", parent_wsi = the ws wsi) to a raw echo vhost
 * (LWS_SERVER_OPTION_ONLY_RAW) and pipes bytes both ways, finding the other half with
 * lws_get_child / lws_get_parent. Everything sent comes back in order. When the ws client
 * goes, the ws server connection closes its raw child first (RAW_CLOSE before CLOSED), and
 * the raw echo server then sees its peer close.
 * ctest-timeout: 90
 */
#include <libwebsockets.h>

#include "harness.h"

#define MSGS 60
#define BIG (32 * 1024)

struct buf {
	unsigned char *p;
	size_t len, cap;
};

static void buf_add(struct buf *b, const void *d, size_t n)
{
	if (b->len + n + LWS_PRE > b->cap) {
		b->cap = (b->len + n + LWS_PRE) * 2;
		b->p = (unsigned char *)realloc(b->p, b->cap);
		H_ASSERT(b->p != NULL);
	}
	memcpy(b->p + LWS_PRE + b->len, d, n);
	b->len += n;
}

static void buf_free(struct buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* The bridge's state lives with the ws server connection. */
struct bridge {
	struct buf to_raw, to_ws;
};

static int child_closed, ws_server_closed, echo_closed, raw_connected;
static struct lws *ws_server_wsi;

static int cb_bridge_ws(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
			size_t len)
{
	struct bridge *b = (struct bridge *)user;
	struct lws_client_connect_info i;
	struct lws *child;

	switch (reason) {
	case LWS_CALLBACK_ESTABLISHED:
		ws_server_wsi = wsi;
		memset(&i, 0, sizeof(i));
		i.context = lws_get_context(wsi);
		i.vhost = lws_get_vhost(wsi);
		i.address = "127.0.0.1";
		i.port = *(int *)lws_context_user(lws_get_context(wsi));
		i.method = "RAW";
		i.local_protocol_name = "bridge-raw";
		i.parent_wsi = wsi;
		H_ASSERT(lws_client_connect_via_info(&i) != NULL);
		H_ASSERT(lws_get_child(wsi) != NULL);
		break;
	case LWS_CALLBACK_RECEIVE:
		buf_add(&b->to_raw, in, len);
		child = lws_get_child(wsi);
		H_ASSERT(child != NULL);
		lws_callback_on_writable(child);
		break;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		if (b->to_ws.len) {
			size_t n = b->to_ws.len > 8192 ? 8192 : b->to_ws.len;
			H_ASSERT_EQ_INT(lws_write(wsi, b->to_ws.p + LWS_PRE, n, LWS_WRITE_BINARY), n);
			memmove(b->to_ws.p + LWS_PRE, b->to_ws.p + LWS_PRE + n, b->to_ws.len - n);
			b->to_ws.len -= n;
			if (b->to_ws.len)
				lws_callback_on_writable(wsi);
		}
		break;
	case LWS_CALLBACK_CLOSED:
		h_trace_addf("ws server closed");
		ws_server_closed++;
		/* The child went first. */
		H_ASSERT_EQ_INT(child_closed, 1);
		buf_free(&b->to_raw);
		buf_free(&b->to_ws);
		break;
	default:
		break;
	}
	return 0;
}

static int cb_bridge_raw(struct lws *wsi, enum lws_callback_reasons reason, void *user,
			 void *in, size_t len)
{
	struct lws *parent = lws_get_parent(wsi);
	struct bridge *b = parent ? (struct bridge *)lws_wsi_user(parent) : NULL;

	(void)user;
	switch (reason) {
	case LWS_CALLBACK_RAW_CONNECTED:
		raw_connected++;
		H_ASSERT(parent == ws_server_wsi);
		lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_RAW_RX:
		H_ASSERT(b != NULL);
		buf_add(&b->to_ws, in, len);
		lws_callback_on_writable(parent);
		break;
	case LWS_CALLBACK_RAW_WRITEABLE:
		if (b && b->to_raw.len) {
			H_ASSERT_EQ_INT(lws_write(wsi, b->to_raw.p + LWS_PRE, b->to_raw.len,
						  LWS_WRITE_RAW),
					b->to_raw.len);
			b->to_raw.len = 0;
		}
		break;
	case LWS_CALLBACK_RAW_CLOSE:
		h_trace_addf("raw child closed");
		child_closed++;
		H_ASSERT_EQ_INT(ws_server_closed, 0);
		break;
	default:
		break;
	}
	return 0;
}

struct echo_pss {
	struct buf q;
};

static int cb_echo(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		   size_t len)
{
	struct echo_pss *e = (struct echo_pss *)user;

	switch (reason) {
	case LWS_CALLBACK_RAW_RX:
		buf_add(&e->q, in, len);
		lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_RAW_WRITEABLE:
		if (e->q.len) {
			H_ASSERT_EQ_INT(lws_write(wsi, e->q.p + LWS_PRE, e->q.len, LWS_WRITE_RAW),
					e->q.len);
			e->q.len = 0;
		}
		break;
	case LWS_CALLBACK_RAW_CLOSE:
		echo_closed++;
		buf_free(&e->q);
		break;
	default:
		break;
	}
	return 0;
}

/* The ws client. */
static unsigned char *sent;
static size_t sent_len, got_len;
static int msgs_sent, client_done;

static size_t msg_size(int n)
{
	return n % 7 == 0 ? BIG : (size_t)(1 + n * 131 % 4000);
}

static int cb_client(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		     size_t len)
{
	static unsigned char m[LWS_PRE + BIG];

	(void)user;
	switch (reason) {
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		if (msgs_sent < MSGS) {
			size_t n = msg_size(msgs_sent), k;
			for (k = 0; k < n; k++)
				m[LWS_PRE + k] = (unsigned char)(msgs_sent * 31 + k);
			memcpy(sent + sent_len, m + LWS_PRE, n);
			sent_len += n;
			msgs_sent++;
			H_ASSERT_EQ_INT(lws_write(wsi, m + LWS_PRE, n, LWS_WRITE_BINARY), n);
			lws_callback_on_writable(wsi);
		}
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		H_ASSERT(got_len + len <= sent_len);
		H_ASSERT(!memcmp(sent + got_len, in, len));
		got_len += len;
		if (msgs_sent == MSGS && got_len == sent_len) {
			client_done = 1;
			return -1;
		}
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		H_FAIL("ws client: %s", in ? (const char *)in : "?");
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols ws_protocols[] = {
	{ "http", lws_callback_http_dummy, 0, 0, 0, NULL, 0 },
	{ "bridge", cb_bridge_ws, sizeof(struct bridge), 0, 0, NULL, 0 },
	{ "bridge-raw", cb_bridge_raw, 0, 0, 0, NULL, 0 },
	{ "client", cb_client, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static const struct lws_protocols raw_protocols[] = {
	{ "echo", cb_echo, sizeof(struct echo_pss), 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

int main(void)
{
	struct lws_context_creation_info info;
	struct lws_client_connect_info ci;
	struct lws_context *cx;
	struct lws_vhost *ws_vh, *raw_vh;
	static int raw_port;
	int i;

	h_watchdog(80);
	lws_set_log_level(LLL_ERR | LLL_WARN, NULL);
	sent = (unsigned char *)malloc((size_t)MSGS * BIG);
	H_ASSERT(sent != NULL);
	memset(&info, 0, sizeof(info));
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	info.user = &raw_port;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);

	memset(&info, 0, sizeof(info));
	info.port = 0;
	info.vhost_name = "raw";
	info.protocols = raw_protocols;
	info.options = LWS_SERVER_OPTION_ONLY_RAW;
	raw_vh = lws_create_vhost(cx, &info);
	H_ASSERT(raw_vh != NULL);
	raw_port = lws_get_vhost_listen_port(raw_vh);

	memset(&info, 0, sizeof(info));
	info.port = 0;
	info.vhost_name = "ws";
	info.protocols = ws_protocols;
	ws_vh = lws_create_vhost(cx, &info);
	H_ASSERT(ws_vh != NULL);

	memset(&ci, 0, sizeof(ci));
	ci.context = cx;
	ci.vhost = ws_vh;
	ci.address = "127.0.0.1";
	ci.port = lws_get_vhost_listen_port(ws_vh);
	ci.host = "127.0.0.1";
	ci.path = "/";
	ci.protocol = "bridge";
	ci.local_protocol_name = "client";
	H_ASSERT(lws_client_connect_via_info(&ci) != NULL);

	for (i = 0; i < 200000 && !(client_done && ws_server_closed && echo_closed); i++)
		lws_service(cx, -1);
	H_ASSERT_EQ_INT(raw_connected, 1);
	H_ASSERT_EQ_INT(msgs_sent, MSGS);
	H_ASSERT_EQ_INT(got_len, sent_len);
	H_ASSERT_EQ_INT(child_closed, 1);
	H_ASSERT_EQ_INT(ws_server_closed, 1);
	H_ASSERT_EQ_INT(echo_closed, 1);

	lws_context_destroy(cx);
	free(sent);
	return h_pass();
}

/*
 * B5.5: a 10000-byte message to a protocol with rx_buffer_size 1000 arrives
 * as ten RECEIVEs with exact first/final flags and remaining counts; a
 * message sent as TEXT|NO_FIN + CONTINUATION (B6.T3) arrives as two chunks
 * that are first and final respectively, as text. B6.T2: three
 * lws_callback_on_writable calls give one WRITEABLE. B6.T10: after
 * lws_rx_flow_control(wsi, 0) nothing is delivered, although the peer keeps
 * sending; after lws_rx_flow_control(wsi, 1) everything arrives, in order.
 */
#include <libwebsockets.h>
#include "../harness/harness.h"

static struct lws_context *cx;
static struct lws *server_wsi, *client_wsi;
static int step, writeables, chunks, bad_chunk, frag_first, frag_last, frag_text,
	   flow_received, flow_next_expected, stop;
static size_t got;
static unsigned char buf[LWS_PRE + 10000];

static int
cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t i;

	(void)user;
	switch (reason) {
	case LWS_CALLBACK_ESTABLISHED:
		server_wsi = wsi;
		break;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		client_wsi = wsi;
		/* B6.T2 */
		lws_callback_on_writable(wsi);
		lws_callback_on_writable(wsi);
		lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		writeables++;
		if (step == 0) {
			for (i = 0; i < 10000; i++)
				buf[LWS_PRE + i] = (unsigned char)i;
			if (lws_write(wsi, buf + LWS_PRE, 10000, LWS_WRITE_BINARY) != 10000)
				return -1;
		} else if (step == 1) {
			memcpy(buf + LWS_PRE, "abc", 3);
			if (lws_write(wsi, buf + LWS_PRE, 3, LWS_WRITE_TEXT | LWS_WRITE_NO_FIN) != 3)
				return -1;
			step = 2;
			lws_callback_on_writable(wsi);
		} else if (step == 2) {
			memcpy(buf + LWS_PRE, "def", 3);
			if (lws_write(wsi, buf + LWS_PRE, 3, LWS_WRITE_CONTINUATION) != 3)
				return -1;
			step = 3;
		} else if (step >= 10 && step < 30) {
			/* the flow-control burst: 20 numbered messages */
			buf[LWS_PRE] = (unsigned char)(step - 10);
			if (lws_write(wsi, buf + LWS_PRE, 1, LWS_WRITE_BINARY) != 1)
				return -1;
			step++;
			if (step < 30)
				lws_callback_on_writable(wsi);
		}
		break;
	case LWS_CALLBACK_RECEIVE:
		if (step == 0) {
			for (i = 0; i < len; i++)
				if (p[i] != (unsigned char)(got + i))
					bad_chunk = 1;
			chunks++;
			if (len != 1000)
				bad_chunk = 1;
			if (lws_is_first_fragment(wsi) != (chunks == 1))
				bad_chunk = 1;
			if (lws_is_final_fragment(wsi) != (chunks == 10))
				bad_chunk = 1;
			got += len;
			if (lws_remaining_packet_payload(wsi) != 10000 - got)
				bad_chunk = 1;
			if (chunks == 10) {
				step = 1;
				lws_callback_on_writable(client_wsi);
			}
		} else if (step == 2 || step == 3) {
			if (!memcmp(in, "abc", 3) && len == 3) {
				frag_first = lws_is_first_fragment(wsi) && !lws_is_final_fragment(wsi);
				frag_text = !lws_frame_is_binary(wsi);
			}
			if (!memcmp(in, "def", 3) && len == 3) {
				frag_last = !lws_is_first_fragment(wsi) && lws_is_final_fragment(wsi);
				step = 10;
				lws_rx_flow_control(wsi, 0);
				lws_callback_on_writable(client_wsi);
			}
		} else {
			if (p[0] != flow_next_expected)
				bad_chunk = 1;
			flow_next_expected++;
			flow_received++;
			if (flow_received == 20)
				stop = 1;
		}
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		H_FAIL("connection error: %s", in ? (const char *)in : "-");
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "frag", cb, 0, 1000, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

int main(void)
{
	struct lws_context_creation_info info;
	struct lws_client_connect_info ci;
	int i, n = 0;

	h_watchdog(20);
	lws_set_log_level(LLL_ERR | LLL_WARN, NULL);
	memset(&info, 0, sizeof info);
	info.port = 0;
	info.iface = "127.0.0.1";
	info.protocols = protocols;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);

	memset(&ci, 0, sizeof ci);
	ci.context = cx;
	ci.address = "127.0.0.1";
	ci.port = lws_get_vhost_listen_port(lws_get_vhost_by_name(cx, "default"));
	ci.host = "127.0.0.1";
	ci.protocol = "frag";
	H_ASSERT(lws_client_connect_via_info(&ci) != NULL);

	while (step < 30 && n >= 0)
		n = lws_service(cx, 0);
	/* the burst is sent; the server is paused: nothing arrives */
	for (i = 0; i < 20; i++)
		lws_service(cx, -1);
	H_ASSERT_EQ_INT(flow_received, 0);

	H_ASSERT_EQ_INT(lws_rx_flow_control(server_wsi, 1), 0);
	while (!stop && n >= 0)
		n = lws_service(cx, 0);

	H_ASSERT_EQ_INT(chunks, 10);
	H_ASSERT(!bad_chunk);
	H_ASSERT(frag_first && frag_last && frag_text);
	H_ASSERT_EQ_INT(flow_received, 20);
	/* the first WRITEABLE answered three requests */
	H_ASSERT_EQ_INT(writeables, 1 + 2 + 20);
	lws_context_destroy(cx);
	return h_pass();
}

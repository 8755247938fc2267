/*
 * The protocol walks and vhost / connection queries of lws-writeable.h,
 * lws-protocols-plugins.h, lws-context-vhost.h, lws-misc.h and
 * lws-network-helper.h, over a loopback WebSocket connection to ourselves:
 * - lws_protocol_init runs PROTOCOL_INIT once per (vhost, protocol) (not
 *   for a protocol missing from a vhost's pvo list); its
 *   pvo is read with lws_pvo_get_str; lws_vhd_find_by_pvo finds the
 *   per-vhost storage by a pvo value.
 * - lws_callback_all_protocol(_vhost(_args)) reach each bound connection
 *   with its per-session data (and the args); lws_callback_vhost_protocols
 *   calls every protocol of the vhost with the same wsi and stops at the
 *   first non-zero answer (returning 1). lws_protocol_get,
 *   lws_adjust_protocol_psds (existing per-session data is kept).
 * - lws_get_peer_addresses (the peer's name and address), RSV bits 0 on an
 *   uncompressed connection, tx credit absent on h1/ws (-1 / 0),
 *   lws_validity_confirmed accepted.
 * - the Close payload (status, reason) of lws_get_close_length /
 *   lws_get_close_payload: the one lws_close_reason set; on a client, the
 *   peer's, kept (to echo it) once WS_PEER_INITIATED_CLOSE returned.
 * - lws_vh_tag, lws_get_vhost_iface/_port/_user, lws_canonical_hostname,
 *   lws_vhost_foreach_listen_wsi, and lws_vhost_destroy1 (not found any
 *   more, listener closed, the rest of the destroy once nothing is bound).
 * NULL arguments: lws's error value and one log line each.
 */
#include <libwebsockets.h>
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "../harness/harness.h"

struct pss { int marker; };

static struct lws_context *cx;
static struct lws_vhost *srv, *extra;
static int err_lines, inits_p, inits_q, destroys, user_hits, args_hits, walk_p, walk_q;
static int client_closed, peer_close_len = -1, own_close_len, kept_close_len;
static int established_checked, server_closed, vhp_ret = -1;
static char pvo_seen[32], peer_name[128], peer_ip[64];
static unsigned char close_buf[16];
static int marker;

static void emit(int level, const char *line)
{
	(void)line;
	if (level == LLL_ERR)
		err_lines++;
}

static int cb_p(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		size_t len);
static int cb_q(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		size_t len);

static const struct lws_protocols protocols[] = {
	{ "p", cb_p, sizeof(struct pss), 0, 0, NULL, 0 },
	{ "q", cb_q, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static const struct lws_protocol_vhost_options pvo_opt = { NULL, NULL, "id", "srv-vhd" };
static const struct lws_protocol_vhost_options pvo = { NULL, &pvo_opt, "p", "" };

static int cb_q(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		size_t len)
{
	(void)wsi; (void)user; (void)in; (void)len;
	switch ((int)reason) {
	case LWS_CALLBACK_PROTOCOL_INIT:
		inits_q++;
		break;
	case LWS_CALLBACK_PROTOCOL_DESTROY:
		destroys++;
		break;
	case LWS_CALLBACK_USER + 1:
		walk_q++;
		return 1;
	default:
		break;
	}
	return 0;
}

static int count_listener(struct lws_dll2 *d, void *arg)
{
	H_ASSERT(d != NULL);
	(*(int *)arg)++;
	return 0;
}

static int stop_at_first(struct lws_dll2 *d, void *arg)
{
	(void)d; (void)arg;
	return 7;
}

static int cb_p(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		size_t len)
{
	struct pss *pss = (struct pss *)user;
	const char *s = NULL;
	int before;

	switch ((int)reason) {
	case LWS_CALLBACK_PROTOCOL_INIT:
		inits_p++;
		if (in && !lws_pvo_get_str(in, "id", &s)) {
			lws_strncpy(pvo_seen, s, sizeof pvo_seen);
			H_ASSERT_EQ_INT(lws_pvo_get_str(in, "nonexistent", &s), 1);
		}
		H_ASSERT(lws_protocol_vh_priv_zalloc(lws_get_vhost(wsi), lws_get_protocol(wsi),
						     16) != NULL);
		break;
	case LWS_CALLBACK_PROTOCOL_DESTROY:
		destroys++;
		break;
	case LWS_CALLBACK_ESTABLISHED:
		pss->marker = 0x5a5a;
		H_ASSERT(lws_protocol_get(wsi) == lws_get_protocol(wsi));
		H_ASSERT(lws_adjust_protocol_psds(wsi, 64) == user);
		before = err_lines;
		lws_get_peer_addresses(wsi, lws_get_socket_fd(wsi), peer_name, sizeof peer_name,
				       peer_ip, sizeof peer_ip);
		H_ASSERT_EQ_INT(lws_get_reserved_bits(wsi), 0);
		H_ASSERT_EQ_INT((int)lws_get_peer_write_allowance(wsi), -1);
		H_ASSERT_EQ_INT(lws_wsi_tx_credit(wsi, LWSTXCR_US_TO_PEER, 0), 0);
		H_ASSERT_EQ_INT(lws_get_close_length(wsi), 0);
		lws_validity_confirmed(wsi);
		H_ASSERT_EQ_INT(err_lines, before);

		H_ASSERT_EQ_INT(lws_callback_all_protocol_vhost(srv, lws_get_protocol(wsi),
								LWS_CALLBACK_USER), 0);
		H_ASSERT_EQ_INT(lws_callback_all_protocol_vhost_args(srv, NULL,
				LWS_CALLBACK_USER + 2, (void *)"args", 4), 0);
		vhp_ret = lws_callback_vhost_protocols(wsi, LWS_CALLBACK_USER + 1, NULL, 0);
		established_checked = 1;
		lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		lws_close_reason(wsi, LWS_CLOSE_STATUS_GOINGAWAY, (unsigned char *)"bye", 3);
		own_close_len = lws_get_close_length(wsi);
		H_ASSERT(!memcmp(lws_get_close_payload(wsi), "\x03\xe9" "bye", 5));
		return -1;
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		/* the client keeps the peer's payload only after this returns */
		H_ASSERT(len == 5 && !memcmp(in, "\x03\xe9" "bye", 5));
		peer_close_len = lws_get_close_length(wsi);
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
		kept_close_len = lws_get_close_length(wsi);
		if (kept_close_len > 0 && kept_close_len <= (int)sizeof close_buf)
			memcpy(close_buf, lws_get_close_payload(wsi), (size_t)kept_close_len);
		client_closed = 1;
		break;
	case LWS_CALLBACK_USER:
		if (!pss) /* lws also reaches its listening wsi (see COMPAT) */
			break;
		H_ASSERT(pss->marker == 0x5a5a);
		H_ASSERT(in == NULL && len == 0);
		user_hits++;
		break;
	case LWS_CALLBACK_USER + 1:
		walk_p++;
		break;
	case LWS_CALLBACK_USER + 2:
		H_ASSERT(len == 4 && !memcmp(in, "args", 4));
		if (!pss)
			break;
		args_hits++;
		break;
	case LWS_CALLBACK_CLOSED:
		server_closed = 1;
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		H_FAIL("connection error: %s", in ? (const char *)in : "-");
		break;
	default:
		break;
	}
	return 0;
}

static int tcp_connect(int port)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0), r;

	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	r = connect(fd, (struct sockaddr *)&sa, sizeof sa);
	close(fd);
	return r;
}

int main(void)
{
	struct lws_context_creation_info info;
	struct lws_client_connect_info ci;
	char host[96], tag[96];
	int n, count, extra_port;

	h_watchdog(30);
	lws_set_log_level(LLL_ERR, emit);
	memset(&info, 0, sizeof info);
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	info.protocols = protocols;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);

	info.port = 0;
	info.iface = "127.0.0.1";
	info.vhost_name = "srv";
	info.pvo = &pvo;
	info.user = &marker;
	srv = lws_create_vhost(cx, &info);
	H_ASSERT(srv != NULL);
	info.pvo = NULL;
	info.user = NULL;
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.iface = NULL;
	info.vhost_name = "cli";
	H_ASSERT(lws_create_vhost(cx, &info) != NULL);
	info.port = 0;
	info.iface = "127.0.0.1";
	info.vhost_name = "extra";
	extra = lws_create_vhost(cx, &info);
	H_ASSERT(extra != NULL);

	/* protocol init by hand: once per (vhost, protocol) */
	H_ASSERT_EQ_INT(lws_protocol_init(cx), 0);
	H_ASSERT_EQ_INT(inits_p, 3);
	/* srv has a pvo list without "q": lws does not init q there */
	H_ASSERT_EQ_INT(inits_q, 2);
	H_ASSERT_EQ_INT(lws_protocol_init(cx), 0);
	H_ASSERT_EQ_INT(inits_p, 3);
	H_ASSERT_STREQ(pvo_seen, "srv-vhd");
	H_ASSERT(lws_vhd_find_by_pvo(cx, "p", "id", "srv-vhd") ==
		 lws_protocol_vh_priv_get(srv, lws_vhost_name_to_protocol(srv, "p")));
	H_ASSERT(lws_vhd_find_by_pvo(cx, "p", "id", "other") == NULL);
	H_ASSERT(lws_vhd_find_by_pvo(cx, "q", "id", "srv-vhd") == NULL);

	/* vhost queries */
	snprintf(tag, sizeof tag, "[vh|1|srv|127.0.0.1|127.0.0.1|0]");
	H_ASSERT_STREQ(lws_vh_tag(srv), tag);
	H_ASSERT(lws_get_vhost_iface(srv) == info.iface);
	H_ASSERT(lws_get_vhost_iface(lws_get_vhost_by_name(cx, "cli")) == NULL);
	H_ASSERT(lws_get_vhost_port(srv) > 0);
	H_ASSERT_EQ_INT(lws_get_vhost_port(srv), lws_get_vhost_listen_port(srv));
	H_ASSERT(lws_get_vhost_user(srv) == &marker);
	H_ASSERT(gethostname(host, sizeof host - 1) == 0);
	H_ASSERT_STREQ(lws_canonical_hostname(cx), host);
	count = 0;
	H_ASSERT_EQ_INT(lws_vhost_foreach_listen_wsi(cx, &count, count_listener), 0);
	H_ASSERT_EQ_INT(count, 2);
	H_ASSERT_EQ_INT(lws_vhost_foreach_listen_wsi(cx, NULL, stop_at_first), 1);

	/* a connection to ourselves */
	memset(&ci, 0, sizeof ci);
	ci.context = cx;
	ci.address = "127.0.0.1";
	ci.port = lws_get_vhost_listen_port(srv);
	ci.host = "localhost";
	ci.protocol = "p";
	ci.vhost = lws_get_vhost_by_name(cx, "cli");
	H_ASSERT(lws_client_connect_via_info(&ci) != NULL);
	for (n = 0; n < 500 && (!client_closed || !server_closed); n++)
		H_ASSERT(lws_service(cx, 10) >= 0);
	H_ASSERT(established_checked);
	H_ASSERT_EQ_INT(user_hits, 1);
	H_ASSERT_EQ_INT(args_hits, 1);
	H_ASSERT_EQ_INT(walk_p, 1);
	H_ASSERT_EQ_INT(walk_q, 1);
	H_ASSERT_EQ_INT(vhp_ret, 1);
	H_ASSERT_STREQ(peer_ip, "127.0.0.1");
	H_ASSERT(peer_name[0] != '\0');
	H_ASSERT_EQ_INT(own_close_len, 5);
	H_ASSERT_EQ_INT(peer_close_len, 0);
	H_ASSERT_EQ_INT(kept_close_len, 5);
	H_ASSERT_EQ_INT(close_buf[0], 1001 >> 8);
	H_ASSERT_EQ_INT(close_buf[1], 1001 & 0xff);
	H_ASSERT(!memcmp(close_buf + 2, "bye", 3));
	/* the context-wide walk: nothing bound any more */
	H_ASSERT_EQ_INT(lws_callback_all_protocol(cx, &protocols[0], LWS_CALLBACK_USER), 0);
	H_ASSERT_EQ_INT(user_hits, 1);

	/* destroy1: not found, listener closed, then destroyed once idle */
	extra_port = lws_get_vhost_listen_port(extra);
	H_ASSERT_EQ_INT(tcp_connect(extra_port), 0);
	lws_vhost_destroy1(extra);
	lws_vhost_destroy1(extra);
	H_ASSERT(lws_get_vhost_by_name(cx, "extra") == NULL);
	count = 0;
	H_ASSERT_EQ_INT(lws_vhost_foreach_listen_wsi(cx, &count, count_listener), 0);
	H_ASSERT_EQ_INT(count, 1);
	/* lws closes the listener asynchronously: by the next service pass */
	for (n = 0; n < 5; n++)
		H_ASSERT(lws_service(cx, -1) >= 0);
	H_ASSERT(tcp_connect(extra_port) != 0);
	/* nothing bound to it any more: lws finishes the destroy by itself */
	H_ASSERT_EQ_INT(destroys, 2);

	/* NULL arguments: the error value and one log line each */
	n = err_lines;
	H_ASSERT_EQ_INT(lws_callback_all_protocol(NULL, &protocols[0], LWS_CALLBACK_USER), -1);
	H_ASSERT_EQ_INT(lws_callback_all_protocol_vhost(NULL, NULL, LWS_CALLBACK_USER), -1);
	H_ASSERT_EQ_INT(lws_callback_all_protocol_vhost_args(NULL, NULL, 0, NULL, 0), -1);
	H_ASSERT_EQ_INT(lws_callback_vhost_protocols(NULL, LWS_CALLBACK_USER, NULL, 0), -1);
	H_ASSERT(lws_adjust_protocol_psds(NULL, 8) == NULL);
	H_ASSERT(lws_protocol_get(NULL) == NULL);
	H_ASSERT_EQ_INT(lws_protocol_init(NULL), -1);
	H_ASSERT_EQ_INT(lws_pvo_get_str((void *)&pvo_opt, NULL, NULL), 1);
	H_ASSERT(lws_vhd_find_by_pvo(NULL, "p", "id", "x") == NULL);
	H_ASSERT(lws_vh_tag(NULL) == NULL);
	lws_vhost_destroy1(NULL);
	H_ASSERT_EQ_INT(lws_vhost_foreach_listen_wsi(NULL, NULL, count_listener), -1);
	H_ASSERT(lws_get_vhost_iface(NULL) == NULL);
	H_ASSERT_EQ_INT(lws_get_vhost_port(NULL), -1);
	H_ASSERT(lws_get_vhost_user(NULL) == NULL);
	H_ASSERT(lws_canonical_hostname(NULL) == NULL);
	H_ASSERT_EQ_INT(lws_get_close_length(NULL), 0);
	H_ASSERT(lws_get_close_payload(NULL) == NULL);
	H_ASSERT_EQ_INT(lws_get_reserved_bits(NULL), 0);
	lws_get_peer_addresses(NULL, -1, NULL, 0, NULL, 0);
	H_ASSERT_EQ_INT((int)lws_get_peer_write_allowance(NULL), -1);
	H_ASSERT_EQ_INT(lws_wsi_tx_credit(NULL, 0, 0), 0);
	lws_validity_confirmed(NULL);
	H_ASSERT_EQ_INT(err_lines, n + 23);

	lws_context_destroy(cx);
	H_ASSERT_EQ_INT(destroys, 6);
	return h_pass();
}

/*
 * Issue 11: a custom event library (info.event_lib_custom) over the
 * application's own poll() table, as lws's eventlib-custom example does:
 * init_pt gets the foreign loop and the per-thread storage
 * (lws_evlib_tsi_to_evlib_pt == lws_evlib_wsi_to_evlib_pt, evlib_size_pt
 * zeroed bytes); the listener comes through init_vhost_listen_wsi,
 * connections and the cancel pipe through sock_accept, POLLOUT interest
 * through io(), closes through wsi_logical_close (the descriptor still
 * readable by lws_get_socket_fd), destroy_pt at destroy. A ws client and
 * server of the context exchange 200 messages over it.
 *
 * Also the exports around it: lws_get_tsi / lws_wsi_tsi,
 * lws_handle_POLLOUT_event, lws_rx_flow_allow_all_protocol (from a timer), the evlib storage
 * without a custom library, lws_service_do_ripe_rxflow (COMPAT E4: takes the
 * context), lws_destroy_event_pipe refusing a wsi that is not the pipe's,
 * caller-owned sul lists (__lws_sul_insert, __lws_sul_service_ripe) and
 * lws_sul_schedule_wakesuspend / lws_sul_earliest_wakeable_event.
 */
#include <libwebsockets.h>
#include "../harness/harness.h"

#define NFDS 32
#define MSGS 200

struct loop {
	struct pollfd fds[NFDS];
	int count;
};

struct pt_priv {
	struct loop *loop;
	unsigned char zero_check[40];
};

static struct loop the_loop;
static struct lws_context *cx;
static int listen_inits, accepts, ios_on, ios_off, logical_closes, destroy_pts, ctx_inits;
static int srv_got, cli_got, cli_sent, closed;

static struct pollfd *find(struct loop *l, int fd)
{
	int n;

	for (n = 0; n < l->count; n++)
		if (l->fds[n].fd == fd)
			return &l->fds[n];
	return NULL;
}

static struct loop *loop_of(struct lws *wsi)
{
	struct pt_priv *p = (struct pt_priv *)lws_evlib_wsi_to_evlib_pt(wsi);

	H_ASSERT(p != NULL);
	H_ASSERT(p == lws_evlib_tsi_to_evlib_pt(lws_get_context(wsi), 0));
	return p->loop;
}

static int add(struct lws *wsi)
{
	struct loop *l = loop_of(wsi);
	int fd = lws_get_socket_fd(wsi);

	H_ASSERT(fd >= 0);
	H_ASSERT(find(l, fd) == NULL);
	H_ASSERT(l->count < NFDS);
	l->fds[l->count].fd = fd;
	l->fds[l->count].events = POLLIN;
	l->fds[l->count].revents = 0;
	l->count++;
	return 0;
}

static int init_context_op(struct lws_context *c, const struct lws_context_creation_info *info)
{
	H_ASSERT(c != NULL && info != NULL);
	ctx_inits++;
	return 0;
}

static int init_pt_op(struct lws_context *c, void *loop, int tsi)
{
	struct pt_priv *p = (struct pt_priv *)lws_evlib_tsi_to_evlib_pt(c, tsi);
	size_t i;

	H_ASSERT_EQ_INT(tsi, 0);
	H_ASSERT(loop == &the_loop);
	H_ASSERT(p != NULL);
	for (i = 0; i < sizeof p->zero_check; i++)
		H_ASSERT_EQ_INT(p->zero_check[i], 0);
	p->loop = (struct loop *)loop;
	return 0;
}

static int listen_fd = -1;

static int listen_op(struct lws *wsi)
{
	listen_inits++;
	listen_fd = lws_get_socket_fd(wsi);
	return add(wsi);
}

static int accept_op(struct lws *wsi)
{
	accepts++;
	return add(wsi);
}

static void io_op(struct lws *wsi, unsigned int flags)
{
	struct pollfd *p = find(loop_of(wsi), lws_get_socket_fd(wsi));
	short bits = (short)(((flags & LWS_EV_READ) ? POLLIN : 0) |
			     ((flags & LWS_EV_WRITE) ? POLLOUT : 0));

	H_ASSERT(p != NULL);
	H_ASSERT(!!(flags & LWS_EV_START) != !!(flags & LWS_EV_STOP));
	if (flags & LWS_EV_START) {
		p->events = (short)(p->events | bits);
		if (flags & LWS_EV_WRITE)
			ios_on++;
	} else {
		p->events = (short)(p->events & ~bits);
		if (flags & LWS_EV_WRITE)
			ios_off++;
	}
}

static int close_op(struct lws *wsi)
{
	struct loop *l = loop_of(wsi);
	struct pollfd *p = find(l, lws_get_socket_fd(wsi));

	H_ASSERT(p != NULL);
	*p = l->fds[l->count - 1];
	l->count--;
	logical_closes++;
	return 0;
}

static void destroy_pt_op(struct lws_context *c, int tsi)
{
	(void)c;
	H_ASSERT_EQ_INT(tsi, 0);
	destroy_pts++;
}

static const struct lws_event_loop_ops ops = {
	.name = "test-custom",
	.init_context = init_context_op,
	.init_pt = init_pt_op,
	.init_vhost_listen_wsi = listen_op,
	.sock_accept = accept_op,
	.io = io_op,
	.wsi_logical_close = close_op,
	.destroy_pt = destroy_pt_op,
	.evlib_size_pt = sizeof(struct pt_priv),
};

static const lws_plugin_evlib_t evlib = {
	.hdr = { "test-custom", "lws_evlib_plugin", LWS_BUILD_HASH, LWS_PLUGIN_API_MAGIC },
	.ops = &ops,
};

static unsigned char buf[LWS_PRE + 3000];
static struct lws *server_wsi;
static lws_sorted_usec_list_t allow_sul;
static int held;

/* lifts the server's rx flow control through its protocol */
static void allow_cb(lws_sorted_usec_list_t *s)
{
	(void)s;
	lws_rx_flow_allow_all_protocol(cx, lws_get_protocol(server_wsi));
}

static int cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
	      size_t len)
{
	(void)user;
	(void)len;
	switch (reason) {
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		/* a writable socket: queued output goes, nothing owed yet */
		H_ASSERT_EQ_INT(lws_handle_POLLOUT_event(wsi, NULL), 0);
		lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_ESTABLISHED:
		server_wsi = wsi;
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		if (cli_got == MSGS) {
			lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, NULL, 0);
			return -1;
		}
		if (cli_sent < MSGS) {
			memset(buf + LWS_PRE, 'a' + cli_sent % 26, sizeof buf - LWS_PRE);
			if (lws_write(wsi, buf + LWS_PRE, sizeof buf - LWS_PRE, LWS_WRITE_TEXT) < 0)
				return -1;
			cli_sent++;
			lws_callback_on_writable(wsi);
		}
		break;
	case LWS_CALLBACK_RECEIVE:
		/* echo each message back */
		if (lws_is_final_fragment(wsi)) {
			srv_got++;
			if (srv_got == MSGS / 4 && !held) {
				held = 1;
				lws_rx_flow_control(wsi, 0);
				lws_sul_schedule(cx, 0, &allow_sul, allow_cb, 20 * LWS_US_PER_MS);
			}
			memcpy(buf + LWS_PRE, "ok", 2);
			if (lws_write(wsi, buf + LWS_PRE, 2, LWS_WRITE_TEXT) < 0)
				return -1;
		}
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		cli_got++;
		if (cli_got == MSGS)
			lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		H_FAIL("client connection error: %s", in ? (const char *)in : "?");
	case LWS_CALLBACK_CLOSED:
	case LWS_CALLBACK_CLIENT_CLOSED:
		H_ASSERT_EQ_INT(lws_get_tsi(wsi), 0);
		H_ASSERT_EQ_INT(lws_wsi_tsi(wsi), 0);
		closed++;
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "x", cb, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static int fired[4], fired_order[4], fired_n;

static void sul_cb(lws_sorted_usec_list_t *s)
{
	fired[s->latency_us] = 1;
	fired_order[fired_n++] = (int)s->latency_us;
}

static void sul_lists(void)
{
	lws_dll2_owner_t own[2];
	lws_sorted_usec_list_t s[4];
	int i;

	memset(own, 0, sizeof own);
	memset(s, 0, sizeof s);
	for (i = 0; i < 4; i++) {
		s[i].cb = sul_cb;
		s[i].latency_us = (uint32_t)i; /* used as the sul's name here */
	}
	s[0].us = 300;
	s[1].us = 100;
	s[2].us = 200;
	s[3].us = 1000;
	H_ASSERT_EQ_INT(__lws_sul_insert(&own[0], &s[0]), 0);
	H_ASSERT_EQ_INT(__lws_sul_insert(&own[0], &s[1]), 0);
	H_ASSERT_EQ_INT(__lws_sul_insert(&own[1], &s[2]), 0);
	H_ASSERT_EQ_INT(__lws_sul_insert(&own[1], &s[3]), 0);
	H_ASSERT(own[0].head == &s[1].list);
	/* due by 300: 1, 2, 0 in time order across both lists; 700 us to s[3] */
	H_ASSERT_EQ_INT(__lws_sul_service_ripe(own, 2, 300), 700);
	H_ASSERT_EQ_INT(fired_n, 3);
	H_ASSERT_EQ_INT(fired_order[0], 1);
	H_ASSERT_EQ_INT(fired_order[1], 2);
	H_ASSERT_EQ_INT(fired_order[2], 0);
	H_ASSERT(!fired[3]);
	H_ASSERT_EQ_INT(own[0].count, 0);
	H_ASSERT_EQ_INT(__lws_sul_service_ripe(own, 2, 5000), 0);
	H_ASSERT(fired[3]);
	H_ASSERT_EQ_INT(__lws_sul_service_ripe(own, 2, 5000), 0);
}

static void noop_sul(lws_sorted_usec_list_t *s)
{
	(void)s;
}

int main(void)
{
	struct lws_context_creation_info info;
	struct lws_client_connect_info ci;
	struct lws_context *plain;
	lws_sorted_usec_list_t wake, plain_sul;
	lws_usec_t earliest = 0;
	void *foreign[1] = { &the_loop };
	int port, turns, n;

	h_watchdog(60);
	lws_set_log_level(getenv("DBG") ? 1039 : (LLL_ERR | LLL_WARN), NULL);
	sul_lists();

	/* without a custom library: a valid, empty per-thread storage */
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	plain = lws_create_context(&info);
	H_ASSERT(plain != NULL);
	H_ASSERT(lws_evlib_tsi_to_evlib_pt(plain, 0) != NULL);
	H_ASSERT(lws_evlib_tsi_to_evlib_pt(plain, 1) == NULL);
	/* wakeable suls: only those count */
	memset(&wake, 0, sizeof wake);
	memset(&plain_sul, 0, sizeof plain_sul);
	H_ASSERT_EQ_INT(lws_sul_earliest_wakeable_event(plain, &earliest), 1);
	lws_sul_schedule(plain, 0, &plain_sul, noop_sul, 1000);
	H_ASSERT_EQ_INT(lws_sul_earliest_wakeable_event(plain, &earliest), 1);
	lws_sul_schedule_wakesuspend(plain, 0, &wake, noop_sul, 5 * LWS_US_PER_SEC);
	H_ASSERT_EQ_INT(lws_sul_earliest_wakeable_event(plain, &earliest), 0);
	H_ASSERT(earliest == wake.us);
	lws_sul_cancel(&wake);
	H_ASSERT_EQ_INT(lws_sul_earliest_wakeable_event(plain, &earliest), 1);
	lws_sul_cancel(&plain_sul);
	/* the pt pointer has no public constructor: the context stands for it */
	lws_service_do_ripe_rxflow((struct lws_context_per_thread *)plain);
	lws_context_destroy(plain);

	memset(&info, 0, sizeof info);
	info.port = 0;
	info.iface = "127.0.0.1";
	info.protocols = protocols;
	info.event_lib_custom = &evlib;
	info.foreign_loops = foreign;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	H_ASSERT_EQ_INT(ctx_inits, 1);
	H_ASSERT_EQ_INT(listen_inits, 1);
	H_ASSERT_EQ_INT(accepts, 1); /* the cancel pipe */
	H_ASSERT_EQ_INT(the_loop.count, 2);
	port = lws_get_vhost_listen_port(lws_get_vhost_by_name(cx, "default"));

	memset(&ci, 0, sizeof ci);
	ci.context = cx;
	ci.address = "127.0.0.1";
	ci.port = port;
	ci.path = "/";
	ci.host = "127.0.0.1";
	ci.origin = "127.0.0.1";
	ci.protocol = "x";
	H_ASSERT(lws_client_connect_via_info(&ci) != NULL);

	for (turns = 0; turns < 200000 && closed < 2; turns++) {
		int to = lws_service_adjust_timeout(cx, 50, 0);

		n = poll(the_loop.fds, (nfds_t)the_loop.count, to);
		for (n = 0; n < the_loop.count; n++) {
			int fd = the_loop.fds[n].fd, m;

			if (!the_loop.fds[n].revents)
				continue;
			m = lws_service_fd(cx, &the_loop.fds[n]);
			if (m && the_loop.fds[n].fd != fd)
				n--;
		}
	}
	H_ASSERT_EQ_INT(closed, 2);
	H_ASSERT(held);
	H_ASSERT_EQ_INT(srv_got, MSGS);
	H_ASSERT_EQ_INT(cli_got, MSGS);
	H_ASSERT_EQ_INT(accepts, 3);
	H_ASSERT_EQ_INT(logical_closes, 2);
	H_ASSERT_EQ_INT(the_loop.count, 2);
	H_ASSERT(ios_on > 0 || cli_sent == MSGS);
	H_ASSERT_EQ_INT(ios_on, ios_off);
	/* only the pipe's own wsi may be destroyed as the event pipe */
	{
		int pfd = the_loop.fds[0].fd == listen_fd ? the_loop.fds[1].fd
							  : the_loop.fds[0].fd;
		struct lws *lw = wsi_from_fd(cx, listen_fd), *pw = wsi_from_fd(cx, pfd);

		H_ASSERT(lw != NULL && pw != NULL && lw != pw);
		H_ASSERT_EQ_INT(lws_get_socket_fd(lw), listen_fd);
		H_ASSERT_EQ_INT(lws_get_socket_fd(pw), pfd);
		lws_destroy_event_pipe(lw);
		H_ASSERT_EQ_INT(the_loop.count, 2);
		lws_destroy_event_pipe(pw);
		H_ASSERT_EQ_INT(the_loop.count, 1);
		H_ASSERT_EQ_INT(logical_closes, 3);
	}
	lws_context_destroy(cx);
	H_ASSERT_EQ_INT(destroy_pts, 1);
	H_ASSERT_EQ_INT(logical_closes, 4);
	H_ASSERT_EQ_INT(the_loop.count, 0);
	return h_pass();
}

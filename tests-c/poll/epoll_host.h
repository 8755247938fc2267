/*
 * A host program with its own epoll loop driving a ws server and a ws client
 * of one context (issue 11, external poll). Shared by the two tests of this
 * directory (each includes it once; all static):
 *
 *   HOST_FD_ONLY   every descriptor comes from LWS_CALLBACK_ADD_POLL_FD and is
 *                  serviced by lws_service_fd(); lws_service_fd(cx, NULL) only
 *                  when lws_service_adjust_timeout() says 0.
 *   HOST_MIXED     only the ws connections are added (from ESTABLISHED and
 *                  CLIENT_ESTABLISHED) and serviced by lws_service_fd(); the
 *                  rest by one lws_service(cx, -1) per loop turn.
 *
 * Checked all along: each ADD / CHANGE / DEL between LOCK_POLL and
 * UNLOCK_POLL; ADD of a descriptor not yet known that is open and a socket in
 * /proc/self/fd; CHANGE's prev_events is what was announced; DEL while the
 * descriptor is still open, and closed once the service call returns;
 * wsi_from_fd() and lws_get_socket_fd() agree with the callbacks; revents
 * zeroed when lws_service_fd() returns 0 for one of ours; an unknown
 * descriptor is left alone.
 *
 * The traffic: MSGS messages each way, sizes 1 byte to 1 MiB (every 1000th is
 * 1 MiB), content checked byte by byte; the server holds its rx with
 * lws_rx_flow_control() for 30 ms mid-way (POLLIN must leave the announced
 * events, and the client's writes back up: POLLOUT is announced); a raw peer
 * that resets its connection mid-request; lws_cancel_service() reaching
 * EVENT_WAIT_CANCELLED through the cancel pipe's descriptor.
 */
#include <libwebsockets.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/epoll.h>
#include <arpa/inet.h>
#include "../harness/harness.h"

#define HOST_FD_ONLY 0
#define HOST_MIXED 1

/* messages each way: 10000, or 2000 over TLS (still two of 1 MiB) */
static int MSGS = 10000;
#define MAXFD 1024
#define BIG (1024 * 1024)

static int host_mode;
static struct lws_context *cx;
static int ep = -1;
/* What the host polls each descriptor for: -1 not tracked. */
static int tracked[MAXFD];
/* Announced by the library (also for descriptors the mixed host ignores). */
static int announced[MAXFD];
/* DEL seen: must be closed (or reused by a later ADD) after the service call. */
static int must_close[MAXFD];
static int lock_depth, adds, dels, changes;
static int server_fd = -1, client_fd = -1;
static struct lws *server_wsi, *client_wsi;
static int saw_pollin_held, saw_pollout, cancelled_seen, ws_destroyed;
/* WSI_DESTROYs seen */
static int resets_closed;
static int service_closed_returns, null_services, fd_services;
static unsigned char *txbuf;
static lws_sorted_usec_list_t resume_sul;
static int paused_once;

struct side {
	int sent, got;     /* messages */
	size_t off;        /* into the message being received */
};
static struct side srv, cli;

static size_t msg_size(int seq)
{
	if (seq % 1000 == 999)
		return BIG;
	if (seq % 100 == 50)
		return 65536 + (size_t)seq;
	return (size_t)((seq * 37) % 2000) + 1;
}

static unsigned char msg_byte(int seq, size_t off)
{
	return (unsigned char)(seq * 7 + (int)off);
}

static int ev_to_epoll(int ev)
{
	return ((ev & LWS_POLLIN) ? EPOLLIN : 0) | ((ev & LWS_POLLOUT) ? EPOLLOUT : 0);
}

static short epoll_to_rev(uint32_t e)
{
	return (short)(((e & EPOLLIN) ? POLLIN : 0) | ((e & EPOLLOUT) ? POLLOUT : 0) |
		       ((e & EPOLLHUP) ? POLLHUP : 0) | ((e & EPOLLERR) ? POLLERR : 0));
}

static int is_open_socket(int fd)
{
	char path[64], link[128];
	ssize_t n;

	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof link - 1);
	if (n < 0)
		return 0;
	link[n] = '\0';
	return !strncmp(link, "socket:", 7);
}

static void host_add(int fd, int events)
{
	struct epoll_event e;

	memset(&e, 0, sizeof e);
	e.events = (uint32_t)ev_to_epoll(events);
	e.data.fd = fd;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e))
		H_FAIL("epoll add fd %d: %s", fd, strerror(errno));
	tracked[fd] = events;
}

static void host_mod(int fd, int events)
{
	struct epoll_event e;

	memset(&e, 0, sizeof e);
	e.events = (uint32_t)ev_to_epoll(events);
	e.data.fd = fd;
	if (epoll_ctl(ep, EPOLL_CTL_MOD, fd, &e))
		H_FAIL("epoll mod fd %d: %s", fd, strerror(errno));
	tracked[fd] = events;
}

static void host_del(int fd)
{
	if (epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL))
		H_FAIL("epoll del fd %d: %s", fd, strerror(errno));
	tracked[fd] = -1;
}

static void resume_cb(lws_sorted_usec_list_t *s)
{
	(void)s;
	H_ASSERT(server_wsi != NULL);
	lws_rx_flow_control(server_wsi, 1);
}

static int poll_event(struct lws *wsi, enum lws_callback_reasons reason, void *in, size_t len)
{
	const struct lws_pollargs *pa = (const struct lws_pollargs *)in;
	int fd = pa ? pa->fd : -1;

	switch (reason) {
	case LWS_CALLBACK_LOCK_POLL:
		H_ASSERT_EQ_INT(lock_depth, 0);
		H_ASSERT(len == 0 || len == 1);
		lock_depth++;
		return 0;
	case LWS_CALLBACK_UNLOCK_POLL:
		H_ASSERT_EQ_INT(lock_depth, 1);
		lock_depth--;
		return 0;
	case LWS_CALLBACK_ADD_POLL_FD:
		H_ASSERT_EQ_INT(lock_depth, 1);
		H_ASSERT(fd >= 0 && fd < MAXFD);
		H_ASSERT_EQ_INT(announced[fd], -1);
		H_ASSERT_EQ_INT(pa->events, LWS_POLLIN);
		if (!is_open_socket(fd))
			H_FAIL("ADD_POLL_FD of fd %d, not an open socket", fd);
		H_ASSERT_EQ_INT(lws_get_socket_fd(wsi), fd);
		H_ASSERT(wsi_from_fd(lws_get_context(wsi), fd) == wsi);
		announced[fd] = pa->events;
		must_close[fd] = 0;
		adds++;
		if (host_mode == HOST_FD_ONLY)
			host_add(fd, pa->events);
		return 0;
	case LWS_CALLBACK_CHANGE_MODE_POLL_FD:
		H_ASSERT_EQ_INT(lock_depth, 1);
		H_ASSERT(fd >= 0 && fd < MAXFD);
		H_ASSERT_EQ_INT(pa->prev_events, announced[fd]);
		H_ASSERT(pa->events != pa->prev_events);
		announced[fd] = pa->events;
		changes++;
		if (fd == server_fd && !(pa->events & LWS_POLLIN))
			saw_pollin_held++;
		if (pa->events & LWS_POLLOUT)
			saw_pollout++;
		if (tracked[fd] >= 0)
			host_mod(fd, pa->events);
		return 0;
	case LWS_CALLBACK_DEL_POLL_FD:
		H_ASSERT_EQ_INT(lock_depth, 1);
		H_ASSERT(fd >= 0 && fd < MAXFD);
		H_ASSERT(announced[fd] >= 0);
		if (!is_open_socket(fd))
			H_FAIL("DEL_POLL_FD of fd %d after it was closed", fd);
		announced[fd] = -1;
		must_close[fd] = 1;
		dels++;
		if (tracked[fd] >= 0)
			host_del(fd);
		return 0;
	default:
		return 1;
	}
}

static void send_one(struct lws *wsi, struct side *s)
{
	size_t n = msg_size(s->sent), i;

	for (i = 0; i < n; i++)
		txbuf[LWS_PRE + i] = msg_byte(s->sent, i);
	if (lws_write(wsi, txbuf + LWS_PRE, n, LWS_WRITE_BINARY) != (int)n)
		H_FAIL("lws_write of message %d (%zu bytes) refused", s->sent, n);
	s->sent++;
}

static void receive(struct lws *wsi, struct side *s, const unsigned char *p, size_t len)
{
	size_t i;

	H_ASSERT(s->got < MSGS);
	for (i = 0; i < len; i++)
		if (p[i] != msg_byte(s->got, s->off + i))
			H_FAIL("message %d byte %zu: %u", s->got, s->off + i, p[i]);
	s->off += len;
	if (lws_is_final_fragment(wsi)) {
		H_ASSERT_EQ_INT(s->off, msg_size(s->got));
		s->got++;
		s->off = 0;
	}
}

static int all_done(void)
{
	return srv.got == MSGS && cli.got == MSGS && srv.sent == MSGS && cli.sent == MSGS;
}

static int cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
	      size_t len)
{
	(void)user;
	switch (reason) {
	case LWS_CALLBACK_LOCK_POLL:
	case LWS_CALLBACK_UNLOCK_POLL:
	case LWS_CALLBACK_ADD_POLL_FD:
	case LWS_CALLBACK_CHANGE_MODE_POLL_FD:
	case LWS_CALLBACK_DEL_POLL_FD:
		return poll_event(wsi, reason, in, len);
	case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
		cancelled_seen++;
		break;
	case LWS_CALLBACK_ESTABLISHED:
		server_wsi = wsi;
		server_fd = lws_get_socket_fd(wsi);
		if (host_mode == HOST_MIXED)
			host_add(server_fd, announced[server_fd]);
		lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		client_wsi = wsi;
		client_fd = lws_get_socket_fd(wsi);
		if (host_mode == HOST_MIXED)
			host_add(client_fd, announced[client_fd]);
		lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		if (srv.sent < MSGS) {
			send_one(wsi, &srv);
			lws_callback_on_writable(wsi);
		}
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		if (all_done()) {
			lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, NULL, 0);
			return -1;
		}
		if (cli.sent < MSGS) {
			send_one(wsi, &cli);
			lws_callback_on_writable(wsi);
		}
		break;
	case LWS_CALLBACK_RECEIVE:
		receive(wsi, &srv, (const unsigned char *)in, len);
		if (srv.got == MSGS / 3 && !paused_once && lws_is_final_fragment(wsi)) {
			paused_once = 1;
			lws_rx_flow_control(wsi, 0);
			lws_sul_schedule(cx, 0, &resume_sul, resume_cb, 30 * LWS_US_PER_MS);
		}
		if (all_done() && client_wsi)
			lws_callback_on_writable(client_wsi);
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		receive(wsi, &cli, (const unsigned char *)in, len);
		if (all_done())
			lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		H_FAIL("client connection error: %s", in ? (const char *)in : "?");
	case LWS_CALLBACK_WSI_DESTROY:
		resets_closed++;
		break;
	case LWS_CALLBACK_CLOSED:
	case LWS_CALLBACK_CLIENT_CLOSED:
		ws_destroyed++;
		if (host_mode == HOST_MIXED) {
			int fd = lws_get_socket_fd(wsi);

			H_ASSERT(fd >= 0);
		}
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

/* After a service call: every descriptor announced deleted is closed now,
 * unless a later ADD reused its number. */
static void check_closed(void)
{
	int fd;

	for (fd = 0; fd < MAXFD; fd++)
		if (must_close[fd]) {
			if (announced[fd] < 0 && fcntl(fd, F_GETFD) != -1)
				H_FAIL("fd %d still open after its DEL_POLL_FD", fd);
			must_close[fd] = 0;
		}
}

/* One loop turn: wait as long as the library allows (capped), service what is ready. */
static void turn(int cap_ms)
{
	struct epoll_event evs[64];
	int to = lws_service_adjust_timeout(cx, cap_ms, 0), n, i;

	H_ASSERT(to >= 0 && to <= cap_ms);
	n = epoll_wait(ep, evs, 64, to);
	for (i = 0; i < n; i++) {
		int fd = evs[i].data.fd, m;
		struct lws_pollfd pfd;

		if (tracked[fd] < 0)
			continue; /* deleted by an earlier one of this batch */
		pfd.fd = fd;
		pfd.events = (short)tracked[fd];
		pfd.revents = epoll_to_rev(evs[i].events);
		m = lws_service_fd(cx, &pfd);
		H_ASSERT(m == 0 || m == 1);
		if (m == 0) {
			H_ASSERT_EQ_INT(pfd.revents, 0);
			fd_services++;
		}
		else
			service_closed_returns++;
		check_closed();
	}
	if (host_mode == HOST_MIXED)
		H_ASSERT_EQ_INT(lws_service(cx, -1), 0);
	else if (to == 0) {
		null_services++;
		H_ASSERT_EQ_INT(lws_service_fd(cx, NULL), 0);
	}
	check_closed();
}

/* A raw TCP peer that sends half a request and resets the connection. */
static void reset_peer(int port)
{
	struct linger lg = { 1, 0 };
	int s = h_loopback_connect(port), before = resets_closed, i;
	static const char part[] = "GET / HTTP/1.1\r\nHost: x\r\n";

	H_ASSERT_EQ_INT(write(s, part, sizeof part - 1), (int)sizeof part - 1);
	/* let the server accept and read the half request */
	for (i = 0; i < 50 && adds < 5; i++)
		turn(10);
	H_ASSERT_EQ_INT(setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg), 0);
	close(s);
	for (i = 0; i < 500 && resets_closed == before; i++)
		turn(10);
	H_ASSERT_EQ_INT(resets_closed, before + 1);
}

static char certdir[128];

static const char *cert_path(const char *name)
{
	static char p[2][200];
	static int n;
	char *r = p[n++ % 2];

	snprintf(r, 200, "%s/%s", certdir, name);
	return r;
}

/* A self-signed certificate for the TLS variant, made at test time. */
static void make_cert(void)
{
	char cmd[600];

	snprintf(certdir, sizeof certdir, "/tmp/lws-rs-epoll-host-%d", (int)getpid());
	snprintf(cmd, sizeof cmd,
		 "mkdir -p %s && cd %s && openssl req -x509 -newkey ec -pkeyopt "
		 "ec_paramgen_curve:prime256v1 -nodes -keyout srv.key -out srv.pem -days 2 "
		 "-subj '/CN=localhost' >/dev/null 2>&1", certdir, certdir);
	if (system(cmd))
		H_FAIL("openssl could not make a certificate");
}

static void remove_cert(void)
{
	char cmd[300];

	snprintf(cmd, sizeof cmd, "rm -rf %s", certdir);
	if (system(cmd))
		H_FAIL("could not remove %s", certdir);
}

static int run_host(int mode, int tls)
{
	struct lws_context_creation_info info;
	struct lws_client_connect_info ci;
	int fd, port, turns, pipe_fds[2], i;
	struct lws_pollfd stranger;

	host_mode = mode;
	h_watchdog(120);
	for (fd = 0; fd < MAXFD; fd++) {
		tracked[fd] = -1;
		announced[fd] = -1;
	}
	ep = epoll_create1(EPOLL_CLOEXEC);
	H_ASSERT(ep >= 0);
	txbuf = (unsigned char *)malloc(LWS_PRE + BIG);
	H_ASSERT(txbuf != NULL);

	lws_set_log_level(LLL_ERR | LLL_WARN, NULL);
	memset(&info, 0, sizeof info);
	info.port = 0;
	info.iface = "127.0.0.1";
	info.protocols = protocols;
	if (tls) {
		MSGS = 2000;
		make_cert();
		info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
		info.ssl_cert_filepath = cert_path("srv.pem");
		info.ssl_private_key_filepath = cert_path("srv.key");
	}
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	/* the listener and the cancel pipe were announced during creation */
	H_ASSERT_EQ_INT(adds, 2);
	port = lws_get_vhost_listen_port(lws_get_vhost_by_name(cx, "default"));
	H_ASSERT(port > 0);

	/* a descriptor that is not the library's is left alone */
	H_ASSERT_EQ_INT(pipe(pipe_fds), 0);
	stranger.fd = pipe_fds[0];
	stranger.events = POLLIN;
	stranger.revents = POLLIN;
	H_ASSERT_EQ_INT(lws_service_fd(cx, &stranger), 0);
	H_ASSERT_EQ_INT(stranger.revents, POLLIN);
	H_ASSERT(wsi_from_fd(cx, pipe_fds[0]) == NULL);
	close(pipe_fds[0]);
	close(pipe_fds[1]);

	/* lws_cancel_service wakes the host loop through the pipe's descriptor */
	lws_cancel_service(cx);
	for (i = 0; i < 100 && !cancelled_seen; i++)
		turn(10);
	H_ASSERT(cancelled_seen > 0);

	memset(&ci, 0, sizeof ci);
	ci.context = cx;
	ci.address = "127.0.0.1";
	ci.port = port;
	ci.path = "/";
	ci.host = "127.0.0.1";
	ci.origin = "127.0.0.1";
	ci.protocol = "x";
	if (tls)
		ci.ssl_connection = LCCSCF_USE_SSL | LCCSCF_ALLOW_SELFSIGNED |
				    LCCSCF_SKIP_SERVER_CERT_HOSTNAME_CHECK;
	H_ASSERT(lws_client_connect_via_info(&ci) != NULL);

	for (turns = 0; turns < 3000000 && ws_destroyed < 2; turns++)
		turn(100);
	if (ws_destroyed < 2)
		H_FAIL("stalled: server got %d sent %d, client got %d sent %d", srv.got, srv.sent,
		       cli.got, cli.sent);
	H_ASSERT(all_done());
	H_ASSERT(saw_pollin_held > 0);
	H_ASSERT(saw_pollout > 0);
	/* the descriptors did the work (TLS moves more per call) */
	H_ASSERT(fd_services > (tls ? 20 : 100));

	reset_peer(port);

	/* only the listener and the cancel pipe are left */
	{
		int open_left = 0;

		for (fd = 0; fd < MAXFD; fd++)
			if (announced[fd] >= 0)
				open_left++;
		H_ASSERT_EQ_INT(open_left, 2);
	}
	lws_context_destroy(cx);
	check_closed();
	for (fd = 0; fd < MAXFD; fd++)
		if (announced[fd] >= 0)
			H_FAIL("fd %d never announced deleted", fd);
	H_ASSERT_EQ_INT(adds, dels);
	H_ASSERT_EQ_INT(lock_depth, 0);
	if (tls)
		remove_cert();
	fprintf(stderr, "%s%s: adds %d changes %d dels %d, lws_service_fd %d (closed %d), NULL services %d\n",
		mode == HOST_MIXED ? "mixed" : "fd-only", tls ? " tls" : "", adds, changes, dels, fd_services,
		service_closed_returns, null_services);
	free(txbuf);
	close(ep);
	return h_pass();
}

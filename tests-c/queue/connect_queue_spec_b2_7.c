/*
 * The deferred connect queue (spec B2.7; libwebsockets issue #3306).
 * 1. B2.T6 (plain ws): a connect from PROTOCOL_INIT, with no explicit vhost,
 *    returns a wsi at once and is established only after the OPERATIONAL
 *    arrival.
 * 2. B2.T7: while a user notifier holds the state below OPERATIONAL the
 *    request makes no network activity (the server accepts nothing), then
 *    connects once released.
 * 3. B2.T8: destroying the context while a connect is queued gives exactly
 *    one CLIENT_CONNECTION_ERROR ("closed before established") then
 *    WSI_DESTROY, and no CLIENT_ESTABLISHED.
 * 4. B2.7 item 5: a request made before any vhost exists (EXPLICIT_VHOSTS)
 *    binds to the vhost created later, instead of failing with "No vhost in
 *    the context".
 * 5. Many requests queued in PROTOCOL_INIT start in request order.
 * 6. A connect made by the notifier that holds the state (what captive-portal
 *    detection does at CPD_PRE_TIME) starts at once and is established while
 *    the state is still held.
 * Every client's lws_wsi_tag is lws's lifecycle tag
 * "[wsicli|<ordinal>|WS/h1/<vhost>/<address>]", the server's
 * "[wsisrv|<ordinal>|adopted]".
 * ctest-timeout: 120
 * Not run under valgrind, which caps descriptors below the 2,000 this needs:
 * ctest-labels: novalgrind
 */
#include <libwebsockets.h>

#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include "../harness/harness.h"

static struct lws_context *cx;
static int port, hold, state_seen_max, established_after_operational = -1;
static int server_accepts, client_established, client_errors, client_destroyed;
static int n_wanted, n_connecting, in_order = 1, connect_from_init = 1;
static int connect_from_notifier, tags_ok = 1;
static struct lws *wsi_from_init;
static char last_error[128];

static void
connect_one(struct lws_vhost *vh, int tag)
{
	struct lws_client_connect_info ci;

	memset(&ci, 0, sizeof ci);
	ci.context = cx;
	ci.address = "127.0.0.1";
	ci.port = port;
	ci.host = "127.0.0.1";
	ci.protocol = "q";
	ci.vhost = vh;
	ci.opaque_user_data = (void *)(intptr_t)tag;
	ci.pwsi = &wsi_from_init;
	H_ASSERT(lws_client_connect_via_info(&ci) != NULL);
	H_ASSERT(wsi_from_init != NULL);
}

static int
cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	int i;

	(void)user; (void)len;
	switch (reason) {
	case LWS_CALLBACK_PROTOCOL_INIT:
		if (connect_from_init)
			for (i = 0; i < n_wanted; i++)
				connect_one(NULL, i);
		break;
	case LWS_CALLBACK_CONNECTING: {
		unsigned int ordinal;
		char vh[64];

		if ((intptr_t)lws_get_opaque_user_data(wsi) != n_connecting)
			in_order = 0;
		if (sscanf(lws_wsi_tag(wsi), "[wsicli|%x|WS/h1/%63[^/]/127.0.0.1]", &ordinal, vh) != 2 ||
		    ordinal != (unsigned int)(intptr_t)lws_get_opaque_user_data(wsi))
			tags_ok = 0;
		n_connecting++;
		break;
	}
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		if (established_after_operational < 0)
			established_after_operational = state_seen_max == LWS_SYSTATE_OPERATIONAL;
		client_established++;
		return -1; /* done with it */
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		/* our CLIENT_ESTABLISHED returned -1: lws reports that as this error */
		if (in && !strcmp((const char *)in, "HS: Rejected at CLIENT_ESTABLISHED"))
			break;
		client_errors++;
		lws_strncpy(last_error, in ? (const char *)in : "", sizeof last_error);
		break;
	case LWS_CALLBACK_WSI_DESTROY:
		client_destroyed++;
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "q", cb, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static int
cb_server(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	unsigned int ordinal;
	char rest[16];

	(void)user; (void)in; (void)len;
	if (reason == LWS_CALLBACK_ESTABLISHED) {
		if (sscanf(lws_wsi_tag(wsi), "[wsisrv|%x|%15s", &ordinal, rest) != 2 ||
		    strcmp(rest, "adopted]"))
			tags_ok = 0;
		server_accepts++;
	}
	return 0;
}

static const struct lws_protocols server_protocols[] = {
	{ "q", cb_server, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static int
notifier(lws_state_manager_t *mgr, lws_state_notify_link_t *l, int current, int target)
{
	(void)mgr; (void)l;
	if (current == target) {
		if (current > state_seen_max && current <= LWS_SYSTATE_OPERATIONAL)
			state_seen_max = current;
		return 0;
	}
	if (connect_from_notifier && target == LWS_SYSTATE_TIME_VALID) {
		if (!wsi_from_init)
			connect_one(NULL, 0);
		return 1;
	}
	return hold && target == LWS_SYSTATE_TIME_VALID;
}

static lws_state_notify_link_t link_ = { { 0 }, notifier, "test" };
static lws_state_notify_link_t *links[] = { &link_, NULL };

/* A server context on its own, so the client context's state is independent. */
static struct lws_context *
server_context(void)
{
	struct lws_context_creation_info info;
	struct lws_context *s;

	memset(&info, 0, sizeof info);
	info.port = 0;
	info.iface = "127.0.0.1";
	info.protocols = server_protocols;
	s = lws_create_context(&info);
	H_ASSERT(s != NULL);
	port = lws_get_vhost_listen_port(lws_get_vhost_by_name(s, "default"));
	return s;
}

static struct lws_context *
client_context(unsigned long long options)
{
	struct lws_context_creation_info info;

	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.register_notifier_list = links;
	info.options = options;
	info.fd_limit_per_thread = 4096;
	return lws_create_context(&info);
}

static void
service_both(struct lws_context *srv, int passes)
{
	int i;

	for (i = 0; i < passes; i++) {
		lws_service(cx, -1);
		lws_service(srv, -1);
	}
}

static void
reset(int wanted)
{
	state_seen_max = 0;
	established_after_operational = -1;
	server_accepts = client_established = client_errors = client_destroyed = 0;
	n_connecting = 0;
	in_order = 1;
	n_wanted = wanted;
	wsi_from_init = NULL;
	last_error[0] = '\0';
}

int main(void)
{
	struct lws_context *srv;
	struct rlimit rl;
	time_t t0;
	int i, many = 1000;

	h_watchdog(100);
	lws_set_log_level(LLL_ERR, NULL);
	srv = server_context();

	/* 1 */
	reset(1);
	cx = client_context(0);
	H_ASSERT(cx != NULL);
	for (i = 0; i < 200 && !client_established; i++)
		service_both(srv, 1);
	H_ASSERT(wsi_from_init != NULL);
	H_ASSERT_EQ_INT(client_established, 1);
	H_ASSERT_EQ_INT(established_after_operational, 1);
	lws_context_destroy(cx);

	/* 2: held below OPERATIONAL: nothing reaches the server */
	reset(1);
	hold = 1;
	cx = client_context(0);
	service_both(srv, 50);
	H_ASSERT(wsi_from_init != NULL);
	H_ASSERT_EQ_INT(n_connecting, 0);
	H_ASSERT_EQ_INT(server_accepts, 0);
	H_ASSERT(state_seen_max < LWS_SYSTATE_OPERATIONAL);
	hold = 0;
	lws_state_transition_steps(lws_system_get_state_manager(cx), LWS_SYSTATE_OPERATIONAL);
	for (i = 0; i < 200 && !client_established; i++)
		service_both(srv, 1);
	H_ASSERT_EQ_INT(client_established, 1);
	H_ASSERT_EQ_INT(server_accepts, 1);
	lws_context_destroy(cx);

	/* 3: destroyed while queued */
	reset(1);
	hold = 1;
	cx = client_context(0);
	service_both(srv, 5);
	lws_context_destroy(cx);
	H_ASSERT_EQ_INT(client_errors, 1);
	H_ASSERT_STREQ(last_error, "closed before established");
	H_ASSERT_EQ_INT(client_established, 0);
	H_ASSERT_EQ_INT(client_destroyed, 1);
	hold = 0;

	/* 4: requested before any vhost exists */
	reset(1);
	connect_from_init = 0;
	cx = client_context(LWS_SERVER_OPTION_EXPLICIT_VHOSTS);
	H_ASSERT(cx != NULL);
	connect_one(NULL, 0);
	{
		struct lws_context_creation_info info;

		memset(&info, 0, sizeof info);
		info.port = CONTEXT_PORT_NO_LISTEN;
		info.protocols = protocols;
		info.vhost_name = "late";
		H_ASSERT(lws_create_vhost(cx, &info) != NULL);
	}
	for (i = 0; i < 200 && !client_established; i++)
		service_both(srv, 1);
	H_ASSERT_EQ_INT(client_errors, 0);
	H_ASSERT_EQ_INT(client_established, 1);
	lws_context_destroy(cx);
	connect_from_init = 1;

	/* 5: many, in order (two sockets each, so mind the fd limit) */
	if (!getrlimit(RLIMIT_NOFILE, &rl)) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
		if (rl.rlim_cur < 2 * (rlim_t)many + 64)
			many = (int)(rl.rlim_cur - 64) / 2;
	}
	reset(many);
	cx = client_context(0);
	/*
	 * Bounded by time, not by passes: connects beyond the server's listen
	 * backlog wait for the kernel's SYN retransmit (1 s), however fast a
	 * pass is.
	 */
	t0 = time(NULL);
	for (i = 0; i < 10000000 && client_established + client_errors < many &&
		    time(NULL) - t0 < 30; i++) {
		service_both(srv, 1);
	}
	H_ASSERT_EQ_INT(n_connecting, many);
	H_ASSERT(in_order);
	H_ASSERT_EQ_INT(client_errors, 0);
	H_ASSERT_EQ_INT(client_established, many);
	lws_context_destroy(cx);

	/* 6: connected by the notifier that holds the state */
	reset(1);
	connect_from_init = 0;
	connect_from_notifier = 1;
	cx = client_context(0);
	for (i = 0; i < 200 && !client_established; i++)
		service_both(srv, 1);
	H_ASSERT(wsi_from_init != NULL);
	H_ASSERT_EQ_INT(client_established, 1);
	H_ASSERT(state_seen_max < LWS_SYSTATE_OPERATIONAL);
	lws_context_destroy(cx);
	H_ASSERT(tags_ok);

	lws_context_destroy(srv);
	return h_pass();
}

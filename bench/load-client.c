/*
 * bench/load-client.c - WebSocket load client for the side-by-side benchmark.
 *
 * Written only against the public libwebsockets API that both libwebsockets
 * 4.1.x and the 4.3 API implemented by lws-rs provide, so the same source is
 * compiled once against each implementation's own header and library.
 *
 * Every echoed byte is compared with what was sent; any mismatch, short
 * message, connection error or early close makes the client exit non-zero.
 * On success it prints one line "RESULT key=value ..." on stdout.
 *
 *   load-client -m pingpong|stream|churn|idle [-a addr] [-p port]
 *               [-c conns] [-s size] [-n count] [-t seconds] [-w window]
 *               [-k concurrency] [-P server_pid] [-W watchdog_s]
 *               [-r rx_buffer_size] [-T ca.pem [-H host]] [-d loglevel]
 *               [-Z] [-G]
 *
 * pingpong  -c connections, each with one -s byte message in flight; a round
 *           trip is timed from lws_write() to the last echoed byte.
 * stream    -c connections (1 by default), each keeping -w messages of -s
 *           bytes in flight; reports echoed MB/s (10^6 bytes).
 * churn     connect + handshake + close, -k at a time; reports conns/s.
 * idle      opens -c connections (-k connecting at a time), echoes one -s byte
 *           message on each, then reads peak RSS of itself and (with -P) of
 *           the server while all are open.
 *
 * -n bounds the messages (pingpong, stream) or connections (churn); -t bounds
 * the time in seconds; the run stops at whichever comes first, then waits for
 * the messages still in flight.  -W is a hard watchdog (seconds).
 *
 * -T ca.pem connects over wss:// (TLS), verifying the server certificate
 * against that CA; -H sets the host name sent and verified ("localhost" by
 * default).  The TCP connection still goes to -a (127.0.0.1).
 *
 * -Z offers permessage-deflate (when the library has extensions); -G sends
 * compressible text instead of the default byte pattern.
 *
 * CPU: with -P, the server's CPU time and run-queue wait over the timed part
 * (from /proc/PID/schedstat) are reported per operation (message, or
 * connection for churn), and the client's own the same way:
 * srv_cpu_us_per_op, srv_wait_pct, cli_cpu_us_per_op, cli_wait_pct
 * (wait_pct: run-queue wait as a share of the wall time; a high value means
 * the wall-clock figures of that run are not to be trusted).
 */
#include <libwebsockets.h>

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum mode { M_PINGPONG, M_STREAM, M_CHURN, M_IDLE };

struct conn {
	struct lws *wsi;
	int idx;
	int established;
	int inflight;
	uint64_t sent, recvd;	/* messages */
	size_t got;		/* bytes so far of the message being received */
	double t_send;		/* pingpong: when the message in flight left */
};

static enum mode mode = M_PINGPONG;
static const char *address = "127.0.0.1", *tls_ca, *tls_host = "localhost";
static int port = 7681, nconns = 1, size = 16, window = 4, concurrency = 8;
static int server_pid, rxbuf;
static uint64_t limit = UINT64_MAX;
static double duration;

static struct lws_context *context;
static struct conn *conns;
static unsigned char *pat, *txbuf;
static int failed, done, started, stopping;
static int n_established, n_pending;
static uint64_t total_sent, total_recvd, total_inflight, launched, completed;
static uint64_t bytes_echoed;
static double t_start, t_end, t_connect_start;
static uint32_t *lat_ns;
static size_t lat_cap, lat_n;
static int *free_slots, n_free;
static long client_base_kib, server_base_kib;
static lws_sorted_usec_list_t sul_deadline;
static int use_pmd, compressible;
/* schedstat samples: on-CPU and run-queue wait, ns, at start and end */
static unsigned long long srv_cpu0, srv_wait0, srv_cpu1, srv_wait1;
static unsigned long long cli_cpu0, cli_wait0, cli_cpu1, cli_wait1;

static const struct lws_protocols protocols[];

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long
status_kib(int pid, const char *key)
{
	char path[64], line[256];
	size_t kl = strlen(key);
	long v = -1;
	FILE *f;

	if (pid)
		snprintf(path, sizeof path, "/proc/%d/status", pid);
	else
		snprintf(path, sizeof path, "/proc/self/status");
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, key, kl)) {
			v = atol(line + kl);
			break;
		}
	fclose(f);
	return v;
}

/* on-CPU time and run-queue wait of a process (0: ourselves), in ns */
static void
sched_ns(int pid, unsigned long long *cpu, unsigned long long *wait)
{
	char path[64];
	FILE *f;

	*cpu = *wait = 0;
	if (pid)
		snprintf(path, sizeof path, "/proc/%d/schedstat", pid);
	else
		snprintf(path, sizeof path, "/proc/self/schedstat");
	f = fopen(path, "r");
	if (!f)
		return;
	if (fscanf(f, "%llu %llu", cpu, wait) != 2)
		*cpu = *wait = 0;
	fclose(f);
}

static void
sample_start(void)
{
	sched_ns(0, &cli_cpu0, &cli_wait0);
	if (server_pid)
		sched_ns(server_pid, &srv_cpu0, &srv_wait0);
}

static void
sample_end(void)
{
	sched_ns(0, &cli_cpu1, &cli_wait1);
	if (server_pid)
		sched_ns(server_pid, &srv_cpu1, &srv_wait1);
}

/* " srv_cpu_us_per_op=... srv_wait_pct=... cli_..." for `ops` operations */
static void
print_cpu(uint64_t ops, double secs)
{
	double o = ops ? (double)ops : 1;

	if (server_pid)
		printf(" srv_cpu_us_per_op=%.3f srv_wait_pct=%.2f",
		       (double)(srv_cpu1 - srv_cpu0) / 1e3 / o,
		       (double)(srv_wait1 - srv_wait0) / 1e7 / secs);
	printf(" cli_cpu_us_per_op=%.3f cli_wait_pct=%.2f",
	       (double)(cli_cpu1 - cli_cpu0) / 1e3 / o,
	       (double)(cli_wait1 - cli_wait0) / 1e7 / secs);
}

static size_t
pat_off(const struct conn *c, uint64_t seq)
{
	return (size_t)(((uint64_t)c->idx * 31u + seq * 7u) % 251u);
}

static void
fail(const char *why, const struct conn *c)
{
	fprintf(stderr, "load-client: FAIL: %s (conn %d, msg %llu)\n", why,
		c ? c->idx : -1, c ? (unsigned long long)c->recvd : 0ull);
	failed = 1;
	done = 1;
	lws_cancel_service(context);
}

static void
finish(void)
{
	if (done)
		return;
	t_end = now_s();
	sample_end();
	done = 1;
	lws_cancel_service(context);
}

static int
connect_one(struct conn *c)
{
	struct lws_client_connect_info i;

	memset(&i, 0, sizeof i);
	i.context = context;
	i.address = address;
	i.port = port;
	i.path = "/";
	i.host = tls_ca ? tls_host : address;
	i.origin = i.host;
	if (tls_ca)
		i.ssl_connection = LCCSCF_USE_SSL;
	i.protocol = protocols[0].name;
	i.userdata = c;
	i.pwsi = &c->wsi;
	launched++;
	n_pending++;
	if (!lws_client_connect_via_info(&i)) {
		if (!done)
			fail("lws_client_connect_via_info returned NULL", c);
		return -1;
	}
	return 0;
}

/* churn and idle: keep up to `concurrency` connection attempts in flight */
static void
launch_more(void)
{
	while (!done && !stopping && n_free && launched < limit &&
	       n_pending < concurrency) {
		struct conn *c = &conns[free_slots[--n_free]];

		c->established = 0;
		c->inflight = 0;
		c->sent = c->recvd = 0;
		c->got = 0;
		c->wsi = NULL;
		if (connect_one(c))
			return;
	}
}

static void
deadline_cb(lws_sorted_usec_list_t *sul)
{
	(void)sul;
	stopping = 1;
	if (mode == M_CHURN) {
		if (completed == launched)
			finish();
	} else if (mode != M_IDLE && !total_inflight)
		finish();
	if (mode == M_IDLE && !done)
		fail("idle: not all connections up before the deadline", NULL);
}

static void
start_measuring(void)
{
	int k;

	started = 1;
	t_start = now_s();
	sample_start();
	if (duration > 0)
		lws_sul_schedule(context, 0, &sul_deadline, deadline_cb,
				 (lws_usec_t)(duration * 1e6));
	for (k = 0; k < nconns; k++)
		lws_callback_on_writable(conns[k].wsi);
}

static int
send_msg(struct lws *wsi, struct conn *c)
{
	int n;

	memcpy(txbuf + LWS_PRE, pat + pat_off(c, c->sent), (size_t)size);
	n = lws_write(wsi, txbuf + LWS_PRE, (size_t)size, LWS_WRITE_BINARY);
	if (n < size) {
		fail("lws_write failed", c);
		return -1;
	}
	c->sent++;
	c->inflight++;
	total_sent++;
	total_inflight++;
	return 0;
}

static int
can_send(void)
{
	return started && !stopping && !done && total_sent < limit;
}

static void
message_done(struct lws *wsi, struct conn *c)
{
	double t = now_s();

	c->recvd++;
	c->inflight--;
	total_recvd++;
	total_inflight--;
	bytes_echoed += (uint64_t)size;

	switch (mode) {
	case M_PINGPONG:
		if (lat_n < lat_cap) {
			double d = (t - c->t_send) * 1e9;

			lat_ns[lat_n++] = d > 4e9 ? 4000000000u : (uint32_t)d;
		}
		/* fallthrough */
	case M_STREAM:
		if (can_send())
			lws_callback_on_writable(wsi);
		else if (!total_inflight)
			finish();
		break;
	case M_IDLE:
		if (total_recvd == (uint64_t)nconns)
			finish();
		break;
	default:
		break;
	}
}

static int
callback_client(struct lws *wsi, enum lws_callback_reasons reason,
		void *user, void *in, size_t len)
{
	struct conn *c = (struct conn *)user;

	switch (reason) {
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		if (!done) {
			fprintf(stderr, "load-client: connection error: %s\n",
				in ? (const char *)in : "(null)");
			fail("connection error", c);
		}
		if (c)
			c->wsi = NULL;
		return 0;

	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		if (!c)
			return -1;
		c->wsi = wsi;
		c->established = 1;
		n_established++;
		n_pending--;
		if (mode == M_PINGPONG || mode == M_STREAM) {
			if (n_established == nconns)
				start_measuring();
		} else {
			lws_callback_on_writable(wsi);
			if (mode == M_IDLE)
				launch_more();
		}
		return 0;

	case LWS_CALLBACK_CLIENT_WRITEABLE:
		if (!c || done)
			return 0;
		switch (mode) {
		case M_PINGPONG:
			if (c->inflight || !can_send())
				return 0;
			c->t_send = now_s();
			return send_msg(wsi, c);
		case M_STREAM:
			if (c->inflight >= window || !can_send())
				return 0;
			if (send_msg(wsi, c))
				return -1;
			if (c->inflight < window && can_send())
				lws_callback_on_writable(wsi);
			return 0;
		case M_CHURN:
			lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL,
					 (unsigned char *)"bye", 3);
			return -1;
		case M_IDLE:
			if (c->sent)
				return 0;
			return send_msg(wsi, c);
		}
		return 0;

	case LWS_CALLBACK_CLIENT_RECEIVE:
		if (!c || done)
			return 0;
		if (!c->inflight) {
			fail("data received with no message in flight", c);
			return -1;
		}
		if (c->got + len > (size_t)size) {
			fail("echoed message longer than sent", c);
			return -1;
		}
		if (len && memcmp(in, pat + pat_off(c, c->recvd) + c->got,
				  len)) {
			fail("echoed bytes differ from sent bytes", c);
			return -1;
		}
		c->got += len;
		if (lws_is_final_fragment(wsi)) {
			if (c->got != (size_t)size) {
				fail("echoed message shorter than sent", c);
				return -1;
			}
			c->got = 0;
			message_done(wsi, c);
		}
		return 0;

	case LWS_CALLBACK_CLIENT_CLOSED:
		if (!c || done)
			return 0;
		c->wsi = NULL;
		if (mode != M_CHURN) {
			fail("connection closed by peer before the end", c);
			return 0;
		}
		if (!c->established) {
			fail("churn: closed before established", c);
			return 0;
		}
		completed++;
		free_slots[n_free++] = c->idx;
		if ((stopping || launched >= limit) && completed == launched)
			finish();
		else
			launch_more();
		return 0;

	default:
		break;
	}

	return 0;
}

#if !defined(LWS_WITHOUT_EXTENSIONS)
static const struct lws_extension pmd_exts[] = {
	{ "permessage-deflate", lws_extension_callback_pm_deflate,
	  "permessage-deflate; client_max_window_bits" },
	{ NULL, NULL, NULL }
};
#endif

static const struct lws_protocols protocols[] = {
	{ "bench-echo", callback_client, 0, 0, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

static void
on_alarm(int sig)
{
	static const char msg[] = "load-client: FAIL: watchdog expired\n";
	ssize_t r;

	(void)sig;
	r = write(2, msg, sizeof(msg) - 1);
	(void)r;
	_exit(3);
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static void
usage(const char *argv0)
{
	fprintf(stderr, "usage: %s -m pingpong|stream|churn|idle [-a addr] "
		"[-p port] [-c conns] [-s size] [-n count] [-t seconds] "
		"[-w window] [-k concurrency] [-P server_pid] [-W watchdog_s] "
		"[-r rx_buffer_size] [-T ca.pem [-H host]] [-d loglevel] "
		"[-Z] [-G]\n",
		argv0);
}

int
main(int argc, char **argv)
{
	struct lws_context_creation_info info;
	struct lws_protocols *prots;
	int opt, k, n = 0, loglevel = LLL_ERR, watchdog = 0, slots;
	double secs;

	while ((opt = getopt(argc, argv, "m:a:p:c:s:n:t:w:k:P:W:r:T:H:d:ZG")) != -1) {
		switch (opt) {
		case 'm':
			if (!strcmp(optarg, "pingpong"))
				mode = M_PINGPONG;
			else if (!strcmp(optarg, "stream"))
				mode = M_STREAM;
			else if (!strcmp(optarg, "churn"))
				mode = M_CHURN;
			else if (!strcmp(optarg, "idle"))
				mode = M_IDLE;
			else {
				usage(argv[0]);
				return 2;
			}
			break;
		case 'a': address = optarg; break;
		case 'p': port = atoi(optarg); break;
		case 'c': nconns = atoi(optarg); break;
		case 's': size = atoi(optarg); break;
		case 'n': limit = strtoull(optarg, NULL, 10); break;
		case 't': duration = atof(optarg); break;
		case 'w': window = atoi(optarg); break;
		case 'k': concurrency = atoi(optarg); break;
		case 'P': server_pid = atoi(optarg); break;
		case 'W': watchdog = atoi(optarg); break;
		case 'r': rxbuf = atoi(optarg); break;
		case 'T': tls_ca = optarg; break;
		case 'H': tls_host = optarg; break;
		case 'd': loglevel = atoi(optarg); break;
		case 'Z': use_pmd = 1; break;
		case 'G': compressible = 1; break;
		default:
			usage(argv[0]);
			return 2;
		}
	}
	if (nconns < 1 || size < 0 || window < 1 || concurrency < 1 ||
	    !limit || (limit == UINT64_MAX && duration <= 0)) {
		fprintf(stderr, "load-client: need -c>=1, -s>=0, -w>=1, -k>=1 "
			"and a bound (-n and/or -t)\n");
		return 2;
	}
	if (mode == M_IDLE)
		limit = (uint64_t)nconns;
	if (!watchdog)
		watchdog = (int)duration + 60;
	signal(SIGALRM, on_alarm);
	signal(SIGPIPE, SIG_IGN);
	alarm((unsigned)watchdog);
	lws_set_log_level(loglevel, NULL);

	slots = mode == M_CHURN ? concurrency : nconns;
	conns = calloc((size_t)slots, sizeof(*conns));
	free_slots = calloc((size_t)slots, sizeof(*free_slots));
	pat = malloc((size_t)size + 256);
	txbuf = malloc(LWS_PRE + (size_t)size + 1);
	if (!conns || !free_slots || !pat || !txbuf)
		return 1;
	for (k = 0; k < size + 256; k++)
		pat[k] = (unsigned char)(k * 131 + (k >> 8) * 7 + 1);
	if (compressible) {
		static const char words[] = "the quick brown fox jumps over "
			"the lazy dog; pack my box with five dozen liquor jugs. ";
		int w = (int)sizeof(words) - 1;

		for (k = 0; k < size + 256; k++)
			pat[k] = (unsigned char)words[(k + k / 997) % w];
	}
	for (k = 0; k < slots; k++) {
		conns[k].idx = k;
		free_slots[k] = slots - 1 - k;
	}
	n_free = slots;
	if (mode == M_PINGPONG) {
		lat_cap = limit < (1u << 21) ? (size_t)limit : (1u << 21);
		lat_ns = malloc(lat_cap * sizeof(*lat_ns));
		if (!lat_ns)
			return 1;
	}

	prots = calloc(2, sizeof(*prots));
	if (!prots)
		return 1;
	memcpy(prots, protocols, sizeof(protocols));
	prots[0].rx_buffer_size = (size_t)rxbuf;

	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = prots;
	info.gid = -1;
	info.uid = -1;
	if (tls_ca) {
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
		info.client_ssl_ca_filepath = tls_ca;
	}
	if (use_pmd) {
#if defined(LWS_WITHOUT_EXTENSIONS)
		fprintf(stderr, "load-client: -Z: this libwebsockets has no "
			"extensions\n");
		return 2;
#else
		info.extensions = pmd_exts;
#endif
	}
	context = lws_create_context(&info);
	if (!context) {
		fprintf(stderr, "load-client: lws_create_context failed\n");
		return 1;
	}

	client_base_kib = status_kib(0, "VmRSS:");
	if (server_pid)
		server_base_kib = status_kib(server_pid, "VmRSS:");

	t_connect_start = now_s();
	switch (mode) {
	case M_PINGPONG:
	case M_STREAM:
		for (k = 0; k < nconns && !done; k++) {
			n_free--;
			connect_one(&conns[k]);
		}
		break;
	case M_CHURN:
		t_start = t_connect_start;
		sample_start();
		started = 1;
		if (duration > 0)
			lws_sul_schedule(context, 0, &sul_deadline, deadline_cb,
					 (lws_usec_t)(duration * 1e6));
		launch_more();
		break;
	case M_IDLE:
		t_start = t_connect_start;
		started = 1;
		if (duration > 0)
			lws_sul_schedule(context, 0, &sul_deadline, deadline_cb,
					 (lws_usec_t)(duration * 1e6));
		launch_more();
		break;
	}

	while (n >= 0 && !done)
		n = lws_service(context, 0);
	if (n < 0 && !done)
		fail("lws_service returned < 0", NULL);

	if (!failed) {
		secs = t_end - t_start;
		if (secs <= 0)
			secs = 1e-9;
		switch (mode) {
		case M_PINGPONG:
			qsort(lat_ns, lat_n, sizeof(*lat_ns), cmp_u32);
			printf("RESULT mode=pingpong conns=%d size=%d msgs=%llu "
			       "secs=%.4f msgs_per_s=%.1f p50_us=%.2f "
			       "p99_us=%.2f", nconns, size,
			       (unsigned long long)total_recvd, secs,
			       (double)total_recvd / secs,
			       lat_n ? lat_ns[(lat_n - 1) / 2] / 1e3 : 0.0,
			       lat_n ? lat_ns[(size_t)((double)(lat_n - 1) *
						       0.99)] / 1e3 : 0.0);
			print_cpu(total_recvd, secs);
			printf("\n");
			break;
		case M_STREAM:
			printf("RESULT mode=stream conns=%d size=%d window=%d "
			       "msgs=%llu secs=%.4f msgs_per_s=%.1f "
			       "mb_per_s=%.2f", nconns, size, window,
			       (unsigned long long)total_recvd, secs,
			       (double)total_recvd / secs,
			       (double)bytes_echoed / secs / 1e6);
			print_cpu(total_recvd, secs);
			if (server_pid)
				printf(" srv_cpu_ms_per_mb=%.3f",
				       (double)(srv_cpu1 - srv_cpu0) / 1e6 /
				       ((double)bytes_echoed / 1e6 + 1e-12));
			printf("\n");
			break;
		case M_CHURN:
			printf("RESULT mode=churn concurrency=%d conns=%llu "
			       "secs=%.4f conns_per_s=%.1f", concurrency,
			       (unsigned long long)completed, secs,
			       (double)completed / secs);
			print_cpu(completed, secs);
			printf("\n");
			break;
		case M_IDLE: {
			long chwm = status_kib(0, "VmHWM:");
			long shwm = server_pid ?
				status_kib(server_pid, "VmHWM:") : -1;
			double ck = (double)(chwm - client_base_kib) / nconns;
			double sk = server_pid ?
				(double)(shwm - server_base_kib) / nconns : 0;

			printf("RESULT mode=idle conns=%d secs=%.4f "
			       "conns_per_s=%.1f client_base_kib=%ld "
			       "client_hwm_kib=%ld server_base_kib=%ld "
			       "server_hwm_kib=%ld client_kib_per_conn=%.2f "
			       "server_kib_per_conn=%.2f kib_per_conn=%.2f\n",
			       nconns, secs, nconns / secs, client_base_kib,
			       chwm, server_base_kib, shwm, ck, sk, ck + sk);
			break;
		}
		}
		fflush(stdout);
	}

	lws_context_destroy(context);
	free(prots);
	free(lat_ns);
	free(txbuf);
	free(pat);
	free(free_slots);
	free(conns);

	return failed ? 1 : 0;
}

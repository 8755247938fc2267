/*
 * The wire fuzz harness (see lws_fuzz_wire.h): the input's bytes are what the
 * peer of one connection sends, written in pieces the input chooses, with the
 * context serviced until quiet after each piece. The protocol callbacks use the
 * API a real application uses (echo through lws_write, header copies, HTTP
 * responses, close reasons, closing on a chosen callback), and the harness
 * checks what any application relies on:
 *
 *   - no callback for a wsi after its WSI_DESTROY, and after CLOSED /
 *     CLIENT_CLOSED / CLOSED_HTTP / CLIENT_CONNECTION_ERROR only the
 *     bookkeeping ones (poll changes, HTTP_DROP_PROTOCOL, WSI_DESTROY);
 *   - per input, WSI_CREATE and WSI_DESTROY balance, so do ESTABLISHED and
 *     CLOSED, CLIENT_ESTABLISHED and CLIENT_CLOSED, ADD_POLL_FD and DEL_POLL_FD;
 *   - every connection is gone once its peer has closed, and the process has
 *     the descriptors it had before the input;
 *   - received fragments respect rx_buffer_size; header copies are
 *     NUL-terminated and never longer than the buffer.
 *
 * Input: byte 0 flags (F_* below), byte 1 piece seed, byte 2 the callback
 * number that closes the connection (with F_CLOSE_NTH), then the stream.
 */
#define _GNU_SOURCE /* accept4 */
#include "lws_fuzz_wire.h"

#include <libwebsockets.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Flag bits of byte 0. Bits 0-1 are the mode. */
#define F_MODE 3u
#define F_CLOSE_NTH (1u << 2)
#define F_HTTP_STATUS (1u << 3)
#define F_NO_CLOSE_ECHO (1u << 4)
#define F_REJECT_FILTER (1u << 5)
#define F_PING (1u << 6)
#define F_CLOSE_REASON (1u << 7)

/* Modes. Server: raw bytes / a valid upgrade request then raw bytes / a
 * valid upgrade request then frames the harness masks / "GET /" then raw.
 * Client: raw response / a valid 101 then raw / a valid 101 then frames /
 * an HTTP GET client and a raw response. */
#define M_RAW 0
#define M_UPGRADED 1
#define M_FRAMED 2
#define M_HTTP 3

#define RX_BUFFER 256
#define MAX_WSI 16
#define MAX_STREAM (64 * 1024)
#define KEY "dGhlIHNhbXBsZSBub25jZQ=="

#define FZ_FAIL(...)                                                          \
	do {                                                                  \
		fprintf(stderr, "lws_fuzz_wire: invariant broken: ");         \
		fprintf(stderr, __VA_ARGS__);                                 \
		fprintf(stderr, "\n");                                        \
		abort();                                                      \
	} while (0)
#define FZ_CHECK(cond)                                                        \
	do {                                                                  \
		if (!(cond))                                                  \
			FZ_FAIL("%s (%s:%d)", #cond, __FILE__, __LINE__);    \
	} while (0)

enum wsi_state { W_FREE, W_LIVE, W_CLOSED, W_DESTROYED };

struct tracked {
	struct lws *wsi;
	enum wsi_state state;
	int created;
};

/* Per session (zeroed by lws for each connection / HTTP transaction). */
struct pss {
	unsigned char buf[LWS_PRE + RX_BUFFER + 16];
	size_t len;
	int pending;
	int binary;
	int responded;
	size_t body;
};

static struct {
	struct lws_context *ctx;
	struct lws_vhost *vh;
	int listen_fd;
	int port;
	/* this input */
	unsigned flags;
	unsigned close_nth;
	struct tracked w[MAX_WSI];
	int creates, destroys, est, closed, cl_est, cl_closed, conn_err;
	int add_fd, del_fd;
	unsigned callbacks;
	int activity;
	/* LWS_FUZZ_WIRE_TRACE set: print callbacks and what the peer got. */
	int trace;
} S;

static struct tracked *track(struct lws *wsi)
{
	int n, free_slot = -1;

	for (n = 0; n < MAX_WSI; n++) {
		if (S.w[n].state != W_FREE && S.w[n].wsi == wsi)
			return &S.w[n];
		if (S.w[n].state == W_FREE && free_slot < 0)
			free_slot = n;
	}
	FZ_CHECK(free_slot >= 0);
	S.w[free_slot].wsi = wsi;
	S.w[free_slot].state = W_LIVE;
	S.w[free_slot].created = 0;
	return &S.w[free_slot];
}

static int bookkeeping(enum lws_callback_reasons r)
{
	switch (r) {
	case LWS_CALLBACK_WSI_DESTROY:
	case LWS_CALLBACK_ADD_POLL_FD:
	case LWS_CALLBACK_DEL_POLL_FD:
	case LWS_CALLBACK_CHANGE_MODE_POLL_FD:
	case LWS_CALLBACK_LOCK_POLL:
	case LWS_CALLBACK_UNLOCK_POLL:
	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
		return 1;
	default:
		return 0;
	}
}

/* Header copies: never longer than the buffer, NUL-terminated, and agreeing
 * with lws_hdr_total_length when they fit. */
static void exercise_headers(struct lws *wsi)
{
	char buf[128], small[4];
	int t, n, total;

	for (t = 0; t < WSI_TOKEN_COUNT; t++) {
		total = lws_hdr_total_length(wsi, (enum lws_token_indexes)t);
		FZ_CHECK(total >= 0);
		n = lws_hdr_copy(wsi, buf, sizeof(buf), (enum lws_token_indexes)t);
		FZ_CHECK(n < (int)sizeof(buf));
		if (n >= 0) {
			FZ_CHECK(buf[n] == '\0');
			FZ_CHECK(n <= total || (total == 0 && n == 0));
		}
		n = lws_hdr_copy(wsi, small, sizeof(small), (enum lws_token_indexes)t);
		FZ_CHECK(n < (int)sizeof(small));
		if (n >= 0)
			FZ_CHECK(small[n] == '\0');
		n = lws_hdr_copy_fragment(wsi, buf, sizeof(buf),
					  (enum lws_token_indexes)t, 0);
		FZ_CHECK(n < (int)sizeof(buf));
		if (n >= 0)
			FZ_CHECK(buf[n] == '\0');
	}
	n = lws_hdr_custom_length(wsi, "x-f:", 4);
	if (n >= 0) {
		int c = lws_hdr_custom_copy(wsi, buf, sizeof(buf), "x-f:", 4);

		FZ_CHECK(c < (int)sizeof(buf));
		if (c >= 0)
			FZ_CHECK(buf[c] == '\0' && c <= n);
	}
	if (lws_get_urlarg_by_name(wsi, "a=", buf, sizeof(buf)))
		FZ_CHECK(strlen(buf) < sizeof(buf));
}

/* Answers an HTTP request: a status page, or headers and a body. */
static int http_answer(struct lws *wsi, struct pss *pss)
{
	unsigned char out[LWS_PRE + 512], *start = out + LWS_PRE, *p = start,
		*end = out + sizeof(out) - 1;
	static const char body[] = "fuzz\n";

	if (pss->responded)
		return 0;
	pss->responded = 1;
	if (S.flags & F_HTTP_STATUS) {
		if (lws_return_http_status(wsi, HTTP_STATUS_NOT_FOUND, NULL))
			return -1;
		return lws_http_transaction_completed(wsi) ? -1 : 0;
	}
	if (lws_add_http_common_headers(wsi, HTTP_STATUS_OK, "text/plain",
					sizeof(body) - 1, &p, end))
		return -1;
	if (lws_finalize_write_http_header(wsi, start, &p, end))
		return -1;
	memcpy(start, body, sizeof(body) - 1);
	if (lws_write(wsi, start, sizeof(body) - 1, LWS_WRITE_HTTP_FINAL) < 0)
		return -1;
	return lws_http_transaction_completed(wsi) ? -1 : 0;
}

static int ws_write_pending(struct lws *wsi, struct pss *pss)
{
	if (S.flags & F_PING) {
		unsigned char ping[LWS_PRE + 4];

		memcpy(ping + LWS_PRE, "png", 3);
		if (lws_write(wsi, ping + LWS_PRE, 3, LWS_WRITE_PING) < 0)
			return -1;
	}
	if (!pss || !pss->pending)
		return 0;
	pss->pending = 0;
	if (lws_write(wsi, pss->buf + LWS_PRE, pss->len,
		      pss->binary ? LWS_WRITE_BINARY : LWS_WRITE_TEXT) < 0)
		return -1;
	return 0;
}

static void ws_received(struct lws *wsi, struct pss *pss, const void *in, size_t len)
{
	FZ_CHECK(len <= RX_BUFFER);
	FZ_CHECK(in || !len);
	(void)lws_remaining_packet_payload(wsi);
	(void)lws_is_first_fragment(wsi);
	(void)lws_is_final_fragment(wsi);
	if (!pss)
		return;
	pss->binary = lws_frame_is_binary(wsi);
	pss->len = len;
	if (len)
		memcpy(pss->buf + LWS_PRE, in, len);
	pss->pending = 1;
	lws_callback_on_writable(wsi);
}

/* Whether returning -1 from this reason closes the connection (the harness's
 * "close on the n-th callback" picks only these). */
static int closable(enum lws_callback_reasons r)
{
	switch (r) {
	case LWS_CALLBACK_ESTABLISHED:
	case LWS_CALLBACK_RECEIVE:
	case LWS_CALLBACK_RECEIVE_PONG:
	case LWS_CALLBACK_SERVER_WRITEABLE:
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
	case LWS_CALLBACK_CLIENT_RECEIVE:
	case LWS_CALLBACK_CLIENT_RECEIVE_PONG:
	case LWS_CALLBACK_CLIENT_WRITEABLE:
	case LWS_CALLBACK_HTTP:
	case LWS_CALLBACK_HTTP_BODY:
	case LWS_CALLBACK_HTTP_WRITEABLE:
	case LWS_CALLBACK_ESTABLISHED_CLIENT_HTTP:
	case LWS_CALLBACK_RECEIVE_CLIENT_HTTP_READ:
		return 1;
	default:
		return 0;
	}
}

static int fz_callback(struct lws *wsi, enum lws_callback_reasons reason,
		       void *user, void *in, size_t len)
{
	struct pss *pss = (struct pss *)user;
	struct tracked *t = NULL;

	S.activity = 1;
	if (S.trace)
		fprintf(stderr, "cb %d wsi %p len %zu\n", (int)reason, (void *)wsi, len);
	if (wsi) {
		t = track(wsi);
		if (t->state == W_DESTROYED)
			FZ_FAIL("callback %d for wsi %p after its WSI_DESTROY", (int)reason,
				(void *)wsi);
		if (t->state == W_CLOSED && !bookkeeping(reason))
			FZ_FAIL("callback %d for wsi %p after it closed", (int)reason,
				(void *)wsi);
		S.callbacks++;
	}

	if ((S.flags & F_CLOSE_NTH) && wsi && closable(reason) &&
	    S.callbacks == S.close_nth) {
		if (S.flags & F_CLOSE_REASON)
			lws_close_reason(wsi, LWS_CLOSE_STATUS_GOINGAWAY,
					 (unsigned char *)"bye", 3);
		return -1;
	}

	switch (reason) {
	case LWS_CALLBACK_WSI_CREATE:
		FZ_CHECK(t);
		if (t->created)
			FZ_FAIL("WSI_CREATE twice for %p", (void *)wsi);
		t->created = 1;
		S.creates++;
		break;
	case LWS_CALLBACK_WSI_DESTROY:
		FZ_CHECK(t);
		t->state = W_DESTROYED;
		S.destroys++;
		break;
	case LWS_CALLBACK_ADD_POLL_FD:
		S.add_fd++;
		break;
	case LWS_CALLBACK_DEL_POLL_FD:
		S.del_fd++;
		break;

	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		exercise_headers(wsi);
		return (S.flags & F_REJECT_FILTER) ? 1 : 0;
	case LWS_CALLBACK_ESTABLISHED:
		S.est++;
		lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_RECEIVE:
	case LWS_CALLBACK_CLIENT_RECEIVE:
		ws_received(wsi, pss, in, len);
		break;
	case LWS_CALLBACK_RECEIVE_PONG:
	case LWS_CALLBACK_CLIENT_RECEIVE_PONG:
		FZ_CHECK(len <= 125);
		break;
	case LWS_CALLBACK_SERVER_WRITEABLE:
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		return ws_write_pending(wsi, pss);
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		FZ_CHECK(len <= 125);
		return (S.flags & F_NO_CLOSE_ECHO) ? -1 : 0;
	case LWS_CALLBACK_CLOSED:
		FZ_CHECK(t);
		t->state = W_CLOSED;
		S.closed++;
		break;

	case LWS_CALLBACK_HTTP:
		exercise_headers(wsi);
		if (lws_hdr_total_length(wsi, WSI_TOKEN_POST_URI))
			return 0; /* answered at HTTP_BODY_COMPLETION */
		return http_answer(wsi, pss);
	case LWS_CALLBACK_HTTP_BODY:
		if (pss)
			pss->body += len;
		break;
	case LWS_CALLBACK_HTTP_BODY_COMPLETION:
		return http_answer(wsi, pss);
	case LWS_CALLBACK_CLOSED_HTTP:
		FZ_CHECK(t);
		t->state = W_CLOSED;
		break;

	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		S.cl_est++;
		exercise_headers(wsi);
		lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
		FZ_CHECK(t);
		t->state = W_CLOSED;
		S.cl_closed++;
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		FZ_CHECK(t);
		t->state = W_CLOSED;
		S.conn_err++;
		break;
	case LWS_CALLBACK_ESTABLISHED_CLIENT_HTTP: {
		unsigned int status = lws_http_client_http_response(wsi);

		FZ_CHECK(status < 1000);
		exercise_headers(wsi);
		break;
	}
	case LWS_CALLBACK_RECEIVE_CLIENT_HTTP: {
		char buf[LWS_PRE + 1024], *px = buf + LWS_PRE;
		int lenx = (int)sizeof(buf) - LWS_PRE;

		if (lws_http_client_read(wsi, &px, &lenx) < 0)
			return -1;
		break;
	}
	case LWS_CALLBACK_RECEIVE_CLIENT_HTTP_READ:
		FZ_CHECK(in || !len);
		break;
	case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
		FZ_CHECK(t);
		t->state = W_CLOSED;
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{"http", fz_callback, sizeof(struct pss), 0, 0, NULL, 0},
	{"fz", fz_callback, sizeof(struct pss), RX_BUFFER, 0, NULL, 0},
	LWS_PROTOCOL_LIST_TERM};

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1; /* the directory's own descriptor */
}

static void set_nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static int init(void)
{
	struct lws_context_creation_info info;
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);

	signal(SIGPIPE, SIG_IGN);
	S.trace = !!getenv("LWS_FUZZ_WIRE_TRACE");
	lws_set_log_level(0, NULL);
	memset(&info, 0, sizeof(info));
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.gid = (gid_t)-1;
	info.uid = (uid_t)-1;
	S.ctx = lws_create_context(&info);
	if (!S.ctx)
		FZ_FAIL("lws_create_context failed");
	S.vh = lws_get_vhost_by_name(S.ctx, "default");
	FZ_CHECK(S.vh);

	S.listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	FZ_CHECK(S.listen_fd >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	FZ_CHECK(!bind(S.listen_fd, (struct sockaddr *)&sa, sizeof(sa)));
	FZ_CHECK(!listen(S.listen_fd, 8));
	FZ_CHECK(!getsockname(S.listen_fd, (struct sockaddr *)&sa, &sl));
	S.port = ntohs(sa.sin_port);
	set_nonblock(S.listen_fd);
	/* Let protocol init and the first service pass happen before counting. */
	lws_service(S.ctx, -1);
	return 0;
}

void lws_fuzz_cleanup(void)
{
	if (S.ctx)
		lws_context_destroy(S.ctx);
	S.ctx = NULL;
	if (S.listen_fd > 0)
		close(S.listen_fd);
	S.listen_fd = 0;
}

/* What the harness has read from the library on the peer side. */
struct peer {
	int fd;
	char head[2048];
	size_t head_len;
	int eof;
};

static void drain(struct peer *p)
{
	char buf[4096];
	ssize_t n;

	if (p->fd < 0 || p->eof)
		return;
	while ((n = read(p->fd, buf, sizeof(buf))) > 0) {
		size_t room = sizeof(p->head) - 1 - p->head_len;
		size_t k = (size_t)n < room ? (size_t)n : room;

		memcpy(p->head + p->head_len, buf, k);
		p->head_len += k;
		p->head[p->head_len] = '\0';
		S.activity = 1;
	}
	if (!n)
		p->eof = 1;
}

/* Services until a pass does nothing (at most `max` passes). */
static void settle(struct peer *p, int max)
{
	int n;

	for (n = 0; n < max; n++) {
		S.activity = 0;
		lws_service(S.ctx, -1);
		drain(p);
		if (!S.activity)
			return;
	}
}

static int all_gone(void)
{
	int n;

	for (n = 0; n < MAX_WSI; n++)
		if (S.w[n].state == W_LIVE || S.w[n].state == W_CLOSED)
			return 0;
	return 1;
}

/* Writes the stream in pieces from the seed, servicing after each. */
static void send_pieces(struct peer *p, const uint8_t *s, size_t len, uint8_t seed)
{
	uint32_t state = seed | 1u;
	size_t at = 0;
	int stuck = 0;

	while (at < len && !p->eof && stuck < 64) {
		size_t n = len - at;
		ssize_t w;

		if (seed) {
			state ^= state << 13;
			state ^= state >> 17;
			state ^= state << 5;
			n = 1 + state % 97;
			if (n > len - at)
				n = len - at;
		}
		w = send(p->fd, s + at, n, MSG_NOSIGNAL);
		if (w > 0) {
			at += (size_t)w;
			stuck = 0;
		} else if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
			break; /* the library closed its end */
		} else {
			stuck++;
		}
		settle(p, 16);
	}
}

/* Frames from the input description: header byte (opcode, FIN, 16-bit
 * length), length byte, payload; masked when the library is the server. */
static size_t build_frames(const uint8_t *in, size_t len, uint8_t *out, size_t room,
			   int mask)
{
	static const uint8_t ops[] = {0x0, 0x1, 0x2, 0x8, 0x9, 0xa, 0x1, 0x2};
	size_t at = 0, o = 0;

	while (at + 2 <= len && o + 14 + 1024 <= room) {
		uint8_t h = in[at++];
		size_t plen = in[at++], i;
		uint8_t key[4] = {0x11, 0x22, 0x33, (uint8_t)h};

		if (h & 0x20)
			plen *= 4;
		out[o++] = (uint8_t)((h & 0x40 ? 0 : 0x80) | ops[h & 7] |
				     ((h & 0x18) == 0x18 ? 0x40 : 0));
		if (plen < 126) {
			out[o++] = (uint8_t)((mask ? 0x80 : 0) | plen);
		} else {
			out[o++] = (uint8_t)((mask ? 0x80 : 0) | 126);
			out[o++] = (uint8_t)(plen >> 8);
			out[o++] = (uint8_t)plen;
		}
		if (mask) {
			memcpy(out + o, key, 4);
			o += 4;
		}
		for (i = 0; i < plen; i++) {
			uint8_t b = at < len ? in[at++] : (uint8_t)i;

			out[o++] = mask ? (uint8_t)(b ^ key[i & 3]) : b;
		}
	}
	return o;
}

static const char upgrade_request[] =
	"GET /chat?a=1&b=x+y HTTP/1.1\r\n"
	"Host: localhost\r\n"
	"Upgrade: websocket\r\n"
	"Connection: Upgrade\r\n"
	"Sec-WebSocket-Key: " KEY "\r\n"
	"Sec-WebSocket-Version: 13\r\n"
	"Sec-WebSocket-Protocol: fz\r\n"
	"x-f: custom\r\n"
	"\r\n";

/* The 101 answering the client's request in p->head, or 0 when its key is
 * missing. */
static size_t switching_protocols(const struct peer *p, char *out, size_t room)
{
	static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
	const char *k = strstr(p->head, "Sec-WebSocket-Key: ");
	char key_guid[128], accept[64];
	unsigned char sha[20];
	size_t kl;
	int n;

	if (!k)
		return 0;
	k += strlen("Sec-WebSocket-Key: ");
	kl = strcspn(k, "\r\n");
	if (kl > 64)
		return 0;
	memcpy(key_guid, k, kl);
	memcpy(key_guid + kl, guid, sizeof(guid) - 1);
	lws_SHA1((unsigned char *)key_guid, kl + sizeof(guid) - 1, sha);
	if (lws_b64_encode_string((char *)sha, 20, accept, sizeof(accept)) < 0)
		return 0;
	n = snprintf(out, room,
		     "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
		     "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n"
		     "Sec-WebSocket-Protocol: fz\r\n\r\n",
		     accept);
	return n > 0 && (size_t)n < room ? (size_t)n : 0;
}

static struct lws *connect_client(int http)
{
	struct lws_client_connect_info cc;

	memset(&cc, 0, sizeof(cc));
	cc.context = S.ctx;
	cc.vhost = S.vh;
	cc.address = "127.0.0.1";
	cc.port = S.port;
	cc.path = "/fz";
	cc.host = "localhost";
	cc.origin = "localhost";
	if (http)
		cc.method = "GET";
	else
		cc.protocol = "fz";
	return lws_client_connect_via_info(&cc);
}

/* Accepts the client's connection and reads its request head. */
static void accept_client(struct peer *p)
{
	int n;

	for (n = 0; n < 200 && p->fd < 0; n++) {
		S.activity = 0;
		lws_service(S.ctx, -1);
		p->fd = accept4(S.listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (p->fd < 0 && all_gone())
			return; /* the connect failed */
		if (p->fd < 0 && n > 20)
			usleep(1000);
	}
	for (n = 0; n < 200 && p->fd >= 0 && !strstr(p->head, "\r\n\r\n") && !p->eof; n++) {
		settle(p, 4);
		if (n > 20)
			usleep(1000);
	}
}

int lws_fuzz_one(const uint8_t *data, size_t len, int role)
{
	static uint8_t stream[MAX_STREAM];
	struct peer p;
	size_t slen = 0;
	unsigned mode;
	uint8_t seed;
	int fds, n;

	if (!S.ctx)
		init();
	memset(S.w, 0, sizeof(S.w));
	S.creates = S.destroys = S.est = S.closed = 0;
	S.cl_est = S.cl_closed = S.conn_err = 0;
	S.add_fd = S.del_fd = 0;
	S.callbacks = 0;
	S.flags = len > 0 ? data[0] : 0;
	seed = len > 1 ? data[1] : 0;
	S.close_nth = len > 2 ? data[2] : 0;
	data += len < 3 ? len : 3;
	len -= len < 3 ? len : 3;
	if (len > MAX_STREAM / 2)
		len = MAX_STREAM / 2;
	mode = S.flags & F_MODE;
	memset(&p, 0, sizeof(p));
	p.fd = -1;
	fds = count_fds();

	if (role == LWS_FUZZ_ROLE_SERVER) {
		int sv[2];

		FZ_CHECK(!socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
		set_nonblock(sv[0]);
		set_nonblock(sv[1]);
		p.fd = sv[1];
		if (!lws_adopt_socket_vhost(S.vh, sv[0])) {
			/* Refused: the library closed it, as lws does. */
			close(p.fd);
			FZ_CHECK(count_fds() == fds);
			return 0;
		}
		if (mode == M_UPGRADED || mode == M_FRAMED) {
			memcpy(stream, upgrade_request, sizeof(upgrade_request) - 1);
			slen = sizeof(upgrade_request) - 1;
		} else if (mode == M_HTTP) {
			memcpy(stream, "GET /", 5);
			slen = 5;
		}
		if (mode == M_FRAMED)
			slen += build_frames(data, len, stream + slen, MAX_STREAM - slen, 1);
		else {
			memcpy(stream + slen, data, len);
			slen += len;
		}
	} else {
		if (!connect_client(mode == M_HTTP))
			FZ_CHECK(all_gone());
		accept_client(&p);
		if (p.fd >= 0) {
			if (mode == M_UPGRADED || mode == M_FRAMED)
				slen = switching_protocols(&p, (char *)stream, MAX_STREAM);
			if (mode == M_FRAMED)
				slen += build_frames(data, len, stream + slen, MAX_STREAM - slen, 0);
			else {
				memcpy(stream + slen, data, len);
				slen += len;
			}
		}
	}

	if (p.fd >= 0) {
		send_pieces(&p, stream, slen, seed);
		settle(&p, 64);
		/* The peer is done sending; then it goes away altogether. */
		shutdown(p.fd, SHUT_WR);
		settle(&p, 64);
		if (S.trace)
			fprintf(stderr, "peer got %zu bytes (eof %d): %.300s\n", p.head_len,
				p.eof, p.head);
		close(p.fd);
		p.fd = -1;
	}
	for (n = 0; n < 400 && !all_gone(); n++) {
		lws_service(S.ctx, -1);
		if (n > 50)
			usleep(1000);
	}
	if (!all_gone())
		FZ_FAIL("a connection outlived its peer");
	FZ_CHECK(S.creates == S.destroys);
	FZ_CHECK(S.est == S.closed);
	FZ_CHECK(S.cl_est == S.cl_closed);
	FZ_CHECK(S.cl_est + S.conn_err <= 1);
	FZ_CHECK(S.add_fd == S.del_fd);
	n = count_fds();
	if (n != fds)
		FZ_FAIL("%d descriptors before the input, %d after", fds, n);
	return 0;
}

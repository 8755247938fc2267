/*
 * The raw-file role (LWS_ADOPT_RAW_FILE_DESC):
 *  1. a pipe's read end: RAW_ADOPT_FILE, then one RAW_RX_FILE (in NULL, len 0) per burst
 *     the application reads itself; a burst read in two halves gets a second RAW_RX_FILE
 *     (lws's poll is level-triggered); held with lws_rx_flow_control it waits; when the
 *     writer closes, RAW_CLOSE_FILE then WSI_DESTROY, and the descriptor is closed;
 *  2. a pty master (as a serial line): what the slave writes arrives as RAW_RX_FILE, and
 *     lws_write() in RAW_WRITEABLE_FILE reaches the slave;
 *  3. bad input: a closed descriptor, a socket with an unknown protocol, a file with an
 *     unknown protocol: NULL, one error log line each, no callback; the socket is closed,
 *     the file descriptor is left open (as lws).
 * ctest-timeout: 60
 */
#define _GNU_SOURCE
#include <libwebsockets.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <termios.h>

#include "harness.h"

static struct lws *pipe_wsi, *pty_wsi;
static int pipe_fd = -1, pty_fd = -1;
static int rx_count, closed_pipe, closed_pty, adopted, destroyed, any_callback;
static char got[256], pty_got[256];
static size_t got_len, pty_got_len;
static int read_half; /* read only part of the next burst */
static char errlog[1024];

static void emit(int level, const char *line)
{
	if (level == LLL_ERR && strlen(errlog) + strlen(line) < sizeof(errlog))
		strcat(errlog, line);
}

static int cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
	      size_t len)
{
	char buf[64];
	ssize_t n;

	(void)user;
	(void)len;
	if (reason != LWS_CALLBACK_PROTOCOL_INIT && reason != LWS_CALLBACK_PROTOCOL_DESTROY &&
	    reason != LWS_CALLBACK_GET_THREAD_ID && reason != LWS_CALLBACK_EVENT_WAIT_CANCELLED)
		any_callback++;
	switch (reason) {
	case LWS_CALLBACK_RAW_ADOPT_FILE:
		h_trace_add(reason);
		adopted++;
		break;
	case LWS_CALLBACK_RAW_RX_FILE:
		H_ASSERT(in == NULL);
		if (wsi == pipe_wsi) {
			h_trace_add(reason);
			rx_count++;
			n = read(pipe_fd, buf, read_half ? 3 : sizeof(buf));
			read_half = 0;
			if (n > 0 && got_len + (size_t)n < sizeof(got)) {
				memcpy(got + got_len, buf, (size_t)n);
				got_len += (size_t)n;
			}
		} else {
			n = read(pty_fd, buf, sizeof(buf));
			if (n < 0)
				return 1; /* the slave went away */
			if (pty_got_len + (size_t)n < sizeof(pty_got)) {
				memcpy(pty_got + pty_got_len, buf, (size_t)n);
				pty_got_len += (size_t)n;
			}
		}
		break;
	case LWS_CALLBACK_RAW_WRITEABLE_FILE:
		H_ASSERT(wsi == pty_wsi);
		{
			static unsigned char m[LWS_PRE + 16];
			memcpy(m + LWS_PRE, "to-serial\n", 10);
			H_ASSERT_EQ_INT(lws_write(wsi, m + LWS_PRE, 10, LWS_WRITE_RAW), 10);
		}
		break;
	case LWS_CALLBACK_RAW_CLOSE_FILE:
		h_trace_add(reason);
		if (wsi == pipe_wsi) {
			closed_pipe++;
			/* Its memory may be reused by the next wsi. */
			pipe_wsi = NULL;
		}
		if (wsi == pty_wsi)
			closed_pty++;
		break;
	case LWS_CALLBACK_WSI_DESTROY:
		h_trace_add(reason);
		destroyed++;
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "file", cb, 0, 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static void service_until(struct lws_context *cx, const int *flag, int want)
{
	int i;

	for (i = 0; i < 3000 && *flag < want; i++) {
		lws_service(cx, -1);
		usleep(500);
	}
}

static void pipe_case(struct lws_context *cx, struct lws_vhost *vh)
{
	lws_sock_file_fd_type u;
	int p[2], i;

	H_ASSERT(pipe(p) == 0);
	pipe_fd = p[0];
	u.filefd = p[0];
	pipe_wsi = lws_adopt_descriptor_vhost(vh, LWS_ADOPT_RAW_FILE_DESC, u, "file", NULL);
	H_ASSERT(pipe_wsi != NULL);
	service_until(cx, &adopted, 1);
	H_ASSERT_EQ_INT(adopted, 1);
	H_ASSERT_EQ_INT(rx_count, 0);

	H_ASSERT_EQ_INT(write(p[1], "abc", 3), 3);
	service_until(cx, &rx_count, 1);
	H_ASSERT_EQ_INT(rx_count, 1);

	/* Read in two halves: still readable, so a second RX_FILE follows. */
	read_half = 1;
	H_ASSERT_EQ_INT(write(p[1], "defghi", 6), 6);
	service_until(cx, &rx_count, 3);
	H_ASSERT_EQ_INT(rx_count, 3);
	got[got_len] = '\0';
	H_ASSERT_STREQ(got, "abcdefghi");
	/* Nothing left: no spurious RX_FILE. */
	for (i = 0; i < 50; i++)
		lws_service(cx, -1);
	H_ASSERT_EQ_INT(rx_count, 3);

	/* Held: nothing delivered; released: delivered. */
	lws_rx_flow_control(pipe_wsi, 0);
	H_ASSERT_EQ_INT(write(p[1], "jk", 2), 2);
	for (i = 0; i < 100; i++) {
		lws_service(cx, -1);
		usleep(200);
	}
	H_ASSERT_EQ_INT(rx_count, 3);
	lws_rx_flow_control(pipe_wsi, 1);
	service_until(cx, &rx_count, 4);
	H_ASSERT_EQ_INT(rx_count, 4);

	/* The writer goes: RAW_CLOSE_FILE, WSI_DESTROY; our end is closed. */
	close(p[1]);
	service_until(cx, &destroyed, 1);
	H_ASSERT_EQ_INT(closed_pipe, 1);
	H_ASSERT(h_trace_index(LWS_CALLBACK_RAW_CLOSE_FILE, 0) <
		 h_trace_index(LWS_CALLBACK_WSI_DESTROY, 0));
	H_ASSERT(fcntl(p[0], F_GETFD) == -1 && errno == EBADF);
}

static void pty_case(struct lws_context *cx, struct lws_vhost *vh)
{
	lws_sock_file_fd_type u;
	char buf[64];
	size_t have = 0;
	int slave, i;

	pty_fd = posix_openpt(O_RDWR | O_NOCTTY);
	H_ASSERT(pty_fd >= 0);
	H_ASSERT(grantpt(pty_fd) == 0 && unlockpt(pty_fd) == 0);
	slave = open(ptsname(pty_fd), O_RDWR | O_NOCTTY | O_NONBLOCK);
	H_ASSERT(slave >= 0);
	{
		struct termios t;
		H_ASSERT(tcgetattr(slave, &t) == 0);
		cfmakeraw(&t);
		H_ASSERT(tcsetattr(slave, TCSANOW, &t) == 0);
	}
	u.filefd = pty_fd;
	pty_wsi = lws_adopt_descriptor_vhost(vh, LWS_ADOPT_RAW_FILE_DESC, u, "file", NULL);
	H_ASSERT(pty_wsi != NULL);
	H_ASSERT_EQ_INT(write(slave, "from-serial\n", 12), 12);
	for (i = 0; i < 3000 && pty_got_len < 12; i++) {
		lws_service(cx, -1);
		usleep(500);
	}
	pty_got[pty_got_len] = '\0';
	H_ASSERT_STREQ(pty_got, "from-serial\n");

	H_ASSERT_EQ_INT(lws_callback_on_writable(pty_wsi), 1);
	for (i = 0; i < 3000 && have < 10; i++) {
		ssize_t r = read(slave, buf + have, sizeof(buf) - 1 - have);
		if (r > 0)
			have += (size_t)r;
		lws_service(cx, -1);
		usleep(500);
	}
	buf[have] = '\0';
	H_ASSERT_STREQ(buf, "to-serial\n");
	lws_wsi_close(pty_wsi, LWS_TO_KILL_ASYNC);
	service_until(cx, &closed_pty, 1);
	H_ASSERT_EQ_INT(closed_pty, 1);
	close(slave);
}

static void bad_descriptors(struct lws_context *cx, struct lws_vhost *vh)
{
	lws_sock_file_fd_type u;
	int before = any_callback, p[2], sp[2], i;
	char c;

	/* A descriptor that is not open. */
	H_ASSERT(pipe(p) == 0);
	close(p[0]);
	close(p[1]);
	errlog[0] = '\0';
	u.filefd = p[0];
	H_ASSERT(lws_adopt_descriptor_vhost(vh, LWS_ADOPT_RAW_FILE_DESC, u, "file", NULL) == NULL);
	H_ASSERT_CONTAINS(errlog, "nonblocking");
	u.sockfd = p[1];
	errlog[0] = '\0';
	H_ASSERT(lws_adopt_descriptor_vhost(vh, LWS_ADOPT_SOCKET, u, NULL, NULL) == NULL);
	H_ASSERT_CONTAINS(errlog, "nonblocking");

	/* Unknown protocol: the socket is closed (its peer sees EOF)... */
	H_ASSERT(socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == 0);
	u.sockfd = sp[0];
	errlog[0] = '\0';
	H_ASSERT(lws_adopt_descriptor_vhost(vh, LWS_ADOPT_SOCKET, u, "nope", NULL) == NULL);
	H_ASSERT_CONTAINS(errlog, "nope");
	H_ASSERT_EQ_INT(read(sp[1], &c, 1), 0);
	close(sp[1]);
	/* ...a file descriptor is left open. */
	H_ASSERT(pipe(p) == 0);
	u.filefd = p[0];
	H_ASSERT(lws_adopt_descriptor_vhost(vh, LWS_ADOPT_RAW_FILE_DESC, u, "nope", NULL) == NULL);
	H_ASSERT(fcntl(p[0], F_GETFD) != -1);
	close(p[0]);
	close(p[1]);

	/* A datagram socket is not a stream: refused, closed. */
	H_ASSERT(socketpair(AF_UNIX, SOCK_DGRAM, 0, sp) == 0);
	u.sockfd = sp[0];
	H_ASSERT(lws_adopt_descriptor_vhost(vh, LWS_ADOPT_SOCKET, u, NULL, NULL) == NULL);
	H_ASSERT(fcntl(sp[0], F_GETFD) == -1);
	close(sp[1]);

	for (i = 0; i < 50; i++)
		lws_service(cx, -1);
	H_ASSERT_EQ_INT(any_callback, before);
}

int main(void)
{
	struct lws_context_creation_info info;
	struct lws_context *cx;
	struct lws_vhost *vh;

	h_watchdog(50);
	lws_set_log_level(LLL_ERR, emit);
	memset(&info, 0, sizeof(info));
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	info.port = CONTEXT_PORT_NO_LISTEN_SERVER;
	info.protocols = protocols;
	vh = lws_create_vhost(cx, &info);
	H_ASSERT(vh != NULL);

	pipe_case(cx, vh);
	pty_case(cx, vh);
	bad_descriptors(cx, vh);

	lws_context_destroy(cx);
	return h_pass();
}

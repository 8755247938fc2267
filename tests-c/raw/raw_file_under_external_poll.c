/*
 * A raw file with a host event loop (external poll): a pipe adopted as a raw file is
 * announced with LWS_CALLBACK_ADD_POLL_FD (POLLIN) before its first callback, serviced only
 * through lws_service_fd() from the host's own poll(), and announced deleted (DEL_POLL_FD)
 * after RAW_CLOSE_FILE and before WSI_DESTROY; the writer's hang-up (POLLHUP without
 * POLLIN) closes it as in the internal loop.
 * ctest-timeout: 60
 */
#include <libwebsockets.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>

#include "harness.h"

#define MAXFD 32

static struct pollfd fds[MAXFD];
static int nfds;
static int pipe_fd = -1, rx, closed, destroyed, del_before_destroy;
static char got[64];
static size_t got_len;

static int find(int fd)
{
	int i;

	for (i = 0; i < nfds; i++)
		if (fds[i].fd == fd)
			return i;
	return -1;
}

static int cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
	      size_t len)
{
	struct lws_pollargs *pa = (struct lws_pollargs *)in;
	char buf[32];
	ssize_t n;
	int i;

	(void)user;
	(void)len;
	(void)wsi;
	switch (reason) {
	case LWS_CALLBACK_ADD_POLL_FD:
		H_ASSERT(nfds < MAXFD && find(pa->fd) < 0);
		fds[nfds].fd = pa->fd;
		fds[nfds].events = (short)pa->events;
		fds[nfds++].revents = 0;
		if (pa->fd == pipe_fd)
			h_trace_addf("add pipe");
		break;
	case LWS_CALLBACK_CHANGE_MODE_POLL_FD:
		i = find(pa->fd);
		H_ASSERT(i >= 0);
		fds[i].events = (short)pa->events;
		break;
	case LWS_CALLBACK_DEL_POLL_FD:
		i = find(pa->fd);
		H_ASSERT(i >= 0);
		fds[i] = fds[--nfds];
		if (pa->fd == pipe_fd) {
			h_trace_addf("del pipe");
			H_ASSERT_EQ_INT(closed, 1);
			H_ASSERT_EQ_INT(destroyed, 0);
			del_before_destroy = 1;
		}
		break;
	case LWS_CALLBACK_RAW_ADOPT_FILE:
		h_trace_add(reason);
		break;
	case LWS_CALLBACK_RAW_RX_FILE:
		rx++;
		n = read(pipe_fd, buf, sizeof(buf));
		if (n > 0 && got_len + (size_t)n < sizeof(got)) {
			memcpy(got + got_len, buf, (size_t)n);
			got_len += (size_t)n;
		}
		break;
	case LWS_CALLBACK_RAW_CLOSE_FILE:
		h_trace_add(reason);
		closed++;
		break;
	case LWS_CALLBACK_WSI_DESTROY:
		if (closed == 1 && !destroyed) {
			destroyed++;
			h_trace_add(reason);
		}
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

/* One turn of the host loop: poll what lws gave us, hand lws what is ready. */
static void turn(struct lws_context *cx)
{
	struct pollfd snap[MAXFD];
	int n = nfds, i, r;

	memcpy(snap, fds, sizeof(snap));
	r = poll(snap, (nfds_t)n, 5);
	for (i = 0; r > 0 && i < n; i++) {
		if (snap[i].revents) {
			struct lws_pollfd p = snap[i];
			lws_service_fd(cx, &p);
		}
	}
	lws_service_fd(cx, NULL);
}

int main(void)
{
	struct lws_context_creation_info info;
	struct lws_context *cx;
	struct lws_vhost *vh;
	lws_sock_file_fd_type u;
	int p[2], i;

	h_watchdog(50);
	lws_set_log_level(LLL_ERR | LLL_WARN, NULL);
	memset(&info, 0, sizeof(info));
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	cx = lws_create_context(&info);
	H_ASSERT(cx != NULL);
	info.port = CONTEXT_PORT_NO_LISTEN_SERVER;
	info.protocols = protocols;
	vh = lws_create_vhost(cx, &info);
	H_ASSERT(vh != NULL);

	H_ASSERT(pipe(p) == 0);
	pipe_fd = p[0];
	u.filefd = p[0];
	H_ASSERT(lws_adopt_descriptor_vhost(vh, LWS_ADOPT_RAW_FILE_DESC, u, "file", NULL));
	for (i = 0; i < 200 && find(pipe_fd) < 0; i++)
		turn(cx);
	H_ASSERT(find(pipe_fd) >= 0);
	H_ASSERT(fds[find(pipe_fd)].events & POLLIN);

	H_ASSERT_EQ_INT(write(p[1], "host-loop", 9), 9);
	for (i = 0; i < 400 && got_len < 9; i++)
		turn(cx);
	got[got_len] = '\0';
	H_ASSERT_STREQ(got, "host-loop");

	close(p[1]);
	for (i = 0; i < 400 && !destroyed; i++)
		turn(cx);
	H_ASSERT_EQ_INT(closed, 1);
	H_ASSERT_EQ_INT(del_before_destroy, 1);
	H_ASSERT_EQ_INT(destroyed, 1);
	H_ASSERT(find(pipe_fd) < 0);
	H_ASSERT(h_trace_index(LWS_CALLBACK_RAW_ADOPT_FILE, 0) <
		 h_trace_index(LWS_CALLBACK_RAW_CLOSE_FILE, 0));

	lws_context_destroy(cx);
	return h_pass();
}

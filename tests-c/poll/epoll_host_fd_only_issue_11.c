/*
 * Issue 11, external poll: a host epoll loop that learns every descriptor
 * from the poll-fd callbacks and services them only with lws_service_fd()
 * (and lws_service_fd(cx, NULL) when lws_service_adjust_timeout() says 0),
 * running a ws server and client of one context: 10000 messages each way up
 * to 1 MiB, rx flow control, a peer reset, the cancel pipe. See epoll_host.h.
 * ctest-timeout: 240
 * 54 MB of masked frames take minutes under valgrind: checked under ASan; the
 * valgrind run has custom_event_lib_and_sul_lists_issue_11 for these paths.
 * ctest-labels: novalgrind
 */
#include "epoll_host.h"

int main(void)
{
	return run_host(HOST_FD_ONLY, 0);
}

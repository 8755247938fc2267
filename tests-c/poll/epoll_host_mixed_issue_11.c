/*
 * Issue 11, external poll, mixed: the host adds each ws connection to its
 * epoll from ESTABLISHED / CLIENT_ESTABLISHED and services it with
 * lws_service_fd(); everything else (listener, handshakes, cancel pipe,
 * timers) by one lws_service(cx, -1) per loop turn. Same traffic and checks
 * as the fd-only host (epoll_host.h).
 * ctest-timeout: 240
 * 54 MB of masked frames take minutes under valgrind: checked under ASan; the
 * valgrind run has custom_event_lib_and_sul_lists_issue_11 for these paths.
 * ctest-labels: novalgrind
 */
#include "epoll_host.h"

int main(void)
{
	return run_host(HOST_MIXED, 0);
}

/*
 * Issue 11, external poll over TLS: the fd-only epoll host of epoll_host.h
 * with a TLS server and client (rustls; a self-signed certificate made at
 * test time): 2000 messages each way up to 1 MiB, rx flow control, a peer
 * reset, the cancel pipe; lws_service_adjust_timeout() must say 0 while
 * decrypted input waits where epoll cannot see it.
 * ctest-timeout: 240
 * TLS paths are checked under ASan, not valgrind (see tests-c/tls).
 * ctest-labels: novalgrind
 */
#include "epoll_host.h"

int main(void)
{
	return run_host(HOST_FD_ONLY, 1);
}

/*
 * The wire fuzz harness: one input drives one connection of the real exported API
 * (context, vhost, adopt / client connect, service, protocol callbacks) with the
 * peer's bytes coming from the input. Compiled into the libFuzzer target
 * fuzz/src/bin/wire.rs (by fuzz/build.rs) and into the ctest replay driver
 * tests-c/fuzz/wire_corpus_replay.c (under ASan+UBSan and valgrind in CI).
 */
#ifndef LWS_FUZZ_WIRE_H
#define LWS_FUZZ_WIRE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Roles: 0 the library is the server (an adopted socketpair end), 1 the client
 * (a loopback TCP connection to the harness). */
#define LWS_FUZZ_ROLE_SERVER 0
#define LWS_FUZZ_ROLE_CLIENT 1

/*
 * Runs one input. Returns 0; a broken invariant prints what broke and aborts
 * (so libFuzzer keeps the input). The context is created on the first call and
 * reused; every connection of an input is gone when it returns.
 */
int lws_fuzz_one(const uint8_t *data, size_t len, int role);

/* Destroys the reused context (the replay driver calls it at exit, so that
 * leak checkers see everything freed). */
void lws_fuzz_cleanup(void);

#ifdef __cplusplus
}
#endif

#endif

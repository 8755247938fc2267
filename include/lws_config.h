/*
 * lws_config.h for lws-rs: the frozen feature set of this libwebsockets 4.3.3
 * compatible library. Hand-written; it must match what the Rust implementation
 * provides and the layouts in libwebsockets.h (see shared/abi/config.tsv: the
 * reference build these values were measured on).
 *
 * Changing a line here changes the ABI seen by C programs: don't, unless the
 * Rust side changes with it.
 */
#ifndef LWS_RS_CONFIG_H
#define LWS_RS_CONFIG_H

#define LWS_LIBRARY_VERSION "4.3.3"
#define LWS_LIBRARY_VERSION_MAJOR 4
#define LWS_LIBRARY_VERSION_MINOR 3
#define LWS_LIBRARY_VERSION_PATCH 3

/* One service thread per context. */
#define LWS_MAX_SMP 1

/* A debug build: every log level is compiled in (unless the program defines NDEBUG). */
#ifndef NDEBUG
#ifndef _DEBUG
#define _DEBUG
#endif
#endif
#define LWS_LOGGING_BITFIELD_SET 0
#define LWS_LOGGING_BITFIELD_CLEAR 0
#define LWS_SUPPRESS_DEPRECATED_API_WARNINGS
/* Log lines start with a [date time] stamp. */
#define LWS_LOGS_TIMESTAMP

/* Platform: Unix with glibc. */
#define LWS_PLAT_UNIX
#define LWS_HAS_INTPTR_T
#define LWS_HAS_GETOPT_LONG
#define LWS_HAVE_ATOLL
#define LWS_HAVE_CLOCK_GETTIME
#define LWS_HAVE_LOCALTIME_R
#define LWS_HAVE_GMTIME_R
#define LWS_HAVE_TIMEGM
#define LWS_HAVE_PTHREAD_H
#define LWS_HAVE_STDINT_H
#define LWS_HAVE_SUSECONDS_T
#define LWS_HAVE_MALLOC_H
#define LWS_HAVE_MALLOC_TRIM
#define LWS_HAVE_MALLOC_USABLE_SIZE
#define LWS_HAVE_PIPE2
#define LWS_HAVE_EVENTFD
#define LWS_HAVE_EXECVPE
#define LWS_HAVE_VFORK
#define LWS_HAVE_GETGRGID_R
#define LWS_HAVE_GETGRNAM_R
#define LWS_HAVE_GETPWUID_R
#define LWS_HAVE_GETPWNAM_R
#define LWS_HAVE_CTIME_R
#define LWS_HAVE_SYS_CAPABILITY_H
#define LWS_HAVE_LIBCAP

/* Roles and features that are on. */
#define LWS_WITH_NETWORK
#define LWS_WITH_CLIENT
/* Client connections through an HTTP proxy (CONNECT): info.http_proxy_address, $http_proxy, lws_set_proxy. */
#define LWS_CLIENT_HTTP_PROXYING
#define LWS_WITH_SERVER
#define LWS_ROLE_H1
#define LWS_ROLE_WS
/* Raw sockets and files (adoption, LWS_SERVER_OPTION_ONLY_RAW, method "RAW"), UDP adoption. */
#define LWS_ROLE_RAW
#define LWS_ROLE_RAW_FILE
#define LWS_WITH_UDP
#define LWS_ROLE_H2
#define LWS_WITH_HTTP2
#define LWS_WITH_HTTP_BASIC_AUTH
#define LWS_WITH_HTTP_UNCOMMON_HEADERS
#define LWS_WITH_CUSTOM_HEADERS
#define LWS_WITH_TLS
#define LWS_WITH_TLS_SESSIONS
/* TLS clients also trust the OS certificate store (off with LWS_SERVER_OPTION_DISABLE_OS_CA_CERTS). */
#define LWS_SSL_CLIENT_USE_OS_CA_CERTS
#define LWS_WITH_FILE_OPS
#define LWS_WITH_SYS_STATE
#define LWS_WITH_SYS_SMD
#define LWS_WITH_CONMON
#define LWS_WITH_CACHE_NSCOOKIEJAR
/* The LEJP JSON parser (lejp_*) is built in; lws_daemonize() is not. */
#define LWS_WITH_LEJP
#define LWS_NO_DAEMONIZE
#define LWS_WITH_DIR
/* The chunked allocator (lwsac_*), and the default event loop (lws_service),
 * which lws builds on poll() and lws-rs on epoll: the same service semantics. */
#define LWS_WITH_LWSAC
#define LWS_WITH_POLL

/*
 * A host event loop can drive the library: the poll-fd callbacks to
 * protocols[0], lws_service_fd(), lws_service_adjust_timeout() and custom
 * event libraries (info.event_lib_custom). No layout depends on it.
 */
#define LWS_WITH_EXTERNAL_POLL
#define LWS_BUILD_HASH "lws-rs"

/*
 * WebSocket extensions are on (LWS_WITHOUT_EXTENSIONS is not defined):
 * permessage-deflate is negotiated when info.extensions names it, as in an lws
 * 4.3.3 built with -DLWS_WITHOUT_EXTENSIONS=OFF (no layout changes with it).
 */

/*
 * Off, and the layouts depend on it staying off:
 * LWS_WITH_IPV6, LWS_WITH_PLUGINS, LWS_WITH_SOCKS5, LWS_WITH_SECURE_STREAMS,
 * LWS_WITH_PEER_LIMITS, LWS_WITH_SYS_FAULT_INJECTION, LWS_WITH_SYS_METRICS,
 * LWS_WITH_TLS_JIT_TRUST, LWS_WITH_MBEDTLS, USE_WOLFSSL,
 * LWS_ESP_PLATFORM, LWS_PLAT_FREERTOS, LWS_PLAT_OPTEE.
 */

#endif /* LWS_RS_CONFIG_H */

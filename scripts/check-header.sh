#!/bin/sh
# Compiles a small program that includes <libwebsockets.h> and uses its macros,
# as C99, C11, C++11 and C++17, with -Wall -Wextra -Werror -pedantic, against
# the headers in include/ (or the directory given as $1).
#
# -pedantic is kept everywhere: the header needs no GNU extension beyond
# __attribute__, which -pedantic accepts.
#
# Then the inventory: every name of abi/header-names.tsv (what the lws 4.3.3
# headers declare) must be declared by our header unless abi/header-pending.txt
# lists it, and no pending name may be declared (scripts/header-inventory.py).
# With LWS_REF_INCLUDE=<installed lws 4.3.3 include dir>, header-names.tsv is
# also compared with what that tree declares.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
inc=${1:-$here/../include}
CC=${CC:-cc}
CXX=${CXX:-c++}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat > "$tmp/t.c" <<'EOT'
#include <libwebsockets.h>

/*
 * What the macros below call, as functions.tsv declares it. While a function is
 * pending these are its only declarations; once lws-api.h declares it they are
 * compatible redeclarations (and in C++ a mismatch is a hard error).
 */
#ifdef __cplusplus
extern "C" {
#endif
size_t lws_ring_consume(struct lws_ring *ring, uint32_t *tail, void *dest,
			size_t max_count);
uint32_t lws_ring_get_oldest_tail(struct lws_ring *ring);
size_t lws_ring_get_count_waiting_elements(struct lws_ring *ring,
					   uint32_t *tail);
void lws_ring_update_oldest_tail(struct lws_ring *ring, uint32_t tail);
void lwsl_hexdump_level(int level, const void *vbuf, size_t len);
char *lws_strncpy(char *dest, const char *src, size_t size);
#ifdef __cplusplus
}
#endif

struct pss {
	struct pss *next;
	uint32_t tail;
	struct lws_dll2 list;
	int n;
};

static struct pss *pss_head;

static int
cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
   size_t len)
{
	struct pss *p = (struct pss *)user;
	(void)wsi;
	(void)in;
	(void)len;
	if (reason == LWS_CALLBACK_USER && p)
		lwsl_user("%s: %d\n", __func__, p->n);
	return 0;
}

static lws_callback_function *fn = cb;

static const struct lws_protocols protocols[] = {
	{ "test", cb, sizeof(struct pss), 0, 0, NULL, 0 },
	LWS_PROTOCOL_LIST_TERM
};

static const struct lws_http_mount mount = {
	NULL, "/", "./mount-origin", "index.html", NULL, NULL, NULL, NULL,
	0, 0, 0, 0, 0, 0, LWSMPRO_FILE, 1, NULL
};

int
walk(struct lws_dll2_owner *owner, struct lws_ring *ring)
{
	struct lws_context_creation_info info;
	struct pss a, b;
	int n = 0;
	char buf[8];

	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.mounts = &mount;
	info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT |
		       LWS_SERVER_OPTION_DISABLE_TLS_SESSION_CACHE;
	a.n = 1;
	b.n = 2;
	a.next = NULL;
	lws_ll_fwd_insert(&a, next, pss_head);
	lws_ll_fwd_insert(&b, next, pss_head);
	lws_start_foreach_llp(struct pss **, pp, pss_head) {
		n += (*pp)->n;
	} lws_end_foreach_llp(pp, next);
	lws_start_foreach_llp_safe(struct pss **, pp, pss_head, next) {
		if ((*pp)->n == 2)
			*pp = (*pp)->next;
	} lws_end_foreach_llp_safe(pp);
	lws_ll_fwd_remove(struct pss, next, &a, pss_head);
	lws_start_foreach_dll_safe(struct lws_dll2 *, d, d1,
				   lws_dll2_get_head(owner)) {
		struct pss *p = lws_container_of(d, struct pss, list);
		n += p->n;
	} lws_end_foreach_dll_safe(d, d1);
	lws_start_foreach_dll(struct lws_dll2 *, d, lws_dll2_get_tail(owner)) {
		n += lws_dll2_owner(d) == owner;
	} lws_end_foreach_dll(d);
	if (ring) {
		lws_ring_consume_and_update_oldest_tail(ring, struct pss,
				&a.tail, 1, pss_head, tail, next);
		lws_ring_consume_single_tail(ring, &b.tail, 1);
	}
	n += lws_write_ws_flags(LWS_WRITE_TEXT, 1, 0);
	n += lws_ptr_diff(buf + 4, buf) + (int)lws_ptr_diff_size_t(buf + 2, buf);
	n += (int)LWS_ARRAY_SIZE(protocols) + lws_fi_user_wsi_fi(NULL, "x");
	lws_snprintf(buf, sizeof buf, "%d", n);
	lws_strnncpy(buf, "abcdef", 3, sizeof buf);
	n += LWS_PRE + (int)LWS_LIBRARY_VERSION_NUMBER;
	lwsl_err("e %d\n", n);
	lwsl_warn("w\n");
	lwsl_notice("n\n");
	lwsl_info("i\n");
	lwsl_debug("d\n");
	lwsl_hexdump_notice(buf, sizeof buf);
	return n + (fn != NULL) + (int)info.port;
}
EOT
cp "$tmp/t.c" "$tmp/t.cc"

flags="-Wall -Wextra -Werror -pedantic -I $inc"
status=0
for std in c99 c11; do
	if $CC -std=$std $flags -c "$tmp/t.c" -o "$tmp/t.o"; then
		echo "ok   $CC -std=$std"
	else
		echo "FAIL $CC -std=$std"; status=1
	fi
done
for std in c++11 c++17; do
	if $CXX -std=$std $flags -c "$tmp/t.cc" -o "$tmp/t.o"; then
		echo "ok   $CXX -std=$std"
	else
		echo "FAIL $CXX -std=$std"; status=1
	fi
done
root=$here/..
ref=
if [ -n "${LWS_REF_INCLUDE:-}" ]; then
	ref="--ref-include $LWS_REF_INCLUDE --config $LWS_REF_INCLUDE"
fi
# shellcheck disable=SC2086 # $ref is two option pairs
if python3 "$here/header-inventory.py" --ours "$inc" --names "$root/abi/header-names.tsv" \
	--pending "$root/abi/header-pending.txt" $ref > "$tmp/missing.txt"; then
	echo "ok   header inventory (abi/header-names.tsv, abi/header-pending.txt)"
else
	echo "FAIL header inventory (abi/header-names.tsv, abi/header-pending.txt)"; status=1
fi
exit $status

# Sourced by scripts/test-deb.sh and scripts/test-migrating.sh, which install the lws-rs
# package system-wide: installing it removes Debian's libwebsockets-dev / libwebsockets19t64
# (it conflicts with them). A machine that has them (e.g. bench/run.sh installs Debian 12's
# libwebsockets-dev 4.1 as its reference) must get them back afterwards, at the versions it had.
#
#   real_lws_save       records the installed real packages in REAL_LWS ("name=version" words)
#                       and fails if a libwebsockets file in /usr belongs to no package
#   real_lws_restore    purges lws-rs if installed, then reinstalls what real_lws_save recorded
#
# Both need as_root (defined here): root, or sudo.

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi
}

# Stand-ins made by test-deb.sh carry this Maintainer; they are never "real".
LWS_STANDIN_MAINTAINER="lws-rs test"
REAL_LWS=

real_lws_save() {
	local p status maint f
	REAL_LWS=
	for p in libwebsockets19t64 libwebsockets-dev; do
		status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
		case "$status" in *" installed") ;; *) continue ;; esac
		maint=$(dpkg-query -W -f='${Maintainer}' "$p")
		[ "$maint" = "$LWS_STANDIN_MAINTAINER" ] && continue
		REAL_LWS="$REAL_LWS $p=$(dpkg-query -W -f='${Version}' "$p")"
	done
	REAL_LWS=${REAL_LWS# }
	for f in /usr/include/libwebsockets.h /usr/include/lws_config.h /usr/lib/*/libwebsockets.so.19 \
		/usr/lib/*/libwebsockets.so /usr/lib/*/pkgconfig/libwebsockets.pc; do
		[ -e "$f" ] || continue
		dpkg -S "$f" >/dev/null 2>&1 && continue
		echo "deb-guard: $f belongs to no package (a 'make install' to /usr?); the lws-rs package would overwrite it" >&2
		return 1
	done
	[ -z "$REAL_LWS" ] || echo "deb-guard: installed before the test, reinstalled after it: $REAL_LWS" >&2
}

real_lws_restore() {
	if dpkg-query -W -f='${Status}' lws-rs 2>/dev/null | grep -qv not-installed; then
		as_root env DEBIAN_FRONTEND=noninteractive dpkg --purge lws-rs >/dev/null
	fi
	[ -n "$REAL_LWS" ] || return 0
	# shellcheck disable=SC2086 # one word per package
	if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		--allow-downgrades $REAL_LWS >/dev/null 2>&1; then
		as_root apt-get update -qq >/dev/null 2>&1 || true
		# shellcheck disable=SC2086
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			--allow-downgrades $REAL_LWS >/dev/null || {
			echo "deb-guard: could not reinstall $REAL_LWS; install them again by hand" >&2
			return 1
		}
	fi
	echo "deb-guard: reinstalled $REAL_LWS" >&2
}

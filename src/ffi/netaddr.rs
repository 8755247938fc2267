//! Numeric addresses and `lws_sockaddr46` helpers (lws-network-helper.h) for
//! this build, which like lws's default configuration has no IPv6 sockets:
//! IPv6 text still parses and prints, but an `lws_sockaddr46` holds IPv4.
//! `lws_sa46_write_numeric_address` lives in extras.rs (with
//! `crate::text::addr::sa46_text`).

use std::ffi::{c_char, c_int, CStr};
use std::ptr;

use super::text::{bytes, bytes_mut, c_bytes};
use super::types::*;
use super::{guard, null};
use crate::core::Error;
use crate::text::addr::{self, Sa46};

/// The parts of an `lws_sockaddr46` the comparisons look at.
///
/// # Safety
/// `p` points at a valid `lws_sockaddr46`.
pub(super) unsafe fn sa46(p: *const lws_sockaddr46) -> Sa46 {
    // SAFETY: a valid address by contract.
    let a = unsafe { &*p };
    // SAFETY: IPv4 is the union's only member in this build.
    let sin = unsafe { a.sa4 };
    Sa46 {
        family: sin.sin_family,
        addr: sin.sin_addr.s_addr.to_ne_bytes(),
    }
}

/// 0 when both addresses have the same family and (for IPv4) address.
///
/// # Safety
/// Both point at valid addresses.
#[no_mangle]
pub unsafe extern "C" fn lws_sa46_compare_ads(
    sa46a: *const lws_sockaddr46,
    sa46b: *const lws_sockaddr46,
) -> c_int {
    guard("lws_sa46_compare_ads", 1, || {
        if sa46a.is_null() || sa46b.is_null() {
            return Err(null("sa46a or sa46b is NULL"));
        }
        // SAFETY: a valid address by contract.
        let a = unsafe { sa46(sa46a) };
        // SAFETY: as above.
        let b = unsafe { sa46(sa46b) };
        Ok(addr::compare(&a, &b))
    })
}

/// 0 when `sa46a` is on the network `sa46_net`/`net_len`.
///
/// # Safety
/// Both point at valid addresses.
#[no_mangle]
pub unsafe extern "C" fn lws_sa46_on_net(
    sa46a: *const lws_sockaddr46,
    sa46_net: *const lws_sockaddr46,
    net_len: c_int,
) -> c_int {
    guard("lws_sa46_on_net", 1, || {
        if sa46a.is_null() || sa46_net.is_null() {
            return Err(null("sa46a or sa46_net is NULL"));
        }
        // SAFETY: a valid address by contract.
        let a = unsafe { sa46(sa46a) };
        // SAFETY: as above.
        let net = unsafe { sa46(sa46_net) };
        Ok(addr::on_net(&a, &net, net_len))
    })
}

/// Parses a numeric address into `result` (`max_len` bytes; 4 for IPv4, 16
/// for IPv6, the rest of an IPv6 result zeroed): the byte count, or lws's
/// negative error code.
///
/// # Safety
/// `ads` NUL-terminated; `result` has room for `max_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_parse_numeric_address(
    ads: *const c_char,
    result: *mut u8,
    max_len: usize,
) -> c_int {
    guard("lws_parse_numeric_address", -1, || {
        if ads.is_null() || result.is_null() {
            return Err(null("ads or result is NULL"));
        }
        // SAFETY: NUL-terminated by contract.
        let parsed = addr::parse_numeric_address(unsafe { c_bytes(ads) }, max_len);
        // SAFETY: `max_len` writable bytes by contract.
        let out = unsafe { bytes_mut(result, max_len) };
        if parsed.zero_fill {
            out.fill(0);
        }
        let n = parsed.stored.len().min(max_len);
        out[..n].copy_from_slice(&parsed.stored[..n]);
        Ok(parsed.code)
    })
}

/// Parses a numeric IPv4 address into `sa46` (family and address): 0, or -1
/// (IPv6 text too, as this build has no IPv6 sockets).
///
/// # Safety
/// `ads` NUL-terminated; `sa46` writable.
#[no_mangle]
pub unsafe extern "C" fn lws_sa46_parse_numeric_address(
    ads: *const c_char,
    sa46: *mut lws_sockaddr46,
) -> c_int {
    guard("lws_sa46_parse_numeric_address", -1, || {
        if ads.is_null() || sa46.is_null() {
            return Err(null("ads or sa46 is NULL"));
        }
        // SAFETY: NUL-terminated by contract.
        let parsed = addr::parse_numeric_address(unsafe { c_bytes(ads) }, 16);
        let (4, Ok(a4)) = (parsed.code, <[u8; 4]>::try_from(parsed.stored.as_slice())) else {
            return Ok(-1);
        };
        // SAFETY: a writable address by contract.
        let out = unsafe { &mut *sa46 };
        // IPv4 is the union's only member in this build, so this is a plain write.
        out.sa4.sin_family = addr::AF_INET;
        out.sa4.sin_addr.s_addr = u32::from_ne_bytes(a4);
        Ok(0)
    })
}

/// Writes the text of a 4- or 16-byte address into `buf`: its length, or -1.
///
/// # Safety
/// `ads` has `size` bytes; `buf` has `len`.
#[no_mangle]
pub unsafe extern "C" fn lws_write_numeric_address(
    ads: *const u8,
    size: c_int,
    buf: *mut c_char,
    len: usize,
) -> c_int {
    guard("lws_write_numeric_address", -1, || {
        if ads.is_null() || buf.is_null() {
            return Err(null("ads or buf is NULL"));
        }
        let Ok(n @ (4 | 16)) = usize::try_from(size) else {
            return Ok(-1);
        };
        // SAFETY: `size` readable bytes by contract.
        let a = unsafe { bytes(ads, n) };
        // SAFETY: `len` writable bytes by contract.
        let out = unsafe { bytes_mut(buf.cast::<u8>(), len) };
        Ok(addr::write_numeric_address(a, out))
    })
}

/// Finds the IPv4 address of interface `ifname` (or parses `ifname` as a
/// numeric address) into `addr`: LWS_ITOSA_USABLE, LWS_ITOSA_NOT_USABLE
/// (the interface has no IPv4 address) or LWS_ITOSA_NOT_EXIST.
///
/// # Safety
/// `ifname` NUL-terminated; `addr` has room for `addrlen` bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_interface_to_sa(
    ipv6: c_int,
    ifname: *const c_char,
    addr: *mut libc::sockaddr_in,
    addrlen: usize,
) -> c_int {
    guard("lws_interface_to_sa", LWS_ITOSA_NOT_EXIST, || {
        let _ = ipv6; // no IPv6 sockets in this build, so nothing to prefer
        if ifname.is_null() || addr.is_null() {
            return Err(null("ifname or addr is NULL"));
        }
        if addrlen < size_of::<libc::sockaddr_in>() {
            return Err(Error::Refused("addrlen is smaller than a sockaddr_in"));
        }
        // SAFETY: NUL-terminated by contract.
        let name = unsafe { CStr::from_ptr(ifname) };
        let mut ifap: *mut libc::ifaddrs = ptr::null_mut();
        // SAFETY: getifaddrs fills `ifap` with a list freed below.
        if unsafe { libc::getifaddrs(&mut ifap) } != 0 {
            crate::lwsl!(
                crate::log::level::ERR,
                "lws_interface_to_sa: getifaddrs failed: {}",
                std::io::Error::last_os_error()
            );
            // lws answers "usable" here.
            return Ok(LWS_ITOSA_USABLE);
        }
        let mut rc = LWS_ITOSA_NOT_EXIST;
        let mut cur = ifap;
        while !cur.is_null() {
            // SAFETY: `cur` is a node of the list getifaddrs returned.
            let ifa = unsafe { &*cur };
            cur = ifa.ifa_next;
            if ifa.ifa_addr.is_null() || ifa.ifa_name.is_null() {
                continue;
            }
            // SAFETY: interface names are NUL-terminated.
            if unsafe { CStr::from_ptr(ifa.ifa_name) } != name {
                continue;
            }
            // SAFETY: a non-NULL ifa_addr points at a sockaddr.
            match c_int::from(unsafe { (*ifa.ifa_addr).sa_family }) {
                libc::AF_PACKET if rc == LWS_ITOSA_NOT_EXIST => rc = LWS_ITOSA_NOT_USABLE,
                libc::AF_INET => {
                    rc = LWS_ITOSA_USABLE;
                    // SAFETY: AF_INET addresses are sockaddr_in; `addr` has room.
                    unsafe {
                        ptr::copy_nonoverlapping(ifa.ifa_addr.cast::<libc::sockaddr_in>(), addr, 1)
                    };
                }
                _ => {}
            }
        }
        // SAFETY: frees the list from getifaddrs once.
        unsafe { libc::freeifaddrs(ifap) };
        if rc != LWS_ITOSA_USABLE {
            // SAFETY: forwarded contract; a sockaddr_in is an IPv4 lws_sockaddr46.
            let parsed =
                unsafe { lws_sa46_parse_numeric_address(ifname, addr.cast::<lws_sockaddr46>()) };
            if parsed == 0 {
                rc = LWS_ITOSA_USABLE;
            }
        }
        Ok(rc)
    })
}

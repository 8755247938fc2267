//! Connection monitoring (lws-conmon.h): `lws_conmon_wsi_take` copies what a client
//! connection measured into the caller's `struct lws_conmon`, with the DNS results as
//! a malloc()ed `struct addrinfo` list the caller owns; `lws_conmon_release` frees it.

use std::ffi::c_int;
use std::mem::size_of;
use std::net::SocketAddrV4;
use std::ptr;

use super::guard;
use super::handle;
use super::types::*;
use crate::core::conmon::Conmon;
use crate::core::Error;
use crate::text::addr::AF_INET;

fn sockaddr_in_of(a: &SocketAddrV4) -> libc::sockaddr_in {
    libc::sockaddr_in {
        sin_family: AF_INET,
        sin_port: a.port().to_be(),
        sin_addr: libc::in_addr {
            s_addr: u32::from_ne_bytes(a.ip().octets()),
        },
        sin_zero: [0; 8],
    }
}

/// One malloc()ed block per result, the `sockaddr_in` right after the `addrinfo`
/// (as lws lays them out, so one free() per node releases both). Results are
/// prepended, as lws does. NULL when allocation fails part-way (what was made is freed).
fn addrinfo_list(results: &[SocketAddrV4]) -> *mut libc::addrinfo {
    let mut head: *mut libc::addrinfo = ptr::null_mut();
    for a in results {
        // SAFETY: plain allocation of a size that fits both structs.
        let node =
            unsafe { libc::malloc(size_of::<libc::addrinfo>() + size_of::<libc::sockaddr_in>()) }
                .cast::<libc::addrinfo>();
        if node.is_null() {
            free_list(head);
            return ptr::null_mut();
        }
        // SAFETY: `node` has room for the addrinfo and, right after it, the
        // sockaddr_in; malloc's alignment suits both.
        let sin = unsafe { node.add(1) }.cast::<libc::sockaddr_in>();
        // SAFETY: `sin` is inside the block just allocated.
        unsafe { sin.write(sockaddr_in_of(a)) };
        let ai = libc::addrinfo {
            ai_flags: 0,
            ai_family: c_int::from(AF_INET),
            ai_socktype: libc::SOCK_STREAM,
            ai_protocol: libc::IPPROTO_TCP,
            ai_addrlen: size_of::<libc::sockaddr_in>() as libc::socklen_t,
            ai_addr: sin.cast(),
            ai_canonname: ptr::null_mut(),
            ai_next: head,
        };
        // SAFETY: `node` is the start of the block just allocated.
        unsafe { node.write(ai) };
        head = node;
    }
    head
}

fn free_list(mut ai: *mut libc::addrinfo) {
    while !ai.is_null() {
        // SAFETY: a node made by `addrinfo_list` (malloc()ed, next link valid).
        let next = unsafe { (*ai).ai_next };
        // SAFETY: the node's one allocation.
        unsafe { libc::free(ai.cast()) };
        ai = next;
    }
}

fn fill(dest: &mut lws_conmon, m: &Conmon) {
    let mut peer46 = lws_sockaddr46 {
        // SAFETY: an all-zero sockaddr_in is valid (family 0: no peer).
        sa4: unsafe { std::mem::zeroed() },
    };
    if let Some(p) = &m.peer {
        peer46.sa4 = sockaddr_in_of(p);
    }
    dest.peer46 = peer46;
    dest.protocol_specific = lws_conmon_protocol_specific {
        http: lws_conmon_http {
            response: m.http_response.map_or(0, c_int::from),
        },
    };
    dest.pcol = u32::from(m.http_response.is_some());
    dest.dns_results_copy = addrinfo_list(&m.dns_results);
    dest.ciu_dns = m.dns_us;
    dest.ciu_sockconn = m.sockconn_us;
    dest.ciu_tls = m.tls_us;
    dest.ciu_txn_resp = m.txn_resp_us;
    dest.dns_disposition = m.dns.code();
}

/// Copies the connection's measurements into `dest`. The DNS results (kept with
/// `LCCSCF_CONMON`) pass to the caller, who frees them with `lws_conmon_release`;
/// a later take gets no list.
///
/// # Safety
/// `wsi` is a wsi of this library; `dest` points at a writable `struct lws_conmon`.
#[no_mangle]
pub unsafe extern "C" fn lws_conmon_wsi_take(wsi: *mut lws, dest: *mut lws_conmon) {
    guard("lws_conmon_wsi_take", (), || {
        // SAFETY: checked handle conversion.
        let w = unsafe { handle::wsi(wsi) }?;
        // SAFETY: NULL or writable by contract.
        let dest = unsafe { dest.as_mut() }.ok_or(Error::Refused("NULL dest"))?;
        let id = w.conn_id()?;
        let m = w
            .context()
            .runtime
            .with_core(|c| c.take_conmon(id))?
            .unwrap_or_default();
        fill(dest, &m);
        Ok(())
    })
}

/// Frees the DNS result list of a taken `struct lws_conmon` (not the struct).
///
/// # Safety
/// `conmon` is NULL or a struct filled by `lws_conmon_wsi_take`.
#[no_mangle]
pub unsafe extern "C" fn lws_conmon_release(conmon: *mut lws_conmon) {
    guard("lws_conmon_release", (), || {
        // SAFETY: NULL or valid by contract.
        let Some(m) = (unsafe { conmon.as_mut() }) else {
            return Ok(());
        };
        free_list(m.dns_results_copy);
        m.dns_results_copy = ptr::null_mut();
        Ok(())
    })
}

//! lws-adopt.h: handing lws a socket or file descriptor the application
//! opened, and the parent / child and raw-role helpers of lws-misc.h and
//! lws-write.h.
//!
//! The descriptor is checked (it must be open; a socket must be a stream
//! socket) and made non-blocking, then owned by the new connection, which
//! closes it when it closes (as lws). A failed adoption closes a socket and
//! leaves a file descriptor open (as lws). The connection's callbacks
//! (WSI_CREATE, the bind, RAW_ADOPT...) are delivered by the service loop,
//! not inside the call (docs/COMPAT.md).

use std::ffi::{c_char, c_int, c_void, CStr};
use std::os::fd::{FromRawFd, IntoRawFd};
use std::ptr;

use super::callout::CHost;
use super::guard;
use super::handle::{self, ContextHandle, WsiHandle};
use super::types::*;
use crate::core::close::Ending;
use crate::core::raw::{AdoptIo, Adoption, UdpAdoption};
use crate::core::{ConnId, Error, Role, VhostId};

/// Whether `fd` is an open descriptor; made non-blocking if so.
fn open_nonblocking(fd: c_int) -> Result<(), Error> {
    // SAFETY: fcntl on any integer is defined; it fails with EBADF when the
    // descriptor is not open.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    // SAFETY: as above, with the flags just read.
    if flags < 0 || unsafe { libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) } < 0 {
        let e = std::io::Error::last_os_error();
        crate::lwsl!(
            crate::log::level::ERR,
            "adopt: unable to set fd {fd} nonblocking: {e}"
        );
        return Err(Error::Refused("descriptor is not open"));
    }
    Ok(())
}

/// The socket type of `fd` (SOCK_STREAM, SOCK_DGRAM...), None if not a socket.
fn socket_type(fd: c_int) -> Option<c_int> {
    let mut ty: c_int = 0;
    let mut len = std::mem::size_of::<c_int>() as libc::socklen_t;
    // SAFETY: getsockopt writes at most `len` bytes into `ty`.
    let r = unsafe {
        libc::getsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_TYPE,
            ptr::addr_of_mut!(ty).cast(),
            &mut len,
        )
    };
    (r == 0).then_some(ty)
}

/// The one adoption path behind every `lws_adopt_*` export.
///
/// # Safety
/// `d` follows lws's contract: a checked vhost, NULL or NUL-terminated
/// protocol name, NULL or a live parent wsi.
unsafe fn adopt(d: &lws_adopt_desc_t, readbuf: &[u8]) -> Result<*mut lws, Error> {
    // SAFETY: checked handle conversion.
    let vh = unsafe { handle::vhost(d.vh) }?;
    let cx = vh.context();
    let socket = d.r#type & LWS_ADOPT_SOCKET != 0;
    // SAFETY: both union members are the same int.
    let fd = unsafe { d.fd.sockfd };
    // A socket lws could not adopt is closed; a file descriptor is not.
    let close_socket = || {
        if socket && fd >= 0 {
            // SAFETY: the caller handed this socket over; it is ours to close.
            unsafe { libc::close(fd) };
        }
    };
    let protocol = if d.vh_prot_name.is_null() {
        None
    } else {
        // SAFETY: NUL-terminated by contract.
        let name = unsafe { CStr::from_ptr(d.vh_prot_name) }.to_string_lossy();
        match cx.runtime.with_core(|c| c.protocol_index(vh.id, &name))? {
            Some(p) => Some(p),
            None => {
                close_socket();
                crate::lwsl!(
                    crate::log::level::ERR,
                    "adopt: protocol {name} not enabled on vhost {}",
                    vh.name.to_string_lossy()
                );
                return Err(Error::Refused("protocol not on the vhost"));
            }
        }
    };
    let parent = if d.parent.is_null() {
        None
    } else {
        // SAFETY: checked handle conversion.
        let p = unsafe { handle::wsi(d.parent) };
        match p.and_then(WsiHandle::conn_id) {
            Ok(id) => Some(id),
            Err(e) => {
                close_socket();
                return Err(e);
            }
        }
    };
    open_nonblocking(fd)?;
    let io = if socket {
        if d.r#type & LWS_ADOPT_FLAG_UDP != 0 || socket_type(fd) != Some(libc::SOCK_STREAM) {
            close_socket();
            return Err(Error::Refused("only stream sockets can be adopted here"));
        }
        // SAFETY: an open stream socket the caller hands over to us.
        let s = unsafe { std::net::TcpStream::from_raw_fd(fd) };
        AdoptIo::Socket(mio::net::TcpStream::from_std(s))
    } else {
        // SAFETY: an open descriptor the caller hands over to us (given back
        // unclosed below if the adoption fails).
        AdoptIo::File(unsafe { std::fs::File::from_raw_fd(fd) })
    };
    let host = CHost { ctx: cx };
    // Adopted before the first service: protocols are initialised first.
    if !cx.runtime.protocols_initialised() && !cx.runtime.in_callout() {
        cx.runtime.init_protocols(&host);
    }
    let adoption = Adoption {
        io,
        http: d.r#type & LWS_ADOPT_HTTP != 0,
        tls: d.r#type & LWS_ADOPT_ALLOW_SSL != 0,
        protocol,
        parent,
        readbuf: readbuf.to_vec(),
    };
    let id = match cx.runtime.with_core(|c| c.adopt(vh.id, adoption))? {
        Ok(id) => id,
        Err(f) => {
            // Not ours after all: the caller keeps its file descriptor.
            let _ = f.file.map(IntoRawFd::into_raw_fd);
            return Err(f.error);
        }
    };
    let p = cx
        .runtime
        .with_core(|c| c.conn(id).map(|k| k.protocol()))?
        .unwrap_or(0);
    let w = cx
        .wsi_for(id, vh as *const _, p, Role::Server)
        .ok_or(Error::Refused("connection ended during adoption"))?;
    w.opaque.set(d.opaque);
    Ok(w.as_c())
}

/// Adopts a socket or file descriptor into a vhost (see the module notes).
///
/// # Safety
/// `info` is NULL or a valid adoption description.
#[no_mangle]
pub unsafe extern "C" fn lws_adopt_descriptor_vhost_via_info(
    info: *const lws_adopt_desc_t,
) -> *mut lws {
    guard(
        "lws_adopt_descriptor_vhost_via_info",
        ptr::null_mut(),
        || {
            // SAFETY: NULL or a valid description by contract.
            let d = unsafe { info.as_ref() }.ok_or(super::null("info is NULL"))?;
            // SAFETY: forwarded contract.
            unsafe { adopt(d, &[]) }
        },
    )
}

/// # Safety
/// `vh` is a vhost of this library; `vh_prot_name` NULL or NUL-terminated;
/// `parent` NULL or a live wsi.
#[no_mangle]
pub unsafe extern "C" fn lws_adopt_descriptor_vhost(
    vh: *mut lws_vhost,
    r#type: lws_adoption_type,
    fd: lws_sock_file_fd_type,
    vh_prot_name: *const c_char,
    parent: *mut lws,
) -> *mut lws {
    guard("lws_adopt_descriptor_vhost", ptr::null_mut(), || {
        let d = lws_adopt_desc_t {
            vh,
            r#type,
            fd,
            vh_prot_name,
            parent,
            opaque: ptr::null_mut(),
            fi_wsi_name: ptr::null(),
        };
        // SAFETY: forwarded contract.
        unsafe { adopt(&d, &[]) }
    })
}

/// A socket adopted as an accepted HTTP connection (TLS when the vhost has it).
///
/// # Safety
/// `vh` is a vhost of this library; `buf` NULL or `len` readable bytes.
unsafe fn adopt_http(
    vh: *mut lws_vhost,
    fd: lws_sockfd_type,
    buf: *const c_char,
    len: usize,
) -> Result<*mut lws, Error> {
    let d = lws_adopt_desc_t {
        vh,
        r#type: LWS_ADOPT_SOCKET | LWS_ADOPT_HTTP | LWS_ADOPT_ALLOW_SSL,
        fd: lws_sock_file_fd_type { sockfd: fd },
        vh_prot_name: ptr::null(),
        parent: ptr::null_mut(),
        opaque: ptr::null_mut(),
        fi_wsi_name: ptr::null(),
    };
    let readbuf: &[u8] = if buf.is_null() || len == 0 {
        &[]
    } else {
        // SAFETY: `len` readable bytes by contract.
        unsafe { std::slice::from_raw_parts(buf.cast(), len) }
    };
    // SAFETY: forwarded contract.
    unsafe { adopt(&d, readbuf) }
}

/// The context's first vhost (lws's `context->vhost_list`).
fn first_vhost(cx: &ContextHandle) -> Result<*mut lws_vhost, Error> {
    (0..cx.vhost_count())
        .filter_map(|i| cx.vhost_handle(VhostId(i)))
        .find(|v| {
            cx.runtime
                .with_core(|c| c.vhost(v.id).is_some_and(|k| k.is_live()))
                .unwrap_or(false)
        })
        .map(|v| v.as_c())
        .ok_or(Error::Refused("the context has no vhost"))
}

/// # Safety
/// `vh` is a vhost of this library.
#[no_mangle]
pub unsafe extern "C" fn lws_adopt_socket_vhost(
    vh: *mut lws_vhost,
    accept_fd: lws_sockfd_type,
) -> *mut lws {
    guard("lws_adopt_socket_vhost", ptr::null_mut(), || {
        // SAFETY: forwarded contract.
        unsafe { adopt_http(vh, accept_fd, ptr::null(), 0) }
    })
}

/// # Safety
/// `context` is a context of this library.
#[no_mangle]
pub unsafe extern "C" fn lws_adopt_socket(
    context: *mut lws_context,
    accept_fd: lws_sockfd_type,
) -> *mut lws {
    guard("lws_adopt_socket", ptr::null_mut(), || {
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context(context) }?;
        let vh = first_vhost(cx)?;
        // SAFETY: a vhost handle of this context.
        unsafe { adopt_http(vh, accept_fd, ptr::null(), 0) }
    })
}

/// As `lws_adopt_socket_vhost`, with bytes already read from the socket,
/// which are parsed first.
///
/// # Safety
/// `vhost` is a vhost of this library; `readbuf` NULL or `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_adopt_socket_vhost_readbuf(
    vhost: *mut lws_vhost,
    accept_fd: lws_sockfd_type,
    readbuf: *const c_char,
    len: usize,
) -> *mut lws {
    guard("lws_adopt_socket_vhost_readbuf", ptr::null_mut(), || {
        // SAFETY: forwarded contract.
        unsafe { adopt_http(vhost, accept_fd, readbuf, len) }
    })
}

/// # Safety
/// `context` is a context of this library; `readbuf` NULL or `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_adopt_socket_readbuf(
    context: *mut lws_context,
    accept_fd: lws_sockfd_type,
    readbuf: *const c_char,
    len: usize,
) -> *mut lws {
    guard("lws_adopt_socket_readbuf", ptr::null_mut(), || {
        // SAFETY: checked handle conversion.
        let cx = unsafe { handle::context(context) }?;
        let vh = first_vhost(cx)?;
        // SAFETY: a vhost handle of this context; forwarded contract.
        unsafe { adopt_http(vh, accept_fd, readbuf, len) }
    })
}

/// Creates a UDP socket in the raw role: bound to `ads`:`port` with
/// `LWS_CAUDP_BIND` (any address when `ads` is NULL), else connected to it;
/// its datagrams arrive as RAW_RX and `lws_write` answers the last sender.
/// IPv4 only (this build has no IPv6); `ifname` and `LWS_CAUDP_PF_PACKET`
/// are refused.
///
/// # Safety
/// `vhost` is a vhost of this library; strings NULL or NUL-terminated;
/// `parent_wsi` NULL or a live wsi.
#[no_mangle]
pub unsafe extern "C" fn lws_create_adopt_udp(
    vhost: *mut lws_vhost,
    ads: *const c_char,
    port: c_int,
    flags: c_int,
    protocol_name: *const c_char,
    ifname: *const c_char,
    parent_wsi: *mut lws,
    opaque: *mut c_void,
    retry_policy: *const lws_retry_bo_t,
    fi_wsi_name: *const c_char,
) -> *mut lws {
    guard("lws_create_adopt_udp", ptr::null_mut(), || {
        // A raw UDP socket has no validity pings to apply a retry policy to,
        // and fault injection is not built.
        let _ = (retry_policy, fi_wsi_name);
        // SAFETY: checked handle conversion.
        let vh = unsafe { handle::vhost(vhost) }?;
        let cx = vh.context();
        if !ifname.is_null() || flags & LWS_CAUDP_PF_PACKET != 0 {
            return Err(Error::Refused(
                "udp: binding to an interface / PF_PACKET is not supported",
            ));
        }
        let port = u16::try_from(port).unwrap_or(0);
        // SAFETY: NULL or NUL-terminated.
        let ads = unsafe { super::context::opt_string(ads) };
        let addr = match ads.as_deref() {
            None => std::net::SocketAddr::from(([0, 0, 0, 0], port)),
            Some(a) => std::net::ToSocketAddrs::to_socket_addrs(&(a, port))
                .ok()
                .and_then(|mut it| it.find(std::net::SocketAddr::is_ipv4))
                .ok_or(Error::Refused("udp: address does not resolve to IPv4"))?,
        };
        // SAFETY: NULL or NUL-terminated.
        let name = unsafe { super::context::opt_string(protocol_name) };
        let protocol = match name {
            None => None,
            Some(n) => Some(
                cx.runtime
                    .with_core(|c| c.protocol_index(vh.id, &n))?
                    .ok_or(Error::Refused("udp: protocol not on the vhost"))?,
            ),
        };
        let parent = if parent_wsi.is_null() {
            None
        } else {
            // SAFETY: checked handle conversion.
            Some(unsafe { handle::wsi(parent_wsi) }?.conn_id()?)
        };
        let host = CHost { ctx: cx };
        if !cx.runtime.protocols_initialised() && !cx.runtime.in_callout() {
            cx.runtime.init_protocols(&host);
        }
        let spec = UdpAdoption {
            bind: flags & LWS_CAUDP_BIND != 0,
            addr,
            broadcast: flags & LWS_CAUDP_BROADCAST != 0,
            protocol,
            parent,
        };
        let id = cx.runtime.with_core(|c| c.adopt_udp(vh.id, spec))??;
        let p = cx
            .runtime
            .with_core(|c| c.conn(id).map(|k| k.protocol()))?
            .unwrap_or(0);
        let w = cx
            .wsi_for(id, vh as *const _, p, Role::Server)
            .ok_or(Error::Refused("connection ended during adoption"))?;
        w.opaque.set(opaque);
        Ok(w.as_c())
    })
}

/// The UDP addresses of a wsi made by `lws_create_adopt_udp` (NULL for any
/// other): `sa46` is the peer of the last datagram received (or the address
/// connected to). The struct lives as long as the wsi.
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_get_udp(wsi: *const lws) -> *const lws_udp {
    guard("lws_get_udp", ptr::null(), || {
        // SAFETY: checked handle conversion.
        let (w, id) = unsafe { conn(wsi) }?;
        let Some((peer, connected)) = w.context().runtime.with_core(|c| c.udp_state(id))? else {
            return Ok(ptr::null());
        };
        // SAFETY: all-zero is a valid lws_udp (AF_UNSPEC addresses).
        let mut u: lws_udp = unsafe { std::mem::zeroed() };
        if let Some(std::net::SocketAddr::V4(a)) = peer {
            // SAFETY: zero is a valid sockaddr_in; fields set below.
            let mut sin: libc::sockaddr_in = unsafe { std::mem::zeroed() };
            sin.sin_family = libc::AF_INET as libc::sa_family_t;
            sin.sin_port = a.port().to_be();
            sin.sin_addr.s_addr = u32::from(*a.ip()).to_be();
            u.sa46 = lws_sockaddr46 { sa4: sin };
            u.sa46_pending = u.sa46;
        }
        u.connected = u8::from(connected);
        let cell = w.udp.get_or_init(|| Box::new(std::cell::Cell::new(u)));
        cell.set(u);
        Ok(cell.as_ptr().cast_const())
    })
}

/// The wsi and connection of a handle.
///
/// # Safety
/// `wsi` is NULL or a wsi handed out by this library.
unsafe fn conn<'a>(wsi: *const lws) -> Result<(&'a WsiHandle, ConnId), Error> {
    // SAFETY: checked handle conversion.
    let w = unsafe { handle::wsi(wsi) }?;
    let id = w.conn_id()?;
    Ok((w, id))
}

/// The wsi this one is a child of, NULL if none (or it is gone).
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_get_parent(wsi: *const lws) -> *mut lws {
    guard("lws_get_parent", ptr::null_mut(), || {
        // SAFETY: checked handle conversion.
        let (w, id) = unsafe { conn(wsi) }?;
        let cx = w.context();
        let parent = cx.runtime.with_core(|c| c.parent_of(id))?;
        Ok(parent
            .and_then(|p| cx.existing_wsi(p))
            .map_or(ptr::null_mut(), WsiHandle::as_c))
    })
}

/// The newest live child of this wsi, NULL if none.
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_get_child(wsi: *const lws) -> *mut lws {
    guard("lws_get_child", ptr::null_mut(), || {
        // SAFETY: checked handle conversion.
        let (w, id) = unsafe { conn(wsi) }?;
        let cx = w.context();
        let child = cx.runtime.with_core(|c| c.child_of(id))?;
        Ok(child
            .and_then(|k| cx.existing_wsi(k))
            .map_or(ptr::null_mut(), WsiHandle::as_c))
    })
}

/// The opaque pointer a parent keeps for its children
/// (`lws_set_opaque_parent_data`).
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_get_opaque_parent_data(wsi: *const lws) -> *mut c_void {
    guard("lws_get_opaque_parent_data", ptr::null_mut(), || {
        // SAFETY: checked handle conversion.
        Ok(unsafe { handle::wsi(wsi) }?.opaque_parent.get())
    })
}

/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_set_opaque_parent_data(wsi: *mut lws, data: *mut c_void) {
    guard("lws_set_opaque_parent_data", (), || {
        // SAFETY: checked handle conversion.
        unsafe { handle::wsi(wsi) }?.opaque_parent.set(data);
        Ok(())
    })
}

/// Whether a child asked for a writeable callback through its parent: lws
/// 4.3.3 never sets this (only its HTTP/2 streams did), so it is 0.
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_get_child_pending_on_writable(wsi: *const lws) -> c_int {
    guard("lws_get_child_pending_on_writable", 0, || {
        // SAFETY: checked handle conversion.
        unsafe { conn(wsi) }?;
        Ok(0)
    })
}

/// Clears the flag `lws_get_child_pending_on_writable` reads (never set).
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_clear_child_pending_on_writable(wsi: *mut lws) {
    guard("lws_clear_child_pending_on_writable", (), || {
        // SAFETY: checked handle conversion.
        unsafe { conn(wsi) }?;
        Ok(())
    })
}

/// A raw transaction is over: -1 (return it from the callback to close)
/// when nothing is left to send, else 0 and the connection closes once its
/// queued output has left.
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn lws_raw_transaction_completed(wsi: *mut lws) -> c_int {
    guard("lws_raw_transaction_completed", -1, || {
        // SAFETY: checked handle conversion.
        let (w, id) = unsafe { conn(wsi) }?;
        w.context()
            .runtime
            .with_core(|c| c.raw_transaction_completed(id))
    })
}

/// The numeric address of the peer of socket `fd`, or "getpeername: <why>".
///
/// # Safety
/// `name` has room for `namelen` bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_get_peer_simple_fd(
    fd: lws_sockfd_type,
    name: *mut c_char,
    namelen: usize,
) -> *const c_char {
    guard("lws_get_peer_simple_fd", ptr::null(), || {
        if name.is_null() || namelen == 0 {
            return Err(super::null("name is NULL"));
        }
        let mut ss: libc::sockaddr_storage =
            // SAFETY: all-zero is a valid sockaddr_storage.
            unsafe { std::mem::zeroed() };
        let mut len = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
        // SAFETY: getpeername writes at most `len` bytes into `ss`.
        let r = unsafe { libc::getpeername(fd, ptr::addr_of_mut!(ss).cast(), &mut len) };
        let text = if r < 0 {
            format!("getpeername: {}", std::io::Error::last_os_error())
        } else {
            sockaddr_text(&ss)
        };
        // lws_snprintf truncates to the room there is.
        let bytes = &text.as_bytes()[..text.len().min(namelen - 1)];
        // SAFETY: `name` has room for `namelen` bytes; bytes.len() + 1 <= namelen.
        unsafe { ptr::copy_nonoverlapping(bytes.as_ptr(), name.cast(), bytes.len()) };
        // SAFETY: as above.
        unsafe { *name.wrapping_add(bytes.len()) = 0 };
        Ok(name.cast_const())
    })
}

/// The numeric form of an IPv4 / IPv6 address (lws_sa46_write_numeric_address).
fn sockaddr_text(ss: &libc::sockaddr_storage) -> String {
    match c_int::from(ss.ss_family) {
        libc::AF_INET => {
            // SAFETY: the family says the storage holds a sockaddr_in.
            let sin = unsafe { &*ptr::from_ref(ss).cast::<libc::sockaddr_in>() };
            std::net::Ipv4Addr::from(u32::from_be(sin.sin_addr.s_addr)).to_string()
        }
        libc::AF_INET6 => {
            // SAFETY: the family says the storage holds a sockaddr_in6.
            let sin6 = unsafe { &*ptr::from_ref(ss).cast::<libc::sockaddr_in6>() };
            std::net::Ipv6Addr::from(sin6.sin6_addr.s6_addr).to_string()
        }
        _ => "(not an IP socket)".to_string(),
    }
}

/// Closes the wsi now: a WebSocket with a status other than NOSTATUS sends
/// a Close frame with it; the closing callbacks follow in the service loop.
///
/// # Safety
/// `wsi` is a wsi handed out by this library; `caller` NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn lws_close_free_wsi(
    wsi: *mut lws,
    reason: lws_close_status,
    caller: *const c_char,
) {
    guard("lws_close_free_wsi", (), || {
        // SAFETY: checked handle conversion.
        let (w, id) = unsafe { conn(wsi) }?;
        // SAFETY: NULL or NUL-terminated.
        let by = unsafe { super::context::opt_string(caller) }.unwrap_or_default();
        crate::lwsl!(
            crate::log::level::INFO,
            "conn {}: closed by {by} ({reason})",
            id.index
        );
        let ending = match u16::try_from(reason) {
            Ok(code) if code != 0 && reason != LWS_CLOSE_STATUS_NOSTATUS_CONTEXT_DESTROY => {
                Ending::CloseFrame(code, Vec::new())
            }
            _ => Ending::Abrupt,
        };
        w.context().runtime.with_core(|c| c.close(id, ending))
    })
}

/// The last step of a close: the connection goes with no closing callback,
/// only WSI_DESTROY.
///
/// # Safety
/// `wsi` is a wsi handed out by this library.
#[no_mangle]
pub unsafe extern "C" fn __lws_close_free_wsi_final(wsi: *mut lws) {
    guard("__lws_close_free_wsi_final", (), || {
        // SAFETY: checked handle conversion.
        let (w, id) = unsafe { conn(wsi) }?;
        w.context().runtime.with_core(|c| c.close_final(id))
    })
}

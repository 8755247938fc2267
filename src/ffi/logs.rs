//! lws-logs.h: the non-variadic logging API and the hooks the C `_lws_log`
//! body calls (B7.3).

use std::ffi::{c_char, c_int, c_void, CStr};
use std::fmt::Write as _;
use std::ptr;

use super::guard;
use super::types::lws_log_emit_t;
use crate::log;

/// Sets the enabled log levels; a non-NULL `log_emit_function` replaces the
/// emitter (NULL keeps the current one).
///
/// # Safety
/// `log_emit_function` is NULL or a function that stays callable; it must not
/// call back into the library.
#[no_mangle]
pub unsafe extern "C" fn lws_set_log_level(level: c_int, log_emit_function: lws_log_emit_t) {
    guard("lws_set_log_level", (), || {
        let mask = level as u32;
        match log_emit_function {
            None => log::set_level(mask, None),
            Some(f)
                if ptr::fn_addr_eq(
                    f,
                    lwsl_emit_stderr as unsafe extern "C" fn(c_int, *const c_char),
                ) =>
            {
                log::set_level(mask, None);
                log::reset_emitter();
            }
            Some(f) => log::set_level(mask, Some(super::callout::log_emitter(f))),
        }
        Ok(())
    })
}

/// The default emitter: writes `line` to stderr.
///
/// # Safety
/// `line` is NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn lwsl_emit_stderr(level: c_int, line: *const c_char) {
    guard("lwsl_emit_stderr", (), || {
        let _ = level;
        if line.is_null() {
            return Ok(());
        }
        // SAFETY: NUL-terminated by contract.
        let line = unsafe { CStr::from_ptr(line) };
        log::write_stderr(line);
        Ok(())
    })
}

/// Whether any bit of `level` is enabled.
///
/// # Safety
/// Always safe.
#[no_mangle]
pub unsafe extern "C" fn lwsl_visible(level: c_int) -> c_int {
    guard("lwsl_visible", 0, || {
        Ok(c_int::from(log::visible(level as u32)))
    })
}

/// Called by the C `_lws_log` body before it formats.
///
/// # Safety
/// Always safe.
#[no_mangle]
pub unsafe extern "C" fn lws_rs_log_visible(level: c_int) -> c_int {
    guard("lws_rs_log_visible", 0, || {
        Ok(c_int::from(log::visible(level as u32)))
    })
}

/// Called by the C `_lws_log` body with the formatted message.
///
/// # Safety
/// `msg` points at `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn lws_rs_log_emit(level: c_int, msg: *const c_char, len: usize) {
    guard("_lws_log", (), || {
        if msg.is_null() {
            return Ok(());
        }
        // SAFETY: `len` bytes formatted by vsnprintf into the C body's buffer.
        let bytes = unsafe { std::slice::from_raw_parts(msg.cast::<u8>(), len) };
        log::emit(level as u32, &String::from_utf8_lossy(bytes));
        Ok(())
    })
}

/// Logs `len` bytes at `vbuf` as a hex dump (16 bytes a line, with an ASCII
/// column) at `level`, if that level is enabled.
///
/// # Safety
/// `vbuf` points at `len` readable bytes (or is NULL).
#[no_mangle]
pub unsafe extern "C" fn lwsl_hexdump_level(level: c_int, vbuf: *const c_void, len: usize) {
    guard("lwsl_hexdump_level", (), || {
        let lvl = level as u32;
        if !log::visible(lvl) {
            return Ok(());
        }
        if vbuf.is_null() {
            log::emit(lvl, "(hexdump: NULL ptr)");
            return Ok(());
        }
        // SAFETY: `len` readable bytes by contract.
        let buf = unsafe { std::slice::from_raw_parts(vbuf.cast::<u8>(), len) };
        for line in hexdump_lines(buf) {
            log::emit(lvl, &line);
        }
        Ok(())
    })
}

fn hexdump_lines(buf: &[u8]) -> Vec<String> {
    buf.chunks(16)
        .enumerate()
        .map(|(i, chunk)| {
            let mut s = format!("{:04X}: ", i * 16);
            for b in chunk {
                let _ = write!(s, "{b:02X} ");
            }
            for _ in chunk.len()..16 {
                s.push_str("   ");
            }
            s.push_str("   ");
            s.extend(chunk.iter().map(|b| {
                if b.is_ascii_graphic() || *b == b' ' {
                    *b as char
                } else {
                    '.'
                }
            }));
            s
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn hexdump_has_offset_hex_and_ascii() {
        let l = super::hexdump_lines(b"AB\x00");
        assert_eq!(l.len(), 1);
        assert!(l[0].starts_with("0000: 41 42 00 "));
        assert!(l[0].ends_with("AB."));
    }
}

//! The C-variadic API functions. Their bodies are in csrc/variadic.c (stable
//! Rust cannot define `...` functions); these naked trampolines give them their
//! public names, so they are exported from the cdylib with any linker
//! (ecosystem.md §4.3). A plain `jmp` keeps every argument register and the
//! caller's stack exactly as the C body expects.

extern "C" {
    fn lws_rs_c_log();
    fn lws_rs_c_snprintf();
    fn lws_rs_c_open();
}

/// `void _lws_log(int filter, const char *format, ...)`: formats and emits one
/// log line if `filter` is enabled.
///
/// # Safety
/// Called from C with a printf-style format and matching arguments.
#[unsafe(naked)]
#[no_mangle]
pub unsafe extern "C" fn _lws_log() {
    core::arch::naked_asm!("jmp {}", sym lws_rs_c_log)
}

/// `int lws_snprintf(char *str, size_t size, const char *format, ...)`: like
/// snprintf, but returns `size` when the output was truncated and 0 for size 0.
///
/// # Safety
/// Called from C with a printf-style format and matching arguments.
#[unsafe(naked)]
#[no_mangle]
pub unsafe extern "C" fn lws_snprintf() {
    core::arch::naked_asm!("jmp {}", sym lws_rs_c_snprintf)
}

/// `int lws_open(const char *file, int oflag, ...)`: open(2) with FD_CLOEXEC;
/// the mode is read from `...` only with O_CREAT / O_TMPFILE.
///
/// # Safety
/// Called from C as open(2) is.
#[unsafe(naked)]
#[no_mangle]
pub unsafe extern "C" fn lws_open() {
    core::arch::naked_asm!("jmp {}", sym lws_rs_c_open)
}

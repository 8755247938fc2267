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

extern "C" {
    fn lws_rs_c_smd_msg_printf();
}

/// `int lws_smd_msg_printf(struct lws_context *ctx, lws_smd_class_t _class,
/// const char *format, ...)`: formats and sends one system message; 0 when sent
/// (or nobody wants the class), 1 when too long or the queue is full.
///
/// # Safety
/// Called from C with a live context, a printf-style format and matching arguments.
#[unsafe(naked)]
#[no_mangle]
pub unsafe extern "C" fn lws_smd_msg_printf() {
    core::arch::naked_asm!("jmp {}", sym lws_rs_c_smd_msg_printf)
}

extern "C" {
    fn lws_rs_c_logv();
    fn lws_rs_c_log_cx();
}

/// `void _lws_logv(int filter, const char *format, va_list vl)`: as `_lws_log`
/// with a `va_list`.
///
/// # Safety
/// Called from C with a printf-style format and a matching `va_list`.
#[unsafe(naked)]
#[no_mangle]
pub unsafe extern "C" fn _lws_logv() {
    core::arch::naked_asm!("jmp {}", sym lws_rs_c_logv)
}

/// `void _lws_log_cx(lws_log_cx_t *cx, lws_log_prepend_cx_t prep, void *obj,
/// int filter, const char *_fun, const char *format, ...)`: logs one line
/// through a log context (src/ffi/logcx.rs).
///
/// # Safety
/// Called from C with a printf-style format and matching arguments.
#[unsafe(naked)]
#[no_mangle]
pub unsafe extern "C" fn _lws_log_cx() {
    core::arch::naked_asm!("jmp {}", sym lws_rs_c_log_cx)
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

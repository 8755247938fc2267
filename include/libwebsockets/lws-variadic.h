/*
 * lws-rs: the printf-style entry points. Hand-written, because cbindgen cannot
 * express "..." (they are implemented in csrc/variadic.c and exported from the
 * Rust library through trampolines).
 */
#ifndef LWS_RS_VARIADIC_H
#define LWS_RS_VARIADIC_H

/*
 * Formats a log line and emits it if level bit filter (one LLL_*) is enabled.
 * Normally used through the lwsl_*() macros.
 */
LWS_VISIBLE LWS_EXTERN void
_lws_log(int filter, const char *format, ...) LWS_FORMAT(2);

/*
 * snprintf() that never reports more than it wrote: returns the number of
 * chars written (excluding the NUL), size when the output was truncated, and 0
 * when size is 0.
 */
LWS_VISIBLE LWS_EXTERN int
lws_snprintf(char *str, size_t size, const char *format, ...) LWS_FORMAT(3);

/*
 * Formats one system message of class _class and queues it for every peer that
 * wants the class: 0 when queued (or nobody wants it), 1 when it is longer than
 * LWS_SMD_MAX_PAYLOAD or the queue is full. Any thread.
 */
LWS_VISIBLE LWS_EXTERN int
lws_smd_msg_printf(struct lws_context *ctx, lws_smd_class_t _class,
		   const char *format, ...) LWS_FORMAT(3);

/*
 * Logs one line through log context cx (NULL: the process one): obj's prefix
 * from prep, the parents' prefixes, "_fun: ", then the formatted text.
 */
LWS_VISIBLE LWS_EXTERN void
_lws_log_cx(lws_log_cx_t *cx, lws_log_prepend_cx_t prep, void *obj,
	    int filter, const char *_fun, const char *format, ...) LWS_FORMAT(6);

/* As _lws_log(), with the arguments as a va_list. */
LWS_VISIBLE LWS_EXTERN void
_lws_logv(int filter, const char *format, va_list vl);

/*
 * open(2) that also sets FD_CLOEXEC on the new descriptor; the mode argument
 * is read only when oflag has O_CREAT or O_TMPFILE. Returns the fd or -1.
 */
LWS_VISIBLE LWS_EXTERN int
lws_open(const char *__file, int __oflag, ...);

#endif /* LWS_RS_VARIADIC_H */

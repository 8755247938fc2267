/*
 * The C-variadic entry points of the libwebsockets API. Stable Rust cannot
 * define a function taking "...", so these format with vsnprintf and hand the
 * finished text to Rust. Rust exports the public names as naked trampolines
 * that jump here (see src/ffi/variadic.rs), which keeps the symbols exported
 * from the cdylib whatever linker is used.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* Implemented in Rust (src/ffi/logs.rs). */
extern int lws_rs_log_visible(int level);
extern void lws_rs_log_emit(int level, const char *msg, size_t len);

/* Large enough for any line the emitter keeps: longer lines are cut there. */
#define LWS_RS_LOG_FORMAT_MAX 1024

void lws_rs_c_log(int filter, const char *format, ...)
{
	char buf[LWS_RS_LOG_FORMAT_MAX];
	va_list ap;
	int n;

	if (!format || !lws_rs_log_visible(filter))
		return;

	va_start(ap, format);
	n = vsnprintf(buf, sizeof(buf), format, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = (int)sizeof(buf) - 1;
	lws_rs_log_emit(filter, buf, (size_t)n);
}

int lws_rs_c_snprintf(char *str, size_t size, const char *format, ...)
{
	va_list ap;
	int n;

	/* lws semantics: 0 for a zero-sized buffer, size when truncated. */
	if (!size || !str)
		return 0;
	if (!format) {
		str[0] = '\0';
		return 0;
	}

	va_start(ap, format);
	n = vsnprintf(str, size, format, ap);
	va_end(ap);
	if (n < 0) {
		str[0] = '\0';
		return 0;
	}
	if ((size_t)n >= size)
		return (int)size;
	return n;
}

/* Implemented in Rust (src/ffi/smd.rs). */
struct lws_context;
extern int lws_rs_smd_wanted(struct lws_context *ctx, unsigned int cls);
extern int lws_rs_smd_send_text(struct lws_context *ctx, unsigned int cls,
				const char *text, size_t len);

/* LWS_SMD_MAX_PAYLOAD: longer messages are refused, not cut. */
#define LWS_RS_SMD_MAX_PAYLOAD 384

int lws_rs_c_smd_msg_printf(struct lws_context *ctx, unsigned int cls,
			    const char *format, ...)
{
	char buf[LWS_RS_SMD_MAX_PAYLOAD + 2];
	va_list ap;
	int n;

	/* Nobody wants the class: not generated, and that is success. */
	n = lws_rs_smd_wanted(ctx, cls);
	if (n <= 0)
		return n < 0;
	if (!format)
		return 1;

	va_start(ap, format);
	n = vsnprintf(buf, sizeof(buf), format, ap);
	va_end(ap);
	if (n < 0 || n > LWS_RS_SMD_MAX_PAYLOAD)
		return 1;

	return lws_rs_smd_send_text(ctx, cls, buf, (size_t)n);
}

/* Implemented in Rust (src/ffi/logcx.rs). */
struct lws_log_cx;
typedef void (*lws_rs_prepend_t)(struct lws_log_cx *cx, void *obj, char **p,
				 char *e);
extern int lws_rs_log_cx_visible(struct lws_log_cx *cx, int filter);
extern void lws_rs_log_cx_emit(struct lws_log_cx *cx, lws_rs_prepend_t prep,
			       void *obj, int filter, const char *fun,
			       const char *msg, size_t len);

void lws_rs_c_logv(int filter, const char *format, va_list vl)
{
	char buf[LWS_RS_LOG_FORMAT_MAX];
	int n;

	if (!format || !lws_rs_log_visible(filter))
		return;

	n = vsnprintf(buf, sizeof(buf), format, vl);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = (int)sizeof(buf) - 1;
	lws_rs_log_emit(filter, buf, (size_t)n);
}

void lws_rs_c_log_cx(struct lws_log_cx *cx, lws_rs_prepend_t prep, void *obj,
		     int filter, const char *fun, const char *format, ...)
{
	char buf[LWS_RS_LOG_FORMAT_MAX];
	va_list ap;
	int n;

	if (!format || !lws_rs_log_cx_visible(cx, filter))
		return;

	va_start(ap, format);
	n = vsnprintf(buf, sizeof(buf), format, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = (int)sizeof(buf) - 1;
	/* The prefixes and the emit happen in Rust, through the callout gate. */
	lws_rs_log_cx_emit(cx, prep, obj, filter, fun, buf, (size_t)n);
}

#include <fcntl.h>

extern int lws_rs_open(const char *file, int oflag, unsigned int mode);

/* lws_open: the mode argument exists only with O_CREAT or O_TMPFILE. */
int lws_rs_c_open(const char *file, int oflag, ...)
{
	unsigned int mode = 0;
	va_list ap;

	if ((oflag & O_CREAT) == O_CREAT
#if defined(O_TMPFILE)
	    || (oflag & O_TMPFILE) == O_TMPFILE
#endif
	) {
		va_start(ap, oflag);
		mode = va_arg(ap, unsigned int);
		va_end(ap);
	}

	return lws_rs_open(file, oflag, mode);
}

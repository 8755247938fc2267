/*
 * The prototypes of the system group in our header are exactly lws 4.3.3's
 * (shared/abi/exports-4.3.3.tsv): each export is assigned to a pointer of the
 * real function type, which fails to compile (-Werror=incompatible-pointer-types)
 * on any difference in return or parameter types.
 */
#include <libwebsockets.h>
#include "../harness/harness.h"

static int (*const p___lws_system_attach)(struct lws_context *, int, lws_attach_cb_t, lws_system_states_t, void *, struct lws_attach_item **) = __lws_system_attach;
static void (*const p__lws_log_cx)(lws_log_cx_t *, lws_log_prepend_cx_t, void *, int, const char *, const char *, ...) = _lws_log_cx;
static void (*const p__lws_logv)(int, const char *, va_list) = _lws_logv;
static void (*const p_lws_context_deprecate)(struct lws_context *, lws_reload_func) = lws_context_deprecate;
static int (*const p_lws_context_is_being_destroyed)(struct lws_context *) = lws_context_is_being_destroyed;
static int (*const p_lws_context_is_deprecated)(struct lws_context *) = lws_context_is_deprecated;
static void (*const p_lws_get_effective_uid_gid)(struct lws_context *, uid_t *, gid_t *) = lws_get_effective_uid_gid;
static void (*const p_lws_log_emit_cx_file)(struct lws_log_cx *, int, const char *, size_t) = lws_log_emit_cx_file;
static void (*const p_lws_log_prepend_context)(struct lws_log_cx *, void *, char **, char *) = lws_log_prepend_context;
static void (*const p_lws_log_prepend_vhost)(struct lws_log_cx *, void *, char **, char *) = lws_log_prepend_vhost;
static void (*const p_lws_log_prepend_wsi)(struct lws_log_cx *, void *, char **, char *) = lws_log_prepend_wsi;
static void (*const p_lws_log_use_cx_file)(struct lws_log_cx *, int) = lws_log_use_cx_file;
static long unsigned int (*const p_lws_now_secs)(void) = lws_now_secs;
static void *(*const p_lws_smd_msg_alloc)(struct lws_context *, lws_smd_class_t, size_t) = lws_smd_msg_alloc;
static void (*const p_lws_smd_msg_free)(void **) = lws_smd_msg_free;
static int (*const p_lws_smd_msg_printf)(struct lws_context *, lws_smd_class_t, const char *, ...) = lws_smd_msg_printf;
static int (*const p_lws_smd_msg_send)(struct lws_context *, void *) = lws_smd_msg_send;
static struct lws_smd_peer *(*const p_lws_smd_register)(struct lws_context *, void *, int, lws_smd_class_t, lws_smd_notification_cb_t) = lws_smd_register;
static void (*const p_lws_smd_unregister)(struct lws_smd_peer *) = lws_smd_unregister;
static void (*const p_lws_system_blob_destroy)(lws_system_blob_t *) = lws_system_blob_destroy;
static void (*const p_lws_system_blob_direct_set)(lws_system_blob_t *, const uint8_t *, size_t) = lws_system_blob_direct_set;
static int (*const p_lws_system_blob_get)(lws_system_blob_t *, uint8_t *, size_t *, size_t) = lws_system_blob_get;
static int (*const p_lws_system_blob_get_single_ptr)(lws_system_blob_t *, const uint8_t **) = lws_system_blob_get_single_ptr;
static size_t (*const p_lws_system_blob_get_size)(lws_system_blob_t *) = lws_system_blob_get_size;
static int (*const p_lws_system_blob_heap_append)(lws_system_blob_t *, const uint8_t *, size_t) = lws_system_blob_heap_append;
static void (*const p_lws_system_blob_heap_empty)(lws_system_blob_t *) = lws_system_blob_heap_empty;
static void (*const p_lws_system_cpd_set)(struct lws_context *, lws_cpd_result_t) = lws_system_cpd_set;
static int (*const p_lws_system_cpd_start)(struct lws_context *) = lws_system_cpd_start;
static void (*const p_lws_system_cpd_start_defer)(struct lws_context *, lws_usec_t) = lws_system_cpd_start_defer;
static lws_cpd_result_t (*const p_lws_system_cpd_state_get)(struct lws_context *) = lws_system_cpd_state_get;
static lws_system_blob_t *(*const p_lws_system_get_blob)(struct lws_context *, lws_system_blob_item_t, int) = lws_system_get_blob;
static const lws_system_ops_t *(*const p_lws_system_get_ops)(struct lws_context *) = lws_system_get_ops;
static uint64_t (*const p_lws_xos)(struct lws_xos *) = lws_xos;
static void (*const p_lws_xos_init)(struct lws_xos *, uint64_t) = lws_xos_init;
static int (*const p_lws_xos_percent)(struct lws_xos *, int) = lws_xos_percent;
static struct lws_log_cx *(*const p_lwsl_context_get_cx)(struct lws_context *) = lwsl_context_get_cx;
static void (*const p_lwsl_emit_stderr_notimestamp)(int, const char *) = lwsl_emit_stderr_notimestamp;
static void (*const p_lwsl_emit_syslog)(int, const char *) = lwsl_emit_syslog;
static void (*const p_lwsl_hexdump)(const void *, size_t) = lwsl_hexdump;
static void (*const p_lwsl_hexdump_level_cx)(lws_log_cx_t *, lws_log_prepend_cx_t, void *, int, const void *, size_t) = lwsl_hexdump_level_cx;
static void (*const p_lwsl_refcount_cx)(lws_log_cx_t *, int) = lwsl_refcount_cx;
static int (*const p_lwsl_timestamp)(int, char *, size_t) = lwsl_timestamp;
static struct lws_log_cx *(*const p_lwsl_vhost_get_cx)(struct lws_vhost *) = lwsl_vhost_get_cx;
static struct lws_log_cx *(*const p_lwsl_wsi_get_cx)(struct lws *) = lwsl_wsi_get_cx;

int main(void)
{
	H_ASSERT(p___lws_system_attach != NULL);
	H_ASSERT(p__lws_log_cx != NULL);
	H_ASSERT(p__lws_logv != NULL);
	H_ASSERT(p_lws_context_deprecate != NULL);
	H_ASSERT(p_lws_context_is_being_destroyed != NULL);
	H_ASSERT(p_lws_context_is_deprecated != NULL);
	H_ASSERT(p_lws_get_effective_uid_gid != NULL);
	H_ASSERT(p_lws_log_emit_cx_file != NULL);
	H_ASSERT(p_lws_log_prepend_context != NULL);
	H_ASSERT(p_lws_log_prepend_vhost != NULL);
	H_ASSERT(p_lws_log_prepend_wsi != NULL);
	H_ASSERT(p_lws_log_use_cx_file != NULL);
	H_ASSERT(p_lws_now_secs != NULL);
	H_ASSERT(p_lws_smd_msg_alloc != NULL);
	H_ASSERT(p_lws_smd_msg_free != NULL);
	H_ASSERT(p_lws_smd_msg_printf != NULL);
	H_ASSERT(p_lws_smd_msg_send != NULL);
	H_ASSERT(p_lws_smd_register != NULL);
	H_ASSERT(p_lws_smd_unregister != NULL);
	H_ASSERT(p_lws_system_blob_destroy != NULL);
	H_ASSERT(p_lws_system_blob_direct_set != NULL);
	H_ASSERT(p_lws_system_blob_get != NULL);
	H_ASSERT(p_lws_system_blob_get_single_ptr != NULL);
	H_ASSERT(p_lws_system_blob_get_size != NULL);
	H_ASSERT(p_lws_system_blob_heap_append != NULL);
	H_ASSERT(p_lws_system_blob_heap_empty != NULL);
	H_ASSERT(p_lws_system_cpd_set != NULL);
	H_ASSERT(p_lws_system_cpd_start != NULL);
	H_ASSERT(p_lws_system_cpd_start_defer != NULL);
	H_ASSERT(p_lws_system_cpd_state_get != NULL);
	H_ASSERT(p_lws_system_get_blob != NULL);
	H_ASSERT(p_lws_system_get_ops != NULL);
	H_ASSERT(p_lws_xos != NULL);
	H_ASSERT(p_lws_xos_init != NULL);
	H_ASSERT(p_lws_xos_percent != NULL);
	H_ASSERT(p_lwsl_context_get_cx != NULL);
	H_ASSERT(p_lwsl_emit_stderr_notimestamp != NULL);
	H_ASSERT(p_lwsl_emit_syslog != NULL);
	H_ASSERT(p_lwsl_hexdump != NULL);
	H_ASSERT(p_lwsl_hexdump_level_cx != NULL);
	H_ASSERT(p_lwsl_refcount_cx != NULL);
	H_ASSERT(p_lwsl_timestamp != NULL);
	H_ASSERT(p_lwsl_vhost_get_cx != NULL);
	H_ASSERT(p_lwsl_wsi_get_cx != NULL);
	return h_pass();
}

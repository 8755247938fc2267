/*
 * lws-rs: declarations the generated lws-api.h needs before it starts, for the
 * types of src/ffi/types/misc.rs (the headers' other areas). Hand-written;
 * included by <libwebsockets.h> after lws-constants.h.
 */
#ifndef LWS_RS_MISC_FWD_H
#define LWS_RS_MISC_FWD_H

/*
 * Structs lws declares as typedef names of untagged structs (or as a typedef of
 * the same name). Our definitions carry that name as their tag too.
 */
typedef struct lws_cose_sig_ext_pay_t lws_cose_sig_ext_pay_t;
typedef struct lws_cose_validate_res_t lws_cose_validate_res_t;
typedef struct lws_settings_instance_t lws_settings_instance_t;
typedef struct lws_led_sequence_def_t lws_led_sequence_def_t;
typedef struct sqlite3 sqlite3;

/*
 * The CBOR parser's callback. struct lecp_ctx holds its parsing stack, whose
 * entries hold this callback, which takes the struct lecp_ctx: declared here so
 * the three come out in an order C accepts.
 */
struct lecp_ctx;
typedef signed char (*lecp_callback)(struct lecp_ctx *ctx, char reason);

#endif /* LWS_RS_MISC_FWD_H */

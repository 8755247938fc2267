/*
 * lws-rs: the macros of lws-lwsac.h (the lwsac allocator and lws_list_ptr).
 * Hand-written; included by <libwebsockets.h> after lws-api.h.
 */
#ifndef LWS_RS_LWSAC_H
#define LWS_RS_LWSAC_H

/* From a pointer to member M of a T, the T. */
#define lws_list_ptr_container(P, T, M) ((T *)((char *)(P) - offsetof(T, M)))

/* Moves the list iterator _lp to the next member's link (NULL at the end). */
#define lws_list_ptr_advance(_lp) _lp = *((void **)_lp)

#define lwsac_use_zeroed lwsac_use_zero

#endif /* LWS_RS_LWSAC_H */

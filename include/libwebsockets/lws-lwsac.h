/*
 * lws-rs: the macros of lws-lwsac.h (the lwsac allocator and lws_list_ptr)
 * and the search macro of lws-dll2.h.
 * Hand-written; included by <libwebsockets.h> after lws-api.h.
 */
#ifndef LWS_RS_LWSAC_H
#define LWS_RS_LWSAC_H

/* From a pointer to member M of a T, the T. */
#define lws_list_ptr_container(P, T, M) ((T *)((char *)(P) - offsetof(T, M)))

/* Moves the list iterator _lp to the next member's link (NULL at the end). */
#define lws_list_ptr_advance(_lp) _lp = *((void **)_lp)

#define lwsac_use_zeroed lwsac_use_zero

/*
 * The object of type `type` on list `own` (linked through member membd2list)
 * whose const char * member membptr equals the namelen bytes of name, or NULL.
 */
#define lws_dll2_search_sz_pl(own, name, namelen, type, membd2list, membptr) \
	((type *)_lws_dll2_search_sz_pl(own, name, namelen, \
					offsetof(type, membd2list), \
					offsetof(type, membptr)))

#endif /* LWS_RS_LWSAC_H */

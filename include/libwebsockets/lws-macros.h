/*
 * lws-rs: function-like macros and inline helpers of the lws 4.3 API.
 * Hand-written; included last by <libwebsockets.h>, so every type, constant
 * and prototype they use is already declared.
 *
 * Statement-like macros that lws writes as a bare { ... } block are blocks here
 * too (not do { } while (0)), so they are accepted in exactly the places where
 * lws accepts them.
 */
#ifndef LWS_RS_MACROS_H
#define LWS_RS_MACROS_H

/* ---- Logging ---------------------------------------------------------- */

#define lwsl_err(...) _lws_log(LLL_ERR, __VA_ARGS__)
#define lwsl_warn(...) _lws_log(LLL_WARN, __VA_ARGS__)
#define lwsl_notice(...) _lws_log(LLL_NOTICE, __VA_ARGS__)
#define lwsl_info(...) _lws_log(LLL_INFO, __VA_ARGS__)
#define lwsl_debug(...) _lws_log(LLL_DEBUG, __VA_ARGS__)
#define lwsl_parser(...) _lws_log(LLL_PARSER, __VA_ARGS__)
#define lwsl_header(...) _lws_log(LLL_HEADER, __VA_ARGS__)
#define lwsl_ext(...) _lws_log(LLL_EXT, __VA_ARGS__)
#define lwsl_client(...) _lws_log(LLL_CLIENT, __VA_ARGS__)
#define lwsl_latency(...) _lws_log(LLL_LATENCY, __VA_ARGS__)
#define lwsl_user(...) _lws_log(LLL_USER, __VA_ARGS__)
#define lwsl_thread(...) _lws_log(LLL_THREAD, __VA_ARGS__)

/* Hex dumps of (buf, len) at a given level. */
#define lwsl_hexdump_err(...) lwsl_hexdump_level(LLL_ERR, __VA_ARGS__)
#define lwsl_hexdump_warn(...) lwsl_hexdump_level(LLL_WARN, __VA_ARGS__)
#define lwsl_hexdump_notice(...) lwsl_hexdump_level(LLL_NOTICE, __VA_ARGS__)
#define lwsl_hexdump_info(...) lwsl_hexdump_level(LLL_INFO, __VA_ARGS__)
#define lwsl_hexdump_debug(...) lwsl_hexdump_level(LLL_DEBUG, __VA_ARGS__)

/* ---- Logging through a log context (lws_log_cx_t) ---------------------- */

#define lwsl_cx(_c, _fil, ...) \
	_lws_log_cx(lwsl_context_get_cx(_c), lws_log_prepend_context, \
		    _c, _fil, __func__, __VA_ARGS__)
#define lwsl_vhost(_v, _fil, ...) \
	_lws_log_cx(lwsl_vhost_get_cx(_v), lws_log_prepend_vhost, _v, \
		    _fil, __func__, __VA_ARGS__)
#define lwsl_wsi(_w, _fil, ...) \
	_lws_log_cx(lwsl_wsi_get_cx(_w), lws_log_prepend_wsi, _w, \
		    _fil, __func__, __VA_ARGS__)
#define lwsl_hexdump_context(_c, _fil, _buf, _len) \
	lwsl_hexdump_level_cx(lwsl_context_get_cx(_c), lws_log_prepend_context, \
			      _c, _fil, _buf, _len)
#define lwsl_hexdump_vhost(_v, _fil, _buf, _len) \
	lwsl_hexdump_level_cx(lwsl_vhost_get_cx(_v), lws_log_prepend_vhost, \
			      _v, _fil, _buf, _len)
#define lwsl_hexdump_wsi(_w, _fil, _buf, _len) \
	lwsl_hexdump_level_cx(lwsl_wsi_get_cx(_w), lws_log_prepend_wsi, \
			      _w, _fil, _buf, _len)

#define lwsl_cx_err(_c, ...) lwsl_cx(_c, LLL_ERR, __VA_ARGS__)
#define lwsl_cx_warn(_c, ...) lwsl_cx(_c, LLL_WARN, __VA_ARGS__)
#define lwsl_cx_notice(_c, ...) lwsl_cx(_c, LLL_NOTICE, __VA_ARGS__)
#define lwsl_cx_info(_c, ...) lwsl_cx(_c, LLL_INFO, __VA_ARGS__)
#define lwsl_cx_debug(_c, ...) lwsl_cx(_c, LLL_DEBUG, __VA_ARGS__)
#define lwsl_cx_parser(_c, ...) lwsl_cx(_c, LLL_PARSER, __VA_ARGS__)
#define lwsl_cx_header(_c, ...) lwsl_cx(_c, LLL_HEADER, __VA_ARGS__)
#define lwsl_cx_ext(_c, ...) lwsl_cx(_c, LLL_EXT, __VA_ARGS__)
#define lwsl_cx_client(_c, ...) lwsl_cx(_c, LLL_CLIENT, __VA_ARGS__)
#define lwsl_cx_latency(_c, ...) lwsl_cx(_c, LLL_LATENCY, __VA_ARGS__)
#define lwsl_cx_user(_c, ...) lwsl_cx(_c, LLL_USER, __VA_ARGS__)
#define lwsl_cx_thread(_c, ...) lwsl_cx(_c, LLL_THREAD, __VA_ARGS__)

#define lwsl_vhost_err(_v, ...) lwsl_vhost(_v, LLL_ERR, __VA_ARGS__)
#define lwsl_vhost_warn(_v, ...) lwsl_vhost(_v, LLL_WARN, __VA_ARGS__)
#define lwsl_vhost_notice(_v, ...) lwsl_vhost(_v, LLL_NOTICE, __VA_ARGS__)
#define lwsl_vhost_info(_v, ...) lwsl_vhost(_v, LLL_INFO, __VA_ARGS__)
#define lwsl_vhost_debug(_v, ...) lwsl_vhost(_v, LLL_DEBUG, __VA_ARGS__)
#define lwsl_vhost_parser(_v, ...) lwsl_vhost(_v, LLL_PARSER, __VA_ARGS__)
#define lwsl_vhost_header(_v, ...) lwsl_vhost(_v, LLL_HEADER, __VA_ARGS__)
#define lwsl_vhost_ext(_v, ...) lwsl_vhost(_v, LLL_EXT, __VA_ARGS__)
#define lwsl_vhost_client(_v, ...) lwsl_vhost(_v, LLL_CLIENT, __VA_ARGS__)
#define lwsl_vhost_latency(_v, ...) lwsl_vhost(_v, LLL_LATENCY, __VA_ARGS__)
#define lwsl_vhost_user(_v, ...) lwsl_vhost(_v, LLL_USER, __VA_ARGS__)
#define lwsl_vhost_thread(_v, ...) lwsl_vhost(_v, LLL_THREAD, __VA_ARGS__)

#define lwsl_wsi_err(_w, ...) lwsl_wsi(_w, LLL_ERR, __VA_ARGS__)
#define lwsl_wsi_warn(_w, ...) lwsl_wsi(_w, LLL_WARN, __VA_ARGS__)
#define lwsl_wsi_notice(_w, ...) lwsl_wsi(_w, LLL_NOTICE, __VA_ARGS__)
#define lwsl_wsi_info(_w, ...) lwsl_wsi(_w, LLL_INFO, __VA_ARGS__)
#define lwsl_wsi_debug(_w, ...) lwsl_wsi(_w, LLL_DEBUG, __VA_ARGS__)
#define lwsl_wsi_parser(_w, ...) lwsl_wsi(_w, LLL_PARSER, __VA_ARGS__)
#define lwsl_wsi_header(_w, ...) lwsl_wsi(_w, LLL_HEADER, __VA_ARGS__)
#define lwsl_wsi_ext(_w, ...) lwsl_wsi(_w, LLL_EXT, __VA_ARGS__)
#define lwsl_wsi_client(_w, ...) lwsl_wsi(_w, LLL_CLIENT, __VA_ARGS__)
#define lwsl_wsi_latency(_w, ...) lwsl_wsi(_w, LLL_LATENCY, __VA_ARGS__)
#define lwsl_wsi_user(_w, ...) lwsl_wsi(_w, LLL_USER, __VA_ARGS__)
#define lwsl_wsi_thread(_w, ...) lwsl_wsi(_w, LLL_THREAD, __VA_ARGS__)

#define lwsl_hexdump_cx_err(_c, ...) lwsl_hexdump_context(_c, LLL_ERR, __VA_ARGS__)
#define lwsl_hexdump_cx_warn(_c, ...) lwsl_hexdump_context(_c, LLL_WARN, __VA_ARGS__)
#define lwsl_hexdump_cx_notice(_c, ...) lwsl_hexdump_context(_c, LLL_NOTICE, __VA_ARGS__)
#define lwsl_hexdump_cx_info(_c, ...) lwsl_hexdump_context(_c, LLL_INFO, __VA_ARGS__)
#define lwsl_hexdump_cx_debug(_c, ...) lwsl_hexdump_context(_c, LLL_DEBUG, __VA_ARGS__)

#define lwsl_hexdump_vhost_err(_v, ...) lwsl_hexdump_vhost(_v, LLL_ERR, __VA_ARGS__)
#define lwsl_hexdump_vhost_warn(_v, ...) lwsl_hexdump_vhost(_v, LLL_WARN, __VA_ARGS__)
#define lwsl_hexdump_vhost_notice(_v, ...) lwsl_hexdump_vhost(_v, LLL_NOTICE, __VA_ARGS__)
#define lwsl_hexdump_vhost_info(_v, ...) lwsl_hexdump_vhost(_v, LLL_INFO, __VA_ARGS__)
#define lwsl_hexdump_vhost_debug(_v, ...) lwsl_hexdump_vhost(_v, LLL_DEBUG, __VA_ARGS__)

#define lwsl_hexdump_wsi_err(_w, ...) lwsl_hexdump_wsi(_w, LLL_ERR, __VA_ARGS__)
#define lwsl_hexdump_wsi_warn(_w, ...) lwsl_hexdump_wsi(_w, LLL_WARN, __VA_ARGS__)
#define lwsl_hexdump_wsi_notice(_w, ...) lwsl_hexdump_wsi(_w, LLL_NOTICE, __VA_ARGS__)
#define lwsl_hexdump_wsi_info(_w, ...) lwsl_hexdump_wsi(_w, LLL_INFO, __VA_ARGS__)
#define lwsl_hexdump_wsi_debug(_w, ...) lwsl_hexdump_wsi(_w, LLL_DEBUG, __VA_ARGS__)

/* ---- Small helpers ---------------------------------------------------- */

/* The entry that ends an array of struct lws_protocols. */
#define LWS_PROTOCOL_LIST_TERM { NULL, NULL, 0, 0, 0, NULL, 0 }

/* The object of type T whose member M is at address P. */
#define lws_container_of(P, T, M) ((T *)((char *)(P) - offsetof(T, M)))

/* Elements in an array (not a pointer). */
#define LWS_ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))

/* Distance in bytes from tail up to head, as int or as size_t. */
#define lws_ptr_diff(head, tail) ((int)((const char *)(head) - (const char *)(tail)))
#define lws_ptr_diff_size_t(head, tail) \
	((size_t)((const char *)(head) - (const char *)(tail)))

/*
 * Copies at most len chars of src into dest (destsize bytes), always
 * NUL-terminated: lws_strncpy() with a size of min(len + 1, destsize).
 */
#define lws_strnncpy(dest, src, len, destsize) \
	lws_strncpy(dest, src, ((size_t)(len) + 1 < (size_t)(destsize)) ? \
			       (size_t)(len) + 1 : (size_t)(destsize))

/* Fault injection is not built in: no fault ever fires. */
#define lws_fi_user_wsi_fi(wsi, name) (0)

/*
 * Flags for lws_write() when a message is sent in fragments: the first
 * fragment is sent as initial (LWS_WRITE_TEXT or LWS_WRITE_BINARY), later
 * ones as LWS_WRITE_CONTINUATION, and all but the last with LWS_WRITE_NO_FIN.
 */
static LWS_INLINE int
lws_write_ws_flags(int initial, int is_start, int is_end)
{
	int flags = is_start ? initial : (int)LWS_WRITE_CONTINUATION;

	if (!is_end)
		flags |= (int)LWS_WRITE_NO_FIN;

	return flags;
}

/* ---- struct lws_dll2 lists -------------------------------------------- */

/* First member of the list, or NULL. */
static LWS_INLINE struct lws_dll2 *
lws_dll2_get_head(struct lws_dll2_owner *owner)
{
	return owner->head;
}

/* Last member of the list, or NULL. */
static LWS_INLINE struct lws_dll2 *
lws_dll2_get_tail(struct lws_dll2_owner *owner)
{
	return owner->tail;
}

/* The list d is on, or NULL. */
static LWS_INLINE const struct lws_dll2_owner *
lws_dll2_owner(const struct lws_dll2 *d)
{
	return d->owner;
}

/*
 * Walks struct lws_dll2 members from start along ->next:
 *
 *	lws_start_foreach_dll(struct lws_dll2 *, d, lws_dll2_get_head(&own)) {
 *		...
 *	} lws_end_foreach_dll(d);
 *
 * The _safe form reads ->next before the body runs, so the body may remove
 * (and free) the current member.
 */
#define lws_start_foreach_dll(type, it, start) \
	{ \
		type it = (start); \
		while (it) {

#define lws_end_foreach_dll(it) \
			it = (it)->next; \
		} \
	}

#define lws_start_foreach_dll_safe(type, it, tmp, start) \
	{ \
		type it = (start); \
		while (it) { \
			type tmp = (it)->next;

#define lws_end_foreach_dll_safe(it, tmp) \
			it = (tmp); \
		} \
	}

/* ---- Singly-linked lists through a "next" member ---------------------- */

/*
 * Walks a list with a pointer to each link (type is "struct x **"), so the
 * body can unlink the current object with *it = (*it)->next:
 *
 *	lws_start_foreach_llp(struct x **, pp, head) {
 *		...
 *	} lws_end_foreach_llp(pp, next);
 */
#define lws_start_foreach_llp(type, it, start) \
	{ \
		type it = &(start); \
		while (*(it)) {

#define lws_end_foreach_llp(it, nxt) \
			it = &(*(it))->nxt; \
		} \
	}

/*
 * As lws_start_foreach_llp(), naming the "next" member up front; the body may
 * unlink the current object (*it = (*it)->nxt) and free it: the walk then
 * carries on from the link that now holds the following object.
 */
#define lws_start_foreach_llp_safe(type, it, start, nxt) \
	{ \
		type it = &(start); \
		while (*(it)) { \
			const void *it##_lws_cur = (const void *)*(it); \
			type it##_lws_next = &(*(it))->nxt;

#define lws_end_foreach_llp_safe(it) \
			if ((const void *)*(it) == it##_lws_cur) \
				it = it##_lws_next; \
		} \
	}

/* Pushes obj on the front of the list at head, linked through member. */
#define lws_ll_fwd_insert(obj, member, head) \
	{ \
		(obj)->member = (head); \
		(head) = (obj); \
	}

/* Unlinks target (a "type *") from the list at head, linked through member. */
#define lws_ll_fwd_remove(type, member, target, head) \
	{ \
		type **lws_llr_pp = &(head); \
		while (*lws_llr_pp) { \
			if (*lws_llr_pp == (target)) { \
				*lws_llr_pp = (target)->member; \
				break; \
			} \
			lws_llr_pp = &(*lws_llr_pp)->member; \
		} \
	}

/* ---- lws_ring consumers ----------------------------------------------- */

/*
 * Consumes count elements for the consumer whose tail is *ptail. If that tail
 * was the ring's oldest, the oldest tail moves to the tail, among all
 * consumers (objects of type "type" in the list at list_head, linked through
 * mlist, keeping their tail in member mtail), that has most still to read;
 * elements nobody needs any more are destroyed.
 */
#define lws_ring_consume_and_update_oldest_tail(ring, type, ptail, count, \
						 list_head, mtail, mlist) \
	{ \
		int lws_rc_was_oldest = \
			*(ptail) == lws_ring_get_oldest_tail(ring); \
		lws_ring_consume(ring, ptail, NULL, count); \
		if (lws_rc_was_oldest) { \
			uint32_t lws_rc_oldest = *(ptail); \
			size_t lws_rc_most = \
				lws_ring_get_count_waiting_elements(ring, ptail); \
			type *lws_rc_it = (list_head); \
			while (lws_rc_it) { \
				size_t lws_rc_n = lws_ring_get_count_waiting_elements( \
						ring, &lws_rc_it->mtail); \
				if (lws_rc_n > lws_rc_most) { \
					lws_rc_most = lws_rc_n; \
					lws_rc_oldest = lws_rc_it->mtail; \
				} \
				lws_rc_it = lws_rc_it->mlist; \
			} \
			lws_ring_update_oldest_tail(ring, lws_rc_oldest); \
		} \
	}

/* The single-consumer form: consume, then the oldest tail is ours. */
#define lws_ring_consume_single_tail(ring, ptail, count) \
	{ \
		lws_ring_consume(ring, ptail, NULL, count); \
		lws_ring_update_oldest_tail(ring, *(ptail)); \
	}

/*
 * A UDP wsi's addresses (lws_get_udp): the peer of the last datagram received, where
 * lws_write() sends, and the destination of a send still pending.
 */
struct lws_udp {
	lws_sockaddr46 sa46;
	lws_sockaddr46 sa46_pending;
	uint8_t connected:1;
};

/* An lws_sockaddr46 as the socket calls take it (this build is IPv4 only). */
#define sa46_sockaddr(_sa46) ((struct sockaddr *)(_sa46))
#define sa46_socklen(_sa46) ((socklen_t)sizeof(struct sockaddr_in))
#define sa46_sockport(_sa46, _sp) ((_sa46)->sa4.sin_port = (_sp))
#define sa46_address(_sa46) ((uint8_t *)&(_sa46)->sa4.sin_addr)
#define sa46_address_len(_sa46) ((_sa46)->sa4.sin_family == AF_INET ? 4 : 16)

/* Closes a wsi through its timeout (LWS_TO_KILL_ASYNC / LWS_TO_KILL_SYNC). */
#define lws_wsi_close(w, to_kill) lws_set_timeout(w, 1, to_kill)

/* lws-map.h: create or look up an item whose key is a NUL-terminated string. */
#define lws_map_item_create_ks(_map, _str, _v, _vl) \
		lws_map_item_create(_map, (const lws_map_key_t)_str, \
				    strlen(_str), (const lws_map_value_t)_v, \
				    _vl)
#define lws_map_item_lookup_ks(_map, _str) \
		lws_map_item_lookup(_map, (const lws_map_key_t)_str, strlen(_str))

#endif /* LWS_RS_MACROS_H */

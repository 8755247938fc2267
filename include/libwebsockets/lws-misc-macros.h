/*
 * lws-rs: function-like macros of the lws 4.3.3 headers beyond lws-macros.h:
 * small helpers, and the forms lws gives its macros when a feature is built
 * out (fault injection, metrics, SMP: all off here, see lws_config.h).
 * Hand-written; included by <libwebsockets.h> after lws-macros.h.
 */
#ifndef LWS_RS_MISC_MACROS_H
#define LWS_RS_MISC_MACROS_H

/* lws's own include guards, for programs that test them. */
#define LIBWEBSOCKET_H_3060898B846849FF9F88F5DB59B5950C
#define __LWS_BUTTON_H__
#define __LWS_DISPLAY_H__
#define __LWS_GPIO_H__
#define __LWS_I2C_H__
#define __LWS_SPI_H__
#define __LWS_DISPLAY_ILI9341_SPI_H__
#define __LWS_DISPLAY_SSD1306_I2C_H__

/* An integer type that holds a pointer (lws_config.h: LWS_HAS_INTPTR_T). */
#define lws_intptr_t intptr_t

/* Marks a declaration deprecated (this build suppresses the warnings). */
#define LWS_WARN_DEPRECATED

/* API generations this library has (all of lws 4.3.3's but the file ops layer's). */
#define LWS_FEATURE_SERVE_HTTP_FILE_HAS_OTHER_HEADERS_ARG
#define LWS_FEATURE_PROTOCOLS_HAS_ID_FIELD
#define LWS_FEATURE_PROTOCOLS_HAS_PEER_WRITE_ALLOWANCE
#define LWS_FEATURE_SERVE_HTTP_FILE_HAS_OTHER_HEADERS_LEN

/* Microseconds to milliseconds, rounded to nearest. */
#define LWS_US_TO_MS(x) (((x) + (LWS_US_PER_MS / 2)) / LWS_US_PER_MS)

/* Rounds the lvalue x up (in place) to a multiple of bou. */
#define LWS_ALIGN_TO(x, bou) x += ((bou) - ((x) % (bou))) % (bou)

/* n rounded up to a multiple of _LWS_PAD_SIZE. */
#define _LWS_PAD(n) ((n) % _LWS_PAD_SIZE ? \
		     (n) + (_LWS_PAD_SIZE - (n) % _LWS_PAD_SIZE) : (n))

/*
 * Building text in a char array _t of which _l bytes are still free: where the
 * next byte goes, and how many are used.
 */
#define lws_concat_temp(_t, _l) ((_t) + sizeof(_t) - (_l))
#define lws_concat_used(_t, _l) (sizeof(_t) - (_l))

/* One service thread (LWS_MAX_SMP 1): the context locks are no-ops. */
#define lws_pthread_mutex(name)
#define lws_pthread_mutex_init(_a)
#define lws_pthread_mutex_destroy(_a)
#define lws_pthread_mutex_lock(_a)
#define lws_pthread_mutex_unlock(_a)

/* Nonzero when every bit of option set f is set in c. */
#define lws_check_opt(c, f) ((((uint64_t)(c)) & ((uint64_t)(f))) == ((uint64_t)(f)))

/* An HTTP response status that is an error (400 and up). */
#define lws_http_client_http_resp_is_error(code) (!((code) < 400))

/* Writes len bytes of HTTP body from buf. */
#define lws_write_http(wsi, buf, len) \
	lws_write(wsi, (unsigned char *)(buf), len, LWS_WRITE_HTTP)

/* The old name of lws_now_usecs(). */
#define lws_time_in_microseconds lws_now_usecs

/* Scheduler debugging is not built in. */
#define lws_sul_debug_zombies(_a, _b, _c, _d)

/*
 * A singly-linked list walk: "type it" runs from start along member nxt until
 * NULL. The _safe form reads the next element before the body runs, so the body
 * may free it.
 */
#define lws_start_foreach_ll(type, it, start) \
	{ \
		type it = (start); \
		while (it) {
#define lws_end_foreach_ll(it, nxt) \
			it = it->nxt; \
		} \
	}
#define lws_start_foreach_ll_safe(type, it, start, nxt) \
	{ \
		type it = (start); \
		while (it) { \
			type next_##it = it->nxt;
#define lws_end_foreach_ll_safe(it) \
			it = next_##it; \
		} \
	}

/* Fault injection is not built in: nothing ever fails on purpose. */
#define lws_fi(_fi_name, _fic) (0)
#define lws_fi_destroy(_x)
#define lws_fi_inherit_copy(_a, _b, _c, _d)
#define lws_fi_deserialize(_x, _y)
#define lws_fi_user_context_fi(_ctx, _name) (0)
#define lws_fi_user_ss_fi(_h, _name) (0)
#define lws_fi_user_sspc_fi(_h, _name) (0)

/* Metrics are not built in: the caliper helpers compile to nothing. */
#define lws_metrics_tag_wsi_add(_a, _b, _c)
#define lws_metrics_caliper_compose(_name)
#define lws_metrics_caliper_bind(_name, _mt)
#define lws_metrics_caliper_declare(_name, _mp)
#define lws_metrics_caliper_report(_name, _go_nogo)
#define lws_metrics_caliper_report_hist(_name, pwsiconn)
#define lws_metrics_caliper_cancel(_name)
#define lws_metrics_hist_bump(_mt, _name)
#define lws_metrics_hist_bump_priv(_mt, _name)
#define lws_metrics_caliper_done(_name)

/*
 * A histogram bucket's name follows the struct: a length byte, then the text.
 */
#define lws_metric_bucket_name_len(_b) (*((uint8_t *)&(_b)[1]))
#define lws_metric_bucket_name(_b) (((const char *)&(_b)[1]) + 1)

/* The mean RSSI of a wifi station's samples, or -200 when it has none. */
#define rssi_averaged(_x) ((_x)->rssi_count ? \
			   (int)(_x)->rssi_avg / (int)(_x)->rssi_count : -200)

/*
 * Entries of a lws_struct_map_t table: member name of type (or the parent /
 * child types of a list or child pointer), and its JSON name qname.
 */
#define _LWS_RS_LSM(_col, _map, _cb, _ofs, _aux, _clist, _mapsize, _type) \
	{ _col, _map, _cb, _ofs, _aux, _clist, _mapsize, _type }
#define LSM_SIGNED(type, name, qname) \
	_LWS_RS_LSM(qname, NULL, NULL, offsetof(type, name), \
		    sizeof(((type *)0)->name), 0, 0, LSMT_SIGNED)
#define LSM_UNSIGNED(type, name, qname) \
	_LWS_RS_LSM(qname, NULL, NULL, offsetof(type, name), \
		    sizeof(((type *)0)->name), 0, 0, LSMT_UNSIGNED)
#define LSM_BOOLEAN(type, name, qname) \
	_LWS_RS_LSM(qname, NULL, NULL, offsetof(type, name), \
		    sizeof(((type *)0)->name), 0, 0, LSMT_BOOLEAN)
#define LSM_CARRAY(type, name, qname) \
	_LWS_RS_LSM(qname, NULL, NULL, offsetof(type, name), \
		    sizeof(((type *)0)->name), 0, 0, LSMT_STRING_CHAR_ARRAY)
#define LSM_STRING_PTR(type, name, qname) \
	_LWS_RS_LSM(qname, NULL, NULL, offsetof(type, name), \
		    sizeof(((type *)0)->name), 0, 0, LSMT_STRING_PTR)
#define LSM_BLOB_PTR(type, blobptr_name, qname) \
	_LWS_RS_LSM(qname, NULL, NULL, offsetof(type, blobptr_name), \
		    sizeof(((type *)0)->blobptr_name), 0, 0, LSMT_BLOB_PTR)
#define LSM_LIST(ptype, pname, ctype, cname, lejp_cb, cmap, qname) \
	_LWS_RS_LSM(qname, cmap, lejp_cb, offsetof(ptype, pname), sizeof(ctype), \
		    offsetof(ctype, cname), LWS_ARRAY_SIZE(cmap), LSMT_LIST)
#define LSM_CHILD_PTR(ptype, pname, ctype, lejp_cb, cmap, qname) \
	_LWS_RS_LSM(qname, cmap, lejp_cb, offsetof(ptype, pname), sizeof(ctype), \
		    0, LWS_ARRAY_SIZE(cmap), LSMT_CHILD_PTR)
#define LSM_SCHEMA(ctype, lejp_cb, map, schema_name) \
	_LWS_RS_LSM(schema_name, map, lejp_cb, 0, sizeof(ctype), 0, \
		    LWS_ARRAY_SIZE(map), LSMT_SCHEMA)
#define LSM_SCHEMA_DLL2(ctype, cdll2mem, lejp_cb, map, schema_name) \
	_LWS_RS_LSM(schema_name, map, lejp_cb, offsetof(ctype, cdll2mem), \
		    sizeof(ctype), 0, LWS_ARRAY_SIZE(map), LSMT_SCHEMA)

/* Nonzero on a big-endian machine. */
static LWS_INLINE int
lws_is_be(void)
{
	const int probe = 1;

	return !*(const char *)&probe;
}

/* Which log levels the lwsl_ macros compile in: all of them. */
#define _LWS_LINIT ((1 << LLL_COUNT) - 1)
#define _LWS_LBS LWS_LOGGING_BITFIELD_SET
#define _LWS_LBC LWS_LOGGING_BITFIELD_CLEAR
#define _LWS_ENABLED_LOGS ((_LWS_LINIT | _LWS_LBS) & ~_LWS_LBC)

#endif /* LWS_RS_MISC_MACROS_H */

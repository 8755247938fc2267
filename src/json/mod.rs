//! JSON helpers behind the lws C API: the streaming LEJP parser and the cheap
//! "find a member" and escaping helpers of lws-misc.h / lws-purify.h.
#![forbid(unsafe_code)]

pub mod lejp;
pub mod lwsws_conf;
pub mod lwsws_vhosts;
pub mod simple;

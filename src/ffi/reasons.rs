//! lws callback reason numbers used by the boundary, and the one mapping from
//! core events to them.
#![allow(dead_code)]

use std::ffi::c_uint;

use crate::core::ProtocolEvent;

pub const LWS_CALLBACK_PROTOCOL_INIT: c_uint = 27;
pub const LWS_CALLBACK_PROTOCOL_DESTROY: c_uint = 28;
pub const LWS_CALLBACK_GET_THREAD_ID: c_uint = 31;
pub const LWS_CALLBACK_EVENT_WAIT_CANCELLED: c_uint = 71;

pub fn protocol_event(ev: ProtocolEvent) -> c_uint {
    match ev {
        ProtocolEvent::GetThreadId => LWS_CALLBACK_GET_THREAD_ID,
        ProtocolEvent::Init => LWS_CALLBACK_PROTOCOL_INIT,
        ProtocolEvent::Destroy => LWS_CALLBACK_PROTOCOL_DESTROY,
        ProtocolEvent::EventWaitCancelled => LWS_CALLBACK_EVENT_WAIT_CANCELLED,
    }
}

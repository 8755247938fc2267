//! The mapping from core protocol events to lws callback reasons.
use super::types::*;
use crate::core::ProtocolEvent;

pub fn protocol_event(ev: ProtocolEvent) -> lws_callback_reasons {
    match ev {
        ProtocolEvent::GetThreadId => LWS_CALLBACK_GET_THREAD_ID,
        ProtocolEvent::Init => LWS_CALLBACK_PROTOCOL_INIT,
        ProtocolEvent::Destroy => LWS_CALLBACK_PROTOCOL_DESTROY,
        ProtocolEvent::EventWaitCancelled => LWS_CALLBACK_EVENT_WAIT_CANCELLED,
    }
}

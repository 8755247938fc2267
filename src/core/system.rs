//! The context's system state (`lws_system`, spec B2): the states in their 4.3.3
//! order and the rules the internal notifier applies. The stepping itself is done
//! by the runtime, because each step consults user notifiers (user code).
#![forbid(unsafe_code)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// `LWS_SYSTATE_*`, in order; the numbers are the 4.3.3 ABI values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SysState {
    Unknown = 0,
    ContextCreated = 1,
    Initialized = 2,
    IfaceColdplug = 3,
    Dhcp = 4,
    CpdPreTime = 5,
    TimeValid = 6,
    CpdPostTime = 7,
    PolicyValid = 8,
    Registered = 9,
    Auth1 = 10,
    Auth2 = 11,
    Operational = 12,
    PolicyInvalid = 13,
    ContextDestroying = 14,
}

impl SysState {
    const ALL: [SysState; 15] = [
        SysState::Unknown,
        SysState::ContextCreated,
        SysState::Initialized,
        SysState::IfaceColdplug,
        SysState::Dhcp,
        SysState::CpdPreTime,
        SysState::TimeValid,
        SysState::CpdPostTime,
        SysState::PolicyValid,
        SysState::Registered,
        SysState::Auth1,
        SysState::Auth2,
        SysState::Operational,
        SysState::PolicyInvalid,
        SysState::ContextDestroying,
    ];

    pub fn from_number(n: i32) -> Option<SysState> {
        usize::try_from(n)
            .ok()
            .and_then(|i| Self::ALL.get(i).copied())
    }

    pub fn number(self) -> i32 {
        self as i32
    }

    /// The state one step further, if any.
    pub fn next(self) -> Option<SysState> {
        Self::from_number(self.number() + 1)
    }
}

/// Whether the wall clock can be trusted for certificate date checks: a machine
/// whose clock says it is before 2024 has not set its time yet.
pub fn clock_is_plausible(now: SystemTime) -> bool {
    now.duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO) > Duration::from_secs(1_704_067_200)
}

/// The internal notifier's veto: true when the step `current -> target` must wait.
pub fn internal_veto(current: SysState, target: SysState, now: SystemTime) -> bool {
    current < SysState::TimeValid && target == SysState::TimeValid && !clock_is_plausible(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_matches_lws_4_3_3_spec_b2_t1() {
        assert_eq!(SysState::Operational.number(), 12);
        assert_eq!(SysState::PolicyValid.number(), 8);
        assert_eq!(SysState::ContextDestroying.number(), 14);
        assert_eq!(SysState::from_number(12), Some(SysState::Operational));
        assert_eq!(SysState::from_number(15), None);
        assert_eq!(SysState::from_number(-1), None);
        assert_eq!(SysState::ContextDestroying.next(), None);
    }

    #[test]
    fn time_valid_waits_for_a_plausible_clock() {
        let old = UNIX_EPOCH + Duration::from_secs(86_400);
        assert!(internal_veto(
            SysState::CpdPreTime,
            SysState::TimeValid,
            old
        ));
        assert!(!internal_veto(
            SysState::CpdPreTime,
            SysState::TimeValid,
            SystemTime::now()
        ));
        assert!(!internal_veto(SysState::Dhcp, SysState::CpdPreTime, old));
    }
}

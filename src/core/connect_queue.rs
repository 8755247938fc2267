//! The deferred connect queue: the reason this library exists (spec B2.7,
//! libwebsockets issue #3306).
//!
//! A client connection requested before the context's system state reaches
//! OPERATIONAL (for instance from `LWS_CALLBACK_PROTOCOL_INIT`) gets its wsi at
//! once but starts no network activity. On the OPERATIONAL arrival the queue
//! drains in request order; each request then resolves its vhost (so a vhost
//! created after the request is found) and follows the normal client sequence.
//! A request that can never start gets exactly one CLIENT_CONNECTION_ERROR
//! naming the cause, then WSI_DESTROY.
#![forbid(unsafe_code)]

use super::close::Ending;
use super::conn::{ClientSpec, Conn, ConnId, Phase, PhaseKind, Role};
use super::context::Core;
use super::system::SysState;
use super::{Error, VhostId};
use crate::log::level;
use crate::lwsl;

/// What to do with a connect request now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Gate {
    Start,
    Wait,
    Refuse(&'static str),
}

/// The gating predicate: start only once the system is OPERATIONAL; nothing
/// starts while the context is going down.
pub fn gate(state: SysState) -> Gate {
    match state {
        SysState::Operational => Gate::Start,
        SysState::PolicyInvalid | SysState::ContextDestroying => {
            Gate::Refuse("context is being destroyed")
        }
        _ => Gate::Wait,
    }
}

impl Core {
    /// The vhost a client request binds to when it starts: the one named, else
    /// "default", else the first live one (B4.1).
    pub fn client_vhost(&self, spec: &ClientSpec) -> Result<VhostId, String> {
        if let Some(v) = spec.vhost {
            return match self.vhost(v) {
                Some(vh) if vh.is_live() => Ok(v),
                _ => Err("vhost destroyed before the connection could start".into()),
            };
        }
        self.vhost_by_name("default")
            .or_else(|| {
                (0..self.vhosts.len())
                    .map(VhostId)
                    .find(|v| self.vhost(*v).is_some_and(|x| x.is_live()))
            })
            .ok_or_else(|| "No vhost in the context".into())
    }

    /// Takes a client request: starts it now or queues it (B2.7). Returns the
    /// connection, which exists from here on either way. A request from a
    /// system-state notifier or the captive-portal hook (`from_state_driver`)
    /// starts before OPERATIONAL once its vhost exists: captive-portal
    /// detection holds the state at CPD_PRE_TIME until its own connection has
    /// an answer, so queueing that connection would hold it for ever.
    pub fn request_client(
        &mut self,
        spec: ClientSpec,
        from_state_driver: bool,
    ) -> Result<ConnId, Error> {
        let gate = match gate(self.state) {
            Gate::Wait if from_state_driver && self.client_vhost(&spec).is_ok() => Gate::Start,
            g => g,
        };
        match gate {
            Gate::Refuse(why) => Err(Error::Refused(why)),
            Gate::Start => {
                let vh = self
                    .client_vhost(&spec)
                    .map_err(|_| Error::Refused("No vhost in the context"))?;
                self.client_connect(spec, vh)
            }
            Gate::Wait => {
                let vh = self.client_vhost(&spec).unwrap_or(VhostId(0));
                let target = format!("{}:{}", spec.address, spec.port);
                let id = self.insert_conn(|id| {
                    let mut c = Conn::new(id, vh, Role::Client, Phase::Queued, Default::default());
                    c.client = Some(Box::new(spec));
                    c
                })?;
                self.connect_queue.push_back(id);
                lwsl!(
                    level::INFO,
                    "conn {}: connect to {target} queued (system state {:?}, {} waiting)",
                    id.index,
                    self.state,
                    self.connect_queue.len()
                );
                Ok(id)
            }
        }
    }

    /// Starts every queued request, in order (the OPERATIONAL arrival).
    pub fn drain_connect_queue(&mut self) {
        if self.connect_queue.is_empty() {
            return;
        }
        lwsl!(
            level::INFO,
            "connect queue: starting {} request(s) (system state {:?})",
            self.connect_queue.len(),
            self.state
        );
        while let Some(id) = self.connect_queue.pop_front() {
            let Some(c) = self.conn_mut(id) else {
                continue;
            };
            if c.phase() != PhaseKind::Queued {
                continue;
            }
            let Some(spec) = c.client.take().map(|b| *b) else {
                continue;
            };
            match self.client_vhost(&spec) {
                Ok(vh) => self.start_client(id, spec, vh),
                Err(why) => {
                    if let Some(c) = self.conn_mut(id) {
                        c.client = Some(Box::new(spec));
                    }
                    self.finish(id, Ending::ClientError(why));
                }
            }
        }
    }

    /// Fails every queued request (the context or its vhosts are going away).
    pub fn fail_connect_queue(&mut self, why: &str) {
        while let Some(id) = self.connect_queue.pop_front() {
            self.finish(id, Ending::ClientError(why.to_string()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gate_table_spec_b2_7() {
        for n in 0..=14 {
            let s = SysState::from_number(n).unwrap_or(SysState::Unknown);
            let want = match n {
                12 => Gate::Start,
                13 | 14 => Gate::Refuse("context is being destroyed"),
                _ => Gate::Wait,
            };
            assert_eq!(gate(s), want, "state {n}");
        }
    }
}

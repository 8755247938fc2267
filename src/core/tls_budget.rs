//! The context's TLS budget: `info.simultaneous_ssl_restriction` (TLS
//! connections open at once) and `simultaneous_ssl_handshake_restriction`
//! (handshakes in progress at once), as lws counts them. Each TLS connection
//! holds a [`TlsLoan`]; a client that gets none fails with "tls restriction
//! limit", and TLS listeners stop accepting while the budget is spent.
#![forbid(unsafe_code)]

/// What one connection holds of the budget.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TlsLoan {
    #[default]
    None,
    /// A connection and a handshake.
    Handshaking,
    /// A connection whose handshake is done.
    Open,
}

/// Limits (0: none) and what is lent out.
#[derive(Debug, Default)]
pub struct TlsBudget {
    max_conns: u32,
    max_handshakes: u32,
    conns: u32,
    handshakes: u32,
}

impl TlsBudget {
    pub fn new(max_conns: u32, max_handshakes: u32) -> TlsBudget {
        TlsBudget {
            max_conns,
            max_handshakes,
            ..TlsBudget::default()
        }
    }

    /// Whether a new TLS connection would be refused now.
    pub fn spent(&self) -> bool {
        (self.max_conns != 0 && self.conns >= self.max_conns)
            || (self.max_handshakes != 0 && self.handshakes >= self.max_handshakes)
    }

    /// Lends a connection and a handshake, or None when either limit is reached.
    pub fn borrow(&mut self) -> Option<TlsLoan> {
        if self.spent() {
            return None;
        }
        self.conns += 1;
        self.handshakes += 1;
        Some(TlsLoan::Handshaking)
    }

    /// The handshake of `loan` finished: its handshake goes back.
    pub fn handshake_done(&mut self, loan: &mut TlsLoan) {
        if *loan == TlsLoan::Handshaking {
            self.handshakes -= 1;
            *loan = TlsLoan::Open;
        }
    }

    /// The connection of `loan` ended: everything it held goes back.
    pub fn give_back(&mut self, loan: &mut TlsLoan) {
        self.handshake_done(loan);
        if *loan == TlsLoan::Open {
            self.conns -= 1;
        }
        *loan = TlsLoan::None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_limit_counts_open_connections() {
        let mut b = TlsBudget::new(2, 0);
        let mut first = b.borrow().unwrap_or_default();
        assert_eq!(first, TlsLoan::Handshaking);
        let mut second = b.borrow().unwrap_or_default();
        assert_eq!(second, TlsLoan::Handshaking);
        assert!(b.spent());
        assert_eq!(b.borrow(), None);
        b.handshake_done(&mut first);
        assert!(b.spent(), "a finished handshake still holds its connection");
        b.give_back(&mut second);
        assert!(!b.spent());
        b.give_back(&mut first);
        b.give_back(&mut first);
        assert_eq!((b.conns, b.handshakes), (0, 0), "a loan goes back once");
    }

    #[test]
    fn handshake_limit_counts_only_handshakes() {
        let mut b = TlsBudget::new(0, 1);
        let mut first = b.borrow().unwrap_or_default();
        assert_eq!(first, TlsLoan::Handshaking);
        assert_eq!(b.borrow(), None);
        b.handshake_done(&mut first);
        let mut second = b.borrow().unwrap_or_default();
        assert_eq!(second, TlsLoan::Handshaking, "after the first handshake");
        b.give_back(&mut second);
        b.give_back(&mut first);
        assert!(!b.spent());
        assert_eq!(TlsBudget::default().borrow(), Some(TlsLoan::Handshaking));
    }
}

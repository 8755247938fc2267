//! Errors of the core. Their text is what users read in log lines and in the `in`
//! argument of error callbacks, so each names the cause and the object.
#![forbid(unsafe_code)]

use std::io;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: io::Error,
    },
    #[error("invalid configuration: {0}")]
    Config(String),
    #[error("{0}")]
    Refused(&'static str),
}

impl Error {
    pub fn io(what: impl Into<String>, source: io::Error) -> Error {
        Error::Io {
            what: what.into(),
            source,
        }
    }
}

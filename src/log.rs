//! Process-wide logging, shared by the C `_lws_log()` path and the library's own
//! messages.
//!
//! lws keeps one level mask and one emitter per process; so do we. The mask is an
//! atomic read on every call, so a disabled level costs one load and no formatting.
//! The emitter is user code when set from C: it is called with no library lock held
//! and, as in lws, must not call back into the library.
#![forbid(unsafe_code)]

use std::cell::{Cell, RefCell};
use std::ffi::CString;
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use parking_lot::RwLock;

/// Log level bits, numerically identical to lws's `LLL_*`.
pub mod level {
    pub const ERR: u32 = 1 << 0;
    pub const WARN: u32 = 1 << 1;
    pub const NOTICE: u32 = 1 << 2;
    pub const INFO: u32 = 1 << 3;
    pub const DEBUG: u32 = 1 << 4;
    pub const PARSER: u32 = 1 << 5;
    pub const HEADER: u32 = 1 << 6;
    pub const EXT: u32 = 1 << 7;
    pub const CLIENT: u32 = 1 << 8;
    pub const LATENCY: u32 = 1 << 9;
    pub const USER: u32 = 1 << 10;
    pub const THREAD: u32 = 1 << 11;
    /// Number of defined level bits.
    pub const COUNT: u32 = 12;
    /// lws's process default: errors, warnings and notices.
    pub const DEFAULT: u32 = ERR | WARN | NOTICE;
}

/// One letter per level bit, in bit order (lws's "EWNIDPHXCLUT").
const LEVEL_LETTERS: &[u8; 12] = b"EWNIDPHXCLUT";

/// Longest line handed to the emitter, newline included; longer ones are cut and
/// end in "...\n", as lws's 256-byte line buffer does.
const MAX_LINE: usize = 255;

/// Receives one finished line: exactly one level bit and a NUL-terminated text
/// ending in '\n'.
pub type Emitter = Arc<dyn Fn(u32, &CString) + Send + Sync>;

/// How many [`Hold`]s are alive on this thread, with [`LINES_KEPT`] set while
/// lines wait in [`KEPT`]. A plain `Cell<u32>` without a destructor: taking and
/// dropping a hold happens on every core lock, and a thread-local that needs
/// no destructor costs one lookup, with no registration check.
const LINES_KEPT: u32 = 1 << 31;

thread_local! {
    static HOLDS: Cell<u32> = const { Cell::new(0) };
    /// The lines kept while a hold is alive, in order.
    static KEPT: RefCell<Vec<(u32, CString)>> = const { RefCell::new(Vec::new()) };
}

/// One level of [`with_lines_held`] on this thread: dropping it (also on
/// unwind) ends the level, and the outermost one emits the kept lines.
struct Hold<'a>(&'a Cell<u32>);

impl Drop for Hold<'_> {
    fn drop(&mut self) {
        let left = self.0.get().saturating_sub(1);
        // The outermost hold with lines kept: they go out now.
        self.0.set(if left == LINES_KEPT { 0 } else { left });
        if left == LINES_KEPT {
            for (bit, line) in KEPT.with(|k| std::mem::take(&mut *k.borrow_mut())) {
                deliver(bit, &line);
            }
        }
    }
}

/// Runs `f` with this thread's log lines kept, not emitted; when the outermost
/// such call returns (also on unwind) they are emitted in order. Wrapped
/// around the core lock, so that a user emitter never runs under it. One
/// thread-local lookup for the whole call.
pub fn with_lines_held<R>(f: impl FnOnce() -> R) -> R {
    // With the built-in emitter a line runs no user code wherever it is
    // emitted, so there is nothing to hold back (and no thread-local to look
    // up on every core lock). An emitter is installed at start-up, before
    // service; one installed by another thread while this one holds a lock
    // would miss the hold for that lock only.
    if !USER_EMITTER.load(Ordering::Relaxed) {
        return f();
    }
    HOLDS.with(|h| {
        h.set(h.get() + 1);
        let _hold = Hold(h);
        f()
    })
}

static MASK: AtomicU32 = AtomicU32::new(level::DEFAULT);
static EMITTER: RwLock<Option<Emitter>> = RwLock::new(None);
/// Whether [`EMITTER`] holds an emitter (user code) rather than the built-in one.
static USER_EMITTER: AtomicBool = AtomicBool::new(false);

/// Sets the enabled levels. `emitter` None keeps the current one (lws semantics).
pub fn set_level(mask: u32, emitter: Option<Emitter>) {
    MASK.store(mask, Ordering::Relaxed);
    if let Some(e) = emitter {
        *EMITTER.write() = Some(e);
        USER_EMITTER.store(true, Ordering::Relaxed);
    }
}

/// Goes back to the built-in stderr emitter.
pub fn reset_emitter() {
    *EMITTER.write() = None;
    USER_EMITTER.store(false, Ordering::Relaxed);
}

/// The enabled level mask.
pub fn mask() -> u32 {
    MASK.load(Ordering::Relaxed)
}

/// Whether any bit of `level` is enabled.
pub fn visible(level: u32) -> bool {
    MASK.load(Ordering::Relaxed) & level != 0
}

/// Formats `msg` into an lws log line and hands it to the emitter. `level` may
/// carry several bits (as `_lws_log` allows); the line is tagged with the lowest
/// enabled one.
pub fn emit(level: u32, msg: &str) {
    let enabled = level & mask();
    if enabled == 0 {
        return;
    }
    let bit = enabled & enabled.wrapping_neg();
    let line = format_line(bit, msg, SystemTime::now());
    let kept = HOLDS.with(|h| {
        let holds = h.get();
        if holds & !LINES_KEPT == 0 {
            return false;
        }
        h.set(holds | LINES_KEPT);
        true
    });
    if kept {
        KEPT.with(|k| k.borrow_mut().push((bit, line)));
        return;
    }
    deliver(bit, &line);
}

/// Hands one finished line to the emitter.
fn deliver(bit: u32, line: &CString) {
    let emitter = EMITTER.read().clone();
    match emitter {
        Some(e) => e(bit, line),
        None => write_stderr(line),
    }
}

/// The default emitter: the line as it is, to stderr.
pub fn write_stderr(line: &std::ffi::CStr) {
    let _ = std::io::stderr().lock().write_all(line.to_bytes());
}

/// A finished line for `level` (tagged with its lowest bit), as the process
/// emitter gets it: for log contexts with their own emitter.
pub fn line_for(level: u32, msg: &str) -> CString {
    let bit = level & level.wrapping_neg();
    format_line(bit, msg, SystemTime::now())
}

/// `lwsl_timestamp`: the `[date time:ffff] L: ` prefix for a level of exactly
/// one defined bit, else None.
pub fn timestamp_prefix(level: u32) -> Option<String> {
    if level.count_ones() != 1 || level.trailing_zeros() >= level::COUNT {
        return None;
    }
    let line = format_line(level, "", SystemTime::now());
    let text = line.to_string_lossy();
    Some(text.trim_end_matches('\n').to_string())
}

/// One line of lws's context hex dump: offset, 16 hex columns, the printable
/// characters padded to 16, newline (as `lwsl_hexdump_level_cx` prints).
pub fn hexdump_row(offset: usize, chunk: &[u8]) -> String {
    let mut s = format!("{offset:04X}: ");
    for b in chunk {
        s.push_str(&format!("{b:02X} "));
    }
    for _ in chunk.len()..16 {
        s.push_str("   ");
    }
    s.push_str("   ");
    s.extend(chunk.iter().map(|&b| {
        if (b' '..127).contains(&b) {
            b as char
        } else {
            '.'
        }
    }));
    for _ in chunk.len()..16 {
        s.push(' ');
    }
    s.push('\n');
    s
}

/// `[YYYY/MM/DD HH:MM:SS:ffff] L: msg\n` (UTC), cut to [`MAX_LINE`] bytes.
fn format_line(bit: u32, msg: &str, now: SystemTime) -> CString {
    let idx = bit.trailing_zeros() as usize;
    let letter = LEVEL_LETTERS.get(idx).copied().unwrap_or(b'?') as char;
    let since = now.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    let (y, mo, d) = civil_from_days((secs / 86_400) as i64);
    let sod = secs % 86_400;
    let tenth_ms = since.subsec_micros() / 100;
    let mut line = format!(
        "[{y:04}/{mo:02}/{d:02} {:02}:{:02}:{:02}:{tenth_ms:04}] {letter}: ",
        sod / 3600,
        (sod / 60) % 60,
        sod % 60
    );
    line.push_str(msg);
    if !line.ends_with('\n') {
        line.push('\n');
    }
    if line.len() > MAX_LINE {
        let mut cut = MAX_LINE - 4;
        while !line.is_char_boundary(cut) {
            cut -= 1;
        }
        line.truncate(cut);
        line.push_str("...\n");
    }
    let bytes: Vec<u8> = line.into_bytes().into_iter().filter(|b| *b != 0).collect();
    CString::new(bytes).unwrap_or_default()
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian calendar.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Logs through the process emitter: `lwsl!(level::ERR, "x {}", y)`.
#[macro_export]
macro_rules! lwsl {
    ($lvl:expr, $($arg:tt)*) => {
        if $crate::log::visible($lvl) {
            $crate::log::emit($lvl, &format!($($arg)*));
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn line_has_lws_prefix_and_newline() {
        let t = UNIX_EPOCH + Duration::from_micros(1_700_000_000_123_456);
        let l = format_line(level::USER, "hi", t);
        assert_eq!(l.to_str().ok(), Some("[2023/11/14 22:13:20:1234] U: hi\n"));
    }

    #[test]
    fn long_lines_are_cut_with_ellipsis() {
        let l = format_line(level::ERR, &"x".repeat(600), SystemTime::now());
        let s = l.to_str().unwrap_or_default();
        assert_eq!(s.len(), MAX_LINE);
        assert!(s.ends_with("...\n"));
    }

    #[test]
    fn timestamp_prefix_only_for_one_level_bit() {
        let p = timestamp_prefix(level::NOTICE).unwrap_or_default();
        assert!(p.starts_with('[') && p.ends_with("] N: "), "{p}");
        assert_eq!(timestamp_prefix(level::ERR | level::WARN), None);
        assert_eq!(timestamp_prefix(0), None);
        assert_eq!(timestamp_prefix(1 << 12), None);
    }

    #[test]
    fn hexdump_rows_pad_like_lws() {
        assert_eq!(
            hexdump_row(16, b"AB\x00"),
            format!(
                "0010: 41 42 00 {}   AB.{}\n",
                "   ".repeat(13),
                " ".repeat(13)
            )
        );
    }

    #[test]
    fn calendar_conversion() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
    }
}

//! `lws_buflist`: a FIFO of byte segments, each copied in whole and used up
//! from the front, as lws keeps pending data for a connection.
//!
//! Each segment's bytes sit [`PRE`] bytes into their own allocation (lws
//! promises a consumer `LWS_PRE` bytes of headroom before what
//! `lws_buflist_next_segment_len` points at) and are followed by one spare byte.
//! lws's numbers are kept: at most [`MAX_SEGMENTS`] segments, `total_len` counts
//! whole segments (consumed part included) and `linear_copy` reads from the
//! start of each segment, ignoring what was used.
#![forbid(unsafe_code)]

use std::collections::VecDeque;

/// `LWS_PRE`: headroom before every segment's data.
pub const PRE: usize = 16;

/// lws's sanity limit: appending to a list that already holds this many
/// segments fails.
pub const MAX_SEGMENTS: usize = 1023;

/// One copied segment.
struct Segment {
    /// `PRE` bytes of headroom, the data, one spare byte.
    room: Box<[u8]>,
    len: usize,
    /// Bytes already used from the front.
    pos: usize,
}

impl Segment {
    fn left(&self) -> usize {
        self.len - self.pos
    }
}

/// Why a buflist operation was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The list already holds [`MAX_SEGMENTS`] segments.
    SanityLimit,
    /// More bytes were said to be used than the head segment has left.
    Overrun { asked: usize, left: usize },
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::SanityLimit => write!(f, "buflist reached sanity limit"),
            Self::Overrun { asked, left } => {
                write!(f, "using {asked} bytes but the segment has {left} left")
            }
        }
    }
}

/// The segments, head first.
#[derive(Default)]
pub struct Buflist {
    segs: VecDeque<Segment>,
}

/// What `fragment_use` copied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fragment {
    pub copied: usize,
    /// The copy started at the segment's first byte.
    pub first: bool,
    /// The copy ended at the segment's last byte.
    pub fin: bool,
}

impl Buflist {
    pub fn is_empty(&self) -> bool {
        self.segs.is_empty()
    }

    /// Appends a copy of `buf` as a new segment at the tail; `Ok(true)` when it
    /// is the first segment of the list.
    pub fn append(&mut self, buf: &[u8]) -> Result<bool, Refusal> {
        if self.segs.len() >= MAX_SEGMENTS {
            return Err(Refusal::SanityLimit);
        }
        let mut room = vec![0u8; PRE + buf.len() + 1].into_boxed_slice();
        room[PRE..PRE + buf.len()].copy_from_slice(buf);
        self.segs.push_back(Segment {
            room,
            len: buf.len(),
            pos: 0,
        });
        Ok(self.segs.len() == 1)
    }

    /// `lws_buflist_next_segment_len`: drops an empty head segment that has a
    /// successor, then gives the head segment's unused bytes with `PRE` bytes of
    /// headroom before them (the slice starts at the headroom). None when empty.
    pub fn next_segment(&mut self) -> Option<&mut [u8]> {
        if self.segs.len() > 1 && self.segs.front().is_some_and(|s| s.len == 0) {
            self.segs.pop_front();
        }
        let s = self.segs.front_mut()?;
        let (pos, len) = (s.pos, s.len);
        Some(&mut s.room[pos..PRE + len])
    }

    /// `lws_buflist_use_segment`: marks `len` bytes of the head segment used,
    /// dropping it when used up; returns what is left of the head segment then
    /// (0 when the list emptied).
    pub fn use_segment(&mut self, len: usize) -> Result<usize, Refusal> {
        let Some(s) = self.segs.front_mut() else {
            return Ok(0);
        };
        if len > s.left() {
            return Err(Refusal::Overrun {
                asked: len,
                left: s.left(),
            });
        }
        s.pos += len;
        if s.left() > 0 {
            return Ok(s.left());
        }
        self.segs.pop_front();
        Ok(self
            .next_segment()
            .map_or(0, |room| room.len().saturating_sub(PRE)))
    }

    /// Left in the head segment (what `use_segment` returns).
    pub fn head_left(&self) -> usize {
        self.segs.front().map_or(0, Segment::left)
    }

    /// `lws_buflist_total_len`: the sum of the segments' lengths.
    pub fn total_len(&self) -> usize {
        self.segs.iter().map(|s| s.len).sum()
    }

    /// `lws_buflist_linear_copy`: copies from byte `ofs` of the concatenated
    /// segments (each from its start) into `out`, without using anything.
    pub fn linear_copy(&self, mut ofs: usize, out: &mut [u8]) -> usize {
        let mut done = 0;
        for s in &self.segs {
            if done == out.len() {
                break;
            }
            if ofs < s.len {
                let n = (s.len - ofs).min(out.len() - done);
                out[done..done + n].copy_from_slice(&s.room[PRE + ofs..PRE + ofs + n]);
                done += n;
                ofs = 0;
            } else {
                ofs -= s.len;
            }
        }
        done
    }

    /// `lws_buflist_linear_use`: copies unused bytes across segments into
    /// `out` and uses them.
    pub fn linear_use(&mut self, out: &mut [u8]) -> usize {
        let mut done = 0;
        while done < out.len() {
            let Some(s) = self.segs.front() else { break };
            let n = s.left().min(out.len() - done);
            out[done..done + n].copy_from_slice(&s.room[PRE + s.pos..PRE + s.pos + n]);
            done += n;
            if n == 0 {
                // An empty segment: drop it (lws would spin on it).
                self.segs.pop_front();
                continue;
            }
            // Cannot overrun: n <= left.
            let _ = self.use_segment(n);
        }
        done
    }

    /// `lws_buflist_fragment_use`: copies unused bytes of the head segment only
    /// into `out` and uses them. None when the list is empty.
    pub fn fragment_use(&mut self, out: &mut [u8]) -> Option<Fragment> {
        let s = self.segs.front()?;
        let n = s.left().min(out.len());
        let first = s.pos == 0;
        let fin = s.pos + n == s.len;
        out[..n].copy_from_slice(&s.room[PRE + s.pos..PRE + s.pos + n]);
        if n > 0 {
            let _ = self.use_segment(n);
        }
        Some(Fragment {
            copied: n,
            first,
            fin,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    fn left(b: &mut Buflist) -> Vec<u8> {
        b.next_segment()
            .map(|r| r[PRE..].to_vec())
            .unwrap_or_default()
    }

    #[test]
    fn segments_are_used_in_order() {
        let mut b = Buflist::default();
        assert_eq!(b.append(b"hello"), Ok(true));
        assert_eq!(b.append(b"world!"), Ok(false));
        assert_eq!(b.total_len(), 11);
        assert_eq!(left(&mut b), b"hello");
        assert_eq!(b.use_segment(2), Ok(3));
        assert_eq!(left(&mut b), b"llo");
        // total_len still counts the used bytes, as lws does
        assert_eq!(b.total_len(), 11);
        assert_eq!(b.use_segment(3), Ok(6));
        assert_eq!(left(&mut b), b"world!");
        assert_eq!(b.use_segment(6), Ok(0));
        assert!(b.is_empty());
        assert_eq!(b.next_segment(), None);
    }

    #[test]
    fn headroom_precedes_the_data() {
        let mut b = Buflist::default();
        b.append(b"abc").unwrap();
        let room = b.next_segment().unwrap();
        assert_eq!(room.len(), PRE + 3);
        assert_eq!(&room[PRE..], b"abc");
    }

    #[test]
    fn overrun_is_refused_and_changes_nothing() {
        let mut b = Buflist::default();
        b.append(b"abc").unwrap();
        assert_eq!(
            b.use_segment(4),
            Err(Refusal::Overrun { asked: 4, left: 3 })
        );
        assert_eq!(b.head_left(), 3);
    }

    #[test]
    fn sanity_limit_is_lws_s() {
        let mut b = Buflist::default();
        for _ in 0..MAX_SEGMENTS {
            b.append(b"x").unwrap();
        }
        assert_eq!(b.append(b"x"), Err(Refusal::SanityLimit));
    }

    #[test]
    fn linear_copy_ignores_use_and_linear_use_consumes() {
        let mut b = Buflist::default();
        b.append(b"0123").unwrap();
        b.append(b"4567").unwrap();
        b.use_segment(1).unwrap();
        let mut out = [0u8; 5];
        assert_eq!(b.linear_copy(2, &mut out), 5);
        assert_eq!(&out, b"23456");
        assert_eq!(b.linear_copy(9, &mut out), 0);
        let mut out = [0u8; 5];
        assert_eq!(b.linear_use(&mut out), 5);
        assert_eq!(&out, b"12345");
        assert_eq!(left(&mut b), b"67");
        let mut out = [0u8; 8];
        assert_eq!(b.linear_use(&mut out), 2);
        assert!(b.is_empty());
    }

    #[test]
    fn fragments_report_their_ends() {
        let mut b = Buflist::default();
        b.append(b"abcdef").unwrap();
        b.append(b"gh").unwrap();
        let mut out = [0u8; 4];
        let f = b.fragment_use(&mut out).unwrap();
        assert_eq!((f.copied, f.first, f.fin), (4, true, false));
        let f = b.fragment_use(&mut out).unwrap();
        assert_eq!((f.copied, f.first, f.fin), (2, false, true));
        assert_eq!(&out[..2], b"ef");
        let f = b.fragment_use(&mut out).unwrap();
        assert_eq!((f.copied, f.first, f.fin), (2, true, true));
        assert_eq!(b.fragment_use(&mut out), None);
    }

    #[test]
    fn empty_head_segment_is_skipped_when_more_follow() {
        let mut b = Buflist::default();
        b.append(b"").unwrap();
        assert_eq!(left(&mut b), b"");
        b.append(b"z").unwrap();
        assert_eq!(left(&mut b), b"z");
    }
}

//! A fixed-size element FIFO with one head and any number of caller-held tails:
//! the engine behind the `lws_ring_*` API (spec B7.2).
//!
//! Tails are byte offsets into the buffer, as in lws, so C code can keep them in
//! plain `uint32_t`s. One element slot always stays empty, so a ring made for
//! `count` elements holds at most `count - 1`. The buffer never reallocates: C
//! holds pointers into it between calls.
#![forbid(unsafe_code)]

/// See the module docs.
pub struct Ring {
    buf: Box<[u8]>,
    element_len: u32,
    head: u32,
    oldest_tail: u32,
}

impl Ring {
    /// A ring of `count` slots of `element_len` bytes, or None when that is
    /// empty or does not fit the 32-bit offsets the C API uses.
    pub fn new(element_len: usize, count: usize) -> Option<Ring> {
        let buflen = element_len.checked_mul(count)?;
        if element_len == 0 || count == 0 || u32::try_from(buflen).is_err() {
            return None;
        }
        Some(Ring {
            buf: vec![0u8; buflen].into_boxed_slice(),
            element_len: element_len as u32,
            head: 0,
            oldest_tail: 0,
        })
    }

    fn buflen(&self) -> u32 {
        self.buf.len() as u32
    }

    pub fn element_len(&self) -> usize {
        self.element_len as usize
    }

    /// The whole buffer, for handing out element addresses.
    pub fn buffer_mut(&mut self) -> &mut [u8] {
        &mut self.buf
    }

    pub fn oldest_tail(&self) -> u32 {
        self.oldest_tail
    }

    /// One line describing the ring's state as seen from `tail` (the oldest
    /// tail when None), in lws's `lws_ring_dump` wording.
    pub fn describe(&self, tail: Option<u32>) -> String {
        let t = tail.unwrap_or(self.oldest_tail);
        format!(
            "buflen {}, elem_len {}, head {}, oldest_tail {}, free_elems: {}; for tail {t}, waiting elements: {}",
            self.buflen(),
            self.element_len,
            self.head,
            self.oldest_tail,
            self.free_elements(),
            self.waiting_elements(Some(t))
        )
    }

    /// Elements that can still be inserted.
    pub fn free_elements(&self) -> usize {
        let (h, t, len, el) = (self.head, self.oldest_tail, self.buflen(), self.element_len);
        let free_bytes = if h == t {
            len - el
        } else if h < t {
            (t - h).saturating_sub(el)
        } else {
            (len - h + t).saturating_sub(el)
        };
        if free_bytes < 2 {
            return 0;
        }
        (free_bytes / el) as usize
    }

    /// Elements waiting for the consumer whose tail is `tail` (None: the ring's own).
    pub fn waiting_elements(&self, tail: Option<u32>) -> usize {
        let t = tail.unwrap_or(self.oldest_tail);
        let bytes = if self.head == t {
            0
        } else if self.head > t {
            self.head - t
        } else {
            self.buflen().saturating_sub(t) + self.head
        };
        (bytes / self.element_len) as usize
    }

    /// Copies up to `max_count` whole elements from `src`; returns how many fitted.
    pub fn insert(&mut self, src: &[u8], max_count: usize) -> usize {
        let el = self.element_len as usize;
        let wanted = max_count.min(src.len() / el);
        let n = self.free_elements().min(wanted);
        let mut off = self.head as usize;
        for chunk in src[..n * el].chunks(el) {
            self.buf[off..off + el].copy_from_slice(chunk);
            off = (off + el) % self.buf.len();
        }
        self.head = off as u32;
        n
    }

    /// The offset of the next element for `tail`, or None when it has caught up.
    pub fn element_offset(&self, tail: Option<u32>) -> Option<usize> {
        let t = tail.unwrap_or(self.oldest_tail);
        (t != self.head).then_some(t as usize)
    }

    /// Consumes up to `max_count` elements for `tail` (None: the ring's own tail,
    /// which also releases them), copying them into `dest` when given. Returns the
    /// number consumed; `destroy` sees every element the oldest tail passes.
    pub fn consume(
        &mut self,
        tail: Option<&mut u32>,
        dest: Option<&mut [u8]>,
        max_count: usize,
        destroy: &mut dyn FnMut(&mut [u8]),
    ) -> usize {
        let el = self.element_len as usize;
        let single = tail.is_none();
        let mut own = self.oldest_tail;
        let t = match tail {
            Some(t) => t,
            None => &mut own,
        };
        let mut n = self.waiting_elements(Some(*t)).min(max_count);
        if let Some(d) = dest {
            n = n.min(d.len() / el);
            let mut off = *t as usize;
            for chunk in d[..n * el].chunks_mut(el) {
                chunk.copy_from_slice(&self.buf[off..off + el]);
                off = (off + el) % self.buf.len();
            }
        }
        *t = ((*t as usize + n * el) % self.buf.len()) as u32;
        let new_tail = *t;
        if single {
            // The ring's own tail moved over held elements only.
            let _ = self.update_oldest_tail(new_tail, destroy);
        }
        n
    }

    /// Whether `tail` can be a tail of this ring: inside the buffer, on an
    /// element boundary.
    pub fn valid_tail(&self, tail: u32) -> bool {
        tail < self.buflen() && tail.is_multiple_of(self.element_len)
    }

    /// Moves the oldest tail to `tail`, calling `destroy` on each element
    /// passed. Refused (nothing changes) for a tail that is not on an element
    /// boundary or lies outside what is held (between the oldest tail and the
    /// head).
    pub fn update_oldest_tail(
        &mut self,
        tail: u32,
        destroy: &mut dyn FnMut(&mut [u8]),
    ) -> Result<(), &'static str> {
        if !self.valid_tail(tail) {
            return Err("tail misaligned or outside the ring");
        }
        if self.waiting_elements(Some(tail)) > self.waiting_elements(None) {
            return Err("tail is not between the oldest tail and the head");
        }
        let el = self.element_len as usize;
        let len = self.buf.len();
        while self.oldest_tail != tail {
            let off = self.oldest_tail as usize;
            destroy(&mut self.buf[off..off + el]);
            self.oldest_tail = ((off + el) % len) as u32;
        }
        Ok(())
    }

    /// Releases every element still held (ring destruction).
    pub fn drain(&mut self, destroy: &mut dyn FnMut(&mut [u8])) {
        let head = self.head;
        // The head is always a valid tail (bump_head keeps it aligned).
        let _ = self.update_oldest_tail(head, destroy);
    }

    /// Where the next insert can write without wrapping, and how many bytes fit
    /// there: None when the ring is full.
    pub fn next_linear_insert_range(&self) -> Option<(usize, usize)> {
        let n = self.free_elements() * self.element_len as usize;
        if n == 0 {
            return None;
        }
        let h = self.head as usize;
        Some((h, n.min(self.buf.len() - h)))
    }

    /// Advances the head over `bytes` written through `next_linear_insert_range`:
    /// whole elements, no more than are free (else refused, nothing changes).
    pub fn bump_head(&mut self, bytes: usize) -> Result<(), &'static str> {
        let el = self.element_len as usize;
        if !bytes.is_multiple_of(el) {
            return Err("bytes is not a whole number of elements");
        }
        if bytes / el > self.free_elements() {
            return Err("bytes is more than the ring has free");
        }
        self.head = ((self.head as usize + bytes) % self.buf.len()) as u32;
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    fn no_destroy() -> impl FnMut(&mut [u8]) {
        |_: &mut [u8]| {}
    }

    #[test]
    fn describe_reports_counts_for_a_tail() {
        let mut r = Ring::new(4, 8).unwrap();
        assert_eq!(r.insert(&[0u8; 12], 3), 3);
        let line = r.describe(None);
        assert!(
            line.contains("buflen 32, elem_len 4, head 12, oldest_tail 0"),
            "{line}"
        );
        assert!(
            line.ends_with("free_elems: 4; for tail 0, waiting elements: 3"),
            "{line}"
        );
        assert!(r
            .describe(Some(8))
            .ends_with("for tail 8, waiting elements: 1"));
    }

    #[test]
    fn holds_count_minus_one_spec_b7_t3() {
        let mut r = Ring::new(4, 8).unwrap();
        for i in 0..7u32 {
            assert_eq!(r.insert(&i.to_ne_bytes(), 1), 1);
        }
        assert_eq!(r.insert(&9u32.to_ne_bytes(), 1), 0);
        assert_eq!(r.free_elements(), 0);
        assert_eq!(r.waiting_elements(None), 7);
    }

    #[test]
    fn wraps_and_keeps_order() {
        let mut r = Ring::new(4, 4).unwrap();
        let mut d = no_destroy();
        let mut out = [0u8; 4];
        for i in 0..20u32 {
            assert_eq!(r.insert(&i.to_ne_bytes(), 1), 1);
            assert_eq!(r.consume(None, Some(&mut out), 1, &mut d), 1);
            assert_eq!(u32::from_ne_bytes(out), i);
        }
        assert_eq!(r.waiting_elements(None), 0);
    }

    #[test]
    fn destroy_runs_only_when_oldest_tail_passes_spec_b7_t4() {
        let mut r = Ring::new(1, 8).unwrap();
        r.insert(b"abc", 3);
        let (mut t1, mut t2) = (r.oldest_tail(), r.oldest_tail());
        let mut destroyed = Vec::new();
        r.consume(Some(&mut t1), None, 3, &mut |e: &mut [u8]| {
            destroyed.push(e[0])
        });
        assert!(destroyed.is_empty());
        r.consume(Some(&mut t2), None, 2, &mut |e: &mut [u8]| {
            destroyed.push(e[0])
        });
        let oldest = if r.waiting_elements(Some(t1)) > r.waiting_elements(Some(t2)) {
            t1
        } else {
            t2
        };
        r.update_oldest_tail(oldest, &mut |e: &mut [u8]| destroyed.push(e[0]))
            .unwrap();
        assert_eq!(destroyed, b"ab");
    }

    /// Issue #14: a misaligned or out-of-range tail and an impossible head
    /// bump are refused instead of looping for ever (at once or at destroy).
    #[test]
    fn bad_tails_and_head_bumps_are_refused() {
        let mut r = Ring::new(4, 8).unwrap();
        r.insert(&[7u8; 12], 3);
        let mut calls = 0;
        let mut count = |_: &mut [u8]| calls += 1;
        assert!(r.update_oldest_tail(2, &mut count).is_err());
        assert!(r.update_oldest_tail(32, &mut count).is_err());
        assert!(r.update_oldest_tail(16, &mut count).is_err()); // past the head
        assert!(r.bump_head(usize::MAX).is_err());
        assert!(r.bump_head(3).is_err());
        assert!(r.bump_head(5 * 4).is_err()); // 4 free
        r.bump_head(4 * 4).unwrap();
        assert!(!r.valid_tail(6) && r.valid_tail(28) && !r.valid_tail(u32::MAX));
        r.update_oldest_tail(8, &mut count).unwrap();
        r.drain(&mut count);
        assert_eq!(calls, 7);
    }

    #[test]
    fn rejects_degenerate_sizes() {
        assert!(Ring::new(0, 8).is_none());
        assert!(Ring::new(8, 0).is_none());
        assert!(Ring::new(usize::MAX, 2).is_none());
    }
}

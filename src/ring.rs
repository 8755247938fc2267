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
            self.update_oldest_tail(new_tail, destroy);
        }
        n
    }

    /// Moves the oldest tail to `tail`, calling `destroy` on each element passed.
    pub fn update_oldest_tail(&mut self, tail: u32, destroy: &mut dyn FnMut(&mut [u8])) {
        let el = self.element_len as usize;
        let len = self.buf.len();
        if tail as usize >= len {
            return;
        }
        while self.oldest_tail != tail {
            let off = self.oldest_tail as usize;
            destroy(&mut self.buf[off..off + el]);
            self.oldest_tail = ((off + el) % len) as u32;
        }
    }

    /// Releases every element still held (ring destruction).
    pub fn drain(&mut self, destroy: &mut dyn FnMut(&mut [u8])) {
        let head = self.head;
        self.update_oldest_tail(head, destroy);
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

    /// Advances the head over `bytes` written through `next_linear_insert_range`.
    pub fn bump_head(&mut self, bytes: usize) {
        self.head = ((self.head as usize + bytes) % self.buf.len()) as u32;
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
        r.update_oldest_tail(oldest, &mut |e: &mut [u8]| destroyed.push(e[0]));
        assert_eq!(destroyed, b"ab");
    }

    #[test]
    fn rejects_degenerate_sizes() {
        assert!(Ring::new(0, 8).is_none());
        assert!(Ring::new(8, 0).is_none());
        assert!(Ring::new(usize::MAX, 2).is_none());
    }
}

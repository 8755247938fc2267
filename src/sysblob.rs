//! The heap form of an `lws_system_blob`: data appended in segments and read back
//! as one linear run from any offset (lws keeps it in a buflist).
#![forbid(unsafe_code)]

/// Appended segments, in order.
#[derive(Default, Debug, Clone, PartialEq, Eq)]
pub struct HeapBlob {
    segments: Vec<Vec<u8>>,
}

impl HeapBlob {
    /// Appends one segment (an empty append adds nothing).
    pub fn append(&mut self, data: &[u8]) {
        if !data.is_empty() {
            self.segments.push(data.to_vec());
        }
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.segments.clear();
    }

    /// Total bytes held.
    pub fn len(&self) -> usize {
        self.segments.iter().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.segments.is_empty()
    }

    /// Copies up to `out.len()` bytes starting `ofs` bytes in; returns how many.
    pub fn copy_from(&self, mut ofs: usize, out: &mut [u8]) -> usize {
        let mut done = 0;
        for seg in &self.segments {
            if done == out.len() {
                break;
            }
            if ofs >= seg.len() {
                ofs -= seg.len();
                continue;
            }
            let n = (seg.len() - ofs).min(out.len() - done);
            out[done..done + n].copy_from_slice(&seg[ofs..ofs + n]);
            done += n;
            ofs = 0;
        }
        done
    }

    /// The whole content when it is one segment (so one pointer can show it).
    pub fn single(&self) -> Option<&[u8]> {
        match self.segments.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_read_back_linearly_from_any_offset() {
        let mut b = HeapBlob::default();
        assert!(b.is_empty() && b.single().is_none());
        b.append(b"hello ");
        assert_eq!(b.single(), Some(&b"hello "[..]));
        b.append(b"");
        b.append(b"world");
        assert_eq!(b.len(), 11);
        assert!(b.single().is_none());
        let mut out = [0u8; 8];
        assert_eq!(b.copy_from(3, &mut out), 8);
        assert_eq!(&out, b"lo world");
        assert_eq!(b.copy_from(9, &mut out), 2);
        assert_eq!(b.copy_from(11, &mut out), 0);
        b.clear();
        assert_eq!(b.len(), 0);
    }
}

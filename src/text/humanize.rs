//! `lws_humanize`: a number in the largest unit of a schema that it reaches
//! ("1.000Ki", "14.350min").
#![forbid(unsafe_code)]

use std::ffi::CStr;

/// One row of a schema (`lws_humanize_unit_t`).
#[derive(Clone, Copy, Debug)]
pub struct Unit<'a> {
    pub name: &'a CStr,
    pub factor: u64,
}

/// lws's `humanize_schema_si`.
pub const SI: [Unit<'static>; 6] = [
    Unit {
        name: c"Pi",
        factor: 1 << 50,
    },
    Unit {
        name: c"Ti",
        factor: 1 << 40,
    },
    Unit {
        name: c"Gi",
        factor: 1 << 30,
    },
    Unit {
        name: c"Mi",
        factor: 1 << 20,
    },
    Unit {
        name: c"Ki",
        factor: 1 << 10,
    },
    Unit {
        name: c"",
        factor: 1,
    },
];
/// lws's `humanize_schema_si_bytes`.
pub const SI_BYTES: [Unit<'static>; 6] = [
    Unit {
        name: c"PiB",
        factor: 1 << 50,
    },
    Unit {
        name: c"TiB",
        factor: 1 << 40,
    },
    Unit {
        name: c"GiB",
        factor: 1 << 30,
    },
    Unit {
        name: c"MiB",
        factor: 1 << 20,
    },
    Unit {
        name: c"KiB",
        factor: 1 << 10,
    },
    Unit {
        name: c"B",
        factor: 1,
    },
];
const US_PER_SEC: u64 = 1_000_000;
/// lws's `humanize_schema_us` (a count of microseconds).
pub const US: [Unit<'static>; 7] = [
    Unit {
        name: c"y",
        factor: 365 * 24 * 3600 * US_PER_SEC,
    },
    Unit {
        name: c"d",
        factor: 24 * 3600 * US_PER_SEC,
    },
    Unit {
        name: c"hr",
        factor: 3600 * US_PER_SEC,
    },
    Unit {
        name: c"min",
        factor: 60 * US_PER_SEC,
    },
    Unit {
        name: c"s",
        factor: US_PER_SEC,
    },
    Unit {
        name: c"ms",
        factor: 1000,
    },
    Unit {
        name: c"μs",
        factor: 1,
    },
];

/// lws's decimal writer: the low `chars` digits of `v` (with `leading`
/// zeros, exactly `chars` of them).
fn decimal(out: &mut Vec<u8>, v: u64, chars: usize, leading: bool) {
    let (mut q, mut n) = (1u64, 1usize);
    while (leading || v > q * 10 - 1) && n < 20 && n < chars {
        q *= 10;
        n += 1;
    }
    for _ in 0..n {
        out.push(b'0' + ((v / q) % 10) as u8);
        q /= 10;
    }
}

/// Writes the humanized `v` into `out` (a C buffer) and returns lws's
/// result, the text length. The first row whose factor `v` reaches (or whose
/// factor is 1) is used: with factor 1 the plain number, else
/// "int.frac" with three fraction digits. Rows with factor 0 are skipped (lws
/// divides by it); a value no row covers gives lws's "unknown value" and 0.
/// Output is cut to fit `out` with its NUL (lws writes the digits regardless).
pub fn humanize(out: &mut [u8], v: u64, schema: &[Unit<'_>]) -> i32 {
    let Some(unit) = schema
        .iter()
        .find(|u| u.factor != 0 && (v >= u.factor || u.factor == 1))
    else {
        let text = b"unknown value";
        for (i, b) in out.iter_mut().enumerate() {
            *b = text.get(i).copied().unwrap_or(0);
        }
        return 0;
    };
    let mut digits = Vec::with_capacity(8);
    if unit.factor == 1 {
        decimal(&mut digits, v, 4, false);
    } else {
        decimal(&mut digits, v / unit.factor, 4, false);
        digits.push(b'.');
        decimal(
            &mut digits,
            (v % unit.factor) / (unit.factor / 1000).max(1),
            3,
            true,
        );
    }
    if out.is_empty() {
        return 0;
    }
    let n = digits.len().min(out.len() - 1);
    out[..n].copy_from_slice(&digits[..n]);
    if n < digits.len() {
        out[n] = 0;
        return i32::try_from(n).unwrap_or(0);
    }
    let total = n + super::snprintf_at(out, n, unit.name.to_bytes());
    i32::try_from(total).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(v: u64, schema: &[Unit<'_>], size: usize) -> (i32, String) {
        let mut out = vec![b'#'; size];
        let n = humanize(&mut out, v, schema);
        let end = out.iter().position(|&b| b == 0).unwrap_or(out.len());
        (n, String::from_utf8_lossy(&out[..end]).into_owned())
    }

    #[test]
    fn si_values_as_in_lws_api_test() {
        assert_eq!(h(0, &SI, 24), (1, "0".into()));
        assert_eq!(h(2, &SI, 24), (1, "2".into()));
        assert_eq!(h(999, &SI, 24), (3, "999".into()));
        assert_eq!(h(1000, &SI, 24), (4, "1000".into()));
        assert_eq!(h(1024, &SI, 24), (7, "1.000Ki".into()));
        // Factors under 1000*1000 divide by factor / 1000 = 1: the "fraction" is the remainder.
        assert_eq!(h(1536, &SI_BYTES, 24), (8, "1.512KiB".into()));
        assert_eq!(h(1023, &SI_BYTES, 24), (5, "1023B".into()));
        assert_eq!(
            h(u64::MAX, &SI, 24),
            (10, "6383.000Pi".into()),
            "four integer digits at most; the fraction wraps"
        );
    }

    #[test]
    fn microseconds_become_times() {
        assert_eq!(h(90 * 1_000_000, &US, 24), (8, "1.500min".into()));
        assert_eq!(h(1500, &US, 24), (7, "1.500ms".into()));
        assert_eq!(h(12, &US, 24), (5, "12μs".into()));
        assert_eq!(h(36 * 3600 * 1_000_000, &US, 24), (6, "1.500d".into()));
    }

    #[test]
    fn output_is_cut_to_the_buffer() {
        assert_eq!(
            h(1024, &SI, 7),
            (7, "1.000K".into()),
            "lws_snprintf returns the room"
        );
        assert_eq!(h(1024, &SI, 4), (3, "1.0".into()));
        assert_eq!(h(1024, &SI, 0), (0, "".into()));
    }

    #[test]
    fn values_no_row_covers_are_unknown() {
        let schema = [Unit {
            name: c"K",
            factor: 1000,
        }];
        assert_eq!(h(5, &schema, 24), (0, "unknown value".into()));
        assert_eq!(h(5000, &schema, 24), (6, "5.000K".into()));
    }
}

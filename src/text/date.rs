//! RFC 7231 dates ("Tue, 15 Nov 1994 08:12:31 GMT") as lws 4.3.3 renders and
//! parses them, with our own UTC calendar arithmetic (no libc `gmtime`).
#![forbid(unsafe_code)]

/// lws's name table: months, then weekdays starting at Monday.
const NAMES: &[u8; 57] = b"JanFebMarAprMayJunJulAugSepOctNovDecMonTueWedThuFriSatSun";

/// Days since 1970-01-01 of a proleptic Gregorian date (`month` 1..=12).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month 1..=12, day) of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// `lws_http_date_render_from_unix`: the text lws writes for `t` into a buffer
/// of `len` bytes (cut to fit, NUL included), or `None` when `len < 29` or the
/// year does not fit a C `struct tm`.
///
/// lws 4.3.3 indexes its Monday-first weekday names with `tm_wday` (0 is
/// Sunday), so the day name it prints is the next day's ("Wed" for a
/// Tuesday); we print the same, since programs and lws's own api-test
/// compare against it.
pub fn render(t: i64, len: usize) -> Option<Vec<u8>> {
    if len < 29 {
        return None;
    }
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    i32::try_from(year - 1900).ok()?;
    let wday = (days + 4).rem_euclid(7) as usize;
    let name = |at: usize| String::from_utf8_lossy(&NAMES[at..at + 3]).into_owned();
    let text = format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
        name(36 + 3 * wday),
        day,
        name(3 * (month as usize - 1)),
        year,
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    );
    let mut out = vec![0u8; len];
    let n = super::snprintf_at(&mut out, 0, text.as_bytes()).min(len - 1);
    out.truncate(n + 1);
    Some(out)
}

/// `lws_http_date_parse_unix`: the unix time of an RFC 7231 date in the first
/// 29 bytes of `b`, or `None`. The weekday must be a day name but is not
/// checked against the date; out-of-range days roll over (31 Feb is 3 Mar) as
/// with `timegm`. (lws then reports a time of -1, as a C `int`, as failure.)
pub fn parse(b: &[u8]) -> Option<i64> {
    if b.len() < 29 {
        return None;
    }
    let b = &b[..29];
    let fixed = [
        (3, b','),
        (4, b' '),
        (7, b' '),
        (11, b' '),
        (16, b' '),
        (19, b':'),
        (22, b':'),
        (25, b' '),
        (26, b'G'),
        (27, b'M'),
        (28, b'T'),
    ];
    if fixed.iter().any(|&(i, c)| b[i] != c) {
        return None;
    }
    NAMES[36..].chunks(3).position(|n| n == &b[0..3])?;
    let month = NAMES[..36].chunks(3).position(|n| n == &b[8..11])?;
    let mday = super::atoi(&b[5..]);
    let year = super::atoi(&b[12..]);
    let hour = super::atoi(&b[17..]);
    let min = super::atoi(&b[20..]);
    let sec = super::atoi(&b[23..]);
    if year < 1900
        || !(0..=23).contains(&hour)
        || !(0..=60).contains(&min)
        || !(0..=61).contains(&sec)
    {
        return None;
    }
    let days = days_from_civil(i64::from(year), month as i64 + 1, 1) + i64::from(mday) - 1;
    Some(days * 86_400 + i64::from(hour) * 3600 + i64::from(min) * 60 + i64::from(sec))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(t: i64, len: usize) -> Option<String> {
        let v = render(t, len)?;
        assert_eq!(v.last(), Some(&0));
        Some(String::from_utf8_lossy(&v[..v.len() - 1]).into_owned())
    }

    #[test]
    fn renders_as_lws_with_its_weekday_shift() {
        // 784887151 is Tuesday 15 Nov 1994; lws names it "Wed".
        assert_eq!(
            r(784_887_151, 30).as_deref(),
            Some("Wed, 15 Nov 1994 08:12:31 GMT")
        );
        assert_eq!(r(0, 64).as_deref(), Some("Fri, 01 Jan 1970 00:00:00 GMT"));
        assert_eq!(r(-1, 64).as_deref(), Some("Thu, 31 Dec 1969 23:59:59 GMT"));
        assert_eq!(
            r(253_402_300_800, 64).as_deref(),
            Some("Sun, 01 Jan 10000 00:00:00 GMT")
        );
        assert_eq!(
            r(951_782_400, 64).as_deref(),
            Some("Wed, 29 Feb 2000 00:00:00 GMT")
        );
    }

    #[test]
    fn rendering_needs_29_bytes_and_cuts_the_nul_in() {
        assert_eq!(
            r(784_887_151, 29).as_deref(),
            Some("Wed, 15 Nov 1994 08:12:31 GM")
        );
        assert_eq!(r(784_887_151, 28), None);
        assert_eq!(r(i64::MAX, 64), None, "year beyond struct tm");
    }

    #[test]
    fn parses_rfc_7231_dates() {
        let p = |s: &str| parse(s.as_bytes());
        assert_eq!(p("Tue, 15 Nov 1994 08:12:31 GMT"), Some(784_887_151));
        assert_eq!(
            p("Sun, 15 Nov 1994 08:12:31 GMT"),
            Some(784_887_151),
            "weekday unchecked"
        );
        assert_eq!(p("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            p("Tue, 31 Feb 1994 08:12:31 GMT"),
            Some(762_682_351),
            "rolls over"
        );
        assert_eq!(
            p("Tue, 15 Nov 1994 23:59:61 GMT"),
            Some(784_944_001),
            "leap seconds roll"
        );
        assert_eq!(p("Tue, +5 Nov 1994 08:12:31 GMT"), Some(784_023_151));
        assert_eq!(p("Tue,  5 Nov 1994 08:12:31 GMT"), Some(784_023_151));
        assert_eq!(
            p("Tue, 15 Nov 1994 08:12:31 GMT trailing"),
            Some(784_887_151)
        );
    }

    #[test]
    fn rejects_what_lws_rejects() {
        let p = |s: &str| parse(s.as_bytes());
        assert_eq!(
            p("Wed, 31 Dec 1969 23:59:59 GMT"),
            Some(-1),
            "the caller treats -1 as failure"
        );
        assert_eq!(p("Xyz, 15 Nov 1994 08:12:31 GMT"), None);
        assert_eq!(p("Tue, 15 Noo 1994 08:12:31 GMT"), None);
        assert_eq!(p("Tue, 15 Nov 1994 24:12:31 GMT"), None);
        assert_eq!(p("Tue, 15 Nov 1994 08:61:31 GMT"), None);
        assert_eq!(p("Tue, 15 Nov 1994 08:12:62 GMT"), None);
        assert_eq!(p("Tue, 15 Nov 1899 08:12:31 GMT"), None);
        assert_eq!(p("Tue, 15 Nov 1994 08:12:31 UTC"), None);
        assert_eq!(p("Tue, 15 Nov 1994 08:12:31 GM"), None, "short");
        assert_eq!(p("Tue 15 Nov 1994 08:12:31 GMT "), None);
    }
}

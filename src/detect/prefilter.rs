//! The prefilter of the pattern pass: find the few places in a text where a
//! pattern can match at all. Every pattern detector needs a digit or an `@`,
//! so one table-driven scan over the bytes finds the anchors, and only a
//! window of text around each cluster of anchors goes to the regexes. Prose
//! with sparse personal data is mostly skipped at memory speed.

use std::ops::Range;

/// Anchors closer than this are one cluster (an IBAN's groups, a date with
/// the longest month name: "1 september 1980").
const GAP: usize = 12;
/// Text kept before and after a digit cluster, before snapping to white
/// space: enough for the letters of a month name ("1 september 1980").
const LEFT: usize = 2;
const RIGHT: usize = 16;
/// Text kept around an `@`: a local part and a domain.
const MAIL_LEFT: usize = 64;
const MAIL_RIGHT: usize = 256;
/// How far a window edge may move to reach white space.
const SNAP: usize = 48;

static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = b'0';
    while b <= b'9' {
        t[b as usize] = 1;
        b += 1;
    }
    t[b'@' as usize] = 2;
    t
};

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// True when one of the eight bytes of `w` is an ASCII digit or `@`
/// (SWAR: "has a byte less than 10" after xor with '0', "has a zero byte"
/// after xor with '@'). Exact, no false positives.
#[inline(always)]
fn has_anchor(w: u64) -> bool {
    let d = w ^ (LO * 0x30);
    let digit = d.wrapping_sub(LO * 10) & !d & HI;
    let a = w ^ (LO * 0x40);
    let at = a.wrapping_sub(LO) & !a & HI;
    (digit | at) != 0
}

/// Position of the next anchor byte at or after `from`.
#[inline]
fn next_anchor(b: &[u8], mut from: usize) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    {
        if let Some(p) = sse2::next_anchor(b, from) {
            return Some(p);
        }
        // Fewer than 16 bytes were left: finish with the scalar loop.
        from = from.max(b.len().saturating_sub(15));
    }
    // Eight bytes at a time: the common case is a run with no anchor.
    while from + 8 <= b.len() {
        let w = u64::from_le_bytes(b[from..from + 8].try_into().unwrap_or([0; 8]));
        if has_anchor(w) {
            break;
        }
        from += 8;
    }
    b[from..]
        .iter()
        .position(|&x| CLASS[x as usize] != 0)
        .map(|p| from + p)
}

/// Sixteen bytes at a time with SSE2, which every x86-64 processor has.
#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::*;

    /// The first anchor at or after `from` among the full 16-byte blocks;
    /// `None` when there is none there (the caller scans the tail).
    #[inline]
    pub fn next_anchor(b: &[u8], mut from: usize) -> Option<usize> {
        // SAFETY: SSE2 is part of the x86-64 baseline; every load reads
        // 16 bytes inside `b` (from + 16 <= b.len()), unaligned loads allowed.
        unsafe {
            let zero = _mm_set1_epi8(b'0' as i8);
            let nine = _mm_set1_epi8(9);
            let at = _mm_set1_epi8(b'@' as i8);
            while from + 16 <= b.len() {
                let v = _mm_loadu_si128(b.as_ptr().add(from) as *const __m128i);
                let d = _mm_sub_epi8(v, zero);
                let digit = _mm_cmpeq_epi8(_mm_min_epu8(d, nine), d);
                let mail = _mm_cmpeq_epi8(v, at);
                let mask = _mm_movemask_epi8(_mm_or_si128(digit, mail)) as u32;
                if mask != 0 {
                    return Some(from + mask.trailing_zeros() as usize);
                }
                from += 16;
            }
        }
        None
    }
}

fn snap_left(text: &str, mut at: usize) -> usize {
    let b = text.as_bytes();
    let floor = at.saturating_sub(SNAP);
    while at > floor && !b[at - 1].is_ascii_whitespace() {
        at -= 1;
    }
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn snap_right(text: &str, mut at: usize) -> usize {
    let b = text.as_bytes();
    let ceil = (at + SNAP).min(b.len());
    while at < ceil && !b[at].is_ascii_whitespace() {
        at += 1;
    }
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// A cluster of fewer than four digits with no letter, hyphen, slash or
/// dot touching it ("12 weken", "op 3 mei"): no pattern can match there.
/// Every pattern in `patterns/detectors.toml` either needs four digits or
/// has a letter or separator right next to its digits (plates, ID numbers),
/// except a free-form IBAN's check digits after its country code and a
/// space ("ES 58 0049 ..."), which are kept.
fn trivial_number(b: &[u8], first: usize, last: usize) -> bool {
    if first >= 3
        && b[first - 1] == b' '
        && b[first - 2].is_ascii_uppercase()
        && b[first - 3].is_ascii_uppercase()
    {
        return false;
    }
    let digits = b[first..=last]
        .iter()
        .filter(|c| c.is_ascii_digit())
        .count();
    if digits >= 4 {
        return false;
    }
    let joins =
        |c: u8| c.is_ascii_alphabetic() || matches!(c, b'-' | b'/' | b'.' | b'(' | b')' | b'+');
    // Every digit of the cluster, not only its ends: in "12-XGT-4 staat"
    // the digit groups are joined to letters inside the cluster.
    !(first..=last).any(|d| {
        b[d].is_ascii_digit()
            && (d.checked_sub(1).is_some_and(|i| joins(b[i]))
                || b.get(d + 1).copied().is_some_and(joins))
    })
}

/// The windows of `text` the regexes must look at, in order, not overlapping.
pub fn windows(text: &str, out: &mut Vec<Range<usize>>) {
    out.clear();
    let b = text.as_bytes();
    let mut pos = 0;
    while let Some(first) = next_anchor(b, pos) {
        let mut last = first;
        let mut mail = CLASS[b[first] as usize] == 2;
        while let Some(n) = next_anchor(b, last + 1) {
            if n - last > GAP {
                break;
            }
            mail |= CLASS[b[n] as usize] == 2;
            last = n;
        }
        if !mail && trivial_number(b, first, last) {
            pos = last + 1;
            continue;
        }
        let (left, right) = if mail {
            (MAIL_LEFT, MAIL_RIGHT)
        } else {
            (LEFT, RIGHT)
        };
        let start = snap_left(text, first.saturating_sub(left));
        let end = snap_right(text, (last + 1 + right).min(b.len()));
        match out.last_mut() {
            Some(prev) if start <= prev.end => prev.end = prev.end.max(end),
            _ => out.push(start..end),
        }
        pos = last + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_joined_inside_a_cluster_keep_their_window() {
        let mut w = Vec::new();
        for t in ["kenteken 12-XGT-4 staat", "kenteken 1-XGT-42 staat"] {
            windows(t, &mut w);
            assert_eq!(w.len(), 1, "{t}");
        }
        windows("op 3 mei om 12 uur", &mut w);
        assert!(w.is_empty());
    }

    #[test]
    fn no_anchor_no_window() {
        let mut w = Vec::new();
        windows("geen cijfers hier, alleen woorden", &mut w);
        assert!(w.is_empty());
    }

    #[test]
    fn windows_cover_tokens_and_merge() {
        let text = format!(
            "{} IBAN NL91 ABNA 0417 1643 00 en mail jan@example.nl {}",
            "x".repeat(300),
            "y".repeat(300)
        );
        let mut w = Vec::new();
        windows(&text, &mut w);
        assert_eq!(w.len(), 1, "{w:?}");
        let sub = &text[w[0].clone()];
        assert!(
            sub.contains("NL91 ABNA 0417 1643 00") && sub.contains("jan@example.nl"),
            "{sub}"
        );
    }

    #[test]
    fn swar_agrees_with_the_table() {
        for b in 0..=255u8 {
            for pos in 0..8 {
                let mut bytes = [b'x'; 8];
                bytes[pos] = b;
                assert_eq!(
                    has_anchor(u64::from_le_bytes(bytes)),
                    CLASS[b as usize] != 0,
                    "byte {b} at {pos}"
                );
            }
        }
        let mut bytes = [0xFFu8; 8];
        bytes[3] = b'7';
        assert!(has_anchor(u64::from_le_bytes(bytes)));
        assert!(!has_anchor(u64::from_le_bytes([
            0x2F, 0x3A, 0x3F, 0x41, 0xB0, 0xC0, 0x00, 0x80
        ])));
    }

    #[test]
    fn next_anchor_finds_every_anchor_at_every_offset() {
        for len in 0..70 {
            for pos in 0..len {
                for &a in b"0@9" {
                    let mut v = vec![b'x'; len];
                    v[pos] = a;
                    for from in 0..=pos {
                        assert_eq!(
                            next_anchor(&v, from),
                            Some(pos),
                            "len {len} pos {pos} from {from}"
                        );
                    }
                    assert_eq!(next_anchor(&v, pos + 1), None);
                }
            }
        }
        let mut v = vec![0xC3u8; 40];
        v[33] = b'5';
        assert_eq!(next_anchor(&v, 0), Some(33));
    }

    #[test]
    fn short_plain_numbers_are_skipped() {
        let mut w = Vec::new();
        windows("het duurde 12 weken en 3 dagen", &mut w);
        assert!(w.is_empty());
        windows("kenteken S-519-VK gezien", &mut w);
        assert_eq!(w.len(), 1);
        windows("paspoort GHQ653YX7", &mut w);
        assert_eq!(w.len(), 1);
        let t = "Geboortedatum: 11 september 1942";
        windows(t, &mut w);
        assert!(t[w[0].clone()].ends_with("11 september 1942"));
    }

    #[test]
    fn windows_on_char_boundaries() {
        let text = "é".repeat(100) + "1" + &"ü".repeat(100);
        let mut w = Vec::new();
        windows(&text, &mut w);
        for r in w {
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        }
    }
}

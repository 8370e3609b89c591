//! The prefilter of the pattern pass: find the few places in a text where a
//! pattern can match at all. Every pattern detector needs a digit or an `@`,
//! so one table-driven scan over the bytes finds the anchors, and only a
//! window of text around each cluster of anchors goes to the regexes. Prose
//! with sparse personal data is mostly skipped at memory speed.

use std::ops::Range;

/// Anchors closer than this are one cluster (an IBAN's groups, "1 april 1980").
const GAP: usize = 8;
/// Text kept on each side of a digit cluster (letters before an IBAN or an ID number).
const MARGIN: usize = 40;
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

/// Position of the next anchor byte at or after `from`.
#[inline]
fn next_anchor(b: &[u8], mut from: usize) -> Option<usize> {
    // Eight bytes at a time: the common case is a run with no anchor.
    while from + 8 <= b.len() {
        let c = &b[from..from + 8];
        if (CLASS[c[0] as usize]
            | CLASS[c[1] as usize]
            | CLASS[c[2] as usize]
            | CLASS[c[3] as usize]
            | CLASS[c[4] as usize]
            | CLASS[c[5] as usize]
            | CLASS[c[6] as usize]
            | CLASS[c[7] as usize])
            != 0
        {
            break;
        }
        from += 8;
    }
    b[from..]
        .iter()
        .position(|&x| CLASS[x as usize] != 0)
        .map(|p| from + p)
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
        let (left, right) = if mail {
            (MAIL_LEFT, MAIL_RIGHT)
        } else {
            (MARGIN, MARGIN)
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
    fn windows_on_char_boundaries() {
        let text = "é".repeat(100) + "1" + &"ü".repeat(100);
        let mut w = Vec::new();
        windows(&text, &mut w);
        for r in w {
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        }
    }
}

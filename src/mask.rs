//! Masking of values for output: personal data is never printed unless the
//! user passed `--reveal`. A masked value keeps its shape (separators, length)
//! and a few characters that help a person recognise it, never enough to
//! recover it.

use crate::kind::{Kind, MaskShape};

/// Mask `value` of kind `kind`, in the kind's [`MaskShape`].
pub fn mask(kind: Kind, value: &str) -> String {
    let alnum = value.chars().filter(|c| c.is_alphanumeric()).count();
    // How many leading and trailing alphanumerics stay visible.
    let (head, tail) = match kind.facts().mask {
        MaskShape::Iban => return mask_iban(value),
        MaskShape::Email => return mask_email(value),
        MaskShape::Words => return mask_words(value),
        MaskShape::Keep { head, tail } => (head, tail),
    };
    let (head, tail) = if head + tail >= alnum {
        (0, 0)
    } else {
        (head, tail)
    };
    let mut seen = 0;
    value
        .chars()
        .map(|c| {
            if !c.is_alphanumeric() {
                return c;
            }
            seen += 1;
            if seen <= head || seen > alnum - tail {
                c
            } else {
                '*'
            }
        })
        .collect()
}

/// Country, check digits and the last four, as in the SPEC: "NL91 **** **** **** 4300".
fn mask_iban(value: &str) -> String {
    let compact: Vec<char> = value
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if compact.len() < 12 {
        return "*".repeat(value.chars().count());
    }
    let head: String = compact[..4].iter().collect();
    let tail: String = compact[compact.len() - 4..].iter().collect();
    format!("{head} **** **** **** {tail}")
}

/// Every word keeps its first letter: "Jan de Vries" -> "J** d* V****".
fn mask_words(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut start = true;
    for c in value.chars() {
        if c.is_alphanumeric() {
            out.push(if start && c.is_alphabetic() { c } else { '*' });
            start = false;
        } else {
            out.push(c);
            start = true;
        }
    }
    out
}

/// "jan.devries@example.nl" -> "j*********@e******.nl"
fn mask_email(value: &str) -> String {
    let Some((local, domain)) = value.rsplit_once('@') else {
        return "*".repeat(value.chars().count());
    };
    let star = |s: &str| -> String {
        s.chars()
            .enumerate()
            .map(|(i, c)| if i == 0 { c } else { '*' })
            .collect()
    };
    let (host, tld) = domain.rsplit_once('.').unwrap_or((domain, ""));
    let host_masked: Vec<String> = host.split('.').map(star).collect();
    format!("{}@{}.{}", star(local), host_masked.join("."), tld)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_like_the_spec() {
        assert_eq!(
            mask(Kind::Iban, "NL91 ABNA 0417 1643 00"),
            "NL91 **** **** **** 4300"
        );
    }

    #[test]
    fn masks_hide_most() {
        assert_eq!(
            mask(Kind::Iban, "nl91abna0417164300"),
            "NL91 **** **** **** 4300"
        );
        assert_eq!(mask(Kind::Bsn, "123 456 782"), "*** *** *82");
        assert_eq!(mask(Kind::Phone, "06-12345678"), "**-******78");
        assert_eq!(
            mask(Kind::Email, "jan.devries@example.nl"),
            "j**********@e******.nl"
        );
        assert_eq!(mask(Kind::Name, "Jan de Vries"), "J** d* V****");
        assert_eq!(mask(Kind::BirthDate, "01-04-1980"), "**-**-****");
        assert_eq!(mask(Kind::Postcode, "7411 AB"), "74** **");
    }
}

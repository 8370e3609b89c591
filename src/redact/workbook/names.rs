//! Sheet names and cell references, as both workbook redactors write them:
//! the in-place XLSX redactor ([`super::xlsx`]) and the conversion to XLSX
//! ([`super::convert`]).

use std::collections::HashSet;

/// `B7` → (row 6, column 1), 0-based.
pub fn parse_ref(r: &str) -> Option<(u32, u32)> {
    let r = r.trim();
    let split = r.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = r.split_at(split);
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let mut col: u32 = 0;
    for c in letters.chars() {
        if !c.is_ascii_alphabetic() {
            return None;
        }
        col = col * 26 + (c.to_ascii_uppercase() as u32 - 'A' as u32 + 1);
    }
    let row: u32 = digits.parse().ok()?;
    (row >= 1).then(|| (row - 1, col - 1))
}

/// Whether Excel takes `name` as a sheet name as it is.
pub fn valid_sheet_name(name: &str) -> bool {
    let n = name.chars().count();
    (1..=31).contains(&n)
        && !name.contains(['[', ']', ':', '*', '?', '/', '\\'])
        && !name.starts_with('\'')
        && !name.ends_with('\'')
        && !name.eq_ignore_ascii_case("history")
}

/// A sheet name with the replacement made valid for Excel: no `[]:*?/\`,
/// no apostrophe at either end, not `History`, at most 31 characters,
/// unique in the workbook.
pub fn sheet_name(new: &str, taken: &mut HashSet<String>) -> String {
    let clean: String = new
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .collect::<String>()
        .trim_matches(|c: char| c.is_whitespace() || c == '\'')
        .chars()
        .take(28)
        .collect::<String>()
        .trim_end_matches(|c: char| c.is_whitespace() || c == '\'')
        .to_string();
    let clean = if clean.is_empty() {
        "Blad".to_string()
    } else {
        clean
    };
    let mut name = clean.clone();
    let mut n = 2;
    while taken.contains(&name.to_lowercase()) || name.eq_ignore_ascii_case("history") {
        name = format!("{clean} {n}");
        n += 1;
    }
    taken.insert(name.to_lowercase());
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_stay_valid() {
        let mut taken: HashSet<String> = ["blad1".to_string()].into_iter().collect();
        assert_eq!(sheet_name("[naam]", &mut taken), "naam");
        assert_eq!(sheet_name("[naam]", &mut taken), "naam 2");
        assert_eq!(sheet_name("[]", &mut taken), "Blad");
        assert_eq!(sheet_name("'x'", &mut taken), "x");
        assert_eq!(sheet_name("History", &mut taken), "History 2");
        assert_eq!(
            sheet_name("[Overzicht] van alle huurders in 2024", &mut taken),
            "Overzicht van alle huurders"
        );
    }

    #[test]
    fn sheet_names_excel_takes() {
        assert!(valid_sheet_name("Huurders 2024"));
        assert!(!valid_sheet_name(""));
        assert!(!valid_sheet_name("a/b"));
        assert!(!valid_sheet_name("'quoted'"));
        assert!(!valid_sheet_name("History"));
        assert!(!valid_sheet_name(&"x".repeat(32)));
        assert!(valid_sheet_name(&"é".repeat(31)));
    }
}

//! Cells of a name column: a header that names the column ("Geslachtsnaam",
//! `01.02.40`) is the evidence, and a cell that has the shape of a name is a
//! pass. Names have no validator and no chance rate: a name column needs its
//! header (see `patterns/columns.toml`), and its cells are values even when
//! the name detector, which wants context or a known first name, finds no
//! name in them ("Kuiper" alone under `01.02.40`).

use crate::detect::names::collapse_ws;
use crate::detect::names::lexicon::{Lexicon, COMPANY, LABEL, RELATION, SALUTATION, TITLE};
use crate::detect::Finding;
use crate::kind::Kind;

/// Longest cell read as a name, in characters.
const MAX_CHARS: usize = 60;
/// Most words in a cell read as a name ("Jan Pieter Maria van der Berg").
const MAX_WORDS: usize = 7;

/// Whether `cell` has the shape of a (part of a) person's name: letters,
/// apostrophes, hyphens and dots only, at most [`MAX_WORDS`] words, one of
/// them capitalised, no word that marks an organisation ("B.V.",
/// "Bouwbedrijf"), and not a role word alone ("Huurder", "Buurman").
pub fn name_shaped(cell: &str) -> bool {
    let t = cell.trim();
    if t.is_empty() || t.chars().count() > MAX_CHARS {
        return false;
    }
    if !t
        .chars()
        .all(|c| c.is_alphabetic() || c.is_whitespace() || matches!(c, '\'' | '’' | '-' | '.'))
    {
        return false;
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    if words.len() > MAX_WORDS || !words.iter().any(|w| w.starts_with(char::is_uppercase)) {
        return false;
    }
    let lex = Lexicon::get();
    let mut buf = String::new();
    // A role on its own ("Huurder", "Buurman", "Mevrouw") stands in for a name.
    if let [w] = words.as_slice() {
        if lex.flags(w, &mut buf) & (RELATION | LABEL | TITLE | SALUTATION) != 0 {
            return false;
        }
    }
    !words.iter().any(|w| {
        // (the lexicon keeps "b.v." as "b.v")
        lex.flags(w.trim_end_matches('.'), &mut buf) & COMPANY != 0
            || lex.is_company_compound(&w.to_lowercase())
    })
}

/// A name finding over the whole trimmed `cell` (at confidence 0: only a
/// column verdict makes it count).
pub fn cell_name(cell: &str) -> Finding {
    let start = cell.len() - cell.trim_start().len();
    let end = cell.trim_end().len();
    Finding {
        kind: Kind::Name,
        start,
        end,
        confidence: 0.0,
        norm: collapse_ws(&cell[start..end]),
        rule: super::RULE,
        roster: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_not_names() {
        for n in [
            "Kuiper",
            "de Vries",
            "El Amrani",
            "Jan Pieter",
            "O'Neill",
            "Smit-Visser",
            "J.P.",
        ] {
            assert!(name_shaped(n), "{n}");
        }
        for n in [
            "",
            "kuiper",
            "123",
            "Bakkerij Smit B.V.",
            "Kuiper Bouwbedrijf",
            "p@x.nl",
            "Een Heel Lange Reeks Van Veel Te Veel Woorden Hier",
        ] {
            assert!(!name_shaped(n), "{n}");
        }
    }

    #[test]
    fn the_finding_spans_the_trimmed_cell() {
        let f = cell_name("  de  Vries ");
        assert_eq!((f.start, f.end, f.norm.as_str()), (2, 11, "de Vries"));
    }
}

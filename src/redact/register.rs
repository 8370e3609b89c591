//! The pseudonym register: which third party is `[persoon 1]`, `[persoon 2]`...
//! in a whole run. Name mentions are grouped by name variants
//! ([`name_key`]/[`same_person`]: "Jan de Vries" = "J. de Vries" = "Vries, J. de";
//! a lone "Jan" joins the first person with that given name); an e-mail
//! address or phone number written right after a name belongs to that person,
//! and the same address or number is the same person everywhere. Other values
//! are numbered per kind and value (`[BSN 1]`). Numbers follow the order of
//! first mention in the walk, so runs are deterministic.

use super::Mention;
use crate::attribute::{name_key, same_person, NameKey};
use crate::kind::Kind;
use std::collections::HashMap;

#[derive(Debug, Default)]
/// The pseudonym register of a run: person numbers of third parties and numbers of other values.
pub struct Register {
    /// Every name variant seen, with its person number (1-based).
    names: Vec<(NameKey, usize)>,
    /// (kind, normalized value) of e-mail and phone linked to a person.
    linked: HashMap<(Kind, String), usize>,
    /// Other values: (kind, normalized value) to their number within the kind.
    values: HashMap<(Kind, String), usize>,
}

/// True when `gap` may stand between a name and its address or number
/// ("Jan de Vries <jan@x.nl>", "Jan de Vries (06-12345678)", "Jan, tel. 06...").
pub fn joins(gap: &str) -> bool {
    gap.len() <= 8
        && gap
            .trim_matches(|c: char| c.is_whitespace() || "<(:,-\"'".contains(c))
            .trim_end_matches('.')
            .chars()
            .all(|c| c.is_alphabetic())
        && gap.chars().filter(|c| c.is_alphabetic()).count() <= 4
}

impl Register {
    /// Build the register from the mentions of every file, in walk order.
    pub fn build(files: &[Vec<Mention>]) -> Self {
        let all: Vec<&Mention> = files.iter().flatten().collect();
        // 1. People from names: longest forms first so that "Jan" and "De Vries"
        //    join the full name rather than start a person of their own.
        let mut order: Vec<usize> = (0..all.len())
            .filter(|&i| all[i].kind == Kind::Name)
            .collect();
        let keys: HashMap<usize, NameKey> =
            order.iter().map(|&i| (i, name_key(&all[i].raw))).collect();
        order.sort_by_key(|&i| (std::cmp::Reverse(keys[&i].weight()), i));
        let mut people: Vec<(NameKey, usize)> = Vec::new(); // key, first mention
        let mut person_of: HashMap<usize, usize> = HashMap::new();
        for &i in &order {
            let key = &keys[&i];
            if key.is_empty() {
                continue;
            }
            let p = match people.iter().position(|(k, _)| same_person(key, k)) {
                Some(p) => {
                    people[p].1 = people[p].1.min(i);
                    p
                }
                None => {
                    people.push((key.clone(), i));
                    people.len() - 1
                }
            };
            person_of.insert(i, p);
        }
        // Number people by first mention.
        let mut by_first: Vec<usize> = (0..people.len()).collect();
        by_first.sort_by_key(|&p| people[p].1);
        let mut number = vec![0; people.len()];
        for (n, &p) in by_first.iter().enumerate() {
            number[p] = n + 1;
        }
        let mut reg = Register::default();
        for (&i, &p) in &person_of {
            reg.names.push((keys[&i].clone(), number[p]));
        }
        reg.names
            .sort_by_key(|(k, n)| (*n, std::cmp::Reverse(k.weight())));
        // 2. E-mail and phone right after a name in the same text.
        for (i, m) in all.iter().enumerate() {
            if !matches!(m.kind, Kind::Email | Kind::Phone) || !m.joined || i == 0 {
                continue;
            }
            let prev = all[i - 1];
            if prev.kind == Kind::Name && prev.segment == m.segment {
                if let Some(&p) = person_of.get(&(i - 1)) {
                    reg.linked
                        .entry((m.kind, m.norm.clone()))
                        .or_insert(number[p]);
                }
            }
        }
        // 3. Everything else by value.
        let mut counts: HashMap<Kind, usize> = HashMap::new();
        for m in &all {
            if m.kind == Kind::Name || reg.linked.contains_key(&(m.kind, m.norm.clone())) {
                continue;
            }
            let key = (m.kind, m.norm.clone());
            if let std::collections::hash_map::Entry::Vacant(v) = reg.values.entry(key) {
                let c = counts.entry(m.kind).or_default();
                *c += 1;
                v.insert(*c);
            }
        }
        reg
    }

    /// The pseudonym of a value, when the register knows it.
    pub fn pseudonym(&self, kind: Kind, norm: &str, raw: &str) -> Option<String> {
        let word = kind.facts().pseudonym;
        if kind == Kind::Name {
            let key = name_key(raw);
            return self
                .names
                .iter()
                .find(|(k, _)| *k == key)
                .or_else(|| self.names.iter().find(|(k, _)| same_person(&key, k)))
                .map(|(_, n)| format!("[{word} {n}]"));
        }
        if let Some(n) = self.linked.get(&(kind, norm.to_string())) {
            // The value of person n: "[e-mail persoon 1]".
            let person = Kind::Name.facts().pseudonym;
            return Some(format!("[{word} {person} {n}]"));
        }
        self.values
            .get(&(kind, norm.to_string()))
            .map(|n| format!("[{word} {n}]"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(kind: Kind, raw: &str, segment: usize, start: usize) -> Mention {
        Mention {
            kind,
            norm: raw.to_lowercase(),
            raw: raw.to_string(),
            segment,
            start,
            end: start + raw.len(),
            joined: kind != Kind::Name && start < 20,
        }
    }

    #[test]
    fn variants_of_one_person_share_a_number() {
        let files = vec![
            vec![
                m(Kind::Name, "Piet Jansen", 0, 0),
                m(Kind::Email, "piet@x.nl", 0, 13),
                m(Kind::Name, "Jan de Vries", 1, 0),
            ],
            vec![
                m(Kind::Name, "J. de Vries", 2, 0),
                m(Kind::Name, "VRIES, J. DE", 2, 20),
                m(Kind::Name, "Piet", 3, 0),
                m(Kind::Email, "piet@x.nl", 3, 40),
                m(Kind::Phone, "0612345678", 4, 0),
                m(Kind::Bsn, "123456782", 3, 60),
            ],
        ];
        let r = Register::build(&files);
        let p = |k, raw: &str| r.pseudonym(k, &raw.to_lowercase(), raw).unwrap();
        assert_eq!(p(Kind::Name, "Piet Jansen"), "[persoon 1]");
        assert_eq!(p(Kind::Name, "Piet"), "[persoon 1]");
        assert_eq!(p(Kind::Name, "Jan de Vries"), "[persoon 2]");
        assert_eq!(p(Kind::Name, "J. de Vries"), "[persoon 2]");
        assert_eq!(p(Kind::Name, "VRIES, J. DE"), "[persoon 2]");
        assert_eq!(p(Kind::Email, "piet@x.nl"), "[e-mail persoon 1]");
        assert_eq!(p(Kind::Bsn, "123456782"), "[BSN 1]");
        // not right after a name: numbered on its own
        assert_eq!(p(Kind::Phone, "0612345678"), "[telefoon 1]");
        assert!(joins(" <") && joins(", tel. ") && !joins(" woont naast "));
        assert!(r.pseudonym(Kind::Name, "", "Klaas Bakker").is_none());
    }
}

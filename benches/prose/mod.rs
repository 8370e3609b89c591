//! Generated Dutch prose for the name/address benchmark (shared with
//! `examples/names_speed.rs`). Built from the project's own word lists: ordinary
//! words from `patterns/names/not_names.txt`, a name every ~15 words and a
//! street address every ~60 words. Deterministic (fixed seed).

use zwartlak::patterns;

struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[self.next() % v.len()]
    }
}

fn list(s: &str) -> Vec<&str> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.contains(' '))
        .collect()
}

fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

pub fn prose(bytes: usize) -> String {
    let words = list(patterns::names::NOT_NAMES);
    let first = list(patterns::names::FAKER_FIRST);
    let last = list(patterns::names::FAKER_SURNAMES);
    let tv = ["van", "de", "van der", "van den", "ter", "in 't"];
    let titles = ["mevrouw", "de heer", "dhr.", "mevr."];
    let streets = ["straat", "laan", "weg", "plein", "singel", "hof"];
    let mut r = Lcg(42);
    let mut out = String::with_capacity(bytes + 256);
    while out.len() < bytes {
        let n = 8 + r.next() % 12;
        for k in 0..n {
            let w = r.pick(&words);
            if k == 0 {
                out.push_str(&capitalise(w));
            } else {
                out.push(' ');
                out.push_str(w);
            }
            match r.next() % 60 {
                0 => {
                    out.push(' ');
                    out.push_str(r.pick(&first));
                    out.push(' ');
                    out.push_str(tv[r.next() % tv.len()]);
                    out.push(' ');
                    out.push_str(r.pick(&last));
                }
                1 => {
                    out.push(' ');
                    out.push_str(titles[r.next() % titles.len()]);
                    out.push(' ');
                    out.push_str(r.pick(&last));
                }
                2 => {
                    let f = r.pick(&first);
                    let initial: String = f.chars().take(1).collect();
                    out.push_str(&format!(" {}. {}", initial, r.pick(&last)));
                }
                3 => {
                    out.push_str(&format!(
                        " {}{} {}",
                        r.pick(&last),
                        streets[r.next() % streets.len()],
                        1 + r.next() % 200
                    ));
                }
                _ => {}
            }
        }
        out.push_str(if r.next().is_multiple_of(5) {
            ".\n"
        } else {
            ". "
        });
    }
    out
}

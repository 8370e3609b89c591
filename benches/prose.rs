//! Deterministic generator of Dutch prose with sparse personal data, shared
//! by the benchmarks (`benches/scan.rs`) and `examples/gen_prose.rs` (which
//! writes the same text to a file for comparisons with other tools).

#![allow(dead_code)]

const WORDS: &[&str] = &[
    "de",
    "het",
    "een",
    "en",
    "van",
    "in",
    "is",
    "op",
    "te",
    "dat",
    "die",
    "voor",
    "met",
    "zijn",
    "niet",
    "aan",
    "er",
    "om",
    "ook",
    "als",
    "bij",
    "of",
    "maar",
    "nog",
    "uit",
    "wordt",
    "werd",
    "naar",
    "over",
    "tot",
    "door",
    "kan",
    "dan",
    "worden",
    "huurder",
    "woning",
    "verhuurder",
    "huur",
    "maand",
    "betaling",
    "afspraak",
    "melding",
    "overlast",
    "buren",
    "geluid",
    "reparatie",
    "lekkage",
    "keuken",
    "badkamer",
    "schimmel",
    "onderhoud",
    "contract",
    "gesprek",
    "brief",
    "bericht",
    "gemeente",
    "wijk",
    "straat",
    "portiek",
    "trappenhuis",
    "galerij",
    "tuin",
    "balkon",
    "schuur",
    "sleutel",
    "deur",
    "raam",
    "verwarming",
    "ketel",
    "monteur",
    "aannemer",
    "opzegging",
    "achterstand",
    "regeling",
    "termijn",
    "bedrag",
    "dossier",
    "notitie",
    "medewerker",
    "klacht",
    "verzoek",
    "inspectie",
    "oplevering",
    "borg",
    "servicekosten",
    "huurverhoging",
    "toeslag",
    "inkomen",
    "verklaring",
    "handtekening",
    "datum",
    "week",
    "dag",
    "ochtend",
    "middag",
    "avond",
    "later",
    "eerder",
    "vandaag",
    "morgen",
    "gisteren",
    "duidelijk",
    "vriendelijk",
    "graag",
    "helaas",
    "snel",
    "binnenkort",
    "opnieuw",
    "samen",
    "verder",
    "volgens",
    "ondanks",
    "omdat",
    "terwijl",
    "nadat",
    "zodat",
    "waardoor",
];

/// A small deterministic PRNG (xorshift), so every run makes the same text.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

fn bsn(r: &mut Rng) -> String {
    loop {
        let d: Vec<u64> = (0..8).map(|_| r.below(10)).collect();
        let s: u64 = d.iter().enumerate().map(|(i, x)| x * (9 - i as u64)).sum();
        let check = s % 11;
        if check < 10 && s > 0 {
            return d.iter().map(|x| x.to_string()).collect::<String>() + &check.to_string();
        }
    }
}

fn iban(r: &mut Rng) -> String {
    let bank = ["ABNA", "RABO", "INGB", "SNSB", "TRIO", "ASNB"][r.below(6) as usize];
    let acct: String = (0..10)
        .map(|_| char::from(b'0' + r.below(10) as u8))
        .collect();
    // check digits: 98 - (BBAN + "NL00" as numbers mod 97)
    let rearranged = format!("{bank}{acct}NL00");
    let mut rem = 0u64;
    for c in rearranged.chars() {
        let v = c.to_digit(36).unwrap() as u64;
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    format!("NL{:02}{bank}{acct}", 98 - rem)
}

fn pii_sentence(r: &mut Rng) -> String {
    match r.below(6) {
        0 => format!("Het BSN van de huurder is {}. ", bsn(r)),
        1 => format!(
            "Betaling graag op IBAN {} onder vermelding van het dossier. ",
            iban(r)
        ),
        2 => format!(
            "Zij is bereikbaar op 06-{:08}. ",
            10_000_000 + r.below(50_000_000)
        ),
        3 => format!(
            "Mail naar bewoner{}@voorbeeld.nl voor een afspraak. ",
            r.below(10_000)
        ),
        4 => format!(
            "Geboortedatum: {:02}-{:02}-{}. ",
            1 + r.below(28),
            1 + r.below(12),
            1940 + r.below(60)
        ),
        _ => format!(
            "Het adres ligt in postcode {} {}{} in de wijk. ",
            1000 + r.below(9000),
            char::from(b'B' + r.below(20) as u8),
            char::from(b'B' + r.below(20) as u8)
        ),
    }
}

/// About `bytes` bytes of prose; one sentence with personal data per ~2 KB,
/// ordinary numbers (dates, amounts, house numbers) now and then.
pub fn prose(bytes: usize, seed: u64) -> String {
    let mut r = Rng::new(seed);
    let mut out = String::with_capacity(bytes + 256);
    let mut since_pii = 0;
    while out.len() < bytes {
        let len = 8 + r.below(14);
        let start = out.len();
        for i in 0..len {
            let w = WORDS[r.below(WORDS.len() as u64) as usize];
            if i == 0 {
                let mut c = w.chars();
                if let Some(f) = c.next() {
                    out.extend(f.to_uppercase());
                    out.push_str(c.as_str());
                }
            } else {
                out.push_str(w);
            }
            if r.below(40) == 0 {
                out.push_str(&format!(" {}", r.below(300)));
            }
            out.push(if i + 1 == len { '.' } else { ' ' });
        }
        out.push(if r.below(8) == 0 { '\n' } else { ' ' });
        since_pii += out.len() - start;
        if since_pii > 2048 {
            out.push_str(&pii_sentence(&mut r));
            since_pii = 0;
        }
    }
    out
}

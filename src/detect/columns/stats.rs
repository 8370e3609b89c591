//! The column statistic: two one-sided binomial tests on how many of a
//! column's values pass a kind's validator.
//!
//! * **Beats chance.** Under the null hypothesis the column holds values of
//!   the right shape that are not of the kind (customer numbers, phone numbers
//!   without their 0): each passes the validator only by chance, at the rate
//!   `chance` (about 1/11 for the 11-check on random 9-digit numbers). The
//!   column beats chance when `P(X >= passes)` under `Binomial(values,
//!   chance)` is at most `alpha`.
//! * **Nearly all.** A column of the kind has every value pass, except for a
//!   few typos or placeholders. The pass rate is "nearly all" unless it is
//!   significantly below `purity`: `P(X <= passes)` under `Binomial(values,
//!   purity)` must be above `beta` (and most values pass: in a tiny column a
//!   minority is not significantly few, but it is no evidence either).
//!
//! Both are needed: a column of random 9-digit numbers of which a tenth pass
//! is consistent with chance, and a column of which half pass (with many
//! rows) beats chance but is not a column of the kind. The binomial tails
//! come from `statrs` (regularised incomplete beta function), exact for any
//! column size.

use serde::Deserialize;
use statrs::distribution::{Binomial, DiscreteCDF};

/// The levels of the two tests (`[test]` in `patterns/columns.toml`).
#[derive(Clone, Copy, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Tests {
    /// Largest probability, under chance alone, of seeing this many passes.
    pub alpha: f64,
    /// The pass rate a column of the kind is expected to reach at least.
    pub purity: f64,
    /// Below this probability the pass rate is significantly under `purity`.
    pub beta: f64,
}

/// `P(X >= k)` for `X ~ Binomial(n, p)`.
pub fn upper_tail(k: u64, n: u64, p: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if k > n {
        return 0.0;
    }
    if p >= 1.0 {
        return 1.0;
    }
    if p <= 0.0 {
        return 0.0;
    }
    match Binomial::new(p, n) {
        // sf(x) = P(X > x)
        Ok(b) => b.sf(k - 1),
        Err(_) => 1.0,
    }
}

/// `P(X <= k)` for `X ~ Binomial(n, p)`.
pub fn lower_tail(k: u64, n: u64, p: f64) -> f64 {
    if k >= n {
        return 1.0;
    }
    if p <= 0.0 {
        return 1.0;
    }
    if p >= 1.0 {
        return 0.0;
    }
    match Binomial::new(p, n) {
        Ok(b) => b.cdf(k),
        Err(_) => 1.0,
    }
}

impl Tests {
    /// `passes` of `values` are more than a validator passing at rate
    /// `chance` on values not of its kind would give.
    pub fn beats_chance(&self, passes: u64, values: u64, chance: f64) -> bool {
        values > 0 && upper_tail(passes, values, chance) <= self.alpha
    }

    /// `passes` of `values` are consistent with nearly all values passing:
    /// not significantly fewer than `purity` of them, and most of them (in a
    /// column of three, one pass is not significantly few, but no evidence).
    pub fn nearly_all(&self, passes: u64, values: u64) -> bool {
        values > 0 && 2 * passes > values && lower_tail(passes, values, self.purity) > self.beta
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Tests = Tests {
        alpha: 0.001,
        purity: 0.9,
        beta: 0.01,
    };
    const ELEVEN: f64 = 1.0 / 11.0;

    #[test]
    fn tails_match_small_cases_by_hand() {
        // Binomial(3, 0.5): P(X >= 2) = 4/8, P(X <= 1) = 4/8
        assert!((upper_tail(2, 3, 0.5) - 0.5).abs() < 1e-12);
        assert!((lower_tail(1, 3, 0.5) - 0.5).abs() < 1e-12);
        // P(X >= 3) = p^3
        assert!((upper_tail(3, 3, 0.1) - 0.001).abs() < 1e-12);
        // P(X <= 0) = (1-p)^n
        assert!((lower_tail(0, 4, 0.9) - 0.0001).abs() < 1e-12);
        assert_eq!(upper_tail(0, 10, 0.3), 1.0);
        assert_eq!(upper_tail(11, 10, 0.3), 0.0);
        assert_eq!(lower_tail(10, 10, 0.3), 1.0);
        // a rate of 1 is never beaten, a rate of 0 always
        assert_eq!(upper_tail(5, 5, 1.0), 1.0);
        assert_eq!(upper_tail(1, 5, 0.0), 0.0);
    }

    #[test]
    fn one_in_eleven_passing_is_chance_for_the_eleven_check() {
        // Random 9-digit numbers: about 1 in 11 pass (a tenth, for small columns).
        for n in [20, 100, 1000, 10_000] {
            let k = if n <= 100 { n / 10 } else { n / 11 };
            assert!(!T.beats_chance(k, n, ELEVEN), "{k}/{n}");
            assert!(!T.nearly_all(k, n), "{k}/{n}");
        }
        // a tenth of many values is more than chance, but far from nearly all
        assert!(T.beats_chance(1000, 10_000, ELEVEN));
        assert!(!T.nearly_all(1000, 10_000));
    }

    #[test]
    fn nearly_all_passing_tolerates_a_few_typos() {
        for (k, n) in [(3, 3), (5, 5), (19, 20), (95, 100), (86, 100), (950, 1000)] {
            assert!(T.beats_chance(k, n, ELEVEN), "{k}/{n}");
            assert!(T.nearly_all(k, n), "{k}/{n}");
        }
    }

    #[test]
    fn half_passing_beats_chance_but_is_not_nearly_all() {
        assert!(T.beats_chance(50, 100, ELEVEN));
        assert!(!T.nearly_all(50, 100));
        assert!(!T.nearly_all(80, 100));
        // with few values the same fraction is not significantly low
        assert!(T.nearly_all(4, 5));
        // but a minority never is nearly all
        assert!(lower_tail(1, 3, T.purity) > T.beta);
        assert!(!T.nearly_all(1, 3));
        assert!(!T.nearly_all(1, 2));
    }

    #[test]
    fn few_values_do_not_beat_chance() {
        // two valid BSNs happen by chance once in 121 columns
        assert!(!T.beats_chance(2, 2, ELEVEN));
        assert!(!T.beats_chance(1, 1, ELEVEN));
        assert!(!T.beats_chance(0, 0, ELEVEN));
        assert!(!T.nearly_all(0, 0));
    }

    #[test]
    fn a_weak_validator_needs_many_values() {
        // a check that 90% of look-alikes pass says little per value
        assert!(!T.beats_chance(20, 20, 0.9));
        assert!(T.beats_chance(80, 80, 0.9));
        // and a rate of 1 (dates) never beats chance: the header must say it
        assert!(!T.beats_chance(10_000, 10_000, 1.0));
    }
}

//! RSA key generation without crypto-primes' precomputed tables.
//!
//! `rsa::PrivateKey::new` finds its primes with crypto-primes' `SmallFactorsSieveFactory`,
//! whose trial division reads two `static` tables: the 2,047 odd primes below 17,864 and one
//! crypto-bigint `Reciprocal` for each (about 40 KB of data in the wasm module that gzip cannot
//! shrink, BENCHMARKS.md "Lean wasm"). This module is the same generator over a sieve of its
//! own whose small primes and reciprocals are computed when a key is generated:
//!
//! - the same candidates: crypto-primes' `random_odd_integer` with the two top bits set
//!   (`SetBits::TwoMsb`), then every following odd number below `2^bits` that none of the same
//!   2,047 small primes divides, in order; a fresh random start when the range is exhausted;
//! - the same primality test: crypto-primes' `is_prime(Flavor::Any, ..)` (Miller-Rabin base 2
//!   and the BPSW'21 Lucas test);
//! - the same key rules as rsa 0.10's `algorithms/generate.rs` for two primes: `p` of
//!   `bits / 2` bits, `q` of the bits left, both drawn again when they are equal, when `n` is
//!   not exactly `bits` bits long, or when `e` has no inverse modulo `(p - 1)(q - 1)`; `d` is
//!   that inverse (Euler's totient, as rsa computes it) and `RsaPrivateKey::from_components`
//!   validates the key and precomputes the CRT values.
//!
//! From the same RNG it therefore produces the very key `RsaPrivateKey::new` produces (a test
//! checks it); the native build keeps calling rsa's generator (BENCHMARKS.md "Lean wasm") and
//! runs this one in its tests.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

use crypto_bigint::{
    BoxedUint, CheckedAdd, ConcatenatingMul, Limb, NonZero, Reciprocal, Resize, Word,
};
use crypto_primes::hazmat::{SetBits, SieveFactory, random_odd_integer};
use crypto_primes::{Flavor, is_prime, sieve_and_find};
use rand_core::CryptoRng;
use rsa::PrivateKey as RsaPrivateKey;
use zeroize::Zeroizing;

use crate::Error;

/// How many small primes the sieve divides by: the odd primes among the first 2,048 primes, as
/// in crypto-primes (`hazmat::precomputed::SMALL_PRIMES`).
const SMALL_PRIMES: usize = 2047;

/// RSA's usual public exponent, the one `RsaPrivateKey::new` uses.
const EXPONENT: u64 = 65_537;

/// The smallest prime size the sieve accepts: from 31 bits on, crypto-primes divides every
/// candidate by all of its small primes (none of which is then a candidate itself).
const MIN_PRIME_BITS: u32 = 32;

/// Generates a two-prime RSA key with modulus size `bits` and exponent 65537.
pub(super) fn generate<R: CryptoRng + ?Sized>(
    rng: &mut R,
    bits: usize,
) -> Result<RsaPrivateKey, Error> {
    let small_primes = SmallPrimes::new();
    let exponent = BoxedUint::from(EXPONENT);
    let p_bits = u32::try_from(bits / 2).map_err(|_| cannot_generate(bits))?;
    if p_bits < MIN_PRIME_BITS {
        return Err(cannot_generate(bits));
    }
    loop {
        let p = Zeroizing::new(random_prime(rng, &small_primes, p_bits)?);
        let q_bits = bits
            .checked_sub(p.bit_width() as usize)
            .and_then(|left| u32::try_from(left).ok())
            .ok_or_else(|| cannot_generate(bits))?;
        let q = Zeroizing::new(random_prime(rng, &small_primes, q_bits)?);
        if p == q {
            continue;
        }
        let n = p.concatenating_mul(&*q);
        if n.bit_width() as usize != bits {
            continue;
        }
        let Some(d) = private_exponent(&p, &q, &exponent) else {
            continue;
        };
        let primes = vec![(*p).clone(), (*q).clone()];
        return RsaPrivateKey::from_components(n, exponent, d, primes).map_err(super::invalid_key);
    }
}

/// A key size this generator cannot make (too small for the sieve, or too large to count).
fn cannot_generate(bits: usize) -> Error {
    Error::InvalidKey {
        detail: format!("cannot generate a {bits}-bit RSA key"),
    }
}

/// `e^-1 mod (p - 1)(q - 1)`, computed as rsa's `compute_private_exponent_euler_totient`
/// does; `None` when `e` divides `p - 1` or `q - 1`.
fn private_exponent(p: &BoxedUint, q: &BoxedUint, exponent: &BoxedUint) -> Option<BoxedUint> {
    let one = BoxedUint::one();
    let mut totient = Zeroizing::new(BoxedUint::one_with_precision(p.bits_precision()));
    for prime in [p, q] {
        let factor = Zeroizing::new(prime - &one);
        *totient = totient.concatenating_mul(&*factor);
    }
    let exponent = exponent.resize_unchecked(totient.bits_precision());
    let totient = NonZero::new((*totient).clone()).into_option()?;
    let totient = Zeroizing::new(totient);
    exponent.invert_mod(&totient).into_option()
}

/// A random prime of exactly `bits` bits whose two top bits are set.
fn random_prime<R: CryptoRng + ?Sized>(
    rng: &mut R,
    small_primes: &SmallPrimes,
    bits: u32,
) -> Result<BoxedUint, Error> {
    let factory = Factory { small_primes, bits };
    match sieve_and_find(rng, factory, |_, candidate| {
        is_prime(Flavor::Any, candidate)
    }) {
        Ok(Some(prime)) => Ok(prime),
        Ok(None) => Err(cannot_generate(bits as usize)),
        Err(error) => Err(super::invalid_key(error)),
    }
}

/// The odd primes below 17,864 and their reciprocals, computed at run time.
#[derive(Debug)]
struct SmallPrimes {
    primes: Vec<u16>,
    reciprocals: Vec<Reciprocal>,
}

impl SmallPrimes {
    fn new() -> Self {
        let mut primes: Vec<u16> = Vec::with_capacity(SMALL_PRIMES);
        let mut candidate: u16 = 3;
        while primes.len() < SMALL_PRIMES {
            let composite = primes
                .iter()
                .take_while(|&&prime| u32::from(prime) * u32::from(prime) <= u32::from(candidate))
                .any(|&prime| candidate % prime == 0);
            if !composite {
                primes.push(candidate);
            }
            candidate += 2;
        }
        let reciprocals = primes
            .iter()
            .filter_map(|&prime| {
                let limb = NonZero::new(Limb(Word::from(prime))).into_option()?;
                Some(Reciprocal::new(limb))
            })
            .collect();
        Self {
            primes,
            reciprocals,
        }
    }

    fn largest(&self) -> u32 {
        self.primes.last().map_or(0, |&prime| u32::from(prime))
    }
}

/// Makes a [`Sieve`] from a random odd start with the two top bits set for every search.
struct Factory<'a> {
    small_primes: &'a SmallPrimes,
    bits: u32,
}

impl<'a> SieveFactory for Factory<'a> {
    type Item = BoxedUint;
    type Sieve = Sieve<'a>;

    fn make_sieve<R: CryptoRng + ?Sized>(
        &mut self,
        rng: &mut R,
        _previous: Option<&Self::Sieve>,
    ) -> Result<Option<Self::Sieve>, crypto_primes::Error> {
        let Some(bits) = core::num::NonZeroU32::new(self.bits) else {
            return Ok(None);
        };
        let start = random_odd_integer::<BoxedUint, R>(rng, bits, SetBits::TwoMsb)?;
        let base = start.get();
        // The largest candidate, 2^bits - 1, in the precision of `base` (at least `bits`).
        let last = BoxedUint::max(base.bits_precision())
            .wrapping_shr_vartime(base.bits_precision().saturating_sub(self.bits));
        Ok(Some(Sieve {
            small_primes: self.small_primes,
            increment_limit: u32::MAX - self.small_primes.largest() + 1,
            residues: Zeroizing::new(vec![0; self.small_primes.primes.len()]),
            base: Zeroizing::new(base),
            last,
            increment: 0,
            round_limit: None,
            last_round: false,
        }))
    }
}

/// The odd numbers from `base` up to `last` that none of the small primes divides.
///
/// As in crypto-primes' `SmallFactorsSieve`, the residues of `base` are computed once and each
/// candidate `base + increment` is checked with `(residue + increment) % prime`; `base` moves
/// forward when the increment would overflow a `u32`.
struct Sieve<'a> {
    small_primes: &'a SmallPrimes,
    /// The largest increment `residue + increment` cannot overflow with.
    increment_limit: u32,
    residues: Zeroizing<Vec<u16>>,
    base: Zeroizing<BoxedUint>,
    last: BoxedUint,
    increment: u32,
    /// The largest increment from the current `base`; `None` before the residues are computed.
    round_limit: Option<u32>,
    last_round: bool,
}

impl Sieve<'_> {
    /// Computes the residues of a new `base` when the increment went past this round's limit;
    /// `false` when the range is exhausted.
    fn next_round(&mut self) -> bool {
        if let Some(limit) = self.round_limit {
            if self.increment <= limit {
                return true;
            }
            if self.last_round {
                return false;
            }
            let Some(base) = self
                .base
                .checked_add(&BoxedUint::from(self.increment))
                .into_option()
            else {
                return false;
            };
            *self.base = base;
            self.increment = 0;
        }
        for (residue, reciprocal) in self.residues.iter_mut().zip(&self.small_primes.reciprocals) {
            let Limb(remainder) = self.base.rem_limb_with_reciprocal(reciprocal);
            // A remainder is smaller than its divisor, a u16.
            *residue = u16::try_from(remainder).unwrap_or(u16::MAX);
        }
        let left = self.last.wrapping_sub(&*self.base);
        let small = if left.bit_width_vartime() <= u32::BITS {
            left.as_words()
                .first()
                .and_then(|&word| u32::try_from(word).ok())
        } else {
            None
        };
        match small {
            Some(left) if left <= self.increment_limit => {
                self.round_limit = Some(left);
                self.last_round = true;
            }
            _ => self.round_limit = Some(self.increment_limit),
        }
        true
    }

    fn divisible(&self) -> bool {
        self.residues
            .iter()
            .zip(&self.small_primes.primes)
            .any(|(&residue, &prime)| (u32::from(residue) + self.increment) % u32::from(prime) == 0)
    }
}

impl Iterator for Sieve<'_> {
    type Item = BoxedUint;

    fn next(&mut self) -> Option<BoxedUint> {
        while self.next_round() {
            let candidate = if self.divisible() {
                None
            } else {
                self.base
                    .checked_add(&BoxedUint::from(self.increment))
                    .into_option()
            };
            self.increment += 2;
            if candidate.is_some() {
                return candidate;
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;
    use rsa::traits::{PrivateKeyParts, PublicKeyParts};

    #[test]
    fn small_primes_are_crypto_primes_list() {
        let small = SmallPrimes::new();
        assert_eq!(small.primes.len(), 2047);
        assert_eq!(small.reciprocals.len(), 2047);
        assert_eq!(small.primes[..10], [3, 5, 7, 11, 13, 17, 19, 23, 29, 31]);
        // The last one in crypto-primes' table: the 2,048th prime.
        assert_eq!(small.largest(), 17863);
        for &prime in &small.primes {
            let prime = u32::from(prime);
            assert!(
                (3..prime)
                    .step_by(2)
                    .take_while(|d| d * d <= prime)
                    .all(|d| prime % d != 0)
            );
        }
        for (&prime, reciprocal) in small.primes.iter().zip(&small.reciprocals) {
            let x = BoxedUint::from(0x1234_5678_9abc_def1_0fed_cba9_8765_4321u128);
            let divisor = NonZero::new(Limb(Word::from(prime))).unwrap();
            assert_eq!(x.rem_limb_with_reciprocal(reciprocal), x.rem_limb(divisor));
        }
    }

    /// The same RNG gives the same key as rsa's own generator: same candidates, checks and
    /// retries.
    #[test]
    fn same_keys_as_rsa_generator() {
        for seed in 0..6 {
            for bits in [2048, 3072] {
                if bits == 3072 && seed > 1 {
                    continue;
                }
                let ours = generate(&mut StdRng::seed_from_u64(seed), bits).unwrap();
                let theirs = RsaPrivateKey::new(&mut StdRng::seed_from_u64(seed), bits).unwrap();
                assert_eq!(ours, theirs, "seed {seed}, {bits} bits");
                assert_eq!(ours.n().bit_width() as usize, bits);
                assert_eq!(ours.e(), &BoxedUint::from(65_537u64));
                let [p, q] = ours.primes() else {
                    panic!("two primes")
                };
                assert_ne!(p, q);
                assert_eq!(ours.validate(), Ok(()));
            }
        }
    }

    /// OpenSSL's own check of generated keys (`openssl rsa -check`: p and q prime, n = pq,
    /// d e = 1 mod lcm(p - 1, q - 1), the CRT values).
    #[test]
    fn openssl_checks_generated_keys() {
        use rsa::pkcs8::EncodePrivateKey;
        use std::io::Write;
        use std::process::{Command, Stdio};

        for (seed, bits) in [(10, 2048), (11, 2048), (12, 3072), (13, 4096)] {
            let key = generate(&mut StdRng::seed_from_u64(seed), bits).unwrap();
            let der = key.to_pkcs8_der().unwrap();
            let mut openssl = Command::new("openssl")
                .args(["rsa", "-inform", "DER", "-check", "-noout", "-text"])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("openssl");
            openssl
                .stdin
                .take()
                .unwrap()
                .write_all(der.as_bytes())
                .unwrap();
            let output = openssl.wait_with_output().unwrap();
            let text = String::from_utf8_lossy(&output.stdout);
            assert!(output.status.success(), "{bits} bits: {output:?}");
            assert!(text.contains("RSA key ok"), "{text}");
            assert!(
                text.contains(&format!("Private-Key: ({bits} bit, 2 primes)")),
                "{text}"
            );
            assert!(text.contains("publicExponent: 65537 (0x10001)"), "{text}");
        }
    }

    #[test]
    fn sieve_skips_multiples_of_small_primes_up_to_the_end_of_the_range() {
        let small = SmallPrimes::new();
        // A 40-bit range whose start is 1,000 below its end: every odd number left without a
        // small factor, then nothing.
        let last = (1u64 << 40) - 1;
        let start = last - 1000;
        let mut sieve = Sieve {
            small_primes: &small,
            increment_limit: u32::MAX - small.largest() + 1,
            residues: Zeroizing::new(vec![0; small.primes.len()]),
            base: Zeroizing::new(BoxedUint::from(start)),
            last: BoxedUint::from(last),
            increment: 0,
            round_limit: None,
            last_round: false,
        };
        let produced: Vec<u128> = sieve
            .by_ref()
            .map(|n| {
                n.as_words()
                    .iter()
                    .rev()
                    .fold(0u128, |acc, &w| (acc << Word::BITS) | u128::from(w))
            })
            .collect();
        let expected: Vec<u128> = (start..=last)
            .step_by(2)
            .filter(|n| small.primes.iter().all(|&p| n % u64::from(p) != 0))
            .map(u128::from)
            .collect();
        assert!(!expected.is_empty());
        assert_eq!(produced, expected);
        assert_eq!(sieve.next(), None);
    }

    #[test]
    fn refuses_sizes_it_cannot_generate() {
        let mut rng = StdRng::seed_from_u64(1);
        assert_eq!(generate(&mut rng, 32).unwrap_err().code(), "InvalidKey");
        assert_eq!(generate(&mut rng, 0).unwrap_err().code(), "InvalidKey");
    }
}

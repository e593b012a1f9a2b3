//! Bounds on password-based key derivation, checked before anything is derived.
//!
//! A file chooses its own KDF parameters, so a hostile one can ask for an hour of PBKDF2 or a
//! terabyte of scrypt memory. Each derivation is priced from its parameters with the costs
//! measured on the project's reference machine (2 cores; `cargo bench -p mtlskit --bench kdf`,
//! figures in BENCHMARKS.md) and refused above [`ITEM_LIMIT_PS`] (about one second) or
//! [`MEMORY_LIMIT`] (64 MiB); a whole file (a PKCS#12 MAC and all its encrypted bags) gets
//! [`FILE_LIMIT_PS`]. The error names the parameter and its allowed range.

use crate::Error;

/// The most work one derivation may take: one second on the reference machine, in picoseconds.
pub const ITEM_LIMIT_PS: u64 = 1_000_000_000_000;
/// The most work all derivations for one file may take together: three items' worth.
pub const FILE_LIMIT_PS: u64 = 3 * ITEM_LIMIT_PS;
/// The most memory one derivation may take (scrypt's `128·r·(N + p)` bytes).
pub const MEMORY_LIMIT: u64 = 64 << 20;
/// The fewest iterations mtlskit writes (NIST SP 800-132 section 5.2 asks for at least 1,000).
pub const WRITE_MINIMUM_ITERATIONS: u32 = 1_000;

/// What one scrypt unit (`N·r·p`) costs, in picoseconds: N = 2^14, r = 8, p = 1 took 98 ms.
const SCRYPT_UNIT_PS: u64 = 750_000;

/// The hash functions of PBKDF2's HMAC and of the PKCS#12 KDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    /// SHA-1.
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl Hash {
    /// The output length in bytes.
    pub fn output_len(self) -> usize {
        match self {
            Self::Sha1 => 20,
            Self::Sha224 => 28,
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }

    /// What one compression of one block costs, in picoseconds, measured with SHA extensions
    /// on the reference machine: 10,000 PBKDF2 iterations took 4.5 ms with HMAC-SHA-1 and
    /// HMAC-SHA-256, 18.7 ms with HMAC-SHA-512; 10,000 PKCS#12 KDF iterations 2.2 ms.
    fn compression_ps(self) -> u64 {
        match self {
            Self::Sha1 => 225_000,
            Self::Sha224 | Self::Sha256 => 226_000,
            Self::Sha384 | Self::Sha512 => 940_000,
        }
    }
}

/// The two iterated KDFs: PBKDF2 (RFC 8018 section 5.2: two compressions per iteration,
/// HMAC's inner and outer hash) and the PKCS#12 KDF (RFC 7292 appendix B.2: one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Iterated {
    /// PBKDF2 with HMAC.
    Pbkdf2,
    /// The PKCS#12 KDF.
    Pkcs12,
}

/// The work left for one file's derivations.
#[derive(Debug, Clone)]
pub struct Budget {
    remaining_ps: u64,
}

impl Default for Budget {
    fn default() -> Self {
        Self {
            remaining_ps: FILE_LIMIT_PS,
        }
    }
}

impl Budget {
    /// Takes `cost_ps` for one derivation of `item`, or refuses when the file is out of work.
    fn charge(&mut self, item: &'static str, cost_ps: u64) -> Result<(), Error> {
        if cost_ps > self.remaining_ps {
            let spent = FILE_LIMIT_PS - self.remaining_ps;
            return Err(Error::KdfParameterOutOfBounds {
                item,
                parameter: "total key-derivation work of the file, in milliseconds",
                value: spent.saturating_add(cost_ps) / 1_000_000_000,
                minimum: 0,
                maximum: FILE_LIMIT_PS / 1_000_000_000,
            });
        }
        self.remaining_ps -= cost_ps;
        Ok(())
    }
}

/// Checks `iterations` of an iterated KDF producing `output_len` bytes with `hash`, and
/// charges the derivation to `budget`. `minimum` is 1 when reading and
/// [`WRITE_MINIMUM_ITERATIONS`] when writing.
pub fn check_iterations(
    kdf: Iterated,
    hash: Hash,
    iterations: u64,
    output_len: usize,
    minimum: u64,
    item: &'static str,
    budget: &mut Budget,
) -> Result<(), Error> {
    let blocks = u64::try_from(output_len.div_ceil(hash.output_len())).unwrap_or(u64::MAX);
    let (parameter, compressions) = match kdf {
        Iterated::Pbkdf2 => ("PBKDF2 iteration count", 2),
        Iterated::Pkcs12 => ("PKCS#12 KDF iteration count", 1),
    };
    let per_iteration = hash.compression_ps() * compressions * blocks.max(1);
    let maximum = ITEM_LIMIT_PS / per_iteration;
    if iterations < minimum || iterations > maximum {
        return Err(Error::KdfParameterOutOfBounds {
            item,
            parameter,
            value: iterations,
            minimum,
            maximum,
        });
    }
    budget.charge(item, iterations * per_iteration)
}

/// Checks scrypt's cost `n` (a power of two above 1), block size `r` and parallelism `p`
/// (RFC 7914 section 2) against the memory and time limits, and charges `budget`.
pub fn check_scrypt(
    n: u64,
    r: u64,
    p: u64,
    item: &'static str,
    budget: &mut Budget,
) -> Result<(), Error> {
    let out_of_bounds = |parameter, value, minimum, maximum| Error::KdfParameterOutOfBounds {
        item,
        parameter,
        value,
        minimum,
        maximum,
    };
    // Memory: V is 128·r·N bytes and B is 128·r·p bytes.
    let maximum_r = MEMORY_LIMIT / 128 / 4;
    if r == 0 || r > maximum_r {
        return Err(out_of_bounds("scrypt r (block size)", r, 1, maximum_r));
    }
    let maximum_n = previous_power_of_two(MEMORY_LIMIT / 128 / r / 2);
    if n < 2 || !n.is_power_of_two() || n > maximum_n {
        return Err(out_of_bounds("scrypt N (cost)", n, 2, maximum_n));
    }
    let by_memory = MEMORY_LIMIT / 128 / r - n;
    let by_time = ITEM_LIMIT_PS / SCRYPT_UNIT_PS / n / r;
    let maximum_p = by_memory.min(by_time);
    if p == 0 || p > maximum_p {
        return Err(out_of_bounds("scrypt p (parallelism)", p, 1, maximum_p));
    }
    budget.charge(item, n * r * p * SCRYPT_UNIT_PS)
}

fn previous_power_of_two(value: u64) -> u64 {
    match value {
        0 => 0,
        _ => 1 << (63 - value.leading_zeros()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(result: Result<(), Error>) -> Option<(&'static str, u64)> {
        match result {
            Err(Error::KdfParameterOutOfBounds {
                parameter, maximum, ..
            }) => Some((parameter, maximum)),
            _ => None,
        }
    }

    #[test]
    fn hostile_scrypt_parameters_name_the_parameter() {
        let mut budget = Budget::default();
        let item = "test key";
        // openssl's defaults (N = 2^14, r = 8, p = 1) pass.
        assert!(check_scrypt(1 << 14, 8, 1, item, &mut budget).is_ok());
        let huge_n = code(check_scrypt(1 << 30, 8, 1, item, &mut budget));
        assert_eq!(huge_n, Some(("scrypt N (cost)", 1 << 15)));
        let huge_p = code(check_scrypt(1 << 14, 8, 65_535, item, &mut budget)).unwrap();
        assert_eq!(huge_p.0, "scrypt p (parallelism)");
        assert!(code(check_scrypt(1 << 14, 1 << 40, 1, item, &mut budget)).is_some());
        assert!(code(check_scrypt(1000, 8, 1, item, &mut budget)).is_some());
        assert!(code(check_scrypt(1 << 14, 8, 0, item, &mut budget)).is_some());
    }

    #[test]
    fn iteration_counts_have_bounds_and_files_a_total() {
        let mut budget = Budget::default();
        let check = |iterations, minimum, budget: &mut Budget| {
            check_iterations(
                Iterated::Pbkdf2,
                Hash::Sha256,
                iterations,
                32,
                minimum,
                "test",
                budget,
            )
        };
        assert!(check(2048, 1, &mut budget).is_ok());
        assert!(code(check(0, 1, &mut budget)).is_some());
        assert!(code(check(999, WRITE_MINIMUM_ITERATIONS.into(), &mut budget)).is_some());
        assert!(code(check(u64::from(u32::MAX), 1, &mut budget)).is_some());
        let most = ITEM_LIMIT_PS / (2 * Hash::Sha256.compression_ps());
        let mut budget = Budget::default();
        assert!(check(most, 1, &mut budget).is_ok());
        assert!(check(most, 1, &mut budget).is_ok());
        assert!(check(most, 1, &mut budget).is_ok());
        let over = code(check(most, 1, &mut budget)).unwrap();
        assert!(over.0.starts_with("total"), "{over:?}");
    }
}

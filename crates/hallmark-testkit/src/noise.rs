//! Seeded noise bytes: incompressible-looking test data, the same for the same seed everywhere.

/// xorshift64*: a small, fast generator that is good enough for test data (not for secrets).
#[derive(Debug, Clone)]
pub struct Noise(u64);

impl Noise {
    /// The generator for `seed` (any value, zero included).
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// `len` bytes of noise from `seed`.
pub fn noise_bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut noise = Noise::new(seed);
    let mut bytes = Vec::with_capacity(len + 8);
    while bytes.len() < len {
        bytes.extend_from_slice(&noise.next_u64().to_le_bytes());
    }
    bytes.truncate(len);
    bytes
}

#[cfg(test)]
mod tests {
    use super::noise_bytes;

    #[test]
    fn noise_bytes_have_the_length_asked_and_depend_on_the_seed() {
        for len in [0, 1, 7, 8, 9, 1000] {
            assert_eq!(noise_bytes(len, 1).len(), len);
        }
        assert_eq!(noise_bytes(100, 1), noise_bytes(100, 1));
        assert_ne!(noise_bytes(100, 1), noise_bytes(100, 2));
        assert_eq!(noise_bytes(5, 1), noise_bytes(100, 1)[..5]);
        // Not degenerate: every byte value shows up in 64 KiB.
        let mut seen = [false; 256];
        for b in noise_bytes(1 << 16, 3) {
            seen[usize::from(b)] = true;
        }
        assert!(seen.iter().all(|s| *s));
    }
}

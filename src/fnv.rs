//! FNV-1a, 64 bits: a tiny, fast, deterministic hash for short keys and
//! for fingerprints that must not change between runs or machines (the
//! SVG writer's id prefix). Not for keys an attacker chooses.

/// The hash state; [`Fnv::default`] starts at the offset basis.
#[derive(Clone, Copy, Debug)]
pub struct Fnv(pub u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    pub fn bytes(&mut self, b: &[u8]) {
        for x in b {
            self.0 ^= *x as u64;
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// As a `HashMap` hasher (`BuildHasherDefault<Fnv>`): short ids, where
/// SipHash's set-up would cost more than the hashing.
impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.bytes(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::Fnv;

    #[test]
    fn known_values() {
        // FNV-1a 64 test vectors (the reference implementation's).
        let h = |s: &str| {
            let mut f = Fnv::default();
            f.bytes(s.as_bytes());
            f.0
        };
        assert_eq!(h(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(h("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(h("foobar"), 0x8594_4171_f739_67e8);
    }
}

//! CRC-32 (IEEE 802.3, as zlib and `crc32fast::hash`) of the pack's payload,
//! for the browser: the same slice-by-16 algorithm as crc32fast's portable
//! path (the one wasm32 gets), with its 16 KB of tables built at run time
//! (~20 µs) instead of shipped in the wasm, where they were 16 KB that
//! gzip cannot shrink. The builder and the native tests keep crc32fast
//! (SIMD on x86); the unit tests check both agree.

/// The CRC-32 of `data`.
///
/// ```
/// assert_eq!(territoire::crc::hash(b"123456789"), 0xCBF4_3926);
/// assert_eq!(territoire::crc::hash(b""), 0);
/// ```
pub fn hash(data: &[u8]) -> u32 {
    let t = tables();
    let mut crc = !0u32;
    let mut chunks = data.chunks_exact(16);
    for c in &mut chunks {
        let a = crc ^ u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        crc = t[15][(a & 0xff) as usize]
            ^ t[14][((a >> 8) & 0xff) as usize]
            ^ t[13][((a >> 16) & 0xff) as usize]
            ^ t[12][(a >> 24) as usize]
            ^ t[11][c[4] as usize]
            ^ t[10][c[5] as usize]
            ^ t[9][c[6] as usize]
            ^ t[8][c[7] as usize]
            ^ t[7][c[8] as usize]
            ^ t[6][c[9] as usize]
            ^ t[5][c[10] as usize]
            ^ t[4][c[11] as usize]
            ^ t[3][c[12] as usize]
            ^ t[2][c[13] as usize]
            ^ t[1][c[14] as usize]
            ^ t[0][c[15] as usize];
    }
    for &b in chunks.remainder() {
        crc = (crc >> 8) ^ t[0][((crc ^ b as u32) & 0xff) as usize];
    }
    !crc
}

/// `t[0]`: the byte-wise table of the reflected polynomial 0xEDB88320;
/// `t[k][i]`: the CRC of byte `i` followed by `k` zero bytes.
fn tables() -> Vec<[u32; 256]> {
    let mut t = vec![[0u32; 256]; 16];
    for i in 0..256u32 {
        let mut c = i;
        for _ in 0..8 {
            c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
        }
        t[0][i as usize] = c;
    }
    for i in 0..256 {
        for k in 1..16 {
            let p = t[k - 1][i];
            t[k][i] = (p >> 8) ^ t[0][(p & 0xff) as usize];
        }
    }
    t
}

#[cfg(test)]
mod tests {
    #[test]
    fn agrees_with_crc32fast_on_every_length_and_offset() {
        // A deterministic byte soup (xorshift), every length up to 300
        // (all remainders of the 16-byte blocks) at a few offsets.
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let data: Vec<u8> = (0..4096)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect();
        for start in [0, 1, 7, 15] {
            for len in 0..300 {
                let s = &data[start..start + len];
                assert_eq!(super::hash(s), crc32fast::hash(s), "start {start}, len {len}");
            }
        }
        assert_eq!(super::hash(&data), crc32fast::hash(&data));
    }
}

//! Unsigned LEB128 varints, as used by multiformats, protobuf and CAR.

/// Appends `value` as an unsigned varint.
pub(crate) fn put(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Reads a varint from the start of `bytes`: `(value, bytes used)`, or `None` if it is truncated,
/// longer than 9 bytes or not minimally encoded.
pub(crate) fn read(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for (i, &b) in bytes.iter().enumerate().take(9) {
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            if b == 0 && i > 0 {
                return None; // not minimal
            }
            return Some((value, i + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_encodings() {
        let mut v = Vec::new();
        put(&mut v, 300);
        assert_eq!(v, [0xac, 0x02]);
        assert_eq!(read(&[0xac, 0x02, 0xff]), Some((300, 2)));
        assert_eq!(read(&[0x80]), None);
        assert_eq!(read(&[0x80, 0x00]), None, "non-minimal");
    }

    proptest! {
        #[test]
        fn round_trips(value in 0u64..(1 << 63)) {
            let mut v = Vec::new();
            put(&mut v, value);
            prop_assert_eq!(read(&v), Some((value, v.len())));
        }
    }
}

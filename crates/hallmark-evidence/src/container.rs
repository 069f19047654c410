//! The bundle's container, byte by byte: a classic (non-zip64) zip of stored entries that
//! Hallmark writes and checks with its own rules, so that no change in a zip library can make
//! an old bundle fail or a new one differ.
//!
//! The canonical form (documented for other tools in `docs/copyright.md`, *The container byte
//! by byte*; all integers little-endian):
//!
//! - one entry per file, in ascending byte order of the names, no directory entries;
//! - each entry: a 30-byte local header (`PK\x03\x04`, version needed 10, flags 0 — or
//!   0x0800 when the name is non-ASCII UTF-8 —, method 0 (stored), time 0, date 0x0021
//!   (1980-01-01), CRC-32, size twice, name length, extra length 0), the name, the bytes;
//! - then the central directory: per entry a 46-byte header (`PK\x01\x02`, version made by
//!   0x030A (Unix, 1.0), the local header's fields from version needed to name length, extra
//!   and comment length 0, disk 0, internal attributes 0, external attributes 0x81A40000 (a
//!   regular file, mode 0644), the local header's offset) and the name;
//! - then the 22-byte end record (`PK\x05\x06`, disks 0, the entry count twice, the central
//!   directory's size and offset, comment length 0). Nothing before, between or after.
//!
//! Two fields are not security properties (they carry no content, and the seal and the listed
//! sha-256 of every file cover what is inside) and the check accepts a closed set of values:
//! *version needed to extract* may be 10 or 20 (other zip tools write 2.0 for stored entries),
//! and the host byte of *version made by* may be 0 (MS-DOS: what Hallmark wrote on Windows
//! before this check was its own) or 3 (Unix).

use std::fmt;

/// Signature of a local file header.
const LOCAL_SIGNATURE: u32 = 0x0403_4B50;
/// Signature of a central directory header.
const CENTRAL_SIGNATURE: u32 = 0x0201_4B50;
/// Signature of the end of central directory record.
const END_SIGNATURE: u32 = 0x0605_4B50;
/// Bytes of a local file header before the name.
const LOCAL_HEADER_LEN: usize = 30;
/// Version needed to extract: 1.0, stored entries without zip64.
const VERSION_NEEDED: u16 = 10;
/// Other accepted values of *version needed to extract*.
const ACCEPTED_VERSION_NEEDED: [u16; 2] = [10, 20];
/// Version made by: host 3 (Unix) in the high byte, 1.0 in the low byte.
const VERSION_MADE_BY: u16 = 0x030A;
/// Accepted host bytes of *version made by*: MS-DOS and Unix.
const ACCEPTED_HOSTS: [u8; 2] = [0, 3];
/// General purpose flag 11: the name is UTF-8.
const UTF8_FLAG: u16 = 0x0800;
/// MS-DOS date of 1980-01-01 (the time is 00:00:00, i.e. 0).
const DOS_DATE: u16 = 0x0021;
/// External attributes: Unix mode 0o100644 (regular file, rw-r--r--) in the high 16 bits.
const EXTERNAL_ATTRIBUTES: u32 = 0o100_644 << 16;

/// Why bytes are not (or cannot be) a canonical container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ContainerError {
    /// The files do not fit a classic zip (a file or the whole container over 4 GiB, more
    /// than 65,535 entries, a name over 65,535 bytes).
    TooLarge(String),
    /// The bytes are not laid out as the canonical form says.
    NotCanonical(String),
}

impl fmt::Display for ContainerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge(reason) | Self::NotCanonical(reason) => f.write_str(reason),
        }
    }
}

/// The canonical container of `entries` (name, bytes), in the order given.
pub(crate) fn encode<'a, I>(entries: I) -> Result<Vec<u8>, ContainerError>
where
    I: IntoIterator<Item = (&'a str, &'a [u8])>,
{
    let layout = layout(entries.into_iter().map(|(n, b)| (n.as_bytes(), b)))?;
    let mut bytes = Vec::with_capacity(layout.len);
    for piece in &layout.pieces {
        match piece {
            Piece::Fixed(fixed, _) => bytes.extend_from_slice(fixed),
            Piece::Data(data) => bytes.extend_from_slice(data),
        }
    }
    Ok(bytes)
}

/// Checks that `bytes` are exactly the canonical container of the entries they hold (up to the
/// two tolerated fields); `Ok` says how many entries and bytes.
pub(crate) fn check(bytes: &[u8]) -> Result<String, ContainerError> {
    let entries = local_entries(bytes)?;
    if let Some(pair) = entries.windows(2).find(|pair| pair[0].0 >= pair[1].0) {
        return Err(ContainerError::NotCanonical(format!(
            "`{}` comes after `{}`: entries must be in ascending name order",
            String::from_utf8_lossy(pair[1].0).escape_debug(),
            String::from_utf8_lossy(pair[0].0).escape_debug(),
        )));
    }
    let count = entries.len();
    let layout = layout(entries)?;
    // The file is compared with its canonical form piece by piece, without a copy of it: the
    // headers are laid out anew, and each entry's bytes are the file's own (their CRC-32 and
    // size are in the headers compared), so they only have to sit where the canonical form
    // puts them.
    let mut tolerated = layout.tolerated.iter().peekable();
    let mut at = 0usize;
    for piece in &layout.pieces {
        match piece {
            Piece::Fixed(expected, entry) => {
                let Some(actual) = bytes.get(at..at + expected.len()) else {
                    return Err(length_differs(bytes.len(), layout.len));
                };
                let mut expected = std::borrow::Cow::Borrowed(expected.as_slice());
                // A tolerated field holding an accepted value is taken as the file has it.
                while let Some(field) = tolerated.next_if(|f| f.offset < at + actual.len()) {
                    let local = field.offset - at;
                    let value = u16::from_le_bytes([actual[local], actual[local + 1]]);
                    if field.accepts(value) {
                        expected.to_mut()[local..local + 2]
                            .copy_from_slice(&actual[local..local + 2]);
                    }
                }
                if let Some(offset) = expected.iter().zip(actual).position(|(a, b)| a != b) {
                    return Err(ContainerError::NotCanonical(differs_at(
                        at + offset,
                        offset,
                        *entry,
                    )));
                }
                at += expected.len();
            }
            Piece::Data(data) => {
                // `data` is a slice of `bytes`: it must start exactly here.
                let starts_at = (data.as_ptr() as usize).wrapping_sub(bytes.as_ptr() as usize);
                if starts_at != at {
                    return Err(ContainerError::NotCanonical(format!(
                        "the file differs from its canonical form at byte {at}"
                    )));
                }
                at += data.len();
            }
        }
    }
    if at == bytes.len() {
        Ok(format!("{count} stored entries, {} bytes", bytes.len()))
    } else {
        Err(length_differs(bytes.len(), layout.len))
    }
}

/// Where the file differs: byte `at` of the file, `within` a header piece of `entry`.
fn differs_at(at: usize, within: usize, entry: Option<&[u8]>) -> String {
    // A local header: signature 4, version 2, flags 2, method 2, time 2, date 2, then CRC-32.
    const CRC: std::ops::Range<usize> = 14..18;
    match entry {
        Some(name) if CRC.contains(&within) => format!(
            "`{}` does not match the CRC-32 its header records (byte {at}): its bytes changed after the bundle was written",
            String::from_utf8_lossy(name).escape_debug()
        ),
        Some(name) => format!(
            "the file differs from its canonical form at byte {at}, in the header of `{}`",
            String::from_utf8_lossy(name).escape_debug()
        ),
        None => format!(
            "the file differs from its canonical form at byte {at}, in the central directory"
        ),
    }
}

fn length_differs(actual: usize, canonical: usize) -> ContainerError {
    ContainerError::NotCanonical(format!(
        "the file is {actual} bytes, its canonical form {canonical}"
    ))
}

/// A field whose value may differ from the canonical one.
#[derive(Debug, Clone, Copy)]
enum Tolerated {
    /// *Version needed to extract* (local and central headers).
    VersionNeeded,
    /// *Version made by* (central headers).
    VersionMadeBy,
}

/// Where a tolerated 2-byte field is.
#[derive(Debug, Clone, Copy)]
struct ToleratedField {
    offset: usize,
    kind: Tolerated,
}

impl ToleratedField {
    /// Whether `value` is one the check accepts in this field.
    fn accepts(self, value: u16) -> bool {
        match self.kind {
            Tolerated::VersionNeeded => ACCEPTED_VERSION_NEEDED.contains(&value),
            Tolerated::VersionMadeBy => {
                value & 0xFF == VERSION_MADE_BY & 0xFF
                    && ACCEPTED_HOSTS.contains(&value.to_be_bytes()[0])
            }
        }
    }
}

/// A run of the canonical form: header bytes laid out here (with the name of the entry whose
/// local header they are; `None` for the central directory and end record), or an entry's own
/// bytes.
enum Piece<'a> {
    Fixed(Vec<u8>, Option<&'a [u8]>),
    Data(&'a [u8]),
}

/// The canonical form as pieces, its length, and where its tolerated fields are (in order).
struct Layout<'a> {
    pieces: Vec<Piece<'a>>,
    len: usize,
    tolerated: Vec<ToleratedField>,
}

fn too_large(what: impl Into<String>) -> ContainerError {
    ContainerError::TooLarge(format!(
        "{}: a bundle is a classic zip (no zip64)",
        what.into()
    ))
}

fn u16_of(value: usize, what: &str) -> Result<u16, ContainerError> {
    u16::try_from(value).map_err(|_| too_large(format!("{what} is {value}")))
}

fn u32_of(value: usize, what: &str) -> Result<u32, ContainerError> {
    // 0xFFFFFFFF is the zip64 marker: a classic zip never holds it.
    u32::try_from(value)
        .ok()
        .filter(|v| *v != u32::MAX)
        .ok_or_else(|| too_large(format!("{what} is {value}")))
}

fn layout<'a, I>(entries: I) -> Result<Layout<'a>, ContainerError>
where
    I: IntoIterator<Item = (&'a [u8], &'a [u8])>,
{
    let mut pieces = Vec::new();
    // Header bytes not yet pushed as a piece, and the length of the pieces before them.
    let mut bytes = Vec::new();
    let mut before = 0usize;
    let mut central = Vec::new();
    let mut tolerated = Vec::new();
    let mut central_tolerated = Vec::new();
    let mut count = 0usize;
    for (name, data) in entries {
        count += 1;
        let flags = if !name.is_ascii() && std::str::from_utf8(name).is_ok() {
            UTF8_FLAG
        } else {
            0
        };
        let name_len = u16_of(name.len(), "a name's length")?;
        let size = u32_of(data.len(), "a file's size")?;
        let offset = u32_of(before + bytes.len(), "an entry's offset")?;
        // The fields local and central headers share, from version needed to the name length.
        let mut common = Vec::with_capacity(22);
        common.extend_from_slice(&VERSION_NEEDED.to_le_bytes());
        common.extend_from_slice(&flags.to_le_bytes());
        common.extend_from_slice(&0u16.to_le_bytes()); // stored
        common.extend_from_slice(&0u16.to_le_bytes()); // 00:00:00
        common.extend_from_slice(&DOS_DATE.to_le_bytes());
        common.extend_from_slice(&crc32(data).to_le_bytes());
        common.extend_from_slice(&size.to_le_bytes()); // compressed
        common.extend_from_slice(&size.to_le_bytes()); // uncompressed
        common.extend_from_slice(&name_len.to_le_bytes());

        tolerated.push(ToleratedField {
            offset: before + bytes.len() + 4,
            kind: Tolerated::VersionNeeded,
        });
        bytes.extend_from_slice(&LOCAL_SIGNATURE.to_le_bytes());
        bytes.extend_from_slice(&common);
        bytes.extend_from_slice(&0u16.to_le_bytes()); // extra field length
        bytes.extend_from_slice(name);
        before += bytes.len() + data.len();
        pieces.push(Piece::Fixed(std::mem::take(&mut bytes), Some(name)));
        pieces.push(Piece::Data(data));

        central_tolerated.push(ToleratedField {
            offset: central.len() + 4,
            kind: Tolerated::VersionMadeBy,
        });
        central_tolerated.push(ToleratedField {
            offset: central.len() + 6,
            kind: Tolerated::VersionNeeded,
        });
        central.extend_from_slice(&CENTRAL_SIGNATURE.to_le_bytes());
        central.extend_from_slice(&VERSION_MADE_BY.to_le_bytes());
        central.extend_from_slice(&common);
        central.extend_from_slice(&0u16.to_le_bytes()); // extra field length
        central.extend_from_slice(&0u16.to_le_bytes()); // comment length
        central.extend_from_slice(&0u16.to_le_bytes()); // disk number start
        central.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
        central.extend_from_slice(&EXTERNAL_ATTRIBUTES.to_le_bytes());
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);
    }
    let entries = u16_of(count, "the number of entries")?;
    if entries == u16::MAX {
        return Err(too_large("65,535 entries"));
    }
    let central_offset = u32_of(before, "the central directory's offset")?;
    let central_size = u32_of(central.len(), "the central directory's size")?;
    tolerated.extend(central_tolerated.into_iter().map(|field| ToleratedField {
        offset: field.offset + before,
        ..field
    }));
    bytes.extend_from_slice(&central);
    bytes.extend_from_slice(&END_SIGNATURE.to_le_bytes());
    bytes.extend_from_slice(&0u16.to_le_bytes()); // this disk
    bytes.extend_from_slice(&0u16.to_le_bytes()); // disk of the central directory
    bytes.extend_from_slice(&entries.to_le_bytes()); // on this disk
    bytes.extend_from_slice(&entries.to_le_bytes()); // in all
    bytes.extend_from_slice(&central_size.to_le_bytes());
    bytes.extend_from_slice(&central_offset.to_le_bytes());
    bytes.extend_from_slice(&0u16.to_le_bytes()); // comment length
    let len = before + bytes.len();
    pieces.push(Piece::Fixed(bytes, None));
    Ok(Layout {
        pieces,
        len,
        tolerated,
    })
}

fn read_u16(bytes: &[u8], at: usize) -> Option<u16> {
    bytes
        .get(at..at + 2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
}

fn read_u32(bytes: &[u8], at: usize) -> Option<u32> {
    bytes
        .get(at..at + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// A local entry's (name, stored bytes), borrowed from the container.
type LocalEntry<'a> = (&'a [u8], &'a [u8]);

/// The (name, bytes) of the local entries at the start of `bytes`, read one after the other as
/// the canonical form lays them out; the rest of the file is checked by comparing it with the
/// canonical form of these entries.
fn local_entries(bytes: &[u8]) -> Result<Vec<LocalEntry<'_>>, ContainerError> {
    let mut entries = Vec::new();
    let mut at = 0usize;
    while read_u32(bytes, at) == Some(LOCAL_SIGNATURE) {
        let truncated =
            || ContainerError::NotCanonical(format!("the entry at byte {at} is cut short"));
        let header = bytes.get(at..at + LOCAL_HEADER_LEN).ok_or_else(truncated)?;
        let size = read_u32(header, 18).ok_or_else(truncated)? as usize;
        let name_len = usize::from(read_u16(header, 26).ok_or_else(truncated)?);
        let extra_len = usize::from(read_u16(header, 28).ok_or_else(truncated)?);
        let name_start = at + LOCAL_HEADER_LEN;
        let data_start = name_start + name_len + extra_len;
        let name = bytes
            .get(name_start..name_start + name_len)
            .ok_or_else(truncated)?;
        let data = bytes
            .get(data_start..data_start.saturating_add(size))
            .ok_or_else(truncated)?;
        entries.push((name, data));
        at = data_start + size;
    }
    if entries.is_empty() {
        return Err(ContainerError::NotCanonical(
            "the file does not start with a zip entry".to_owned(),
        ));
    }
    Ok(entries)
}

/// CRC-32 (IEEE 802.3, reflected, as zip uses it) of `data`.
fn crc32(data: &[u8]) -> u32 {
    !data.iter().fold(!0u32, |crc, &byte| {
        CRC_TABLE[usize::from((crc as u8) ^ byte)] ^ (crc >> 8)
    })
}

/// The CRC-32 lookup table of the reflected polynomial 0xEDB88320.
static CRC_TABLE: [u32; 256] = crc_table();

const fn crc_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut crc = i as u32;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
            bit += 1;
        }
        table[i] = crc;
        i += 1;
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        encode([
            ("README.txt", b"read me".as_slice()),
            ("media/a.png", &[7u8; 300]),
            ("seal.json", b"{}"),
        ])
        .expect("a small container encodes")
    }

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn the_canonical_form_checks_and_every_header_byte_is_pinned() {
        let bytes = sample();
        assert_eq!(
            check(&bytes),
            Ok(format!("3 stored entries, {} bytes", bytes.len()))
        );
        // Every single-bit change anywhere is refused (the content by its CRC-32).
        for offset in 0..bytes.len() {
            let mut changed = bytes.clone();
            changed[offset] ^= 0x01;
            assert!(check(&changed).is_err(), "byte {offset} flipped, accepted");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(check(&longer).is_err(), "a trailing byte");
        assert!(check(&bytes[1..]).is_err(), "a missing first byte");
        assert!(check(b"").is_err());
    }

    #[test]
    fn version_needed_two_and_an_ms_dos_host_are_accepted_nothing_else() {
        let bytes = sample();
        let central = read_u32(&bytes, bytes.len() - 6).expect("the end record") as usize;
        // local header of the first entry: version needed at 4; central: made by at 4, needed at 6
        let mut rezipped = bytes.clone();
        rezipped[4] = 20;
        rezipped[central + 6] = 20;
        rezipped[central + 5] = 0;
        assert!(check(&rezipped).is_ok());
        for (at, value) in [
            (4, 45),
            (4, 11),
            (central + 6, 0),
            (central + 5, 10),
            (central + 4, 20),
        ] {
            let mut changed = bytes.clone();
            changed[at] = value;
            assert!(check(&changed).is_err(), "byte {at} = {value} accepted");
        }
    }

    #[test]
    fn entries_out_of_order_or_too_large_are_refused() {
        let unordered = encode([("seal.json", b"{}".as_slice()), ("evidence.json", b"{}")])
            .expect("encodes in the order given");
        let refused = check(&unordered);
        assert!(
            matches!(&refused, Err(ContainerError::NotCanonical(why)) if why.contains("ascending")),
            "{refused:?}"
        );
        let name = "n".repeat(70_000);
        assert!(matches!(
            encode([(name.as_str(), b"".as_slice())]),
            Err(ContainerError::TooLarge(_))
        ));
    }
}

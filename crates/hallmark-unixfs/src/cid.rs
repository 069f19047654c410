//! Content identifiers: CIDv0 and CIDv1 over sha2-256, for the dag-pb and raw codecs — exactly the
//! CIDs Kubo's `ipfs add` produces with default hashing.

use std::fmt;
use std::str::FromStr;

use data_encoding::{BASE32_NOPAD, HEXLOWER_PERMISSIVE};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

use crate::varint;

/// Multihash code of sha2-256.
const SHA2_256: u64 = 0x12;
/// Length of a sha2-256 digest.
const DIGEST_LEN: usize = 32;

/// The CID version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CidVersion {
    /// Base58 `Qm…` CIDs: always dag-pb over sha2-256.
    V0,
    /// Self-describing CIDs, printed in base32 (`b…`).
    V1,
}

/// The IPLD codec of the block a CID names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Codec {
    /// Protobuf-encoded merkledag nodes (UnixFS files and directories).
    DagPb,
    /// Raw bytes (UnixFS leaves with `--raw-leaves`).
    Raw,
}

impl Codec {
    /// The multicodec code.
    pub const fn code(self) -> u64 {
        match self {
            Self::DagPb => 0x70,
            Self::Raw => 0x55,
        }
    }

    fn from_code(code: u64) -> Result<Self, CidError> {
        match code {
            0x70 => Ok(Self::DagPb),
            0x55 => Ok(Self::Raw),
            other => Err(CidError::UnsupportedCodec(other)),
        }
    }
}

/// Why a CID could not be parsed, built or verified.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CidError {
    /// The text is not a CID in a supported multibase.
    #[error("not a CID: {0}")]
    Malformed(String),
    /// A codec other than dag-pb or raw.
    #[error("unsupported codec 0x{0:x} (only dag-pb and raw are supported)")]
    UnsupportedCodec(u64),
    /// A hash function other than sha2-256.
    #[error("unsupported multihash 0x{0:x} (only sha2-256 is supported)")]
    UnsupportedHash(u64),
    /// CIDv0 can only name dag-pb blocks.
    #[error("a CIDv0 can only name a dag-pb block")]
    V0NotDagPb,
    /// The bytes do not hash to the CID.
    #[error("the bytes hash to {actual}, not to {expected}")]
    Mismatch {
        /// The CID the bytes were expected to have.
        expected: Cid,
        /// The CID the bytes actually have.
        actual: Cid,
    },
}

/// A sha2-256 content identifier of a dag-pb or raw block.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cid {
    version: CidVersion,
    codec: Codec,
    digest: [u8; DIGEST_LEN],
}

impl Cid {
    /// The CID of `block` with the given version and codec.
    pub fn for_block(version: CidVersion, codec: Codec, block: &[u8]) -> Result<Self, CidError> {
        Self::from_digest(version, codec, Sha256::digest(block).into())
    }

    /// A CID from a sha2-256 digest.
    pub fn from_digest(
        version: CidVersion,
        codec: Codec,
        digest: [u8; DIGEST_LEN],
    ) -> Result<Self, CidError> {
        if version == CidVersion::V0 && codec != Codec::DagPb {
            return Err(CidError::V0NotDagPb);
        }
        Ok(Self {
            version,
            codec,
            digest,
        })
    }

    /// The version.
    pub const fn version(&self) -> CidVersion {
        self.version
    }

    /// The codec.
    pub const fn codec(&self) -> Codec {
        self.codec
    }

    /// The sha2-256 digest of the block.
    pub const fn digest(&self) -> &[u8; DIGEST_LEN] {
        &self.digest
    }

    /// The same block named by a CIDv1 (Kubo's blockstore key form).
    pub const fn to_v1(&self) -> Self {
        Self {
            version: CidVersion::V1,
            codec: self.codec,
            digest: self.digest,
        }
    }

    /// Checks that `block` hashes to this CID.
    pub fn verify(&self, block: &[u8]) -> Result<(), CidError> {
        let digest: [u8; DIGEST_LEN] = Sha256::digest(block).into();
        if digest == self.digest {
            Ok(())
        } else {
            Err(CidError::Mismatch {
                expected: *self,
                actual: Self { digest, ..*self },
            })
        }
    }

    /// The binary form: the multihash for v0, `version ‖ codec ‖ multihash` for v1.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(36);
        if self.version == CidVersion::V1 {
            varint::put(&mut out, 1);
            varint::put(&mut out, self.codec.code());
        }
        out.push(SHA2_256 as u8);
        out.push(DIGEST_LEN as u8);
        out.extend_from_slice(&self.digest);
        out
    }

    /// Reads a binary CID from the start of `bytes`: the CID and how many bytes it used.
    pub fn read_bytes(bytes: &[u8]) -> Result<(Self, usize), CidError> {
        let malformed = || CidError::Malformed("truncated binary CID".to_owned());
        if bytes.len() >= 2 && bytes[0] == SHA2_256 as u8 && bytes[1] == DIGEST_LEN as u8 {
            let digest = bytes.get(2..2 + DIGEST_LEN).ok_or_else(malformed)?;
            let cid = Self::from_digest(CidVersion::V0, Codec::DagPb, to_digest(digest))?;
            return Ok((cid, 2 + DIGEST_LEN));
        }
        let (version, a) = varint::read(bytes).ok_or_else(malformed)?;
        if version != 1 {
            return Err(CidError::Malformed(format!(
                "unknown CID version {version}"
            )));
        }
        let (codec, b) = varint::read(&bytes[a..]).ok_or_else(malformed)?;
        let codec = Codec::from_code(codec)?;
        let (hash, c) = varint::read(&bytes[a + b..]).ok_or_else(malformed)?;
        if hash != SHA2_256 {
            return Err(CidError::UnsupportedHash(hash));
        }
        let (len, d) = varint::read(&bytes[a + b + c..]).ok_or_else(malformed)?;
        if len != DIGEST_LEN as u64 {
            return Err(CidError::Malformed(format!(
                "sha2-256 digest of {len} bytes"
            )));
        }
        let start = a + b + c + d;
        let digest = bytes.get(start..start + DIGEST_LEN).ok_or_else(malformed)?;
        Ok((
            Self::from_digest(CidVersion::V1, codec, to_digest(digest))?,
            start + DIGEST_LEN,
        ))
    }

    /// Parses a binary CID that must fill `bytes` exactly.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CidError> {
        let (cid, used) = Self::read_bytes(bytes)?;
        if used != bytes.len() {
            return Err(CidError::Malformed(
                "trailing bytes after the CID".to_owned(),
            ));
        }
        Ok(cid)
    }
}

fn to_digest(bytes: &[u8]) -> [u8; DIGEST_LEN] {
    let mut digest = [0u8; DIGEST_LEN];
    digest.copy_from_slice(bytes);
    digest
}

/// Lower-case RFC 4648 base32 without padding (multibase `b`).
fn base32_lower(bytes: &[u8]) -> String {
    BASE32_NOPAD.encode(bytes).to_ascii_lowercase()
}

impl fmt::Display for Cid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.version {
            CidVersion::V0 => f.write_str(&bs58::encode(self.to_bytes()).into_string()),
            CidVersion::V1 => write!(f, "b{}", base32_lower(&self.to_bytes())),
        }
    }
}

impl fmt::Debug for Cid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Cid({self})")
    }
}

impl FromStr for Cid {
    type Err = CidError;

    fn from_str(text: &str) -> Result<Self, CidError> {
        let malformed = |why: &str| CidError::Malformed(format!("`{}`: {why}", shorten(text)));
        if text.len() > 200 {
            return Err(malformed("too long"));
        }
        if text.len() == 46 && text.starts_with("Qm") {
            let bytes = bs58::decode(text)
                .into_vec()
                .map_err(|_| malformed("invalid base58"))?;
            let cid = Self::from_bytes(&bytes)?;
            return if cid.version == CidVersion::V0 {
                Ok(cid)
            } else {
                Err(malformed("not a CIDv0"))
            };
        }
        let mut chars = text.chars();
        let base = chars.next().ok_or_else(|| malformed("empty"))?;
        let rest = chars.as_str();
        let bytes = match base {
            'b' | 'B' => BASE32_NOPAD
                .decode(rest.to_ascii_uppercase().as_bytes())
                .map_err(|_| malformed("invalid base32"))?,
            'z' => bs58::decode(rest)
                .into_vec()
                .map_err(|_| malformed("invalid base58"))?,
            'f' | 'F' => HEXLOWER_PERMISSIVE
                .decode(rest.as_bytes())
                .map_err(|_| malformed("invalid base16"))?,
            _ => return Err(malformed("unknown multibase prefix")),
        };
        let cid = Self::from_bytes(&bytes)?;
        if cid.version != CidVersion::V1 {
            return Err(malformed("a multibase CID must be CIDv1"));
        }
        Ok(cid)
    }
}

fn shorten(text: &str) -> String {
    if text.chars().count() <= 64 {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(64).collect::<String>())
    }
}

impl Serialize for Cid {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Cid {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_cids_round_trip() {
        for text in [
            "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o",
            "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4",
            "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
        ] {
            let cid: Cid = text.parse().expect(text);
            assert_eq!(cid.to_string(), text);
            assert_eq!(Cid::from_bytes(&cid.to_bytes()).expect("bytes"), cid);
        }
    }

    #[test]
    fn v0_of_hello_world() {
        // `echo 'hello world' | ipfs add -n` — the single leaf node of the file.
        let mut node = vec![0x0a, 0x12, 0x08, 0x02, 0x12, 0x0c];
        node.extend_from_slice(b"hello world\n");
        node.extend_from_slice(&[0x18, 0x0c]);
        let cid = Cid::for_block(CidVersion::V0, Codec::DagPb, &node).expect("cid");
        assert_eq!(
            cid.to_string(),
            "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"
        );
        assert_eq!(
            cid.to_v1().to_string(),
            "bafybeicg2rebjoofv4kbyovkw7af3rpiitvnl6i7ckcywaq6xjcxnc2mby"
        );
    }

    #[test]
    fn other_bases_and_errors() {
        let cid: Cid = "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4"
            .parse()
            .expect("cid");
        let hex = format!("f{}", data_encoding::HEXLOWER.encode(&cid.to_bytes()));
        assert_eq!(hex.parse::<Cid>().expect("hex"), cid);
        let b58 = format!("z{}", bs58::encode(cid.to_bytes()).into_string());
        assert_eq!(b58.parse::<Cid>().expect("base58"), cid);
        for bad in [
            "",
            "Qm",
            "hello",
            "b!!!!",
            "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5O",
        ] {
            assert!(bad.parse::<Cid>().is_err(), "{bad}");
        }
        assert_eq!(
            Cid::for_block(CidVersion::V0, Codec::Raw, b"x"),
            Err(CidError::V0NotDagPb)
        );
        let other = Cid::for_block(CidVersion::V1, Codec::Raw, b"y").expect("cid");
        assert!(matches!(other.verify(b"x"), Err(CidError::Mismatch { .. })));
        assert_eq!(other.verify(b"y"), Ok(()));
        let json = serde_json::to_string(&other).expect("json");
        assert_eq!(serde_json::from_str::<Cid>(&json).expect("back"), other);
    }

    proptest! {
        #[test]
        fn text_and_bytes_round_trip(block in proptest::collection::vec(any::<u8>(), 0..64), v1 in any::<bool>(), raw in any::<bool>()) {
            let version = if v1 { CidVersion::V1 } else { CidVersion::V0 };
            let codec = if raw && v1 { Codec::Raw } else { Codec::DagPb };
            let cid = Cid::for_block(version, codec, &block).expect("cid");
            prop_assert_eq!(cid.to_string().parse::<Cid>().expect("parse"), cid);
            prop_assert_eq!(Cid::from_bytes(&cid.to_bytes()).expect("bytes"), cid);
        }

        #[test]
        fn parsing_garbage_never_panics(text in "\\PC{0,80}", bytes in proptest::collection::vec(any::<u8>(), 0..80)) {
            let _ = text.parse::<Cid>();
            let _ = Cid::read_bytes(&bytes);
        }
    }
}

//! Web3 Secret Storage v3 keystores, written here on RustCrypto crates (`scrypt`, `pbkdf2`,
//! `aes` + `ctr`, Keccak-256 from alloy) instead of the unmaintained `eth-keystore`.
//!
//! A keystore is hostile input until its MAC matches: every field is parsed and checked (version
//! 3, cipher `aes-128-ctr` with a 16-byte IV, `dklen` 32, a 32-byte ciphertext and MAC, a salt of
//! [`MIN_SALT_BYTES`]..=[`MAX_SALT_BYTES`] bytes, a KDF cost within [`MAX_SCRYPT_MEMORY`] and
//! [`MAX_SCRYPT_WORK`], or [`MAX_PBKDF2_ROUNDS`]) **before** any key derivation, and a bad one is a typed
//! [`Malformed`] or [`TooCostly`], never a panic.

use aes::cipher::{KeyIvInit, StreamCipher};
use alloy::primitives::keccak256;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// Most scrypt memory a keystore may ask for (`128 · r · n` bytes): geth's "standard" 256 MiB.
pub const MAX_SCRYPT_MEMORY: u64 = 256 * 1024 * 1024;
/// Most scrypt work a keystore may ask for (`128 · r · n · p`, the bytes scrypt mixes): geth's
/// "standard" (n = 2¹⁸, r = 8, p = 1), the most any wallet writes (ethers and MetaMask write
/// n = 2¹⁷, MyEtherWallet 2¹³). A wrong password is then refused in about a second, not the
/// 16 s of p = 16 at that memory.
pub const MAX_SCRYPT_WORK: u64 = 256 * 1024 * 1024;
/// Most scrypt parallelism a keystore may ask for.
pub const MAX_SCRYPT_P: u64 = 16;
/// Most PBKDF2 rounds a keystore may ask for: the 262,144 geth and MyEtherWallet write (was
/// 10,000,000, 40 s to refuse a wrong password).
pub const MAX_PBKDF2_ROUNDS: u64 = 262_144;
/// Shortest salt accepted (bytes); geth, alloy and Hallmark write 32.
pub const MIN_SALT_BYTES: usize = 16;
/// Longest salt accepted (bytes).
pub const MAX_SALT_BYTES: usize = 64;
/// The only derived-key length v3 defines for `aes-128-ctr` (16 bytes of AES key, 16 of MAC key).
pub const DKLEN: u64 = 32;
/// scrypt log₂ n for new keystores: n = 2¹⁸, r = 8, p = 1 (geth's "standard", 256 MiB).
pub const SCRYPT_LOG_N: u8 = 18;
/// scrypt log₂ n Hallmark wrote before (geth's "light"); such keystores still open.
pub const LEGACY_SCRYPT_LOG_N: u8 = 13;

/// What is wrong with a file that should be a v3 keystore.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Malformed {
    /// The file is far larger than any keystore.
    #[error("{0} bytes is far larger than a keystore")]
    TooLarge(u64),
    /// The text is not JSON of the keystore's shape.
    #[error("not a keystore's JSON: {0}")]
    Json(String),
    /// Another version than 3.
    #[error("version {0} (only 3 is defined)")]
    Version(u64),
    /// Another cipher than `aes-128-ctr`.
    #[error("cipher {0:?} (only \"aes-128-ctr\" is defined)")]
    Cipher(String),
    /// Another key derivation than scrypt or pbkdf2.
    #[error("unknown key derivation {0:?} (scrypt or pbkdf2)")]
    Kdf(String),
    /// A KDF parameter is missing or not a number of the right kind.
    #[error("{kdf} parameter {name:?} is missing or not a whole number")]
    Param {
        /// `scrypt` or `pbkdf2`.
        kdf: &'static str,
        /// The parameter.
        name: &'static str,
    },
    /// A KDF parameter that cannot be right (n not a power of two above 1, r or p or c zero).
    #[error("{kdf} parameter {name} = {value} is not valid")]
    BadParam {
        /// `scrypt` or `pbkdf2`.
        kdf: &'static str,
        /// The parameter.
        name: &'static str,
        /// Its value.
        value: u64,
    },
    /// A PBKDF2 pseudo-random function other than HMAC-SHA256.
    #[error("pbkdf2 prf {0:?} (only \"hmac-sha256\" is defined)")]
    Prf(String),
    /// A derived-key length other than 32.
    #[error("dklen {0} (aes-128-ctr needs 32)")]
    DkLen(u64),
    /// A hex field is not hex.
    #[error("{0} is not hex")]
    NotHex(&'static str),
    /// The decrypted secret is not a valid secp256k1 key (zero, or not below the curve order).
    #[error("the decrypted secret is not a valid secp256k1 key")]
    BadKey,
    /// A field has the wrong length.
    #[error("{field} is {len} bytes ({expected})")]
    Length {
        /// The field.
        field: &'static str,
        /// Its length in bytes.
        len: usize,
        /// What it should be.
        expected: &'static str,
    },
}

/// A keystore asking for more key-derivation work than Hallmark allows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TooCostly {
    /// scrypt memory or parallelism above the bounds.
    #[error("scrypt n = {n}, r = {r}, p = {p}")]
    Scrypt {
        /// CPU/memory cost.
        n: u64,
        /// Block size.
        r: u64,
        /// Parallelism.
        p: u64,
    },
    /// PBKDF2 rounds above the bound.
    #[error("pbkdf2 c = {0}")]
    Pbkdf2(u64),
}

/// Why a keystore did not open.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeystoreError {
    /// Not a well-formed v3 keystore.
    #[error(transparent)]
    Malformed(#[from] Malformed),
    /// Too much key-derivation work asked.
    #[error(transparent)]
    TooCostly(#[from] TooCostly),
    /// The MAC does not match: the password is wrong (or the file was altered).
    #[error("the password does not open this keystore")]
    WrongPassword,
}

/// The scrypt cost of a keystore written here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScryptCost {
    /// log₂ n.
    pub log_n: u8,
    /// Block size.
    pub r: u32,
    /// Parallelism.
    pub p: u32,
}

impl ScryptCost {
    /// n = 2¹⁸, r = 8, p = 1: what every new keystore gets.
    pub const STANDARD: Self = Self {
        log_n: SCRYPT_LOG_N,
        r: 8,
        p: 1,
    };
}

#[derive(Serialize, Deserialize)]
struct KeystoreJson {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    address: Option<String>,
    #[serde(alias = "Crypto")]
    crypto: CryptoJson,
    #[serde(default)]
    id: serde_json::Value,
    version: serde_json::Value,
}

#[derive(Serialize, Deserialize)]
struct CryptoJson {
    cipher: String,
    cipherparams: CipherParams,
    ciphertext: String,
    kdf: String,
    kdfparams: serde_json::Map<String, serde_json::Value>,
    mac: String,
}

#[derive(Serialize, Deserialize)]
struct CipherParams {
    iv: String,
}

/// A key derivation whose parameters have all been checked.
enum Kdf {
    Scrypt { log_n: u8, r: u32, p: u32 },
    Pbkdf2 { c: u32 },
}

/// Every field of a keystore, parsed and checked: only this goes to the crypto.
struct Checked {
    kdf: Kdf,
    salt: Vec<u8>,
    iv: [u8; 16],
    ciphertext: [u8; 32],
    mac: [u8; 32],
}

fn hex_field(field: &'static str, text: &str) -> Result<Vec<u8>, Malformed> {
    let text = text.strip_prefix("0x").unwrap_or(text);
    hex::decode(text).map_err(|_| Malformed::NotHex(field))
}

fn fixed<const N: usize>(
    field: &'static str,
    text: &str,
    expected: &'static str,
) -> Result<[u8; N], Malformed> {
    let bytes = hex_field(field, text)?;
    <[u8; N]>::try_from(bytes.as_slice()).map_err(|_| Malformed::Length {
        field,
        len: bytes.len(),
        expected,
    })
}

fn check(bytes: &[u8]) -> Result<Checked, KeystoreError> {
    let json: KeystoreJson =
        serde_json::from_slice(bytes).map_err(|e| Malformed::Json(e.to_string()))?;
    match json.version.as_u64() {
        Some(3) => {}
        Some(v) => return Err(Malformed::Version(v).into()),
        None => return Err(Malformed::Json(format!("version {}", json.version)).into()),
    }
    let crypto = json.crypto;
    if crypto.cipher != "aes-128-ctr" {
        return Err(Malformed::Cipher(crypto.cipher).into());
    }
    let params = &crypto.kdfparams;
    let number = |kdf: &'static str, name: &'static str| {
        params
            .get(name)
            .and_then(serde_json::Value::as_u64)
            .ok_or(Malformed::Param { kdf, name })
    };
    let kdf_name: &'static str = match crypto.kdf.as_str() {
        "scrypt" => "scrypt",
        "pbkdf2" => "pbkdf2",
        _ => return Err(Malformed::Kdf(crypto.kdf).into()),
    };
    let dklen = number(kdf_name, "dklen")?;
    if dklen != DKLEN {
        return Err(Malformed::DkLen(dklen).into());
    }
    let kdf = if kdf_name == "scrypt" {
        let (n, r, p) = (
            number("scrypt", "n")?,
            number("scrypt", "r")?,
            number("scrypt", "p")?,
        );
        for (name, value, ok) in [
            ("n", n, n > 1 && n.is_power_of_two()),
            ("r", r, r > 0),
            ("p", p, p > 0),
        ] {
            if !ok {
                return Err(Malformed::BadParam {
                    kdf: "scrypt",
                    name,
                    value,
                }
                .into());
            }
        }
        let memory = 128u64.saturating_mul(r).saturating_mul(n);
        if memory > MAX_SCRYPT_MEMORY
            || p > MAX_SCRYPT_P
            || memory.saturating_mul(p) > MAX_SCRYPT_WORK
        {
            return Err(TooCostly::Scrypt { n, r, p }.into());
        }
        // Bounded above: n ≤ 2²¹, r ≤ 2²¹, p ≤ 16 all fit.
        let (Ok(log_n), Ok(r), Ok(p)) = (
            u8::try_from(n.trailing_zeros()),
            u32::try_from(r),
            u32::try_from(p),
        ) else {
            return Err(TooCostly::Scrypt { n, r, p }.into());
        };
        Kdf::Scrypt { log_n, r, p }
    } else {
        let c = number("pbkdf2", "c")?;
        if c == 0 {
            return Err(Malformed::BadParam {
                kdf: "pbkdf2",
                name: "c",
                value: c,
            }
            .into());
        }
        let c = u32::try_from(c)
            .ok()
            .filter(|&c| u64::from(c) <= MAX_PBKDF2_ROUNDS)
            .ok_or(TooCostly::Pbkdf2(c))?;
        match params.get("prf").and_then(serde_json::Value::as_str) {
            Some("hmac-sha256") => {}
            other => return Err(Malformed::Prf(other.unwrap_or("(none)").to_owned()).into()),
        }
        Kdf::Pbkdf2 { c }
    };
    let salt = hex_field(
        "salt",
        params
            .get("salt")
            .and_then(serde_json::Value::as_str)
            .ok_or(Malformed::Param {
                kdf: kdf_name,
                name: "salt",
            })?,
    )?;
    if !(MIN_SALT_BYTES..=MAX_SALT_BYTES).contains(&salt.len()) {
        return Err(Malformed::Length {
            field: "salt",
            len: salt.len(),
            expected: "16 to 64",
        }
        .into());
    }
    Ok(Checked {
        kdf,
        salt,
        iv: fixed("iv", &crypto.cipherparams.iv, "16 expected")?,
        ciphertext: fixed("ciphertext", &crypto.ciphertext, "32 expected: one key")?,
        mac: fixed("mac", &crypto.mac, "32 expected")?,
    })
}

fn derive(kdf: &Kdf, password: &[u8], salt: &[u8]) -> Result<Zeroizing<[u8; 32]>, KeystoreError> {
    let mut key = Zeroizing::new([0u8; 32]);
    match *kdf {
        Kdf::Scrypt { log_n, r, p } => {
            let params = scrypt::Params::new(log_n, r, p).map_err(|_| TooCostly::Scrypt {
                n: 1u64 << log_n.min(63),
                r: r.into(),
                p: p.into(),
            })?;
            scrypt::scrypt(password, salt, &params, key.as_mut_slice()).map_err(|_| {
                Malformed::Length {
                    field: "derived key",
                    len: key.len(),
                    expected: "rejected by scrypt",
                }
            })?;
        }
        Kdf::Pbkdf2 { c } => {
            pbkdf2::pbkdf2_hmac::<pbkdf2::sha2::Sha256>(password, salt, c, key.as_mut_slice());
        }
    }
    Ok(key)
}

fn mac(derived: &[u8; 32], ciphertext: &[u8]) -> [u8; 32] {
    let mut input = Vec::with_capacity(16 + ciphertext.len());
    input.extend_from_slice(&derived[16..]);
    input.extend_from_slice(ciphertext);
    keccak256(&input).0
}

fn apply_aes_ctr(derived: &[u8; 32], iv: &[u8; 16], data: &mut [u8]) {
    let mut cipher = ctr::Ctr128BE::<aes::Aes128>::new(derived[..16].into(), iv.into());
    cipher.apply_keystream(data);
}

/// Checks every field of the keystore `bytes` without deriving anything (cheap: run it before
/// spending scrypt's time and memory on a file).
pub fn check_keystore(bytes: &[u8]) -> Result<(), KeystoreError> {
    check(bytes).map(drop)
}

/// Opens the keystore `bytes` with `password` and returns the 32-byte secret key.
pub fn decrypt(bytes: &[u8], password: &[u8]) -> Result<Zeroizing<[u8; 32]>, KeystoreError> {
    let checked = check(bytes)?;
    let derived = derive(&checked.kdf, password, &checked.salt)?;
    let expected = mac(&derived, &checked.ciphertext);
    if !bool::from(expected.ct_eq(&checked.mac)) {
        return Err(KeystoreError::WrongPassword);
    }
    let mut secret = Zeroizing::new(checked.ciphertext);
    apply_aes_ctr(&derived, &checked.iv, secret.as_mut_slice());
    Ok(secret)
}

/// Encrypts the 32-byte `secret` with `password` into a v3 keystore (scrypt at `cost`, a random
/// 32-byte salt, a random IV, a random v4 UUID); `address` is written without `0x`, as geth does.
pub fn encrypt(
    secret: &[u8; 32],
    password: &[u8],
    cost: ScryptCost,
    address: Option<&str>,
) -> Result<Vec<u8>, KeystoreError> {
    let mut rng = rand::thread_rng();
    let mut salt = [0u8; 32];
    let mut iv = [0u8; 16];
    let mut id = [0u8; 16];
    rng.fill_bytes(&mut salt);
    rng.fill_bytes(&mut iv);
    rng.fill_bytes(&mut id);
    let kdf = Kdf::Scrypt {
        log_n: cost.log_n,
        r: cost.r,
        p: cost.p,
    };
    let derived = derive(&kdf, password, &salt)?;
    let mut ciphertext = Zeroizing::new(*secret);
    apply_aes_ctr(&derived, &iv, ciphertext.as_mut_slice());
    let mac = mac(&derived, ciphertext.as_slice());
    // A random (version 4, variant 1) UUID.
    id[6] = (id[6] & 0x0f) | 0x40;
    id[8] = (id[8] & 0x3f) | 0x80;
    let id = hex::encode(id);
    let id = format!(
        "{}-{}-{}-{}-{}",
        &id[..8],
        &id[8..12],
        &id[12..16],
        &id[16..20],
        &id[20..]
    );
    let mut kdfparams = serde_json::Map::new();
    kdfparams.insert("dklen".into(), DKLEN.into());
    kdfparams.insert("n".into(), (1u64 << cost.log_n).into());
    kdfparams.insert("p".into(), cost.p.into());
    kdfparams.insert("r".into(), cost.r.into());
    kdfparams.insert("salt".into(), hex::encode(salt).into());
    let json = KeystoreJson {
        address: address.map(|a| a.trim_start_matches("0x").to_lowercase()),
        crypto: CryptoJson {
            cipher: "aes-128-ctr".to_owned(),
            cipherparams: CipherParams {
                iv: hex::encode(iv),
            },
            ciphertext: hex::encode(ciphertext.as_slice()),
            kdf: "scrypt".to_owned(),
            kdfparams,
            mac: hex::encode(mac),
        },
        id: id.into(),
        version: 3.into(),
    };
    serde_json::to_vec(&json).map_err(|e| Malformed::Json(e.to_string()).into())
}

/// The scrypt cost of a keystore, when it is a well-formed scrypt one.
pub fn scrypt_cost(bytes: &[u8]) -> Option<ScryptCost> {
    match check(bytes).ok()?.kdf {
        Kdf::Scrypt { log_n, r, p } => Some(ScryptCost { log_n, r, p }),
        Kdf::Pbkdf2 { .. } => None,
    }
}

impl ScryptCost {
    /// Whether this costs a guesser at least as much as [`ScryptCost::STANDARD`] (as much memory,
    /// `128 · r · n`, and as many passes, `p`).
    pub fn at_least_standard(self) -> bool {
        let memory = |c: Self| (1u128 << c.log_n.min(64)) * u128::from(c.r);
        memory(self) >= memory(Self::STANDARD) && self.p >= Self::STANDARD.p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Web3 Secret Storage definition's PBKDF2 test vector (password "testpassword").
    const SPEC_PBKDF2: &str = r#"{
        "crypto" : {
            "cipher" : "aes-128-ctr",
            "cipherparams" : { "iv" : "6087dab2f9fdbbfaddc31a909735c1e6" },
            "ciphertext" : "5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46",
            "kdf" : "pbkdf2",
            "kdfparams" : {
                "c" : 262144,
                "dklen" : 32,
                "prf" : "hmac-sha256",
                "salt" : "ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd"
            },
            "mac" : "517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2"
        },
        "id" : "3198bc9c-6672-5ab3-d995-4942343ae5b6",
        "version" : 3
    }"#;

    /// The definition's scrypt test vector (password "testpassword").
    const SPEC_SCRYPT: &str = r#"{
        "crypto" : {
            "cipher" : "aes-128-ctr",
            "cipherparams" : { "iv" : "83dbcc02d8ccb40e466191a123791e0e" },
            "ciphertext" : "d172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c",
            "kdf" : "scrypt",
            "kdfparams" : {
                "dklen" : 32,
                "n" : 262144,
                "p" : 8,
                "r" : 1,
                "salt" : "ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19"
            },
            "mac" : "2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097"
        },
        "id" : "3198bc9c-6672-5ab3-d995-4942343ae5b6",
        "version" : 3
    }"#;

    /// The key both vectors hold.
    const SPEC_KEY: &str = "7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d";

    #[test]
    fn the_specs_pbkdf2_and_scrypt_vectors_decrypt_to_their_key() {
        for (name, vector) in [("pbkdf2", SPEC_PBKDF2), ("scrypt", SPEC_SCRYPT)] {
            let secret = decrypt(vector.as_bytes(), b"testpassword").expect(name);
            assert_eq!(hex::encode(secret.as_slice()), SPEC_KEY, "{name}");
            assert_eq!(
                decrypt(vector.as_bytes(), b"testpassworD"),
                Err(KeystoreError::WrongPassword),
                "{name}"
            );
        }
    }

    #[test]
    fn a_keystore_written_here_opens_and_has_the_standard_cost() {
        let secret = [7u8; 32];
        let bytes = encrypt(&secret, b"pw", ScryptCost::STANDARD, Some("0xAbC")).expect("encrypt");
        assert_eq!(scrypt_cost(&bytes), Some(ScryptCost::STANDARD));
        assert!(ScryptCost::STANDARD.at_least_standard());
        assert!(
            !ScryptCost {
                log_n: LEGACY_SCRYPT_LOG_N,
                r: 8,
                p: 1
            }
            .at_least_standard()
        );
        let json: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
        assert_eq!(json["crypto"]["kdfparams"]["n"], 262_144);
        assert_eq!(json["crypto"]["kdfparams"]["r"], 8);
        assert_eq!(json["crypto"]["kdfparams"]["p"], 1);
        assert_eq!(json["address"], "abc");
        let id = json["id"].as_str().expect("id");
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert_eq!(*decrypt(&bytes, b"pw").expect("decrypt"), secret);
        assert_eq!(decrypt(&bytes, b"pW"), Err(KeystoreError::WrongPassword));
    }
}

/// How long a new keystore takes to open here: `cargo test -p hallmark-chain --lib -- --ignored
/// unlock_time --nocapture` (docs/wallet.md quotes the result).
#[cfg(test)]
mod timing {
    use super::*;

    #[test]
    #[ignore = "a measurement, not a check"]
    fn unlock_time() {
        for cost in [
            ScryptCost::STANDARD,
            ScryptCost {
                log_n: LEGACY_SCRYPT_LOG_N,
                ..ScryptCost::STANDARD
            },
        ] {
            let bytes = encrypt(&[1; 32], b"pw", cost, None).expect("encrypt");
            let started = std::time::Instant::now();
            let runs = 3;
            for _ in 0..runs {
                decrypt(&bytes, b"pw").expect("decrypt");
            }
            println!(
                "scrypt n = 2^{}, r = {}, p = {}: {:?} per unlock",
                cost.log_n,
                cost.r,
                cost.p,
                started.elapsed() / runs
            );
        }
    }
}

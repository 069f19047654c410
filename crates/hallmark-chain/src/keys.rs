//! Account keys at rest: Web3 Secret Storage (v3) keystores encrypted with scrypt, and BIP-39
//! recovery phrases (derivation path `m/44'/60'/0'/0/i`, as MetaMask and geth use).
//!
//! A keystore from elsewhere is hostile input: its size and its KDF cost are bounded before any
//! decryption, so a file asking for gigabytes of scrypt memory is refused, not obeyed.

use std::path::Path;

use alloy::signers::local::coins_bip39::English;
use alloy::signers::local::{LocalSignerError, MnemonicBuilder, PrivateKeySigner};
use hallmark_domain::ErrorCode;
use serde::Deserialize;

/// Largest keystore file read (real ones are under 1 KB).
pub const MAX_KEYSTORE_BYTES: u64 = 64 * 1024;
/// Most scrypt memory a keystore may ask for (`128 · r · n` bytes): geth's "standard" 256 MiB.
pub const MAX_SCRYPT_MEMORY: u64 = 256 * 1024 * 1024;
/// Most PBKDF2 rounds a keystore may ask for.
pub const MAX_PBKDF2_ROUNDS: u64 = 10_000_000;

/// Why a key could not be read, made or written.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The password does not open the keystore (its MAC does not match).
    #[error("the password does not open this keystore")]
    WrongPassword,
    /// The file is not a Web3 Secret Storage v3 keystore.
    #[error("this is not an Ethereum keystore file (Web3 Secret Storage v3): {reason}")]
    NotAKeystore {
        /// What is wrong.
        reason: String,
    },
    /// The keystore asks for more work than Hallmark allows.
    #[error("this keystore asks for too much key-derivation work ({reason}); refused")]
    TooCostly {
        /// Which parameter.
        reason: String,
    },
    /// The recovery phrase is not a valid BIP-39 English phrase.
    #[error(
        "the recovery phrase is not valid (12 to 24 English BIP-39 words with a correct checksum)"
    )]
    BadPhrase,
    /// Reading or writing a keystore file failed.
    #[error("keystore file {path}: {reason}")]
    File {
        /// The file.
        path: String,
        /// The operating system's reason.
        reason: String,
    },
}

impl KeyError {
    /// A stable machine-readable code.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::WrongPassword => ErrorCode::WalletWrongPassword,
            Self::NotAKeystore { .. } => ErrorCode::WalletNotAKeystore,
            Self::TooCostly { .. } => ErrorCode::WalletKeystoreTooCostly,
            Self::BadPhrase => ErrorCode::WalletBadPhrase,
            Self::File { .. } => ErrorCode::WalletFile,
        }
    }
}

fn file_error(path: &Path, e: impl std::fmt::Display) -> KeyError {
    KeyError::File {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

fn from_local(e: LocalSignerError) -> KeyError {
    match e {
        LocalSignerError::EthKeystoreError(eth_keystore::KeystoreError::MacMismatch) => {
            KeyError::WrongPassword
        }
        LocalSignerError::EthKeystoreError(e) => KeyError::NotAKeystore {
            reason: e.to_string(),
        },
        other => KeyError::NotAKeystore {
            reason: other.to_string(),
        },
    }
}

/// A fresh random key (from the operating system's CSPRNG).
pub fn random_key() -> PrivateKeySigner {
    PrivateKeySigner::random()
}

/// The key at `m/44'/60'/0'/0/index` of an English BIP-39 recovery phrase.
pub fn key_from_phrase(phrase: &str, index: u32) -> Result<PrivateKeySigner, KeyError> {
    let words: Vec<&str> = phrase.split_whitespace().collect();
    if !matches!(words.len(), 12 | 15 | 18 | 21 | 24) {
        return Err(KeyError::BadPhrase);
    }
    let normalized = words.join(" ").to_lowercase();
    MnemonicBuilder::<English>::default()
        .phrase(normalized)
        .index(index)
        .and_then(|b| b.build())
        .map_err(|_| KeyError::BadPhrase)
}

/// Encrypts `key` with `password` (scrypt, n = 2¹³) into `dir/file_name`.
pub fn write_keystore(
    key: &PrivateKeySigner,
    password: &[u8],
    dir: &Path,
    file_name: &str,
) -> Result<(), KeyError> {
    let mut rng = rand::thread_rng();
    let secret = key.credential().to_bytes();
    PrivateKeySigner::encrypt_keystore(dir, &mut rng, secret, password, Some(file_name))
        .map(|_| ())
        .map_err(|e| match e {
            LocalSignerError::EthKeystoreError(eth_keystore::KeystoreError::StdIo(e)) => {
                file_error(&dir.join(file_name), e)
            }
            other => from_local(other),
        })
}

#[derive(Deserialize)]
struct Header {
    version: u64,
    crypto: Crypto,
}

#[derive(Deserialize)]
struct Crypto {
    kdf: String,
    kdfparams: serde_json::Value,
}

/// Refuses files that are not v3 keystores or whose KDF would cost too much, before decrypting.
fn check_keystore(path: &Path) -> Result<(), KeyError> {
    let size = std::fs::metadata(path)
        .map_err(|e| file_error(path, e))?
        .len();
    if size > MAX_KEYSTORE_BYTES {
        return Err(KeyError::NotAKeystore {
            reason: format!("{size} bytes is far larger than a keystore"),
        });
    }
    let bytes = std::fs::read(path).map_err(|e| file_error(path, e))?;
    let header: Header = serde_json::from_slice(&bytes).map_err(|e| KeyError::NotAKeystore {
        reason: e.to_string(),
    })?;
    if header.version != 3 {
        return Err(KeyError::NotAKeystore {
            reason: format!("version {} (only 3 is defined)", header.version),
        });
    }
    let param = |name: &str| header.crypto.kdfparams.get(name).and_then(|v| v.as_u64());
    match header.crypto.kdf.as_str() {
        "scrypt" => {
            let (Some(n), Some(r), Some(p)) = (param("n"), param("r"), param("p")) else {
                return Err(KeyError::NotAKeystore {
                    reason: "scrypt parameters n, r and p are missing".to_owned(),
                });
            };
            let memory = 128u64.saturating_mul(r).saturating_mul(n);
            if memory > MAX_SCRYPT_MEMORY || p > 16 || !n.is_power_of_two() {
                return Err(KeyError::TooCostly {
                    reason: format!("scrypt n = {n}, r = {r}, p = {p}"),
                });
            }
        }
        "pbkdf2" => match param("c") {
            Some(c) if c <= MAX_PBKDF2_ROUNDS => {}
            c => {
                return Err(KeyError::TooCostly {
                    reason: format!("pbkdf2 c = {c:?}"),
                });
            }
        },
        other => {
            return Err(KeyError::NotAKeystore {
                reason: format!("unknown key derivation {other:?}"),
            });
        }
    }
    Ok(())
}

/// Decrypts the keystore at `path` with `password`, after checking its size and KDF cost.
pub fn read_keystore(path: &Path, password: &[u8]) -> Result<PrivateKeySigner, KeyError> {
    check_keystore(path)?;
    PrivateKeySigner::decrypt_keystore(path, password).map_err(from_local)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The phrase anvil and hardhat derive their dev accounts from (public test phrase).
    const TEST_PHRASE: &str = "test test test test test test test test test test test junk";

    #[test]
    fn the_test_phrase_gives_anvils_dev_accounts() {
        for (index, expected) in [
            (0, "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"),
            (3, "0x90f79bf6eb2c4f870365e785982e1f101e93b906"),
        ] {
            let key = key_from_phrase(TEST_PHRASE, index).expect("phrase");
            assert_eq!(format!("{:#x}", key.address()), expected);
        }
        // Extra spaces and capitals are forgiven; a wrong checksum word is not.
        let spaced = format!("  {}  ", TEST_PHRASE.to_uppercase().replace(' ', "   "));
        assert_eq!(
            key_from_phrase(&spaced, 0).expect("phrase").address(),
            key_from_phrase(TEST_PHRASE, 0).expect("phrase").address()
        );
        for bad in [
            "test test test test test test test test test test test test",
            "test test test",
            "",
            "zzzz test test test test test test test test test test junk",
        ] {
            assert!(
                matches!(key_from_phrase(bad, 0), Err(KeyError::BadPhrase)),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_keystore_round_trips_and_refuses_a_wrong_password() {
        let dir = tempfile::tempdir().expect("tempdir");
        let key = random_key();
        write_keystore(&key, b"correct horse", dir.path(), "k.json").expect("write");
        let path = dir.path().join("k.json");
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains("\"scrypt\""), "{text}");
        assert!(
            !text.contains(&hex::encode(key.credential().to_bytes())),
            "the key is not stored in clear"
        );
        let back = read_keystore(&path, b"correct horse").expect("decrypt");
        assert_eq!(back.address(), key.address());
        assert!(matches!(
            read_keystore(&path, b"wrong"),
            Err(KeyError::WrongPassword)
        ));
    }

    #[test]
    fn hostile_keystores_are_refused_before_decryption() {
        let dir = tempfile::tempdir().expect("tempdir");
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).expect("write");
            path
        };
        let keystore = |kdf: &str, params: &str| {
            format!(
                r#"{{"version":3,"id":"00000000-0000-0000-0000-000000000000","crypto":{{"cipher":"aes-128-ctr","cipherparams":{{"iv":"00000000000000000000000000000000"}},"ciphertext":"00","kdf":"{kdf}","kdfparams":{params},"mac":"00"}}}}"#
            )
        };
        let cases = [
            (
                "huge-n.json",
                keystore(
                    "scrypt",
                    r#"{"dklen":32,"n":1073741824,"r":8,"p":1,"salt":"00"}"#,
                ),
                "keystore_too_costly",
            ),
            (
                "huge-p.json",
                keystore(
                    "scrypt",
                    r#"{"dklen":32,"n":8192,"r":8,"p":100000,"salt":"00"}"#,
                ),
                "keystore_too_costly",
            ),
            (
                "huge-c.json",
                keystore(
                    "pbkdf2",
                    r#"{"dklen":32,"c":4000000000,"prf":"hmac-sha256","salt":"00"}"#,
                ),
                "keystore_too_costly",
            ),
            (
                "v1.json",
                r#"{"version":1,"crypto":{"kdf":"scrypt","kdfparams":{}}}"#.to_owned(),
                "not_a_keystore",
            ),
            ("junk.json", "not json at all".to_owned(), "not_a_keystore"),
            ("argon.json", keystore("argon2", "{}"), "not_a_keystore"),
        ];
        for (name, text, code) in cases {
            let path = write(name, &text);
            let err = read_keystore(&path, b"pw").expect_err(name);
            assert_eq!(
                err.code().as_str(),
                format!("wallet.{code}"),
                "{name}: {err}"
            );
        }
        let big = write("big.json", &" ".repeat(MAX_KEYSTORE_BYTES as usize + 1));
        assert_eq!(
            read_keystore(&big, b"pw").expect_err("big").code(),
            "wallet.not_a_keystore"
        );
        assert_eq!(
            read_keystore(&dir.path().join("missing.json"), b"pw")
                .expect_err("missing")
                .code(),
            "wallet.file"
        );
    }
}

/// Signs `message` the way `personal_sign` does (EIP-191: the "Ethereum Signed Message" prefix and
/// the length before it) and returns the 65-byte signature as `0x` hex.
pub fn sign_message(signer: &PrivateKeySigner, message: &[u8]) -> Result<String, String> {
    use alloy::signers::SignerSync;
    signer
        .sign_message_sync(message)
        .map(|signature| format!("0x{}", alloy::hex::encode(signature.as_bytes())))
        .map_err(|e| e.to_string())
}

/// The account whose [`sign_message`] signature of `message` is `signature_hex`; an error when
/// the text is not a signature.
pub fn message_signer(
    message: &[u8],
    signature_hex: &str,
) -> Result<alloy::primitives::Address, String> {
    let bytes = alloy::hex::decode(signature_hex.trim()).map_err(|e| format!("not hex: {e}"))?;
    let signature = alloy::primitives::Signature::try_from(bytes.as_slice())
        .map_err(|e| format!("not a signature: {e}"))?;
    signature
        .recover_address_from_msg(message)
        .map_err(|e| format!("no signer can be recovered: {e}"))
}

#[cfg(test)]
mod message_tests {
    use super::*;

    #[test]
    fn a_message_signature_names_its_signer_and_only_for_that_message() {
        let signer = random_key();
        let signature = sign_message(&signer, b"profile").expect("sign");
        assert_eq!(message_signer(b"profile", &signature), Ok(signer.address()));
        assert_ne!(
            message_signer(b"profile!", &signature),
            Ok(signer.address())
        );
        assert!(message_signer(b"profile", "0x1234").is_err());
        assert!(message_signer(b"profile", "zz").is_err());
    }
}

//! Account keys at rest: Web3 Secret Storage (v3) keystores encrypted with scrypt, and BIP-39
//! recovery phrases (derivation path `m/44'/60'/0'/0/i`, as MetaMask and geth use).
//!
//! A keystore from elsewhere is hostile input: its size, every field and its KDF cost are checked
//! before any key derivation ([`crate::keystore`]), so a file asking for gigabytes of scrypt
//! memory is refused, not obeyed, and a malformed one is an error, never a panic. New keystores
//! get scrypt n = 2¹⁸, r = 8, p = 1 ([`ScryptCost::STANDARD`]).

use std::io::Write;
use std::path::Path;

use alloy::signers::local::coins_bip39::English;
use alloy::signers::local::{MnemonicBuilder, PrivateKeySigner};
use hallmark_domain::ErrorCode;
use zeroize::Zeroizing;

use crate::keystore::{self, KeystoreError};
pub use crate::keystore::{MAX_PBKDF2_ROUNDS, MAX_SCRYPT_MEMORY, Malformed, ScryptCost, TooCostly};

/// Largest keystore file read (real ones are under 1 KB).
pub const MAX_KEYSTORE_BYTES: u64 = 64 * 1024;

/// Why a key could not be read, made or written.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The password does not open the keystore (its MAC does not match).
    #[error("the password does not open this keystore")]
    WrongPassword,
    /// The file is not a Web3 Secret Storage v3 keystore.
    #[error("this is not an Ethereum keystore file (Web3 Secret Storage v3): {0}")]
    NotAKeystore(#[from] Malformed),
    /// The keystore asks for more work than Hallmark allows.
    #[error("this keystore asks for too much key-derivation work ({0}); refused")]
    TooCostly(#[from] TooCostly),
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
            Self::NotAKeystore(_) => ErrorCode::WalletNotAKeystore,
            Self::TooCostly(_) => ErrorCode::WalletKeystoreTooCostly,
            Self::BadPhrase => ErrorCode::WalletBadPhrase,
            Self::File { .. } => ErrorCode::WalletFile,
        }
    }
}

impl From<KeystoreError> for KeyError {
    fn from(e: KeystoreError) -> Self {
        match e {
            KeystoreError::Malformed(m) => Self::NotAKeystore(m),
            KeystoreError::TooCostly(c) => Self::TooCostly(c),
            KeystoreError::WrongPassword => Self::WrongPassword,
        }
    }
}

fn file_error(path: &Path, e: impl std::fmt::Display) -> KeyError {
    KeyError::File {
        path: path.display().to_string(),
        reason: e.to_string(),
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

/// The keystore of `key` encrypted with `password` at scrypt `cost` (JSON bytes).
pub fn encrypt_key(
    key: &PrivateKeySigner,
    password: &[u8],
    cost: ScryptCost,
) -> Result<Vec<u8>, KeyError> {
    let secret = Zeroizing::new(<[u8; 32]>::from(key.credential().to_bytes()));
    let address = format!("{:#x}", key.address());
    Ok(keystore::encrypt(&secret, password, cost, Some(&address))?)
}

/// Writes `bytes` to `path` so that the old file (if any) stays whole until the new one is
/// complete: a 0600 temp file in the same folder, fsync, rename over `path`, fsync of the folder.
pub fn write_private_atomically(path: &Path, bytes: &[u8]) -> Result<(), KeyError> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = options.open(&tmp).and_then(|mut file| {
        // An existing temp file keeps its mode on open: tighten it too.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
        file.write_all(bytes)?;
        file.sync_all()
    });
    if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(file_error(path, e));
    }
    if let Ok(handle) = std::fs::File::open(dir) {
        // Persists the rename; a failure only weakens durability, never the file.
        let _ = handle.sync_all();
    }
    Ok(())
}

/// Encrypts `key` with `password` (scrypt n = 2¹⁸, r = 8, p = 1: [`ScryptCost::STANDARD`]) into
/// `dir/file_name`, a 0600 file written atomically.
pub fn write_keystore(
    key: &PrivateKeySigner,
    password: &[u8],
    dir: &Path,
    file_name: &str,
) -> Result<(), KeyError> {
    let bytes = encrypt_key(key, password, ScryptCost::STANDARD)?;
    write_private_atomically(&dir.join(file_name), &bytes)
}

/// Reads a keystore file, refusing one far larger than any keystore.
pub fn read_keystore_bytes(path: &Path) -> Result<Vec<u8>, KeyError> {
    // A regular file only: a pipe or a device (which never ends) is refused before reading.
    hallmark_files::read(path, MAX_KEYSTORE_BYTES).map_err(|e| match e {
        hallmark_files::UserFileError::TooLarge { size, .. } => Malformed::TooLarge(size).into(),
        other => file_error(path, other),
    })
}

/// Decrypts the keystore `bytes` with `password`: every field and the KDF cost are checked
/// before any key derivation.
pub fn decrypt_key(bytes: &[u8], password: &[u8]) -> Result<PrivateKeySigner, KeyError> {
    let secret = keystore::decrypt(bytes, password)?;
    PrivateKeySigner::from_slice(secret.as_slice()).map_err(|_| Malformed::BadKey.into())
}

/// Decrypts the keystore at `path` with `password`, after checking its size, its fields and its
/// KDF cost.
pub fn read_keystore(path: &Path, password: &[u8]) -> Result<PrivateKeySigner, KeyError> {
    decrypt_key(&read_keystore_bytes(path)?, password)
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
        // New keys get geth's "standard" cost, n = 2¹⁸ (finding 8), in a 0600 file.
        assert!(text.contains("\"n\":262144"), "{text}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
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

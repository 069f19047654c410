//! Keystores from elsewhere are hostile input (issue 17, finding 8): every malformed field is a
//! clear, coded error and never a panic, and keystores written by Hallmark's earlier versions
//! (scrypt n = 2¹³, by `eth-keystore`) still open.

use std::panic::AssertUnwindSafe;
use std::path::Path;

use hallmark_chain::keys::read_keystore;

/// A keystore of scrypt n = 2 (cheap) whose fields are given.
fn keystore(dklen: &str, iv: &str, ciphertext: &str, n: &str, salt: &str, mac: &str) -> String {
    format!(
        r#"{{"version":3,"id":"3198bc9c-6672-5ab3-d995-4942343ae5b6","crypto":{{"cipher":"aes-128-ctr","cipherparams":{{"iv":"{iv}"}},"ciphertext":"{ciphertext}","kdf":"scrypt","kdfparams":{{"dklen":{dklen},"n":{n},"r":8,"p":1,"salt":"{salt}"}},"mac":"{mac}"}}}}"#
    )
}

const IV: &str = "83dbcc02d8ccb40e466191a123791e0e";
const CIPHERTEXT: &str = "d172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c";
const SALT: &str = "ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19";
const MAC: &str = "2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097";
/// The MAC that makes the keystore open with the password "pw" (scrypt n = 2, r = 8, p = 1,
/// SALT): a hostile file's author knows the password they hand over, so the MAC check is no
/// defence against the fields it does not cover (the IV, the KDF's output length).
const MAC_PW: &str = "a07fa8dcd1a0692875e7f77ef0b580097e7012dbb8aa5266d70c19dbecec9817";
/// The same for an empty ciphertext.
const MAC_PW_EMPTY: &str = "3dd7b890eee2b57f460163e2780b2a4b771611c0e135bb4a875bddd592b21065";

#[test]
fn the_hostile_cases_differ_from_an_opening_keystore_by_one_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("control.json");
    std::fs::write(&path, keystore("32", IV, CIPHERTEXT, "2", SALT, MAC_PW)).expect("write");
    read_keystore(&path, b"pw").expect("the well-formed control opens");
}

#[test]
fn hostile_keystores_are_refused_with_a_clear_error_never_a_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases = [
        (
            "dklen 16",
            keystore("16", IV, CIPHERTEXT, "2", SALT, MAC),
            "not_a_keystore",
        ),
        (
            "dklen 16, MAC right",
            keystore("16", IV, CIPHERTEXT, "2", SALT, MAC_PW),
            "not_a_keystore",
        ),
        (
            "IV of 3 bytes, MAC right",
            keystore("32", "010203", CIPHERTEXT, "2", SALT, MAC_PW),
            "not_a_keystore",
        ),
        (
            "empty IV, MAC right",
            keystore("32", "", CIPHERTEXT, "2", SALT, MAC_PW),
            "not_a_keystore",
        ),
        (
            "empty ciphertext, MAC right",
            keystore("32", IV, "", "2", SALT, MAC_PW_EMPTY),
            "not_a_keystore",
        ),
        (
            "dklen 0",
            keystore("0", IV, CIPHERTEXT, "2", SALT, MAC),
            "not_a_keystore",
        ),
        (
            "dklen 64",
            keystore("64", IV, CIPHERTEXT, "2", SALT, MAC),
            "not_a_keystore",
        ),
        (
            "IV of 3 bytes",
            keystore("32", "010203", CIPHERTEXT, "2", SALT, MAC),
            "not_a_keystore",
        ),
        (
            "empty IV",
            keystore("32", "", CIPHERTEXT, "2", SALT, MAC),
            "not_a_keystore",
        ),
        (
            "empty ciphertext",
            keystore("32", IV, "", "2", SALT, MAC),
            "not_a_keystore",
        ),
        (
            "short MAC",
            keystore("32", IV, CIPHERTEXT, "2", SALT, "2103"),
            "not_a_keystore",
        ),
        (
            "empty salt",
            keystore("32", IV, CIPHERTEXT, "2", "", MAC),
            "not_a_keystore",
        ),
        (
            "huge n",
            keystore("32", IV, CIPHERTEXT, "4294967296", SALT, MAC),
            "keystore_too_costly",
        ),
        (
            "n not a power of two",
            keystore("32", IV, CIPHERTEXT, "1000", SALT, MAC),
            "keystore_too_costly|not_a_keystore",
        ),
        (
            "n = 0",
            keystore("32", IV, CIPHERTEXT, "0", SALT, MAC),
            "keystore_too_costly|not_a_keystore",
        ),
        (
            "non-hex IV",
            keystore("32", "zz", CIPHERTEXT, "2", SALT, MAC),
            "not_a_keystore",
        ),
        (
            "non-hex ciphertext",
            keystore("32", IV, "xyz!", "2", SALT, MAC),
            "not_a_keystore",
        ),
        (
            "non-hex salt",
            keystore("32", IV, CIPHERTEXT, "2", "salty", MAC),
            "not_a_keystore",
        ),
        (
            "non-hex MAC",
            keystore("32", IV, CIPHERTEXT, "2", SALT, "not hex"),
            "not_a_keystore",
        ),
        (
            "dklen as text",
            keystore("\"32\"", IV, CIPHERTEXT, "2", SALT, MAC),
            "not_a_keystore",
        ),
        (
            "negative n",
            keystore("32", IV, CIPHERTEXT, "-2", SALT, MAC),
            "not_a_keystore",
        ),
    ];
    let mut failures = Vec::new();
    for (name, text, expected) in cases {
        let path = dir.path().join(format!("{}.json", name.replace(' ', "-")));
        std::fs::write(&path, &text).expect("write");
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| read_keystore(&path, b"pw")));
        match outcome {
            Err(_) => failures.push(format!("{name}: panicked")),
            Ok(Ok(_)) => failures.push(format!("{name}: opened")),
            Ok(Err(e)) => {
                let code = e.code().as_str().to_owned();
                if !expected.split('|').any(|c| code == format!("wallet.{c}")) {
                    failures.push(format!("{name}: {code} ({e}), expected {expected}"));
                } else if e.to_string().is_empty() {
                    failures.push(format!("{name}: no explanation"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// `legacy-n8192.json`: written by Hallmark before this change (`eth-keystore`, scrypt n = 2¹³,
/// r = 8, p = 1) for the key below with the password below.
const LEGACY_PASSWORD: &[u8] = b"correct horse battery staple";
const LEGACY_ADDRESS: &str = "0x2c7536e3605d9c16a7a3d7b1898e529396a65c23";

#[test]
fn a_keystore_written_by_the_earlier_hallmark_still_opens() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/legacy-n8192.json");
    let text = std::fs::read_to_string(&path).expect("fixture");
    assert!(text.contains("\"n\":8192"), "{text}");
    let key = read_keystore(&path, LEGACY_PASSWORD).expect("opens");
    assert_eq!(format!("{:#x}", key.address()), LEGACY_ADDRESS);
    assert_eq!(
        read_keystore(&path, b"correct horse battery stapler")
            .expect_err("wrong password")
            .code()
            .as_str(),
        "wallet.wrong_password"
    );
}

/// A keystore with the given KDF (`"scrypt"` or `"pbkdf2"`) and KDF parameters (JSON members).
fn keystore_with_kdf(kdf: &str, params: &str) -> String {
    format!(
        r#"{{"version":3,"id":"3198bc9c-6672-5ab3-d995-4942343ae5b6","crypto":{{"cipher":"aes-128-ctr","cipherparams":{{"iv":"{IV}"}},"ciphertext":"{CIPHERTEXT}","kdf":"{kdf}","kdfparams":{{"dklen":32,{params},"salt":"{SALT}"}},"mac":"{MAC}"}}}}"#
    )
}

/// Issue 20 ("costs at the allowed maximum"): the ceilings are what real wallets write. A
/// keystore exactly at a ceiling (geth's "standard" scrypt work, spent as n = 2¹⁴ with p = 16,
/// or geth's 262,144 pbkdf2 rounds) refuses a wrong password after one derivation, in the time
/// of a wallet a person uses; one step above a ceiling is refused before any derivation.
#[test]
fn keystores_at_the_cost_ceilings_refuse_a_wrong_password_quickly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases = [
        (
            "scrypt at the work ceiling",
            keystore_with_kdf("scrypt", r#""n":16384,"r":8,"p":16"#),
            "wallet.wrong_password",
        ),
        (
            "pbkdf2 at the round ceiling",
            keystore_with_kdf("pbkdf2", r#""c":262144,"prf":"hmac-sha256""#),
            "wallet.wrong_password",
        ),
        (
            "scrypt over the work ceiling",
            keystore_with_kdf("scrypt", r#""n":32768,"r":8,"p":16"#),
            "wallet.keystore_too_costly",
        ),
        (
            "scrypt over the memory ceiling",
            keystore_with_kdf("scrypt", r#""n":524288,"r":8,"p":1"#),
            "wallet.keystore_too_costly",
        ),
        (
            "pbkdf2 over the round ceiling",
            keystore_with_kdf("pbkdf2", r#""c":262145,"prf":"hmac-sha256""#),
            "wallet.keystore_too_costly",
        ),
    ];
    let mut failures = Vec::new();
    for (name, text, expected) in cases {
        let path = dir.path().join(format!("{}.json", name.replace(' ', "-")));
        std::fs::write(&path, &text).expect("write");
        let started = std::time::Instant::now();
        let outcome = read_keystore(&path, b"not the password");
        let took = started.elapsed();
        println!("{name}: {took:?}");
        match outcome {
            Ok(_) => failures.push(format!("{name}: opened")),
            Err(e) if e.code().as_str() != expected => {
                failures.push(format!("{name}: {} ({e}), expected {expected}", e.code()));
            }
            Err(_) if took > std::time::Duration::from_secs(2) => {
                failures.push(format!("{name}: took {took:?} (over 2 s)"));
            }
            Err(_) => {}
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

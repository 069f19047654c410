//! Realistic fake fields shared by the unit tests.

use crate::CertificateFields;

pub(crate) fn fields() -> CertificateFields {
    CertificateFields {
        title: "Dawn over the river".to_owned(),
        creator: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8".to_owned(),
        owner: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC".to_owned(),
        token_id: "7".to_owned(),
        edition: "1 of 10".to_owned(),
        contract: "0x5FbDB2315678afecb367f032d93F642f64180aa3".to_owned(),
        chain_id: 1337,
        registered_at: "2026-11-29 00:41:07 UTC".to_owned(),
        registration_block: 48_213,
        registration_tx: format!("0x{}", "9f2c4e7a".repeat(8)),
        content_sha256: "3a7bd3e2".repeat(8),
        content_cid: "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi".to_owned(),
        metadata_cid: "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku".to_owned(),
        bundle_sha256: "e3b98a4d".repeat(8),
        issued_at: "2026-11-29 09:12:55 UTC".to_owned(),
        demo_chain: false,
    }
}

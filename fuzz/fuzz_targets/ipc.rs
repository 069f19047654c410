//! IPC request decoding: the JSON the webview sends, into every request type of hallmark-api
//! (as the Tauri command layer does with serde_json). Accepted values must round-trip.
#![no_main]

use hallmark_api as api;
use libfuzzer_sys::fuzz_target;
use serde::{Serialize, de::DeserializeOwned};

fn one<T: DeserializeOwned + Serialize + PartialEq>(data: &[u8]) {
    if let Ok(value) = serde_json::from_slice::<T>(data) {
        let bytes = serde_json::to_vec(&value).expect("serialize");
        let again: T = serde_json::from_slice(&bytes).expect("round-trip parses");
        assert!(again == value, "round-trip changed the value");
    }
}

fuzz_target!(|data: &[u8]| {
    one::<api::MintWorkRequest>(data);
    one::<api::WalletRequest>(data);
    one::<api::ExploreRequest>(data);
    one::<api::VerifyRequest>(data);
    one::<api::IngestRequest>(data);
    one::<api::LibraryPageRequest>(data);
    one::<api::WorkDetailRequest>(data);
    one::<api::SetAccountRequest>(data);
    one::<api::MarketRequest>(data);
    one::<api::EarningsRequest>(data);
    one::<api::FileRequest>(data);
    one::<api::ChooseFileRequest>(data);
    one::<api::JoinConsortiumRequest>(data);
    one::<api::ExportProofRequest>(data);
    one::<api::ReviewQueueRequest>(data);
    one::<api::ReviewDecisionRequest>(data);
    one::<api::EndorsementSendRequest>(data);
    one::<api::EndorsementListRequest>(data);
    one::<api::EndorsementRequestId>(data);
    one::<api::EndorsementDecisionRequest>(data);
    one::<api::HealthCheckRequest>(data);
    one::<api::PinningRequest>(data);
    one::<api::KitRequest>(data);
    one::<api::RefreshRequest>(data);
    one::<api::CancelJobRequest>(data);
});

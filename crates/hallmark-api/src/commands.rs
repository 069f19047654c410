//! The shell's commands, each with its typed signature: a marker type implementing [`Command`]
//! names the command, its request and its response, so the UI and the shell cannot drift apart.
//!
//! A call's argument object is `{ "request": …, "job": "…" }` ([`CommandArgs`]): `job` only for
//! commands that run as cancellable jobs, and no object at all for commands without a request.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate as api;

/// One shell command: its name, what it takes and what it answers.
pub trait Command {
    /// The command's name, as registered by the shell.
    const NAME: &'static str;
    /// Whether it takes a `request` argument (`false`: it takes no arguments and
    /// [`Request`](Self::Request) is `()`).
    const TAKES_REQUEST: bool;
    /// Whether it runs as a job the UI can cancel, named by a `job` argument.
    const JOB: bool;
    /// The `request` argument.
    type Request: Serialize + DeserializeOwned;
    /// What it answers.
    type Response: Serialize + DeserializeOwned;
}

/// The argument object of a call: `{request, job?}`.
#[derive(Debug, Serialize)]
pub struct CommandArgs<'a, R> {
    /// The request.
    pub request: &'a R,
    /// The id of a cancellable job.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job: Option<&'a str>,
}

/// The arguments of a call of `C`: `None` (no arguments) for a command without a request; a
/// `job` id only where `C` runs as a job.
pub fn args<'a, C: Command>(
    request: &'a C::Request,
    job: Option<&'a str>,
) -> Option<CommandArgs<'a, C::Request>> {
    C::TAKES_REQUEST.then_some(CommandArgs {
        request,
        job: job.filter(|_| C::JOB),
    })
}

macro_rules! commands {
    ($(
        $(#[$doc:meta])*
        $marker:ident, $constant:ident = $name:literal: $request:ty => $response:ty,
            request: $takes:literal, job: $job:literal;
    )+) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy, PartialEq, Eq)]
            pub struct $marker;

            impl Command for $marker {
                const NAME: &'static str = $name;
                const TAKES_REQUEST: bool = $takes;
                const JOB: bool = $job;
                type Request = $request;
                type Response = $response;
            }

            #[doc = concat!("The name of [`", stringify!($marker), "`].")]
            pub const $constant: &str = <$marker as Command>::NAME;
        )+

        /// Every command's name, for the capability file and its test.
        pub const ALL: &[&str] = &[$(<$marker as Command>::NAME),+];
    };
}

commands! {
    /// Health of the chain, the store and the local data.
    AppStatus, APP_STATUS = "app_status": () => api::AppStatus, request: false, job: false;
    /// Ingests a file into the library (progress as `ingest-progress` events).
    IngestFile, INGEST_FILE = "ingest_file": api::IngestRequest => api::IngestReport,
        request: true, job: true;
    /// A page of the library, newest first.
    LibraryPage, LIBRARY_PAGE = "library_page": api::LibraryPageRequest => api::LibraryPage,
        request: true, job: false;
    /// Registers a work on chain (progress as `mint-progress` events).
    MintWork, MINT_WORK = "mint_work": api::MintWorkRequest => api::MintWorkReport,
        request: true, job: true;
    /// Stops a running job; answers whether it was still running.
    CancelJob, CANCEL_JOB = "cancel_job": api::CancelJobRequest => bool,
        request: true, job: false;
    /// Lists, resumes or discards the mints a crash interrupted.
    UnfinishedMints, UNFINISHED_MINTS = "unfinished_mints":
        api::UnfinishedMintsRequest => api::UnfinishedMintsReport, request: true, job: false;
    /// Creates, imports, unlocks and backs up wallet accounts.
    Wallet, WALLET = "wallet": api::WalletRequest => api::WalletReport,
        request: true, job: false;
    /// Checks (and with `fix` repairs) the availability of the account's works.
    Health, HEALTH = "health": api::HealthCheckRequest => api::HealthView,
        request: true, job: true;
    /// Lists, adds or removes remote pinning services.
    Pinning, PINNING = "pinning": api::PinningRequest => Vec<api::PinningServiceView>,
        request: true, job: false;
    /// Exports or imports the exit kit.
    Kit, KIT = "kit": api::KitRequest => api::KitOutcome, request: true, job: true;
    /// Fetches one work's metadata again now.
    RefreshWork, REFRESH_WORK = "refresh_work": api::RefreshRequest => api::RefreshOutcome,
        request: true, job: false;
    /// A page of the Explore grid.
    ExplorePage, EXPLORE_PAGE = "explore_page": api::ExploreRequest => api::ExplorePage,
        request: true, job: false;
    /// A token with its work and provenance timeline.
    WorkDetail, WORK_DETAIL = "work_detail": api::WorkDetailRequest => api::WorkDetail,
        request: true, job: false;
    /// Where the catalog sync is.
    SyncStatus, SYNC_STATUS = "sync_status": () => api::SyncStatus, request: false, job: false;
    /// The accounts the app can sign as.
    AppAccounts, APP_ACCOUNTS = "app_accounts": () => Vec<api::AccountInfo>,
        request: false, job: false;
    /// Signs as another demo account; answers the accounts after it.
    SetAccount, SET_ACCOUNT = "set_account": api::SetAccountRequest => Vec<api::AccountInfo>,
        request: true, job: false;
    /// Lists, cancels, buys or gifts a token, signed as the active account.
    MarketAction, MARKET_ACTION = "market_action": api::MarketRequest => api::MarketReport,
        request: true, job: false;
    /// What an account was paid.
    Earnings, EARNINGS = "earnings": api::EarningsRequest => api::Earnings,
        request: true, job: false;
    /// The copy check of a file before it is minted.
    CopyCheck, COPY_CHECK = "copy_check": api::FileRequest => api::CopyCheckReport,
        request: true, job: false;
    /// Verifies an evidence bundle or identifies a media file.
    Verify, VERIFY = "verify": api::VerifyRequest => api::VerifyOutcome,
        request: true, job: true;
    /// Writes the evidence bundle and certificate of a token the account holds.
    ExportProof, EXPORT_PROOF = "export_proof": api::ExportProofRequest => api::ExportProofReport,
        request: true, job: true;
    /// The review queue.
    ReviewQueue, REVIEW_QUEUE = "review_queue": api::ReviewQueueRequest => Vec<api::ReviewItem>,
        request: true, job: false;
    /// A reviewer's decision, signed as the active account.
    ReviewDecide, REVIEW_DECIDE = "review_decide": api::ReviewDecisionRequest => (),
        request: true, job: false;
    /// Sends a work for an issuer's endorsement (the active account is its artist).
    EndorsementSend, ENDORSEMENT_SEND = "endorsement_send":
        api::EndorsementSendRequest => api::EndorsementSentReport, request: true, job: false;
    /// The active account's endorsement requests, or those it may decide.
    Endorsements, ENDORSEMENTS = "endorsements":
        api::EndorsementListRequest => Vec<api::EndorsementItem>, request: true, job: false;
    /// One request as an issuer decides it: media checked, copies compared.
    EndorsementExamine, ENDORSEMENT_EXAMINE = "endorsement_examine":
        api::EndorsementRequestId => api::EndorsementExamination, request: true, job: false;
    /// An issuer's decision, signed as the active account.
    EndorsementDecide, ENDORSEMENT_DECIDE = "endorsement_decide":
        api::EndorsementDecisionRequest => api::EndorsementDecidedReport, request: true, job: false;
    /// The artist withdraws a pending request.
    EndorsementWithdraw, ENDORSEMENT_WITHDRAW = "endorsement_withdraw":
        api::EndorsementRequestId => api::EndorsementDecidedReport, request: true, job: false;
    /// The artist mints an endorsed request's registration (progress as `mint-progress`).
    EndorsementMint, ENDORSEMENT_MINT = "endorsement_mint":
        api::EndorsementRequestId => api::MintWorkReport, request: true, job: true;
    /// The council's proposals and settings, and whether the active account holds a seat.
    CouncilOverview, COUNCIL_OVERVIEW = "council_overview": () => api::CouncilOverview,
        request: false, job: false;
    /// Approves or rejects a proposal with the active account's seat.
    CouncilVote, COUNCIL_VOTE = "council_vote": api::CouncilVoteRequest => api::CouncilProposal,
        request: true, job: false;
    /// Takes a proposal's next step (into the time lock, or run it).
    CouncilAdvance, COUNCIL_ADVANCE = "council_advance": api::CouncilAdvanceRequest
        => api::CouncilProposal, request: true, job: false;
    /// Proposes one action, signed as the active account.
    CouncilPropose, COUNCIL_PROPOSE = "council_propose": api::CouncilProposeRequest
        => api::CouncilProposal, request: true, job: false;
    /// The saved settings.
    Settings, SETTINGS = "settings": () => api::Settings, request: false, job: false;
    /// Saves settings (they take effect at the next start); answers them as saved.
    SaveSettings, SAVE_SETTINGS = "save_settings": api::Settings => api::Settings,
        request: true, job: false;
    /// Opens the shell's file dialog; answers the file the user chose (`None`: cancelled).
    ChooseFile, CHOOSE_FILE = "choose_file": api::ChooseFileRequest => Option<api::ChosenFile>,
        request: true, job: false;
    /// Checks a consortium profile against its chain and joins it (from the next start).
    JoinConsortium, JOIN_CONSORTIUM = "join_consortium": api::JoinConsortiumRequest
        => api::ConsortiumJoined, request: true, job: false;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argument_objects_are_pinned() {
        let request = api::CancelJobRequest {
            job_id: "mint-1".into(),
        };
        assert_eq!(
            json(&args::<CancelJob>(&request, Some("ignored"))),
            r#"{"request":{"job_id":"mint-1"}}"#
        );
        let verify = api::VerifyRequest {
            file: api::FileToken("f3a9".into()),
            challenge: None,
        };
        assert_eq!(
            json(&args::<Verify>(&verify, Some("verify-1"))),
            r#"{"request":{"file":"f3a9","challenge":null},"job":"verify-1"}"#
        );
        assert_eq!(
            json(&args::<Verify>(&verify, None)),
            r#"{"request":{"file":"f3a9","challenge":null}}"#
        );
        assert_eq!(json(&args::<AppStatus>(&(), None)), "null");
    }

    #[test]
    fn command_names_are_unique_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for name in ALL {
            assert!(seen.insert(name), "{name} twice");
            assert!(
                name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{name}"
            );
        }
        assert_eq!(ALL.len(), 37);
        assert_eq!(MINT_WORK, MintWork::NAME);
    }

    fn json<T: Serialize>(value: &T) -> String {
        serde_json::to_string(value).expect("json")
    }
}

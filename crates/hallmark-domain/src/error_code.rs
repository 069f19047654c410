//! [`ErrorCode`]: every stable error code Hallmark reports, in one closed set.
//!
//! The engine's error types, the shell's `{code, message}` answers, the CLI's `[code]` and the
//! UI's error handling all use these values. `docs/errors.md` lists each with what it means and
//! what the user can do; a test keeps that table and [`ErrorCode::ALL`] identical.

crate::wire_enum! {
    /// A stable, machine-readable error code. Its wire form (JSON, the CLI's `[code]`, logs) is
    /// the dotted string of [`ErrorCode::as_str`], e.g. `media.unsupported_type`.
    pub enum ErrorCode {
        /// A command's arguments broke a rule the shell checks (an empty or relative path, a bad
        /// address, a value out of range).
        RequestInvalid = "request.invalid",
        /// The job was cancelled before it finished; nothing was registered or half-written.
        JobCancelled = "job.cancelled",
        /// What was asked for (a token, a work, an account, a file) does not exist here.
        NotFound = "not_found",
        /// A background task of the app failed unexpectedly.
        InternalTask = "internal.task",
        /// The library did not record a work it had just ingested.
        InternalLibrary = "internal.library",
        /// The app's list of running jobs is unusable.
        InternalJobs = "internal.jobs",
        /// The engine reported a value the app's screens do not know (a data folder of a newer
        /// Hallmark, or a bug).
        InternalUnknownValue = "internal.unknown_value",
        /// A result could not be encoded for output (JSON).
        InternalEncode = "internal.encode",
        /// A command stopped on a bug in Hallmark or a library it uses (a panic), caught before
        /// it could end the app; what it was doing was not completed.
        InternalPanic = "internal.panic",
        /// The UI could not encode a request for the app.
        UiEncode = "ui.encode",
        /// The app answered in a form the UI does not understand.
        UiDecode = "ui.decode",
        /// The app did not answer the UI's call.
        UiIpc = "ui.ipc",
        /// `config.json` in the data folder (or a setting being saved) is invalid.
        ConfigInvalid = "config.invalid",
        /// The data folder cannot be created, read or written.
        StorageDataDir = "storage.data_dir",
        /// The library database cannot be opened, read or written.
        StorageDatabase = "storage.database",
        /// The disk holding the data folder is full.
        StorageFull = "storage.full",
        /// The data folder cannot be written (a read-only disk or folder).
        StorageReadOnly = "storage.read_only",
        /// The chain node did not answer (not running, silent past the timeout, or not JSON-RPC).
        ChainUnavailable = "chain.unavailable",
        /// The app-owned local dev chain (anvil) could not start.
        ChainDevChain = "chain.dev_chain",
        /// The chain is still starting, or the contracts are not deployed yet.
        ChainNotReady = "chain.not_ready",
        /// The account is not an active (verified, unsuspended) consortium member.
        ChainNotMember = "chain.not_member",
        /// The account is not an active issuer.
        ChainNotIssuer = "chain.not_issuer",
        /// The account is not an active reviewer.
        ChainNotReviewer = "chain.not_reviewer",
        /// Only the council can do this.
        ChainNotCouncil = "chain.not_council",
        /// Only the council as a whole (a majority, after the time lock) can do this.
        ChainNotGovernance = "chain.not_governance",
        /// A council proposal cannot take this step now.
        ChainProposal = "chain.proposal",
        /// The account already holds that role.
        ChainAlreadyGranted = "chain.already_granted",
        /// The account does not hold that role.
        ChainNotGranted = "chain.not_granted",
        /// The role is already suspended.
        ChainAlreadySuspended = "chain.already_suspended",
        /// The role is not suspended.
        ChainNotSuspended = "chain.not_suspended",
        /// The account is already on the council.
        ChainAlreadyCouncil = "chain.already_council",
        /// The last council account cannot be removed.
        ChainLastCouncilMember = "chain.last_council_member",
        /// A role grant needs the salted hash of an identity attestation.
        ChainMissingAttestation = "chain.missing_attestation",
        /// A reason code, or a written reason for a review decision, is required.
        ChainMissingReason = "chain.missing_reason",
        /// These exact bytes are already registered as a work.
        ChainContentAlreadyRegistered = "chain.content_already_registered",
        /// Every edition of the work is minted.
        ChainEditionsExhausted = "chain.editions_exhausted",
        /// The number of editions is out of range (1 to 10000).
        ChainInvalidEditions = "chain.invalid_editions",
        /// The royalty is above the contract's maximum.
        ChainInvalidRoyalty = "chain.invalid_royalty",
        /// The royalty splits are not 1 to 8 distinct payees adding up to 10000.
        ChainInvalidSplits = "chain.invalid_splits",
        /// The content hash is missing.
        ChainEmptyContentHash = "chain.empty_content_hash",
        /// The metadata hash or CID is missing.
        ChainEmptyMetadata = "chain.empty_metadata",
        /// No work has this id.
        ChainUnknownWork = "chain.unknown_work",
        /// No token has this id.
        ChainUnknownToken = "chain.unknown_token",
        /// Only the work's creator or the issuer that registered it mints its editions.
        ChainNotWorkIssuer = "chain.not_work_issuer",
        /// The work is frozen by review and cannot change hands.
        ChainWorkFrozen = "chain.work_frozen",
        /// The work is not frozen.
        ChainNotFrozen = "chain.not_frozen",
        /// Works change hands only through the Hallmark market.
        ChainTransfersOnlyThroughMarket = "chain.transfers_only_through_market",
        /// Only the market contract moves tokens.
        ChainNotMarket = "chain.not_market",
        /// The mint voucher's deadline passed.
        ChainVoucherExpired = "chain.voucher_expired",
        /// The voucher was already used or cancelled.
        ChainVoucherNonceUsed = "chain.voucher_nonce_used",
        /// Only the creator named in the voucher can submit it.
        ChainVoucherNotForSender = "chain.voucher_not_for_sender",
        /// A signature is malformed.
        ChainInvalidSignature = "chain.invalid_signature",
        /// The holder must keep the token until the holding period ends.
        ChainHoldingPeriod = "chain.holding_period",
        /// The token is not listed for sale.
        ChainNotListed = "chain.not_listed",
        /// The account does not hold the token.
        ChainNotHolder = "chain.not_holder",
        /// A price must be more than zero.
        ChainInvalidPrice = "chain.invalid_price",
        /// The royalty and platform fee (each rounded up to 0.01) would take the whole price.
        ChainPriceTooLow = "chain.price_too_low",
        /// Another issuer put these exact bytes up for review; they alone may register them now.
        ChainContentUnderReview = "chain.content_under_review",
        /// The platform fee is above the cap.
        ChainFeeTooHigh = "chain.fee_too_high",
        /// The holding period is above the cap.
        ChainHoldingPeriodTooLong = "chain.holding_period_too_long",
        /// An account cannot buy from or gift to itself.
        ChainSelfTrade = "chain.self_trade",
        /// The listing's price is no longer the one the buyer confirmed; nothing was paid.
        ChainPriceMismatch = "chain.price_mismatch",
        /// The licence offer's fee is not the one the licensee confirmed; nothing was paid.
        ChainFeeMismatch = "chain.fee_mismatch",
        /// Credit moves only through the consortium's contracts, never member to member.
        ChainCreditOnlyThroughContracts = "chain.credit_only_through_contracts",
        /// The consortium's contracts are not the version this Hallmark speaks.
        ChainOutdatedSuite = "chain.outdated_suite",
        /// The deployment's contracts are not wired to each other as it says.
        ChainMiswired = "chain.miswired",
        /// A contract of the deployment is not this build's code.
        ChainForeignCode = "chain.foreign_code",
        /// No payout is held for the account.
        ChainNothingToClaim = "chain.nothing_to_claim",
        /// No licence offer has this id.
        ChainUnknownOffer = "chain.unknown_offer",
        /// The licence offer is made to another account.
        ChainOfferNotForYou = "chain.offer_not_for_you",
        /// The licence offer was already accepted or revoked.
        ChainOfferClosed = "chain.offer_closed",
        /// The licence offer is void: the work changed hands since.
        ChainOfferVoid = "chain.offer_void",
        /// Another licence of the token is active.
        ChainLicenceActive = "chain.licence_active",
        /// The licence duration is out of range (1 s to 10 years).
        ChainInvalidDuration = "chain.invalid_duration",
        /// A holder cannot license a work to itself.
        ChainSelfLicence = "chain.self_licence",
        /// The account has too little settlement credit.
        ChainInsufficientCredit = "chain.insufficient_credit",
        /// The contract may not spend enough of the account's credit.
        ChainInsufficientAllowance = "chain.insufficient_allowance",
        /// A review of this content is already open or approved.
        ChainReviewAlreadyOpen = "chain.review_already_open",
        /// No review request has this id.
        ChainReviewUnknownRequest = "chain.review_unknown_request",
        /// The review request was already decided or withdrawn.
        ChainReviewClosed = "chain.review_closed",
        /// A review request must name 1 to 16 matched works with their distances.
        ChainReviewInvalidMatches = "chain.review_invalid_matches",
        /// The review reason is too long.
        ChainReviewReasonTooLong = "chain.review_reason_too_long",
        /// Nobody decides their own case: not the issuer that submitted it, not the creator of its work.
        ChainReviewSelfReview = "chain.review_self_review",
        /// Only the submitting issuer withdraws a request.
        ChainReviewNotSubmitter = "chain.review_not_submitter",
        /// An endorsement of this content is already pending or approved.
        ChainEndorsementAlreadyOpen = "chain.endorsement_already_open",
        /// No endorsement request has this id.
        ChainEndorsementUnknown = "chain.endorsement_unknown",
        /// The endorsement request was already decided, withdrawn, expired or minted.
        ChainEndorsementClosed = "chain.endorsement_closed",
        /// The artist asked another issuer to endorse this work.
        ChainEndorsementNotAddressed = "chain.endorsement_not_addressed",
        /// Nobody endorses their own work, and an issuer is not asked by itself.
        ChainEndorsementSelf = "chain.endorsement_self",
        /// Only the work's creator asks for its endorsement or withdraws the request.
        ChainEndorsementNotCreator = "chain.endorsement_not_creator",
        /// The voucher is not for exactly the requested registration and its nonce.
        ChainEndorsementVoucherMismatch = "chain.endorsement_voucher_mismatch",
        /// A voucher's deadline must be in the future and at most 30 days away.
        ChainEndorsementInvalidDeadline = "chain.endorsement_invalid_deadline",
        /// An artist asked for this content's endorsement: only they may register it, with a voucher, while the request is pending or approved.
        ChainContentAwaitingEndorsement = "chain.content_awaiting_endorsement",
        /// The contract refused the call with a rule that has no code of its own.
        ChainRejected = "chain.rejected",
        /// The contract refused the call with unknown revert data.
        ChainUnknownRevert = "chain.unknown_revert",
        /// The transaction was mined but reverted (the state changed meanwhile).
        ChainTxReverted = "chain.tx_reverted",
        /// A kept signed transaction can never be mined: its nonce was used by another.
        ChainNonceTaken = "chain.nonce_taken",
        /// The chain node answered with an error.
        ChainRpc = "chain.rpc",
        /// The node reports another chain than the one configured.
        ChainChainIdMismatch = "chain.chain_id_mismatch",
        /// Hallmark's contracts are not deployed on this chain.
        ChainNotDeployed = "chain.not_deployed",
        /// Deploying the contracts failed.
        ChainDeploy = "chain.deploy",
        /// A chain file (deployment record, contract artifact) cannot be read or written.
        ChainFile = "chain.file",
        /// An argument of a chain call is invalid (e.g. an address or the co-creator splits).
        ChainInvalidInput = "chain.invalid_input",
        /// Signing a transaction or message failed.
        ChainSigning = "chain.signing",
        /// The account's keystore is locked.
        WalletLocked = "wallet.locked",
        /// An account name is empty, too long or has control characters.
        WalletBadLabel = "wallet.bad_label",
        /// The password is shorter than 8 characters.
        WalletWeakPassword = "wallet.weak_password",
        /// The keystore or phrase does not give the account expected.
        WalletMismatch = "wallet.mismatch",
        /// The account is already in the wallet.
        WalletExists = "wallet.exists",
        /// This works only on the dev chain with its demo accounts.
        WalletDemoOnly = "wallet.demo_only",
        /// No account of the wallet has this address.
        WalletNoAccount = "wallet.no_account",
        /// The password does not open the keystore.
        WalletWrongPassword = "wallet.wrong_password",
        /// The file is not a Web3 Secret Storage keystore.
        WalletNotAKeystore = "wallet.not_a_keystore",
        /// The keystore's key derivation is too costly to open safely.
        WalletKeystoreTooCostly = "wallet.keystore_too_costly",
        /// The recovery phrase is not a valid BIP-39 English phrase.
        WalletBadPhrase = "wallet.bad_phrase",
        /// A keystore file cannot be read or written.
        WalletFile = "wallet.file",
        /// The password is easy to guess (strength estimate below 3 of 4).
        WalletGuessablePassword = "wallet.guessable_password",
        /// Forgetting an account needs its password or an explicit confirmation.
        WalletUnconfirmed = "wallet.unconfirmed",
        /// The keystore is the only copy of the key (no exported backup); it was kept.
        WalletOnlyCopy = "wallet.only_copy",
        /// The mint journal in the data folder cannot be read or written.
        MintJournal = "mint.journal",
        /// An interrupted mint of this file must be finished first.
        MintUnfinished = "mint.unfinished",
        /// The interrupted mint was signed; it cannot be discarded (its transaction may be on
        /// chain).
        MintSigned = "mint.signed",
        /// The file changed since its interrupted mint started.
        MintFileChanged = "mint.file_changed",
        /// The work could not be uploaded to the consortium's IPFS node; it was not registered
        /// and the mint is kept to be resumed.
        MintUploadFailed = "mint.upload_failed",
        /// The work resembles registered works and was sent to the review queue.
        ReviewSubmitted = "review.submitted",
        /// A review of this work is still open.
        ReviewPending = "review.pending",
        /// A reviewer rejected this work.
        ReviewRejected = "review.rejected",
        /// The approved review was for other content.
        ReviewMismatch = "review.mismatch",
        /// Only issuers register works directly; an artist mints with an issuer's endorsement.
        EndorseRequired = "endorse.required",
        /// The work's endorsement request still waits for an issuer.
        EndorsePending = "endorse.pending",
        /// An issuer declined to endorse the work, with a reason.
        EndorseRejected = "endorse.rejected",
        /// The endorsement request or its approval expired unused.
        EndorseExpired = "endorse.expired",
        /// The media the request's metadata names is not the content to be registered.
        EndorseMediaMismatch = "endorse.media_mismatch",
        /// The request's metadata or media cannot be read from IPFS yet.
        EndorseMediaUnavailable = "endorse.media_unavailable",
        /// The certificate could not be drawn.
        CertificateRender = "certificate.render",
        /// The exit kit's contract interface file is missing or wrong.
        KitAbi = "kit.abi",
        /// The kit folder already exists.
        KitExists = "kit.exists",
        /// A kit file cannot be read or written.
        KitIo = "kit.io",
        /// The folder is not a Hallmark exit kit.
        KitNotAKit = "kit.not_a_kit",
        /// A CAR file of the kit is malformed.
        KitBadCar = "kit.bad_car",
        /// An evidence bundle of the kit does not verify.
        KitBundle = "kit.bundle",
        /// A file of the kit does not match its content address.
        KitContent = "kit.content",
        /// There is nothing to export (the account holds and created no works).
        KitEmpty = "kit.empty",
        /// A file of the kit does not match its manifest entry.
        KitFileMismatch = "kit.file_mismatch",
        /// The kit's manifest contradicts itself.
        KitInconsistent = "kit.inconsistent",
        /// The kit's manifest is missing or malformed.
        KitManifest = "kit.manifest",
        /// A work's content is not in the store, so it cannot be exported.
        KitMissingContent = "kit.missing_content",
        /// A pinning service name, endpoint or token is invalid.
        PinningInvalidInput = "pinning.invalid_input",
        /// The pinning service refused the access token.
        PinningUnauthorized = "pinning.unauthorized",
        /// The pinning service has no such pin, or the service is not configured.
        PinningNotFound = "pinning.not_found",
        /// The pinning service refused the request.
        PinningBadRequest = "pinning.bad_request",
        /// The pinning service's account has no funds left.
        PinningInsufficientFunds = "pinning.insufficient_funds",
        /// The pinning service is limiting requests.
        PinningRateLimited = "pinning.rate_limited",
        /// The pinning service answered with an error.
        PinningServiceError = "pinning.service_error",
        /// The pinning service failed internally.
        PinningServerError = "pinning.server_error",
        /// The pinning service did not answer.
        PinningUnreachable = "pinning.unreachable",
        /// The pinning service answered in an unexpected form.
        PinningInvalidResponse = "pinning.invalid_response",
        /// The pinning service could not pin the content.
        PinningPinFailed = "pinning.pin_failed",
        /// The pin was not done in time.
        PinningWaitTimeout = "pinning.wait_timeout",
        /// The pinning client could not be set up.
        PinningClientSetup = "pinning.client_setup",
        /// Another pinning failure.
        PinningError = "pinning.error",
        /// No access token is stored for the pinning service.
        PinningNoToken = "pinning.no_token",
        /// The catalog database cannot be opened, read or written.
        CatalogDatabase = "catalog.database",
        /// The catalog was written by a newer Hallmark.
        CatalogNewerSchema = "catalog.newer_schema",
        /// The catalog belongs to another chain.
        CatalogOtherChain = "catalog.other_chain",
        /// Chain events arrived out of order.
        CatalogOutOfOrder = "catalog.out_of_order",
        /// The catalog has not synced yet.
        CatalogNotInitialised = "catalog.not_initialised",
        /// The catalog does not know that block.
        CatalogUnknownBlock = "catalog.unknown_block",
        /// A chain event could not be read into the catalog.
        CatalogCorruptEvent = "catalog.corrupt_event",
        /// A catalog query is invalid (search text, cursor, filter).
        CatalogInvalidQuery = "catalog.invalid_query",
        /// The token is not in the catalog.
        CatalogNotFound = "catalog.not_found",
        /// Bytes from the content store do not match their CID (they were refused).
        StoreCidMismatch = "store.cid_mismatch",
        /// The content is not in the store.
        StoreNotFound = "store.not_found",
        /// The content is larger than the store accepts.
        StoreTooLarge = "store.too_large",
        /// The content is not pinned in the store.
        StoreNotPinned = "store.not_pinned",
        /// The embedded store cannot read or write its files.
        StoreIo = "store.io",
        /// The disk holding the store is full; nothing kept was lost.
        StoreDiskFull = "store.disk_full",
        /// A block is not here and no consortium endpoint could give it.
        StoreUnavailable = "store.unavailable",
        /// A DAG node from the store is malformed.
        StoreBadDag = "store.bad_dag",
        /// A CAR file is malformed.
        StoreBadCar = "store.bad_car",
        /// The store's settings are invalid.
        StoreInvalidSettings = "store.invalid_settings",
        /// The Kubo API URL is invalid.
        StoreInvalidUrl = "store.invalid_url",
        /// The IPFS (Kubo) node did not answer.
        StoreUnreachable = "store.unreachable",
        /// The IPFS node answered with an error.
        StoreNodeError = "store.node_error",
        /// The IPFS node answered in an unexpected form.
        StoreBadResponse = "store.bad_response",
        /// A store task failed unexpectedly.
        StoreInternal = "store.internal",
        /// The file is not an evidence bundle.
        EvidenceNotABundle = "evidence.not_a_bundle",
        /// The evidence bundle is damaged or incomplete.
        EvidenceMalformed = "evidence.malformed",
        /// The evidence bundle could not be written.
        EvidenceWrite = "evidence.write",
        /// The evidence statement could not be signed.
        EvidenceSigning = "evidence.signing",
        /// The evidence to bundle is inconsistent.
        EvidenceInvalid = "evidence.invalid",
        /// A bundle or file did not verify: a check failed, nothing could be checked, or it is
        /// from another consortium.
        EvidenceNotVerified = "evidence.not_verified",
        /// The chain node answered the indexer with an error.
        IndexerRpc = "indexer.rpc",
        /// A chain log could not be decoded.
        IndexerDecode = "indexer.decode",
        /// The chain reorganised deeper than the indexer follows.
        IndexerUnstable = "indexer.unstable",
        /// The sync was stopped.
        IndexerCancelled = "indexer.cancelled",
        /// A metadata document is too large.
        MetadataTooLarge = "metadata.too_large",
        /// A metadata document is not UTF-8 text.
        MetadataNotUtf8 = "metadata.not_utf8",
        /// A metadata document nests too deeply.
        MetadataTooDeep = "metadata.too_deep",
        /// A metadata document is not valid JSON of the expected form.
        MetadataMalformed = "metadata.malformed",
        /// A metadata field has an invalid value.
        MetadataInvalidField = "metadata.invalid_field",
        /// A work's metadata document could not be fetched or is not valid.
        MetadataUnavailable = "metadata.unavailable",
        /// The media file does not exist.
        MediaNotFound = "media.not_found",
        /// The path is a folder, not a file.
        MediaIsDirectory = "media.is_directory",
        /// The media file cannot be read.
        MediaUnreadable = "media.unreadable",
        /// The media file is empty.
        MediaEmpty = "media.empty",
        /// The media file is larger than the configured limit.
        MediaTooLarge = "media.too_large",
        /// The image has more pixels than the configured limit.
        MediaPixelLimit = "media.pixel_limit",
        /// The animation has more frames than the configured limit.
        MediaFrameLimit = "media.frame_limit",
        /// The file is not a supported image, audio or video format.
        MediaUnsupportedType = "media.unsupported_type",
        /// The media file is damaged.
        MediaCorrupt = "media.corrupt",
        /// The file changed while it was being read.
        MediaChanged = "media.changed",
        /// Storing the media in the content store failed.
        MediaStore = "media.store",
        /// A thumbnail or preview could not be made.
        MediaDerivative = "media.derivative",
        /// A video's appearance could not be compared with registered works (its keyframes could
        /// not be decoded within their budget, or ffmpeg is missing), so it is not registered.
        MediaUnchecked = "media.unchecked",
        /// Ingesting failed unexpectedly.
        MediaInternal = "media.internal",
        /// The consortium profile is not a profile file, is truncated, or is of another format.
        ProfileInvalid = "profile.invalid",
        /// The consortium profile's signature does not match its contents (it was changed).
        ProfileBadSignature = "profile.bad_signature",
        /// The consortium profile describes another chain than the one its node serves.
        ProfileWrongChain = "profile.wrong_chain",
        /// The consortium profile is signed by an account that is not on the consortium's council.
        ProfileSignerNotCouncil = "profile.signer_not_council",
        /// Plain http to another machine was refused (anyone on the network could read or change it).
        NetPlainHttpRefused = "net.plain_http_refused",
        /// The server's TLS certificate is signed by an authority this installation does not trust.
        NetTlsUnknownAuthority = "net.tls_unknown_authority",
        /// The server's TLS certificate has expired or is not valid yet.
        NetTlsExpired = "net.tls_expired",
        /// The server's TLS certificate is for another host name.
        NetTlsWrongHost = "net.tls_wrong_host",
        /// The TLS handshake with the server failed.
        NetTls = "net.tls",
        /// A CA certificate given to trust is unreadable or not a PEM certificate.
        NetBadCaCertificate = "net.bad_ca_certificate",
        /// Some works are not available as they should be (a copy missing, damaged or unpinned).
        HealthProblems = "health.problems",
        /// The command's result could not be written: standard output is closed, or the file to
        /// write cannot be created.
        CliOutput = "cli.output",
        /// Standard input could not be read.
        CliInput = "cli.input",
    }
}

impl ErrorCode {
    /// The part before the first dot (`store` of `store.not_found`); the whole code if it has
    /// none (`not_found`).
    pub fn family(self) -> &'static str {
        let code = self.as_str();
        code.split_once('.').map_or(code, |(family, _)| family)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rows of the table in `docs/errors.md`: `(code, meaning, what the user can do)`.
    fn documented() -> Vec<(String, String, String)> {
        include_str!("../../../docs/errors.md")
            .lines()
            .filter(|line| line.starts_with("| `"))
            .map(|line| {
                let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
                assert_eq!(cells.len(), 3, "a row has three cells: {line}");
                (
                    cells[0].trim_matches('`').to_owned(),
                    cells[1].to_owned(),
                    cells[2].to_owned(),
                )
            })
            .collect()
    }

    #[test]
    fn docs_errors_md_lists_exactly_every_code_in_order() {
        let documented: Vec<String> = documented().into_iter().map(|(code, ..)| code).collect();
        let all: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(documented, all);
    }

    #[test]
    fn every_documented_code_says_what_it_means_and_what_to_do() {
        for (code, meaning, action) in documented() {
            assert!(!meaning.is_empty() && !action.is_empty(), "{code}");
        }
    }

    #[test]
    fn codes_are_unique_and_round_trip_through_json_and_text() {
        let mut seen = std::collections::HashSet::new();
        for &code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "{code} twice");
            let json = serde_json::to_string(&code).expect("json");
            assert_eq!(json, format!("\"{code}\""));
            assert_eq!(
                serde_json::from_str::<ErrorCode>(&json).expect("back"),
                code
            );
            assert_eq!(code.as_str().parse::<ErrorCode>(), Ok(code));
            assert_eq!(code.to_string(), code.as_str());
        }
        assert!("request.unknown".parse::<ErrorCode>().is_err());
        assert!(serde_json::from_str::<ErrorCode>("\"request.unknown\"").is_err());
    }

    #[test]
    fn codes_compare_with_their_text() {
        assert_eq!(ErrorCode::RequestInvalid, "request.invalid");
        assert_eq!(ErrorCode::StorageFull.family(), "storage");
        assert_eq!(ErrorCode::NotFound.family(), "not_found");
    }
}

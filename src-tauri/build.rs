//! Generates Tauri's context and the permissions of the app's own commands.
fn main() {
    // Keep in step with hallmark_api::commands::ALL (a test in src/commands.rs checks it).
    const COMMANDS: &[&str] = &[
        "app_status",
        "ingest_file",
        "library_page",
        "mint_work",
        "cancel_job",
        "unfinished_mints",
        "wallet",
        "health",
        "pinning",
        "kit",
        "refresh_work",
        "explore_page",
        "work_detail",
        "sync_status",
        "app_accounts",
        "set_account",
        "market_action",
        "earnings",
        "copy_check",
        "verify",
        "export_proof",
        "review_queue",
        "review_decide",
        "endorsement_send",
        "endorsements",
        "endorsement_examine",
        "endorsement_decide",
        "endorsement_withdraw",
        "endorsement_mint",
        "council_overview",
        "council_vote",
        "council_advance",
        "council_propose",
        "settings",
        "save_settings",
        "join_consortium",
        "choose_file",
    ];
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {e:#}");
    }
}

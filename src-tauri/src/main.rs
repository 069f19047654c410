//! Hallmark's desktop app: a thin Tauri shell over `hallmark-engine`.
//!
//! On launch it opens the engine on the data folder (`$HALLMARK_DATA_DIR`, else the platform
//! data dir), starts the app-owned dev chain in the background (deploying the contracts the
//! first time), then follows the chain into the local catalog, and serves the UI from `ui/dist`.
//! On quit it stops the sync and the chain cleanly.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod catalog;
mod commands;
mod convert;
mod council;
mod durability;
mod endorse;
mod error;
mod files;
#[cfg(test)]
mod hostile;
mod input;
mod jobs;
mod market;
mod media;
mod proof;
mod review;
mod settings;
mod wallet;

use hallmark_api::events;
use hallmark_engine::{Config, Engine};
use tauri::{Emitter, Manager, RunEvent};
use tracing_subscriber::EnvFilter;

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("HALLMARK_LOG").unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    if let Err(e) = run() {
        eprintln!("hallmark: {e}");
        std::process::exit(1);
    }
}

/// SIGINT, SIGTERM and SIGHUP end the app the normal way, so the dev chain is stopped cleanly.
fn exit_on_signals(handle: tauri::AppHandle) {
    use tokio::signal::unix::{SignalKind, signal};
    tauri::async_runtime::spawn(async move {
        let (Ok(mut term), Ok(mut int), Ok(mut hup)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
            signal(SignalKind::hangup()),
        ) else {
            tracing::warn!("signal handlers unavailable");
            return;
        };
        tokio::select! {
            _ = term.recv() => {}
            _ = int.recv() => {}
            _ = hup.recv() => {}
        }
        tracing::info!("signal received; quitting");
        handle.exit(0);
    });
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let runtime = tokio::runtime::Runtime::new()?;
    let engine = runtime.block_on(async {
        let config = Config::load(None)?;
        Engine::open(config).await
    })?;
    tauri::async_runtime::set(runtime.handle().clone());

    let app = tauri::Builder::default()
        .manage(engine.clone())
        .manage(catalog::CatalogSync::new())
        .manage(jobs::Jobs::default())
        .manage(files::FileGrants::default())
        .invoke_handler(tauri::generate_handler![
            commands::app_status,
            commands::ingest_file,
            commands::library_page,
            commands::mint_work,
            commands::unfinished_mints,
            jobs::cancel_job,
            wallet::wallet,
            durability::health,
            durability::pinning,
            durability::kit,
            durability::refresh_work,
            catalog::explore_page,
            catalog::work_detail,
            catalog::sync_status,
            catalog::earnings,
            market::app_accounts,
            market::set_account,
            market::market_action,
            proof::copy_check,
            proof::verify,
            proof::export_proof,
            review::review_queue,
            review::review_decide,
            endorse::endorsement_send,
            endorse::endorsements,
            endorse::endorsement_examine,
            endorse::endorsement_decide,
            endorse::endorsement_withdraw,
            endorse::endorsement_mint,
            council::council_overview,
            council::council_vote,
            council::council_advance,
            council::council_propose,
            settings::settings,
            settings::save_settings,
            settings::join_consortium,
            files::choose_file,
        ])
        .on_window_event(|window, event| {
            // A drop comes from the system, never from the page: the files are the user's choice.
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                files::dropped(window.app_handle(), paths);
            }
        })
        .register_asynchronous_uri_scheme_protocol(
            hallmark_api::MEDIA_SCHEME,
            |ctx, request, responder| {
                let engine = ctx.app_handle().state::<Engine>().inner().clone();
                let path = request.uri().path().to_owned();
                tauri::async_runtime::spawn(async move {
                    responder.respond(media::serve_guarded(&engine, &path).await);
                });
            },
        )
        .setup(|app| {
            exit_on_signals(app.handle().clone());
            let engine = app.state::<Engine>().inner().clone();
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                let started = engine.start_dev_chain().await;
                let _ = handle.emit(events::CHAIN_CHANGED, ());
                match started {
                    Ok(()) => {
                        let sync = handle.state::<catalog::CatalogSync>();
                        catalog::run_sync(handle.clone(), engine, sync.inner()).await;
                    }
                    Err(e) => {
                        tracing::error!(code = %e.code(), error = %e, "the chain did not start");
                    }
                }
            });
            Ok(())
        })
        .build(tauri::generate_context!())?;

    app.run(move |handle, event| {
        if let RunEvent::Exit = event {
            handle.state::<catalog::CatalogSync>().stop();
            runtime.block_on(engine.shutdown());
        }
    });
    Ok(())
}

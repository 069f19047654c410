//! Settings: what `config.json` in the data folder says (network, content store, copy-detection
//! thresholds). Saved settings are validated by the engine and take effect at the next start.

use hallmark_api::{ChainKind, ConsortiumJoined, JoinConsortiumRequest, Settings, StoreKind};
use hallmark_engine::{
    ChainConfig, Config, ConsortiumProfile, DEV_CHAIN_ID, Engine, EngineError, IpfsBackend,
    consortium_dir,
};
use tauri::State;

use crate::error::{CommandError, CommandResult, guarded};
use crate::files::FileGrants;

pub(crate) fn view(saved: &Config, running: &Config) -> Settings {
    let (network, rpc_url, chain_id) = match &saved.chain {
        ChainConfig::DevChain { chain_id, .. } => (ChainKind::Dev, String::new(), *chain_id),
        ChainConfig::Rpc { url, chain_id, .. } => (ChainKind::Rpc, url.clone(), *chain_id),
    };
    let (ipfs, kubo_url) = match &saved.ipfs {
        IpfsBackend::Embedded => (StoreKind::Embedded, String::new()),
        IpfsBackend::Kubo { api_url } => (StoreKind::Kubo, api_url.clone()),
    };
    let same = |c: &Config| {
        serde_json::to_value((&c.chain, &c.ipfs, &c.copy_detection, &c.network, &c.pinning))
            .unwrap_or_default()
    };
    Settings {
        data_dir: saved.data_dir.display().to_string(),
        network,
        rpc_url,
        chain_id,
        ipfs,
        kubo_url,
        max_distance: saved.copy_detection.max_distance,
        min_quality: saved.copy_detection.min_quality,
        restart_needed: same(saved) != same(running) || next_data_dir(running).is_some(),
        next_data_dir: next_data_dir(running).unwrap_or_default(),
        next_data_folder: None,
        data_dir_fixed: Config::data_dir_from_env(),
        consortium: joined_consortium(saved).unwrap_or_default(),
    }
}

/// The name of the consortium whose profile this folder uses, if its chain is the saved one.
fn joined_consortium(saved: &Config) -> Option<String> {
    let profile = ConsortiumProfile::read(&consortium_dir(saved).join("profile.json")).ok()?;
    let ChainConfig::Rpc { url, chain_id, .. } = &saved.chain else {
        return None;
    };
    (profile.body.chain.chain_id == *chain_id && profile.body.chain.rpc_urls.contains(url))
        .then_some(profile.body.name)
}

/// The data folder a save asks for: one the user chose in the folder dialog, else the running
/// folder or the one already chosen, as shown; a typed path is never taken.
fn chosen_data_dir(
    request: &Settings,
    running: &Config,
    grants: &FileGrants,
) -> CommandResult<Option<std::path::PathBuf>> {
    if let Some(token) = &request.next_data_folder {
        return grants.folder(token).map(Some);
    }
    let shown = request.next_data_dir.trim();
    if shown.is_empty() {
        return Ok(None);
    }
    let running_dir = running.data_dir.display().to_string();
    if shown == running_dir || Some(shown) == next_data_dir(running).as_deref() {
        return Ok(Some(std::path::PathBuf::from(shown)));
    }
    Err(CommandError::invalid(
        "choose the data folder with Choose… (a typed path is not accepted)",
    ))
}

/// The folder the next start opens, when it is not the running one.
fn next_data_dir(running: &Config) -> Option<String> {
    if Config::data_dir_from_env() {
        return None;
    }
    Config::chosen_data_dir()
        .filter(|dir| *dir != running.data_dir)
        .map(|dir| dir.display().to_string())
}

/// The saved settings.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub(crate) async fn settings(engine: State<'_, Engine>) -> CommandResult<Settings> {
    guarded(async move {
        let running = engine.config();
        let saved = Config::load(Some(running.data_dir.clone()))?;
        Ok(view(&saved, running))
    })
    .await
}

/// Validates and saves new settings; a new data folder is used from the next start (the current
/// one keeps its data).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub(crate) async fn save_settings(
    engine: State<'_, Engine>,
    grants: State<'_, FileGrants>,
    request: Settings,
) -> CommandResult<Settings> {
    guarded(save(&engine, &grants, request)).await
}

/// [`save_settings`], the data folder from a granted folder.
pub(crate) async fn save(
    engine: &Engine,
    grants: &FileGrants,
    request: Settings,
) -> CommandResult<Settings> {
    let running = engine.config();
    let mut saved = Config::load(Some(running.data_dir.clone()))?;
    saved.chain = match request.network {
        ChainKind::Dev => match &saved.chain {
            dev @ ChainConfig::DevChain { .. } => dev.clone(),
            ChainConfig::Rpc { .. } => ChainConfig::DevChain {
                port: None,
                chain_id: DEV_CHAIN_ID,
            },
        },
        ChainKind::Rpc => {
            let url = request.rpc_url.trim().to_owned();
            // The WebSocket URL a joined profile set stays while the node does.
            let ws_url = match &saved.chain {
                ChainConfig::Rpc {
                    url: old, ws_url, ..
                } if *old == url => ws_url.clone(),
                _ => None,
            };
            ChainConfig::Rpc {
                url,
                chain_id: request.chain_id,
                ws_url,
            }
        }
    };
    saved.ipfs = match request.ipfs {
        StoreKind::Embedded => IpfsBackend::Embedded,
        StoreKind::Kubo => IpfsBackend::Kubo {
            api_url: request.kubo_url.trim().to_owned(),
        },
    };
    saved.copy_detection.max_distance = request.max_distance;
    saved.copy_detection.min_quality = request.min_quality;
    saved.validate()?;
    let chosen = chosen_data_dir(&request, running, grants)?;
    if let Some(dir) = &chosen
        && *dir != running.data_dir
    {
        if Config::data_dir_from_env() {
            return Err(CommandError::invalid(
                "HALLMARK_DATA_DIR sets the data folder; unset it to choose one here",
            ));
        }
        Config::choose_data_dir(dir)?;
    } else if chosen.is_some() && !Config::data_dir_from_env() {
        // Chose the running folder again: keep using it.
        Config::choose_data_dir(&running.data_dir)?;
    }
    saved.save()?;
    Ok(view(&saved, running))
}

/// Checks a consortium profile against its chain (signature, chain id, genesis hash, code and
/// wiring of every contract, council signer) and, when every check passes, makes it this data
/// folder's consortium from the next start. Nothing is saved when a check fails.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub(crate) async fn join_consortium(
    engine: State<'_, Engine>,
    request: JoinConsortiumRequest,
) -> CommandResult<ConsortiumJoined> {
    guarded(join(&engine, request)).await
}

/// [`join_consortium`] with the profile's text.
pub(crate) async fn join(
    engine: &Engine,
    request: JoinConsortiumRequest,
) -> CommandResult<ConsortiumJoined> {
    // Picked in the webview's file picker: its text came with the request.
    let text = &request.profile;
    if text.len() > hallmark_api::MAX_PROFILE_BYTES {
        return Err(EngineError::ProfileInvalid {
            reason: format!(
                "the chosen file has {} bytes; a profile has a few thousand",
                text.len()
            ),
        }
        .into());
    }
    let profile = ConsortiumProfile::parse(text.as_bytes())?;
    let running = engine.config();
    let saved = Config::load(Some(running.data_dir.clone()))?;
    let (next, check) = hallmark_engine::use_profile(&profile, &saved).await?;
    let view = view(&next, running);
    Ok(ConsortiumJoined {
        name: profile.body.name.clone(),
        chain_id: profile.body.chain.chain_id,
        rpc_url: check.rpc_url,
        head_block: check.head_block,
        signed_by: format!("{:#x}", check.signed_by),
        contracts: u32::try_from(profile.body.deployment.contracts().len()).unwrap_or(u32::MAX),
        ca_certificates: u32::try_from(profile.body.ca_certificates.len()).unwrap_or(u32::MAX),
        restart_needed: view.restart_needed,
    })
}

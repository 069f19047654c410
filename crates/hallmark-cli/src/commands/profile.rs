//! `hallmark consortium deploy` and `hallmark consortium profile …`: founding a consortium on a
//! running EVM node, exporting its signed profile, and joining one from a profile.

use hallmark_engine::{
    ChainConfig, Config, Consensus, ConsortiumProfile, DeployParams, ProfileCheck, ProfileOptions,
    ReadEndpoint, ReadKind,
};

use super::market::signer;
use super::print_line;
use crate::cli::{Cli, ConsensusArg, DeployArgs, ProfileCommand, ProfileExportArgs};
use crate::failure::Failure;

/// The data folder's configuration, with its trust installed for the connections this command
/// opens without an engine.
fn load_config(cli: &Cli) -> Result<Config, Failure> {
    let config = Config::load(cli.data_dir.clone())?;
    config.network.install()?;
    Ok(config)
}

/// `hallmark consortium deploy`.
pub(crate) async fn deploy(cli: &Cli, args: &DeployArgs) -> Result<(), Failure> {
    let mut config = load_config(cli)?;
    let council = signer(cli, args.who.signer)?;
    let url = hallmark_net_url(&args.rpc)?;
    let params = DeployParams {
        dir: config.chain_dir(),
        treasury: None,
        platform_fee_bps: args.platform_fee_bps,
        holding_period: args.holding_period,
        contract_uri: String::new(),
        voting_blocks: args.voting_blocks,
        delay_seconds: args.time_lock,
        // A consortium's suite is never replaced behind its members' backs: only when asked.
        replace_outdated: args.replace,
    };
    let deployment = hallmark_engine::deploy_suite(&url, &council, &params).await?;
    config.chain = ChainConfig::Rpc {
        url: url.clone(),
        chain_id: deployment.chain_id,
        ws_url: None,
    };
    config.validate()?;
    config.save()?;
    if args.json {
        return print_line(&crate::json::pretty(&deployment)?);
    }
    print_line(&format!(
        "deployed on chain {} at {url} (council {:#x}, from block {}):",
        deployment.chain_id,
        council.address(),
        deployment.block
    ))?;
    for (name, address) in deployment.contracts() {
        print_line(&format!("  {name:<20} {address:#x}"))?;
    }
    print_line(
        "this data folder now uses that chain; next: hallmark consortium profile export FILE --name NAME",
    )
}

/// The URL as given, trimmed; an empty one is refused.
fn hallmark_net_url(url: &str) -> Result<String, Failure> {
    let url = url.trim();
    if url.is_empty() {
        return Err(Failure::bad_input("--rpc needs the node's JSON-RPC URL"));
    }
    Ok(url.to_owned())
}

/// `hallmark consortium profile …`.
pub(crate) async fn run(cli: &Cli, command: &ProfileCommand) -> Result<(), Failure> {
    match command {
        ProfileCommand::Export(args) => export(cli, args).await,
        ProfileCommand::Use { file, json } => {
            let config = load_config(cli)?;
            let profile = ConsortiumProfile::read(file)?;
            let (next, check) = hallmark_engine::use_profile(&profile, &config).await?;
            report(&profile, &check, *json)?;
            if !*json {
                print_line(&format!(
                    "this data folder now uses {} (config: {})",
                    profile.body.name,
                    next.data_dir.join("config.json").display()
                ))?;
            }
            Ok(())
        }
        ProfileCommand::Check { file, json } => {
            let config = load_config(cli)?;
            let profile = ConsortiumProfile::read(file)?;
            let check = hallmark_engine::check_profile(&profile, &config).await?;
            report(&profile, &check, *json)
        }
    }
}

async fn export(cli: &Cli, args: &ProfileExportArgs) -> Result<(), Failure> {
    let config = load_config(cli)?;
    let council = signer(cli, args.who.signer)?;
    let options = ProfileOptions {
        name: args.name.clone(),
        rpc_urls: args.rpc_urls.clone(),
        ws_urls: args.ws_urls.clone(),
        consensus: Some(match args.consensus {
            ConsensusArg::Ethereum => Consensus::Ethereum,
            ConsensusArg::Qbft => Consensus::Qbft,
        }),
        kubo_rpc: args.kubo.clone(),
        read: args
            .kubo
            .iter()
            .map(|url| ReadEndpoint {
                kind: ReadKind::KuboRpc,
                url: url.clone(),
            })
            .chain(args.gateways.iter().map(|url| ReadEndpoint {
                kind: ReadKind::Gateway,
                url: url.clone(),
            }))
            .collect(),
        ca_files: args.ca_files.clone(),
    };
    let profile = hallmark_engine::export_profile(&config, &options, &council).await?;
    let bytes = profile.to_file_bytes()?;
    super::write_output(&args.file, &bytes)?;
    print_line(&format!(
        "wrote the profile of {} (chain {}, signed by {:#x}) to {}",
        profile.body.name,
        profile.body.chain.chain_id,
        profile.body.signed_by,
        args.file.display()
    ))
}

fn report(profile: &ConsortiumProfile, check: &ProfileCheck, json: bool) -> Result<(), Failure> {
    let body = &profile.body;
    if json {
        let value = serde_json::json!({
            "name": body.name,
            "chain_id": body.chain.chain_id,
            "genesis_hash": format!("{:#x}", body.chain.genesis_hash),
            "rpc_url": check.rpc_url,
            "head_block": check.head_block,
            "signed_by": format!("{:#x}", check.signed_by),
            "contracts": body.deployment.contracts().iter()
                .map(|(name, address)| (name.to_string(), format!("{address:#x}")))
                .collect::<std::collections::BTreeMap<_, _>>(),
            "ca_certificates": body.ca_certificates.len(),
            "kubo_rpc": body.ipfs.kubo_rpc,
        });
        return print_line(&crate::json::pretty(&value)?);
    }
    print_line(&format!(
        "profile of {}: chain {} (block 0 {:#x}) at {}, head block {}",
        crate::terminal::shown(&body.name),
        body.chain.chain_id,
        body.chain.genesis_hash,
        crate::terminal::shown(&check.rpc_url),
        check.head_block
    ))?;
    print_line(&format!(
        "  signed by council account {:#x}; {} contracts with code, wired as recorded; {} CA certificate(s)",
        check.signed_by,
        body.deployment.contracts().len(),
        body.ca_certificates.len()
    ))
}

//! `hallmark consortium …` and `hallmark licence …`.

use std::str::FromStr;

use hallmark_chain::{LicenceKind, LicenceTerms, Role, credits, demo_attestation};
use hallmark_engine::Address;
use sha2::{Digest, Sha256};

use super::market::{as_account, demo_signer, parse_id, signer};
use super::print_line;
use crate::cli::{Cli, ConsortiumCommand, DemoAccount, LicenceCommand, LicenceKindArg, RoleArg};
use crate::failure::Failure;

/// A demo account name (`member1`…) or a `0x` address.
pub(crate) fn parse_account(text: &str) -> Result<Address, Failure> {
    use clap::ValueEnum;
    if let Ok(demo) = DemoAccount::from_str(text, true) {
        return Ok(demo_signer(demo)?.address());
    }
    Address::from_str(text).map_err(|_| {
        Failure::bad_input(format!(
            "`{text}` is neither a demo account (member1…) nor a 0x address"
        ))
    })
}

fn role(arg: RoleArg) -> Role {
    match arg {
        RoleArg::Member => Role::Member,
        RoleArg::Issuer => Role::Issuer,
        RoleArg::Reviewer => Role::Reviewer,
    }
}

/// `hallmark consortium …`.
pub(crate) async fn run(cli: &Cli, command: &ConsortiumCommand) -> Result<(), Failure> {
    let (role, target, council, suspend) = match command {
        ConsortiumCommand::Deploy(args) => return super::profile::deploy(cli, args).await,
        ConsortiumCommand::Profile(command) => return super::profile::run(cli, command).await,
        ConsortiumCommand::AddMember(t) => (Role::Member, &t.account, t.who.signer, None),
        ConsortiumCommand::AddIssuer(t) => (Role::Issuer, &t.account, t.who.signer, None),
        ConsortiumCommand::AddReviewer(t) => (Role::Reviewer, &t.account, t.who.signer, None),
        ConsortiumCommand::Suspend {
            account,
            role: r,
            reason,
            who,
        } => (role(*r), account, who.signer, Some(*reason)),
        ConsortiumCommand::AddCredits {
            account,
            credits: amount,
            gas,
            who,
        } => return add_credits(cli, account, *amount, *gas, who.signer).await,
    };
    let account = parse_account(target)?;
    let attester = signer(cli, council)?.address();
    let tx = as_account(cli, council, async |client| match suspend {
        Some(reason) => client.suspend_role(role, account, reason).await,
        None => {
            client
                .grant_role(role, account, demo_attestation(account), attester)
                .await
        }
    })
    .await?;
    let verb = if suspend.is_some() {
        "suspended"
    } else {
        "granted"
    };
    print_line(&format!(
        "{role:?} role {verb} for {account:#x} (block {})",
        tx.block_number
    ))
}

/// `hallmark consortium add-credits`.
async fn add_credits(
    cli: &Cli,
    target: &str,
    amount: u64,
    gas_ether: u64,
    council: crate::cli::Signer,
) -> Result<(), Failure> {
    let account = parse_account(target)?;
    let actions = [hallmark_chain::CouncilAction::MintCredit {
        to: account,
        amount: credits(amount),
    }];
    let ((id, state), gassed) = as_account(cli, council, async |client| {
        let enacted = client
            .enact(&actions, "a top-up paid for off chain")
            .await?;
        let gassed = if gas_ether > 0 && client.gas_balance(account).await?.is_zero() {
            let wei = hallmark_chain::U256::from(gas_ether)
                * hallmark_chain::U256::from(10u64).pow(hallmark_chain::U256::from(18u64));
            Some(client.send_gas_money(account, wei).await?)
        } else {
            None
        };
        Ok((enacted, gassed))
    })
    .await?;
    let gas = match gassed {
        Some(tx) => format!(
            "; {gas_ether} ether of gas money sent (block {})",
            tx.block_number
        ),
        None => String::new(),
    };
    if state == hallmark_chain::ProposalState::Executed {
        print_line(&format!(
            "{amount} credits issued to {account:#x} (council proposal {id}){gas}"
        ))
    } else {
        print_line(&format!(
            "council proposal {id} to issue {amount} credits to {account:#x} is {}; it runs once a majority of the council approved it and the time lock has passed (`hallmark council show {id}`){gas}",
            state.describe()
        ))
    }
}

/// `hallmark licence …`.
pub(crate) async fn licence(cli: &Cli, command: &LicenceCommand) -> Result<(), Failure> {
    match command {
        LicenceCommand::Grant(args) => {
            let terms = LicenceTerms {
                token_id: parse_id(&args.token)?,
                licensee: parse_account(&args.to)?,
                kind: match args.kind {
                    LicenceKindArg::Exhibition => LicenceKind::Exhibition,
                    LicenceKindArg::Commercial => LicenceKind::Commercial,
                    LicenceKindArg::Reproduction => LicenceKind::Reproduction,
                    LicenceKindArg::Adaptation => LicenceKind::Adaptation,
                    LicenceKindArg::Broadcast => LicenceKind::Broadcast,
                },
                scope_hash: hallmark_engine::B256::from_slice(&Sha256::digest(
                    args.terms.as_bytes(),
                )),
                duration: u64::from(args.days) * 86_400,
                fee: credits(args.fee),
            };
            let (offer, tx) = as_account(cli, args.who.account, async |c| {
                c.offer_licence(&terms).await
            })
            .await?;
            print_line(&format!(
                "licence offer {offer} on token {} to {:#x} (block {}); the licensee accepts with `hallmark licence accept {offer} --fee {}`",
                terms.token_id,
                terms.licensee,
                tx.block_number,
                hallmark_chain::credit_text(terms.fee)
            ))
        }
        LicenceCommand::Accept { offer, fee, who } => {
            let offer = parse_id(offer)?;
            let fee = super::market::parse_credits("--fee", fee)?;
            let tx = as_account(cli, who.account, async |c| {
                c.accept_licence(offer, fee).await
            })
            .await?;
            print_line(&format!(
                "licence offer {offer} accepted and paid (block {})",
                tx.block_number
            ))
        }
        LicenceCommand::Show(args) => {
            let token = parse_id(&args.token)?;
            let active = as_account(cli, args.who.account, async |c| {
                c.active_licence(token).await
            })
            .await?;
            match active {
                Some(l) => print_line(&format!(
                    "token {token} is licensed to {:#x} until {} (offer {})",
                    l.user,
                    hallmark_chain::format_utc(l.expires),
                    l.offer_id
                )),
                None => print_line(&format!("token {token} has no active licence")),
            }
        }
    }
}

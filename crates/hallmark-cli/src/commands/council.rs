//! `hallmark council …`: proposals to the council's governor, approvals, the time lock.

use std::str::FromStr;

use hallmark_chain::{
    Address, ChainClient, ChainResult, CouncilAction, Proposal, ProposalState, U256, format_utc,
};

use super::market::{parse_credits, parse_id, with_chain};
use super::print_line;
use crate::cli::{Cli, CouncilActionArg, CouncilCommand, ProposeCommon, Signer};
use crate::failure::Failure;

/// `hallmark council …`.
pub(crate) async fn run(cli: &Cli, command: &CouncilCommand) -> Result<(), Failure> {
    match command {
        CouncilCommand::Propose { action } => propose(cli, action).await,
        CouncilCommand::List { json } => list(cli, *json).await,
        CouncilCommand::Show { id, json } => show(cli, &parse_id(id)?, *json).await,
        CouncilCommand::Approve(args) => {
            vote(cli, parse_id(&args.id)?, args.who.signer, true).await
        }
        CouncilCommand::Reject(args) => {
            vote(cli, parse_id(&args.id)?, args.who.signer, false).await
        }
        CouncilCommand::Execute(args) => execute(cli, parse_id(&args.id)?, args.who.signer).await,
    }
}

/// A demo account name or a `0x` address.
fn account(text: &str) -> Result<Address, Failure> {
    super::consortium::parse_account(text)
}

fn contract(text: &str) -> Result<Address, Failure> {
    Address::from_str(text)
        .map_err(|_| Failure::bad_input(format!("`{text}` is not a 0x contract address")))
}

/// The action of a `propose` command, and what every proposal takes besides.
fn action_of(arg: &CouncilActionArg) -> Result<(CouncilAction, &ProposeCommon), Failure> {
    Ok(match arg {
        CouncilActionArg::MintCredit {
            account: a,
            credits,
            common,
        } => (
            CouncilAction::MintCredit {
                to: account(a)?,
                amount: parse_credits("--credits", credits)?,
            },
            common,
        ),
        CouncilActionArg::AddSeat { account: a, common } => (
            CouncilAction::AddCouncil {
                account: account(a)?,
            },
            common,
        ),
        CouncilActionArg::RemoveSeat { account: a, common } => (
            CouncilAction::RemoveCouncil {
                account: account(a)?,
            },
            common,
        ),
        CouncilActionArg::SetFee {
            bps,
            treasury,
            common,
        } => (
            CouncilAction::SetPlatformFee {
                bps: *bps,
                treasury: account(treasury)?,
            },
            common,
        ),
        CouncilActionArg::SetHoldingPeriod { seconds, common } => (
            CouncilAction::SetHoldingPeriod { seconds: *seconds },
            common,
        ),
        CouncilActionArg::SetMarket { address, common } => (
            CouncilAction::SetMarket {
                market: contract(address)?,
            },
            common,
        ),
        CouncilActionArg::SetSystemAccount {
            address,
            allowed,
            common,
        } => (
            CouncilAction::SetSystemAccount {
                account: contract(address)?,
                allowed: *allowed,
            },
            common,
        ),
        CouncilActionArg::SetVotingPeriod { blocks, common } => {
            if *blocks == 0 {
                return Err(Failure::bad_input("--blocks must be at least 1"));
            }
            (CouncilAction::SetVotingPeriod { blocks: *blocks }, common)
        }
        CouncilActionArg::SetDelay { seconds, common } => {
            (CouncilAction::SetDelay { seconds: *seconds }, common)
        }
    })
}

/// Runs `op` as `account` (a council member, or any account for `execute`).
async fn as_signer<T>(
    cli: &Cli,
    account: Signer,
    op: impl AsyncFnOnce(&ChainClient) -> ChainResult<T>,
) -> Result<T, Failure> {
    super::market::as_account(cli, account, op).await
}

/// Runs a read as an account that never signs.
async fn as_reader<T>(
    cli: &Cli,
    op: impl AsyncFnOnce(&ChainClient) -> ChainResult<T>,
) -> Result<T, Failure> {
    with_chain(cli, async |engine| {
        let client = engine.reader_client().await?;
        Ok(op(&client).await?)
    })
    .await
}

async fn propose(cli: &Cli, arg: &CouncilActionArg) -> Result<(), Failure> {
    let (action, common) = action_of(arg)?;
    let actions = [action];
    let note = common.note.clone();
    let proposal = as_signer(cli, common.who.signer, async |client| {
        let (id, _) = client.propose(&actions, &note).await?;
        client.proposal(id).await
    })
    .await?;
    if common.json {
        return print_line(&crate::json::pretty(&proposal)?);
    }
    print_line(&format!("council proposal {} made:", proposal.id))?;
    print_proposal(&proposal)?;
    print_line(&format!(
        "next: council members run `hallmark council approve {} --as ACCOUNT`",
        proposal.id
    ))
}

async fn list(cli: &Cli, json: bool) -> Result<(), Failure> {
    let proposals = as_reader(cli, async |client| client.proposals().await).await?;
    if json {
        return print_line(&crate::json::pretty(&proposals)?);
    }
    if proposals.is_empty() {
        return print_line("no council proposals yet");
    }
    for proposal in &proposals {
        print_line(&format!(
            "#{}  {}  ({} of {} approvals needed)",
            proposal.id,
            proposal.state.describe(),
            proposal.approvals,
            proposal.needed
        ))?;
        for line in proposal.describe() {
            print_line(&format!("    {line}"))?;
        }
    }
    Ok(())
}

async fn show(cli: &Cli, id: &U256, json: bool) -> Result<(), Failure> {
    let id = *id;
    let proposal = as_reader(cli, async |client| client.proposal(id).await).await?;
    if json {
        return print_line(&crate::json::pretty(&proposal)?);
    }
    print_line(&format!("council proposal {id}"))?;
    print_proposal(&proposal)
}

async fn vote(cli: &Cli, id: U256, who: Signer, approve: bool) -> Result<(), Failure> {
    let proposal = as_signer(cli, who, async |client| {
        if approve {
            client.approve_proposal(id).await?;
        } else {
            client.reject_proposal(id).await?;
        }
        client.proposal(id).await
    })
    .await?;
    let verb = if approve { "approved" } else { "rejected" };
    print_line(&format!("you {verb} council proposal {id}, which does:"))?;
    print_proposal(&proposal)
}

async fn execute(cli: &Cli, id: U256, who: Signer) -> Result<(), Failure> {
    let proposal = as_signer(cli, who, async |client| {
        client.advance_proposal(id).await?;
        client.proposal(id).await
    })
    .await?;
    print_line(&format!("council proposal {id}"))?;
    print_proposal(&proposal)
}

/// What it does, its votes, where it stands.
fn print_proposal(p: &Proposal) -> Result<(), Failure> {
    for line in p.describe() {
        print_line(&format!("  - {line}"))?;
    }
    print_line(&format!("  proposed by {:#x}", p.proposer))?;
    print_line(&format!(
        "  approvals {} (a majority of the seats is {}), rejections {}",
        p.approvals, p.needed, p.rejections
    ))?;
    let when = match p.state {
        ProposalState::Pending | ProposalState::Active => {
            format!("vote open until block {}", p.deadline_block)
        }
        ProposalState::Queued => format!(
            "in the time lock; it can run from {} (`hallmark council execute {}`)",
            format_utc(p.ready_at),
            p.id
        ),
        ProposalState::Succeeded => format!(
            "approved; `hallmark council execute {}` puts it in the time lock",
            p.id
        ),
        _ => String::new(),
    };
    if when.is_empty() {
        print_line(&format!("  {}", p.state.describe()))
    } else {
        print_line(&format!("  {}: {when}", p.state.describe()))
    }
}

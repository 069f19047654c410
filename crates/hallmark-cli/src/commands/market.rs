//! `hallmark mint|work|list|cancel|buy|gift|freeze`: the chain side, with the seeded demo
//! accounts or wallet accounts, on the data folder's chain: the dev chain `hallmark chain up` or
//! the app serves, else one the command starts and stops (state persisted in the data folder).

use clap::ValueEnum;
use hallmark_chain::{credit_text, credits};
use hallmark_engine::{
    ChainClient, ChainResult, CoCreator, Engine, EngineError, MintRequest, U256, dev_signer,
};

use super::{open_engine, print_line};
use crate::cli::{
    BuyArgs, Cli, DemoAccount, EditionArgs, FreezeArgs, GiftArgs, ListArgs, MintArgs, Signer,
    TokenArgs, WorkArgs,
};
use crate::failure::Failure;

/// An amount of credit as people type it (`15`, `12.5`, `12.50`), in units (cents).
pub(crate) fn parse_credits(flag: &str, text: &str) -> Result<U256, Failure> {
    hallmark_domain::credits::parse(text)
        .map(U256::from)
        .ok_or_else(|| {
            Failure::bad_input(format!(
                "`{text}` is not an amount of credits for {flag} (e.g. 15 or 12.50)"
            ))
        })
}

pub(crate) fn parse_id(text: &str) -> Result<U256, Failure> {
    text.parse::<U256>()
        .map_err(|_| Failure::bad_input(format!("`{text}` is not a token or work id (a number)")))
}

/// A demo account's (public) dev key.
pub(crate) fn demo_signer(
    account: DemoAccount,
) -> Result<hallmark_engine::PrivateKeySigner, Failure> {
    Ok(dev_signer(account.key_index())?)
}

/// The key of `account`: a demo account's dev key, or a wallet account's keystore in the data
/// folder, opened with `$HALLMARK_PASSWORD`.
pub(crate) fn signer(
    cli: &Cli,
    account: Signer,
) -> Result<hallmark_engine::PrivateKeySigner, Failure> {
    match account {
        Signer::Demo(demo) => demo_signer(demo),
        Signer::Wallet(address) => {
            let password = std::env::var("HALLMARK_PASSWORD").map_err(|_| {
                Failure::bad_input(format!(
                    "signing as {address:#x} needs its keystore password in HALLMARK_PASSWORD"
                ))
            })?;
            let data_dir = match &cli.data_dir {
                Some(dir) => dir.clone(),
                None => hallmark_engine::Config::default_data_dir()?,
            };
            Ok(hallmark_engine::unlock_keystore(
                &data_dir, address, &password,
            )?)
        }
    }
}

/// Opens the engine and starts the dev chain (or uses the one another process serves); `run`
/// gets the engine, and a chain this command started is stopped after.
pub(crate) async fn with_chain<T>(
    cli: &Cli,
    run: impl AsyncFnOnce(&Engine) -> Result<T, Failure>,
) -> Result<T, Failure> {
    let engine = open_engine(cli).await?;
    let result = match engine.start_dev_chain().await {
        Ok(()) => run(&engine).await,
        Err(e) => Err(e.into()),
    };
    engine.shutdown().await;
    result
}

/// Runs `op` as `account` on the dev chain (started for it and stopped after).
pub(crate) async fn as_account<T>(
    cli: &Cli,
    account: Signer,
    op: impl AsyncFnOnce(&ChainClient) -> ChainResult<T>,
) -> Result<T, Failure> {
    let signer = signer(cli, account)?;
    with_chain(cli, async |engine| {
        let client = engine.chain_client(signer).await?;
        Ok(op(&client).await?)
    })
    .await
}

/// `NAME=VALUE` → a trait.
fn parse_attribute(text: &str) -> Result<(String, String), Failure> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_owned(), value.trim().to_owned()))
        }
        _ => Err(Failure::bad_input(format!(
            "--attribute {text:?}: write it as NAME=VALUE"
        ))),
    }
}

/// `0x…=BPS` or `member1=BPS` → a co-creator's share.
fn parse_co_creator(text: &str) -> Result<CoCreator, Failure> {
    let usage = || {
        Failure::bad_input(format!(
            "--co-creator {text:?}: write it as ADDRESS=BPS or ACCOUNT=BPS (2500 = 25 % of the royalty)"
        ))
    };
    let (who, bps) = text.split_once('=').ok_or_else(usage)?;
    let bps: u16 = bps.trim().parse().map_err(|_| usage())?;
    let payee = account_address(who).map_err(|_| usage())?;
    Ok(CoCreator { payee, bps })
}

/// A demo account's name (`member1`) or a `0x…` address → the address.
pub(crate) fn account_address(text: &str) -> Result<hallmark_engine::Address, Failure> {
    let who = text.trim();
    match DemoAccount::from_str(who, true) {
        Ok(account) => Ok(demo_signer(account)?.address()),
        Err(_) => who.parse().map_err(|_| {
            Failure::bad_input(format!(
                "{:?} is neither an account name (issuer, member1 …) nor a 0x address",
                crate::terminal::shown(who)
            ))
        }),
    }
}

/// The mint request of `--title`, `--editions` … (validated by the engine).
pub(crate) fn mint_request(work: &WorkArgs) -> Result<MintRequest, Failure> {
    Ok(MintRequest {
        path: work.file.clone(),
        name: work.title.clone().unwrap_or_default(),
        description: work.description.clone(),
        licence: work.licence.clone(),
        editions: work.editions,
        royalty_bps: work.royalty_bps,
        attributes: work
            .attributes
            .iter()
            .map(|a| parse_attribute(a))
            .collect::<Result<_, _>>()?,
        co_creators: work
            .co_creators
            .iter()
            .map(|c| parse_co_creator(c))
            .collect::<Result<_, _>>()?,
    })
}

/// `hallmark mint`.
pub(crate) async fn mint(cli: &Cli, args: &MintArgs) -> Result<(), Failure> {
    let request = mint_request(&args.work)?;
    // The engine's mint checks this too; checked here, a refused request starts no chain. An
    // artist's mint of an endorsed work gives no details: the endorsed registration has them.
    if args.work.title.is_some() {
        request.validate().map_err(EngineError::from)?;
    }
    let signer = signer(cli, args.account)?;
    let outcome = with_chain(cli, async |engine| {
        if args.work.title.is_some() {
            Ok(engine.mint(&request, signer).await?)
        } else {
            let cancel = hallmark_engine::CancelToken::new();
            Ok(engine
                .mint_endorsed_job(&request.path, signer, &cancel, |_| {})
                .await?)
        }
    })
    .await?;
    if args.json {
        return print_line(&crate::json::pretty(&crate::json::Minted::try_from(
            &outcome,
        )?)?);
    }
    print_line(&format!(
        "registered work {} (token {}) in block {}\n  content sha-256  {}\n  media            ipfs://{}\n  metadata         ipfs://{}\n  transaction      {}\n  took             {} ms",
        outcome.work_id,
        outcome.token_id,
        outcome.block_number,
        outcome.content_sha256,
        outcome.media_cid,
        outcome.metadata_cid,
        outcome.tx_hash,
        outcome.elapsed_ms
    ))
}

/// `hallmark work`.
pub(crate) async fn work(cli: &Cli, args: &TokenArgs) -> Result<(), Failure> {
    let token = parse_id(&args.token)?;
    let (work, owner, listing, transferable) = as_account(cli, args.who.account, async |client| {
        Ok((
            client.work(hallmark_engine::work_of(token)).await?,
            client.owner_of(token).await?,
            client.listing(token).await?,
            client.transferable_at(token).await?,
        ))
    })
    .await?;
    print_line(&format!(
        "token {token} — work {} edition {} of {}\n  owner           {owner:#x}\n  creator         {:#x}\n  registered      block {} (unix {})\n  content sha-256 {}\n  metadata        ipfs://{}\n  listed          {}\n  transferable at {}\n  frozen          {}",
        work.work_id,
        hallmark_engine::edition_of(token),
        work.max_editions,
        work.creator,
        work.registered_block,
        work.registered_at,
        hex::encode(work.content_hash),
        crate::terminal::shown(&work.metadata_cid),
        listing
            .map(|l| format!("{} credits", credit_text(l.price)))
            .unwrap_or_else(|| "no".to_owned()),
        if transferable == 0 {
            "now".to_owned()
        } else {
            format!("unix {transferable}")
        },
        if work.frozen_reason != 0 {
            format!("yes (reason {})", work.frozen_reason)
        } else {
            "no".to_owned()
        },
    ))
}

/// `hallmark list`.
pub(crate) async fn list(cli: &Cli, args: &ListArgs) -> Result<(), Failure> {
    let token = parse_id(&args.token)?;
    let price = credits(args.price);
    let tx = as_account(cli, args.who.account, async |c| c.list(token, price).await).await?;
    print_line(&format!(
        "listed token {token} for {} credits (block {})",
        args.price, tx.block_number
    ))
}

/// `hallmark cancel`.
pub(crate) async fn cancel(cli: &Cli, args: &TokenArgs) -> Result<(), Failure> {
    let token = parse_id(&args.token)?;
    let tx = as_account(cli, args.who.account, async |c| {
        c.cancel_listing(token).await
    })
    .await?;
    print_line(&format!(
        "listing of token {token} withdrawn (block {})",
        tx.block_number
    ))
}

/// `hallmark buy`.
pub(crate) async fn buy(cli: &Cli, args: &BuyArgs) -> Result<(), Failure> {
    let token = parse_id(&args.token)?;
    let price = parse_credits("--price", &args.price)?;
    let tx = as_account(cli, args.who.account, async |c| c.buy(token, price).await).await?;
    print_line(&format!(
        "bought token {token} for {} credits (block {}, tx {:#x})",
        credit_text(price),
        tx.block_number,
        tx.tx_hash
    ))
}

/// `hallmark gift`.
pub(crate) async fn gift(cli: &Cli, args: &GiftArgs) -> Result<(), Failure> {
    let token = parse_id(&args.token)?;
    let to = demo_signer(args.to)?.address();
    let tx = as_account(cli, args.who.account, async |c| c.gift(token, to).await).await?;
    print_line(&format!(
        "gave token {token} to {to:#x} (block {})",
        tx.block_number
    ))
}

/// `hallmark edition`.
pub(crate) async fn edition(cli: &Cli, args: &EditionArgs) -> Result<(), Failure> {
    let work = parse_id(&args.work)?;
    let to = args.to.as_deref().map(account_address).transpose()?;
    let minted = as_account(cli, args.account, async |c| {
        let minted = c.mint_edition(work, to.unwrap_or(c.address())).await?;
        let record = c.work(work).await?;
        let owner = c.owner_of(minted.token_id).await?;
        Ok((minted, record.max_editions, owner))
    })
    .await?;
    let (minted, max_editions, owner) = minted;
    if args.json {
        return print_line(&crate::json::pretty(&serde_json::json!({
            "work_id": u64::try_from(minted.work_id).unwrap_or(u64::MAX),
            "token_id": u64::try_from(minted.token_id).unwrap_or(u64::MAX),
            "edition": minted.edition,
            "max_editions": max_editions,
            "owner": format!("{owner:#x}"),
            "block_number": minted.tx.block_number,
            "tx_hash": format!("{:#x}", minted.tx.tx_hash),
        }))?);
    }
    print_line(&format!(
        "minted edition {} of {max_editions} of work {work} (token {}) to {owner:#x} in block {}",
        minted.edition, minted.token_id, minted.tx.block_number
    ))
}

/// `hallmark freeze`.
pub(crate) async fn freeze(cli: &Cli, args: &FreezeArgs) -> Result<(), Failure> {
    let work = parse_id(&args.work)?;
    let reason = args.reason;
    let tx = as_account(cli, args.who.account, async |c| {
        c.freeze_work(work, reason).await
    })
    .await?;
    print_line(&format!(
        "work {work} frozen with reason {reason} (block {})",
        tx.block_number
    ))
}

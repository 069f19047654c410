//! Catalog behaviour on synthetic event streams: apply, checkpoints, rollback and replay, metadata,
//! every query, query plans, and properties (page splits and replays give the same catalog;
//! keyset pages cover every row once).

use hallmark_catalog::{
    BlockEvents, BrowseQuery, Catalog, CatalogError, CatalogEvent, ENDORSEMENT_REQUEST_TTL,
    EndorsementFilter, LoggedEvent, MetadataFetch, Page, Sort, WorkDetails,
};
use proptest::prelude::*;

const ISSUER: &str = "0x00000000000000000000000000000000000000aa";
const REVIEWER: &str = "0x00000000000000000000000000000000000000bb";

fn addr(n: u64) -> String {
    format!("0x{n:040x}")
}

/// Builds blocks of events the way the chain would emit them.
struct Script {
    blocks: Vec<BlockEvents>,
    next_block: u64,
}

impl Script {
    fn new(start: u64) -> Self {
        Self {
            blocks: Vec::new(),
            next_block: start,
        }
    }

    /// One block with these events (one transaction each).
    fn block(&mut self, events: Vec<CatalogEvent>) -> &mut Self {
        let number = self.next_block;
        self.next_block += 1;
        self.blocks.push(BlockEvents {
            number,
            hash: format!("0x{number:064x}"),
            timestamp: 1_700_000_000 + number * 12,
            events: events
                .into_iter()
                .enumerate()
                .map(|(i, event)| LoggedEvent {
                    log_index: i as u64,
                    tx_hash: format!("0x{:064x}", number * 1000 + i as u64),
                    event,
                })
                .collect(),
        });
        self
    }

    fn register(&mut self, work: u64, creator: u64, editions: u32) -> &mut Self {
        let mut events = vec![CatalogEvent::WorkRegistered {
            work_id: work,
            content_hash: format!("0x{work:064x}"),
            creator: addr(creator),
            issuer: ISSUER.into(),
            metadata_hash: format!("0x{:064x}", work + 7),
            metadata_cid: format!("bafymeta{work}"),
            max_editions: editions,
            royalty_bps: 500,
        }];
        for edition in 1..=editions {
            events.push(CatalogEvent::EditionMinted {
                work_id: work,
                token_id: work * 1_000_000 + u64::from(edition),
                edition,
                to: addr(creator),
            });
        }
        self.block(events)
    }

    /// All blocks as one page ending at the last block.
    fn page(&self, from: u64) -> Page {
        let to = self.next_block - 1;
        Page {
            from,
            to,
            to_hash: format!("0x{to:064x}"),
            blocks: self
                .blocks
                .iter()
                .filter(|b| b.number >= from)
                .cloned()
                .collect(),
        }
    }
}

fn details(title: &str, kind: &str, attributes: &[(&str, &str)]) -> WorkDetails {
    WorkDetails {
        title: title.into(),
        description: Some(format!("{title}, a study")),
        attributes: attributes
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect(),
        licence: Some("CC BY 4.0".into()),
        media_cid: Some(format!("bafymedia{title}")),
        mime: Some(format!("{kind}/x")),
        kind: Some(kind.into()),
        thumbnail_cid: Some(format!("bafythumb{title}")),
        perceptual: None,
    }
}

/// Works 1..=3 by creators 1, 2, 1; sales, a gift, listings, a licence, a freeze.
fn market_script() -> Script {
    let mut s = Script::new(10);
    s.block(vec![CatalogEvent::RoleGranted {
        role: 1,
        account: ISSUER.into(),
        attested_by: addr(99),
        by: addr(98),
    }])
    .register(1, 1, 2)
    .register(2, 2, 1)
    .register(3, 1, 1)
    .block(vec![
        CatalogEvent::Listed {
            token_id: 1_000_001,
            seller: addr(1),
            price: 1500,
        },
        CatalogEvent::Listed {
            token_id: 2_000_001,
            seller: addr(2),
            price: 900,
        },
        CatalogEvent::Listed {
            token_id: 3_000_001,
            seller: addr(1),
            price: 5000,
        },
    ])
    .block(vec![
        CatalogEvent::Sold {
            token_id: 1_000_001,
            seller: addr(1),
            buyer: addr(4),
            price: 1500,
            royalty: 75,
            fee: 37,
        },
        CatalogEvent::Payout {
            token_id: 1_000_001,
            to: addr(1),
            kind: 0,
            amount: 75,
            held: false,
        },
        CatalogEvent::Payout {
            token_id: 1_000_001,
            to: addr(1),
            kind: 2,
            amount: 1388,
            held: false,
        },
    ])
    .block(vec![
        CatalogEvent::Gifted {
            token_id: 1_000_002,
            from: addr(1),
            to: addr(5),
        },
        CatalogEvent::LicenceOffered {
            offer_id: 1,
            token_id: 2_000_001,
            licensee: addr(6),
            holder: addr(2),
            kind: 1,
            scope_hash: format!("0x{:064x}", 1),
            duration: 86_400,
            fee: 300,
        },
    ])
    .block(vec![
        CatalogEvent::LicenceAccepted {
            offer_id: 1,
            token_id: 2_000_001,
            licensee: addr(6),
            starts: 1_700_000_200,
            expires: 1_700_086_600,
            fee: 300,
        },
        CatalogEvent::Frozen {
            work_id: 3,
            reason: 2,
            by: REVIEWER.into(),
        },
        CatalogEvent::MetadataUpdate {
            from_token: 3_000_001,
            to_token: 3_000_001,
        },
    ]);
    s
}

fn synced(script: &Script) -> Catalog {
    let catalog = Catalog::open_in_memory().expect("open");
    catalog.init_sync(31337, "0xWORKS", 10).expect("init");
    catalog.apply_page(&script.page(10)).expect("apply");
    catalog
}

fn with_metadata(catalog: &Catalog) {
    for (cid, d) in [
        (
            "bafymeta1",
            details(
                "Dawn",
                "image",
                &[("Palette", "warm"), ("Edition", "first")],
            ),
        ),
        (
            "bafymeta2",
            details("Tide song", "audio", &[("Palette", "cool")]),
        ),
        (
            "bafymeta3",
            details("数字藏品 Ember", "image", &[("Palette", "warm")]),
        ),
    ] {
        catalog
            .record_metadata(cid, &MetadataFetch::Available(d), 1_800_000_000)
            .expect("metadata");
    }
}

#[test]
fn checkpoint_moves_forward_only() {
    let script = market_script();
    let catalog = synced(&script);
    let state = catalog.sync_state().expect("state").expect("initialised");
    assert_eq!(state.next_block, script.next_block);
    assert_eq!(state.synced_block(), Some(script.next_block - 1));
    let again = catalog.apply_page(&script.page(10));
    assert!(
        matches!(again, Err(CatalogError::OutOfOrder { expected, got: 10 }) if expected == script.next_block)
    );
    // A different chain is refused.
    assert!(matches!(
        catalog.init_sync(1, "0xworks", 10),
        Err(CatalogError::OtherChain { .. })
    ));
    // Nothing was applied twice.
    assert_eq!(catalog.stats().expect("stats").events, 19);
}

#[test]
fn market_state_follows_the_events() {
    let catalog = synced(&market_script());
    with_metadata(&catalog);
    let work = catalog.work(1).expect("query").expect("work 1");
    assert_eq!(work.title.as_deref(), Some("Dawn"));
    assert_eq!(work.minted, 2);
    assert_eq!(work.editions.len(), 2);
    assert_eq!(work.editions[0].owner, addr(4), "sold to member 4");
    assert_eq!(work.editions[0].price, None, "a sale ends the listing");
    assert_eq!(work.editions[0].last_price, Some(1500));
    assert_eq!(work.editions[1].owner, addr(5), "gifted to member 5");
    assert_eq!(work.attributes.len(), 2);

    let frozen = catalog.work(3).expect("query").expect("work 3");
    assert_eq!(frozen.frozen_reason, 2);
    assert!(frozen.editions[0].frozen);

    let licences = catalog.licences(2_000_001).expect("licences");
    assert_eq!(licences.len(), 1);
    assert_eq!(licences[0].status, "accepted");
    assert_eq!(licences[0].expires, Some(1_700_086_600));

    let earnings = catalog.earnings(&addr(1)).expect("earnings");
    assert_eq!(
        (earnings.royalties, earnings.proceeds, earnings.payouts),
        (75, 1388, 2)
    );
    assert_eq!(
        catalog.roles(ISSUER).expect("roles"),
        vec![("issuer".to_owned(), "active".to_owned())]
    );
    assert_eq!(
        catalog
            .work_by_content_hash(&format!("{:064x}", 2))
            .expect("hash"),
        Some(2)
    );
    assert_eq!(catalog.work(42).expect("query"), None);
}

#[test]
fn provenance_is_every_event_of_the_work_in_order() {
    let catalog = synced(&market_script());
    let timeline = catalog.provenance(1).expect("provenance");
    let kinds: Vec<&str> = timeline.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "registered",
            "minted",
            "minted",
            "listed",
            "sold",
            "payout",
            "payout",
            "gifted"
        ]
    );
    assert!(timeline.windows(2).all(|w| w[0].seq < w[1].seq));
    let sale = &timeline[4];
    assert_eq!(sale.actor.as_deref(), Some(addr(1).as_str()));
    assert_eq!(sale.counterparty.as_deref(), Some(addr(4).as_str()));
    assert_eq!(sale.amount, Some(1500));
    assert!(sale.timestamp > 1_700_000_000 && sale.tx_hash.starts_with("0x"));
}

#[test]
fn activity_feed_pages_backwards() {
    let catalog = synced(&market_script());
    let all = catalog.activity(None, None, 100).expect("activity");
    assert!(all.windows(2).all(|w| w[0].seq > w[1].seq), "newest first");
    assert!(all.iter().all(|e| e.kind != "payout" && e.kind != "minted"));
    let first = catalog.activity(None, None, 2).expect("page 1");
    let second = catalog
        .activity(None, Some(first[1].seq), 2)
        .expect("page 2");
    assert_eq!(second[0], all[2]);
    let mine = catalog
        .activity(Some(&addr(4)), None, 100)
        .expect("member 4");
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].kind, "sold");
}

#[test]
fn browse_filters_and_sorts() {
    let catalog = synced(&market_script());
    with_metadata(&catalog);
    let tokens = |q: BrowseQuery| -> Vec<u64> {
        catalog
            .browse(&BrowseQuery { limit: 50, ..q })
            .expect("browse")
            .items
            .iter()
            .map(|c| c.token_id)
            .collect()
    };
    assert_eq!(
        tokens(BrowseQuery::default()),
        [3_000_001, 2_000_001, 1_000_002, 1_000_001]
    );
    assert_eq!(
        tokens(BrowseQuery {
            sort: Sort::PriceAsc,
            ..Default::default()
        }),
        [2_000_001],
        "work 3's listing was voided by its freeze"
    );
    assert_eq!(
        tokens(BrowseQuery {
            sort: Sort::PriceDesc,
            ..Default::default()
        }),
        [2_000_001]
    );
    assert_eq!(
        tokens(BrowseQuery {
            listed_only: true,
            ..Default::default()
        }),
        [2_000_001],
        "a frozen work's listing is void, as the market has it"
    );
    assert_eq!(
        tokens(BrowseQuery {
            sort: Sort::RecentlySold,
            ..Default::default()
        }),
        [1_000_001]
    );
    assert_eq!(
        tokens(BrowseQuery {
            kind: Some("audio".into()),
            ..Default::default()
        }),
        [2_000_001]
    );
    assert_eq!(
        tokens(BrowseQuery {
            min_price: Some(800),
            max_price: Some(6000),
            ..Default::default()
        }),
        [2_000_001]
    );
    assert_eq!(
        tokens(BrowseQuery {
            creator: Some(addr(1).to_uppercase().replace("0X", "0x")),
            ..Default::default()
        }),
        [3_000_001, 1_000_002, 1_000_001]
    );
    assert_eq!(
        tokens(BrowseQuery {
            issuer: Some(ISSUER.into()),
            ..Default::default()
        })
        .len(),
        4
    );
    assert_eq!(
        tokens(BrowseQuery {
            owner: Some(addr(5)),
            ..Default::default()
        }),
        [1_000_002]
    );
    assert_eq!(
        tokens(BrowseQuery {
            attribute: Some(("Palette".into(), "warm".into())),
            ..Default::default()
        }),
        [3_000_001, 1_000_002, 1_000_001]
    );
    assert_eq!(
        tokens(BrowseQuery {
            licence_free_at: Some(1_700_000_300),
            ..Default::default()
        }),
        [3_000_001, 1_000_002, 1_000_001],
        "token 2000001 is licensed until 1700086600"
    );
    assert_eq!(
        tokens(BrowseQuery {
            text: Some("tide".into()),
            ..Default::default()
        }),
        [2_000_001]
    );
    assert!(
        tokens(BrowseQuery {
            text: Some("()*".into()),
            ..Default::default()
        })
        .is_empty()
    );
    let card = &catalog
        .browse(&BrowseQuery {
            kind: Some("audio".into()),
            limit: 1,
            ..Default::default()
        })
        .expect("browse")
        .items[0];
    assert_eq!(card.title.as_deref(), Some("Tide song"));
    assert_eq!(card.media_status, "available");
    assert_eq!(card.thumbnail_cid.as_deref(), Some("bafythumbTide song"));
    assert!(catalog.knows_media("bafythumbTide song").expect("knows"));
    assert!(catalog.knows_media("bafymediaDawn").expect("knows"));
    assert!(!catalog.knows_media("bafyunknown").expect("knows"));
}

#[test]
fn cursors_are_checked() {
    let catalog = synced(&market_script());
    for bad in ["", "n:1", "n:x:1", "pa:1:1", "n:1:2:3"] {
        let result = catalog.browse(&BrowseQuery {
            after: Some(bad.into()),
            ..Default::default()
        });
        assert!(
            matches!(result, Err(CatalogError::InvalidQuery(_))),
            "{bad:?}"
        );
    }
}

#[test]
fn search_ranks_and_handles_cjk_and_hostile_input() {
    let catalog = synced(&market_script());
    with_metadata(&catalog);
    let titles = |text: &str| -> Vec<Option<String>> {
        catalog
            .search(text, 10)
            .expect("search")
            .into_iter()
            .map(|h| h.title)
            .collect()
    };
    assert_eq!(titles("dawn"), [Some("Dawn".to_owned())]);
    assert_eq!(
        titles("daw"),
        [Some("Dawn".to_owned())],
        "prefix while typing"
    );
    assert_eq!(titles("藏品"), [Some("数字藏品 Ember".to_owned())]);
    assert_eq!(titles("warm").len(), 2, "attributes are searchable");
    assert!(titles("\" OR 1=1 --").is_empty() || titles("\" OR 1=1 --").len() <= 3);
    assert!(titles("NEAR(dawn tide)").is_empty());
    let hit = &catalog.search("tide", 10).expect("search")[0];
    assert_eq!((hit.floor_price, hit.listed), (Some(900), 1));
    // The creator's address is searchable too.
    assert_eq!(titles(&addr(2)).len(), 1);
}

#[test]
fn metadata_failures_are_retried_and_shown() {
    let catalog = synced(&market_script());
    let now = 1_800_000_000;
    // The newest works' documents first: Explore's first page is complete after one batch.
    assert_eq!(
        catalog.due_metadata(now, 10).expect("due"),
        ["bafymeta3", "bafymeta2", "bafymeta1"]
    );
    catalog
        .record_metadata(
            "bafymeta1",
            &MetadataFetch::Unavailable("not found".into()),
            now,
        )
        .expect("record");
    catalog
        .record_metadata("bafymeta2", &MetadataFetch::Invalid("not JSON".into()), now)
        .expect("record");
    catalog
        .record_metadata(
            "bafymeta3",
            &MetadataFetch::MediaUnavailable(
                details("Ember", "image", &[]),
                "thumbnail missing".into(),
            ),
            now,
        )
        .expect("record");
    assert!(
        catalog.due_metadata(now, 10).expect("due").is_empty(),
        "backing off"
    );
    let later = catalog.due_metadata(now + 31, 10).expect("due");
    assert_eq!(
        later,
        ["bafymeta3", "bafymeta1"],
        "invalid documents are not retried (the newest work's first)"
    );
    let work = catalog.work(1).expect("q").expect("work");
    assert_eq!(work.media_status, "unavailable");
    assert_eq!(work.media_error.as_deref(), Some("not found"));
    let ember = catalog.work(3).expect("q").expect("work");
    assert_eq!(
        ember.title.as_deref(),
        Some("Ember"),
        "known fields are kept"
    );
    let stats = catalog.stats().expect("stats");
    assert_eq!((stats.metadata_unavailable, stats.metadata_invalid), (2, 1));
    assert_eq!(
        catalog.market_counts().expect("counts"),
        (stats.works, stats.listed)
    );
    // The second failure waits longer.
    catalog
        .record_metadata(
            "bafymeta1",
            &MetadataFetch::Unavailable("still".into()),
            now + 31,
        )
        .expect("record");
    assert_eq!(
        catalog.due_metadata(now + 31 + 59, 10).expect("due"),
        ["bafymeta3"]
    );
}

#[test]
fn rollback_drops_the_fork_and_replays() {
    let script = market_script();
    let catalog = synced(&script);
    with_metadata(&catalog);
    // Roll back to before the sale: block 14 is the listing block.
    let listing_block = 14;
    let rollback = catalog.rollback_to(listing_block).expect("rollback");
    assert_eq!(rollback.to_block, listing_block);
    assert_eq!(rollback.events_removed, 8);
    let state = catalog.sync_state().expect("s").expect("state");
    assert_eq!(state.next_block, listing_block + 1);
    let work = catalog.work(1).expect("q").expect("work");
    assert_eq!(work.editions[0].owner, addr(1), "the sale is gone");
    assert_eq!(work.editions[0].price, Some(1500), "the listing is back");
    assert_eq!(
        work.title.as_deref(),
        Some("Dawn"),
        "fetched metadata survives"
    );

    // The same state as a catalog that only ever saw blocks up to the fork.
    let mut prefix = Script::new(10);
    prefix.blocks = script
        .blocks
        .iter()
        .filter(|b| b.number <= listing_block)
        .cloned()
        .collect();
    prefix.next_block = listing_block + 1;
    let fresh = synced(&prefix);
    with_metadata(&fresh);
    assert_eq!(fresh.dump().expect("dump"), catalog.dump().expect("dump"));

    assert!(matches!(
        catalog.rollback_to(12_345),
        Err(CatalogError::UnknownBlock { .. })
    ));
    // Back to before the start block: empty.
    catalog.rollback_to(9).expect("to start");
    assert_eq!(catalog.stats().expect("stats").events, 0);
}

#[test]
fn replay_rebuilds_the_same_catalog() {
    let catalog = synced(&market_script());
    with_metadata(&catalog);
    let before = catalog.dump().expect("dump");
    let replayed = catalog.replay().expect("replay");
    assert_eq!(replayed, 19);
    assert_eq!(catalog.dump().expect("dump"), before);
}

#[test]
fn the_review_queue_follows_requests_decisions_and_replays() {
    let mut script = Script::new(10);
    script.register(1, 1, 1);
    let request = |id: u64, hash: u64| CatalogEvent::ReviewRequested {
        request_id: id,
        content_hash: format!("0x{hash:064x}"),
        issuer: ISSUER.into(),
        creator: addr(2),
        metadata_hash: format!("0x{:064x}", hash + 1),
        metadata_cid: format!("bafyreview{id}"),
        matched_works: vec![1],
        distances: vec![12],
    };
    script.block(vec![request(1, 900), request(2, 901), request(3, 902)]);
    script.block(vec![
        CatalogEvent::ReviewDecided {
            request_id: 1,
            content_hash: format!("0x{:064x}", 900),
            approved: true,
            by: addr(9),
            reason: "a licensed remix".into(),
        },
        CatalogEvent::ReviewDecided {
            request_id: 2,
            content_hash: format!("0x{:064x}", 901),
            approved: false,
            by: addr(9),
            reason: "a copy of work 1".into(),
        },
        CatalogEvent::ReviewWithdrawn {
            request_id: 3,
            content_hash: format!("0x{:064x}", 902),
        },
    ]);
    script.block(vec![request(4, 901)]);
    let catalog = synced(&script);
    let pending = catalog.reviews(Some("pending"), 50).expect("pending");
    assert_eq!(
        pending.iter().map(|r| r.request_id).collect::<Vec<_>>(),
        vec![4]
    );
    assert_eq!(pending[0].matches, vec![(1, 12)]);
    let approved = catalog.review(1).expect("query").expect("known");
    assert_eq!(approved.status, "approved");
    assert_eq!(approved.reason.as_deref(), Some("a licensed remix"));
    assert_eq!(approved.decided_by, Some(addr(9)));
    assert_eq!(
        catalog.review(3).expect("q").expect("known").status,
        "withdrawn"
    );
    // The latest request of a resubmitted hash is the new one.
    let latest = catalog
        .latest_review_of(&format!("{:064x}", 901))
        .expect("q")
        .expect("some");
    assert_eq!((latest.request_id, latest.status.as_str()), (4, "pending"));
    assert_eq!(catalog.reviews(None, 50).expect("all").len(), 4);
    // The metadata of a submitted work is fetched like a registered one's.
    assert!(
        catalog
            .due_metadata(i64::MAX as u64, 100)
            .expect("due")
            .iter()
            .any(|c| c == "bafyreview4")
    );
    // Replaying the log gives the same queue.
    let before = catalog.dump().expect("dump");
    catalog.replay().expect("replay");
    assert_eq!(catalog.dump().expect("dump"), before);
}

#[test]
fn endorsement_requests_follow_decisions_time_and_registrations_and_replay() {
    let hash = |n: u64| format!("0x{n:064x}");
    let request =
        |id: u64, content: u64, creator: u64, issuer: &str| CatalogEvent::EndorsementRequested {
            request_id: id,
            content_hash: hash(content),
            creator: addr(creator),
            issuer: issuer.to_owned(),
            metadata_hash: hash(content + 1000),
            metadata_cid: format!("bafyendorse{id}"),
            max_editions: 5,
            royalty_bps: 800,
            splits: vec![(addr(creator), 9000), (addr(7), 1000)],
        };
    let any = addr(0);
    let approved = |id: u64, content: u64, deadline: u64| CatalogEvent::EndorsementApproved {
        request_id: id,
        content_hash: hash(content),
        issuer: ISSUER.into(),
        nonce: hash(id + 77),
        deadline,
        signature: format!("0x{}", "ab".repeat(65)),
    };
    let mut script = Script::new(10);
    // Block 10: requests 1..5 (4 is addressed to another issuer).
    script.block(vec![
        request(1, 2, 3, ISSUER),
        request(2, 901, 3, &any),
        request(3, 902, 2, &any),
        request(4, 903, 2, &addr(8)),
        request(5, 904, 2, &any),
    ]);
    let asked = 1_700_000_000 + 10 * 12;
    let deadline = asked + 1_000;
    // Block 11: decisions.
    script.block(vec![
        approved(1, 2, deadline),
        CatalogEvent::EndorsementRejected {
            request_id: 2,
            content_hash: hash(901),
            issuer: ISSUER.into(),
            reason: "add the source sketch".into(),
        },
        CatalogEvent::EndorsementWithdrawn {
            request_id: 3,
            content_hash: hash(902),
        },
        approved(5, 904, deadline),
    ]);
    // Block 12: request 1's artist mints it (work 2, whose content hash is 2).
    script.register(1, 1, 1);
    script.register(2, 3, 1);
    // Request 6 (content 3) is approved until a deadline long past when work 3 is registered.
    script.block(vec![request(6, 3, 4, &any)]);
    let six_asked = 1_700_000_000 + script.next_block * 12 - 12;
    script.block(vec![approved(6, 3, six_asked + 13)]);
    script.register(3, 5, 1);
    let catalog = synced(&script);
    let now = asked + 100;
    let one = catalog.endorsement(1, now).expect("q").expect("known");
    assert_eq!(
        (one.status.as_str(), one.work_id),
        ("registered", Some(2)),
        "{one:?}"
    );
    assert_eq!(one.splits, vec![(addr(3), 9000), (addr(7), 1000)]);
    assert_eq!(one.signature, Some(format!("0x{}", "ab".repeat(65))));
    assert_eq!(one.deadline, Some(deadline));
    let two = catalog.endorsement(2, now).expect("q").expect("known");
    assert_eq!(two.status, "rejected");
    assert_eq!(two.reason.as_deref(), Some("add the source sketch"));
    assert_eq!(two.issuer, None, "asked any issuer");
    assert_eq!(
        catalog
            .endorsement(3, now)
            .expect("q")
            .expect("known")
            .status,
        "withdrawn"
    );
    // Time: an approval expires after its deadline, a pending request after 30 days.
    let five = |at| {
        catalog
            .endorsement(5, at)
            .expect("q")
            .expect("known")
            .status
    };
    assert_eq!(five(deadline), "approved");
    assert_eq!(five(deadline + 1), "expired");
    let four = |at| {
        catalog
            .endorsement(4, at)
            .expect("q")
            .expect("known")
            .status
    };
    assert_eq!(four(asked + ENDORSEMENT_REQUEST_TTL), "pending");
    assert_eq!(four(asked + ENDORSEMENT_REQUEST_TTL + 1), "expired");
    // Content registered after its request ended (by anyone) leaves the request expired.
    let six = |at| catalog.endorsement(6, at).expect("q").expect("known");
    assert_eq!(six(now).status, "expired");
    assert_eq!(six(now).work_id, Some(3));
    // Filters: what the issuer may decide (addressed to it or to anyone), an artist's, a status.
    let ids = |filter: EndorsementFilter, at: u64| -> Vec<u64> {
        catalog
            .endorsements(&filter, at, 50)
            .expect("list")
            .iter()
            .map(|e| e.request_id)
            .collect()
    };
    assert_eq!(
        ids(
            EndorsementFilter {
                decidable_by: Some(ISSUER.to_ascii_uppercase().replace("0X", "0x")),
                ..Default::default()
            },
            now
        ),
        vec![6, 5, 3, 2, 1]
    );
    assert_eq!(
        ids(
            EndorsementFilter {
                creator: Some(addr(2)),
                status: Some("pending".into()),
                ..Default::default()
            },
            now
        ),
        vec![4]
    );
    assert_eq!(
        ids(
            EndorsementFilter {
                status: Some("expired".into()),
                ..Default::default()
            },
            deadline + 1
        ),
        vec![6, 5]
    );
    let latest = catalog
        .latest_endorsement_of(&format!("{:064x}", 904), now)
        .expect("q")
        .expect("some");
    assert_eq!(latest.request_id, 5);
    // The metadata of a requested work is fetched like a registered one's.
    assert!(
        catalog
            .due_metadata(i64::MAX as u64, 100)
            .expect("due")
            .iter()
            .any(|c| c == "bafyendorse4")
    );
    // Replaying the log gives the same requests.
    let before = catalog.dump().expect("dump");
    catalog.replay().expect("replay");
    assert_eq!(catalog.dump().expect("dump"), before);
}

#[test]
fn a_reopened_file_keeps_everything() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("catalog.sqlite");
    let script = market_script();
    let dump = {
        let catalog = Catalog::open(&path).expect("open");
        catalog.init_sync(31337, "0xworks", 10).expect("init");
        catalog.apply_page(&script.page(10)).expect("apply");
        catalog.dump().expect("dump")
    };
    let reopened = Catalog::open(&path).expect("reopen");
    assert_eq!(reopened.schema_version().expect("v"), 5);
    assert_eq!(reopened.dump().expect("dump"), dump);
}

#[test]
fn hot_queries_use_indexes() {
    let catalog = synced(&market_script());
    let queries = [
        BrowseQuery {
            listed_only: true,
            ..Default::default()
        },
        BrowseQuery {
            sort: Sort::PriceAsc,
            ..Default::default()
        },
        BrowseQuery {
            sort: Sort::PriceDesc,
            ..Default::default()
        },
        BrowseQuery {
            sort: Sort::RecentlySold,
            ..Default::default()
        },
        BrowseQuery::default(),
        BrowseQuery {
            kind: Some("image".into()),
            sort: Sort::PriceAsc,
            ..Default::default()
        },
        BrowseQuery {
            kind: Some("image".into()),
            listed_only: true,
            ..Default::default()
        },
        BrowseQuery {
            creator: Some(addr(1)),
            ..Default::default()
        },
        BrowseQuery {
            creator: Some(addr(1)),
            listed_only: true,
            ..Default::default()
        },
        BrowseQuery {
            owner: Some(addr(1)),
            ..Default::default()
        },
        BrowseQuery {
            issuer: Some(ISSUER.into()),
            ..Default::default()
        },
        BrowseQuery {
            min_price: Some(10),
            max_price: Some(100),
            sort: Sort::PriceAsc,
            ..Default::default()
        },
    ];
    for query in &queries {
        let plan = catalog.browse_plan(query).expect("plan");
        let text = plan.join(" | ");
        assert!(
            plan.iter()
                .any(|step| step.contains("USING INDEX")
                    || step.contains("USING INTEGER PRIMARY KEY")),
            "{query:?}: {text}"
        );
        assert!(
            !plan
                .iter()
                .any(|step| step.starts_with("SCAN t") && !step.contains("INDEX")),
            "{query:?} scans the tokens table: {text}"
        );
        assert!(
            !text.contains("TEMP B-TREE"),
            "{query:?} sorts in memory: {text}"
        );
    }
}

fn arbitrary_script() -> impl Strategy<Value = Vec<(u8, u64, i64)>> {
    prop::collection::vec((0u8..6, 1u64..6, 1i64..10_000), 1..60)
}

/// Turns random choices into a plausible event stream over works 1..=5 (2 editions each).
fn script_from(choices: &[(u8, u64, i64)]) -> Script {
    let mut s = Script::new(10);
    for work in 1..=5 {
        s.register(work, work, 2);
    }
    for &(op, work, amount) in choices {
        let token = work * 1_000_000 + 1 + (amount as u64 % 2);
        let event = match op {
            0 => CatalogEvent::Listed {
                token_id: token,
                seller: addr(work),
                price: amount,
            },
            1 => CatalogEvent::ListingCancelled {
                token_id: token,
                seller: addr(work),
            },
            2 => CatalogEvent::Sold {
                token_id: token,
                seller: addr(work),
                buyer: addr(10 + amount as u64 % 3),
                price: amount,
                royalty: amount / 20,
                fee: amount / 40,
            },
            3 => CatalogEvent::Gifted {
                token_id: token,
                from: addr(work),
                to: addr(20),
            },
            4 => CatalogEvent::Frozen {
                work_id: work,
                reason: 1,
                by: REVIEWER.into(),
            },
            _ => CatalogEvent::Unfrozen {
                work_id: work,
                by: addr(98),
            },
        };
        s.block(vec![event]);
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// However the stream is cut into pages, and after a replay, the catalog is the same.
    #[test]
    fn pages_and_replays_agree(choices in arbitrary_script(), cuts in prop::collection::vec(any::<u8>(), 0..6)) {
        let script = script_from(&choices);
        let whole = synced(&script);
        let last = script.next_block - 1;
        let mut bounds: Vec<u64> = cuts.iter().map(|c| 10 + u64::from(*c) % (last - 10 + 1)).collect();
        bounds.push(last);
        bounds.sort_unstable();
        bounds.dedup();
        let paged = Catalog::open_in_memory().expect("open");
        paged.init_sync(31337, "0xworks", 10).expect("init");
        let mut from = 10;
        for to in bounds {
            if to < from { continue; }
            let page = Page {
                from,
                to,
                to_hash: format!("0x{to:064x}"),
                blocks: script.blocks.iter().filter(|b| b.number >= from && b.number <= to).cloned().collect(),
            };
            paged.apply_page(&page).expect("page");
            from = to + 1;
        }
        let expected = whole.dump().expect("dump");
        prop_assert_eq!(&paged.dump().expect("dump"), &expected);
        paged.replay().expect("replay");
        prop_assert_eq!(&paged.dump().expect("dump"), &expected);
    }

    /// Keyset pages of any size visit every matching token exactly once, in order.
    #[test]
    fn keyset_pages_cover_everything_once(choices in arbitrary_script(), size in 1u32..5, sort in 0u8..4) {
        let catalog = synced(&script_from(&choices));
        let sort = [Sort::Newest, Sort::PriceAsc, Sort::PriceDesc, Sort::RecentlySold][sort as usize];
        let all = catalog.browse(&BrowseQuery { sort, limit: 200, ..Default::default() }).expect("all").items;
        let mut seen = Vec::new();
        let mut after = None;
        loop {
            let page = catalog.browse(&BrowseQuery { sort, limit: size, after: after.clone(), ..Default::default() }).expect("page");
            seen.extend(page.items);
            match page.next { Some(next) => after = Some(next), None => break }
        }
        prop_assert_eq!(seen, all);
    }
}

#[test]
fn a_suspended_members_listings_are_void_and_stay_void_after_reinstatement() {
    let mut script = market_script();
    script
        .block(vec![CatalogEvent::RoleSuspended {
            role: 0,
            account: addr(2),
            reason: 4,
            by: addr(98),
        }])
        .block(vec![CatalogEvent::RoleReinstated {
            role: 0,
            account: addr(2),
            by: addr(98),
        }]);
    let catalog = synced(&script);
    let listed = catalog
        .browse(&BrowseQuery {
            listed_only: true,
            limit: 50,
            ..Default::default()
        })
        .expect("browse");
    assert!(listed.items.is_empty(), "{:?}", listed.items);
}

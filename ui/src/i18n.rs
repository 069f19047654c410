//! The UI's one catalogue of user-visible text, in English and Simplified Chinese, and the
//! current language.
//!
//! Fixed strings are [`Text`] keys; the `catalogue!` table takes every key with both
//! translations, so a missing one does not compile. Strings with values are the template
//! functions below it: whole sentences per language (each keeps its own word order), also
//! written for both languages or they do not compile. Technical identifiers (CIDs, sha-256, PDQ,
//! addresses, block numbers, error codes) and text from the engine are never translated.
//!
//! The language is a `RwSignal<Lang>` in the context ([`provide_language`], [`use_lang`]); views
//! read it through [`t`] (a fixed string) or [`tr`] (text made from values), so switching the
//! language redraws only the text, without reloading data or resetting forms.
//!
//! To add a string: a line `Key: "English", "中文";` in `catalogue!`, then `{t(Text::Key)}` in a
//! view. For a string with values: a line `name(arg: Type, …) => "English {arg}", "中文 {arg}";`
//! in `templates!`, then `{tr(move |l| i18n::name(l, …))}` in a view.

use std::fmt::Display;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

/// A language of the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English (the default).
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// Every language, in the order of the switch.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The BCP 47 tag, for `<html lang>` and the stored choice.
    pub const fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// The language's name in itself, for the switch.
    pub const fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "简体中文",
        }
    }

    /// The UI language of a BCP 47 tag (`zh-Hans-CN` → Chinese), if the UI has one.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?;
        if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else if primary.eq_ignore_ascii_case("zh") {
            Some(Lang::Zh)
        } else {
            None
        }
    }

    /// The language to start in: the stored choice, else Chinese when the webview's language is
    /// Chinese, else English.
    pub fn initial(stored: Option<&str>, navigator: Option<&str>) -> Lang {
        stored
            .and_then(Lang::from_tag)
            .or_else(|| {
                navigator
                    .and_then(Lang::from_tag)
                    .filter(|l| *l == Lang::Zh)
            })
            .unwrap_or_default()
    }
}

/// Where the choice is kept in the webview's `localStorage`.
const STORAGE_KEY: &str = "hallmark.lang";

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = localStorage, js_name = getItem)]
    fn storage_get(key: &str) -> Result<Option<String>, JsValue>;

    #[wasm_bindgen(catch, js_namespace = localStorage, js_name = setItem)]
    fn storage_set(key: &str, value: &str) -> Result<(), JsValue>;
}

/// `navigator.language`, if the webview has one.
fn navigator_language() -> Option<String> {
    let navigator = js_sys::Reflect::get(&js_sys::global(), &"navigator".into()).ok()?;
    js_sys::Reflect::get(&navigator, &"language".into())
        .ok()?
        .as_string()
}

/// Creates the current language (the stored choice, else from `navigator.language`), provides
/// it to every component and keeps `<html lang>` in step. Called once, by `App`.
pub fn provide_language() -> RwSignal<Lang> {
    let stored = storage_get(STORAGE_KEY).ok().flatten();
    let lang = RwSignal::new(Lang::initial(
        stored.as_deref(),
        navigator_language().as_deref(),
    ));
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", lang.get().code());
        }
    });
    provide_context(lang);
    lang
}

/// Remembers the user's choice for the next start (nothing happens if storage is unavailable).
pub fn remember(lang: Lang) {
    let _ = storage_set(STORAGE_KEY, lang.code());
}

/// The current language, as provided by `App`.
pub fn use_lang() -> RwSignal<Lang> {
    expect_context()
}

/// A fixed string in the current language, for a view or an attribute: it follows the switch.
pub fn t(key: Text) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || key.text(lang.get())
}

/// Text made by `f` in the current language (a template, or a choice of keys); it follows the
/// switch. One signal type for every such text keeps the wasm small.
pub fn tr(f: impl Fn(Lang) -> String + Send + Sync + 'static) -> Signal<String> {
    let lang = use_lang();
    Signal::derive(move || f(lang.get()))
}

/// Declares [`Text`] with one variant per line, [`Text::ALL`] and [`Text::text`] from the same
/// lines, so every key has both languages and `ALL` has every key.
macro_rules! catalogue {
    ($($key:ident: $en:literal, $zh:literal;)+) => {
        /// A fixed string of the UI (its English text is its documentation).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Text {
            $(#[doc = $en] $key,)+
        }

        impl Text {
            /// Every key, in catalogue order.
            #[cfg_attr(not(test), allow(dead_code))]
            pub const ALL: &'static [Text] = &[$(Text::$key),+];

            /// The string in `lang`.
            pub const fn text(self, lang: Lang) -> &'static str {
                let (en, zh) = match self {
                    $(Text::$key => ($en, $zh),)+
                };
                match lang {
                    Lang::En => en,
                    Lang::Zh => zh,
                }
            }
        }
    };
}

catalogue! {
    // Top bar and shared words
    Explore: "Explore", "浏览";
    Collection: "Collection", "收藏";
    Studio: "Studio", "工作室";
    Library: "Library", "作品库";
    Mint: "Mint", "登记";
    Verify: "Verify", "验证";
    Review: "Review", "审核";
    Council: "Council", "理事会";
    Status: "Status", "状态";
    Settings: "Settings", "设置";
    Language: "Language", "语言";
    SigningAs: "Signing as", "签名身份";
    AccountSelect: "Account the app signs as", "应用签名所用的账户";
    Loading: "Loading…", "正在加载…";
    LoadMore: "Load more", "加载更多";
    Untitled: "Untitled", "无标题";
    MediaUnavailable: "media unavailable", "媒体不可用";
    NotForSale: "Not for sale", "未在出售";
    ThisAccount: "this account", "此账户";
    Creator: "Creator", "创作者";
    Holder: "Holder", "持有人";
    Issuer: "Issuer", "发行方";
    RegisteredAt: "Registered", "登记时间";
    Transaction: "Transaction", "交易";
    Token: "Token", "通证";
    Title: "Title", "标题";
    Description: "Description", "描述";
    Licence: "Licence", "许可";
    Chain: "Chain", "链";
    ChainId: "Chain id", "链 ID";
    ContentStore: "Content store", "内容存储";
    DataFolder: "Data folder", "数据文件夹";
    Kind: "Kind", "类型";
    KindImage: "image", "图片";
    KindAudio: "audio", "音频";
    KindVideo: "video", "视频";
    // Mint (add.rs)
    MintTitle: "Mint a work", "登记作品";
    MintLede: "Drop an image, audio or video file anywhere on this window, or choose one. Hallmark reads the real type from the bytes, checks size and pixel limits, computes its sha-256 and IPFS content address, and stores it locally.",
        "将图片、音频或视频文件拖放到窗口任意位置，或选择一个文件。Hallmark 会根据字节识别真实类型，检查大小和像素上限，计算 sha-256 与 IPFS 内容地址，并保存在本地。";
    DropFile: "⬇ Drop a file here", "⬇ 将文件拖放到这里";
    Ingest: "Ingest", "导入";
    Ingesting: "Ingesting…", "正在导入…";
    AcceptedFormats: "PNG, JPEG, WebP, GIF · MP3, WAV, FLAC, OGG · MP4, WebM. SVG is refused: Hallmark never renders documents that can carry scripts.",
        "PNG、JPEG、WebP、GIF · MP3、WAV、FLAC、OGG · MP4、WebM。不接受 SVG：Hallmark 从不渲染可能携带脚本的文档。";
    Starting: "Starting…", "正在准备…";
    ContentAddress: "Content address (CIDv1)", "内容地址（CIDv1）";
    IpfsAdd: "ipfs add (CIDv0)", "ipfs add 的地址（CIDv0）";
    NoOtherFile: "✓ No other file in your library has these exact bytes.", "✓ 作品库中没有其他文件与它的字节完全相同。";
    ComparingRegistered: "Comparing with every registered work…", "正在与所有已登记作品比对…";
    RegisterOnChain: "Register on the chain", "在链上登记";
    EditionsField: "Editions (fixed forever)", "版次数量（永久固定）";
    RoyaltyField: "Royalty on resales, %", "转售版税（%）";
    AllRightsReserved: "All rights reserved", "保留所有权利";
    RegisterWork: "Register work", "登记作品";
    Registering: "Registering…", "正在登记…";
    SentToReview: "Sent to review. ", "已提交审核。";
    // Explore, Collection, Studio (explore.rs)
    MyCollection: "My collection", "我的收藏";
    ExploreLede: "Every work registered on the chain, from this computer's catalog: browsing and search work offline.",
        "链上登记的全部作品，来自本机的目录：离线也能浏览和搜索。";
    CatalogWaiting: "catalog: waiting for the chain", "目录：等待链上数据";
    RoyaltiesEarned: "Royalties earned", "已得版税";
    Proceeds: "Sales and licence proceeds", "销售与许可收入";
    PaymentsReceived: "Payments received", "收款笔数";
    SearchPlaceholder: "Search titles, descriptions, creators, attributes", "搜索标题、描述、创作者、属性";
    Search: "Search", "搜索";
    AllKinds: "All kinds", "全部类型";
    Images: "Images", "图片";
    Audio: "Audio", "音频";
    Video: "Video", "视频";
    Order: "Order", "排序";
    Newest: "Newest", "最新";
    PriceLowHigh: "Price: low to high", "价格：从低到高";
    PriceHighLow: "Price: high to low", "价格：从高到低";
    RecentlySold: "Recently sold", "最近售出";
    ForSaleOnly: "For sale only", "仅看在售";
    NoMatch: "No works match this search.", "没有符合此搜索的作品。";
    NoWorksYet: "No works on the chain match yet.", "链上暂无符合条件的作品。";
    HoldsNoTokens: "This account holds no tokens yet.", "此账户尚未持有任何通证。";
    CreatedNothing: "This account has not created any work yet.", "此账户尚未创作任何作品。";
    FetchingMetadata: "Fetching metadata…", "正在获取元数据…";
    Frozen: "frozen", "已冻结";
    // Library (library.rs)
    LibraryLede: "Works ingested on this machine: hashed, content-addressed and pinned in the local store.",
        "在本机导入的作品：已计算哈希、按内容寻址，并固定在本地存储中。";
    NothingYet: "Nothing here yet.", "这里还什么都没有。";
    AddFirstWork: "Add your first work", "添加你的第一件作品";
    // Registered works beside a new one (matches.rs)
    ExactSameBytes: "the exact same bytes", "字节完全相同";
    NoPicture: "no picture", "无图片";
    // Council (council.rs)
    CouncilLede: "Changes to the consortium's dangerous powers — council seats, credit issuance, the market and its fees — run only after a majority of the council approved them and the time lock has passed. Every member sees them here before they run.",
        "对联盟关键权力的变更——理事席位、积分发行、市场合约及其费用——只有在理事会多数批准且时间锁到期后才会执行。每位成员都能在执行前于此处看到它们。";
    CouncilNoSeat: "Only council members propose and vote: switch to a council account to take part.", "只有理事会成员可以提议和表决：请切换到理事会账户参与。";
    NoProposals: "No council proposals yet.", "暂无理事会提案。";
    ProposeTitle: "Propose a change", "提议变更";
    Propose: "Propose", "提议";
    ChangeKind: "Change", "变更内容";
    KindMintCredit: "Issue credit", "发行积分";
    KindAddSeat: "Give a council seat", "增加理事席位";
    KindRemoveSeat: "Take a council seat", "撤销理事席位";
    KindFee: "Platform fee", "平台费";
    KindHolding: "Holding period", "持有期";
    AccountField: "Account (0x…)", "账户（0x…）";
    CreditsField: "Credits", "积分";
    FeeField: "Fee, % of each price", "费率（每笔价格的 %）";
    TreasuryField: "Paid to (0x…)", "收款账户（0x…）";
    DaysField: "Days", "天数";
    NoteField: "Why (kept with the proposal)", "理由（随提案保存）";
    PutInTimeLock: "Put in the time lock", "放入时间锁";
    RunIt: "Run it", "执行";
    ProposedNote: "Proposed: council members can approve it from the next block.", "已提议：理事会成员可从下一个区块起批准。";
    VotedNote: "Your vote is on the chain.", "你的表决已上链。";
    AdvancedNote: "Done: the proposal took its next step.", "完成：提案已进入下一步。";
    UnknownCallNote: "This proposal makes a call the app cannot put into words: check it with `hallmark council show` before voting there.",
        "此提案包含应用无法描述的调用：请先用 `hallmark council show` 核实，再在那里表决。";
    ProposalPending: "not yet open", "尚未开放";
    ProposalActive: "open for approval", "表决中";
    ProposalCanceled: "withdrawn", "已撤回";
    ProposalDefeated: "not approved", "未通过";
    ProposalSucceeded: "approved", "已通过";
    ProposalQueued: "in the time lock", "时间锁中";
    ProposalExpired: "expired", "已过期";
    ProposalExecuted: "done", "已执行";
    // Review (review.rs)
    PendingOnly: "Pending only", "仅看待审核";
    ReviewLede: "Mints that look like registered works wait here for a consortium reviewer. Nothing is blocked silently: CC0 works and licensed remixes are legitimate. Approve or reject with a reason; the decision and reason are kept on the chain.",
        "与已登记作品相似的登记申请在这里等待联盟审核员处理。不会有作品被悄悄拦下：CC0 作品和获得许可的再创作都是正当的。批准或驳回时须说明理由；决定和理由都会记录在链上。";
    NotReviewer: "Switch to a reviewer account to decide.", "请切换到审核员账户再做决定。";
    QueueEmpty: "The queue is empty.", "审核队列为空。";
    GiveReason: "Give a reason: it is kept on the chain.", "请填写理由：它会记录在链上。";
    ApprovedNote: "Approved — the queue updates as the chain confirms it.", "已批准——链上确认后，队列会随之更新。";
    RejectedNote: "Rejected — the queue updates as the chain confirms it.", "已驳回——链上确认后，队列会随之更新。";
    MetadataNotFetched: "(metadata not fetched yet)", "（尚未获取元数据）";
    // Editions
    EditionsMinted: "Editions minted", "已登记版数";
    Myself: "myself", "我自己";
    EditionRecipient: "Who receives the next edition", "下一版的接收人";
    // Endorsements
    Endorsements: "Endorsements", "背书";
    EndorsementsLede: "Artists who are not issuers send their works here for an issuer's endorsement. Once endorsed, the artist mints the work as its creator, and the issuer is recorded with it. Requests and decisions are kept on the chain, so every member's Hallmark sees them.",
        "非发行方的艺术家在这里请发行方为作品背书。获得背书后，艺术家以创作者身份自行登记作品，发行方随之记录在链上。申请和决定都记录在链上，每位成员的 Hallmark 都能看到。";
    MyRequests: "My requests", "我的申请";
    ToDecide: "To decide", "待决定";
    NoRequests: "No endorsement requests yet. Send one from Mint: choose a file, fill in its details and press “Send for endorsement”.",
        "还没有背书申请。请在“登记”页选择文件、填写信息，然后点击“送交背书”。";
    NothingToDecide: "No request waits for your decision.", "没有等待您决定的申请。";
    NotIssuerToDecide: "Switch to an issuer account to decide requests.", "请切换到发行方账户再决定申请。";
    SendForEndorsement: "Send for endorsement", "送交背书";
    EndorsementNote: "Your account is not an issuer: an issuer endorses the work first, then you mint it yourself, as its creator.",
        "您的账户不是发行方：需先由发行方为作品背书，之后由您以创作者身份自行登记。";
    IssuerToAsk: "Issuer to ask (0x…; leave empty for any issuer)", "请求的发行方（0x…；留空表示任一发行方）";
    ConfirmEndorsement: "Send this registration for endorsement?", "将此登记送交背书？";
    EndorsementSignNote: "The work and its details go to the consortium's IPFS, and the request is published on the chain, signed in Hallmark's core. The issuer endorses exactly these details; you mint them once endorsed.",
        "作品及其信息将存入联盟的 IPFS，申请由 Hallmark 核心签名后发布到链上。发行方为这些信息原样背书；获得背书后由您登记。";
    Sending: "Sending…", "正在发送……";
    Examine: "Examine", "审查";
    MintNow: "Mint now", "立即登记";
    Withdraw: "Withdraw", "撤回";
    Endorse: "Endorse", "背书";
    Decline: "Decline", "拒绝";
    ValidDays: "Days to mint", "登记期限（天）";
    AnyIssuer: "any issuer", "任一发行方";
    MediaVerified: "✓ The media read from IPFS is exactly the content to be registered.", "✓ 从 IPFS 读取的媒体与待登记内容完全一致。";
    ArtistNotMember: "The artist is not an active member: the mint would be refused.", "该艺术家不是有效成员：登记将被拒绝。";
    EndorsedNote: "Endorsed — the artist may now mint it.", "已背书——艺术家现在可以登记。";
    DeclinedNote: "Declined — the artist sees your reason.", "已拒绝——艺术家会看到您的理由。";
    WithdrawnNote: "Withdrawn.", "已撤回。";
    StatusWithdrawn: "withdrawn", "已撤回";
    StatusExpired: "expired", "已过期";
    StatusRegistered: "minted", "已登记";
    StatusPending: "pending", "待审核";
    StatusApproved: "approved", "已批准";
    StatusRejected: "rejected", "已驳回";
    NoPictureYet: "no picture yet", "暂无图片";
    LooksLikeVs: "looks like", "相似于";
    ReasonPlaceholder: "Reason (kept on the chain)", "理由（记录在链上）";
    Reason: "Reason", "理由";
    Approve: "Approve", "批准";
    Reject: "Reject", "驳回";
    // Settings (settings.rs)
    SettingsLede: "Saved in the data folder's config.json. Changes take effect the next time Hallmark starts.",
        "保存在数据文件夹的 config.json 中。更改在 Hallmark 下次启动时生效。";
    Network: "Network", "网络";
    NetworkDev: "Local dev chain (started and stopped by the app; demo consortium)", "本地开发链（由应用启动和停止；演示联盟）";
    NetworkRpc: "Consortium node (JSON-RPC)", "联盟节点（JSON-RPC）";
    NodeUrl: "Node URL", "节点 URL";
    StoreEmbedded: "Embedded (blocks in the data folder, no daemon)", "内置（数据块存放在数据文件夹，无需守护进程）";
    StoreKubo: "A Kubo node (RPC API)", "Kubo 节点（RPC API）";
    KuboUrl: "Kubo RPC API URL", "Kubo RPC API 的 URL";
    CopyDetection: "Copy detection", "相似作品检查";
    MaxDistance: "Near copy: PDQ distance at most (of 256; Meta: 31)", "近似副本：PDQ 距离不超过（满分 256；Meta 建议 31）";
    MinQuality: "Only for images of quality at least (of 100; Meta: 50)", "仅检查质量不低于此值的图像（满分 100；Meta 建议 50）";
    Save: "Save", "保存";
    SavedRestart: "Saved. Restart Hallmark to use the new settings.", "已保存。重启 Hallmark 后启用新设置。";
    SavedInUse: "Saved. These are the settings in use.", "已保存。当前使用的就是这些设置。";
    // Status and the chain badge (status.rs)
    Connecting: "connecting…", "正在连接…";
    ChainStarting: "starting…", "正在启动…";
    StatusLede: "Hallmark runs on its own: a local chain it owns, an embedded content store and a SQLite catalog in your data folder.",
        "Hallmark 可独立运行：它自己管理的本地链、内置的内容存储，以及数据文件夹中的 SQLite 目录。";
    StatusLedeConsortium: "Hallmark works with your consortium: its chain node and IPFS node below, with your own content store, cache and SQLite catalog in your data folder.",
        "Hallmark 与您的联盟协同工作：下方是联盟的链节点和 IPFS 节点；您自己的内容存储、缓存和 SQLite 目录位于数据文件夹中。";
    Running: "running", "运行中";
    State: "State", "状态";
    DevChain: "local dev chain (anvil, owned by the app)", "本地开发链（anvil，由应用管理）";
    ConsortiumNode: "consortium node", "联盟节点";
    Rpc: "RPC", "RPC 端点";
    HeadBlock: "Head block", "最新区块";
    WorksContract: "Works contract", "作品合约";
    MarketContract: "Market contract", "市场合约";
    DeployedInBlock: "Deployed in block", "部署区块";
    Backend: "Backend", "后端";
    Health: "Health", "健康状况";
    HealthOk: "ok", "正常";
    UploadsTo: "New works uploaded to", "新作品上传至";
    ReadsFrom: "Others' works read from", "他人作品读取自";
    ReadThroughCache: "Cache of others' works", "他人作品缓存";
    LocalData: "Local data", "本地数据";
    Database: "Database", "数据库";
    WorksInLibrary: "Works in library", "作品库中的作品";
    // Verify (verify.rs)
    VerifyLede: "Drop an evidence bundle (.zip) to check every claim in it — offline first, then against the chain — or drop a picture, audio or video file to find who registered it, when, and who holds it now. Nothing is uploaded.",
        "拖入证据包（.zip），逐项核验其中的每条声明——先离线核验，再对照链上数据；或拖入图片、音频或视频文件，查出是谁在何时登记了它，以及现在由谁持有。不会上传任何内容。";
    DropBundle: "⬇ Drop a bundle or a file here", "⬇ 将证据包或文件拖放到这里";
    ChallengeOptional: "Challenge (optional)", "挑战值（可选）";
    Challenge: "Challenge", "挑战值";
    Checking: "Checking…", "正在验证…";
    Verified: "Verified: every check passed", "已验证：所有检查均通过";
    ConsistentOnly: "Not verified against the consortium's chain: no check failed, but the bundle was only checked offline", "未对照联盟链核验：没有检查失败，但证据包只经过离线核验";
    BundleSha: "Bundle sha-256", "证据包 sha-256";
    RegisteredWork: "registered work", "已登记作品";
    NotRegistered: "Not registered: no work has these exact bytes", "未登记：没有作品与它的字节完全相同";
    LooksLike: "Looks like", "相似作品";
    // Mint wizard: details, confirmation, steps
    Attributes: "Attributes", "属性";
    AttributeName: "Name (e.g. Medium)", "名称（如：材质）";
    AttributeValue: "Value (e.g. Ink on paper)", "值（如：纸本水墨）";
    AddAttribute: "+ Add an attribute", "+ 添加属性";
    CoCreators: "Co-creators (a share of every royalty)", "共同创作者（分享每笔版税）";
    CoCreatorAddress: "Address 0x…", "地址 0x…";
    CoCreatorShare: "Share of the royalty, %", "版税分成，%";
    AddCoCreator: "+ Add a co-creator", "+ 添加共同创作者";
    Remove: "Remove", "移除";
    ReviewAndSign: "Review and sign…", "检查并签名…";
    ConfirmMint: "You are about to register this work on the chain", "你即将在链上登记此作品";
    RoyaltySplit: "Royalty split", "版税分配";
    MintSignNote: "Signed in Hallmark's core as the account in the top bar; the key never reaches this window. A registration is permanent: the first registration of these bytes is the proof of existence.",
        "由 Hallmark 核心以顶栏中的账户签名，私钥不会进入此窗口。登记不可撤销：这些字节的首次登记即为存在性证明。";
    SignAndRegister: "Sign and register", "签名并登记";
    Back: "Back", "返回";
    StageIngest: "Reading, checking and storing the file", "读取、检查并存储文件";
    StageCopyCheck: "Comparing with every registered work", "与所有已登记作品比对";
    StageUpload: "Storing the metadata document", "存储元数据文档";
    StageRegister: "Sending the registration and waiting for its block", "发送登记交易并等待出块";
    TooLateToCancel: "Sent: it can no longer be cancelled", "已发送：无法再取消";
    MintCancelled: "Cancelled before the registration was sent: nothing was registered.", "已在发送登记前取消：没有登记任何内容。";
    OpenWork: "Open the work", "打开作品";
    // Wallet (wallet.rs)
    Wallet: "Accounts", "账户";
    WalletLede: "Accounts are kept on this computer as encrypted keystores (scrypt). The app signs in its core, only after you unlock an account with its password; keys never reach this window.",
        "账户以加密密钥库（scrypt）保存在本机。只有在你用密码解锁账户后，应用才会在其核心中签名；私钥不会进入此窗口。";
    WalletEmpty: "No account of your own yet: create one, or import a recovery phrase or a keystore file.", "你还没有自己的账户：请创建一个，或导入助记词或密钥库文件。";
    LockAll: "Lock all accounts", "锁定所有账户";
    Unlocked: "unlocked", "已解锁";
    Locked: "locked", "已锁定";
    NotMember: "not a member yet", "尚不是会员";
    SigningNow: "signing now", "当前签名账户";
    SignAsThis: "Sign as this account", "用此账户签名";
    Password: "Password", "密码";
    Unlock: "Unlock", "解锁";
    JoinDemo: "Join the demo consortium", "加入演示联盟";
    BackUpKeystore: "Back up the keystore", "备份密钥库";
    ManageAccount: "Password, or forget this account", "修改密码或移除此账户";
    ChangePassword: "Change the password", "修改密码";
    CurrentPassword: "Current password", "当前密码";
    NewPasswordAgain: "The new password again", "再次输入新密码";
    PasswordChanged: "Password changed: the keystore is re-encrypted (scrypt, about a second to unlock).", "密码已修改：密钥库已重新加密（scrypt，解锁约需一秒）。";
    ForgetAccount: "Forget this account", "移除此账户";
    ForgetNote: "Removes the account from this computer and deletes its keystore. Back it up first: without a backup or the recovery phrase, the key and everything it holds are lost.",
        "从本机移除此账户并删除其密钥库。请先备份：没有备份或助记词，私钥及其持有的一切都将丢失。";
    LoseKey: "There is no backup; I accept that the key may be lost", "没有备份；我接受私钥可能丢失";
    Forget: "Forget", "移除";
    CreateAccount: "Create an account", "创建账户";
    AccountName: "Name", "名称";
    NewPassword: "Password (at least 8 characters)", "密码（至少 8 个字符）";
    RepeatPassword: "The password again", "再次输入密码";
    PasswordsDiffer: "The two passwords differ.", "两次输入的密码不一致。";
    ImportAccount: "Import an account", "导入账户";
    RecoveryPhrase: "Recovery phrase", "助记词";
    KeystoreFile: "Keystore file", "密钥库文件";
    KeystorePath: "Keystore file", "密钥库文件";
    AccountIndex: "Account in the phrase (0 = first)", "助记词中的账户序号（0 为第一个）";
    KeystorePassword: "The keystore's password", "密钥库的密码";
    Import: "Import", "导入";
    // Settings: data folder
    DataFolderNow: "In use:", "正在使用：";
    DataFolderNext: "Data folder from the next start", "下次启动时使用的数据文件夹";
    DataFolderNote: "Hallmark opens the chosen folder from its next start (an empty folder starts afresh); the current folder keeps its data.",
        "Hallmark 下次启动时打开所选文件夹（空文件夹将从头开始）；当前文件夹中的数据保持不变。";
    DataFolderFixed: "HALLMARK_DATA_DIR sets the data folder for this run; unset it to choose one here.", "本次运行的数据文件夹由 HALLMARK_DATA_DIR 指定；取消该变量后才能在此选择。";
    // Settings: join a consortium
    JoinConsortium: "Join a consortium", "加入联盟";
    JoinConsortiumLede: "Import the profile file your consortium's council published. Hallmark checks it against the consortium's chain — the council's signature, the chain and its first block, every contract and how they are wired — before anything changes.",
        "导入联盟理事会发布的配置文件。Hallmark 会先对照联盟链核验——理事会签名、链及其首个区块、每个合约及其相互关联——核验通过后才做任何更改。";
    CheckAndJoin: "Check and join", "核验并加入";
    ChooseProfileFile: "Choose the profile file…", "选择配置文件…";
    ChosenProfile: "Chosen:", "已选择：";
    ProfileUnreadable: "That file could not be read, or it is far larger than a profile.", "无法读取该文件，或它远大于一个配置文件。";
    JoinedConsortium: "Joined:", "已加入：";
    // Durability (durability.rs)
    Availability: "Availability of your works", "作品可用性";
    AvailabilityLede: "Reads back every work you hold or created — media, metadata, thumbnail — from the content store, checks each against its CID, and asks every pinning service for its pins.",
        "从内容存储读取你持有或创作的每件作品（媒体、元数据、缩略图），逐一按 CID 校验，并向每个固定服务查询固定状态。";
    CheckAvailability: "Check availability", "检查可用性";
    RepinFromLocal: "Re-pin from the local copy", "从本地副本重新固定";
    ExitKit: "Exit kit", "退出工具包";
    ExitKitLede: "Everything needed to prove and keep your works without Hallmark: media and metadata as CAR files, evidence bundles, contract addresses and ABIs, and a README of checks with standard tools.",
        "无需 Hallmark 也能证明并保存作品所需的一切：CAR 格式的媒体与元数据、证据包、合约地址与 ABI，以及用标准工具核验的说明。";
    ExportKit: "Export an exit kit", "导出退出工具包";
    ImportKit: "Import a kit", "导入工具包";
    KitFolder: "Kit folder", "工具包文件夹";
    ChooseFile: "Choose a file…", "选择文件…";
    ChooseFolder: "Choose a folder…", "选择文件夹…";
    NoFileChosen: "no file chosen", "未选择文件";
    PinningServices: "Pinning services", "固定服务";
    PinningLede: "Remote IPFS Pinning Service API endpoints (an IPFS Cluster, a commercial service). New works are pinned there after registration; tokens are kept beside the keystores and never shown again.",
        "远程 IPFS 固定服务 API 端点（IPFS Cluster 或商业服务）。新作品登记后会在此固定；访问令牌与密钥库一同保存，不再显示。";
    TokenStored: "token stored", "已保存令牌";
    NoTokenStored: "no token", "无令牌";
    ServiceName: "Name", "名称";
    ServiceEndpoint: "Endpoint URL", "端点 URL";
    AccessToken: "Access token", "访问令牌";
    AddService: "Add service", "添加服务";
    RefreshMetadata: "Refresh metadata", "刷新元数据";
    UnfinishedMints: "Unfinished mints", "未完成的铸造";
    UnfinishedMintsLede: "Mints stopped by a crash, a forced quit or a lost connection. Resuming never registers a work twice: a signed transaction is sent again as it was, or found on chain.",
        "因崩溃、强制退出或断线而中断的铸造。继续时绝不会重复登记：已签名的交易按原样重新发送，或在链上找到。";
    StepPrepared: "checked, nothing signed", "已检查，尚未签名";
    StepSigned: "signed — it may already be on chain", "已签名——可能已经上链";
    ResumeMint: "Resume", "继续";
    DiscardMint: "Discard", "放弃";
    // Work (work.rs)
    BackToExplore: "← Explore", "← 浏览";
    LicenceOfferWithdrawn: "Licence offer withdrawn", "许可要约已撤回";
    MetadataUpdated: "Metadata updated", "元数据已更新";
    Royalty: "Royalty", "版税";
    ContentSha: "Content sha-256", "内容 sha-256";
    Media: "Media", "媒体";
    Unknown: "unknown", "未知";
    Metadata: "Metadata", "元数据";
    Provenance: "Provenance", "流转记录";
    NeedsAccount: "Signing needs an account (a wallet on a consortium chain).", "签名需要一个账户（联盟链上的钱包）。";
    WithdrawListing: "Withdraw listing", "撤回挂售";
    PriceInCredits: "Price in credits", "价格（积分）";
    ListForSale: "List for sale", "挂售";
    TypePrice: "Type a price like 15 or 12.50", "请输入价格，例如 15 或 12.50";
    GiveTo: "Give to", "赠送给";
    GiveToChoose: "Give to…", "赠送给…";
    ChooseRecipient: "Choose who receives it", "请选择接收人";
    Give: "Give", "赠送";
    OnlyHolderLists: "Not for sale. Only its holder can list it.", "未在出售。只有持有人可以挂售。";
    ConfirmTransaction: "Confirm the transaction", "确认交易";
    Signing: "Signing…", "正在签名…";
    ConfirmSign: "Confirm and sign", "确认并签名";
    Cancel: "Cancel", "取消";
    SigningProof: "Signing the proof…", "正在签署证明…";
    ExportProof: "Export proof of ownership", "导出所有权证明";
    ProofNote: "An evidence bundle anyone can verify without Hallmark's servers, signed by you, and a printable certificate.",
        "一个由你签名、任何人无需 Hallmark 的服务器即可验证的证据包，以及一份可打印的证书。";
    Bundle: "Bundle", "证据包";
    Certificate: "Certificate", "证书";
}

/// A string from the catalogue, or a message from the engine shown as it came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A catalogue string.
    Text(Text),
    /// The engine's own words (English).
    Raw(String),
}

impl Message {
    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Message::Text(key) => key.text(lang).to_owned(),
            Message::Raw(text) => text.clone(),
        }
    }
}

/// A media kind from the engine (`image`, `audio`, `video`) in `lang`; others as they are.
pub fn kind(lang: Lang, kind: &str) -> String {
    match kind {
        "image" => Text::KindImage.text(lang).to_owned(),
        "audio" => Text::KindAudio.text(lang).to_owned(),
        "video" => Text::KindVideo.text(lang).to_owned(),
        other => other.to_owned(),
    }
}

/// A duration in its largest whole unit: `2 days`, `90 minutes`, `0 seconds` (in `lang`).
pub fn duration(lang: Lang, seconds: u64) -> String {
    let (n, en, zh) = match seconds {
        s if s > 0 && s % 86_400 == 0 => (s / 86_400, "day", "天"),
        s if s > 0 && s % 3_600 == 0 => (s / 3_600, "hour", "小时"),
        s if s > 0 && s % 60 == 0 => (s / 60, "minute", "分钟"),
        s => (s, "second", "秒"),
    };
    match lang {
        Lang::En if n == 1 => format!("1 {en}"),
        Lang::En => format!("{n} {en}s"),
        Lang::Zh => format!("{n} {zh}"),
    }
}

/// A proposal's state in `lang`.
pub fn proposal_state(lang: Lang, state: hallmark_api::ProposalState) -> &'static str {
    use hallmark_api::ProposalState as S;
    match state {
        S::Pending => Text::ProposalPending.text(lang),
        S::Active => Text::ProposalActive.text(lang),
        S::Canceled => Text::ProposalCanceled.text(lang),
        S::Defeated => Text::ProposalDefeated.text(lang),
        S::Succeeded => Text::ProposalSucceeded.text(lang),
        S::Queued => Text::ProposalQueued.text(lang),
        S::Expired => Text::ProposalExpired.text(lang),
        S::Executed => Text::ProposalExecuted.text(lang),
    }
}

/// What a proposal's action does, in `lang`.
pub fn council_action(lang: Lang, action: &hallmark_api::CouncilActionView) -> String {
    use hallmark_api::CouncilActionView as A;
    let short = |a: &str| crate::format::address(a);
    match action {
        A::MintCredit { to, amount_cents } => action_mint(
            lang,
            &crate::format::credits(lang, *amount_cents),
            &short(to),
        ),
        A::AddCouncil { account } => action_add_seat(lang, &short(account)),
        A::RemoveCouncil { account } => action_remove_seat(lang, &short(account)),
        A::SetSystemAccount {
            account,
            allowed: true,
        } => action_allow_system(lang, &short(account)),
        A::SetSystemAccount {
            account,
            allowed: false,
        } => action_stop_system(lang, &short(account)),
        A::SetPlatformFee { bps, treasury } => action_fee(
            lang,
            &crate::format::percent_bps(u32::from(*bps)),
            &short(treasury),
        ),
        A::SetHoldingPeriod { seconds } => action_holding(lang, &duration(lang, *seconds)),
        A::SetMarket { market } => action_market(lang, &short(market)),
        A::SetVotingPeriod { blocks } => action_voting(lang, blocks),
        A::SetDelay { seconds } => action_delay(lang, &duration(lang, *seconds)),
        A::Unknown { target, selector } => action_unknown(lang, &short(target), selector),
    }
}

/// A review or endorsement request's status from the engine in `lang`; unknown ones as they
/// are.
pub fn review_status(lang: Lang, status: &str) -> String {
    match status {
        "pending" => Text::StatusPending.text(lang).to_owned(),
        "approved" => Text::StatusApproved.text(lang).to_owned(),
        "rejected" => Text::StatusRejected.text(lang).to_owned(),
        "withdrawn" => Text::StatusWithdrawn.text(lang).to_owned(),
        "expired" => Text::StatusExpired.text(lang).to_owned(),
        "registered" => Text::StatusRegistered.text(lang).to_owned(),
        other => other.to_owned(),
    }
}

/// `Looks like 1 registered work` / `Looks like 2 registered works`.
pub fn looks_like_registered(lang: Lang, n: usize) -> String {
    match (lang, n) {
        (Lang::En, 1) => "Looks like 1 registered work".to_owned(),
        (Lang::En, n) => format!("Looks like {n} registered works"),
        (Lang::Zh, n) => format!("与 {n} 件已登记作品相似"),
    }
}

/// `Not verified: 1 check failed` / `Not verified: 2 checks failed`.
pub fn not_verified(lang: Lang, failed: usize) -> String {
    match (lang, failed) {
        (Lang::En, 1) => "Not verified: 1 check failed".to_owned(),
        (Lang::En, n) => format!("Not verified: {n} checks failed"),
        (Lang::Zh, n) => format!("未通过验证：{n} 项检查失败"),
    }
}

/// `1.2 MiB of 2.0 GiB, 14 files (kept offline)`.
pub fn cache_usage(lang: Lang, bytes: u64, max_bytes: u64, files: u64) -> String {
    let (used, cap) = (crate::format::bytes(bytes), crate::format::bytes(max_bytes));
    match (lang, files) {
        (Lang::En, 1) => format!("{used} of {cap}, 1 file (kept offline)"),
        (Lang::En, n) => format!("{used} of {cap}, {n} files (kept offline)"),
        (Lang::Zh, n) => format!("已用 {used}，上限 {cap}，{n} 个文件（离线可用）"),
    }
}

/// `catalog 1 block behind` / `catalog 2 blocks behind`.
pub fn catalog_behind(lang: Lang, blocks: u64) -> String {
    match (lang, blocks) {
        (Lang::En, 1) => "catalog 1 block behind".to_owned(),
        (Lang::En, n) => format!("catalog {n} blocks behind"),
        (Lang::Zh, n) => format!("目录落后 {n} 个区块"),
    }
}

/// Declares one function per line, `name(lang, args…) -> String`, from an English and a Chinese
/// format string that name the arguments (`"{work}"`); both are required.
macro_rules! templates {
    ($($name:ident($($arg:ident: $ty:ty),+) => $en:literal, $zh:literal;)+) => {
        $(
            #[doc = $en]
            pub fn $name(lang: Lang, $($arg: $ty),+) -> String {
                match lang {
                    Lang::En => format!($en),
                    Lang::Zh => format!($zh),
                }
            }
        )+
    };
}

templates! {
    // Units
    credits(amount: &str) => "{amount} credits", "{amount} 积分";
    // Settings: a consortium joined
    consortium_joined(name: &str, chain_id: impl Display, block: impl Display, contracts: impl Display, signer: &str)
        => "Joined {name}: chain {chain_id} at block {block}; {contracts} contracts checked; profile signed by council account {signer}. Restart Hallmark to use it.",
        "已加入 {name}：链 {chain_id}，区块 {block}；已核验 {contracts} 个合约；配置文件由理事会账户 {signer} 签名。重启 Hallmark 后生效。";
    // Mint
    progress(stage: &str, done: &str, total: &str) => "{stage} · {done} of {total}", "{stage} · {done} / {total}";
    ingest_facts(mime: &str, size: &str, dimensions: &str, ms: impl Display)
        => "{mime} · {size} · {dimensions} · ingested in {ms} ms", "{mime} · {size} · {dimensions} · 导入用时 {ms} ms";
    exact_copy_of(names: &str) => "Exact copy of: {names}", "与以下文件完全相同：{names}";
    already_registered(work: impl Display)
        => "Already registered as work {work} — the chain refuses a second registration of the same bytes.",
        "已登记为作品 {work}——链上不接受相同字节的再次登记。";
    registry_clear_image(compared: impl Display, quality: impl Display)
        => "✓ No registered work has these bytes or looks like them ({compared} compared; image quality {quality} of 100).",
        "✓ 没有已登记作品与它字节相同或外观相似（已比对 {compared} 件；图像质量 {quality}/100）。";
    registry_clear_exact(compared: impl Display)
        => "✓ No registered work has these bytes ({compared} compared; audio is checked by its exact bytes).",
        "✓ 没有已登记作品与它字节相同（已比对 {compared} 件；音频按字节精确比对）。";
    registry_unchecked(reason: &str)
        => "Its appearance could not be compared with registered works ({reason}). Only its exact bytes were checked, so Hallmark will not register it: re-encode the video (H.264 or VP9, at most 8K) and add it again.",
        "无法将其外观与已登记作品比对（{reason}）。仅比对了字节，因此 Hallmark 不会登记它：请重新编码该视频（H.264 或 VP9，最高 8K）后再添加。";
    near_copy_note(max_distance: impl Display)
        => " (PDQ distance ≤ {max_distance} of 256). Registering it sends it to the consortium's review queue; a reviewer approves or rejects it with a reason.",
        "（PDQ 距离 ≤ {max_distance}/256）。登记后它将进入联盟的审核队列，由审核员批准或驳回，并说明理由。";
    registered_as(work: impl Display, token: impl Display, block: impl Display, ms: impl Display)
        => "✓ Registered as work {work} (token {token}) in block {block} — {ms} ms",
        "✓ 已登记为作品 {work}（通证 {token}），区块 {block} — {ms} ms";
    tx(hash: &str) => "tx {hash}", "交易 {hash}";
    mint_edition_button(next: impl Display, max: impl Display) => "Mint edition {next} of {max}", "登记第 {next} 版（共 {max} 版）";
    confirm_edition(edition: impl Display, max: impl Display, work: impl Display, to: &str)
        => "mint edition {edition} of {max} of work {work} to {to}", "将作品 {work} 的第 {edition} 版（共 {max} 版）登记给 {to}";
    endorsement_sent(id: impl Display, issuer: &str)
        => "Sent as endorsement request {id} to {issuer}. Follow it on the Endorsements page; once endorsed, mint it there.",
        "已作为背书申请 {id} 发送给{issuer}。请在“背书”页跟进；获得背书后可在那里登记。";
    asked_of(date: &str, issuer: &str) => "asked {date} · of {issuer}", "{date} 提出 · 请求{issuer}";
    endorsed_until(by: &str, until: &str) => "Endorsed by {by}; mint it by {until}.", "已由 {by} 背书；请于 {until} 前登记。";
    declined_by(by: &str, reason: &str) => "Declined by {by}: {reason}", "{by} 已拒绝：{reason}";
    minted_as(work: impl Display) => "Minted as work {work}.", "已登记为作品 {work}。";
    artist_roles(roles: &str) => "Artist's roles: {roles}", "艺术家的角色：{roles}";
    no_near_copy(compared: impl Display) => "✓ No registered work looks like it ({compared} compared).", "✓ 没有已登记作品与它外观相似（已比对 {compared} 件）。";
    editions_royalty(editions: impl Display, royalty: &str) => "{editions} edition(s) · royalty {royalty}", "{editions} 版 · 版税 {royalty}";
    // Proof of ownership
    proof_statement(label: &str, address: &str, token: u64)
        => "Sign as {label} ({address}): an EIP-712 ownership statement for the Hallmark works contract of this chain — holder {address}, token {token}, the chain's latest block number, nonce 0 — and a seal over every file of the bundle. Nothing is sent to the chain.",
        "以 {label}（{address}）签名：一份针对本链 Hallmark 作品合约的 EIP-712 所有权声明——持有人 {address}、通证 {token}、链上最新区块号、随机数 0——以及对证据包中每个文件的封印。不会向链上发送任何交易。";
    // Durability
    health_summary(works: u64, problems: u64) => "{works} work(s) checked: {problems} problem(s).", "已检查 {works} 件作品：{problems} 个问题。";
    health_fixed(fixed: usize) => "{fixed} repaired.", "已修复 {fixed} 项。";
    last_verified(when: &str) => "last verified {when}", "上次验证 {when}";
    verified_on(consortium: &str) => "Verified: every check passed against {consortium}", "已验证：对照 {consortium} 所有检查均通过";
    not_from(consortium: &str) => "Not verified: this bundle is not from {consortium}", "未验证：该证据包并非来自 {consortium}";
    partly_verified_on(consortium: &str, checks: &str)
        => "Partly verified against {consortium}: no check failed, but its node keeps no state for an old block and could not answer {checks}. A missing archive is not a forgery; an archive node can verify it fully.",
        "已对照 {consortium} 部分验证：没有检查失败，但其节点未保留旧区块的状态，无法回答 {checks}。缺少归档数据并不意味着伪造；归档节点可以完成全部验证。";
    kit_exported(works: u64, bundles: u64, size: &str) => "✓ Exit kit written: {works} work(s), {bundles} evidence bundle(s), {size}.", "✓ 退出工具包已写入：{works} 件作品、{bundles} 个证据包，共 {size}。";
    resumed_mint(work: &str, block: u64) => "✓ Finished: registered as work {work} in block {block}.", "✓ 已完成：已登记为作品 {work}，区块 {block}。";
    started_at(when: &str) => "started {when}", "开始于 {when}";
    kit_imported(works: u64, bundles: u64, files: u64) => "✓ Kit imported: {works} work(s), {bundles} bundle(s) verified, {files} files checked.", "✓ 工具包已导入：{works} 件作品，已验证 {bundles} 个证据包，已检查 {files} 个文件。";
    // Mint wizard and wallet
    creator_share(share: &str) => "You, the creator: {share}", "你（创作者）：{share}";
    stale_backup(path: &str) => "The backup at {path} still opens with the old password: back up again.", "{path} 中的备份仍使用旧密码：请重新备份。";
    keystore_saved(path: &str) => "Keystore backed up to {path} (still encrypted with its password).", "密钥库已备份到 {path}（仍以其密码加密）。";
    // Explore
    collection_lede(who: &str) => "The tokens {who} holds.", "{who} 持有的通证。";
    studio_lede(who: &str) => "The works {who} created, and what their sales and resales paid.", "{who} 创作的作品，以及它们的销售和转售收入。";
    catalog_paused(error: &str) => "catalog paused: {error}", "目录已暂停：{error}";
    catalog_up_to_date(block: impl Display) => "catalog up to date · block {block}", "目录已是最新 · 区块 {block}";
    edition_of(edition: impl Display, max: impl Display) => "Edition {edition} of {max}", "第 {edition} 版，共 {max} 版";
    by(creator: &str) => "by {creator}", "创作者 {creator}";
    // Registered works beside a new one
    bits_apart(distance: impl Display) => "{distance} of 256 bits apart", "相差 {distance}/256 位";
    bits_apart_via(distance: impl Display, transform: &str)
        => "{distance} of 256 bits apart ({transform})", "相差 {distance}/256 位（{transform}）";
    work_titled(work: impl Display, title: &str) => "Work {work} · {title}", "作品 {work} · {title}";
    by_on(creator: &str, date: &str) => "by {creator} · {date}", "创作者 {creator} · {date}";
    // Council
    council_settings(seats: impl Display, blocks: impl Display, delay: &str)
        => "{seats} seat(s) · a proposal is open for {blocks} blocks · approved changes wait {delay}",
        "{seats} 个席位 · 提案开放 {blocks} 个区块 · 通过的变更等待 {delay}";
    proposal_no(id: impl Display) => "Proposal {id}", "提案 {id}";
    proposal_votes(approvals: impl Display, needed: impl Display, rejections: impl Display)
        => "{approvals} approval(s), {needed} needed · {rejections} rejection(s)", "批准 {approvals}，需要 {needed} · 反对 {rejections}";
    proposal_open_until(block: impl Display) => "open until block {block}", "开放至区块 {block}";
    proposal_ready_at(date: &str) => "can run from {date}", "可于 {date} 起执行";
    proposed_by(who: &str) => "proposed by {who}", "由 {who} 提议";
    action_mint(amount: &str, to: &str) => "Issue {amount} to {to}", "向 {to} 发行 {amount}";
    action_add_seat(who: &str) => "Give {who} a council seat", "给予 {who} 理事席位";
    action_remove_seat(who: &str) => "Take {who}'s council seat", "撤销 {who} 的理事席位";
    action_allow_system(who: &str) => "Let contract {who} hold and move credit", "允许合约 {who} 持有和转移积分";
    action_stop_system(who: &str) => "Stop contract {who} from holding and moving credit", "禁止合约 {who} 持有和转移积分";
    action_fee(percent: &str, to: &str) => "Set the platform fee to {percent} of each price, paid to {to}", "将平台费设为每笔价格的 {percent}，支付给 {to}";
    action_holding(duration: &str) => "Make buyers hold a token for {duration} before reselling it", "买家须持有通证 {duration} 后才能转售";
    action_market(who: &str) => "Make {who} the market: the only contract that can move every token", "将 {who} 设为市场合约：唯一可以转移所有通证的合约";
    action_voting(blocks: impl Display) => "Keep each proposal open for {blocks} blocks", "每个提案开放 {blocks} 个区块";
    action_delay(duration: &str) => "Make approved proposals wait {duration} before they run", "通过的提案须等待 {duration} 后执行";
    action_unknown(target: &str, selector: &str) => "An unrecognised call to {target} (function {selector}): check it before voting", "对 {target} 的未识别调用（函数 {selector}）：表决前请核实";
    // Review
    request_no(id: impl Display) => "Request {id}", "申请 {id}";
    submitted_by(date: &str, issuer: &str) => "submitted {date} by issuer {issuer}", "由发行方 {issuer} 于 {date} 提交";
    decided_by(who: &str, reason: &str) => "Decided by {who}: {reason}", "由 {who} 决定：{reason}";
    // Status
    chain_at_block(chain: impl Display, block: impl Display) => "chain {chain} · block {block}", "链 {chain} · 区块 {block}";
    block_no_contracts(block: impl Display) => "block {block} · no contracts", "区块 {block} · 无合约";
    // Verify
    registered_work(work: impl Display) => "Registered: work {work}", "已登记：作品 {work}";
    date_at_block(date: &str, block: impl Display) => "{date} · block {block}", "{date} · 区块 {block}";
    token_no(token: impl Display) => "Token {token}", "通证 {token}";
    held_by(holder: &str) => "held by {holder}", "由 {holder} 持有";
    only_exact_checked(note: &str) => "Only the exact bytes were checked: {note}", "仅比对了字节是否完全相同：{note}";
    verify_no_near(quality: impl Display)
        => "✓ No registered work looks like it (image quality {quality} of 100).",
        "✓ 没有外观与它相似的已登记作品（图像质量 {quality}/100）。";
    // Work: the timeline
    registered_by(issuer: &str, creator: &str)
        => "Registered by issuer {issuer} for creator {creator}", "由发行方 {issuer} 为创作者 {creator} 登记";
    edition_minted_to(to: &str) => "Edition minted to {to}", "已为 {to} 铸造版次";
    listed_for(amount: &str, by: &str) => "Listed for {amount} by {by}", "{by} 挂售，价格 {amount}";
    listing_withdrawn_by(by: &str) => "Listing withdrawn by {by}", "{by} 撤回了挂售";
    sold_for(amount: &str, from: &str, to: &str) => "Sold for {amount}: {from} → {to}", "售出：{from} → {to}，价格 {amount}";
    given(from: &str, to: &str) => "Given: {from} → {to}", "赠送：{from} → {to}";
    licence_offered(to: &str, amount: &str) => "Licence offered to {to} for {amount}", "向 {to} 提供许可，价格 {amount}";
    licence_accepted(by: &str, amount: &str) => "Licence accepted by {by} for {amount}", "{by} 接受了许可，价格 {amount}";
    frozen_by(reviewer: &str) => "Frozen by reviewer {reviewer}", "被审核员 {reviewer} 冻结";
    unfrozen_by(who: &str) => "Unfrozen by {who}", "由 {who} 解冻";
    timeline_when(date: &str, block: impl Display, tx: &str) => "{date} · block {block} · tx {tx}", "{date} · 区块 {block} · 交易 {tx}";
    // Work: facts and trading
    frozen_note(reason: impl Display)
        => "Frozen by review (reason {reason}): it cannot be sold, given or licensed.",
        "已因审核被冻结（原因 {reason}）：不能出售、赠送或授予许可。";
    resale_after(date: &str) => "Resale possible after {date} (holding period).", "{date} 之后才能转售（持有期）。";
    royalty_on_resale(percent: f64) => "{percent:.2} % on every resale", "每次转售 {percent:.2} %";
    edition_token(edition: impl Display, max: impl Display, token: impl Display)
        => "Edition {edition} of {max} · token {token}", "第 {edition} 版，共 {max} 版 · 通证 {token}";
    for_sale(price: &str) => "For sale: {price}", "在售：{price}";
    buy_for(price: &str) => "Buy for {price}", "以 {price}购买";
    confirm_cancel(token: impl Display, price: &str)
        => "withdraw the listing of token {token} at {price}", "撤回通证 {token} 的挂售（价格 {price}）";
    confirm_list(token: impl Display, price: &str, royalty: f64)
        => "list token {token} for {price} (a {royalty:.2} % royalty goes to the creator on the sale)",
        "挂售通证 {token}，价格 {price}（售出时 {royalty:.2} % 的版税归创作者）";
    confirm_give(token: impl Display, to: &str) => "give token {token} to {to}", "将通证 {token} 赠送给 {to}";
    confirm_buy(token: impl Display, price: &str, royalty: f64)
        => "buy token {token} for {price} (the contract pays the seller, a {royalty:.2} % royalty to the creator and the platform fee)",
        "购买通证 {token}，价格 {price}（由合约向卖家付款，向创作者支付 {royalty:.2} % 的版税，并支付平台费）";
    sign_as(who: &str, what: &str) => "Sign as {who}: {what}.", "以 {who} 的身份签名：{what}。";
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has_han(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn every_key_is_translated() {
        for &key in Text::ALL {
            let (en, zh) = (key.text(Lang::En), key.text(Lang::Zh));
            assert!(!en.trim().is_empty() && !zh.trim().is_empty(), "{key:?}");
            assert_ne!(en, zh, "{key:?}");
            assert!(has_han(zh), "{key:?} has no Chinese: {zh}");
            assert!(!has_han(en), "{key:?} has Chinese in English: {en}");
        }
    }

    #[test]
    fn all_lists_each_key_once() {
        for (i, key) in Text::ALL.iter().enumerate() {
            assert!(!Text::ALL[..i].contains(key), "{key:?}");
        }
    }

    #[test]
    fn language_at_start() {
        assert_eq!(Lang::initial(None, None), Lang::En);
        assert_eq!(Lang::initial(None, Some("en-US")), Lang::En);
        assert_eq!(Lang::initial(None, Some("de-DE")), Lang::En);
        assert_eq!(Lang::initial(None, Some("zh-CN")), Lang::Zh);
        assert_eq!(Lang::initial(None, Some("zh")), Lang::Zh);
        assert_eq!(Lang::initial(None, Some("ZH_tw")), Lang::Zh);
        assert_eq!(Lang::initial(Some("en"), Some("zh-CN")), Lang::En);
        assert_eq!(Lang::initial(Some("zh-CN"), Some("en-US")), Lang::Zh);
        assert_eq!(Lang::initial(Some("garbage"), Some("zh-CN")), Lang::Zh);
        assert_eq!(Lang::initial(Some(""), None), Lang::En);
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.code()), Some(lang));
        }
    }

    #[test]
    fn english_plurals() {
        assert_eq!(
            looks_like_registered(Lang::En, 1),
            "Looks like 1 registered work"
        );
        assert_eq!(
            looks_like_registered(Lang::En, 3),
            "Looks like 3 registered works"
        );
        assert_eq!(not_verified(Lang::En, 1), "Not verified: 1 check failed");
        assert_eq!(not_verified(Lang::En, 2), "Not verified: 2 checks failed");
        assert_eq!(catalog_behind(Lang::En, 1), "catalog 1 block behind");
        assert_eq!(catalog_behind(Lang::En, 12), "catalog 12 blocks behind");
        assert_eq!(looks_like_registered(Lang::Zh, 1), "与 1 件已登记作品相似");
    }

    /// The English the end-to-end tests read (tests/e2e/tests/app.rs).
    #[test]
    fn english_is_unchanged() {
        let en = Lang::En;
        let price = credits(en, "15.00");
        assert_eq!(price, "15.00 credits");
        assert!(
            registered_as(en, 1, 1000001, 7, 42).contains("Registered as work 1 (token 1000001)")
        );
        assert!(
            confirm_list(en, 1000001, &price, 10.0)
                .starts_with("list token 1000001 for 15.00 credits")
        );
        assert_eq!(for_sale(en, &price), "For sale: 15.00 credits");
        assert_eq!(buy_for(en, &price), "Buy for 15.00 credits");
        assert!(sign_as(en, "Member 1 (0x90f7…b906)", "x").starts_with("Sign as Member 1"));
        assert!(sold_for(en, &price, "a", "b").starts_with("Sold for 15.00 credits"));
        assert!(listed_for(en, &price, "a").starts_with("Listed for 15.00 credits"));
        assert!(edition_minted_to(en, "a").starts_with("Edition minted"));
        assert!(catalog_up_to_date(en, 9).contains("up to date"));
        assert!(registered_work(en, 1).starts_with("Registered: work 1"));
        assert!(held_by(en, "0x90f7").starts_with("held by"));
        assert_eq!(
            work_titled(en, 2, "Harbour at dusk"),
            "Work 2 · Harbour at dusk"
        );
        assert!(chain_at_block(en, 31337, 5).starts_with("chain 31337"));
        assert_eq!(royalty_on_resale(en, 10.0), "10.00 % on every resale");
        assert_eq!(Text::NothingYet.text(en), "Nothing here yet.");
        assert_eq!(Text::Verified.text(en), "Verified: every check passed");
        assert_eq!(Text::SentToReview.text(en), "Sent to review. ");
        assert_eq!(Text::ContentSha.text(en), "Content sha-256");
    }

    #[test]
    fn templates_are_translated() {
        let zh = [
            credits(Lang::Zh, "15.00"),
            registered_as(Lang::Zh, 1, 1000001, 7, 42),
            confirm_buy(Lang::Zh, 1000001, "15.00 积分", 10.0),
            edition_of(Lang::Zh, 1, 5),
            timeline_when(Lang::Zh, "2026-11-28 21:42 UTC", 7, "0xab…cd"),
        ];
        for s in zh {
            assert!(has_han(&s), "{s}");
        }
        assert_eq!(edition_of(Lang::Zh, 1, 5), "第 1 版，共 5 版");
        let price = credits(Lang::Zh, "15.00");
        assert_eq!(buy_for(Lang::Zh, &price), "以 15.00 积分购买");
        assert_eq!(
            sold_for(Lang::Zh, &price, "a", "b"),
            "售出：a → b，价格 15.00 积分"
        );
        assert_eq!(kind(Lang::Zh, "image"), "图片");
        assert_eq!(kind(Lang::En, "image"), "image");
        assert_eq!(kind(Lang::Zh, "model"), "model");
        assert_eq!(review_status(Lang::Zh, "pending"), "待审核");
        assert_eq!(
            Message::Raw("engine says".into()).text(Lang::Zh),
            "engine says"
        );
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IERC2981} from "@openzeppelin/contracts/interfaces/IERC2981.sol";
import {IERC4906} from "@openzeppelin/contracts/interfaces/IERC4906.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IHallmarkEndorsements, IHallmarkReviews, IHallmarkConsortium, Split} from "./HallmarkInterfaces.sol";

/// @title HallmarkWorks
/// @notice One ERC-721 contract for every registered work. A work is the exact bytes of a file
/// (its sha-256 `contentHash`, registrable once), its metadata document (`metadataHash` and the
/// IPFS CID behind `tokenURI`), its creator, N editions fixed at registration and a royalty with
/// up to 8 co-creator splits. Token id = workId * 1_000_000 + edition (1-based).
/// Only issuers mint, only members hold, and tokens move only through the market contract, which
/// settles royalties on every sale: direct transfers and approvals revert.
contract HallmarkWorks is ERC721, EIP712, IERC2981, IERC4906 {
    /// @notice Token ids are `workId * EDITION_BASE + edition`.
    uint256 public constant EDITION_BASE = 1_000_000;
    /// @notice Upper bound of N (editions of one work).
    uint32 public constant MAX_EDITIONS = 10_000;
    /// @notice Upper bound of the royalty, in basis points of the sale price.
    uint16 public constant MAX_ROYALTY_BPS = 5_000;
    /// @notice Upper bound of the number of royalty splits.
    uint256 public constant MAX_SPLITS = 8;

    bytes32 private constant SPLIT_TYPEHASH = keccak256("Split(address payee,uint16 bps)");
    bytes32 private constant WORK_INPUT_TYPEHASH = keccak256(
        "WorkInput(bytes32 contentHash,bytes32 metadataHash,string metadataCid,address creator,uint32 maxEditions,uint16 royaltyBps,Split[] splits)Split(address payee,uint16 bps)"
    );
    bytes32 private constant MINT_VOUCHER_TYPEHASH = keccak256(
        "MintVoucher(WorkInput work,uint256 nonce,uint256 deadline)Split(address payee,uint16 bps)WorkInput(bytes32 contentHash,bytes32 metadataHash,string metadataCid,address creator,uint32 maxEditions,uint16 royaltyBps,Split[] splits)"
    );
    bytes32 private constant OWNERSHIP_TYPEHASH =
        keccak256("OwnershipStatement(address holder,uint256 tokenId,uint256 blockNumber,uint256 nonce)");

    /// @notice What an issuer submits to register a work.
    struct WorkInput {
        bytes32 contentHash;
        bytes32 metadataHash;
        string metadataCid;
        address creator;
        uint32 maxEditions;
        uint16 royaltyBps;
        Split[] splits;
    }

    /// @notice An issuer's signed permission for the creator to register the work themselves.
    struct MintVoucher {
        WorkInput work;
        uint256 nonce;
        uint256 deadline;
    }

    /// @notice The on-chain record of a work.
    struct Work {
        bytes32 contentHash;
        bytes32 metadataHash;
        address creator;
        uint64 registeredBlock;
        address issuer;
        uint64 registeredAt;
        uint32 maxEditions;
        uint32 minted;
        uint16 royaltyBps;
        uint16 frozenReason;
        uint32 freezes;
    }

    /// @notice The consortium (roles).
    IHallmarkConsortium public immutable consortium;
    /// @notice The only contract allowed to move tokens.
    address public market;
    /// @notice The review queue (set once, at deployment): content under review is reserved for
    /// the issuer that submitted it.
    IHallmarkReviews public reviews;
    /// @notice The endorsement queue (set once, at deployment): content an artist asked an issuer
    /// to endorse is registrable only by that artist, through a voucher.
    IHallmarkEndorsements public endorsements;
    /// @notice Number of registered works (work ids are 1..workCount).
    uint256 public workCount;
    /// @notice The work id registered for a content hash (0 = none).
    mapping(bytes32 => uint256) public workIdByContentHash;
    /// @notice When the current holder received the token (unix seconds).
    mapping(uint256 => uint64) public acquiredAt;
    /// @notice Voucher nonces used or cancelled, per issuer.
    mapping(address => mapping(uint256 => bool)) public voucherNonceUsed;

    mapping(uint256 => Work) private _works;
    mapping(uint256 => string) private _metadataCids;
    mapping(uint256 => Split[]) private _splits;
    string private _contractURI;

    event WorkRegistered(
        uint256 indexed workId,
        bytes32 indexed contentHash,
        address indexed creator,
        address issuer,
        bytes32 metadataHash,
        string metadataCid,
        uint32 maxEditions,
        uint16 royaltyBps
    );
    event EditionMinted(uint256 indexed workId, uint256 indexed tokenId, uint32 edition, address indexed to);
    event Frozen(uint256 indexed workId, uint16 reason, address by);
    event Unfrozen(uint256 indexed workId, address by);
    event MarketSet(address indexed market, address by);
    event VoucherNonceCancelled(address indexed issuer, uint256 nonce);
    /// @notice ERC-7572: the collection metadata changed.
    event ContractURIUpdated();

    error ContentAlreadyRegistered(uint256 workId, uint256 firstTokenId, uint64 registeredAt);
    error ContentUnderReview(uint256 requestId, address issuer);
    error ReviewsAlreadySet(address reviews);
    error EndorsementsAlreadySet(address endorsements);
    error ContentAwaitingEndorsement(uint256 requestId, address creator);
    error NotCouncil(address account);
    error NotGovernance(address account);
    error NotIssuer(address account);
    error NotReviewer(address account);
    error NotMember(address account);
    error NotMarket(address account);
    error NotWorkIssuer(uint256 workId, address account);
    error UnknownWork(uint256 workId);
    error EditionsExhausted(uint256 workId, uint32 maxEditions);
    error InvalidEditions(uint32 maxEditions);
    error InvalidRoyalty(uint16 royaltyBps);
    error InvalidSplits();
    error EmptyContentHash();
    error EmptyMetadata();
    error WorkFrozen(uint256 workId, uint16 reason);
    error NotFrozen(uint256 workId);
    error MissingReason();
    error TransfersOnlyThroughMarket();
    error VoucherExpired(uint256 deadline);
    error VoucherNonceUsed(address issuer, uint256 nonce);
    error VoucherNotForSender(address creator);
    error InvalidSignature();
    error ZeroAddress();

    constructor(IHallmarkConsortium consortium_, string memory contractURI_)
        ERC721("Hallmark Works", "HMW")
        EIP712("HallmarkWorks", "1")
    {
        if (address(consortium_) == address(0)) revert ZeroAddress();
        consortium = consortium_;
        _contractURI = contractURI_;
    }

    modifier onlyCouncil() {
        if (!consortium.isCouncil(msg.sender)) revert NotCouncil(msg.sender);
        _;
    }

    /// @dev The consortium's governance timelock (the founding council while a deployment wires).
    modifier onlyGovernance() {
        if (!consortium.mayGovern(msg.sender)) revert NotGovernance(msg.sender);
        _;
    }

    // ---- council settings ----

    /// @notice Names the review queue, once (at deployment).
    function setReviews(IHallmarkReviews reviews_) external onlyGovernance {
        if (address(reviews_) == address(0)) revert ZeroAddress();
        if (address(reviews) != address(0)) revert ReviewsAlreadySet(address(reviews));
        reviews = reviews_;
    }

    /// @notice Names the endorsement queue, once (at deployment).
    function setEndorsements(IHallmarkEndorsements endorsements_) external onlyGovernance {
        if (address(endorsements_) == address(0)) revert ZeroAddress();
        if (address(endorsements) != address(0)) revert EndorsementsAlreadySet(address(endorsements));
        endorsements = endorsements_;
    }

    /// @notice Sets the market contract, the only mover of tokens.
    function setMarket(address market_) external onlyGovernance {
        if (market_ == address(0)) revert ZeroAddress();
        market = market_;
        emit MarketSet(market_, msg.sender);
    }

    /// @notice Sets the ERC-7572 collection metadata URI.
    function setContractURI(string calldata uri) external onlyGovernance {
        _contractURI = uri;
        emit ContractURIUpdated();
    }

    /// @notice ERC-7572 collection metadata.
    function contractURI() external view returns (string memory) {
        return _contractURI;
    }

    // ---- registration and minting ----

    /// @notice Registers a work and mints edition 1 to `to` (issuers only).
    function registerWork(WorkInput calldata input, address to) external returns (uint256 workId, uint256 tokenId) {
        if (!consortium.isIssuer(msg.sender)) revert NotIssuer(msg.sender);
        _checkReservations(input.contentHash, msg.sender, input.creator, false);
        return _register(input, msg.sender, to);
    }

    /// @notice The creator registers their own work with an issuer's EIP-712 voucher; edition 1 goes
    /// to the creator. Each voucher nonce works once per issuer; the content hash is registrable once.
    function mintWithVoucher(MintVoucher calldata voucher, bytes calldata signature)
        external
        returns (uint256 workId, uint256 tokenId)
    {
        if (block.timestamp > voucher.deadline) revert VoucherExpired(voucher.deadline);
        if (msg.sender != voucher.work.creator) revert VoucherNotForSender(voucher.work.creator);
        address issuer = _recover(hashMintVoucher(voucher), signature);
        if (!consortium.isIssuer(issuer)) revert NotIssuer(issuer);
        if (voucherNonceUsed[issuer][voucher.nonce]) revert VoucherNonceUsed(issuer, voucher.nonce);
        voucherNonceUsed[issuer][voucher.nonce] = true;
        _checkReservations(voucher.work.contentHash, issuer, voucher.work.creator, true);
        return _register(voucher.work, issuer, msg.sender);
    }

    /// @notice Lets an issuer revoke a voucher it signed but that was not used yet.
    function cancelVoucherNonce(uint256 nonce) external {
        if (voucherNonceUsed[msg.sender][nonce]) revert VoucherNonceUsed(msg.sender, nonce);
        voucherNonceUsed[msg.sender][nonce] = true;
        emit VoucherNonceCancelled(msg.sender, nonce);
    }

    /// @notice Mints the next edition of a work to `to`, a member (up to N): by the work's
    /// creator while a member (an artist mints the editions of a work an issuer endorsed), or by
    /// its issuer while an issuer.
    function mintEdition(uint256 workId, address to) external returns (uint256 tokenId) {
        Work storage w = _works[workId];
        if (w.creator == address(0)) revert UnknownWork(workId);
        bool byCreator = w.creator == msg.sender && consortium.isMember(msg.sender);
        bool byIssuer = w.issuer == msg.sender && consortium.isIssuer(msg.sender);
        if (!byCreator && !byIssuer) revert NotWorkIssuer(workId, msg.sender);
        return _mintNext(workId, w, to);
    }

    function _register(WorkInput calldata input, address issuer, address to)
        private
        returns (uint256 workId, uint256 tokenId)
    {
        if (input.contentHash == bytes32(0)) revert EmptyContentHash();
        uint256 existing = workIdByContentHash[input.contentHash];
        if (existing != 0) {
            revert ContentAlreadyRegistered(existing, existing * EDITION_BASE + 1, _works[existing].registeredAt);
        }
        if (input.metadataHash == bytes32(0) || bytes(input.metadataCid).length == 0) revert EmptyMetadata();
        if (input.maxEditions == 0 || input.maxEditions > MAX_EDITIONS) revert InvalidEditions(input.maxEditions);
        if (input.royaltyBps > MAX_ROYALTY_BPS) revert InvalidRoyalty(input.royaltyBps);
        if (!consortium.isMember(input.creator)) revert NotMember(input.creator);

        workId = ++workCount;
        workIdByContentHash[input.contentHash] = workId;
        _storeSplits(workId, input);
        Work storage w = _works[workId];
        w.contentHash = input.contentHash;
        w.metadataHash = input.metadataHash;
        w.creator = input.creator;
        w.registeredBlock = uint64(block.number);
        w.issuer = issuer;
        w.registeredAt = uint64(block.timestamp);
        w.maxEditions = input.maxEditions;
        w.royaltyBps = input.royaltyBps;
        _metadataCids[workId] = input.metadataCid;
        emit WorkRegistered(
            workId,
            input.contentHash,
            input.creator,
            issuer,
            input.metadataHash,
            input.metadataCid,
            input.maxEditions,
            input.royaltyBps
        );
        tokenId = _mintNext(workId, w, to);
    }

    /// @dev Content awaiting endorsement is registrable only by its creator, through a voucher;
    /// content under review only by the issuer that submitted it. An endorsement request is
    /// refused for content under review, so a review opened on content awaiting endorsement came
    /// later (from an issuer who read the request) and does not stand between the artist and
    /// their work.
    function _checkReservations(bytes32 contentHash, address issuer, address creator, bool byCreator) private view {
        if (address(endorsements) != address(0)) {
            // Content an artist asked to have endorsed is theirs: the request publishes it, and
            // an issuer who saw it must not register it for anyone else.
            (uint256 requestId, address reservedCreator) = endorsements.reservedFor(contentHash);
            if (reservedCreator != address(0)) {
                if (!(byCreator && reservedCreator == creator)) {
                    revert ContentAwaitingEndorsement(requestId, reservedCreator);
                }
                return;
            }
        }
        if (address(reviews) != address(0)) {
            // Content another issuer put up for review is theirs to register while the request
            // is open or approved: the queue publishes it, and must not hand it to a front-runner.
            (uint256 requestId, address holder) = reviews.reservedFor(contentHash);
            if (holder != address(0) && holder != issuer) revert ContentUnderReview(requestId, holder);
        }
    }

    function _storeSplits(uint256 workId, WorkInput calldata input) private {
        Split[] storage stored = _splits[workId];
        uint256 n = input.splits.length;
        if (n == 0) {
            stored.push(Split({payee: input.creator, bps: 10_000}));
            return;
        }
        if (n > MAX_SPLITS) revert InvalidSplits();
        uint256 sum;
        for (uint256 i; i < n; ++i) {
            Split calldata s = input.splits[i];
            if (s.payee == address(0) || s.bps == 0) revert InvalidSplits();
            if (!consortium.isMember(s.payee)) revert NotMember(s.payee);
            for (uint256 j; j < i; ++j) {
                if (input.splits[j].payee == s.payee) revert InvalidSplits();
            }
            sum += s.bps;
            stored.push(s);
        }
        if (sum != 10_000) revert InvalidSplits();
    }

    function _mintNext(uint256 workId, Work storage w, address to) private returns (uint256 tokenId) {
        if (w.minted >= w.maxEditions) revert EditionsExhausted(workId, w.maxEditions);
        uint32 edition = ++w.minted;
        tokenId = workId * EDITION_BASE + edition;
        _mint(to, tokenId);
        emit EditionMinted(workId, tokenId, edition, to);
    }

    // ---- review ----

    /// @notice A reviewer freezes a work: none of its editions can change hands until the council
    /// unfreezes it. `reason` is a non-zero code from the review catalogue.
    function freeze(uint256 workId, uint16 reason) external {
        if (!consortium.isReviewer(msg.sender)) revert NotReviewer(msg.sender);
        if (reason == 0) revert MissingReason();
        Work storage w = _works[workId];
        if (w.creator == address(0)) revert UnknownWork(workId);
        if (w.frozenReason != 0) revert WorkFrozen(workId, w.frozenReason);
        w.frozenReason = reason;
        w.freezes += 1;
        emit Frozen(workId, reason, msg.sender);
        _emitWorkMetadataUpdate(workId, w);
    }

    /// @notice The council lifts a freeze.
    function unfreeze(uint256 workId) external onlyCouncil {
        Work storage w = _works[workId];
        if (w.creator == address(0)) revert UnknownWork(workId);
        if (w.frozenReason == 0) revert NotFrozen(workId);
        w.frozenReason = 0;
        emit Unfrozen(workId, msg.sender);
        _emitWorkMetadataUpdate(workId, w);
    }

    function _emitWorkMetadataUpdate(uint256 workId, Work storage w) private {
        emit BatchMetadataUpdate(workId * EDITION_BASE + 1, workId * EDITION_BASE + w.maxEditions);
    }

    // ---- transfers: only through the market ----

    /// @notice Moves a token on behalf of the market (sales and gifts), which has checked the
    /// holder, the holding period and settled the price.
    function marketTransfer(address from, address to, uint256 tokenId) external {
        if (msg.sender != market || market == address(0)) revert NotMarket(msg.sender);
        _transfer(from, to, tokenId);
    }

    /// @notice Always reverts: tokens move only through the market.
    function transferFrom(address, address, uint256) public pure override(ERC721, IERC721) {
        revert TransfersOnlyThroughMarket();
    }

    /// @notice Always reverts: tokens move only through the market.
    function safeTransferFrom(address, address, uint256, bytes memory) public pure override(ERC721, IERC721) {
        revert TransfersOnlyThroughMarket();
    }

    /// @notice Always reverts: there is nothing to approve when only the market moves tokens.
    function approve(address, uint256) public pure override(ERC721, IERC721) {
        revert TransfersOnlyThroughMarket();
    }

    /// @notice Always reverts: there is nothing to approve when only the market moves tokens.
    function setApprovalForAll(address, bool) public pure override(ERC721, IERC721) {
        revert TransfersOnlyThroughMarket();
    }

    /// @dev Every mint and move: the work must not be frozen and the receiver must be a member.
    function _update(address to, uint256 tokenId, address auth) internal override returns (address) {
        uint256 workId = tokenId / EDITION_BASE;
        uint16 reason = _works[workId].frozenReason;
        if (reason != 0) revert WorkFrozen(workId, reason);
        if (!consortium.isMember(to)) revert NotMember(to);
        acquiredAt[tokenId] = uint64(block.timestamp);
        return super._update(to, tokenId, auth);
    }

    // ---- views ----

    /// @notice The work record.
    function work(uint256 workId) external view returns (Work memory) {
        Work storage w = _works[workId];
        if (w.creator == address(0)) revert UnknownWork(workId);
        return w;
    }

    /// @notice The metadata CID of a work.
    function metadataCid(uint256 workId) external view returns (string memory) {
        return _metadataCids[workId];
    }

    /// @notice The royalty splits of a work (shares of the royalty, summing to 10000).
    function royaltySplits(uint256 workId) external view returns (Split[] memory) {
        return _splits[workId];
    }

    /// @notice The royalty of a work in basis points of a sale price.
    function royaltyBpsOf(uint256 workId) external view returns (uint16) {
        return _works[workId].royaltyBps;
    }

    /// @notice The freeze reason of a work (0 = not frozen).
    /// @notice How many times a work was frozen: a listing made before a freeze stays void after
    /// the unfreeze.
    function freezesOf(uint256 workId) external view returns (uint32) {
        return _works[workId].freezes;
    }

    function frozenReason(uint256 workId) external view returns (uint16) {
        return _works[workId].frozenReason;
    }

    /// @notice The work a token is an edition of.
    function workOf(uint256 tokenId) public pure returns (uint256) {
        return tokenId / EDITION_BASE;
    }

    /// @notice The edition number (1-based) of a token.
    function editionOf(uint256 tokenId) external pure returns (uint32) {
        return uint32(tokenId % EDITION_BASE);
    }

    /// @notice `ipfs://<metadata CID>` of the token's work.
    function tokenURI(uint256 tokenId) public view override returns (string memory) {
        _requireOwned(tokenId);
        return string.concat("ipfs://", _metadataCids[workOf(tokenId)]);
    }

    /// @notice ERC-2981: the whole royalty is reported for the creator; the market pays it out
    /// to every split (`royaltySplits`).
    function royaltyInfo(uint256 tokenId, uint256 salePrice) external view returns (address, uint256) {
        Work storage w = _works[workOf(tokenId)];
        return (w.creator, (salePrice * w.royaltyBps) / 10_000);
    }

    /// @notice ERC-165.
    function supportsInterface(bytes4 interfaceId) public view override(ERC721, IERC165) returns (bool) {
        return interfaceId == type(IERC2981).interfaceId || interfaceId == bytes4(0x49064906)
            || super.supportsInterface(interfaceId);
    }

    // ---- EIP-712 ----

    /// @notice The EIP-712 digest an issuer signs for a mint voucher.
    function hashMintVoucher(MintVoucher calldata voucher) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(abi.encode(MINT_VOUCHER_TYPEHASH, _hashWorkInput(voucher.work), voucher.nonce, voucher.deadline))
        );
    }

    function _hashWorkInput(WorkInput calldata w) private pure returns (bytes32) {
        bytes32[] memory splitHashes = new bytes32[](w.splits.length);
        for (uint256 i; i < w.splits.length; ++i) {
            splitHashes[i] = keccak256(abi.encode(SPLIT_TYPEHASH, w.splits[i].payee, w.splits[i].bps));
        }
        return keccak256(
            abi.encode(
                WORK_INPUT_TYPEHASH,
                w.contentHash,
                w.metadataHash,
                keccak256(bytes(w.metadataCid)),
                w.creator,
                w.maxEditions,
                w.royaltyBps,
                keccak256(abi.encodePacked(splitHashes))
            )
        );
    }

    /// @notice True when `signature` is `holder`'s EIP-712 statement that they hold `tokenId` as of
    /// `blockNumber`, and `holder` holds it in the state this call runs against (call it at
    /// `blockNumber` to check the statement historically).
    function verifyOwnershipStatement(
        address holder,
        uint256 tokenId,
        uint256 blockNumber,
        uint256 nonce,
        bytes calldata signature
    ) external view returns (bool) {
        if (holder == address(0) || blockNumber > block.number || _ownerOf(tokenId) != holder) return false;
        bytes32 digest =
            _hashTypedDataV4(keccak256(abi.encode(OWNERSHIP_TYPEHASH, holder, tokenId, blockNumber, nonce)));
        (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(digest, signature);
        return err == ECDSA.RecoverError.NoError && signer == holder;
    }

    function _recover(bytes32 digest, bytes calldata signature) private pure returns (address) {
        (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(digest, signature);
        if (err != ECDSA.RecoverError.NoError) revert InvalidSignature();
        return signer;
    }
}

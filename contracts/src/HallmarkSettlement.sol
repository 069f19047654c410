// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IHallmarkConsortium, IHallmarkCredit, IHallmarkWorks, Split} from "./HallmarkInterfaces.sol";

/// @title HallmarkSettlement
/// @notice Pays a price in credit from a payer to: every royalty split of the work, the platform
/// treasury, and the seller (the rest). Shares are paid straight from the payer (who approved this
/// contract). A payee that cannot hold credit right now (e.g. a suspended member) is not skipped:
/// its share is held here and it claims it once reinstated.
abstract contract HallmarkSettlement {
    /// @notice The consortium (roles).
    IHallmarkConsortium public immutable consortium;
    /// @notice The works contract.
    IHallmarkWorks public immutable works;
    /// @notice The settlement credit.
    IHallmarkCredit public immutable credit;
    /// @notice Payouts held for accounts that could not receive credit when they were paid.
    mapping(address => uint256) public heldPayout;

    /// @notice One payment of a settlement: `kind` 0 = royalty, 1 = platform fee, 2 = proceeds.
    event Payout(uint256 indexed tokenId, address indexed to, uint8 kind, uint256 amount, bool held);
    event HeldPayoutClaimed(address indexed account, uint256 amount);

    error NotGovernance(address account);
    error NotMember(address account);
    error NothingToClaim();
    error CreditTransferFailed();
    error ZeroAddress();
    error PriceTooLow(uint256 price, uint256 owed);

    constructor(IHallmarkConsortium consortium_, IHallmarkWorks works_, IHallmarkCredit credit_) {
        if (address(consortium_) == address(0) || address(works_) == address(0) || address(credit_) == address(0)) {
            revert ZeroAddress();
        }
        consortium = consortium_;
        works = works_;
        credit = credit_;
    }

    /// @dev The consortium's governance timelock (the founding council while a deployment wires).
    modifier onlyGovernance() {
        if (!consortium.mayGovern(msg.sender)) revert NotGovernance(msg.sender);
        _;
    }

    /// @notice Claims the payouts held for the caller (who must be able to hold credit again).
    function claimHeldPayout() external {
        uint256 amount = heldPayout[msg.sender];
        if (amount == 0) revert NothingToClaim();
        if (!credit.canHold(msg.sender)) revert NotMember(msg.sender);
        heldPayout[msg.sender] = 0;
        emit HeldPayoutClaimed(msg.sender, amount);
        _transferOut(msg.sender, amount);
    }

    /// @dev The royalty and the platform fee owed on `price` for `tokenId`'s work, each rounded up
    /// to a whole unit (a small price never pays them as zero); reverts `PriceTooLow` when they
    /// leave nothing of the price.
    function _owed(uint256 tokenId, uint256 price, uint16 feeBps)
        internal
        view
        returns (uint256 royalty, uint256 fee)
    {
        royalty = _ceilBps(price, works.royaltyBpsOf(works.workOf(tokenId)));
        fee = _ceilBps(price, feeBps);
        if (royalty + fee > price) revert PriceTooLow(price, royalty + fee);
    }

    function _ceilBps(uint256 amount, uint256 bps) private pure returns (uint256) {
        return (amount * bps + 9_999) / 10_000;
    }

    /// @dev Splits `price` paid by `payer`: royalty (to the splits, rounding dust to the last split
    /// so the royalty is paid in full), platform fee (to `treasury`), proceeds to `seller`.
    function _settle(
        uint256 tokenId,
        address payer,
        address seller,
        uint256 price,
        uint16 feeBps,
        address treasury
    ) internal returns (uint256 royalty, uint256 fee) {
        uint256 workId = works.workOf(tokenId);
        (royalty, fee) = _owed(tokenId, price, feeBps);
        if (royalty > 0) {
            Split[] memory splits = works.royaltySplits(workId);
            uint256 paid;
            uint256 last = splits.length - 1;
            for (uint256 i; i <= last; ++i) {
                uint256 share = i == last ? royalty - paid : (royalty * splits[i].bps) / 10_000;
                paid += share;
                _pay(tokenId, payer, splits[i].payee, share, 0);
            }
        }
        _pay(tokenId, payer, treasury, fee, 1);
        _pay(tokenId, payer, seller, price - royalty - fee, 2);
    }

    function _pay(uint256 tokenId, address payer, address to, uint256 amount, uint8 kind) private {
        if (amount == 0) return;
        bool held = !credit.canHold(to);
        if (held) {
            heldPayout[to] += amount;
            _transferIn(payer, address(this), amount);
        } else {
            _transferIn(payer, to, amount);
        }
        emit Payout(tokenId, to, kind, amount, held);
    }

    function _transferIn(address from, address to, uint256 amount) private {
        // HallmarkCredit reverts on failure; the return value is checked for other ERC-20s.
        if (!credit.transferFrom(from, to, amount)) revert CreditTransferFailed();
    }

    function _transferOut(address to, uint256 amount) private {
        if (!credit.transfer(to, amount)) revert CreditTransferFailed();
    }
}

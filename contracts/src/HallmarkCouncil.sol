// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IGovernor, Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {GovernorCountingSimple} from "@openzeppelin/contracts/governance/extensions/GovernorCountingSimple.sol";
import {GovernorSequentialProposalId} from "@openzeppelin/contracts/governance/extensions/GovernorSequentialProposalId.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";
import {GovernorStorage} from "@openzeppelin/contracts/governance/extensions/GovernorStorage.sol";
import {GovernorTimelockControl} from "@openzeppelin/contracts/governance/extensions/GovernorTimelockControl.sol";
import {GovernorVotes} from "@openzeppelin/contracts/governance/extensions/GovernorVotes.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title HallmarkCouncil
/// @notice The council acting together: OpenZeppelin's Governor, unchanged but for its quorum.
/// A council member proposes calls; council members approve (vote for) or reject (vote against)
/// during the voting period; a proposal that a strict majority of the council seats at its
/// snapshot approved, with more approvals than rejections, is queued in the consortium's
/// TimelockController and runs after its delay. Seats come from HallmarkConsortium (one seat, one
/// vote); proposals are numbered 1, 2, 3… (GovernorSequentialProposalId) and stored on chain
/// (GovernorStorage) so every installation can list them.
contract HallmarkCouncil is
    Governor,
    GovernorSettings,
    GovernorCountingSimple,
    GovernorStorage,
    GovernorSequentialProposalId,
    GovernorVotes,
    GovernorTimelockControl
{
    /// @param seats HallmarkConsortium (council seats are its votes).
    /// @param timelock The TimelockController that holds the dangerous powers.
    /// @param votingPeriod_ How many blocks a proposal is open for approval.
    constructor(IVotes seats, TimelockController timelock, uint32 votingPeriod_)
        Governor("HallmarkCouncil")
        GovernorSettings(0, votingPeriod_, 1)
        GovernorVotes(seats)
        GovernorTimelockControl(timelock)
    {}

    /// @notice A strict majority of the council seats at `timepoint`.
    function quorum(uint256 timepoint) public view override returns (uint256) {
        return token().getPastTotalSupply(timepoint) / 2 + 1;
    }

    // ---- the overrides Solidity asks for (each defers to OpenZeppelin's) ----

    function votingDelay() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingDelay();
    }

    function votingPeriod() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingPeriod();
    }

    function proposalThreshold() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.proposalThreshold();
    }

    function state(uint256 proposalId)
        public
        view
        override(Governor, GovernorTimelockControl)
        returns (ProposalState)
    {
        return super.state(proposalId);
    }

    function proposalNeedsQueuing(uint256 proposalId)
        public
        view
        override(Governor, GovernorTimelockControl)
        returns (bool)
    {
        return super.proposalNeedsQueuing(proposalId);
    }

    function _propose(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description,
        address proposer
    ) internal override(Governor, GovernorStorage, GovernorSequentialProposalId) returns (uint256) {
        return super._propose(targets, values, calldatas, description, proposer);
    }

    function getProposalId(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) public view override(Governor, GovernorSequentialProposalId) returns (uint256) {
        return super.getProposalId(targets, values, calldatas, descriptionHash);
    }

    function _queueOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint48) {
        return super._queueOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _executeOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) {
        super._executeOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _cancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint256) {
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    function _executor() internal view override(Governor, GovernorTimelockControl) returns (address) {
        return super._executor();
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title HallmarkTimelock
/// @notice OpenZeppelin's TimelockController, unchanged: it holds the consortium's dangerous
/// powers and runs what the HallmarkCouncil governor queued, once the delay has passed. Deployed
/// with the governor as its only proposer and canceller, anyone as executor, and no admin (roles
/// change only through the timelock itself, that is, through the council's governance).
contract HallmarkTimelock is TimelockController {
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors)
        TimelockController(minDelay, proposers, executors, address(0))
    {}
}

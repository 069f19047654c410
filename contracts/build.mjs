#!/usr/bin/env node
// Compiles contracts/src/*.sol offline with solc-js (standard JSON) and writes one artifact per
// contract: contracts/out/<Name>.json = {abi, bytecode:{object}, deployedBytecode:{object}}.
//
// Usage: node contracts/build.mjs [--out DIR]
// Imports of "@openzeppelin/..." resolve in $HALLMARK_NODE_MODULES, else
// ~/.local/hallmark-tools/npm/node_modules. The settings below are fixed so that the artifacts are
// reproducible byte for byte (a Rust test recompiles and compares them).

import { createRequire } from "node:module";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const srcDir = path.join(here, "src");
const nodeModules =
  process.env.HALLMARK_NODE_MODULES ||
  path.join(os.homedir(), ".local/hallmark-tools/npm/node_modules");

// The contracts that get an artifact (libraries and abstract helpers are compiled in).
const DEPLOYABLE = [
  "HallmarkConsortium",
  "HallmarkCredit",
  "HallmarkWorks",
  "HallmarkMarket",
  "HallmarkLicences",
  "HallmarkReviews",
  "HallmarkEndorsements",
  "HallmarkCouncil",
  "HallmarkTimelock",
];
const EXPECTED_SOLC = "0.8.30";

function parseArgs(argv) {
  let out = path.join(here, "out");
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--out" && argv[i + 1]) {
      out = path.resolve(argv[++i]);
    } else {
      throw new Error(`unknown argument ${argv[i]} (usage: build.mjs [--out DIR])`);
    }
  }
  return { out };
}

function loadSolc() {
  const require = createRequire(path.join(nodeModules, "noop.js"));
  let solc;
  try {
    solc = require("solc");
  } catch (e) {
    throw new Error(
      `solc-js not found under ${nodeModules} (run scripts/setup.sh, or set HALLMARK_NODE_MODULES): ${e.message}`,
    );
  }
  const version = solc.version();
  if (!version.startsWith(EXPECTED_SOLC + "+")) {
    throw new Error(`solc ${version} found, the artifacts are built with ${EXPECTED_SOLC}`);
  }
  return solc;
}

function findImport(importPath) {
  const local = path.join(srcDir, importPath);
  const candidate = importPath.startsWith("@") ? path.join(nodeModules, importPath) : local;
  try {
    return { contents: fs.readFileSync(candidate, "utf8") };
  } catch {
    return { error: `import ${importPath} not found (looked at ${candidate})` };
  }
}

function main() {
  const { out } = parseArgs(process.argv.slice(2));
  const solc = loadSolc();
  const sources = {};
  for (const file of fs.readdirSync(srcDir).filter((f) => f.endsWith(".sol")).sort()) {
    sources[file] = { content: fs.readFileSync(path.join(srcDir, file), "utf8") };
  }
  const input = {
    language: "Solidity",
    sources,
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: "cancun",
      viaIR: false,
      // No metadata hash: the bytecode then does not depend on absolute paths or comments.
      metadata: { bytecodeHash: "none", appendCBOR: false },
      outputSelection: {
        "*": {
          "*": [
            "abi",
            "evm.bytecode.object",
            "evm.deployedBytecode.object",
            "evm.deployedBytecode.immutableReferences",
          ],
        },
      },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport }));
  const errors = (output.errors || []).filter((e) => e.severity === "error");
  // Warnings about our own sources only: OpenZeppelin's are not ours to fix.
  const ours = (e) => !e.sourceLocation || !e.sourceLocation.file.startsWith("@");
  for (const w of (output.errors || []).filter((e) => e.severity !== "error" && ours(e))) {
    process.stderr.write(w.formattedMessage + "\n");
  }
  if (errors.length > 0) {
    for (const e of errors) process.stderr.write(e.formattedMessage + "\n");
    process.exit(1);
  }
  fs.mkdirSync(out, { recursive: true });
  // Where each contract's runtime code holds its immutables (set by its constructor, so they
  // differ per deployment): a client masks these byte ranges before comparing a deployed
  // contract's code with this build's.
  const immutables = {};
  for (const name of DEPLOYABLE) {
    const contract = output.contracts[`${name}.sol`]?.[name];
    if (!contract) throw new Error(`contract ${name} missing from ${name}.sol`);
    const artifact = {
      abi: contract.abi,
      bytecode: { object: "0x" + contract.evm.bytecode.object },
      deployedBytecode: { object: "0x" + contract.evm.deployedBytecode.object },
    };
    immutables[name] = Object.values(contract.evm.deployedBytecode.immutableReferences || {})
      .flat()
      .map((r) => [r.start, r.length])
      .sort((a, b) => a[0] - b[0]);
    const size = contract.evm.deployedBytecode.object.length / 2;
    if (size > 24576) throw new Error(`${name} runtime code is ${size} bytes, over the 24576-byte limit`);
    const file = path.join(out, `${name}.json`);
    const tmp = `${file}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, JSON.stringify(artifact, null, 2) + "\n");
    fs.renameSync(tmp, file);
    process.stdout.write(`${name}: ${size} bytes runtime -> ${path.relative(process.cwd(), file)}\n`);
  }
  const file = path.join(out, "immutables.json");
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(immutables, null, 2) + "\n");
  fs.renameSync(tmp, file);
}

try {
  main();
} catch (e) {
  process.stderr.write(`build.mjs: ${e.message}\n`);
  process.exit(1);
}

// An independent check of an evidence bundle's two EIP-712 signatures, written outside
// Hallmark's Rust with ethers (v6) and Node's own sha-256. It reads nothing but the bundle's
// files: the domain and types come from evidence.json's `eip712` (format 2), the numbers from
// their decimal strings.
//
//   node tools/evidence/verify-typed-data.cjs EVIDENCE_JSON SEAL_JSON
//
// Prints one JSON line: who signed the ownership statement and the seal, the sha-256 of
// evidence.json, and whether each signer is the statement's holder. Exit status 0 only when
// both signatures recover to the holder and the seal names these exact bytes.
// ethers is found through NODE_PATH (scripts/setup.sh installs it in the tools' npm folder).

"use strict";
const fs = require("fs");
const crypto = require("crypto");
const { verifyTypedData, getAddress } = require("ethers");

function main([evidencePath, sealPath]) {
  if (!evidencePath || !sealPath) {
    throw new Error("usage: verify-typed-data.cjs EVIDENCE_JSON SEAL_JSON");
  }
  const evidenceBytes = fs.readFileSync(evidencePath);
  const evidence = JSON.parse(evidenceBytes.toString("utf8"));
  const seal = JSON.parse(fs.readFileSync(sealPath, "utf8"));
  const spec = evidence.eip712;
  if (!spec) throw new Error("evidence.json has no eip712 (a format 1 bundle)");
  const only = (name) => ({ [name]: spec.types[name] });

  const statement = evidence.statement;
  const statementSigner = verifyTypedData(
    spec.domain,
    only("OwnershipStatement"),
    {
      holder: statement.holder,
      tokenId: BigInt(statement.token_id),
      blockNumber: BigInt(statement.block_number),
      nonce: BigInt(statement.nonce),
    },
    statement.signature,
  );
  const evidenceSha256 = "0x" + crypto.createHash("sha256").update(evidenceBytes).digest("hex");
  const sealSigner = verifyTypedData(
    spec.domain,
    only("EvidenceSeal"),
    { evidenceSha256, tokenId: BigInt(evidence.token.token_id), holder: seal.holder },
    seal.signature,
  );
  const holder = getAddress(statement.holder);
  const result = {
    holder,
    statement_signer: statementSigner,
    seal_signer: sealSigner,
    evidence_sha256: evidenceSha256,
    seal_names_these_bytes: seal.evidence_sha256.toLowerCase() === evidenceSha256,
  };
  process.stdout.write(JSON.stringify(result) + "\n");
  const ok =
    statementSigner === holder &&
    sealSigner === holder &&
    getAddress(seal.holder) === holder &&
    result.seal_names_these_bytes;
  process.exit(ok ? 0 : 1);
}

try {
  main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`error: ${error.message}\n`);
  process.exit(2);
}

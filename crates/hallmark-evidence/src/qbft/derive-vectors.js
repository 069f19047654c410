// Derives the expected values of the QBFT block-hash tests (src/qbft/tests.rs) independently of
// Hallmark's Rust code: RLP written by hand below, keccak-256 from js-sha3.
//
//   NODE_PATH=$HALLMARK_NODE_MODULES node crates/hallmark-evidence/src/qbft/derive-vectors.js
//
// The header is Besu's consensus/ibft/src/test/java/org/hyperledger/besu/consensus/ibft/
// BftBlockHashingTest.java `setHeaderFieldsExceptForExtraData()`, its extraData the QBFT encoding
// (QbftExtraDataCodec) of `vanityBytes()` (0..31), VALIDATORS (0x..01, 0x..02), VOTE (add 0x..03)
// and ROUND 0x00FEDCBA: for the on-chain hash without seals and with round 0
// (`encodeWithoutCommitSealsAndRoundNumber`), for the commit-seal hash without seals
// (`encodeWithoutCommitSeals`). Besu's RLP writes a round of 0 as 0x80 (`writeIntScalar(0)`).
const { keccak256 } = require('js-sha3');

const hex = (s) => Buffer.from(s.replace(/^0x/, ''), 'hex');
function be(n) {
  const b = [];
  while (n > 0) { b.unshift(n % 256); n = Math.floor(n / 256); }
  return Buffer.from(b);
}
function str(b) {
  if (b.length === 1 && b[0] < 0x80) return b;
  if (b.length <= 55) return Buffer.concat([Buffer.from([0x80 + b.length]), b]);
  const l = be(b.length);
  return Buffer.concat([Buffer.from([0xb7 + l.length]), l, b]);
}
function list(items) {
  const p = Buffer.concat(items);
  if (p.length <= 55) return Buffer.concat([Buffer.from([0xc0 + p.length]), p]);
  const l = be(p.length);
  return Buffer.concat([Buffer.from([0xf7 + l.length]), l, p]);
}
const scalar = (n) => str(be(n));
const small = (n) => { const b = Buffer.alloc(20); b[19] = n; return b; };

function extra(vanity, round) {
  return list([
    str(vanity),
    list([str(small(1)), str(small(2))]),
    list([str(small(3)), str(Buffer.from([0xff]))]),
    scalar(round),
    list([]),
  ]);
}

const EMPTY_ROOT = '56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421';
function header(extraData, cancun) {
  const fields = [
    str(hex('a7762d3307dbf2ae6a1ae1b09cf61c7603722b2379731b6b90409cdb8c8288a0')),
    str(hex('1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347')),
    str(Buffer.alloc(20)),
    str(hex('ca07595b82f908822971b7e848398e3395e59ee52565c7ef3603df1a1fa7bc80')),
    str(hex(EMPTY_ROOT)),
    str(hex(EMPTY_ROOT)),
    str(Buffer.alloc(256)),
    scalar(1), scalar(1), scalar(4704588), scalar(0), scalar(1530674616),
    str(extraData),
    str(hex('63746963616c2062797a616e74696e65206661756c7420746f6c6572616e6365')),
    str(Buffer.alloc(8)),
  ];
  if (cancun) {
    // baseFee 0, the empty withdrawals root, blobGasUsed 0, excessBlobGas 0, parent beacon root 0
    fields.push(scalar(0), str(hex(EMPTY_ROOT)), scalar(0), scalar(0), str(Buffer.alloc(32)));
  }
  return list(fields);
}

const vanity = Buffer.from([...Array(32).keys()]);
console.log('on-chain hash        0x' + keccak256(header(extra(vanity, 0), false)));
console.log('commit-seal hash     0x' + keccak256(header(extra(vanity, 0xfedcba), false)));
console.log('cancun on-chain hash 0x' + keccak256(header(extra(vanity, 0), true)));

// QbftExtraDataCodecTest: RAW_HEX_ENCODING_STRING's data (vanity 1..32, vote add 0x..01)
// without seals, and without seals and round.
const vanity1 = Buffer.from([...Array(32).keys()].map((i) => i + 1));
function extra1(round) {
  return list([
    str(vanity1),
    list([str(small(1)), str(small(2))]),
    list([str(small(1)), str(Buffer.from([0xff]))]),
    scalar(round),
    list([]),
  ]);
}
console.log('codec without seals  ' + extra1(0xfedcba).toString('hex'));
console.log('codec on-chain       ' + extra1(0).toString('hex'));

//! Import throughput of the CID builder (`ipfs add --only-hash` equivalent).
#![allow(missing_docs)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hallmark_unixfs::{ImportSettings, NullSink, import_reader};

fn import(c: &mut Criterion) {
    let data: Vec<u8> = (0..64u32 << 20)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let mut group = c.benchmark_group("import_64MiB");
    group.throughput(Throughput::Bytes(data.len() as u64));
    group.sample_size(10);
    for (name, settings) in [
        ("v0", ImportSettings::kubo_v0()),
        ("v1", ImportSettings::kubo_v1()),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| import_reader(&data[..], &settings, NullSink).map(|i| i.root))
        });
    }
    group.finish();
}

criterion_group!(benches, import);
criterion_main!(benches);

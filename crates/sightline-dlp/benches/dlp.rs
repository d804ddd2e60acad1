//! Scan throughput on the generated mixed corpus (32 MiB, every detector on): one thread, then one object per
//! core on every core.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sightline_dlp::{Config, Format, Scanner};

fn scan(c: &mut Criterion) {
    let (data, _) = sightline_dlp::corpus::generate(1, 32 << 20);
    let scanner = Scanner::new(&Config::default()).unwrap();
    let mut group = c.benchmark_group("dlp");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(data.len() as u64));
    group.bench_function("scan_32MiB_one_thread", |b| {
        b.iter(|| {
            let mut n = 0usize;
            scanner.scan_reader(&data[..], Format::Text, &mut |_| n += 1).unwrap();
            n
        })
    });
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    group.bench_function(format!("scan_32MiB_{threads}_threads"), |b| {
        b.iter(|| {
            let part = data.len().div_ceil(threads);
            std::thread::scope(|s| {
                let handles: Vec<_> = data
                    .chunks(part)
                    .map(|piece| {
                        let scanner = &scanner;
                        s.spawn(move || {
                            let mut n = 0usize;
                            scanner.scan_reader(piece, Format::Text, &mut |_| n += 1).unwrap();
                            n
                        })
                    })
                    .collect();
                handles.into_iter().map(|h| h.join().unwrap()).sum::<usize>()
            })
        })
    });
    group.finish();
}

criterion_group!(benches, scan);
criterion_main!(benches);

//! Criterion benchmark of [`Tagger::tag`] throughput (bytes of text per second).
//!
//! `timeml_corpus` tags every text of the TimeML development corpus (`shared/timeml` next to the
//! repository) with its creation date as the reference, when the corpus is present; `paragraph` tags an
//! invented news paragraph, with and without a reference date. Run with
//! `cargo bench -p peacetrack-time --bench tag`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use peacetrack_time::{Tagger, timeml};
use std::hint::black_box;
use std::path::PathBuf;

const PARAGRAPH: &str = "GENEVA, March 3 (Reuters) - Delegations returned to the talks on Tuesday after a \
two-week pause, three days before the ceasefire agreed on 14 February 2022 was due to expire. The \
mediators said a second round would begin next month and last about six weeks; the monitoring mission \
reports every Friday. Since 2019 the parties have met twice a year, most recently last autumn, and \
negotiators hope to sign a framework by the end of the year. \"We have until midnight,\" one envoy said \
at 11:30 p.m. local time, adding that the previous deadline, set in the early 1990s, had slipped for \
decades.\n";

fn bench_tag(c: &mut Criterion) {
    let tagger = Tagger::new().expect("the shipped rules compile");
    let mut group = c.benchmark_group("tag");

    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/timeml"
    ));
    if dir.is_dir() {
        let docs = timeml::read_dir(std::slice::from_ref(&dir)).expect("the TimeML corpus reads");
        let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.sample_size(20);
        group.bench_function("timeml_corpus", |b| {
            b.iter(|| {
                docs.iter()
                    .map(|d| tagger.tag(black_box(&d.text), d.dct).len())
                    .sum::<usize>()
            })
        });
        group.sample_size(100);
    } else {
        eprintln!(
            "note: TimeML corpus not found at {}; benchmarking the paragraph only",
            dir.display()
        );
    }

    let reference = Some(jiff::civil::date(2022, 3, 3));
    group.throughput(Throughput::Bytes(PARAGRAPH.len() as u64));
    group.bench_function("paragraph", |b| {
        b.iter(|| tagger.tag(black_box(PARAGRAPH), reference))
    });
    group.bench_function("paragraph_no_reference", |b| {
        b.iter(|| tagger.tag(black_box(PARAGRAPH), None))
    });
    group.finish();
}

criterion_group!(benches, bench_tag);
criterion_main!(benches);

//! Throughput of the analysis layers on the bundled corpus, beside the baseline
//! of reading and validating the same bytes.
//!
//! Run with `bash scripts/bench.sh` (or `cargo bench --bench tokenize`). Every
//! group reports MB/s over the same blob: the corpus articles concatenated and
//! repeated to about 8 MB.

use std::hint::black_box;
use std::path::Path;

use akhbar::input::InputText;
use akhbar::text::NormalizedText;
use akhbar::token::{tokenize, tokenize_reference};
use akhbar::{Akhbar, Analysis, Options, Record};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// The allocator `akhbar extract` runs with, so that the extraction figure
/// here is the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const TARGET_BYTES: usize = 8 << 20;

/// The corpus articles, concatenated (separated by two blank lines) and repeated.
fn corpus_blob() -> String {
    let mut articles = Vec::new();
    collect(Path::new("corpus"), &mut articles);
    articles.sort();
    let mut one = String::new();
    for path in articles {
        one.push_str(&std::fs::read_to_string(path).expect("corpus articles are UTF-8"));
        one.push_str("\n\n\n");
    }
    assert!(
        !one.is_empty(),
        "no corpus articles found: run from the crate root"
    );
    one.repeat(TARGET_BYTES.div_ceil(one.len()))
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("corpus/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "txt") {
            out.push(path);
        }
    }
}

fn bench(c: &mut Criterion) {
    let blob = corpus_blob();
    let file = std::env::temp_dir().join(format!("akhbar-bench-{}.txt", std::process::id()));
    std::fs::write(&file, &blob).expect("temp file");

    let mut group = c.benchmark_group("corpus");
    group.throughput(Throughput::Bytes(blob.len() as u64));
    group.sample_size(20);
    group.bench_function("baseline: read + validate UTF-8", |b| {
        b.iter(|| {
            let bytes = std::fs::read(&file).expect("read");
            black_box(std::str::from_utf8(&bytes).is_ok())
        })
    });
    group.bench_function("normalize", |b| {
        b.iter(|| black_box(NormalizedText::new(&blob).len()))
    });
    group.bench_function("normalize + tokenize (fast path)", |b| {
        b.iter(|| {
            let norm = NormalizedText::new(&blob);
            black_box(tokenize(&blob, &norm).len())
        })
    });
    group.bench_function("normalize + tokenize (UAX #29 reference)", |b| {
        b.iter(|| {
            let norm = NormalizedText::new(&blob);
            black_box(tokenize_reference(&blob, &norm).len())
        })
    });
    group.bench_function("analysis (tokens, sentences, chrome)", |b| {
        b.iter(|| black_box(Analysis::new(&blob).sentences().len()))
    });
    // The whole extraction of one record per article, with JSON output, on one
    // thread: what `akhbar extract` does per document (JSON Lines, through the
    // record's own writer).
    let akhbar = Akhbar::new();
    let articles: Vec<InputText> = blob
        .split("\n\n\n")
        .enumerate()
        .map(|(n, text)| InputText::new(format!("doc-{n}"), "bench", text.to_string()))
        .collect();
    group.bench_function("extraction + JSON (1 thread)", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(blob.len() * 2);
            for doc in &articles {
                let record = Record::Document(Box::new(akhbar.document(doc, &Options::default())));
                record.write_json(&mut out);
                out.push(b'\n');
            }
            black_box(out.len())
        })
    });
    group.finish();
    let _ = std::fs::remove_file(&file);
}

criterion_group!(benches, bench);
criterion_main!(benches);

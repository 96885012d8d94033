//! Times each stage of the extraction on one file: `cargo run --release --example
//! stage_times -- FILE`. A profiling aid: which layer costs what.

use std::time::Instant;

use akhbar::extract::{dates::Dates, figures::Figures, persons::Persons, Extractor};
use akhbar::Analysis;

fn main() {
    let path = std::env::args().nth(1).expect("usage: stage_times FILE");
    let text = std::fs::read_to_string(path).expect("a UTF-8 file");
    let mb = text.len() as f64 / 1e6;
    let t = Instant::now();
    let mut docs = Vec::new();
    for chunk in text.split("\n\n\n") {
        docs.push(Analysis::new(chunk));
    }
    let analysis = t.elapsed().as_secs_f64();
    println!("{:<10} {:>8.1} MB/s", "analysis", mb / analysis);
    let extractors: [(&str, &dyn Extractor); 3] = [
        ("figures", &Figures),
        ("dates", &Dates),
        ("persons", &Persons),
    ];
    for (name, extractor) in extractors {
        let t = Instant::now();
        let mut n = 0;
        for doc in &docs {
            let mut out = Vec::new();
            extractor.extract(doc, &mut out);
            n += out.len();
        }
        let s = t.elapsed().as_secs_f64();
        println!("{name:<10} {:>8.1} MB/s ({n} entities)", mb / s);
    }
}

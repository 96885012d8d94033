//! Times each stage of the extraction on one file: `cargo run --release --example
//! stage_times -- FILE`. A profiling aid: which layer costs what. The file is
//! cut into documents at blank-line triples (the bench corpus's article
//! boundaries); every stage runs alone over all of them, one thread.

use std::time::Instant;

use akhbar::extract::{dates::Dates, figures::Figures, persons::Persons, Extractor};
use akhbar::input::InputText;
use akhbar::{Akhbar, Analysis, Options};

fn main() {
    let path = std::env::args().nth(1).expect("usage: stage_times FILE");
    let text = std::fs::read_to_string(path).expect("a UTF-8 file");
    let mb = text.len() as f64 / 1e6;
    let report = |name: &str, seconds: f64, what: String| {
        println!("{name:<18} {:>8.1} MB/s {what}", mb / seconds);
    };
    let t = Instant::now();
    let mut docs = Vec::new();
    for chunk in text.split("\n\n\n") {
        docs.push(Analysis::new(chunk));
    }
    report("analysis", t.elapsed().as_secs_f64(), String::new());
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
        report(name, t.elapsed().as_secs_f64(), format!("({n} entities)"));
    }
    drop(docs);

    let akhbar = Akhbar::new();
    let options = Options::default();
    let inputs: Vec<InputText> = text
        .split("\n\n\n")
        .enumerate()
        .map(|(i, chunk)| InputText::new(i.to_string(), "stage_times", chunk.to_string()))
        .collect();
    let t = Instant::now();
    let records: Vec<_> = inputs
        .iter()
        .map(|i| akhbar.document(i, &options))
        .collect();
    report("whole document", t.elapsed().as_secs_f64(), String::new());
    let t = Instant::now();
    let mut json = Vec::new();
    for record in &records {
        serde_json::to_writer(&mut json, record).expect("records serialize");
        json.push(b'\n');
    }
    report(
        "JSON of records",
        t.elapsed().as_secs_f64(),
        format!("({:.1} MB of JSON)", json.len() as f64 / 1e6),
    );
}

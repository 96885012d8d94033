//! The hand-written JSON writer (`Record::write_json`) against serde_json on
//! real documents: the corpus articles, with and without tokens, and failures.

use std::path::{Path, PathBuf};

use akhbar::batch::failure_record;
use akhbar::input::{Input, InputText};
use akhbar::{Akhbar, Options, Record};

fn assert_same(record: &Record, what: &str) {
    let mut mine = Vec::new();
    record.write_json(&mut mine);
    let serde = serde_json::to_vec(record).unwrap();
    if mine != serde {
        let at = mine
            .iter()
            .zip(&serde)
            .position(|(a, b)| a != b)
            .unwrap_or(mine.len().min(serde.len()));
        let around = |bytes: &[u8]| {
            String::from_utf8_lossy(&bytes[at.saturating_sub(80)..(at + 80).min(bytes.len())])
                .into_owned()
        };
        panic!(
            "{what}: differs at byte {at}\n  mine:  {}\n  serde: {}",
            around(&mine),
            around(&serde)
        );
    }
}

fn articles() -> Vec<PathBuf> {
    let mut paths = Vec::new();
    for dir in ["corpus/dev", "corpus/test"] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "txt") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    paths
}

fn record(akhbar: &Akhbar, text: &InputText, options: &Options) -> Record {
    Record::Document(Box::new(akhbar.document(text, options)))
}

#[test]
fn every_corpus_article_with_and_without_tokens() {
    let akhbar = Akhbar::new();
    let paths = articles();
    assert!(paths.len() >= 40, "{} articles", paths.len());
    assert!(paths
        .iter()
        .any(|p| p.ends_with(Path::new("dev/seed-article.txt"))));
    let mut entities = 0;
    for path in &paths {
        let text = Input::File(path.clone()).read().unwrap();
        let plain = record(&akhbar, &text, &Options::default());
        if let Record::Document(doc) = &plain {
            entities += doc.entities.len();
        }
        assert_same(&plain, &path.display().to_string());
        let with_tokens = record(&akhbar, &text, &Options::default().with_tokens(true));
        assert_same(&with_tokens, &format!("{} --tokens", path.display()));
    }
    assert!(entities > 1000, "{entities} entities");
}

#[test]
fn documents_with_warnings_byline_and_odd_names() {
    let akhbar = Akhbar::new();
    let seed = std::fs::read("corpus/dev/seed-article.txt").unwrap();
    let mut bytes = b"\xff\xfe invalid \"start\" \x01\x1f\t\\ \xe2\x80\xa8 \xc3\n".to_vec();
    bytes.extend_from_slice(&seed);
    let text = InputText::from_bytes("id \"q\" \\ \u{1}", "dir\\file\t.txt", bytes);
    assert!(!text.warnings.is_empty());
    for tokens in [false, true] {
        let r = record(&akhbar, &text, &Options::default().with_tokens(tokens));
        if let Record::Document(doc) = &r {
            assert!(doc.byline.is_some());
        }
        assert_same(&r, "seed with bad bytes");
    }
    let empty = InputText::new("empty", "-", String::new());
    assert_same(&record(&akhbar, &empty, &Options::default()), "empty");
}

#[test]
fn failure_records() {
    let missing = Input::File(PathBuf::from("no/such \"dir\"/file\u{1}.txt"));
    let error = missing.read().unwrap_err();
    assert_same(&failure_record(&error), "missing file");
}

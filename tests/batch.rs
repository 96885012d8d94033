//! Batches through the binary: directories, archives, JSON Lines, standard
//! input, output formats, order across thread counts, and broken input.

use std::io::Write;
use std::path::Path;
use std::process::Output;

use serde_json::Value;

const SEED: &str = include_str!("../corpus/dev/seed-article.txt");

mod common;
use common::run as akhbar;

fn records(out: &Output) -> Vec<Value> {
    common::json_lines(out)
}

fn ids(records: &[Value]) -> Vec<String> {
    records
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn a_directory_recursively_with_a_glob() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("b/c")).unwrap();
    std::fs::write(dir.path().join("a.txt"), "بلغ النمو 8.05٪.").unwrap();
    std::fs::write(dir.path().join("b/c/d.txt"), "في عام 2023.").unwrap();
    std::fs::write(dir.path().join("b/e.md"), "في عام 2024.").unwrap();
    let out = akhbar(&["extract", path(dir.path())], None);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(ids(&records(&out)), ["a", "d"]);
    let out = akhbar(&["extract", path(dir.path()), "--glob", "*.md"], None);
    let got = records(&out);
    assert_eq!(ids(&got), ["e"]);
    assert_eq!(got[0]["entities"][0]["value"], "2024");
}

#[test]
fn tar_gz_members_are_documents() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("news.tar.gz");
    {
        let gz = flate2::write::GzEncoder::new(
            std::fs::File::create(&archive).unwrap(),
            flate2::Compression::fast(),
        );
        let mut tar = tar::Builder::new(gz);
        for (name, text) in [
            ("2024/seed.txt", SEED),
            ("2024/notes.md", "x"),
            ("2024/b.txt", "قدره 70 مليون دولار أمريكي."),
        ] {
            let mut header = tar::Header::new_gnu();
            header.set_size(text.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            tar.append_data(&mut header, name, text.as_bytes()).unwrap();
        }
        tar.into_inner().unwrap().finish().unwrap();
    }
    let out = akhbar(&["extract", path(&archive)], None);
    common::assert_succeeded(&out);
    let got = records(&out);
    assert_eq!(ids(&got), ["seed", "b"]);
    assert_eq!(
        got[0]["source"],
        format!("{}!2024/seed.txt", path(&archive))
    );
    assert_eq!(got[0]["byline"], "ثو ها");
    assert_eq!(got[1]["entities"][0]["amount"], 70000000);
}

#[test]
fn zip_members_are_documents_and_a_corrupt_archive_is_an_error_record() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("news.zip");
    {
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&archive).unwrap());
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        zip.start_file("a.txt", options).unwrap();
        zip.write_all("في 24 ديسمبر".as_bytes()).unwrap();
        zip.start_file("dir/b.txt", options).unwrap();
        zip.write_all(SEED.as_bytes()).unwrap();
        zip.finish().unwrap();
    }
    let broken = dir.path().join("broken.zip");
    std::fs::write(&broken, b"PK\x03\x04 not really a zip").unwrap();
    let out = akhbar(&["extract", path(&archive), path(&broken)], None);
    assert_eq!(out.status.code(), Some(1));
    let got = records(&out);
    assert_eq!(ids(&got), ["a", "b", "broken"]);
    assert_eq!(got[0]["source"], format!("{}!a.txt", path(&archive)));
    assert_eq!(got[0]["entities"][0]["value"], "--12-24");
    assert_eq!(got[2]["error"]["kind"], "io");
    assert!(String::from_utf8_lossy(&out.stderr).contains("broken.zip"));
}

#[test]
fn json_lines_with_a_malformed_line_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("docs.jsonl");
    let lines = [
        r#"{"id": "one", "text": "قال أمس إن النمو بلغ 8.05٪", "date": "2024-01-10"}"#,
        r#"{"id": "two", "text": "#,
        r#"{"id": 3, "text": "بلغ 17500 مليار دونج", "url": "https://example.invalid/3"}"#,
    ];
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let out = akhbar(&["extract", path(&file)], None);
    assert_eq!(out.status.code(), Some(1));
    let got = records(&out);
    assert_eq!(ids(&got), ["one", "docs:2", "3"]);
    assert_eq!(
        got[0]["entities"][0]["value"], "2024-01-09",
        "the document's date resolves أمس"
    );
    assert_eq!(got[1]["error"]["kind"], "bad_input");
    assert!(got[1]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("line 2"));
    assert_eq!(got[1]["source"], format!("{}:2", path(&file)));
    assert_eq!(got[2]["entities"][0]["amount"], 17500000000000u64);
}

#[test]
fn standard_input_as_a_streaming_filter() {
    let input =
        "{\"id\": \"a\", \"text\": \"في عام 2023\"}\n{\"id\": \"b\", \"text\": \"5 بالمئة\"}\n";
    let out = akhbar(
        &["extract", "--input", "jsonl", "-"],
        Some(input.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(0));
    let got = records(&out);
    assert_eq!(ids(&got), ["a", "b"]);
    assert_eq!(got[1]["entities"][0]["kind"], "percent");
}

#[test]
fn output_is_byte_identical_for_any_thread_count() {
    let one = akhbar(&["extract", "corpus", "--jobs", "1"], None);
    let four = akhbar(&["extract", "corpus", "--jobs", "4"], None);
    assert_eq!(one.status.code(), Some(0));
    assert_eq!(records(&one).len(), 41);
    assert!(
        one.stdout == four.stdout,
        "output differs between 1 and 4 jobs"
    );
}

#[test]
fn headers_and_separators_span_windows_of_documents() {
    // 41 documents on one thread are three windows of 16: records are rendered
    // on the workers, and still the CSV header comes once and the JSON array
    // holds every record, in input order.
    let csv_out = akhbar(
        &[
            "extract", "corpus", "--jobs", "1", "--format", "csv", "--kinds", "ratio",
        ],
        None,
    );
    assert_eq!(csv_out.status.code(), Some(0));
    let text = String::from_utf8(csv_out.stdout).unwrap();
    assert_eq!(text.matches("id,source,kind,").count(), 1, "one header");
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(rows.len(), 42, "the corpus's 42 ratios");
    assert!(rows.iter().all(|r| &r[2] == "ratio"));

    let json_out = akhbar(
        &["extract", "corpus", "--jobs", "1", "--format", "json"],
        None,
    );
    let all: Vec<Value> = serde_json::from_slice(&json_out.stdout).unwrap();
    let lines = records(&akhbar(&["extract", "corpus", "--jobs", "3"], None));
    assert_eq!(all.len(), 41);
    assert_eq!(
        ids(&all),
        ids(&lines),
        "the same documents in the same order"
    );
    assert_eq!(all[40]["entities"], lines[40]["entities"]);
}

#[test]
fn csv_and_tsv_rows_per_entity_and_kinds() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("seed.txt");
    std::fs::write(&file, SEED).unwrap();
    let out = akhbar(
        &[
            "extract",
            path(&file),
            "--format",
            "csv",
            "--kinds",
            "money",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let mut reader = csv::Reader::from_reader(&out.stdout[..]);
    let header = reader.headers().unwrap().clone();
    assert_eq!(&header[0], "id");
    assert_eq!(header.iter().next_back(), Some("context"));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 6, "the seed's six money amounts");
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(&rows[0][column("kind")], "money");
    assert_eq!(&rows[0][column("text")], "17500 مليار دونج");
    assert_eq!(&rows[0][column("amount")], "17500000000000");
    assert_eq!(&rows[0][column("currency")], "VND");
    assert!(rows[0][column("context")].contains("بلغ إجمالي إيرادات الميزانية"));
    let out = akhbar(
        &[
            "extract",
            path(&file),
            "--format",
            "tsv",
            "--kinds",
            "person",
        ],
        None,
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 8, "header and seven persons");
    assert!(lines[1].contains("\tperson\tهوانج ترونج دونج\t"));
    assert!(lines[1].contains("\tparty_secretary\t"));
    let out = akhbar(&["extract", path(&file), "--kinds", "persons"], None);
    assert_eq!(out.status.code(), Some(2));
    // Kinds filter the JSON too, and persons keep their mentions.
    let out = akhbar(
        &[
            "extract",
            path(&file),
            "--format",
            "jsonl",
            "--kinds",
            "person,place",
        ],
        None,
    );
    let record = &records(&out)[0];
    let kinds: std::collections::BTreeSet<&str> = record["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.into_iter().collect::<Vec<_>>(), ["person", "place"]);
    let mentions = record["persons"][0]["mentions"].as_array().unwrap();
    assert_eq!(mentions.len(), 3);
    for m in mentions {
        let e = &record["entities"][m.as_u64().unwrap() as usize];
        assert_eq!(
            (e["kind"].as_str(), e["name"].as_str()),
            (Some("person"), Some("هوانج ترونج دونج"))
        );
    }
}

#[test]
fn empty_files_nul_bytes_and_a_huge_line_do_not_stop_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a-empty.txt"), b"").unwrap();
    std::fs::write(dir.path().join("b-nul.txt"), b"\0\0 \xd9\x86\0 2023\0").unwrap();
    // 100 MB in one line: one long token.
    let mut huge = b"{\"id\": \"huge\", \"text\": \"".to_vec();
    huge.extend(std::iter::repeat_n(b'x', 100 << 20));
    huge.extend_from_slice(b" 5\xd9\xaa\"}\n");
    std::fs::write(dir.path().join("c-huge.jsonl"), &huge).unwrap();
    drop(huge);
    std::fs::write(dir.path().join("d.txt"), "بلغ النمو 8.05٪").unwrap();
    let out = akhbar(&["extract", path(dir.path()), "--glob", "*"], None);
    common::assert_succeeded(&out);
    let got = records(&out);
    assert_eq!(ids(&got), ["a-empty", "b-nul", "huge", "d"]);
    assert_eq!(got[0]["stats"]["bytes"], 0);
    assert_eq!(got[2]["stats"]["bytes"], (100 << 20) + 4);
    assert_eq!(got[2]["entities"][0]["value"], 5);
    assert_eq!(got[3]["entities"][0]["value"], 8.05);
}

#[test]
fn gzip_files_and_jsonl_gz() {
    let dir = tempfile::tempdir().unwrap();
    let gz = |name: &str, bytes: &[u8]| {
        let mut e = flate2::write::GzEncoder::new(
            std::fs::File::create(dir.path().join(name)).unwrap(),
            flate2::Compression::fast(),
        );
        e.write_all(bytes).unwrap();
        e.finish().unwrap();
    };
    gz("article.txt.gz", "في عام 2023".as_bytes());
    gz(
        "docs.jsonl.gz",
        "{\"id\": \"z\", \"text\": \"5 بالمئة\"}\n".as_bytes(),
    );
    let out = akhbar(
        &[
            "extract",
            path(&dir.path().join("article.txt.gz")),
            path(&dir.path().join("docs.jsonl.gz")),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let got = records(&out);
    assert_eq!(ids(&got), ["article", "z"]);
    assert_eq!(got[0]["entities"][0]["value"], "2023");
}

//! The `akhbar` binary, driven as a user would: records, schema, exit codes,
//! broken input, tokenize and eval.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

const SEED_PATH: &str = "corpus/dev/seed-article.txt";

mod common;
use common::{json_lines, stdout};

fn akhbar(args: &[&str]) -> Output {
    common::run(args, None)
}

fn akhbar_stdin(args: &[&str], input: &[u8]) -> Output {
    common::run(args, Some(input))
}

fn validator() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string("schema/record.schema.json").unwrap())
            .unwrap();
    jsonschema::validator_for(&schema).expect("the schema is valid")
}

fn assert_valid(record: &Value) {
    let v = validator();
    let errors: Vec<String> = v
        .iter_errors(record)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "schema errors: {errors:#?}");
}

#[test]
fn seed_article_record_validates_against_the_schema() {
    let out = akhbar(&["extract", SEED_PATH, "--format", "json"]);
    common::assert_succeeded(&out);
    let record: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_valid(&record);
    assert_eq!(record["id"], "seed-article");
    assert_eq!(record["source"], SEED_PATH);
    assert_eq!(record["byline"], "ثو ها");
    assert_eq!(record["lang"], "ar");
    let text = std::fs::read_to_string(SEED_PATH).unwrap();
    assert_eq!(record["stats"]["bytes"], text.len());
    assert_eq!(record["stats"]["chars"], text.chars().count());
    assert_eq!(record["stats"]["sentences"], 31);
    assert_eq!(record["sentences"].as_array().unwrap().len(), 31);
    let first = &record["sentences"][0];
    let (s, e) = (
        first["start"].as_u64().unwrap() as usize,
        first["end"].as_u64().unwrap() as usize,
    );
    assert!(text[s..e].ends_with("في الفترة المقبلة."));
    // Field order is part of the contract.
    let raw = stdout(&out);
    let positions: Vec<usize> = [
        "id",
        "source",
        "lang",
        "stats",
        "sentences",
        "entities",
        "persons",
        "byline",
        "warnings",
    ]
    .iter()
    .map(|k| {
        raw.find(&format!("\n  \"{k}\":"))
            .unwrap_or_else(|| panic!("no top-level {k}"))
    })
    .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "fields out of order: {positions:?}"
    );
}

#[test]
fn tokens_in_records_point_into_the_text() {
    let out = akhbar(&["extract", SEED_PATH, "--tokens", "--format", "jsonl"]);
    assert_eq!(out.status.code(), Some(0));
    let records = json_lines(&out);
    assert_eq!(records.len(), 1);
    assert_valid(&records[0]);
    let text = std::fs::read_to_string(SEED_PATH).unwrap();
    let tokens = records[0]["tokens"].as_array().unwrap();
    assert_eq!(
        tokens.len(),
        records[0]["stats"]["tokens"].as_u64().unwrap() as usize
    );
    for t in tokens {
        let (s, e) = (
            t["start"].as_u64().unwrap() as usize,
            t["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(t["text"], &text[s..e]);
    }
    let glued = tokens.iter().position(|t| t["text"] == "٧٤٧٧").unwrap();
    assert_eq!(tokens[glued]["norm"], "7477");
    assert_eq!(tokens[glued]["kind"], "number");
    assert_eq!(tokens[glued - 1]["text"], "و");
    let organisations = tokens.iter().find(|t| t["text"] == "والمنظمات").unwrap();
    assert_eq!(organisations["prefixes"], serde_json::json!(["و", "ال"]));
    assert_eq!(organisations["stem"], "منظمات");
}

#[test]
fn a_batch_goes_on_past_broken_documents() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a-good.txt"),
        "بلغ النمو 8.05٪ في عام 2023.\nثو ها\nمصدر\nتعليق (0)\n",
    )
    .unwrap();
    let mut broken = b"\xFF\xFE bad ".to_vec();
    broken.extend_from_slice("نص عربي".as_bytes());
    std::fs::write(dir.path().join("b-broken.txt"), &broken).unwrap();
    std::fs::write(dir.path().join("c-empty.txt"), b"").unwrap();
    std::fs::write(
        dir.path().join("d-binary.txt"),
        [0u8, 1, 2, 0xC3, 0x28, 0, 0xF0],
    )
    .unwrap();
    std::fs::write(dir.path().join("ignored.md"), "not an article").unwrap();
    let missing = dir.path().join("missing.txt");
    let out = akhbar(&[
        "extract",
        dir.path().to_str().unwrap(),
        missing.to_str().unwrap(),
        "--format",
        "jsonl",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a failed document makes exit code 1"
    );
    let records = json_lines(&out);
    let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["a-good", "b-broken", "c-empty", "d-binary", "missing"]
    );
    for r in &records {
        assert_valid(r);
    }
    assert_eq!(records[0]["byline"], "ثو ها");
    assert_eq!(
        records[1]["warnings"],
        serde_json::json!([
            "invalid UTF-8 at byte 0 replaced",
            "invalid UTF-8 at byte 1 replaced"
        ])
    );
    assert_eq!(records[2]["stats"]["bytes"], 0);
    assert_eq!(records[2]["sentences"], serde_json::json!([]));
    assert_eq!(records[3]["warnings"].as_array().unwrap().len(), 2);
    assert_eq!(records[4]["error"]["kind"], "io");
    let message = records[4]["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("missing.txt") && message.contains("cannot read"),
        "{message}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("missing.txt"), "{stderr}");
    assert!(stderr.contains("5 documents, 1 failed"), "{stderr}");
}

#[test]
fn standard_input_is_a_document() {
    let out = akhbar_stdin(
        &["extract", "-"],
        "عقدت اللجنة مؤتمرا. ثم انتهى.".as_bytes(),
    );
    assert_eq!(out.status.code(), Some(0));
    let records = json_lines(&out);
    assert_eq!(records.len(), 1, "not a terminal: JSON Lines");
    assert_eq!(records[0]["id"], "stdin");
    assert_eq!(records[0]["source"], "-");
    assert_eq!(records[0]["stats"]["sentences"], 2);
}

#[test]
fn output_to_a_file_and_pretty_json_arrays() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.json");
    let out = akhbar(&[
        "extract",
        SEED_PATH,
        SEED_PATH,
        "--format",
        "json",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let array: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(array.as_array().unwrap().len(), 2);
    assert_eq!(array[1]["byline"], "ثو ها");
}

#[test]
fn output_to_dash_is_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED_PATH);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_akhbar"))
        .args(["extract", seed.to_str().unwrap(), "-o", "-"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let records = json_lines(&out);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["id"], "seed-article");
    assert!(!dir.path().join("-").exists(), "no file named -");
}

#[test]
fn bad_usage_exits_with_2() {
    assert_eq!(akhbar(&[]).status.code(), Some(2));
    assert_eq!(akhbar(&["extract"]).status.code(), Some(2));
    assert_eq!(
        akhbar(&["extract", SEED_PATH, "--format", "xml"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(akhbar(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn every_command_has_help_with_an_example() {
    for command in ["extract", "tokenize", "eval"] {
        let out = akhbar(&[command, "--help"]);
        assert_eq!(out.status.code(), Some(0));
        let help = stdout(&out);
        assert!(
            help.contains("Examples:") && help.contains(&format!("akhbar {command} ")),
            "{help}"
        );
    }
}

#[test]
fn tokenize_prints_tokens_as_tsv_and_jsonl() {
    let out = akhbar_stdin(&["tokenize", "-"], "والمنظمات و٧٤٧٧ مسكنًا".as_bytes());
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "start\tend\tkind\ttext\tnorm\tprefixes\tstem");
    assert_eq!(lines[1], "0\t18\tword\tوالمنظمات\tوالمنظمات\tو+ال\tمنظمات");
    assert_eq!(lines[2], "19\t21\tword\tو\tو\t\t");
    assert_eq!(lines[3], "21\t29\tnumber\t٧٤٧٧\t7477\t\t");
    assert_eq!(lines[4], "30\t42\tword\tمسكنًا\tمسكنا\t\t");
    let out = akhbar(&["tokenize", SEED_PATH, "--format", "jsonl"]);
    let tokens = json_lines(&out);
    assert_eq!(tokens.len(), 843);
    assert_eq!(tokens[0]["text"], "وفي");
}

#[test]
fn eval_prints_the_per_kind_table() {
    let out = akhbar(&["eval", "corpus/dev/seed-article.gold.json"]);
    common::assert_succeeded(&out);
    let table = stdout(&out);
    for kind in [
        "date", "money", "number", "ordinal", "percent", "person", "place", "ratio", "overall",
        "byline",
    ] {
        assert!(
            table.lines().any(|l| l.starts_with(kind)),
            "no {kind} row in\n{table}"
        );
    }
    let byline = table.lines().find(|l| l.starts_with("byline")).unwrap();
    assert!(byline.ends_with("1.000   1.000   1.000"), "{byline}");
    let out = akhbar(&["eval", "corpus/dev/seed-article.gold.json", "--json"]);
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["overall"]["gold"], 46);
    assert_eq!(report["kinds"]["money"]["gold"], 6);
    assert_eq!(report["kinds"]["date"]["gold"], 13);
    assert_eq!(report["byline"]["matched"], 1);
}

#[test]
fn eval_reports_broken_gold_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("x.gold.json"), "{not json").unwrap();
    std::fs::write(dir.path().join("x.txt"), "نص").unwrap();
    std::fs::write(
        dir.path().join("y.gold.json"),
        r#"{"id": "y", "entities": []}"#,
    )
    .unwrap();
    let out = akhbar(&["eval", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let table = stdout(&out);
    assert!(table.contains("x.gold.json: not a gold file"), "{table}");
    assert!(
        table.contains("y.gold.json: no article beside it"),
        "{table}"
    );
    assert!(!Path::new("nonexistent").exists());
    assert_eq!(akhbar(&["eval", "nonexistent"]).status.code(), Some(1));
}

#[test]
fn eval_fails_below_the_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("saved.json");
    let out = akhbar(&[
        "eval",
        "corpus/dev/seed-article.gold.json",
        "--save-baseline",
        saved.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let baseline: Value = serde_json::from_str(&std::fs::read_to_string(&saved).unwrap()).unwrap();
    assert_eq!(baseline["f1"]["byline"], 1.0);
    let out = akhbar(&[
        "eval",
        "corpus/dev/seed-article.gold.json",
        "--baseline",
        saved.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "a run meets its own baseline");
    let higher = dir.path().join("higher.json");
    // No run reaches an F1 of 1.5: the check must fail on money alone.
    std::fs::write(&higher, r#"{"f1": {"money": 1.5, "byline": 1.0}}"#).unwrap();
    let out = akhbar(&[
        "eval",
        "corpus/dev/seed-article.gold.json",
        "--baseline",
        higher.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("money: F1 ") && stderr.contains(" < baseline 1.5000"),
        "{stderr}"
    );
    assert!(!stderr.contains("byline:"), "{stderr}");
}

#[test]
fn reference_date_resolves_relative_and_partial_dates() {
    let text = "وقال أمس إن المؤتمر عقد في 24 ديسمبر.".as_bytes();
    let out = akhbar_stdin(&["extract", "-", "--reference-date", "2024-01-10"], text);
    assert_eq!(out.status.code(), Some(0));
    let record = &json_lines(&out)[0];
    assert_valid(record);
    let entities = record["entities"].as_array().unwrap();
    assert_eq!(entities[0]["text"], "أمس");
    assert_eq!(entities[0]["value"], "2024-01-09");
    assert_eq!(entities[1]["value"], "--12-24");
    assert_eq!(entities[1]["resolved"], "2023-12-24");
    // Without a reference the partial date stays partial.
    let out = akhbar_stdin(&["extract", "-"], text);
    let record = &json_lines(&out)[0];
    assert!(record["entities"][1].get("resolved").is_none());
    assert!(record["entities"][0].get("value").is_none());
    assert_eq!(
        akhbar(&["extract", "-", "--reference-date", "2024-13-01"])
            .status
            .code(),
        Some(2)
    );
    let help = stdout(&akhbar(&["extract", "--help"]));
    assert!(help.contains("--reference-date 2024-01-10"), "{help}");
    assert!(
        help.contains("--input jsonl -") && help.contains("--format csv"),
        "{help}"
    );
}

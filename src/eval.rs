//! Accuracy against gold files (SPEC §5).
//!
//! A gold file `NAME.gold.json` sits beside its article `NAME.txt` and lists every
//! mention in text order (`corpus/README.md` has the guidelines). Evaluation runs
//! the pipeline on the article and compares, per kind, the multiset of gold keys
//! with the multiset of predicted keys: a key is the normalised value of SPEC §5
//! (person: name; money: amount and currency; date: value; number: value), so a
//! mention counts as found when the value is right, whatever its exact span.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::decimal::Decimal;
use crate::input::InputText;
use crate::record::EntityKind;
use crate::text::NormalizedText;
use crate::{Akhbar, Options};

/// Why a gold file could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    /// A file could not be read.
    #[error("{path}: cannot read: {error}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        error: std::io::Error,
    },
    /// A gold file is not valid JSON of the gold format.
    #[error("{path}: not a gold file: {error}")]
    Json {
        /// The file.
        path: PathBuf,
        /// The parse error.
        #[source]
        error: serde_json::Error,
    },
    /// A gold file has no article beside it.
    #[error("{path}: no article beside it (looked for {expected})")]
    MissingText {
        /// The gold file.
        path: PathBuf,
        /// The article path looked for.
        expected: String,
    },
    /// A path given holds no gold file.
    #[error("{path}: no .gold.json file here")]
    NoGold {
        /// The path given.
        path: PathBuf,
    },
}

/// A gold file.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct GoldFile {
    /// The document id.
    pub id: String,
    /// The byline, when the article has one.
    #[serde(default)]
    pub byline: Option<String>,
    /// The gold mentions, in text order, as JSON objects with `kind` and `text`.
    pub entities: Vec<Value>,
}

/// Gold, predicted and matched mention counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Mentions in the gold.
    pub gold: usize,
    /// Mentions predicted.
    pub predicted: usize,
    /// Predicted mentions that match a gold mention.
    pub matched: usize,
}

impl Counts {
    /// Matched over predicted (0 when nothing was predicted).
    pub fn precision(&self) -> f64 {
        ratio(self.matched, self.predicted)
    }

    /// Matched over gold (0 when the gold is empty).
    pub fn recall(&self) -> f64 {
        ratio(self.matched, self.gold)
    }

    /// The harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    fn add(&mut self, other: Counts) {
        self.gold += other.gold;
        self.predicted += other.predicted;
        self.matched += other.matched;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

impl Serialize for Counts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Out {
            gold: usize,
            predicted: usize,
            matched: usize,
            precision: f64,
            recall: f64,
            f1: f64,
        }
        let round = |x: f64| (x * 10_000.0).round() / 10_000.0;
        Out {
            gold: self.gold,
            predicted: self.predicted,
            matched: self.matched,
            precision: round(self.precision()),
            recall: round(self.recall()),
            f1: round(self.f1()),
        }
        .serialize(serializer)
    }
}

/// A mention that was missed or wrongly found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Mention {
    /// Its kind.
    pub kind: String,
    /// Its text.
    pub text: String,
    /// Its matching key (the normalised value).
    pub key: String,
}

/// The result for one document.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct DocumentReport {
    /// The document id.
    pub id: String,
    /// The article's path.
    pub source: String,
    /// Counts per kind.
    pub kinds: BTreeMap<String, Counts>,
    /// Gold mentions not found.
    pub misses: Vec<Mention>,
    /// Predicted mentions not in the gold.
    pub false_alarms: Vec<Mention>,
    /// Roles of matched persons.
    pub roles: RoleCounts,
    /// The gold byline and the one found.
    pub byline: (Option<String>, Option<String>),
}

/// The result of an evaluation.
#[derive(Debug, Clone, Default, Serialize)]
#[non_exhaustive]
pub struct Report {
    /// Per document.
    pub documents: Vec<DocumentReport>,
    /// Per kind, over all documents.
    pub kinds: BTreeMap<String, Counts>,
    /// All kinds together.
    pub overall: Counts,
    /// Bylines: gold bylines, bylines found, and equal ones.
    pub byline: Counts,
    /// Roles of matched persons, over all documents.
    pub roles: RoleCounts,
    /// Kinds in the gold that no extractor produces yet.
    pub without_extractor: Vec<String>,
    /// Gold files that could not be used.
    pub errors: Vec<String>,
}

/// Finds the gold files under `paths`: a directory is searched recursively for
/// `*.gold.json`; a file is taken as it is.
pub fn find_gold_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, EvalError> {
    let mut out = Vec::new();
    for path in paths {
        let before = out.len();
        if path.is_dir() {
            walk(path, &mut out)?;
        } else if path.is_file() {
            out.push(path.clone());
        }
        if out.len() == before {
            return Err(EvalError::NoGold { path: path.clone() });
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), EvalError> {
    let io = |error| EvalError::Io {
        path: dir.to_path_buf(),
        error,
    };
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(io)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(io)?;
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, out)?;
        } else if path.to_string_lossy().ends_with(".gold.json") {
            out.push(path);
        }
    }
    Ok(())
}

/// The article beside a gold file: `NAME.gold.json` → `NAME.txt` (or
/// `NAME.ar.txt`).
pub fn article_path(gold: &Path) -> Result<PathBuf, EvalError> {
    let name = gold.to_string_lossy();
    let stem = name.strip_suffix(".gold.json").unwrap_or(&name);
    for candidate in [format!("{stem}.txt"), format!("{stem}.ar.txt")] {
        let path = PathBuf::from(&candidate);
        if path.is_file() {
            return Ok(path);
        }
    }
    Err(EvalError::MissingText {
        path: gold.to_path_buf(),
        expected: format!("{stem}.txt"),
    })
}

/// Reads a gold file.
pub fn read_gold(path: &Path) -> Result<GoldFile, EvalError> {
    let bytes = fs::read(path).map_err(|error| EvalError::Io {
        path: path.to_path_buf(),
        error,
    })?;
    serde_json::from_slice(&bytes).map_err(|error| EvalError::Json {
        path: path.to_path_buf(),
        error,
    })
}

/// Evaluates the pipeline on the gold files given.
pub fn evaluate(akhbar: &Akhbar, gold_files: &[PathBuf]) -> Report {
    let mut report = Report::default();
    let covered: Vec<&str> = akhbar.kinds().into_iter().map(EntityKind::as_str).collect();
    for gold_path in gold_files {
        match evaluate_one(akhbar, gold_path) {
            Ok(doc) => {
                for (kind, counts) in &doc.kinds {
                    report.kinds.entry(kind.clone()).or_default().add(*counts);
                    report.overall.add(*counts);
                }
                report.roles.add(doc.roles);
                report.byline.add(Counts {
                    gold: usize::from(doc.byline.0.is_some()),
                    predicted: usize::from(doc.byline.1.is_some()),
                    matched: usize::from(doc.byline.0.is_some() && doc.byline.0 == doc.byline.1),
                });
                report.documents.push(doc);
            }
            Err(e) => report.errors.push(e.to_string()),
        }
    }
    report.without_extractor = report
        .kinds
        .keys()
        .filter(|k| !covered.contains(&k.as_str()))
        .cloned()
        .collect();
    report
}

fn evaluate_one(akhbar: &Akhbar, gold_path: &Path) -> Result<DocumentReport, EvalError> {
    let gold = read_gold(gold_path)?;
    let text_path = article_path(gold_path)?;
    let bytes = fs::read(&text_path).map_err(|error| EvalError::Io {
        path: text_path.clone(),
        error,
    })?;
    let input = InputText::from_bytes(gold.id.clone(), text_path.to_string_lossy(), bytes);
    let doc = akhbar.document(&input, &Options::default());
    let predicted: Vec<Value> = doc
        .entities
        .iter()
        .map(|e| serde_json::to_value(e).expect("entities serialize"))
        .collect();
    let comparison = compare(&gold.entities, &predicted);
    Ok(DocumentReport {
        id: gold.id,
        source: input.source,
        kinds: comparison.kinds,
        misses: comparison.misses,
        false_alarms: comparison.false_alarms,
        roles: comparison.roles,
        byline: (gold.byline, doc.byline),
    })
}

/// How many matched person mentions carry every role the gold gives them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RoleCounts {
    /// Matched person mentions.
    pub matched: usize,
    /// Of those, the ones whose predicted titles hold every gold role.
    pub with_every_role: usize,
}

impl RoleCounts {
    fn add(&mut self, other: RoleCounts) {
        self.matched += other.matched;
        self.with_every_role += other.with_every_role;
    }
}

/// The comparison of one document's gold and predicted mentions.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Comparison {
    /// Counts per kind.
    pub kinds: BTreeMap<String, Counts>,
    /// Gold mentions not found.
    pub misses: Vec<Mention>,
    /// Predicted mentions not in the gold.
    pub false_alarms: Vec<Mention>,
    /// Roles of matched persons.
    pub roles: RoleCounts,
}

/// The roles of a mention: gold `roles`, or the `role` of each predicted title.
fn roles_of(v: &Value) -> Vec<&str> {
    if let Some(roles) = v.get("roles").and_then(Value::as_array) {
        return roles.iter().filter_map(Value::as_str).collect();
    }
    v.get("titles")
        .and_then(Value::as_array)
        .map(|ts| {
            ts.iter()
                .filter_map(|t| t.get("role").and_then(Value::as_str))
                .collect()
        })
        .unwrap_or_default()
}

/// Compares gold and predicted mentions as multisets of keys per kind.
pub fn compare(gold_values: &[Value], predicted_values: &[Value]) -> Comparison {
    let mut kinds: BTreeMap<String, Counts> = BTreeMap::new();
    let mention = |v: &Value| Mention {
        kind: str_field(v, "kind").unwrap_or("?").to_string(),
        text: str_field(v, "text").unwrap_or("").to_string(),
        key: match_key(v),
    };
    let gold: Vec<Mention> = gold_values.iter().map(mention).collect();
    let predicted: Vec<Mention> = predicted_values.iter().map(mention).collect();
    let mut roles = RoleCounts::default();
    let mut open: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, m) in gold.iter().enumerate().rev() {
        open.entry((&m.kind, &m.key)).or_default().push(i);
        kinds.entry(m.kind.clone()).or_default().gold += 1;
    }
    let mut gold_matched = vec![false; gold.len()];
    let mut false_alarms = Vec::new();
    for (p, m) in predicted.iter().enumerate() {
        let counts = kinds.entry(m.kind.clone()).or_default();
        counts.predicted += 1;
        match open
            .get_mut(&(m.kind.as_str(), m.key.as_str()))
            .and_then(Vec::pop)
        {
            Some(i) => {
                gold_matched[i] = true;
                counts.matched += 1;
                if m.kind == "person" {
                    let found = roles_of(&predicted_values[p]);
                    roles.matched += 1;
                    let every = roles_of(&gold_values[i]).iter().all(|r| found.contains(r));
                    roles.with_every_role += usize::from(every);
                }
            }
            None => false_alarms.push(m.clone()),
        }
    }
    let misses = gold
        .iter()
        .zip(&gold_matched)
        .filter(|(_, &matched)| !matched)
        .map(|(m, _)| m.clone())
        .collect();
    Comparison {
        kinds,
        misses,
        false_alarms,
        roles,
    }
}

fn str_field<'v>(v: &'v Value, field: &str) -> Option<&'v str> {
    v.get(field).and_then(Value::as_str)
}

/// A number field in canonical decimal form (`8.05`, `17500000000000`).
fn number_field(v: &Value, field: &str) -> Option<String> {
    let n = v.get(field)?;
    Decimal::deserialize(n).ok().map(|d| d.to_string())
}

fn range_key(v: &Value, number: bool) -> Option<String> {
    let get = |f| {
        if number {
            number_field(v, f)
        } else {
            str_field(v, f).map(str::to_string)
        }
    };
    match (get("from"), get("to")) {
        (None, None) => None,
        (from, to) => Some(format!(
            "{}..{}",
            from.unwrap_or_default(),
            to.unwrap_or_default()
        )),
    }
}

/// The matching key of a mention (SPEC §5), from its JSON form: the same
/// function reads gold files and akhbar's own records.
pub fn match_key(v: &Value) -> String {
    let kind = str_field(v, "kind").unwrap_or("");
    match kind {
        "person" | "place" => {
            let name = str_field(v, "name")
                .or_else(|| str_field(v, "text"))
                .unwrap_or("");
            NormalizedText::new(name)
                .as_str()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        }
        "money" => {
            let amount = number_field(v, "amount")
                .or_else(|| range_key(v, true))
                .unwrap_or_default();
            format!("{amount} {}", str_field(v, "currency").unwrap_or(""))
        }
        "percent" | "number" => number_field(v, "value")
            .or_else(|| range_key(v, true))
            .unwrap_or_default(),
        "ordinal" => number_field(v, "value").unwrap_or_default(),
        "ratio" => format!(
            "{}/{}",
            number_field(v, "numerator").unwrap_or_default(),
            number_field(v, "denominator").unwrap_or_default()
        ),
        "date" => str_field(v, "value")
            .map(str::to_string)
            .or_else(|| range_key(v, false))
            .or_else(|| {
                let rel = v.get("relative")?;
                Some(format!(
                    "{}{:+}",
                    str_field(rel, "unit").unwrap_or(""),
                    rel.get("offset").and_then(Value::as_i64).unwrap_or(0)
                ))
            })
            .or_else(|| str_field(v, "time").map(|t| format!("T{t}")))
            .unwrap_or_default(),
        "duration" => str_field(v, "value").unwrap_or("").to_string(),
        _ => str_field(v, "text").unwrap_or("").to_string(),
    }
}

/// The per-kind table, with an honest note about kinds that no extractor covers.
pub fn render_table(report: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<10} {:>6} {:>6} {:>7} {:>9} {:>7} {:>7}",
        "kind", "gold", "found", "matched", "precision", "recall", "f1"
    );
    let row = |s: &mut String, name: &str, c: &Counts, note: &str| {
        let _ = writeln!(
            s,
            "{:<10} {:>6} {:>6} {:>7} {:>9.3} {:>7.3} {:>7.3}{note}",
            name,
            c.gold,
            c.predicted,
            c.matched,
            c.precision(),
            c.recall(),
            c.f1()
        );
    };
    for (kind, counts) in &report.kinds {
        let note = if report.without_extractor.contains(kind) {
            "  (no extractor yet)"
        } else {
            ""
        };
        row(&mut s, kind, counts, note);
    }
    row(&mut s, "overall", &report.overall, "");
    row(&mut s, "byline", &report.byline, "");
    if report.roles.matched > 0 {
        let _ = writeln!(
            s,
            "roles: {} of {} matched persons carry every gold role ({:.3})",
            report.roles.with_every_role,
            report.roles.matched,
            ratio(report.roles.with_every_role, report.roles.matched)
        );
    }
    let _ = writeln!(s, "{} documents", report.documents.len());
    if !report.without_extractor.is_empty() {
        let _ = writeln!(
            s,
            "note: no extractor produces {} yet, so their recall is 0 by construction; \
             the overall score counts them.",
            report.without_extractor.join(", ")
        );
    }
    for e in &report.errors {
        let _ = writeln!(s, "error: {e}");
    }
    s
}

/// The F1 per kind (and overall, and of bylines) that a change must not lower: the file
/// `corpus/baseline.json`, checked by CI on `corpus/test`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Baseline {
    /// F1 per kind, `overall`, and `byline`.
    pub f1: BTreeMap<String, f64>,
}

impl Baseline {
    /// The baseline a report sets: its F1 per kind, rounded to four decimals.
    pub fn of(report: &Report) -> Baseline {
        let round = |x: f64| (x * 10_000.0).round() / 10_000.0;
        let mut f1: BTreeMap<String, f64> = report
            .kinds
            .iter()
            .map(|(k, c)| (k.clone(), round(c.f1())))
            .collect();
        f1.insert("overall".to_string(), round(report.overall.f1()));
        f1.insert("byline".to_string(), round(report.byline.f1()));
        Baseline { f1 }
    }

    /// The kinds whose F1 in `report` is more than `tolerance` below this
    /// baseline, as `kind: F1 0.912 < baseline 0.950`. A kind the report lacks
    /// counts as F1 0.
    pub fn regressions(&self, report: &Report, tolerance: f64) -> Vec<String> {
        let now = Baseline::of(report);
        self.f1
            .iter()
            .filter_map(|(kind, &base)| {
                let f1 = now.f1.get(kind).copied().unwrap_or(0.0);
                (f1 < base - tolerance).then(|| format!("{kind}: F1 {f1:.4} < baseline {base:.4}"))
            })
            .collect()
    }
}

/// Misses and false alarms, document by document.
pub fn render_diff(report: &Report) -> String {
    let mut s = String::new();
    for doc in &report.documents {
        if doc.misses.is_empty() && doc.false_alarms.is_empty() && doc.byline.0 == doc.byline.1 {
            continue;
        }
        let _ = writeln!(s, "== {} ({})", doc.id, doc.source);
        if doc.byline.0 != doc.byline.1 {
            let _ = writeln!(
                s,
                "  byline  gold {:?}, found {:?}",
                doc.byline.0, doc.byline.1
            );
        }
        for m in &doc.misses {
            let _ = writeln!(s, "  miss    {:<9} {}  [{}]", m.kind, m.text, m.key);
        }
        for m in &doc.false_alarms {
            let _ = writeln!(s, "  false   {:<9} {}  [{}]", m.kind, m.text, m.key);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_normalise_values() {
        assert_eq!(
            match_key(&json!({"kind": "money", "amount": 17500000000000u64, "currency": "VND"})),
            "17500000000000 VND"
        );
        assert_eq!(
            match_key(&json!({"kind": "percent", "value": 8.05})),
            "8.05"
        );
        assert_eq!(
            match_key(&json!({"kind": "person", "name": "هوانج  ترونج دونج"})),
            "هوانج ترونج دونج"
        );
        assert_eq!(
            match_key(&json!({"kind": "person", "name": "أونغ"})),
            "اونغ"
        );
        assert_eq!(
            match_key(&json!({"kind": "date", "from": "2020", "to": "2025"})),
            "2020..2025"
        );
        assert_eq!(
            match_key(&json!({"kind": "date", "relative": {"unit": "day", "offset": -1}})),
            "day-1"
        );
        assert_eq!(
            match_key(&json!({"kind": "ratio", "numerator": 10, "denominator": 13})),
            "10/13"
        );
        assert_eq!(
            match_key(
                &json!({"kind": "money", "from": 5000000000u64, "to": 7000000000u64, "currency": "VND"})
            ),
            "5000000000..7000000000 VND"
        );
    }

    #[test]
    fn compares_multisets_of_mentions() {
        let gold = vec![
            json!({"kind": "date", "text": "عام 2023", "value": "2023"}),
            json!({"kind": "date", "text": "عام 2023", "value": "2023"}),
            json!({"kind": "percent", "text": "8.05٪", "value": 8.05}),
        ];
        let predicted = vec![
            json!({"kind": "date", "text": "2023", "value": "2023"}),
            json!({"kind": "percent", "text": "8.5٪", "value": 8.5}),
        ];
        let Comparison {
            kinds,
            misses,
            false_alarms,
            ..
        } = compare(&gold, &predicted);
        assert_eq!(
            kinds["date"],
            Counts {
                gold: 2,
                predicted: 1,
                matched: 1
            }
        );
        assert_eq!(
            kinds["percent"],
            Counts {
                gold: 1,
                predicted: 1,
                matched: 0
            }
        );
        assert_eq!(misses.len(), 2);
        assert_eq!(false_alarms.len(), 1);
        assert_eq!(false_alarms[0].key, "8.5");
    }

    #[test]
    fn baseline_flags_drops_beyond_the_tolerance() {
        let mut report = Report::default();
        report.kinds.insert(
            "money".into(),
            Counts {
                gold: 100,
                predicted: 100,
                matched: 95,
            },
        );
        report.kinds.insert(
            "date".into(),
            Counts {
                gold: 100,
                predicted: 100,
                matched: 80,
            },
        );
        report.overall = Counts {
            gold: 200,
            predicted: 200,
            matched: 175,
        };
        let mut baseline = Baseline::of(&report);
        assert_eq!(baseline.f1["money"], 0.95);
        assert!(baseline.regressions(&report, 0.02).is_empty());
        baseline.f1.insert("date".into(), 0.83);
        baseline.f1.insert("person".into(), 0.5);
        assert_eq!(
            baseline.regressions(&report, 0.02),
            [
                "date: F1 0.8000 < baseline 0.8300",
                "person: F1 0.0000 < baseline 0.5000"
            ]
        );
    }

    #[test]
    fn roles_of_matched_persons() {
        let gold = vec![
            json!({"kind": "person", "text": "فو ترونغ هاي", "name": "فو ترونغ هاي", "roles": ["deputy_party_secretary", "chairman"]}),
            json!({"kind": "person", "text": "تران ذا دونج", "name": "تران ذا دونج", "roles": ["standing_deputy_party_secretary"]}),
        ];
        let predicted = vec![
            json!({"kind": "person", "text": "فو ترونغ هاي", "name": "فو ترونغ هاي", "titles": [{"text": "x", "role": "chairman"}]}),
            json!({"kind": "person", "text": "تران ذا دونج", "name": "تران ذا دونج", "titles": [{"text": "x", "role": "standing_deputy_party_secretary"}]}),
        ];
        assert_eq!(
            compare(&gold, &predicted).roles,
            RoleCounts {
                matched: 2,
                with_every_role: 1
            }
        );
    }

    #[test]
    fn scores() {
        let c = Counts {
            gold: 10,
            predicted: 8,
            matched: 6,
        };
        assert!((c.precision() - 0.75).abs() < 1e-12);
        assert!((c.recall() - 0.6).abs() < 1e-12);
        assert!((c.f1() - 2.0 * 0.75 * 0.6 / 1.35).abs() < 1e-12);
        assert_eq!(Counts::default().f1(), 0.0);
    }
}

//! The document record of SPEC §3: what akhbar writes, one JSON object per
//! document. This is a contract with the tools that read it: a field is added
//! deliberately, with the schema (`schema/record.schema.json`) and the README.
//!
//! Optional fields are omitted, never `null`.
//!
//! The `Serialize` impls define the JSON; JSON Lines output is written by
//! [`Record::write_json`], a hand-written writer that produces the same bytes at
//! a fraction of the cost (`record/json.rs`).

use serde::{Deserialize, Serialize};

/// The string of the record's values: text up to 24 bytes (`2023-12-24`,
/// `VND`, `نائب رئيس الوزراء` is 31 and is not) is kept inline, with no
/// allocation, and a lexicon's own words are borrowed, not copied. A batch
/// writes some 14,000 entities a megabyte, most of whose strings are short.
pub use compact_str::CompactString;

use crate::decimal::Decimal;
use crate::token::TokenKind;

mod json;

/// One output line: a document's record, or the error that stopped it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Record {
    /// A document that was read and analysed.
    Document(Box<Document>),
    /// A document that could not be read.
    Failure(Failure),
}

/// The record of one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Document {
    /// The document's id: the file name without extension, or the id of a JSON
    /// Lines input.
    pub id: String,
    /// Where it came from: a path, `-` for standard input.
    pub source: String,
    /// The language: always `ar` for now.
    pub lang: String,
    /// Sizes.
    pub stats: Stats,
    /// The sentences of the body (the chrome has none).
    pub sentences: Vec<SentenceSpan>,
    /// Every entity, in text order.
    pub entities: Vec<Entity>,
    /// The persons, each once, with the indexes of their mentions in `entities`.
    pub persons: Vec<PersonSummary>,
    /// The byline of the site chrome (`ثو ها`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byline: Option<String>,
    /// What was wrong with the input but did not stop it (`invalid UTF-8 at byte
    /// 1234 replaced`).
    pub warnings: Vec<String>,
    /// The tokens, on request (`--tokens`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokens: Option<Vec<TokenRecord>>,
}

/// Sizes of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Stats {
    /// Bytes of UTF-8 text (after invalid sequences were replaced).
    pub bytes: usize,
    /// Unicode scalar values.
    pub chars: usize,
    /// Tokens of the whole text, chrome included.
    pub tokens: usize,
    /// Sentences of the body.
    pub sentences: usize,
}

/// A sentence's byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SentenceSpan {
    /// Byte offset of its first token.
    pub start: usize,
    /// Byte offset after its last token.
    pub end: usize,
}

/// A token, as written with `--tokens`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TokenRecord {
    /// The token's original text.
    pub text: String,
    /// Byte offset in the original text.
    pub start: usize,
    /// Byte offset after the token.
    pub end: usize,
    /// Character offset.
    pub char_start: usize,
    /// Character offset after the token.
    pub char_end: usize,
    /// word, number, punct or symbol.
    pub kind: TokenKind,
    /// The normal form.
    pub norm: String,
    /// The proclitics of an Arabic word (`و`, `ال`), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prefixes: Vec<String>,
    /// The stem, in normal form, when the word has proclitics.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stem: Option<String>,
}

/// A document that failed: its id and source, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Failure {
    /// The id the document would have had.
    pub id: String,
    /// Where it came from.
    pub source: String,
    /// What went wrong.
    pub error: FailureInfo,
}

/// What went wrong with a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FailureInfo {
    /// A stable key: `io`, `too_large`, `bad_input`.
    pub kind: String,
    /// A message for people, naming the document and the problem.
    pub message: String,
}

/// The kinds of entity of SPEC §2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum EntityKind {
    /// A named person.
    Person,
    /// A named place.
    Place,
    /// An amount of money.
    Money,
    /// A percentage.
    Percent,
    /// A date, a date range or a time.
    Date,
    /// A length of time.
    Duration,
    /// Any other quantity.
    Number,
    /// A rank or place in a sequence.
    Ordinal,
    /// `10/13`, `15 من أصل 63`.
    Ratio,
}

impl EntityKind {
    /// Every kind, in the order of SPEC §2.
    pub const ALL: [EntityKind; 9] = [
        EntityKind::Person,
        EntityKind::Place,
        EntityKind::Money,
        EntityKind::Percent,
        EntityKind::Date,
        EntityKind::Duration,
        EntityKind::Number,
        EntityKind::Ordinal,
        EntityKind::Ratio,
    ];

    /// The name in records: `person`, `money`, ….
    pub const fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Place => "place",
            EntityKind::Money => "money",
            EntityKind::Percent => "percent",
            EntityKind::Date => "date",
            EntityKind::Duration => "duration",
            EntityKind::Number => "number",
            EntityKind::Ordinal => "ordinal",
            EntityKind::Ratio => "ratio",
        }
    }

    /// The kind of a record name.
    pub fn parse(name: &str) -> Option<EntityKind> {
        EntityKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// One entity: where it is and what it means.
///
/// In JSON the kind comes first, then the span, then the kind's value fields:
/// `{"kind": "money", "text": "17500 مليار دونج", "start": …, "end": …,
/// "char_start": …, "char_end": …, "sentence": 7, "amount": 17500000000000,
/// "currency": "VND"}`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Entity {
    /// The exact slice of the input.
    pub text: CompactString,
    /// Byte offset into the UTF-8 input.
    pub start: usize,
    /// Byte offset after the entity.
    pub end: usize,
    /// Unicode scalar offset.
    pub char_start: usize,
    /// Unicode scalar offset after the entity.
    pub char_end: usize,
    /// Index into the document's sentences.
    pub sentence: usize,
    /// The kind and its value.
    pub value: EntityValue,
}

impl Entity {
    /// The entity's kind.
    pub fn kind(&self) -> EntityKind {
        self.value.kind()
    }
}

/// The kind of an entity with its value fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EntityValue {
    /// A person.
    Person(Person),
    /// A place.
    Place(Place),
    /// Money.
    Money(Money),
    /// A percentage.
    Percent(Percent),
    /// A date.
    Date(Date),
    /// A duration.
    Duration(Duration),
    /// A number.
    Number(Number),
    /// An ordinal.
    Ordinal(Ordinal),
    /// A ratio.
    Ratio(Ratio),
}

impl EntityValue {
    /// The kind of this value.
    pub fn kind(&self) -> EntityKind {
        match self {
            EntityValue::Person(_) => EntityKind::Person,
            EntityValue::Place(_) => EntityKind::Place,
            EntityValue::Money(_) => EntityKind::Money,
            EntityValue::Percent(_) => EntityKind::Percent,
            EntityValue::Date(_) => EntityKind::Date,
            EntityValue::Duration(_) => EntityKind::Duration,
            EntityValue::Number(_) => EntityKind::Number,
            EntityValue::Ordinal(_) => EntityKind::Ordinal,
            EntityValue::Ratio(_) => EntityKind::Ratio,
        }
    }
}

/// The serialized form of an entity: kind, span, then the value's fields.
#[derive(Serialize)]
struct EntityOut<'a> {
    kind: EntityKind,
    text: &'a str,
    start: usize,
    end: usize,
    char_start: usize,
    char_end: usize,
    sentence: usize,
    #[serde(flatten)]
    value: ValueFields<'a>,
}

/// The value's fields without the kind tag.
#[derive(Serialize)]
#[serde(untagged)]
enum ValueFields<'a> {
    Person(&'a Person),
    Place(&'a Place),
    Money(&'a Money),
    Percent(&'a Percent),
    Date(&'a Date),
    Duration(&'a Duration),
    Number(&'a Number),
    Ordinal(&'a Ordinal),
    Ratio(&'a Ratio),
}

impl Serialize for Entity {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = match &self.value {
            EntityValue::Person(v) => ValueFields::Person(v),
            EntityValue::Place(v) => ValueFields::Place(v),
            EntityValue::Money(v) => ValueFields::Money(v),
            EntityValue::Percent(v) => ValueFields::Percent(v),
            EntityValue::Date(v) => ValueFields::Date(v),
            EntityValue::Duration(v) => ValueFields::Duration(v),
            EntityValue::Number(v) => ValueFields::Number(v),
            EntityValue::Ordinal(v) => ValueFields::Ordinal(v),
            EntityValue::Ratio(v) => ValueFields::Ratio(v),
        };
        EntityOut {
            kind: self.kind(),
            text: &self.text,
            start: self.start,
            end: self.end,
            char_start: self.char_start,
            char_end: self.char_end,
            sentence: self.sentence,
            value,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Entity {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Entity, D::Error> {
        #[derive(Deserialize)]
        struct EntityIn {
            text: CompactString,
            start: usize,
            end: usize,
            char_start: usize,
            char_end: usize,
            sentence: usize,
            #[serde(flatten)]
            value: EntityValue,
        }
        let e = EntityIn::deserialize(deserializer)?;
        Ok(Entity {
            text: e.text,
            start: e.start,
            end: e.end,
            char_start: e.char_start,
            char_end: e.char_end,
            sentence: e.sentence,
            value: e.value,
        })
    }
}

/// How a figure relates to the number written: `أكثر من` is `gt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Qualifier {
    /// More than: `أكثر من`, `تزيد عن`, `ما يزيد على`.
    Gt,
    /// Less than: `أقل من`.
    Lt,
    /// About: `حوالي`, `نحو`, `قرابة`, `ما يقرب من`.
    Approx,
    /// At least: `لا يقل عن`.
    Gte,
    /// At most: `لا يزيد عن`.
    Lte,
}

impl Qualifier {
    /// The name in records: `gt`, `lt`, `approx`, `gte`, `lte`.
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::Gt => "gt",
            Qualifier::Lt => "lt",
            Qualifier::Approx => "approx",
            Qualifier::Gte => "gte",
            Qualifier::Lte => "lte",
        }
    }
}

/// A title attached to a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Title {
    /// The title as written (`السكرتير الإقليمي للحزب`).
    pub text: CompactString,
    /// The canonical role key (`party_secretary`).
    pub role: CompactString,
    /// The organisation as written, when one is attached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<CompactString>,
}

/// A person's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Person {
    /// The name alone (`هوانج ترونج دونج`).
    pub name: CompactString,
    /// Unaccented romanisation (`Hoang Trung Dung`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latin: Option<CompactString>,
    /// `السيد`, `الرفيق`, ….
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub honorific: Option<CompactString>,
    /// The titles attached in this mention.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub titles: Vec<Title>,
}

/// A place's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Place {
    /// The name without its cue word (`ها تينه`).
    pub name: CompactString,
    /// Unaccented romanisation (`Ha Tinh`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latin: Option<CompactString>,
    /// `province`, `city`, `district`, `commune`, `country`, ….
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub place_type: Option<CompactString>,
}

/// An amount of money: `amount`, or `from`/`to` for a range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Money {
    /// The exact amount, scale words applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Decimal>,
    /// The low end of a range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Decimal>,
    /// The high end of a range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Decimal>,
    /// ISO 4217 code.
    pub currency: CompactString,
    /// `gt`, `lt`, `approx`, `gte`, `lte`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<Qualifier>,
    /// The unit of a price (`kg` in `25,000 دونج للكيلوغرام`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per: Option<CompactString>,
    /// Set when another reading of the number stays plausible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ambiguous: Option<bool>,
    /// The other reading's amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternative: Option<Decimal>,
}

/// A percentage: `value`, or `from`/`to` for a range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Percent {
    /// The percentage (`8.05`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Decimal>,
    /// The low end of a range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Decimal>,
    /// The high end of a range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Decimal>,
    /// `gt`, `lt`, `approx`, `gte`, `lte`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<Qualifier>,
}

/// A date offset relative to the document's date: `أمس` is a day back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Relative {
    /// `day`, `week`, `month` or `year`.
    pub unit: CompactString,
    /// How many units from the reference date (−1 for `أمس`).
    pub offset: i32,
}

/// A date, a range of dates, or a time of day.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Date {
    /// ISO 8601, as partial as the text: `2023`, `2023-12`, `2023-12-24`, `--12-24`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<CompactString>,
    /// The start of a range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<CompactString>,
    /// The end of a range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<CompactString>,
    /// `morning`, `evening`, `start`, `mid`, `end`, ….
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<CompactString>,
    /// `lunar` or `hijri`; absent for Gregorian.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<CompactString>,
    /// `HH:MM`, 24-hour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<CompactString>,
    /// A relative date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relative: Option<Relative>,
    /// The full date, when a partial value could be resolved from context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved: Option<CompactString>,
    /// Set when the weekday written does not fit the date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekday_mismatch: Option<bool>,
}

/// A length of time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Duration {
    /// ISO 8601 duration: `P5Y`, `PT48H`, `P60Y6M`.
    pub value: CompactString,
    /// `gt` in `أكثر من ساعتين`, ….
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<Qualifier>,
}

/// A quantity: `value`, or `from`/`to` for a range (`ما بين 400 و500 شاحنة`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Number {
    /// The value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Decimal>,
    /// The low end of a range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Decimal>,
    /// The high end of a range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Decimal>,
    /// A unit of measure: `ha`, `km2`, `tonne`, ….
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<CompactString>,
    /// The counted noun without tanween, article or clitics (`مسكن`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counted: Option<CompactString>,
    /// `gt`, `lt`, `approx`, `gte`, `lte`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<Qualifier>,
    /// Set when another reading of the number stays plausible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ambiguous: Option<bool>,
    /// The other reading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternative: Option<Decimal>,
}

/// A rank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Ordinal {
    /// The rank (`15`).
    pub value: u64,
    /// The total it is out of (`63`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub of: Option<u64>,
}

/// A ratio.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Ratio {
    /// The part (`10`).
    pub numerator: Decimal,
    /// The whole (`13`).
    pub denominator: Decimal,
    /// The counted noun (`محلية`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counted: Option<CompactString>,
}

/// A person across the document: every mention merged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PersonSummary {
    /// The fullest form of the name.
    pub name: CompactString,
    /// Unaccented romanisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latin: Option<CompactString>,
    /// Every title of every mention, once each.
    pub titles: Vec<Title>,
    /// Indexes into the document's `entities`.
    pub mentions: Vec<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money() -> Entity {
        Entity {
            text: "17500 مليار دونج".into(),
            start: 10,
            end: 40,
            char_start: 5,
            char_end: 21,
            sentence: 7,
            value: EntityValue::Money(Money {
                amount: Some(Decimal::from_int(17_500_000_000_000)),
                from: None,
                to: None,
                currency: "VND".into(),
                qualifier: Some(Qualifier::Gt),
                per: None,
                ambiguous: None,
                alternative: None,
            }),
        }
    }

    #[test]
    fn entity_json_has_kind_span_then_value() {
        let json = serde_json::to_string(&money()).unwrap();
        assert_eq!(
            json,
            r#"{"kind":"money","text":"17500 مليار دونج","start":10,"end":40,"char_start":5,"char_end":21,"sentence":7,"amount":17500000000000,"currency":"VND","qualifier":"gt"}"#
        );
    }

    #[test]
    fn entity_json_round_trips() {
        let e = money();
        let back: Entity = serde_json::from_str(&serde_json::to_string(&e).unwrap()).unwrap();
        assert_eq!(back, e);
    }

    #[test]
    fn kinds_have_stable_names() {
        for kind in EntityKind::ALL {
            assert_eq!(EntityKind::parse(kind.as_str()), Some(kind));
            assert_eq!(
                serde_json::to_string(&kind).unwrap(),
                format!("\"{}\"", kind.as_str())
            );
        }
        for qualifier in [
            Qualifier::Gt,
            Qualifier::Lt,
            Qualifier::Approx,
            Qualifier::Gte,
            Qualifier::Lte,
        ] {
            assert_eq!(
                serde_json::to_string(&qualifier).unwrap(),
                format!("\"{}\"", qualifier.as_str())
            );
        }
    }
}

//! # akhbar
//!
//! Reads Arabic news articles — mostly machine-translated Vietnamese news — and
//! turns them into structured records: tokens, sentences, named officials with
//! their titles, numbers, percentages, ratios, ranks, dates and money amounts,
//! each with exact offsets into the original text and a normalised value.
//!
//! The crate is layered, and data flows one way through the layers:
//!
//! | layer | module |
//! | --- | --- |
//! | normal form with a map back to the original offsets | [`text`] |
//! | tokens with clitic analysis | [`token`], [`clitic`] |
//! | sentences, site chrome and byline | [`sentence`], [`chrome`] |
//! | the analysed document every extractor reads | [`Analysis`] |
//! | one extractor per entity family | [`extract`] |
//! | the record (the JSON contract) | [`record`], [`Decimal`] |
//! | reading inputs (files, JSON Lines, archives) and writing records in batches | [`input`], [`sources`], [`batch`] |
//! | accuracy against gold files | [`eval`] |
//!
//! ```
//! use akhbar::{Akhbar, Options, input::InputText};
//! let akhbar = Akhbar::new();
//! let text = InputText::new("doc-1", "doc-1.txt", "بلغ النمو 8.05٪.\nثو ها\nمصدر\nتعليق (0)".into());
//! let doc = akhbar.document(&text, &Options::default());
//! assert_eq!(doc.byline.as_deref(), Some("ثو ها"));
//! assert_eq!(doc.stats.sentences, 1);
//! ```

#![warn(missing_docs)]
// One reviewed exception: `input::decode`, after simdutf8 validates.
#![deny(unsafe_code)]

pub mod analysis;
pub mod batch;
pub mod chrome;
pub mod clitic;
pub mod decimal;
pub mod eval;
pub mod extract;
pub mod input;
pub mod lexicon;
pub mod record;
pub mod sentence;
pub mod sources;
pub mod text;
pub mod token;

pub use analysis::Analysis;
pub use decimal::Decimal;
pub use record::{Document, Entity, EntityKind, EntityValue, Record};

use extract::Extractor;
use input::InputText;
use record::{PersonSummary, SentenceSpan, Stats};
use rustc_hash::FxHashMap;

/// What to put in a record beyond the defaults.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Options {
    /// Add the tokens to each record.
    pub tokens: bool,
    /// What "today" is for relative dates (`أمس`) and dates without a year; a
    /// document's own date, when it has one, comes first.
    pub reference_date: Option<extract::dates::ReferenceDate>,
}

impl Options {
    /// Options with a reference date for relative and partial dates.
    pub fn with_reference_date(mut self, date: Option<extract::dates::ReferenceDate>) -> Options {
        self.reference_date = date;
        self
    }

    /// Options with tokens in the records.
    pub fn with_tokens(mut self, tokens: bool) -> Options {
        self.tokens = tokens;
        self
    }
}

/// The extraction pipeline: the analysis layers and the extractors.
pub struct Akhbar {
    extractors: Vec<Box<dyn Extractor>>,
}

impl Default for Akhbar {
    fn default() -> Self {
        Akhbar::new()
    }
}

impl std::fmt::Debug for Akhbar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Akhbar")
            .field("kinds", &self.kinds())
            .finish()
    }
}

impl Akhbar {
    /// The pipeline with the default extractors.
    pub fn new() -> Akhbar {
        Akhbar {
            extractors: extract::default_extractors(),
        }
    }

    /// A pipeline with the given extractors only.
    pub fn with_extractors(extractors: Vec<Box<dyn Extractor>>) -> Akhbar {
        Akhbar { extractors }
    }

    /// The entity kinds some extractor produces.
    pub fn kinds(&self) -> Vec<EntityKind> {
        let mut kinds: Vec<EntityKind> = self
            .extractors
            .iter()
            .flat_map(|e| e.kinds().iter().copied())
            .collect();
        kinds.sort();
        kinds.dedup();
        kinds
    }

    /// Runs the extractors over an analysed document; entities in text order.
    ///
    /// Where entities of different extractors overlap, a `number` gives way to
    /// any other kind (a number inside a money amount or a date is not reported
    /// again), and otherwise the longer span wins (`الربع الأول من عام 2024` is a
    /// date, not the ordinal `الأول`).
    pub fn entities(&self, doc: &Analysis<'_>) -> Vec<Entity> {
        // The genre has about one entity per seven or eight tokens: reserve that
        // for each extractor rather than grow a vector of large records by
        // doubling (memory not written to costs nothing).
        let runs = self
            .extractors
            .iter()
            .map(|extractor| {
                let mut run = Vec::with_capacity(doc.tokens().len() / 8);
                extractor.extract(doc, &mut run);
                run
            })
            .collect();
        resolve_overlaps(runs)
    }

    /// Analyses one text and builds its record.
    pub fn document(&self, input: &InputText, options: &Options) -> Document {
        let doc = Analysis::new(&input.text);
        let mut entities = self.entities(&doc);
        extract::dates::resolve(
            &mut entities,
            input.reference_date.or(options.reference_date),
        );
        let persons = summarize_persons(&entities);
        Document {
            id: input.id.clone(),
            source: input.source.clone(),
            lang: "ar".to_string(),
            stats: Stats {
                bytes: input.text.len(),
                chars: doc.char_count(),
                tokens: doc.tokens().len(),
                sentences: doc.sentences().len(),
            },
            sentences: doc
                .sentences()
                .iter()
                .map(|s| SentenceSpan {
                    start: s.start,
                    end: s.end,
                })
                .collect(),
            entities,
            persons,
            byline: doc.byline().map(str::to_string),
            warnings: input.warnings.clone(),
            tokens: options.tokens.then(|| doc.token_records()),
        }
    }
}

/// Puts the entities of `runs` (one run per extractor) in text order (by
/// start, the longer first; on a tie, the earlier run and the earlier in its
/// run first) and drops the weaker of overlapping ones (see
/// [`Akhbar::entities`]).
///
/// Entities are large records, and each move of one is a call to `memcpy`:
/// each extractor finds its entities in text order, so the runs are merged,
/// each kept entity moved once from its run into the result. A run out of
/// order is sorted first. The runs are merged [`MERGED_RUNS`] side by side,
/// so that finding the next entity is a few comparisons without a loop; the
/// runs past those (a pipeline of more extractors than the default three) are
/// put together into the last one, whose sort keeps their order on a tie.
fn resolve_overlaps(mut runs: Vec<Vec<Entity>>) -> Vec<Entity> {
    let strength = |e: &Entity| (e.kind() != EntityKind::Number, e.end - e.start);
    if runs.len() > MERGED_RUNS {
        let rest: Vec<Entity> = runs.drain(MERGED_RUNS - 1..).flatten().collect();
        runs.push(rest);
    }
    runs.resize_with(MERGED_RUNS, Vec::new);
    for run in &mut runs {
        if !run.is_sorted_by_key(order_key) {
            run.sort_by_key(order_key);
        }
    }
    // The order of a run's next entity, `u64::MAX` once the run is spent
    // (no entity's key: its end would come before its start).
    let head =
        |run: &std::vec::IntoIter<Entity>| run.as_slice().first().map_or(u64::MAX, order_key);
    let mut kept: Vec<Entity> = Vec::with_capacity(runs.iter().map(Vec::len).sum());
    let mut runs: [std::vec::IntoIter<Entity>; MERGED_RUNS] = runs
        .into_iter()
        .map(Vec::into_iter)
        .collect::<Vec<_>>()
        .try_into()
        .expect("as many runs as are merged");
    let mut heads: [u64; MERGED_RUNS] = std::array::from_fn(|r| head(&runs[r]));
    loop {
        // The run whose next entity comes first; the earlier run on a tie.
        let (r, first) = heads
            .iter()
            .enumerate()
            .fold(
                (0, u64::MAX),
                |(r, min), (q, &key)| if key < min { (q, key) } else { (r, min) },
            );
        if first == u64::MAX {
            return kept;
        }
        let run = &mut runs[r];
        let e = &run.as_slice()[0];
        let keep = match kept.last() {
            Some(last) if last.end > e.start => {
                let stronger = strength(e) > strength(last);
                if stronger {
                    kept.pop();
                }
                stronger
            }
            _ => true,
        };
        if keep {
            // Taken by `extend`, which makes room before it reads the entity:
            // one copy from the run into the result.
            kept.extend(run.by_ref().take(1));
        } else {
            run.next();
        }
        heads[r] = head(run);
    }
}

/// How many runs [`resolve_overlaps`] merges side by side: the default
/// pipeline has three extractors.
const MERGED_RUNS: usize = 4;

/// The text order of an entity in one number, for the merge of
/// [`resolve_overlaps`] to compare: its start, then its end reversed (the
/// longer first). The offsets of a document fit in 32 bits
/// ([`input::MAX_DOCUMENT_BYTES`], and tokens hold them so).
#[inline]
fn order_key(e: &Entity) -> u64 {
    debug_assert!(e.start <= e.end && e.end <= u32::MAX as usize, "{e:?}");
    (e.start as u64) << 32 | u64::from(!(e.end as u32))
}

/// Merges person mentions into persons: mentions with the same normalised name
/// are one person, and a one-word mention (`السيد هونغ`, `رئيس الوزراء كيشيدا`)
/// joins the one full name that contains that word, when exactly one does.
///
/// An article names a few persons many times: the work is done once per
/// distinct name, and each mention costs one lookup of its name; a name's key
/// and the key's words are worked out once per thread and numbered there
/// ([`KnownNames`]), so that the document's tables of keys and words are of
/// numbers. A mention allocates nothing but the titles it adds: the tables
/// are sized once, and each person's name, Latin form and list of mentions
/// are made once, when all its mentions are known.
fn summarize_persons(entities: &[Entity]) -> Vec<PersonSummary> {
    KNOWN_NAMES.with_borrow_mut(|known| {
        known.start_document();
        summarize_known(&person_mentions(entities), known)
    })
}

/// [`summarize_persons`] of the person mentions `people`, their names
/// looked up in `known`.
fn summarize_known(
    people: &[(usize, &record::Person)],
    known: &mut KnownNames,
) -> Vec<PersonSummary> {
    // Each distinct name, numbered in order of first mention, as the index
    // of its facts in `known`.
    let mut name_ids: FxHashMap<&str, usize> = sized_map(people.len());
    let mut names: Vec<usize> = Vec::with_capacity(people.len());
    let mention_names: Vec<usize> = people
        .iter()
        .map(|(_, p)| {
            *name_ids.entry(&p.name).or_insert_with(|| {
                names.push(known.look_up(&p.name));
                names.len() - 1
            })
        })
        .collect();
    let names: Vec<&NameFacts> = names.into_iter().map(|at| &known.facts[at]).collect();
    // Each distinct key, numbered likewise (two names can share one), with
    // the numbers of its words.
    let mut key_ids: FxHashMap<u32, usize> = sized_map(names.len());
    let mut keys: Vec<&[u32]> = Vec::with_capacity(names.len());
    let name_keys: Vec<usize> = names
        .iter()
        .map(|name| {
            *key_ids.entry(name.key).or_insert_with(|| {
                keys.push(&name.key_words);
                keys.len() - 1
            })
        })
        .collect();
    // Each word of a full name (of two words or more), with that name when
    // it is the only full name the word belongs to (`None` when two or more
    // share it: a one-word mention of it stays on its own). Most full names
    // have three words.
    let mut full_names: FxHashMap<u32, Option<usize>> = sized_map(3 * keys.len());
    for (id, words) in keys.iter().enumerate() {
        if words.len() < 2 {
            continue;
        }
        for &word in words.iter() {
            full_names
                .entry(word)
                .and_modify(|one| {
                    if *one != Some(id) {
                        *one = None;
                    }
                })
                .or_insert(Some(id));
        }
    }
    // The person each key stands for: a one-word key joins its full name.
    let joined: Vec<usize> = keys
        .iter()
        .enumerate()
        .map(|(id, words)| match words {
            [word] => match full_names.get(word) {
                Some(&Some(one)) => one,
                _ => id,
            },
            _ => id,
        })
        .collect();
    // The person of each mention, numbered in order of first mention
    // (`person_of[key]`), and what each person gathers.
    let mut person_of: Vec<Option<usize>> = vec![None; keys.len()];
    let mut persons: Vec<Gathered> = Vec::new();
    let mention_persons: Vec<usize> = mention_names
        .iter()
        .enumerate()
        .map(|(mention, &name)| {
            let words = names[name].words;
            let at = *person_of[joined[name_keys[name]]].get_or_insert_with(|| {
                persons.push(Gathered {
                    fullest: mention,
                    words,
                    mentions: 0,
                });
                persons.len() - 1
            });
            let person = &mut persons[at];
            // The fullest form of the name wins; the first of them on a tie.
            if words > person.words {
                person.fullest = mention;
                person.words = words;
            }
            person.mentions += 1;
            at
        })
        .collect();
    let mut summaries: Vec<PersonSummary> = persons
        .iter()
        .map(|person| {
            let fullest = people[person.fullest].1;
            PersonSummary {
                name: fullest.name.clone(),
                latin: fullest.latin.clone(),
                titles: Vec::new(),
                mentions: Vec::with_capacity(person.mentions),
            }
        })
        .collect();
    for (&(index, p), at) in people.iter().zip(mention_persons) {
        add_mention(&mut summaries[at], index, p);
    }
    summaries
}

/// What [`summarize_persons`] gathers of a person before it writes the
/// summary: the mention with the fullest form of the name (by index into the
/// person mentions), its word count, and how many mentions there are.
struct Gathered {
    fullest: usize,
    words: usize,
    mentions: usize,
}

/// The names of persons met on this thread, each with what
/// [`summarize_persons`] reads of it: articles name the same officials again
/// and again, and a name's key ([`push_name_key`]) costs a normalisation (a
/// few hundred instructions and allocations) where a lookup costs a few
/// dozen. The keys and their words are numbered, so that a document's tables
/// of them hash and compare numbers. Up to [`KnownNames::KEPT`] names are
/// kept; then the table starts over, between two documents, so that the
/// numbers hold through a document.
#[derive(Default)]
struct KnownNames {
    /// Each name's index in `facts`, by the name.
    by_name: FxHashMap<Box<str>, usize>,
    facts: Vec<NameFacts>,
    /// The number of each key.
    keys: FxHashMap<Box<str>, u32>,
    /// The number of each word of a key.
    words: FxHashMap<Box<str>, u32>,
}

/// What [`summarize_persons`] reads of a name ([`KnownNames`]).
struct NameFacts {
    /// The number of its key.
    key: u32,
    /// The numbers of its key's words, in order.
    key_words: Box<[u32]>,
    /// The number of words of the name itself ([`word_count`]).
    words: usize,
}

impl KnownNames {
    /// The most names kept.
    const KEPT: usize = 1 << 14;

    /// Starts over if more than [`KnownNames::KEPT`] names are kept: called
    /// before a document's names are looked up.
    fn start_document(&mut self) {
        if self.facts.len() > Self::KEPT {
            *self = KnownNames::default();
        }
    }

    /// The index in `facts` of the facts of `name`: from the table, or
    /// worked out and remembered.
    fn look_up(&mut self, name: &str) -> usize {
        if let Some(&at) = self.by_name.get(name) {
            return at;
        }
        let mut key = String::new();
        push_name_key(&mut key, name);
        let key_words = key
            .split_whitespace()
            .map(|word| number(&mut self.words, word))
            .collect();
        self.facts.push(NameFacts {
            key: number(&mut self.keys, &key),
            key_words,
            words: word_count(name),
        });
        self.by_name.insert(name.into(), self.facts.len() - 1);
        self.facts.len() - 1
    }
}

/// The number of `s` in `numbers`, given it (the next number) the first
/// time.
fn number(numbers: &mut FxHashMap<Box<str>, u32>, s: &str) -> u32 {
    if let Some(&n) = numbers.get(s) {
        return n;
    }
    let n = u32::try_from(numbers.len()).expect("fewer than 2^32 keys and words");
    numbers.insert(s.into(), n);
    n
}

thread_local! {
    /// This thread's [`KnownNames`].
    static KNOWN_NAMES: std::cell::RefCell<KnownNames> = std::cell::RefCell::default();
}

/// An empty map with room for `len` entries, so that it is not grown.
fn sized_map<K, V>(len: usize) -> FxHashMap<K, V> {
    FxHashMap::with_capacity_and_hasher(len, Default::default())
}

/// The person mentions among `entities`, with their indices.
fn person_mentions(entities: &[Entity]) -> Vec<(usize, &record::Person)> {
    entities
        .iter()
        .enumerate()
        .filter_map(|(i, e)| match &e.value {
            EntityValue::Person(p) => Some((i, p)),
            _ => None,
        })
        .collect()
}

/// Appends the key of a name to `keys`: its normal form, words joined by one
/// space (`نجوين فان  أ` → `نجوين فان ا`).
fn push_name_key(keys: &mut String, name: &str) {
    let normal = text::NormalizedText::new(name);
    for (i, word) in normal.as_str().split_whitespace().enumerate() {
        if i > 0 {
            keys.push(' ');
        }
        keys.push_str(word);
    }
}

/// The words of `name`, as `name.split_whitespace().count()` counts them,
/// without decoding its characters.
///
/// A word starts at each byte above the space that follows one at or below it
/// (or starts the name): that is where `split_whitespace` parts words, unless
/// the name holds a control character that is not whitespace (below the
/// space, but for the tab, the line feed, the vertical tab, the form feed and
/// the carriage return), or a character that may be a Unicode space (U+0085,
/// U+00A0, U+1680, U+2000 to U+205F, U+3000), whose UTF-8 forms start with
/// 0xC2, 0xE1, 0xE2 or 0xE3: a name with one of those bytes is counted the
/// Unicode way. No Arabic letter starts with one. Both passes are over bytes
/// without a branch, which the compiler vectorizes.
fn word_count(name: &str) -> usize {
    let bytes = name.as_bytes();
    // Tests without `&&` or ranges, which would make branches.
    let unicode_way = bytes.iter().fold(0u8, |any, &b| {
        any | u8::from(b < 0x09)
            | u8::from(b.wrapping_sub(0x0E) < 0x12)
            | u8::from(b == 0xC2)
            | u8::from(b.wrapping_sub(0xE1) < 3)
    });
    if unicode_way != 0 {
        return name.split_whitespace().count();
    }
    // The starts after the first byte, counted in bytes by chunks that
    // cannot overflow one.
    let (before, at) = (bytes, bytes.get(1..).unwrap_or_default());
    let starts: usize = before
        .chunks(255)
        .zip(at.chunks(255))
        .map(|(before, at)| {
            let starts = before.iter().zip(at).fold(0u8, |n, (&before, &b)| {
                n + u8::from(before <= b' ') * u8::from(b > b' ')
            });
            usize::from(starts)
        })
        .sum();
    starts + usize::from(bytes.first().is_some_and(|&b| b > b' '))
}

/// Adds mention `index` (`p`) to `summary`, with each of its titles the
/// summary does not hold yet (the same role of the same organisation).
fn add_mention(summary: &mut PersonSummary, index: usize, p: &record::Person) {
    summary.mentions.push(index);
    for title in &p.titles {
        if !summary
            .titles
            .iter()
            .any(|t| t.role == title.role && t.org == title.org)
        {
            summary.titles.push(title.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use record::{Date, Number, Ordinal};

    fn entity(start: usize, end: usize, value: EntityValue) -> Entity {
        Entity {
            text: "x".repeat(end - start).into(),
            start,
            end,
            char_start: start,
            char_end: end,
            sentence: 0,
            value,
        }
    }

    #[test]
    fn word_counts_are_those_of_split_whitespace() {
        let mut texts = text::corpus_texts();
        // Every whitespace character, others that share their first byte, and
        // the control characters.
        for c in (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .chain(['\u{a9}', '\u{1681}', '\u{2010}', '\u{3001}'])
            .chain((0..0x20).map(char::from))
        {
            texts.push(format!("{c}هوانج{c}ترونج {c}{c}دونج{c}"));
            texts.push(format!("نجوين{c}"));
        }
        let mut names = 0;
        for text in &texts {
            // Each line and the whole text, and each run of up to four pieces
            // of a line between spaces, as names of persons run.
            let mut candidates: Vec<String> = vec![text.clone()];
            for line in text.lines() {
                candidates.push(line.to_string());
                let pieces: Vec<&str> = line.split(' ').collect();
                for n in 1..=4 {
                    candidates.extend(pieces.windows(n).map(|w| w.join(" ")));
                }
            }
            for name in &candidates {
                assert_eq!(
                    word_count(name),
                    name.split_whitespace().count(),
                    "{name:?}"
                );
                names += 1;
            }
        }
        assert!(names > 50_000, "{names} names");
    }

    fn number(start: usize, end: usize) -> Entity {
        entity(
            start,
            end,
            EntityValue::Number(Number {
                value: Some(Decimal::from_int(1)),
                ..Number::default()
            }),
        )
    }

    fn person(start: usize, name: &str) -> Entity {
        entity(
            start,
            start + name.len(),
            EntityValue::Person(record::Person {
                name: name.into(),
                latin: None,
                honorific: None,
                titles: Vec::new(),
            }),
        )
    }

    /// Every string of `value`, and the names of its fields.
    fn value_strings(value: &EntityValue) -> Vec<(&'static str, &record::CompactString)> {
        let mut strings = Vec::new();
        let mut add = |name, s: Option<_>| strings.extend(s.map(|s| (name, s)));
        match value {
            EntityValue::Person(p) => {
                add("name", Some(&p.name));
                add("latin", p.latin.as_ref());
                add("honorific", p.honorific.as_ref());
                for t in &p.titles {
                    add("title text", Some(&t.text));
                    add("role", Some(&t.role));
                    add("org", t.org.as_ref());
                }
            }
            EntityValue::Place(p) => {
                add("name", Some(&p.name));
                add("latin", p.latin.as_ref());
                add("type", p.place_type.as_ref());
            }
            EntityValue::Money(m) => {
                add("currency", Some(&m.currency));
                add("per", m.per.as_ref());
            }
            EntityValue::Date(d) => {
                for (name, s) in [
                    ("value", &d.value),
                    ("from", &d.from),
                    ("to", &d.to),
                    ("part", &d.part),
                    ("calendar", &d.calendar),
                    ("time", &d.time),
                    ("resolved", &d.resolved),
                ] {
                    add(name, s.as_ref());
                }
                add("relative unit", d.relative.as_ref().map(|r| &r.unit));
            }
            EntityValue::Duration(d) => add("value", Some(&d.value)),
            EntityValue::Number(n) => {
                add("unit", n.unit.as_ref());
                add("counted", n.counted.as_ref());
            }
            EntityValue::Ratio(r) => add("counted", r.counted.as_ref()),
            EntityValue::Percent(_) | EntityValue::Ordinal(_) => {}
        }
        strings
    }

    #[test]
    fn short_strings_of_entities_are_kept_inline() {
        // The record's strings are `CompactString`s so that a batch does not
        // allocate for each entity: one of up to 24 bytes is kept inline.
        // Made with room for more (`with_capacity`), it would be on the heap
        // however short.
        let akhbar = Akhbar::new();
        let options = Options::default().with_reference_date("2024-05-01".parse().ok());
        let mut short = 0;
        for text in text::corpus_texts() {
            let doc = akhbar.document(&InputText::new("doc", "doc", text), &options);
            for e in &doc.entities {
                let mut strings = value_strings(&e.value);
                strings.push(("text", &e.text));
                for (field, s) in strings {
                    if s.len() <= 24 {
                        assert!(!s.is_heap_allocated(), "{field} {s:?} of {e:?}");
                        short += 1;
                    }
                }
            }
        }
        assert!(short > 4000, "{short} short strings");
    }

    #[test]
    fn known_names_number_their_keys_and_words() {
        // Every person's name in the corpus, met in two documents (worked
        // out, then read from the table): each number stands for one key or
        // one word and each key or word has one number, the key's words are
        // those of `name_key`, and the word count is the name's.
        let akhbar = Akhbar::new();
        let mut names: Vec<String> = Vec::new();
        for text in text::corpus_texts() {
            for e in akhbar.entities(&Analysis::new(&text)) {
                if let EntityValue::Person(p) = e.value {
                    names.push(p.name.into());
                }
            }
        }
        assert!(names.len() > 100, "{} names", names.len());
        names.extend(["", " ", "هوانج  ترونج\tدونج", "دونج"].map(String::from));
        let mut known = KnownNames::default();
        let mut keys = Numbered::default();
        let mut words = Numbered::default();
        for _ in 0..2 {
            known.start_document();
            for name in &names {
                let at = known.look_up(name);
                let facts = &known.facts[at];
                let key = name_key(name);
                keys.check(facts.key, &key);
                let key_words: Vec<&str> = key.split_whitespace().collect();
                assert_eq!(facts.key_words.len(), key_words.len(), "{name:?}");
                for (&n, word) in facts.key_words.iter().zip(key_words) {
                    words.check(n, word);
                }
                assert_eq!(facts.words, name.split_whitespace().count(), "{name:?}");
            }
        }
        // Past `KEPT` names, the next document starts over.
        for n in 0..=KnownNames::KEPT {
            known.look_up(&format!("نجوين أ{n}"));
        }
        known.start_document();
        assert!(known.facts.is_empty() && known.by_name.is_empty());
    }

    /// Numbers and the strings they were given to, both ways.
    #[derive(Default)]
    struct Numbered {
        by_number: FxHashMap<u32, String>,
        by_string: FxHashMap<String, u32>,
    }

    impl Numbered {
        /// Checks that `n` stands for `s` alone, and `s` has `n` alone.
        fn check(&mut self, n: u32, s: &str) {
            assert_eq!(self.by_number.entry(n).or_insert_with(|| s.into()), s);
            assert_eq!(*self.by_string.entry(s.into()).or_insert(n), n, "{s:?}");
        }
    }

    #[test]
    fn a_one_word_mention_joins_the_one_full_name_it_fits() {
        let entities = [
            person(0, "هوانج ترونج دونج"),
            person(100, "تران ذا دونج"),
            person(200, "هوانج"),
            person(300, "دونج"),
            person(400, "هوانج ترونج دونج"),
        ];
        let persons = summarize_persons(&entities);
        let summary: Vec<(&str, &[usize])> = persons
            .iter()
            .map(|p| (p.name.as_str(), p.mentions.as_slice()))
            .collect();
        // `هوانج` fits one full name; `دونج` fits two and stays on its own.
        assert_eq!(
            summary,
            [
                ("هوانج ترونج دونج", &[0, 2, 4][..]),
                ("تران ذا دونج", &[1][..]),
                ("دونج", &[3][..]),
            ]
        );
    }

    /// The key of a name: its normal form, words joined by one space.
    fn name_key(name: &str) -> String {
        text::NormalizedText::new(name)
            .as_str()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// A person's summary as its first mention `p` opens it: the name and its
    /// Latin form, no titles or mentions yet.
    fn first_mention(p: &record::Person) -> PersonSummary {
        PersonSummary {
            name: p.name.clone(),
            latin: p.latin.clone(),
            titles: Vec::new(),
            mentions: Vec::new(),
        }
    }

    /// Persons merged mention by mention, as `summarize_persons` did before it
    /// worked once per distinct name.
    fn summarized_by_mention(entities: &[Entity]) -> Vec<PersonSummary> {
        let key_of = |p: &record::Person| name_key(&p.name);
        let people = person_mentions(entities);
        let mut full_names: FxHashMap<String, Option<String>> = FxHashMap::default();
        let mut seen_full: Vec<String> = Vec::new();
        for (_, p) in &people {
            let key = key_of(p);
            if !key.contains(' ') || seen_full.contains(&key) {
                continue;
            }
            seen_full.push(key.clone());
            let mut words: Vec<&str> = key.split(' ').collect();
            words.sort_unstable();
            words.dedup();
            for word in words {
                full_names
                    .entry(word.to_string())
                    .and_modify(|one| *one = None)
                    .or_insert_with(|| Some(key.clone()));
            }
        }
        let mut persons: Vec<(String, PersonSummary)> = Vec::new();
        for (index, p) in people {
            let mut key = key_of(p);
            if let Some(Some(one)) = full_names.get(&key).filter(|_| !key.contains(' ')) {
                key = one.clone();
            }
            let at = match persons.iter().position(|(k, _)| *k == key) {
                Some(at) => at,
                None => {
                    persons.push((key, first_mention(p)));
                    persons.len() - 1
                }
            };
            let summary = &mut persons[at].1;
            if p.name.split_whitespace().count() > summary.name.split_whitespace().count() {
                summary.name = p.name.clone();
                summary.latin = p.latin.clone();
            }
            add_mention(summary, index, p);
        }
        persons.into_iter().map(|(_, p)| p).collect()
    }

    #[test]
    fn persons_merge_as_mention_by_mention() {
        let akhbar = Akhbar::new();
        let mut merged = 0;
        for dir in ["corpus/dev", "corpus/test"] {
            for entry in std::fs::read_dir(dir).expect("corpus") {
                let path = entry.expect("entry").path();
                if path.extension().is_none_or(|e| e != "txt") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).expect("UTF-8 text");
                let entities = akhbar.entities(&Analysis::new(&text));
                let persons = summarize_persons(&entities);
                assert_eq!(persons, summarized_by_mention(&entities), "{path:?}");
                merged += persons.iter().filter(|p| p.mentions.len() > 1).count();
            }
        }
        assert!(merged > 0, "no person named twice in the corpus");
        // Names that share words, repeat one, or differ only in spacing.
        let entities = [
            person(0, "هوانج ترونج دونج"),
            person(100, "دونج دونج"),
            person(200, "دونج"),
            person(300, "هوانج  ترونج\tدونج"),
            person(400, "ترونج"),
            person(500, "هوانج"),
            person(600, "لي"),
            person(700, "لي"),
        ];
        assert_eq!(
            summarize_persons(&entities),
            summarized_by_mention(&entities)
        );
    }

    #[test]
    fn overlaps_keep_the_stronger_entity() {
        let date = entity(0, 12, EntityValue::Date(Date::default()));
        let ordinal = entity(6, 9, EntityValue::Ordinal(Ordinal { value: 1, of: None }));
        let kept = resolve_overlaps(vec![vec![ordinal, number(20, 25), date.clone()]]);
        assert_eq!(kept, [date, number(20, 25)]);
        // A number gives way to any other kind, even a shorter one.
        let short_date = entity(3, 6, EntityValue::Date(Date::default()));
        assert_eq!(
            resolve_overlaps(vec![vec![number(0, 10)], vec![short_date.clone()]]),
            [short_date]
        );
    }

    /// Overlaps resolved on the extractors' entities put together, sorted by
    /// their keys: what `resolve_overlaps` did before it merged runs.
    fn resolved_by_sort(entities: Vec<Entity>) -> Vec<Entity> {
        let strength = |e: &Entity| (e.kind() != EntityKind::Number, e.end - e.start);
        let mut order: Vec<(usize, std::cmp::Reverse<usize>, usize)> = entities
            .iter()
            .enumerate()
            .map(|(i, e)| (e.start, std::cmp::Reverse(e.end), i))
            .collect();
        order.sort();
        let mut kept: Vec<usize> = Vec::new();
        for (_, _, i) in order {
            match kept.last() {
                Some(&last) if entities[last].end > entities[i].start => {
                    if strength(&entities[i]) > strength(&entities[last]) {
                        kept.pop();
                        kept.push(i);
                    }
                }
                _ => kept.push(i),
            }
        }
        kept.into_iter().map(|i| entities[i].clone()).collect()
    }

    #[test]
    fn merged_runs_resolve_as_one_sorted_vector() {
        let akhbar = Akhbar::new();
        let (mut entities, mut dropped) = (0, 0);
        for text in text::corpus_texts() {
            let doc = Analysis::new(&text);
            let runs: Vec<Vec<Entity>> = akhbar
                .extractors
                .iter()
                .map(|extractor| {
                    let mut run = Vec::new();
                    extractor.extract(&doc, &mut run);
                    run
                })
                .collect();
            let together = runs.concat();
            let kept = resolve_overlaps(runs);
            assert_eq!(kept, resolved_by_sort(together.clone()));
            entities += together.len();
            dropped += together.len() - kept.len();
        }
        assert!(entities > 1000 && dropped > 0, "{entities} {dropped}");
        // Runs out of order, ties between runs and within one, and a stronger
        // entity that ends a run of weaker ones.
        let runs = vec![
            vec![number(30, 40), number(0, 4), number(0, 4), number(10, 12)],
            vec![
                entity(10, 12, EntityValue::Date(Date::default())),
                entity(0, 4, EntityValue::Date(Date::default())),
            ],
            vec![number(0, 8), number(9, 20), number(30, 40)],
        ];
        assert_eq!(
            resolve_overlaps(runs.clone()),
            resolved_by_sort(runs.concat())
        );
        // More runs than are merged side by side, with ties between the
        // runs put together; and no run at all.
        let mut more = runs.clone();
        more.extend(runs.iter().rev().cloned());
        more.push(vec![entity(10, 12, EntityValue::Date(Date::default()))]);
        assert!(more.len() > MERGED_RUNS);
        assert_eq!(
            resolve_overlaps(more.clone()),
            resolved_by_sort(more.concat())
        );
        assert_eq!(resolve_overlaps(Vec::new()), []);
    }
}

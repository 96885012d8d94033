//! Extractors: one module per entity family, each reading the token stream of an
//! [`Analysis`] once and appending entities.
//!
//! An extractor never sees raw bytes: it works on tokens (their normal forms,
//! stems and kinds) and builds entities with [`Analysis::entity`], which fills in
//! the exact text, byte and character offsets and the sentence index. Tokens in
//! the site chrome are not offered ([`Analysis::body_tokens`]).
//!
//! Speed comes from not asking: each token's forms are looked up once per
//! document in a table of every word that starts an entry of the gated
//! lexicons (`features`), and an extractor tests that bit before it consults a
//! lexicon; every lexicon also keeps a [`Sketch`](crate::lexicon::Sketch) that
//! turns most misses away before hashing.

pub mod dates;
mod features;
pub mod figures;
pub mod numbers;
pub mod persons;

use std::cell::Cell;
use std::sync::LazyLock;

use crate::analysis::Analysis;
use crate::lexicon::{records, PhraseTable};
use crate::record::{Entity, EntityKind, Qualifier};
use crate::token::{Token, TokenKind};

/// Finds the entities of some kinds in an analysed document.
pub trait Extractor: Send + Sync {
    /// The kinds this extractor produces.
    fn kinds(&self) -> &'static [EntityKind];

    /// Appends the entities found in `doc` to `out`, in any order.
    fn extract(&self, doc: &Analysis<'_>, out: &mut Vec<Entity>);
}

/// The extractors akhbar runs by default.
pub fn default_extractors() -> Vec<Box<dyn Extractor>> {
    vec![
        Box::new(figures::Figures),
        Box::new(dates::Dates),
        Box::new(persons::Persons),
    ]
}

/// The body tokens of a document as extractors read them, by index: normal
/// form, bare form (without conjunction or preposition) and stem, with every
/// index past the body reading as nothing.
#[derive(Clone, Copy)]
pub(crate) struct TokenView<'d, 'a> {
    pub(crate) doc: &'d Analysis<'a>,
    pub(crate) tokens: &'d [Token],
    pub(crate) limit: usize,
    /// The body tokens (`tokens` up to `limit`): one bounds check tells a
    /// body token from one past the body and reaches it.
    body: &'d [Token],
    /// Per body token, the lexicons each of its forms starts ([`features`]);
    /// as long as `body`.
    lexical: &'d [u64],
    /// The number each body token starts.
    numbers: &'d numbers::NumberMemo,
    /// The rest of the document's facts: where each scan stops.
    facts: &'d DocFacts,
}

impl<'d, 'a> TokenView<'d, 'a> {
    /// The body of `doc`.
    pub(crate) fn new(doc: &'d Analysis<'a>) -> Self {
        let facts = DocFacts::of(doc);
        TokenView {
            doc,
            tokens: doc.tokens(),
            limit: doc.body_tokens().len(),
            body: doc.body_tokens(),
            lexical: &facts.lexical,
            numbers: &facts.numbers,
            facts,
        }
    }

    /// Whether token `k`'s `form` starts an entry of lexicon `lex` (false past
    /// the body): the gate before a lookup in that lexicon.
    #[inline]
    pub(crate) fn has(&self, k: usize, form: features::Form, lex: features::Lex) -> bool {
        self.has_mask(k, features::in_form(form, lex))
    }

    /// The body tokens where a figure can start, in order
    /// ([`DocFacts::figure_starts`]).
    #[inline]
    pub(crate) fn figure_starts(&self) -> &'d [u32] {
        self.facts.stops.list(Stops::FIGURE)
    }

    /// The body tokens where a date or a duration can start, in order
    /// ([`DocFacts::date_starts`]).
    #[inline]
    pub(crate) fn date_starts(&self) -> &'d [u32] {
        self.facts.stops.list(Stops::DATE)
    }

    /// The first body token from `from` on that has any bit of `mask`, or the
    /// body's end: where a scan without a list of its own (persons' facts
    /// pass) looks next.
    #[inline]
    pub(crate) fn next_start(&self, from: usize, mask: u64) -> usize {
        self.lexical
            .get(from..)
            .and_then(|bits| bits.iter().position(|&b| b & mask != 0))
            .map_or(self.limit, |p| from + p)
    }

    /// Whether token `k` has any of the `(form, lexicon)` bits of `mask` (built
    /// with [`features::in_form`]).
    #[inline]
    pub(crate) fn has_mask(&self, k: usize, mask: u64) -> bool {
        self.lexical.get(k).is_some_and(|&bits| bits & mask != 0)
    }

    /// Token `k`, if in the body.
    #[inline]
    pub(crate) fn body_token(&self, k: usize) -> Option<&'d Token> {
        self.body.get(k)
    }

    /// The normal form of token `k`, if in the body.
    #[inline]
    pub(crate) fn word(&self, k: usize) -> Option<&'d str> {
        self.body.get(k).map(|t| self.doc.norm(t))
    }

    /// The normal form of token `k`, or `""` past the body.
    #[inline]
    pub(crate) fn norm(&self, k: usize) -> &'d str {
        self.word(k).unwrap_or("")
    }

    /// Token `k`'s normal form without conjunction or preposition (`وأكثر` →
    /// `اكثر`), or `""` past the body.
    #[inline]
    pub(crate) fn bare(&self, k: usize) -> &'d str {
        self.body.get(k).map_or("", |t| self.doc.bare(t))
    }

    /// Token `k`'s stem, or `""` past the body.
    #[inline]
    pub(crate) fn stem(&self, k: usize) -> &'d str {
        self.body.get(k).map_or("", |t| self.doc.stem(t))
    }

    /// Words from token `k` for a phrase lookup, the first one bare.
    #[inline]
    pub(crate) fn phrase(&self, k: usize) -> impl Fn(usize) -> Option<&'d str> + '_ {
        move |d| {
            if d == 0 {
                self.body.get(k).map(|t| self.doc.bare(t))
            } else {
                self.word(k + d)
            }
        }
    }

    /// The number that starts at body token `k` ([`numbers::number_at`] before
    /// the body's end), as the document's facts remember it.
    #[inline]
    pub(crate) fn number(&self, k: usize) -> Option<&'d numbers::NumberPhrase> {
        self.numbers.at(k)
    }

    /// Whether token `k` is a word of the body.
    #[inline]
    pub(crate) fn is_word(&self, k: usize) -> bool {
        self.body.get(k).is_some_and(|t| t.kind == TokenKind::Word)
    }

    /// Whether token `k` is a number of the body.
    #[inline]
    pub(crate) fn is_number(&self, k: usize) -> bool {
        self.body
            .get(k)
            .is_some_and(|t| t.kind == TokenKind::Number)
    }

    /// Whether tokens `a` and `b` (a before b) touch, with no space between.
    #[inline]
    pub(crate) fn touch(&self, a: usize, b: usize) -> bool {
        self.body
            .get(b)
            .is_some_and(|t| self.tokens[a].end == t.start)
    }
}

/// What the extractors work out once per document and share: which lexicons
/// each body token starts ([`features`]), the number each body token starts
/// ([`numbers::number_at`]), both asked for again and again by figures and
/// dates, and the tokens each of these two scans stops at.
pub(crate) struct DocFacts {
    /// Per body token, the lexicon bits of its forms.
    pub(crate) lexical: Box<[u64]>,
    /// Per body token, the number it starts.
    pub(crate) numbers: numbers::NumberMemo,
    /// Where a number may start, where the figures scan stops and where the
    /// dates scan stops.
    stops: Stops,
}

impl DocFacts {
    /// The facts of `doc`, worked out on first use.
    pub(crate) fn of<'d>(doc: &'d Analysis<'_>) -> &'d DocFacts {
        doc.memo(DocFacts::read)
    }

    /// The facts of `doc`: the bits of its tokens and, in the same pass over
    /// them, where each scan stops ([`starts`]), then the numbers.
    fn read(doc: &Analysis<'_>) -> DocFacts {
        let (lexical, stops) = starts(doc);
        let numbers = numbers::NumberMemo::read(doc, &lexical, stops.list(Stops::NUMBER));
        DocFacts {
            lexical,
            numbers,
            stops,
        }
    }
}

/// The body tokens where a number may start ([`numbers::MAY_START_NUMBER`]),
/// where the figures scan stops ([`figures::MAY_START_FIGURE`]) and where the
/// dates scan stops ([`dates::MAY_START_DATE`]), each list in order.
struct Stops {
    /// Per list, a table as long as the body (or longer) whose first
    /// `lens[list]` entries are the list.
    tables: [Vec<u32>; 3],
    lens: [usize; 3],
}

thread_local! {
    /// The tables of the last stops dropped on this thread, for the next
    /// document's: each stop is written to every table and counted only in
    /// the lists it belongs to, which needs a table with room for every
    /// token, and a new one would be filled with zeros first, a write to
    /// every entry for nothing.
    static SPARE_STOPS: Cell<[Vec<u32>; 3]> = Cell::default();
}

impl Stops {
    /// The list of the tokens where a number may start.
    const NUMBER: usize = 0;
    /// The list of the tokens where the figures scan stops.
    const FIGURE: usize = 1;
    /// The list of the tokens where the dates scan stops.
    const DATE: usize = 2;
    /// The masks of the lists, by list.
    const MASKS: [u64; 3] = [
        numbers::MAY_START_NUMBER,
        figures::MAY_START_FIGURE,
        dates::MAY_START_DATE,
    ];

    /// Empty lists, for a body of `limit` tokens.
    fn for_body(limit: usize) -> Stops {
        let mut tables = SPARE_STOPS.take();
        for table in &mut tables {
            if table.len() < limit {
                // Filled anew rather than grown: what it holds need not be
                // copied.
                *table = vec![0; limit];
            }
        }
        Stops {
            tables,
            lens: [0; 3],
        }
    }

    /// List `list`.
    #[inline]
    fn list(&self, list: usize) -> &[u32] {
        &self.tables[list][..self.lens[list]]
    }
}

impl Drop for Stops {
    /// Leaves the tables to the next stops of this thread ([`SPARE_STOPS`]),
    /// unless the ones kept there are longer. Nothing is kept while the
    /// thread ends.
    fn drop(&mut self) {
        let tables = std::mem::take(&mut self.tables);
        let _ = SPARE_STOPS.try_with(|spare| {
            let kept = spare.take();
            spare.set(if kept[0].len() >= tables[0].len() {
                kept
            } else {
                tables
            });
        });
    }
}

/// The lexicon bits of the body tokens of `doc` and, in the same pass over
/// them ([`features::read`]), where each scan stops. Most tokens start
/// nothing (`عقدت`, `اللجنة`): one test of the three masks together passes
/// them over.
///
/// Not inlined: a loop of its own, beside the numbers'
/// ([`numbers::NumberMemo::read`]).
#[inline(never)]
fn starts(doc: &Analysis<'_>) -> (Box<[u64]>, Stops) {
    const ANY: u64 = numbers::MAY_START_NUMBER | figures::MAY_START_FIGURE | dates::MAY_START_DATE;
    let limit = doc.body_tokens().len();
    let mut stops = Stops::for_body(limit);
    let Stops { tables, lens } = &mut stops;
    // Each table cut to the body's length, which then bounds every entry
    // written.
    let mut tables = tables.each_mut().map(|table| &mut table[..limit]);
    // Each stop is written at the end of every list, and counted in those
    // whose mask it has a bit of, with no branch on the bits.
    let lexical = features::read(doc, ANY, |k, bits| {
        for ((table, len), mask) in tables.iter_mut().zip(lens.iter_mut()).zip(Stops::MASKS) {
            if let Some(entry) = table.get_mut(*len) {
                // Body token indices fit in 32 bits, as the number memo's do.
                *entry = k as u32;
            }
            *len += usize::from(bits & mask != 0);
        }
    });
    (lexical, stops)
}

/// The qualifier key of `data/figures/qualifiers.txt`.
fn qualifier_key(key: &str) -> Option<Qualifier> {
    Some(match key {
        "gt" => Qualifier::Gt,
        "lt" => Qualifier::Lt,
        "approx" => Qualifier::Approx,
        "gte" => Qualifier::Gte,
        "lte" => Qualifier::Lte,
        _ => return None,
    })
}

/// Words before a figure or a duration that qualify it (`أكثر من` → gt).
pub(crate) static QUALIFIERS: LazyLock<PhraseTable<Qualifier>> = LazyLock::new(|| {
    PhraseTable::new(
        records(include_str!("../../data/figures/qualifiers.txt"))
            .filter_map(|f| Some((f[0], qualifier_key(f.get(1)?)?))),
    )
});

/// The entities `extractor` finds in `text`, as JSON without their offsets:
/// what the extractors' unit tests compare.
#[cfg(test)]
pub(crate) fn found_values(extractor: &dyn Extractor, text: &str) -> Vec<serde_json::Value> {
    let doc = Analysis::new(text);
    let mut out = Vec::new();
    extractor.extract(&doc, &mut out);
    out.iter()
        .map(|e| {
            let mut v = serde_json::to_value(e).expect("entities serialize");
            let obj = v.as_object_mut().expect("an object");
            for k in ["start", "end", "char_start", "char_end", "sentence"] {
                obj.remove(k);
            }
            v
        })
        .collect()
}

/// The one entity `extractor` finds in `text` (see [`found_values`]); panics
/// when there is not exactly one.
#[cfg(test)]
pub(crate) fn found_one(extractor: &dyn Extractor, text: &str) -> serde_json::Value {
    let all = found_values(extractor, text);
    assert_eq!(all.len(), 1, "{text}: {all:#?}");
    all.into_iter().next().expect("one")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_scan_stops_at_the_tokens_with_its_bits() {
        let mut stops = [0usize; 3];
        for text in crate::text::corpus_texts() {
            let doc = Analysis::new(&text);
            let facts = DocFacts::of(&doc);
            let lexical = &facts.lexical;
            assert_eq!(lexical.len(), doc.body_tokens().len());
            let listed = [Stops::NUMBER, Stops::FIGURE, Stops::DATE].map(|l| facts.stops.list(l));
            let masks = Stops::MASKS;
            for ((starts, mask), stops) in listed.into_iter().zip(masks).zip(&mut stops) {
                let plain: Vec<u32> = (0..lexical.len())
                    .filter(|&k| lexical[k] & mask != 0)
                    .map(|k| k as u32)
                    .collect();
                assert_eq!(*starts, *plain);
                *stops += plain.len();
            }
        }
        assert!(stops.iter().all(|&n| n > 1000), "{stops:?}");
    }

    #[test]
    fn stops_read_in_the_tables_of_a_longer_document_are_its_own() {
        // The seed, then a shorter text in the seed's tables: what the
        // seed's lists left past the shorter one's ends is not read.
        let seed = include_str!("../../corpus/dev/seed-article.txt");
        let doc = Analysis::new(seed);
        let limit = doc.body_tokens().len();
        assert!(DocFacts::of(&doc).stops.list(Stops::FIGURE).len() > 30);
        drop(doc);
        let kept = SPARE_STOPS.take();
        assert!(kept.iter().all(|table| table.len() >= limit));
        SPARE_STOPS.set(kept);
        let doc = Analysis::new("بلغ عدد السكان 1500 نسمة، وعقدت اللجنة اجتماعا.");
        let stops = &DocFacts::of(&doc).stops;
        let tokens: Vec<u32> = (0..doc.body_tokens().len() as u32).collect();
        let number = |k: &u32| doc.body_tokens()[*k as usize].kind == TokenKind::Number;
        let numbers: Vec<u32> = tokens.iter().copied().filter(number).collect();
        assert_eq!(numbers.len(), 1);
        assert_eq!(stops.list(Stops::NUMBER), numbers);
        assert_eq!(stops.list(Stops::FIGURE), numbers);
    }

    #[test]
    fn the_view_reads_body_tokens_and_nothing_past_the_body() {
        // Every index of every article, chrome and two past the end
        // included, against the plain rules: a body token is read, any other
        // reads as nothing.
        let mut chrome = 0;
        for text in crate::text::corpus_texts() {
            let doc = Analysis::new(&text);
            let view = TokenView::new(&doc);
            let (tokens, limit) = (doc.tokens(), doc.body_tokens().len());
            let lexical = &DocFacts::of(&doc).lexical;
            chrome += tokens.len() - limit;
            for k in 0..tokens.len() + 2 {
                let body = (k < limit).then(|| &tokens[k]);
                for mask in [u64::MAX, figures::MAY_START_FIGURE, 1 << 63] {
                    let plain = k < limit && lexical[k] & mask != 0;
                    assert_eq!(view.has_mask(k, mask), plain, "token {k}");
                }
                assert_eq!(view.body_token(k), body);
                assert_eq!(view.word(k), body.map(|t| doc.norm(t)));
                assert_eq!(view.bare(k), body.map_or("", |t| doc.bare(t)));
                assert_eq!(view.stem(k), body.map_or("", |t| doc.stem(t)));
                assert_eq!(view.phrase(k)(0), body.map(|t| doc.bare(t)));
                let kind = body.map(|t| t.kind);
                assert_eq!(view.is_word(k), kind == Some(TokenKind::Word));
                assert_eq!(view.is_number(k), kind == Some(TokenKind::Number));
                if let Some(a) = k.checked_sub(1).filter(|&a| a < tokens.len()) {
                    let touch = k < limit && tokens[a].end == tokens[k].start;
                    assert_eq!(view.touch(a, k), touch, "tokens {a} {k}");
                }
            }
        }
        assert!(chrome > 100, "{chrome} chrome tokens");
    }
}

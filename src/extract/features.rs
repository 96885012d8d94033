//! Which lexicons each token starts, found with one lookup per form of the token
//! and shared by every extractor.
//!
//! Most words of an article (`عقدت`, `اللجنة`, `مؤتمرا`) start no figure, date,
//! title, place or name. Each extractor used to learn that on its own, with a
//! hash lookup per lexicon and per form of the word (its normal form, its bare
//! form without `و`/`ب`, its stem without the article): a dozen lookups a token,
//! nearly all of them misses. Instead, [`FEATURES`] maps every word that starts
//! an entry of any of the lexicons below to a bit per lexicon, each token's forms
//! are looked up there once ([`work_out`]), and an extractor tests a bit
//! ([`TokenView::has`](super::TokenView::has)) before it reaches for a lexicon.
//!
//! A word with a proclitic has up to four forms to look up. The bits of a word
//! are worked out once per thread and word: the tokenizer already looked every
//! word up in the thread's table of word forms (`clitic::Cache`, by the
//! original text, which decides every form), and its bits are kept there, read
//! by the form's id ([`read`]).
//!
//! The bits only gate lookups: a set bit still goes on to the lexicon itself, so
//! every answer is the lexicon's own. A lexicon that gains a gate must register
//! the words it can start with, or the extractor never consults it.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use crate::analysis::Analysis;
use crate::clitic::{self, FormIds};
use crate::lexicon::WordTable;
use crate::token::TokenKind;

/// A lexicon whose first words [`FEATURES`] knows, as a bit.
pub(crate) type Lex = u16;

/// First words of dates and durations but number words (`dates::HEADS`).
pub(crate) const DATE_START: Lex = 1 << 0;
/// First words of figures and of the labels that block them (`figures::TRIGGERS`).
pub(crate) const FIGURE_START: Lex = 1 << 1;
/// First words of titles (`data/persons/titles.txt`).
pub(crate) const TITLE: Lex = 1 << 2;
/// First words of gazetteer places (`data/places/gazetteer.txt`).
pub(crate) const GAZETTEER: Lex = 1 << 3;
/// First words of place cues (`data/places/cues.txt`).
pub(crate) const PLACE_CUE: Lex = 1 << 4;
/// Vietnamese name syllables (`data/persons/syllables.txt`).
pub(crate) const SYLLABLE: Lex = 1 << 5;
/// Honorifics (`data/persons/honorifics.txt`).
pub(crate) const HONORIFIC: Lex = 1 << 6;
/// Number words (`data/figures/cardinals.txt`).
pub(crate) const NUMBER_WORD: Lex = 1 << 7;
/// Words that end a title chain and start no foreign name (`persons::STOP_WORDS`).
pub(crate) const STOP_WORD: Lex = 1 << 8;
/// Reporting verbs (`data/persons/reporting-verbs.txt`).
pub(crate) const REPORTING_VERB: Lex = 1 << 9;
/// Nouns for a person (`data/persons/person-nouns.txt`).
pub(crate) const PERSON_NOUN: Lex = 1 << 10;
/// Words that make a name a thing's (`data/persons/named-things.txt`).
pub(crate) const NAMED_THING: Lex = 1 << 11;
/// Ordinal words (`data/figures/ordinals.txt`).
pub(crate) const ORDINAL: Lex = 1 << 12;
/// First words of qualifiers (`data/figures/qualifiers.txt`).
pub(crate) const QUALIFIER: Lex = 1 << 13;
/// First words of what a figure looks for right after its number: units,
/// currencies, percent words, months and units of time
/// (`figures::after_number_words`).
pub(crate) const AFTER_NUMBER: Lex = 1 << 14;
/// Not a lexicon but a kind: every number token has this bit in its normal
/// form, so that a scan gates numbers and words with one test. Its place in
/// the other forms holds other bits of the normal form ([`STARTS_UNIT`]).
pub(crate) const NUMBER: Lex = 1 << 15;

/// Which lexicon after a number a word's normal form starts, told apart
/// where [`AFTER_NUMBER`] says only "one of them": a unit (`طن`), a currency
/// (`دولار`) or a percent word (`بالمئة`). After a number (`15 طنا`, `87
/// مليار دولار`) the figures scan then looks up only the lexicon the word
/// starts, instead of each in turn.
///
/// Not a lexicon of every form but of the normal form alone, kept in the
/// bits the number bit leaves free in the other forms (a number token has it
/// in its normal form only): a token's bits stay one `u64`.
pub(crate) const STARTS_UNIT: u64 = in_form(Form::Bare, NUMBER);
/// The normal form starts a currency ([`STARTS_UNIT`]).
pub(crate) const STARTS_CURRENCY: u64 = in_form(Form::Stem, NUMBER);
/// The normal form starts a percent word ([`STARTS_UNIT`]).
pub(crate) const STARTS_PERCENT_WORD: u64 = in_form(Form::Unprefixed, NUMBER);

/// A form of a token, as [`TokenView`](super::TokenView) hands them out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// The normal form: `وأكثر` → `واكثر`.
    Norm = 0,
    /// Without conjunction and preposition: `اكثر`, `المرتبة`.
    Bare = 1,
    /// Without any proclitic: `مرتبة`.
    Stem = 2,
    /// The normal form without one leading `و ل ب ف ك`, whatever the clitic
    /// analysis said (`لمليون`).
    Unprefixed = 3,
}

/// The bit of `lex` in `form`.
#[inline]
pub(crate) const fn in_form(form: Form, lex: Lex) -> u64 {
    (lex as u64) << (16 * form as u32)
}

/// Every word that starts an entry of a gated lexicon, with its lexicon bits,
/// as the extractors register them.
fn registered() -> FxHashMap<Box<[u8]>, Lex> {
    let mut words = FxHashMap::<Box<[u8]>, Lex>::default();
    let mut add = |word: &str, lex: Lex| {
        *words.entry(word.as_bytes().into()).or_default() |= lex;
    };
    super::dates::register_features(&mut add);
    super::figures::register_features(&mut add);
    super::persons::register_features(&mut add);
    super::numbers::register_features(&mut add);
    words
}

/// Every word that starts a unit, a currency or a percent word, with its
/// bits ([`STARTS_UNIT`], [`STARTS_CURRENCY`], [`STARTS_PERCENT_WORD`]), as
/// the figures register them: each of them also has the [`AFTER_NUMBER`] bit,
/// and only a normal form with that bit is looked up here.
static STARTS_AFTER_NUMBER: LazyLock<WordTable<u64>> = LazyLock::new(|| {
    let mut words = FxHashMap::<&str, u64>::default();
    super::figures::register_after_number(&mut |word, bits| {
        *words.entry(word).or_default() |= bits;
    });
    words
        .iter()
        .map(|(word, &bits)| (word.as_bytes(), bits))
        .collect()
});

/// The [`registered`] words with their bits, found by their bytes with no
/// hashing: tokens are sliced out of the normal form by their byte offsets,
/// with no character boundary to check, and most of them are no key (`عقدت`),
/// which the table tells from its home slot.
static FEATURES: LazyLock<WordTable<Lex>> = LazyLock::new(|| {
    registered()
        .iter()
        .map(|(word, &lex)| (&**word, lex))
        .collect()
});

/// The bits of `word` in `features` ([`FEATURES`], fetched once by the
/// caller, or [`STARTS_AFTER_NUMBER`]).
#[inline(always)]
fn lookup<V: Copy + Default>(features: &WordTable<V>, word: &[u8]) -> V {
    features.get(word).unwrap_or_default()
}

/// What the thread's table of forms and a token's kind leave unknown: never
/// a token's bits (the number bit is only a number token's, and number
/// tokens have no form), and with every bit set, so that the test of any
/// mask stops at it ([`work_out`]).
const UNKNOWN: u64 = u64::MAX;

/// The bits of a token that is no word, by its kind (`TokenKind as usize`):
/// none for punctuation, the number bit for a number; a symbol (`%`, `$`)
/// has a form to look up, like a word met for the first time, and so would
/// a kind of token yet to come.
const KIND_BITS: [u64; 4] = {
    let mut bits = [UNKNOWN; 4];
    bits[TokenKind::Punct as usize] = 0;
    bits[TokenKind::Number as usize] = in_form(Form::Norm, NUMBER);
    bits
};

/// The lexicon bits of every body token of `doc`, by form: bits `16 * form
/// .. 16 * form + 16` of `lexical[k]` say which lexicons token `k`'s form
/// starts. Each token with a bit of `any` is handed to `stop`, with its
/// bits, in order: where the scans stop ([`DocFacts`](super::DocFacts)).
///
/// One pass over the tokens, each one's bits read once. A word (four tokens
/// in five) is known by its form's id alone, punctuation and numbers by
/// their kind; most tokens start nothing (`عقدت`, `اللجنة`), passed over
/// with one test. The others (a word met for the first time since the
/// thread's table started over, a symbol) are [worked out](work_out) where
/// they are met.
///
/// Inlined into its one caller, which gives `any` as a constant and `stop`.
#[inline(always)]
pub(crate) fn read(doc: &Analysis<'_>, any: u64, mut stop: impl FnMut(usize, u64)) -> Box<[u64]> {
    // Before the cache is borrowed: building the lexicons may tokenize.
    LazyLock::force(&FEATURES);
    LazyLock::force(&STARTS_AFTER_NUMBER);
    let tokens = doc.body_tokens();
    clitic::with_cache(|cache| {
        // The forms the tokenizer found, unless the thread's table has
        // started over since (or is another thread's): then no form is
        // known, and every word is worked out.
        let numbered = cache.numbered(doc.forms());
        let unnumbered;
        let ids = if numbered {
            &doc.forms().ids[..tokens.len()]
        } else {
            unnumbered = vec![FormIds::NONE; tokens.len()];
            &unnumbered[..]
        };
        ids.iter()
            .zip(tokens)
            .enumerate()
            .map(|(k, (&id, t))| {
                let mut bits = match cache.lexical(id) {
                    Some(bits) => bits,
                    // No word, or a word whose bits are not remembered.
                    None => KIND_BITS.get(t.kind as usize).copied().unwrap_or(UNKNOWN),
                };
                if bits & any != 0 {
                    if bits == UNKNOWN {
                        bits = work_out(cache, numbered, doc, k);
                    }
                    if bits & any != 0 {
                        stop(k, bits);
                    }
                }
                bits
            })
            .collect()
    })
}

/// The bits of body token `k` of `doc`, which its form's id and its kind
/// leave [`UNKNOWN`] ([`read`]): a word new to the thread's table (`cache`,
/// when it `numbered` the document's forms), whose bits and number word are
/// worked out and remembered, or a symbol (or any word of a document another
/// table numbered), whose bits are worked out each time.
#[cold]
#[inline(never)]
fn work_out(cache: &mut clitic::Cache, numbered: bool, doc: &Analysis<'_>, k: usize) -> u64 {
    let t = &doc.body_tokens()[k];
    let id = doc.forms().ids[k];
    if !numbered || id == FormIds::NONE {
        return bits_of(doc, t);
    }
    // Remembered since, for an earlier token of the same form.
    if let Some(bits) = cache.lexical(id) {
        return bits;
    }
    let bits = token_bits(doc, t);
    let number_word = super::numbers::number_word_index(doc, t, bits);
    cache.remember_lexical(id, bits, number_word);
    bits
}

/// The bits of token `t` worked out from its forms, whatever its kind: what
/// the thread's table of forms remembers for a word.
///
/// Tested in the order of the tokens that come here (punctuation, numbers,
/// then symbols and the words of an unnumbered document), with no jump
/// through a table whose target changes from token to token.
fn bits_of(doc: &Analysis<'_>, t: &crate::token::Token) -> u64 {
    if t.kind == TokenKind::Punct {
        0
    } else if t.kind == TokenKind::Number {
        in_form(Form::Norm, NUMBER)
    } else {
        // A symbol (`%`, `$`) has one form, like a plain word.
        token_bits(doc, t)
    }
}

/// The letters one of which the unprefixed form drops ([`Form::Unprefixed`]).
const PREFIX_LETTERS: [char; 5] = ['و', 'ل', 'ب', 'ف', 'ك'];

/// The bits of every form of word token `t`, with the lexicons after a
/// number its normal form starts ([`STARTS_UNIT`]).
///
/// The forms are read as bytes, which the lookups take: the bare form and
/// the stem are the ends of the normal form past the clitics
/// ([`Analysis::bare`], [`Analysis::stem`]), sliced with no test of a
/// character boundary.
fn token_bits(doc: &Analysis<'_>, t: &crate::token::Token) -> u64 {
    let norm = doc.norm(t);
    let bare = &norm.as_bytes()[t.clitics.particle_len()..];
    let stem = &norm.as_bytes()[t.clitics.stem_offset()..];
    let features = &*FEATURES;
    let norm_bits = lookup(features, norm.as_bytes());
    let bare_bits = if bare.len() == norm.len() {
        norm_bits
    } else {
        lookup(features, bare)
    };
    let stem_bits = if stem.len() == bare.len() {
        bare_bits
    } else {
        lookup(features, stem)
    };
    let unprefixed_bits = match norm.strip_prefix(PREFIX_LETTERS) {
        Some(rest) if rest.len() == bare.len() => bare_bits,
        Some(rest) if rest.len() == stem.len() => stem_bits,
        Some(rest) => lookup(features, rest.as_bytes()),
        None => 0,
    };
    let after_number = if norm_bits & AFTER_NUMBER != 0 {
        lookup(&STARTS_AFTER_NUMBER, norm.as_bytes())
    } else {
        0
    };
    after_number
        | norm_bits as u64
        | (bare_bits as u64) << 16
        | (stem_bits as u64) << 32
        | (unprefixed_bits as u64) << 48
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bits of every body token of `doc`, as the document's facts hold
    /// them ([`read`]).
    fn all_bits(doc: &Analysis<'_>) -> Box<[u64]> {
        super::super::DocFacts::of(doc).lexical.clone()
    }

    /// [`token_bits`] with every form sliced as text from the document and
    /// looked up on its own, and the lexicons after a number looked up
    /// whatever the normal form's bits: what the bytes, the shared lookups
    /// and the gate must agree with.
    fn plain_token_bits(doc: &Analysis<'_>, t: &crate::token::Token) -> u64 {
        let bits = |form, word: &str| in_form(form, lookup(&FEATURES, word.as_bytes()));
        let norm = doc.norm(t);
        lookup(&STARTS_AFTER_NUMBER, norm.as_bytes())
            | bits(Form::Norm, norm)
            | bits(Form::Bare, doc.bare(t))
            | bits(Form::Stem, doc.stem(t))
            | norm
                .strip_prefix(PREFIX_LETTERS)
                .map_or(0, |rest| bits(Form::Unprefixed, rest))
    }

    fn bits(text: &str, k: usize) -> u64 {
        all_bits(&Analysis::new(text))[k]
    }

    #[test]
    fn forms_are_looked_up_separately() {
        // `وبالمرتبة`: the bare form `المرتبة` and the stem `مرتبة` start a rank.
        let b = bits("وبالمرتبة 15", 0);
        assert_ne!(b & in_form(Form::Bare, FIGURE_START), 0);
        assert_ne!(b & in_form(Form::Stem, FIGURE_START), 0);
        assert_eq!(b & in_form(Form::Norm, FIGURE_START), 0);
    }

    #[test]
    fn lexicons_have_their_own_bits() {
        // `ديسمبر` starts a date, `السكرتير` a title, `السيد` is an honorific,
        // `دونج` a syllable, `ها` a gazetteer name (`ها تينه`), `مقاطعة` a cue.
        let cases = [
            ("ديسمبر", DATE_START),
            ("السكرتير", TITLE),
            ("السيد", HONORIFIC),
            ("دونج", SYLLABLE),
            ("ها", GAZETTEER),
            ("مقاطعة", PLACE_CUE),
        ];
        for (word, lex) in cases {
            assert_ne!(bits(word, 0) & in_form(Form::Norm, lex), 0, "{word}");
        }
        assert_eq!(bits("عقدت", 0), 0);
        assert_eq!(
            bits("2023", 0),
            in_form(Form::Norm, NUMBER),
            "numbers have their kind, no word features"
        );
        assert_eq!(
            bits("٪", 0) & in_form(Form::Norm, FIGURE_START),
            in_form(Form::Norm, FIGURE_START)
        );
    }

    #[test]
    fn every_gated_word_is_one_word_token() {
        // Only words (and symbols) get features: a lexicon word that
        // tokenized into something else would never pass its gate. (Figure
        // triggers and words after a number are exempt: `%` and `$` are
        // symbols, looked up as they are, and units such as `كم²` were never
        // one token's form.)
        let mut bad = Vec::new();
        for (word, lex) in registered() {
            if lex & !(FIGURE_START | AFTER_NUMBER) == 0 {
                continue;
            }
            let word = std::str::from_utf8(&word).expect("text");
            let doc = Analysis::new(word);
            let kinds: Vec<TokenKind> = doc.tokens().iter().map(|t| t.kind).collect();
            if kinds != [TokenKind::Word] || doc.norm(&doc.tokens()[0]) != word {
                bad.push(format!("{word} {lex:b} {kinds:?}"));
            }
        }
        assert!(bad.is_empty(), "{bad:#?}");
    }

    #[test]
    fn remembered_bits_are_the_bits_of_the_forms() {
        // Every article of the corpus, twice: the second reading answers
        // words with proclitics from the cache the first one filled.
        let articles = crate::text::corpus_texts();
        let mut words_with_proclitics = 0;
        for _ in 0..2 {
            for text in &articles {
                let doc = Analysis::new(text);
                let bits = all_bits(&doc);
                for (t, &b) in doc.body_tokens().iter().zip(bits.iter()) {
                    assert_eq!(b, bits_of(&doc, t), "{}", doc.text(t));
                    if matches!(t.kind, TokenKind::Word | TokenKind::Symbol) {
                        assert_eq!(b, plain_token_bits(&doc, t), "{}", doc.text(t));
                    }
                    words_with_proclitics += usize::from(!t.clitics.is_empty());
                }
            }
        }
        assert!(words_with_proclitics > 1000);
    }

    #[test]
    fn bits_of_a_document_tokenized_on_another_thread_are_worked_out_here() {
        // Its form ids are of the other thread's table, which this thread's
        // table does not hold: the bits are worked out token by token.
        let text = &crate::text::corpus_texts()[0];
        let elsewhere =
            std::thread::scope(|s| s.spawn(|| Analysis::new(text)).join().expect("no panic"));
        let here = Analysis::new(text);
        assert!(!clitic::with_cache(|c| c.numbered(elsewhere.forms())));
        assert!(clitic::with_cache(|c| c.numbered(here.forms())));
        assert_eq!(all_bits(&elsewhere), all_bits(&here));
        let words = here.body_tokens().iter();
        assert!(words.filter(|t| t.kind == TokenKind::Word).count() > 100);
    }

    #[test]
    fn the_unprefixed_form_drops_one_letter() {
        // `لمليون`: the clitic analysis may keep it whole; `مليون` still counts.
        let b = bits("لمليون", 0);
        assert_ne!(b & in_form(Form::Unprefixed, FIGURE_START), 0);
    }
}

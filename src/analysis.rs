//! An analysed document: the text layer, tokens, sentences and chrome of one
//! text, computed once and shared by every extractor.

use std::any::Any;
use std::ops::Range;
use std::sync::OnceLock;

use crate::chrome::{self, Chrome};
use crate::clitic::FormIds;
use crate::record::{CompactString, Entity, EntityValue, TokenRecord};
use crate::sentence::{self, Sentence};
use crate::text::{CharIndex, NormalizedText};
use crate::token::{self, Token};

/// One document, analysed: what every extractor reads.
#[derive(Debug, Clone)]
pub struct Analysis<'a> {
    original: &'a str,
    normalized: NormalizedText,
    tokens: Vec<Token>,
    /// The word form of each token in the thread's table of forms, where the
    /// extract layer keeps what it works out once per form.
    forms: FormIds,
    /// How many tokens come before the chrome.
    body_tokens: usize,
    sentences: Vec<Sentence>,
    /// `token_sentence[i]`: the index of the sentence holding token `i`, or
    /// `NO_SENTENCE` (chrome, or between sentences): one lookup per entity
    /// instead of a binary search over the sentences.
    token_sentence: Vec<u32>,
    chrome: Chrome,
    /// Character offsets, for records.
    chars: CharIndex<'a>,
    /// What the extract layer works out once per document and shares between
    /// extractors (which lexicons each token starts, the numbers it reads):
    /// filled on first use, of a type this layer does not need to know.
    memo: Memo,
}

/// A once-filled slot for a value of any one type. Cloning an analysis leaves
/// the clone's slot empty, to be filled again on first use.
#[derive(Default)]
struct Memo(OnceLock<Box<dyn Any + Send + Sync>>);

impl Clone for Memo {
    fn clone(&self) -> Self {
        Memo::default()
    }
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.get().is_some() {
            "Memo(filled)"
        } else {
            "Memo(empty)"
        })
    }
}

/// In `Analysis::token_sentence`: a token in no sentence.
const NO_SENTENCE: u32 = u32::MAX;

/// The sentence of each of `tokens` tokens, as `Analysis::token_sentence`
/// holds them. `sentence::split` makes the sentences disjoint token ranges,
/// in order: each entry is written once, in order, the gaps between the
/// sentences with `NO_SENTENCE`.
fn token_sentences(sentences: &[Sentence], tokens: usize) -> Vec<u32> {
    let mut map = Vec::with_capacity(tokens);
    for (i, s) in sentences.iter().enumerate() {
        let i = u32::try_from(i).expect("fewer than 2^32 - 1 sentences");
        assert!(i != NO_SENTENCE, "fewer than 2^32 - 1 sentences");
        map.resize(s.tokens.start, NO_SENTENCE);
        map.resize(s.tokens.end, i);
    }
    map.resize(tokens, NO_SENTENCE);
    map
}

impl<'a> Analysis<'a> {
    /// Normalises, tokenizes, finds the chrome and splits the body into sentences.
    ///
    /// ```
    /// use akhbar::Analysis;
    /// let doc = Analysis::new("بلغ النمو 8.05٪. وجرى تعزيز الإصلاح.\nثو ها\nمصدر\nتعليق (0)");
    /// assert_eq!(doc.sentences().len(), 2);
    /// assert_eq!(doc.byline(), Some("ثو ها"));
    /// assert_eq!(doc.text(&doc.tokens()[2]), "8.05");
    /// ```
    pub fn new(original: &'a str) -> Analysis<'a> {
        let normalized = NormalizedText::new(original);
        let token::Tokenized {
            tokens,
            forms,
            sentence_cues,
        } = token::tokenize_forms(original, &normalized);
        let chrome = chrome::detect(original);
        let body_tokens = tokens.partition_point(|t| (t.end as usize) <= chrome.body_end);
        let sentences = sentence::split_at_cues(
            original,
            normalized.as_str(),
            &tokens[..body_tokens],
            &sentence_cues,
        );
        let token_sentence = token_sentences(&sentences, tokens.len());
        Analysis {
            original,
            normalized,
            tokens,
            forms,
            body_tokens,
            sentences,
            token_sentence,
            chrome,
            chars: CharIndex::new(original),
            memo: Memo::default(),
        }
    }

    /// The extract layer's per-document memo, computed by `init` the first
    /// time it is asked for.
    ///
    /// # Panics
    ///
    /// When asked for two different types: the slot holds one, and the extract
    /// layer uses one (`extract::DocFacts`).
    pub(crate) fn memo<T: Any + Send + Sync>(&self, init: impl FnOnce(&Self) -> T) -> &T {
        self.memo
            .0
            .get_or_init(|| Box::new(init(self)))
            .downcast_ref()
            .expect("the analysis memo holds one type")
    }

    /// The word form of each token ([`FormIds`]).
    pub(crate) fn forms(&self) -> &FormIds {
        &self.forms
    }

    /// The original text.
    pub fn original(&self) -> &'a str {
        self.original
    }

    /// The normal form with its offset map.
    pub fn normalized(&self) -> &NormalizedText {
        &self.normalized
    }

    /// Every token, chrome included.
    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }

    /// The tokens of the body: what extractors read.
    pub fn body_tokens(&self) -> &[Token] {
        &self.tokens[..self.body_tokens]
    }

    /// The sentences of the body.
    pub fn sentences(&self) -> &[Sentence] {
        &self.sentences
    }

    /// Where the chrome starts and the byline.
    pub fn chrome(&self) -> &Chrome {
        &self.chrome
    }

    /// The byline, if the chrome has one.
    pub fn byline(&self) -> Option<&'a str> {
        self.chrome.byline.clone().map(|r| &self.original[r])
    }

    /// A token's original text.
    #[inline]
    pub fn text(&self, token: &Token) -> &'a str {
        &self.original[token.span()]
    }

    /// A token's normal form.
    #[inline]
    pub fn norm(&self, token: &Token) -> &str {
        &self.normalized.as_str()[token.norm_span()]
    }

    /// A token's stem: the normal form without proclitics.
    #[inline]
    pub fn stem(&self, token: &Token) -> &str {
        &self.normalized.as_str()[token.stem_span()]
    }

    /// The bytes of a token's normal form from its byte `from` on (`0`: the
    /// normal form; its particles' length: the bare form; its stem offset:
    /// the stem), for the extractors that compare a form with a word or look
    /// it up by its bytes: no character boundary to test, as a form's ends
    /// are the token's and its clitics'.
    #[inline]
    pub(crate) fn form_bytes(&self, token: &Token, from: usize) -> &[u8] {
        &self.normalized.as_str().as_bytes()
            [token.norm_start as usize + from..token.norm_end as usize]
    }

    /// The index of the sentence holding token `index`, if it is in the body.
    #[inline]
    pub fn sentence_of(&self, index: usize) -> Option<usize> {
        match self.token_sentence.get(index) {
            Some(&i) if i != NO_SENTENCE => Some(i as usize),
            _ => None,
        }
    }

    /// A token's normal form without its conjunction and preposition (the
    /// article stays): `وأكثر` → `اكثر`, `بالمرتبة` → `المرتبة`.
    #[inline]
    pub fn bare(&self, token: &Token) -> &str {
        &self.normalized.as_str()
            [token.norm_start as usize + token.clitics.particle_len()..token.norm_end as usize]
    }

    /// Builds the entity that spans `tokens` (an index range into
    /// [`Analysis::tokens`]), with its exact text and offsets. A conjunction or
    /// preposition glued to the first word is left out of the span (`و٧٤٧٧` is
    /// two tokens already; `وأكثر من ٢٥٣٣ مسكنًا` gives `أكثر من ٢٥٣٣ مسكنًا`).
    ///
    /// # Panics
    ///
    /// When `tokens` is empty or out of range: a bug in the extractor.
    pub fn entity(&self, tokens: Range<usize>, value: EntityValue) -> Entity {
        let first = &self.tokens[tokens.start];
        let start = match first.clitics.particle_len() {
            0 => first.start as usize,
            len => self
                .normalized
                .to_original_start(first.norm_start as usize + len),
        };
        let end = self.tokens[tokens.end - 1].end as usize;
        let (char_start, char_end) = self.chars.span(start, end);
        Entity {
            text: CompactString::new(&self.original[start..end]),
            start,
            end,
            char_start,
            char_end,
            sentence: self.sentence_of(tokens.start).unwrap_or(0),
            value,
        }
    }

    /// The tokens as records, for `--tokens` and `akhbar tokenize`.
    pub fn token_records(&self) -> Vec<TokenRecord> {
        self.tokens
            .iter()
            .map(|t| {
                let (char_start, char_end) = self.chars.span(t.start as usize, t.end as usize);
                TokenRecord {
                    text: self.text(t).to_string(),
                    start: t.start as usize,
                    end: t.end as usize,
                    char_start,
                    char_end,
                    kind: t.kind,
                    norm: self.norm(t).to_string(),
                    prefixes: t.clitics.prefixes().map(str::to_string).collect(),
                    stem: (!t.clitics.is_empty()).then(|| self.stem(t).to_string()),
                }
            })
            .collect()
    }

    /// The character count of the original text.
    pub fn char_count(&self) -> usize {
        self.chars.at(self.original.len())
    }

    /// The character offset of byte offset `byte` of the original text (a
    /// character boundary): `doc.char_offset(token.start as usize)`.
    pub fn char_offset(&self, byte: usize) -> usize {
        self.chars.at(byte)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The binary search `sentence_of` used before the per-token map.
    fn searched(doc: &Analysis<'_>, index: usize) -> Option<usize> {
        let i = doc.sentences.partition_point(|s| s.tokens.end <= index);
        doc.sentences
            .get(i)
            .filter(|s| s.tokens.contains(&index))
            .map(|_| i)
    }

    #[test]
    fn entities_have_the_character_offsets_of_their_bytes() {
        // Spans of one to six tokens from every token of the corpus.
        let (mut short, mut long) = (0, 0);
        for text in crate::text::corpus_texts() {
            let doc = Analysis::new(&text);
            // `chars_before[b]`: the characters before byte `b`.
            let mut chars_before = vec![0];
            for (b, byte) in text.bytes().enumerate() {
                chars_before.push(chars_before[b] + usize::from(byte & 0xC0 != 0x80));
            }
            for i in 0..doc.tokens().len() {
                for j in i + 1..(i + 7).min(doc.tokens().len() + 1) {
                    let value = EntityValue::Ordinal(crate::record::Ordinal { value: 1, of: None });
                    let e = doc.entity(i..j, value);
                    assert_eq!(e.char_start, chars_before[e.start]);
                    assert_eq!(e.char_end, chars_before[e.end]);
                    assert_eq!(e.char_end - e.char_start, e.text.chars().count());
                    // Spans that end within the 64-byte block where they
                    // start are counted on from that block's start, the
                    // others by the block index: both ways are asked.
                    if e.end - e.start / 64 * 64 <= 64 {
                        short += 1;
                    } else {
                        long += 1;
                    }
                }
            }
        }
        assert!(short > 1000 && long > 1000, "{short} short, {long} long");
    }

    #[test]
    fn sentence_of_agrees_with_a_search_over_the_sentences() {
        let mut texts = vec![
            String::new(),
            "بلغ النمو 8.05٪. وجرى تعزيز الإصلاح.\nثو ها\nمصدر\nتعليق (0)".to_string(),
            "| ... الإقليمية. | قال الوزير: نعم!! ثم؟ و\n\nسطر آخر".to_string(),
        ];
        for entry in std::fs::read_dir("corpus/dev").expect("corpus/dev") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "txt") {
                texts.push(std::fs::read_to_string(path).expect("UTF-8 text"));
            }
        }
        assert!(texts.len() > 3, "no corpus documents read");
        let mut in_sentences = 0;
        for text in &texts {
            let doc = Analysis::new(text);
            for index in 0..doc.tokens.len() + 2 {
                assert_eq!(doc.sentence_of(index), searched(&doc, index), "{index}");
                in_sentences += usize::from(doc.sentence_of(index).is_some_and(|i| i > 0));
            }
        }
        assert!(in_sentences > 0);
    }
}

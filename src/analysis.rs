//! An analysed document: the text layer, tokens, sentences and chrome of one
//! text, computed once and shared by every extractor.

use std::any::Any;
use std::ops::Range;
use std::sync::OnceLock;

use crate::chrome::{self, Chrome};
use crate::record::{Entity, EntityValue, TokenRecord};
use crate::sentence::{self, Sentence};
use crate::text::{CharIndex, NormalizedText};
use crate::token::{self, Token};

/// One document, analysed: what every extractor reads.
#[derive(Debug, Clone)]
pub struct Analysis<'a> {
    original: &'a str,
    normalized: NormalizedText,
    tokens: Vec<Token>,
    /// How many tokens come before the chrome.
    body_tokens: usize,
    sentences: Vec<Sentence>,
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
        let tokens = token::tokenize(original, &normalized);
        let chrome = chrome::detect(original);
        let body_tokens = tokens.partition_point(|t| (t.end as usize) <= chrome.body_end);
        let sentences = sentence::split(original, normalized.as_str(), &tokens[..body_tokens]);
        Analysis {
            original,
            normalized,
            tokens,
            body_tokens,
            sentences,
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

    /// The index of the sentence holding token `index`, if it is in the body.
    pub fn sentence_of(&self, index: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.tokens.end <= index);
        self.sentences
            .get(i)
            .filter(|s| s.tokens.contains(&index))
            .map(|_| i)
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
        let first = self.tokens[tokens.start];
        let last = self.tokens[tokens.end - 1];
        let start = match first.clitics.particle_len() {
            0 => first.start as usize,
            len => self
                .normalized
                .to_original_start(first.norm_start as usize + len),
        };
        let end = last.end as usize;
        let (char_start, char_end) = self.chars.span(start, end);
        Entity {
            text: self.original[start..end].to_string(),
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
            .map(|t| TokenRecord {
                text: self.text(t).to_string(),
                start: t.start as usize,
                end: t.end as usize,
                char_start: self.chars.at(t.start as usize),
                char_end: self.chars.at(t.end as usize),
                kind: t.kind,
                norm: self.norm(t).to_string(),
                prefixes: t.clitics.prefixes().map(str::to_string).collect(),
                stem: (!t.clitics.is_empty()).then(|| self.stem(t).to_string()),
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

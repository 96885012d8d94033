//! Lexicons: plain data files under `data/`, one entry a line, compiled in with
//! `include_str!` so that a linguist can extend them without reading Rust.
//!
//! Every file follows the same format: blank lines and lines starting with `#` are
//! skipped, an entry is the trimmed line, and entries are normalised with the text
//! layer when they are loaded, so they may be written with hamza, diacritics or
//! Arabic-Indic digits as a reader would write them.

use std::sync::LazyLock;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::text::NormalizedText;

/// The entries of a data file: trimmed lines, without blanks and `#` comments.
pub fn entries(data: &str) -> impl Iterator<Item = &str> {
    data.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
}

/// A set of words in normal form.
#[derive(Debug, Default, Clone)]
pub struct WordSet {
    words: FxHashSet<Box<str>>,
}

impl WordSet {
    /// Loads a data file; each entry is normalised (and ASCII-lowercased, so that
    /// Latin entries match whatever their case in the text).
    pub fn parse(data: &str) -> Self {
        let words = entries(data)
            .map(|e| {
                NormalizedText::new(e)
                    .as_str()
                    .to_ascii_lowercase()
                    .into_boxed_str()
            })
            .collect();
        WordSet { words }
    }

    /// Whether `word` (in normal form, ASCII lowercase) is in the set.
    #[inline]
    pub fn contains(&self, word: &str) -> bool {
        self.words.contains(word)
    }

    /// The entries, in no order.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.words.iter().map(|w| &**w)
    }

    /// How many entries the set holds.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// Normalises a lexicon word the way token norms are compared: the text layer's
/// normal form (Latin keeps its case: `MW` is not `mW`).
pub fn normalize_word(word: &str) -> String {
    NormalizedText::new(word).as_str().to_string()
}

/// Entries of a tab-separated data file: each entry's fields.
pub fn records(data: &str) -> impl Iterator<Item = Vec<&str>> {
    entries(data).map(|line| line.split('\t').map(str::trim).collect())
}

/// The phrases that start with one word: the words after it, and the value.
type Continuations<V> = Vec<(Box<[Box<str>]>, V)>;

/// Phrases of one or more words with a value, matched against a run of tokens:
/// `دولار أمريكي` → USD. The longest phrase that matches wins.
#[derive(Debug, Clone)]
pub struct PhraseTable<V> {
    by_first: FxHashMap<Box<str>, Continuations<V>>,
    max_words: usize,
}

impl<V> Default for PhraseTable<V> {
    fn default() -> Self {
        PhraseTable {
            by_first: FxHashMap::default(),
            max_words: 0,
        }
    }
}

impl<V> PhraseTable<V> {
    /// Builds the table; phrases are normalised and split on whitespace.
    pub fn new<'p>(phrases: impl IntoIterator<Item = (&'p str, V)>) -> PhraseTable<V> {
        let mut table = PhraseTable::default();
        for (phrase, value) in phrases {
            let words: Vec<Box<str>> = phrase
                .split_whitespace()
                .map(|w| normalize_word(w).into_boxed_str())
                .collect();
            let Some((first, rest)) = words.split_first() else {
                continue;
            };
            table.max_words = table.max_words.max(words.len());
            let list = table.by_first.entry(first.clone()).or_default();
            list.push((rest.to_vec().into_boxed_slice(), value));
            list.sort_by_key(|(rest, _)| std::cmp::Reverse(rest.len()));
        }
        table
    }

    /// The longest phrase whose words are `word(0)`, `word(1)`, …, as the number
    /// of words it spans and its value. `word(k)` gives the normal form of the
    /// k-th word from the start, or `None` past the end.
    pub fn longest<'w>(&self, word: impl Fn(usize) -> Option<&'w str>) -> Option<(usize, &V)> {
        let first = word(0)?;
        let candidates = self.by_first.get(first)?;
        candidates.iter().find_map(|(rest, value)| {
            rest.iter()
                .enumerate()
                .all(|(k, w)| word(k + 1) == Some(&**w))
                .then_some((rest.len() + 1, value))
        })
    }

    /// Whether a phrase starts with `word`.
    pub fn starts_with_word(&self, word: &str) -> bool {
        self.by_first.contains_key(word)
    }

    /// The words phrases start with.
    pub fn first_words(&self) -> impl Iterator<Item = &str> {
        self.by_first.keys().map(|w| &**w)
    }
}

/// Words that begin with the letters of a proclitic (`و ف ب ل ك ال`) but are whole
/// words: `بلغ`, `لجنة`, `فيضانات`, `ولاية`.
pub static CLITIC_WHOLE_WORDS: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::parse(include_str!("../data/clitics/whole-words.txt")));

/// Stems known to stand after proclitics: a split whose stem is here is confirmed
/// (`والمنظمات` → `و` + `ال` + `منظمات`).
pub static CLITIC_STEMS: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::parse(include_str!("../data/clitics/stems.txt")));

/// Every word the clitic analysis knows as a stem: the whole words and the stems
/// together, so that a candidate split costs one lookup.
pub static CLITIC_KNOWN_STEMS: LazyLock<WordSet> = LazyLock::new(|| {
    let mut words = CLITIC_WHOLE_WORDS.words.clone();
    words.extend(CLITIC_STEMS.words.iter().cloned());
    WordSet { words }
});

/// Abbreviations after which a full stop does not end a sentence (`د.`, `TP.`).
pub static ABBREVIATIONS: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::parse(include_str!("../data/sentences/abbreviations.txt")));

/// Lines of site chrome at the end of an article (`مصدر`, `تعليق (0)`).
pub static CHROME_LINES: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::parse(include_str!("../data/chrome/lines.txt")));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_skip_comments_and_blanks() {
        let got: Vec<&str> = entries("# header\n\n  بلغ  \n#x\nلجنة\n").collect();
        assert_eq!(got, ["بلغ", "لجنة"]);
    }

    #[test]
    fn entries_are_normalised() {
        let set = WordSet::parse("أكثر\nTP\n");
        assert!(set.contains("اكثر"));
        assert!(set.contains("tp"));
        assert!(!set.contains("أكثر"));
    }

    #[test]
    fn phrase_tables_take_the_longest_match() {
        let table = PhraseTable::new([("دولار", "USD"), ("دولار أمريكي", "USD!"), ("USD", "USD")]);
        let words = ["دولار", "امريكي", "و"];
        let at = |k: usize| words.get(k).copied();
        assert_eq!(table.longest(at), Some((2, &"USD!")));
        let short = ["دولار", "و"];
        assert_eq!(table.longest(|k| short.get(k).copied()), Some((1, &"USD")));
        assert_eq!(
            table.longest(|k| ["USD"].get(k).copied()),
            Some((1, &"USD"))
        );
        assert_eq!(table.longest(|k| ["يورو"].get(k).copied()), None);
    }

    #[test]
    fn bundled_lexicons_load() {
        assert!(CLITIC_WHOLE_WORDS.contains("بلغ"));
        assert!(CLITIC_STEMS.contains("منظمات"));
        assert!(ABBREVIATIONS.contains("د"));
        assert!(CHROME_LINES.contains("مصدر"));
    }
}

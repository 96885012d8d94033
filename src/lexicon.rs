//! Lexicons: plain data files under `data/`, one entry a line, compiled in with
//! `include_str!` so that a linguist can extend them without reading Rust.
//!
//! Every file follows the same format: blank lines and lines starting with `#` are
//! skipped, an entry is the trimmed line, and entries are normalised with the text
//! layer when they are loaded, so they may be written with hamza, diacritics or
//! Arabic-Indic digits as a reader would write them.

use std::sync::LazyLock;

use rustc_hash::FxHashSet;

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

    /// How many entries the set holds.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
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
    fn bundled_lexicons_load() {
        assert!(CLITIC_WHOLE_WORDS.contains("بلغ"));
        assert!(CLITIC_STEMS.contains("منظمات"));
        assert!(ABBREVIATIONS.contains("د"));
        assert!(CHROME_LINES.contains("مصدر"));
    }
}

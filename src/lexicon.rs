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

/// Answers already worked out for words, by the word's original text, up to
/// [`WordCache::WORDS`] of them before it starts over: news reuses its words
/// (`والمنظمات`, `للجنة`, `الإقليمية`) across sentences and articles, and one
/// lookup costs less than working an answer out again. The clitic analysis
/// and the shared extractor features each keep one per thread.
#[derive(Debug)]
pub(crate) struct WordCache<V>(FxHashMap<Box<str>, V>);

impl<V> Default for WordCache<V> {
    fn default() -> Self {
        WordCache(FxHashMap::default())
    }
}

impl<V: Copy> WordCache<V> {
    /// How many words a cache remembers before it starts over.
    pub(crate) const WORDS: usize = 1 << 16;

    /// The answer for `original`, worked out by `compute` the first time.
    #[inline]
    pub(crate) fn get_or(&mut self, original: &str, compute: impl FnOnce() -> V) -> V {
        if let Some(&v) = self.0.get(original) {
            return v;
        }
        let v = compute();
        if self.0.len() >= Self::WORDS {
            self.0.clear();
        }
        self.0.insert(original.into(), v);
        v
    }
}

/// A bitmap that answers "certainly not a key" for most words without
/// hashing them: one bit per (length, first, middle and last byte) signature.
///
/// Nearly every lookup an extractor makes is a miss (`عقدت` is no month, no
/// title, no currency), and a miss in a hash table still hashes the word and
/// probes the table. The sketch reads four bytes and one bit; only words whose
/// signature some key shares go on to the table. The signature is coarse (every
/// Arabic letter has one of four first bytes), so how many misses get through
/// grows with the table: measured on the bench corpus, the 1,198 words of the
/// shared extractor features let about a quarter of their misses through, and
/// tables of a few hundred words far fewer.
#[derive(Clone)]
pub struct Sketch {
    /// A fixed size, so that an index needs no bounds check.
    bits: Box<[u64; SKETCH_WORDS]>,
}

const SKETCH_BITS: u32 = 14;
const SKETCH_WORDS: usize = 1 << (SKETCH_BITS - 6);

impl Default for Sketch {
    fn default() -> Self {
        Sketch {
            bits: Box::new([0; SKETCH_WORDS]),
        }
    }
}

impl std::fmt::Debug for Sketch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let set: u32 = self.bits.iter().map(|w| w.count_ones()).sum();
        write!(f, "Sketch({set} bits set)")
    }
}

impl Sketch {
    #[inline]
    fn index(b: &[u8]) -> usize {
        let n = b.len();
        if n == 0 {
            return 0;
        }
        // For Arabic (two bytes a letter) the second byte of the first letter,
        // a byte of the middle letter and the last letter's second byte.
        let signature = n as u64
            | (b[n - 1] as u64) << 8
            | (b[(n - 1) / 2] as u64) << 16
            | (b[1.min(n - 1)] as u64) << 24;
        (signature.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - SKETCH_BITS)) as usize
    }

    /// Records `word` as a key.
    pub fn insert(&mut self, word: &str) {
        let i = Self::index(word.as_bytes());
        self.bits[i / 64] |= 1 << (i % 64);
    }

    /// False when `word` is certainly not a key.
    #[inline]
    pub fn may_contain(&self, word: &str) -> bool {
        self.may_contain_bytes(word.as_bytes())
    }

    /// [`Sketch::may_contain`] of a word's UTF-8 bytes, for callers that slice
    /// bytes rather than text (no character boundary to check).
    #[inline]
    pub fn may_contain_bytes(&self, word: &[u8]) -> bool {
        let i = Self::index(word);
        self.bits[i / 64] & (1 << (i % 64)) != 0
    }
}

/// A sketch of every key of a lexicon.
impl<'w> FromIterator<&'w str> for Sketch {
    fn from_iter<I: IntoIterator<Item = &'w str>>(keys: I) -> Self {
        let mut sketch = Sketch::default();
        for key in keys {
            sketch.insert(key);
        }
        sketch
    }
}

/// A map from words in normal form to what a lexicon says about them, with a
/// [`Sketch`] in front of it for the misses.
#[derive(Debug, Clone)]
pub struct WordMap<V> {
    map: FxHashMap<String, V>,
    sketch: Sketch,
}

impl<V> FromIterator<(String, V)> for WordMap<V> {
    fn from_iter<I: IntoIterator<Item = (String, V)>>(iter: I) -> Self {
        let map: FxHashMap<String, V> = iter.into_iter().collect();
        let sketch = map.keys().map(String::as_str).collect();
        WordMap { map, sketch }
    }
}

impl<V> WordMap<V> {
    /// What the lexicon says about `word`.
    #[inline]
    pub fn get(&self, word: &str) -> Option<&V> {
        if !self.sketch.may_contain(word) {
            return None;
        }
        self.map.get(word)
    }

    /// Whether `word` is a key.
    #[inline]
    pub fn contains_key(&self, word: &str) -> bool {
        self.get(word).is_some()
    }

    /// Every key.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.map.keys()
    }
}

/// A set of words in normal form.
#[derive(Debug, Default, Clone)]
pub struct WordSet {
    words: FxHashSet<Box<str>>,
    sketch: Sketch,
}

impl FromIterator<Box<str>> for WordSet {
    fn from_iter<I: IntoIterator<Item = Box<str>>>(iter: I) -> Self {
        let words: FxHashSet<Box<str>> = iter.into_iter().collect();
        let sketch = words.iter().map(|w| &**w).collect();
        WordSet { words, sketch }
    }
}

impl WordSet {
    /// Loads a data file; each entry is normalised (and ASCII-lowercased, so that
    /// Latin entries match whatever their case in the text).
    pub fn parse(data: &str) -> Self {
        entries(data)
            .map(|e| {
                NormalizedText::new(e)
                    .as_str()
                    .to_ascii_lowercase()
                    .into_boxed_str()
            })
            .collect()
    }

    /// Whether `word` (in normal form, ASCII lowercase) is in the set.
    #[inline]
    pub fn contains(&self, word: &str) -> bool {
        self.sketch.may_contain(word) && self.words.contains(word)
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

/// The phrases that start with one word. Title words such as `رئيس` start
/// dozens of phrases (`رئيس الوزراء`, `رئيس اللجنة الشعبية`, …): they are found
/// by their second word with one lookup, not tried one by one.
#[derive(Debug, Clone)]
struct Continuations<V> {
    /// The phrase of this word alone.
    alone: Option<V>,
    /// Longer phrases by their second word, longest first.
    by_second: FxHashMap<Box<str>, Vec<Tail<V>>>,
}

/// The words of a phrase after its second, and the phrase's value.
type Tail<V> = (Box<[Box<str>]>, V);

impl<V> Default for Continuations<V> {
    fn default() -> Self {
        Continuations {
            alone: None,
            by_second: FxHashMap::default(),
        }
    }
}

/// Phrases of one or more words with a value, matched against a run of tokens:
/// `دولار أمريكي` → USD. The longest phrase that matches wins; of two equal
/// phrases, the first listed.
#[derive(Debug, Clone)]
pub struct PhraseTable<V> {
    by_first: FxHashMap<Box<str>, Continuations<V>>,
    first_words: Sketch,
    max_words: usize,
}

impl<V> Default for PhraseTable<V> {
    fn default() -> Self {
        PhraseTable {
            by_first: FxHashMap::default(),
            first_words: Sketch::default(),
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
            table.first_words.insert(first);
            let continuations = table.by_first.entry(first.clone()).or_default();
            match rest.split_first() {
                None => {
                    if continuations.alone.is_none() {
                        continuations.alone = Some(value);
                    }
                }
                Some((second, after)) => {
                    let list = continuations.by_second.entry(second.clone()).or_default();
                    list.push((after.to_vec().into_boxed_slice(), value));
                    list.sort_by_key(|(after, _)| std::cmp::Reverse(after.len()));
                }
            }
        }
        table
    }

    /// The longest phrase whose words are `word(0)`, `word(1)`, …, as the number
    /// of words it spans and its value. `word(k)` gives the normal form of the
    /// k-th word from the start, or `None` past the end.
    pub fn longest<'w>(&self, word: impl Fn(usize) -> Option<&'w str>) -> Option<(usize, &V)> {
        let first = word(0)?;
        if !self.first_words.may_contain(first) {
            return None;
        }
        let continuations = self.by_first.get(first)?;
        let longer = if continuations.by_second.is_empty() {
            None
        } else {
            word(1)
                .and_then(|second| continuations.by_second.get(second))
                .and_then(|list| {
                    list.iter().find_map(|(after, value)| {
                        after
                            .iter()
                            .enumerate()
                            .all(|(k, w)| word(k + 2) == Some(&**w))
                            .then_some((after.len() + 2, value))
                    })
                })
        };
        longer.or_else(|| continuations.alone.as_ref().map(|value| (1, value)))
    }

    /// Whether a phrase starts with `word`.
    pub fn starts_with_word(&self, word: &str) -> bool {
        self.first_words.may_contain(word) && self.by_first.contains_key(word)
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
    CLITIC_WHOLE_WORDS
        .words
        .iter()
        .chain(CLITIC_STEMS.words.iter())
        .cloned()
        .collect()
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
    fn a_sketch_keeps_every_key_and_turns_most_other_words_away() {
        let sketch: Sketch = ["ديسمبر", "يناير", "مليون", "ها"].into_iter().collect();
        for key in ["ديسمبر", "يناير", "مليون", "ها"] {
            assert!(sketch.may_contain(key), "{key}");
        }
        let others = [
            "عقدت",
            "اللجنة",
            "الدائمة",
            "للجنة",
            "الحزب",
            "مؤتمرا",
            "لمراجعة",
        ];
        let through = others.iter().filter(|w| sketch.may_contain(w)).count();
        assert_eq!(
            through, 0,
            "four keys in 16,384 bits let none of these through"
        );
    }

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
    fn phrases_sharing_words_are_told_apart_by_the_words_after() {
        let table = PhraseTable::new([
            ("رئيس", "head"),
            ("رئيس الوزراء", "prime minister"),
            ("رئيس اللجنة الشعبية", "people's committee chair"),
            ("رئيس الوزراء", "listed second"),
            ("رئيس اللجنة", "committee chair"),
            ("نائب رئيس", "vice"),
        ]);
        let longest = |words: &[&str]| {
            let words: Vec<String> = words.iter().map(|w| normalize_word(w)).collect();
            table.longest(|k| words.get(k).map(String::as_str))
        };
        assert_eq!(
            longest(&["رئيس", "اللجنة", "الشعبية", "لمقاطعة"]),
            Some((3, &"people's committee chair"))
        );
        assert_eq!(
            longest(&["رئيس", "اللجنة", "الدائمة"]),
            Some((2, &"committee chair"))
        );
        assert_eq!(
            longest(&["رئيس", "الوزراء", "فام"]),
            Some((2, &"prime minister"))
        );
        assert_eq!(longest(&["رئيس", "الدولة"]), Some((1, &"head")));
        assert_eq!(longest(&["رئيس"]), Some((1, &"head")));
        assert_eq!(longest(&["نائب", "الرئيس"]), None);
        assert_eq!(longest(&["نائب", "رئيس", "الوزراء"]), Some((2, &"vice")));
    }

    #[test]
    fn bundled_lexicons_load() {
        assert!(CLITIC_WHOLE_WORDS.contains("بلغ"));
        assert!(CLITIC_STEMS.contains("منظمات"));
        assert!(ABBREVIATIONS.contains("د"));
        assert!(CHROME_LINES.contains("مصدر"));
    }
}

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

/// Words and a value for each, found by their bytes without hashing them: a
/// word is keyed by its length and its first and last eight bytes (four when it
/// is shorter), which are the whole word up to 16 bytes, nearly every word of
/// the genre (`والمنظمات` is 18 bytes, `اللجنة` 12). A lookup reads the key's
/// home slot and compares three integers: a few dozen instructions where a
/// hash map hashes the word byte by byte and compares it again.
///
/// An open-addressing table of at most half full slots; a word longer than 16
/// bytes is also told apart by the middle bytes its key leaves out, kept in
/// `middles`. The empty word is never a key.
#[derive(Debug, Clone)]
pub(crate) struct WordTable<V> {
    /// A power of two of slots; empty slots have a key of length 0.
    slots: Vec<Slot<V>>,
    /// 64 less the bits of a slot's index: what a key's mixed bits are
    /// shifted by to give its home slot, kept rather than worked out from
    /// the slots at every lookup.
    shift: u32,
    /// How many slots are full.
    words: usize,
    /// The bytes `8..len - 8` of the words longer than 16 bytes.
    middles: Vec<u8>,
}

/// A word as a [`WordTable`] keys it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Key {
    len: u32,
    head: u64,
    tail: u64,
}

impl Key {
    #[inline]
    fn of(b: &[u8]) -> Key {
        let n = b.len();
        let (head, tail) = match n {
            8.. => (
                u64::from_le_bytes(b[..8].try_into().expect("eight bytes")),
                u64::from_le_bytes(b[n - 8..].try_into().expect("eight bytes")),
            ),
            4..8 => (
                u64::from(u32::from_le_bytes(b[..4].try_into().expect("four bytes"))),
                u64::from(u32::from_le_bytes(
                    b[n - 4..].try_into().expect("four bytes"),
                )),
            ),
            _ => (b.iter().fold(0, |h, &x| h << 8 | u64::from(x)), 0),
        };
        Key {
            len: n as u32,
            head,
            tail,
        }
    }

    /// Where the key's probe starts in a table of `1 << (64 - shift)` slots.
    #[inline]
    fn home(self, shift: u32) -> usize {
        let mixed = self.head ^ self.tail.rotate_left(29) ^ u64::from(self.len);
        (mixed.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> shift) as usize
    }

    /// The bytes of a word of this key that the key leaves out.
    fn middle(self, word: &[u8]) -> &[u8] {
        word.get(8..word.len().saturating_sub(8))
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Slot<V> {
    key: Key,
    /// Where the word's middle bytes start in `WordTable::middles`.
    middle: u32,
    value: V,
}

impl<V: Copy + Default> Default for WordTable<V> {
    fn default() -> Self {
        WordTable::with_room(0)
    }
}

impl<V: Copy + Default> WordTable<V> {
    /// An empty table with room for `words` words at most a quarter full, so
    /// that nearly every miss ends at an empty home slot: for the lexicons,
    /// built once and asked mostly about words they do not hold (`عقدت`).
    pub(crate) fn with_room(words: usize) -> Self {
        let slots = (4 * words).next_power_of_two().max(16);
        WordTable {
            slots: vec![Slot::default(); slots],
            shift: 64 - slots.trailing_zeros(),
            words: 0,
            middles: Vec::new(),
        }
    }

    /// The value of `word`. Always inlined: the call cost as much as the
    /// lookup.
    #[inline(always)]
    pub(crate) fn get(&self, word: &[u8]) -> Option<V> {
        let key = Key::of(word);
        let at = key.home(self.shift);
        // Nearly always a word of up to 16 bytes in its home slot, or a miss
        // on an empty one: answered here; the rest of the probe (a taken
        // slot, a longer word) is out of line, so that a caller's loop keeps
        // its registers.
        let slot = self.slots[at];
        if slot.key == key && key.len.wrapping_sub(1) < 16 {
            return Some(slot.value);
        }
        if slot.key.len == 0 {
            return None;
        }
        self.probe(word, at)
    }

    /// [`WordTable::get`] from slot `at` on. The key is made again here
    /// rather than handed over: the caller then need not keep it in memory
    /// for the few lookups that come here.
    #[inline(never)]
    fn probe(&self, word: &[u8], mut at: usize) -> Option<V> {
        let key = Key::of(word);
        let mask = self.slots.len() - 1;
        loop {
            let slot = self.slots[at];
            if slot.key.len == 0 {
                return None;
            }
            if slot.key == key && (key.len <= 16 || self.middle_of(slot) == key.middle(word)) {
                return Some(slot.value);
            }
            at = (at + 1) & mask;
        }
    }

    /// Adds `word`, which is not in the table yet, with its value (the empty
    /// word is ignored).
    pub(crate) fn insert(&mut self, word: &[u8], value: V) {
        if word.is_empty() {
            // The length of an empty slot.
            return;
        }
        if 2 * (self.words + 1) > self.slots.len() {
            self.grow();
        }
        let key = Key::of(word);
        let middle = self.middles.len() as u32;
        self.middles.extend_from_slice(key.middle(word));
        self.place(Slot { key, middle, value });
    }

    /// How many words the table holds.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.words
    }

    /// The middle bytes of the word in `slot`.
    fn middle_of(&self, slot: Slot<V>) -> &[u8] {
        let start = slot.middle as usize;
        let len = (slot.key.len as usize).saturating_sub(16);
        &self.middles[start..start + len]
    }

    /// Puts `slot` in the first empty slot of its probe.
    fn place(&mut self, slot: Slot<V>) {
        let mask = self.slots.len() - 1;
        let mut at = slot.key.home(self.shift);
        while self.slots[at].key.len != 0 {
            at = (at + 1) & mask;
        }
        self.slots[at] = slot;
        self.words += 1;
    }

    /// Doubles the slots, placing every word again.
    fn grow(&mut self) {
        let slots = vec![Slot::default(); 2 * self.slots.len()];
        let old = std::mem::replace(&mut self.slots, slots);
        self.shift -= 1;
        self.words = 0;
        for slot in old {
            if slot.key.len != 0 {
                self.place(slot);
            }
        }
    }
}

/// A word table built from words and their values (a word listed twice keeps
/// its first value), with room for as many words as the iterator says it has.
impl<'w, V: Copy + Default> FromIterator<(&'w [u8], V)> for WordTable<V> {
    fn from_iter<I: IntoIterator<Item = (&'w [u8], V)>>(iter: I) -> Self {
        let iter = iter.into_iter();
        let mut table = WordTable::with_room(iter.size_hint().0);
        for (word, value) in iter {
            if table.get(word).is_none() {
                table.insert(word, value);
            }
        }
        table
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
/// grows with the table: measured on the bench corpus, a table of 1,198 words
/// let about a quarter of its misses through, and tables of a few hundred words
/// far fewer.
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

/// A map from words in normal form to what a lexicon says about them, found
/// by a `WordTable` of their indices.
#[derive(Debug, Clone)]
pub struct WordMap<V> {
    /// The words and their values, in the order of a hash map of them.
    entries: Box<[(String, V)]>,
    /// Each word's index in `entries`.
    table: WordTable<u32>,
}

/// A word listed twice keeps its last value, as in a hash map.
impl<V> FromIterator<(String, V)> for WordMap<V> {
    fn from_iter<I: IntoIterator<Item = (String, V)>>(iter: I) -> Self {
        let map: FxHashMap<String, V> = iter.into_iter().collect();
        let entries: Box<[(String, V)]> = map.into_iter().collect();
        let table = entries
            .iter()
            .enumerate()
            .map(|(k, (word, _))| (word.as_bytes(), k as u32))
            .collect();
        WordMap { entries, table }
    }
}

impl<V> WordMap<V> {
    /// What the lexicon says about `word`.
    #[inline]
    pub fn get(&self, word: &str) -> Option<&V> {
        Some(self.at(self.index(word)?))
    }

    /// The index of `word`'s entry, for a caller that keeps it rather than
    /// the value, and reads the value with [`WordMap::at`].
    #[inline]
    pub(crate) fn index(&self, word: &str) -> Option<u32> {
        self.table.get(word.as_bytes())
    }

    /// The value of the entry at `index` (one of [`WordMap::index`]'s).
    #[inline]
    pub(crate) fn at(&self, index: u32) -> &V {
        &self.entries[index as usize].1
    }

    /// Whether `word` is a key.
    #[inline]
    pub fn contains_key(&self, word: &str) -> bool {
        self.get(word).is_some()
    }

    /// Every key.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.entries.iter().map(|(word, _)| word)
    }
}

/// A set of words in normal form, found by a `WordTable`.
#[derive(Debug, Default, Clone)]
pub struct WordSet {
    /// The words, once each, in the order of a hash set of them.
    words: Box<[Box<str>]>,
    table: WordTable<()>,
    /// The length in bytes of the longest word.
    longest: usize,
}

impl FromIterator<Box<str>> for WordSet {
    fn from_iter<I: IntoIterator<Item = Box<str>>>(iter: I) -> Self {
        let words: FxHashSet<Box<str>> = iter.into_iter().collect();
        let words: Box<[Box<str>]> = words.into_iter().collect();
        let table = words.iter().map(|w| (w.as_bytes(), ())).collect();
        let longest = words.iter().map(|w| w.len()).max().unwrap_or(0);
        WordSet {
            words,
            table,
            longest,
        }
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
        self.table.get(word.as_bytes()).is_some()
    }

    /// The length in bytes of the longest entry: no longer word is in the
    /// set, whatever its bytes.
    #[inline]
    pub(crate) fn longest(&self) -> usize {
        self.longest
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
    by_second: Keyed<Vec<Tail<V>>>,
}

/// The words of a phrase after its second, and the phrase's value.
type Tail<V> = (Box<[Box<str>]>, V);

impl<V> Default for Continuations<V> {
    fn default() -> Self {
        Continuations {
            alone: None,
            by_second: Keyed::default(),
        }
    }
}

/// A first word's phrases as [`PhraseTable::new`] gathers them: the phrase of
/// the word alone, and the longer ones by their second word.
type Gathered<V> = (Option<V>, FxHashMap<Box<str>, Vec<Tail<V>>>);

/// Values by a word, found by a [`WordTable`] of their indices rather than by
/// hashing the word: a phrase lookup asks for its first word at every token
/// it is tried on, and for the second after a first word that starts longer
/// phrases. The words keep the order of a hash map of them, so that
/// [`PhraseTable::first_words`] lists them as before.
#[derive(Debug, Clone)]
struct Keyed<V> {
    entries: Box<[(Box<str>, V)]>,
    /// Each word's index in `entries`; none while there are no entries.
    table: Option<WordTable<u32>>,
}

impl<V> Default for Keyed<V> {
    fn default() -> Self {
        Keyed {
            entries: Box::default(),
            table: None,
        }
    }
}

/// The words of a hash map in its order, so that they iterate as the map does.
impl<V> FromIterator<(Box<str>, V)> for Keyed<V> {
    fn from_iter<I: IntoIterator<Item = (Box<str>, V)>>(iter: I) -> Self {
        let entries: Box<[(Box<str>, V)]> = iter.into_iter().collect();
        let table = (!entries.is_empty()).then(|| {
            entries
                .iter()
                .enumerate()
                .map(|(k, (word, _))| (word.as_bytes(), k as u32))
                .collect()
        });
        Keyed { entries, table }
    }
}

impl<V> Keyed<V> {
    /// The value of `word`. Always inlined, as [`WordTable::get`] is.
    #[inline(always)]
    fn get(&self, word: &str) -> Option<&V> {
        let k = self.table.as_ref()?.get(word.as_bytes())?;
        Some(&self.entries[k as usize].1)
    }
}

/// Phrases of one or more words with a value, matched against a run of tokens:
/// `دولار أمريكي` → USD. The longest phrase that matches wins; of two equal
/// phrases, the first listed.
#[derive(Debug, Clone)]
pub struct PhraseTable<V> {
    by_first: Keyed<Continuations<V>>,
    first_words: Sketch,
    max_words: usize,
}

impl<V> Default for PhraseTable<V> {
    fn default() -> Self {
        PhraseTable {
            by_first: Keyed::default(),
            first_words: Sketch::default(),
            max_words: 0,
        }
    }
}

impl<V> PhraseTable<V> {
    /// Builds the table; phrases are normalised and split on whitespace.
    pub fn new<'p>(phrases: impl IntoIterator<Item = (&'p str, V)>) -> PhraseTable<V> {
        let mut table = PhraseTable::default();
        // Gathered in hash maps first, then keyed.
        let mut by_first: FxHashMap<Box<str>, Gathered<V>> = FxHashMap::default();
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
            let (alone, by_second) = by_first.entry(first.clone()).or_default();
            match rest.split_first() {
                None => {
                    if alone.is_none() {
                        *alone = Some(value);
                    }
                }
                Some((second, after)) => {
                    let list = by_second.entry(second.clone()).or_default();
                    list.push((after.to_vec().into_boxed_slice(), value));
                    list.sort_by_key(|(after, _)| std::cmp::Reverse(after.len()));
                }
            }
        }
        table.by_first = by_first
            .into_iter()
            .map(|(first, (alone, by_second))| {
                let by_second = by_second.into_iter().collect();
                (first, Continuations { alone, by_second })
            })
            .collect();
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
        self.longest_from(first, word)
    }

    /// [`PhraseTable::longest`] for a caller whose lexicon bit says that
    /// `word(0)` starts a phrase (`هو` for the gazetteer, `رئيس` for the
    /// titles): without the sketch of first words, which would only let it
    /// through. The same answer on any words.
    pub fn longest_at_first_word<'w>(
        &self,
        word: impl Fn(usize) -> Option<&'w str>,
    ) -> Option<(usize, &V)> {
        self.longest_from(word(0)?, word)
    }

    /// [`PhraseTable::longest`] of the words from `first`, which is `word(0)`.
    #[inline(always)]
    fn longest_from<'w>(
        &self,
        first: &str,
        word: impl Fn(usize) -> Option<&'w str>,
    ) -> Option<(usize, &V)> {
        let continuations = self.by_first.get(first)?;
        let longer = if continuations.by_second.table.is_none() {
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
        self.first_words.may_contain(word) && self.by_first.get(word).is_some()
    }

    /// The words phrases start with.
    pub fn first_words(&self) -> impl Iterator<Item = &str> {
        self.by_first.entries.iter().map(|(w, _)| &**w)
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
    fn word_tables_tell_apart_words_that_share_their_ends() {
        // The same length and first and last eight bytes: told apart by the
        // middle.
        let (a, b) = ("والمنظمات الدولية", "والمؤسسات الدولية");
        let mut table = WordTable::default();
        table.insert(a.as_bytes(), 1u8);
        assert_eq!(table.get(a.as_bytes()), Some(1));
        assert_eq!(table.get(b.as_bytes()), None);
        table.insert(b.as_bytes(), 2);
        assert_eq!(table.get(a.as_bytes()), Some(1));
        assert_eq!(table.get(b.as_bytes()), Some(2));
        table.insert(b"", 3);
        assert_eq!(table.get(b""), None, "the empty word is never a key");
    }

    #[test]
    fn word_tables_answer_as_a_hash_map_on_every_corpus_word() {
        // Every token of the corpus, and numbers past the first growth; half
        // of them go in, all of them are asked.
        let mut words: Vec<Vec<u8>> = Vec::new();
        for text in crate::text::corpus_texts() {
            let norm = NormalizedText::new(&text);
            for t in crate::token::tokenize(&text, &norm) {
                words.push(text[t.span()].as_bytes().to_vec());
                words.push(norm.as_str()[t.norm_span()].as_bytes().to_vec());
            }
        }
        words.extend((0..10_000).map(|n| format!("وال{n}").into_bytes()));
        let mut table = WordTable::default();
        let mut map = FxHashMap::default();
        for (n, word) in words.iter().enumerate() {
            if n % 2 == 0 && !word.is_empty() && !map.contains_key(word) {
                table.insert(word, n);
                map.insert(word.clone(), n);
            }
        }
        assert_eq!(table.len(), map.len());
        for word in &words {
            assert_eq!(table.get(word), map.get(word).copied(), "{word:?}");
        }
    }

    #[test]
    fn word_sets_and_maps_answer_as_hash_sets_and_maps_on_every_corpus_word() {
        let words: FxHashSet<&str> = CLITIC_KNOWN_STEMS.words().collect();
        assert_eq!(words.len(), CLITIC_KNOWN_STEMS.len());
        // A word listed twice keeps its last value, as in a hash map.
        let pairs = || {
            CLITIC_WHOLE_WORDS
                .words()
                .chain(CLITIC_STEMS.words())
                .enumerate()
                .map(|(k, w)| (w.to_string(), k))
        };
        let map: WordMap<usize> = pairs().collect();
        let direct: FxHashMap<String, usize> = pairs().collect();
        assert_eq!(map.keys().count(), direct.len());
        for text in crate::text::corpus_texts() {
            let norm = NormalizedText::new(&text);
            for t in crate::token::tokenize(&text, &norm) {
                let w = &norm.as_str()[t.norm_span()];
                assert_eq!(CLITIC_KNOWN_STEMS.contains(w), words.contains(w), "{w}");
                assert_eq!(map.get(w), direct.get(w), "{w}");
            }
        }
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
    fn phrase_tables_answer_as_the_longest_listed_phrase_on_every_corpus_word() {
        // Every data file read as a phrase table, each phrase's value its
        // line: the table's answer at every corpus token, with the sketch of
        // first words and without, against the longest
        // phrase listed that matches there (of two equal, the first listed),
        // and its first words in the order of a hash map of them.
        let files = [
            include_str!("../data/persons/titles.txt"),
            include_str!("../data/places/gazetteer.txt"),
            include_str!("../data/places/cues.txt"),
            include_str!("../data/places/nationalities.txt"),
            include_str!("../data/figures/currencies.txt"),
            include_str!("../data/figures/units.txt"),
            include_str!("../data/figures/percent-words.txt"),
            include_str!("../data/figures/number-blockers.txt"),
            include_str!("../data/figures/not-counted.txt"),
            include_str!("../data/dates/months.txt"),
            include_str!("../data/dates/time-units.txt"),
            include_str!("../data/dates/parts.txt"),
            include_str!("../data/dates/relative.txt"),
            include_str!("../data/figures/qualifiers.txt"),
        ];
        let mut words: Vec<String> = Vec::new();
        for text in crate::text::corpus_texts() {
            let norm = NormalizedText::new(&text);
            for t in crate::token::tokenize(&text, &norm) {
                words.push(norm.as_str()[t.norm_span()].to_string());
            }
        }
        for data in files {
            let phrases: Vec<Vec<String>> = records(data)
                .map(|f| f[0].split_whitespace().map(normalize_word).collect())
                .collect();
            let table = PhraseTable::new(records(data).enumerate().map(|(k, f)| (f[0], k)));
            let mut by_first: FxHashMap<Box<str>, Vec<usize>> = FxHashMap::default();
            for (k, phrase) in phrases.iter().enumerate() {
                if let Some(first) = phrase.first() {
                    by_first.entry(first.as_str().into()).or_default().push(k);
                }
            }
            let listed: Vec<&str> = by_first.keys().map(|w| &**w).collect();
            assert_eq!(table.first_words().collect::<Vec<_>>(), listed);
            for at in 0..words.len() {
                let run = &words[at..];
                let direct = by_first.get(run[0].as_str()).and_then(|ks| {
                    ks.iter()
                        .filter(|&&k| run.starts_with(&phrases[k]))
                        .max_by_key(|&&k| (phrases[k].len(), std::cmp::Reverse(k)))
                        .map(|&k| (phrases[k].len(), k))
                });
                let got = table.longest(|k| run.get(k).map(String::as_str));
                assert_eq!(got.map(|(n, &k)| (n, k)), direct, "{}", run[0]);
                let at_first = table.longest_at_first_word(|k| run.get(k).map(String::as_str));
                assert_eq!(at_first.map(|(n, &k)| (n, k)), direct, "{}", run[0]);
                assert_eq!(
                    table.starts_with_word(&run[0]),
                    by_first.contains_key(run[0].as_str())
                );
            }
        }
    }

    #[test]
    fn bundled_lexicons_load() {
        assert!(CLITIC_WHOLE_WORDS.contains("بلغ"));
        assert!(CLITIC_STEMS.contains("منظمات"));
        assert!(ABBREVIATIONS.contains("د"));
        assert!(CHROME_LINES.contains("مصدر"));
    }
}

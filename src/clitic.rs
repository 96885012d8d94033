//! Clitic analysis: the proclitics glued to the front of an Arabic word.
//!
//! Arabic writes conjunctions (`و` and, `ف` so), prepositions (`ب` with, `ل` for,
//! `ك` like) and the article (`ال`) as part of the next word: `والمنظمات` is
//! `و` + `ال` + `منظمات`, and `للجنة` is `ل` + `ال` + `لجنة`, where the article's
//! alef is dropped after `ل`. Extractors look at the stem: `مسكنًا` and `والمساكن`
//! count the same noun.
//!
//! The hard part is what not to split: `بلغ` (reached), `لجنة` (committee),
//! `فيضانات` (floods) and `ولاية` (state) merely start with those letters. The
//! analysis therefore
//!
//! 1. keeps a word whole when it is in the whole-word lexicon
//!    (`data/clitics/whole-words.txt`);
//! 2. otherwise takes the longest split whose stem is a known stem or whole word
//!    (`data/clitics/stems.txt`);
//! 3. otherwise takes the longest split that the length and pattern rules allow:
//!    the article needs a stem of two letters and a plain alef (`أ` in `ألمانيا`
//!    is no article); `و` needs a stem of three letters; `ب ل ك` need a stem of
//!    four letters that starts like a verbal noun or participle (`ت`, `م`, or a
//!    hamza on alef: `لتنفيذ`, `بمعايير`, `لأعضاء`); `ف` alone is taken only from
//!    the lexicon, since so many words start with it.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::lexicon::{WordTable, CLITIC_KNOWN_STEMS, CLITIC_WHOLE_WORDS};
use crate::text::{fold_char, Fold};

const WA: u8 = 1;
const FA: u8 = 2;
const BI: u8 = 4;
const LI: u8 = 8;
const KA: u8 = 16;
const AL: u8 = 32;

/// The proclitics of a word and where its stem starts in the normal form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Clitics {
    bits: u8,
    stem_offset: u8,
    /// [`Clitics::particle_len`], worked out once: extractors ask for it for
    /// every bare form they read.
    particle_len: u8,
}

impl Clitics {
    /// No proclitics: the stem is the whole word.
    pub const NONE: Clitics = Clitics {
        bits: 0,
        stem_offset: 0,
        particle_len: 0,
    };

    fn new(bits: u8, stem_offset: u8) -> Clitics {
        let letter = 'و'.len_utf8() as u8;
        Clitics {
            bits,
            stem_offset,
            particle_len: letter
                * (u8::from(bits & (WA | FA) != 0) + u8::from(bits & (BI | LI | KA) != 0)),
        }
    }

    /// Whether the word has no proclitic.
    #[inline]
    pub fn is_empty(self) -> bool {
        self.bits == 0
    }

    /// The byte offset of the stem in the word's normal form.
    #[inline]
    pub fn stem_offset(self) -> usize {
        self.stem_offset as usize
    }

    /// The conjunction, if any: `و` or `ف`.
    pub fn conjunction(self) -> Option<&'static str> {
        match self.bits & (WA | FA) {
            WA => Some("و"),
            FA => Some("ف"),
            _ => None,
        }
    }

    /// The preposition, if any: `ب`, `ل` or `ك`.
    pub fn preposition(self) -> Option<&'static str> {
        match self.bits & (BI | LI | KA) {
            BI => Some("ب"),
            LI => Some("ل"),
            KA => Some("ك"),
            _ => None,
        }
    }

    /// The byte length, in the normal form, of the conjunction and preposition
    /// (not the article): what an entity's span leaves out of its first word
    /// (`وأكثر من` → `أكثر من`).
    #[inline]
    pub fn particle_len(self) -> usize {
        self.particle_len as usize
    }

    /// Whether the word carries the article `ال`.
    #[inline]
    pub fn has_article(self) -> bool {
        self.bits & AL != 0
    }

    /// The proclitics in the order they are written: conjunction, preposition,
    /// article.
    pub fn prefixes(self) -> impl Iterator<Item = &'static str> {
        self.conjunction()
            .into_iter()
            .chain(self.preposition())
            .chain(self.has_article().then_some("ال"))
    }
}

/// A candidate split: the proclitic bits and where the stem starts.
#[derive(Clone, Copy)]
struct Candidate {
    bits: u8,
    stem: usize,
}

impl Candidate {
    fn prefix_count(self) -> u32 {
        self.bits.count_ones()
    }
}

/// The word forms met on this thread, by their original text: each one's
/// clitics, analysed the first time it is met, and the lexicon bits the
/// extract layer works out for it the first time it asks
/// (`extract::features`). News reuses its words (`والمنظمات`, `للجنة`) across
/// sentences and articles: a document of 30,000 words has a few thousand
/// forms, and a lookup costs a few dozen instructions where an analysis costs
/// over a thousand. The tokenizer looks each word up once and keeps its form's
/// id ([`FormIds`]), so that the extract layer reads the form's bits by index
/// instead of looking the word up again. One per thread ([`with_cache`]).
pub(crate) struct Cache {
    /// Each form's index in `lexical` and its clitics, by its original text:
    /// the clitics kept in the slot, so that the tokenizer's lookup of a
    /// word reads no second table.
    ids: WordTable<(u32, Clitics)>,
    /// Each form's lexicon bits, once the extract layer has asked for them,
    /// or [`Cache::UNASKED`]: a plain integer a form, so that the reading of
    /// a known form is one bounds test and one comparison, with no call.
    lexical: Vec<u64>,
    /// Each form's number word, remembered with its lexicon bits, as the
    /// index the extract layer gives it (`extract::numbers`), or
    /// [`Cache::NO_NUMBER_WORD`].
    number_words: Vec<u32>,
    /// Which table this is: ids kept from it ([`FormIds`]) are good only
    /// while it is the thread's table and has not started over.
    stamp: u64,
}

/// The stamp of the next [`Cache`] (or of the next start over of one): no two
/// tables of forms, on any thread, share one.
static STAMPS: AtomicU64 = AtomicU64::new(0);

impl Default for Cache {
    fn default() -> Self {
        Cache {
            ids: WordTable::with_room(Cache::ROOM),
            lexical: Vec::new(),
            number_words: Vec::new(),
            stamp: STAMPS.fetch_add(1, Ordering::Relaxed),
        }
    }
}

/// The word forms of a document's tokens, as the thread's [`Cache`] numbered
/// them when it tokenized the document: `ids[k]` is token `k`'s form, or
/// [`FormIds::NONE`] for a token that is no word.
#[derive(Debug, Clone)]
pub(crate) struct FormIds {
    stamp: u64,
    pub(crate) ids: Vec<u32>,
}

impl FormIds {
    /// The id of a token that is no word.
    pub(crate) const NONE: u32 = u32::MAX;
}

impl Cache {
    /// How many forms a cache remembers before it starts over (between two
    /// documents, so that a document's ids all come from one table).
    pub(crate) const WORDS: usize = 1 << 16;

    /// How many forms a new table makes room for, at most a quarter full
    /// ([`WordTable::with_room`]): the genre's vocabulary, a few thousand
    /// forms (3,768 distinct words in the bench's 100 MB), then keeps the
    /// table under an eighth full, where a table grown from empty settles
    /// near half full, and many more of the tokenizer's lookups go on past
    /// their home slot. 32,768 slots, about 1.3 MB a thread.
    const ROOM: usize = 1 << 13;

    /// [`analyze`], remembered.
    #[inline]
    pub(crate) fn analyze(&mut self, norm: &str, original: &str) -> Clitics {
        self.form(original.as_bytes(), || (norm, original)).1
    }

    /// The id and clitics of the word whose original text is `word`: the
    /// clitics are analysed, of the normal form and original text that
    /// `texts` gives, the first time the word is met.
    #[inline]
    pub(crate) fn form<'w>(
        &mut self,
        word: &[u8],
        texts: impl FnOnce() -> (&'w str, &'w str),
    ) -> (u32, Clitics) {
        match self.ids.get(word) {
            Some(form) => form,
            None => {
                let (norm, original) = texts();
                self.add(word, norm, original)
            }
        }
    }

    /// Analyses and adds a form that is not in the cache. Not inlined: the
    /// tokenizer's loop over the words keeps its registers for the lookups.
    #[inline(never)]
    fn add(&mut self, word: &[u8], norm: &str, original: &str) -> (u32, Clitics) {
        let clitics = analyze(norm, original);
        let id = u32::try_from(self.lexical.len()).expect("fewer than 2^32 forms");
        self.ids.insert(word, (id, clitics));
        self.lexical.push(Self::UNASKED);
        self.number_words.push(Self::NO_NUMBER_WORD);
        (id, clitics)
    }

    /// Starts over when the cache is full, with a new stamp: called before a
    /// document's words are looked up.
    pub(crate) fn start_document(&mut self) {
        if self.lexical.len() >= Self::WORDS {
            *self = Cache::default();
        }
    }

    /// The ids of forms of this cache, for the words of a document.
    pub(crate) fn form_ids(&self, ids: Vec<u32>) -> FormIds {
        FormIds {
            stamp: self.stamp,
            ids,
        }
    }

    /// Whether `forms` are ids of this cache, as it is now.
    #[inline]
    pub(crate) fn numbered(&self, forms: &FormIds) -> bool {
        forms.stamp == self.stamp
    }

    /// The lexicon bits of a form not asked about yet. Were they ever a
    /// form's own bits, that form would merely have its bits worked out
    /// again each time; but no word has them all (the number bit is only a
    /// number token's, and number tokens have no form).
    const UNASKED: u64 = u64::MAX;

    /// The lexicon bits of form `id` (one of the ids this cache
    /// [`numbered`](Cache::numbered)), if they were
    /// [remembered](Cache::remember_lexical); `None` for [`FormIds::NONE`].
    #[inline]
    pub(crate) fn lexical(&self, id: u32) -> Option<u64> {
        let bits = *self.lexical.get(id as usize)?;
        (bits != Self::UNASKED).then_some(bits)
    }

    /// What [`Cache::number_words`] holds for a form that is no number word.
    const NO_NUMBER_WORD: u32 = u32::MAX;

    /// Remembers the lexicon bits of form `id` and its number word, if any,
    /// worked out by the extract layer the first time it asks.
    pub(crate) fn remember_lexical(&mut self, id: u32, bits: u64, number_word: Option<u32>) {
        self.lexical[id as usize] = bits;
        self.number_words[id as usize] = number_word.unwrap_or(Self::NO_NUMBER_WORD);
    }

    /// The number word remembered with the lexicon bits of form `id`: `None`
    /// for a form that is no number word (or whose bits were not asked for),
    /// and for [`FormIds::NONE`].
    #[inline]
    pub(crate) fn number_word(&self, id: u32) -> Option<u32> {
        let word = *self.number_words.get(id as usize)?;
        (word != Self::NO_NUMBER_WORD).then_some(word)
    }
}

thread_local! {
    /// The word forms met on this thread.
    static CACHE: std::cell::RefCell<Cache> = std::cell::RefCell::new(Cache::default());
}

/// Runs `f` with this thread's cache, borrowed once for all the words of a
/// document rather than once a word.
///
/// # Panics
///
/// When called again from inside `f` on the same thread.
pub(crate) fn with_cache<R>(f: impl FnOnce(&mut Cache) -> R) -> R {
    CACHE.with(|cache| f(&mut cache.borrow_mut()))
}

/// [`analyze`], remembered per thread by the word's original text: news
/// reuses its words (`والمنظمات`, `للجنة`) across sentences and articles.
pub fn analyze_cached(norm: &str, original: &str) -> Clitics {
    with_cache(|cache| cache.analyze(norm, original))
}

/// Whether the normal form `b` (UTF-8) starts with a letter that a proclitic
/// starts with (`و ف ب ل ك ا`), and is long enough to hold one and a stem:
/// three characters or more. Read from the bytes: the six letters are two
/// bytes each in UTF-8.
#[inline]
fn may_have_proclitic(b: &[u8]) -> bool {
    /// The six letters, by their UTF-8 bytes `lead c`: bit `c & 0x3F` of
    /// entry `lead - 0xD8` (`ا ب` are `D8 A7`, `D8 A8`; `ف ك ل و` are `D9 81`,
    /// `D9 83`, `D9 84`, `D9 88`).
    const LETTERS: [u64; 2] = [
        1 << 0x27 | 1 << 0x28,
        1 << 0x01 | 1 << 0x03 | 1 << 0x04 | 1 << 0x08,
    ];
    // The letter (two bytes) and two more characters (a byte or more each).
    let &[lead, c, third, _, ..] = b else {
        return false;
    };
    let Some(letters) = LETTERS.get(usize::from(lead.wrapping_sub(0xD8))) else {
        return false;
    };
    // The second character's length, from its lead byte: a third follows it
    // when bytes remain.
    let second =
        1 + usize::from(third >= 0x80) + usize::from(third >= 0xE0) + usize::from(third >= 0xF0);
    letters >> (c & 0x3F) & 1 != 0 && b.len() > 2 + second
}

/// Analyses one word, given its normal form and its original text (the original
/// tells a plain alef from a hamza-carrying one, which the normal form folds).
///
/// ```
/// use akhbar::clitic::analyze;
/// let c = analyze("والمنظمات", "والمنظمات");
/// assert_eq!(c.prefixes().collect::<Vec<_>>(), ["و", "ال"]);
/// assert_eq!(&"والمنظمات"[c.stem_offset()..], "منظمات");
/// assert!(analyze("بلغ", "بلغ").is_empty());
/// ```
pub fn analyze(norm: &str, original: &str) -> Clitics {
    if !may_have_proclitic(norm.as_bytes()) {
        return Clitics::NONE;
    }
    if CLITIC_WHOLE_WORDS.contains(norm) {
        return Clitics::NONE;
    }
    let mut candidates = [Candidate { bits: 0, stem: 0 }; 12];
    let mut n = 0usize;
    let mut push = |c: Candidate| {
        if n < candidates.len() {
            candidates[n] = c;
            n += 1;
        }
    };
    for conj in [conjunction_at(norm), 0] {
        let p1 = if conj != 0 { 'و'.len_utf8() } else { 0 };
        for prep in [preposition_at(&norm[p1..]), 0] {
            let p2 = p1 + if prep != 0 { 'ب'.len_utf8() } else { 0 };
            let rest = &norm[p2..];
            let bits = conj | prep;
            if prep == LI {
                if rest.starts_with('ل') {
                    // `لل`: the preposition and the article, its alef dropped.
                    push(Candidate {
                        bits: bits | AL,
                        stem: p2 + 'ل'.len_utf8(),
                    });
                    push(Candidate {
                        bits: bits | AL,
                        stem: p2,
                    });
                }
            } else if rest.starts_with("ال") && plain_alef_at(original, norm[..p2].chars().count())
            {
                push(Candidate {
                    bits: bits | AL,
                    stem: p2 + "ال".len(),
                });
            }
            if bits != 0 {
                push(Candidate { bits, stem: p2 });
            }
        }
    }
    let candidates = &mut candidates[..n];
    // Longest analysis first; the order of generation breaks ties.
    candidates.sort_by_key(|c| std::cmp::Reverse(c.prefix_count()));

    let stem_ok = |c: &Candidate| norm[c.stem..].chars().nth(1).is_some();
    let chosen = candidates
        .iter()
        .filter(|c| stem_ok(c))
        .find(|c| CLITIC_KNOWN_STEMS.contains(&norm[c.stem..]))
        .or_else(|| {
            candidates
                .iter()
                .filter(|c| stem_ok(c))
                .find(|c| plausible(norm, original, **c))
        });
    match chosen {
        Some(c) => Clitics::new(c.bits, c.stem as u8),
        None => Clitics::NONE,
    }
}

/// The length and pattern rules for a split that no lexicon confirms.
fn plausible(norm: &str, original: &str, c: Candidate) -> bool {
    let stem = &norm[c.stem..];
    let stem_chars = stem.chars().count();
    if c.bits & AL != 0 {
        return stem_chars >= 2;
    }
    if c.bits & (BI | LI | KA) != 0 {
        let first = stem.chars().next();
        let hamza = matches!(
            nth_base_char(original, norm[..c.stem].chars().count()),
            Some('أ' | 'إ')
        );
        return stem_chars >= 4 && (matches!(first, Some('ت' | 'م')) || hamza);
    }
    c.bits == WA && stem_chars >= 3
}

fn conjunction_at(s: &str) -> u8 {
    match s.chars().next() {
        Some('و') => WA,
        Some('ف') => FA,
        _ => 0,
    }
}

fn preposition_at(s: &str) -> u8 {
    match s.chars().next() {
        Some('ب') => BI,
        Some('ل') => LI,
        Some('ك') => KA,
        _ => 0,
    }
}

/// The `k`-th letter of `original`, not counting the marks and controls that
/// the normal form drops.
fn nth_base_char(original: &str, k: usize) -> Option<char> {
    original
        .chars()
        .filter(|&c| !matches!(fold_char(c), Fold::Mark | Fold::Ignore))
        .nth(k)
}

/// Whether the `k`-th letter of `original` is a plain alef (`ا`, `ٱ`, or their
/// presentation forms), as the article is written.
fn plain_alef_at(original: &str, k: usize) -> bool {
    matches!(
        nth_base_char(original, k),
        Some('ا' | 'ٱ' | '\u{FE8D}' | '\u{FE8E}')
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::NormalizedText;

    /// Analyses `word` as the tokenizer would (normal form plus original) and
    /// returns the prefixes and the stem.
    fn split(word: &str) -> (Vec<&'static str>, String) {
        let norm = NormalizedText::new(word);
        let c = analyze(norm.as_str(), word);
        (
            c.prefixes().collect(),
            norm.as_str()[c.stem_offset()..].to_string(),
        )
    }

    #[test]
    fn splits_proclitics() {
        let cases: &[(&str, &[&str], &str)] = &[
            ("والمنظمات", &["و", "ال"], "منظمات"),
            ("للجنة", &["ل", "ال"], "لجنة"),
            ("للحزب", &["ل", "ال"], "حزب"),
            ("وللجنة", &["و", "ل", "ال"], "لجنة"),
            ("الإقليمية", &["ال"], "اقليمية"),
            ("المؤتمر", &["ال"], "مؤتمر"),
            ("بالتزامن", &["ب", "ال"], "تزامن"),
            ("والمساعدة", &["و", "ال"], "مساعدة"),
            ("والتوجيه", &["و", "ال"], "توجيه"),
            ("ونشر", &["و"], "نشر"),
            ("وأصدرت", &["و"], "اصدرت"),
            ("ونظمت", &["و"], "نظمت"),
            ("ووجدت", &["و"], "وجدت"),
            ("وحضر", &["و"], "حضر"),
            ("بشكل", &["ب"], "شكل"),
            ("بفضل", &["ب"], "فضل"),
            ("لتنفيذ", &["ل"], "تنفيذ"),
            ("لمراجعة", &["ل"], "مراجعة"),
            ("بتكلفة", &["ب"], "تكلفة"),
            ("لأعضاء", &["ل"], "اعضاء"),
            ("وهو", &["و"], "هو"),
            ("وفي", &["و"], "في"),
            ("فالمشكلة", &["ف", "ال"], "مشكلة"),
            ("كالمعتاد", &["ك", "ال"], "معتاد"),
            ("والولاية", &["و", "ال"], "ولاية"),
            ("ولجنة", &["و"], "لجنة"),
            ("وبتكلفة", &["و", "ب"], "تكلفة"),
            ("للتنمية", &["ل", "ال"], "تنمية"),
            ("والأسر", &["و", "ال"], "اسر"),
            ("الفقيرة", &["ال"], "فقيرة"),
            ("والنقائص", &["و", "ال"], "نقائص"),
            ("بالاهتمام", &["ب", "ال"], "اهتمام"),
            ("لمحتوى", &["ل"], "محتوي"),
            ("وتقييم", &["و"], "تقييم"),
            ("الدائمة", &["ال"], "دائمة"),
            ("ولجان", &["و"], "لجان"),
            ("والأفراد", &["و", "ال"], "افراد"),
            ("وَالْمُنَظَّمَاتِ", &["و", "ال"], "منظمات"),
            ("فيضانات", &[], "فيضانات"),
            ("والفيضانات", &["و", "ال"], "فيضانات"),
        ];
        for (word, prefixes, stem) in cases {
            assert_eq!(split(word), (prefixes.to_vec(), stem.to_string()), "{word}");
        }
    }

    #[test]
    fn keeps_words_that_merely_start_with_clitic_letters() {
        for word in [
            "بلغ",
            "لجنة",
            "فيضانات",
            "ولاية",
            "وزارة",
            "بين",
            "بعد",
            "لكن",
            "كان",
            "فترة",
            "فريق",
            "بلدية",
            "ألمانيا",
            "إلى",
            "الذي",
            "التي",
            "الله",
            "وافق",
            "كمبوديا",
            "لاوس",
            "في",
            "من",
            "بناء",
            "وفد",
            "لقاء",
            "بترول",
            "آلاف",
            "ألف",
            "كما",
        ] {
            assert_eq!(
                split(word),
                (vec![], NormalizedText::new(word).as_str().to_string()),
                "{word}"
            );
        }
    }

    #[test]
    fn short_words_are_never_split() {
        assert!(analyze("لم", "لم").is_empty());
        assert!(analyze("و", "و").is_empty());
        assert!(analyze("", "").is_empty());
    }

    /// The character-by-character definition that [`may_have_proclitic`]
    /// reads from bytes.
    fn may_have_proclitic_by_chars(norm: &str) -> bool {
        let mut chars = norm.chars();
        matches!(chars.next(), Some('و' | 'ف' | 'ب' | 'ل' | 'ك' | 'ا')) && chars.nth(1).is_some()
    }

    #[test]
    fn proclitic_letters_are_read_from_bytes_as_from_chars() {
        let letters = [
            "و", "ف", "ب", "ل", "ك", "ا", "ي", "أ", "م", "ت", "a", "1", "é", "ڤ", "\u{200F}", "€",
            "😀", "ﻻ", "ة",
        ];
        let mut words = vec![String::new()];
        for _ in 0..4 {
            let mut longer = Vec::new();
            for w in &words {
                for l in letters {
                    longer.push(format!("{w}{l}"));
                }
            }
            words.extend(longer);
        }
        for w in &words {
            assert_eq!(
                may_have_proclitic(w.as_bytes()),
                may_have_proclitic_by_chars(w),
                "{w:?}"
            );
        }
    }

    #[test]
    fn the_cache_answers_as_the_analysis_does_on_every_word() {
        let mut cache = Cache::default();
        let mut words = Vec::new();
        for text in crate::text::corpus_texts() {
            let norm = NormalizedText::new(&text);
            for t in crate::token::tokenize(&text, &norm) {
                words.push((
                    norm.as_str()[t.norm_span()].to_string(),
                    text[t.span()].to_string(),
                ));
            }
        }
        // More words than the cache keeps, so that it starts over.
        for n in 0..Cache::WORDS + 10 {
            words.push((format!("وال{n}"), format!("وال{n}")));
        }
        let mut ids = std::collections::HashMap::new();
        let mut stamps = std::collections::HashSet::new();
        for _ in 0..2 {
            for (norm, original) in &words {
                cache.start_document();
                if stamps.insert(cache.stamp) {
                    ids.clear();
                }
                let (id, clitics) = cache.form(original.as_bytes(), || (norm, original));
                assert_eq!(clitics, analyze(norm, original), "{original}");
                // One id a form, for as long as the table lasts.
                let first = *ids.entry(original.clone()).or_insert(id);
                assert_eq!(id, first, "{original}");
            }
        }
        assert!(stamps.len() > 1, "the cache started over");
    }

    #[test]
    fn the_caches_answer_as_the_analysis_does() {
        // Twice each: the second answer comes from the caches. `ألمانيا` and
        // `المانيا` fold to one normal form but are different originals.
        let mut cache = Cache::default();
        for _ in 0..2 {
            for word in [
                "والمنظمات",
                "للجنة",
                "ألمانيا",
                "المانيا",
                "وَالْمُنَظَّمَات",
                "بلغ",
                "وأكثر",
                "لم",
            ] {
                let norm = NormalizedText::new(word);
                let expected = analyze(norm.as_str(), word);
                assert_eq!(cache.analyze(norm.as_str(), word), expected, "{word}");
                // The thread's cache, which the tokenizer borrows.
                assert_eq!(analyze_cached(norm.as_str(), word), expected, "{word}");
            }
        }
    }
}

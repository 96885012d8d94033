//! Numbers as the genre writes them: digits with every separator style, and
//! number words with their scales. Shared by every extractor that reads figures.
//!
//! Digits. `٫` is always a decimal point and `٬` always a thousands separator.
//! `.` and `,` are ambiguous, because the genre copies Vietnamese separators
//! (`17.500` is seventeen thousand five hundred in Vietnamese) into text that
//! otherwise follows English usage. The reading chosen is the one the genre
//! makes most likely (SPEC §1, `corpus/README.md` §6):
//!
//! * several of the same separator (`1.234.567`, `1,234,567`) group thousands;
//! * both kinds (`2,006.79`, `1.234,5`): the last one is the decimal point;
//! * one separator with one, two or four and more digits after it is a decimal
//!   point (`8.05`, `1,5`, `4,96`);
//! * one separator with exactly three digits after it: `,` groups thousands
//!   (`1,772 مليار`, `24,294 نسمة`); `.` is a decimal point before a scale word
//!   (`4.952 مليون` = 4952000) and groups thousands otherwise (`1.062 منزلًا`).
//!   These readings stay ambiguous and carry the other one as `alternative`.
//!
//! Words. `خمسة وعشرون ألفًا` = 25000, `ثلاثمائة وخمسون` = 350, `نصف مليون` =
//! 500000, `ألف مليار` = 10^12 (stacked scales multiply), and digits take scales
//! too (`2.5 مليار`, `3 ملايين`).

use std::cell::Cell;
use std::sync::LazyLock;

use super::features::{self, in_form, Form};
use crate::analysis::Analysis;
use crate::clitic;
use crate::decimal::Decimal;
use crate::lexicon::{normalize_word, records, WordMap};
use crate::token::{Token, TokenKind};

/// A number read from digits: the chosen value, and the other reading when the
/// separators leave two plausible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    /// The value chosen.
    pub value: Decimal,
    /// The other plausible value, if any.
    pub alternative: Option<Decimal>,
}

/// Reads a number token's normal form (ASCII digits with `.` `,` `٫` `٬`).
/// `scale_follows` says whether a scale word (`مليون`) comes next, which decides
/// `4.952`. `None` for anything else (`10/13`, `2020-2025`, `14:30`).
///
/// ```
/// use akhbar::extract::numbers::parse_digits;
/// assert_eq!(parse_digits("1,772", true).unwrap().value.to_string(), "1772");
/// assert_eq!(parse_digits("4.952", true).unwrap().value.to_string(), "4.952");
/// assert_eq!(parse_digits("1.062", false).unwrap().value.to_string(), "1062");
/// assert_eq!(parse_digits("2٫5", false).unwrap().value.to_string(), "2.5");
/// ```
pub fn parse_digits(norm: &str, scale_follows: bool) -> Option<Reading> {
    plain_digits(norm.as_bytes()).or_else(|| parse_separated(norm, scale_follows))
}

/// [`parse_digits`] of plain digits (`2023`, `15`), most numbers of the
/// genre: no separator to weigh, so no allocation. Up to 18 digits, which
/// fit in 64 bits (no 128-bit products), read in one pass over the bytes that
/// tells a digit from anything else; `None` for anything else.
#[inline]
fn plain_digits(norm: &[u8]) -> Option<Reading> {
    if norm.is_empty() || norm.len() > 18 {
        return None;
    }
    let value = norm.iter().try_fold(0u64, |v, &b| {
        let digit = b.wrapping_sub(b'0');
        (digit < 10).then(|| v * 10 + u64::from(digit))
    })?;
    Some(Reading {
        value: Decimal::from_int(i128::from(value)),
        alternative: None,
    })
}

/// Digits with one separator (`1,772`, `8.05`, `2٫5`, `1٬000`), most of
/// the numbers that are no [plain digits](plain_digits): up to 18 digits,
/// read in one pass over the bytes as an integer, and where the separator
/// stood, with no list of digits or separators to keep.
struct OneSeparator {
    /// The digits as an integer.
    mantissa: u64,
    /// How many digits.
    digits: usize,
    /// The separator, and how many digits stand before it.
    separator: char,
    at: usize,
}

impl OneSeparator {
    /// The digits and the one separator of `norm`; `None` for any other
    /// token (no separator or several, more than 18 digits, another
    /// character), which [`parse_separated`] reads as it reads them all.
    fn read(norm: &[u8]) -> Option<OneSeparator> {
        let (mut mantissa, mut digits) = (0u64, 0);
        let mut separator = None;
        let mut bytes = norm.iter();
        while let Some(&b) = bytes.next() {
            let c = match b {
                b'0'..=b'9' if digits < 18 => {
                    mantissa = mantissa * 10 + u64::from(b - b'0');
                    digits += 1;
                    continue;
                }
                b'.' | b',' | b'\'' => char::from(b),
                // `٫` and `٬`, two bytes each.
                0xD9 => match bytes.next() {
                    Some(0xAB) => '٫',
                    Some(0xAC) => '٬',
                    _ => return None,
                },
                _ => return None,
            };
            if separator.replace((c, digits)).is_some() {
                return None;
            }
        }
        let (separator, at) = separator?;
        Some(OneSeparator {
            mantissa,
            digits,
            separator,
            at,
        })
    }

    /// What [`read_separated`] reads in these digits with this separator.
    fn reading(&self, scale_follows: bool) -> Option<Reading> {
        if self.digits == 0 {
            return None;
        }
        // The digits as a decimal with the point before digit `point` (none
        // when it is past the last digit), as `read_separated` puts it.
        let with_point = |point: Option<usize>| {
            let scale = match point {
                Some(p) if p < self.digits => self.digits - p,
                _ => 0,
            };
            Decimal::new(i128::from(self.mantissa), scale as u8)
        };
        let reading = |value: Option<Decimal>, alternative: Option<Decimal>| {
            value.map(|value| Reading {
                value,
                alternative: alternative.filter(|a| *a != value),
            })
        };
        let (c, p) = (self.separator, self.at);
        match c {
            // The Arabic decimal separator is unambiguous.
            '٫' => reading(with_point(Some(p)), None),
            // `٬` and `'` group.
            '٬' | '\'' => reading(with_point(None), None),
            _ if self.digits - p != 3 => reading(with_point(Some(p)), None),
            _ => {
                let grouped = with_point(None);
                let decimal = with_point(Some(p));
                if c == '.' && scale_follows {
                    reading(decimal, grouped)
                } else {
                    reading(grouped, decimal)
                }
            }
        }
    }
}

/// [`parse_digits`] of a token that is no [plain number](plain_digits).
fn parse_separated(norm: &str, scale_follows: bool) -> Option<Reading> {
    if let Some(one) = OneSeparator::read(norm.as_bytes()) {
        return one.reading(scale_follows);
    }
    // The digits and the separators (with the position in the digits where
    // each stood), on the stack for the tokens of the genre (`1,234,567.89`
    // is 12 bytes, three separators), so few separators that the array to
    // clear is small; a token with more is read on the heap.
    const DIGITS_ON_STACK: usize = 24;
    const SEPARATORS_ON_STACK: usize = 6;
    if norm.len() <= DIGITS_ON_STACK {
        let mut digits = [0u8; DIGITS_ON_STACK];
        let mut seps = [('\0', 0u8); SEPARATORS_ON_STACK];
        let (mut nd, mut ns) = (0, 0);
        for c in norm.chars() {
            match c {
                '0'..='9' => {
                    digits[nd] = c as u8;
                    nd += 1;
                }
                '.' | ',' | '٫' | '٬' | '\'' => {
                    let Some(sep) = seps.get_mut(ns) else {
                        return parse_digits_on_heap(norm, scale_follows);
                    };
                    *sep = (c, nd as u8);
                    ns += 1;
                }
                _ => return None,
            }
        }
        return read_separated(&digits[..nd], &seps[..ns], scale_follows);
    }
    parse_digits_on_heap(norm, scale_follows)
}

/// [`parse_digits`] of a token of any length, its digits and separators
/// collected on the heap.
fn parse_digits_on_heap(norm: &str, scale_follows: bool) -> Option<Reading> {
    let mut digits = Vec::with_capacity(norm.len());
    let mut seps: Vec<(char, usize)> = Vec::new();
    for c in norm.chars() {
        match c {
            '0'..='9' => digits.push(c as u8),
            '.' | ',' | '٫' | '٬' | '\'' => seps.push((c, digits.len())),
            _ => return None,
        }
    }
    read_separated(&digits, &seps, scale_follows)
}

/// [`parse_digits`] of the ASCII `digits` of a token and its separators, each
/// with the position in `digits` where it stood (a byte for a short token, a
/// `usize` for a long one), in order.
fn read_separated<P: Copy + Into<usize>>(
    digits: &[u8],
    seps: &[(char, P)],
    scale_follows: bool,
) -> Option<Reading> {
    if digits.is_empty() {
        return None;
    }
    // The separators with their positions as `usize`.
    let seps = || seps.iter().map(|&(c, p)| (c, p.into()));
    // The digits as an integer, read once in place rather than formatted and
    // parsed: every reading below puts a point in the same digits. Up to 18
    // digits cannot overflow 64 bits: no checks, no 128-bit arithmetic.
    let mantissa = if digits.len() <= 18 {
        Some(i128::from(
            digits
                .iter()
                .fold(0i64, |m, &b| m * 10 + i64::from(b - b'0')),
        ))
    } else {
        digits.iter().try_fold(0i128, |m, &b| {
            m.checked_mul(10)?.checked_add(i128::from(b - b'0'))
        })
    };
    // The digits as a decimal with the point before digit `point` (none when it
    // is past the last digit).
    let with_point = |point: Option<usize>| -> Option<Decimal> {
        let scale = match point {
            Some(p) if p < digits.len() => digits.len() - p,
            _ => 0,
        };
        Decimal::new(mantissa?, u8::try_from(scale).ok()?)
    };
    let groups_ok = |kind: char| {
        // Every group after the first separator of `kind` has three digits.
        let mut positions = seps().filter(|(c, _)| *c == kind).map(|(_, p)| p);
        let mut last = positions.next();
        for p in positions {
            if last.is_some_and(|q| p - q != 3) {
                return false;
            }
            last = Some(p);
        }
        last.is_none_or(|last| {
            let next = seps()
                .find(|(_, p)| *p > last)
                .map_or(digits.len(), |(_, p)| p);
            next - last == 3
        })
    };
    let reading = |value: Option<Decimal>, alternative: Option<Decimal>| {
        value.map(|value| Reading {
            value,
            alternative: alternative.filter(|a| *a != value),
        })
    };
    if let Some((_, p)) = seps().find(|(c, _)| *c == '٫') {
        // The Arabic decimal separator is unambiguous; `٬` and others group.
        return reading(with_point(Some(p)), None);
    }
    let mut plain = seps().filter(|(c, _)| matches!(c, '.' | ','));
    let Some((first_kind, first_at)) = plain.next() else {
        return reading(with_point(None), None);
    };
    // The last plain separator, and whether all are of the first one's kind.
    let (mut last, mut one_kind, mut many) = ((first_kind, first_at), true, false);
    for (c, p) in plain {
        one_kind &= c == first_kind;
        last = (c, p);
        many = true;
    }
    if !many {
        let (c, p) = (first_kind, first_at);
        let after = digits.len() - p;
        if after != 3 {
            return reading(with_point(Some(p)), None);
        }
        let grouped = with_point(None);
        let decimal = with_point(Some(p));
        return match (c, scale_follows) {
            (',', _) => reading(grouped, decimal),
            ('.', true) => reading(decimal, grouped),
            _ => reading(grouped, decimal),
        };
    }
    if one_kind {
        // `1.234.567`: all group thousands.
        if groups_ok(first_kind) {
            reading(with_point(None), None)
        } else {
            None
        }
    } else {
        // `2,006.79`: the last separator is the decimal point.
        reading(with_point(Some(last.1)), None)
    }
}

/// The class of a number word (`data/figures/cardinals.txt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordClass {
    /// 0–9.
    Unit,
    /// `عشر`/`عشرة` after a unit (11–19), or ten alone.
    Teen,
    /// 20, 30, … 90.
    Ten,
    /// 100 … 900.
    Hundred,
    /// ألف, مليون, مليار, تريليون, and their duals and plurals.
    Scale,
    /// نصف, ربع.
    Fraction,
}

/// A number word's value and class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberWord {
    /// Its value (a scale's factor).
    pub value: Decimal,
    /// Its class.
    pub class: WordClass,
}

fn parse_class(name: &str) -> Option<WordClass> {
    Some(match name {
        "unit" => WordClass::Unit,
        "teen" => WordClass::Teen,
        "ten" => WordClass::Ten,
        "hundred" => WordClass::Hundred,
        "scale" => WordClass::Scale,
        "fraction" => WordClass::Fraction,
        _ => return None,
    })
}

/// The cardinal number words, by normal form.
pub static CARDINALS: LazyLock<WordMap<NumberWord>> = LazyLock::new(|| {
    records(include_str!("../../data/figures/cardinals.txt"))
        .filter_map(|f| {
            let value = f.get(1)?.parse().ok()?;
            let class = parse_class(f.get(2)?)?;
            Some((normalize_word(f[0]), NumberWord { value, class }))
        })
        .collect()
});

/// The number word a token's normal form is, if any.
#[inline]
pub fn cardinal(norm: &str) -> Option<NumberWord> {
    CARDINALS.get(norm).copied()
}

/// A number found in the token stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberPhrase {
    /// Index of its first token.
    pub start: usize,
    /// Index after its last token.
    pub end: usize,
    /// The value, scales applied.
    pub value: Decimal,
    /// The other plausible value (digits with ambiguous separators).
    pub alternative: Option<Decimal>,
    /// Whether it was written in words (or started with a word: `مليار`).
    pub words: bool,
    /// The scale factor its last scale word applied (1 when none).
    pub scale: Decimal,
}

/// Plural scale words mean "thousands of", "millions of" when alone: vague.
fn is_plural_scale(norm: &str) -> bool {
    matches!(norm, "الاف" | "ملايين" | "مليارات" | "تريليونات")
}

/// The number word of token `k`, also when it carries the conjunction `و` (which
/// joins compound numbers: `وعشرون`) or a preposition (`بخمسة`).
///
/// Only body tokens are read: every caller stops at the body's end anyway, and
/// the shared features ([`super::features`]) pass over the words that are no
/// number word in any of these forms. Each form is looked up only when its own
/// bit says it is a number word: the bits are exact for single words, so a
/// lookup without its bit would miss (`word_at_ungated` is the plain rule).
/// The test of the bits is inlined: most tokens asked about (the word after
/// each number token) are no number word, answered with no call.
#[inline]
fn word_at(doc: &Analysis<'_>, lexical: &[u64], k: usize) -> Option<NumberWord> {
    let bits = *lexical.get(k)?;
    if bits & MAY_BE_NUMBER_WORD == 0 {
        return None;
    }
    number_word(doc, bits, k)
}

/// [`word_at`] of a token whose bits (`bits`) say one of its forms is a number
/// word.
#[inline(never)]
fn number_word(doc: &Analysis<'_>, bits: u64, k: usize) -> Option<NumberWord> {
    let t = doc.tokens().get(k)?;
    number_word_index(doc, t, bits).map(|w| *CARDINALS.at(w))
}

/// The index in [`CARDINALS`] of the number word that token `t`, with the
/// lexicon bits `bits`, is in one of the forms [`word_at`] looks up: what the
/// thread's table of forms remembers with a word's bits
/// ([`remembered_word_at`]).
pub(super) fn number_word_index(doc: &Analysis<'_>, t: &Token, bits: u64) -> Option<u32> {
    if bits & MAY_BE_NUMBER_WORD == 0 {
        return None;
    }
    let norm = doc.norm(t);
    if bits & in_form(Form::Norm, features::NUMBER_WORD) != 0 {
        if let Some(w) = CARDINALS.index(norm) {
            return Some(w);
        }
    }
    if bits & in_form(Form::Unprefixed, features::NUMBER_WORD) != 0 {
        if let Some(w) = norm
            .strip_prefix('و')
            .and_then(|rest| CARDINALS.index(rest))
        {
            return Some(w);
        }
    }
    if bits & in_form(Form::Bare, features::NUMBER_WORD) != 0 {
        return CARDINALS.index(doc.bare(t));
    }
    None
}

/// [`word_at`], read by token `k`'s form in the thread's table of forms
/// when it is given (`forms`, the table that numbered `doc`'s forms), where
/// the document's bits (`lexical`, [`features::working_out`]) left each form's
/// number word: the same few forms (`مليون`, `ألف`) come again and again,
/// each one lookup of up to three forms. The test of the bits is inlined,
/// as in [`word_at`].
#[inline]
fn remembered_word_at(
    forms: Option<&clitic::Cache>,
    doc: &Analysis<'_>,
    lexical: &[u64],
    k: usize,
) -> Option<NumberWord> {
    let bits = *lexical.get(k)?;
    if bits & MAY_BE_NUMBER_WORD == 0 {
        return None;
    }
    match forms {
        Some(forms) => remembered_number_word(forms, doc, k),
        None => number_word(doc, bits, k),
    }
}

/// [`remembered_word_at`] of a token whose bits say one of its forms is a
/// number word.
#[inline(never)]
fn remembered_number_word(
    cache: &clitic::Cache,
    doc: &Analysis<'_>,
    k: usize,
) -> Option<NumberWord> {
    let id = *doc.forms().ids.get(k)?;
    cache.number_word(id).map(|w| *CARDINALS.at(w))
}

/// [`word_at`] with every form looked up: what the gates must agree with.
#[cfg(test)]
fn word_at_ungated(doc: &Analysis<'_>, lexical: &[u64], k: usize) -> Option<NumberWord> {
    lexical.get(k)?;
    let t = doc.tokens().get(k)?;
    let norm = doc.norm(t);
    cardinal(norm)
        .or_else(|| norm.strip_prefix('و').and_then(cardinal))
        .or_else(|| cardinal(doc.bare(t)))
}

/// The forms [`word_at`] looks up: normal, without a leading `و` (a subset of
/// the unprefixed form), and bare.
const MAY_BE_NUMBER_WORD: u64 = in_form(Form::Norm, features::NUMBER_WORD)
    | in_form(Form::Unprefixed, features::NUMBER_WORD)
    | in_form(Form::Bare, features::NUMBER_WORD);

/// Where a number can start: a number token, or a word whose forms are number
/// words ([`MAY_BE_NUMBER_WORD`]).
pub(super) const MAY_START_NUMBER: u64 = MAY_BE_NUMBER_WORD | in_form(Form::Norm, features::NUMBER);

/// Registers the number words ([`CARDINALS`]) with the shared per-token
/// features.
pub(super) fn register_features(add: &mut dyn FnMut(&str, features::Lex)) {
    for word in CARDINALS.keys() {
        add(word, features::NUMBER_WORD);
    }
}

/// Multiplies `value` by the scale words that follow from token `k` (`مليون`,
/// `ألف مليار`), returning the new value, the token after them and the factor.
fn apply_scales(
    words: &impl Fn(usize) -> Option<NumberWord>,
    k: usize,
    limit: usize,
    value: Decimal,
) -> (Decimal, usize, Decimal) {
    let first = if k < limit { words(k) } else { None };
    scales_from(words, first, k, limit, value)
}

/// [`apply_scales`] with the number word at `k` already looked up (`first`,
/// `None` when `k` is past `limit`).
///
/// Inlined in each caller: most numbers have one scale word (`3 ملايين`),
/// and a call, with a word, a value and a result of three decimals to pass
/// through memory, cost about as much as the loop and the product.
#[inline(always)]
fn scales_from(
    words: &impl Fn(usize) -> Option<NumberWord>,
    first: Option<NumberWord>,
    mut k: usize,
    limit: usize,
    value: Decimal,
) -> (Decimal, usize, Decimal) {
    let one = Decimal::from_int(1);
    let mut factor = one;
    let mut w = first;
    while let Some(scale) = w.filter(|w| w.class == WordClass::Scale) {
        // The first scale is the factor itself: number words are normalised,
        // and `1 × scale` would be `scale` (no 128-bit product to check).
        factor = if factor == one {
            scale.value
        } else {
            factor.checked_mul(scale.value).unwrap_or(factor)
        };
        k += 1;
        w = if k < limit { words(k) } else { None };
    }
    if factor == one {
        // Decimals are kept normalised, so `value × 1` is `value` itself.
        return (value, k, factor);
    }
    (value.checked_mul(factor).unwrap_or(value), k, factor)
}

/// Reads the number that starts at token `i` (before `limit`): digits with
/// their scales, or number words. `None` when token `i` starts no number.
///
/// A body token's number is read once per document and remembered: figures
/// and dates ask for the same ones.
pub fn number_at(doc: &Analysis<'_>, i: usize, limit: usize) -> Option<NumberPhrase> {
    let facts = super::DocFacts::of(doc);
    if limit == facts.lexical.len() {
        facts.numbers.at(i).copied()
    } else {
        let lexical = &facts.lexical;
        read_number(doc, &|k| word_at(doc, lexical, k), i, limit)
    }
}

/// The number each body token of a document starts, read once.
pub(crate) struct NumberMemo {
    /// Per body token (and maybe more: see [`SPARE_TABLE`]), the index of its
    /// number in `phrases`, or `NONE`.
    at: Vec<u32>,
    phrases: Vec<NumberPhrase>,
}

thread_local! {
    /// The table of the last memo dropped on this thread, every entry `NONE`
    /// again, for the next document's memo: a table as long as the body,
    /// filled entry by entry for every document, would cost as much as the
    /// numbers it points to, while only the entries of the numbers (one token
    /// in ten) change. A table longer than a body has `NONE` past it, which
    /// reads as the body's end does.
    static SPARE_TABLE: Cell<Vec<u32>> = const { Cell::new(Vec::new()) };
}

impl NumberMemo {
    const NONE: u32 = u32::MAX;

    /// The numbers of a body whose tokens have the bits `lexical`, read at
    /// `starts`, the tokens that can start one ([`MAY_START_NUMBER`]), in
    /// order.
    pub(crate) fn read(doc: &Analysis<'_>, lexical: &[u64], starts: &[u32]) -> NumberMemo {
        let mut at = SPARE_TABLE.take();
        if at.len() < lexical.len() {
            // Filled anew rather than grown: what it holds need not be copied.
            at = vec![Self::NONE; lexical.len()];
        }
        let mut memo = NumberMemo {
            at,
            // Phrases are large (three decimals): reserved for a number at
            // every start rather than copied as the vector grows.
            phrases: Vec::with_capacity(starts.len()),
        };
        // Before the cache is borrowed: building a lexicon may tokenize.
        LazyLock::force(&CARDINALS);
        clitic::with_cache(|cache| {
            // The number words the bits' pass remembered, unless the
            // thread's table is not the one that numbered the forms.
            let forms = cache.numbered(doc.forms()).then_some(&*cache);
            let word = |k: usize| remembered_word_at(forms, doc, lexical, k);
            for &i in starts {
                let i = i as usize;
                if let Some(phrase) = read_number(doc, &word, i, lexical.len()) {
                    if memo.phrases.len() < Self::NONE as usize {
                        memo.phrases.push(phrase);
                        memo.at[i] = (memo.phrases.len() - 1) as u32;
                    }
                }
            }
        });
        memo
    }

    /// The number body token `i` starts, where it is remembered.
    #[inline]
    pub(crate) fn at(&self, i: usize) -> Option<&NumberPhrase> {
        match *self.at.get(i)? {
            Self::NONE => None,
            k => self.phrases.get(k as usize),
        }
    }
}

impl Drop for NumberMemo {
    /// Sets the entries of the numbers back to `NONE` and leaves the table
    /// to the next memo of this thread ([`SPARE_TABLE`]), unless the one kept
    /// there is longer. Nothing is kept while the thread ends.
    fn drop(&mut self) {
        for phrase in &self.phrases {
            self.at[phrase.start] = Self::NONE;
        }
        let at = std::mem::take(&mut self.at);
        let _ = SPARE_TABLE.try_with(|spare| {
            let kept = spare.take();
            spare.set(if kept.len() >= at.len() { kept } else { at });
        });
    }
}

/// [`number_at`], read from the tokens; `words` is [`word_at`] of the
/// document.
fn read_number(
    doc: &Analysis<'_>,
    words: &impl Fn(usize) -> Option<NumberWord>,
    i: usize,
    limit: usize,
) -> Option<NumberPhrase> {
    let tokens = doc.tokens();
    let t = tokens.get(i)?;
    if i >= limit {
        return None;
    }
    if t.kind == TokenKind::Number {
        // The word after the number, looked up once: it decides `4.952` and
        // starts the scales.
        let next = if i + 1 < limit { words(i + 1) } else { None };
        let scale_follows = next.is_some_and(|w| w.class == WordClass::Scale);
        // Plain digits are read from the bytes, with no character boundary
        // to check.
        let norm = doc.form_bytes(t, 0);
        let reading = match plain_digits(norm) {
            Some(reading) => reading,
            None => parse_separated(doc.norm(t), scale_follows)?,
        };
        let (value, end, scale, alternative) = if scale_follows {
            let (value, end, scale) = scales_from(words, next, i + 1, limit, reading.value);
            let alternative = reading.alternative.and_then(|a| a.checked_mul(scale));
            (value, end, scale, alternative)
        } else {
            // Decimals are kept normalised: `× 1` leaves the other reading
            // as it is.
            (
                reading.value,
                i + 1,
                Decimal::from_int(1),
                reading.alternative,
            )
        };
        return Some(NumberPhrase {
            start: i,
            end,
            value,
            alternative,
            words: false,
            scale,
        });
    }
    let first = words(i)?;
    match first.class {
        WordClass::Fraction => {
            // `نصف مليون`; a fraction alone (`نصف السكان`) is no figure.
            let (value, end, scale) = apply_scales(words, i + 1, limit, first.value);
            (end > i + 1).then_some(NumberPhrase {
                start: i,
                end,
                value,
                alternative: None,
                words: true,
                scale,
            })
        }
        WordClass::Scale if is_plural_scale(doc.bare(t)) => None,
        _ => words_at(doc, words, first, i, limit),
    }
}

/// Reads a number written in words from token `i`.
fn words_at(
    doc: &Analysis<'_>,
    words: &impl Fn(usize) -> Option<NumberWord>,
    first: NumberWord,
    i: usize,
    limit: usize,
) -> Option<NumberPhrase> {
    let mut total = Decimal::ZERO;
    let mut current = Decimal::ZERO;
    let mut last: Option<WordClass> = None;
    let mut k = i;
    let mut scale = Decimal::from_int(1);
    let add = |a: Decimal, b: Decimal| {
        Decimal::new(a.mantissa().checked_add(b.mantissa())?, 0)
            .filter(|_| a.is_integer() && b.is_integer())
    };
    while k < limit {
        let Some(w) = (if k == i { Some(first) } else { words(k) }) else {
            break;
        };
        let joined_by_and = k > i
            && doc.norm(&doc.tokens()[k]).starts_with('و')
            && cardinal(doc.norm(&doc.tokens()[k])).is_none();
        // A compound goes on only with `و` between parts, or a teen or scale
        // right after a unit (`ثلاثة عشر`, `خمسة آلاف`).
        if k > i
            && !joined_by_and
            && !matches!(
                w.class,
                WordClass::Teen | WordClass::Scale | WordClass::Hundred
            )
        {
            break;
        }
        match w.class {
            WordClass::Unit | WordClass::Ten => current = add(current, w.value)?,
            WordClass::Teen => {
                if k > i && last != Some(WordClass::Unit) {
                    break;
                }
                current = add(current, w.value)?;
            }
            WordClass::Hundred => {
                if last == Some(WordClass::Unit) && !joined_by_and {
                    // `ثلاث مائة`
                    current = current.checked_mul(w.value)?;
                } else if k > i && !joined_by_and {
                    break;
                } else {
                    current = add(current, w.value)?;
                }
            }
            WordClass::Scale => {
                let base = if current == Decimal::ZERO {
                    Decimal::from_int(1)
                } else {
                    current
                };
                let (value, end, factor) = scales_from(words, Some(w), k, limit, base);
                total = add(total, value).unwrap_or(value);
                current = Decimal::ZERO;
                scale = factor;
                k = end;
                last = Some(WordClass::Scale);
                continue;
            }
            WordClass::Fraction => break,
        }
        last = Some(w.class);
        k += 1;
    }
    if k == i {
        return None;
    }
    // `أحد` and `إحدى` are numbers only in `أحد عشر`; `واحد` alone is mostly
    // "one of" or an adjective (`أسبوع واحد`); `عشر` alone is part of a teen.
    if k == i + 1
        && matches!(
            doc.bare(&doc.tokens()[i]),
            "احد" | "احدي" | "واحد" | "واحدة" | "عشر"
        )
    {
        return None;
    }
    let value = add(total, current)?;
    Some(NumberPhrase {
        start: i,
        end: k,
        value,
        alternative: None,
        words: true,
        scale,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn read(norm: &str, scale: bool) -> (String, Option<String>) {
        let r = parse_digits(norm, scale).unwrap();
        (r.value.to_string(), r.alternative.map(|a| a.to_string()))
    }

    #[test]
    fn remembered_numbers_are_the_ones_read() {
        let text = include_str!("../../corpus/dev/seed-article.txt");
        let doc = Analysis::new(text);
        let limit = doc.body_tokens().len();
        let lexical = &super::super::DocFacts::of(&doc).lexical;
        let mut found = 0;
        for i in 0..limit + 2 {
            let read = read_number(&doc, &|k| word_at(&doc, lexical, k), i, limit);
            assert_eq!(number_at(&doc, i, limit), read, "token {i}");
            found += usize::from(read.is_some());
        }
        assert!(found >= 30, "the seed's numbers: {found}");
        // A clone starts with an empty memo and fills it again.
        let clone = doc.clone();
        let at = (0..limit)
            .find(|&i| number_at(&doc, i, limit).is_some())
            .unwrap();
        assert_eq!(number_at(&clone, at, limit), number_at(&doc, at, limit));
        // Another limit is read from the tokens.
        assert_eq!(number_at(&doc, at, at), None);
    }

    #[test]
    fn a_table_left_by_a_dropped_memo_is_back_to_no_number() {
        let seed = include_str!("../../corpus/dev/seed-article.txt");
        let doc = Analysis::new(seed);
        let limit = doc.body_tokens().len();
        let numbers = (0..limit).filter(|&i| number_at(&doc, i, limit).is_some());
        assert!(numbers.count() >= 30);
        drop(doc);
        let left = SPARE_TABLE.take();
        assert!(left.len() >= limit, "the seed's table is kept");
        assert!(left.iter().all(|&entry| entry == NumberMemo::NONE));
        SPARE_TABLE.set(left);
        // A text of words read with the seed's table: no token starts a number.
        let words = "عقدت اللجنة اجتماعا ".repeat(limit / 3 + 1);
        let doc = Analysis::new(&words);
        let body = doc.body_tokens().len();
        assert!(body >= limit);
        assert!((0..body + 2).all(|i| number_at(&doc, i, body).is_none()));
    }

    /// Every article of the gold corpus.
    fn corpus_articles() -> Vec<String> {
        let mut articles = crate::text::corpus_texts();
        // Number words behind a preposition or a conjunction, which the
        // articles happen to lack: each form has its own gate.
        articles.push(
            "بلغ بخمسة وعشرين ألفا ولثلاثة ملايين وبعشرة آلاف، وخمسمائة وفخمسون \
             لمليون وكألف والثلاثين بنصف مليون."
                .to_string(),
        );
        articles
    }

    /// The number rules as first written: every form of every word looked up,
    /// and every product taken, with no memo, gate or shortcut.
    mod plain {
        use super::super::*;

        fn word(doc: &Analysis<'_>, limit: usize, k: usize) -> Option<NumberWord> {
            (k < limit).then(|| word_at_ungated_any(doc, k)).flatten()
        }

        fn word_at_ungated_any(doc: &Analysis<'_>, k: usize) -> Option<NumberWord> {
            let t = doc.tokens().get(k)?;
            let norm = doc.norm(t);
            cardinal(norm)
                .or_else(|| norm.strip_prefix('و').and_then(cardinal))
                .or_else(|| cardinal(doc.bare(t)))
        }

        fn scales(
            doc: &Analysis<'_>,
            mut k: usize,
            limit: usize,
            value: Decimal,
        ) -> (Decimal, usize, Decimal) {
            let mut factor = Decimal::from_int(1);
            while k < limit {
                match word(doc, limit, k) {
                    Some(w) if w.class == WordClass::Scale => {
                        factor = factor.checked_mul(w.value).unwrap_or(factor);
                        k += 1;
                    }
                    _ => break,
                }
            }
            (value.checked_mul(factor).unwrap_or(value), k, factor)
        }

        /// The number at `i`, or `None`; words numbers are left to
        /// `words_at` with a plain lookup.
        pub(super) fn number(doc: &Analysis<'_>, i: usize, limit: usize) -> Option<NumberPhrase> {
            let t = doc.tokens().get(i)?;
            if i >= limit {
                return None;
            }
            if t.kind == TokenKind::Number {
                let scale_follows =
                    word(doc, limit, i + 1).is_some_and(|w| w.class == WordClass::Scale);
                let reading = parse_digits(doc.norm(t), scale_follows)?;
                let (value, end, scale) = scales(doc, i + 1, limit, reading.value);
                return Some(NumberPhrase {
                    start: i,
                    end,
                    value,
                    alternative: reading.alternative.and_then(|a| a.checked_mul(scale)),
                    words: false,
                    scale,
                });
            }
            let first = word(doc, limit, i)?;
            match first.class {
                WordClass::Fraction => {
                    let (value, end, scale) = scales(doc, i + 1, limit, first.value);
                    (end > i + 1).then_some(NumberPhrase {
                        start: i,
                        end,
                        value,
                        alternative: None,
                        words: true,
                        scale,
                    })
                }
                WordClass::Scale if is_plural_scale(doc.bare(t)) => None,
                _ => words_at(doc, &|k| word(doc, limit, k), first, i, limit),
            }
        }
    }

    #[test]
    fn number_words_are_normalised() {
        // What the first factor of `scales_from` relies on: `1 × value` is
        // `value`.
        let one = Decimal::from_int(1);
        let values: Vec<Decimal> = CARDINALS
            .keys()
            .filter_map(|w| cardinal(w))
            .map(|w| w.value)
            .collect();
        assert_eq!(values.len(), CARDINALS.keys().count());
        for value in &values {
            assert_eq!(one.checked_mul(*value), Some(*value), "{value}");
        }
        // Fractions have decimals: `نصف` is 0.5.
        assert!(values.iter().any(|v| v.scale() > 0));
    }

    #[test]
    fn remembered_number_words_are_the_words_of_the_forms() {
        // Every article, twice: the second reading finds its forms' number
        // words remembered by the first.
        let mut words = 0;
        for _ in 0..2 {
            for text in corpus_articles() {
                let doc = Analysis::new(&text);
                let lexical = &super::super::DocFacts::of(&doc).lexical;
                clitic::with_cache(|cache| {
                    assert!(cache.numbered(doc.forms()));
                    for k in 0..doc.tokens().len() + 2 {
                        let remembered = remembered_word_at(Some(cache), &doc, lexical, k);
                        let plain = (k < lexical.len())
                            .then(|| word_at_ungated(&doc, lexical, k))
                            .flatten();
                        assert_eq!(remembered, plain, "token {k}");
                        words += usize::from(remembered.is_some());
                    }
                });
            }
        }
        assert!(words > 600, "{words} number words");
    }

    #[test]
    fn number_words_gates_and_memo_agree_with_the_plain_rules_on_the_corpus() {
        let mut numbers = 0;
        let mut words = 0;
        for text in corpus_articles() {
            let doc = Analysis::new(&text);
            let limit = doc.body_tokens().len();
            let lexical = &super::super::DocFacts::of(&doc).lexical;
            for k in 0..doc.tokens().len() + 2 {
                let gated = word_at(&doc, lexical, k);
                let plain = (k < limit)
                    .then(|| word_at_ungated(&doc, lexical, k))
                    .flatten();
                assert_eq!(gated, plain, "token {k}");
                words += usize::from(gated.is_some());
            }
            for i in 0..doc.tokens().len() + 2 {
                let plain = plain::number(&doc, i, limit);
                assert_eq!(number_at(&doc, i, limit), plain, "token {i}");
                if let Some(p) = plain {
                    // What the shortcut `× 1` relies on: values are normalised.
                    for v in [p.value, p.scale] {
                        assert_eq!(v.checked_mul(Decimal::from_int(1)), Some(v));
                    }
                    numbers += 1;
                }
                // A shorter limit reads from the tokens, the same rules.
                let short = limit.min(i + 2);
                assert_eq!(
                    number_at(&doc, i, short),
                    plain::number(&doc, i, short),
                    "token {i} before {short}"
                );
            }
        }
        assert!(numbers > 1000, "{numbers} numbers");
        assert!(words > 300, "{words} number words");
    }

    /// [`parse_digits`] as first written, with its strings and vectors: what
    /// the stack version must agree with.
    fn parse_digits_heap(norm: &str, scale_follows: bool) -> Option<Reading> {
        // Plain digits (`2023`, `15`), most numbers of the genre: no separator to
        // weigh, so no allocation.
        if !norm.is_empty() && norm.len() <= 18 && norm.bytes().all(|b| b.is_ascii_digit()) {
            let value = norm
                .bytes()
                .fold(0i128, |v, b| v * 10 + i128::from(b - b'0'));
            return Some(Reading {
                value: Decimal::new(value, 0)?,
                alternative: None,
            });
        }
        let mut digits = String::with_capacity(norm.len());
        // (separator, position in `digits` where it stood), in order.
        let mut seps: Vec<(char, usize)> = Vec::new();
        for c in norm.chars() {
            match c {
                '0'..='9' => digits.push(c),
                '.' | ',' | '٫' | '٬' | '\'' => seps.push((c, digits.len())),
                _ => return None,
            }
        }
        if digits.is_empty() {
            return None;
        }
        // The digits as a decimal with the point before digit `point` (none when it
        // is past the last digit), read in place rather than formatted and parsed.
        let with_point = |point: Option<usize>| -> Option<Decimal> {
            let scale = match point {
                Some(p) if p < digits.len() => digits.len() - p,
                _ => 0,
            };
            let mantissa = digits.bytes().try_fold(0i128, |m, b| {
                m.checked_mul(10)?.checked_add(i128::from(b - b'0'))
            })?;
            Decimal::new(mantissa, u8::try_from(scale).ok()?)
        };
        let groups_ok = |kind: char| {
            // Every group after the first separator of `kind` has three digits.
            let positions: Vec<usize> = seps
                .iter()
                .filter(|(c, _)| *c == kind)
                .map(|(_, p)| *p)
                .collect();
            positions.windows(2).all(|w| w[1] - w[0] == 3)
                && positions.last().is_none_or(|&last| {
                    let next = seps
                        .iter()
                        .find(|(_, p)| *p > last)
                        .map_or(digits.len(), |(_, p)| *p);
                    next - last == 3
                })
        };
        let reading = |value: Option<Decimal>, alternative: Option<Decimal>| {
            value.map(|value| Reading {
                value,
                alternative: alternative.filter(|a| *a != value),
            })
        };
        if let Some(&(_, p)) = seps.iter().find(|(c, _)| *c == '٫') {
            // The Arabic decimal separator is unambiguous; `٬` and others group.
            return reading(with_point(Some(p)), None);
        }
        let plain: Vec<&(char, usize)> = seps
            .iter()
            .filter(|(c, _)| matches!(c, '.' | ','))
            .collect();
        match plain.as_slice() {
            [] => reading(with_point(None), None),
            [(_, p)] => {
                let (c, p) = (plain[0].0, *p);
                let after = digits.len() - p;
                if after != 3 {
                    return reading(with_point(Some(p)), None);
                }
                let grouped = with_point(None);
                let decimal = with_point(Some(p));
                match (c, scale_follows) {
                    (',', _) => reading(grouped, decimal),
                    ('.', true) => reading(decimal, grouped),
                    _ => reading(grouped, decimal),
                }
            }
            many => {
                let last = *many.last().expect("not empty");
                let first_kind = many[0].0;
                if many.iter().all(|(c, _)| *c == first_kind) {
                    // `1.234.567`: all group thousands.
                    if groups_ok(first_kind) {
                        reading(with_point(None), None)
                    } else {
                        None
                    }
                } else {
                    // `2,006.79`: the last separator is the decimal point.
                    reading(with_point(Some(last.1)), None)
                }
            }
        }
    }

    #[test]
    fn digits_read_on_the_stack_as_on_the_heap() {
        let mut cases: Vec<String> = [
            "17500",
            "8.05",
            "1,772",
            "24,294",
            "4.952",
            "1.062",
            "1.234.567",
            "2,025,000",
            "1,5",
            "2٫5",
            "1٬000",
            "12٬400",
            "2,006.79",
            "1.234,5",
            "10/13",
            "1.23.4",
            "1,234.567,8",
            "1'000",
            "1,,000",
            ".5",
            "5.",
            ",",
            "",
            "1.2.3",
            "12,34,567",
            "1٬234٫5",
            "1.234.567,89",
            "٫",
            "1,234,56",
            "123456789012345678901234567890123456789012",
            "1.234.567.890.123.456.789",
            "1.234.567.890.123.456.78",
            "9.999999999999999999999999999",
            "1.000.000.000.000.000.000.000.000.000.000.000.000",
            "1'2'3'4'5'6'7",
        ]
        .map(String::from)
        .to_vec();
        // Every token of up to seven characters of a digit and separators:
        // some have more separators than the stack keeps.
        let mut shorter = vec![String::new()];
        for _ in 0..7 {
            shorter = shorter
                .iter()
                .flat_map(|t| ['1', '.', ',', '٫', '٬'].map(|c| format!("{t}{c}")))
                .collect();
            cases.extend(shorter.iter().cloned());
        }
        for text in corpus_articles() {
            let doc = Analysis::new(&text);
            cases.extend(
                doc.tokens()
                    .iter()
                    .filter(|t| t.kind == TokenKind::Number)
                    .map(|t| doc.norm(t).to_string()),
            );
        }
        let separated = cases
            .iter()
            .filter(|c| c.contains(['.', ',', '٫', '٬']))
            .count();
        assert!(separated > 100, "{separated} numbers with separators");
        for case in &cases {
            for scale in [false, true] {
                assert_eq!(
                    parse_digits(case, scale),
                    parse_digits_heap(case, scale),
                    "{case} {scale}"
                );
            }
        }
    }

    #[test]
    fn plain_digits_read_as_integers() {
        assert_eq!(read("007", false), ("7".into(), None));
        assert_eq!(read("2023", true), ("2023".into(), None));
        assert_eq!(
            read("999999999999999999", false),
            ("999999999999999999".into(), None)
        );
        // Past 18 digits the general reader takes over.
        assert_eq!(
            read("12345678901234567890", false),
            ("12345678901234567890".into(), None)
        );
    }

    #[test]
    fn separators_of_the_genre() {
        assert_eq!(read("17500", false), ("17500".into(), None));
        assert_eq!(read("8.05", false), ("8.05".into(), None));
        assert_eq!(read("1,772", true), ("1772".into(), Some("1.772".into())));
        assert_eq!(
            read("24,294", false),
            ("24294".into(), Some("24.294".into()))
        );
        assert_eq!(read("4.952", true), ("4.952".into(), Some("4952".into())));
        assert_eq!(read("1.062", false), ("1062".into(), Some("1.062".into())));
        assert_eq!(read("1.234.567", false), ("1234567".into(), None));
        assert_eq!(read("2,025,000", true), ("2025000".into(), None));
        assert_eq!(read("1,5", true), ("1.5".into(), None));
        assert_eq!(read("2٫5", false), ("2.5".into(), None));
        assert_eq!(read("1٬000", false), ("1000".into(), None));
        assert_eq!(read("12٬400", true), ("12400".into(), None));
        assert_eq!(read("2,006.79", false), ("2006.79".into(), None));
        assert_eq!(read("1.234,5", false), ("1234.5".into(), None));
        assert!(parse_digits("10/13", false).is_none());
        assert!(parse_digits("1.23.4", false).is_none());
    }

    fn number(text: &str) -> Option<(String, String)> {
        let doc = Analysis::new(text);
        let p = number_at(&doc, 0, doc.tokens().len())?;
        let t = &doc.tokens()[p.start..p.end];
        Some((
            p.value.to_string(),
            text[t[0].start as usize..t[t.len() - 1].end as usize].to_string(),
        ))
    }

    #[test]
    fn digits_with_scale_words() {
        assert_eq!(
            number("17500 مليار دونج"),
            Some(("17500000000000".into(), "17500 مليار".into()))
        );
        assert_eq!(
            number("1,772 مليار دونج"),
            Some(("1772000000000".into(), "1,772 مليار".into()))
        );
        assert_eq!(
            number("4.952 مليون نسمة"),
            Some(("4952000".into(), "4.952 مليون".into()))
        );
        assert_eq!(
            number("3 ملايين"),
            Some(("3000000".into(), "3 ملايين".into()))
        );
        assert_eq!(
            number("500 ألف مليار"),
            Some(("500000000000000".into(), "500 ألف مليار".into()))
        );
        assert_eq!(
            number("٢٫٥ مليار"),
            Some(("2500000000".into(), "٢٫٥ مليار".into()))
        );
    }

    #[test]
    fn numbers_in_words() {
        assert_eq!(number("خمسة وعشرون ألفًا").unwrap().0, "25000");
        assert_eq!(
            number("ثلاثمائة وخمسون مسكنا").unwrap(),
            ("350".into(), "ثلاثمائة وخمسون".into())
        );
        assert_eq!(number("ثلاثمئة وخمسون").unwrap().0, "350");
        assert_eq!(number("مائة وخمسة وعشرون").unwrap().0, "125");
        assert_eq!(
            number("ثلاثة ملايين نسمة").unwrap(),
            ("3000000".into(), "ثلاثة ملايين".into())
        );
        assert_eq!(number("نصف مليون").unwrap().0, "500000");
        assert_eq!(number("ألف مليار دونج").unwrap().0, "1000000000000");
        assert_eq!(number("مليار دونج").unwrap().0, "1000000000");
        assert_eq!(
            number("ثلاثة عشر مشروعا").unwrap(),
            ("13".into(), "ثلاثة عشر".into())
        );
        assert_eq!(number("إحدى عشرة").unwrap().0, "11");
        assert_eq!(number("اثنا عشر").unwrap().0, "12");
        assert_eq!(
            number("عشرة آلاف فرصة").unwrap(),
            ("10000".into(), "عشرة آلاف".into())
        );
        assert_eq!(number("مليونان وخمسمائة ألف").unwrap().0, "2500000");
        assert_eq!(
            number("ألفي مهندس").unwrap(),
            ("2000".into(), "ألفي".into())
        );
        assert_eq!(number("خمسين").unwrap().0, "50");
        assert_eq!(d(&number("ثلاث مائة").unwrap().0), d("300"));
    }

    #[test]
    fn vague_or_partial_words_are_no_number() {
        assert_eq!(number("آلاف الأشخاص"), None);
        assert_eq!(number("ملايين"), None);
        assert_eq!(number("نصف السكان"), None);
        assert_eq!(number("أحد المشاريع"), None);
        assert_eq!(number("المؤتمر"), None);
    }
}

//! Figures: numbers, percentages, ratios, ranks and money (SPEC §2).
//!
//! One pass over the body tokens. At each token the extractor reads, in order:
//! a qualifier (`أكثر من`, `حوالي`), a range opener (`ما بين`, `من`), a rank
//! (`المرتبة 15 من بين 63`, `التاسع عشر`), then a number (digits or words, with
//! scales) and what follows it: `٪` or `في المائة` (percent), a currency
//! (money, with `للكيلوغرام` as its unit price), `من أصل N` (ratio), or a unit or
//! counted noun (number). Duals of counted nouns (`مشروعين`) are numbers too.
//!
//! What is not a figure yields nothing: labels after `رقم` and the like
//! (`data/figures/number-blockers.txt`), codes glued to letters or dashes
//! (`1234/QD-UBND`, `38A-123.45`), runs of digit groups (phone numbers), years
//! and days of dates, and lengths of time (the date extractor's).

use std::sync::LazyLock;

use super::features::{self, Form};
use super::numbers::{cardinal, NumberPhrase, WordClass};
use super::{Extractor, TokenView, QUALIFIERS};
use crate::analysis::Analysis;
use crate::decimal::Decimal;
use crate::lexicon::{normalize_word, records, PhraseTable, WordMap, WordSet};
use crate::record::{
    CompactString, Entity, EntityKind, EntityValue, Money, Number, Ordinal, Percent, Qualifier,
    Ratio,
};
use crate::text::{fold_char, Fold};
use crate::token::{Token, TokenKind};

/// A two-column data file as a phrase table.
fn phrase_table<V>(data: &'static str, value: impl Fn(&str) -> Option<V>) -> PhraseTable<V> {
    PhraseTable::new(records(data).filter_map(|f| Some((f[0], value(f.get(1)?)?))))
}

static CURRENCIES: LazyLock<PhraseTable<CompactString>> = LazyLock::new(|| {
    phrase_table(include_str!("../../data/figures/currencies.txt"), |c| {
        Some(c.into())
    })
});
static UNITS: LazyLock<PhraseTable<CompactString>> = LazyLock::new(|| {
    phrase_table(include_str!("../../data/figures/units.txt"), |u| {
        Some(u.into())
    })
});
static PERCENT_WORDS: LazyLock<PhraseTable<()>> = LazyLock::new(|| {
    PhraseTable::new(
        crate::lexicon::entries(include_str!("../../data/figures/percent-words.txt"))
            .map(|p| (p, ())),
    )
});
static BLOCKERS: LazyLock<PhraseTable<()>> = LazyLock::new(|| {
    PhraseTable::new(
        crate::lexicon::entries(include_str!("../../data/figures/number-blockers.txt"))
            .map(|p| (p, ())),
    )
});
static NOT_COUNTED: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::parse(include_str!("../../data/figures/not-counted.txt")));
static MONTHS: LazyLock<PhraseTable<u8>> = LazyLock::new(|| {
    phrase_table(include_str!("../../data/dates/months.txt"), |m| {
        m.parse().ok()
    })
});
static TIME_UNITS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::parse(
        &records(include_str!("../../data/dates/time-units.txt"))
            .map(|f| f[0].to_string())
            .collect::<Vec<_>>()
            .join("\n"),
    )
});

/// Ordinal words: value and whether it is a unit, teen or ten.
static ORDINALS: LazyLock<WordMap<(u64, WordClass)>> = LazyLock::new(|| {
    records(include_str!("../../data/figures/ordinals.txt"))
        .filter_map(|f| {
            let value = f.get(1)?.parse().ok()?;
            let class = match *f.get(2)? {
                "unit" => WordClass::Unit,
                "teen" => WordClass::Teen,
                "ten" => WordClass::Ten,
                _ => return None,
            };
            Some((normalize_word(f[0]), (value, class)))
        })
        .collect()
});

/// Dual forms of counted nouns → the singular (`مشروعين` → `مشروع`).
static DUALS: LazyLock<WordMap<CompactString>> = LazyLock::new(|| {
    let mut duals = Vec::new();
    for noun in crate::lexicon::entries(include_str!("../../data/figures/dual-nouns.txt")) {
        let singular = normalize_word(noun);
        let stem = singular
            .strip_suffix('ة')
            .map(|s| format!("{s}ت"))
            .unwrap_or_else(|| singular.clone());
        for ending in ["ين", "ان"] {
            duals.push((format!("{stem}{ending}"), CompactString::from(&singular)));
        }
    }
    duals.into_iter().collect()
});

/// Words before an ordinal that make it part of a date or a title: `كانون الأول`,
/// `الربع الأول`, `السيدة الأولى`.
static ORDINAL_BLOCKERS: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::parse(include_str!("../../data/figures/ordinal-blockers.txt")));

/// The figures extractor.
#[derive(Debug, Default, Clone, Copy)]
pub struct Figures;

impl Extractor for Figures {
    fn kinds(&self) -> &'static [EntityKind] {
        &[
            EntityKind::Number,
            EntityKind::Percent,
            EntityKind::Ratio,
            EntityKind::Ordinal,
            EntityKind::Money,
        ]
    }

    fn extract(&self, doc: &Analysis<'_>, out: &mut Vec<Entity>) {
        // One scan for the document: it holds the shared facts, found once,
        // among them the tokens where a figure can start.
        let scan = Scan::new(doc);
        let mut next = 0;
        for &i in scan.figure_starts() {
            let i = i as usize;
            // Inside the figure just found, or the label just skipped.
            if i < next {
                continue;
            }
            // Its normal form, sliced once for the rules and the labels.
            let word = scan.norm(i);
            next = match scan.figure_at(i, word) {
                Some((entity, end)) => {
                    out.push(entity);
                    end
                }
                None => i + skip_label(&scan, i, word),
            };
        }
    }
}

/// The first words of everything a figure (or a label that blocks one) can
/// start with, so that most words are passed over with one lookup or three.
static TRIGGERS: LazyLock<WordSet> = LazyLock::new(|| {
    let mut words: Vec<String> = ["ما", "بين", "من", "ال", "مرتبة", "المرتبة", "%", "٪"]
        .map(String::from)
        .to_vec();
    words.extend(super::numbers::CARDINALS.keys().cloned());
    words.extend(ORDINALS.keys().cloned());
    words.extend(DUALS.keys().cloned());
    for table in [&*QUALIFIERS as &dyn FirstWords, &*BLOCKERS, &*UNITS] {
        words.extend(table.first_words());
    }
    WordSet::parse(&words.join("\n"))
});

/// The first words of a phrase table, whatever its values.
trait FirstWords {
    fn first_words(&self) -> Vec<String>;
}

impl<V> FirstWords for PhraseTable<V> {
    fn first_words(&self) -> Vec<String> {
        self.first_words().map(str::to_string).collect()
    }
}

/// Registers the first words of figures ([`TRIGGERS`]), the ordinal words,
/// the first words of qualifiers and the words after a number
/// ([`after_number_words`]) with the shared per-token features.
pub(super) fn register_features(add: &mut dyn FnMut(&str, features::Lex)) {
    for word in TRIGGERS.words() {
        add(word, features::FIGURE_START);
    }
    for word in ORDINALS.keys() {
        add(word, features::ORDINAL);
    }
    for word in QUALIFIERS.first_words() {
        add(word, features::QUALIFIER);
    }
    for word in after_number_words() {
        add(word, features::AFTER_NUMBER);
    }
}

/// Registers the first words of units, currencies and percent words, each
/// with its bit ([`features::STARTS_UNIT`]): which of them a word after a
/// number can start.
pub(super) fn register_after_number(add: &mut dyn FnMut(&'static str, u64)) {
    let words = (UNITS.first_words().map(|w| (w, features::STARTS_UNIT)))
        .chain(
            CURRENCIES
                .first_words()
                .map(|w| (w, features::STARTS_CURRENCY)),
        )
        .chain(
            PERCENT_WORDS
                .first_words()
                .map(|w| (w, features::STARTS_PERCENT_WORD)),
        );
    for (word, bit) in words {
        add(word, bit);
    }
}

/// The first words of the lexicons a figure looks up right after its number
/// ([`Scan::may_follow`]): units, currencies, percent words, months and units
/// of time.
fn after_number_words() -> impl Iterator<Item = &'static str> {
    UNITS
        .first_words()
        .chain(CURRENCIES.first_words())
        .chain(PERCENT_WORDS.first_words())
        .chain(MONTHS.first_words())
        .chain(TIME_UNITS.words())
}

/// The forms [`Scan::is_time_unit`] looks up: normal form and stem.
const TIME_UNIT_FORMS: u64 = features::in_form(Form::Norm, features::AFTER_NUMBER)
    | features::in_form(Form::Stem, features::AFTER_NUMBER);

/// Where a figure can start: numbers, `%` and `٪` (figure triggers), and words
/// whose normal form, bare form, stem or normal form without one leading
/// `و ل ب ف ك` starts a figure phrase.
pub(super) const MAY_START_FIGURE: u64 = features::in_form(Form::Norm, features::NUMBER)
    | features::in_form(Form::Norm, features::FIGURE_START)
    | features::in_form(Form::Bare, features::FIGURE_START)
    | features::in_form(Form::Stem, features::FIGURE_START)
    | features::in_form(Form::Unprefixed, features::FIGURE_START);

/// Where a percentage or an amount of money can follow a number: a percent
/// sign (a figure trigger, `%`), a percent word or a currency.
const MAY_BE_PERCENT_OR_MONEY: u64 = features::in_form(Form::Norm, features::FIGURE_START)
    | features::STARTS_PERCENT_WORD
    | features::STARTS_CURRENCY;

/// Where a month name can start: every month (`ديسمبر`, `كانون الأول`) starts
/// a date, by its normal form.
const MAY_NAME_MONTH: u64 = features::in_form(Form::Norm, features::DATE_START);

/// How many tokens to skip at body token `i` (whose normal form is `word`)
/// when no figure starts there: a label and the numbers it governs (`الخط
/// الساخن 1900 9095`), or one token.
fn skip_label(scan: &Scan<'_, '_>, i: usize, word: &str) -> usize {
    // A label's first word is a figure trigger by its normal form, and no
    // range's opener (`من`, `بين`).
    if !scan.is_trigger(i) || range_joiners(word).is_some() {
        return 1;
    }
    let words = |k: usize| if k == 0 { Some(word) } else { scan.word(i + k) };
    let Some((len, _)) = BLOCKERS.longest(words) else {
        return 1;
    };
    let limit = scan.limit;
    let mut k = i + len;
    while k < limit && matches!(scan.tokens[k].kind, TokenKind::Number) {
        k += 1;
    }
    (k - i).max(1)
}

/// The state of one look at the token stream.
struct Scan<'d, 'a> {
    view: TokenView<'d, 'a>,
}

impl<'d, 'a> std::ops::Deref for Scan<'d, 'a> {
    type Target = TokenView<'d, 'a>;
    fn deref(&self) -> &Self::Target {
        &self.view
    }
}

impl<'d, 'a> Scan<'d, 'a> {
    fn new(doc: &'d Analysis<'a>) -> Self {
        Scan {
            view: TokenView::new(doc),
        }
    }

    /// The figure that starts at body token `i`, whose normal form is `word`,
    /// and the token after it. Inlined into the scan, its one caller there:
    /// the figure it returns is then built where the scan pushes it.
    #[inline(always)]
    fn figure_at(&self, i: usize, word: &'d str) -> Option<(Entity, usize)> {
        let qualified = self.has(i, Form::Bare, features::QUALIFIER);
        // The bit says the bare form starts a qualifier: no sketch to ask.
        let qualifier_at = || QUALIFIERS.longest_at_first_word(self.phrase(i));
        let (qualifier, q_len) = match qualified.then(qualifier_at) {
            Some(Some((len, q))) => (Some(*q), len),
            _ => (None, 0),
        };
        let j = i + q_len;
        // Token `j`'s normal form, sliced once for the rules that compare it
        // (`ما`, `ال`, `%`, a dual's ending, a ratio's slash): most starts
        // are tried by all of them and found by none (`من جانبه`).
        let word = if q_len == 0 { word } else { self.norm(j) };
        // Digits (half the starts) can only be a ratio (`10/13`) or a
        // number: the rules of words and signs find nothing there, as each
        // wants a word (an ordinal, a dual) or one of the words `ما`, `بين`,
        // `من`, `ال`, `%`, `٪`, and the ratio wants digits. Digits with a
        // slash are no number (they are read with their separators only,
        // [`parse_digits`](super::numbers::parse_digits)), and only they can
        // be a ratio: the number memo tells the two apart with no pass over
        // the bytes.
        if self.is_number(j) {
            if self.number(j).is_none() {
                return self.slash_ratio_at(i, j, word);
            }
        } else {
            if let Some(found) = self.range_at(i, j, word, qualifier) {
                return Some(found);
            }
            // Where a range's opener (`من`, `بين`) opens none, nothing
            // starts: it is no ordinal, percent sign, dual or number.
            if self.is_trigger(j) && range_joiners(word).is_some() {
                return None;
            }
            if let Some(found) = self.ordinal_at(j, word) {
                return Some(found);
            }
            if let Some(found) = self.prefix_percent_at(i, j, word, qualifier) {
                return Some(found);
            }
            if let Some(found) = self.dual_at(i, j, word, qualifier) {
                return Some(found);
            }
        }
        let number = self.number_at(j)?;
        self.after_number(i, number, word, qualifier)
    }

    /// A number at `j` that is a quantity (not a label, code, year or day).
    /// Inlined where it is asked: most tokens asked start no number (`من
    /// جانبه`), and a number in words is a quantity, both answered by the
    /// memo; only digits go on to [`digits_count`](Self::digits_count).
    #[inline]
    fn number_at(&self, j: usize) -> Option<&'d NumberPhrase> {
        let n = self.number(j)?;
        if self.tokens[j].kind == TokenKind::Number && !self.digits_count(j, n) {
            return None;
        }
        Some(n)
    }

    /// Whether the number `n` that digits token `j` starts is a quantity: not
    /// glued to a code, no label's, not one of a run of digit groups.
    /// Inlined with [`number_at`](Self::number_at): asked for about every
    /// number, where the call cost more than its checks.
    #[inline]
    fn digits_count(&self, j: usize, n: &NumberPhrase) -> bool {
        // The token and its neighbours in the body, fetched once (`j` is a
        // body token: it starts a number).
        let t = &self.tokens[j];
        let before = j.checked_sub(1).map(|p| &self.tokens[p]);
        let after = self.body_token(j + 1);
        // Glued to a code: `38A-123.45`, `1234/QD`, `15/2023/ND`.
        if before
            .is_some_and(|b| b.end == t.start && matches!(self.doc.norm(b), "-" | "/" | "." | "+"))
        {
            return false;
        }
        if after.is_some_and(|a| t.end == a.start && matches!(self.doc.norm(a), "/" | "-")) {
            return false;
        }
        // Latin label before (`OM 18`) or a run of digit groups (phones).
        if before.is_some_and(|b| b.kind == TokenKind::Word && self.is_latin_label(b)) {
            return false;
        }
        if after.is_some_and(|a| a.kind == TokenKind::Number) && n.end == j + 1 {
            return false;
        }
        // After another number, only if scaled or priced (asked only there:
        // the lookups are the dear part).
        if before.is_some_and(|b| b.kind == TokenKind::Number) {
            return n.end > j + 1
                || self.currency_at(n.end).is_some()
                || self.percent_sign_at(n.end).is_some();
        }
        true
    }

    /// Whether token `b`'s normal form is a Latin label (`OM`): two capitals
    /// or more. A label starts with a capital, read before the word is
    /// sliced: most words before a number are Arabic.
    fn is_latin_label(&self, b: &Token) -> bool {
        let text = self.doc.normalized().as_str().as_bytes();
        text.get(b.norm_start as usize)
            .is_some_and(u8::is_ascii_uppercase)
            && {
                let label = self.doc.norm(b);
                label.len() > 1 && label.bytes().all(|c| c.is_ascii_uppercase())
            }
    }

    /// Whether the number at `n` belongs to a date or a duration. `norm` is
    /// the normal form of its first token.
    fn is_date_or_duration(&self, n: &NumberPhrase, norm: &str) -> bool {
        // A range, date or time in one token (`2020-2025`, `24/12/2023`,
        // `14:30`) is no number: digits are read with their separators
        // only ([`parse_digits`](super::numbers::parse_digits)).
        let after = n.end;
        if self.names_month(after) {
            return true;
        }
        if self.is_time_unit(after) || self.starts_day_range(after) {
            return true;
        }
        let integer = !n.words && n.value.is_integer() && n.scale == Decimal::from_int(1);
        let year_like = integer && norm.len() == 4 && (1800..=2100).contains(&n.value.mantissa());
        if year_like {
            let before = n.start.checked_sub(1).map(|p| self.stem(p)).unwrap_or("");
            // The cues inside a date's span start it (`عام`), by the stem.
            let cue = (n.start > 0
                && self.has(n.start - 1, Form::Stem, features::DATE_START)
                && super::dates::YEAR_CUES_IN_SPAN.contains(before))
                || super::dates::YEAR_CUES_OUTSIDE.contains(before)
                || (n.start > 0 && self.names_month(n.start - 1));
            // A year unless a counted noun or unit follows (`2023 مسكنًا`).
            return cue || self.counted_or_unit(after).is_none();
        }
        // `الساعة 8`: a time. `ساعة` is a unit of time, and has its bit by
        // its stem: most words before a number are not compared.
        n.start.checked_sub(1).is_some_and(|before| {
            self.has(before, Form::Stem, features::AFTER_NUMBER) && self.stem_is(before, "ساعة")
        })
    }

    /// The unit (`ha`) or counted noun (`مسكن`) at token `k`: the tokens it takes
    /// and what it is.
    fn counted_or_unit(&self, k: usize) -> Option<(usize, Counted)> {
        if let Some((len, unit)) = self
            .may_follow(k, features::STARTS_UNIT)
            .then(|| UNITS.longest(|d| self.word(k + d)))
            .flatten()
        {
            return Some((len, Counted::Unit(unit.clone())));
        }
        let t = self.body_token(k)?;
        if t.kind != TokenKind::Word {
            return None;
        }
        let norm = self.doc.norm(t);
        if !is_arabic(norm) {
            return None;
        }
        let stem = self.doc.stem(t);
        // A counted noun carries no preposition (`2023 لتقديم` is no count).
        if t.clitics.preposition().is_some() {
            return None;
        }
        // The stem ends where the normal form ends: as long, it is the same
        // word, looked up once.
        if NOT_COUNTED.contains(norm)
            || (stem.len() != norm.len() && NOT_COUNTED.contains(stem))
            || (self.may_follow(k, features::STARTS_CURRENCY)
                && CURRENCIES.longest(|d| self.word(k + d)).is_some())
            || self.percent_word_at(k).is_some()
            || self.names_month(k)
            || (self.has(k, Form::Norm, features::NUMBER_WORD) && cardinal(norm).is_some())
            || (self.has(k, Form::Norm, features::ORDINAL) && ORDINALS.contains_key(norm))
            // Fewer than two characters: no second one to decode.
            || stem.chars().nth(1).is_none()
        {
            return None;
        }
        Some((1, Counted::Noun(surface_stem(self.doc, t))))
    }

    /// A currency at `k`: its code and length.
    fn currency_at(&self, k: usize) -> Option<(usize, CompactString)> {
        if !self.may_follow(k, features::STARTS_CURRENCY) {
            return None;
        }
        CURRENCIES
            .longest(|d| self.word(k + d))
            .map(|(len, c)| (len, c.clone()))
    }

    /// Whether token `k` may start one of the lexicons after a number that
    /// `mask` stands for ([`features::STARTS_UNIT`], [`after_number_words`] by
    /// a form): the gate before those lookups (words and symbols such as `$`
    /// have their bits; numbers and punctuation start none of them). False
    /// past the body.
    #[inline]
    fn may_follow(&self, k: usize, mask: u64) -> bool {
        self.has_mask(k, mask)
    }

    /// Whether token `k`'s normal form is `word` (false past the body): the
    /// lengths compared first, so that most tokens are told apart without
    /// slicing the text (`تقريبًا` is asked after every figure).
    #[inline]
    fn norm_is(&self, k: usize, word: &str) -> bool {
        self.body_token(k)
            .is_some_and(|t| t.norm_span().len() == word.len() && self.doc.norm(t) == word)
    }

    /// Whether token `k`'s stem is `word` (false past the body), told as
    /// [`norm_is`](Self::norm_is) tells the normal form.
    #[inline]
    fn stem_is(&self, k: usize, word: &str) -> bool {
        self.body_token(k)
            .is_some_and(|t| t.stem_span().len() == word.len() && self.doc.stem(t) == word)
    }

    /// Whether token `k`'s normal form is a figure trigger (`ما`, `من`, `%`,
    /// `٪`): the test before comparing it with one of them.
    #[inline]
    fn is_trigger(&self, k: usize) -> bool {
        self.has(k, Form::Norm, features::FIGURE_START)
    }

    /// Whether a month name starts at token `k` (`ديسمبر`, `كانون الأول`).
    /// Asked after every number: the gate is inlined where it is asked, the
    /// lookup behind it ([`month_at`](Self::month_at)) is not.
    #[inline]
    fn names_month(&self, k: usize) -> bool {
        self.may_follow(k, MAY_NAME_MONTH) && self.month_at(k)
    }

    /// [`names_month`](Self::names_month) past its gate.
    #[inline(never)]
    fn month_at(&self, k: usize) -> bool {
        MONTHS.longest(|d| self.word(k + d)).is_some()
    }

    /// `٪`, `%`, `في المائة`, `بالمئة` at `k`: how many tokens.
    fn percent_sign_at(&self, k: usize) -> Option<usize> {
        if self.is_trigger(k) && matches!(self.word(k), Some("%" | "٪")) {
            return Some(1);
        }
        self.percent_word_at(k)
    }

    /// A percent word at `k` (`في المائة`, `بالمئة`): how many tokens.
    fn percent_word_at(&self, k: usize) -> Option<usize> {
        if !self.may_follow(k, features::STARTS_PERCENT_WORD) {
            return None;
        }
        PERCENT_WORDS
            .longest(|d| self.word(k + d))
            .map(|(len, _)| len)
    }

    /// The unit a price is per, after its currency: `للكيلوغرام`, `لكل هكتار`,
    /// `/كغ`. Returns the tokens taken and the unit key.
    fn per_unit_at(&self, k: usize) -> Option<(usize, CompactString)> {
        let t = self.body_token(k)?;
        let norm = self.doc.norm(t);
        if norm == "لكل" || (norm == "/" && self.touch(k, k + 1)) {
            let (len, unit) = UNITS.longest(|d| self.word(k + 1 + d))?;
            return Some((len + 1, unit.clone()));
        }
        if t.clitics.preposition() == Some("ل") {
            let stem = self.stem(k);
            let (len, unit) =
                UNITS.longest(|d| if d == 0 { Some(stem) } else { self.word(k + d) })?;
            return Some((len, unit.clone()));
        }
        None
    }

    /// `تقريبًا` right after a figure ending at `end`: the span takes it and the
    /// qualifier becomes `approx` (unless one was written before). Asked after
    /// nearly every figure, and a compare: inlined.
    #[inline]
    fn approx_after(&self, end: &mut usize, qualifier: &mut Option<Qualifier>) {
        if self.norm_is(*end, "تقريبا") {
            *qualifier = qualifier.or(Some(Qualifier::Approx));
            *end += 1;
        }
    }

    /// The counted noun at `k`, if one stands there (a unit does not count):
    /// the token after it and the noun.
    fn counted_noun_at(&self, k: usize) -> (usize, Option<CompactString>) {
        match self.counted_or_unit(k) {
            Some((len, Counted::Noun(noun))) => (k + len, Some(noun)),
            _ => (k, None),
        }
    }

    /// What the number `n` (with `qualifier` from token `i`) is, by what
    /// follows. `word` is the normal form of its first token.
    fn after_number(
        &self,
        i: usize,
        n: &NumberPhrase,
        word: &str,
        qualifier: Option<Qualifier>,
    ) -> Option<(Entity, usize)> {
        let k = n.end;
        let mut qualifier = qualifier;
        if let Some(found) = self.percent_or_money_at(i, k, Amount::One(n), qualifier) {
            return Some(found);
        }
        if self.is_trigger(k) && self.norm_is(k, "من") && self.norm_is(k + 1, "اصل") {
            let total = self.number_at(k + 2)?;
            let (end, counted) = self.counted_noun_at(total.end);
            let value = EntityValue::Ratio(Ratio {
                numerator: n.value,
                denominator: total.value,
                counted,
            });
            return Some((self.doc.entity(i..end, value), end));
        }
        if self.is_date_or_duration(n, word) {
            return None;
        }
        // `مشروع واحد`: the noun comes before `واحد`.
        let mut end = k;
        let (mut unit, mut counted) = (None, None);
        match self.counted_or_unit(k) {
            Some((len, Counted::Unit(u))) => {
                unit = Some(u);
                end += len;
            }
            Some((len, Counted::Noun(noun))) => {
                counted = Some(noun);
                end += len;
            }
            None => {}
        }
        self.approx_after(&mut end, &mut qualifier);
        let ambiguous = n.alternative.is_some().then_some(true);
        let value = EntityValue::Number(Number {
            value: Some(n.value),
            from: None,
            to: None,
            unit,
            counted,
            qualifier,
            ambiguous,
            alternative: n.alternative,
        });
        Some((self.doc.entity(i..end, value), end))
    }

    /// A percentage (`٪`, `في المائة`) or an amount of money (a currency, then
    /// maybe the unit it is per) after the number or range `amount` that ends
    /// at `k`, the entity starting at token `start`. Only a single number takes
    /// `تقريبًا` after it, and only a single number carries an alternative
    /// reading. Inlined into its two callers, where `amount` is known.
    #[inline(always)]
    fn percent_or_money_at(
        &self,
        start: usize,
        k: usize,
        amount: Amount<'_>,
        mut qualifier: Option<Qualifier>,
    ) -> Option<(Entity, usize)> {
        // A percent sign, a percent word or a currency: most numbers are
        // followed by none of them (`15 شخصا`).
        if !self.may_follow(k, MAY_BE_PERCENT_OR_MONEY) {
            return None;
        }
        let (value, from, to, alternative, approx) = match amount {
            Amount::One(n) => (Some(n.value), None, None, n.alternative, true),
            Amount::Range(low, high) => (None, Some(low), Some(high), None, false),
        };
        if let Some(len) = self.percent_sign_at(k) {
            let mut end = k + len;
            if approx {
                self.approx_after(&mut end, &mut qualifier);
            }
            let value = EntityValue::Percent(Percent {
                value,
                from,
                to,
                qualifier,
            });
            return Some((self.doc.entity(start..end, value), end));
        }
        let (len, currency) = self.currency_at(k)?;
        let mut end = k + len;
        let per = self.per_unit_at(end).map(|(len, unit)| {
            end += len;
            unit
        });
        if approx {
            self.approx_after(&mut end, &mut qualifier);
        }
        let value = EntityValue::Money(Money {
            amount: value,
            from,
            to,
            currency,
            qualifier,
            per,
            ambiguous: alternative.is_some().then_some(true),
            alternative,
        });
        Some((self.doc.entity(start..end, value), end))
    }

    /// `10/13 محلية`, `45/45 مندوبًا`: a ratio, unless it reads as a day and month
    /// with no counted noun after it (`في 24/12`), which is a date. `k` is a
    /// number of the body, and `norm` its normal form.
    fn slash_ratio_at(&self, i: usize, k: usize, norm: &str) -> Option<(Entity, usize)> {
        let slash = norm.bytes().position(|b| b == b'/')?;
        let (a, b) = (&norm[..slash], &norm[slash + 1..]);
        if b.contains('/') || (self.touch(k, k + 1) && self.norm(k + 1) == "/") {
            return None;
        }
        let numerator: Decimal = a.parse().ok()?;
        let denominator: Decimal = b.parse().ok()?;
        let (end, counted) = self.counted_noun_at(k + 1);
        let day_month = matches!(
            (a.parse::<u32>(), b.parse::<u32>()),
            (Ok(1..=31), Ok(1..=12))
        );
        if counted.is_none() && day_month {
            return None;
        }
        let value = EntityValue::Ratio(Ratio {
            numerator,
            denominator,
            counted,
        });
        Some((self.doc.entity(i..end, value), end))
    }

    /// `%8`: the sign before the number (`word`, token `j`'s normal form).
    fn prefix_percent_at(
        &self,
        i: usize,
        j: usize,
        word: &str,
        qualifier: Option<Qualifier>,
    ) -> Option<(Entity, usize)> {
        if !(self.is_trigger(j) && matches!(word, "%" | "٪") && self.touch(j, j + 1)) {
            return None;
        }
        let n = self.number(j + 1)?;
        let value = EntityValue::Percent(Percent {
            value: Some(n.value),
            from: None,
            to: None,
            qualifier,
        });
        Some((self.doc.entity(i..n.end, value), n.end))
    }

    /// `مشروعين`: an indefinite dual of a counted noun is the number 2. `norm`
    /// is token `j`'s normal form.
    fn dual_at(
        &self,
        i: usize,
        j: usize,
        norm: &str,
        qualifier: Option<Qualifier>,
    ) -> Option<(Entity, usize)> {
        let t = self.body_token(j)?;
        if t.kind != TokenKind::Word || t.clitics.has_article() {
            return None;
        }
        if !may_be_dual(norm) {
            return None;
        }
        // `لشركتين`: the clitic analysis keeps unknown words whole, so a single
        // prefix letter is also tried off.
        let unprefixed = norm.strip_prefix(['و', 'ل', 'ب', 'ف', 'ك']).unwrap_or(norm);
        let dual_noun = [norm, self.stem(j), self.doc.bare(t), unprefixed]
            .into_iter()
            .find_map(|w| DUALS.get(w));
        let (unit, counted) = match dual_noun {
            Some(singular) => (None, Some(singular.clone())),
            // `هكتارين`: the dual of a unit.
            None => match UNITS.longest(|d| (d == 0).then_some(self.doc.bare(t))) {
                Some((_, unit)) if norm.ends_with("ين") || norm.ends_with("ان") => {
                    (Some(unit.clone()), None)
                }
                _ => return None,
            },
        };
        // A dual after a number is its counted noun, not a number.
        if j > 0 && self.tokens[j - 1].kind == TokenKind::Number {
            return None;
        }
        let value = EntityValue::Number(Number {
            value: Some(Decimal::from_int(2)),
            from: None,
            to: None,
            unit,
            counted,
            qualifier,
            ambiguous: None,
            alternative: None,
        });
        Some((self.doc.entity(i.min(j)..j + 1, value), j + 1))
    }

    /// Ranges: `ما بين 5 و7 مليارات دونج`, `بين 10 و11 بالمئة`, `من 8 إلى 8.5٪`.
    /// `word` is token `j`'s normal form.
    fn range_at(
        &self,
        i: usize,
        j: usize,
        word: &str,
        qualifier: Option<Qualifier>,
    ) -> Option<(Entity, usize)> {
        if !self.is_trigger(j) {
            return None;
        }
        let (opener, opener_word) = if word == "ما" {
            (j + 1, self.norm(j + 1))
        } else {
            (j, word)
        };
        let joiners = range_joiners(opener_word)?;
        let low = self.number_at(opener + 1)?;
        if !joiners.contains(&self.norm(low.end)) {
            return None;
        }
        let high = self.number_at(low.end + 1)?;
        let k = high.end;
        // The scale written once applies to both ends: `5 و7 مليارات`.
        let low_value = if low.scale == Decimal::from_int(1) {
            low.value.checked_mul(high.scale).unwrap_or(low.value)
        } else {
            low.value
        };
        // The span starts with the qualifier, if any, else with `ما`/`بين`/`من`.
        let start = i;
        let range = Amount::Range(low_value, high.value);
        if let Some(found) = self.percent_or_money_at(start, k, range, qualifier) {
            return Some(found);
        }
        // `ما بين 400 و500 شاحنة`: a range of a counted quantity. A day range
        // (`من 27 إلى 30 تشرين الثاني`) is the date extractor's.
        if self.names_month(k) || self.is_time_unit(k) {
            return None;
        }
        let (len, counted) = self.counted_or_unit(k)?;
        let end = k + len;
        let (unit, counted) = match counted {
            Counted::Unit(u) => (Some(u), None),
            Counted::Noun(n) => (None, Some(n)),
        };
        let value = EntityValue::Number(Number {
            value: None,
            from: Some(low_value),
            to: Some(high.value),
            unit,
            counted,
            qualifier,
            ambiguous: None,
            alternative: None,
        });
        Some((self.doc.entity(start..end, value), end))
    }

    /// Whether token `k` is a unit of time (`سنوات`, `عامًا`). Asked after
    /// every number, like [`names_month`](Self::names_month): the gate is
    /// inlined, the lookup ([`time_unit_word`](Self::time_unit_word)) is not.
    #[inline]
    fn is_time_unit(&self, k: usize) -> bool {
        self.may_follow(k, TIME_UNIT_FORMS) && self.time_unit_word(k)
    }

    /// [`is_time_unit`](Self::is_time_unit) past its gate.
    #[inline(never)]
    fn time_unit_word(&self, k: usize) -> bool {
        self.word(k)
            .is_some_and(|w| TIME_UNITS.contains(w) || TIME_UNITS.contains(self.stem(k)))
    }

    /// Whether a number ending at `k` is the first end of a date range or a list
    /// of days: `من 27 إلى 30 تشرين الثاني`, `يومي 27 و28 يونيو`, `27-28 يونيو`.
    fn starts_day_range(&self, k: usize) -> bool {
        // The number after the joiner first: after most numbers comes a
        // word and then no number (`15 شخصا في`), told by the memo without
        // slicing the word.
        let Some(next) = self.number(k + 1) else {
            return false;
        };
        matches!(self.norm(k), "الي" | "حتي" | "و" | "-")
            && (self.names_month(next.end) || self.is_time_unit(next.end))
    }

    /// Ranks: `المرتبة 15 من بين 63`, `المرتبة التاسعة`, `التاسع عشر`,
    /// `الحادي والعشرين`, `الـ13`. `word` is token `j`'s normal form.
    fn ordinal_at(&self, j: usize, word: &str) -> Option<(Entity, usize)> {
        let t = self.body_token(j)?;
        if t.kind != TokenKind::Word {
            return None;
        }
        // `مرتبة` and `ال` are figure triggers, by the stem and the normal
        // form: most words are neither, and are not compared.
        if self.has(j, Form::Stem, features::FIGURE_START) && self.stem_is(j, "مرتبة") {
            let (value, mut end) = match self.tokens.get(j + 1) {
                Some(n) if n.kind == TokenKind::Number && j + 1 < self.limit => {
                    (self.norm(j + 1).parse::<u64>().ok()?, j + 2)
                }
                _ => self.ordinal_words(j + 1)?,
            };
            let mut of = None;
            let total_at = match (self.norm(end), self.norm(end + 1)) {
                ("من", "بين" | "اصل") => Some(end + 2),
                ("بين", _) => Some(end + 1),
                _ => None,
            };
            if let Some(at) = total_at {
                if let Some(total) = self
                    .tokens
                    .get(at)
                    .filter(|t| t.kind == TokenKind::Number && at < self.limit)
                {
                    of = self.doc.norm(total).parse::<u64>().ok();
                    if of.is_some() {
                        end = at + 1;
                    }
                }
            }
            let value = EntityValue::Ordinal(Ordinal { value, of });
            return Some((self.doc.entity(j..end, value), end));
        }
        // `الـ13`: the article glued to digits.
        if self.is_trigger(j)
            && word == "ال"
            && self.touch(j, j + 1)
            && self
                .tokens
                .get(j + 1)
                .is_some_and(|n| n.kind == TokenKind::Number)
        {
            let value = self.norm(j + 1).parse::<u64>().ok()?;
            let value = EntityValue::Ordinal(Ordinal { value, of: None });
            return Some((self.doc.entity(j..j + 2, value), j + 2));
        }
        // Every ordinal is an ordinal word by its bare form.
        if !self.has(j, Form::Bare, features::ORDINAL) {
            return None;
        }
        if j > 0 {
            let before = self.doc.bare(&self.tokens[j - 1]);
            // `الأشهر الخمسة الأولى`: a period of a date.
            let counted_period = before
                .strip_prefix("ال")
                .is_some_and(|w| cardinal(w).is_some());
            if ORDINAL_BLOCKERS.contains(before) || counted_period {
                return None;
            }
        }
        let (value, end) = self.ordinal_words(j)?;
        // `الأشهر الخمسة الأولى من عام 2024`, `الربع الأول من العام` and
        // `اليوم العاشر من الشهر القمري الثالث` are dates.
        if self.norm(end) == "من" && matches!(self.stem(end + 1), "عام" | "سنة" | "شهر")
        {
            return None;
        }
        // A bare ordinal (`ثاني`, `أول`) needs a word after it: `ثاني أكبر`.
        let bare = !self.phrase(j)(0).unwrap_or("").starts_with("ال");
        if bare
            && !self
                .tokens
                .get(end)
                .is_some_and(|t| t.kind == TokenKind::Word && end < self.limit)
        {
            return None;
        }
        let value = EntityValue::Ordinal(Ordinal { value, of: None });
        Some((self.doc.entity(j..end, value), end))
    }

    /// Ordinal words from `k`: `التاسعة`, `التاسع عشر`, `الحادي والعشرين`.
    fn ordinal_words(&self, k: usize) -> Option<(u64, usize)> {
        let &(unit, class) = ORDINALS.get(self.phrase(k)(0)?)?;
        match class {
            WordClass::Ten => Some((unit, k + 1)),
            WordClass::Unit => {
                if let Some(&(_, WordClass::Teen)) = self.word(k + 1).and_then(|w| ORDINALS.get(w))
                {
                    return Some((unit + 10, k + 2));
                }
                let tens = self
                    .word(k + 1)
                    .and_then(|w| w.strip_prefix('و'))
                    .and_then(|w| ORDINALS.get(w))
                    .filter(|(_, c)| *c == WordClass::Ten);
                match tens {
                    Some(&(ten, _)) => Some((unit + ten, k + 2)),
                    None => Some((unit, k + 1)),
                }
            }
            _ => None,
        }
    }
}

/// The words that join the ends of a range `opener` opens (`بين 5 و7`, `من
/// 8 إلى 8.5`), if it opens one.
fn range_joiners(opener: &str) -> Option<&'static [&'static str]> {
    match opener {
        "بين" => Some(&["و"]),
        "من" => Some(&["الي", "حتي"]),
        _ => None,
    }
}

/// Whether a word whose normal form is `norm` can be a dual ([`DUALS`], or a
/// unit with a dual ending): every dual ends in `ين` or `ان`, and every form
/// [`Scan::dual_at`] tries (stem, bare, without one prefix letter) ends where
/// the normal form ends.
fn may_be_dual(norm: &str) -> bool {
    norm.ends_with("ين") || norm.ends_with("ان")
}

/// The value of a percentage or an amount of money: one number, or a range
/// (its low end with the scale written once applied).
enum Amount<'n> {
    One(&'n NumberPhrase),
    Range(Decimal, Decimal),
}

/// What a number counts.
enum Counted {
    Unit(CompactString),
    Noun(CompactString),
}

/// Whether `word` starts with a letter of the Arabic block (U+0600 to
/// U+06FF): read from its first byte, as the block is the characters whose
/// UTF-8 starts with D8 to DB.
fn is_arabic(word: &str) -> bool {
    matches!(word.as_bytes().first(), Some(0xD8..=0xDB))
}

/// The counted noun as written, without clitics, diacritics or tanween:
/// `مسكنًا` → `مسكن`, `والأسر` → `أسر`.
fn surface_stem(doc: &Analysis<'_>, t: &Token) -> CompactString {
    // A word without proclitics is its stem, from the token's own start: no
    // search of the offset map.
    let stem = t.stem_span().start;
    let stem_start = if stem == t.norm_start as usize {
        t.start as usize
    } else {
        doc.normalized()
            .to_original_start(stem)
            .max(t.start as usize)
    };
    let original = &doc.original()[stem_start..t.end as usize];
    // The normal form has no marks and no ignored characters: a stem written
    // as its normal form (`مسكن`, most counted nouns) has none to drop.
    let normal = doc.stem(t);
    if original.as_bytes() == normal.as_bytes() {
        return original.into();
    }
    // A counted noun in the accusative (`18 مشروعًا`, `مشروعاً`): its letters
    // as the normal form has them, then the tanween and its alef, which both
    // go. No character to test one by one.
    if let Some(letters) = normal.strip_suffix('ا') {
        if let Some("\u{064B}ا" | "ا\u{064B}") = original.strip_prefix(letters) {
            return letters.into();
        }
    }
    // Copied in runs between the marks dropped: most words have none. The
    // tanween (U+064B) is one of the marks.
    let mut tanween = false;
    let mut stem = CompactString::default();
    let mut run = 0;
    for (at, c) in original.char_indices() {
        if matches!(fold_char(c), Fold::Mark | Fold::Ignore) {
            tanween |= c == '\u{064B}';
            stem.push_str(&original[run..at]);
            run = at + c.len_utf8();
        }
    }
    stem.push_str(&original[run..]);
    if tanween && stem.ends_with('ا') {
        stem.pop();
    }
    stem
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn figures(text: &str) -> Vec<Value> {
        crate::extract::found_values(&Figures, text)
    }

    fn one(text: &str) -> Value {
        crate::extract::found_one(&Figures, text)
    }

    use serde_json::json;

    #[test]
    fn money_with_scales_currencies_and_qualifiers() {
        assert_eq!(
            one("بلغ 17500 مليار دونج"),
            json!({"kind": "money", "text": "17500 مليار دونج", "amount": 17500000000000u64, "currency": "VND"})
        );
        assert_eq!(
            one("قدره 70 مليون دولار أمريكي."),
            json!({"kind": "money", "text": "70 مليون دولار أمريكي", "amount": 70000000, "currency": "USD"})
        );
        assert_eq!(
            one("بتكلفة تزيد عن ١٦١ مليار دونج؛"),
            json!({"kind": "money", "text": "تزيد عن ١٦١ مليار دونج", "amount": 161000000000u64, "currency": "VND", "qualifier": "gt"})
        );
        let m = one("قدره 1,772 مليار دونج");
        assert_eq!(m["amount"], json!(1772000000000u64));
        assert_eq!(m["ambiguous"], json!(true));
        assert_eq!(m["alternative"], json!(1772000000u64));
        assert_eq!(one("نحو مليار دونغ")["amount"], json!(1000000000));
        assert_eq!(one("2 تريليون وون")["currency"], json!("KRW"));
        assert_eq!(one("5 مليارات ين")["currency"], json!("JPY"));
        assert_eq!(one("20 مليون يورو")["currency"], json!("EUR"));
        assert_eq!(one("300 مليون يوان")["currency"], json!("CNY"));
        assert_eq!(one("15 مليون USD")["currency"], json!("USD"));
    }

    #[test]
    fn money_ranges_and_unit_prices() {
        assert_eq!(
            one("ما بين 5 و7 مليارات دونج"),
            json!({"kind": "money", "text": "ما بين 5 و7 مليارات دونج", "from": 5000000000u64, "to": 7000000000u64, "currency": "VND"})
        );
        assert_eq!(
            one("بسعر 25,000 دونج للكيلوغرام"),
            json!({"kind": "money", "text": "25,000 دونج للكيلوغرام", "amount": 25000, "currency": "VND", "per": "kg", "ambiguous": true, "alternative": 25})
        );
        assert_eq!(one("15 مليون دونج لكل هكتار")["per"], json!("ha"));
        assert_eq!(one("450,000 دونج/كغ")["per"], json!("kg"));
        assert_eq!(
            one("من 55,000 إلى 65,000 دونج للكيلوغرام")["from"],
            json!(55000)
        );
    }

    #[test]
    fn percentages() {
        assert_eq!(one("بلغ النمو 8.05٪ (المرتبة")["value"], json!(8.05));
        assert_eq!(one("8,05%")["value"], json!(8.05));
        assert_eq!(one("بنسبة %8")["value"], json!(8));
        assert_eq!(
            one("5 في المائة"),
            json!({"kind": "percent", "text": "5 في المائة", "value": 5})
        );
        assert_eq!(one("5 بالمئة")["value"], json!(5));
        assert_eq!(one("خمسة في المئة")["value"], json!(5));
        assert_eq!(one("أكثر من 95٪")["qualifier"], json!("gt"));
        assert_eq!(
            one("من 5 إلى 7٪"),
            json!({"kind": "percent", "text": "من 5 إلى 7٪", "from": 5, "to": 7})
        );
        assert_eq!(one("بين 10 و11 بالمئة")["to"], json!(11));
    }

    #[test]
    fn ordinals_and_ranks() {
        assert_eq!(
            one("(المرتبة 15 من بين 63 مقاطعة"),
            json!({"kind": "ordinal", "text": "المرتبة 15 من بين 63", "value": 15, "of": 63})
        );
        assert_eq!(
            one("احتل المرتبة التاسعة على"),
            json!({"kind": "ordinal", "text": "المرتبة التاسعة", "value": 9})
        );
        assert_eq!(
            one("المؤتمر الإقليمي التاسع عشر."),
            json!({"kind": "ordinal", "text": "التاسع عشر", "value": 19})
        );
        assert_eq!(one("الأولى في منطقة")["value"], json!(1));
        assert_eq!(one("الدورة الحادي والعشرين")["value"], json!(21));
        assert_eq!(one("الذكرى الـ13")["value"], json!(13));
        assert_eq!(one("المرتبة الخامسة بين ١٤")["of"], json!(14));
        assert_eq!(one("ثاني أكبر شريك")["value"], json!(2));
        assert!(figures("في كانون الأول").is_empty());
        assert!(figures("الربع الأول من عام").is_empty());
    }

    #[test]
    fn ratios() {
        assert_eq!(
            one("استوفت 10/13 محلية المعايير"),
            json!({"kind": "ratio", "text": "10/13 محلية", "numerator": 10, "denominator": 13, "counted": "محلية"})
        );
        assert_eq!(one("45/45 مندوبًا")["counted"], json!("مندوب"));
        assert_eq!(
            one("15 من أصل 63 مقاطعة"),
            json!({"kind": "ratio", "text": "15 من أصل 63 مقاطعة", "numerator": 15, "denominator": 63, "counted": "مقاطعة"})
        );
    }

    #[test]
    fn numbers_with_counted_nouns_and_units() {
        assert_eq!(
            one("وأكثر من ٢٥٣٣ مسكنًا متماسكًا"),
            json!({"kind": "number", "text": "أكثر من ٢٥٣٣ مسكنًا", "value": 2533, "counted": "مسكن", "qualifier": "gt"})
        );
        assert_eq!(one("وأصدرت 4 قرارات موضوعية")["counted"], json!("قرارات"));
        assert_eq!(
            one("و٧٤٧٧ مسكنًا"),
            json!({"kind": "number", "text": "٧٤٧٧ مسكنًا", "value": 7477, "counted": "مسكن"})
        );
        assert_eq!(
            one("ومشروعين استثماريين"),
            json!({"kind": "number", "text": "مشروعين", "value": 2, "counted": "مشروع"})
        );
        assert_eq!(one("42,300 هكتار")["unit"], json!("ha"));
        assert_eq!(one("1,06 مليون طن")["value"], json!(1060000));
        assert_eq!(one("3.5 مليون نسمة")["value"], json!(3500000));
        assert_eq!(one("ثلاثة مسؤولين")["value"], json!(3));
        assert_eq!(one("خمسة وعشرون ألفًا")["value"], json!(25000));
        assert_eq!(one("2023 مسكنًا")["value"], json!(2023));
    }

    #[test]
    fn forms_of_the_genre() {
        assert_eq!(
            one("لـ 18 مشروعًا"),
            json!({"kind": "number", "text": "18 مشروعًا", "value": 18, "counted": "مشروع"})
        );
        assert_eq!(one("بـ 5٪")["text"], json!("5٪"));
        assert_eq!(
            one("١٬٠٠٠ طن"),
            json!({"kind": "number", "text": "١٬٠٠٠ طن", "value": 1000, "unit": "tonne"})
        );
        assert_eq!(one("٢٫٥ مليار دونج")["amount"], json!(2500000000u64));
        assert_eq!(one("1,5 مليون دولار")["amount"], json!(1500000));
        assert_eq!(one("1.234.567 نسمة")["value"], json!(1234567));
        let n = one("1.062 منزلًا");
        assert_eq!(
            (
                n["value"].clone(),
                n["ambiguous"].clone(),
                n["alternative"].clone()
            ),
            (json!(1062), json!(true), json!(1.062))
        );
        assert_eq!(one("مائة طالب")["value"], json!(100));
        assert_eq!(one("مئة طالب")["value"], json!(100));
        assert_eq!(one("ربع مليون")["value"], json!(250000));
        assert_eq!(
            one("ما بين 400 و500 شاحنة"),
            json!({"kind": "number", "text": "ما بين 400 و500 شاحنة", "from": 400, "to": 500, "counted": "شاحنة"})
        );
        assert_eq!(one("ما بين 40 و50 ألف طفل")["from"], json!(40000));
        assert_eq!(
            one("هكتارين"),
            json!({"kind": "number", "text": "هكتارين", "value": 2, "unit": "ha"})
        );
        assert_eq!(one("لشركتين")["counted"], json!("شركة"));
        assert_eq!(
            one("30٪ تقريبًا"),
            json!({"kind": "percent", "text": "30٪ تقريبًا", "value": 30, "qualifier": "approx"})
        );
        assert_eq!(one("لا يقل عن 95 في المائة")["qualifier"], json!("gte"));
        assert_eq!(one("حوالي 45 يوانًا للكيلوغرام")["per"], json!("kg"));
        assert_eq!(
            one("بلغ في عام 2022 87 مليار دولار")["amount"],
            json!(87000000000u64)
        );
    }

    #[test]
    fn gates_let_through_every_token_their_lexicons_know() {
        // Each gate of the scan against the lookups it stands for, on every
        // token of the corpus and past the end of the body.
        let mut texts = crate::text::corpus_texts();
        // Words after a number that are no words, and units of time by stem.
        texts.push(
            "بلغ 5 $ و7 € و3 كم² و%8 و٪9 | + وبالساعة 8 وبسنوات 2020-2025 24/12/2023 14:30"
                .to_string(),
        );
        let mut found = [0usize; 8];
        let mut after_numbers = [0usize; 4];
        let (mut openers, mut year_cues, mut numbers) = (0, 0, 0);
        for text in &texts {
            let doc = Analysis::new(text);
            let scan = Scan::new(&doc);
            for k in 0..scan.limit + 2 {
                // Where the scan does not stop, nothing starts.
                if k < scan.limit && !scan.has_mask(k, MAY_START_FIGURE) {
                    assert!(scan.figure_at(k, scan.norm(k)).is_none(), "token {k}");
                    assert_eq!(skip_label(&scan, k, scan.norm(k)), 1, "token {k}");
                    found[5] += 1;
                }
                let words = |d: usize| scan.word(k + d);
                let compared = matches!(scan.norm(k), "%" | "٪" | "ما" | "بين" | "من" | "ال");
                if compared || BLOCKERS.longest(words).is_some() {
                    assert!(scan.is_trigger(k), "token {k}");
                }
                if scan.stem(k) == "مرتبة" {
                    assert!(scan.has(k, Form::Stem, features::FIGURE_START), "token {k}");
                }
                if scan.stem(k) == "ساعة" {
                    assert!(scan.has(k, Form::Stem, features::AFTER_NUMBER), "token {k}");
                }
                // Each lexicon after a number behind its own gate.
                let after_number = [
                    (UNITS.longest(words).is_some(), features::STARTS_UNIT),
                    (
                        CURRENCIES.longest(words).is_some(),
                        features::STARTS_CURRENCY,
                    ),
                    (
                        PERCENT_WORDS.longest(words).is_some(),
                        features::STARTS_PERCENT_WORD,
                    ),
                    (MONTHS.longest(words).is_some(), MAY_NAME_MONTH),
                ];
                found[0] += usize::from(after_number.iter().any(|&(starts, _)| starts));
                for (n, (starts, gate)) in after_number.into_iter().enumerate() {
                    if starts {
                        assert!(scan.may_follow(k, gate), "token {k}");
                        after_numbers[n] += 1;
                    }
                }
                // Forms compared by their lengths first, as compared whole.
                for w in ["من", "اصل", "تقريبا", "مرتبة", "ساعة", "ال"] {
                    assert_eq!(scan.norm_is(k, w), scan.word(k) == Some(w), "token {k}");
                    let stem = scan.word(k).map(|_| scan.stem(k));
                    assert_eq!(scan.stem_is(k, w), stem == Some(w), "token {k}");
                }
                if let Some(t) = scan.body_token(k) {
                    let norm = doc.norm(t);
                    let label = norm.len() > 1 && norm.bytes().all(|c| c.is_ascii_uppercase());
                    assert_eq!(scan.is_latin_label(t), label, "token {k}");
                    found[7] += usize::from(label);
                }
                // Digits are tried as a ratio and a number only: the rules
                // of words and signs find nothing there.
                if scan.is_number(k) {
                    let word = scan.norm(k);
                    assert!(scan.range_at(k, k, word, None).is_none(), "token {k}");
                    assert!(scan.ordinal_at(k, word).is_none(), "token {k}");
                    assert!(scan.prefix_percent_at(k, k, word, None).is_none());
                    assert!(scan.dual_at(k, k, word, None).is_none(), "token {k}");
                    if scan.number(k).is_some() {
                        assert!(scan.slash_ratio_at(k, k, word).is_none(), "token {k}");
                    }
                    found[6] += 1;
                }
                // No number starts at a range, date or time in one token.
                if scan.number(k).is_some() {
                    assert!(!scan.norm(k).contains(['-', ':', '/', '–']), "token {k}");
                    numbers += 1;
                }
                // A range's opener starts nothing but a range.
                if range_joiners(scan.norm(k)).is_some() {
                    let word = scan.norm(k);
                    assert!(scan.ordinal_at(k, word).is_none(), "token {k}");
                    assert!(scan.prefix_percent_at(k, k, word, None).is_none());
                    assert!(scan.dual_at(k, k, word, None).is_none(), "token {k}");
                    assert!(scan.number_at(k).is_none(), "token {k}");
                    assert!(BLOCKERS.longest(words).is_none(), "token {k}");
                    openers += 1;
                }
                // Year cues inside a date's span start a date by the stem.
                if k < scan.limit && crate::extract::dates::YEAR_CUES_IN_SPAN.contains(scan.stem(k))
                {
                    assert!(scan.has(k, Form::Stem, features::DATE_START), "token {k}");
                    year_cues += 1;
                }
                let time_unit = scan
                    .word(k)
                    .is_some_and(|w| TIME_UNITS.contains(w) || TIME_UNITS.contains(scan.stem(k)));
                assert_eq!(scan.is_time_unit(k), time_unit, "token {k}");
                found[1] += usize::from(time_unit);
                if QUALIFIERS.longest(scan.phrase(k)).is_some() {
                    assert!(scan.has(k, Form::Bare, features::QUALIFIER), "token {k}");
                    found[2] += 1;
                }
                if !scan.is_word(k) {
                    continue;
                }
                let (norm, bare) = (scan.norm(k), scan.bare(k));
                if ORDINALS.contains_key(bare) {
                    assert!(scan.has(k, Form::Bare, features::ORDINAL), "{bare}");
                    found[3] += 1;
                }
                if ORDINALS.contains_key(norm) {
                    assert!(scan.has(k, Form::Norm, features::ORDINAL), "{norm}");
                }
                if cardinal(norm).is_some() {
                    assert!(scan.has(k, Form::Norm, features::NUMBER_WORD), "{norm}");
                    found[4] += 1;
                }
            }
        }
        assert!(found.iter().all(|&n| n > 10), "{found:?}");
        assert!(after_numbers.iter().all(|&n| n > 10), "{after_numbers:?}");
        assert!(openers > 100 && year_cues > 100, "{openers} {year_cues}");
        assert!(numbers > 1000, "{numbers}");
    }

    #[test]
    fn arabic_words_are_told_by_their_first_byte() {
        let block = |w: &str| {
            w.chars()
                .next()
                .is_some_and(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
        };
        let edges = [
            "\u{05FF}", "\u{0600}", "\u{06FF}", "\u{0700}", "a", "", "٪", "ـ",
        ];
        for word in edges {
            assert_eq!(is_arabic(word), block(word), "{word:?}");
        }
        let mut arabic = 0;
        for text in crate::text::corpus_texts() {
            let doc = Analysis::new(&text);
            for t in doc.tokens() {
                let norm = doc.norm(t);
                assert_eq!(is_arabic(norm), block(norm), "{norm}");
                arabic += usize::from(block(norm));
            }
        }
        assert!(arabic > 10_000, "{arabic} Arabic words");
    }

    #[test]
    fn only_words_with_a_dual_ending_are_duals() {
        assert!(DUALS.keys().all(|k| may_be_dual(k)));
        let mut duals = 0;
        for text in crate::text::corpus_texts() {
            let doc = Analysis::new(&text);
            for t in doc.tokens() {
                let norm = doc.norm(t);
                let unprefixed = norm.strip_prefix(['و', 'ل', 'ب', 'ف', 'ك']).unwrap_or(norm);
                let forms = [norm, doc.stem(t), doc.bare(t), unprefixed];
                let dual = forms.iter().any(|w| DUALS.get(w).is_some());
                assert!(may_be_dual(norm) || !dual, "{norm}");
                // Every form ends where the normal form ends.
                assert!(forms.iter().all(|w| norm.ends_with(w)), "{norm}");
                duals += usize::from(dual);
            }
        }
        assert!(duals > 20, "{duals} duals");
    }

    #[test]
    fn surface_stems_drop_the_marks_and_keep_every_letter() {
        let text = "مسكنًا والأسرُ لـشركتين ـــــطن ومُدرِّسًا";
        let mut texts = vec![text.to_string()];
        texts.extend(crate::text::corpus_texts());
        let (mut marked, mut as_normal) = (0, 0);
        for text in &texts {
            let doc = Analysis::new(text);
            for t in doc.tokens().iter().filter(|t| t.kind == TokenKind::Word) {
                // As first written: every character but the marks, one by one.
                let start = doc.normalized().to_original_start(t.stem_span().start);
                let original = &doc.original()[start.max(t.start as usize)..t.end as usize];
                let mut plain: String = original
                    .chars()
                    .filter(|&c| !matches!(fold_char(c), Fold::Mark | Fold::Ignore))
                    .collect();
                if original.contains('\u{064B}') && plain.ends_with('ا') {
                    plain.pop();
                }
                marked += usize::from(plain.len() + 2 <= original.len());
                as_normal += usize::from(original == doc.stem(t));
                assert_eq!(surface_stem(&doc, t), plain, "{original}");
            }
        }
        assert!(marked > 50, "{marked} words with marks");
        assert!(
            as_normal > 1000,
            "{as_normal} words written as their normal form"
        );
    }

    #[test]
    fn not_figures() {
        for text in [
            "القرار رقم 1234/QD-UBND",
            "الطريق الوطني رقم 1A",
            "الطريق الوطني رقم 38",
            "الخط الساخن 1900 9095",
            "لوحة 47C-123.45",
            "المرسوم 15/2023/ND-CP",
            "في عام 2023",
            "منذ 2019",
            "في 24 ديسمبر",
            "للفترة 2020-2025",
            "الساعة 14:30",
            "لمدة 5 سنوات",
            "عامين",
            "آلاف الأشخاص",
            "نصف السكان",
            "المشروعين",
            "في 24/12",
            "من 27 إلى 30 تشرين الثاني",
            "يومي 27 و28 يونيو",
            "اليوم الثالث عشر من الشهر القمري الأول",
            "الأشهر الخمسة الأولى من عام 2024",
            "أسبوع واحد",
            "في عام 2023 لتقديم",
        ] {
            assert_eq!(figures(text), Vec::<Value>::new(), "{text}");
        }
    }
}

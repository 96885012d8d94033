//! Dates, ranges, periods, times of day and durations (SPEC §2 `date`, `duration`).
//!
//! One pass over the body tokens. At each token the extractor tries, longest
//! first: a clock time (`الساعة 8 صباحًا`, with the date after it), a part of a day
//! or of a period (`صباح يوم 7 يونيو`, `نهاية عام 2020`), a day (`يوم الاثنين 24
//! ديسمبر 2023`, `يومي 27 و28 يونيو`), a range (`من 1 إلى 5 يونيو`, `بين عامي 2020
//! و2025`, `2020-2025`), a numeric date (`24/12/2023`), a period of a year (`الربع
//! الأول من عام 2024`, `الأشهر الخمسة الأولى`), a lunar date (`اليوم العاشر من الشهر
//! القمري الثالث`), a day and month, a month, a year with its cue (`عام 2023`,
//! `منذ 2019`), a relative date (`العام الماضي`), and a length of time (`5 سنوات`,
//! `عامين`).
//!
//! Values are as partial as the text (`--12-24` for a day and month); [`resolve`]
//! later fills `value` for relative dates and `resolved` for partial ones when a
//! reference date or one clear year of context allows, and flags weekdays that do
//! not fit their date.

use std::cell::Cell;
use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use super::features::{self, Form};
use super::numbers::{cardinal, WordClass, MAY_START_NUMBER};
use super::{Extractor, TokenView, QUALIFIERS};
use crate::analysis::Analysis;
use crate::lexicon::{normalize_word, records, PhraseTable, WordMap, WordSet, WordTable};
use crate::record::{CompactString, Date, Duration, Entity, EntityKind, EntityValue, Relative};
use crate::token::{Token, TokenKind};

/// A month name's number, calendar, and whether it needs a cue.
#[derive(Debug, Clone, Copy)]
struct Month {
    number: u8,
    hijri: bool,
    needs_cue: bool,
}

static MONTHS: LazyLock<PhraseTable<Month>> = LazyLock::new(|| {
    PhraseTable::new(
        records(include_str!("../../data/dates/months.txt")).filter_map(|f| {
            Some((
                f[0],
                Month {
                    number: f.get(1)?.parse().ok()?,
                    hijri: *f.get(2)? == "hijri",
                    needs_cue: f.get(3) == Some(&"cue"),
                },
            ))
        }),
    )
});

static WEEKDAYS: LazyLock<WordMap<u8>> = LazyLock::new(|| {
    records(include_str!("../../data/dates/weekdays.txt"))
        .filter_map(|f| Some((normalize_word(f[0]), f.get(1)?.parse().ok()?)))
        .collect()
});

/// A part word: its key, and whether it governs a day (else a period).
static PARTS: LazyLock<PhraseTable<(CompactString, bool)>> = LazyLock::new(|| {
    PhraseTable::new(
        records(include_str!("../../data/dates/parts.txt"))
            .filter_map(|f| Some((f[0], ((*f.get(1)?).into(), *f.get(2)? == "day")))),
    )
});

static RELATIVE: LazyLock<PhraseTable<(CompactString, i32)>> = LazyLock::new(|| {
    PhraseTable::new(
        records(include_str!("../../data/dates/relative.txt"))
            .filter_map(|f| Some((f[0], ((*f.get(1)?).into(), f.get(2)?.parse().ok()?)))),
    )
});

/// A unit of time: ISO designator and the count a dual carries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct TimeUnit {
    designator: &'static str,
    count: u32,
}

static TIME_UNIT_WORDS: LazyLock<FxHashMap<String, TimeUnit>> = LazyLock::new(|| {
    records(include_str!("../../data/dates/time-units.txt"))
        .filter_map(|f| {
            let designator = match *f.get(1)? {
                "Y" => "Y",
                "M" => "M",
                "W" => "W",
                "D" => "D",
                "H" => "H",
                "MIN" => "MIN",
                "S" => "S",
                _ => return None,
            };
            Some((
                normalize_word(f[0]),
                TimeUnit {
                    designator,
                    count: f.get(2)?.parse().ok()?,
                },
            ))
        })
        .collect()
});

/// [`TIME_UNIT_WORDS`] as [`Scan::time_unit_at`] reads them ([`by_bytes`]).
static TIME_UNITS: LazyLock<WordTable<TimeUnit>> = LazyLock::new(|| by_bytes(&TIME_UNIT_WORDS));

/// A table of `words` and their values, read by a bare form's bytes
/// ([`Scan::bare_in`]): the values are the table's own, with no list of
/// entries to read them from.
fn by_bytes<V: Copy + Default>(words: &FxHashMap<String, V>) -> WordTable<V> {
    words
        .iter()
        .map(|(word, &value)| (word.as_bytes(), value))
        .collect()
}

/// Ordinal words as day or month numbers (`العاشر`, `الثالث عشر`).
static ORDINALS: LazyLock<WordMap<(u8, WordClass)>> = LazyLock::new(|| {
    records(include_str!("../../data/figures/ordinals.txt"))
        .filter_map(|f| {
            let value: u8 = f.get(1)?.parse().ok()?;
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

/// Words after which a four-digit number is a year (`data/dates/year-cues.txt`):
/// those that belong to the span (`عام 2023`) and those that do not (`منذ 2019`).
pub(crate) static YEAR_CUES_IN_SPAN: LazyLock<WordSet> = LazyLock::new(|| year_cues("in"));
pub(crate) static YEAR_CUES_OUTSIDE: LazyLock<WordSet> = LazyLock::new(|| year_cues("out"));

fn year_cues(span: &str) -> WordSet {
    let words: Vec<&str> = records(include_str!("../../data/dates/year-cues.txt"))
        .filter(|f| f.get(1) == Some(&span))
        .map(|f| f[0])
        .collect();
    WordSet::parse(&words.join(
        "
",
    ))
}

/// The date and duration extractor.
#[derive(Debug, Default, Clone, Copy)]
pub struct Dates;

impl Extractor for Dates {
    fn kinds(&self) -> &'static [EntityKind] {
        &[EntityKind::Date, EntityKind::Duration]
    }

    fn extract(&self, doc: &Analysis<'_>, out: &mut Vec<Entity>) {
        let scan = Scan::new(doc);
        let mut next = 0;
        for &i in scan.date_starts() {
            let i = i as usize;
            // Inside the date just found.
            if i < next {
                continue;
            }
            if let Some((start, end, value)) = scan.at(i) {
                out.push(doc.entity(start..end, value));
                next = end;
            }
        }
    }
}

/// The rules of [`Scan::at`], one bit each, in the order they are tried: what
/// [`Scan::rules_at`] says a token can start.
type Rules = u16;
/// [`Scan::clock_at`]: `الساعة 8 صباحًا`, `8:30 مساءً`.
const CLOCK: Rules = 1 << 0;
/// [`Scan::part_at`]: `صباح يوم 7 يونيو`, `نهاية عام 2020`.
const PART: Rules = 1 << 1;
/// [`Scan::range_at`]: `من 1 إلى 5 يونيو`, `بين عامي 2020 و2025`, `2020-2025`.
const RANGE: Rules = 1 << 2;
/// [`Scan::day_at`]: `يوم الاثنين 24 ديسمبر 2023`, `يومي 27 و28 يونيو`, `24 ديسمبر`.
const DAY: Rules = 1 << 3;
/// [`Scan::numeric_at`]: `24/12/2023`, `يوم 24/12`.
const NUMERIC: Rules = 1 << 4;
/// [`Scan::period_at`]: `الربع الأول من عام 2024`, `الأشهر الخمسة الأولى`.
const PERIOD: Rules = 1 << 5;
/// [`Scan::lunar_at`]: `اليوم العاشر من الشهر القمري الثالث`, `رأس السنة القمرية`.
const LUNAR: Rules = 1 << 6;
/// [`Scan::month_year_at`]: `ديسمبر 2023`, `شهر ديسمبر`.
const MONTH_YEAR: Rules = 1 << 7;
/// [`Scan::year_at`]: `عام 2023`, `منذ 2019`.
const YEAR: Rules = 1 << 8;
/// [`Scan::relative_at`]: `أمس`, `العام الماضي`.
const RELATIVE_DATE: Rules = 1 << 9;
/// [`Scan::duration_at`]: `5 سنوات`, `عامين`, `أكثر من ساعتين`.
const DURATION: Rules = 1 << 10;
/// The first word of a qualifier (`أكثر`, `على`, `ما`): no rule of its own
/// but [`DURATION`] when a length of time may follow ([`Scan::rules_at`]).
const QUALIFIED: Rules = 1 << 11;

/// The most tokens a qualifier takes (`ما لا يقل عن`): the length of time
/// after one starts within this many tokens of its first word.
const QUALIFIER_TOKENS: usize = 4;

/// The rules each word can start by its bare form (`وبين` → `بين`): the first
/// words of the lexicons each rule begins with, and the words the rules name
/// themselves. A rule missing here for a word never runs at that word, so
/// every rule's first test of its first token must be answered here (or by
/// the stem and number tests of [`Scan::rules_at`]).
static HEAD_WORDS: LazyLock<FxHashMap<String, Rules>> = LazyLock::new(|| {
    let mut heads: FxHashMap<String, Rules> = FxHashMap::default();
    let mut add = |word: &str, rules: Rules| {
        *heads.entry(word.to_string()).or_default() |= rules;
    };
    for (word, rules) in [
        // `يوم الأحد 24 ديسمبر`, `يوم 24/12/2023`.
        ("يوم", DAY | NUMERIC),
        // `يومي 27 و28 يونيو`.
        ("يومي", DAY),
        // `اليوم الاثنين 24 ديسمبر`, `اليوم العاشر من الشهر القمري الثالث`.
        ("اليوم", DAY | NUMERIC | LUNAR),
        ("من", RANGE),
        ("بين", RANGE),
        ("الربع", PERIOD),
        ("النصف", PERIOD),
        ("الاشهر", PERIOD),
        ("الشهور", PERIOD),
        ("الايام", LUNAR),
        ("راس", LUNAR),
        ("الشهر", LUNAR),
        // Clocks and `شهر X` are read by the stem (`بالساعة`, `لشهر`), which
        // [`Scan::rules_at`] tests; these words stay triggers.
        ("ساعة", CLOCK),
        ("الساعة", CLOCK),
        ("شهر", MONTH_YEAR),
    ] {
        add(word, rules);
    }
    for day in WEEKDAYS.keys() {
        add(day, DAY | NUMERIC);
    }
    for word in PARTS.first_words() {
        add(word, PART);
    }
    for word in MONTHS.first_words() {
        add(word, MONTH_YEAR);
    }
    // Cues inside the span start a year (`عام 2023`); cues outside it (`في`,
    // `منذ`) do not: the year after them does.
    for word in YEAR_CUES_IN_SPAN.words() {
        add(word, YEAR);
    }
    for word in RELATIVE.first_words() {
        add(word, RELATIVE_DATE);
    }
    for word in QUALIFIERS.first_words() {
        add(word, QUALIFIED);
    }
    for word in TIME_UNIT_WORDS.keys() {
        add(word, DURATION);
    }
    heads
});

/// [`HEAD_WORDS`] as [`Scan::rules_at`] reads them ([`by_bytes`]).
static HEADS: LazyLock<WordTable<Rules>> = LazyLock::new(|| by_bytes(&HEAD_WORDS));

/// Registers the words of [`HEAD_WORDS`] as date triggers with the shared
/// per-token features, so that most words are passed over with a bit test.
/// Number words (`خمس سنوات`) start durations too but are no triggers: they
/// have their own bit ([`features::NUMBER_WORD`]), and most of them count
/// money or people (`مليار`, `ألف`), so the head and month lookups skip them.
pub(super) fn register_features(add: &mut dyn FnMut(&str, features::Lex)) {
    for word in HEAD_WORDS.keys() {
        add(word, features::DATE_START);
    }
}

/// Where a date or duration can start: numbers, words whose normal form, bare
/// form or stem starts one, and number words by the same forms (`خمس
/// سنوات`).
pub(super) const MAY_START_DATE: u64 = features::in_form(Form::Norm, features::NUMBER)
    | features::in_form(Form::Norm, features::DATE_START | features::NUMBER_WORD)
    | features::in_form(Form::Bare, features::DATE_START | features::NUMBER_WORD)
    | features::in_form(Form::Stem, features::DATE_START | features::NUMBER_WORD);

/// Where [`Scan::month`] can find a month: a month name by its bare form
/// (`ديسمبر`, `كانون الأول`) or `شهر` by its stem (`لشهر ديسمبر`), both date
/// triggers.
const MAY_NAME_MONTH: u64 = features::in_form(Form::Bare, features::DATE_START)
    | features::in_form(Form::Stem, features::DATE_START);

/// A date being read: the value parts found so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Ymd {
    year: Option<i32>,
    month: Option<u8>,
    day: Option<u8>,
}

impl Ymd {
    /// ISO 8601, as partial as the parts: `2023`, `2023-12`, `2023-12-24`,
    /// `--12-24`, `--12`.
    fn iso(self) -> Option<CompactString> {
        let mut iso = IsoText::default();
        match (self.year, self.month, self.day) {
            (Some(y), None, None) => push_padded(&mut iso, y.into(), 4),
            (Some(y), Some(m), None) => {
                push_padded(&mut iso, y.into(), 4);
                iso.push_ascii("-");
                push_padded(&mut iso, m.into(), 2);
            }
            (Some(y), Some(m), Some(d)) => {
                push_padded(&mut iso, y.into(), 4);
                iso.push_ascii("-");
                push_padded(&mut iso, m.into(), 2);
                iso.push_ascii("-");
                push_padded(&mut iso, d.into(), 2);
            }
            (None, Some(m), Some(d)) => {
                iso.push_ascii("--");
                push_padded(&mut iso, m.into(), 2);
                iso.push_ascii("-");
                push_padded(&mut iso, d.into(), 2);
            }
            (None, Some(m), None) => {
                iso.push_ascii("--");
                push_padded(&mut iso, m.into(), 2);
            }
            _ => return None,
        }
        Some(iso.to_compact())
    }

    /// Whether the day exists in its month (29 February needs a leap year, or no
    /// year to say otherwise).
    fn is_valid(self) -> bool {
        match (self.month, self.day) {
            (Some(m), Some(d)) => {
                (1..=12).contains(&m) && d >= 1 && d <= days_in_month(self.year.unwrap_or(2000), m)
            }
            (Some(m), None) => (1..=12).contains(&m),
            _ => true,
        }
    }
}

struct Scan<'d, 'a> {
    view: TokenView<'d, 'a>,
    /// The last day and month read ([`Scan::day_month`]), with the token it
    /// was read at: the range rule reads `24 ديسمبر`, finds no `-` after it,
    /// and the day rule reads the same again.
    last_day_month: ReadAt<DayMonth>,
    /// The last integer read ([`Scan::integer`]), with its token:
    /// [`rules_at`](Scan::rules_at) reads the start's (`2023`), and the year,
    /// day and range rules ask for it again.
    last_integer: ReadAt<Option<u32>>,
}

/// The last value a rule read at a token, with that token: the next rule
/// that asks at the same token takes it rather than read it again.
struct ReadAt<T>(Cell<Option<(usize, T)>>);

impl<T: Copy> ReadAt<T> {
    fn new() -> Self {
        ReadAt(Cell::new(None))
    }

    /// The value at token `k`: the one remembered, or `read()`, remembered.
    #[inline]
    fn at(&self, k: usize, read: impl FnOnce() -> T) -> T {
        match self.0.get() {
            Some((at, value)) if at == k => value,
            _ => {
                let value = read();
                self.remember(k, value);
                value
            }
        }
    }

    /// Remembers `value` as read at token `k`.
    #[inline]
    fn remember(&self, k: usize, value: T) {
        self.0.set(Some((k, value)));
    }
}

/// A day and month read at a token: the date and the token after it.
type DayMonth = Option<(Ymd, usize)>;

impl<'d, 'a> std::ops::Deref for Scan<'d, 'a> {
    type Target = TokenView<'d, 'a>;
    fn deref(&self) -> &Self::Target {
        &self.view
    }
}

type Found = (usize, usize, EntityValue);

/// A rule of the cascade: the date it reads from a token, if any.
type Rule<S> = fn(&S, usize) -> Option<Found>;

fn date_value(date: Date) -> EntityValue {
    EntityValue::Date(date)
}

impl<'d, 'a> Scan<'d, 'a> {
    fn new(doc: &'d Analysis<'a>) -> Self {
        Scan {
            view: TokenView::new(doc),
            last_day_month: ReadAt::new(),
            last_integer: ReadAt::new(),
        }
    }

    /// A number token of one to four ASCII digits, as an integer (`2023`)
    /// ([`read_integer`](Self::read_integer), remembered for the next rule
    /// that asks at the same token).
    fn integer(&self, k: usize) -> Option<u32> {
        self.last_integer.at(k, || self.read_integer(k))
    }

    /// A number token of one to four ASCII digits, as an integer, read from
    /// the token.
    fn read_integer(&self, k: usize) -> Option<u32> {
        let t = self.body_token(k)?;
        if t.kind != TokenKind::Number {
            return None;
        }
        read_number(self.doc.form_bytes(t, 0)).1
    }

    /// Whether token `k`'s stem is `word` (false past the body), compared
    /// as bytes ([`Analysis::form_bytes`]).
    #[inline]
    fn stem_is(&self, k: usize, word: &str) -> bool {
        self.body_token(k)
            .is_some_and(|t| self.doc.form_bytes(t, t.clitics.stem_offset()) == word.as_bytes())
    }

    /// Whether token `k`'s bare form is a date trigger (a word of [`HEAD_WORDS`]). Every
    /// lexicon of this module that is looked up by a bare form (months,
    /// weekdays, parts, relative dates, qualifiers, time units, year cues,
    /// [`HEAD_WORDS`]) has only triggers as its first words, so a token without the
    /// bit is in none of them and the lookup can be skipped.
    #[inline]
    fn is_trigger(&self, k: usize) -> bool {
        self.has(k, Form::Bare, features::DATE_START)
    }

    /// The longest phrase of `table` from token `k` (its first word bare).
    #[inline]
    fn phrase_in<'t, V>(&self, table: &'t PhraseTable<V>, k: usize) -> Option<(usize, &'t V)> {
        if !self.is_trigger(k) {
            return None;
        }
        table.longest(self.phrase(k))
    }

    /// What `table` ([`by_bytes`]) says about the bare form of body token
    /// `k` (`t`), read by its bytes ([`Analysis::form_bytes`]).
    #[inline]
    fn bare_in<V: Copy + Default>(&self, table: &WordTable<V>, k: usize, t: &Token) -> Option<V> {
        if !self.is_trigger(k) {
            return None;
        }
        table.get(self.doc.form_bytes(t, t.clitics.particle_len()))
    }

    /// What `map` says about token `k`'s bare form.
    #[inline]
    fn word_in<'t, V>(&self, map: &'t WordMap<V>, k: usize) -> Option<&'t V> {
        if !self.is_trigger(k) {
            return None;
        }
        map.get(self.bare(k))
    }

    fn year(&self, k: usize) -> Option<i32> {
        self.integer(k).and_then(year_of)
    }

    fn day(&self, k: usize) -> Option<u8> {
        self.integer(k).and_then(day_of)
    }

    /// A month name at `k` (also `شهر X`): the month and the token after it.
    /// A name that is also a common word needs `cue` to count.
    fn month(&self, k: usize, cue: bool) -> Option<(Month, usize)> {
        let (start, with_word) = if self.stem_is(k, "شهر") && k + 1 < self.limit {
            (k + 1, true)
        } else {
            (k, false)
        };
        let (len, m) = self.phrase_in(&MONTHS, start)?;
        if m.needs_cue && !cue && !with_word {
            return None;
        }
        Some((*m, start + len))
    }

    /// `يوم`/`يومي` and a weekday before a date: the weekday and the token after.
    fn day_word(&self, k: usize) -> (Option<u8>, usize) {
        let mut k = k;
        if matches!(self.bare(k), "يوم" | "اليوم") {
            k += 1;
        }
        match self.word_in(&WEEKDAYS, k) {
            Some(&w) => (Some(w), k + 1),
            None => (None, k),
        }
    }

    /// A day and month with an optional year: `24 ديسمبر`, `٦ كانون الأول ٢٠٢٤`
    /// ([`read_day_month`](Self::read_day_month), remembered for the next
    /// rule that asks at the same token).
    fn day_month(&self, k: usize) -> DayMonth {
        self.last_day_month.at(k, || self.read_day_month(k))
    }

    /// A day and month with an optional year at `k`, read from the tokens.
    fn read_day_month(&self, k: usize) -> DayMonth {
        let day = self.day(k)?;
        let (month, mut end) = self.month(k + 1, true)?;
        let mut ymd = Ymd {
            year: None,
            month: Some(month.number),
            day: Some(day),
        };
        if let Some(y) = self.year(end) {
            ymd.year = Some(y);
            end += 1;
        }
        ymd.is_valid().then_some((ymd, end))
    }

    /// The date that starts at `i`, as (first token, end token, value): the
    /// first rule of the cascade that matches, tried only where
    /// [`rules_at`](Self::rules_at) says it can (at punctuation, nowhere).
    fn at(&self, i: usize) -> Option<Found> {
        let mut rules = self.rules_at(i);
        // The rules' bits from the lowest, each its rule's place in the
        // cascade: a step per rule tried (a third of the starts try any,
        // most of them one), not per rule of the cascade. A loop that
        // returns what the rule found: no copy of the date on its way out,
        // as an iterator's `find_map` makes.
        while rules != 0 {
            let (_, read) = Self::CASCADE[rules.trailing_zeros() as usize];
            if let Some(found) = read(self, i) {
                return Some(found);
            }
            rules &= rules - 1;
        }
        None
    }

    /// The rules of a date or duration, in the order [`at`](Self::at) tries
    /// them, each at the place of its bit: where several match, the first
    /// wins.
    const CASCADE: [(Rules, Rule<Self>); 11] = [
        (CLOCK, Self::clock_at),
        (PART, Self::part_at),
        (RANGE, Self::range_at),
        (DAY, Self::day_at),
        (NUMERIC, Self::numeric_at),
        (PERIOD, Self::period_at),
        (LUNAR, Self::lunar_at),
        (MONTH_YEAR, Self::month_year_at),
        (YEAR, Self::year_at),
        (RELATIVE_DATE, Self::relative_at),
        (DURATION, Self::duration_at),
    ];

    /// The rules of the cascade that can match at token `i`, from what each
    /// requires of its first token or two. This is exact, not a heuristic: a
    /// rule left out here would have found nothing (the tests run every rule
    /// on every token of the gold corpus to check it).
    ///
    /// Most tokens that reach [`at`](Self::at) start nothing: `من` before a
    /// word (`من جانبه`), a qualifier before a figure (`أكثر من 2000 شخص`), a
    /// number that counts something (`15 شخصا`). The whole cascade used to
    /// look each of them up in every lexicon; now `من` is tried as a range
    /// only, `أكثر` as a duration only, and `15 شخصا` by no rule. A rule can
    /// start at token `i` only if:
    ///
    /// * the bare form of `i` is the first word of one of its phrases or
    ///   lexicons ([`HEADS`]: `من` a range, `ديسمبر` a month, `أكثر` a
    ///   duration), or the stem is `ساعة` (a clock: `بالساعة 8`) or `شهر`
    ///   (`لشهر ديسمبر`), but `من` and `بين` open a range only before a
    ///   number, `اليوم`, `عامي` or `سنتي` (`من جانبه` is tried by no rule);
    /// * `i` is a number shaped for it: `14:30` (a clock), `24/12/2023` or
    ///   `24-12-2023` (a numeric date), `2020-2025` (a range), `2023` (a year);
    /// * `i` is a day before a month (`24 ديسمبر`, `24 شهر ديسمبر`): the next
    ///   token must be a date trigger by its bare form or stem, as every month
    ///   name and `شهر` are (number words such as `مليار` are not: `24 مليون`
    ///   is tried by no month rule);
    /// * `i` starts a number in digits or words with a time unit right after
    ///   it (`3 أيام`, `خمس سنوات`): the unit is a trigger by its bare form.
    ///
    /// * `i` is the first word of a qualifier (`على`, `ما`, `أكثر`) with a
    ///   length of time starting within [`QUALIFIER_TOKENS`] tokens after it
    ///   (`أكثر من 5 سنوات`): most of these words qualify nothing (`على
    ///   الحكومة`), and the qualifier lookup is the dear part of a duration.
    ///
    /// The number tests read the per-document number memo and the shared
    /// token features; the word test is one lookup. A number token (a third
    /// of the tokens asked) is no head word and has no clitics: it goes
    /// straight to the tests of its shape ([`number_rules_at`](Self::number_rules_at)).
    fn rules_at(&self, i: usize) -> Rules {
        let Some(t) = self.body_token(i) else {
            return 0;
        };
        if t.kind == TokenKind::Number {
            return self.number_rules_at(i, t);
        }
        let mut rules = self.bare_in(&HEADS, i, t).unwrap_or(0);
        if rules & QUALIFIED != 0 {
            rules &= !QUALIFIED;
            if (i + 1..i + 1 + QUALIFIER_TOKENS).any(|k| self.may_start_duration_part(k)) {
                rules |= DURATION;
            }
        }
        // A range after `من` or `بين` reads a number first (`من 1 إلى 5
        // يونيو`), or `اليوم` (`من اليوم الثاني عشر`), `عامي` or `سنتي` (`بين
        // عامي 2020 و2025`).
        if rules & RANGE != 0
            && !(self.is_number(i + 1) || matches!(self.bare(i + 1), "اليوم" | "عامي" | "سنتي"))
        {
            rules &= !RANGE;
        }
        // Both stems are heads, so date triggers by the stem; a stem that is
        // the bare form (no article) was looked up as one with its rules.
        let clitics = t.clitics;
        if clitics.stem_offset() != clitics.particle_len()
            && self.has(i, Form::Stem, features::DATE_START)
        {
            match self.doc.stem(t) {
                "ساعة" => rules |= CLOCK,
                "شهر" => rules |= MONTH_YEAR,
                _ => {}
            }
        }
        // Only a number token or a number word starts a number (`خمس`): the
        // other words (`من`, `العام`) are not looked for in the memo.
        if self.has_mask(i, MAY_START_NUMBER) {
            rules |= self.duration_rule_at(i);
        }
        rules
    }

    /// [`DURATION`] if a number starts at token `i` with a date trigger right
    /// after it (`5 سنوات`, `خمس سنوات`), else nothing.
    #[inline]
    fn duration_rule_at(&self, i: usize) -> Rules {
        if self
            .number(i)
            .is_some_and(|n| self.has(n.end, Form::Bare, features::DATE_START))
        {
            DURATION
        } else {
            0
        }
    }

    /// [`rules_at`](Self::rules_at) of number token `i` (`t`): no head word,
    /// no clitics, and rules by its shape alone.
    fn number_rules_at(&self, i: usize, t: &Token) -> Rules {
        // Its bytes read once: the separators and the integer of
        // [`year`](Self::year) and [`day`](Self::day), remembered for the
        // rules that ask for it.
        let (separators, integer) = read_number(self.doc.form_bytes(t, 0));
        self.last_integer.remember(i, integer);
        let mut rules = separators | self.duration_rule_at(i);
        if integer.and_then(year_of).is_some() {
            rules |= YEAR;
        }
        if self.has_mask(i + 1, MAY_NAME_MONTH) && integer.and_then(day_of).is_some() {
            rules |= RANGE | DAY;
        }
        rules
    }

    /// A day with its `يوم` and weekday: `يوم الاثنين 24 ديسمبر 2023`, `24 ديسمبر`,
    /// and two days sharing a month: `يومي 27 و28 يونيو`.
    fn day_at(&self, i: usize) -> Option<Found> {
        if matches!(self.bare(i), "يومي") {
            let d1 = self.day(i + 1)?;
            if self.norm(i + 2) != "و" {
                return None;
            }
            let (to, end) = self.day_month(i + 3)?;
            let from = Ymd {
                day: Some(d1),
                ..to
            };
            return Some((i, end, range(from, to, None)));
        }
        let (weekday, k) = self.day_word(i);
        let (ymd, end) = self.day_month(k)?;
        let date = Date {
            value: ymd.iso(),
            weekday_mismatch: weekday_mismatch(ymd, weekday),
            ..Date::default()
        };
        Some((i, end, date_value(date)))
    }

    /// `الساعة 8 صباحًا`, `الساعة 14:30`, `8:30 مساءً`, with a date after it
    /// (`الساعة 17:00 يوم 30 تموز`, `الساعة 3:15 صباح يوم الخميس 2 مايو 2024`).
    fn clock_at(&self, i: usize) -> Option<Found> {
        let with_word = self.stem_is(i, "ساعة");
        let k = if with_word { i + 1 } else { i };
        let n = self.norm(k);
        let (hour, minute) = match n.split_once(':') {
            Some((h, m)) if self.is_number(k) => (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?),
            _ if with_word => (self.integer(k)?, 0),
            _ => return None,
        };
        if hour > 24 || minute > 59 {
            return None;
        }
        let mut end = k + 1;
        let mut hour = hour;
        match self.bare(end) {
            "مساء" | "مساءا" | "ليلا" if hour < 12 => {
                hour += 12;
                end += 1;
            }
            "ظهرا" | "عصرا" if hour < 12 => {
                hour = if hour < 6 { hour + 12 } else { hour };
                end += 1;
            }
            "صباحا" | "فجرا" => end += 1,
            _ => {}
        }
        if !with_word && end == k + 1 {
            // A bare `8:30` needs `صباحًا`/`مساءً` to be a time.
            return None;
        }
        let mut time = IsoText::default();
        push_padded(&mut time, hour.into(), 2);
        time.push_ascii(":");
        push_padded(&mut time, minute.into(), 2);
        let time = time.to_compact();
        // The date it is on, right after it.
        let on = if self.norm(end) == "من" {
            end + 1
        } else {
            end
        };
        if let Some((s, e, EntityValue::Date(mut date))) =
            self.part_at(on).or_else(|| self.day_at(on))
        {
            if s == on && date.value.is_some() {
                date.time = Some(time);
                return Some((i, e, date_value(date)));
            }
        }
        let date = Date {
            time: Some(time),
            ..Date::default()
        };
        Some((i, end, date_value(date)))
    }

    /// A part of a day or of a period before a date or a relative date:
    /// `صباح يوم 7 يونيو`, `بعد ظهر أمس`, `نهاية عام 2020`, `منتصف يوليو`,
    /// `نهاية الشهر الماضي`.
    fn part_at(&self, i: usize) -> Option<Found> {
        let (len, (part, day_scope)) = self.phrase_in(&PARTS, i)?;
        let k = i + len;
        if let Some((_, end, EntityValue::Date(mut date))) = self.relative_at(k) {
            date.part = Some(part.clone());
            return Some((i, end, date_value(date)));
        }
        if *day_scope {
            let (weekday, k2) = self.day_word(k);
            let (ymd, end) = self.day_month(k2)?;
            let date = Date {
                value: ymd.iso(),
                part: Some(part.clone()),
                weekday_mismatch: weekday_mismatch(ymd, weekday),
                ..Date::default()
            };
            return Some((i, end, date_value(date)));
        }
        // A period: `نهاية عام 2020`, `نهاية آذار`, `منتصف يوليو 2024`.
        let (ymd, end) = self
            .year_with_cue(k)
            .or_else(|| self.month_year(k, true).map(|(_, ymd, end)| (ymd, end)))?;
        let date = Date {
            value: ymd.iso(),
            part: Some(part.clone()),
            ..Date::default()
        };
        Some((i, end, date_value(date)))
    }

    /// `عام 2023`, `سنة ٢٠٢٣`: the year and the token after it.
    fn year_with_cue(&self, k: usize) -> Option<(Ymd, usize)> {
        if !(self.is_trigger(k) && YEAR_CUES_IN_SPAN.contains(self.bare(k))) {
            return None;
        }
        let year = self.year(k + 1)?;
        Some((
            Ymd {
                year: Some(year),
                ..Ymd::default()
            },
            k + 2,
        ))
    }

    /// A month with an optional year: `ديسمبر 2023`, `شهر ديسمبر`, `أيار`: the
    /// month's name (a Hijri one gives its calendar), the date and the token
    /// after it.
    fn month_year(&self, k: usize, cue: bool) -> Option<(Month, Ymd, usize)> {
        let (month, mut end) = self.month(
            k,
            cue || self.year(k + 1).is_some() || self.year(k + 2).is_some(),
        )?;
        if month.needs_cue && !cue && self.year(end).is_none() && !self.stem_is(k, "شهر") {
            return None;
        }
        let mut ymd = Ymd {
            month: Some(month.number),
            ..Ymd::default()
        };
        if let Some(y) = self.year(end) {
            ymd.year = Some(y);
            end += 1;
        }
        Some((month, ymd, end))
    }

    fn month_year_at(&self, i: usize) -> Option<Found> {
        let (month, ymd, end) = self.month_year(i, false)?;
        let date = Date {
            value: ymd.iso(),
            calendar: month.hijri.then_some(CompactString::const_new("hijri")),
            ..Date::default()
        };
        Some((i, end, date_value(date)))
    }

    /// A year with its cue: `عام 2023` (cue in the span), `منذ 2019` (cue outside).
    fn year_at(&self, i: usize) -> Option<Found> {
        if let Some((ymd, end)) = self.year_with_cue(i) {
            return Some((
                i,
                end,
                date_value(Date {
                    value: ymd.iso(),
                    ..Date::default()
                }),
            ));
        }
        let year = self.year(i)?;
        let cue_before = i > 0 && YEAR_CUES_OUTSIDE.contains(self.bare(i - 1));
        // `في 2023` is a year only when nothing is counted after it.
        let counted_after = self
            .tokens
            .get(i + 1)
            .is_some_and(|t| t.kind == TokenKind::Word && i + 1 < self.limit)
            && !matches!(self.norm(i + 1), "و" | "من" | "الي" | "حتي" | "في")
            && cardinal(self.norm(i + 1)).is_none();
        if !cue_before || (self.bare(i - 1) == "في" && counted_after) {
            return None;
        }
        Some((
            i,
            i + 1,
            date_value(Date {
                value: Ymd {
                    year: Some(year),
                    ..Ymd::default()
                }
                .iso(),
                ..Date::default()
            }),
        ))
    }

    /// Ranges: `من 1 إلى 5 يونيو`, `من 25 كانون الثاني إلى 2 شباط 2025`,
    /// `من 2021 إلى 2025`, `بين عامي 2020 و2025`, `٧ مايو ١٩٥٤ - ٧ مايو ٢٠٢٤`,
    /// `2020-2025`, `من اليوم الثاني عشر إلى اليوم الرابع عشر من الشهر القمري الأول`.
    fn range_at(&self, i: usize) -> Option<Found> {
        // `2020-2025`: one token.
        if let Some(found) = self.year_range_token(i) {
            return Some(found);
        }
        match self.bare(i) {
            "من" => {
                let a = i + 1;
                // Lunar days.
                if let Some((d1, k)) = self.lunar_day(a) {
                    if matches!(self.norm(k), "الي" | "حتي") {
                        let (d2, k2) = self.lunar_day(k + 1)?;
                        let (month, end) = self.lunar_month_of(k2)?;
                        let from = Ymd {
                            month: Some(month),
                            day: Some(d1),
                            year: None,
                        };
                        let to = Ymd {
                            month: Some(month),
                            day: Some(d2),
                            year: None,
                        };
                        return Some((i, end, range(from, to, Some("lunar"))));
                    }
                    return None;
                }
                // Years.
                if let Some(y1) = self.year(a) {
                    if matches!(self.norm(a + 1), "الي" | "حتي") {
                        let y2 = self.year(a + 2)?;
                        let from = Ymd {
                            year: Some(y1),
                            ..Ymd::default()
                        };
                        let to = Ymd {
                            year: Some(y2),
                            ..Ymd::default()
                        };
                        return (y1 <= y2).then(|| (i, a + 3, range(from, to, None)));
                    }
                }
                self.day_range(i, a, &["الي", "حتي"])
            }
            "بين" => {
                // `بين عامي 2020 و2025`.
                if matches!(self.bare(i + 1), "عامي" | "سنتي") {
                    let y1 = self.year(i + 2)?;
                    if self.norm(i + 3) != "و" {
                        return None;
                    }
                    let y2 = self.year(i + 4)?;
                    let from = Ymd {
                        year: Some(y1),
                        ..Ymd::default()
                    };
                    let to = Ymd {
                        year: Some(y2),
                        ..Ymd::default()
                    };
                    return Some((i, i + 5, range(from, to, None)));
                }
                self.day_range(i, i + 1, &["و"])
            }
            _ => {
                // `٧ مايو ١٩٥٤ - ٧ مايو ٢٠٢٤`, `30 أبريل - 1 مايو`.
                let (from, k) = self.day_month(i)?;
                if self.norm(k) != "-" {
                    return None;
                }
                let (to, end) = self.day_month(k + 1)?;
                let from = Ymd {
                    year: from.year.or(to.year),
                    ..from
                };
                Some((i, end, range(from, to, None)))
            }
        }
    }

    /// Day ranges after `من`/`بين` (at `i`): `من 1 إلى 5 يونيو`, `من 27 نيسان إلى 1
    /// أيار 2024`, `من 20 مارس حتى نهاية أبريل`.
    fn day_range(&self, i: usize, a: usize, joiners: &[&str]) -> Option<Found> {
        let d1 = self.day(a)?;
        let (first_month, k) = match self.day_month(a) {
            Some((ymd, k)) => (Some(ymd), k),
            None => (None, a + 1),
        };
        if !joiners.contains(&self.norm(k)) {
            return None;
        }
        let b = k + 1;
        // `حتى نهاية أبريل`.
        if let Some((len, (part, false))) = self
            .phrase_in(&PARTS, b)
            .map(|(l, p)| (l, (p.0.clone(), p.1)))
        {
            let (_, to, end) = self.month_year(b + len, true)?;
            let from = first_month?;
            let from = Ymd {
                year: from.year.or(to.year),
                ..from
            };
            let mut value = range(from, to, None);
            if let EntityValue::Date(d) = &mut value {
                d.part = Some(part);
            }
            return Some((i, end, value));
        }
        let (to, end) = self.day_month(b)?;
        let from = match first_month {
            Some(from) => Ymd {
                year: from.year.or(to.year),
                ..from
            },
            None => Ymd {
                day: Some(d1),
                ..to
            },
        };
        // Both have a month and a day, where different dates have different
        // ISO strings: compared as they are, not as strings.
        (from.is_valid() && from != to).then(|| (i, end, range(from, to, None)))
    }

    /// `2020-2025`, `٢٠٢١-٢٠٢٦`: a range of years in one token.
    fn year_range_token(&self, i: usize) -> Option<Found> {
        // Digits alone (`24` before `ديسمبر`, remembered from the rules of
        // the start) have no dash to look for.
        if !self.is_number(i) || self.integer(i).is_some() {
            return None;
        }
        let (a, b) = self.norm(i).split_once(['-', '–'])?;
        let (y1, y2): (i32, i32) = (a.parse().ok()?, b.parse().ok()?);
        if a.len() != 4 || b.len() != 4 || !(1000..=2999).contains(&y1) || y2 < y1 || y2 - y1 > 100
        {
            return None;
        }
        let from = Ymd {
            year: Some(y1),
            ..Ymd::default()
        };
        let to = Ymd {
            year: Some(y2),
            ..Ymd::default()
        };
        Some((i, i + 1, range(from, to, None)))
    }

    /// `24/12/2023`, `24-12-2023`, `2023/12/24`, `2023-12-24`, `24/12` after `يوم`:
    /// day-first unless the year leads; an impossible reading is no date.
    fn numeric_at(&self, i: usize) -> Option<Found> {
        let (weekday, k) = self.day_word(i);
        if !self.is_number(k) {
            return None;
        }
        let n = self.norm(k);
        let sep = if n.contains('/') { '/' } else { '-' };
        let parts: Vec<&str> = n.split(sep).collect();
        let num = |s: &str| s.parse::<i32>().ok();
        let ymd = match parts.as_slice() {
            [y, m, d] if y.len() == 4 => Ymd {
                year: num(y),
                month: num(m).map(|m| m as u8),
                day: num(d).map(|d| d as u8),
            },
            [d, m, y] if y.len() == 4 && d.len() <= 2 && m.len() <= 2 => Ymd {
                year: num(y),
                month: num(m).map(|m| m as u8),
                day: num(d).map(|d| d as u8),
            },
            // `24/12` only after `يوم`: a bare `10/13` is a ratio.
            [d, m] if k > i && sep == '/' && d.len() <= 2 && m.len() <= 2 => Ymd {
                year: None,
                month: num(m).map(|m| m as u8),
                day: num(d).map(|d| d as u8),
            },
            _ => return None,
        };
        if ymd.month.is_none() || ymd.day.is_none() || !ymd.is_valid() {
            return None;
        }
        let date = Date {
            value: ymd.iso(),
            weekday_mismatch: weekday_mismatch(ymd, weekday),
            ..Date::default()
        };
        Some((i, k + 1, date_value(date)))
    }

    /// Periods of a year: `الربع الأول من عام 2024`, `النصف الأول من العام`,
    /// `الأشهر الخمسة الأولى من عام 2024`, `الأشهر الستة الأخيرة من العام`.
    fn period_at(&self, i: usize) -> Option<Found> {
        let head = self.bare(i);
        let (first, last, mut k) = match head {
            "الربع" | "النصف" => {
                let (n, _) = *ORDINALS.get(self.norm(i + 1))?;
                let (size, count) = if head == "الربع" { (3, 4) } else { (6, 2) };
                if n == 0 || n > count {
                    return None;
                }
                let first = (n - 1) * size + 1;
                (first, first + size - 1, i + 2)
            }
            "الاشهر" | "الشهور" => {
                let count = self
                    .bare(i + 1)
                    .strip_prefix("ال")
                    .and_then(cardinal)
                    .filter(|w| w.class != WordClass::Scale)?;
                let count = u8::try_from(count.value.mantissa()).ok()?;
                let mut k = i + 2;
                // `الأحد عشر`
                if self.norm(k) == "عشر" {
                    k += 1;
                }
                let count = if k == i + 3 {
                    count.saturating_add(10)
                } else {
                    count
                };
                if count == 0 || count > 12 {
                    return None;
                }
                let (first, last) = match self.norm(k) {
                    "الاولي" => (1, count),
                    "الاخيرة" => (13 - count, 12),
                    _ => return None,
                };
                (first, last, k + 1)
            }
            _ => return None,
        };
        let mut year = None;
        if self.norm(k) == "من" {
            if let Some((ymd, end)) = self.year_with_cue(k + 1) {
                year = ymd.year;
                k = end;
            } else if matches!(self.norm(k + 1), "العام" | "السنة") {
                k += 2;
            }
        }
        let from = Ymd {
            year,
            month: Some(first),
            day: None,
        };
        let to = Ymd {
            year,
            month: Some(last),
            day: None,
        };
        Some((i, k, range(from, to, None)))
    }

    /// `اليوم العاشر` (and `الحادي عشر`): the day and the token after it.
    fn lunar_day(&self, k: usize) -> Option<(u8, usize)> {
        // `اليوم` is a date trigger (a head of the day rules).
        if !self.is_trigger(k) || self.bare(k) != "اليوم" {
            return None;
        }
        let (unit, class) = *ORDINALS.get(self.norm(k + 1))?;
        match (class, ORDINALS.get(self.norm(k + 2))) {
            (WordClass::Unit, Some((_, WordClass::Teen))) => Some((unit + 10, k + 3)),
            (WordClass::Unit, _) => {
                let tens = self
                    .norm(k + 2)
                    .strip_prefix('و')
                    .and_then(|w| ORDINALS.get(w))
                    .filter(|(_, c)| *c == WordClass::Ten);
                match tens {
                    Some((ten, _)) => Some((unit + ten, k + 3)),
                    None => Some((unit, k + 2)),
                }
            }
            (WordClass::Ten, _) => Some((unit, k + 2)),
            _ => None,
        }
    }

    /// `من الشهر القمري الثالث` after a lunar day: the month and the token after.
    fn lunar_month_of(&self, k: usize) -> Option<(u8, usize)> {
        if self.norm(k) != "من" {
            return None;
        }
        self.lunar_month(k + 1)
    }

    /// `الشهر القمري الثالث`: the month and the token after it.
    fn lunar_month(&self, k: usize) -> Option<(u8, usize)> {
        if self.bare(k) != "الشهر" || self.norm(k + 1) != "القمري" {
            return None;
        }
        let (m, class) = *ORDINALS.get(self.norm(k + 2))?;
        if class == WordClass::Unit && self.norm(k + 3) == "عشر" {
            return Some((m + 10, k + 4)).filter(|(m, _)| *m <= 12);
        }
        (class == WordClass::Unit).then_some((m, k + 3))
    }

    /// Lunar dates: `اليوم العاشر من الشهر القمري الثالث`, `الشهر القمري الثاني`,
    /// `رأس السنة القمرية`, `الأيام العشرة الأولى من الشهر القمري الثالث`.
    fn lunar_at(&self, i: usize) -> Option<Found> {
        let lunar = |ymd: Ymd, end: usize| {
            let date = Date {
                value: ymd.iso(),
                calendar: Some(CompactString::const_new("lunar")),
                ..Date::default()
            };
            Some((i, end, date_value(date)))
        };
        if self.bare(i) == "راس" && self.norm(i + 1) == "السنة" && self.norm(i + 2) == "القمرية"
        {
            return lunar(
                Ymd {
                    year: None,
                    month: Some(1),
                    day: Some(1),
                },
                i + 3,
            );
        }
        if let Some((day, k)) = self.lunar_day(i) {
            let (month, end) = self.lunar_month_of(k)?;
            return lunar(
                Ymd {
                    year: None,
                    month: Some(month),
                    day: Some(day),
                },
                end,
            );
        }
        if self.bare(i) == "الايام" {
            let count = self.norm(i + 1).strip_prefix("ال").and_then(cardinal)?;
            let count = u8::try_from(count.value.mantissa())
                .ok()
                .filter(|c| (1..=30).contains(c))?;
            if self.norm(i + 2) != "الاولي" {
                return None;
            }
            let (month, end) = self.lunar_month_of(i + 3)?;
            let from = Ymd {
                year: None,
                month: Some(month),
                day: Some(1),
            };
            let to = Ymd {
                year: None,
                month: Some(month),
                day: Some(count),
            };
            return Some((i, end, range(from, to, Some("lunar"))));
        }
        let (month, end) = self.lunar_month(i)?;
        lunar(
            Ymd {
                year: None,
                month: Some(month),
                day: None,
            },
            end,
        )
    }

    /// Relative dates: `أمس`, `العام الماضي`, `الشهر المقبل`, `هذا العام`.
    fn relative_at(&self, i: usize) -> Option<Found> {
        let (len, (unit, offset)) = self.phrase_in(&RELATIVE, i)?;
        let end = i + len;
        // `اليوم` is today, but not in `اليوم نفسه`, `اليوم التالي`, `اليوم العاشر`.
        if unit == "day" && *offset == 0 && len == 1 {
            let next = self.norm(end);
            if matches!(next, "نفسه" | "التالي" | "السابق" | "الاول" | "الثاني")
                || ORDINALS.contains_key(next)
                || WEEKDAYS.contains_key(next)
            {
                return None;
            }
        }
        let date = Date {
            relative: Some(Relative {
                unit: unit.clone(),
                offset: *offset,
            }),
            ..Date::default()
        };
        Some((i, end, date_value(date)))
    }

    /// Lengths of time: `5 سنوات`, `خمس سنوات`, `عامين`, `أسبوع واحد`, `48 ساعة`,
    /// `60 عامًا و6 أشهر`, with a qualifier (`أكثر من ساعتين`).
    fn duration_at(&self, i: usize) -> Option<Found> {
        let (qualifier, j) = match self.phrase_in(&QUALIFIERS, i) {
            Some((len, q)) => (Some(*q), i + len),
            None => (None, i),
        };
        let (first, mut k) = self.duration_part(j)?;
        let mut parts = [Some(first), None];
        // `60 عامًا و6 أشهر`
        if self.norm(k) == "و" {
            if let Some((more, end)) = self.duration_part(k + 1) {
                if more.0 != first.0 {
                    parts[1] = Some(more);
                    k = end;
                }
            }
        }
        // Inline up to 24 bytes (`P60Y6M`, `PT48H`); a count can be any
        // `i128`, so not on the stack.
        let mut date_part = CompactString::const_new("P");
        let mut time_part = CompactString::default();
        for (designator, count) in parts.into_iter().flatten() {
            let (part, letter) = match designator {
                "H" => (&mut time_part, "H"),
                "MIN" => (&mut time_part, "M"),
                "S" => (&mut time_part, "S"),
                d => (&mut date_part, d),
            };
            match i64::try_from(count) {
                Ok(count) => push_padded(part, count, 1),
                Err(_) => part.push_str(&count.to_string()),
            }
            part.push_str(letter);
        }
        if !time_part.is_empty() {
            date_part.push('T');
            date_part.push_str(&time_part);
        }
        let value = EntityValue::Duration(Duration {
            value: date_part,
            qualifier,
        });
        Some((i, k, value))
    }

    /// The unit of time at token `u` (`سنوات`, `عامين`), if it is a word
    /// without the article.
    fn time_unit_at(&self, u: usize) -> Option<TimeUnit> {
        let t = self.body_token(u)?;
        if t.kind != TokenKind::Word || t.clitics.has_article() {
            return None;
        }
        self.bare_in(&TIME_UNITS, u, t)
    }

    /// Whether [`duration_part`](Self::duration_part) may find a length of
    /// time at `k`: a number with a date trigger after it (`5 سنوات`), or a
    /// unit of time (`عامين`, `أسبوع واحد`).
    fn may_start_duration_part(&self, k: usize) -> bool {
        // Neither a number nor a trigger (`الحكومة`): the one test of both.
        if !self.has_mask(
            k,
            MAY_START_NUMBER | features::in_form(Form::Bare, features::DATE_START),
        ) {
            return false;
        }
        match self.number(k) {
            Some(n) => self.is_trigger(n.end),
            // The bit before the token tests and the lookup.
            None => self.is_trigger(k) && self.time_unit_at(k).is_some(),
        }
    }

    /// One `count unit` of a duration at `k`: the unit's designator and the
    /// count (an integer), and the token after it.
    fn duration_part(&self, k: usize) -> Option<((&'static str, i128), usize)> {
        if let Some(n) = self.number(k) {
            let unit = self.time_unit_at(n.end)?;
            if unit.count != 1 {
                return None;
            }
            let count = n.value;
            if !count.is_integer() || count.mantissa() <= 0 {
                return None;
            }
            // `عام 2023` is a year, not 2023 years.
            if n.start + 1 == n.end
                && self.year(n.start).is_some()
                && unit.designator == "Y"
                && count.mantissa() > 200
            {
                return None;
            }
            return Some(((unit.designator, count.mantissa()), n.end + 1));
        }
        let unit = self.time_unit_at(k)?;
        if unit.count == 2 {
            return Some(((unit.designator, 2), k + 1));
        }
        // `أسبوع واحد`, `دقيقة واحدة`.
        if matches!(self.norm(k + 1), "واحد" | "واحدة") {
            return Some(((unit.designator, 1), k + 2));
        }
        None
    }
}

/// A number token's normal form read in one pass: the rules its separators
/// call for (`14:30` a clock, `24/12/2023` a numeric date, `2020-2025` a
/// range) and its value when it is one to four ASCII digits (`2023`).
fn read_number(bytes: &[u8]) -> (Rules, Option<u32>) {
    // Most numbers (`15`, `2023`): digits alone, no separator to look for.
    if let Some(integer) = short_integer(bytes) {
        return (0, Some(integer));
    }
    let rules = bytes
        .iter()
        .fold(0, |rules, &b| rules | SEPARATOR_RULES[usize::from(b)]);
    (rules, None)
}

/// The rules each byte of a number calls for ([`read_number`]), looked up
/// rather than told apart by branches: most numbers that are not short
/// integers (`1,5`, `250000`) have none.
const SEPARATOR_RULES: [Rules; 256] = {
    let mut rules = [0; 256];
    rules[b':' as usize] = CLOCK;
    rules[b'/' as usize] = NUMERIC;
    rules[b'-' as usize] = NUMERIC | RANGE;
    // The first byte of `–` (and of other signs after U+2000: trying the
    // range rule on them finds nothing).
    rules[0xE2] = RANGE;
    rules
};

/// The value of one to four ASCII digits (`2023`), else `None`: each
/// length read in a line of its own, with no loop to step through.
fn short_integer(bytes: &[u8]) -> Option<u32> {
    let digit = |b: u8| {
        let d = b.wrapping_sub(b'0');
        (d < 10).then_some(u32::from(d))
    };
    match *bytes {
        [a] => digit(a),
        [a, b] => Some(10 * digit(a)? + digit(b)?),
        [a, b, c] => Some(100 * digit(a)? + 10 * digit(b)? + digit(c)?),
        [a, b, c, d] => Some(1000 * digit(a)? + 100 * digit(b)? + 10 * digit(c)? + digit(d)?),
        _ => None,
    }
}

/// An integer of [`read_number`] as a year: four digits from 1000 to 2999
/// (no smaller number of at most four digits reaches 1000).
fn year_of(integer: u32) -> Option<i32> {
    (1000..=2999).contains(&integer).then_some(integer as i32)
}

/// An integer of [`read_number`] as a day of a month.
fn day_of(integer: u32) -> Option<u8> {
    (1..=31).contains(&integer).then_some(integer as u8)
}

/// The numbers `00` to `99` written end to end, which a month, a day, an hour
/// or a minute is copied from in one go.
const TWO_DIGITS: &str = match std::str::from_utf8(&TWO_DIGIT_BYTES) {
    Ok(text) => text,
    Err(_) => panic!("ASCII digits"),
};

/// [`TWO_DIGITS`] as bytes, written at compile time.
const TWO_DIGIT_BYTES: [u8; 200] = {
    let mut digits = [0u8; 200];
    let mut n = 0;
    while n < 100 {
        digits[2 * n] = b'0' + (n / 10) as u8;
        digits[2 * n + 1] = b'0' + (n % 10) as u8;
        n += 1;
    }
    digits
};

/// Where [`push_padded`] writes: an ISO date or time ([`IsoText`]), or a
/// duration, whose counts can be long.
trait PushAscii {
    /// Appends `s`, which is ASCII.
    fn push_ascii(&mut self, s: &str);
}

impl PushAscii for CompactString {
    fn push_ascii(&mut self, s: &str) {
        self.push_str(s);
    }
}

/// An ISO date or time being written (`2023-12-24`, `08:30`), on the stack:
/// made a `CompactString`, kept inline, once it is whole. Its year is an
/// `i32` and its other parts `u8`s, so the longest there can be
/// (`-2147483648-255-255`) is 19 bytes: it fits.
#[derive(Default)]
struct IsoText {
    bytes: [u8; 24],
    len: usize,
}

impl IsoText {
    fn to_compact(&self) -> CompactString {
        CompactString::from_utf8(&self.bytes[..self.len]).expect("ISO text is ASCII")
    }
}

impl PushAscii for IsoText {
    #[inline]
    fn push_ascii(&mut self, s: &str) {
        let end = self.len + s.len();
        self.bytes[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
    }
}

/// Appends `n` in decimal with at least `width` characters, zero-padded after
/// the sign: what `format!("{n:0width$}")` writes (`7` → `07`, `2023` →
/// `2023`), without the formatting machinery. Two-digit fields, four-digit
/// years and counts under 100 (`P5Y`), nearly all there are, are copied from
/// [`TWO_DIGITS`], inlined where they are written; other numbers are pushed
/// by [`push_digits`].
#[inline]
fn push_padded(out: &mut impl PushAscii, n: i64, width: usize) {
    let two_digits = |n: i64| {
        let at = 2 * n as usize;
        &TWO_DIGITS[at..at + 2]
    };
    match (n, width) {
        // A count of a duration (`P5Y`, `P18M`): as wide as it is.
        (0..=9, ..=1) => out.push_ascii(&two_digits(n)[1..]),
        (0..=99, ..=2) => out.push_ascii(two_digits(n)),
        (1000..=9999, 4) => {
            out.push_ascii(two_digits(n / 100));
            out.push_ascii(two_digits(n % 100));
        }
        _ => push_digits(out, n, width),
    }
}

/// [`push_padded`] a digit at a time from the most significant one, as ASCII
/// characters (no buffer to validate as UTF-8). Out of line: the copies of
/// [`push_padded`] are what its callers inline.
#[inline(never)]
fn push_digits(out: &mut impl PushAscii, n: i64, width: usize) {
    if n < 0 {
        out.push_ascii("-");
    }
    let rest = n.unsigned_abs();
    let digits = rest.checked_ilog10().unwrap_or(0) + 1;
    for _ in digits as usize..width.saturating_sub(usize::from(n < 0)) {
        out.push_ascii("0");
    }
    let mut power = 10u64.pow(digits - 1);
    loop {
        let digit = (rest / power % 10) as usize;
        out.push_ascii(&"0123456789"[digit..digit + 1]);
        if power == 1 {
            break;
        }
        power /= 10;
    }
}

/// A range of two partial dates.
fn range(from: Ymd, to: Ymd, calendar: Option<&'static str>) -> EntityValue {
    date_value(Date {
        from: from.iso(),
        to: to.iso(),
        calendar: calendar.map(CompactString::const_new),
        ..Date::default()
    })
}

/// `Some(true)` when a weekday is written and does not fit a full date.
fn weekday_mismatch(ymd: Ymd, weekday: Option<u8>) -> Option<bool> {
    let (Some(y), Some(m), Some(d), Some(w)) = (ymd.year, ymd.month, ymd.day, weekday) else {
        return None;
    };
    (iso_weekday(days_from_civil(y, m, d)) != w).then_some(true)
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a Gregorian date (proleptic).
fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    // Count from 0000-03-01 so that February is the last month of a year.
    let (y, m) = if month <= 2 {
        (year as i64 - 1, month as i64 + 9)
    } else {
        (year as i64, month as i64 - 3)
    };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * m + 2) / 5 + day as i64 - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The Gregorian date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (year_of_era + era * 400 + i64::from(month <= 2)) as i32;
    (year, month, day)
}

/// ISO weekday (1 = Monday) of a day count since 1970-01-01 (a Thursday).
fn iso_weekday(days: i64) -> u8 {
    ((days + 3).rem_euclid(7) + 1) as u8
}

/// A reference date: what "today" is for a document (`--reference-date`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReferenceDate {
    year: i32,
    month: u8,
    day: u8,
}

impl std::str::FromStr for ReferenceDate {
    type Err = String;

    /// `YYYY-MM-DD`.
    fn from_str(s: &str) -> Result<Self, String> {
        let err = || format!("not a date (YYYY-MM-DD): {s:?}");
        let mut parts = s.split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(err());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(err());
        }
        let ymd = Ymd {
            year: Some(y.parse().map_err(|_| err())?),
            month: Some(m.parse().map_err(|_| err())?),
            day: Some(d.parse().map_err(|_| err())?),
        };
        if !ymd.is_valid() {
            return Err(err());
        }
        Ok(ReferenceDate {
            year: ymd.year.expect("parsed"),
            month: ymd.month.expect("parsed"),
            day: ymd.day.expect("parsed"),
        })
    }
}

impl ReferenceDate {
    fn days(self) -> i64 {
        days_from_civil(self.year, self.month, self.day)
    }
}

/// Fills in what context tells about partial and relative dates, in place:
///
/// * a relative date gets `value` from the reference date (`أمس` → the day
///   before it; `الأسبوع الماضي` → the ISO week, `2024-W11`);
/// * a day and month without a year (`--12-24`) gets `resolved`: the date
///   nearest the reference date, or else the one year the document's dates
///   name, when they name exactly one;
/// * a weekday that does not fit the resolved date is flagged.
///
/// Nothing is guessed: without a reference date or one clear year, partial
/// values stay as they are.
pub fn resolve(entities: &mut [Entity], reference: Option<ReferenceDate>) {
    let mut years = entities.iter().filter_map(|e| match &e.value {
        EntityValue::Date(d) if d.calendar.is_none() => d
            .value
            .as_deref()
            .and_then(|v| v.get(..4)?.parse::<i32>().ok()),
        _ => None,
    });
    // The first year, if every other one is the same: read no further than
    // the first that differs.
    let context_year = years
        .next()
        .filter(|&first| years.all(|year| year == first));
    // Neither a reference nor one year: nothing to fill in (most long
    // documents name several years), and no date to look at again.
    if reference.is_none() && context_year.is_none() {
        return;
    }
    for e in entities.iter_mut() {
        let EntityValue::Date(d) = &mut e.value else {
            continue;
        };
        if d.calendar.is_some() {
            continue;
        }
        if let (Some(rel), Some(r)) = (&d.relative, reference) {
            d.value = Some(relative_value(rel, r));
            continue;
        }
        let Some(v) = d.value.as_deref() else {
            continue;
        };
        let Some(md) = v.strip_prefix("--") else {
            continue;
        };
        let Some((m, day)) = md.split_once('-') else {
            continue;
        };
        let (Ok(m), Ok(day)) = (m.parse::<u8>(), day.parse::<u8>()) else {
            continue;
        };
        let year = match reference {
            Some(r) => [r.year - 1, r.year, r.year + 1]
                .into_iter()
                .filter(|&y| day <= days_in_month(y, m))
                .min_by_key(|&y| (days_from_civil(y, m, day) - r.days()).abs()),
            None => context_year,
        };
        if let Some(y) = year.filter(|&y| day <= days_in_month(y, m)) {
            d.resolved = Some(compact_str::format_compact!("{y:04}-{m:02}-{day:02}"));
        }
    }
}

fn relative_value(rel: &Relative, r: ReferenceDate) -> CompactString {
    match rel.unit.as_str() {
        "day" => {
            let (y, m, d) = civil_from_days(r.days() + i64::from(rel.offset));
            compact_str::format_compact!("{y:04}-{m:02}-{d:02}")
        }
        "week" => {
            let days = r.days() + 7 * i64::from(rel.offset);
            let (year, week) = iso_week(days);
            compact_str::format_compact!("{year:04}-W{week:02}")
        }
        "month" => {
            let total = r.year * 12 + i32::from(r.month) - 1 + rel.offset;
            compact_str::format_compact!(
                "{:04}-{:02}",
                total.div_euclid(12),
                total.rem_euclid(12) + 1
            )
        }
        _ => compact_str::format_compact!("{:04}", r.year + rel.offset),
    }
}

/// The ISO week-numbering year and week of a day count.
fn iso_week(days: i64) -> (i32, u32) {
    // The Thursday of this week decides the year.
    let thursday = days - i64::from(iso_weekday(days)) + 4;
    let (year, _, _) = civil_from_days(thursday);
    let week = (thursday - days_from_civil(year, 1, 1)) / 7 + 1;
    (year, week as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn dates(text: &str) -> Vec<Value> {
        crate::extract::found_values(&Dates, text)
    }

    fn one(text: &str) -> Value {
        crate::extract::found_one(&Dates, text)
    }

    #[test]
    fn years_with_cues() {
        assert_eq!(
            one("في عام 2023، استخلصت"),
            json!({"kind": "date", "text": "عام 2023", "value": "2023"})
        );
        assert_eq!(
            one("المهام لعام 2024."),
            json!({"kind": "date", "text": "عام 2024", "value": "2024"})
        );
        assert_eq!(one("سنة ٢٠٢٣")["value"], json!("2023"));
        assert_eq!(
            one("منذ 2019"),
            json!({"kind": "date", "text": "2019", "value": "2019"})
        );
        assert_eq!(one("حتى 2030")["value"], json!("2030"));
        assert!(dates("بناء 2023 مسكنًا").is_empty());
    }

    #[test]
    fn days_months_and_years() {
        assert_eq!(
            one("في 24 ديسمبر، برئاسة"),
            json!({"kind": "date", "text": "24 ديسمبر", "value": "--12-24"})
        );
        assert_eq!(one("24 ديسمبر 2023")["value"], json!("2023-12-24"));
        assert_eq!(one("24 كانون الأول 2023")["value"], json!("2023-12-24"));
        assert_eq!(one("٦ كانون الأول ٢٠٢٤")["value"], json!("2024-12-06"));
        assert_eq!(one("ديسمبر 2023")["value"], json!("2023-12"));
        assert_eq!(
            one("شهر ديسمبر"),
            json!({"kind": "date", "text": "شهر ديسمبر", "value": "--12"})
        );
        assert_eq!(
            one("يوم 24/12/2023"),
            json!({"kind": "date", "text": "يوم 24/12/2023", "value": "2023-12-24"})
        );
        assert_eq!(one("24-12-2023")["value"], json!("2023-12-24"));
        assert_eq!(one("2023/12/24")["value"], json!("2023-12-24"));
        assert_eq!(one("2023-12-24")["value"], json!("2023-12-24"));
        assert!(dates("13/25/2024").is_empty());
        // An impossible day is not read into the date: only the month stands.
        assert_eq!(
            one("31 فبراير"),
            json!({"kind": "date", "text": "فبراير", "value": "--02"})
        );
        assert_eq!(one("29 فبراير 2024")["value"], json!("2024-02-29"));
        assert_eq!(one("إبريل 2024")["value"], json!("2024-04"));
        assert_eq!(one("في جانفي 2024")["value"], json!("2024-01"));
        assert_eq!(
            one("1 رمضان 1445"),
            json!({"kind": "date", "text": "1 رمضان 1445", "value": "1445-09-01"})
        );
        assert!(dates("مارس الضغط").is_empty());
        assert_eq!(one("في 5 مارس")["value"], json!("--03-05"));
    }

    #[test]
    fn weekdays_and_mismatches() {
        assert_eq!(
            one("يوم الأحد 24 ديسمبر 2023"),
            json!({"kind": "date", "text": "يوم الأحد 24 ديسمبر 2023", "value": "2023-12-24"})
        );
        assert_eq!(
            one("يوم الاثنين 24 ديسمبر 2023")["weekday_mismatch"],
            json!(true)
        );
        assert_eq!(
            one("يوم الاثنين 15 كانون الأول 2025").get("weekday_mismatch"),
            None
        );
    }

    #[test]
    fn parts_and_periods() {
        assert_eq!(
            one("صباح يوم 7 يونيو"),
            json!({"kind": "date", "text": "صباح يوم 7 يونيو", "value": "--06-07", "part": "morning"})
        );
        assert_eq!(one("بعد ظهر يوم 2 تموز")["part"], json!("afternoon"));
        assert_eq!(one("مساء يوم الاثنين 27 نوفمبر")["part"], json!("evening"));
        assert_eq!(
            one("نهاية عام 2020"),
            json!({"kind": "date", "text": "نهاية عام 2020", "value": "2020", "part": "end"})
        );
        assert_eq!(one("بداية عام ٢٠٢٤")["part"], json!("start"));
        assert_eq!(one("منتصف يوليو")["value"], json!("--07"));
        assert_eq!(one("نهاية شهر مايو")["text"], json!("نهاية شهر مايو"));
        assert_eq!(
            one("الربع الأول من عام 2024"),
            json!({"kind": "date", "text": "الربع الأول من عام 2024", "from": "2024-01", "to": "2024-03"})
        );
        assert_eq!(
            one("النصف الأول من العام"),
            json!({"kind": "date", "text": "النصف الأول من العام", "from": "--01", "to": "--06"})
        );
        assert_eq!(
            one("الأشهر الخمسة الأولى من عام 2024")["to"],
            json!("2024-05")
        );
        assert_eq!(one("الأشهر التسعة الأولى")["to"], json!("--09"));
        assert_eq!(
            one("الأشهر الأحد عشر الأولى من عام 2025")["to"],
            json!("2025-11")
        );
        assert_eq!(one("الأشهر الستة الأخيرة من العام")["from"], json!("--07"));
        // No year has a hundred months; no month a hundred days.
        assert!(dates("الأشهر المئة الأخيرة من العام").is_empty());
        assert_eq!(
            one("الأيام المئة الأولى من الشهر القمري الثالث")["text"],
            json!("الشهر القمري الثالث")
        );
    }

    #[test]
    fn ranges() {
        assert_eq!(
            one("للفترة 2020-2025."),
            json!({"kind": "date", "text": "2020-2025", "from": "2020", "to": "2025"})
        );
        assert_eq!(one("من 2021 إلى 2025")["to"], json!("2025"));
        assert_eq!(
            one("بين عامي 2020 و2025"),
            json!({"kind": "date", "text": "بين عامي 2020 و2025", "from": "2020", "to": "2025"})
        );
        assert_eq!(
            one("من 1 إلى 5 يونيو"),
            json!({"kind": "date", "text": "من 1 إلى 5 يونيو", "from": "--06-01", "to": "--06-05"})
        );
        assert_eq!(
            one("من 27 نيسان إلى 1 أيار 2024")["from"],
            json!("2024-04-27")
        );
        assert_eq!(one("يومي 27 و28 يونيو")["from"], json!("--06-27"));
        assert_eq!(
            one("٧ مايو ١٩٥٤ - ٧ مايو ٢٠٢٤")["from"],
            json!("1954-05-07")
        );
        let r = one("من 20 مارس حتى نهاية أبريل");
        assert_eq!(
            (r["from"].clone(), r["to"].clone()),
            (json!("--03-20"), json!("--04"))
        );
    }

    #[test]
    fn lunar_dates() {
        assert_eq!(
            one("اليوم العاشر من الشهر القمري الثالث"),
            json!({"kind": "date", "text": "اليوم العاشر من الشهر القمري الثالث", "value": "--03-10", "calendar": "lunar"})
        );
        assert_eq!(
            one("اليوم الثالث عشر من الشهر القمري الأول")["value"],
            json!("--01-13")
        );
        assert_eq!(one("رأس السنة القمرية")["value"], json!("--01-01"));
        assert_eq!(one("الشهر القمري الثاني")["value"], json!("--02"));
        assert_eq!(
            one("من اليوم الثاني عشر إلى اليوم الرابع عشر من الشهر القمري الأول")["to"],
            json!("--01-14")
        );
        assert_eq!(
            one("الأيام العشرة الأولى من الشهر القمري الثالث")["to"],
            json!("--03-10")
        );
    }

    #[test]
    fn relative_dates_and_times() {
        assert_eq!(
            one("أمس"),
            json!({"kind": "date", "text": "أمس", "relative": {"unit": "day", "offset": -1}})
        );
        assert_eq!(
            one("العام الماضي")["relative"],
            json!({"unit": "year", "offset": -1})
        );
        assert_eq!(
            one("الشهر المقبل")["relative"],
            json!({"unit": "month", "offset": 1})
        );
        assert_eq!(
            one("هذا العام")["relative"],
            json!({"unit": "year", "offset": 0})
        );
        assert_eq!(one("غدًا")["relative"], json!({"unit": "day", "offset": 1}));
        assert_eq!(one("بعد ظهر أمس")["part"], json!("afternoon"));
        assert!(dates("اليوم نفسه").is_empty());
        assert_eq!(
            one("الساعة 8 صباحًا"),
            json!({"kind": "date", "text": "الساعة 8 صباحًا", "time": "08:00"})
        );
        assert_eq!(one("الساعة 14:30")["time"], json!("14:30"));
        assert_eq!(one("8:30 مساءً")["time"], json!("20:30"));
        assert_eq!(one("الساعة 9 مساءً")["time"], json!("21:00"));
        let d = one("الساعة 17:00 يوم 30 تموز");
        assert_eq!(
            (d["value"].clone(), d["time"].clone()),
            (json!("--07-30"), json!("17:00"))
        );
        let d = one("الساعة 3:15 صباح يوم الخميس 2 مايو 2024");
        assert_eq!(
            (d["value"].clone(), d["part"].clone(), d["time"].clone()),
            (json!("2024-05-02"), json!("morning"), json!("03:15"))
        );
    }

    #[test]
    fn durations() {
        assert_eq!(
            one("لمدة 5 سنوات"),
            json!({"kind": "duration", "text": "5 سنوات", "value": "P5Y"})
        );
        assert_eq!(one("خمس سنوات")["value"], json!("P5Y"));
        assert_eq!(one("عامين")["value"], json!("P2Y"));
        assert_eq!(one("3 أشهر")["value"], json!("P3M"));
        assert_eq!(one("أسبوع واحد")["value"], json!("P1W"));
        assert_eq!(one("48 ساعة")["value"], json!("PT48H"));
        assert_eq!(one("ساعتين")["value"], json!("PT2H"));
        assert_eq!(one("٣٠ دقيقة")["value"], json!("PT30M"));
        assert_eq!(one("27 عامًا")["value"], json!("P27Y"));
        assert_eq!(one("60 عامًا و6 أشهر")["value"], json!("P60Y6M"));
        assert_eq!(
            one("أكثر من ساعتين"),
            json!({"kind": "duration", "text": "أكثر من ساعتين", "value": "PT2H", "qualifier": "gt"})
        );
        assert!(dates("العامين").is_empty());
    }

    /// Every rule of the cascade on every body token of `text`, with and
    /// without [`Scan::rules_at`]: a rule it leaves out must find nothing.
    fn assert_rules_at_is_exact(name: &str, text: &str) -> usize {
        let doc = Analysis::new(text);
        let scan = Scan::new(&doc);
        let mut passed_over = 0;
        for i in 0..scan.limit {
            let rules = scan.rules_at(i);
            assert_eq!(rules >> Scan::CASCADE.len(), 0, "{name}: token {i}");
            for (rule, read) in Scan::CASCADE {
                if rules & rule == 0 {
                    passed_over += 1;
                    let found = read(&scan, i);
                    assert!(
                        found.is_none(),
                        "{name}: token {i} `{}` (bare `{}`, next `{}`): rule {rule:#b} \
                         was left out but finds {found:?}",
                        scan.norm(i),
                        scan.bare(i),
                        scan.norm(i + 1),
                    );
                }
            }
            let ungated = (scan.tokens[i].kind != TokenKind::Punct)
                .then(|| Scan::CASCADE.iter().find_map(|(_, read)| read(&scan, i)))
                .flatten();
            assert_eq!(scan.at(i), ungated, "{name}: token {i}");
        }
        passed_over
    }

    #[test]
    fn each_rule_of_the_cascade_is_at_the_place_of_its_bit() {
        // `Scan::at` finds a rule by its bit's place; `QUALIFIED`, the one bit
        // past the cascade, never leaves `rules_at`.
        for (place, (rule, _)) in Scan::CASCADE.iter().enumerate() {
            assert_eq!(*rule, 1 << place);
        }
        assert_eq!(QUALIFIED, 1 << Scan::CASCADE.len());
    }

    /// Whether `table` answers as `words` for every word of theirs and, by
    /// [`Scan::bare_in`], for every corpus token that is a trigger (a word
    /// that is no trigger is in neither, as
    /// `every_lexicon_read_by_bare_form_starts_with_triggers` checks).
    fn assert_read_by_bytes_as_words<V>(table: &WordTable<V>, words: &FxHashMap<String, V>)
    where
        V: Copy + Default + PartialEq + std::fmt::Debug,
    {
        for (word, &value) in words {
            assert_eq!(table.get(word.as_bytes()), Some(value), "{word}");
        }
        let mut found = 0;
        each_corpus_token(|scan, k| {
            if let Some(t) = scan.body_token(k).filter(|_| scan.is_trigger(k)) {
                let bare = scan.bare(k);
                let read = scan.bare_in(table, k, t);
                assert_eq!(read, words.get(bare).copied(), "{bare}");
                found += usize::from(read.is_some());
            }
        });
        assert!(found > 100, "{found} words found");
    }

    #[test]
    fn tables_read_by_bytes_are_their_words() {
        assert_read_by_bytes_as_words(&HEADS, &HEAD_WORDS);
        assert_read_by_bytes_as_words(&TIME_UNITS, &TIME_UNIT_WORDS);
    }

    #[test]
    fn form_bytes_are_the_bytes_of_the_forms() {
        let mut clitics = 0;
        each_corpus_token(|scan, k| {
            if let Some(t) = scan.body_token(k) {
                let particles = t.clitics.particle_len();
                assert_eq!(scan.doc.form_bytes(t, 0), scan.norm(k).as_bytes());
                assert_eq!(scan.doc.form_bytes(t, particles), scan.bare(k).as_bytes());
                assert!(scan.stem_is(k, scan.stem(k)));
                clitics += usize::from(particles > 0);
            }
        });
        assert!(clitics > 100, "{clitics} tokens with particles");
        // Past the body, no stem is a word.
        let doc = Analysis::new("لشهر");
        let scan = Scan::new(&doc);
        assert!(scan.stem_is(0, "شهر"));
        assert!(!scan.stem_is(0, "لشهر"));
        assert!(!scan.stem_is(1, ""));
    }

    #[test]
    fn numbers_start_only_where_their_bits_say_they_may() {
        // What `rules_at` and `may_start_duration_part` test before they
        // ask the number memo.
        let mut numbers = 0;
        each_corpus_token(|scan, k| {
            if scan.number(k).is_some() {
                assert!(scan.has_mask(k, MAY_START_NUMBER), "token {k}");
                numbers += 1;
            }
        });
        assert!(numbers > 1000, "{numbers} numbers");
    }

    #[test]
    fn rules_at_leaves_out_only_rules_that_find_nothing_in_the_gold_corpus() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");
        let mut articles = 0;
        let mut passed_over = 0;
        for split in ["dev", "test"] {
            let dir = std::fs::read_dir(format!("{root}/{split}")).expect("the gold corpus");
            for entry in dir {
                let path = entry.expect("a directory entry").path();
                if path.extension().is_some_and(|e| e == "txt") {
                    let text = std::fs::read_to_string(&path).expect("an article");
                    passed_over += assert_rules_at_is_exact(&path.display().to_string(), &text);
                    articles += 1;
                }
            }
        }
        assert!(articles >= 20, "only {articles} articles");
        assert!(passed_over > 0);
    }

    #[test]
    fn numbers_read_in_one_pass_are_read_as_directly() {
        let mut texts = crate::text::corpus_texts();
        texts.push(
            "14:30 24/12/2023 2020-2025 ٢٠٢١–٢٠٢٦ 0999 1000 2999 3000 0 31 32 12345 1.5".into(),
        );
        let mut years = 0;
        for text in &texts {
            let doc = Analysis::new(text);
            let scan = Scan::new(&doc);
            for k in (0..scan.limit).filter(|&k| scan.is_number(k)) {
                let n = scan.norm(k);
                let digits = !n.is_empty() && n.len() <= 4 && n.bytes().all(|b| b.is_ascii_digit());
                let integer = digits.then(|| n.parse::<u32>().expect("digits"));
                let (rules, read) = read_number(n.as_bytes());
                assert_eq!(read, integer, "{n}");
                let year = integer
                    .filter(|_| n.len() == 4)
                    .map(|y| y as i32)
                    .filter(|y| (1000..=2999).contains(y));
                assert_eq!(scan.year(k), year, "{n}");
                years += usize::from(year.is_some());
                let day = integer.filter(|d| (1..=31).contains(d)).map(|d| d as u8);
                assert_eq!(scan.day(k), day, "{n}");
                let mut separators = 0;
                for b in n.bytes() {
                    separators |= match b {
                        b':' => CLOCK,
                        b'/' => NUMERIC,
                        b'-' => NUMERIC | RANGE,
                        0xE2 => RANGE,
                        _ => 0,
                    };
                }
                assert_eq!(rules, separators, "{n}");
            }
        }
        assert!(years > 0);
    }

    #[test]
    fn a_qualifier_takes_at_most_qualifier_tokens() {
        let qualifiers = records(include_str!("../../data/figures/qualifiers.txt"));
        let mut longest = 0;
        for q in qualifiers {
            let doc = Analysis::new(q[0]);
            let tokens = TokenView::new(&doc).limit;
            assert!(tokens <= QUALIFIER_TOKENS, "{}: {tokens} tokens", q[0]);
            longest = longest.max(tokens);
        }
        assert_eq!(longest, QUALIFIER_TOKENS);
    }

    #[test]
    fn rules_at_lets_dates_through() {
        let cases = [
            ("24 ديسمبر 2023", "24 ديسمبر 2023", DAY),
            ("يومي 27 و28 يونيو", "يومي 27 و28 يونيو", DAY),
            // Without `يومي`, `27 و` starts nothing: the date is `28 يونيو`.
            ("27 و28 يونيو", "28 يونيو", DAY),
            ("الساعة 14:30", "الساعة 14:30", CLOCK),
            ("8:30 مساءً", "8:30 مساءً", CLOCK),
            ("في عام 2023", "عام 2023", YEAR),
            ("منذ 2019", "2019", YEAR),
            ("للفترة 2020-2025", "2020-2025", RANGE),
            ("يوم 24/12/2023", "يوم 24/12/2023", NUMERIC),
            ("3 أيام", "3 أيام", DURATION),
            ("خمس سنوات", "خمس سنوات", DURATION),
            ("أكثر من ساعتين", "أكثر من ساعتين", DURATION),
            ("ما لا يقل عن 3 سنوات", "ما لا يقل عن 3 سنوات", DURATION),
            ("من 5 إلى 10 مايو", "من 5 إلى 10 مايو", RANGE),
            ("بين عامي 2020 و2025", "بين عامي 2020 و2025", RANGE),
            ("لشهر ديسمبر", "شهر ديسمبر", MONTH_YEAR),
            ("صباح يوم 7 يونيو", "صباح يوم 7 يونيو", PART),
            ("الربع الأول من عام 2024", "الربع الأول من عام 2024", PERIOD),
            ("رأس السنة القمرية", "رأس السنة القمرية", LUNAR),
            ("العام الماضي", "العام الماضي", RELATIVE_DATE),
        ];
        for (text, span, rule) in cases {
            let found = dates(text);
            assert_eq!(found.len(), 1, "{text}: {found:#?}");
            assert_eq!(found[0]["text"], json!(span), "{text}");
            let doc = Analysis::new(text);
            let scan = Scan::new(&doc);
            let mut out = Vec::new();
            Dates.extract(&doc, &mut out);
            let start = (0..scan.limit)
                .find(|&i| doc.tokens()[i].end as usize > out[0].start)
                .expect("the first token of the date");
            assert_ne!(
                scan.rules_at(start) & rule,
                0,
                "{text}: {:#b}",
                scan.rules_at(start)
            );
            assert_rules_at_is_exact(text, text);
        }
        // Tokens that start no date are tried by one rule or none.
        for (text, k, rules) in [
            // `من` opens a range only before a number or `اليوم`.
            ("من جانبه", 0, 0),
            ("من اليوم الثاني عشر", 0, RANGE),
            // No number or unit of time within a qualifier's reach.
            ("أكثر من 2000 شخص", 0, 0),
            ("على الحكومة أن تقرر", 0, 0),
            ("15 شخصا", 0, 0),
            // `مليار` is a number word, no trigger: no month is looked for.
            ("15 مليار دولار", 0, 0),
            ("مليار دولار", 0, 0),
            ("عقدت اللجنة", 1, 0),
        ] {
            let doc = Analysis::new(text);
            let scan = Scan::new(&doc);
            assert_eq!(scan.rules_at(k), rules, "{text}");
        }
    }

    #[test]
    fn every_lexicon_read_by_bare_form_starts_with_triggers() {
        // `Scan::is_trigger` skips the lookups of a word that is no trigger.
        let words: Vec<&str> = MONTHS
            .first_words()
            .chain(PARTS.first_words())
            .chain(RELATIVE.first_words())
            .chain(QUALIFIERS.first_words())
            .chain(WEEKDAYS.keys().map(String::as_str))
            .chain(TIME_UNIT_WORDS.keys().map(String::as_str))
            .chain(HEAD_WORDS.keys().map(String::as_str))
            .chain(YEAR_CUES_IN_SPAN.words())
            .collect();
        for word in words {
            assert!(HEAD_WORDS.contains_key(word), "{word}");
            let doc = Analysis::new(word);
            let view = TokenView::new(&doc);
            if view.bare(0) == word {
                assert!(view.has(0, Form::Bare, features::DATE_START), "{word}");
            }
        }
    }

    /// Calls `check` with the scan of each corpus article (a fresh one per
    /// article, so its memos start empty) and each token index of its body
    /// and two past it: how the memo tests below reach every token.
    fn each_corpus_token(mut check: impl FnMut(&Scan<'_, '_>, usize)) {
        for text in crate::text::corpus_texts() {
            let doc = Analysis::new(&text);
            let scan = Scan::new(&doc);
            for k in 0..scan.limit + 2 {
                check(&scan, k);
            }
        }
    }

    #[test]
    fn the_day_and_month_remembered_are_the_ones_read() {
        let mut found = 0;
        each_corpus_token(|scan, k| {
            let read = scan.read_day_month(k);
            // Asked first, then remembered.
            assert_eq!(scan.day_month(k), read, "token {k}");
            assert_eq!(scan.day_month(k), read, "token {k}");
            found += usize::from(read.is_some());
        });
        assert!(found > 100, "{found} days and months");
    }

    #[test]
    fn the_integer_remembered_is_the_one_read() {
        let mut found = 0;
        each_corpus_token(|scan, k| {
            let read = scan.read_integer(k);
            // Read by the rules of a start, then asked by a rule; and
            // asked first, then remembered.
            if k < scan.limit {
                scan.rules_at(k);
                assert_eq!(scan.integer(k), read, "token {k}");
            }
            assert_eq!(scan.integer(k + 1), scan.read_integer(k + 1), "token {k}");
            assert_eq!(scan.integer(k), read, "token {k}");
            assert_eq!(scan.integer(k), read, "token {k}");
            found += usize::from(read.is_some());
        });
        assert!(found > 500, "{found} integers");
    }

    #[test]
    fn dates_with_a_month_and_a_day_differ_as_their_iso_strings_do() {
        // What `day_range` compares instead of the strings: no two such dates
        // share one, whatever the year (none, too short, too long, negative).
        let mut seen = std::collections::HashMap::new();
        let years = [None, Some(-5), Some(7), Some(999), Some(2024), Some(10_000)];
        for year in years {
            for month in 0..=13 {
                for day in 0..=32 {
                    let ymd = Ymd {
                        year,
                        month: Some(month),
                        day: Some(day),
                    };
                    let iso = ymd.iso().expect("a month and a day");
                    assert_eq!(seen.insert(iso.clone(), ymd), None, "{iso}");
                }
            }
        }
        assert!(seen.len() > 2000);
    }

    #[test]
    fn padded_numbers_are_written_as_format_writes_them() {
        for n in (-12_345..=12_345).chain([i64::MIN, i64::MAX, 99_999, 100_000]) {
            for width in [0, 1, 2, 4, 19, 20, 23, 30] {
                let mut s = CompactString::default();
                push_padded(&mut s, n, width);
                assert_eq!(s, format!("{n:0width$}"));
            }
        }
    }

    #[test]
    fn calendar_arithmetic() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
        assert_eq!(
            civil_from_days(days_from_civil(2000, 3, 1) - 1),
            (2000, 2, 29)
        );
        assert_eq!(iso_weekday(days_from_civil(2023, 12, 24)), 7);
        assert_eq!(iso_week(days_from_civil(2024, 1, 1)), (2024, 1));
        assert_eq!(iso_week(days_from_civil(2021, 1, 3)), (2020, 53));
    }

    #[test]
    fn resolution_needs_a_reference_or_one_clear_year() {
        let doc = Analysis::new("في 24 ديسمبر أمس، وفي الأسبوع الماضي والشهر الماضي والعام المقبل.");
        let mut out = Vec::new();
        Dates.extract(&doc, &mut out);
        let mut unresolved = out.clone();
        resolve(&mut unresolved, None);
        assert_eq!(unresolved, out, "no reference, no year: nothing resolved");
        resolve(&mut out, Some("2024-01-10".parse().unwrap()));
        let field = |i: usize, f: &str| serde_json::to_value(&out[i]).unwrap()[f].clone();
        assert_eq!(field(0, "resolved"), json!("2023-12-24"));
        assert_eq!(field(1, "value"), json!("2024-01-09"));
        assert_eq!(field(2, "value"), json!("2024-W01"));
        assert_eq!(field(3, "value"), json!("2023-12"));
        assert_eq!(field(4, "value"), json!("2025"));

        let doc = Analysis::new("في عام 2023 وفي 24 ديسمبر.");
        let mut out = Vec::new();
        Dates.extract(&doc, &mut out);
        resolve(&mut out, None);
        assert_eq!(
            serde_json::to_value(&out[1]).unwrap()["resolved"],
            json!("2023-12-24")
        );
        // Two years: neither is the context.
        let doc = Analysis::new("في عام 2023 وعام 2024 وفي 24 ديسمبر.");
        let mut out = Vec::new();
        Dates.extract(&doc, &mut out);
        let unresolved = out.clone();
        resolve(&mut out, None);
        assert_eq!(out.len(), 3);
        assert_eq!(out, unresolved);
        assert!("2024-13-01".parse::<ReferenceDate>().is_err());
        assert!("24-12-2023".parse::<ReferenceDate>().is_err());
    }
}

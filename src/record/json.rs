//! The record written as compact JSON by hand, byte for byte what
//! `serde_json::to_writer` makes of the same [`Record`].
//!
//! Why a second writer: JSON Lines is the main output, and through serde it cost
//! a tenth of all the instructions of an extraction. The entity's flattened value
//! fields go through serde's map machinery (`#[serde(flatten)]`), and
//! serde_json escapes strings a byte at a time, which is most of the work on
//! Arabic text where nothing ever needs escaping. This writer appends to a
//! `Vec<u8>` without allocating anything else, and looks for bytes to escape
//! eight at a time.
//!
//! The bytes are the contract (SPEC §3, `schema/record.schema.json`), so the two
//! writers must never differ: the `Serialize` impls stay the definition (pretty
//! output, `akhbar eval` and library users go through them), and the tests below
//! and `tests/json_writer.rs` hold this writer to serde_json's output, field
//! order, omissions, escapes and numbers included. A field added to a record type
//! must be added here too; those tests fail until it is.

use crate::decimal::Decimal;
use crate::token::TokenKind;

use super::{
    CompactString, Date, Document, Duration, Entity, EntityKind, EntityValue, Failure, FailureInfo,
    Money, Number, Ordinal, Percent, Person, PersonSummary, Place, Qualifier, Ratio, Record,
    Relative, SentenceSpan, Stats, Title, TokenRecord,
};

impl Record {
    /// Appends the record as compact JSON (no newline), exactly the bytes
    /// `serde_json::to_writer(out, self)` would write, without serde.
    ///
    /// ```
    /// use akhbar::{Akhbar, Options, Record, input::InputText};
    /// let text = InputText::new("d", "d.txt", "بلغ النمو 8.05٪.".into());
    /// let record = Record::Document(Box::new(Akhbar::new().document(&text, &Options::default())));
    /// let mut out = Vec::new();
    /// record.write_json(&mut out);
    /// assert_eq!(out, serde_json::to_vec(&record).unwrap());
    /// ```
    pub fn write_json(&self, out: &mut Vec<u8>) {
        match self {
            Record::Document(doc) => doc.write_json(out),
            Record::Failure(failure) => failure.write_json(out),
        }
    }
}

/// A value with a JSON form.
trait Json {
    fn write_json(&self, out: &mut Vec<u8>);

    /// Writes `,` and the value, as an item of a list, whose first comma
    /// becomes its `[` (see `impl Json for [T]`). A value that opens with
    /// bytes of its own overrides this, to lay out the comma with them.
    #[inline]
    fn write_item(&self, out: &mut Vec<u8>) {
        out.push(b',');
        self.write_json(out);
    }

    /// Writes `key` (made by `key!`), then the value. A string overrides
    /// this, to lay out its key, its quotes and itself in one copy.
    #[inline]
    fn write_field(&self, out: &mut Vec<u8>, key: &str) {
        out.extend_from_slice(key.as_bytes());
        self.write_json(out);
    }
}

/// A value whose fields are written inside an object that someone else opened:
/// the entity values, flattened after the entity's kind and span.
trait Fields {
    fn write_fields(&self, object: &mut Object<'_>);
}

/// `,"name":`, a key with the comma before it, as one literal: writing a key
/// is then one copy of a known length.
macro_rules! key {
    ($name:literal) => {
        concat!(",\"", $name, "\":")
    };
}

/// An object being written.
///
/// Every key is written with a comma before it; the first key's comma becomes
/// the object's `{`, so that no key pays for a second write.
struct Object<'a> {
    out: &'a mut Vec<u8>,
    /// Where the object starts.
    start: usize,
    empty: bool,
}

impl<'a> Object<'a> {
    fn open(out: &'a mut Vec<u8>) -> Object<'a> {
        let start = out.len();
        Object {
            out,
            start,
            empty: true,
        }
    }

    /// Writes `key` (made by `key!`) and the value. Keys are ASCII names
    /// that need no escaping. Inlined, so that a key is a copy of a known
    /// length.
    #[inline(always)]
    fn field<T: Json + ?Sized>(&mut self, key: &str, value: &T) {
        debug_assert!(key.starts_with(",\"") && key.ends_with("\":"));
        debug_assert!(key[2..key.len() - 2]
            .bytes()
            .all(|b| ESCAPE[usize::from(b)] == 0));
        value.write_field(self.out, key);
        if self.empty {
            self.out[self.start] = b'{';
            self.empty = false;
        }
    }

    /// A field that is omitted when `None` (`skip_serializing_if =
    /// "Option::is_none"`).
    #[inline(always)]
    fn optional<T: Json>(&mut self, key: &str, value: &Option<T>) {
        if let Some(value) = value {
            self.field(key, value);
        }
    }

    /// A list that is omitted when empty (`skip_serializing_if =
    /// "Vec::is_empty"`).
    #[inline]
    fn nonempty<T: Json>(&mut self, key: &str, value: &[T]) {
        if !value.is_empty() {
            self.field(key, value);
        }
    }

    fn close(self) {
        if self.empty {
            self.out.push(b'{');
        }
        self.out.push(b'}');
    }
}

impl Json for Document {
    fn write_json(&self, out: &mut Vec<u8>) {
        let mut o = Object::open(out);
        o.field(key!("id"), &self.id);
        o.field(key!("source"), &self.source);
        o.field(key!("lang"), &self.lang);
        o.field(key!("stats"), &self.stats);
        o.field(key!("sentences"), &self.sentences);
        o.field(key!("entities"), &self.entities);
        o.field(key!("persons"), &self.persons);
        o.optional(key!("byline"), &self.byline);
        o.field(key!("warnings"), &self.warnings);
        o.optional(key!("tokens"), &self.tokens);
        o.close();
    }
}

impl Json for Stats {
    fn write_json(&self, out: &mut Vec<u8>) {
        let mut o = Object::open(out);
        o.field(key!("bytes"), &self.bytes);
        o.field(key!("chars"), &self.chars);
        o.field(key!("tokens"), &self.tokens);
        o.field(key!("sentences"), &self.sentences);
        o.close();
    }
}

impl Json for SentenceSpan {
    /// `{"start":…,"end":…}`, laid out as an entity's span is.
    fn write_json(&self, out: &mut Vec<u8>) {
        write_numbers::<2, SENTENCE_ROOM>(out, &SENTENCE_KEYS, [self.start, self.end]);
        out.push(b'}');
    }

    /// `,{"start":…,"end":…}`, the comma laid out with the first key.
    fn write_item(&self, out: &mut Vec<u8>) {
        write_numbers::<2, SENTENCE_ITEM_ROOM>(out, &SENTENCE_ITEM_KEYS, [self.start, self.end]);
        out.push(b'}');
    }
}

impl Json for TokenRecord {
    fn write_json(&self, out: &mut Vec<u8>) {
        let mut o = Object::open(out);
        o.field(key!("text"), &self.text);
        o.field(key!("start"), &self.start);
        o.field(key!("end"), &self.end);
        o.field(key!("char_start"), &self.char_start);
        o.field(key!("char_end"), &self.char_end);
        o.field(key!("kind"), &self.kind);
        o.field(key!("norm"), &self.norm);
        o.nonempty(key!("prefixes"), &self.prefixes);
        o.optional(key!("stem"), &self.stem);
        o.close();
    }
}

impl Json for Failure {
    fn write_json(&self, out: &mut Vec<u8>) {
        let mut o = Object::open(out);
        o.field(key!("id"), &self.id);
        o.field(key!("source"), &self.source);
        o.field(key!("error"), &self.error);
        o.close();
    }
}

impl Json for FailureInfo {
    fn write_json(&self, out: &mut Vec<u8>) {
        let mut o = Object::open(out);
        o.field(key!("kind"), &self.kind);
        o.field(key!("message"), &self.message);
        o.close();
    }
}

impl Json for Entity {
    /// An entity on its own: written as an item, and the item's comma taken
    /// out (a record writes its entities only as a list).
    fn write_json(&self, out: &mut Vec<u8>) {
        let start = out.len();
        self.write_item(out);
        out.remove(start);
    }

    /// The comma, then the kind, the span and the value's fields, as `impl
    /// Serialize for Entity` flattens them.
    ///
    /// The kind always comes first, so the object is opened with the comma
    /// before it, its kind and the text's key in one copy (see
    /// [`OPENINGS`]).
    fn write_item(&self, out: &mut Vec<u8>) {
        let start = out.len() + 1;
        // Room for the prefix, the text, the span (five keys and numbers of at
        // most 20 digits) and the usual value fields, so that the writes below
        // rarely grow the vector.
        out.reserve(self.text.len() + 256);
        OPENINGS[self.kind() as usize].append_to(out);
        write_str(out, "", &self.text);
        let mut o = Object {
            out,
            start,
            empty: false,
        };
        write_numbers::<5, SPAN_ROOM>(
            o.out,
            &SPAN_KEYS,
            [
                self.start,
                self.end,
                self.char_start,
                self.char_end,
                self.sentence,
            ],
        );
        self.value.write_fields(&mut o);
        o.close();
    }
}

/// The keys of an entity's span, in the order of its numbers.
const SPAN_KEYS: [&str; 5] = [
    key!("start"),
    key!("end"),
    key!("char_start"),
    key!("char_end"),
    key!("sentence"),
];

/// The keys of a sentence's span, the first one opening its object.
const SENTENCE_KEYS: [&str; 2] = ["{\"start\":", key!("end")];

/// The keys of a sentence's span in a list: the first one opens its object
/// after a comma.
const SENTENCE_ITEM_KEYS: [&str; 2] = [",{\"start\":", key!("end")];

/// Room for an entity's span of numbers below 10^8 ([`write_numbers`]).
const SPAN_ROOM: usize = room(&SPAN_KEYS);

/// Room for a sentence's span of numbers below 10^8 ([`write_numbers`]).
const SENTENCE_ROOM: usize = room(&SENTENCE_KEYS);

/// Room for a sentence's span in a list ([`write_numbers`]).
const SENTENCE_ITEM_ROOM: usize = room(&SENTENCE_ITEM_KEYS);

/// Room for `keys` and their numbers below 10^8, laid out by
/// [`write_numbers`]: the keys, and eight bytes for each number (each is
/// written as a whole word, less its leading zeros after).
const fn room(keys: &[&str]) -> usize {
    let mut room = 0;
    let mut i = 0;
    while i < keys.len() {
        room += keys[i].len() + 8;
        i += 1;
    }
    room
}

/// Writes each of `keys` followed by its number: `,"start":…,"end":…`.
///
/// The numbers of an article are all below 2^26 (and so below 10^8): they
/// are laid out with their keys in a buffer on the stack ([`Laid`]) and
/// appended in one copy. That spares the output vector two writes a number,
/// each with its capacity check. A larger number takes the field-by-field
/// way. `ROOM` is `room(keys)`.
#[inline]
fn write_numbers<const N: usize, const ROOM: usize>(
    out: &mut Vec<u8>,
    keys: &[&str; N],
    numbers: [usize; N],
) {
    debug_assert_eq!(ROOM, room(keys));
    // One test of the numbers' bits rather than a comparison each: below
    // 2^26 (a little less than 10^8), all are laid out.
    if numbers.iter().fold(0, |bits, &n| bits | n) >> 26 != 0 {
        for (key, n) in keys.iter().zip(numbers) {
            out.extend_from_slice(key.as_bytes());
            write_u64(out, n as u64);
        }
        return;
    }
    let mut laid = Laid::<ROOM>::EMPTY;
    for (key, n) in keys.iter().zip(numbers) {
        laid.bytes[laid.len..laid.len + key.len()].copy_from_slice(key.as_bytes());
        laid.len += key.len();
        let (digits, len) = short_digits(n as u32);
        laid.bytes[laid.len..laid.len + 8].copy_from_slice(&digits.to_le_bytes());
        laid.len += len;
    }
    laid.append_to(out);
}

/// Bytes laid out in a buffer of a fixed size, of which the first `len`
/// count: the whole buffer is appended (a copy of a known size, a few moves
/// rather than a call to `memcpy`) and the output cut back to what counts.
#[derive(Clone, Copy)]
struct Laid<const ROOM: usize> {
    bytes: [u8; ROOM],
    len: usize,
}

impl<const ROOM: usize> Laid<ROOM> {
    const EMPTY: Laid<ROOM> = Laid {
        bytes: [0; ROOM],
        len: 0,
    };

    /// These bytes with `more` after them (at compile time).
    const fn with(mut self, more: &[u8]) -> Laid<ROOM> {
        let mut i = 0;
        while i < more.len() {
            self.bytes[self.len] = more[i];
            self.len += 1;
            i += 1;
        }
        self
    }

    /// The bytes that count.
    #[cfg(test)]
    fn as_slice(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    #[inline]
    fn append_to(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.bytes);
        out.truncate(out.len() - (ROOM - self.len));
    }
}

/// Room for the longest opening of an entity.
const OPENING_ROOM: usize = 32;

/// `,{"kind":"money","text":`: how an entity of each kind opens in a list,
/// from the comma before it up to its text, in the order of
/// `EntityKind::ALL` (which is the order of the kinds' declaration).
static OPENINGS: [Laid<OPENING_ROOM>; EntityKind::ALL.len()] = {
    let mut openings = [Laid::EMPTY; EntityKind::ALL.len()];
    let mut k = 0;
    while k < openings.len() {
        openings[k] = Laid::EMPTY
            .with(b",{\"kind\":\"")
            .with(EntityKind::ALL[k].as_str().as_bytes())
            .with(b"\",\"text\":");
        k += 1;
    }
    openings
};

impl Fields for EntityValue {
    /// Inlined into [`Entity`]'s writer, its only caller, where the object is
    /// known to be open: no field then tests whether it is the first.
    #[inline(always)]
    fn write_fields(&self, o: &mut Object<'_>) {
        match self {
            EntityValue::Person(v) => v.write_fields(o),
            EntityValue::Place(v) => v.write_fields(o),
            EntityValue::Money(v) => v.write_fields(o),
            EntityValue::Percent(v) => v.write_fields(o),
            EntityValue::Date(v) => v.write_fields(o),
            EntityValue::Duration(v) => v.write_fields(o),
            EntityValue::Number(v) => v.write_fields(o),
            EntityValue::Ordinal(v) => v.write_fields(o),
            EntityValue::Ratio(v) => v.write_fields(o),
        }
    }
}

impl Fields for Person {
    fn write_fields(&self, o: &mut Object<'_>) {
        o.field(key!("name"), &self.name);
        o.optional(key!("latin"), &self.latin);
        o.optional(key!("honorific"), &self.honorific);
        o.nonempty(key!("titles"), &self.titles);
    }
}

impl Json for Title {
    fn write_json(&self, out: &mut Vec<u8>) {
        let mut o = Object::open(out);
        o.field(key!("text"), &self.text);
        o.field(key!("role"), &self.role);
        o.optional(key!("org"), &self.org);
        o.close();
    }
}

impl Fields for Place {
    fn write_fields(&self, o: &mut Object<'_>) {
        o.field(key!("name"), &self.name);
        o.optional(key!("latin"), &self.latin);
        o.optional(key!("type"), &self.place_type);
    }
}

impl Fields for Money {
    fn write_fields(&self, o: &mut Object<'_>) {
        o.optional(key!("amount"), &self.amount);
        o.optional(key!("from"), &self.from);
        o.optional(key!("to"), &self.to);
        o.field(key!("currency"), &self.currency);
        o.optional(key!("qualifier"), &self.qualifier);
        o.optional(key!("per"), &self.per);
        o.optional(key!("ambiguous"), &self.ambiguous);
        o.optional(key!("alternative"), &self.alternative);
    }
}

impl Fields for Percent {
    fn write_fields(&self, o: &mut Object<'_>) {
        o.optional(key!("value"), &self.value);
        o.optional(key!("from"), &self.from);
        o.optional(key!("to"), &self.to);
        o.optional(key!("qualifier"), &self.qualifier);
    }
}

impl Fields for Date {
    fn write_fields(&self, o: &mut Object<'_>) {
        o.optional(key!("value"), &self.value);
        o.optional(key!("from"), &self.from);
        o.optional(key!("to"), &self.to);
        o.optional(key!("part"), &self.part);
        o.optional(key!("calendar"), &self.calendar);
        o.optional(key!("time"), &self.time);
        o.optional(key!("relative"), &self.relative);
        o.optional(key!("resolved"), &self.resolved);
        o.optional(key!("weekday_mismatch"), &self.weekday_mismatch);
    }
}

impl Json for Relative {
    fn write_json(&self, out: &mut Vec<u8>) {
        let mut o = Object::open(out);
        o.field(key!("unit"), &self.unit);
        o.field(key!("offset"), &self.offset);
        o.close();
    }
}

impl Fields for Duration {
    fn write_fields(&self, o: &mut Object<'_>) {
        o.field(key!("value"), &self.value);
        o.optional(key!("qualifier"), &self.qualifier);
    }
}

impl Fields for Number {
    fn write_fields(&self, o: &mut Object<'_>) {
        o.optional(key!("value"), &self.value);
        o.optional(key!("from"), &self.from);
        o.optional(key!("to"), &self.to);
        o.optional(key!("unit"), &self.unit);
        o.optional(key!("counted"), &self.counted);
        o.optional(key!("qualifier"), &self.qualifier);
        o.optional(key!("ambiguous"), &self.ambiguous);
        o.optional(key!("alternative"), &self.alternative);
    }
}

impl Fields for Ordinal {
    fn write_fields(&self, o: &mut Object<'_>) {
        o.field(key!("value"), &self.value);
        o.optional(key!("of"), &self.of);
    }
}

impl Fields for Ratio {
    fn write_fields(&self, o: &mut Object<'_>) {
        o.field(key!("numerator"), &self.numerator);
        o.field(key!("denominator"), &self.denominator);
        o.optional(key!("counted"), &self.counted);
    }
}

impl Json for PersonSummary {
    fn write_json(&self, out: &mut Vec<u8>) {
        let mut o = Object::open(out);
        o.field(key!("name"), &self.name);
        o.optional(key!("latin"), &self.latin);
        o.field(key!("titles"), &self.titles);
        o.field(key!("mentions"), &self.mentions);
        o.close();
    }
}

impl<T: Json> Json for [T] {
    /// Every item is written with a comma before it, and the first comma
    /// becomes the list's `[` (as an object's first key's comma becomes its
    /// `{`): no item tests whether it is the first, and an entity or a
    /// sentence lays out its comma with its first bytes.
    fn write_json(&self, out: &mut Vec<u8>) {
        let start = out.len();
        for item in self {
            item.write_item(out);
        }
        if self.is_empty() {
            out.push(b'[');
        } else {
            out[start] = b'[';
        }
        out.push(b']');
    }
}

impl<T: Json> Json for Vec<T> {
    fn write_json(&self, out: &mut Vec<u8>) {
        self.as_slice().write_json(out);
    }
}

/// The strings of a record: `String` for the document's own fields (its id,
/// its source), `CompactString` for the entities' text and values.
macro_rules! json_string {
    ($($string:ty),*) => {$(
        impl Json for $string {
            #[inline]
            fn write_json(&self, out: &mut Vec<u8>) {
                write_str(out, "", self);
            }

            #[inline(always)]
            fn write_field(&self, out: &mut Vec<u8>, key: &str) {
                write_str(out, key, self);
            }
        }
    )*};
}

json_string!(String, CompactString);

impl Json for usize {
    #[inline]
    fn write_json(&self, out: &mut Vec<u8>) {
        write_u64(out, *self as u64);
    }
}

impl Json for u64 {
    #[inline]
    fn write_json(&self, out: &mut Vec<u8>) {
        write_u64(out, *self);
    }
}

impl Json for i32 {
    fn write_json(&self, out: &mut Vec<u8>) {
        if *self < 0 {
            out.push(b'-');
        }
        write_u64(out, u64::from(self.unsigned_abs()));
    }
}

impl Json for bool {
    fn write_json(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(if *self { b"true" } else { b"false" });
    }
}

impl Json for EntityKind {
    fn write_json(&self, out: &mut Vec<u8>) {
        write_name(out, self.as_str());
    }
}

impl Json for TokenKind {
    fn write_json(&self, out: &mut Vec<u8>) {
        write_name(out, self.as_str());
    }
}

impl Json for Qualifier {
    fn write_json(&self, out: &mut Vec<u8>) {
        write_name(out, self.as_str());
    }
}

impl Json for Decimal {
    /// As `impl Serialize for Decimal`: an integer as a JSON integer; a fraction
    /// as its exact decimal text (`8.05`, `-0.5`, `0.000001`).
    ///
    /// Serde writes a fraction of at most 15 significant digits, whose point is
    /// at most four zeros away from its first digit, through `f64`, and anything
    /// else as its text. The `f64` route gives the text back too: a decimal of 15
    /// digits or fewer is the only one of that size that rounds to its `f64`, so
    /// the shortest round-trip form serde_json prints (`zmij`) has exactly its
    /// digits, and with the first digit's exponent between −5 and 13 it is
    /// printed without an exponent, as `Display` prints it. The tests check
    /// this against serde_json.
    ///
    /// The digits are written first and the point put in after them: most
    /// fractions have a digit or two after it.
    fn write_json(&self, out: &mut Vec<u8>) {
        let mantissa = self.mantissa();
        if mantissa < 0 {
            out.push(b'-');
        }
        let at = out.len();
        write_u128(out, mantissa.unsigned_abs());
        let scale = usize::from(self.scale());
        let digits = out.len() - at;
        match scale {
            0 => {}
            _ if digits > scale => out.insert(out.len() - scale, b'.'),
            _ => {
                let zeros = std::iter::repeat_n(b'0', scale - digits);
                out.splice(at..at, b"0.".iter().copied().chain(zeros));
            }
        }
    }
}

/// A name of a fixed set (a kind, a qualifier): a string with nothing to escape.
#[inline]
fn write_name(out: &mut Vec<u8>, name: &str) {
    debug_assert!(name.bytes().all(|b| ESCAPE[usize::from(b)] == 0));
    out.push(b'"');
    out.extend_from_slice(name.as_bytes());
    out.push(b'"');
}

/// How serde_json escapes each byte (its `ESCAPE` table): `0` for a byte
/// written as is; otherwise the letter after the backslash, with `u` for
/// `\u00XX`. Only `"`, `\` and the controls below 0x20 are escaped: DEL,
/// non-ASCII characters and U+2028/U+2029 are written raw.
static ESCAPE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = b'u';
        b += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0a] = b'n';
    table[0x0c] = b'f';
    table[0x0d] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The bytes of `word` (little-endian: byte `i` of the text is bits `8i..8i+8`)
/// that need escaping, as their high bits.
///
/// Each test is the classic "has a byte less than n", `(x - n·ONES) & !x &
/// HIGHS`. Flipping bit 1 maps the controls (below 0x20) onto themselves and
/// `"` (0x22) onto 0x20, and nothing else below 0x21, so one test finds both;
/// `\` is zero after an xor. A borrow can only set a spurious bit above a byte
/// that was rightly flagged, so the lowest bit set is always the first byte to
/// escape, and the mask is zero exactly when no byte needs escaping. Bytes of
/// 0x80 and above (all of UTF-8 beyond ASCII) are never flagged, thanks to
/// `!x`.
#[inline]
fn escape_mask(word: u64) -> u64 {
    let flipped = word ^ (0x02 * ONES);
    let control_or_quote = flipped.wrapping_sub(0x21 * ONES) & !flipped;
    let backslash = word ^ (u64::from(b'\\') * ONES);
    let backslash = backslash.wrapping_sub(ONES) & !backslash;
    (control_or_quote | backslash) & HIGHS
}

/// Whether any byte of `bytes` needs escaping: the last eight bytes in a word
/// (or, in a string of fewer than eight bytes, a word that repeats some of
/// its bytes), and the whole words before it up to where it starts (those of
/// all bytes but the last), which costs no copy and tests a string of up to
/// sixteen bytes in two words.
#[inline]
fn needs_escape(bytes: &[u8]) -> bool {
    let word = |b: &[u8]| u64::from_le_bytes(b.try_into().expect("8 bytes"));
    let half = |b: &[u8]| u64::from(u32::from_le_bytes(b.try_into().expect("4 bytes")));
    let n = bytes.len();
    let last = match n {
        8.. => word(&bytes[n - 8..]),
        4..=7 => half(&bytes[..4]) | half(&bytes[n - 4..]) << 32,
        1..=3 => u64::from_le_bytes([
            bytes[0],
            bytes[n / 2],
            bytes[n - 1],
            b' ',
            b' ',
            b' ',
            b' ',
            b' ',
        ]),
        0 => return false,
    };
    let mut mask = escape_mask(last);
    for chunk in bytes[..n - 1].chunks_exact(8) {
        mask |= escape_mask(word(chunk));
    }
    mask != 0
}

/// The index of the first byte at or after `from` that needs escaping, or
/// `bytes.len()`. Eight bytes at a time; the last few are padded with a byte
/// that needs none.
#[inline]
fn next_escape(bytes: &[u8], mut from: usize) -> usize {
    while let Some(chunk) = bytes.get(from..from + 8) {
        let mask = escape_mask(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        if mask != 0 {
            return from + (mask.trailing_zeros() / 8) as usize;
        }
        from += 8;
    }
    let rest = &bytes[from..];
    if rest.is_empty() {
        return from;
    }
    let mut word = [b' '; 8];
    word[..rest.len()].copy_from_slice(rest);
    let mask = escape_mask(u64::from_le_bytes(word));
    if mask != 0 {
        from + (mask.trailing_zeros() / 8) as usize
    } else {
        bytes.len()
    }
}

/// Writes `head` (a key made by `key!`, or nothing) and `s` as a JSON
/// string, escaped as serde_json escapes it.
///
/// Most strings (Arabic words, digits and spaces) need no escape, and most are
/// short (a currency, a date, a name of two or three words): those are laid
/// out with their key and quotes by [`write_in_words`] and appended in one
/// copy, where the string is, without a call. The others call
/// [`write_unlaid`].
#[inline(always)]
fn write_str(out: &mut Vec<u8>, head: &str, s: &str) {
    let bytes = s.as_bytes();
    let written = match bytes.len() {
        0..=16 => write_in_words::<2, 40>(out, head, bytes),
        17..=32 => write_in_words::<4, 56>(out, head, bytes),
        33..=64 => write_in_words::<8, 88>(out, head, bytes),
        _ => false,
    };
    if !written {
        write_unlaid(out, head, bytes);
    }
}

/// Writes what [`write_in_words`] did not: `head`, then the string tested
/// whole and copied in one piece, or escaped, in its quotes.
#[inline(never)]
fn write_unlaid(out: &mut Vec<u8>, head: &str, bytes: &[u8]) {
    out.reserve(head.len() + bytes.len() + 2);
    out.extend_from_slice(head.as_bytes());
    out.push(b'"');
    if needs_escape(bytes) {
        write_escaped(out, bytes);
    } else {
        out.extend_from_slice(bytes);
    }
    out.push(b'"');
}

/// Writes `head`, then `bytes` (at most `8 * WORDS`) in quotes, if none
/// needs escaping and all fit in `ROOM` bytes, and tells whether it did.
///
/// The words at 0, 8, 16, … and the last one moved back to end with the
/// string cover it ([`short_word`] a string of fewer than eight bytes); they
/// are tested at once, laid out at their places after the head and the
/// opening quote in a buffer (the overlapping bytes are the same), and the
/// whole appended in one copy ([`Laid`]): `,"name":"ها تينه"` costs no more
/// than two words and the key.
#[inline(always)]
fn write_in_words<const WORDS: usize, const ROOM: usize>(
    out: &mut Vec<u8>,
    head: &str,
    bytes: &[u8],
) -> bool {
    let (head, n) = (head.as_bytes(), bytes.len());
    debug_assert!(n <= 8 * WORDS);
    // Known when this is inlined: a key fits, with room to spare.
    if head.len() + 8 * WORDS + 2 > ROOM {
        return false;
    }
    let (at, words) = if n < 8 {
        // One word, at 0 (as often as there are words). The bytes past the
        // string are zeros, which would read as controls.
        let word = short_word(bytes);
        if escape_mask(word) & ((1 << (8 * n)) - 1) != 0 {
            return false;
        }
        ([0; WORDS], [word; WORDS])
    } else {
        let at: [usize; WORDS] = std::array::from_fn(|k| (8 * k).min(n - 8));
        let words = at.map(|i| u64::from_le_bytes(bytes[i..i + 8].try_into().expect("8 bytes")));
        if words.iter().fold(0, |mask, &w| mask | escape_mask(w)) != 0 {
            return false;
        }
        (at, words)
    };
    let mut laid = Laid::<ROOM>::EMPTY;
    laid.bytes[..head.len()].copy_from_slice(head);
    laid.bytes[head.len()] = b'"';
    let from = head.len() + 1;
    for (i, w) in at.into_iter().zip(words) {
        laid.bytes[from + i..from + i + 8].copy_from_slice(&w.to_le_bytes());
    }
    laid.bytes[from + n] = b'"';
    laid.len = from + n + 1;
    laid.append_to(out);
    true
}

/// The bytes of a string of fewer than eight bytes at their places in a
/// little-endian word, zeros after them: from two overlapping halves, or the
/// first, middle and last bytes, without a loop or a call to `memcpy`.
#[inline(always)]
fn short_word(bytes: &[u8]) -> u64 {
    let half = |b: &[u8]| u64::from(u32::from_le_bytes(b.try_into().expect("4 bytes")));
    let n = bytes.len();
    match n {
        4..=7 => half(&bytes[..4]) | half(&bytes[n - 4..]) << (8 * (n - 4)),
        1..=3 => {
            u64::from(bytes[0])
                | u64::from(bytes[n / 2]) << (8 * (n / 2))
                | u64::from(bytes[n - 1]) << (8 * (n - 1))
        }
        _ => 0,
    }
}

/// Writes `bytes` with their escapes, without quotes: clean runs are copied
/// whole.
#[cold]
#[inline(never)]
fn write_escaped(out: &mut Vec<u8>, bytes: &[u8]) {
    out.reserve(bytes.len());
    let mut run = 0;
    let mut at = next_escape(bytes, 0);
    while at < bytes.len() {
        out.extend_from_slice(&bytes[run..at]);
        let byte = bytes[at];
        match ESCAPE[usize::from(byte)] {
            b'u' => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(&[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[usize::from(byte >> 4)],
                    HEX[usize::from(byte & 0xf)],
                ]);
            }
            0 => unreachable!("byte {byte:#x} flagged but needs no escape"),
            letter => out.extend_from_slice(&[b'\\', letter]),
        }
        run = at + 1;
        at = next_escape(bytes, run);
    }
    out.extend_from_slice(&bytes[run..]);
}

/// `0x30` in every byte: digit values plus this are ASCII digits.
const ASCII_ZEROS: u64 = 0x3030_3030_3030_3030;

/// 10^8: the numbers [`eight_digits`] takes are below it.
const E8: u64 = 100_000_000;

/// The eight decimal digits of `n` (below 10^8), zero-padded, as the byte
/// values 0 to 9 of a little-endian word in text order (the first digit in the
/// lowest byte).
///
/// The digits are worked out in the lanes of the one word, without a loop: the
/// two halves of four digits in 32-bit lanes, then four pairs in 16-bit lanes,
/// then the eight digits; each division by 100 or 10 of every lane at once is a
/// multiply and a shift (`x / 100 == x * 10486 >> 20` for `x < 10^4`, `x / 10
/// == x * 103 >> 10` for `x < 100`), and the products never reach the next
/// lane.
#[inline]
fn eight_digits(n: u32) -> u64 {
    debug_assert!(u64::from(n) < E8);
    let halves = u64::from(n / 10_000) | u64::from(n % 10_000) << 32;
    let hundreds = ((halves * 10_486) >> 20) & 0x0000_007f_0000_007f;
    let pairs = hundreds | (halves - hundreds * 100) << 16;
    let tens = ((pairs * 103) >> 10) & 0x000f_000f_000f_000f;
    tens | (pairs - tens * 10) << 8
}

/// Writes `n` (below 10^8) in decimal: its digits in one 8-byte copy, the
/// bytes past them cut off.
#[inline]
fn write_short(out: &mut Vec<u8>, n: u32) {
    let (digits, len) = short_digits(n);
    out.extend_from_slice(&digits.to_le_bytes());
    out.truncate(out.len() - (8 - len));
}

/// The decimal digits of `n` (below 10^8) as ASCII in the low bytes of a
/// little-endian word, and how many there are: the eight digits shifted past
/// their leading zeros (which are the low zero bytes; the last digit always
/// stays).
#[inline]
fn short_digits(n: u32) -> (u64, usize) {
    let digits = eight_digits(n);
    let zeros = (digits | 1 << 56).trailing_zeros() / 8;
    ((digits | ASCII_ZEROS) >> (8 * zeros), 8 - zeros as usize)
}

/// Writes `n` (below 10^8) as eight digits, zero-padded.
#[inline]
fn write_eight(out: &mut Vec<u8>, n: u32) {
    out.extend_from_slice(&(eight_digits(n) | ASCII_ZEROS).to_le_bytes());
}

/// Writes `n` in decimal, as itoa does for serde_json.
#[inline]
fn write_u64(out: &mut Vec<u8>, n: u64) {
    if n < E8 {
        write_short(out, n as u32);
    } else {
        write_long(out, n);
    }
}

/// Writes `n` (at least 10^8) in decimal: its last eight digits, and up to
/// twelve before them.
#[inline(never)]
fn write_long(out: &mut Vec<u8>, n: u64) {
    let high = n / E8;
    if high < E8 {
        write_short(out, high as u32);
    } else {
        write_short(out, (high / E8) as u32);
        write_eight(out, (high % E8) as u32);
    }
    write_eight(out, (n % E8) as u32);
}

/// Writes `n` in decimal.
#[inline]
fn write_u128(out: &mut Vec<u8>, n: u128) {
    match u64::try_from(n) {
        Ok(n) => write_u64(out, n),
        Err(_) => write_huge(out, n),
    }
}

/// Writes `n` (above `u64`) in decimal, sixteen digits at a time from the end.
#[inline(never)]
fn write_huge(out: &mut Vec<u8>, n: u128) {
    const E16: u128 = (E8 * E8) as u128;
    write_u128(out, n / E16);
    let low = (n % E16) as u64;
    write_eight(out, (low / E8) as u32);
    write_eight(out, (low % E8) as u32);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The writer's bytes and serde_json's, as text for readable failures.
    fn both(record: &Record) -> (String, String) {
        let mut mine = Vec::new();
        record.write_json(&mut mine);
        let serde = serde_json::to_vec(record).unwrap();
        (
            String::from_utf8(mine).unwrap(),
            String::from_utf8(serde).unwrap(),
        )
    }

    fn assert_same(record: &Record) {
        let (mine, serde) = both(record);
        assert_eq!(mine, serde);
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// Strings that need every kind of escape, and some that need none.
    const HARD: [&str; 12] = [
        "",
        "plain",
        "\"quoted\" \\ back\\slash",
        "line\nbreak\ttab\rcr\u{8}bs\u{c}ff",
        "\u{0}\u{1}\u{1f}\u{7f}",
        "before\u{2028}sep\u{2029}after",
        "emoji 😀 and 東",
        "17500 مليار دونج",
        "السكرتير الإقليمي للحزب \"ها تينه\"\n",
        "ثو ها\\",
        "exactly8",
        "1234567\"",
    ];

    fn entity(text: &str, value: EntityValue) -> Entity {
        Entity {
            text: text.into(),
            start: 10,
            end: 10 + text.len(),
            char_start: 5,
            char_end: 5 + text.chars().count(),
            sentence: 7,
            value,
        }
    }

    fn document(entities: Vec<Entity>) -> Document {
        Document {
            id: "doc-\"1\"".into(),
            source: "dir\\doc 1.txt".into(),
            lang: "ar".into(),
            stats: Stats {
                bytes: 1234,
                chars: 567,
                tokens: 89,
                sentences: 2,
            },
            sentences: vec![
                SentenceSpan { start: 0, end: 10 },
                SentenceSpan {
                    start: 11,
                    end: usize::MAX,
                },
            ],
            entities,
            persons: Vec::new(),
            byline: None,
            warnings: Vec::new(),
            tokens: None,
        }
    }

    fn money(amount: Option<&str>, from: Option<&str>, to: Option<&str>) -> Money {
        Money {
            amount: amount.map(d),
            from: from.map(d),
            to: to.map(d),
            currency: "VND".into(),
            qualifier: None,
            per: None,
            ambiguous: None,
            alternative: None,
        }
    }

    fn title(text: &str, role: &str, org: Option<&str>) -> Title {
        Title {
            text: text.into(),
            role: role.into(),
            org: org.map(CompactString::from),
        }
    }

    const QUALIFIERS: [Qualifier; 5] = [
        Qualifier::Gt,
        Qualifier::Lt,
        Qualifier::Approx,
        Qualifier::Gte,
        Qualifier::Lte,
    ];

    /// Entities of every kind, with each optional field both present and absent.
    fn every_entity() -> Vec<Entity> {
        let mut out = Vec::new();
        // Money: amount, range, qualifier, per, ambiguous with alternative.
        out.push(entity(
            "17500 مليار دونج",
            EntityValue::Money(money(Some("17500000000000"), None, None)),
        ));
        let mut m = money(None, Some("1.5"), Some("2000000"));
        m.qualifier = Some(Qualifier::Approx);
        m.per = Some("kg".into());
        out.push(entity("بين 1.5 و2 مليون", EntityValue::Money(m)));
        let mut m = money(Some("3.2"), None, None);
        m.ambiguous = Some(true);
        m.alternative = Some(d("3200"));
        m.qualifier = Some(Qualifier::Gt);
        m.currency = "USD".into();
        out.push(entity("3.200 دولار", EntityValue::Money(m)));
        let mut m = money(Some("-42"), None, None);
        m.ambiguous = Some(false);
        out.push(entity("-42", EntityValue::Money(m)));
        // Percent.
        for (value, from, to, qualifier) in [
            (Some("8.05"), None, None, None),
            (None, Some("0.5"), Some("12.25"), Some(Qualifier::Lte)),
            (Some("100"), None, None, Some(Qualifier::Gte)),
        ] {
            out.push(entity(
                "8.05٪",
                EntityValue::Percent(Percent {
                    value: value.map(d),
                    from: from.map(d),
                    to: to.map(d),
                    qualifier,
                }),
            ));
        }
        // Date: empty, full, relative, weekday mismatch.
        out.push(entity("الأمس", EntityValue::Date(Date::default())));
        out.push(entity(
            "صباح يوم 24 ديسمبر",
            EntityValue::Date(Date {
                value: Some("2023-12-24".into()),
                from: Some("2023-12-01".into()),
                to: Some("2023-12-31".into()),
                part: Some("morning".into()),
                calendar: Some("lunar".into()),
                time: Some("08:30".into()),
                relative: Some(Relative {
                    unit: "day".into(),
                    offset: -1,
                }),
                resolved: Some("2023-12-24".into()),
                weekday_mismatch: Some(true),
            }),
        ));
        out.push(entity(
            "بعد أسبوعين",
            EntityValue::Date(Date {
                relative: Some(Relative {
                    unit: "week".into(),
                    offset: i32::MIN,
                }),
                weekday_mismatch: Some(false),
                ..Date::default()
            }),
        ));
        out.push(entity(
            "العام المقبل",
            EntityValue::Date(Date {
                relative: Some(Relative {
                    unit: "year".into(),
                    offset: i32::MAX,
                }),
                ..Date::default()
            }),
        ));
        // Duration.
        out.push(entity(
            "5 سنوات",
            EntityValue::Duration(Duration {
                value: "P5Y".into(),
                qualifier: None,
            }),
        ));
        for qualifier in QUALIFIERS {
            out.push(entity(
                "أكثر من ساعتين",
                EntityValue::Duration(Duration {
                    value: "PT2H".into(),
                    qualifier: Some(qualifier),
                }),
            ));
        }
        // Number: value, range, unit, counted, qualifier, ambiguous, alternative.
        out.push(entity(
            "1",
            EntityValue::Number(Number {
                value: Some(d("1")),
                ..Number::default()
            }),
        ));
        out.push(entity(
            "ما بين 400 و500 شاحنة",
            EntityValue::Number(Number {
                from: Some(d("400")),
                to: Some(d("500")),
                counted: Some("شاحنة".into()),
                qualifier: Some(Qualifier::Approx),
                ..Number::default()
            }),
        ));
        out.push(entity(
            "1.772 هكتار",
            EntityValue::Number(Number {
                value: Some(d("1.772")),
                unit: Some("ha".into()),
                ambiguous: Some(true),
                alternative: Some(d("1772")),
                ..Number::default()
            }),
        ));
        // Ordinal.
        out.push(entity(
            "المرتبة 15",
            EntityValue::Ordinal(Ordinal {
                value: 15,
                of: None,
            }),
        ));
        out.push(entity(
            "المرتبة 15 من بين 63",
            EntityValue::Ordinal(Ordinal {
                value: u64::MAX,
                of: Some(63),
            }),
        ));
        // Ratio.
        out.push(entity(
            "10/13 محلية",
            EntityValue::Ratio(Ratio {
                numerator: d("10"),
                denominator: d("13"),
                counted: Some("محلية".into()),
            }),
        ));
        out.push(entity(
            "2.5/7",
            EntityValue::Ratio(Ratio {
                numerator: d("2.5"),
                denominator: d("7"),
                counted: None,
            }),
        ));
        // Person: bare, full, titles with and without org.
        out.push(entity(
            "هونغ",
            EntityValue::Person(Person {
                name: "هونغ".into(),
                latin: None,
                honorific: None,
                titles: Vec::new(),
            }),
        ));
        out.push(entity(
            "السيد هوانج ترونج دونج",
            EntityValue::Person(Person {
                name: "هوانج ترونج دونج".into(),
                latin: Some("Hoang Trung Dung".into()),
                honorific: Some("السيد".into()),
                titles: vec![
                    title(
                        "السكرتير الإقليمي للحزب",
                        "party_secretary",
                        Some("الحزب \"الإقليمي\""),
                    ),
                    title("رئيس", "chairman", None),
                ],
            }),
        ));
        // Place.
        out.push(entity(
            "ها تينه",
            EntityValue::Place(Place {
                name: "ها تينه".into(),
                latin: None,
                place_type: None,
            }),
        ));
        out.push(entity(
            "مقاطعة ها تينه",
            EntityValue::Place(Place {
                name: "ها تينه".into(),
                latin: Some("Ha Tinh".into()),
                place_type: Some("province".into()),
            }),
        ));
        out
    }

    #[test]
    fn every_entity_kind_and_optional_field_as_serde_writes_it() {
        for e in every_entity() {
            assert_same(&Record::Document(Box::new(document(vec![e]))));
        }
        let mut doc = document(every_entity());
        doc.persons = vec![
            PersonSummary {
                name: "هوانج ترونج دونج".into(),
                latin: Some("Hoang Trung Dung".into()),
                titles: vec![title("رئيس", "chairman", Some("اللجنة"))],
                mentions: vec![0, 3, 17],
            },
            PersonSummary {
                name: "هونغ".into(),
                latin: None,
                titles: Vec::new(),
                mentions: vec![1],
            },
        ];
        doc.byline = Some("ثو ها".into());
        doc.warnings = vec!["invalid UTF-8 at byte 1234 replaced".into(), "\u{1}".into()];
        assert_same(&Record::Document(Box::new(doc)));
    }

    #[test]
    fn strings_escape_as_serde_escapes_them() {
        for s in HARD {
            let mut doc = document(vec![entity(
                s,
                EntityValue::Place(Place {
                    name: s.into(),
                    latin: Some(s.into()),
                    place_type: Some(s.into()),
                }),
            )]);
            doc.id = s.into();
            doc.byline = Some(s.into());
            doc.warnings = vec![s.into(); 2];
            assert_same(&Record::Document(Box::new(doc)));
        }
        // Every byte below 0x80 at every position of strings of up to 66
        // characters (the short ones laid out by words, and the first longer
        // ones), among clean bytes of both halves of the byte range.
        for byte in 0u8..0x80 {
            for len in 1..=66 {
                for at in 0..len {
                    for filler in ["a", "é"] {
                        let mut s = filler.repeat(len);
                        let at = at * filler.len();
                        s.replace_range(at..at + filler.len(), &char::from(byte).to_string());
                        let mut mine = Vec::new();
                        write_str(&mut mine, "", &s);
                        assert_eq!(mine, serde_json::to_vec(&s).unwrap(), "{s:?}");
                        assert_eq!(keyed(&s), keyed_by_serde(&s), "{s:?}");
                        assert_eq!(needs_escape(s.as_bytes()), needs_one(&s), "{s:?}");
                    }
                }
            }
        }
    }

    /// `s` written as a field after its key, as the record's strings are.
    fn keyed(s: &str) -> String {
        let mut out = Vec::new();
        write_str(&mut out, key!("honorific"), s);
        String::from_utf8(out).unwrap()
    }

    /// The same field by serde_json.
    fn keyed_by_serde(s: &str) -> String {
        format!(",\"honorific\":{}", serde_json::to_string(s).unwrap())
    }

    /// Whether some byte of `s` needs escaping, byte by byte.
    fn needs_one(s: &str) -> bool {
        s.bytes().any(|b| ESCAPE[usize::from(b)] != 0)
    }

    #[test]
    fn each_kind_opens_at_its_place() {
        // Every kind is also written whole, against serde_json, in
        // `every_entity_kind_and_optional_field_as_serde_writes_it`.
        for kind in EntityKind::ALL {
            let opening = format!(",{{\"kind\":\"{}\",\"text\":", kind.as_str());
            assert_eq!(
                OPENINGS[kind as usize].as_slice(),
                opening.as_bytes(),
                "{kind:?}"
            );
        }
    }

    #[test]
    fn clean_strings_are_told_from_the_others() {
        // Every length up to 19, clean, and with one byte to escape at each
        // place: the quick test never calls a clean string dirty.
        for len in 0..=19 {
            for filler in ["a", "é", " ", "\u{7f}", "ب"] {
                let clean = filler.repeat(len);
                assert!(!needs_escape(clean.as_bytes()), "{clean:?}");
                for at in 0..len {
                    for bad in ["\"", "\\", "\n", "\u{0}", "\u{1f}"] {
                        let mut s = filler.repeat(len);
                        let at = at * filler.len();
                        s.replace_range(at..at + filler.len(), bad);
                        assert!(needs_escape(s.as_bytes()), "{s:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn eight_digits_are_the_zero_padded_decimal() {
        let mut state: u32 = 0x9e37_79b9;
        let mut values: Vec<u32> = (0..100_000).collect();
        values.extend((0..8).flat_map(|k| {
            let p = 10u32.pow(k);
            [p - 1, p, p + 1, 99_999_999 / p]
        }));
        values.extend((0..200_000).map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state % 100_000_000
        }));
        for n in values {
            let digits = (eight_digits(n) | ASCII_ZEROS).to_le_bytes();
            assert_eq!(digits, format!("{n:08}").as_bytes(), "{n}");
            let mut short = Vec::new();
            write_short(&mut short, n);
            assert_eq!(short, n.to_string().as_bytes(), "{n}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_string_escapes_as_serde_escapes_it(s in "(?s).{0,80}|[\\x00-\\x7f\\u{2028}\\u{627}-\\u{64a}]{0,80}") {
            let mut mine = Vec::new();
            write_str(&mut mine, "", &s);
            proptest::prop_assert_eq!(
                String::from_utf8(mine).unwrap(),
                serde_json::to_string(&s).unwrap()
            );
            proptest::prop_assert_eq!(needs_escape(s.as_bytes()), needs_one(&s));
            proptest::prop_assert_eq!(keyed(&s), keyed_by_serde(&s));
        }
    }

    #[test]
    fn tokens_and_failures_as_serde_writes_them() {
        let mut doc = document(Vec::new());
        doc.tokens = Some(vec![
            TokenRecord {
                text: "والمنظمات".into(),
                start: 0,
                end: 18,
                char_start: 0,
                char_end: 9,
                kind: TokenKind::Word,
                norm: "والمنظمات".into(),
                prefixes: vec!["و".into(), "ال".into()],
                stem: Some("منظمات".into()),
            },
            TokenRecord {
                text: "8.05".into(),
                start: 19,
                end: 23,
                char_start: 10,
                char_end: 14,
                kind: TokenKind::Number,
                norm: "8.05".into(),
                prefixes: Vec::new(),
                stem: None,
            },
            TokenRecord {
                text: "\"".into(),
                start: 23,
                end: 24,
                char_start: 14,
                char_end: 15,
                kind: TokenKind::Punct,
                norm: "\"".into(),
                prefixes: Vec::new(),
                stem: None,
            },
            TokenRecord {
                text: "٪".into(),
                start: 24,
                end: 26,
                char_start: 15,
                char_end: 16,
                kind: TokenKind::Symbol,
                norm: "%".into(),
                prefixes: Vec::new(),
                stem: None,
            },
        ]);
        assert_same(&Record::Document(Box::new(doc)));
        // An empty token list is written, not omitted.
        let mut doc = document(Vec::new());
        doc.tokens = Some(Vec::new());
        assert_same(&Record::Document(Box::new(doc)));
        for s in HARD {
            assert_same(&Record::Failure(Failure {
                id: s.into(),
                source: format!("archive.zip!{s}"),
                error: FailureInfo {
                    kind: "io".into(),
                    message: format!("{s}: cannot read: \"No such file\"\n"),
                },
            }));
        }
    }

    #[test]
    fn decimals_as_serde_writes_them() {
        let cases = [
            "0",
            "8.05",
            "-8.05",
            "0.5",
            "-0.5",
            "0.000001",
            "0.00001",
            "0.0001",
            "0.0000001",
            "0.00000012",
            "0.12345678901234",
            "0.123456789012345",
            "0.1234567890123456",
            "1234567890.123456789",
            "123456789012345.6",
            "12345678901234.5",
            "99999999999999.9",
            "0.9999999999999999999999999999",
            "17500000000000",
            "-17500000000000",
            "18446744073709551615",
            "18446744073709551616",
            "10000000000000000000",
            "100000000000000000000000",
            "-100000000000000000000000",
            "170141183460469231731687303715884105727",
            "-170141183460469231731687303715884105727",
            "0.1",
            "0.2",
            "0.3",
            "1.1",
            "2.675",
            "9007199254740993.5",
            "4.35",
            "1.7976931348623157",
        ];
        for s in cases {
            let mut mine = Vec::new();
            d(s).write_json(&mut mine);
            assert_eq!(
                String::from_utf8(mine).unwrap(),
                serde_json::to_string(&d(s)).unwrap(),
                "{s}"
            );
        }
        for m in [i128::MIN, i128::MIN + 1, i128::MAX, -1, 1] {
            for scale in 0..=28 {
                let x = Decimal::new(m, scale).unwrap();
                let mut mine = Vec::new();
                x.write_json(&mut mine);
                assert_eq!(mine, serde_json::to_vec(&x).unwrap(), "{m} {scale}");
            }
        }
    }

    #[test]
    fn decimals_of_every_size_and_scale_as_serde_writes_them() {
        // A deterministic spread of mantissas: every digit count up to 38, with
        // several leading patterns, at every scale.
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for digits in 1..=38u32 {
            for _ in 0..40 {
                let wide = (u128::from(next()) << 64) | u128::from(next());
                let low = 10u128.pow(digits - 1);
                let m = (low + wide % (9 * low)) as i128;
                let m = if next() % 2 == 0 { m } else { -m };
                for scale in 0..=28 {
                    let x = Decimal::new(m, scale).unwrap();
                    let mut mine = Vec::new();
                    x.write_json(&mut mine);
                    assert_eq!(
                        String::from_utf8(mine).unwrap(),
                        serde_json::to_string(&x).unwrap(),
                        "{m} {scale}"
                    );
                }
            }
        }
    }

    #[test]
    fn objects_open_on_their_first_key() {
        let mut out = b"[".to_vec();
        Object::open(&mut out).close();
        out.push(b',');
        let mut o = Object::open(&mut out);
        o.field(key!("a"), &1usize);
        o.optional(key!("b"), &None::<String>);
        o.nonempty(key!("c"), &Vec::<String>::new());
        o.optional(key!("d"), &Some(true));
        o.close();
        out.push(b']');
        assert_eq!(String::from_utf8(out).unwrap(), r#"[{},{"a":1,"d":true}]"#);
    }

    #[test]
    fn lists_open_on_their_first_item() {
        // No item, one and several, of the items that lay out their comma
        // with their first bytes and of the others.
        fn same<T: Json + serde::Serialize>(items: &[T]) {
            let mut mine = b"x".to_vec();
            items.write_json(&mut mine);
            let serde = serde_json::to_vec(items).unwrap();
            assert_eq!(
                String::from_utf8(mine).unwrap(),
                format!("x{}", String::from_utf8(serde).unwrap())
            );
        }
        for n in 0..4 {
            let spans: Vec<SentenceSpan> = (0..n)
                .map(|i| SentenceSpan {
                    start: i,
                    end: 10 * i + 1,
                })
                .collect();
            same(&spans);
            same(&every_entity().into_iter().take(n).collect::<Vec<_>>());
            same(&(0..n).collect::<Vec<usize>>());
            same(&(0..n).map(|i| "ب".repeat(i)).collect::<Vec<_>>());
        }
        let mut doc = document(every_entity());
        doc.sentences = Vec::new();
        assert_same(&Record::Document(Box::new(doc)));
    }

    #[test]
    fn integers_as_itoa_writes_them() {
        for v in integer_edges() {
            let mut mine = Vec::new();
            v.write_json(&mut mine);
            assert_eq!(mine, v.to_string().as_bytes());
            let mut mine = Vec::new();
            (v as usize).write_json(&mut mine);
            assert_eq!(mine, serde_json::to_vec(&(v as usize)).unwrap());
        }
        for v in [0, 1, -1, 9, -10, i32::MIN, i32::MAX] {
            let mut mine = Vec::new();
            v.write_json(&mut mine);
            assert_eq!(mine, serde_json::to_vec(&v).unwrap());
        }
    }

    /// Every power of ten and its neighbours, and the extremes.
    fn integer_edges() -> Vec<u64> {
        let mut n: u64 = 1;
        let mut values = vec![0, u64::MAX, u64::MAX - 1];
        while let Some(next) = n.checked_mul(10) {
            values.extend([n - 1, n, n + 1]);
            n = next;
        }
        values.extend([n - 1, n, n + 1]);
        values
    }

    #[test]
    fn entity_spans_of_every_width_as_serde_writes_them() {
        // The powers of ten and their neighbours, and the edge of the spans
        // laid out on the stack (below 2^26).
        let mut edges = integer_edges();
        edges.extend([(1 << 26) - 1, 1 << 26]);
        for (i, &v) in edges.iter().enumerate() {
            // Each field takes a different width, the widest included.
            let pick = |k: usize| edges[(i + 7 * k) % edges.len()] as usize;
            let mut e = entity("قال \"x\"", EntityValue::Number(Number::default()));
            e.start = v as usize;
            e.end = pick(1);
            e.char_start = pick(2);
            e.char_end = pick(3);
            e.sentence = pick(4);
            assert_same(&Record::Document(Box::new(document(vec![e]))));
        }
        let mut e = entity("", EntityValue::Number(Number::default()));
        (e.start, e.end, e.char_start, e.char_end, e.sentence) =
            (usize::MAX, usize::MAX, usize::MAX, usize::MAX, usize::MAX);
        let mut mine = Vec::new();
        e.write_json(&mut mine);
        assert_eq!(mine, serde_json::to_vec(&e).unwrap());
    }
}

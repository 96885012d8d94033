//! The text layer: a normalised view of a document for matching, with a map back
//! to the original byte offsets.
//!
//! Arabic news text reaches us with the same word written many ways: `أكثر` and
//! `اكثر`, `مسكنًا` and `مسكنا`, `٢٠٢٣` and `2023`, a presentation-form ligature `ﻻ`
//! where a keyboard would give `لا`, and invisible bidi marks around numbers. The
//! normal form folds all of these so that lexicons and extractors see one spelling,
//! while every span we report still points into the original, unchanged text.
//!
//! What is folded (see [`fold_char`]):
//!
//! * alef and hamza forms `أ إ آ ٱ` → `ا`; alef maqsura `ى` → `ي`; Persian `ی ک` → `ي ك`;
//! * tatweel `ـ` and the diacritics (U+064B–U+065F, U+0670, Quranic marks) are
//!   removed and their bytes belong to the letter before them, so `لـ` maps to a
//!   one-letter normal form whose original span still covers the tatweel;
//! * Arabic-Indic `٠–٩` and Extended Arabic-Indic `۰–۹` digits → ASCII `0–9`;
//! * bidi controls and zero-width joiners are removed (they belong to no token);
//!   a zero-width space and no-break spaces become a plain space;
//! * Arabic presentation forms (U+FB50–U+FDFF, U+FE70–U+FEFF) become their base
//!   letters (`ﻻ` → `لا`), by Unicode compatibility normalisation (NFKC).
//!
//! Taa marbuta `ة` stays distinct from `ه`, and `٫ ٬ ٪ ، ؛ ؟` stay as they are: the
//! Arabic decimal and thousands separators are unambiguous, which the plain `.` and
//! `,` are not, and the figures extractor needs to know which it saw.

use std::ops::Range;

/// What the normal form does with one character of the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fold {
    /// The character is its own normal form.
    Keep,
    /// The character is replaced by another one (`أ` → `ا`, `٣` → `3`).
    To(char),
    /// A combining mark or tatweel: removed, its bytes join the letter before it.
    Mark,
    /// An invisible control (bidi mark, zero-width joiner): removed, and it belongs
    /// to no token.
    Ignore,
    /// A presentation form that decomposes into base letters (`ﻻ` → `لا`).
    Expand,
}

/// Decides how the normal form treats `c`.
///
/// ```
/// use akhbar::text::{fold_char, Fold};
/// assert_eq!(fold_char('أ'), Fold::To('ا'));
/// assert_eq!(fold_char('٧'), Fold::To('7'));
/// assert_eq!(fold_char('\u{064B}'), Fold::Mark); // tanween fath
/// assert_eq!(fold_char('\u{200F}'), Fold::Ignore); // right-to-left mark
/// assert_eq!(fold_char('ة'), Fold::Keep); // taa marbuta stays distinct
/// ```
#[inline]
pub fn fold_char(c: char) -> Fold {
    fold_code_point(c as u32)
}

/// [`fold_char`] by code point, with a table for U+0000–U+06FF.
#[inline]
fn fold_code_point(u: u32) -> Fold {
    if u < 0x700 {
        FOLD_LOW[u as usize]
    } else {
        fold_of(u)
    }
}

static FOLD_LOW: [Fold; 0x700] = {
    let mut table = [Fold::Keep; 0x700];
    let mut u = 0;
    while u < 0x700 {
        table[u] = fold_of(u as u32);
        u += 1;
    }
    table
};

/// Which two-byte characters (U+0080–U+07FF) are their own normal form: bit
/// `c & 0x3F` of entry `lead & 0x1F`, for the UTF-8 bytes `lead c`. The copying
/// loop of [`NormalizedText::new`] reads it instead of decoding.
static KEEP_TWO_BYTES: [u64; 32] = {
    let mut table = [0u64; 32];
    let mut u = 0x80u32;
    while u < 0x800 {
        if matches!(fold_of(u), Fold::Keep) {
            table[(u >> 6) as usize] |= 1 << (u & 0x3F);
        }
        u += 1;
    }
    table
};

/// After `i` (a character boundary), the end of the run of characters that
/// are their own normal form.
#[inline(always)]
fn kept_run_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        // Sixteen bytes at a time while they are ASCII or the commonest
        // Arabic letters (the last sixteen bytes of the text go by the
        // tables); then one character by the tables.
        if let Some(chunk) = bytes.get(i..i + 17) {
            let other = not_plain(
                chunk[..16].try_into().expect("sixteen bytes"),
                chunk[1..].try_into().expect("sixteen bytes"),
            );
            if other == 0 {
                // Past a letter that straddles the sixteenth byte.
                i += 16 + usize::from(chunk[15] >= 0xC0);
                continue;
            }
            i += (other.trailing_zeros() / 8) as usize;
        }
        let b0 = bytes[i];
        if b0 < 0x80 {
            i += 1;
            continue;
        }
        if b0 < 0xE0 {
            // Two bytes (Arabic, Latin): one bit of `KEEP_TWO_BYTES`.
            if KEEP_TWO_BYTES[usize::from(b0 & 0x1F)] >> (bytes[i + 1] & 0x3F) & 1 == 0 {
                break;
            }
            i += 2;
            continue;
        }
        let (u, len) = decode_at(bytes, i);
        if fold_code_point(u) != Fold::Keep {
            break;
        }
        i += len;
    }
    i
}

/// Copies to `out` the run of characters from `i` (a character boundary) that
/// stay in place in the normal form, and returns its end: those that are their
/// own normal form, and the two-byte ones that fold to a two-byte character
/// (`أ إ آ` → `ا`, `ى` → `ي`). A fold of the same length leaves the alignment
/// as it is, so it needs no anchor, and the run goes on past it.
#[inline(always)]
fn copy_run(out: &mut String, original: &str, mut i: usize) -> usize {
    let bytes = original.as_bytes();
    let mut piece = i;
    loop {
        i = kept_run_end(bytes, i);
        let Some(to) = same_length_fold(bytes, i) else {
            break;
        };
        out.push_str(&original[piece..i]);
        out.push(to);
        i += 2;
        piece = i;
    }
    out.push_str(&original[piece..i]);
    i
}

/// What the two-byte character at `i` folds to, if it folds to another
/// two-byte character.
#[inline(always)]
fn same_length_fold(bytes: &[u8], i: usize) -> Option<char> {
    if !(0xC0..0xE0).contains(bytes.get(i)?) {
        return None;
    }
    match fold_code_point(decode_at(bytes, i).0) {
        Fold::To(to) if to.len_utf8() == 2 => Some(to),
        _ => None,
    }
}

/// For sixteen bytes of UTF-8 `here` and the sixteen that start one byte
/// later, `next`, read as a little-endian integer: a byte of ones for each
/// byte of `here` that leads a character that is not certainly its own normal
/// form, and zeros elsewhere. What is certain: ASCII and the letters
/// U+0626–U+063F (`ئ ا ب ة … غ`, lead `D8`), U+0641–U+0648 and U+064A
/// (`ف … و ي`, lead `D9`), the Arabic comma `،` (U+060C, the commonest
/// character after them: about one in a hundred), the continuation bytes of
/// these, and they cover nearly all of the genre's text; the rest (`أ ى`,
/// digits, marks) is the table's to judge. Written byte by byte, with no branches, so that
/// the compiler makes a few vector instructions of it (some twenty for the
/// sixteen bytes, where two eight-byte words took some eighty).
#[inline(always)]
fn not_plain(here: &[u8; 16], next: &[u8; 16]) -> u128 {
    let mut other = [0u8; 16];
    for (j, lane) in other.iter_mut().enumerate() {
        let (lead, next) = (here[j], next[j]);
        // A letter's second byte: `D8 A6`–`D8 BF`, `D9 81`–`D9 88`, `D9 8A`,
        // and the comma's, `D8 8C`.
        let plain = (lead < 0xC0)
            | ((lead == 0xD8) & ((next >= 0xA6) | (next == 0x8C)))
            | ((lead == 0xD9) & ((next.wrapping_sub(0x81) < 8) | (next == 0x8A)));
        *lane = u8::from(!plain).wrapping_neg();
    }
    u128::from_le_bytes(other)
}

const fn fold_of(u: u32) -> Fold {
    if u < 0x80 {
        return Fold::Keep;
    }
    match u {
        0x0622 | 0x0623 | 0x0625 | 0x0671 | 0x0672 | 0x0673 => Fold::To('ا'),
        0x0649 | 0x06CC => Fold::To('ي'),
        0x06A9 => Fold::To('ك'),
        0x0660..=0x0669 => Fold::To((b'0' + (u - 0x0660) as u8) as char),
        0x06F0..=0x06F9 => Fold::To((b'0' + (u - 0x06F0) as u8) as char),
        0x0640
        | 0x064B..=0x065F
        | 0x0670
        | 0x0610..=0x061A
        | 0x06D6..=0x06DC
        | 0x06DF..=0x06E4
        | 0x06E7
        | 0x06E8
        | 0x06EA..=0x06ED => Fold::Mark,
        0x200C
        | 0x200D
        | 0x200E
        | 0x200F
        | 0x061C
        | 0x202A..=0x202E
        | 0x2060
        | 0x2066..=0x2069
        | 0xFEFF
        | 0x00AD => Fold::Ignore,
        0x00A0 | 0x2007 | 0x200B | 0x202F => Fold::To(' '),
        0xFB50..=0xFDFF | 0xFE70..=0xFEFE => Fold::Expand,
        _ => Fold::Keep,
    }
}

/// Decodes the character at byte `i` of valid UTF-8: its code point and length.
#[inline(always)]
pub(crate) fn decode_at(b: &[u8], i: usize) -> (u32, usize) {
    let b0 = b[i] as u32;
    if b0 < 0x80 {
        (b0, 1)
    } else if b0 < 0xE0 {
        (((b0 & 0x1F) << 6) | (b[i + 1] as u32 & 0x3F), 2)
    } else if b0 < 0xF0 {
        (
            ((b0 & 0x0F) << 12) | ((b[i + 1] as u32 & 0x3F) << 6) | (b[i + 2] as u32 & 0x3F),
            3,
        )
    } else {
        (
            ((b0 & 0x07) << 18)
                | ((b[i + 1] as u32 & 0x3F) << 12)
                | ((b[i + 2] as u32 & 0x3F) << 6)
                | (b[i + 3] as u32 & 0x3F),
            4,
        )
    }
}

/// Writes the folded base letters of a presentation form into `out`, or returns
/// `false` (writing nothing) when the form should be kept as it is: one with no
/// decomposition, or a multi-word ligature such as `ﷺ`, which would otherwise
/// become one long word.
fn expand_presentation_form(c: char, out: &mut String) -> bool {
    use unicode_normalization::UnicodeNormalization;
    let mut buf = [char::default(); 24];
    let mut len = 0usize;
    let mut overflow = false;
    // NFKC, not NFKD: `ﺆ` must become `ؤ`, not `و` with a combining hamza.
    for d in std::iter::once(c).nfkc() {
        if len < buf.len() {
            buf[len] = d;
            len += 1;
        } else {
            overflow = true;
        }
    }
    let parts = &buf[..len];
    let letters = parts
        .iter()
        .filter(|&&d| d != ' ' && !matches!(fold_char(d), Fold::Mark | Fold::Ignore))
        .count();
    if overflow || letters == 0 || (letters > 1 && parts.contains(&' ')) || parts == [c] {
        return false;
    }
    for &d in parts {
        match fold_char(d) {
            Fold::Keep if d != ' ' => out.push(d),
            Fold::To(t) => out.push(t),
            _ => {}
        }
    }
    true
}

/// Where the alignment between the normal form and the original changes: one
/// normal-form unit `norm..norm_end` that came from `orig..orig_end`. Between
/// anchors the two texts advance byte for byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Anchor {
    norm: u32,
    norm_end: u32,
    orig: u32,
    orig_end: u32,
}

/// A document's normal form, with the map back to the original offsets.
///
/// ```
/// use akhbar::text::NormalizedText;
/// let original = "بلغ النمو ٨٫٠٥٪ في عامِ ٢٠٢٣";
/// let norm = NormalizedText::new(original);
/// assert_eq!(norm.as_str(), "بلغ النمو 8٫05٪ في عام 2023");
/// // The normal-form span of `2023` maps back to `٢٠٢٣` in the original.
/// let at = norm.as_str().find("2023").unwrap();
/// let span = norm.to_original(at..at + 4);
/// assert_eq!(&original[span], "٢٠٢٣");
/// ```
#[derive(Debug, Clone, Default)]
pub struct NormalizedText {
    text: String,
    anchors: Vec<Anchor>,
}

impl NormalizedText {
    /// Normalises `original` in one pass.
    ///
    /// Offsets are `u32`: a single document is limited to 4 GiB, far beyond any
    /// article; the batch layer rejects larger documents with an error.
    pub fn new(original: &str) -> Self {
        let mut b = Builder::with_capacity(original.len());
        let bytes = original.as_bytes();
        let mut i = 0usize;
        while i < bytes.len() {
            // Fast path: a run of characters that stay in place (ASCII, most
            // Arabic letters, `أ` and `ى`) is copied in a few pieces.
            let run_start = i;
            let norm = b.out.len();
            i = copy_run(&mut b.out, original, i);
            if i > run_start {
                b.wrote_run(run_start, norm, &original[run_start..i]);
            }
            if i >= bytes.len() {
                break;
            }
            let (u, len) = decode_at(bytes, i);
            b.fold(i, u, len);
            i += len;
        }
        b.into_normalized()
    }

    /// The normal form.
    #[inline]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The normal form's length in bytes.
    #[inline]
    pub fn len(&self) -> usize {
        self.text.len()
    }

    /// Whether the normal form is empty (the original may still hold invisible
    /// controls).
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The original byte offset where the normal-form character at `n` starts.
    ///
    /// For an offset inside an expansion (`ﻻ` → `لا`) this is the start of the
    /// original character, so a span never splits a character.
    pub fn to_original_start(&self, n: usize) -> usize {
        let n = n as u32;
        let i = self.anchors.partition_point(|a| a.norm <= n);
        resolve_start(i.checked_sub(1).map(|i| self.anchors[i]), n)
    }

    /// The original byte offset where the normal-form text ending at `n` ends,
    /// including the diacritics and tatweel that follow its last letter.
    pub fn to_original_end(&self, n: usize) -> usize {
        let n = n as u32;
        let i = self.anchors.partition_point(|a| a.norm < n);
        resolve_end(i.checked_sub(1).map(|i| self.anchors[i]), n)
    }

    /// Maps a normal-form span to the original span it came from.
    #[inline]
    pub fn to_original(&self, span: Range<usize>) -> Range<usize> {
        if span.is_empty() {
            let at = self.to_original_start(span.start);
            return at..at;
        }
        self.to_original_start(span.start)..self.to_original_end(span.end)
    }

    /// A cursor for mapping offsets that mostly grow (a token stream): each lookup
    /// walks forward from the last instead of searching the whole map.
    pub fn cursor(&self) -> OffsetCursor<'_> {
        let mut cursor = OffsetCursor {
            anchors: &self.anchors,
            next: 0,
            lo: 0,
            hi: 0,
            delta: 0,
        };
        cursor.refresh();
        cursor
    }
}

/// The original start of normal-form offset `n`, given the last anchor at or
/// before it.
#[inline]
fn resolve_start(anchor: Option<Anchor>, n: u32) -> usize {
    match anchor {
        None => n as usize,
        Some(a) if n < a.norm_end => a.orig as usize,
        Some(a) => (a.orig_end + (n - a.norm_end)) as usize,
    }
}

/// The original end of normal-form offset `n`, given the last anchor that starts
/// before it.
#[inline]
fn resolve_end(anchor: Option<Anchor>, n: u32) -> usize {
    match anchor {
        None => n as usize,
        Some(a) if n <= a.norm_end => a.orig_end as usize,
        Some(a) => (a.orig_end + (n - a.norm_end)) as usize,
    }
}

/// Maps normal-form offsets to original ones, fastest when the offsets asked for
/// grow (see [`NormalizedText::cursor`]); any order gives the right answer.
#[derive(Debug, Clone)]
pub struct OffsetCursor<'a> {
    anchors: &'a [Anchor],
    /// How many anchors start at or before the last offset asked for.
    next: usize,
    /// The stretch `lo..hi` of the normal form between the anchors around
    /// `next` (the end of the one before, the start of the one after), where
    /// the original is the normal form shifted by `delta` (modulo 2^32): any
    /// span inside it maps without looking at the anchors.
    lo: u32,
    hi: u32,
    delta: u32,
}

impl OffsetCursor<'_> {
    /// How many anchors start at or before `q`.
    #[inline]
    fn seek(&mut self, q: u32) -> usize {
        if self.next > 0 && self.anchors[self.next - 1].norm > q {
            self.next = self.anchors.partition_point(|a| a.norm <= q);
        }
        while self.next < self.anchors.len() && self.anchors[self.next].norm <= q {
            self.next += 1;
        }
        self.refresh();
        self.next
    }

    /// Sets `lo`, `hi` and `delta` for the anchors around `next`.
    #[inline]
    fn refresh(&mut self) {
        (self.lo, self.delta) = match self.next.checked_sub(1).map(|i| self.anchors[i]) {
            Some(a) => (a.norm_end, a.orig_end.wrapping_sub(a.norm_end)),
            None => (0, 0),
        };
        self.hi = self.anchors.get(self.next).map_or(u32::MAX, |a| a.norm);
    }

    /// Same as [`NormalizedText::to_original_start`].
    #[inline]
    pub fn start(&mut self, n: usize) -> usize {
        let n = n as u32;
        let i = self.seek(n);
        resolve_start(i.checked_sub(1).map(|i| self.anchors[i]), n)
    }

    /// Both ends of a non-empty span `a..b`: the same as [`OffsetCursor::start`]
    /// of `a` and [`OffsetCursor::end`] of `b`, with one walk over the anchors.
    #[inline]
    pub fn span(&mut self, a: usize, b: usize) -> (usize, usize) {
        debug_assert!(a < b, "spans of tokens are not empty");
        let (a, b) = (a as u32, b as u32);
        if self.lo <= a && b <= self.hi {
            // No anchor starts inside `a..b`, and the one before ends at or
            // before `a`: both ends are shifted by the same amount.
            return (
                a.wrapping_add(self.delta) as usize,
                b.wrapping_add(self.delta) as usize,
            );
        }
        let mut i = self.seek(a);
        let start = resolve_start(i.checked_sub(1).map(|i| self.anchors[i]), a);
        // The anchors that start before `b`: those at or before `a`, and any
        // inside the span.
        while let Some(next) = self.anchors.get(i) {
            if next.norm >= b {
                break;
            }
            i += 1;
        }
        self.next = i;
        self.refresh();
        let end = resolve_end(i.checked_sub(1).map(|i| self.anchors[i]), b);
        (start, end)
    }

    /// Same as [`NormalizedText::to_original_end`].
    #[inline]
    pub fn end(&mut self, n: usize) -> usize {
        let n = n as u32;
        if n == 0 {
            return 0;
        }
        let i = self.seek(n - 1);
        resolve_end(i.checked_sub(1).map(|i| self.anchors[i]), n)
    }
}

struct Builder {
    out: String,
    anchors: Vec<Anchor>,
    /// `orig - norm` for the identity run being written.
    delta: i64,
    /// The last unit written, `(norm start, orig start)`: where a following
    /// diacritic is attached.
    last_unit: Option<(u32, u32)>,
}

impl Builder {
    fn with_capacity(capacity: usize) -> Self {
        Builder {
            out: String::with_capacity(capacity),
            anchors: Vec::new(),
            delta: 0,
            last_unit: None,
        }
    }

    fn into_normalized(self) -> NormalizedText {
        NormalizedText {
            text: self.out,
            anchors: self.anchors,
        }
    }

    /// Writes the normal form of the character `u` of `len` bytes at `orig`.
    fn fold(&mut self, orig: usize, u: u32, len: usize) {
        let c = char::from_u32(u).expect("decoded from a str");
        match fold_code_point(u) {
            Fold::Keep => self.keep_run(orig, c.encode_utf8(&mut [0u8; 4])),
            Fold::To(t) => self.replace(orig, len, t),
            Fold::Mark => self.mark(orig, len),
            Fold::Ignore => self.last_unit = None,
            Fold::Expand => self.expand(orig, len, c),
        }
    }

    /// Copies original text that is its own normal form.
    fn keep_run(&mut self, orig: usize, s: &str) {
        let norm = self.out.len();
        self.out.push_str(s);
        self.wrote_run(orig, norm, s);
    }

    /// Records that the original text `s` at `orig` was just written at `norm`,
    /// with the same length and every character where it was (folded or not).
    fn wrote_run(&mut self, orig: usize, norm: usize, s: &str) {
        if orig as i64 - norm as i64 != self.delta {
            // The alignment changed (something was removed before this run): the
            // first character gets an anchor, the rest follow it byte for byte.
            let first_len = s.chars().next().map_or(0, char::len_utf8);
            self.push_anchor(norm, norm + first_len, orig, orig + first_len);
        }
        // The last character: the bytes from the last one that is not a
        // continuation byte.
        let last_len = s.len() - s.bytes().rposition(|b| b as i8 >= -0x40).unwrap_or(0);
        self.last_unit = Some((
            (self.out.len() - last_len) as u32,
            (orig + s.len() - last_len) as u32,
        ));
    }

    fn replace(&mut self, orig: usize, orig_len: usize, to: char) {
        let norm = self.out.len();
        self.out.push(to);
        if to.len_utf8() != orig_len || orig as i64 - norm as i64 != self.delta {
            self.push_anchor(norm, self.out.len(), orig, orig + orig_len);
        }
        self.last_unit = Some((norm as u32, orig as u32));
    }

    fn mark(&mut self, orig: usize, len: usize) {
        let Some((unit_norm, unit_orig)) = self.last_unit else {
            return;
        };
        let orig_end = (orig + len) as u32;
        let norm_end = self.out.len() as u32;
        match self.anchors.last_mut() {
            Some(a) if a.norm == unit_norm => a.orig_end = orig_end,
            _ => self.anchors.push(Anchor {
                norm: unit_norm,
                norm_end,
                orig: unit_orig,
                orig_end,
            }),
        }
        self.delta = orig_end as i64 - norm_end as i64;
    }

    fn expand(&mut self, orig: usize, len: usize, c: char) {
        let norm = self.out.len();
        if expand_presentation_form(c, &mut self.out) {
            self.push_anchor(norm, self.out.len(), orig, orig + len);
            self.last_unit = Some((norm as u32, orig as u32));
        } else {
            self.keep_run(orig, c.encode_utf8(&mut [0u8; 4]));
        }
    }

    fn push_anchor(&mut self, norm: usize, norm_end: usize, orig: usize, orig_end: usize) {
        self.anchors.push(Anchor {
            norm: norm as u32,
            norm_end: norm_end as u32,
            orig: orig as u32,
            orig_end: orig_end as u32,
        });
        self.delta = orig_end as i64 - norm_end as i64;
    }
}

/// The number of characters in `bytes` (valid UTF-8): the bytes that are not
/// continuation bytes (`10xxxxxx`), counted 64 bytes at a time.
#[inline]
fn count_chars(bytes: &[u8]) -> usize {
    let mut groups = bytes.chunks_exact(64);
    let mut continuation = 0usize;
    for group in &mut groups {
        continuation += continuation_bytes(group);
    }
    bytes.len() - continuation - continuation_bytes(groups.remainder())
}

/// The continuation bytes among at most 64 `bytes`: those below `-0x40` read
/// as signed. Counted in bytes, with no branches, so that the compiler counts
/// sixteen bytes to a vector instruction.
#[inline(always)]
fn continuation_bytes(bytes: &[u8]) -> usize {
    debug_assert!(bytes.len() <= 64, "counted in a byte");
    let mut count = 0u8;
    for &b in bytes {
        count += u8::from((b as i8) < -0x40);
    }
    usize::from(count)
}

/// The characters of the `len` bytes of `bytes` from `from` (a span of at
/// most [`CharIndex::BLOCK`] bytes between character boundaries). The
/// block's bytes from `from` are counted whole, with the bytes past the span
/// masked off by a block of [`LEADING_ONES`]: sixteen bytes to a few vector
/// instructions and no loop, where
/// [`count_chars`] of a few dozen bytes spends more on its setup and leftover
/// bytes than on counting. Near the end of the text, where there is no whole
/// block to read, [`count_chars`] counts the span itself.
#[inline]
fn count_chars_from(bytes: &[u8], from: usize, len: usize) -> usize {
    let [count] = count_chars_from_each(bytes, from, [len]);
    count
}

/// [`count_chars_from`] of each of `lens` bytes from `from`, the block read
/// and its continuation bytes found once for all the counts.
#[inline]
fn count_chars_from_each<const N: usize>(
    bytes: &[u8],
    from: usize,
    lens: [usize; N],
) -> [usize; N] {
    debug_assert!(
        lens.iter().all(|&len| len <= CharIndex::BLOCK),
        "{lens:?} bytes"
    );
    let Some(block) = bytes
        .get(from..)
        .and_then(<[u8]>::first_chunk::<{ CharIndex::BLOCK }>)
    else {
        return lens.map(|len| count_chars(&bytes[from..from + len]));
    };
    let in_span: [&[u8; CharIndex::BLOCK]; N] = lens.map(|len| {
        LEADING_ONES[CharIndex::BLOCK - len..]
            .first_chunk()
            .expect("a block of the table")
    });
    // Each count a loop of its own over the block, which the compiler
    // vectorizes whole (a loop over the counts inside one over the bytes it
    // does not); the block's bytes and their tests are the same in each.
    std::array::from_fn(|k| {
        // A block is 64 bytes: its count fits in a byte.
        let mut continuation = 0u8;
        for (&b, &in_span) in block.iter().zip(in_span[k]) {
            continuation += u8::from((b as i8) < -0x40) & in_span;
        }
        lens[k] - usize::from(continuation)
    })
}

/// A block of ones and a block of zeros: the block from `BLOCK - len` on has
/// a one for each of its first `len` bytes, the mask of a span of `len` bytes
/// for [`count_chars_from_each`].
static LEADING_ONES: [u8; 2 * CharIndex::BLOCK] = {
    let mut ones = [0u8; 2 * CharIndex::BLOCK];
    let mut i = 0;
    while i < CharIndex::BLOCK {
        ones[i] = 1;
        i += 1;
    }
    ones
};

/// Character offsets of byte offsets, asked in any order: the character count
/// at every 64th byte, and the bytes after it counted on demand (at most 63,
/// by `count_chars_from`).
///
/// Records give character offsets beside byte offsets, but only entities (and
/// tokens on request) need them: counting them for every token as it is made
/// cost more than the normalisation.
#[derive(Debug, Clone)]
pub struct CharIndex<'a> {
    bytes: &'a [u8],
    /// `blocks[k]`: the characters in `bytes[..64 * k]`.
    blocks: Vec<u32>,
}

impl<'a> CharIndex<'a> {
    /// Bytes a block.
    const BLOCK: usize = 64;

    /// The index of `s`, in one pass over it.
    pub fn new(s: &'a str) -> Self {
        let bytes = s.as_bytes();
        let mut blocks = Vec::with_capacity(bytes.len() / Self::BLOCK + 1);
        let mut chars = 0usize;
        blocks.push(0);
        for block in bytes.chunks_exact(Self::BLOCK) {
            chars += count_chars(block);
            blocks.push(chars as u32);
        }
        CharIndex { bytes, blocks }
    }

    /// The character offset of byte offset `byte` (a character boundary, at
    /// most the length of the text).
    ///
    /// ```
    /// use akhbar::text::CharIndex;
    /// let index = CharIndex::new("ab٢٣c");
    /// assert_eq!(index.at(2), 2);
    /// assert_eq!(index.at(6), 4);
    /// assert_eq!(index.at(7), 5);
    /// ```
    #[inline]
    pub fn at(&self, byte: usize) -> usize {
        let block = byte / Self::BLOCK;
        self.blocks[block] as usize
            + count_chars_from(self.bytes, block * Self::BLOCK, byte % Self::BLOCK)
    }

    /// The character offsets of byte offsets `start` and `end` (character
    /// boundaries, `start <= end`), as `(self.at(start), self.at(end))`: when
    /// the span ends within the block where it starts (most entities do), both
    /// are counted on from the start of that block, whose bytes are read and
    /// tested once for the two counts, so that a span costs little more than
    /// one offset.
    ///
    /// ```
    /// use akhbar::text::CharIndex;
    /// let index = CharIndex::new("aé€😀b");
    /// assert_eq!(index.span(1, 6), (1, 3));
    /// assert_eq!(index.span(0, 11), (0, 5));
    /// ```
    #[inline]
    pub fn span(&self, start: usize, end: usize) -> (usize, usize) {
        let block = start / Self::BLOCK;
        let from = block * Self::BLOCK;
        if end - from > Self::BLOCK {
            return (self.at(start), self.at(end));
        }
        let before = self.blocks[block] as usize;
        let [to_start, to_end] =
            count_chars_from_each(self.bytes, from, [start - from, end - from]);
        (before + to_start, before + to_end)
    }
}

/// Every article of the bundled corpus (`corpus/dev`, `corpus/test`): real
/// text for the tests that check a fast path against the direct answer.
#[cfg(test)]
pub(crate) fn corpus_texts() -> Vec<String> {
    let mut texts = Vec::new();
    for dir in ["corpus/dev", "corpus/test"] {
        for entry in std::fs::read_dir(dir).expect("the corpus is bundled") {
            let path = entry.expect("a directory entry").path();
            if path.extension().is_some_and(|e| e == "txt") {
                texts.push(std::fs::read_to_string(path).expect("an article"));
            }
        }
    }
    assert!(texts.len() > 30, "{} articles", texts.len());
    texts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_runs_end_where_the_fold_says() {
        // The corpus, and every two-byte character among the letters that
        // the sixteen-byte test passes (and an `أ` to end each run).
        let texts =
            corpus_and_two_byte_characters(|c| [c, 'ب', 'ي', ' ', c, c, 'ا', 'ة', 'و', '1', 'أ']);
        let (mut fast, mut boundaries) = (0, 0);
        for text in &texts {
            let b = text.as_bytes();
            for i in (0..b.len()).filter(|&i| text.is_char_boundary(i)) {
                let kept: usize = text[i..]
                    .chars()
                    .take_while(|&c| fold_char(c) == Fold::Keep)
                    .map(char::len_utf8)
                    .sum();
                assert_eq!(kept_run_end(b, i), i + kept, "at {i}");
                if let Some(chunk) = b.get(i..i + 17) {
                    let other = not_plain(
                        chunk[..16].try_into().expect("sixteen bytes"),
                        chunk[1..].try_into().expect("sixteen bytes"),
                    );
                    fast += usize::from(other as u64 == 0);
                }
                boundaries += 1;
            }
        }
        // The test passes the first eight bytes of much of the text.
        assert!(fast * 3 > boundaries, "{fast} of {boundaries}");
    }

    /// The corpus, and one more text with every two-byte character (U+0080 to
    /// U+07FF) set in the characters that `around` puts about it.
    fn corpus_and_two_byte_characters(around: impl Fn(char) -> [char; 11]) -> Vec<String> {
        let mut texts = corpus_texts();
        texts.push(
            (0x80..0x800u32)
                .filter_map(char::from_u32)
                .flat_map(around)
                .collect(),
        );
        texts
    }

    /// The normal form built one character at a time, with no runs.
    fn normalize_by_character(original: &str) -> NormalizedText {
        let mut b = Builder::with_capacity(original.len());
        for (i, c) in original.char_indices() {
            b.fold(i, c as u32, c.len_utf8());
        }
        b.into_normalized()
    }

    #[test]
    fn runs_normalize_as_single_characters_do() {
        // The corpus, and every two-byte character after letters, marks,
        // controls and the folds of the same length.
        let texts = corpus_and_two_byte_characters(|c| {
            [c, 'ب', 'أ', c, '\u{064B}', 'ى', '\u{200F}', c, 'إ', '٣', c]
        });
        for text in &texts {
            let (runs, characters) = (NormalizedText::new(text), normalize_by_character(text));
            assert_eq!(runs.text, characters.text);
            assert_eq!(runs.anchors, characters.anchors);
        }
    }

    #[test]
    fn spans_count_as_two_offsets() {
        let text = "\u{200F}أكثر من ٢٥٣٣ مسكنًا لـ 18 ﻻ ﷺ كُرِّم\u{064B} x٧ـ 😀 ".repeat(5);
        let index = CharIndex::new(&text);
        let bounds: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        for (i, &start) in bounds.iter().enumerate() {
            for &end in &bounds[i..] {
                assert_eq!(
                    index.span(start, end),
                    (index.at(start), index.at(end)),
                    "{start}..{end}"
                );
            }
        }
    }

    #[test]
    fn the_two_byte_table_agrees_with_the_fold() {
        for u in 0x80..0x800u32 {
            let c = char::from_u32(u).expect("not a surrogate");
            let mut buf = [0u8; 4];
            let b = c.encode_utf8(&mut buf).as_bytes();
            let keep = KEEP_TWO_BYTES[usize::from(b[0] & 0x1F)] >> (b[1] & 0x3F) & 1 == 1;
            assert_eq!(keep, fold_char(c) == Fold::Keep, "U+{u:04X}");
        }
    }

    #[test]
    fn the_cursor_span_agrees_with_the_binary_search() {
        let original = "\u{200F}أكثر من ٢٥٣٣ مسكنًا لـ 18 ﻻ ﷺ كُرِّم\u{064B} x٧ـ";
        let n = NormalizedText::new(original);
        let bounds: Vec<usize> = (0..=n.len())
            .filter(|&i| n.as_str().is_char_boundary(i))
            .collect();
        // Spans that grow, as tokens do, then every span from a fresh cursor and
        // from one left anywhere (the cursor must also go back).
        let mut growing = n.cursor();
        for w in bounds.windows(2) {
            assert_eq!(growing.span(w[0], w[1]), {
                let s = n.to_original(w[0]..w[1]);
                (s.start, s.end)
            });
        }
        let mut anywhere = n.cursor();
        for (k, &a) in bounds.iter().enumerate() {
            for &b in &bounds[k + 1..] {
                let s = n.to_original(a..b);
                assert_eq!(n.cursor().span(a, b), (s.start, s.end), "{a}..{b}");
                assert_eq!(anywhere.span(a, b), (s.start, s.end), "{a}..{b}");
            }
        }
    }

    fn check_roundtrip(original: &str, norm_piece: &str, orig_piece: &str) {
        let n = NormalizedText::new(original);
        let at = n
            .as_str()
            .find(norm_piece)
            .unwrap_or_else(|| panic!("{norm_piece:?} not in {:?}", n.as_str()));
        let span = n.to_original(at..at + norm_piece.len());
        assert_eq!(&original[span], orig_piece);
    }

    #[test]
    fn folds_alef_hamza_forms_and_maqsura() {
        let n = NormalizedText::new("أإآٱ على مستوى");
        assert_eq!(n.as_str(), "اااا علي مستوي");
    }

    #[test]
    fn strips_diacritics_and_keeps_them_in_the_span() {
        check_roundtrip("أكثر من ٢٥٣٣ مسكنًا متماسكًا", "مسكنا", "مسكنًا");
        check_roundtrip("وجدت حلولاً لتنفيذ", "حلولا", "حلولاً");
        check_roundtrip("كُرِّم الطبيب", "كرم", "كُرِّم");
    }

    #[test]
    fn tatweel_belongs_to_the_letter_before_it() {
        let original = "لـ 18 مشروعًا";
        let n = NormalizedText::new(original);
        assert_eq!(n.as_str(), "ل 18 مشروعا");
        assert_eq!(&original[n.to_original(0..2)], "لـ");
        check_roundtrip(original, "18", "18");
    }

    #[test]
    fn folds_both_arabic_digit_sets() {
        let original = "و٧٤٧٧ مسكنًا و۱۲۳";
        let n = NormalizedText::new(original);
        assert_eq!(n.as_str(), "و7477 مسكنا و123");
        check_roundtrip(original, "7477", "٧٤٧٧");
        check_roundtrip(original, "123", "۱۲۳");
        check_roundtrip(original, "و7477", "و٧٤٧٧");
    }

    #[test]
    fn arabic_separators_stay() {
        let n = NormalizedText::new("٢٫٥ و١٬٠٠٠ و٨٪");
        assert_eq!(n.as_str(), "2٫5 و1٬000 و8٪");
    }

    #[test]
    fn bidi_controls_belong_to_no_span() {
        let original = "النمو \u{200F}8.05\u{200E}٪ في";
        let n = NormalizedText::new(original);
        assert_eq!(n.as_str(), "النمو 8.05٪ في");
        check_roundtrip(original, "8.05", "8.05");
        check_roundtrip(original, "٪", "٪");
        check_roundtrip(original, "النمو", "النمو");
    }

    #[test]
    fn presentation_forms_fold_to_base_letters() {
        let original = "ﻻ يسمح بـ ﺍﻟﻤﺆﺗﻤﺮ";
        let n = NormalizedText::new(original);
        assert_eq!(n.as_str(), "لا يسمح ب المؤتمر");
        check_roundtrip(original, "لا", "ﻻ");
        check_roundtrip(original, "المؤتمر", "ﺍﻟﻤﺆﺗﻤﺮ");
        // Half of an expansion maps to the whole original character.
        assert_eq!(n.to_original(0..2), 0..3);
        assert_eq!(n.to_original(2..4), 0..3);
    }

    #[test]
    fn multi_word_ligatures_are_kept_whole() {
        let n = NormalizedText::new("محمد ﷺ قال");
        assert_eq!(n.as_str(), "محمد ﷺ قال");
    }

    #[test]
    fn leading_marks_and_controls_are_dropped() {
        let original = "\u{200F}\u{064B}ب";
        let n = NormalizedText::new(original);
        assert_eq!(n.as_str(), "ب");
        assert_eq!(&original[n.to_original(0..2)], "ب");
    }

    #[test]
    fn characters_are_counted_by_their_bytes() {
        for s in [
            "",
            "a",
            "abcdefgh",
            "عقدت اللجنة الدائمة مؤتمرا",
            "Hoàng Trung Dũng ٢٠٢٣ 𝟙𝟚 € ﻻ",
            "٪٪٪٪٪٪٪٪٪",
            &"عقدت اللجنة ٢٠٢٣ Hoàng 𝟙𝟚 € ﻻ ".repeat(9),
        ] {
            for end in (0..=s.len()).filter(|&i| s.is_char_boundary(i)) {
                assert_eq!(count_chars(&s.as_bytes()[..end]), s[..end].chars().count());
            }
        }
    }

    #[test]
    fn short_spans_count_their_characters() {
        // Every span of the corpus from a token's start to a later token's
        // end, up to a block long (counted in a whole block, or, near the end
        // of an article, alone), and every span between character boundaries
        // of a few texts too short for a whole block.
        let mut spans = 0;
        for text in crate::text::corpus_texts() {
            let tokens = crate::token::tokenize(&text, &NormalizedText::new(&text));
            for (i, first) in tokens.iter().enumerate() {
                for last in &tokens[i..] {
                    let span = first.start as usize..last.end as usize;
                    if span.len() > CharIndex::BLOCK {
                        break;
                    }
                    assert_eq!(
                        count_chars_from(text.as_bytes(), span.start, span.len()),
                        text[span.clone()].chars().count(),
                        "{span:?}"
                    );
                    spans += 1;
                }
            }
        }
        assert!(spans > 100_000, "{spans} spans");
        for text in ["", "a", "aé€😀b", "بلغ النمو 8.05٪.", "١٢٣٤٥٦٧٨٩ و 😀😀 é"]
        {
            let boundaries: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            for &start in &boundaries {
                for &end in boundaries.iter().filter(|&&end| end >= start) {
                    assert_eq!(
                        count_chars_from(text.as_bytes(), start, end - start),
                        text[start..end].chars().count(),
                        "{text:?} {start}..{end}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_char_index_counts_scalars_at_every_boundary() {
        // Long enough for several blocks, with one-, two-, three- and four-byte
        // characters across block edges.
        let s = "عقدت اللجنة ٢٠٢٣ Hoàng 𝟙𝟚 € ﻻ ".repeat(9);
        let index = CharIndex::new(&s);
        for byte in (0..=s.len()).rev().filter(|&i| s.is_char_boundary(i)) {
            assert_eq!(index.at(byte), s[..byte].chars().count(), "{byte}");
        }
        assert_eq!(CharIndex::new("").at(0), 0);
    }
}

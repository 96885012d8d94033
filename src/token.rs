//! Tokens: Unicode word boundaries with the rules the genre needs.
//!
//! Tokenizing runs on the normal form of the text layer (digits already ASCII,
//! diacritics and tatweel gone) and maps every token back to the original bytes.
//! The segmentation is that of Unicode's word boundaries (UAX #29), changed where
//! the genre needs it:
//!
//! * an Arabic letter and a digit never stay in one token: `و٧٤٧٧` → `و` + `٧٤٧٧`,
//!   `الـ13` → `الـ` + `13` (Latin letters and digits still join: `1A`, `H5N1`);
//! * `.` `:` `'` join letters only where neither side is Arabic, so `المؤتمر.وحضر`
//!   is three tokens while `TP.HCM` is one;
//! * `;` and `،` never join digits (UAX #29 would keep `5،6` together);
//! * numbers joined by `/`, `-`, `–` or `:` are one token: `10/13`, `2020-2025`,
//!   `24/12/2023`, `14:30`; `8.05`, `1,772`, `٢٫٥`, `١٬٠٠٠` already are;
//! * `٪` and `%` are symbols of their own, and `لـ` (with its tatweel) is one token.
//!
//! The common characters of the genre (ASCII, Latin, Arabic, general punctuation)
//! are classified directly by [`tokenize`]; a run of any other script is handed to
//! unicode-segmentation. [`tokenize_reference`] segments everything with
//! unicode-segmentation and then applies the same genre rules: it is the
//! specification the fast path is tested against, and the baseline it is measured
//! beside.

use std::ops::Range;

use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;

use crate::clitic::{self, Clitics, FormIds};
use crate::sentence;
use crate::text::{decode_at, NormalizedText};

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum TokenKind {
    /// Letters (of any script), possibly with digits: `والمنظمات`, `Hoàng`, `1A`.
    Word,
    /// Digits with their separators: `8.05`, `١٬٠٠٠`, `2020-2025`.
    Number,
    /// Punctuation: `. ، ؛ ؟ ( ) -`.
    Punct,
    /// Symbols: `٪ % $ | +`.
    Symbol,
}

impl TokenKind {
    /// The name used in records and TSV output.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::Word => "word",
            TokenKind::Number => "number",
            TokenKind::Punct => "punct",
            TokenKind::Symbol => "symbol",
        }
    }
}

/// One token. Offsets are into the original text (`start..end`, in bytes) and
/// into the normal form (`norm_start..norm_end`); [`crate::Analysis::char_offset`]
/// gives character offsets.
///
/// A token is `Copy` and holds no strings: its text, normal form and stem are
/// slices that [`crate::Analysis`] hands out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Token {
    /// Byte offset of the first byte in the original text.
    pub start: u32,
    /// Byte offset after the last byte in the original text.
    pub end: u32,
    /// Byte offset in the normal form.
    pub norm_start: u32,
    /// Byte offset after the token in the normal form.
    pub norm_end: u32,
    /// What the token is.
    pub kind: TokenKind,
    /// The proclitics of an Arabic word and where its stem starts.
    pub clitics: Clitics,
}

impl Token {
    /// The byte span in the original text.
    #[inline]
    pub fn span(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The byte span in the normal form.
    #[inline]
    pub fn norm_span(&self) -> Range<usize> {
        self.norm_start as usize..self.norm_end as usize
    }

    /// The byte span of the stem in the normal form.
    #[inline]
    pub fn stem_span(&self) -> Range<usize> {
        self.norm_start as usize + self.clitics.stem_offset()..self.norm_end as usize
    }
}

/// The word-boundary class of a character, as far as the fast path knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wb {
    ArabicLetter,
    /// Any other letter the fast path knows (Latin).
    Letter,
    Digit,
    /// Combining marks and format characters: they join whatever precedes them.
    Extend,
    MidLetter,
    MidNumLet,
    SingleQuote,
    MidNum,
    ExtendNumLet,
    /// Spaces and controls: not part of any token; marks after them join them.
    Space,
    /// Line breaks: not part of any token; a mark after one stands alone.
    Newline,
    /// Punctuation and symbols: one character a token.
    Single,
    /// Anything else: handed to unicode-segmentation.
    Fallback,
}

const fn ascii_class(b: u8) -> Wb {
    match b {
        b'\n' | b'\r' | 0x0B | 0x0C => Wb::Newline,
        0x00..=0x1F | b' ' | 0x7F => Wb::Space,
        b'A'..=b'Z' | b'a'..=b'z' => Wb::Letter,
        b'0'..=b'9' => Wb::Digit,
        b'\'' => Wb::SingleQuote,
        b'.' => Wb::MidNumLet,
        b':' => Wb::MidLetter,
        b',' | b';' => Wb::MidNum,
        b'_' => Wb::ExtendNumLet,
        _ => Wb::Single,
    }
}

/// Word-boundary classes of U+0000–U+06FF (ASCII, Latin, the Arabic block), by
/// table: the characters of nearly every token of the genre.
static LOW_CLASS: [Wb; 0x700] = {
    let mut table = [Wb::Fallback; 0x700];
    let mut u = 0;
    while u < 0x700 {
        table[u] = class_of(u as u32);
        u += 1;
    }
    table
};

/// The Arabic letters and marks of U+0600–U+06FF, which continue a run of
/// Arabic letters: bit `c & 0x3F` of entry `lead - 0xD8`, for the UTF-8 bytes
/// `lead c` (lead bytes D8–DB).
static ARABIC_RUN: [u64; 4] = {
    let mut table = [0u64; 4];
    let mut u = 0x600;
    while u < 0x700 {
        if matches!(LOW_CLASS[u], Wb::ArabicLetter | Wb::Extend) {
            table[(u - 0x600) >> 6] |= 1 << (u & 0x3F);
        }
        u += 1;
    }
    table
};

#[inline(always)]
fn wb_cp(u: u32) -> Wb {
    if u < 0x700 {
        LOW_CLASS[u as usize]
    } else {
        class_of(u)
    }
}

#[inline]
fn wb(c: char) -> Wb {
    wb_cp(c as u32)
}

const fn class_of(u: u32) -> Wb {
    if u < 0x80 {
        return ascii_class(u as u8);
    }
    match u {
        0x85 | 0x2028 | 0x2029 => Wb::Newline,
        0x80..=0x9F | 0xA0 | 0x2000..=0x200B | 0x205F => Wb::Space,
        0xAA | 0xB5 | 0xBA | 0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x2AF | 0x1E00..=0x1EFF => {
            Wb::Letter
        }
        0xB7 | 0x2027 => Wb::MidLetter,
        0xAD
        | 0x300..=0x36F
        | 0x200C..=0x200F
        | 0x202A..=0x202E
        | 0x2060..=0x2064
        | 0x2066..=0x206F => Wb::Extend,
        0xA1..=0xBF | 0xD7 | 0xF7 => Wb::Single,
        0x0600..=0x06FF => arabic_class(u),
        0x2018 | 0x2019 | 0x2024 => Wb::MidNumLet,
        0x2044 => Wb::MidNum,
        0x202F | 0x203F | 0x2040 | 0x2054 => Wb::ExtendNumLet,
        0x2010..=0x2026 | 0x2030..=0x205E | 0x20A0..=0x20C0 => Wb::Single,
        _ => Wb::Fallback,
    }
}

const fn arabic_class(u: u32) -> Wb {
    match u {
        0x0620..=0x064A
        | 0x066E
        | 0x066F
        | 0x0671..=0x06D3
        | 0x06D5
        | 0x06E5
        | 0x06E6
        | 0x06EE
        | 0x06EF
        | 0x06FA..=0x06FC
        | 0x06FF => Wb::ArabicLetter,
        0x0660..=0x0669 | 0x066B | 0x06F0..=0x06F9 => Wb::Digit,
        0x060C | 0x060D | 0x066C => Wb::MidNum,
        0x0610..=0x061A
        | 0x061C
        | 0x064B..=0x065F
        | 0x0670
        | 0x06D6..=0x06DC
        | 0x06DF..=0x06E4
        | 0x06E7
        | 0x06E8
        | 0x06EA..=0x06ED => Wb::Extend,
        0x0600..=0x0605 | 0x06DD => Wb::Fallback,
        _ => Wb::Single,
    }
}

/// Separators that UAX #29 lets join digits but the genre does not: `;` and the
/// Arabic comma `،` separate list items, never parts of one number.
#[inline]
fn splits_digits(u: u32) -> bool {
    matches!(u, 0x3B | 0x37E | 0x060C | 0xFE14 | 0xFF1B | 0xFE50 | 0xFE54)
}

/// Characters that join two numbers into one token: `10/13`, `2020-2025`, `14:30`.
#[inline]
fn joins_numbers(c: char) -> bool {
    matches!(c, '/' | '-' | '\u{2010}' | '\u{2011}' | '\u{2013}' | ':')
}

/// After `i`, the end of the run of Extend characters that follows.
#[inline(always)]
fn skip_extend(b: &[u8], i: usize) -> usize {
    // Nearly always no mark follows (the normal form has dropped the Arabic
    // diacritics): an ASCII character, an Arabic letter, or the end.
    match b.get(i) {
        None => i,
        Some(&b0) if b0 < 0x80 => i,
        Some(&b0) if b0 < 0xE0 => {
            let u = (u32::from(b0 & 0x1F) << 6) | u32::from(b[i + 1] & 0x3F);
            if wb_cp(u) == Wb::Extend {
                skip_extend_run(b, i)
            } else {
                i
            }
        }
        Some(_) => skip_extend_run(b, i),
    }
}

/// [`skip_extend`], character by character.
#[inline(never)]
fn skip_extend_run(b: &[u8], mut i: usize) -> usize {
    while i < b.len() {
        let (u, len) = decode_at(b, i);
        if wb_cp(u) != Wb::Extend {
            break;
        }
        i += len;
    }
    i
}

/// After `i` (a character boundary), the end of the run of Arabic letters and
/// marks that follows (the characters of [`ARABIC_RUN`]).
#[inline(always)]
fn arabic_run_end(b: &[u8], i: usize) -> usize {
    arabic_run_end_by_table(b, core_arabic_run_end(b, i))
}

/// After `i` (a character boundary), how far the characters of
/// U+0620–U+065F (`D8 A0` to `D9 9F`: the letters of the genre and the
/// marks) go, eight at a time: to the first other character, or to where
/// fewer than sixteen bytes are left. Both halves of the sixteen bytes are
/// judged before either is: a word of the genre ends in the first half about
/// as often as in the second, and which one it is costs no branch.
#[inline(always)]
fn core_arabic_run_end(b: &[u8], i: usize) -> usize {
    let mut rest = &b[i..];
    while let Some((chunk, tail)) = rest.split_first_chunk::<16>() {
        let pairs = u128::from_le_bytes(*chunk);
        let other = u128::from(not_core_arabic(pairs as u64))
            | u128::from(not_core_arabic((pairs >> 64) as u64)) << 64;
        if other != 0 {
            rest = &rest[(other.trailing_zeros() / 16 * 2) as usize..];
            break;
        }
        rest = tail;
    }
    b.len() - rest.len()
}

/// After `i` (a character boundary), the end of the run of characters of
/// [`ARABIC_RUN`] that follows, one character at a time by the table.
#[inline(always)]
fn arabic_run_end_by_table(b: &[u8], i: usize) -> usize {
    let mut rest = &b[i..];
    while let [lead, c, ..] = *rest {
        let lead = usize::from(lead.wrapping_sub(0xD8));
        if lead >= ARABIC_RUN.len() || ARABIC_RUN[lead] >> (c & 0x3F) & 1 == 0 {
            break;
        }
        rest = &rest[2..];
    }
    b.len() - rest.len()
}

/// Whether `b` starts with an Arabic letter of U+0620–U+064A, which starts
/// the commonest token, a word of Arabic letters.
#[inline(always)]
fn starts_arabic_word(b: &[u8]) -> bool {
    matches!(
        b.first_chunk::<2>(),
        Some([0xD8, 0xA0..=0xBF] | [0xD9, 0x80..=0x8A])
    )
}

/// The first bytes of the characters that may go on with a word after its
/// run of Arabic letters and marks: a Latin letter, `_`, or a character
/// outside ASCII and the Arabic block (lead bytes `D8–DB`). By table: it is
/// asked after every Arabic word.
static GOES_ON_AFTER_ARABIC: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        table[c] = (b >= 0x80 && !(b >= 0xD8 && b <= 0xDB)) || b.is_ascii_alphabetic() || b == b'_';
        c += 1;
    }
    table
};

/// For eight bytes of UTF-8 read as four two-byte pairs (little-endian), a
/// non-zero bit in each pair that is not a character of U+0620–U+065F, and
/// none in those that are: lead byte `D8` with a continuation byte of `A0–BF`
/// (`ب`), or `D9` with `80–9F` (`م`).
#[inline(always)]
fn not_core_arabic(pairs: u64) -> u64 {
    const LEAD_MASK: u64 = 0x00FE_00FE_00FE_00FE;
    const LEADS: u64 = 0x00D8_00D8_00D8_00D8;
    const BIT0: u64 = 0x0001_0001_0001_0001;
    // The lead is `D8` or `D9`, and its last bit differs from bit 5 of the
    // continuation (bit 13 of the pair): `D8` takes `A0–BF`, `D9` takes `80–9F`.
    ((pairs & LEAD_MASK) ^ LEADS) | (!(pairs ^ (pairs >> 13)) & BIT0)
}

/// Segments the normal form with the fast path and the genre rules (all but the
/// joining of numbers, which [`TokenSink`] does for both paths), into `sink`.
/// Whitespace is not reported; line breaks are, as cues for the sentence
/// splitter ([`TokenSink::line_break`]). Not inlined: on its own, its loop
/// keeps the text and its length in registers.
#[inline(never)]
fn segment_fast(s: &str, sink: &mut TokenSink<'_>) {
    let b = s.as_bytes();
    let mut i = 0usize;
    // Whether the characters since the last token are a space and the marks
    // after it, which join it (and so no token) rather than stand alone.
    let mut after_space = false;
    while i < b.len() {
        // The space between words, the commonest character after letters.
        if b[i] == b' ' {
            i += 1;
            after_space = true;
            continue;
        }
        // A word that starts with an Arabic letter (U+0620–U+064A), the
        // commonest token: its run of Arabic letters and marks nearly always
        // ends it, at a space, a line break, punctuation (`.` `،`) or a digit.
        // Only a Latin letter, `_` or a character outside ASCII and the
        // Arabic block (lead bytes `D8–DB`) may go on with it, and word_end
        // then goes on from the run as from one long first letter.
        if starts_arabic_word(&b[i..]) {
            loop {
                let core = core_arabic_run_end(b, i + 2);
                if b.get(core) == Some(&b' ') {
                    // The commonest end of a word, which neither goes on
                    // with the run nor after it; and word after word, one
                    // space apart, is most of the text: the next one is read
                    // here, without going back to the top.
                    sink.push(i, core, TokenKind::Word);
                    i = core + 1;
                    after_space = true;
                    if starts_arabic_word(&b[i..]) {
                        continue;
                    }
                    break;
                }
                let run = arabic_run_end_by_table(b, core);
                let end = match b.get(run) {
                    Some(&c) if GOES_ON_AFTER_ARABIC[usize::from(c)] => {
                        word_end(b, i, 0, Wb::ArabicLetter, run - i).0
                    }
                    _ => run,
                };
                sink.push(i, end, TokenKind::Word);
                i = end;
                after_space = false;
                break;
            }
            continue;
        }
        // A number of ASCII digits and nothing else, the commonest number
        // (`2023`, `15`): a run of digits that a space or the end ends, with
        // no separator or letter after it for `word_end` to weigh.
        if b[i].is_ascii_digit() {
            let end = i + b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            if b.get(end).is_none_or(|&c| c == b' ') {
                sink.push(i, end, TokenKind::Number);
                i = end;
                after_space = false;
                continue;
            }
        }
        let (u, len) = decode_at(b, i);
        let class = wb_cp(u);
        let next = i + len;
        if after_space && class == Wb::Extend {
            i = next;
            continue;
        }
        after_space = class == Wb::Space;
        match class {
            Wb::Space => i = next,
            Wb::Newline => {
                sink.line_break();
                i = next;
            }
            Wb::Extend
            | Wb::Single
            | Wb::MidLetter
            | Wb::MidNumLet
            | Wb::SingleQuote
            | Wb::MidNum => {
                let end = skip_extend(b, next);
                let kind = if class != Wb::Extend && is_punctuation_code_point(u) {
                    TokenKind::Punct
                } else {
                    TokenKind::Symbol
                };
                sink.push(i, end, kind);
                i = end;
            }
            Wb::Fallback => {
                let mut end = next;
                while end < b.len() {
                    let (d, dlen) = decode_at(b, end);
                    if !matches!(wb_cp(d), Wb::Fallback | Wb::Extend) {
                        break;
                    }
                    end += dlen;
                }
                for (at, seg) in s[i..end].split_word_bound_indices() {
                    if !seg.starts_with(char::is_whitespace) {
                        sink.push(i + at, i + at + seg.len(), kind_of(seg));
                    }
                }
                i = end;
            }
            Wb::ArabicLetter | Wb::Letter | Wb::Digit | Wb::ExtendNumLet => {
                let (end, kind) = word_end(b, i, u, class, len);
                sink.push(i, end, kind);
                i = end;
            }
        }
    }
}

/// The end and kind of the word or number that starts at `start` with the
/// character `first` of class `class` and length `len`. A run of Arabic
/// letters and marks may stand for its first character (`len` is then the
/// run's length): the word goes on from its end as from an Arabic letter.
#[inline]
fn word_end(b: &[u8], start: usize, first: u32, class: Wb, len: usize) -> (usize, TokenKind) {
    let mut letters = matches!(class, Wb::ArabicLetter | Wb::Letter);
    let mut digits = (b'0' as u32..=b'9' as u32).contains(&first);
    let mut prev = class;
    let mut i = start + len;
    while i < b.len() {
        if prev == Wb::ArabicLetter {
            // The common case, a run of Arabic letters and marks, without the
            // general dispatch. `letters` is already set: an Arabic letter came
            // before.
            debug_assert!(letters);
            i = arabic_run_end(b, i);
            if i >= b.len() {
                break;
            }
        } else if prev == Wb::Digit {
            // A run of ASCII digits (`2023`), the commonest number, without
            // decoding: digits join digits.
            let run = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            digits |= run > 0;
            i += run;
            if i >= b.len() {
                break;
            }
        }
        // A space ends every word (the commonest end), without decoding.
        if b[i] == b' ' {
            break;
        }
        let (u, len) = decode_at(b, i);
        let class = wb_cp(u);
        match (prev, class) {
            (_, Wb::Extend) => i += len,
            (Wb::ArabicLetter | Wb::Letter, Wb::ArabicLetter | Wb::Letter)
            | (Wb::Letter | Wb::Digit, Wb::Letter | Wb::Digit)
            | (_, Wb::ExtendNumLet)
            | (Wb::ExtendNumLet, Wb::ArabicLetter | Wb::Letter | Wb::Digit) => {
                letters |= matches!(class, Wb::ArabicLetter | Wb::Letter);
                digits |= u.wrapping_sub(b'0' as u32) < 10;
                prev = class;
                i += len;
            }
            (Wb::Letter, Wb::MidLetter | Wb::MidNumLet | Wb::SingleQuote)
            | (Wb::Digit, Wb::MidNum | Wb::MidNumLet | Wb::SingleQuote) => {
                // The separator joins only with a letter (or digit) after it, and
                // the two then join together.
                if prev == Wb::Digit && splits_digits(u) {
                    break;
                }
                let j = skip_extend(b, i + len);
                if j >= b.len() {
                    break;
                }
                let (after, after_len) = decode_at(b, j);
                if wb_cp(after) != prev {
                    break;
                }
                digits |= after.wrapping_sub(b'0' as u32) < 10;
                i = j + after_len;
            }
            _ => break,
        }
    }
    let kind = if letters {
        TokenKind::Word
    } else if digits {
        TokenKind::Number
    } else {
        TokenKind::Punct
    };
    (i, kind)
}

/// Segments the normal form with unicode-segmentation, then applies the genre's
/// splitting rules to each segment. Used by [`tokenize_reference`].
fn segment_reference(s: &str, sink: &mut impl FnMut(usize, usize)) {
    for (at, seg) in s.split_word_bound_indices() {
        let first = seg.chars().next().expect("segments are not empty");
        // Whitespace, controls, and marks that UAX #29 attached to them.
        if first.is_whitespace() || first.is_control() {
            continue;
        }
        split_genre(seg, at, sink);
    }
}

/// Splits one UAX #29 segment where the genre rules disagree with UAX #29:
/// between an Arabic letter and a digit, around `.` `:` `'` next to an Arabic
/// letter, and at `;` and `،` between digits.
fn split_genre(seg: &str, offset: usize, sink: &mut impl FnMut(usize, usize)) {
    // Base characters (not Extend) with their byte ranges in `seg`.
    let mut bases: Vec<(usize, usize, char)> = Vec::new();
    for (i, c) in seg.char_indices() {
        if wb(c) == Wb::Extend && !bases.is_empty() {
            bases.last_mut().expect("not empty").1 = i + c.len_utf8();
        } else {
            bases.push((i, i + c.len_utf8(), c));
        }
    }
    let mut piece_start = 0usize;
    for k in 0..bases.len() {
        let (start, end, c) = bases[k];
        let class = wb(c);
        let prev = k.checked_sub(1).map(|p| wb(bases[p].2));
        let next = bases.get(k + 1).map(|b| wb(b.2));
        let mid = matches!(
            class,
            Wb::MidLetter | Wb::MidNumLet | Wb::SingleQuote | Wb::MidNum
        );
        let isolate = mid
            && (prev == Some(Wb::ArabicLetter)
                || next == Some(Wb::ArabicLetter)
                || (prev == Some(Wb::Digit) && splits_digits(c as u32)));
        let arabic_digit = matches!(
            (prev, class),
            (Some(Wb::ArabicLetter), Wb::Digit) | (Some(Wb::Digit), Wb::ArabicLetter)
        );
        if (isolate || arabic_digit) && start > piece_start {
            sink(offset + piece_start, offset + start);
            piece_start = start;
        }
        if isolate {
            sink(offset + start, offset + end);
            piece_start = end;
        }
    }
    if piece_start < seg.len() {
        sink(offset + piece_start, offset + seg.len());
    }
}

/// Classifies a segment of the normal form.
fn kind_of(seg: &str) -> TokenKind {
    let mut chars = seg.chars();
    let first = chars.next().expect("segments are not empty");
    match wb(first) {
        Wb::ArabicLetter | Wb::Letter | Wb::Digit | Wb::ExtendNumLet => {
            let mut letters = false;
            let mut digits = false;
            for c in seg.chars() {
                match wb(c) {
                    Wb::ArabicLetter | Wb::Letter => letters = true,
                    _ if c.is_ascii_digit() => digits = true,
                    _ => {}
                }
            }
            if letters {
                TokenKind::Word
            } else if digits {
                TokenKind::Number
            } else {
                TokenKind::Punct
            }
        }
        Wb::Fallback => {
            if first.is_alphabetic() {
                TokenKind::Word
            } else if first.is_numeric() {
                TokenKind::Number
            } else if is_punctuation(first) {
                TokenKind::Punct
            } else {
                TokenKind::Symbol
            }
        }
        Wb::Extend => TokenKind::Symbol,
        _ => {
            if is_punctuation(first) {
                TokenKind::Punct
            } else {
                TokenKind::Symbol
            }
        }
    }
}

/// Whether `c` is punctuation (Unicode category P*), for the characters the
/// tokenizer meets. The percent and per-mille signs are symbols here, on purpose:
/// they are units of a figure, not punctuation of a sentence.
const fn is_punctuation(c: char) -> bool {
    let u = c as u32;
    if u < 0x80 {
        return c.is_ascii_punctuation()
            && !matches!(c, '$' | '+' | '<' | '=' | '>' | '^' | '`' | '|' | '~' | '%');
    }
    matches!(u,
        0xA1 | 0xA7 | 0xAB | 0xB6 | 0xB7 | 0xBB | 0xBF
        | 0x060C | 0x060D | 0x061B | 0x061D..=0x061F | 0x066C | 0x066D | 0x06D4
        | 0x2010..=0x2027 | 0x2032..=0x2043 | 0x2045..=0x2051 | 0x2053..=0x205E
        | 0x2E00..=0x2E7F | 0x3001..=0x3003 | 0x3008..=0x3011 | 0x3014..=0x301F
        | 0xFE10..=0xFE19 | 0xFE30..=0xFE4F | 0xFE50..=0xFE6B
        | 0xFF01..=0xFF03 | 0xFF05..=0xFF0A | 0xFF0C..=0xFF0F | 0xFF1A | 0xFF1B | 0xFF1F | 0xFF20
        | 0xFF3B..=0xFF3D | 0xFF3F | 0xFF5B | 0xFF5D | 0xFF5F..=0xFF65)
}

/// [`is_punctuation`] of U+0000–U+06FF (ASCII, Latin, the Arabic block), by
/// table: bit `u & 0x3F` of entry `u >> 6`. The segmenter asks it of every
/// mark and symbol it meets.
static PUNCTUATION_LOW: [u64; 0x700 / 64] = {
    let mut table = [0u64; 0x700 / 64];
    let mut u = 0;
    while u < 0x700 {
        if let Some(c) = char::from_u32(u) {
            if is_punctuation(c) {
                table[(u >> 6) as usize] |= 1 << (u & 0x3F);
            }
        }
        u += 1;
    }
    table
};

/// [`is_punctuation`] of the character `u` (a code point of a `str`).
#[inline]
fn is_punctuation_code_point(u: u32) -> bool {
    match PUNCTUATION_LOW.get((u >> 6) as usize) {
        Some(bits) => bits >> (u & 0x3F) & 1 != 0,
        None => char::from_u32(u).is_some_and(is_punctuation),
    }
}

/// Builds tokens from segments of the normal form: joins numbers across
/// `/ - – :`. Their original offsets and clitics are left for [`finish`], which
/// works through all the tokens of a document at once.
struct TokenSink<'a> {
    norm: &'a str,
    out: &'a mut Vec<Token>,
    /// Where the new tokens start in `out`.
    first: usize,
    /// The tokens the sentence splitter must look at
    /// ([`sentence::split_at_cues`]), by their index among the new tokens,
    /// in order: each punctuation token that may be a terminator, and each
    /// token after a line break ([`segment_fast`] reports them; the
    /// reference segmenter does not).
    cues: Vec<u32>,
}

impl TokenSink<'_> {
    /// Always inlined: the segmenter's commonest call, a word, then costs
    /// a few stores, its tests of the kind answered where it is made.
    #[inline(always)]
    fn push(&mut self, norm_start: usize, norm_end: usize, kind: TokenKind) {
        // Only a number that touches the token before it may join it: not
        // one after a space, as most are.
        if kind == TokenKind::Number
            && self
                .out
                .last()
                .is_some_and(|t| t.norm_end as usize == norm_start)
            && self.join_number(norm_start, norm_end)
        {
            return;
        }
        if kind == TokenKind::Punct && sentence::may_terminate(self.norm.as_bytes(), norm_start) {
            self.cue();
        }
        self.out.push(Token {
            start: 0,
            end: 0,
            norm_start: norm_start as u32,
            norm_end: norm_end as u32,
            kind,
            clitics: Clitics::NONE,
        });
    }

    /// Notes a line break in the normal form: the next token follows it.
    /// Line breaks sit between tokens, and are kept as they are in the normal
    /// form: the original gap before that token holds the same one.
    #[inline]
    fn line_break(&mut self) {
        self.cue();
    }

    /// Makes the next token a cue for the sentence splitter. Not inlined:
    /// one token in a dozen or so is a cue.
    #[inline(never)]
    fn cue(&mut self) {
        let next = u32::try_from(self.out.len() - self.first).expect("fewer than 2^32 tokens");
        if self.cues.last() != Some(&next) {
            self.cues.push(next);
        }
    }

    /// Joins `number joiner number` (`10` `/` `13`) into the number before, when the
    /// three touch. Returns whether the new number was absorbed. No cue is
    /// lost: the three touch, so no line break lies between them, and no
    /// joiner may be a terminator. Not inlined: numbers are few.
    #[inline(never)]
    fn join_number(&mut self, norm_start: usize, norm_end: usize) -> bool {
        let n = self.out.len();
        if n < 2 {
            return false;
        }
        let (number, joiner) = (self.out[n - 2], self.out[n - 1]);
        if number.kind != TokenKind::Number
            || number.norm_end != joiner.norm_start
            || joiner.norm_end as usize != norm_start
        {
            return false;
        }
        let mut joiner_chars = self.norm[joiner.norm_span()].chars();
        match (joiner_chars.next(), joiner_chars.next()) {
            (Some(c), None) if joins_numbers(c) => {}
            _ => return false,
        }
        self.out.pop();
        self.out.last_mut().expect("n >= 2").norm_end = norm_end as u32;
        true
    }
}

/// Completes `tokens`, which the sink made from segments of `norm`: maps their
/// spans back to `original` and looks every word up in the thread's table of
/// word forms ([`clitic::Cache`], borrowed once for them all), which gives its
/// clitics and the id of its form. Not inlined, and in two loops (the
/// offsets, then the words): on their own, each keeps what it carries from
/// token to token in registers.
#[inline(never)]
fn finish(original: &str, norm: &NormalizedText, tokens: &mut [Token]) -> FormIds {
    let mut offsets = norm.cursor();
    for t in tokens.iter_mut() {
        let (start, end) = offsets.span(t.norm_start as usize, t.norm_end as usize);
        t.start = start as u32;
        t.end = end as u32;
    }
    let norm = norm.as_str();
    clitic::with_cache(|cache| {
        cache.start_document();
        let mut ids = Vec::with_capacity(tokens.len());
        for t in tokens {
            // Only words new to the cache are sliced as text and analysed.
            let id = if t.kind == TokenKind::Word {
                let (id, clitics) = cache.form(&original.as_bytes()[t.span()], || {
                    (&norm[t.norm_span()], &original[t.span()])
                });
                t.clitics = clitics;
                id
            } else {
                FormIds::NONE
            };
            ids.push(id);
        }
        cache.form_ids(ids)
    })
}

/// Tokenizes `original` (whose normal form is `norm`) with the fast path, appending
/// to `out`.
pub fn tokenize_into(original: &str, norm: &NormalizedText, out: &mut Vec<Token>) {
    tokenize_fast(original, norm, out);
}

/// A document's tokens as the fast path makes them, with the word form of
/// each token (see [`clitic::Cache`]) and the cues of the sentence splitter
/// ([`sentence::split_at_cues`]).
pub(crate) struct Tokenized {
    pub(crate) tokens: Vec<Token>,
    pub(crate) forms: FormIds,
    pub(crate) sentence_cues: Vec<u32>,
}

/// Tokenizes `original` with the fast path.
pub(crate) fn tokenize_forms(original: &str, norm: &NormalizedText) -> Tokenized {
    let mut tokens = Vec::with_capacity(original.len() / 6);
    let (forms, sentence_cues) = tokenize_fast(original, norm, &mut tokens);
    Tokenized {
        tokens,
        forms,
        sentence_cues,
    }
}

/// [`tokenize_into`], returning the word forms of the new tokens and the
/// sentence splitter's cues.
fn tokenize_fast(
    original: &str,
    norm: &NormalizedText,
    out: &mut Vec<Token>,
) -> (FormIds, Vec<u32>) {
    with_sink(original, norm, out, |sink| {
        segment_fast(norm.as_str(), sink)
    })
}

/// Runs `segment` with a sink that turns segments of `norm` into tokens,
/// appended to `out`, then [`finish`]es them: the word forms of the new
/// tokens, and the cues the sink noted.
fn with_sink(
    original: &str,
    norm: &NormalizedText,
    out: &mut Vec<Token>,
    segment: impl FnOnce(&mut TokenSink<'_>),
) -> (FormIds, Vec<u32>) {
    let first = out.len();
    let mut sink = TokenSink {
        norm: norm.as_str(),
        out,
        first,
        cues: Vec::new(),
    };
    segment(&mut sink);
    let cues = sink.cues;
    (finish(original, norm, &mut out[first..]), cues)
}

/// Tokenizes `original` with the fast path.
///
/// ```
/// use akhbar::text::NormalizedText;
/// use akhbar::token::{tokenize, TokenKind};
/// let text = "بلغ النمو 8.05٪ و٧٤٧٧ مسكنًا";
/// let norm = NormalizedText::new(text);
/// let tokens = tokenize(text, &norm);
/// let texts: Vec<&str> = tokens.iter().map(|t| &text[t.span()]).collect();
/// assert_eq!(texts, ["بلغ", "النمو", "8.05", "٪", "و", "٧٤٧٧", "مسكنًا"]);
/// assert_eq!(tokens[2].kind, TokenKind::Number);
/// assert_eq!(tokens[3].kind, TokenKind::Symbol);
/// ```
pub fn tokenize(original: &str, norm: &NormalizedText) -> Vec<Token> {
    tokenize_forms(original, norm).tokens
}

/// Tokenizes `original` by running unicode-segmentation over all of it and then
/// the genre rules: the reference the fast path must agree with.
pub fn tokenize_reference(original: &str, norm: &NormalizedText) -> Vec<Token> {
    let mut out = Vec::with_capacity(original.len() / 6);
    let ns = norm.as_str();
    with_sink(original, norm, &mut out, |sink| {
        segment_reference(ns, &mut |a, b| sink.push(a, b, kind_of(&ns[a..b])));
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_arabic_run_table_agrees_with_the_classes() {
        for u in 0x600..0x700u32 {
            let c = char::from_u32(u).expect("not a surrogate");
            let mut buf = [0u8; 4];
            let b = c.encode_utf8(&mut buf).as_bytes();
            let run = ARABIC_RUN[usize::from(b[0] - 0xD8)] >> (b[1] & 0x3F) & 1 == 1;
            assert_eq!(
                run,
                matches!(wb(c), Wb::ArabicLetter | Wb::Extend),
                "U+{u:04X}"
            );
        }
    }

    #[test]
    fn the_table_of_what_goes_on_after_arabic_agrees_with_the_characters() {
        for c in ('\0'..='\u{7FF}').chain(['€', '\u{200F}', '東', '😀']) {
            let mut buf = [0u8; 4];
            let first = c.encode_utf8(&mut buf).as_bytes()[0];
            let goes_on = c.is_ascii_alphabetic()
                || c == '_'
                || (!c.is_ascii() && !('\u{600}'..='\u{6FF}').contains(&c));
            assert_eq!(GOES_ON_AFTER_ARABIC[usize::from(first)], goes_on, "{c:?}");
        }
    }

    #[test]
    fn the_punctuation_table_agrees_with_the_characters() {
        let mut marks = 0;
        for c in ('\0'..='\u{7FF}').chain(['…', '€', '\u{2044}', '、', '！']) {
            assert_eq!(
                is_punctuation_code_point(c as u32),
                is_punctuation(c),
                "{c:?}"
            );
            marks += usize::from(is_punctuation(c));
        }
        // ASCII's 32 less the 10 symbols, Latin-1's 7 (`¡ § « ¶ · » ¿`), the
        // Arabic block's 9 (`، ؍ ؛ ؝ ؞ ؟ ٬ ٭ ۔`), and `… 、 ！` of the last five.
        assert_eq!(marks, 22 + 7 + 9 + 3);
    }

    #[test]
    fn arabic_runs_end_where_the_classes_say() {
        let mut texts = crate::text::corpus_texts();
        texts.push(
            (0x600..0x700u32)
                .filter_map(char::from_u32)
                .flat_map(|c| [c, 'ب', 'م', 'ل', c, c, 'ي', ' '])
                .collect(),
        );
        for text in &texts {
            let norm = NormalizedText::new(text);
            let s = norm.as_str();
            for i in (0..s.len()).filter(|&i| s.is_char_boundary(i)) {
                let run: usize = s[i..]
                    .chars()
                    .take_while(|&c| {
                        (0x600..0x700).contains(&(c as u32))
                            && matches!(wb(c), Wb::ArabicLetter | Wb::Extend)
                    })
                    .map(char::len_utf8)
                    .sum();
                assert_eq!(arabic_run_end(s.as_bytes(), i), i + run, "at {i}");
            }
        }
    }

    #[test]
    fn plain_numbers_end_where_word_end_says() {
        // Every run of ASCII digits of the corpus's normal forms that a
        // space or the end ends: the numbers the segmenter makes without
        // `word_end`.
        let mut texts = crate::text::corpus_texts();
        texts.push("2023 ١٥ 8.05 5، 10/13 1A 7".to_string());
        let mut plain = 0;
        for text in &texts {
            let norm = NormalizedText::new(text);
            let b = norm.as_str().as_bytes();
            for i in (0..b.len()).filter(|&i| b[i].is_ascii_digit()) {
                let end = i + b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
                if b.get(end).is_none_or(|&c| c == b' ') {
                    let first = u32::from(b[i]);
                    assert_eq!(
                        word_end(b, i, first, Wb::Digit, 1),
                        (end, TokenKind::Number),
                        "at {i}"
                    );
                    plain += 1;
                }
            }
        }
        assert!(plain > 1000, "{plain}");
    }

    #[test]
    fn skipping_marks_by_bytes_agrees_with_the_character_walk() {
        // Marks of two bytes (U+0301, U+0651), three (U+200D) and none, after
        // ASCII, Arabic letters and at the end.
        let text = "a\u{0301}\u{0301}b ل\u{0651}م\u{200D}x\u{034F}ـ٪ \u{0301}";
        let b = text.as_bytes();
        for i in (0..=b.len()).filter(|&i| text.is_char_boundary(i)) {
            assert_eq!(skip_extend(b, i), skip_extend_run(b, i), "at {i}");
        }
    }

    fn texts(text: &str) -> Vec<String> {
        let norm = NormalizedText::new(text);
        tokenize(text, &norm)
            .iter()
            .map(|t| text[t.span()].to_string())
            .collect()
    }

    fn kinds(text: &str) -> Vec<TokenKind> {
        let norm = NormalizedText::new(text);
        tokenize(text, &norm).iter().map(|t| t.kind).collect()
    }

    #[test]
    fn numbers_with_separators_are_one_token() {
        for number in [
            "8.05",
            "1,772",
            "٢٫٥",
            "١٬٠٠٠",
            "10/13",
            "2020-2025",
            "24/12/2023",
            "1.234.567",
            "14:30",
            "24-12-2023",
            "2020–2025",
        ] {
            let text = format!("في {number} مليار");
            assert_eq!(texts(&text), ["في", number, "مليار"], "{number}");
            assert_eq!(kinds(&text)[1], TokenKind::Number, "{number}");
        }
    }

    #[test]
    fn percent_signs_are_symbols_of_their_own() {
        assert_eq!(texts("8.05٪"), ["8.05", "٪"]);
        assert_eq!(texts("%8"), ["%", "8"]);
        assert_eq!(
            kinds("8.05٪ %8"),
            [
                TokenKind::Number,
                TokenKind::Symbol,
                TokenKind::Symbol,
                TokenKind::Number
            ]
        );
    }

    #[test]
    fn conjunction_glued_to_digits_splits() {
        assert_eq!(texts("و٧٤٧٧ مسكنًا"), ["و", "٧٤٧٧", "مسكنًا"]);
        assert_eq!(texts("و7477"), ["و", "7477"]);
        assert_eq!(texts("الـ13"), ["الـ", "13"]);
        assert_eq!(texts("2023م"), ["2023", "م"]);
    }

    #[test]
    fn lam_with_tatweel_is_one_token() {
        assert_eq!(texts("لـ 18 مشروعًا"), ["لـ", "18", "مشروعًا"]);
        assert_eq!(texts("بـ5٪"), ["بـ", "5", "٪"]);
    }

    #[test]
    fn latin_letters_and_digits_join() {
        assert_eq!(
            texts("الطريق الوطني رقم 1A"),
            ["الطريق", "الوطني", "رقم", "1A"]
        );
        assert_eq!(texts("1234/QD-UBND"), ["1234", "/", "QD", "-", "UBND"]);
        assert_eq!(texts("TP.HCM"), ["TP.HCM"]);
        assert_eq!(texts("Hoàng Trung Dũng"), ["Hoàng", "Trung", "Dũng"]);
    }

    #[test]
    fn arabic_punctuation_is_punctuation() {
        assert_eq!(texts("المؤتمر.وحضر"), ["المؤتمر", ".", "وحضر"]);
        assert_eq!(kinds("، ؛ ؟ ."), [TokenKind::Punct; 4]);
        assert_eq!(texts("5،6"), ["5", "،", "6"]);
        assert_eq!(texts("2023؛ ونشر"), ["2023", "؛", "ونشر"]);
    }

    #[test]
    fn separator_at_the_end_is_punctuation() {
        assert_eq!(texts("عام 2023."), ["عام", "2023", "."]);
        assert_eq!(texts("(0)"), ["(", "0", ")"]);
        assert_eq!(texts("يتيم..."), ["يتيم", ".", ".", "."]);
    }

    #[test]
    fn other_scripts_fall_back_to_word_bounds() {
        assert_eq!(texts("طوكيو 東京 Москва"), ["طوكيو", "東", "京", "Москва"]);
        assert_eq!(kinds("東 😀"), [TokenKind::Word, TokenKind::Symbol]);
    }

    #[test]
    fn offsets_point_into_the_original() {
        let text = "في ٢٤ ديسمبر،\u{200F} برئاسة";
        let norm = NormalizedText::new(text);
        for t in tokenize(text, &norm) {
            let slice = &text[t.span()];
            assert!(!slice.contains('\u{200F}'));
        }
    }

    #[test]
    fn fast_and_reference_paths_agree_on_hard_spots() {
        for text in [
            "و٧٤٧٧ مسكنًا، بلغ 8.05٪ (المرتبة 15 من بين 63)؛ 10/13 محلية 1,772 مليار",
            "a.b ا.ب a:b 5;5 5،5 1A 1234/QD-UBND TP.HCM l'an 3'000 ١٬٠٠٠ ٢٫٥ ٫5 _x x_ a_5",
            "2020-2025 24/12/2023 14:30 \n\u{301}x \u{301}y \t\u{301} ب\u{301}1 a\u{2019}b 5\u{2044}2",
        ] {
            let norm = NormalizedText::new(text);
            assert_eq!(tokenize(text, &norm), tokenize_reference(text, &norm), "{text:?}");
        }
    }
}

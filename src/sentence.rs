//! Sentences: split on `.` `!` `?` `؟` `…` and on line breaks.
//!
//! The splitter works on tokens, so a full stop inside a number (`8.05`) is never a
//! boundary: the tokenizer already made it part of the number. A full stop after a
//! lone initial (`J. Biden`) or a known abbreviation (`د.`, `TP.`) does not end a
//! sentence either. Closing brackets and quotes after the terminator stay with the
//! sentence they close. Punctuation with no word or number (`|`, `***`) is not a
//! sentence.

use std::ops::Range;

use crate::lexicon::ABBREVIATIONS;
use crate::token::{Token, TokenKind};

/// A sentence: its byte span in the original text and the tokens it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Sentence {
    /// Byte offset of the first token.
    pub start: usize,
    /// Byte offset after the last token.
    pub end: usize,
    /// Index range into the document's tokens.
    pub tokens: Range<usize>,
}

/// Splits `tokens` into sentences. `original` is the text the tokens
/// point into; `norm` its normal form.
///
/// Not inlined: on its own, its walk over the tokens keeps the tokens and
/// the text in registers, where inlined into [`crate::Analysis::new`] beside
/// the tokenizer it read them from the stack at every token.
#[inline(never)]
pub fn split(original: &str, norm: &str, tokens: &[Token]) -> Vec<Sentence> {
    let mut splitter = Splitter::new(original, norm, tokens);
    let mut i = 0usize;
    while i < tokens.len() {
        i = next_to_look_at(original, norm.as_bytes(), tokens, splitter.start, i);
        if i == tokens.len() {
            break;
        }
        i = splitter.look_at(i);
    }
    splitter.finish()
}

/// [`split`], looking only at the tokens of `cues` (indices into `tokens`,
/// in order; those past its end are ignored): a list that holds every token
/// after a line break and every terminator, and may hold more. The
/// tokenizer notes them as it makes the tokens (`token::TokenSink`), from
/// the line breaks it steps over and the punctuation it makes, so that the
/// few dozen tokens between two of them (words one space apart, mostly)
/// are not read again here: they neither end nor start a sentence.
#[inline(never)]
pub(crate) fn split_at_cues(
    original: &str,
    norm: &str,
    tokens: &[Token],
    cues: &[u32],
) -> Vec<Sentence> {
    let mut splitter = Splitter::new(original, norm, tokens);
    // A sentence closes at a cue, or at the end.
    splitter.sentences.reserve(cues.len() + 1);
    // The first token not yet looked at or taken into a sentence.
    let mut i = 0usize;
    for &cue in cues {
        let cue = cue as usize;
        if cue >= tokens.len() {
            break;
        }
        if cue >= i {
            i = splitter.look_at(cue);
        }
    }
    splitter.finish()
}

/// The sentences of `tokens` as far as they are read: what [`split`] and
/// [`split_at_cues`] do at each token they look at.
struct Splitter<'t> {
    original: &'t str,
    norm: &'t str,
    tokens: &'t [Token],
    sentences: Vec<Sentence>,
    /// The first token of the sentence being read.
    start: usize,
}

impl<'t> Splitter<'t> {
    fn new(original: &'t str, norm: &'t str, tokens: &'t [Token]) -> Self {
        Splitter {
            original,
            norm,
            tokens,
            sentences: Vec::new(),
            start: 0,
        }
    }

    /// Looks at token `i`: a line break before it starts a new sentence,
    /// and a terminator (with the closings after it) ends the sentence.
    /// Returns the token after those read.
    #[inline]
    fn look_at(&mut self, i: usize) -> usize {
        let (original, norm, tokens) = (self.original, self.norm, self.tokens);
        if i > self.start
            && line_break_between(
                original,
                tokens[i - 1].end as usize,
                tokens[i].start as usize,
            )
        {
            close(&mut self.sentences, tokens, self.start..i);
            self.start = i;
        }
        let mut end = i + 1;
        if is_terminator(original, norm, tokens, i) {
            // Further terminators and closing brackets or quotes on the same line
            // belong to this sentence.
            while end < tokens.len()
                && !line_break_between(
                    original,
                    tokens[end - 1].end as usize,
                    tokens[end].start as usize,
                )
                && is_closing(&norm[tokens[end].norm_span()])
            {
                end += 1;
            }
            close(&mut self.sentences, tokens, self.start..end);
            self.start = end;
        }
        end
    }

    /// The sentences, the last one closed at the end of the tokens.
    fn finish(mut self) -> Vec<Sentence> {
        close(
            &mut self.sentences,
            self.tokens,
            self.start..self.tokens.len(),
        );
        self.sentences
    }
}

/// The first token from `i` on that may end the sentence begun at `start` or
/// start a new one: a punctuation token that may be a terminator
/// ([`may_terminate`]), or one after a gap that is not a single space (the
/// gap may hold a line break). The tokens between are words, numbers,
/// symbols and other punctuation one space or nothing apart, which neither
/// do. `norm` is the normal form the tokens point into.
#[inline]
fn next_to_look_at(original: &str, norm: &[u8], tokens: &[Token], start: usize, i: usize) -> usize {
    let b = original.as_bytes();
    if i == start || i >= tokens.len() {
        return i;
    }
    // Each token from `i` on, with the one before it.
    let passed = tokens[i - 1..].windows(2).position(|pair| {
        let (prev_end, t) = (pair[0].end as usize, &pair[1]);
        // Wrapping: a token that starts before the last one ends (two halves
        // of one ligature) is looked at.
        let gap = (t.start as usize).wrapping_sub(prev_end);
        (t.kind == TokenKind::Punct && may_terminate(norm, t.norm_start as usize))
            || (gap != 0 && (gap != 1 || b[prev_end] != b' '))
    });
    passed.map_or(tokens.len(), |k| i + k)
}

/// Whether the punctuation token at `at` in `norm` may be a terminator, by
/// the first bytes of its normal form: whether it starts with `. ! ?`, `؟`
/// (`D8 9F`), or the lead byte of `…` or `۔` (`E2`, `DB`). The rest, the
/// Arabic comma `،` (`D8 8C`, the commonest punctuation of the genre) above
/// all, are passed over like words, without decoding them.
#[inline(always)]
pub(crate) fn may_terminate(norm: &[u8], at: usize) -> bool {
    match norm.get(at) {
        Some(b'.' | b'!' | b'?' | 0xE2 | 0xDB) => true,
        Some(0xD8) => norm.get(at + 1) == Some(&0x9F),
        _ => false,
    }
}

/// Adds the sentence of `range`. A range with no word or number (the stray `|`
/// after `... الإقليمية.`) is not a sentence and is dropped.
fn close(out: &mut Vec<Sentence>, tokens: &[Token], range: Range<usize>) {
    let has_content = tokens[range.clone()]
        .iter()
        .any(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number));
    if !has_content {
        return;
    }
    let start = tokens[range.start].start as usize;
    let end = tokens[range.end - 1].end as usize;
    out.push(Sentence {
        start,
        end,
        tokens: range,
    });
}

#[inline]
fn line_break_between(original: &str, from: usize, to: usize) -> bool {
    // Most tokens are one space or nothing apart.
    match to.saturating_sub(from) {
        0 => false,
        1 => is_ascii_break(original.as_bytes()[from]),
        _ => line_break_in(&original[from..to]),
    }
}

fn is_ascii_break(b: u8) -> bool {
    matches!(b, b'\n' | b'\r' | 0x0B | 0x0C)
}

/// Whether a gap of two bytes or more holds a line break.
#[inline(never)]
fn line_break_in(gap: &str) -> bool {
    gap.bytes().any(is_ascii_break) || gap.contains(['\u{85}', '\u{2028}', '\u{2029}'])
}

/// The one character of `norm`, if it is one character. The terminators and
/// closings are single characters: decoding the token's and matching it
/// costs a few instructions, where comparing its text with each of them in
/// turn cost a call to `bcmp` for each one of two bytes or more (`،` is the
/// commonest punctuation of the genre).
#[inline]
fn single_char(norm: &str) -> Option<char> {
    let mut chars = norm.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

fn is_closing(norm: &str) -> bool {
    matches!(
        single_char(norm),
        Some(
            '.' | '!'
                | '?'
                | '؟'
                | '…'
                | '۔'
                | ')'
                | ']'
                | '}'
                | '"'
                | '\''
                | '»'
                | '”'
                | '’'
                | '›'
        )
    )
}

/// Whether token `i` ends its sentence.
fn is_terminator(original: &str, norm: &str, tokens: &[Token], i: usize) -> bool {
    let t = tokens[i];
    // Every terminator is punctuation: words and numbers need no comparing.
    if t.kind != TokenKind::Punct {
        return false;
    }
    match single_char(&norm[t.norm_span()]) {
        Some('!' | '?' | '؟' | '…' | '۔') => true,
        Some('.') => !after_abbreviation(original, norm, tokens, i),
        _ => false,
    }
}

/// Whether the full stop at token `i` closes an abbreviation or a lone initial
/// that touches it (`د.`, `J.`), rather than a sentence.
fn after_abbreviation(original: &str, norm: &str, tokens: &[Token], i: usize) -> bool {
    let Some(prev) = i.checked_sub(1).map(|p| tokens[p]) else {
        return false;
    };
    if prev.end != tokens[i].start || prev.kind != TokenKind::Word {
        return false;
    }
    // The word before the full stop that ends a sentence (`الإقليمية.`) is
    // nearly always longer than an abbreviation or an initial may be, and
    // is then neither: not scanned for capitals nor looked up.
    if prev.norm_span().len() > ABBREVIATION_OR_INITIAL_BYTES.max(ABBREVIATIONS.longest()) {
        return false;
    }
    // A full stop at the end of a line ends the sentence whatever precedes it.
    let after = tokens[i].end as usize;
    let next_on_line = tokens
        .get(i + 1)
        .is_some_and(|n| !line_break_between(original, after, n.start as usize));
    if !next_on_line {
        return false;
    }
    let word = &norm[prev.norm_span()];
    let lone_initial = {
        let mut chars = word.chars();
        matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase())
    };
    lone_initial || is_abbreviation(word)
}

/// The longest a lone initial may be, in bytes: one character.
const ABBREVIATION_OR_INITIAL_BYTES: usize = 4;

/// Whether `word` (a normal form) is a known abbreviation, whatever the case
/// of its Latin letters. A word with no capital, as every Arabic one, is
/// looked up as it is: lowercasing copied it to a new string.
fn is_abbreviation(word: &str) -> bool {
    if word.bytes().any(|b| b.is_ascii_uppercase()) {
        ABBREVIATIONS.contains(&word.to_ascii_lowercase())
    } else {
        ABBREVIATIONS.contains(word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::NormalizedText;
    use crate::token::tokenize;

    #[test]
    fn line_breaks_are_found_in_gaps_of_any_length() {
        let text = "a b\nc\r\nd \u{2028} e\u{85}f\u{0B}g \u{A0}h  i";
        for from in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            for to in (from..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                let expected = text[from..to].contains(['\n', '\r', '\u{0B}', '\u{0C}'])
                    || text[from..to].contains(['\u{85}', '\u{2028}', '\u{2029}']);
                assert_eq!(
                    line_break_between(text, from, to),
                    expected,
                    "{:?}",
                    &text[from..to]
                );
            }
        }
    }

    #[test]
    fn the_tokens_passed_over_neither_end_nor_start_a_sentence() {
        let (mut passed_over, mut looked_at) = (0, 0);
        for text in crate::text::corpus_texts() {
            let norm = NormalizedText::new(&text);
            let tokens = tokenize(&text, &norm);
            // From every token, as if a sentence had begun at the one before.
            for i in 1..tokens.len() {
                let next = next_to_look_at(&text, norm.as_str().as_bytes(), &tokens, i - 1, i);
                for k in i..next {
                    let (end, start) = (tokens[k - 1].end as usize, tokens[k].start as usize);
                    assert!(!line_break_between(&text, end, start), "{k}");
                    assert!(!is_terminator(&text, norm.as_str(), &tokens, k), "{k}");
                }
                passed_over += usize::from(next > i);
                looked_at += usize::from(next == i);
            }
        }
        assert!(passed_over > looked_at, "{passed_over} {looked_at}");
    }

    #[test]
    fn the_cues_hold_every_token_that_ends_or_starts_a_sentence() {
        let mut texts = crate::text::corpus_texts();
        texts.extend(
            [
                "بلغ النمو 8.05٪. وجرى تعزيز الإصلاح! هل تم؟ نعم\nسطر جديد",
                "قال: «نحن هنا.» ثم (هذا.) بعد\r\nسطر \u{2028} آخر\u{85}ثالث\u{0B}رابع",
                "قال د. نجوين إن. ثم… قال۔ \u{200F}\nTP. Hồ 10/13 - 14:30.\n\n\u{064B}ب",
                "ﻻ.ﷺ\nﻻ؟ 東京. a\u{301}.\n\u{301}. ***\n| ... الإقليمية. |\n",
            ]
            .map(String::from),
        );
        let (mut breaks, mut terminators) = (0, 0);
        for text in &texts {
            let norm = NormalizedText::new(text);
            let tokenized = crate::token::tokenize_forms(text, &norm);
            let (tokens, cues) = (&tokenized.tokens, &tokenized.sentence_cues);
            assert!(cues.windows(2).all(|w| w[0] < w[1]), "cues in order");
            for k in 0..tokens.len() {
                let cue = cues.binary_search(&(k as u32)).is_ok();
                if k > 0
                    && line_break_between(
                        text,
                        tokens[k - 1].end as usize,
                        tokens[k].start as usize,
                    )
                {
                    assert!(cue, "line break before {k} in {text:?}");
                    breaks += 1;
                }
                if is_terminator(text, norm.as_str(), tokens, k) {
                    assert!(cue, "terminator {k} in {text:?}");
                    terminators += 1;
                }
            }
            // The whole text, and a body that ends before its last tokens.
            for body in [tokens.len(), tokens.len() * 9 / 10] {
                assert_eq!(
                    split_at_cues(text, norm.as_str(), &tokens[..body], cues),
                    split(text, norm.as_str(), &tokens[..body]),
                    "{text:?}"
                );
            }
        }
        assert!(breaks > 400 && terminators > 400, "{breaks} {terminators}");
    }

    #[test]
    fn terminators_and_closings_are_matched_as_by_their_text() {
        let mut punctuation = 0;
        for text in crate::text::corpus_texts() {
            let norm = NormalizedText::new(&text);
            let tokens = tokenize(&text, &norm);
            for (i, t) in tokens.iter().enumerate() {
                let s = &norm.as_str()[t.norm_span()];
                let closing = matches!(
                    s,
                    "." | "!"
                        | "?"
                        | "؟"
                        | "…"
                        | "۔"
                        | ")"
                        | "]"
                        | "}"
                        | "\""
                        | "'"
                        | "»"
                        | "”"
                        | "’"
                        | "›"
                );
                assert_eq!(is_closing(s), closing, "{s:?}");
                let terminator = t.kind == TokenKind::Punct
                    && match s {
                        "!" | "?" | "؟" | "…" | "۔" => true,
                        "." => !after_abbreviation(&text, norm.as_str(), &tokens, i),
                        _ => false,
                    };
                assert_eq!(
                    is_terminator(&text, norm.as_str(), &tokens, i),
                    terminator,
                    "{s:?}"
                );
                punctuation += usize::from(t.kind == TokenKind::Punct);
            }
        }
        assert!(punctuation > 1000, "{punctuation}");
        // Marks glued to a terminator make it another token.
        for s in ["!\u{301}", "..", "", "،", "؟", "…"] {
            assert_eq!(is_closing(s), matches!(s, "؟" | "…"), "{s:?}");
        }
    }

    #[test]
    fn abbreviations_are_found_in_any_case_without_a_copy() {
        let mut words = vec![
            "TP", "tp", "Tp", "DR", "Dr", "د", "م", "J", "Hoàng", "UBND", "",
        ];
        let texts = crate::text::corpus_texts();
        let norms: Vec<NormalizedText> = texts.iter().map(|t| NormalizedText::new(t)).collect();
        for (text, norm) in texts.iter().zip(&norms) {
            for t in tokenize(text, norm) {
                words.push(&norm.as_str()[t.norm_span()]);
            }
        }
        let mut found = 0;
        for word in words {
            let expected = ABBREVIATIONS.contains(&word.to_ascii_lowercase());
            assert_eq!(is_abbreviation(word), expected, "{word:?}");
            found += usize::from(expected);
        }
        assert!(found > 10, "{found}");
    }

    #[test]
    fn words_longer_than_the_bound_are_neither_abbreviations_nor_initials() {
        let longest = ABBREVIATIONS.words().map(str::len).max().expect("entries");
        assert_eq!(ABBREVIATIONS.longest(), longest);
        let bound = ABBREVIATION_OR_INITIAL_BYTES.max(longest);
        let mut words = vec!["TP".to_string(), "Ubnd".to_string(), "J".to_string()];
        for c in ['\u{10400}', 'É', 'Ж', '\u{1D400}'] {
            words.push(c.to_string());
        }
        for text in crate::text::corpus_texts() {
            let norm = NormalizedText::new(&text);
            for t in tokenize(&text, &norm) {
                words.push(norm.as_str()[t.norm_span()].to_string());
            }
        }
        let (mut beyond, mut within) = (0, 0);
        for word in &words {
            let mut chars = word.chars();
            let lone_initial =
                matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase());
            if word.len() > bound {
                assert!(!lone_initial && !is_abbreviation(word), "{word:?}");
                beyond += 1;
            } else {
                within += usize::from(lone_initial || is_abbreviation(word));
            }
        }
        assert!(beyond > 10_000 && within > 10, "{beyond} {within}");
    }

    fn sentences(text: &str) -> Vec<&str> {
        let norm = NormalizedText::new(text);
        let tokens = tokenize(text, &norm);
        split(text, norm.as_str(), &tokens)
            .into_iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn splits_on_terminators_and_line_breaks() {
        assert_eq!(
            sentences("بلغ النمو 8.05٪. وجرى تعزيز الإصلاح! هل تم؟ نعم\nسطر جديد"),
            [
                "بلغ النمو 8.05٪.",
                "وجرى تعزيز الإصلاح!",
                "هل تم؟",
                "نعم",
                "سطر جديد"
            ]
        );
    }

    #[test]
    fn never_splits_inside_a_number() {
        assert_eq!(sentences("بلغ 8.05 مليار. ثم"), ["بلغ 8.05 مليار.", "ثم"]);
    }

    #[test]
    fn abbreviations_and_initials_do_not_end_sentences() {
        assert_eq!(sentences("قال د. نجوين إن. ثم"), ["قال د. نجوين إن.", "ثم"]);
        assert_eq!(
            sentences("President J. Biden said. Then"),
            ["President J. Biden said.", "Then"]
        );
        assert_eq!(
            sentences("TP. Hồ Chí Minh is big."),
            ["TP. Hồ Chí Minh is big."]
        );
    }

    #[test]
    fn closing_quotes_and_brackets_stay() {
        assert_eq!(
            sentences("قال: «نحن هنا.» ثم (هذا.) بعد"),
            ["قال: «نحن هنا.»", "ثم (هذا.)", "بعد"]
        );
    }

    #[test]
    fn punctuation_alone_is_not_a_sentence() {
        assert_eq!(
            sentences("الإقليمية. |\nويحضر المؤتمر."),
            ["الإقليمية.", "ويحضر المؤتمر."]
        );
        assert_eq!(sentences("***\n"), Vec::<&str>::new());
    }
}

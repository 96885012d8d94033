//! Site chrome and byline: the lines a news site adds after the article.
//!
//! Articles of the genre end like this:
//!
//! ```text
//! ... للفترة 2020-2025.
//! ثو ها
//! مصدر
//! تعليق (0)
//! ```
//!
//! The last lines that match the chrome lexicon (`data/chrome/lines.txt`, compared
//! without a trailing count `(0)` or `: value`) are chrome; a short line of letters
//! right above them is the byline. Nothing from the byline down is part of the
//! body: no sentence and no entity comes from it.

use std::ops::Range;

use crate::lexicon::CHROME_LINES;
use crate::text::NormalizedText;

/// How many lines from the end are looked at: chrome is a handful of lines.
const MAX_CHROME_LINES: usize = 12;
/// A byline is a name or two: at most this many words and characters.
const MAX_BYLINE_WORDS: usize = 6;
const MAX_BYLINE_CHARS: usize = 60;

/// Where the body of an article ends and what its byline is.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Chrome {
    /// Byte offset where the chrome (byline included) starts; the text's length
    /// when there is none.
    pub body_end: usize,
    /// The byline's byte span in the original text, trimmed.
    pub byline: Option<Range<usize>>,
}

/// Finds the chrome at the end of `original`.
///
/// ```
/// use akhbar::chrome::detect;
/// let text = "عقدت اللجنة مؤتمرا.\nثو ها\nمصدر\nتعليق (0)\n";
/// let chrome = detect(text);
/// assert_eq!(&text[chrome.byline.unwrap()], "ثو ها");
/// assert_eq!(&text[..chrome.body_end], "عقدت اللجنة مؤتمرا.\n");
/// ```
pub fn detect(original: &str) -> Chrome {
    let mut chrome_start = None;
    let mut candidate = None;
    for (n, line) in lines_backwards(original).enumerate() {
        if n >= MAX_CHROME_LINES {
            break;
        }
        let text = original[line.clone()].trim();
        if text.is_empty() {
            continue;
        }
        if is_chrome_line(text) {
            chrome_start = Some(line.start);
            continue;
        }
        candidate = Some(line);
        break;
    }
    let Some(chrome_start) = chrome_start else {
        return Chrome {
            body_end: original.len(),
            byline: None,
        };
    };
    match candidate.filter(|line| is_byline(original[line.clone()].trim())) {
        Some(line) => {
            let raw = &original[line.clone()];
            let lead = raw.len() - raw.trim_start().len();
            let start = line.start + lead;
            Chrome {
                body_end: line.start,
                byline: Some(start..start + raw.trim().len()),
            }
        }
        None => Chrome {
            body_end: chrome_start,
            byline: None,
        },
    }
}

/// The byte ranges of the lines of `s`, last first, without their line breaks.
fn lines_backwards(s: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut end = s.len();
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let start = s[..end].rfind('\n').map_or(0, |i| i + 1);
        let line = start..end;
        if start == 0 {
            done = true;
        } else {
            end = start - 1;
        }
        Some(line)
    })
}

fn is_chrome_line(line: &str) -> bool {
    if line.chars().count() > 40 {
        return false;
    }
    let norm = NormalizedText::new(line);
    let mut key = norm.as_str().trim();
    // `تعليق (0)`: drop a trailing count.
    if let Some(open) = key.rfind('(') {
        let inner = key[open + 1..].trim_end_matches(')').trim();
        if key.ends_with(')') && inner.bytes().all(|b| b.is_ascii_digit()) {
            key = key[..open].trim();
        }
    }
    // `المصدر: وكالة الأنباء`: the label before the colon.
    if let Some(colon) = key.find(':') {
        key = key[..colon].trim();
    }
    CHROME_LINES.contains(&key.to_lowercase())
}

fn is_byline(line: &str) -> bool {
    let words = line.split_whitespace().count();
    (1..=MAX_BYLINE_WORDS).contains(&words)
        && line.chars().count() <= MAX_BYLINE_CHARS
        && line.chars().all(|c| {
            is_arabic_letter(c)
                || c.is_alphabetic()
                || c.is_whitespace()
                || matches!(c, '.' | '-' | '/' | '(' | ')')
                || is_mark(c)
        })
}

/// A letter of the Arabic block (`ء` to `ي`, with the tatweel): alphabetic,
/// told by its range before `char::is_alphabetic` searches Unicode's tables
/// for it, as it does for every letter beyond ASCII.
fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0621}'..='\u{064A}')
}

fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x0640 | 0x064B..=0x065F | 0x0670)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_letters_are_alphabetic() {
        let letters = ('\u{0600}'..='\u{06FF}').filter(|&c| is_arabic_letter(c));
        assert_eq!(letters.clone().count(), 0x64A - 0x621 + 1);
        assert!(letters.into_iter().all(char::is_alphabetic));
    }

    #[test]
    fn finds_byline_above_chrome() {
        let text = "نص المقال.\nثو ها\nمصدر\nتعليق (0)";
        let c = detect(text);
        assert_eq!(&text[c.byline.clone().unwrap()], "ثو ها");
        assert_eq!(c.body_end, "نص المقال.\n".len());
    }

    #[test]
    fn chrome_without_byline() {
        let text = "نص المقال الطويل جدا الذي ينتهي بنقطة.\nالمصدر: وكالة الأنباء الفيتنامية\nتعليق (12)\n\n";
        let c = detect(text);
        assert_eq!(c.byline, None);
        assert_eq!(
            &text[..c.body_end],
            "نص المقال الطويل جدا الذي ينتهي بنقطة.\n"
        );
    }

    #[test]
    fn sentence_above_chrome_is_not_a_byline() {
        let text = "بلغ النمو 8.05٪ في عام 2023.\nمصدر";
        let c = detect(text);
        assert_eq!(c.byline, None);
        assert_eq!(c.body_end, text.find("مصدر").unwrap());
    }

    #[test]
    fn no_chrome_means_all_body() {
        let text = "ثو ها\nنص المقال.";
        assert_eq!(
            detect(text),
            Chrome {
                body_end: text.len(),
                byline: None
            }
        );
        assert_eq!(
            detect(""),
            Chrome {
                body_end: 0,
                byline: None
            }
        );
    }

    #[test]
    fn chrome_words_inside_the_body_do_not_count() {
        let text = "مصدر\nنص المقال عن مصدر المياه.";
        assert_eq!(detect(text).body_end, text.len());
    }
}

//! Invariants that hold for any input: no panic, every span points into the
//! text it came from, and the JSON writer writes what serde_json writes.

use akhbar::input::decode;
use akhbar::text::NormalizedText;
use akhbar::token::{tokenize, tokenize_reference};
use akhbar::Analysis;
use proptest::prelude::*;

/// Checks the invariants of the analysis of `text`.
fn check(text: &str) -> Result<(), TestCaseError> {
    let doc = Analysis::new(text);
    let norm = doc.normalized();
    let mut prev_end = 0usize;
    for t in doc.tokens() {
        let span = t.span();
        prop_assert!(span.start < span.end, "empty token at {}", span.start);
        prop_assert!(
            span.start >= prev_end,
            "tokens overlap or go back at {}",
            span.start
        );
        prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        prop_assert_eq!(doc.text(t), &text[span.clone()]);
        prop_assert_eq!(
            text[..span.start].chars().count(),
            doc.char_offset(span.start)
        );
        prop_assert_eq!(text[..span.end].chars().count(), doc.char_offset(span.end));
        prop_assert!(norm.as_str().is_char_boundary(t.norm_start as usize));
        prop_assert!(norm.as_str().is_char_boundary(t.norm_end as usize));
        prop_assert!(doc.stem(t).len() <= doc.norm(t).len());
        // The tokenizer's cursor and the binary search agree.
        prop_assert_eq!(norm.to_original(t.norm_span()), span.clone());
        prev_end = span.end;
    }
    // Every entity's text is the slice it claims, in text order, in the body.
    let mut prev = 0usize;
    for e in akhbar::Akhbar::new().entities(&doc) {
        prop_assert!(
            text.is_char_boundary(e.start) && text.is_char_boundary(e.end) && e.start < e.end
        );
        prop_assert_eq!(&e.text, &text[e.start..e.end]);
        prop_assert_eq!(text[..e.start].chars().count(), e.char_start);
        prop_assert_eq!(text[..e.end].chars().count(), e.char_end);
        prop_assert!(e.start >= prev && e.end <= doc.chrome().body_end);
        prop_assert!(e.sentence < doc.sentences().len().max(1));
        prev = e.end;
    }
    let mut prev = 0usize;
    for s in doc.sentences() {
        prop_assert!(s.start >= prev && s.start < s.end && s.end <= doc.chrome().body_end);
        prev = s.end;
    }
    // The offset map sends every normal-form boundary to an original boundary,
    // without going back.
    let mut last = 0usize;
    for (i, _) in norm.as_str().char_indices() {
        let at = norm.to_original_start(i);
        prop_assert!(text.is_char_boundary(at) && at >= last);
        last = at;
    }
    Ok(())
}

/// Characters of the genre: Arabic letters, marks and digits, Latin, the
/// separators and punctuation the tokenizer has rules for, invisible controls.
fn genre_char() -> impl Strategy<Value = char> {
    prop::sample::select(vec![
        'و', 'ب', 'ل', 'ا', 'أ', 'ى', 'ة', 'م', 'ن', 'ـ', '\u{064B}', '\u{0651}', '٠', '٧', '۳',
        '٫', '٬', '٪', '،', '؛', '؟', 'a', 'Z', 'ê', 'ơ', '0', '5', '9', '.', ',', ';', ':', '\'',
        '’', '/', '-', '–', '%', '(', ')', '«', '»', '_', '|', ' ', ' ', '\n', '\t', '\u{200F}',
        '\u{200B}', '\u{00A0}', '\u{0301}', '·', 'ﻻ', 'ﺆ', '東', '😀',
    ])
}

/// Characters for the JSON writer: every one it escapes, ASCII, Arabic, the
/// line and paragraph separators (written raw), and any character at all.
fn json_char() -> impl Strategy<Value = char> {
    prop_oneof![
        prop::char::range('\0', '\u{7f}'),
        prop::sample::select(vec!['"', '\\', '\u{2028}', '\u{2029}', 'و', 'ة', '😀']),
        any::<char>(),
    ]
}

fn json_char_string() -> impl Strategy<Value = String> {
    prop::collection::vec(json_char(), 0..40).prop_map(|chars| chars.into_iter().collect())
}

/// Words that make figures: so that the property tests reach the extractors.
fn figure_word() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "الأشهر",
        "الأيام",
        "المئة",
        "الستة",
        "الأخيرة",
        "الأولى",
        "الشهر",
        "القمري",
        "اليوم",
        "العاشر",
        "الساعة",
        "14:30",
        "صباح",
        "يوم",
        "الاثنين",
        "السيد",
        "هوانج",
        "ترونج",
        "دونج",
        "رئيس",
        "الوزراء",
        "الياباني",
        "مقاطعة",
        "ها",
        "تينه",
        "،",
        "يومي",
        "بين",
        "عامي",
        "نهاية",
        "أمس",
        "سنوات",
        "عامين",
        "مئتين",
        "مليار",
        "دونج",
        "دولار",
        "أمريكي",
        "٪",
        "في المائة",
        "أكثر من",
        "ما بين",
        "و",
        "من",
        "إلى",
        "أصل",
        "المرتبة",
        "التاسع",
        "عشر",
        "خمسة",
        "وعشرون",
        "ألفًا",
        "مشروعين",
        "مسكنًا",
        "هكتار",
        "للكيلوغرام",
        "عام",
        "ديسمبر",
        "رقم",
        "الـ",
        "/",
        "-",
        "1,772",
        "8.05",
        "٧٤٧٧",
        "10/13",
        "2020-2025",
        "15",
        "63",
        " ",
        "\n",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let (text, _) = decode(bytes);
        check(&text)?;
    }

    /// Valid text is kept as it is; each invalid sequence becomes one U+FFFD,
    /// as with `String::from_utf8_lossy`, and is reported.
    #[test]
    fn decoding_replaces_invalid_utf8(
        text in "\\PC{0,200}",
        at in any::<prop::sample::Index>(),
        byte in any::<u8>(),
        corrupt in any::<bool>(),
    ) {
        let mut bytes = text.into_bytes();
        if corrupt && !bytes.is_empty() {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        let valid = std::str::from_utf8(&bytes).is_ok();
        let expected = String::from_utf8_lossy(&bytes).into_owned();
        let (decoded, warnings) = decode(bytes);
        prop_assert_eq!(decoded, expected);
        prop_assert_eq!(warnings.is_empty(), valid);
    }

    #[test]
    fn arbitrary_text_keeps_offsets(text in "\\PC{0,200}") {
        check(&text)?;
    }

    #[test]
    fn figure_text_keeps_offsets(words in prop::collection::vec(figure_word(), 0..40)) {
        let text = words.join(" ");
        check(&text)?;
    }

    #[test]
    fn genre_text_keeps_offsets(chars in prop::collection::vec(genre_char(), 0..120)) {
        let text: String = chars.into_iter().collect();
        check(&text)?;
    }

    /// The JSON writer escapes any string as serde_json does: as the id, the
    /// source and the text (so in entities and tokens) of a record.
    #[test]
    fn json_writer_agrees_with_serde(
        id in json_char_string(),
        source in json_char_string(),
        words in prop::collection::vec(figure_word(), 0..20),
        chars in prop::collection::vec(json_char(), 0..80),
    ) {
        let mut text = words.join(" ");
        text.extend(chars);
        let input = akhbar::input::InputText::new(id, source, text);
        let options = akhbar::Options::default().with_tokens(true);
        let record = akhbar::Record::Document(Box::new(
            akhbar::Akhbar::new().document(&input, &options),
        ));
        let mut mine = Vec::new();
        record.write_json(&mut mine);
        prop_assert_eq!(
            String::from_utf8(mine).unwrap(),
            serde_json::to_string(&record).unwrap()
        );
    }

    /// The fast path and the UAX #29 reference agree wherever the fast path
    /// classifies every character itself (so not on `東` or emoji).
    #[test]
    fn fast_path_agrees_with_reference(chars in prop::collection::vec(genre_char(), 0..120)) {
        let text: String = chars.into_iter().filter(|c| !matches!(c, '東' | '😀')).collect();
        let norm = NormalizedText::new(&text);
        prop_assert_eq!(tokenize(&text, &norm), tokenize_reference(&text, &norm));
    }
}

#[test]
fn fast_path_agrees_with_reference_on_the_corpus() {
    for dir in ["corpus/dev", "corpus/test"] {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "txt") {
                let text = std::fs::read_to_string(&path).unwrap();
                let norm = NormalizedText::new(&text);
                assert_eq!(
                    tokenize(&text, &norm),
                    tokenize_reference(&text, &norm),
                    "{}",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn huge_line_and_nul_bytes() {
    let mut text = "٢٠٢٣ مسكنًا ".repeat(20_000);
    text.push('\0');
    text.push_str(&"x".repeat(100_000));
    let doc = Analysis::new(&text);
    assert_eq!(doc.tokens().len(), 40_001);
    assert_eq!(doc.sentences().len(), 1);
}

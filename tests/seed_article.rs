//! The seed article (`corpus/dev/seed-article.txt`, the user's example of the
//! genre): its hard spots, tokens, clitics, sentences and chrome.

use akhbar::token::{Token, TokenKind};
use akhbar::Analysis;

const SEED: &str = include_str!("../corpus/dev/seed-article.txt");

/// The tokens that start at the first occurrence of `needle`, as (text, kind,
/// norm) for the next `n` tokens.
fn tokens_at(doc: &Analysis<'_>, needle: &str, n: usize) -> Vec<(String, TokenKind, String)> {
    let at = SEED
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the seed"));
    let first = doc
        .tokens()
        .iter()
        .position(|t| t.start as usize >= at)
        .expect("a token after it");
    doc.tokens()[first..first + n]
        .iter()
        .map(|t| (doc.text(t).to_string(), t.kind, doc.norm(t).to_string()))
        .collect()
}

fn tok(text: &str, kind: TokenKind, norm: &str) -> (String, TokenKind, String) {
    (text.to_string(), kind, norm.to_string())
}

use TokenKind::{Number, Punct, Symbol, Word};

#[test]
fn percent_after_decimal() {
    let doc = Analysis::new(SEED);
    assert_eq!(
        tokens_at(&doc, "8.05٪ (", 4),
        [
            tok("8.05", Number, "8.05"),
            tok("٪", Symbol, "٪"),
            tok("(", Punct, "("),
            tok("المرتبة", Word, "المرتبة")
        ]
    );
}

#[test]
fn numbers_with_separators() {
    let doc = Analysis::new(SEED);
    assert_eq!(
        tokens_at(&doc, "1,772 مليار", 2),
        [tok("1,772", Number, "1,772"), tok("مليار", Word, "مليار")]
    );
    assert_eq!(
        tokens_at(&doc, "10/13 محلية", 2),
        [tok("10/13", Number, "10/13"), tok("محلية", Word, "محلية")]
    );
    assert_eq!(
        tokens_at(&doc, "2020-2025", 2),
        [tok("2020-2025", Number, "2020-2025"), tok(".", Punct, ".")]
    );
}

#[test]
fn conjunction_glued_to_arabic_indic_digits() {
    let doc = Analysis::new(SEED);
    assert_eq!(
        tokens_at(&doc, "و٧٤٧٧ مسكنًا", 3),
        [
            tok("و", Word, "و"),
            tok("٧٤٧٧", Number, "7477"),
            tok("مسكنًا", Word, "مسكنا")
        ]
    );
    assert_eq!(
        tokens_at(&doc, "٣٠٥ طلابًا", 2),
        [tok("٣٠٥", Number, "305"), tok("طلابًا", Word, "طلابا")]
    );
}

#[test]
fn lam_tatweel_before_a_number() {
    let doc = Analysis::new(SEED);
    assert_eq!(
        tokens_at(&doc, "لـ 18 مشروعًا", 3),
        [
            tok("لـ", Word, "ل"),
            tok("18", Number, "18"),
            tok("مشروعًا", Word, "مشروعا")
        ]
    );
}

#[test]
fn arabic_punctuation_and_the_stray_bar() {
    let doc = Analysis::new(SEED);
    assert_eq!(
        tokens_at(&doc, "عام 2023؛ ونشر", 4),
        [
            tok("عام", Word, "عام"),
            tok("2023", Number, "2023"),
            tok("؛", Punct, "؛"),
            tok("ونشر", Word, "ونشر")
        ]
    );
    assert_eq!(tokens_at(&doc, "الإقليمية. |", 3)[2], tok("|", Symbol, "|"));
    assert_eq!(
        tokens_at(&doc, "يتيم...", 4)[1..],
        [
            tok(".", Punct, "."),
            tok(".", Punct, "."),
            tok(".", Punct, ".")
        ]
    );
}

#[test]
fn clitics_of_seed_words() {
    let doc = Analysis::new(SEED);
    let analysed = |word: &str| -> (Vec<&'static str>, String) {
        let t: &Token = doc
            .tokens()
            .iter()
            .find(|t| doc.text(t) == word)
            .unwrap_or_else(|| panic!("{word:?} is not a token of the seed"));
        (t.clitics.prefixes().collect(), doc.stem(t).to_string())
    };
    assert_eq!(
        analysed("والمنظمات"),
        (vec!["و", "ال"], "منظمات".to_string())
    );
    assert_eq!(analysed("للجنة"), (vec!["ل", "ال"], "لجنة".to_string()));
    assert_eq!(analysed("للحزب"), (vec!["ل", "ال"], "حزب".to_string()));
    assert_eq!(analysed("ومشروعين"), (vec!["و"], "مشروعين".to_string()));
    assert_eq!(analysed("بتكلفة"), (vec!["ب"], "تكلفة".to_string()));
    assert_eq!(analysed("مسكنًا"), (vec![], "مسكنا".to_string()));
    assert_eq!(analysed("بلغ"), (vec![], "بلغ".to_string()));
    assert_eq!(analysed("لجان"), (vec![], "لجان".to_string()));
    assert_eq!(analysed("فيما"), (vec![], "فيما".to_string()));
    assert_eq!(analysed("اللجنة"), (vec!["ال"], "لجنة".to_string()));
}

#[test]
fn sentence_boundaries() {
    let doc = Analysis::new(SEED);
    let sentences: Vec<&str> = doc
        .sentences()
        .iter()
        .map(|s| &SEED[s.start..s.end])
        .collect();
    assert_eq!(sentences.len(), 31);
    assert_eq!(
        sentences[0],
        "وفي إطار توضيح النتائج في القيادة والتوجيه في عام 2023، استخلصت اللجنة الدائمة للجنة الحزب الإقليمية في ها تينه الدروس من تجربتها في القيادة والتوجيه ووجدت حلولاً لتنفيذ المهام بشكل فعال في الفترة المقبلة."
    );
    // The full stop after a sentence ends it, the stray `|` after it is no sentence.
    assert!(sentences[3].ends_with("وأعضاء اللجنة الدائمة للجنة الحزب الإقليمية."));
    assert_eq!(sentences[4], "ويحضر المؤتمر مندوبون مركزيون.");
    // `8.05` does not end a sentence; `؛` does not either.
    assert!(sentences[16].starts_with("فيما يتعلق بالنتائج الاجتماعية والاقتصادية"));
    assert!(sentences[16].contains("8.05٪ (المرتبة 15 من بين 63"));
    assert!(sentences[16].ends_with("أكملت مهمة بناء مناطق ريفية جديدة."));
    assert!(sentences[23].ends_with("وكفل ٣٥٠٠ يتيم..."));
    assert_eq!(
        sentences[25],
        "يتحدث السكرتير الإقليمي للحزب هوانج ترونج دونج في المؤتمر."
    );
    assert!(sentences[30].ends_with("للفترة 2020-2025."));
}

#[test]
fn byline_and_chrome() {
    let doc = Analysis::new(SEED);
    assert_eq!(doc.byline(), Some("ثو ها"));
    assert_eq!(&SEED[doc.chrome().body_end..], "ثو ها\nمصدر\nتعليق (0)");
    // The chrome is tokenized but offered to no extractor.
    let body_end = doc.chrome().body_end as u32;
    assert!(doc.body_tokens().iter().all(|t| t.end <= body_end));
    assert_eq!(doc.tokens().len() - doc.body_tokens().len(), 7);
}

/// The seed's predicted and gold mentions of `kinds`, as JSON, compared.
fn compare_with_gold(kinds: &[&str]) -> (Vec<serde_json::Value>, akhbar::eval::Comparison) {
    let gold =
        akhbar::eval::read_gold(std::path::Path::new("corpus/dev/seed-article.gold.json")).unwrap();
    let doc = Analysis::new(SEED);
    let of_kind = |v: &serde_json::Value| kinds.contains(&v["kind"].as_str().unwrap());
    let predicted: Vec<serde_json::Value> = akhbar::Akhbar::new()
        .entities(&doc)
        .iter()
        .map(|e| serde_json::to_value(e).unwrap())
        .filter(of_kind)
        .collect();
    let gold: Vec<serde_json::Value> = gold.entities.into_iter().filter(of_kind).collect();
    let comparison = akhbar::eval::compare(&gold, &predicted);
    assert!(
        comparison.misses.is_empty() && comparison.false_alarms.is_empty(),
        "misses {:#?}\nfalse alarms {:#?}",
        comparison.misses,
        comparison.false_alarms
    );
    (predicted, comparison)
}

#[test]
fn dates_match_the_gold() {
    let (predicted, akhbar::eval::Comparison { kinds, .. }) = compare_with_gold(&["date"]);
    assert_eq!((kinds["date"].matched, kinds["date"].gold), (13, 13));
    let texts: Vec<&str> = predicted
        .iter()
        .map(|v| v["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts[..6],
        [
            "عام 2023",
            "عام 2023",
            "عام 2024",
            "24 ديسمبر",
            "عام 2023",
            "عام 2024"
        ]
    );
    let last = predicted.last().unwrap();
    assert_eq!(
        (&last["text"], &last["from"], &last["to"]),
        (
            &serde_json::json!("2020-2025"),
            &serde_json::json!("2020"),
            &serde_json::json!("2025")
        )
    );
    assert_eq!(predicted[3]["value"], "--12-24");
}

#[test]
fn figures_match_the_gold() {
    let (predicted, akhbar::eval::Comparison { kinds, .. }) =
        compare_with_gold(&["money", "percent", "ordinal", "ratio", "number"]);
    let matched = |k: &str| (kinds[k].matched, kinds[k].gold);
    assert_eq!(matched("money"), (6, 6));
    assert_eq!(matched("percent"), (1, 1));
    assert_eq!(matched("ordinal"), (4, 4));
    assert_eq!(matched("ratio"), (1, 1));
    assert_eq!(matched("number"), (10, 10));
    // Spans and values, exactly: the dual and the money amount with its qualifier.
    let dual = predicted
        .iter()
        .find(|v| v["text"] == "مشروعين")
        .expect("the dual");
    assert_eq!(dual["value"], 2);
    assert_eq!(dual["counted"], "مشروع");
    let money = predicted
        .iter()
        .find(|v| v["text"] == "تزيد عن ١٦١ مليار دونج")
        .expect("the amount");
    assert_eq!(money["amount"], 161_000_000_000u64);
    assert_eq!(money["qualifier"], "gt");
    let start = money["start"].as_u64().unwrap() as usize;
    let end = money["end"].as_u64().unwrap() as usize;
    assert_eq!(&SEED[start..end], "تزيد عن ١٦١ مليار دونج");
    assert_eq!(
        SEED[..start].chars().count(),
        money["char_start"].as_u64().unwrap() as usize
    );
}

#[test]
fn persons_and_places_match_the_gold() {
    let record = akhbar::Akhbar::new().document(
        &akhbar::input::InputText::new("seed-article", "seed", SEED.to_string()),
        &akhbar::Options::default(),
    );
    let persons: Vec<serde_json::Value> = record
        .entities
        .iter()
        .map(|e| serde_json::to_value(e).unwrap())
        .filter(|v| v["kind"] == "person")
        .collect();
    let names: Vec<&str> = persons
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "هوانج ترونج دونج",
            "تران ذا دونج",
            "فو ترونغ هاي",
            "هو تشي مينه",
            "هاي ثونغ لان أونغ لي هو تراك",
            "هوانج ترونج دونج",
            "هوانج ترونج دونج"
        ]
    );
    let roles = |v: &serde_json::Value| -> Vec<String> {
        v["titles"]
            .as_array()
            .map(|ts| {
                ts.iter()
                    .map(|t| t["role"].as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(roles(&persons[0]), ["party_secretary"]);
    assert_eq!(roles(&persons[1]), ["standing_deputy_party_secretary"]);
    assert_eq!(roles(&persons[2]), ["deputy_party_secretary", "chairman"]);
    assert!(roles(&persons[3]).is_empty());
    assert_eq!(roles(&persons[5]), ["party_secretary"]);
    assert_eq!(roles(&persons[6]), ["party_secretary"]);
    assert_eq!(persons[0]["latin"], "Hoang Trung Dung");
    assert_eq!(persons[1]["latin"], "Tran The Dung");
    assert_eq!(persons[2]["latin"], "Vo Trong Hai");
    assert_eq!(persons[3]["latin"], "Ho Chi Minh");
    // Hoang Trung Dung is one person with three mentions.
    let dung = record
        .persons
        .iter()
        .find(|p| p.name == "هوانج ترونج دونج")
        .expect("merged");
    assert_eq!(dung.mentions.len(), 3);
    assert_eq!(record.persons.len(), 5);
    // Ha Tinh is a place, four times, and never a person.
    let places: Vec<serde_json::Value> = record
        .entities
        .iter()
        .map(|e| serde_json::to_value(e).unwrap())
        .filter(|v| v["kind"] == "place")
        .collect();
    assert_eq!(places.len(), 4);
    assert!(places
        .iter()
        .all(|p| p["name"] == "ها تينه" && p["latin"] == "Ha Tinh" && p["type"] == "province"));
}

//! Named officials and places (SPEC §2 `person`, `place`).
//!
//! The genre names Vietnamese officials in Arabic script, one syllable a word
//! (`هوانج ترونج دونج`, Hoàng Trung Dũng), behind long title chains (`نائب أمين لجنة
//! الحزب الإقليمية - رئيس اللجنة الشعبية الإقليمية فو ترونغ هاي`). A person is a
//! run of name syllables (`data/persons/syllables.txt`) with evidence that it is
//! a person:
//!
//! * a title chain or an honorific right before it (`السيد`, `الرفيق`), a
//!   reporting verb (`قال`) or a noun for a person (`السائق`, `الطالب`), or a
//!   title in apposition after it (`X، نائب رئيس …`);
//! * or, without those, a run of three syllables or more that starts with a
//!   family name (`data/persons/surnames.txt`) and is no place.
//!
//! Arabic words that are also syllables (`هو` he, `لي`, `ها`, `فان` then, `لان`)
//! are a name alone only after an honorific (`السيدة فان`). Places (`ها تينه`, `ديان بيان`, `مدينة هو تشي منه`) come
//! from a gazetteer (`data/places/gazetteer.txt`) or follow a place cue
//! (`مقاطعة`, `مدينة`, …) and are never persons. Foreign leaders are found after a
//! title and a nationality adjective (`رئيس الوزراء الياباني فوميو كيشيدا`), and
//! later short mentions (`رئيس الوزراء كيشيدا`, `السيد هونغ`) after a title or an
//! honorific. Every title of the chain becomes a `{text, role, org}` with the
//! canonical role of `data/persons/titles.txt`.

use std::cell::{Cell, RefCell};
use std::sync::LazyLock;

use rustc_hash::{FxHashMap, FxHashSet};

use super::features::{self, Form};
use super::{DocFacts, Extractor, TokenView};
use crate::analysis::Analysis;
use crate::clitic::FormIds;
use crate::lexicon::{entries, normalize_word, records, PhraseTable, Sketch, WordMap, WordSet};
use crate::record::{CompactString, Entity, EntityKind, EntityValue, Person, Place, Title};
use crate::token::TokenKind;

static SYLLABLES: LazyLock<WordMap<String>> = LazyLock::new(|| {
    records(include_str!("../../data/persons/syllables.txt"))
        .filter_map(|f| Some((normalize_word(f[0]), f.get(1)?.to_string())))
        .collect()
});

static SURNAMES: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::parse(include_str!("../../data/persons/surnames.txt")));

static HONORIFICS: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::parse(include_str!("../../data/persons/honorifics.txt")));

static PERSON_NOUNS: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::parse(include_str!("../../data/persons/person-nouns.txt")));

static REPORTING_VERBS: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::parse(include_str!("../../data/persons/reporting-verbs.txt")));

static TITLES: LazyLock<PhraseTable<String>> = LazyLock::new(|| {
    PhraseTable::new(
        records(include_str!("../../data/persons/titles.txt"))
            .filter_map(|f| Some((f[0], f.get(1)?.to_string()))),
    )
});

thread_local! {
    /// The buffer [`Scan::latin`] writes a name into.
    static LATIN: RefCell<String> = const { RefCell::new(String::new()) };
}

/// A place of the gazetteer: its Latin name and type, and whether the same
/// words also name a person (a place then only after a cue).
#[derive(Debug, Clone)]
struct GazetteerPlace {
    latin: CompactString,
    kind: CompactString,
    needs_cue: bool,
}

static GAZETTEER: LazyLock<PhraseTable<GazetteerPlace>> = LazyLock::new(|| {
    PhraseTable::new(
        records(include_str!("../../data/places/gazetteer.txt")).filter_map(|f| {
            Some((
                f[0],
                GazetteerPlace {
                    latin: CompactString::const_new(f.get(1)?),
                    kind: CompactString::const_new(f.get(2)?),
                    needs_cue: f.get(3) == Some(&"cue"),
                },
            ))
        }),
    )
});

static PLACE_CUES: LazyLock<PhraseTable<CompactString>> = LazyLock::new(|| {
    PhraseTable::new(
        records(include_str!("../../data/places/cues.txt"))
            .filter_map(|f| Some((f[0], CompactString::const_new(f.get(1)?)))),
    )
});

static NATIONALITIES: LazyLock<PhraseTable<String>> = LazyLock::new(|| {
    PhraseTable::new(
        records(include_str!("../../data/places/nationalities.txt"))
            .filter_map(|f| Some((f[0], f.get(1)?.to_string()))),
    )
});

/// Words that end a title chain when going back from a name, and never belong
/// to a foreign name: particles, prepositions, pronouns.
static STOP_WORDS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::parse(
        &entries(include_str!("../../data/figures/not-counted.txt"))
            .chain([
                "ان", "إن", "أن", "كان", "كانت", "الذي", "التي", "عن", "الي", "إلى", "على", "علي",
                "لدى", "بعد", "قبل", "أمام", "حيث", "اذ",
            ])
            .collect::<Vec<_>>()
            .join("\n"),
    )
});

/// Words before a name that make it the name of a thing, not a person.
static NAMED_THINGS: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::parse(include_str!("../../data/persons/named-things.txt")));

/// Words that start an organisation's name inside a title phrase.
static ORG_HEADS: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::parse(include_str!("../../data/persons/org-heads.txt")));

/// Name syllables that are common Arabic words: never a name on their own, and
/// not the start of a name without other evidence.
static ARABIC_LOOKALIKES: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::parse(include_str!("../../data/persons/lookalikes.txt")));

/// Registers the words that start titles, places, place cues, names and
/// honorifics, and the words of the lists asked most, with the shared
/// per-token features.
pub(super) fn register_features(add: &mut dyn FnMut(&str, features::Lex)) {
    for word in TITLES.first_words() {
        add(word, features::TITLE);
    }
    for word in GAZETTEER.first_words() {
        add(word, features::GAZETTEER);
    }
    for word in PLACE_CUES.first_words() {
        add(word, features::PLACE_CUE);
    }
    for word in SYLLABLES.keys() {
        add(word, features::SYLLABLE);
    }
    for (set, lex) in gated_word_lists() {
        // A phrase (`رجل الاعمال`) is no one token's form: it has no bit to set.
        for word in set.words().filter(|w| !w.contains(' ')) {
            add(word, lex);
        }
    }
}

/// The word lists asked about nearly every word near a name (is the word before
/// it `قال`, `السائق` or `السيد`, is each word of a title chain a particle),
/// with their feature bits. A form has the bit exactly when it is a word of the
/// list (a phrase, `رجل الاعمال`, is no one token's form): the bit is the
/// answer ([`bare_in`]), and the list is never looked up.
fn gated_word_lists() -> [(&'static WordSet, features::Lex); 5] {
    [
        (&HONORIFICS, features::HONORIFIC),
        (&STOP_WORDS, features::STOP_WORD),
        (&REPORTING_VERBS, features::REPORTING_VERB),
        (&PERSON_NOUNS, features::PERSON_NOUN),
        (&NAMED_THINGS, features::NAMED_THING),
    ]
}

/// The longest name, in syllables, accepted with strong evidence (a title or an
/// honorific: `الطبيب العظيم هاي ثونغ لان أونغ لي هو تراك`) and without it.
const MAX_NAME_WITH_EVIDENCE: usize = 7;
const MAX_NAME_WITHOUT: usize = 4;
// A run read as far as evidence allows holds the run allowed without.
const _: () = assert!(MAX_NAME_WITHOUT <= MAX_NAME_WITH_EVIDENCE);
/// How far back a title chain may reach from its name, in tokens.
const MAX_CHAIN: usize = 24;
/// The longest name read whole as a name found before, in words.
const MAX_KNOWN_RUN: usize = 4;

/// The persons and places extractor.
#[derive(Debug, Default, Clone, Copy)]
pub struct Persons;

impl Extractor for Persons {
    fn kinds(&self) -> &'static [EntityKind] {
        &[EntityKind::Person, EntityKind::Place]
    }

    fn extract(&self, doc: &Analysis<'_>, out: &mut Vec<Entity>) {
        Scan::new(doc).run(out, true);
    }
}

/// The normalised name words of the persons found so far in a document, as
/// the document's own text: nothing copied. Asked about many words near
/// titles, and nearly always a miss: a sketch answers those.
///
/// The same officials are named again and again, and each name's words are
/// added at each mention: a word is added by its form too
/// (`Analysis::forms`, the same for every token of the same word, and so of
/// the same normal and bare forms), and a form added before costs a look at
/// one bit, not the hashing of its text.
#[derive(Default)]
struct KnownNames<'d> {
    words: FxHashSet<&'d str>,
    /// The forms of the tokens whose words were added, a bit each by id
    /// (the ids of a document's forms are numbers from 0, a few tens of
    /// thousands).
    forms: Vec<u64>,
    sketch: Sketch,
}

impl<'d> KnownNames<'d> {
    /// Adds `word()`, the bare form of a token of form `form`: read only
    /// where the form is new.
    fn insert(&mut self, form: u32, word: impl FnOnce() -> &'d str) {
        if form != FormIds::NONE {
            let (at, bit) = (form as usize / 64, 1 << (form % 64));
            if at >= self.forms.len() {
                self.forms.resize(at + 1, 0);
            }
            if self.forms[at] & bit != 0 {
                return;
            }
            self.forms[at] |= bit;
        }
        let word = word();
        self.sketch.insert(word);
        self.words.insert(word);
    }

    /// Whether `word` is a name word: the sketch in line, the set (asked of
    /// fewer words) out of line.
    #[inline(always)]
    fn contains(&self, word: &str) -> bool {
        self.sketch.may_contain(word) && self.holds(word)
    }

    /// Whether token `k`'s bare form is a name word ([`KnownNames::contains`]):
    /// its bytes asked of the sketch ([`bytes_of`]), and the text sliced only
    /// for the words the sketch lets through.
    #[inline(always)]
    fn contains_bare(&self, view: &TokenView<'d, '_>, k: usize) -> bool {
        let bytes = bytes_of(view, k, true).unwrap_or_default();
        self.sketch.may_contain_bytes(bytes) && self.holds(view.bare(k))
    }

    /// Whether the set holds `word`.
    #[inline(never)]
    fn holds(&self, word: &str) -> bool {
        self.words.contains(word)
    }
}

/// The phrase lookups of a document in one table (the titles), kept by the
/// forms of the words each read.
///
/// The same titles come back again and again in an article (`رئيس اللجنة
/// الشعبية` before every official: a hundred different title phrases in five
/// hundred), and each lookup hashes its first word, then its second, then
/// compares the words after it with those of the phrases. A lookup reads the
/// words from its first one by one, each read deciding the next: what it
/// answers depends on the words it read and on nothing else. Another token
/// whose words at those places are of the same forms (`Analysis::forms`: the
/// same word, and so the same bare and normal forms) gets the same answer,
/// kept here by the forms of the first two words, with those of the words
/// read after them.
///
/// A lookup that read a token with no form (`،`, a number) or past the body is
/// not kept: two such tokens may differ though their forms do not.
///
/// Not for the gazetteer: the words after a place's first vary more
/// (`دونج` after every price, then `،`, `.`, `لكل`), and half its lookups
/// found nothing kept, which cost more than it saved.
struct PhraseMemo<V: 'static> {
    table: &'static PhraseTable<V>,
    /// By the forms of the first two words (the second [`FormIds::NONE`]
    /// where it has none), the last lookup of each.
    answers: FxHashMap<u64, Remembered<V>>,
}

/// A lookup that [`PhraseMemo`] keeps.
struct Remembered<V: 'static> {
    /// The last word it read, counted from the first (0).
    last_read: usize,
    /// The forms of the words it read after the second, up to `last_read`.
    later: [u32; MAX_LATER_READS],
    answer: Option<(usize, &'static V)>,
}

/// How many words after the second a lookup that [`PhraseMemo`] keeps may
/// have read: the longest titles are four words long, the longest places
/// (which the tests look up through a memo too) five.
const MAX_LATER_READS: usize = 3;

impl<V> PhraseMemo<V> {
    /// A memo of the lookups in `table`, with room for the hundred phrases
    /// of a long document, so that it seldom grows.
    fn new(table: &'static PhraseTable<V>) -> Self {
        PhraseMemo {
            table,
            answers: FxHashMap::with_capacity_and_hasher(128, Default::default()),
        }
    }

    /// The longest phrase of the table at body token `k` of `view`, its first
    /// word bare: what `table.longest_at_first_word(view.phrase(k))` answers.
    fn longest_at(&mut self, view: &TokenView<'_, '_>, k: usize) -> Option<(usize, &'static V)> {
        if let Some(answer) = self.kept(view, k) {
            return answer;
        }
        let phrase = view.phrase(k);
        let last_read = Cell::new(0);
        let answer = self.table.longest_at_first_word(|d| {
            last_read.set(last_read.get().max(d));
            phrase(d)
        });
        self.keep(view, k, last_read.get(), answer);
        answer
    }

    /// The answer of a lookup kept that read the same forms as one at `k`
    /// would.
    #[inline]
    fn kept(&self, view: &TokenView<'_, '_>, k: usize) -> Option<Option<(usize, &'static V)>> {
        let kept = self.answers.get(&Self::key(view, k)?)?;
        let later = &kept.later[..kept.last_read.saturating_sub(1)];
        let same = later
            .iter()
            .zip(k + 2..)
            .all(|(&id, j)| form_at(view, j) == id);
        same.then_some(kept.answer)
    }

    /// Keeps `answer`, of a lookup at `k` that read its words up to the one
    /// `last_read` after the first, if every word read has a form.
    fn keep(
        &mut self,
        view: &TokenView<'_, '_>,
        k: usize,
        last_read: usize,
        answer: Option<(usize, &'static V)>,
    ) {
        let Some(key) = Self::key(view, k) else {
            return;
        };
        let formless = (k + 1..=k + last_read).any(|j| form_at(view, j) == FormIds::NONE);
        if formless || last_read > MAX_LATER_READS + 1 {
            return;
        }
        let mut later = [FormIds::NONE; MAX_LATER_READS];
        for (slot, j) in later.iter_mut().zip(k + 2..=k + last_read) {
            *slot = form_at(view, j);
        }
        let kept = Remembered {
            last_read,
            later,
            answer,
        };
        self.answers.insert(key, kept);
    }

    /// Where the lookups at `k` are kept: by the forms of its first two
    /// words (the second [`FormIds::NONE`] where it has none); nowhere where
    /// the first has none.
    #[inline]
    fn key(view: &TokenView<'_, '_>, k: usize) -> Option<u64> {
        let first = form_at(view, k);
        (first != FormIds::NONE).then(|| u64::from(first) << 32 | u64::from(form_at(view, k + 1)))
    }
}

/// The form of body token `j` of `view` (`Analysis::forms`), or
/// [`FormIds::NONE`] past the body.
#[inline]
fn form_at(view: &TokenView<'_, '_>, j: usize) -> u32 {
    if j < view.limit {
        view.doc.forms().ids[j]
    } else {
        FormIds::NONE
    }
}

struct Scan<'d, 'a> {
    view: TokenView<'d, 'a>,
    /// Where the last person's name ended: a title chain never reaches past it.
    last_person_end: usize,
    /// The normalised name words of persons found so far, for short mentions.
    known_names: KnownNames<'d>,
    /// What each token is to the rules, worked out once.
    facts: TokenFacts,
}

/// A name may start at the token (a bit of [`Scan::name_starts`]).
const NAME_STARTS: u8 = 1;
/// A name may start at the token if its word is a word of a name found before.
const KNOWN_NAME_STARTS: u8 = 2;

impl<'d, 'a> std::ops::Deref for Scan<'d, 'a> {
    type Target = TokenView<'d, 'a>;
    fn deref(&self) -> &Self::Target {
        &self.view
    }
}

/// A token is a name syllable as the first word of a name ([`syllables`]): a
/// set of [`Block::sets`].
const SYLLABLE_AS_FIRST: usize = 0;
/// A token is a name syllable as a word after the first ([`syllables`]).
const SYLLABLE_AS_NEXT: usize = 1;
/// A title starts at the token ([`title_of`]).
const TITLE_START: usize = 2;
/// The walk back over a title chain stops at the token ([`stops_chain`]),
/// with a title within reach before it: no chain that ends after it reaches
/// back over it. Elsewhere a stop reaches no more titles within [`MAX_CHAIN`]
/// and is not kept.
const CHAIN_STOP: usize = 3;

/// What the rules ask about one token again and again, worked out once per
/// document: whether it is a name syllable (as the first word of a name and
/// after it), a gazetteer place or a title, and where title chains stop.
///
/// The rules look at the same tokens many times over: `هوانج ترونج دونج` is read
/// as a run from `هوانج`, again from `ترونج` if that run is no name, and its
/// words again as the words of a foreign name; the word before every candidate
/// is asked whether it is an honorific or a place (`السيد`, `كوريا`). Each
/// answer depends on the document only, so [`TokenFacts::new`] works them all
/// out in one pass and the scan reads them back, 64 tokens to a [`Block`]. The
/// yes-or-no answers are bits, one a token in a set per question; the titles
/// and places are entries. Most tokens (`عقدت`, `اللجنة`) have none of the bits
/// and start no place or title, as their lexicon bits say: the pass writes
/// nothing for them, and they share one empty entry. Only the others get one
/// of their own. Only the
/// gazetteer place is looked up later, the first time it is asked
/// ([`Scan::gazetteer`]): a third of the words that may start one (`هو`, `ها`)
/// are syllables of names found, never asked. Whether a token is an honorific
/// is its lexicon bit ([`bare_in`]), read where it is asked.
///
/// The same pass tells the tokens where no person or place can start from the
/// rest ([`TokenFacts::astir`]), from their lexicon bits and the titles before
/// them.
struct TokenFacts {
    /// The facts of the body tokens, 64 a block (a token past them has
    /// none).
    blocks: Vec<Block>,
    /// The empty entry, then the entries of the tokens that have one, in
    /// order.
    entries: Vec<TokenFact>,
    /// The body tokens, in order, where a person or a place may start: the
    /// words with a title within reach before them (at most [`MAX_CHAIN`] tokens
    /// back, and not before a [`CHAIN_STOP`]), or a name syllable as
    /// the first word of a name (not the particle `أن`, which shares the bit
    /// of `آن`), a lexicon bit of [`TokenFacts::HERE`] on the token,
    /// [`TokenFacts::BEFORE`] on the one before or [`TokenFacts::TWO_BEFORE`]
    /// on the one before that. At the others (most tokens) no person
    /// ([`Scan::name_starts`]) and no place ([`Scan::may_start_place`]) may
    /// start.
    astir: Vec<Astir>,
}

/// The facts of 64 body tokens in a row, from a multiple of 64.
#[derive(Debug, Clone, Copy)]
struct Block {
    /// The tokens with each fact ([`SYLLABLE_AS_FIRST`], [`SYLLABLE_AS_NEXT`],
    /// [`TITLE_START`], [`CHAIN_STOP`]), bit `k % 64` for token `k`.
    sets: [u64; 4],
    /// How many tokens before the block have an entry of their own
    /// ([`Block::NO_ENTRY`] in a block where none has).
    entries_before: u32,
    /// Per token of the block, its entry counted from `entries_before` (0:
    /// the empty entry).
    entries: [u8; 64],
}

impl Block {
    /// [`Block::entries_before`] of a block where no token has an entry:
    /// never read.
    const NO_ENTRY: u32 = u32::MAX;
}

/// A body token astir ([`TokenFacts::astir`]), with whether a title or an
/// honorific may stand before it (`Scan::may_have_evidence`, which the tests
/// ask): the pass that finds the token knows whether a title is within reach
/// and what the two tokens before it are.
#[derive(Debug, Clone, Copy)]
struct Astir {
    token: u32,
    evidence: bool,
}

/// The titles and places the rules look up for one token (see
/// [`TokenFacts`]).
#[derive(Debug, Default, Clone)]
struct TokenFact {
    /// [`gazetteer_of`] the token, once asked ([`Scan::gazetteer`]): `None`
    /// until then.
    gazetteer: Cell<Option<Option<(usize, &'static GazetteerPlace)>>>,
    /// [`title_of`] the token.
    title: Option<(usize, &'static String)>,
}

impl TokenFact {
    /// The facts of token `k`, its gazetteer place not yet looked up, its
    /// title looked up in `titles` ([`title_of`]).
    fn of(view: &TokenView<'_, '_>, k: usize, titles: &mut PhraseMemo<String>) -> TokenFact {
        let title = view.has(k, Form::Bare, features::TITLE);
        TokenFact {
            gazetteer: Cell::new(None),
            title: title.then(|| titles.longest_at(view, k)).flatten(),
        }
    }
}

impl TokenFacts {
    /// The lexicon bits without which a token has no entry: a token whose bits
    /// miss them all gets the empty entry.
    const MASK: u64 = features::in_form(Form::Bare, features::GAZETTEER | features::TITLE);
    /// The lexicon bits without which a token is no name syllable.
    const FLAGGED: u64 = features::in_form(Form::Bare, features::SYLLABLE)
        | features::in_form(Form::Norm, features::SYLLABLE);

    /// The bits of a token that may start a place: a gazetteer place or a
    /// place cue.
    const HERE: u64 = features::in_form(Form::Bare, features::GAZETTEER | features::PLACE_CUE);
    /// The bits of the word before it that may introduce a name: an honorific,
    /// a reporting verb or a noun for a person (`السيد`, `قال`, `السائق`).
    const BEFORE: u64 = features::in_form(
        Form::Bare,
        features::HONORIFIC | features::REPORTING_VERB | features::PERSON_NOUN,
    );
    /// The bits of the word two before it that may introduce a name: an
    /// honorific with its adjective (`الطبيب العظيم`).
    const TWO_BEFORE: u64 = features::in_form(Form::Bare, features::HONORIFIC);

    /// The lexicon bits of a token that make it or the next two tokens astir,
    /// or give it a fact: out of a title's reach, a token without them, after
    /// two without [`TokenFacts::BEFORE`], changes nothing.
    const STIRS: u64 = Self::MASK | Self::FLAGGED | Self::HERE | Self::BEFORE | Self::TWO_BEFORE;

    /// The facts of every body token of `view`.
    ///
    /// Most tokens (`عقدت`, `اللجنة`) stand out of a title's reach and have
    /// none of the bits of [`TokenFacts::STIRS`]: the pass skips over each run
    /// of them to the next token that has one.
    fn new(view: &TokenView<'_, '_>) -> TokenFacts {
        // About one token in eight has facts: room for twice that, so that the
        // entries seldom move while they grow.
        let mut entries = Vec::with_capacity(view.limit / 4 + 1);
        entries.push(TokenFact::default());
        let empty = Block {
            sets: [0; 4],
            entries_before: Block::NO_ENTRY,
            entries: [0; 64],
        };
        let mut facts = TokenFacts {
            blocks: vec![empty; view.limit.div_ceil(64)],
            entries,
            astir: Vec::with_capacity(view.limit / 2),
        };
        let mut titles = PhraseMemo::new(&TITLES);
        // The lexicon bits of the two tokens before that may introduce a name,
        // the nearer one last.
        let mut before = [0u64; 2];
        // The tokens before `title_reach` are within reach of the last title.
        let mut title_reach = 0;
        let lexical = &DocFacts::of(view.doc).lexical;
        let mut k = 0;
        while k < view.limit {
            if k >= title_reach && before == [0; 2] {
                k = view.next_start(k, Self::STIRS);
                if k == view.limit {
                    break;
                }
            }
            let bits = lexical[k];
            let mut first = false;
            if bits & Self::FLAGGED != 0 {
                let syllable = syllables(view, k, bits);
                first = syllable[0];
                facts.mark_syllable(k, syllable);
            }
            let mut title = false;
            if bits & Self::MASK != 0 {
                let fact = TokenFact::of(view, k, &mut titles);
                title = fact.title.is_some();
                if title {
                    facts.mark(k, TITLE_START);
                }
                facts.push_entry(k, fact);
            }
            let near = bits & Self::HERE | before[1] & Self::BEFORE | before[0] & Self::TWO_BEFORE;
            // Within a title's reach, a token that is no word starts nothing
            // but a place, which needs a bit of `near`.
            if first || near != 0 || (k < title_reach && view.tokens[k].kind == TokenKind::Word) {
                // As [`Scan::may_have_evidence`] asks: a title within reach,
                // an honorific right before, or one adjective before (the
                // honorifics' bits are those of `before`; none before the
                // first token).
                let evidence = k < title_reach
                    || before[1] & Self::TWO_BEFORE != 0
                    || (before[0] & Self::TWO_BEFORE != 0
                        && view.tokens[k - 1].clitics.has_article());
                let token = u32::try_from(k).expect("fewer than 2^32 tokens");
                facts.astir.push(Astir { token, evidence });
            }
            before = [before[1], bits & (Self::BEFORE | Self::TWO_BEFORE)];
            if title {
                title_reach = k + 1 + MAX_CHAIN;
            }
            // No chain reaches back over a stop: the titles before are out of
            // reach, and no stop matters until the next title.
            if k < title_reach && stops_chain(view, k) {
                title_reach = 0;
                facts.mark(k, CHAIN_STOP);
            }
            k += 1;
        }
        facts
    }

    /// Gives body token `k` the fact `set`.
    #[inline(always)]
    fn mark(&mut self, k: usize, set: usize) {
        self.blocks[k / 64].sets[set] |= 1 << (k % 64);
    }

    /// Gives body token `k` the facts of a syllable as the first word of a
    /// name and as a word after it, where it is one ([`syllables`]): most
    /// syllables are both, and both bits go to the block with one look.
    #[inline(always)]
    fn mark_syllable(&mut self, k: usize, [as_first, as_next]: [bool; 2]) {
        let sets = &mut self.blocks[k / 64].sets;
        sets[SYLLABLE_AS_FIRST] |= u64::from(as_first) << (k % 64);
        sets[SYLLABLE_AS_NEXT] |= u64::from(as_next) << (k % 64);
    }

    /// Gives body token `k` its entry, the next: the pass goes from left to
    /// right, and the first entry of a block counts those before it.
    fn push_entry(&mut self, k: usize, fact: TokenFact) {
        let count = self.entries.len();
        let block = &mut self.blocks[k / 64];
        if block.entries_before == Block::NO_ENTRY {
            block.entries_before = u32::try_from(count - 1).expect("fewer than 2^32 tokens");
        }
        // At most 64 entries a block.
        block.entries[k % 64] = (count - block.entries_before as usize) as u8;
        self.entries.push(fact);
    }

    /// The bits of `set` of the block of token `k` (none past the blocks).
    #[inline(always)]
    fn bits(&self, k: usize, set: usize) -> u64 {
        self.blocks.get(k / 64).map_or(0, |b| b.sets[set])
    }

    /// Whether token `k` has the fact `set` (none past the body).
    #[inline(always)]
    fn has(&self, k: usize, set: usize) -> bool {
        self.bits(k, set) >> (k % 64) & 1 != 0
    }

    /// The first token of `range` with the fact `set`.
    fn first_in(&self, set: usize, range: std::ops::Range<usize>) -> Option<usize> {
        let mut k = range.start;
        while k < range.end {
            // The bits of the block from `k` on.
            let bits = self.bits(k, set) >> (k % 64);
            if bits != 0 {
                let found = k + bits.trailing_zeros() as usize;
                return (found < range.end).then_some(found);
            }
            k = (k / 64 + 1) * 64;
        }
        None
    }

    /// The last token of `range` with the fact `set`.
    fn last_in(&self, set: usize, range: std::ops::Range<usize>) -> Option<usize> {
        let mut end = range.end;
        while end > range.start {
            let last = end - 1;
            // The bits of the block up to `last`.
            let bits = self.bits(last, set) << (63 - last % 64);
            if bits != 0 {
                let found = last - bits.leading_zeros() as usize;
                return (found >= range.start).then_some(found);
            }
            end = last - last % 64;
        }
        None
    }

    /// The facts of token `k` (the empty entry past the body).
    #[inline]
    fn at(&self, k: usize) -> &TokenFact {
        let slot = self
            .blocks
            .get(k / 64)
            .map_or(0, |b| match b.entries[k % 64] {
                0 => 0,
                n => b.entries_before as usize + n as usize,
            });
        &self.entries[slot]
    }
}

/// Whether token `k` is a name syllable as the first word of a name, which
/// may carry `و` (its bare form), and as a word after the first (its normal
/// form).
///
/// The lexicon bit of a form says that the form is a key of [`SYLLABLES`]: no
/// lookup. The bits are the token's lexical bits `bits`, which the facts pass
/// holds. What else makes a syllable is the same for both forms, and asked
/// once. Its Latin is looked up only for the names found ([`latin_of`]).
fn syllables(view: &TokenView<'_, '_>, k: usize, bits: u64) -> [bool; 2] {
    let forms = [Form::Bare, Form::Norm]
        .map(|form| bits & features::in_form(form, features::SYLLABLE) != 0);
    let name_word = forms != [false; 2]
        && view
            .body_token(k)
            .is_some_and(|t| t.kind == TokenKind::Word && !t.clitics.has_article())
        // `آن` (An) folds to `ان`, as do the particles `أن` and `إن`: only the
        // madda spelling is the name.
        && !is_particle_an(view, k);
    forms.map(|form| form && name_word)
}

/// Token `k`'s normal form, or with `bare` its bare form ([`Analysis::bare`]),
/// as bytes ([`Analysis::form_bytes`]; `None` past the body): for the words
/// compared with one or asked of a sketch, most of which are not it, with no
/// character boundary to check.
#[inline(always)]
fn bytes_of<'d>(view: &TokenView<'d, '_>, k: usize, bare: bool) -> Option<&'d [u8]> {
    let t = view.body_token(k)?;
    let particle = if bare { t.clitics.particle_len() } else { 0 };
    Some(view.doc.form_bytes(t, particle))
}

/// The Latin of token `k`, a name syllable ([`syllables`]).
fn latin_of(view: &TokenView<'_, '_>, k: usize, first: bool) -> Option<&'static str> {
    let form = if first { view.bare(k) } else { view.norm(k) };
    SYLLABLES.get(form).map(|s| s.as_str())
}

/// Whether token `k` is the particle `أن`/`إن`/`إنه`, which folds to the
/// spelling of the syllable `آن` (An). Asked of nearly every syllable in the
/// facts pass: in line, and its bare form ([`Analysis::bare`]) read as bytes,
/// with no character boundary to check: the syllables are short words, and
/// their lengths alone tell most of them from `ان` and `انه`.
#[inline(always)]
fn is_particle_an(view: &TokenView<'_, '_>, k: usize) -> bool {
    matches!(bytes_of(view, k, true), Some(b) if b == "ان".as_bytes() || b == "انه".as_bytes())
        && !view
            .doc
            .text(&view.tokens[k])
            .trim_start_matches(['و', 'ب', 'ل', 'ف'])
            .starts_with('آ')
}

/// A gazetteer place at `k`: its length and entry (what [`Scan::gazetteer`]
/// answers, as the tests ask it).
#[cfg(test)]
fn gazetteer_of(view: &TokenView<'_, '_>, k: usize) -> Option<(usize, &'static GazetteerPlace)> {
    if !view.has(k, Form::Bare, features::GAZETTEER) {
        return None;
    }
    GAZETTEER.longest_at_first_word(view.phrase(k))
}

/// A title at `k`: its length and canonical role (what the facts pass finds,
/// as the tests ask it).
#[cfg(test)]
fn title_of(view: &TokenView<'_, '_>, k: usize) -> Option<(usize, &'static String)> {
    if !view.has(k, Form::Bare, features::TITLE) {
        return None;
    }
    TITLES.longest_at_first_word(view.phrase(k))
}

/// Whether token `k`'s bare form is a word of the list of [`gated_word_lists`]
/// whose feature bit is `lex`: the bit says it, with no lookup.
#[inline(always)]
fn bare_in(view: &TokenView<'_, '_>, k: usize, lex: features::Lex) -> bool {
    view.has(k, Form::Bare, lex)
}

/// Whether token `k`'s normal form is a word of the list whose feature bit is
/// `lex` (see [`bare_in`]).
#[inline(always)]
fn norm_in(view: &TokenView<'_, '_>, k: usize, lex: features::Lex) -> bool {
    view.has(k, Form::Norm, lex)
}

/// Whether the walk back over a title chain stops at body token `k`: at
/// anything but a word or a joiner (`-`, `–`, `،`), at a stop word (but `و`,
/// `في` and `لدي`) and at a reporting verb.
///
/// Asked of every token within a title's reach: its normal form is compared
/// as bytes ([`bytes_of`]), and only where the kind or the bits leave the
/// answer open.
fn stops_chain(view: &TokenView<'_, '_>, k: usize) -> bool {
    let norm_is = |words: &[&str]| {
        let norm = bytes_of(view, k, false).unwrap_or_default();
        words.iter().any(|w| norm == w.as_bytes())
    };
    if view.tokens[k].kind != TokenKind::Word {
        return !norm_is(&["-", "–", "،", "و"]);
    }
    (bare_in(view, k, features::STOP_WORD) && !norm_is(&["و", "في", "لدي"]))
        || bare_in(view, k, features::REPORTING_VERB)
}

impl<'d, 'a> Scan<'d, 'a> {
    /// A scan of `doc`'s body, its token facts worked out.
    fn new(doc: &'d Analysis<'a>) -> Self {
        let view = TokenView::new(doc);
        Scan {
            view,
            last_person_end: 0,
            known_names: KnownNames::default(),
            facts: TokenFacts::new(&view),
        }
    }

    /// Finds the persons and places from left to right: at each token a person,
    /// else a place.
    ///
    /// With `gated`, the checks that [`Scan::person_at`] and [`Scan::place_at`]
    /// start with ([`Scan::may_start_person`], [`Scan::may_start_place`]) are
    /// made here ([`Scan::name_starts`], and [`Scan::may_start_place`] where
    /// no person is found), and only at the tokens astir
    /// ([`TokenFacts::astir`]): the words which start neither (`عقدت`,
    /// `اللجنة`: most of them) are never looked at. Without,
    /// every token is offered to both, as the tests do to show that the answer
    /// is the same.
    ///
    /// Each entity is built where it is pushed to `out`, not handed back to
    /// be pushed here: an entity is a large value, and each move of it a
    /// copy.
    fn run(&mut self, out: &mut Vec<Entity>, gated: bool) {
        // The tokens of an entity found start no other.
        let mut next = 0;
        if gated {
            // Out of the facts while the scan, which finds with `&mut self`,
            // walks them: read in order, with no index to check.
            let astir = std::mem::take(&mut self.facts.astir);
            for &Astir { token, evidence } in &astir {
                let i = token as usize;
                if i < next {
                    continue;
                }
                let person = if self.may_find_person(i, self.name_starts(i, evidence)) {
                    self.person_from(i, out)
                } else {
                    None
                };
                // Asked only where no person starts: the gazetteer is then
                // not looked up at the first word of most names.
                let found = person.or_else(|| {
                    if self.may_start_place(i) {
                        self.place_at(i, out)
                    } else {
                        None
                    }
                });
                if let Some(end) = found {
                    next = end;
                }
            }
            self.facts.astir = astir;
        } else {
            while next < self.limit {
                match self
                    .person_at(next, out)
                    .or_else(|| self.place_at(next, out))
                {
                    Some(end) => next = end,
                    None => next += 1,
                }
            }
        }
    }

    /// Whether token `k` is a name syllable (the first of a name may carry `و`):
    /// [`syllables`], read from the facts.
    #[inline]
    fn syllable(&self, k: usize, first: bool) -> bool {
        let set = if first {
            SYLLABLE_AS_FIRST
        } else {
            SYLLABLE_AS_NEXT
        };
        self.facts.has(k, set)
    }

    /// The run of name syllables from `i`, at most `max` long.
    fn syllable_run(&self, i: usize, max: usize) -> usize {
        let mut k = i;
        while k < self.limit && k - i < max && self.syllable(k, k == i) {
            k += 1;
        }
        k - i
    }

    /// A gazetteer place at `k`: its length and entry ([`gazetteer_of`], kept
    /// in the facts once asked).
    ///
    /// Looked up the first time it is asked: the words of a name found after
    /// its first (`ها` in `نغوين ثي ها`) and the first word of a name with a
    /// title before it are never asked whether a place starts there, though
    /// their lexicon bits say one might.
    ///
    /// Most tokens asked start no place, as their lexicon bit says: their
    /// facts are not read.
    #[inline(always)]
    fn gazetteer(&self, k: usize) -> Option<(usize, &'static GazetteerPlace)> {
        if !self.has(k, Form::Bare, features::GAZETTEER) {
            return None;
        }
        let known = &self.facts.at(k).gazetteer;
        known.get().unwrap_or_else(|| self.look_up_gazetteer(k))
    }

    /// [`Scan::gazetteer`] asked at `k` for the first time: looked up and
    /// kept. Out of line: most asks find the answer kept.
    ///
    /// Only a body token with the lexicon bit gets here: the gazetteer is
    /// asked with no second look at the bit.
    #[inline(never)]
    fn look_up_gazetteer(&self, k: usize) -> Option<(usize, &'static GazetteerPlace)> {
        let place = GAZETTEER.longest_at_first_word(self.phrase(k));
        self.facts.at(k).gazetteer.set(Some(place));
        place
    }

    /// A title at `k`: its length and canonical role ([`title_of`], read from
    /// the facts where a title starts).
    #[inline]
    fn title_at(&self, k: usize) -> Option<(usize, &'static String)> {
        if !self.facts.has(k, TITLE_START) {
            return None;
        }
        self.facts.at(k).title
    }

    /// The first title that starts in `range`.
    #[inline]
    fn first_title(&self, range: std::ops::Range<usize>) -> Option<usize> {
        self.facts.first_in(TITLE_START, range)
    }

    /// How far back a title chain that ends before body token `k` may reach:
    /// [`MAX_CHAIN`] tokens, and not over a stop: right after the last
    /// [`CHAIN_STOP`] within reach.
    #[inline]
    fn chain_floor(&self, k: usize) -> usize {
        let reach = k.saturating_sub(MAX_CHAIN);
        self.facts
            .last_in(CHAIN_STOP, reach..k)
            .map_or(reach, |stop| stop + 1)
    }

    /// A place cue at `k` (`مقاطعة`, `مدينة`): its length and the place type.
    fn place_cue(&self, k: usize) -> Option<(usize, &'static CompactString)> {
        if !self.has(k, Form::Bare, features::PLACE_CUE) {
            return None;
        }
        PLACE_CUES.longest_at_first_word(self.phrase(k))
    }

    /// Whether token `k`'s bare form is an honorific (`السيد`, `الرفيق`: its
    /// lexicon bit, [`bare_in`]).
    #[inline]
    fn honorific(&self, k: usize) -> bool {
        bare_in(&self.view, k, features::HONORIFIC)
    }

    /// Whether a place could start at `i`: a place cue or a gazetteer name
    /// stands there, as [`Scan::place_at`] requires, and not at the particle
    /// `أن` or `إن` alone, which starts a name of the gazetteer (`ان جيانج`,
    /// An Giang) but no place ([`Scan::is_lone_an`]): a thousand tokens per MB,
    /// not looked up.
    #[inline]
    fn may_start_place(&self, i: usize) -> bool {
        self.has(i, Form::Bare, features::PLACE_CUE)
            || (self.has(i, Form::Bare, features::GAZETTEER)
                && !self.is_lone_an(i)
                && self.gazetteer(i).is_some())
    }

    /// Whether token `k` is the particle `أن` or `إن` with no proclitic (its
    /// normal form `ان`, not spelt `آن`), which no place holds: `هوي آن` (Hoi
    /// An) is not `هوي إن` ("Hue that …"). Its bytes are compared
    /// ([`bytes_of`]).
    #[inline(always)]
    fn is_lone_an(&self, k: usize) -> bool {
        bytes_of(&self.view, k, false) == Some("ان".as_bytes())
            && !self.doc.text(&self.tokens[k]).starts_with('آ')
    }

    /// A place at `i`: a cue and a name (`مقاطعة ها تينه`, `مدينة هو تشي منه`), or a
    /// gazetteer name alone (`ها تينه`), pushed to `out`: where it ends.
    fn place_at(&self, i: usize, out: &mut Vec<Entity>) -> Option<usize> {
        if let Some((cue_len, cue_kind)) = self.place_cue(i) {
            let k = i + cue_len;
            if let Some((len, place)) = self.gazetteer(k) {
                let (latin, kind) = (place.latin.clone(), place.kind.clone());
                return Some(self.place(k, k + len, Some(latin), kind, out));
            }
            let run = self.syllable_run(k, MAX_NAME_WITHOUT);
            if run >= 1 && !(run == 1 && ARABIC_LOOKALIKES.contains(self.bare(k))) {
                let latin = self.latin(k, k + run);
                return Some(self.place(k, k + run, Some(latin), cue_kind.clone(), out));
            }
            return None;
        }
        let (len, place) = self.gazetteer(i)?;
        // `هو تشي مينه` alone is the person; the city needs its cue.
        if place.needs_cue {
            return None;
        }
        if (i..i + len).any(|k| self.is_lone_an(k)) {
            return None;
        }
        let (latin, kind) = (place.latin.clone(), place.kind.clone());
        Some(self.place(i, i + len, Some(latin), kind, out))
    }

    /// Pushes the place of tokens `start..end` to `out`: where it ends.
    fn place(
        &self,
        start: usize,
        end: usize,
        latin: Option<CompactString>,
        kind: CompactString,
        out: &mut Vec<Entity>,
    ) -> usize {
        let mut entity = self.doc.entity(
            start..end,
            EntityValue::Place(Place {
                name: CompactString::default(),
                latin,
                place_type: Some(kind),
            }),
        );
        if let EntityValue::Place(p) = &mut entity.value {
            p.name = entity.text.clone();
        }
        out.push(entity);
        end
    }

    /// Unaccented Latin of a run of syllables, one space between: `Hoang Trung
    /// Dung`.
    ///
    /// Written into the thread's [`LATIN`] buffer, then copied once into the
    /// record's string, inline up to 24 bytes as most names are.
    fn latin(&self, start: usize, end: usize) -> CompactString {
        LATIN.with_borrow_mut(|latin| {
            latin.clear();
            let syllables = (start..end)
                .filter(|&k| self.syllable(k, k == start))
                .filter_map(|k| latin_of(&self.view, k, k == start));
            for (n, syllable) in syllables.enumerate() {
                if n > 0 {
                    latin.push(' ');
                }
                latin.push_str(syllable);
            }
            CompactString::new(latin.as_str())
        })
    }

    /// A person whose name starts at `i`, pushed to `out`: where the name
    /// ends.
    fn person_at(&mut self, i: usize, out: &mut Vec<Entity>) -> Option<usize> {
        if !self.may_start_person(i) {
            return None;
        }
        self.person_from(i, out)
    }

    /// A person whose name starts at `i`, where one may
    /// ([`Scan::may_start_person`]): what [`Scan::person_at`] finds.
    fn person_from(&mut self, i: usize, out: &mut Vec<Entity>) -> Option<usize> {
        // `شركة فو ثينه`, `تلة هونغ فان`: names of companies and sites.
        if i > 0 && bare_in(&self.view, i - 1, features::NAMED_THING) {
            return None;
        }
        let before = self.evidence_before(i);
        let strong = before.honorific.is_some() || !before.titles.is_empty() || before.reporting;
        // A name seen before, read whole even where its words are no Vietnamese
        // syllables (`الرئيس يون سوك يول`); a Vietnamese run at least as long wins.
        // Looked up only with evidence, and only where the word after the
        // Vietnamese run is a known one too: else the known run is no longer.
        let vietnamese = self.syllable_run(i, MAX_NAME_WITH_EVIDENCE);
        let known = if strong
            && vietnamese < MAX_KNOWN_RUN
            && self.known_word(i + vietnamese, vietnamese == 0)
        {
            self.known_run(i)
        } else {
            0
        };
        let (end, latin) = if known > vietnamese {
            let end = i + known;
            let latin = (self.syllable_run(i, known) == known).then(|| self.latin(i, end));
            (end, latin)
        } else if let Some(end) = self.foreign_name(i, &before) {
            (end, None)
        } else {
            // The run read above, cut to the length allowed without evidence.
            let run = if strong {
                vietnamese
            } else {
                vietnamese.min(MAX_NAME_WITHOUT)
            };
            if run == 0 {
                return None;
            }
            // A place is no person (unless a title or honorific says so).
            if !strong
                && self
                    .gazetteer(i)
                    .is_some_and(|(len, p)| len >= run && !p.needs_cue)
            {
                return None;
            }
            let first = self.bare(i);
            // The look-alikes are asked only where they decide.
            let accepted = match run {
                // `السيد فان` is a person; a lone `فان` after a title is not.
                1 => {
                    before.honorific.is_some()
                        || (!before.titles.is_empty() && !ARABIC_LOOKALIKES.contains(first))
                        || (before.reporting && self.known_names.contains(first))
                }
                2 => strong || self.apposition_after(i + run),
                // A family name starts it, and no Arabic look-alike follows
                // (`هو تشي مينه` is Ho Chi Minh; `هو ما` is "it is what").
                _ => {
                    let clean_rest =
                        || (i + 1..i + run).all(|k| !ARABIC_LOOKALIKES.contains(self.norm(k)));
                    strong
                        || (SURNAMES.contains(first)
                            && (!ARABIC_LOOKALIKES.contains(first) || clean_rest()))
                        || self.apposition_after(i + run)
                }
            };
            if !accepted {
                return None;
            }
            (i + run, Some(self.latin(i, i + run)))
        };
        let mut titles = before.titles;
        titles.extend(self.titles_after(end));
        let value = EntityValue::Person(Person {
            name: CompactString::default(),
            latin,
            honorific: before.honorific,
            titles,
        });
        let mut entity = self.doc.entity(i..end, value);
        if let EntityValue::Person(p) = &mut entity.value {
            p.name = entity.text.clone();
        }
        out.push(entity);
        let view = self.view;
        for k in i..end {
            self.known_names
                .insert(self.doc.forms().ids[k], || view.bare(k));
        }
        self.last_person_end = end;
        Some(end)
    }

    /// A foreign name after a title and a nationality adjective (`الرئيس الأمريكي
    /// جو بايدن`), or a known name word after a title or honorific (`رئيس الوزراء
    /// كيشيدا`): the end of the name.
    fn foreign_name(&self, i: usize, before: &Evidence) -> Option<usize> {
        if before.titles.is_empty() && before.honorific.is_none() {
            return None;
        }
        // A Vietnamese name is read as such, unless a nationality says the
        // person is foreign (`الرئيس الكوري الجنوبي يون سوك يول`).
        if self.syllable(i, true) && !before.nationality {
            return None;
        }
        let name_word = |k: usize| {
            self.is_word(k)
                && !self.tokens[k].clitics.has_article()
                && !bare_in(&self.view, k, features::STOP_WORD)
                && !norm_in(&self.view, k, features::REPORTING_VERB)
                && self.title_at(k).is_none()
                && self.gazetteer(k).is_none()
                && self.place_cue(k).is_none()
                && !bare_in(&self.view, k, features::NAMED_THING)
        };
        // After a nationality, or an honorific (`السيد تاناكا كينجي`): up to three
        // words of the name.
        if before.nationality || (before.honorific.is_some() && before.titles.is_empty()) {
            let mut k = i;
            while k < i + 3 && name_word(k) {
                k += 1;
            }
            return (k > i).then_some(k);
        }
        // After a title whose organisation is complete (`المدير العام للشركة
        // ماركوس فيبر أن`, `سفير الهند لدى فيتنام راجيش كومار يوم`): up to three
        // words that end where a name ends.
        let org_complete = i > 0 && {
            let prev = i - 1;
            self.tokens[prev].clitics.has_article()
                || self.bare(prev).starts_with("ال")
                || self
                    .gazetteer(prev)
                    .is_some_and(|(_, p)| p.kind == "country")
        };
        // Arabic morphology that foreign names do not have: the article, a
        // proclitic, taa marbuta or a pronoun suffix.
        let foreign_looking = |k: usize| {
            let norm = self.norm(k);
            self.tokens[k].clitics.is_empty()
                && !norm.starts_with("ال")
                && !norm.ends_with(['ة', 'ه'])
                && !norm.starts_with(['و', 'ب', 'ل', 'ف'])
        };
        if !before.titles.is_empty() && org_complete {
            let mut k = i;
            while k < i + 3 && name_word(k) && foreign_looking(k) {
                k += 1;
            }
            let boundary = k >= self.limit
                || !self.is_word(k)
                || bare_in(&self.view, k, features::STOP_WORD)
                || bare_in(&self.view, k, features::REPORTING_VERB)
                || self.tokens[k].clitics.conjunction().is_some()
                || matches!(self.bare(k), "يوم" | "الذي" | "التي");
            if k > i && boundary {
                return Some(k);
            }
        }
        // A short mention of a foreign person already named.
        (name_word(i) && self.known_names.contains_bare(&self.view, i)).then_some(i + 1)
    }

    /// Whether a name could start at `i`. Most words start no name: only a
    /// syllable, a word of a name seen before, or a foreign-looking word after
    /// what introduces one (a title's complete organisation, a nationality, a
    /// country, an honorific) can.
    #[inline(always)]
    fn may_start_person(&self, i: usize) -> bool {
        self.is_word(i)
            && (self.syllable(i, true)
                || self.known_names.contains_bare(&self.view, i)
                || self.may_start_foreign_name(i))
    }

    /// Whether a reporting verb or a noun for a person stands right before `k`
    /// (`قال`, `السائق`).
    #[inline(always)]
    fn reporting_before(&self, k: usize) -> bool {
        const EITHER: u64 =
            features::in_form(Form::Bare, features::REPORTING_VERB | features::PERSON_NOUN);
        let view = &self.view;
        // The bits are the lists' answers (`bare_in`): one test of both.
        k > 0 && view.has_mask(k - 1, EITHER)
    }

    /// What name may start at `i`, as far as the document tells (nothing at a
    /// token not astir, [`TokenFacts::astir`]): a name whatever names were
    /// found before ([`NAME_STARTS`]: a syllable with another after it, or a
    /// syllable or a foreign-looking word where a title or an honorific may
    /// stand before it); or a name if the word belongs to one found before
    /// ([`KNOWN_NAME_STARTS`]: after a possible title or honorific, a reporting
    /// verb or a noun for a person). `evidence` is what
    /// `Scan::may_have_evidence` says of `i`.
    #[inline]
    fn name_starts(&self, i: usize, evidence: bool) -> u8 {
        if !self.is_word(i) {
            return 0;
        }
        let syllable = self.syllable(i, true);
        if (syllable && self.syllable(i + 1, false))
            || (evidence && (syllable || self.may_start_foreign_name(i)))
        {
            NAME_STARTS
        } else if evidence || self.reporting_before(i) {
            KNOWN_NAME_STARTS
        } else {
            0
        }
    }

    /// Whether [`Scan::person_from`] may find a name at body token `i`: what
    /// [`Scan::may_start_person`] says, less the foreign-looking words with
    /// nothing before them to introduce a name, and less the words of names
    /// found before with nothing before them to say it is a person. Read from
    /// what may start there (`starts`, [`Scan::name_starts`]), with a look at the
    /// names found so far where it can matter.
    ///
    /// A word after an article word (`اللجنة الشعبية`, `الوزارة قرارا`) may start a
    /// foreign name, and a good part of an article's words do. But where the
    /// word is no syllable and no known name word, [`Scan::person_from`] finds
    /// only a foreign name ([`Scan::foreign_name`]), and that needs a title or an
    /// honorific before it: the first is ruled out when no title starts within
    /// reach before `i` (as [`Scan::evidence_before`] asks), the
    /// second by the facts of the one or two words before `i`. Those are a few
    /// reads, cheaper than the look at the word itself.
    ///
    /// So is a lone syllable (`هو`, `لي`, `فان`: the next word is none) that is no
    /// known name word, with no title or honorific before it: a name of one
    /// syllable needs one of them, or a reporting verb and a known name word.
    ///
    /// And a word of a name found before (`هونغ` after `دينه فان هونغ`) that is
    /// no syllable followed by another: [`Scan::person_from`] takes it only with
    /// a title, an honorific or a reporting verb or noun for a person before
    /// it, as it takes any name shorter than two syllables.
    #[inline(always)]
    fn may_find_person(&self, i: usize, starts: u8) -> bool {
        starts & NAME_STARTS != 0
            || (starts & KNOWN_NAME_STARTS != 0 && self.known_names.contains_bare(&self.view, i))
    }

    /// Whether [`Scan::evidence_before`] `i` may hold a title or an honorific:
    /// an honorific right before `i` or one adjective before it, or a title
    /// starting within reach before `i` ([`Scan::chain_floor`]). The scan
    /// reads it from the token astir ([`Astir`]); the tests ask it here.
    #[cfg(test)]
    fn may_have_evidence(&self, i: usize) -> bool {
        i > 0
            && (self.first_title(self.chain_floor(i)..i).is_some()
                || self.honorific(i - 1)
                || (i >= 2 && self.tokens[i - 1].clitics.has_article() && self.honorific(i - 2)))
    }

    /// Whether a foreign name could start at `i`: the word has no Arabic
    /// morphology and follows an article word, a country, a nationality or an
    /// honorific.
    ///
    /// Asked of most words within a title's reach: the forms are read as
    /// bytes ([`bytes_of`]), with no character boundary to check (a form
    /// that ends with the bytes of `ة` ends with `ة`: UTF-8 starts no
    /// character inside another).
    fn may_start_foreign_name(&self, i: usize) -> bool {
        if i == 0 || !self.is_word(i) || !self.tokens[i].clitics.is_empty() {
            return false;
        }
        let article = "ال".as_bytes();
        let norm = bytes_of(&self.view, i, false).unwrap_or_default();
        if norm.starts_with(article)
            || norm.ends_with("ة".as_bytes())
            || norm.ends_with("ه".as_bytes())
        {
            return false;
        }
        let prev = bytes_of(&self.view, i - 1, true).unwrap_or_default();
        prev.starts_with(article) || self.honorific(i - 1) || self.gazetteer(i - 1).is_some()
    }

    /// How many words from `i` belong to names already found (`الرئيس يون سوك
    /// يول` after `يون سوك يول` was introduced), up to [`MAX_KNOWN_RUN`].
    fn known_run(&self, i: usize) -> usize {
        let mut k = i;
        while k < i + MAX_KNOWN_RUN && self.known_word(k, k == i) {
            k += 1;
        }
        k - i
    }

    /// Whether token `k` is a word of a name already found (the first of a name
    /// may carry `و`), and not the particle `أن`.
    fn known_word(&self, k: usize, first: bool) -> bool {
        // The particle test last: few words are known name words.
        self.is_word(k)
            && self
                .known_names
                .contains(if first { self.bare(k) } else { self.norm(k) })
            && !is_particle_an(&self.view, k)
    }

    /// Whether a title follows in apposition: `X، نائب رئيس …`.
    fn apposition_after(&self, end: usize) -> bool {
        // `، ونائب …` starts the next person of a list, not an apposition.
        let conjunction =
            end + 1 < self.limit && self.tokens[end + 1].clitics.conjunction().is_some();
        self.norm(end) == "،" && !conjunction && self.title_at(end + 1).is_some()
    }

    /// The titles in apposition after a name: `، نائب رئيس اللجنة الشعبية`.
    fn titles_after(&self, end: usize) -> Vec<Title> {
        if !self.apposition_after(end) {
            return Vec::new();
        }
        let mut k = end + 1;
        let mut stop = k;
        while stop < self.limit && stop < k + MAX_CHAIN && self.tokens[stop].kind == TokenKind::Word
        {
            stop += 1;
        }
        let mut titles = Vec::new();
        while k < stop {
            match self.title_at(k) {
                Some((len, role)) => {
                    let org_end = self.next_title(k + len, stop);
                    titles.push(self.title(k, k + len, org_end, role));
                    k = org_end;
                }
                None => break,
            }
        }
        titles
    }

    /// Where the organisation after a title ends: at the next title or `end`.
    /// A word (letters) is never a joiner: only the other tokens' forms are
    /// read.
    fn next_title(&self, from: usize, end: usize) -> usize {
        let joiner = |k: usize| !self.is_word(k) && matches!(self.norm(k), "-" | "،" | "–");
        (from..end)
            .find(|&k| self.title_at(k).is_some() || joiner(k))
            .unwrap_or(end)
    }

    /// A title from the phrase `start..end` and its organisation up to
    /// `org_end`. Organisation words inside the phrase (`رئيس اللجنة الشعبية`)
    /// go to the organisation: the title's text is its head (`رئيس`).
    fn title(&self, start: usize, end: usize, org_end: usize, role: &str) -> Title {
        let text = |a: usize, b: usize| {
            let (s, e) = (
                self.tokens[a].start as usize,
                self.tokens[b - 1].end as usize,
            );
            CompactString::new(&self.doc.original()[s..e])
        };
        let head_end = (start + 1..end)
            .find(|&k| {
                let bare = self.bare(k);
                (bare.starts_with("ال") || ORG_HEADS.contains(bare))
                    && !matches!(bare, "الدائم" | "الاول" | "العام")
            })
            .unwrap_or(end);
        Title {
            text: text(start, head_end),
            role: role.into(),
            org: (org_end > head_end).then(|| text(head_end, org_end)),
        }
    }

    /// What stands right before a name at `i`: its title chain, honorific,
    /// nationality adjective, or a reporting verb.
    fn evidence_before(&self, i: usize) -> Evidence {
        self.evidence_walking(i, false)
    }

    /// [`Scan::evidence_before`] `i`. With `walk`, the chain's start is found
    /// by walking back over it word by word to a stop ([`stops_chain`]), as the
    /// tests do to show that the answer is the same as from
    /// [`Scan::chain_floor`].
    #[inline(always)]
    fn evidence_walking(&self, i: usize, walk: bool) -> Evidence {
        let mut evidence = Evidence::default();
        if i == 0 {
            return evidence;
        }
        let mut k = i;
        // `السيد`, `الرفيق` right before the name, or with one adjective between
        // (`الطبيب العظيم`).
        let adjective = k >= 2 && self.tokens[k - 1].clitics.has_article() && self.honorific(k - 2);
        if self.honorific(k - 1) || adjective {
            let at = if adjective { k - 2 } else { k - 1 };
            evidence.honorific = Some(self.doc.text(&self.tokens[at]).into());
            k = at;
        }
        if self.reporting_before(k) {
            evidence.reporting = true;
            return evidence;
        }
        // The chain: back over words, `-` and `،`, to a stop, and not past the
        // last name.
        let start = if walk {
            let floor = self.last_person_end.max(k.saturating_sub(MAX_CHAIN));
            let mut start = k;
            while start > floor && !stops_chain(&self.view, start - 1) {
                start -= 1;
            }
            start
        } else {
            self.last_person_end.max(self.chain_floor(k))
        };
        if start >= k {
            return evidence;
        }
        // Titles from left to right; the chain is what follows the first one.
        let Some(mut j) = self.first_title(start..k) else {
            return evidence;
        };
        let mut titles = Vec::new();
        while j < k {
            match self.title_at(j) {
                Some((len, role)) if j + len <= k => {
                    let org_end = self.next_title(j + len, k);
                    // A nationality adjective right after the title is not an org.
                    // So is a country right before the name (`رئيس كوريا يون سوك يول`).
                    let country = self
                        .gazetteer(j + len)
                        .filter(|(n, p)| j + len + n == k && p.kind == "country")
                        .map(|(n, _)| n);
                    let (org_end, nationality) = match NATIONALITIES
                        .longest(self.phrase(j + len))
                        .map(|(n, _)| n)
                        .or(country)
                    {
                        Some(n) if j + len + n == k => (j + len, true),
                        _ => (org_end, false),
                    };
                    evidence.nationality |= nationality;
                    titles.push(self.title(j, j + len, org_end, role));
                    j = if nationality { k } else { org_end };
                }
                _ => j += 1,
            }
        }
        evidence.titles = dedup_roles(titles);
        evidence
    }
}

/// Keeps each role once, at its first title (`عضو …، عضو …` → one `member`).
/// A chain holds a few titles: comparing with those kept costs less than a set
/// of copied roles. The titles kept move up in place, in order.
fn dedup_roles(mut titles: Vec<Title>) -> Vec<Title> {
    let mut kept = 0;
    for n in 0..titles.len() {
        if !titles[..kept].iter().any(|k| k.role == titles[n].role) {
            // Most chains keep every title: nothing moves.
            if kept != n {
                titles.swap(kept, n);
            }
            kept += 1;
        }
    }
    titles.truncate(kept);
    titles
}

/// What stands before a name.
#[derive(Debug, Default)]
struct Evidence {
    titles: Vec<Title>,
    honorific: Option<CompactString>,
    nationality: bool,
    reporting: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn found(text: &str) -> Vec<Value> {
        crate::extract::found_values(&Persons, text)
    }

    fn roles(v: &Value) -> Vec<String> {
        v["titles"]
            .as_array()
            .map(|t| {
                t.iter()
                    .map(|t| t["role"].as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn officials_with_title_chains() {
        let got = found("برئاسة السكرتير الإقليمي للحزب هوانج ترونج دونج، عقدت");
        assert_eq!(got.len(), 1, "{got:#?}");
        assert_eq!(got[0]["name"], "هوانج ترونج دونج");
        assert_eq!(got[0]["latin"], "Hoang Trung Dung");
        assert_eq!(roles(&got[0]), ["party_secretary"]);
        let got =
            found("ونائب أمين لجنة الحزب الإقليمية - رئيس اللجنة الشعبية الإقليمية فو ترونغ هاي؛");
        assert_eq!(got[0]["name"], "فو ترونغ هاي");
        assert_eq!(got[0]["latin"], "Vo Trong Hai");
        assert_eq!(roles(&got[0]), ["deputy_party_secretary", "chairman"]);
        assert_eq!(got[0]["titles"][1]["org"], "اللجنة الشعبية الإقليمية");
        let got = found("ونائب الأمين الدائم للجنة الحزب الإقليمية تران ذا دونج، ونائب");
        assert_eq!(roles(&got[0]), ["standing_deputy_party_secretary"]);
        assert_eq!(got[0]["latin"], "Tran The Dung");
    }

    #[test]
    fn honorifics_and_short_mentions() {
        let got = found("وقال السيد دينه فان هونغ إن. وأكد السيد هونغ أن");
        let names: Vec<&str> = got.iter().map(|v| v["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["دينه فان هونغ", "هونغ"]);
        assert_eq!(got[1]["honorific"], "السيد");
    }

    #[test]
    fn foreign_leaders() {
        let got = found("استقبل رئيس الوزراء الياباني فوميو كيشيدا، ثم قال رئيس الوزراء كيشيدا إن");
        let names: Vec<&str> = got.iter().map(|v| v["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["فوميو كيشيدا", "كيشيدا"]);
        assert_eq!(roles(&got[0]), ["prime_minister"]);
        assert_eq!(roles(&got[1]), ["prime_minister"]);
    }

    #[test]
    fn places_are_not_persons() {
        let got = found("للجنة الحزب الإقليمية في ها تينه الدروس وفي مقاطعة ديان بيان");
        assert_eq!(got.len(), 2, "{got:#?}");
        assert_eq!(
            got[0],
            json!({"kind": "place", "text": "ها تينه", "name": "ها تينه", "latin": "Ha Tinh", "type": "province"})
        );
        assert_eq!(got[1]["name"], "ديان بيان");
        let got = found("في مدينة هو تشي منه");
        assert_eq!(got[0]["kind"], "place");
        assert_eq!(got[0]["name"], "هو تشي منه");
    }

    #[test]
    fn each_role_is_kept_once_at_its_first_title() {
        let title = |text: &str, role: &str| Title {
            text: text.into(),
            role: role.into(),
            org: None,
        };
        let kept = dedup_roles(vec![
            title("عضو", "member"),
            title("رئيس", "chairman"),
            title("عضو", "member"),
            title("نائب رئيس", "vice_chairman"),
            title("رئيس", "chairman"),
        ]);
        let roles: Vec<&str> = kept.iter().map(|t| t.role.as_str()).collect();
        assert_eq!(roles, ["member", "chairman", "vice_chairman"]);
    }

    /// Every article of the gold corpus, by path.
    fn corpus_articles() -> Vec<(std::path::PathBuf, String)> {
        let mut articles = Vec::new();
        for dir in ["corpus/dev", "corpus/test"] {
            for entry in std::fs::read_dir(dir).expect("the corpus is there") {
                let path = entry.expect("a directory entry").path();
                if path.extension().is_some_and(|e| e == "txt") {
                    let text = std::fs::read_to_string(&path).expect("an article");
                    articles.push((path, text));
                }
            }
        }
        articles.sort();
        assert!(articles.len() > 30, "{} articles", articles.len());
        articles
    }

    #[test]
    fn token_facts_are_the_lookups_they_stand_for() {
        let (mut syllables, mut places, mut titles_seen) = (0, 0, 0);
        for (path, text) in corpus_articles() {
            let doc = Analysis::new(&text);
            let scan = Scan::new(&doc);
            let view = scan.view;
            // Past the body too: every answer there is "none".
            for k in 0..view.limit + 3 {
                let at = format!("{} token {k}", path.display());
                for first in [true, false] {
                    // Without the lexicon bit: the form looked up.
                    let form = if first { view.bare(k) } else { view.norm(k) };
                    let direct = (view.is_word(k)
                        && !view.tokens[k].clitics.has_article()
                        && !is_particle_an(&view, k))
                    .then(|| SYLLABLES.get(form).map(|s| s.as_str()))
                    .flatten();
                    let latin = scan
                        .syllable(k, first)
                        .then(|| latin_of(&view, k, first))
                        .flatten();
                    assert_eq!(latin, direct, "{at} first={first}");
                    assert_eq!(
                        scan.syllable(k, first),
                        direct.is_some(),
                        "{at} first={first}"
                    );
                    syllables += usize::from(direct.is_some());
                }
                let place = gazetteer_of(&view, k);
                assert!(same_phrase(scan.gazetteer(k), place), "{at}");
                places += usize::from(place.is_some());
                let title = title_of(&view, k);
                assert_eq!(
                    scan.title_at(k).map(|(n, r)| (n, r as *const String)),
                    title.map(|(n, r)| (n, r as *const String)),
                    "{at}"
                );
                assert_eq!(scan.honorific(k), HONORIFICS.contains(view.bare(k)), "{at}");
                assert_eq!(scan.facts.has(k, TITLE_START), title.is_some(), "{at}");
                titles_seen += usize::from(title.is_some());
            }
            // After a run, some places asked and kept, the others not yet.
            let mut run = Scan::new(&doc);
            run.run(&mut Vec::new(), true);
            for k in 0..view.limit + 3 {
                let at = format!("{} token {k} after the run", path.display());
                assert!(
                    same_phrase(run.gazetteer(k), gazetteer_of(&view, k)),
                    "{at}"
                );
            }
        }
        assert!(syllables > 1000 && places > 100 && titles_seen > 100);
    }

    /// Whether two lookups found the same phrase: the same length, the same
    /// entry.
    fn same_phrase<V>(a: Option<(usize, &V)>, b: Option<(usize, &V)>) -> bool {
        match (a, b) {
            (None, None) => true,
            (Some((m, p)), Some((n, q))) => m == n && std::ptr::eq(p, q),
            _ => false,
        }
    }

    #[test]
    fn phrase_memos_answer_as_their_tables() {
        let (mut asked, mut from_memory, mut found) = (0, 0, 0);
        for (path, text) in corpus_articles() {
            let doc = Analysis::new(&text);
            let view = TokenView::new(&doc);
            let mut titles = PhraseMemo::new(&TITLES);
            let mut places = PhraseMemo::new(&GAZETTEER);
            // Every token, past the body too, twice: the second time most
            // answers are the ones kept the first time.
            for round in 0..2 {
                for k in 0..view.limit + 3 {
                    let at = format!("{} token {k} round {round}", path.display());
                    let title = TITLES.longest_at_first_word(view.phrase(k));
                    let place = GAZETTEER.longest_at_first_word(view.phrase(k));
                    if let Some(kept) = titles.kept(&view, k) {
                        assert!(same_phrase(kept, title), "{at}");
                        from_memory += 1;
                    }
                    if let Some(kept) = places.kept(&view, k) {
                        assert!(same_phrase(kept, place), "{at}");
                        from_memory += 1;
                    }
                    assert!(same_phrase(titles.longest_at(&view, k), title), "{at}");
                    assert!(same_phrase(places.longest_at(&view, k), place), "{at}");
                    asked += 2;
                    found += usize::from(title.is_some()) + usize::from(place.is_some());
                }
            }
        }
        assert!(
            found > 1000 && from_memory > asked / 3 && from_memory < asked,
            "{found} {from_memory} {asked}"
        );
    }

    #[test]
    fn the_first_and_last_facts_of_a_range_are_those_of_its_tokens() {
        let (mut ranges, mut found) = (0, 0);
        for (path, text) in corpus_articles() {
            let doc = Analysis::new(&text);
            let scan = Scan::new(&doc);
            let facts = &scan.facts;
            // Ranges of every length up to past two blocks, past the body too.
            for start in 0..scan.limit + 3 {
                for len in [0, 1, 2, 25, 63, 64, 65, 130] {
                    for set in [TITLE_START, CHAIN_STOP] {
                        let range = start..start + len;
                        let at = format!("{} tokens {range:?} set {set}", path.display());
                        let mut plain = range.clone().filter(|&k| facts.has(k, set));
                        let first = plain.next();
                        let last = plain.next_back().or(first);
                        assert_eq!(facts.first_in(set, range.clone()), first, "{at}");
                        assert_eq!(facts.last_in(set, range), last, "{at}");
                        ranges += 1;
                        found += usize::from(first.is_some());
                    }
                }
            }
        }
        assert!(found > 10_000 && ranges > 2 * found, "{found} of {ranges}");
    }

    #[test]
    fn known_names_added_by_form_are_the_words_added() {
        let (mut added, mut words) = (0, 0);
        for (path, text) in corpus_articles() {
            let doc = Analysis::new(&text);
            let scan = Scan::new(&doc);
            // Every token's word added, with its form, and to a plain set.
            let mut known = KnownNames::default();
            let mut plain = FxHashSet::default();
            for k in 0..scan.limit {
                known.insert(doc.forms().ids[k], || scan.bare(k));
                plain.insert(scan.bare(k));
                added += 1;
            }
            assert_eq!(known.words, plain, "{}", path.display());
            for k in 0..scan.limit + 3 {
                let at = format!("{} token {k}", path.display());
                assert_eq!(
                    known.contains(scan.bare(k)),
                    plain.contains(scan.bare(k)),
                    "{at}"
                );
                assert_eq!(
                    known.contains_bare(&scan.view, k),
                    plain.contains(scan.bare(k)),
                    "{at}"
                );
            }
            words += plain.len();
        }
        // A word comes back several times in an article: added again each time.
        assert!(words > 1000 && added > words + 5000, "{words} of {added}");
    }

    #[test]
    fn gated_word_lists_are_found_by_their_bits() {
        let mut hits = [0usize; 5];
        for (path, text) in corpus_articles() {
            let doc = Analysis::new(&text);
            let scan = Scan::new(&doc);
            // Past the body too: every answer there is "no".
            for k in 0..scan.limit + 3 {
                for (n, (set, lex)) in gated_word_lists().into_iter().enumerate() {
                    let at = format!("{} token {k} list {n}", path.display());
                    let bare = set.contains(scan.bare(k));
                    assert_eq!(bare_in(&scan.view, k, lex), bare, "{at}");
                    assert_eq!(
                        norm_in(&scan.view, k, lex),
                        set.contains(scan.norm(k)),
                        "{at}"
                    );
                    hits[n] += usize::from(bare);
                }
            }
        }
        assert!(hits.iter().all(|&h| h > 10), "{hits:?}");
    }

    #[test]
    fn nothing_starts_at_a_token_not_astir() {
        let (mut quiet, mut starting, mut all) = (0, 0, 0);
        for (path, text) in corpus_articles() {
            let doc = Analysis::new(&text);
            let scan = Scan::new(&doc);
            // In order, each once: the walk below takes every one of them.
            let mut astir = scan.facts.astir.iter().map(|a| a.token as usize).peekable();
            for i in 0..scan.limit {
                let starts =
                    scan.name_starts(i, scan.may_have_evidence(i)) != 0 || scan.may_start_place(i);
                if astir.next_if_eq(&i).is_none() {
                    assert!(!starts, "{} token {i}", path.display());
                    quiet += 1;
                }
                starting += usize::from(starts);
                all += 1;
            }
            assert_eq!(astir.next(), None, "{}", path.display());
        }
        assert!(
            quiet > all / 2 && starting > 2000,
            "{quiet} {starting} {all}"
        );
    }

    #[test]
    fn a_token_astir_keeps_the_evidence_gate_of_its_token() {
        let (mut with, mut without) = (0, 0);
        for (path, text) in corpus_articles() {
            let doc = Analysis::new(&text);
            let scan = Scan::new(&doc);
            for &Astir { token, evidence } in &scan.facts.astir {
                let token = token as usize;
                let at = format!("{} token {token}", path.display());
                assert_eq!(evidence, scan.may_have_evidence(token), "{at}");
                with += usize::from(evidence);
                without += usize::from(!evidence);
            }
        }
        assert!(with > 1000 && without > 1000, "{with} {without}");
    }

    #[test]
    fn a_known_run_is_no_longer_than_where_its_words_stop() {
        let (mut asked, mut turned_away) = (0, 0);
        for (path, text) in corpus_articles() {
            let doc = Analysis::new(&text);
            let mut scan = Scan::new(&doc);
            // Every name of the article known, as at its end.
            scan.run(&mut Vec::new(), true);
            for i in 0..scan.limit {
                let run = scan.known_run(i);
                for vietnamese in 0..MAX_KNOWN_RUN {
                    asked += 1;
                    if !scan.known_word(i + vietnamese, vietnamese == 0) {
                        let at = format!("{} token {i}", path.display());
                        assert!(run <= vietnamese, "{at}: {run} > {vietnamese}");
                        turned_away += 1;
                    }
                }
            }
        }
        assert!(
            turned_away > asked / 2 && asked - turned_away > 1000,
            "{turned_away} of {asked}"
        );
    }

    #[test]
    fn the_gate_turns_away_no_person_and_no_place() {
        let mut found = 0;
        for (path, text) in corpus_articles() {
            let doc = Analysis::new(&text);
            let (mut gated, mut asked) = (Vec::new(), Vec::new());
            Scan::new(&doc).run(&mut gated, true);
            Scan::new(&doc).run(&mut asked, false);
            assert_eq!(gated, asked, "{}", path.display());
            found += gated.len();
        }
        assert!(found > 500, "{found} persons and places");
    }

    #[test]
    fn no_title_or_honorific_where_the_evidence_gate_says_none() {
        let (mut ruled_out, mut with_evidence) = (0, 0);
        for (path, text) in corpus_articles() {
            let doc = Analysis::new(&text);
            let scan = Scan::new(&doc);
            // No name found yet: the chain may reach furthest back.
            for k in 0..scan.limit {
                let before = scan.evidence_before(k);
                let evidence = before.honorific.is_some() || !before.titles.is_empty();
                if !scan.may_have_evidence(k) {
                    assert!(!evidence, "{} token {k}", path.display());
                    ruled_out += usize::from(scan.may_start_foreign_name(k));
                }
                with_evidence += usize::from(evidence);
            }
        }
        assert!(
            ruled_out > 500 && with_evidence > 1000,
            "{ruled_out} {with_evidence}"
        );
    }

    #[test]
    fn where_the_gate_says_no_person_none_is_found() {
        let (mut turned_away, mut found) = (0, 0);
        for (path, text) in corpus_articles() {
            let doc = Analysis::new(&text);
            let mut scan = Scan::new(&doc);
            let mut out = Vec::new();
            // The ungated scan, asking the gate at every token on the way, with
            // the names found so far.
            let mut i = 0;
            while i < scan.limit {
                let gate = scan.may_find_person(i, scan.name_starts(i, scan.may_have_evidence(i)));
                let person = scan.person_at(i, &mut out);
                if !gate {
                    assert!(person.is_none(), "{} token {i}", path.display());
                    turned_away += usize::from(scan.may_start_person(i));
                }
                match person.or_else(|| scan.place_at(i, &mut out)) {
                    Some(end) => {
                        found += 1;
                        i = end;
                    }
                    None => i += 1,
                }
            }
        }
        assert!(turned_away > 1000 && found > 500, "{turned_away} {found}");
    }

    #[test]
    fn the_chain_floor_gives_the_evidence_of_the_walk_back() {
        let mut titles = 0;
        for (path, text) in corpus_articles() {
            let doc = Analysis::new(&text);
            let mut scan = Scan::new(&doc);
            // Where the last name ended bounds the walk too: try both.
            for last_person_end in [0, 5] {
                scan.last_person_end = last_person_end;
                for k in 0..scan.limit {
                    let short = scan.evidence_walking(k, false);
                    let whole = scan.evidence_walking(k, true);
                    let at = format!("{} token {k}", path.display());
                    assert_eq!(short.titles, whole.titles, "{at}");
                    assert_eq!(short.honorific, whole.honorific, "{at}");
                    assert_eq!(short.nationality, whole.nationality, "{at}");
                    assert_eq!(short.reporting, whole.reporting, "{at}");
                    titles += short.titles.len();
                }
            }
        }
        assert!(titles > 1000, "{titles} titles");
    }

    #[test]
    fn arabic_lookalikes_are_not_names() {
        assert!(found("وقال إن هو ما يعني").is_empty());
        assert!(found("فان المؤتمر لي ها").is_empty());
        let got = found("دراسة واتباع أيديولوجية هو تشي مينه وأخلاقه");
        assert_eq!(got.len(), 1, "{got:#?}");
        assert_eq!(got[0]["kind"], "person");
        assert_eq!(got[0]["latin"], "Ho Chi Minh");
    }
}

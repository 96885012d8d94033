//! Extractors: one module per entity family, each reading the token stream of an
//! [`Analysis`] once and appending entities.
//!
//! An extractor never sees raw bytes: it works on tokens (their normal forms,
//! stems and kinds) and builds entities with [`Analysis::entity`], which fills in
//! the exact text, byte and character offsets and the sentence index. Tokens in
//! the site chrome are not offered ([`Analysis::body_tokens`]).

pub mod dates;
pub mod figures;
pub mod numbers;
pub mod persons;

use crate::analysis::Analysis;
use crate::record::{Entity, EntityKind};

/// Finds the entities of some kinds in an analysed document.
pub trait Extractor: Send + Sync {
    /// The kinds this extractor produces.
    fn kinds(&self) -> &'static [EntityKind];

    /// Appends the entities found in `doc` to `out`, in any order.
    fn extract(&self, doc: &Analysis<'_>, out: &mut Vec<Entity>);
}

/// The extractors akhbar runs by default.
pub fn default_extractors() -> Vec<Box<dyn Extractor>> {
    vec![
        Box::new(figures::Figures),
        Box::new(dates::Dates),
        Box::new(persons::Persons),
    ]
}

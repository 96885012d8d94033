//! Batches: many documents read and analysed in parallel, written in input order.
//!
//! Documents are processed in windows: each window is read and analysed across
//! rayon's threads (an indexed `par_iter`, which keeps input order), then written
//! before the next is read, so memory holds one window, not the whole input.

use std::collections::BTreeMap;
use std::io::{self, Write};

use rayon::prelude::*;

use crate::input::{Input, InputError};
use crate::record::{EntityKind, Failure, FailureInfo, Record};
use crate::{Akhbar, Options};

/// How records are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// One compact JSON object a line.
    JsonLines,
    /// Pretty JSON: one object for a single document, an array for several.
    Json,
}

/// What a batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Summary {
    /// Documents written, failures included.
    pub documents: usize,
    /// Documents that failed.
    pub failures: usize,
    /// Bytes of text analysed.
    pub bytes: usize,
    /// Entities written, per kind.
    pub entities: BTreeMap<EntityKind, usize>,
}

/// How many documents are in flight per thread.
const WINDOW_PER_THREAD: usize = 16;

/// Reads, analyses and writes every input, in input order. A document that cannot
/// be read becomes an error record, `on_error` is told, and the batch goes on;
/// only a failure to write stops it.
pub fn run<W: Write>(
    akhbar: &Akhbar,
    inputs: Vec<Result<Input, InputError>>,
    options: &Options,
    format: Format,
    out: &mut W,
    mut on_error: impl FnMut(&InputError),
) -> io::Result<Summary> {
    let mut summary = Summary::default();
    let window = WINDOW_PER_THREAD * rayon::current_num_threads().max(1);
    let single = inputs.len() == 1;
    let mut writer = RecordWriter::new(format, single);
    let mut inputs = inputs.into_iter();
    loop {
        let chunk: Vec<Result<Input, InputError>> = inputs.by_ref().take(window).collect();
        if chunk.is_empty() {
            break;
        }
        let results: Vec<Result<Record, InputError>> = chunk
            .into_par_iter()
            .map(|input| {
                let input = input?;
                let text = input.read()?;
                Ok(Record::Document(Box::new(akhbar.document(&text, options))))
            })
            .collect();
        for result in results {
            let record = match result {
                Ok(record) => record,
                Err(error) => {
                    on_error(&error);
                    failure_record(&error)
                }
            };
            summary.documents += 1;
            match &record {
                Record::Document(doc) => {
                    summary.bytes += doc.stats.bytes;
                    for e in &doc.entities {
                        *summary.entities.entry(e.kind()).or_default() += 1;
                    }
                }
                Record::Failure(_) => summary.failures += 1,
            }
            writer.write(out, &record)?;
        }
    }
    writer.finish(out)?;
    out.flush()?;
    Ok(summary)
}

/// The error record of a document that could not be read.
pub fn failure_record(error: &InputError) -> Record {
    let (id, source) = match error {
        InputError::Io { name, .. } | InputError::TooLarge { name, .. } => {
            let id = Input::File(name.into()).id();
            (id, name.clone())
        }
    };
    Record::Failure(Failure {
        id,
        source,
        error: FailureInfo {
            kind: error.kind().to_string(),
            message: error.to_string(),
        },
    })
}

/// Writes records one after another in the chosen format.
struct RecordWriter {
    format: Format,
    single: bool,
    written: usize,
}

impl RecordWriter {
    fn new(format: Format, single: bool) -> RecordWriter {
        RecordWriter {
            format,
            single,
            written: 0,
        }
    }

    fn write<W: Write>(&mut self, out: &mut W, record: &Record) -> io::Result<()> {
        match self.format {
            Format::JsonLines => {
                serde_json::to_writer(&mut *out, record)?;
                out.write_all(b"\n")?;
            }
            Format::Json => {
                if !self.single {
                    out.write_all(if self.written == 0 { b"[\n" } else { b",\n" })?;
                }
                serde_json::to_writer_pretty(&mut *out, record)?;
                if self.single {
                    out.write_all(b"\n")?;
                }
            }
        }
        self.written += 1;
        Ok(())
    }

    fn finish<W: Write>(&mut self, out: &mut W) -> io::Result<()> {
        if self.format == Format::Json && !self.single {
            out.write_all(if self.written == 0 { b"[]\n" } else { b"\n]\n" })?;
        }
        Ok(())
    }
}

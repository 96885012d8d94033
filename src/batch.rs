//! Batches: many documents read, analysed in parallel, and written in input order
//! with bounded memory (SPEC §4).
//!
//! One thread reads the inputs ([`crate::sources`]) and hands documents over a
//! bounded channel; the calling thread takes what has arrived (at most a window),
//! analyses it across rayon's threads with an indexed `par_iter` (which keeps
//! input order), writes the records and flushes. Memory holds one window and the
//! channel, whatever the size of the input, and a record leaves as soon as its
//! window is done, so akhbar can run as a streaming map step.

use std::collections::BTreeMap;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::input::{InputError, InputText};
use crate::record::{Document, EntityKind, Failure, FailureInfo, Record};
use crate::sources::{read_all, SourceOptions};
use crate::{Akhbar, Options};

/// How records are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// One compact JSON object a line.
    JsonLines,
    /// Pretty JSON: one object for a single document, an array for several.
    Json,
    /// One row per entity, comma-separated, with a header.
    Csv,
    /// One row per entity, tab-separated, with a header.
    Tsv,
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

/// How to run a batch, beyond what each record holds.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct BatchOptions {
    /// What to read and how.
    pub sources: SourceOptions,
    /// The output format.
    pub format: Format,
    /// Only these kinds of entity (all when empty).
    pub kinds: Vec<EntityKind>,
    /// Show a progress bar on standard error (only when it is a terminal).
    pub progress: bool,
    /// Whether exactly one document is expected (pretty JSON is then an
    /// object, not an array).
    pub single: bool,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            sources: SourceOptions::default(),
            format: Format::JsonLines,
            kinds: Vec::new(),
            progress: false,
            single: false,
        }
    }
}

impl BatchOptions {
    /// With this output format.
    pub fn with_format(mut self, format: Format) -> Self {
        self.format = format;
        self
    }

    /// With these source options.
    pub fn with_sources(mut self, sources: SourceOptions) -> Self {
        self.sources = sources;
        self
    }

    /// Keeping only these kinds.
    pub fn with_kinds(mut self, kinds: Vec<EntityKind>) -> Self {
        self.kinds = kinds;
        self
    }

    /// With or without a progress bar.
    pub fn with_progress(mut self, progress: bool) -> Self {
        self.progress = progress;
        self
    }

    /// Whether one document is expected.
    pub fn with_single(mut self, single: bool) -> Self {
        self.single = single;
        self
    }
}

/// How many documents are in flight per thread.
const WINDOW_PER_THREAD: usize = 16;

/// Reads, analyses and writes every document of `args`, in input order. A
/// document that cannot be read becomes an error record, `on_error` is told
/// (with the record), and the batch goes on; only a failure to write stops it.
pub fn run<W: Write + ?Sized>(
    akhbar: &Akhbar,
    args: &[PathBuf],
    options: &Options,
    batch: &BatchOptions,
    out: &mut W,
    on_error: &mut dyn FnMut(&Failure),
) -> io::Result<Summary> {
    let window = WINDOW_PER_THREAD * rayon::current_num_threads().max(1);
    let (sender, receiver) = mpsc::sync_channel::<Result<InputText, InputError>>(window);
    let sources = batch.sources.clone();
    let args = args.to_vec();
    std::thread::scope(|scope| {
        scope.spawn(move || read_all(&args, &sources, &mut |doc| sender.send(doc).is_ok()));
        let result = consume(akhbar, options, batch, out, on_error, &receiver, window);
        // Whatever happened, let the reader finish: it stops at its next send.
        drop(receiver);
        result
    })
}

fn consume<W: Write + ?Sized>(
    akhbar: &Akhbar,
    options: &Options,
    batch: &BatchOptions,
    out: &mut W,
    on_error: &mut dyn FnMut(&Failure),
    receiver: &mpsc::Receiver<Result<InputText, InputError>>,
    window: usize,
) -> io::Result<Summary> {
    let mut summary = Summary::default();
    let writer = RecordWriter::new(batch.format, batch.single);
    let mut progress = Progress::new(batch.progress);
    while let Ok(first) = receiver.recv() {
        let mut docs = vec![first];
        while docs.len() < window {
            match receiver.try_recv() {
                Ok(doc) => docs.push(doc),
                Err(_) => break,
            }
        }
        // Each worker analyses its document and renders its record too, so
        // that the output format costs the same threads as the extraction and
        // this thread only writes bytes, in input order.
        //
        // In a scope, so that the pool's threads do the work even for a window
        // of one document, which a parallel iterator would otherwise run on
        // this thread: the word caches of the clitic analysis and the features
        // are per thread, and this thread's would be filled a second time (an
        // extra 3 M instructions or so, and a run's count then depends on how
        // the documents happened to arrive).
        let written = summary.documents;
        let rendered: Vec<io::Result<Rendered>> = rayon::scope(|_| {
            docs.into_par_iter()
                .enumerate()
                .map(|(k, doc)| {
                    let (record, text) = match doc {
                        Ok(text) => {
                            let mut document = akhbar.document(&text, options);
                            if !batch.kinds.is_empty() {
                                retain_kinds(&mut document, &batch.kinds);
                            }
                            (Record::Document(Box::new(document)), Some(text))
                        }
                        Err(error) => (failure_record(&error), None),
                    };
                    // A record's JSON runs to about three times its text: reserve
                    // that (up to 4 MiB) rather than grow by doubling.
                    let text_len = text.as_ref().map_or(0, |t| t.text.len());
                    let mut bytes = Vec::with_capacity((3 * text_len).min(1 << 22));
                    writer.write(&mut bytes, &record, text.as_ref(), written + k)?;
                    Ok(Rendered::new(bytes, record))
                })
                .collect()
        });
        for rendered in rendered {
            let rendered = rendered?;
            summary.documents += 1;
            summary.bytes += rendered.text_bytes;
            for (kind, n) in EntityKind::ALL.into_iter().zip(rendered.entities) {
                if n > 0 {
                    *summary.entities.entry(kind).or_default() += n;
                }
            }
            if let Some(failure) = &rendered.failure {
                summary.failures += 1;
                on_error(failure);
            }
            out.write_all(&rendered.bytes)?;
        }
        out.flush()?;
        progress.update(&summary);
    }
    writer.finish(out, summary.documents)?;
    out.flush()?;
    progress.finish();
    Ok(summary)
}

/// One record, rendered in the output format, with what the summary counts.
struct Rendered {
    bytes: Vec<u8>,
    text_bytes: usize,
    /// How many entities of each kind, in the order of `EntityKind::ALL`
    /// (an array rather than the summary's map: a document has thousands).
    entities: [usize; EntityKind::ALL.len()],
    failure: Option<Failure>,
}

impl Rendered {
    fn new(bytes: Vec<u8>, record: Record) -> Rendered {
        let mut rendered = Rendered {
            bytes,
            text_bytes: 0,
            entities: [0; EntityKind::ALL.len()],
            failure: None,
        };
        match record {
            Record::Document(doc) => {
                rendered.text_bytes = doc.stats.bytes;
                for e in &doc.entities {
                    rendered.entities[e.kind() as usize] += 1;
                }
            }
            Record::Failure(failure) => rendered.failure = Some(failure),
        }
        rendered
    }
}

/// Keeps only entities of `kinds`; persons follow their mentions.
pub fn retain_kinds(doc: &mut Document, kinds: &[EntityKind]) {
    let mut new_index = vec![usize::MAX; doc.entities.len()];
    let mut kept = 0;
    for (i, e) in doc.entities.iter().enumerate() {
        if kinds.contains(&e.kind()) {
            new_index[i] = kept;
            kept += 1;
        }
    }
    doc.entities.retain(|e| kinds.contains(&e.kind()));
    for person in &mut doc.persons {
        person.mentions = person
            .mentions
            .iter()
            .map(|&m| new_index[m])
            .filter(|&m| m != usize::MAX)
            .collect();
    }
    doc.persons.retain(|p| !p.mentions.is_empty());
}

/// The error record of a document that could not be read.
pub fn failure_record(error: &InputError) -> Record {
    Record::Failure(Failure {
        id: error.id(),
        source: error.source().to_string(),
        error: FailureInfo {
            kind: error.kind().to_string(),
            message: error.to_string(),
        },
    })
}

/// A progress line on standard error: documents, documents/s and MB/s. Only on
/// a terminal, never in a pipe.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    started: Instant,
}

impl Progress {
    fn new(wanted: bool) -> Progress {
        let bar = (wanted && io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Progress {
            bar,
            started: Instant::now(),
        }
    }

    fn update(&mut self, summary: &Summary) {
        if let Some(bar) = &self.bar {
            let seconds = self.started.elapsed().as_secs_f64().max(1e-9);
            bar.set_message(format!(
                "{} documents ({:.0}/s), {} failed, {:.1} MB/s",
                summary.documents,
                summary.documents as f64 / seconds,
                summary.failures,
                summary.bytes as f64 / 1e6 / seconds
            ));
        }
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

/// The columns of CSV and TSV output: one row per entity.
const COLUMNS: [&str; 29] = [
    "id",
    "source",
    "kind",
    "text",
    "start",
    "end",
    "char_start",
    "char_end",
    "sentence",
    "value",
    "from",
    "to",
    "amount",
    "currency",
    "unit",
    "counted",
    "qualifier",
    "per",
    "of",
    "numerator",
    "denominator",
    "part",
    "calendar",
    "time",
    "relative",
    "resolved",
    "name",
    "latin",
    "roles",
];

/// Writes records in an output format. `written`, the number of records
/// before this one, decides the header and the separators, so that records can
/// be rendered on any thread and written in order.
struct RecordWriter {
    format: Format,
    single: bool,
}

impl RecordWriter {
    fn new(format: Format, single: bool) -> RecordWriter {
        RecordWriter { format, single }
    }

    fn write(
        &self,
        out: &mut Vec<u8>,
        record: &Record,
        text: Option<&InputText>,
        written: usize,
    ) -> io::Result<()> {
        match self.format {
            Format::JsonLines => {
                // The record layer's own writer: serde_json's bytes, without
                // serde's cost.
                record.write_json(out);
                out.push(b'\n');
            }
            Format::Json => {
                if !self.single {
                    out.write_all(if written == 0 { b"[\n" } else { b",\n" })?;
                }
                serde_json::to_writer_pretty(&mut *out, record)?;
                if self.single {
                    out.write_all(b"\n")?;
                }
            }
            Format::Csv | Format::Tsv => self.write_rows(out, record, text, written)?,
        }
        Ok(())
    }

    fn write_rows<W: Write + ?Sized>(
        &self,
        out: &mut W,
        record: &Record,
        text: Option<&InputText>,
        written: usize,
    ) -> io::Result<()> {
        let delimiter = if self.format == Format::Tsv {
            b'\t'
        } else {
            b','
        };
        let mut rows = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .from_writer(Vec::new());
        let csv_error = |e: csv::Error| io::Error::other(e);
        if written == 0 {
            let mut header: Vec<&str> = COLUMNS.to_vec();
            header.push("context");
            rows.write_record(&header).map_err(csv_error)?;
        }
        match record {
            Record::Failure(f) => {
                let mut row = vec![String::new(); COLUMNS.len() + 1];
                row[0] = f.id.clone();
                row[1] = f.source.clone();
                row[2] = "error".to_string();
                row[3] = f.error.message.clone();
                rows.write_record(&row).map_err(csv_error)?;
            }
            Record::Document(doc) => {
                for e in &doc.entities {
                    let value = serde_json::to_value(e).map_err(io::Error::other)?;
                    let mut row: Vec<String> = COLUMNS
                        .iter()
                        .map(|&c| match c {
                            "id" => doc.id.clone(),
                            "source" => doc.source.clone(),
                            "roles" => value
                                .get("titles")
                                .and_then(|t| t.as_array())
                                .map(|ts| {
                                    ts.iter()
                                        .filter_map(|t| t.get("role")?.as_str())
                                        .collect::<Vec<_>>()
                                        .join(";")
                                })
                                .unwrap_or_default(),
                            "relative" => value
                                .get("relative")
                                .map(|r| {
                                    format!(
                                        "{}{:+}",
                                        r["unit"].as_str().unwrap_or(""),
                                        r["offset"].as_i64().unwrap_or(0)
                                    )
                                })
                                .unwrap_or_default(),
                            column => match value.get(column) {
                                Some(serde_json::Value::String(s)) => s.clone(),
                                Some(serde_json::Value::Null) | None => String::new(),
                                Some(other) => other.to_string(),
                            },
                        })
                        .collect();
                    let context = text
                        .and_then(|t| {
                            doc.sentences
                                .get(e.sentence)
                                .map(|s| t.text[s.start..s.end].to_string())
                        })
                        .unwrap_or_default();
                    row.push(context);
                    rows.write_record(&row).map_err(csv_error)?;
                }
            }
        }
        let bytes = rows
            .into_inner()
            .map_err(|e| io::Error::other(e.to_string()))?;
        out.write_all(&bytes)
    }

    fn finish<W: Write + ?Sized>(&self, out: &mut W, written: usize) -> io::Result<()> {
        if self.format == Format::Json && !self.single {
            out.write_all(if written == 0 { b"[]\n" } else { b"\n]\n" })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_count_at_their_place_in_all() {
        for (i, kind) in EntityKind::ALL.into_iter().enumerate() {
            assert_eq!(kind as usize, i, "{kind:?}");
        }
    }
}

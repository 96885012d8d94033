//! The `akhbar` command line: a thin layer over the library.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, Parser, Subcommand, ValueEnum};

use akhbar::batch::{self, BatchOptions, Format};

/// mimalloc instead of the system allocator: a batch allocates a few strings
/// per entity and a handful of buffers per document on every worker, and
/// glibc's malloc and free were a tenth of the profile. Its v2 series (the
/// `v2` feature) rather than v3: on the 100 MB bench v3 gave the large
/// per-document buffers back to the system and faulted them in again (3,054
/// page faults a run against 316), and ran some 4% slower on one thread.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc v2's `mi_option_purge_delay` (the sixteenth option of
/// `mi_option_t` in its `mimalloc.h`), which `libmimalloc-sys` does not name.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Tells mimalloc to keep the pages freed memory leaves, rather than give them
/// back to the system 10 ms later. A batch frees each document's buffers (the
/// text, its normal form, tokens, entities, the rendered record) and allocates
/// the same sizes again for the next one: given back, every page is faulted in
/// and zeroed by the kernel again, which was 4.5% of the time on the 100 MB
/// bench. The window of documents in flight bounds what is kept.
#[allow(unsafe_code)]
fn keep_freed_pages() {
    // SAFETY: `mi_option_set` writes one of mimalloc's option words; it is
    // called first thing in `main`, before any thread of ours starts.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}
use akhbar::eval;
use akhbar::extract::dates::ReferenceDate;
use akhbar::input::Input;
use akhbar::sources::{is_single_document, Glob, InputFormat, SourceOptions};
use akhbar::EntityKind;
use akhbar::{Akhbar, Analysis, Options};

#[derive(Parser)]
#[command(
    name = "akhbar",
    version,
    about = "Extracts officials, figures, dates and money from Arabic news, with exact offsets.",
    after_help = "Examples:\n  akhbar extract corpus/ > records.jsonl\n  akhbar extract article.txt\n  akhbar tokenize article.txt\n  akhbar eval corpus/dev"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Writes one record per document: entities, sentences, byline, warnings.
    #[command(
        after_help = "Examples:\n  akhbar extract corpus/ > records.jsonl     # every .txt under corpus/, JSON Lines\n  akhbar extract article.txt                 # one document, pretty JSON on a terminal\n  cat article.txt | akhbar extract - --tokens --format jsonl\n  akhbar extract news.tar.gz archive.zip     # members are documents: source `news.tar.gz!dir/a.txt`\n  akhbar extract --input jsonl - < docs.jsonl   # a streaming filter: one record per line\n  akhbar extract corpus/ --format csv --kinds money,percent -o figures.csv\n  akhbar extract article.txt --reference-date 2024-01-10   # resolve أمس and 24 ديسمبر\n\nExit codes: 0 all documents fine, 1 some documents failed, 2 bad usage."
    )]
    Extract(ExtractArgs),
    /// Prints the tokens of one document with their normal form and clitics.
    #[command(
        after_help = "Examples:\n  akhbar tokenize article.txt\n  akhbar tokenize article.txt --format jsonl\n  echo 'والمنظمات ٧٤٧٧' | akhbar tokenize -"
    )]
    Tokenize {
        /// The document, or `-` for standard input.
        #[arg(value_name = "FILE|-")]
        input: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value = "tsv")]
        format: TokenFormat,
    },
    /// Scores the extraction against gold files (NAME.gold.json beside NAME.txt).
    #[command(
        after_help = "Examples:\n  akhbar eval corpus/\n  akhbar eval corpus/test --diff\n  akhbar eval corpus/dev --json > report.json"
    )]
    Eval {
        /// Gold files, or directories searched for *.gold.json.
        #[arg(required = true, value_name = "GOLD_DIRS|FILES")]
        paths: Vec<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// List misses and false alarms per document.
        #[arg(long)]
        diff: bool,
        /// Fail (exit 1) if any kind's F1 is more than 0.02 below this baseline file.
        #[arg(long, value_name = "FILE")]
        baseline: Option<PathBuf>,
        /// Write the F1 per kind to this file, as a new baseline.
        #[arg(long, value_name = "FILE")]
        save_baseline: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum RecordFormat {
    Json,
    Jsonl,
    Csv,
    Tsv,
}

#[derive(Clone, Copy, ValueEnum)]
enum InputKind {
    Auto,
    Text,
    Jsonl,
}

#[derive(Clone, Copy, ValueEnum)]
enum TokenFormat {
    Tsv,
    Jsonl,
}

fn main() -> ExitCode {
    keep_freed_pages();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(args) => extract(args),
        Command::Tokenize { input, format } => tokenize(input, format),
        Command::Eval {
            paths,
            json,
            diff,
            baseline,
            save_baseline,
        } => evaluate(paths, json, diff, baseline, save_baseline),
    };
    match result {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("akhbar: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<io::Error>())
        .any(|io| io.kind() == io::ErrorKind::BrokenPipe)
}

/// The arguments of `akhbar extract`.
#[derive(Args)]
struct ExtractArgs {
    /// Files, directories (their .txt files, recursively; see --glob), `.jsonl`,
    /// `.tar`, `.tar.gz`, `.tgz`, `.zip`, `.gz` files, or `-` for standard input.
    #[arg(required = true, value_name = "FILES|DIRS|-")]
    inputs: Vec<PathBuf>,
    /// Output format; default: pretty JSON for one document on a terminal, JSON Lines otherwise.
    /// csv and tsv write one row per entity, with its sentence as context.
    #[arg(long, value_enum)]
    format: Option<RecordFormat>,
    /// How to read files and standard input: by file name (auto), one text per file, or
    /// JSON Lines of {"id", "text", "date"?, "url"?}.
    #[arg(long, value_enum, default_value = "auto")]
    input: InputKind,
    /// Which files of directories and members of archives are documents.
    #[arg(long, value_name = "PATTERN", default_value = "*.txt")]
    glob: String,
    /// Keep only these kinds of entity, e.g. money,date,person.
    #[arg(long, value_name = "KINDS", value_delimiter = ',')]
    kinds: Vec<String>,
    /// Add the tokens to each record.
    #[arg(long)]
    tokens: bool,
    /// Write to this file instead of standard output (`-`: standard output).
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Threads to use (default: all cores).
    #[arg(long, short, value_name = "N")]
    jobs: Option<usize>,
    /// What "today" is: relative dates (`أمس`, `العام الماضي`) get a `value`,
    /// and days without a year (`24 ديسمبر`) a `resolved` date near it. A JSON
    /// Lines document's own "date" comes first.
    #[arg(long, value_name = "YYYY-MM-DD")]
    reference_date: Option<ReferenceDate>,
}

fn extract(args: ExtractArgs) -> anyhow::Result<ExitCode> {
    if let Some(jobs) = args.jobs {
        rayon::ThreadPoolBuilder::new()
            .num_threads(jobs.max(1))
            .build_global()
            .context("cannot start the thread pool")?;
    }
    let mut kinds = Vec::new();
    for name in &args.kinds {
        match EntityKind::parse(name.trim()) {
            Some(kind) => kinds.push(kind),
            None => {
                eprintln!("akhbar: unknown kind {name:?}; kinds are person, place, money, percent, date, duration, number, ordinal, ratio");
                return Ok(ExitCode::from(2));
            }
        }
    }
    let sources = SourceOptions::default()
        .with_format(match args.input {
            InputKind::Auto => InputFormat::Auto,
            InputKind::Text => InputFormat::Text,
            InputKind::Jsonl => InputFormat::JsonLines,
        })
        .with_glob(Glob::new(&args.glob));
    let single = is_single_document(&args.inputs, &sources);
    // `-o -` is standard output, as `-` is standard input among the inputs.
    let output = args.output.filter(|path| path.as_os_str() != "-");
    let to_terminal = output.is_none() && io::stdout().is_terminal();
    let format = match args.format {
        Some(RecordFormat::Json) => Format::Json,
        Some(RecordFormat::Jsonl) => Format::JsonLines,
        Some(RecordFormat::Csv) => Format::Csv,
        Some(RecordFormat::Tsv) => Format::Tsv,
        None if to_terminal && single => Format::Json,
        None => Format::JsonLines,
    };
    let mut out: Box<dyn Write> = match &output {
        Some(path) => Box::new(BufWriter::new(
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    let akhbar = Akhbar::new();
    let options = Options::default()
        .with_tokens(args.tokens)
        .with_reference_date(args.reference_date);
    let batch = BatchOptions::default()
        .with_sources(sources)
        .with_format(format)
        .with_kinds(kinds)
        .with_progress(true)
        .with_single(single);
    let started = Instant::now();
    let summary = batch::run(
        &akhbar,
        &args.inputs,
        &options,
        &batch,
        &mut out,
        &mut |f| eprintln!("akhbar: {}", f.error.message),
    )?;
    let seconds = started.elapsed().as_secs_f64();
    let entities: usize = summary.entities.values().sum();
    let per_kind: Vec<String> = summary
        .entities
        .iter()
        .map(|(k, n)| format!("{} {n}", k.as_str()))
        .collect();
    eprintln!(
        "akhbar: {} documents, {} failed, {} entities{}, {:.1} MB in {:.2} s ({:.1} MB/s)",
        summary.documents,
        summary.failures,
        entities,
        if per_kind.is_empty() {
            String::new()
        } else {
            format!(" ({})", per_kind.join(", "))
        },
        summary.bytes as f64 / 1e6,
        seconds,
        summary.bytes as f64 / 1e6 / seconds.max(1e-9)
    );
    Ok(if summary.failures > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn tokenize(path: PathBuf, format: TokenFormat) -> anyhow::Result<ExitCode> {
    let input = if path.as_os_str() == "-" {
        Input::Stdin
    } else {
        Input::File(path)
    };
    let text = input.read()?;
    for w in &text.warnings {
        eprintln!("akhbar: {}: {w}", text.source);
    }
    let doc = Analysis::new(&text.text);
    let mut out = BufWriter::new(io::stdout().lock());
    match format {
        TokenFormat::Tsv => {
            writeln!(out, "start\tend\tkind\ttext\tnorm\tprefixes\tstem")?;
            for t in doc.token_records() {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    t.start,
                    t.end,
                    t.kind.as_str(),
                    escape_tsv(&t.text),
                    escape_tsv(&t.norm),
                    t.prefixes.join("+"),
                    t.stem.as_deref().map(escape_tsv).unwrap_or_default()
                )?;
            }
        }
        TokenFormat::Jsonl => {
            for t in doc.token_records() {
                serde_json::to_writer(&mut out, &t)?;
                out.write_all(b"\n")?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn escape_tsv(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

/// How far below the baseline a kind's F1 may fall before `--baseline` fails.
const BASELINE_TOLERANCE: f64 = 0.02;

fn evaluate(
    paths: Vec<PathBuf>,
    json: bool,
    diff: bool,
    baseline: Option<PathBuf>,
    save_baseline: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let gold_files = eval::find_gold_files(&paths)?;
    let report = eval::evaluate(&Akhbar::new(), &gold_files);
    let mut out = BufWriter::new(io::stdout().lock());
    if json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        if diff {
            write!(out, "{}", eval::render_diff(&report))?;
        }
        write!(out, "{}", eval::render_table(&report))?;
    }
    out.flush()?;
    let mut failed = !report.errors.is_empty();
    if let Some(path) = save_baseline {
        let text = serde_json::to_string_pretty(&eval::Baseline::of(&report))?;
        std::fs::write(&path, text + "\n")
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some(path) = baseline {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let base: eval::Baseline = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a baseline file", path.display()))?;
        let regressions = base.regressions(&report, BASELINE_TOLERANCE);
        for r in &regressions {
            eprintln!("akhbar: below the baseline in {}: {r}", path.display());
        }
        failed |= !regressions.is_empty();
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `MI_OPTION_PURGE_DELAY` is a bare number: the option it names must
    /// read mimalloc's default purge delay (10 ms) until `keep_freed_pages`
    /// sets it, and "never" after.
    #[test]
    #[allow(unsafe_code)]
    fn the_option_set_is_mimallocs_purge_delay() {
        // SAFETY: reads and writes of one option word; no other test
        // touches it.
        let read = || unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(read(), 10);
        keep_freed_pages();
        assert_eq!(read(), -1);
    }
}

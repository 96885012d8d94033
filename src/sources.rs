//! Where documents come from: files, directories, standard input, JSON Lines,
//! `.tar`/`.tar.gz`/`.tgz`/`.zip` archives and gzip-compressed files, all read as
//! streams and handed on one document at a time.
//!
//! A document that cannot be read becomes an [`InputError`] in its place (an
//! unreadable archive member, a malformed JSON line with its line number), and
//! the reading goes on with the next one.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;
use serde::Deserialize;

use crate::extract::dates::ReferenceDate;
use crate::input::{decode, expand_with, Input, InputError, InputText, MAX_DOCUMENT_BYTES};

/// How a file's bytes are to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum InputFormat {
    /// By its name: `.jsonl` (and `.jsonl.gz`) is JSON Lines, `.tar`,
    /// `.tar.gz`, `.tgz` and `.zip` are archives, `.gz` is one compressed
    /// document, anything else one text document.
    #[default]
    Auto,
    /// One text document per file (and for standard input).
    Text,
    /// JSON Lines of `{"id", "text", "date"?, "url"?}`, one document a line.
    JsonLines,
}

/// A file-name pattern with `*` (any run of characters) and `?` (one
/// character), matched against a file's name (not its directory).
#[derive(Debug, Clone)]
pub struct Glob {
    pattern: String,
    regex: regex::Regex,
}

impl PartialEq for Glob {
    fn eq(&self, other: &Glob) -> bool {
        self.pattern == other.pattern
    }
}

impl Eq for Glob {}

impl Glob {
    /// A pattern: `*.txt`, `doc-??.txt`.
    pub fn new(pattern: &str) -> Glob {
        let mut source = String::from("^");
        for c in pattern.chars() {
            match c {
                '*' => source.push_str(".*"),
                '?' => source.push('.'),
                c => source.push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
            }
        }
        source.push('$');
        let regex = regex::Regex::new(&source).expect("an escaped pattern is a valid regex");
        Glob {
            pattern: pattern.to_string(),
            regex,
        }
    }

    /// Whether the last component of `path` matches.
    pub fn matches(&self, path: &str) -> bool {
        let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
        self.regex.is_match(name)
    }
}

/// What to read and how.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SourceOptions {
    /// How to read files and standard input.
    pub format: InputFormat,
    /// Which files of a directory and members of an archive are documents.
    pub glob: Glob,
}

impl Default for SourceOptions {
    fn default() -> Self {
        SourceOptions {
            format: InputFormat::Auto,
            glob: Glob::new("*.txt"),
        }
    }
}

impl SourceOptions {
    /// Options with this input format.
    pub fn with_format(mut self, format: InputFormat) -> Self {
        self.format = format;
        self
    }

    /// Options with this glob.
    pub fn with_glob(mut self, glob: Glob) -> Self {
        self.glob = glob;
        self
    }
}

/// Whether `args` name exactly one plain document (so that pretty JSON output is
/// one object rather than an array).
pub fn is_single_document(args: &[PathBuf], options: &SourceOptions) -> bool {
    let inputs = expand_with(args, &options.glob);
    match inputs.as_slice() {
        [Ok(Input::Stdin)] => options.format != InputFormat::JsonLines,
        [Ok(Input::File(path))] => {
            let lower = path.to_string_lossy().to_ascii_lowercase();
            let container = [".jsonl", ".jsonl.gz", ".tar", ".tar.gz", ".tgz", ".zip"]
                .iter()
                .any(|e| lower.ends_with(e));
            options.format != InputFormat::JsonLines
                && (options.format == InputFormat::Text || !container)
        }
        _ => false,
    }
}

/// One document read, or why it could not be.
pub type Read1 = Result<InputText, InputError>;

/// Reads every document of `args`, in order, handing each to `emit`; stops
/// early when `emit` returns `false` (the consumer has gone).
pub fn read_all(args: &[PathBuf], options: &SourceOptions, emit: &mut dyn FnMut(Read1) -> bool) {
    for input in expand_with(args, &options.glob) {
        let going_on = match input {
            Err(e) => emit(Err(e)),
            Ok(Input::Stdin) => match options.format {
                InputFormat::JsonLines => read_jsonl(io::stdin().lock(), "-", "stdin", emit),
                _ => emit(Input::Stdin.read()),
            },
            Ok(Input::File(path)) => read_file(&path, options, emit),
        };
        if !going_on {
            return;
        }
    }
}

/// The kind of a file by its name.
fn kind_of(name: &str, format: InputFormat) -> InputFormat {
    match format {
        InputFormat::Auto if name.ends_with(".jsonl") || name.ends_with(".jsonl.gz") => {
            InputFormat::JsonLines
        }
        InputFormat::Auto => InputFormat::Auto,
        f => f,
    }
}

fn io_error(name: &str, error: io::Error) -> InputError {
    InputError::Io {
        name: name.to_string(),
        error,
    }
}

fn read_file(path: &Path, options: &SourceOptions, emit: &mut dyn FnMut(Read1) -> bool) -> bool {
    let name = path.to_string_lossy().into_owned();
    let lower = name.to_ascii_lowercase();
    let stem = file_stem(&name);
    match kind_of(&lower, options.format) {
        InputFormat::JsonLines => {
            let file = match File::open(path) {
                Ok(f) => f,
                Err(e) => return emit(Err(io_error(&name, e))),
            };
            if lower.ends_with(".gz") {
                read_jsonl(
                    BufReader::new(MultiGzDecoder::new(file)),
                    &name,
                    &stem,
                    emit,
                )
            } else {
                read_jsonl(BufReader::new(file), &name, &stem, emit)
            }
        }
        InputFormat::Text => emit(Input::File(path.to_path_buf()).read()),
        _ if lower.ends_with(".tar") => match File::open(path) {
            Ok(f) => read_tar(f, &name, options, emit),
            Err(e) => emit(Err(io_error(&name, e))),
        },
        _ if lower.ends_with(".tar.gz") || lower.ends_with(".tgz") => match File::open(path) {
            Ok(f) => read_tar(MultiGzDecoder::new(f), &name, options, emit),
            Err(e) => emit(Err(io_error(&name, e))),
        },
        _ if lower.ends_with(".zip") => read_zip(path, &name, options, emit),
        _ if lower.ends_with(".gz") => {
            let read = File::open(path).and_then(|f| read_capped(MultiGzDecoder::new(f), &name));
            match read {
                Ok(Ok(bytes)) => emit(Ok(InputText::from_bytes(
                    file_stem(name.trim_end_matches(".gz")),
                    name.clone(),
                    bytes,
                ))),
                Ok(Err(e)) => emit(Err(e)),
                Err(e) => emit(Err(io_error(&name, e))),
            }
        }
        _ => emit(Input::File(path.to_path_buf()).read()),
    }
}

/// Reads all of `reader`, refusing more than a single document may hold.
fn read_capped(reader: impl Read, name: &str) -> io::Result<Result<Vec<u8>, InputError>> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_DOCUMENT_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
        return Ok(Err(InputError::TooLarge {
            name: name.to_string(),
            size: bytes.len() as u64,
        }));
    }
    Ok(Ok(bytes))
}

/// The name of a path without directories and its last extension.
fn file_stem(path: &str) -> String {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    match name.rfind('.') {
        Some(dot) if dot > 0 => name[..dot].to_string(),
        _ => name.to_string(),
    }
}

fn read_tar(
    reader: impl Read,
    name: &str,
    options: &SourceOptions,
    emit: &mut dyn FnMut(Read1) -> bool,
) -> bool {
    let mut archive = tar::Archive::new(reader);
    let entries = match archive.entries() {
        Ok(entries) => entries,
        Err(e) => return emit(Err(io_error(name, e))),
    };
    for entry in entries {
        let mut entry = match entry {
            Ok(entry) => entry,
            // A broken stream: report it and give up on this archive only.
            Err(e) => return emit(Err(io_error(name, e))),
        };
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let member = match entry.path() {
            Ok(p) => p.to_string_lossy().into_owned(),
            Err(e) => {
                if !emit(Err(io_error(name, e))) {
                    return false;
                }
                continue;
            }
        };
        if !options.glob.matches(&member) {
            continue;
        }
        let source = format!("{name}!{member}");
        let read = match read_capped(&mut entry, &source) {
            Ok(Ok(bytes)) => Ok(InputText::from_bytes(file_stem(&member), source, bytes)),
            Ok(Err(e)) => Err(e),
            Err(e) => Err(io_error(&source, e)),
        };
        // After an I/O error the stream is broken: the rest of this archive is
        // given up, the other inputs are not.
        let broken = matches!(read, Err(InputError::Io { .. }));
        if !emit(read) {
            return false;
        }
        if broken {
            return true;
        }
    }
    true
}

fn read_zip(
    path: &Path,
    name: &str,
    options: &SourceOptions,
    emit: &mut dyn FnMut(Read1) -> bool,
) -> bool {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => return emit(Err(io_error(name, e))),
    };
    let mut archive = match zip::ZipArchive::new(file) {
        Ok(a) => a,
        Err(e) => return emit(Err(io_error(name, io::Error::other(e)))),
    };
    for index in 0..archive.len() {
        let read = match archive.by_index(index) {
            Ok(member) => {
                if !member.is_file() || !options.glob.matches(member.name()) {
                    continue;
                }
                let member_name = member.name().to_string();
                let source = format!("{name}!{member_name}");
                match read_capped(member, &source) {
                    Ok(Ok(bytes)) => Ok(InputText::from_bytes(
                        file_stem(&member_name),
                        source,
                        bytes,
                    )),
                    Ok(Err(e)) => Err(e),
                    Err(e) => Err(io_error(&source, e)),
                }
            }
            Err(e) => Err(io_error(&format!("{name}!#{index}"), io::Error::other(e))),
        };
        if !emit(read) {
            return false;
        }
    }
    true
}

/// One line of JSON Lines input.
#[derive(Deserialize)]
struct JsonDocument {
    #[serde(default)]
    id: Option<serde_json::Value>,
    text: String,
    #[serde(default)]
    date: Option<String>,
}

/// Reads JSON Lines: one document a line; a malformed line is an error record
/// with its line number, and the reading goes on.
fn read_jsonl(
    mut reader: impl BufRead,
    name: &str,
    stem: &str,
    emit: &mut dyn FnMut(Read1) -> bool,
) -> bool {
    let mut line = Vec::new();
    let mut number = 0usize;
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) => return emit(Err(io_error(name, e))),
        }
        number += 1;
        let bytes = line.strip_suffix(b"\n").unwrap_or(&line);
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        if bytes.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let source = format!("{name}:{number}");
        let fallback_id = format!("{stem}:{number}");
        let read = parse_line(bytes, &source, &fallback_id, number);
        if !emit(read) {
            return false;
        }
    }
}

fn parse_line(bytes: &[u8], source: &str, fallback_id: &str, number: usize) -> Read1 {
    let bad = |message: String| InputError::BadInput {
        name: source.to_string(),
        id: fallback_id.to_string(),
        message: format!("line {number}: {message}"),
    };
    let (text, mut warnings) = decode(bytes.to_vec());
    let doc: JsonDocument = serde_json::from_str(&text)
        .map_err(|e| bad(format!("not a JSON document with a \"text\" field: {e}")))?;
    let id = match doc.id {
        Some(serde_json::Value::String(s)) => s,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        None | Some(serde_json::Value::Null) => fallback_id.to_string(),
        Some(other) => {
            return Err(bad(format!(
                "\"id\" must be a string or a number, not {other}"
            )))
        }
    };
    if doc.text.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(InputError::TooLarge {
            name: source.to_string(),
            size: doc.text.len() as u64,
        });
    }
    let reference_date = match doc.date.as_deref() {
        None => None,
        Some(date) => match date.get(..10).unwrap_or(date).parse::<ReferenceDate>() {
            Ok(d) => Some(d),
            Err(e) => {
                warnings.push(format!("\"date\" ignored: {e}"));
                None
            }
        },
    };
    let mut input = InputText::new(id, source.to_string(), doc.text);
    input.warnings = warnings;
    input.reference_date = reference_date;
    Ok(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_file_names() {
        let g = Glob::new("*.txt");
        assert!(g.matches("a/b/article.txt"));
        assert!(!g.matches("a/b/article.txt.bak"));
        assert!(!g.matches("corpus/x.gold.json"));
        assert!(Glob::new("seed-*").matches("corpus/dev/seed-article.txt"));
        assert!(Glob::new("doc-??.txt").matches("doc-12.txt"));
        assert!(!Glob::new("doc-??.txt").matches("doc-123.txt"));
        assert!(Glob::new("*").matches("anything"));
        // `?` is one character, Arabic included; regex syntax in a name is literal.
        assert!(Glob::new("مقال-?.txt").matches("dir/مقال-ب.txt"));
        assert!(Glob::new("a+b(1).txt").matches("a+b(1).txt"));
        assert!(!Glob::new("a+b(1).txt").matches("aab1.txt"));
    }

    #[test]
    fn json_lines_give_documents_and_errors_in_place() {
        let input = "{\"id\": \"a\", \"text\": \"نص\", \"date\": \"2024-01-10\"}\n{not json}\n\n{\"id\": 7, \"text\": \"x\"}\n{\"text\": \"y\"}\n".as_bytes();
        let mut got = Vec::new();
        read_jsonl(input, "in.jsonl", "in", &mut |r| {
            got.push(r);
            true
        });
        assert_eq!(got.len(), 4);
        let first = got[0].as_ref().unwrap();
        assert_eq!(
            (
                first.id.as_str(),
                first.source.as_str(),
                first.text.as_str()
            ),
            ("a", "in.jsonl:1", "نص")
        );
        assert_eq!(first.reference_date, Some("2024-01-10".parse().unwrap()));
        let error = got[1].as_ref().unwrap_err();
        assert_eq!(error.kind(), "bad_input");
        assert!(
            error
                .to_string()
                .contains("in.jsonl:2: line 2: not a JSON document"),
            "{error}"
        );
        assert_eq!(got[2].as_ref().unwrap().id, "7");
        assert_eq!(got[3].as_ref().unwrap().id, "in:5");
    }

    #[test]
    fn stems() {
        assert_eq!(file_stem("dir/a.b.txt"), "a.b");
        assert_eq!(file_stem("x"), "x");
        assert_eq!(file_stem(".hidden"), ".hidden");
    }
}

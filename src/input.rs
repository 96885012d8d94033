//! Reading inputs: files, directories and standard input, decoded to text.
//!
//! Bad input never stops a batch: invalid UTF-8 is replaced (and reported in the
//! record's `warnings`), and a document that cannot be read at all becomes an
//! [`InputError`] that the batch turns into an error record.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// At most this many invalid UTF-8 sequences are reported one by one.
const MAX_UTF8_WARNINGS: usize = 10;

/// A single document may not exceed this: offsets are 32-bit.
pub const MAX_DOCUMENT_BYTES: u64 = u32::MAX as u64;

/// Why a document could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// The operating system refused: missing file, no permission, a read error.
    #[error("{name}: cannot read: {error}")]
    Io {
        /// The document's path or name.
        name: String,
        /// The underlying error.
        #[source]
        error: io::Error,
    },
    /// The document is larger than one document may be.
    #[error("{name}: {size} bytes is more than the {MAX_DOCUMENT_BYTES} bytes a single document may have")]
    TooLarge {
        /// The document's path or name.
        name: String,
        /// Its size in bytes.
        size: u64,
    },
    /// The input is not what it should be: a malformed JSON line.
    #[error("{name}: {message}")]
    BadInput {
        /// Where: `file.jsonl:12`.
        name: String,
        /// The id the document would have had.
        id: String,
        /// What is wrong.
        message: String,
    },
}

impl InputError {
    /// A stable key for the record's `error.kind`.
    pub fn kind(&self) -> &'static str {
        match self {
            InputError::Io { .. } => "io",
            InputError::TooLarge { .. } => "too_large",
            InputError::BadInput { .. } => "bad_input",
        }
    }

    /// Where the document came from.
    pub fn source(&self) -> &str {
        match self {
            InputError::Io { name, .. }
            | InputError::TooLarge { name, .. }
            | InputError::BadInput { name, .. } => name,
        }
    }

    /// The id the document would have had: the file or member name without
    /// extension, or `file:line` for a JSON line.
    pub fn id(&self) -> String {
        match self {
            InputError::BadInput { id, .. } => id.clone(),
            other => {
                let name = other.source();
                let member = name.rsplit('!').next().unwrap_or(name);
                Input::File(member.into()).id()
            }
        }
    }
}

/// A document to read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Input {
    /// A file.
    File(PathBuf),
    /// Standard input (`-`).
    Stdin,
}

impl Input {
    /// The document id: the file name without its extension, `stdin` for `-`.
    pub fn id(&self) -> String {
        match self {
            Input::File(path) => path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.to_string_lossy().into_owned()),
            Input::Stdin => "stdin".to_string(),
        }
    }

    /// Where the document comes from, as written in records.
    pub fn source(&self) -> String {
        match self {
            Input::File(path) => path.to_string_lossy().into_owned(),
            Input::Stdin => "-".to_string(),
        }
    }

    /// Reads and decodes the document.
    pub fn read(&self) -> Result<InputText, InputError> {
        let name = self.source();
        let bytes = match self {
            Input::File(path) => read_file(path, &name)?,
            Input::Stdin => {
                let mut bytes = Vec::new();
                io::stdin()
                    .lock()
                    .take(MAX_DOCUMENT_BYTES + 1)
                    .read_to_end(&mut bytes)
                    .map_err(|error| InputError::Io {
                        name: name.clone(),
                        error,
                    })?;
                check_size(&name, bytes.len() as u64)?;
                bytes
            }
        };
        Ok(InputText::from_bytes(self.id(), name, bytes))
    }
}

fn read_file(path: &Path, name: &str) -> Result<Vec<u8>, InputError> {
    let io_err = |error| InputError::Io {
        name: name.to_string(),
        error,
    };
    let meta = fs::metadata(path).map_err(io_err)?;
    check_size(name, meta.len())?;
    fs::read(path).map_err(io_err)
}

fn check_size(name: &str, size: u64) -> Result<(), InputError> {
    if size > MAX_DOCUMENT_BYTES {
        return Err(InputError::TooLarge {
            name: name.to_string(),
            size,
        });
    }
    Ok(())
}

/// A decoded document, ready for analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct InputText {
    /// The document id.
    pub id: String,
    /// Where it came from.
    pub source: String,
    /// The text; every offset in its record points into it.
    pub text: String,
    /// Problems met while decoding.
    pub warnings: Vec<String>,
    /// The document's own date (the `date` of a JSON Lines input), the reference
    /// for its relative dates.
    pub reference_date: Option<crate::extract::dates::ReferenceDate>,
}

impl InputText {
    /// A document from text that is already valid.
    pub fn new(id: impl Into<String>, source: impl Into<String>, text: String) -> InputText {
        InputText {
            id: id.into(),
            source: source.into(),
            text,
            warnings: Vec::new(),
            reference_date: None,
        }
    }

    /// A document from raw bytes: invalid UTF-8 is replaced by U+FFFD, and each
    /// replacement is reported (`invalid UTF-8 at byte 1234 replaced`) with its
    /// offset in the raw bytes. Offsets in the record then point into the
    /// replaced text.
    pub fn from_bytes(
        id: impl Into<String>,
        source: impl Into<String>,
        bytes: Vec<u8>,
    ) -> InputText {
        let (text, warnings) = decode(bytes);
        InputText {
            id: id.into(),
            source: source.into(),
            text,
            warnings,
            reference_date: None,
        }
    }
}

/// Decodes UTF-8, replacing invalid sequences and saying where they were.
pub fn decode(bytes: Vec<u8>) -> (String, Vec<String>) {
    // Every byte of Arabic text is outside ASCII, where the standard library's
    // validator goes a byte at a time (about ten instructions a byte, 3% of
    // the whole extraction); simdutf8 checks 32 bytes at a time.
    if simdutf8::basic::from_utf8(&bytes).is_ok() {
        // SAFETY: simdutf8 has just validated `bytes` as UTF-8.
        #[allow(unsafe_code)]
        let text = unsafe { String::from_utf8_unchecked(bytes) };
        return (text, Vec::new());
    }
    let mut text = String::with_capacity(bytes.len() + 16);
    let mut warnings = Vec::new();
    let mut invalid = 0usize;
    let mut offset = 0usize;
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        offset += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            if invalid < MAX_UTF8_WARNINGS {
                warnings.push(format!("invalid UTF-8 at byte {offset} replaced"));
            }
            invalid += 1;
            text.push(char::REPLACEMENT_CHARACTER);
            offset += chunk.invalid().len();
        }
    }
    if invalid > MAX_UTF8_WARNINGS {
        warnings.push(format!(
            "{} more invalid UTF-8 sequences replaced",
            invalid - MAX_UTF8_WARNINGS
        ));
    }
    (text, warnings)
}

/// Turns command-line arguments into inputs: `-` is standard input, a directory
/// gives its `.txt` files (recursively, sorted by path), anything else is a file.
/// A path that does not exist is an error in its place, so the batch reports it
/// and goes on.
pub fn expand(args: &[PathBuf]) -> Vec<Result<Input, InputError>> {
    expand_with(args, &crate::sources::Glob::new("*.txt"))
}

/// Like [`expand`], with the files of directories chosen by `glob`.
pub fn expand_with(
    args: &[PathBuf],
    glob: &crate::sources::Glob,
) -> Vec<Result<Input, InputError>> {
    let mut out = Vec::new();
    for arg in args {
        if arg.as_os_str() == "-" {
            out.push(Ok(Input::Stdin));
            continue;
        }
        match fs::metadata(arg) {
            Ok(meta) if meta.is_dir() => walk(arg, glob, &mut out),
            Ok(_) => out.push(Ok(Input::File(arg.clone()))),
            Err(error) => out.push(Err(InputError::Io {
                name: arg.to_string_lossy().into_owned(),
                error,
            })),
        }
    }
    out
}

fn walk(dir: &Path, glob: &crate::sources::Glob, out: &mut Vec<Result<Input, InputError>>) {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            out.push(Err(InputError::Io {
                name: dir.to_string_lossy().into_owned(),
                error,
            }));
            return;
        }
    };
    let mut paths: Vec<(PathBuf, bool)> = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => {
                // A symlinked directory is not followed: it could loop.
                let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
                paths.push((entry.path(), is_dir));
            }
            Err(error) => out.push(Err(InputError::Io {
                name: dir.to_string_lossy().into_owned(),
                error,
            })),
        }
    }
    paths.sort();
    for (path, is_dir) in paths {
        if is_dir {
            walk(&path, glob, out);
        } else if glob.matches(&path.to_string_lossy()) {
            out.push(Ok(Input::File(path)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_utf8_has_no_warnings() {
        assert_eq!(decode("نص".as_bytes().to_vec()), ("نص".to_string(), vec![]));
    }

    #[test]
    fn invalid_utf8_is_replaced_and_reported() {
        let mut bytes = "ab".as_bytes().to_vec();
        bytes.push(0xFF);
        bytes.extend_from_slice("نص".as_bytes());
        bytes.push(0xC3);
        let (text, warnings) = decode(bytes);
        assert_eq!(text, "ab\u{FFFD}نص\u{FFFD}");
        assert_eq!(
            warnings,
            [
                "invalid UTF-8 at byte 2 replaced",
                "invalid UTF-8 at byte 7 replaced"
            ]
        );
    }

    #[test]
    fn many_invalid_sequences_are_summarised() {
        let (text, warnings) = decode(vec![0xFF; 25]);
        assert_eq!(text.chars().count(), 25);
        assert_eq!(warnings.len(), MAX_UTF8_WARNINGS + 1);
        assert_eq!(
            warnings.last().unwrap(),
            "15 more invalid UTF-8 sequences replaced"
        );
    }

    #[test]
    fn ids_are_file_stems() {
        assert_eq!(
            Input::File("corpus/dev/seed-article.txt".into()).id(),
            "seed-article"
        );
        assert_eq!(Input::Stdin.id(), "stdin");
        assert_eq!(Input::Stdin.source(), "-");
    }

    #[test]
    fn missing_paths_are_errors_in_place() {
        let got = expand(&["/nonexistent/akhbar/x.txt".into(), "-".into()]);
        assert!(
            matches!(&got[0], Err(InputError::Io { name, .. }) if name == "/nonexistent/akhbar/x.txt")
        );
        assert_eq!(got[1].as_ref().unwrap(), &Input::Stdin);
    }
}

//! Builder errors: every failure names the file (relative to the sources
//! directory) and, where there is one, the line, so a malformed source is
//! found in one look.

use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub struct BuildError {
    /// Path of the offending file, relative to the sources directory when
    /// possible.
    pub file: String,
    /// 1-based line number (the header is line 1), when the fault has one.
    pub line: Option<u64>,
    pub message: String,
}

impl BuildError {
    pub fn new(file: impl Into<String>, line: Option<u64>, message: impl Into<String>) -> Self {
        BuildError { file: file.into(), line, message: message.into() }
    }
    /// A fault of a whole file (missing, unreadable, wrong header).
    pub fn file(file: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(file, None, message)
    }
    /// A fault at one line.
    pub fn at(file: impl Into<String>, line: u64, message: impl Into<String>) -> Self {
        Self::new(file, Some(line), message)
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for BuildError {}

pub type Result<T> = std::result::Result<T, BuildError>;

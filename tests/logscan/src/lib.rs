//! Scan a whole console log for signs that the kernel went wrong, wherever
//! they appear (during KUnit, during the on-target tests, or after).
//!
//! Each check becomes one test case of a synthetic suite so that it shows
//! up in the counts and reports like any other test.

/// One log check: it fails if any line matches any of its patterns.
#[derive(Debug)]
pub struct Check {
    /// Test case name, e.g. `no_oops`.
    pub name: &'static str,
    /// Substrings that make a line offending.
    pub patterns: &'static [&'static str],
}

/// Marks a kernel panic. Also used by the runner to stop early.
pub const PANIC: &str = "Kernel panic - not syncing";

pub const CHECKS: [Check; 4] = [
    Check {
        name: "no_kernel_panic",
        patterns: &[PANIC],
    },
    Check {
        name: "no_oops",
        patterns: &["Internal error: Oops", "Unable to handle kernel"],
    },
    Check {
        name: "no_bug",
        patterns: &["kernel BUG at", "BUG:"],
    },
    Check {
        name: "no_warn",
        patterns: &["WARNING: CPU:", "------------[ cut here ]------------"],
    },
];

/// An offending line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// 1-based line number in the log.
    pub line_no: usize,
    pub line: String,
}

/// The outcome of one [`Check`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckResult {
    pub name: &'static str,
    pub hits: Vec<Hit>,
}

impl CheckResult {
    pub fn passed(&self) -> bool {
        self.hits.is_empty()
    }
}

/// Does `line` contain `pattern` as a token? Patterns that start with a
/// letter must not be glued to a preceding letter or digit, so that
/// `DEBUG:` does not count as `BUG:`.
fn contains_token(line: &str, pattern: &str) -> bool {
    let needs_boundary = pattern.starts_with(|c: char| c.is_ascii_alphanumeric());
    line.match_indices(pattern).any(|(i, _)| {
        !needs_boundary
            || !line[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

/// True if the line reports a kernel panic.
pub fn is_panic_line(line: &str) -> bool {
    contains_token(line, PANIC)
}

/// Run all checks over the log lines.
pub fn scan(lines: &[String]) -> Vec<CheckResult> {
    CHECKS
        .iter()
        .map(|check| CheckResult {
            name: check.name,
            hits: lines
                .iter()
                .enumerate()
                .filter(|(_, l)| check.patterns.iter().any(|p| contains_token(l, p)))
                .map(|(i, l)| Hit {
                    line_no: i + 1,
                    line: l.clone(),
                })
                .collect(),
        })
        .collect()
}

/// The first panic line, if any.
pub fn first_panic(lines: &[String]) -> Option<Hit> {
    lines.iter().position(|l| is_panic_line(l)).map(|i| Hit {
        line_no: i + 1,
        line: lines[i].clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(name: &str) -> Vec<String> {
        let path = format!("{}/testdata/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    }

    fn failing(results: &[CheckResult]) -> Vec<&str> {
        results
            .iter()
            .filter(|r| !r.passed())
            .map(|r| r.name)
            .collect()
    }

    #[test]
    fn clean_log_passes_every_check() {
        let r = scan(&load("clean.log"));
        assert_eq!(r.len(), 4);
        assert!(failing(&r).is_empty(), "{r:?}");
    }

    #[test]
    fn oops_log() {
        let log = load("oops.log");
        let r = scan(&log);
        assert_eq!(failing(&r), vec!["no_kernel_panic", "no_oops"]);
        let oops = &r[1];
        assert_eq!(oops.hits.len(), 2);
        assert!(oops.hits[0]
            .line
            .contains("Unable to handle kernel NULL pointer"));
        assert_eq!(oops.hits[0].line_no, 4);
        let panic = first_panic(&log).unwrap();
        assert!(panic.line.ends_with("Fatal exception"));
    }

    #[test]
    fn warn_and_bug_log() {
        let r = scan(&load("warn-bug.log"));
        assert_eq!(failing(&r), vec!["no_bug", "no_warn"]);
        assert_eq!(r[2].hits.len(), 2, "{:?}", r[2]);
        assert_eq!(r[3].hits.len(), 2, "{:?}", r[3]);
    }

    #[test]
    fn debug_is_not_bug() {
        assert!(!contains_token("[ 1.0] DEBUG: all fine", "BUG:"));
        assert!(contains_token("[ 1.0] BUG: KASAN: x", "BUG:"));
        assert!(contains_token("BUG: at start", "BUG:"));
        assert!(!is_panic_line("no panic here"));
    }
}

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
    // BUG() and the debug kernel's memory checkers: `BUG:` covers
    // KFENCE, sleeping in atomic context and the spinlock checks; SLUB's
    // own reports read `BUG <cache> (Not tainted): ...`; kmemleak's read
    // `unreferenced object 0x...` (the kmemleak suite prints them).
    Check {
        name: "no_bug",
        patterns: &[
            "kernel BUG at",
            "BUG:",
            " (Not tainted): ",
            " (Tainted: ",
            "unreferenced object 0x",
            "new suspected memory leak",
        ],
    },
    // WARN(), and the reports that the kernel treats as warnings
    // (panic_on_warn applies to them) but that print no `WARNING: CPU:`
    // line: lockdep's splats (kernel/locking/lockdep.c) and UBSAN's.
    Check {
        name: "no_warn",
        patterns: &[
            "WARNING: CPU:",
            "------------[ cut here ]------------",
            "WARNING: possible ",
            "WARNING: inconsistent lock state",
            "-unsafe lock order detected",
            "still has locks held!",
            "WARNING: Nested lock was not taken",
            "WARNING: bad contention detected!",
            "WARNING: bad unlock balance detected!",
            "WARNING: chain_key collision",
            "WARNING: held lock freed!",
            "WARNING: lock held when returning to user space!",
            "WARNING: suspicious RCU usage",
            "INFO: lockdep is turned off",
            "INFO: trying to register non-static key",
            "UBSAN:",
        ],
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
    fn debug_kernel_reports() {
        let r = scan(&load("debug-reports.log"));
        assert_eq!(failing(&r), vec!["no_bug", "no_warn"]);
        let lines = |i: usize| r[i].hits.iter().map(|h| h.line_no).collect::<Vec<_>>();
        // KFENCE, SLUB, sleeping in atomic context, kmemleak (both lines).
        assert_eq!(lines(2), vec![6, 9, 12, 20, 21], "{:?}", r[2]);
        // Lockdep (circular, recursive, RCU), UBSAN.
        assert_eq!(lines(3), vec![3, 15, 17, 24], "{:?}", r[3]);
    }

    #[test]
    fn debug_kernel_chatter_is_clean() {
        for line in [
            "[    0.0] kmemleak: Kernel memory leak detector initialized (mem pool free: 15000)",
            "[    0.0] CPU: 0 UID: 0 PID: 1 Comm: swapper/0 Not tainted 6.12.117+ #1",
            "[    0.0] kfence: initialized - using 2097152 bytes for 255 objects",
            "[    0.0] Lock dependency validator: Copyright (c) 2006 Red Hat, Inc., Ingo Molnar",
            "[    0.0] ... MAX_LOCKDEP_SUBCLASSES:  8",
        ] {
            let r = scan(&[line.to_string()]);
            assert!(failing(&r).is_empty(), "{line}: {r:?}");
        }
    }

    #[test]
    fn debug_is_not_bug() {
        assert!(!contains_token("[ 1.0] DEBUG: all fine", "BUG:"));
        assert!(contains_token("[ 1.0] BUG: KASAN: x", "BUG:"));
        assert!(contains_token("BUG: at start", "BUG:"));
        assert!(!is_panic_line("no panic here"));
    }
}

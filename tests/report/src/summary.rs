//! The human-readable summary: one line per suite with its counts, then
//! every failing or crashed case with its diagnostics. The caller prints
//! [`Totals::line`](crate::Totals::line) as the very last line.

use crate::analysis::{child_name, diagnostics, leaves, Analysis, Section, Totals, Verdict};
use std::fmt::Write as _;

/// Diagnostic lines shown per failing case (the rest is in console.log).
const MAX_SHOWN: usize = 60;

fn counts_text(t: Totals) -> String {
    let mut s = format!("{} passed, {} failed", t.passed, t.failed);
    if t.skipped > 0 {
        let _ = write!(s, ", {} skipped", t.skipped);
    }
    s
}

fn suite_label(t: Totals) -> &'static str {
    if t.failed > 0 {
        "FAIL"
    } else if t.passed > 0 {
        "PASS"
    } else if t.skipped > 0 {
        "SKIP"
    } else {
        "EMPTY"
    }
}

fn render_section(out: &mut String, section: &Section) {
    let st = section.totals();
    let _ = writeln!(
        out,
        "{}: {} ({} suites)",
        section.title,
        counts_text(st),
        section.suites.len()
    );
    if section.suites.is_empty() {
        let _ = writeln!(out, "  (no suites)");
    }
    for (i, suite) in section.suites.iter().enumerate() {
        let name = child_name(suite, i);
        let ls = leaves(suite, &name, i + 1);
        let mut t = Totals::default();
        for l in &ls {
            t.add(l.verdict());
        }
        let _ = writeln!(
            out,
            "  {:<5} {}  ({})",
            suite_label(t),
            name,
            counts_text(t)
        );
        for leaf in ls.iter().filter(|l| l.verdict().is_bad()) {
            let what = match leaf.verdict() {
                Verdict::Error if leaf.test.is_missing_placeholder() => {
                    "CRASHED (result never printed)"
                }
                Verdict::Error => "CRASHED",
                _ if leaf.test.status == ktap::Status::NoTests => "FAILED (no tests run)",
                _ => "FAILED",
            };
            let _ = writeln!(out, "        {what}: {}", leaf.path);
            let diag = diagnostics(leaf.test, section.diag);
            for line in diag.iter().take(MAX_SHOWN) {
                let _ = writeln!(out, "            {line}");
            }
            if diag.len() > MAX_SHOWN {
                let _ = writeln!(
                    out,
                    "            ... {} more lines, see console.log",
                    diag.len() - MAX_SHOWN
                );
            }
        }
    }
}

/// The summary without the final totals line.
pub fn render(analysis: &Analysis) -> String {
    let mut out = String::new();
    for section in analysis.sections() {
        render_section(&mut out, &section);
    }
    out
}

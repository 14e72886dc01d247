//! JUnit XML. The KTAP tree is flattened: every node with leaf children
//! becomes a `<testsuite>` named by its dotted path (`kunit.example`,
//! `kunit.example.example_params_test`, `target.image`, `console_log`),
//! its leaf children become `<testcase>`s. Failures get `<failure>`,
//! crashes (results that never came) get `<error>`, skips `<skipped>`.

use crate::analysis::{child_name, diagnostics, Analysis, DiagStyle, Section, Totals, Verdict};
use ktap::Test;

/// Longest diagnostic text we put into one element.
const MAX_DIAG_LINES: usize = 2000;

/// Make a string safe for XML 1.0: characters XML cannot carry at all
/// (most C0 controls, lone surrogates can't occur in Rust, U+FFFE/FFFF)
/// are written out as visible `\xNN` / `\u{...}` text.
fn xml_safe_chars(s: &str, out: &mut String, attr: bool) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            '\'' if attr => out.push_str("&apos;"),
            '\n' if attr => out.push_str("&#10;"),
            '\r' if attr => out.push_str("&#13;"),
            '\t' if attr => out.push_str("&#9;"),
            '\t' | '\n' | '\r' => out.push(c),
            '\u{0}'..='\u{1f}' => out.push_str(&format!("\\x{:02x}", c as u32)),
            '\u{fffe}' | '\u{ffff}' => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            _ => out.push(c),
        }
    }
}

/// Escape text content.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    xml_safe_chars(s, &mut out, false);
    out
}

/// Escape an attribute value (for use inside double quotes).
pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    xml_safe_chars(s, &mut out, true);
    out
}

struct Case {
    name: String,
    verdict: Verdict,
    message: String,
    body: Vec<String>,
}

struct Suite {
    name: String,
    cases: Vec<Case>,
}

impl Suite {
    fn totals(&self) -> (Totals, usize) {
        let mut t = Totals::default();
        let mut errors = 0;
        for c in &self.cases {
            t.add(c.verdict);
            if c.verdict == Verdict::Error {
                errors += 1;
            }
        }
        (t, errors)
    }
}

fn make_case(test: &Test, index: usize, style: DiagStyle) -> Case {
    let verdict = Verdict::of(test.status);
    let mut body = diagnostics(test, style);
    body.truncate(MAX_DIAG_LINES);
    let message = match verdict {
        Verdict::Pass => String::new(),
        Verdict::Skip => test.skip_reason.clone().unwrap_or_default(),
        Verdict::Fail => match test.status {
            ktap::Status::NoTests => "no tests run".to_string(),
            _ => "not ok".to_string(),
        },
        Verdict::Error if test.is_missing_placeholder() => {
            format!("crashed: result #{} was never printed", index + 1)
        }
        Verdict::Error => "crashed: no result line".to_string(),
    };
    Case {
        name: child_name(test, index),
        verdict,
        message,
        body,
    }
}

fn flatten(test: &Test, name: String, style: DiagStyle, out: &mut Vec<Suite>) {
    let cases: Vec<Case> = test
        .subtests
        .iter()
        .enumerate()
        .filter(|(_, t)| t.subtests.is_empty())
        .map(|(i, t)| make_case(t, i, style))
        .collect();
    if !cases.is_empty() {
        out.push(Suite {
            name: name.clone(),
            cases,
        });
    }
    for (i, sub) in test.subtests.iter().enumerate() {
        if !sub.subtests.is_empty() {
            flatten(sub, format!("{name}.{}", child_name(sub, i)), style, out);
        }
    }
}

fn section_suites(section: &Section, out: &mut Vec<Suite>) {
    // Leaves directly at the top of a section (e.g. a kernel suite that
    // failed to initialise and printed only `not ok N name`) form one
    // suite named after the section.
    let top: Vec<Case> = section
        .suites
        .iter()
        .enumerate()
        .filter(|(_, t)| t.subtests.is_empty())
        .map(|(i, t)| make_case(t, i, section.diag))
        .collect();
    if !top.is_empty() {
        out.push(Suite {
            name: section.prefix.to_string(),
            cases: top,
        });
    }
    for (i, suite) in section.suites.iter().enumerate() {
        if !suite.subtests.is_empty() {
            flatten(
                suite,
                section.qualified(&child_name(suite, i)),
                section.diag,
                out,
            );
        }
    }
}

fn counts_attrs(t: Totals, errors: usize) -> String {
    format!(
        "tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\"",
        t.total(),
        t.failed - errors,
        errors,
        t.skipped
    )
}

/// The whole junit.xml document.
pub fn junit_xml(analysis: &Analysis) -> String {
    let mut suites = Vec::new();
    for section in analysis.sections() {
        section_suites(&section, &mut suites);
    }
    let mut all = Totals::default();
    let mut all_errors = 0;
    for s in &suites {
        let (t, e) = s.totals();
        all.merge(t);
        all_errors += e;
    }

    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str(&format!(
        "<testsuites name=\"harness\" {}>\n",
        counts_attrs(all, all_errors)
    ));
    for s in &suites {
        let (t, e) = s.totals();
        x.push_str(&format!(
            "  <testsuite name=\"{}\" {}>\n",
            escape_attr(&s.name),
            counts_attrs(t, e)
        ));
        for c in &s.cases {
            let open = format!(
                "    <testcase classname=\"{}\" name=\"{}\"",
                escape_attr(&s.name),
                escape_attr(&c.name)
            );
            let body = escape_text(&c.body.join("\n"));
            match c.verdict {
                Verdict::Pass => x.push_str(&format!("{open}/>\n")),
                Verdict::Skip => x.push_str(&format!(
                    "{open}>\n      <skipped message=\"{}\"/>\n    </testcase>\n",
                    escape_attr(&c.message)
                )),
                Verdict::Fail | Verdict::Error => {
                    let tag = if c.verdict == Verdict::Fail {
                        "failure"
                    } else {
                        "error"
                    };
                    x.push_str(&format!(
                        "{open}>\n      <{tag} message=\"{}\">{body}</{tag}>\n    </testcase>\n",
                        escape_attr(&c.message)
                    ));
                }
            }
        }
        x.push_str("  </testsuite>\n");
    }
    x.push_str("</testsuites>\n");
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attribute_escaping() {
        assert_eq!(escape_text("a<b>&c\"'"), "a&lt;b&gt;&amp;c\"'");
        assert_eq!(
            escape_attr("x=\"1\" & 'y'\n<z>"),
            "x=&quot;1&quot; &amp; &apos;y&apos;&#10;&lt;z&gt;"
        );
    }

    #[test]
    fn characters_xml_cannot_carry_are_made_visible() {
        assert_eq!(escape_text("\x1b[31mred\x00"), "\\x1b[31mred\\x00");
        assert_eq!(escape_text("tab\tnl\n"), "tab\tnl\n");
        assert_eq!(escape_attr("\u{ffff}"), "\\u{ffff}");
        assert_eq!(escape_text("é ok"), "é ok");
    }
}

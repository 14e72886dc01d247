//! JUnit XML. The KTAP tree is flattened: every node with leaf children
//! becomes a `<testsuite>` named by its dotted path (`kunit.example`,
//! `kunit.example.example_params_test`, `target.image`, `console_log`),
//! its leaf children become `<testcase>`s. Failures get `<failure>`,
//! crashes (results that never came) get `<error>`, skips `<skipped>`.

use crate::analysis::{child_name, diagnostics, Analysis, DiagStyle, Section, Totals, Verdict};
use ktap::Test;
use quick_xml::escape::partial_escape;
use quick_xml::events::{BytesDecl, BytesStart, BytesText, Event};
use quick_xml::Writer;
use std::borrow::Cow;

/// Longest diagnostic text we put into one element.
const MAX_DIAG_LINES: usize = 2000;

/// Make a string safe for XML 1.0: characters XML cannot carry at all
/// (most C0 controls, U+FFFE/FFFF; lone surrogates cannot occur in Rust)
/// are written out as visible `\xNN` / `\u{...}` text. Escaping of
/// markup characters is quick-xml's job.
pub fn xml_safe(s: &str) -> Cow<'_, str> {
    let bad = |c: char| matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}');
    if !s.contains(bad) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\u{fffe}' | '\u{ffff}' => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c if bad(c) => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Text content: made XML-safe, then `<`, `>`, `&` escaped (quotes need
/// no escaping in text).
pub fn escape_text(s: &str) -> String {
    partial_escape(xml_safe(s)).into_owned()
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

/// An opening `<testsuites>`/`<testsuite>` tag with its counts.
fn counts_tag<'a>(tag: &'a str, name: &'a str, t: Totals, errors: usize) -> BytesStart<'a> {
    let n = |v: usize| v.to_string();
    let mut e = BytesStart::new(tag);
    e.push_attribute(("name", xml_safe(name)));
    for (key, value) in [
        ("tests", t.total()),
        ("failures", t.failed - errors),
        ("errors", errors),
        ("skipped", t.skipped),
    ] {
        e.push_attribute((key, n(value).as_str()));
    }
    e
}

fn write_case(x: &mut Writer<Vec<u8>>, suite: &str, c: &Case) -> std::io::Result<()> {
    let mut open = BytesStart::new("testcase");
    open.push_attribute(("classname", xml_safe(suite)));
    open.push_attribute(("name", xml_safe(&c.name)));
    let tag = match c.verdict {
        Verdict::Pass => return x.write_event(Event::Empty(open)),
        Verdict::Skip => "skipped",
        Verdict::Fail => "failure",
        Verdict::Error => "error",
    };
    x.write_event(Event::Start(open.borrow()))?;
    let mut inner = BytesStart::new(tag);
    inner.push_attribute(("message", xml_safe(&c.message)));
    if c.verdict == Verdict::Skip {
        x.write_event(Event::Empty(inner))?;
    } else {
        x.write_event(Event::Start(inner.borrow()))?;
        let body = escape_text(&c.body.join("\n"));
        x.write_event(Event::Text(BytesText::from_escaped(body)))?;
        x.write_event(Event::End(inner.to_end()))?;
    }
    x.write_event(Event::End(open.to_end()))
}

fn write_document(x: &mut Writer<Vec<u8>>, suites: &[Suite]) -> std::io::Result<()> {
    let mut all = Totals::default();
    let mut all_errors = 0;
    for s in suites {
        let (t, e) = s.totals();
        all.merge(t);
        all_errors += e;
    }
    x.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let top = counts_tag("testsuites", "harness", all, all_errors);
    x.write_event(Event::Start(top.borrow()))?;
    for s in suites {
        let (t, e) = s.totals();
        let open = counts_tag("testsuite", &s.name, t, e);
        x.write_event(Event::Start(open.borrow()))?;
        for c in &s.cases {
            write_case(x, &s.name, c)?;
        }
        x.write_event(Event::End(open.to_end()))?;
    }
    x.write_event(Event::End(top.to_end()))
}

/// The whole junit.xml document.
pub fn junit_xml(analysis: &Analysis) -> String {
    let mut suites = Vec::new();
    for section in analysis.sections() {
        section_suites(&section, &mut suites);
    }
    let mut x = Writer::new_with_indent(Vec::new(), b' ', 2);
    write_document(&mut x, &suites).expect("writing into memory cannot fail");
    let mut text = String::from_utf8(x.into_inner()).expect("quick-xml writes our UTF-8 text");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An attribute value as `junit_xml` writes it: `xml_safe`, then
    /// quick-xml's attribute escaping.
    fn escape_attr(s: &str) -> String {
        let mut e = BytesStart::new("t");
        e.push_attribute(("a", xml_safe(s)));
        let mut x = Writer::new(Vec::new());
        x.write_event(Event::Empty(e)).unwrap();
        let text = String::from_utf8(x.into_inner()).unwrap();
        let value = text.strip_prefix("<t a=\"").unwrap();
        value.strip_suffix("\"/>").unwrap().to_string()
    }

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

//! A KTAP parser that follows the rules of the kernel's kunit_tool
//! (`tools/testing/kunit/kunit_parser.py`, Linux 6.12) closely enough that
//! `kunit.py parse --json` and we agree on names, nesting and statuses.
//!
//! Everything here is pure: lines in, a [`Test`] tree out.
//!
//! Behaviour worth knowing (all inherited from kunit_tool on purpose):
//! * Extraction starts at the first line that ends in `KTAP version N` (or
//!   `TAP version N`). The number of characters in front of it is the
//!   "prefix" (e.g. a printk timestamp) and is cut from *every* later line,
//!   whatever that line looks like.
//! * Extraction stops at `List of all partitions:`,
//!   `Kernel panic - not syncing: VFS:` or `reboot: System halted`.
//! * The top-level test is parsed until its plan `1..N` is satisfied; any
//!   output after that is ignored.
//! * Results a plan promised but that never arrived become CRASHED
//!   placeholders with an empty name.
//! * A test that has a header but no subtests is "no tests" (reported as a
//!   FAIL test case in the JSON, but not counted by kunit_tool).

use crate::pytext::{chars_before, lstrip, skip_chars};

/// Outcome of one test, as kunit_tool's `TestStatus`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Success,
    Failure,
    Skipped,
    /// No result line (missing or never printed). Counts as a failure.
    Crashed,
    /// A test with a header but zero subtests.
    NoTests,
    /// No KTAP output at all.
    FailureToParse,
}

/// Leaf counts below a test (kunit_tool's `TestCounts`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub passed: usize,
    pub failed: usize,
    pub crashed: usize,
    pub skipped: usize,
    /// Parse errors (wrong numbering, missing lines...). Not test results.
    pub errors: usize,
}

impl Counts {
    pub fn total(&self) -> usize {
        self.passed + self.failed + self.crashed + self.skipped
    }

    fn add(&mut self, other: &Counts) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.crashed += other.crashed;
        self.skipped += other.skipped;
        self.errors += other.errors;
    }

    /// Aggregate status: crashes beat failures beat passes beat skips.
    pub fn status(&self) -> Status {
        if self.total() == 0 {
            Status::NoTests
        } else if self.crashed > 0 {
            Status::Crashed
        } else if self.failed > 0 {
            Status::Failure
        } else if self.passed > 0 {
            Status::Success
        } else {
            Status::Skipped
        }
    }

    fn add_status(&mut self, status: Status) {
        match status {
            Status::Success => self.passed += 1,
            Status::Failure => self.failed += 1,
            Status::Skipped => self.skipped += 1,
            Status::NoTests => {}
            Status::Crashed | Status::FailureToParse => self.crashed += 1,
        }
    }
}

/// One node of the result tree: the top-level document, a suite, a test
/// case or a parameter of a parameterised case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Test {
    pub name: String,
    pub status: Status,
    /// Plan `1..N` if one was seen (the top level and suites have one,
    /// parameterised cases usually do not).
    pub expected_count: Option<usize>,
    pub subtests: Vec<Test>,
    /// Diagnostic lines before this test's result line (kunit_tool's log).
    pub log: Vec<String>,
    /// Diagnostic lines after this test's result line, up to the next
    /// KTAP line. Not used by kunit_tool; the on-target tests put their
    /// failure details there.
    pub trailing_log: Vec<String>,
    /// Text after `# SKIP`, trimmed.
    pub skip_reason: Option<String>,
    pub counts: Counts,
    /// Parse error messages recorded for this test.
    pub errors: Vec<String>,
    /// 1-based line number (in the input) of the result line, if any.
    pub line: Option<usize>,
}

impl Test {
    fn new() -> Test {
        Test {
            name: String::new(),
            status: Status::Crashed,
            expected_count: Some(0),
            subtests: Vec::new(),
            log: Vec::new(),
            trailing_log: Vec::new(),
            skip_reason: None,
            counts: Counts::default(),
            errors: Vec::new(),
            line: None,
        }
    }

    /// A test case with a known outcome, for synthetic suites.
    pub fn leaf(name: &str, status: Status, log: Vec<String>) -> Test {
        let mut test = Test::new();
        test.name = name.to_string();
        test.status = status;
        test.log = log;
        bubble_up(&mut test);
        test
    }

    /// A suite made of `subtests`; status and counts follow from them.
    pub fn suite(name: &str, subtests: Vec<Test>) -> Test {
        let mut test = Test::new();
        test.name = name.to_string();
        test.expected_count = Some(subtests.len());
        test.subtests = subtests;
        bubble_up(&mut test);
        test.status = test.counts.status();
        test
    }

    fn add_error(&mut self, message: impl Into<String>) {
        self.counts.errors += 1;
        self.errors.push(message.into());
    }

    /// True for passed or skipped tests.
    pub fn ok_status(&self) -> bool {
        matches!(self.status, Status::Success | Status::Skipped)
    }

    /// A placeholder for a result the plan promised but that never came.
    pub fn is_missing_placeholder(&self) -> bool {
        self.name.is_empty() && self.line.is_none() && self.status == Status::Crashed
    }
}

/// Peek/pop access to the extracted lines. Like kunit_tool's LineStream,
/// peeking past the end keeps returning the last line.
struct Lines<'a> {
    lines: &'a [(usize, String)],
    pos: usize,
}

impl<'a> Lines<'a> {
    fn has_more(&self) -> bool {
        self.pos < self.lines.len()
    }

    fn peek(&self) -> &'a str {
        let i = self.pos.min(self.lines.len().saturating_sub(1));
        self.lines.get(i).map(|(_, l)| l.as_str()).unwrap_or("")
    }

    fn line_number(&self) -> Option<usize> {
        self.lines.get(self.pos).map(|(n, _)| *n)
    }

    fn pop(&mut self) -> String {
        let line = self.peek().to_string();
        if self.has_more() {
            self.pos += 1;
        }
        line
    }
}

// ---------------------------------------------------------------------------
// Line classification. Each function states the kunit_parser regular
// expression it is equivalent to (Python `re` semantics).

/// `\s*KTAP version ([0-9]+)$` anywhere in the line (`re.search`).
fn ends_with_version(line: &str, word: &str) -> bool {
    let t = line.trim_end_matches(|c: char| c.is_ascii_digit());
    t.len() < line.len() && t.ends_with(word)
}

/// `^\s*KTAP version ([0-9]+)$` or the same with `TAP` (`re.match`).
fn version_line(line: &str) -> Option<(&'static str, u64)> {
    let t = lstrip(line);
    for (word, kind) in [("KTAP version ", "KTAP"), ("TAP version ", "TAP")] {
        if let Some(num) = t.strip_prefix(word) {
            if !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()) {
                return Some((kind, num.parse().unwrap_or(u64::MAX)));
            }
        }
    }
    None
}

/// `^\s*# Subtest: (.*)$`
fn subtest_header(line: &str) -> Option<&str> {
    lstrip(line).strip_prefix("# Subtest: ")
}

/// `^\s*1\.\.([0-9]+)`
fn plan_line(line: &str) -> Option<usize> {
    let rest = lstrip(line).strip_prefix("1..")?;
    let digits: &str = &rest[..rest.bytes().take_while(u8::is_ascii_digit).count()];
    if digits.is_empty() {
        return None;
    }
    Some(digits.parse().unwrap_or(usize::MAX))
}

/// A parsed `ok`/`not ok` line.
#[derive(Debug, PartialEq, Eq)]
struct ResultLine<'a> {
    ok: bool,
    number: u64,
    /// Group 4 of kunit_parser's TEST_RESULT: the name without directive.
    name: &'a str,
    /// `(name, reason)` when TEST_RESULT_SKIP also matches.
    skip: Option<(&'a str, &'a str)>,
}

/// `(ok|not ok) ([0-9]+) ` then the remainder; shared by both result
/// expressions.
fn result_head(line: &str) -> Option<(bool, u64, &str)> {
    let t = lstrip(line);
    let (ok, rest) = if let Some(r) = t.strip_prefix("ok ") {
        (true, r)
    } else {
        (false, t.strip_prefix("not ok ")?)
    };
    let ndigits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if ndigits == 0 || rest.as_bytes().get(ndigits) != Some(&b' ') {
        return None;
    }
    let number = rest[..ndigits].parse().unwrap_or(u64::MAX);
    Some((ok, number, &rest[ndigits + 1..]))
}

/// Try `(- )?` greedily first, then without it, like the regex engine.
fn with_optional_dash<'a, T>(rest: &'a str, f: impl Fn(&'a str) -> Option<T>) -> Option<T> {
    rest.strip_prefix("- ").and_then(&f).or_else(|| f(rest))
}

/// `([^#]*)( # .*)?$` : a name without `#`, optionally followed by
/// ` # ` and anything.
fn name_before_directive(s: &str) -> Option<&str> {
    match s.find('#') {
        None => Some(s),
        Some(h) if h >= 1 && s[..h].ends_with(' ') && s[h + 1..].starts_with(' ') => {
            Some(&s[..h - 1])
        }
        Some(_) => None,
    }
}

/// `(.*) # SKIP(.*)$` : greedy, so the last ` # SKIP` wins.
fn skip_directive(s: &str) -> Option<(&str, &str)> {
    s.rfind(" # SKIP")
        .map(|i| (&s[..i], &s[i + " # SKIP".len()..]))
}

/// `^\s*(ok|not ok) ([0-9]+) (- )?([^#]*)( # .*)?$` plus the SKIP variant.
fn result_line(line: &str) -> Option<ResultLine<'_>> {
    let (ok, number, rest) = result_head(line)?;
    let name = with_optional_dash(rest, name_before_directive)?;
    let skip = with_optional_dash(rest, skip_directive);
    Some(ResultLine {
        ok,
        number,
        name,
        skip,
    })
}

fn is_ktap_line(line: &str) -> bool {
    result_line(line).is_some()
        || subtest_header(line).is_some()
        || version_line(line).is_some()
        || plan_line(line).is_some()
}

// ---------------------------------------------------------------------------
// Extraction of the KTAP part of a kernel log.

/// Lines that end the kernel's KTAP output (`KTAP_END` in kunit_parser).
const KTAP_END_MARKERS: [&str; 3] = [
    "List of all partitions:",
    "Kernel panic - not syncing: VFS:",
    "reboot: System halted",
];

/// Find the KTAP lines in a kernel log (already split and right-stripped)
/// and remove the per-line prefix. Returns `(1-based line number, text)`.
pub fn extract_ktap_lines(log: &[String]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut prefix_len: Option<usize> = None;
    for (i, line) in log.iter().enumerate() {
        let num = i + 1;
        match prefix_len {
            None => {
                let word = if ends_with_version(line, "KTAP version ") {
                    Some("KTAP version")
                } else if ends_with_version(line, "TAP version ") {
                    Some("TAP version")
                } else {
                    None
                };
                if let Some(word) = word {
                    let n = chars_before(line, word);
                    prefix_len = Some(n);
                    out.push((num, skip_chars(line, n).to_string()));
                } else if line.contains("kunit executor: ") {
                    out.push((num, line.clone()));
                }
            }
            Some(n) => {
                if KTAP_END_MARKERS.iter().any(|m| line.contains(m)) {
                    break;
                }
                out.push((num, skip_chars(line, n).to_string()));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// The recursive parser.

/// Upper bound for placeholders created from one plan, so a garbage plan
/// line such as `1..99999999999` cannot exhaust memory.
const MAX_PLACEHOLDERS: usize = 100_000;

fn parse_diagnostic(lines: &mut Lines) -> Vec<String> {
    let mut log = Vec::new();
    while lines.has_more() && !is_ktap_line(lines.peek()) {
        log.push(lines.pop());
    }
    log
}

fn parse_version(lines: &mut Lines, test: &mut Test) -> bool {
    let Some((kind, version)) = version_line(lines.peek()) else {
        return false;
    };
    if !lines.has_more() {
        return false;
    }
    let (lo, hi) = if kind == "KTAP" { (1, 1) } else { (13, 14) };
    if version < lo {
        test.add_error(format!("{kind} version lower than expected!"));
    } else if version > hi {
        // (sic) kunit_tool's wording
        test.add_error(format!("{kind} version higer than expected!"));
    }
    lines.pop();
    true
}

fn parse_subtest_header(lines: &mut Lines, test: &mut Test) -> bool {
    if !lines.has_more() {
        return false;
    }
    let Some(name) = subtest_header(lines.peek()) else {
        return false;
    };
    test.name = name.to_string();
    lines.pop();
    true
}

fn parse_plan(lines: &mut Lines, test: &mut Test) -> bool {
    match plan_line(lines.peek()).filter(|_| lines.has_more()) {
        Some(n) => {
            test.expected_count = Some(n);
            lines.pop();
            true
        }
        None => {
            test.expected_count = None;
            false
        }
    }
}

fn peek_name_matches(lines: &Lines, test: &Test) -> bool {
    result_line(lines.peek()).is_some_and(|r| r.name == test.name)
}

fn parse_result(lines: &mut Lines, test: &mut Test, expected_num: usize) -> bool {
    let Some(r) = result_line(lines.peek()) else {
        return false;
    };
    if !lines.has_more() {
        // kunit_tool would raise "going past EOF" here.
        test.add_error("unexpected end of output");
        return false;
    }
    test.line = lines.line_number();
    let (ok, number) = (r.ok, r.number);
    match r.skip {
        Some((name, reason)) => {
            test.name = name.to_string();
            test.skip_reason = Some(reason.trim().to_string());
            test.status = Status::Skipped;
        }
        None => {
            test.name = r.name.to_string();
            test.status = if ok { Status::Success } else { Status::Failure };
        }
    }
    lines.pop();
    if number != expected_num as u64 {
        test.add_error(format!(
            "Expected test number {expected_num} but found {number}"
        ));
    }
    true
}

fn bubble_up(test: &mut Test) {
    let mut counts = test.counts;
    for sub in &test.subtests {
        counts.add(&sub.counts);
    }
    if counts.total() == 0 {
        counts.add_status(test.status);
    } else if counts.status() == Status::Crashed {
        test.status = Status::Crashed;
    }
    test.counts = counts;
}

fn parse_test(lines: &mut Lines, expected_num: usize, log: Vec<String>, is_subtest: bool) -> Test {
    let mut test = Test::new();
    test.log = log;
    let diag = parse_diagnostic(lines);
    test.log.extend(diag);

    let parent_test = if !is_subtest {
        test.name = "main".to_string();
        parse_version(lines, &mut test);
        let diag = parse_diagnostic(lines);
        test.log.extend(diag);
        parse_plan(lines, &mut test);
        true
    } else {
        let version = parse_version(lines, &mut test);
        let header = parse_subtest_header(lines, &mut test);
        if version || header {
            let diag = parse_diagnostic(lines);
            test.log.extend(diag);
            parse_plan(lines, &mut test);
        }
        version || header
    };

    let expected = test.expected_count;
    let mut subtests: Vec<Test> = Vec::new();
    let mut test_num = 1usize;
    while parent_test && expected.is_none_or(|e| test_num <= e) {
        let sub_log = parse_diagnostic(lines);
        if let Some(prev) = subtests.last_mut() {
            prev.trailing_log.extend(sub_log.iter().cloned());
        }
        if !lines.has_more() || (is_subtest && peek_name_matches(lines, &test)) {
            match expected {
                Some(e) if e > 0 && test_num <= e && subtests.len() < MAX_PLACEHOLDERS => {
                    test.add_error("missing expected subtest!");
                    let mut missing = Test::new();
                    missing.log = sub_log;
                    test.counts.add_status(Status::Crashed);
                    subtests.push(missing);
                }
                _ => {
                    test.log.extend(sub_log);
                    break;
                }
            }
        } else {
            let before = lines.pos;
            subtests.push(parse_test(lines, test_num, sub_log, true));
            // kunit_tool loops forever on a stray line it can neither
            // consume nor finish on when there is no plan; we stop.
            if expected.is_none() && lines.pos == before {
                break;
            }
        }
        test_num += 1;
    }
    test.subtests = subtests;

    if is_subtest {
        let diag = parse_diagnostic(lines);
        if let Some(last) = test.subtests.last_mut() {
            last.trailing_log.extend(diag.iter().cloned());
        }
        test.log.extend(diag);
        if !test.name.is_empty() && !peek_name_matches(lines, &test) {
            test.add_error("missing subtest result line!");
        } else {
            parse_result(lines, &mut test, expected_num);
        }
    }

    if parent_test
        && test.subtests.is_empty()
        && matches!(test.status, Status::Crashed | Status::Success)
    {
        test.status = Status::NoTests;
        test.add_error("0 tests run!");
    }

    bubble_up(&mut test);
    test
}

/// Parse already-extracted KTAP lines as one document (kunit_tool's
/// `parse_run_tests` minus the extraction step).
pub fn parse_ktap(lines: &[(usize, String)]) -> Test {
    if lines.is_empty() {
        let mut test = Test::new();
        test.name = "<missing>".to_string();
        test.add_error("Could not find any KTAP output. Did any KUnit tests run?");
        test.status = Status::FailureToParse;
        return test;
    }
    let mut stream = Lines { lines, pos: 0 };
    let mut test = parse_test(&mut stream, 0, Vec::new(), false);
    if test.status != Status::NoTests {
        test.status = test.counts.status();
    }
    test
}

/// Parse the KUnit results out of a kernel console log, as
/// `kunit.py parse` does.
pub fn parse_kunit(log: &[String]) -> Test {
    parse_ktap(&extract_ktap_lines(log))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_line_forms() {
        let r = result_line("    ok 12 - foo bar").unwrap();
        assert_eq!(
            (r.ok, r.number, r.name, r.skip),
            (true, 12, "foo bar", None)
        );
        let r = result_line("not ok 2 foo # SKIP no hw").unwrap();
        assert_eq!(
            (r.ok, r.name, r.skip),
            (false, "foo", Some(("foo", " no hw")))
        );
        let r = result_line("ok 3 foo # SKIP").unwrap();
        assert_eq!(r.skip, Some(("foo", "")));
        // A `#` that is not a directive makes the line a non-result.
        assert!(result_line("ok 1 a#b").is_none());
        assert!(result_line("ok 1 foo #SKIP").is_none());
        assert!(result_line("ok 1").is_none());
        assert!(result_line("ok x foo").is_none());
        assert!(result_line("okay 1 foo").is_none());
        // Regex backtracking corner: "- " then a directive.
        assert_eq!(result_line("ok 1 - # x").unwrap().name, "-");
        assert_eq!(result_line("ok 1 - a # x").unwrap().name, "a");
        // Directive other than SKIP keeps the name, status from ok/not ok.
        let r = result_line("ok 4 slow # TODO later").unwrap();
        assert_eq!((r.name, r.skip), ("slow", None));
    }

    #[test]
    fn other_line_kinds() {
        assert_eq!(version_line("  KTAP version 1"), Some(("KTAP", 1)));
        assert_eq!(version_line("TAP version 14"), Some(("TAP", 14)));
        assert_eq!(version_line("KTAP version 1 x"), None);
        assert_eq!(version_line("[ 1.0] KTAP version 1"), None);
        assert!(ends_with_version("[ 1.0] KTAP version 1", "KTAP version "));
        assert!(!ends_with_version("KTAP version one", "KTAP version "));
        assert_eq!(plan_line("    1..42"), Some(42));
        assert_eq!(plan_line("1..3 # comment"), Some(3));
        assert_eq!(plan_line("1.."), None);
        assert_eq!(subtest_header("\t# Subtest: a b"), Some("a b"));
    }

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    #[test]
    fn prefix_is_cut_from_every_line() {
        let log = lines(
            "[    0.100000] booting\n\
             [    0.200000] KTAP version 1\n\
             [    0.200001] 1..1\n\
             [    0.200002]     KTAP version 1\n\
             [    0.200003]     # Subtest: s\n\
             [    0.200004]     1..1\n\
             [    0.200005]     ok 1 c\n\
             [    0.200006] ok 1 s\n",
        );
        let ex = extract_ktap_lines(&log);
        assert_eq!(ex[0], (2, "KTAP version 1".to_string()));
        assert_eq!(ex[3].1, "    # Subtest: s");
        let t = parse_kunit(&log);
        assert_eq!(t.status, Status::Success);
        assert_eq!(t.subtests[0].name, "s");
        assert_eq!(t.subtests[0].subtests[0].name, "c");
        assert_eq!(t.counts.passed, 1);
    }

    #[test]
    fn missing_results_are_crashed_placeholders() {
        let t = parse_kunit(&lines(
            "KTAP version 1\n1..2\n  # Subtest: s\n  1..3\n  ok 1 a\n  not ok 2 b\n",
        ));
        assert_eq!(t.status, Status::Crashed);
        let s = &t.subtests[0];
        assert_eq!(s.subtests.len(), 3);
        assert!(s.subtests[2].is_missing_placeholder());
        assert_eq!(s.status, Status::Crashed);
        // Suite 2 never started: a placeholder at the top level too.
        assert!(t.subtests[1].is_missing_placeholder());
        assert_eq!(
            t.counts,
            Counts {
                passed: 1,
                failed: 1,
                crashed: 2,
                skipped: 0,
                errors: 3
            }
        );
    }

    #[test]
    fn no_ktap_at_all() {
        let t = parse_kunit(&lines("just\nsome boot\n"));
        assert_eq!(t.status, Status::FailureToParse);
        assert_eq!(t.counts.total(), 0);
        assert_eq!(t.name, "<missing>");
    }

    #[test]
    fn header_without_tests() {
        let t = parse_kunit(&lines("KTAP version 1\n1..0\n"));
        assert_eq!(t.status, Status::NoTests);
    }

    #[test]
    fn stray_plan_without_outer_plan_terminates() {
        // kunit.py would spin forever on this input.
        let t = parse_kunit(&lines("KTAP version 1\n  # Subtest: s\n  1..1\n  1..7\n"));
        assert_eq!(t.status, Status::Crashed);
    }

    /// kunit.py 6.12 never returns on this log: a stray plan line inside a
    /// suite without a plan of its own. We stop and mark it crashed.
    #[test]
    fn log_that_makes_kunit_py_loop_forever() {
        let t = parse_kunit(&lines(include_str!("../testdata/kunit-py-hangs.log")));
        let s = &t.subtests[0];
        assert_eq!(s.name, "s");
        assert_eq!(s.subtests[0].status, Status::Success);
        assert_eq!(s.subtests[1].status, Status::Crashed);
        assert_eq!(t.status, Status::Crashed);
        assert_eq!(t.counts.passed, 1);
    }

    /// kunit.py 6.12 raises "LineStream: going past EOF" on this log: it
    /// ends right after the last case of a suite that has a KTAP version
    /// line but no "# Subtest:" name.
    #[test]
    fn log_that_makes_kunit_py_raise_at_eof() {
        let t = parse_kunit(&lines(include_str!("../testdata/kunit-py-eof-crash.log")));
        let s = &t.subtests[0];
        assert_eq!(s.name, "");
        assert_eq!(s.subtests.len(), 2);
        assert!(s.errors.iter().any(|e| e == "unexpected end of output"));
        assert_eq!(t.counts.passed, 2);
    }

    #[test]
    fn trailing_diagnostics_are_attached_to_the_previous_case() {
        let t = parse_ktap(
            &lines("KTAP version 1\n1..2\nnot ok 1 a\n# why a failed\nok 2 b\n# tail\n")
                .into_iter()
                .enumerate()
                .map(|(i, l)| (i + 1, l))
                .collect::<Vec<_>>(),
        );
        assert_eq!(t.subtests[0].trailing_log, vec!["# why a failed"]);
        // kunit_tool attaches it to the *next* case; we keep that too.
        assert_eq!(t.subtests[1].log, vec!["# why a failed"]);
        assert_eq!(t.subtests[0].line, Some(3));
    }
}

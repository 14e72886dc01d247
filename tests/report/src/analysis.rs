//! Turn a whole console log into one result: kernel KUnit tree, on-target
//! tree, and a synthetic `console_log` suite holding the log-scan checks
//! and the structural checks (did KUnit run, did the userspace tests run
//! and finish). Pure: text in, data out.

use crate::kunit_json::{group, kunit_json, Group};
use ktap::target::{BEGIN_MARKER, END_MARKER};
use ktap::{parse_kunit, parse_target, pytext, Layout, Status, TargetResult, Test};
use logscan::CheckResult;

/// How many offending lines a log-scan case quotes.
const MAX_QUOTED_HITS: usize = 10;

/// Name of the synthetic suite.
pub const CONSOLE_SUITE: &str = "console_log";

/// Which diagnostics belong to a test case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiagStyle {
    /// Lines before the result line (KUnit's convention).
    Before,
    /// Lines after the result line (the on-target tests' convention).
    After,
}

/// Verdict of a leaf test case, as in results.json.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Fail,
    Skip,
    /// Crashed: the result never came.
    Error,
}

impl Verdict {
    pub fn of(status: Status) -> Verdict {
        match status {
            Status::Success => Verdict::Pass,
            Status::Skipped => Verdict::Skip,
            Status::Crashed => Verdict::Error,
            Status::Failure | Status::NoTests | Status::FailureToParse => Verdict::Fail,
        }
    }

    pub fn is_bad(self) -> bool {
        matches!(self, Verdict::Fail | Verdict::Error)
    }
}

/// Leaf counts. `failed` includes crashed cases.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
}

impl Totals {
    pub fn add(&mut self, v: Verdict) {
        match v {
            Verdict::Pass => self.passed += 1,
            Verdict::Skip => self.skipped += 1,
            Verdict::Fail | Verdict::Error => self.failed += 1,
        }
    }

    pub fn merge(&mut self, other: Totals) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.skipped += other.skipped;
    }

    pub fn total(&self) -> usize {
        self.passed + self.failed + self.skipped
    }

    /// `N passed, N failed` plus `, N skipped` when there are skips.
    pub fn line(&self) -> String {
        let mut s = format!("{} passed, {} failed", self.passed, self.failed);
        if self.skipped > 0 {
            s.push_str(&format!(", {} skipped", self.skipped));
        }
        s
    }
}

/// A leaf test case with its dotted path.
#[derive(Debug)]
pub struct Leaf<'a> {
    pub path: String,
    pub test: &'a Test,
    /// 1-based position in its parent (the number a placeholder stood for).
    pub number: usize,
}

impl Leaf<'_> {
    pub fn verdict(&self) -> Verdict {
        Verdict::of(self.test.status)
    }
}

/// Display name of the `index`-th (0-based) child: placeholders for
/// results that never came have no name of their own.
pub fn child_name(test: &Test, index: usize) -> String {
    if test.is_missing_placeholder() {
        format!("<missing result #{}>", index + 1)
    } else if test.name.is_empty() {
        format!("<unnamed #{}>", index + 1)
    } else {
        test.name.clone()
    }
}

/// All leaves under `test` (a leaf itself if it has no subtests).
pub fn leaves<'a>(test: &'a Test, path: &str, number: usize) -> Vec<Leaf<'a>> {
    let mut out = Vec::new();
    collect(test, path.to_string(), number, &mut out);
    out
}

fn collect<'a>(test: &'a Test, path: String, number: usize, out: &mut Vec<Leaf<'a>>) {
    if test.subtests.is_empty() {
        out.push(Leaf { path, test, number });
        return;
    }
    for (i, sub) in test.subtests.iter().enumerate() {
        let p = format!("{path}.{}", child_name(sub, i));
        collect(sub, p, i + 1, out);
    }
}

/// One part of the report: its suites are the children of `root`.
#[derive(Debug)]
pub struct Section<'a> {
    pub title: &'static str,
    /// Prefix for suite names in JUnit (`kunit.example`); may be empty.
    pub prefix: &'static str,
    pub suites: Vec<&'a Test>,
    pub diag: DiagStyle,
}

impl Section<'_> {
    pub fn qualified(&self, suite_name: &str) -> String {
        if self.prefix.is_empty() {
            suite_name.to_string()
        } else {
            format!("{}.{suite_name}", self.prefix)
        }
    }

    pub fn totals(&self) -> Totals {
        let mut t = Totals::default();
        for (i, suite) in self.suites.iter().enumerate() {
            for leaf in leaves(suite, &child_name(suite, i), i + 1) {
                t.add(leaf.verdict());
            }
        }
        t
    }
}

/// Diagnostic lines of a test case under a given convention, dedented.
pub fn diagnostics(test: &Test, style: DiagStyle) -> Vec<String> {
    let lines = match style {
        DiagStyle::Before => &test.log,
        DiagStyle::After => &test.trailing_log,
    };
    dedent(lines)
}

/// Remove the longest common leading whitespace (like Python's
/// textwrap.dedent). Interleaved kernel lines (`[  12.3] ...`) do not take
/// part, so they cannot stop the KTAP diagnostics around them from being
/// dedented.
pub fn dedent(lines: &[String]) -> Vec<String> {
    let indent_of = |l: &str| l.len() - l.trim_start_matches([' ', '\t']).len();
    let mut common: Option<&str> = None;
    for l in lines
        .iter()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('['))
    {
        let ind = &l[..indent_of(l)];
        common = Some(match common {
            None => ind,
            Some(c) => {
                let n = c
                    .bytes()
                    .zip(ind.bytes())
                    .take_while(|(a, b)| a == b)
                    .count();
                &c[..n]
            }
        });
    }
    let prefix = common.unwrap_or("");
    lines
        .iter()
        .map(|l| {
            if l.trim().is_empty() {
                String::new()
            } else {
                l.strip_prefix(prefix).unwrap_or(l).to_string()
            }
        })
        .collect()
}

/// Everything we learnt from one console log.
#[derive(Clone, Debug)]
pub struct Analysis {
    pub line_count: usize,
    pub layout: Layout,
    /// Kernel KUnit results, from the log before `target-tests: begin`.
    pub kernel: Test,
    pub target: TargetResult,
    pub scan: Vec<CheckResult>,
    /// The synthetic `console_log` suite.
    pub console: Test,
    /// Infrastructure problems visible in the log itself (kernel panic,
    /// userspace tests never reached).
    pub infra: Vec<String>,
}

/// Analyse raw console bytes (decoded the way kunit.py decodes them).
pub fn analyse_bytes(bytes: &[u8]) -> Analysis {
    analyse(&pytext::log_lines(bytes))
}

/// Analyse a console log split into right-stripped lines.
pub fn analyse(lines: &[String]) -> Analysis {
    let layout = Layout::find(lines);
    let kernel = parse_kunit(layout.kernel_part(lines));
    let target = parse_target(lines, layout);
    let scan = logscan::scan(lines);

    let mut cases: Vec<Test> = scan.iter().map(scan_case).collect();
    cases.push(kunit_case(&kernel));
    cases.extend(target_cases(&target, layout));
    let console = Test::suite(CONSOLE_SUITE, cases);

    let mut infra = Vec::new();
    if let Some(hit) = logscan::first_panic(lines) {
        infra.push(format!(
            "kernel panic (console line {}): {}",
            hit.line_no,
            hit.line.trim()
        ));
    }
    // A block that began but never ended is a crash (a test failure, see
    // `target_tests_completed`), not an infrastructure problem by itself.
    if target == TargetResult::NotRun {
        infra.push(format!(
            "guest never reached the userspace tests: no '{BEGIN_MARKER}' line on the console"
        ));
    }

    Analysis {
        line_count: lines.len(),
        layout,
        kernel,
        target,
        scan,
        console,
        infra,
    }
}

fn scan_case(r: &CheckResult) -> Test {
    if r.passed() {
        return Test::leaf(r.name, Status::Success, Vec::new());
    }
    let mut log: Vec<String> = r
        .hits
        .iter()
        .take(MAX_QUOTED_HITS)
        .map(|h| format!("console line {}: {}", h.line_no, h.line))
        .collect();
    if r.hits.len() > MAX_QUOTED_HITS {
        log.push(format!(
            "... and {} more matching lines",
            r.hits.len() - MAX_QUOTED_HITS
        ));
    }
    Test::leaf(r.name, Status::Failure, log)
}

fn kunit_case(kernel: &Test) -> Test {
    let problem = match kernel.status {
        Status::FailureToParse => {
            Some("no KTAP output from the kernel: did any KUnit tests run?".to_string())
        }
        Status::NoTests => {
            Some("the kernel printed a KTAP header but no KUnit test ran".to_string())
        }
        _ => None,
    };
    match problem {
        Some(p) => Test::leaf("kunit_tests_ran", Status::Failure, vec![p]),
        None => Test::leaf("kunit_tests_ran", Status::Success, Vec::new()),
    }
}

fn target_cases(target: &TargetResult, layout: Layout) -> Vec<Test> {
    let TargetResult::Ran { test, complete } = target else {
        return vec![Test::leaf(
            "target_tests_ran",
            Status::Failure,
            vec![format!(
                "userspace tests did not run: no '{BEGIN_MARKER}' line on the console"
            )],
        )];
    };
    let begin_line = layout.begin.map_or(0, |b| b + 1);
    let ran = Test::leaf("target_tests_ran", Status::Success, Vec::new());
    let completed = if !complete {
        Test::leaf(
            "target_tests_completed",
            Status::Crashed,
            vec![format!(
                "truncated run: '{BEGIN_MARKER}' at console line {begin_line} but no '{END_MARKER}'"
            )],
        )
    } else if test.status == Status::FailureToParse {
        Test::leaf(
            "target_tests_completed",
            Status::Failure,
            vec![format!(
                "no KTAP output between '{BEGIN_MARKER}' and '{END_MARKER}'"
            )],
        )
    } else if test.status == Status::NoTests {
        Test::leaf(
            "target_tests_completed",
            Status::Failure,
            vec!["the on-target KTAP output ran no tests".to_string()],
        )
    } else {
        Test::leaf("target_tests_completed", Status::Success, Vec::new())
    };
    vec![ran, completed]
}

impl Analysis {
    pub fn sections(&self) -> Vec<Section<'_>> {
        let mut s = vec![Section {
            title: "Kernel KUnit",
            prefix: "kunit",
            suites: self.kernel.subtests.iter().collect(),
            diag: DiagStyle::Before,
        }];
        if let TargetResult::Ran { test, .. } = &self.target {
            s.push(Section {
                title: "On-target tests",
                prefix: "target",
                suites: test.subtests.iter().collect(),
                diag: DiagStyle::After,
            });
        }
        s.push(Section {
            title: "Console log checks",
            prefix: "",
            suites: vec![&self.console],
            diag: DiagStyle::Before,
        });
        s
    }

    /// Counts over every leaf test case: kernel + target + console_log.
    pub fn totals(&self) -> Totals {
        let mut t = Totals::default();
        for s in self.sections() {
            t.merge(s.totals());
        }
        t
    }

    /// True if no test case failed or crashed.
    pub fn all_passed(&self) -> bool {
        self.totals().failed == 0
    }

    /// results.json: the kunit.py JSON of the kernel run, with the
    /// on-target suites (group `target`) and the `console_log` suite added
    /// as extra sub_groups of the top-level group.
    pub fn results_json(&self) -> Group {
        let mut top = kunit_json(&self.kernel);
        if let TargetResult::Ran { test, .. } = &self.target {
            top.sub_groups.push(Group {
                name: "target".to_string(),
                ..group(test)
            });
        }
        top.sub_groups.push(group(&self.console));
        top
    }
}

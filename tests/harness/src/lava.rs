//! Cross-check LAVA's per-case results against our parse of the same
//! console log.
//!
//! A LAVA test monitor records one result per KTAP result line it sees
//! (suites, cases and parameters alike, in console order), with `# SKIP`
//! as a skip when its pattern says so. `scripts/lava.py results` writes
//! those records as JSON. The same list, from our KTAP trees, is every
//! node that has a result line, children before their parent.

use ktap::{Status, TargetResult, Test};
use report::Analysis;
use serde::Deserialize;

/// One record of `lava-results.json`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct LavaCase {
    /// The monitor's name: `kunit` or `target`.
    pub suite: String,
    /// The raw test name (LAVA's `extra.test_case_id`).
    pub name: String,
    /// `pass`, `fail`, `skip` or `unknown`.
    pub result: String,
}

pub fn parse_results(text: &str) -> Result<Vec<LavaCase>, String> {
    serde_json::from_str(text).map_err(|e| format!("cannot parse LAVA results: {e}"))
}

/// What a monitor should have recorded for one result line.
fn result_of(status: Status) -> &'static str {
    match status {
        Status::Success => "pass",
        Status::Skipped => "skip",
        // A suite with a result line but no cases: LAVA sees its line.
        Status::Failure | Status::NoTests => "fail",
        Status::Crashed | Status::FailureToParse => "unknown",
    }
}

fn result_lines(test: &Test, suite: &str, out: &mut Vec<LavaCase>) {
    for sub in &test.subtests {
        result_lines(sub, suite, out);
    }
    if test.line.is_some() {
        out.push(LavaCase {
            suite: suite.to_string(),
            name: test.name.clone(),
            result: result_of(test.status).to_string(),
        });
    }
}

/// The records a LAVA monitor per section should have made for this log.
pub fn expected(analysis: &Analysis) -> Vec<LavaCase> {
    let mut out = Vec::new();
    for sub in &analysis.kernel.subtests {
        result_lines(sub, "kunit", &mut out);
    }
    if let TargetResult::Ran { test, .. } = &analysis.target {
        for sub in &test.subtests {
            result_lines(sub, "target", &mut out);
        }
    }
    out
}

/// `suite: N passed, N failed, N skipped` for each suite.
pub fn counts(cases: &[LavaCase], suite: &str) -> String {
    let n = |r: &str| {
        cases
            .iter()
            .filter(|c| c.suite == suite && c.result == r)
            .count()
    };
    format!(
        "{suite}: {} passed, {} failed, {} skipped",
        n("pass"),
        n("fail"),
        n("skip")
    )
}

/// Differences between LAVA's records and ours, one message each.
pub fn diff(lava: &[LavaCase], ours: &[LavaCase]) -> Vec<String> {
    let mut out = Vec::new();
    for suite in ["kunit", "target"] {
        let (l, o) = (counts(lava, suite), counts(ours, suite));
        if l != o {
            out.push(format!("counts differ: LAVA {l} vs harness {o}"));
        }
        let l: Vec<&LavaCase> = lava.iter().filter(|c| c.suite == suite).collect();
        let o: Vec<&LavaCase> = ours.iter().filter(|c| c.suite == suite).collect();
        for i in 0..l.len().max(o.len()) {
            let text = |c: &LavaCase| format!("'{}' {}", c.name, c.result);
            match (l.get(i), o.get(i)) {
                (Some(a), Some(b)) if a != b => out.push(format!(
                    "{suite} result #{}: LAVA {} vs harness {}",
                    i + 1,
                    text(a),
                    text(b)
                )),
                (Some(a), None) => out.push(format!("{suite}: extra in LAVA: {}", text(a))),
                (None, Some(b)) => out.push(format!("{suite}: missing in LAVA: {}", text(b))),
                _ => {}
            }
        }
    }
    out.extend(
        lava.iter()
            .filter(|c| c.suite != "kunit" && c.suite != "target")
            .map(|c| {
                format!(
                    "LAVA result of an unknown monitor '{}': {}",
                    c.suite, c.name
                )
            }),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(suite: &str, name: &str, result: &str) -> LavaCase {
        LavaCase {
            suite: suite.into(),
            name: name.into(),
            result: result.into(),
        }
    }

    #[test]
    fn every_result_line_children_first_skips_as_skips() {
        let log = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../report/testdata/interleaved-target.log"
        ))
        .unwrap();
        let e = expected(&report::analyse_bytes(&log));
        let kunit: Vec<(&str, &str)> = e
            .iter()
            .filter(|c| c.suite == "kunit")
            .take(9)
            .map(|c| (c.name.as_str(), c.result.as_str()))
            .collect();
        assert_eq!(
            kunit,
            [
                ("example_simple_test", "pass"),
                ("example_skip_test", "skip"),
                ("example value 3", "pass"),
                ("example value 2", "pass"),
                ("example value 1", "pass"),
                ("example value 0", "skip"),
                ("example_params_test", "pass"),
                ("example_static_stub_test", "pass"),
                ("example", "pass"),
            ]
        );
        assert_eq!(counts(&e, "kunit"), "kunit: 12 passed, 0 failed, 2 skipped");
        assert_eq!(
            counts(&e, "target"),
            "target: 3 passed, 3 failed, 1 skipped"
        );
        assert!(diff(&e, &e).is_empty());
    }

    #[test]
    fn reports_counts_results_and_missing_lines() {
        let ours = vec![
            case("kunit", "a", "pass"),
            case("kunit", "b", "skip"),
            case("target", "t", "pass"),
        ];
        let lava = vec![
            case("kunit", "a", "pass"),
            case("kunit", "b", "pass"),
            case("lava", "job", "pass"),
        ];
        assert_eq!(
            diff(&lava, &ours),
            [
                "counts differ: LAVA kunit: 2 passed, 0 failed, 0 skipped vs harness kunit: 1 passed, 0 failed, 1 skipped",
                "kunit result #2: LAVA 'b' pass vs harness 'b' skip",
                "counts differ: LAVA target: 0 passed, 0 failed, 0 skipped vs harness target: 1 passed, 0 failed, 0 skipped",
                "target: missing in LAVA: 't' pass",
                "LAVA result of an unknown monitor 'lava': job",
            ]
        );
    }

    #[test]
    fn results_file_errors_are_named() {
        assert!(parse_results("[{\"suite\": \"kunit\"}]")
            .unwrap_err()
            .contains("cannot parse LAVA results"));
        let ok = parse_results(
            r#"[{"suite": "kunit", "case": "a_b", "name": "a b", "result": "pass"}]"#,
        )
        .unwrap();
        assert_eq!(ok, [case("kunit", "a b", "pass")]);
    }
}

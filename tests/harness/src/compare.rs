//! Cross-check our kernel KUnit JSON against `kunit.py parse --json`.
//!
//! kunit.py (6.12) prints everything on stdout: first its human-readable
//! report, every line prefixed with a `[HH:MM:SS] ` timestamp, then the
//! JSON from `print(json.dumps(..., indent=4))`, which starts with a line
//! that is exactly `{` and runs to the end of the output.
//!
//! Newer kunit.py (7.2's `kunit_json.py`) adds a `misc` object with each
//! group's counts. Our JSON keeps 6.12's shape, so for that key the counts
//! are derived from our own test cases and compared with kunit.py's.

use report::json::{self, Value};
use std::path::Path;
use std::process::Command;

/// Keys that kunit_json fills from build metadata (`kunit.py run` sets
/// them from --arch/--build_dir, `kunit.py parse` leaves them empty).
/// They carry no parse result, so they are not compared. All other keys,
/// including lab_name/kernel/job/git_branch, must match.
pub const IGNORED_KEYS: [&str; 3] = ["arch", "defconfig", "build_environment"];

/// Run kunit.py on `log` and return its JSON.
pub fn run_kunit_py(kunit_py: &Path, log: &Path) -> Result<Value, String> {
    // kunit.py chdir()s to the kernel tree first, so relative paths would
    // be resolved there: pass absolute ones.
    let script = std::fs::canonicalize(kunit_py)
        .map_err(|e| format!("kunit.py not found at {}: {e}", kunit_py.display()))?;
    let log = std::fs::canonicalize(log)
        .map_err(|e| format!("cannot read log {}: {e}", log.display()))?;
    let out = Command::new("python3")
        .arg(&script)
        .args(["parse", "--json"])
        .arg(&log)
        // Do not leave __pycache__ behind in the kernel tree, and read the
        // log as UTF-8 whatever the locale.
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTHONUTF8", "1")
        .output()
        .map_err(|e| format!("cannot run python3 {}: {e}", script.display()))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let Some(start) = find_json_start(&stdout) else {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
        return Err(format!(
            "kunit.py printed no JSON ({}); stderr ends with: {}",
            out.status,
            tail.into_iter().rev().collect::<Vec<_>>().join(" | ")
        ));
    };
    json::parse(&stdout[start..]).map_err(|e| format!("cannot parse kunit.py's JSON: {e}"))
}

/// Byte offset of the line that is exactly `{`.
fn find_json_start(stdout: &str) -> Option<usize> {
    let mut offset = 0;
    for line in stdout.split_inclusive('\n') {
        if line.trim_end_matches(['\n', '\r']) == "{" {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

fn show(v: Option<&Value>) -> String {
    match v {
        None => "(absent)".to_string(),
        Some(v) => json::to_pretty(v).replace('\n', " "),
    }
}

/// A test case as `'name' STATUS`.
fn case_text(v: &Value) -> String {
    let field = |k| v.get(k).and_then(Value::as_str).unwrap_or("?");
    format!("'{}' {}", field("name"), field("status"))
}

/// Differences between our JSON and kunit.py's, one message each.
pub fn diff(ours: &Value, theirs: &Value) -> Vec<String> {
    let mut out = Vec::new();
    diff_group("", ours, theirs, &mut out);
    out
}

fn name_of(v: &Value) -> &str {
    v.get("name").and_then(Value::as_str).unwrap_or("?")
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object()
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

/// A group's counts as 7.2's kunit.py writes them under `misc`: every
/// test case below the group, by status. `errors` counts kunit.py's own
/// parse errors, which our parser reports elsewhere, so it is always 0
/// here and any error kunit.py finds shows up as a difference.
fn misc_counts(group: &Value) -> Value {
    fn walk(group: &Value, n: &mut [u64; 4]) {
        let list = |k: &str| group.get(k).and_then(Value::as_array).cloned();
        for case in list("test_cases").unwrap_or_default() {
            let i = match case.get("status").and_then(Value::as_str) {
                Some("PASS") => 0,
                Some("SKIP") => 2,
                Some("ERROR") => 3,
                _ => 1,
            };
            n[i] += 1;
        }
        for sub in list("sub_groups").unwrap_or_default() {
            walk(&sub, n);
        }
    }
    let mut n = [0u64; 4];
    walk(group, &mut n);
    let [passed, failed, skipped, crashed] = n;
    serde_json::json!({
        "tests": passed + failed + skipped + crashed,
        "passed": passed,
        "failed": failed,
        "crashed": crashed,
        "skipped": skipped,
        "errors": 0,
    })
}

fn diff_group(parent: &str, ours: &Value, theirs: &Value, out: &mut Vec<String>) {
    let path = if parent.is_empty() {
        name_of(theirs).to_string()
    } else {
        format!("{parent}/{}", name_of(theirs))
    };
    let mut all_keys = keys(theirs);
    for k in keys(ours) {
        if !all_keys.contains(&k) {
            all_keys.push(k);
        }
    }
    for k in all_keys {
        if IGNORED_KEYS.contains(&k) || k == "sub_groups" || k == "test_cases" {
            continue;
        }
        let derived;
        let (mut a, b) = (ours.get(k), theirs.get(k));
        if k == "misc" && a.is_none() && b.is_some() {
            derived = misc_counts(ours);
            a = Some(&derived);
        }
        if a != b {
            out.push(format!(
                "{path}: {k}: harness {} vs kunit.py {}",
                show(a),
                show(b)
            ));
        }
    }

    let list = |v: &Value, k: &str| {
        v.get(k)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let (oc, tc) = (list(ours, "test_cases"), list(theirs, "test_cases"));
    if oc.len() != tc.len() {
        out.push(format!(
            "{path}: {} test cases in harness vs {} in kunit.py",
            oc.len(),
            tc.len()
        ));
    }
    for i in 0..oc.len().max(tc.len()) {
        match (oc.get(i), tc.get(i)) {
            (Some(a), Some(b)) if a != b => out.push(format!(
                "{path}: test case #{}: harness {} vs kunit.py {}",
                i + 1,
                case_text(a),
                case_text(b)
            )),
            (Some(a), None) => out.push(format!(
                "{path}: extra test case in harness: {}",
                case_text(a)
            )),
            (None, Some(b)) => out.push(format!(
                "{path}: test case missing in harness: {}",
                case_text(b)
            )),
            _ => {}
        }
    }

    let (og, tg) = (list(ours, "sub_groups"), list(theirs, "sub_groups"));
    if og.len() != tg.len() {
        out.push(format!(
            "{path}: {} sub-groups in harness vs {} in kunit.py",
            og.len(),
            tg.len()
        ));
    }
    for i in 0..og.len().max(tg.len()) {
        match (og.get(i), tg.get(i)) {
            (Some(a), Some(b)) => diff_group(&path, a, b, out),
            (Some(a), None) => out.push(format!("{path}: extra group in harness: {}", name_of(a))),
            (None, Some(b)) => {
                out.push(format!("{path}: group missing in harness: {}", name_of(b)))
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_start_is_the_first_bare_brace_line() {
        let s = "[10:00:00] ===\n[10:00:00] { not this\n{\n    \"a\": 1\n}\n";
        assert_eq!(&s[find_json_start(s).unwrap()..], "{\n    \"a\": 1\n}\n");
        assert_eq!(find_json_start("[10:00:00] no json\n"), None);
    }

    #[test]
    fn reports_status_name_and_shape_differences() {
        let theirs = json::parse(
            r#"{"name": "KUnit Test Group", "arch": "", "job": null,
                "sub_groups": [{"name": "s", "sub_groups": [], "test_cases": [
                    {"name": "a", "status": "PASS"}, {"name": "b", "status": "FAIL"}]}],
                "test_cases": []}"#,
        )
        .unwrap();
        let ours = json::parse(
            r#"{"name": "KUnit Test Group", "arch": "arm", "job": "x",
                "sub_groups": [{"name": "s", "sub_groups": [], "test_cases": [
                    {"name": "a", "status": "PASS"}, {"name": "b", "status": "ERROR"},
                    {"name": "c", "status": "PASS"}]}],
                "test_cases": []}"#,
        )
        .unwrap();
        assert!(diff(&theirs, &theirs).is_empty());
        let d = diff(&ours, &theirs);
        assert_eq!(
            d,
            vec![
                "KUnit Test Group: job: harness \"x\" vs kunit.py null",
                "KUnit Test Group/s: 3 test cases in harness vs 2 in kunit.py",
                "KUnit Test Group/s: test case #2: harness 'b' ERROR vs kunit.py 'b' FAIL",
                "KUnit Test Group/s: extra test case in harness: 'c' PASS",
            ]
        );
    }

    #[test]
    fn derives_misc_counts_for_newer_kunit_py() {
        let ours = json::parse(
            r#"{"name": "KUnit Test Group", "sub_groups": [
                {"name": "s", "sub_groups": [], "test_cases": [
                    {"name": "a", "status": "PASS"}, {"name": "b", "status": "SKIP"},
                    {"name": "c", "status": "FAIL"}]}],
                "test_cases": []}"#,
        )
        .unwrap();
        let counts = r#"{"tests": 3, "passed": 1, "failed": 1, "crashed": 0,
                         "skipped": 1, "errors": 0}"#;
        let theirs_text = format!(
            r#"{{"name": "KUnit Test Group", "sub_groups": [
                {{"name": "s", "sub_groups": [], "test_cases": [
                    {{"name": "a", "status": "PASS"}}, {{"name": "b", "status": "SKIP"}},
                    {{"name": "c", "status": "FAIL"}}], "misc": {counts}}}],
                "test_cases": [], "misc": {counts}}}"#
        );
        let theirs = json::parse(&theirs_text).unwrap();
        assert!(diff(&ours, &theirs).is_empty());
        // A parse error kunit.py counted must not be hidden.
        let broken = json::parse(&theirs_text.replace("\"errors\": 0", "\"errors\": 1")).unwrap();
        let d = diff(&ours, &broken);
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(
            d[0].starts_with("KUnit Test Group: misc: harness {"),
            "{d:?}"
        );
    }
}

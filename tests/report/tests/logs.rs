//! End-to-end checks of the analysis and the report writers on captured and
//! synthetic console logs (testdata/ here and in ../ktap/testdata/).

use report::analysis::{diagnostics, leaves, DiagStyle};
use report::json::{self, Value};
use report::kunit_json::kunit_json;
use report::{analyse, analyse_bytes, Analysis, Totals};
use std::path::PathBuf;

fn data(crate_dir: &str, name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(crate_dir)
        .join("testdata")
        .join(name)
}

fn load(name: &str) -> Analysis {
    analyse_bytes(&std::fs::read(data("report", name)).unwrap())
}

fn totals(passed: usize, failed: usize, skipped: usize) -> Totals {
    Totals {
        passed,
        failed,
        skipped,
    }
}

/// `name -> status` of the console_log cases.
fn console(a: &Analysis) -> Vec<(String, &'static str)> {
    a.console
        .subtests
        .iter()
        .map(|t| (t.name.clone(), report::kunit_json::status_name(t.status)))
        .collect()
}

fn section_totals(a: &Analysis, title: &str) -> Totals {
    a.sections()
        .into_iter()
        .find(|s| s.title == title)
        .unwrap_or_else(|| panic!("no section {title}"))
        .totals()
}

#[test]
fn good_run() {
    let a = load("good-run.log");
    assert_eq!(section_totals(&a, "Kernel KUnit"), totals(8, 0, 2));
    assert_eq!(section_totals(&a, "On-target tests"), totals(4, 0, 1));
    assert_eq!(section_totals(&a, "Console log checks"), totals(7, 0, 0));
    assert_eq!(a.totals(), totals(19, 0, 3));
    assert_eq!(a.totals().line(), "19 passed, 0 failed, 3 skipped");
    assert!(a.infra.is_empty(), "{:?}", a.infra);
    assert!(a.all_passed());
    // The kernel tree is nested: suite -> parameterised case -> params.
    let example = &a.kernel.subtests[0];
    assert_eq!(example.name, "example");
    assert_eq!(example.subtests[2].name, "example_params_test");
    assert_eq!(example.subtests[2].subtests.len(), 4);
    assert_eq!(
        example.subtests[1].skip_reason.as_deref(),
        Some("this test should be skipped")
    );
}

/// A real `make test` boot: Linux 6.12 on qemu-system-arm virt, the Rust
/// doctests as KUnit, then the on-target suites, then PSCI power-off.
#[test]
fn real_boot() {
    let a = load("real-boot-6.12.log");
    assert_eq!(section_totals(&a, "Kernel KUnit"), totals(115, 0, 0));
    assert_eq!(section_totals(&a, "On-target tests"), totals(8, 0, 0));
    assert_eq!(a.totals().line(), "130 passed, 0 failed");
    assert!(a.infra.is_empty(), "{:?}", a.infra);
    assert_eq!(a.kernel.subtests.len(), 1);
    assert_eq!(a.kernel.subtests[0].name, "rust_doctests_kernel");
    assert_eq!(a.kernel.subtests[0].expected_count, Some(115));
    let ktap::TargetResult::Ran { test, complete } = &a.target else {
        panic!("no target block")
    };
    assert!(complete);
    let names: Vec<&str> = test.subtests.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, vec!["image", "rtc"]);
    assert_eq!(test.subtests[0].subtests.len(), 6);
    assert!(console(&a).iter().all(|(_, s)| *s == "PASS"));
}

#[test]
fn crashed_run_counts_missing_results_as_failures() {
    let a = load("crashed-run.log");
    assert_eq!(section_totals(&a, "Kernel KUnit"), totals(3, 2, 0));
    assert_eq!(a.totals(), totals(14, 2, 1));
    assert!(!a.all_passed());
    assert!(a.infra.is_empty(), "{:?}", a.infra);
    let list = &a.kernel.subtests[0];
    let bad: Vec<String> = leaves(list, "list-kunit-test", 1)
        .into_iter()
        .filter(|l| l.verdict().is_bad())
        .map(|l| l.path)
        .collect();
    assert_eq!(
        bad,
        vec![
            "list-kunit-test.<missing result #3>",
            "list-kunit-test.<missing result #4>"
        ]
    );
}

#[test]
fn panicked_run() {
    let a = load("panicked-run.log");
    assert_eq!(section_totals(&a, "Kernel KUnit"), totals(2, 2, 0));
    assert_eq!(
        console(&a),
        vec![
            ("no_kernel_panic".to_string(), "FAIL"),
            ("no_oops".to_string(), "FAIL"),
            ("no_bug".to_string(), "PASS"),
            ("no_warn".to_string(), "PASS"),
            ("kunit_tests_ran".to_string(), "PASS"),
            ("target_tests_ran".to_string(), "FAIL"),
        ]
    );
    assert_eq!(a.totals(), totals(5, 5, 0));
    assert_eq!(a.infra.len(), 2, "{:?}", a.infra);
    assert!(a.infra[0].starts_with("kernel panic (console line 31): [    0.022661] Kernel panic - not syncing: Fatal exception"), "{}", a.infra[0]);
    assert!(a.infra[1].contains("never reached the userspace tests"));
    // The panic case quotes the offending line.
    assert!(a.console.subtests[0].log[0].contains("Kernel panic - not syncing: Fatal exception"));
    assert!(a.console.subtests[1].log[0].contains("Unable to handle kernel NULL pointer"));
    assert!(a.console.subtests[1].log[1].contains("Internal error: Oops: 5 [#1] SMP ARM"));
}

#[test]
fn truncated_userspace_run_is_a_crash() {
    let a = load("truncated-run.log");
    assert_eq!(section_totals(&a, "Kernel KUnit"), totals(8, 0, 2));
    assert_eq!(section_totals(&a, "On-target tests"), totals(1, 3, 0));
    let c = console(&a);
    assert_eq!(c[6], ("target_tests_completed".to_string(), "ERROR"));
    assert_eq!(a.totals(), totals(15, 4, 2));
    // A crash, not an infrastructure error.
    assert!(a.infra.is_empty(), "{:?}", a.infra);
    let truncated = &a.console.subtests[6].log[0];
    assert!(
        truncated.starts_with("truncated run: 'target-tests: begin' at console line"),
        "{truncated}"
    );
}

#[test]
fn interleaved_kernel_lines_in_the_userspace_block() {
    let a = load("interleaved-target.log");
    assert_eq!(section_totals(&a, "On-target tests"), totals(2, 2, 1));
    assert_eq!(a.totals(), totals(17, 2, 3));
    assert!(a.infra.is_empty());
    let ktap::TargetResult::Ran { test, complete } = &a.target else {
        panic!("target block not found")
    };
    assert!(complete);
    let enosys = &test.subtests[0].subtests[1];
    assert_eq!(enosys.name, "init_module_enosys");
    let d = diagnostics(enosys, DiagStyle::After);
    assert_eq!(
        d,
        vec![
            "# init_module returned 0, expected ENOSYS",
            "[    2.101462] rtc-pl031 9010000.pl031: alarm irq",
            "# second diagnostic line"
        ]
    );
    let rtc = &test.subtests[1].subtests[1];
    assert_eq!(
        diagnostics(rtc, DiagStyle::After),
        vec!["# RTC_RD_TIME failed: Invalid argument"]
    );
}

#[test]
fn no_ktap_and_no_userspace() {
    let a = analyse_bytes(&std::fs::read(data("ktap", "no-ktap.log")).unwrap());
    assert_eq!(a.kernel.status, ktap::Status::FailureToParse);
    let c = console(&a);
    assert_eq!(c[4], ("kunit_tests_ran".to_string(), "FAIL"));
    assert_eq!(c[5], ("target_tests_ran".to_string(), "FAIL"));
    assert_eq!(a.totals(), totals(4, 2, 0));
}

#[test]
fn empty_log() {
    let a = analyse(&[]);
    assert_eq!(a.totals(), totals(4, 2, 0));
    assert_eq!(a.infra.len(), 1);
}

/// Our kunit JSON must equal, byte for byte, what kunit.py 6.12 printed
/// for the same log (the `.kunit.json` files were produced with
/// `kunit.py parse --json`).
#[test]
fn kunit_json_matches_recorded_kunit_py_output() {
    let cases = [
        ("ktap", "nested-skip-param"),
        ("ktap", "missing-results"),
        ("ktap", "truncated"),
        ("ktap", "no-ktap"),
        ("report", "good-run"),
        ("report", "crashed-run"),
        ("report", "panicked-run"),
        ("report", "truncated-run"),
        ("report", "interleaved-target"),
        ("report", "real-boot-6.12"),
    ];
    for (dir, name) in cases {
        let log = std::fs::read(data(dir, &format!("{name}.log"))).unwrap();
        let expected = std::fs::read_to_string(data(dir, &format!("{name}.kunit.json"))).unwrap();
        let lines = ktap::pytext::log_lines(&log);
        let ours = kunit_json(&ktap::parse_kunit(&lines)).to_pretty() + "\n";
        assert_eq!(ours, expected, "{dir}/{name}");
        // The analysis' kernel part is the same for these logs.
        let a = analyse(&lines);
        assert_eq!(kunit_json(&a.kernel).to_pretty() + "\n", expected, "{name}");
    }
}

#[test]
fn results_json_adds_target_and_console_groups() {
    let a = load("interleaved-target.log");
    let v = json::parse(&a.results_json().to_pretty()).unwrap();
    assert_eq!(
        v.get("name").and_then(Value::as_str),
        Some("KUnit Test Group")
    );
    let groups = v.get("sub_groups").unwrap().as_array().unwrap();
    let names: Vec<&str> = groups
        .iter()
        .map(|g| g.get("name").unwrap().as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec![
            "example",
            "rtc_lib_test_cases",
            "time_test_cases",
            "target",
            "console_log"
        ]
    );
    let target = &groups[3];
    let image = &target.get("sub_groups").unwrap().as_array().unwrap()[0];
    let cases: Vec<(&str, &str)> = image
        .get("test_cases")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c.get("name").unwrap().as_str().unwrap(),
                c.get("status").unwrap().as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        cases,
        vec![
            ("proc_modules_absent", "PASS"),
            ("init_module_enosys", "FAIL"),
            ("something", "SKIP")
        ]
    );
    for key in [
        "arch",
        "defconfig",
        "build_environment",
        "lab_name",
        "kernel",
        "job",
        "git_branch",
    ] {
        assert!(target.get(key).is_some(), "{key}");
    }
}

#[test]
fn junit_xml_structure() {
    let a = load("interleaved-target.log");
    let x = report::junit::junit_xml(&a);
    assert!(x.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"harness\" tests=\"22\" failures=\"2\" errors=\"0\" skipped=\"3\">"), "{x}");
    assert!(x.contains("<testsuite name=\"kunit.example.example_params_test\" tests=\"4\" failures=\"0\" errors=\"0\" skipped=\"1\">"));
    assert!(x.contains("<testcase classname=\"target.image\" name=\"init_module_enosys\">\n      <failure message=\"not ok\"># init_module returned 0, expected ENOSYS\n"));
    assert!(x.contains("<testcase classname=\"target.image\" name=\"something\">\n      <skipped message=\"reason\"/>"));
    assert!(x.contains("<testsuite name=\"console_log\" tests=\"7\""));
    assert_eq!(x.matches("<testcase ").count(), 22);
    assert_eq!(
        x.matches("<testsuite ").count(),
        x.matches("</testsuite>").count()
    );

    let crashed = report::junit::junit_xml(&load("crashed-run.log"));
    assert!(crashed.contains("<testsuite name=\"kunit.list-kunit-test\" tests=\"4\" failures=\"0\" errors=\"2\" skipped=\"0\">"));
    assert!(crashed.contains("name=\"&lt;missing result #3&gt;\">\n      <error message=\"crashed: result #3 was never printed\">"));
}

#[test]
fn summary_lists_failures_with_diagnostics() {
    let a = load("interleaved-target.log");
    let s = report::summary::render(&a);
    assert!(
        s.contains("On-target tests: 2 passed, 2 failed, 1 skipped (2 suites)"),
        "{s}"
    );
    assert!(
        s.contains("  FAIL  image  (1 passed, 1 failed, 1 skipped)"),
        "{s}"
    );
    assert!(s.contains("        FAILED: image.init_module_enosys\n            # init_module returned 0, expected ENOSYS\n            [    2.101462] rtc-pl031 9010000.pl031: alarm irq\n            # second diagnostic line\n"), "{s}");
    assert!(s.contains("  PASS  time_test_cases  (1 passed, 0 failed)"));

    let p = report::summary::render(&load("panicked-run.log"));
    assert!(
        p.contains("CRASHED (result never printed): rtc_lib_test_cases.<missing result #2>"),
        "{p}"
    );
    assert!(p.contains("FAILED: console_log.no_kernel_panic\n            console line 31: [    0.022661] Kernel panic - not syncing: Fatal exception"), "{p}");
}

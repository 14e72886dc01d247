//! The `harness` binary end to end, with fake launchers instead of QEMU.
//! Nothing here needs a kernel; the kunit.py comparison runs only when a
//! kernel tree is available (KUNIT_PY or the default path).

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const HARNESS: &str = env!("CARGO_BIN_EXE_harness");
const DEFAULT_KUNIT_PY: &str = "/work/kernel/linux-source-6.12/tools/testing/kunit/kunit.py";

fn testdata(crate_dir: &str, name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(crate_dir)
        .join("testdata")
        .join(name)
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("harness-cli")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn launcher(dir: &Path, body: &str) -> PathBuf {
    let path = dir.join("start-qemu.sh");
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

fn harness(args: &[&str]) -> Output {
    Command::new(HARNESS).args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn last_line(o: &Output) -> String {
    stdout(o).lines().last().unwrap_or("").to_string()
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// kunit.py to compare against, if there is one.
fn kunit_py() -> Option<PathBuf> {
    let path = std::env::var_os("KUNIT_PY")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_KUNIT_PY));
    if path.is_file() {
        Some(path)
    } else {
        println!(
            "note: skipping the kunit.py comparison: {} not found (set KUNIT_PY)",
            path.display()
        );
        None
    }
}

#[test]
fn parse_good_run() {
    let out = scratch("parse-good");
    let o = harness(&[
        "parse",
        p(&testdata("report", "good-run.log")),
        "--out",
        p(&out),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(last_line(&o), "19 passed, 0 failed, 3 skipped");
    assert!(stdout(&o).contains("  PASS  example  (5 passed, 0 failed, 2 skipped)"));
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    let junit = std::fs::read_to_string(out.join("junit.xml")).unwrap();
    assert!(junit.contains("tests=\"22\" failures=\"0\" errors=\"0\" skipped=\"3\""));
    let results = std::fs::read_to_string(out.join("results.json")).unwrap();
    let v = report::json::parse(&results).unwrap();
    assert_eq!(v.get("name").unwrap().as_str(), Some("KUnit Test Group"));
}

#[test]
fn parse_real_boot() {
    let out = scratch("parse-real");
    let o = harness(&[
        "parse",
        p(&testdata("report", "real-boot-6.12.log")),
        "--out",
        p(&out),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(last_line(&o), "130 passed, 0 failed");
}

#[test]
fn parse_failures_exit_1() {
    let out = scratch("parse-fail");
    let o = harness(&[
        "parse",
        p(&testdata("report", "interleaved-target.log")),
        "--out",
        p(&out),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(last_line(&o), "17 passed, 2 failed, 3 skipped");
    assert!(stdout(&o).contains(
        "FAILED: rtc.rtc_read_time\n            # RTC_RD_TIME failed: Invalid argument\n"
    ));

    let o = harness(&[
        "parse",
        p(&testdata("report", "crashed-run.log")),
        "--out",
        p(&out),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(last_line(&o), "14 passed, 2 failed, 1 skipped");

    let o = harness(&[
        "parse",
        p(&testdata("report", "truncated-run.log")),
        "--out",
        p(&out),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(last_line(&o), "15 passed, 4 failed, 2 skipped");
    assert!(stdout(&o).contains("CRASHED: console_log.target_tests_completed"));
}

#[test]
fn parse_panicked_run_is_an_infrastructure_error() {
    let out = scratch("parse-panic");
    let o = harness(&[
        "parse",
        p(&testdata("report", "panicked-run.log")),
        "--out",
        p(&out),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(last_line(&o), "5 passed, 5 failed");
    let err = stderr(&o);
    assert!(err.contains("harness: error: kernel panic (console line 31): [    0.022661] Kernel panic - not syncing: Fatal exception"), "{err}");
    assert!(
        err.contains("harness: error: guest never reached the userspace tests"),
        "{err}"
    );
    // Reports are written anyway.
    assert!(out.join("junit.xml").is_file() && out.join("results.json").is_file());
}

#[test]
fn kunit_json_prints_exactly_what_kunit_py_printed() {
    for (dir, name) in [("ktap", "nested-skip-param"), ("report", "good-run")] {
        let o = harness(&["kunit-json", p(&testdata(dir, &format!("{name}.log")))]);
        assert_eq!(o.status.code(), Some(0));
        let expected =
            std::fs::read_to_string(testdata(dir, &format!("{name}.kunit.json"))).unwrap();
        assert_eq!(stdout(&o), expected, "{name}");
    }
}

#[test]
fn usage_errors() {
    let o = harness(&["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown command 'frobnicate'"));
    let o = harness(&["run", "--out", "x"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing required option --launcher"));
    let o = harness(&["parse", "/nonexistent/console.log", "--out", "/tmp"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot read log /nonexistent/console.log"));
    let o = harness(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("harness compare-kunit-py --kunit-py"));
}

/// What the hand-written parser's unit tests checked, now of the clap
/// command line: `--opt=value`, and every bad argument named in one line.
#[test]
fn usage_errors_name_the_problem() {
    let log = testdata("report", "good-run.log");
    let out = scratch("usage-inline-value");
    let o = harness(&["parse", p(&log), &format!("--out={}", p(&out))]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out.join("results.json").is_file());

    let cases: [(&[&str], &str); 9] = [
        (&[], "harness: no command given"),
        (
            &["parse", "x", "--bogus"],
            "harness: unknown option --bogus",
        ),
        (
            &["parse", "x", "--out"],
            "a value is required for '--out <DIR>'",
        ),
        (
            &["parse", "--out", "d"],
            "harness: missing required argument <LOG>",
        ),
        (
            &["parse", "x", "y", "--out", "d"],
            "harness: unexpected argument 'y'",
        ),
        (
            &["parse", "x", "--out", "a", "--out", "b"],
            "'--out <DIR>' cannot be used multiple times",
        ),
        (
            &["parse", "x", "--out", "d", "--", "y"],
            "harness: unexpected argument 'y'",
        ),
        (
            &["run", "--launcher", "l", "--out", "o", "--verbose=1"],
            "unexpected value '1' for '--verbose'",
        ),
        (
            &["run", "--launcher", "l", "--out", "o", "--timeout", "0"],
            "'--timeout <SECS>': needs a positive number of seconds",
        ),
    ];
    for (args, message) in cases {
        let o = harness(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stdout(&o).is_empty(), "{args:?}: {}", stdout(&o));
        let first = stderr(&o).lines().next().unwrap_or("").to_string();
        assert!(first.starts_with("harness: "), "{args:?}: {}", stderr(&o));
        assert!(first.contains(message), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn run_good_boot() {
    let dir = scratch("run-good");
    let log = testdata("report", "good-run.log");
    let l = launcher(
        &dir,
        &format!("echo \"launcher args: $*\" >&2\ncat '{}'", p(&log)),
    );
    let out = dir.join("out");
    let o = harness(&[
        "run",
        "--launcher",
        p(&l),
        "--out",
        p(&out),
        "--timeout",
        "60",
        "--",
        "--mode",
        "test",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(last_line(&o), "19 passed, 0 failed, 3 skipped");
    let console = std::fs::read_to_string(out.join("console.log")).unwrap();
    assert!(console.contains("launcher args: --mode test\n"));
    // CR LF from the serial console becomes LF.
    assert!(console.contains("[    0.000731] Booting Linux on physical CPU 0x0\n"));
    assert!(!console.contains('\r'));
    assert!(out.join("junit.xml").is_file() && out.join("results.json").is_file());
}

#[test]
fn run_verbose_echoes_the_console() {
    let dir = scratch("run-verbose");
    let l = launcher(&dir, "echo 'hello from the guest'");
    let o = harness(&["run", "--launcher", p(&l), "--out", p(&dir), "--verbose"]);
    assert!(stderr(&o).contains("hello from the guest\n"));
    // The guest never reached the tests: infrastructure error.
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("guest never reached the userspace tests"));
}

#[test]
fn run_launcher_not_found() {
    let dir = scratch("run-missing");
    let missing = dir.join("no-such-launcher.sh");
    let o = harness(&["run", "--launcher", p(&missing), "--out", p(&dir)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains(&format!(
        "harness: error: launcher not found: {}",
        p(&missing)
    )));
    assert!(last_line(&o).ends_with(" failed"), "{}", stdout(&o));
}

#[test]
fn run_no_output() {
    let dir = scratch("run-silent-exit");
    let l = launcher(&dir, "exit 0");
    let o = harness(&["run", "--launcher", p(&l), "--out", p(&dir)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("QEMU exited with no output"));
}

#[test]
fn run_hang_hits_the_hard_timeout() {
    let dir = scratch("run-hang");
    let l = launcher(&dir, "echo '[    0.100000] Booting Linux'\nexec sleep 120");
    let start = Instant::now();
    let o = harness(&[
        "run",
        "--launcher",
        p(&l),
        "--out",
        p(&dir),
        "--timeout",
        "2",
    ]);
    assert!(start.elapsed() < Duration::from_secs(30));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("harness: error: QEMU hang: no end marker after 2 s; last console line: [    0.100000] Booting Linux"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("console.log")).unwrap(),
        "[    0.100000] Booting Linux\n"
    );
    assert!(last_line(&o).contains(" passed, "));
    assert!(dir.join("junit.xml").is_file());
}

#[test]
fn run_panic_stops_early() {
    let dir = scratch("run-panic");
    let log = testdata("report", "panicked-run.log");
    let l = launcher(&dir, &format!("cat '{}'\nexec sleep 120", p(&log)));
    let start = Instant::now();
    let o = harness(&[
        "run",
        "--launcher",
        p(&l),
        "--out",
        p(&dir),
        "--timeout",
        "100",
    ]);
    let took = start.elapsed();
    assert!(took < Duration::from_secs(20), "{took:?}");
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("kernel panic (console line 31)"), "{err}");
    assert!(!err.contains("QEMU hang"), "{err}");
    assert_eq!(last_line(&o), "5 passed, 5 failed");
}

#[test]
fn compare_kunit_py_detects_differences() {
    if Command::new("python3").arg("-c").arg("").status().is_err() {
        println!("note: python3 not available, skipping");
        return;
    }
    // A stand-in kunit.py that prints a human part and then JSON that
    // differs from ours in one status.
    let dir = scratch("fake-kunit-py");
    let expected = std::fs::read_to_string(testdata("ktap", "nested-skip-param.kunit.json"))
        .unwrap()
        .replacen("\"PASS\"", "\"FAIL\"", 1);
    let fake = dir.join("kunit.py");
    std::fs::write(
        &fake,
        format!(
            "import sys\nprint('[10:00:00] Testing complete.')\nprint({:?}, end='')\n",
            expected
        ),
    )
    .unwrap();
    let o = harness(&[
        "compare-kunit-py",
        "--kunit-py",
        p(&fake),
        p(&testdata("ktap", "nested-skip-param.log")),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains(
        "KUnit Test Group/example/example_params_test: test case #1: harness 'example value 3' PASS vs kunit.py 'example value 3' FAIL"
    ), "{}", stdout(&o));

    let o = harness(&[
        "compare-kunit-py",
        "--kunit-py",
        p(&dir.join("missing.py")),
        p(&testdata("ktap", "nested-skip-param.log")),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("kunit.py not found"));
}

#[test]
fn compare_kunit_py_on_all_test_logs() {
    let Some(kunit_py) = kunit_py() else { return };
    let mut logs = Vec::new();
    for dir in ["ktap", "report"] {
        for e in std::fs::read_dir(testdata(dir, "")).unwrap() {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_string();
            // These two make kunit.py itself hang or crash (see ktap tests).
            if path.extension().is_some_and(|x| x == "log") && !name.starts_with("kunit-py-") {
                logs.push(path);
            }
        }
    }
    assert!(logs.len() >= 9);
    for log in logs {
        let o = harness(&["compare-kunit-py", "--kunit-py", p(&kunit_py), p(&log)]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}:\n{}{}",
            log.display(),
            stdout(&o),
            stderr(&o)
        );
    }
    // The same check as part of `parse`.
    let out = scratch("parse-with-kunit-py");
    let o = harness(&[
        "parse",
        p(&testdata("report", "good-run.log")),
        "--out",
        p(&out),
        "--kunit-py",
        p(&kunit_py),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// Has this process gone (or is it only a zombie)?
fn gone(pid: &str) -> bool {
    match std::fs::read_to_string(format!("/proc/{}/stat", pid.trim())) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit(')')
            .next()
            .is_some_and(|s| s.trim_start().starts_with('Z')),
    }
}

#[test]
fn qemu_dies_with_the_harness() {
    let dir = scratch("watchdog");
    let pids = dir.join("pids");
    let l = launcher(
        &dir,
        &format!(
            "sleep 300 &\necho $! $$ > {0}.tmp\nmv {0}.tmp {0}\necho booting\nexec sleep 301",
            p(&pids)
        ),
    );
    let mut child = Command::new(HARNESS)
        .args([
            "run",
            "--launcher",
            p(&l),
            "--out",
            p(&dir),
            "--timeout",
            "100",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !pids.exists() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "launcher did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let text = std::fs::read_to_string(&pids).unwrap();
    // Kill the harness the hard way: it gets no chance to clean up.
    child.kill().unwrap();
    child.wait().unwrap();
    for pid in text.split_whitespace() {
        let deadline = Instant::now() + Duration::from_secs(5);
        while !gone(pid) {
            assert!(
                Instant::now() < deadline,
                "launcher process {pid} survived the harness"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

//! Runner tests with fake launchers (small shell scripts) instead of QEMU.

use qemu_runner::{run, RunConfig, RunError, RunOutcome};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A fresh directory per test under cargo's scratch space.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("qemu-runner")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn script(dir: &Path, body: &str) -> PathBuf {
    let path = dir.join("launcher.sh");
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

fn config(dir: &Path, launcher: PathBuf) -> RunConfig {
    RunConfig {
        launcher,
        args: Vec::new(),
        console_log: dir.join("console.log"),
        timeout: Duration::from_secs(20),
        panic_grace: Duration::from_millis(500),
        poweroff_grace: Duration::from_millis(500),
        echo: false,
        is_end: |l| l.trim_end().ends_with("target-tests: end"),
        is_panic: |l| l.contains("Kernel panic - not syncing"),
    }
}

fn console(out: &RunOutcome) -> String {
    String::from_utf8_lossy(&out.console).into_owned()
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

fn wait_gone(pid: &str) -> bool {
    for _ in 0..100 {
        if gone(pid) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

#[test]
fn clean_run_streams_stdout_and_stderr() {
    let dir = scratch("clean");
    let l = script(
        &dir,
        "printf 'boot\\r\\n'\necho 'qemu: warning' >&2\necho \"args: $*\"\necho 'target-tests: end'\nprintf 'tail without newline'",
    );
    let mut cfg = config(&dir, l);
    cfg.args = vec!["--mode".into(), "test two".into()];
    let out = run(&cfg);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert!(out.saw_end_marker && !out.killed && !out.stopped_on_panic);
    let text = console(&out);
    // stdout and stderr are separate pipes: their relative order is not
    // defined, only the order within each.
    assert!(text.contains("qemu: warning\n"), "{text:?}");
    assert_eq!(
        text.replace("qemu: warning\n", ""),
        "boot\nargs: --mode test two\ntarget-tests: end\ntail without newline\n"
    );
    let file = std::fs::read(dir.join("console.log")).unwrap();
    assert_eq!(file, out.console);
    assert_eq!(out.exit_status.and_then(|s| s.code()), Some(0));
}

#[test]
fn hard_timeout_kills_the_process_group() {
    let dir = scratch("hang");
    let pidfile = dir.join("bg.pid");
    let l = script(
        &dir,
        &format!(
            "echo 'Booting Linux'\nsleep 60 &\necho $! > {}\necho 'last words'\nwait",
            pidfile.display()
        ),
    );
    let mut cfg = config(&dir, l);
    cfg.timeout = Duration::from_secs(1);
    let out = run(&cfg);
    assert!(out.elapsed < Duration::from_secs(10), "{:?}", out.elapsed);
    assert!(out.killed);
    assert_eq!(out.errors.len(), 1, "{:?}", out.errors);
    assert!(matches!(
        &out.errors[0],
        RunError::Hang {
            timeout_secs: 1,
            ..
        }
    ));
    assert_eq!(
        out.errors[0].to_string(),
        "QEMU hang: no end marker after 1 s; last console line: last words"
    );
    // The log was written while the launcher was still running.
    assert_eq!(
        std::fs::read_to_string(dir.join("console.log")).unwrap(),
        "Booting Linux\nlast words\n"
    );
    // The background child of the launcher died with it.
    let pid = std::fs::read_to_string(pidfile).unwrap();
    assert!(wait_gone(&pid), "process {pid} still running");
}

#[test]
fn silent_hang_names_no_last_line() {
    let dir = scratch("silent");
    let l = script(&dir, "exec sleep 60");
    let mut cfg = config(&dir, l);
    cfg.timeout = Duration::from_secs(1);
    let out = run(&cfg);
    assert!(out.elapsed < Duration::from_secs(10));
    assert_eq!(
        out.errors[0].to_string(),
        "QEMU hang: no end marker after 1 s; last console line: (none)"
    );
}

#[test]
fn panic_stops_early() {
    let dir = scratch("panic");
    let l = script(
        &dir,
        "echo '[    1.000000] Internal error: Oops: 5 [#1] SMP ARM'\necho '[    1.100000] Kernel panic - not syncing: Fatal exception'\nexec sleep 60",
    );
    let mut cfg = config(&dir, l);
    cfg.timeout = Duration::from_secs(30);
    let out = run(&cfg);
    assert!(out.elapsed < Duration::from_secs(10), "{:?}", out.elapsed);
    assert!(out.stopped_on_panic && out.killed);
    // The panic itself is reported by the log analysis, not as a runner error.
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert!(console(&out).contains("Kernel panic - not syncing: Fatal exception\n"));
}

#[test]
fn panic_then_qemu_exits_by_itself() {
    let dir = scratch("panic-exit");
    let l = script(
        &dir,
        "echo 'Kernel panic - not syncing: VFS: Unable to mount root fs'",
    );
    let out = run(&config(&dir, l));
    assert!(!out.killed && !out.stopped_on_panic);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
}

#[test]
fn end_marker_without_poweroff() {
    let dir = scratch("no-poweroff");
    let l = script(&dir, "echo 'target-tests: end'\nexec sleep 60");
    let out = run(&config(&dir, l));
    assert!(out.elapsed < Duration::from_secs(10), "{:?}", out.elapsed);
    assert!(out.saw_end_marker && out.killed, "{:?}", out.errors);
    assert!(
        matches!(out.errors[..], [RunError::NoPoweroff { .. }]),
        "{:?}",
        out.errors
    );
    assert!(out.errors[0].to_string().contains("did not power off"));
}

#[test]
fn no_output_at_all() {
    let dir = scratch("no-output");
    let l = script(&dir, "exit 0");
    let out = run(&config(&dir, l));
    assert_eq!(out.errors.len(), 1);
    assert_eq!(
        out.errors[0].to_string(),
        "QEMU exited with no output (launcher exit status 0)"
    );
}

#[test]
fn launcher_failure_quotes_its_message() {
    let dir = scratch("fails");
    let l = script(
        &dir,
        "echo 'start-qemu: error: no kernel image' >&2\nexit 2",
    );
    let out = run(&config(&dir, l));
    assert_eq!(
        out.errors[0].to_string(),
        "launcher failed (exit status 2); last console line: start-qemu: error: no kernel image"
    );
}

#[test]
fn launcher_not_found() {
    let dir = scratch("not-found");
    let out = run(&config(&dir, dir.join("nope.sh")));
    assert!(matches!(out.errors[..], [RunError::LauncherNotFound(_)]));
    assert!(out.errors[0]
        .to_string()
        .starts_with("launcher not found: "));
    assert!(out.errors[0].to_string().ends_with("nope.sh"));
}

#[test]
fn launcher_not_executable() {
    let dir = scratch("not-exec");
    let path = dir.join("plain.sh");
    std::fs::write(&path, "#!/bin/sh\necho hi\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = run(&config(&dir, path));
    assert!(matches!(
        out.errors[..],
        [RunError::LauncherNotExecutable(_)]
    ));
    let dir_out = run(&config(&dir, dir.clone()));
    assert!(matches!(
        dir_out.errors[..],
        [RunError::LauncherNotExecutable(_)]
    ));
}

#[test]
fn launcher_still_open_for_writing_is_retried() {
    // exec() of a file that a process holds open for writing fails with
    // ETXTBSY; the runner retries it while the writer lets go.
    let dir = scratch("busy");
    let l = script(&dir, "echo 'target-tests: end'\nexit 0");
    let writer = std::fs::OpenOptions::new().append(true).open(&l).unwrap();
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        drop(writer);
    });
    let out = run(&config(&dir, l));
    release.join().unwrap();
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert!(out.saw_end_marker);
}

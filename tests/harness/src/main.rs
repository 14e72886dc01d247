//! `harness`: boot the image in QEMU through a launcher script, parse the
//! kernel's KUnit KTAP and the on-target KTAP block from the console, scan
//! the log for kernel errors, and write junit.xml, results.json and a
//! summary. See `harness --help`.

mod cli;
mod compare;

use ktap::target::END_MARKER;
use report::json;
use report::kunit_json::kunit_json;
use report::{analyse_bytes, Analysis};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

const EXIT_OK: i32 = 0;
const EXIT_TEST_FAILURE: i32 = 1;
const EXIT_INFRA: i32 = 2;

const DEFAULT_TIMEOUT_SECS: u64 = 900;
/// After a panic line, QEMU normally exits at once (panic=-1 plus
/// -no-reboot); give it this long before killing it.
const PANIC_GRACE: Duration = Duration::from_secs(3);
/// After `target-tests: end`, the guest should power off by itself.
const POWEROFF_GRACE: Duration = Duration::from_secs(60);

fn main() {
    let argv: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let rest = argv.get(1..).unwrap_or(&[]);
    let code = match argv.first().map(String::as_str) {
        Some("run") => cmd_run(rest),
        Some("parse") => cmd_parse(rest),
        Some("kunit-json") => cmd_kunit_json(rest),
        Some("compare-kunit-py") => cmd_compare(rest),
        Some("-h" | "--help" | "help") => {
            println!("{}", cli::USAGE);
            EXIT_OK
        }
        Some(other) => usage_error(&format!("unknown command '{other}'")),
        None => usage_error("no command given"),
    };
    std::process::exit(code);
}

fn usage_error(msg: &str) -> i32 {
    eprintln!("harness: {msg}\n\n{}", cli::USAGE);
    EXIT_INFRA
}

fn read_log(path: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read log {path}: {e}"))
}

fn cmd_run(argv: &[String]) -> i32 {
    let args = match cli::parse(
        argv,
        &["--launcher", "--out", "--timeout", "--kunit-py"],
        &["--verbose"],
        0,
        true,
    ) {
        Ok(a) => a,
        Err(e) => return usage_error(&e),
    };
    let (launcher, out) = match (args.required("--launcher"), args.required("--out")) {
        (Ok(l), Ok(o)) => (PathBuf::from(l), PathBuf::from(o)),
        (Err(e), _) | (_, Err(e)) => return usage_error(&e),
    };
    let timeout = match args.value("--timeout").map(str::parse::<u64>) {
        None => DEFAULT_TIMEOUT_SECS,
        Some(Ok(t)) if t > 0 => t,
        Some(_) => return usage_error("--timeout needs a positive number of seconds"),
    };
    if let Err(e) = std::fs::create_dir_all(&out) {
        eprintln!("harness: error: cannot create {}: {e}", out.display());
        return EXIT_INFRA;
    }
    let console_log = out.join("console.log");
    eprintln!(
        "harness: booting with {} (timeout {timeout} s), console in {}",
        launcher.display(),
        console_log.display()
    );
    let cfg = qemu_runner::RunConfig {
        launcher,
        args: args.rest.clone(),
        console_log: console_log.clone(),
        timeout: Duration::from_secs(timeout),
        panic_grace: PANIC_GRACE,
        poweroff_grace: POWEROFF_GRACE,
        echo: args.flag("--verbose"),
        is_end: |l| ktap::target::is_marker(l, END_MARKER),
        is_panic: logscan::is_panic_line,
    };
    let outcome = qemu_runner::run(&cfg);
    eprintln!(
        "harness: QEMU finished after {:.1} s",
        outcome.elapsed.as_secs_f64()
    );
    let analysis = analyse_bytes(&outcome.console);
    let mut infra: Vec<String> = outcome.errors.iter().map(ToString::to_string).collect();
    infra.extend(analysis.infra.iter().cloned());
    let kunit_py = args.value("--kunit-py").map(Path::new);
    finish(&out, &analysis, infra, kunit_py, &console_log)
}

fn cmd_parse(argv: &[String]) -> i32 {
    let args = match cli::parse(argv, &["--out", "--kunit-py"], &[], 1, false) {
        Ok(a) => a,
        Err(e) => return usage_error(&e),
    };
    let out = match args.required("--out") {
        Ok(o) => PathBuf::from(o),
        Err(e) => return usage_error(&e),
    };
    let log = &args.positional[0];
    let bytes = match read_log(log) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("harness: error: {e}");
            return EXIT_INFRA;
        }
    };
    if let Err(e) = std::fs::create_dir_all(&out) {
        eprintln!("harness: error: cannot create {}: {e}", out.display());
        return EXIT_INFRA;
    }
    let analysis = analyse_bytes(&bytes);
    let infra = analysis.infra.clone();
    let kunit_py = args.value("--kunit-py").map(Path::new);
    finish(&out, &analysis, infra, kunit_py, Path::new(log))
}

/// Write the reports, print the summary, infrastructure errors (stderr)
/// and the final count line, and pick the exit status.
fn finish(
    out: &Path,
    analysis: &Analysis,
    mut infra: Vec<String>,
    kunit_py: Option<&Path>,
    log: &Path,
) -> i32 {
    let files = [
        ("junit.xml", report::junit::junit_xml(analysis)),
        ("results.json", analysis.results_json().to_pretty() + "\n"),
    ];
    for (name, text) in files {
        let path = out.join(name);
        if let Err(e) = std::fs::write(&path, text) {
            infra.push(format!("cannot write {}: {e}", path.display()));
        }
    }
    if let Some(kunit_py) = kunit_py {
        match compare_with_kunit_py(kunit_py, log) {
            Ok(diffs) if diffs.is_empty() => {
                println!("harness: kunit.py parse agrees on the kernel KUnit results");
            }
            Ok(diffs) => {
                for d in &diffs {
                    eprintln!("harness: kunit.py difference: {d}");
                }
                infra.push(format!(
                    "the harness and kunit.py disagree on the kernel KUnit results ({} differences, listed above)",
                    diffs.len()
                ));
            }
            Err(e) => infra.push(format!("kunit.py cross-check failed: {e}")),
        }
    }

    let totals = analysis.totals();
    let mut stdout = std::io::stdout().lock();
    let _ = write!(stdout, "{}", report::summary::render(analysis));
    let _ = writeln!(
        stdout,
        "Reports: {}, {}",
        out.join("junit.xml").display(),
        out.join("results.json").display()
    );
    let _ = stdout.flush();
    for e in &infra {
        eprintln!("harness: error: {e}");
    }
    let _ = writeln!(stdout, "{}", totals.line());
    let _ = stdout.flush();

    if !infra.is_empty() {
        EXIT_INFRA
    } else if totals.failed > 0 {
        EXIT_TEST_FAILURE
    } else {
        EXIT_OK
    }
}

/// Our JSON for the kernel part of the log (what `kunit-json` prints).
fn kernel_json(bytes: &[u8]) -> json::Value {
    let lines = ktap::pytext::log_lines(bytes);
    let layout = ktap::Layout::find(&lines);
    kunit_json(&ktap::parse_kunit(layout.kernel_part(&lines)))
}

fn compare_with_kunit_py(kunit_py: &Path, log: &Path) -> Result<Vec<String>, String> {
    let bytes = std::fs::read(log).map_err(|e| format!("cannot read {}: {e}", log.display()))?;
    let theirs = compare::run_kunit_py(kunit_py, log)?;
    // Go through our JSON text so the writer is checked as well.
    let ours = json::parse(&kernel_json(&bytes).to_pretty())?;
    Ok(compare::diff(&ours, &theirs))
}

fn cmd_kunit_json(argv: &[String]) -> i32 {
    let args = match cli::parse(argv, &[], &[], 1, false) {
        Ok(a) => a,
        Err(e) => return usage_error(&e),
    };
    match read_log(&args.positional[0]) {
        Ok(bytes) => {
            println!("{}", kernel_json(&bytes).to_pretty());
            EXIT_OK
        }
        Err(e) => {
            eprintln!("harness: error: {e}");
            EXIT_INFRA
        }
    }
}

fn count(v: &json::Value) -> (usize, usize) {
    let list = |k| v.get(k).and_then(json::Value::as_array).unwrap_or(&[]);
    let mut groups = 0;
    let mut cases = list("test_cases").len();
    for g in list("sub_groups") {
        let (gs, cs) = count(g);
        groups += 1 + gs;
        cases += cs;
    }
    (groups, cases)
}

fn cmd_compare(argv: &[String]) -> i32 {
    let args = match cli::parse(argv, &["--kunit-py"], &[], 1, false) {
        Ok(a) => a,
        Err(e) => return usage_error(&e),
    };
    let kunit_py = match args.required("--kunit-py") {
        Ok(k) => Path::new(k),
        Err(e) => return usage_error(&e),
    };
    let log = Path::new(&args.positional[0]);
    match compare_with_kunit_py(kunit_py, log) {
        Err(e) => {
            eprintln!("harness: error: {e}");
            EXIT_INFRA
        }
        Ok(diffs) if diffs.is_empty() => {
            let (groups, cases) = std::fs::read(log)
                .map(|b| count(&kernel_json(&b)))
                .unwrap_or_default();
            println!(
                "harness and kunit.py agree on {}: {groups} groups, {cases} test cases",
                log.display()
            );
            EXIT_OK
        }
        Ok(diffs) => {
            for d in &diffs {
                println!("{d}");
            }
            println!(
                "harness and kunit.py disagree on {}: {} differences",
                log.display(),
                diffs.len()
            );
            EXIT_TEST_FAILURE
        }
    }
}

//! `harness`: boot the image in QEMU through a launcher script, parse the
//! kernel's KUnit KTAP and the on-target KTAP block from the console, scan
//! the log for kernel errors, and write junit.xml, results.json and a
//! summary. See `harness --help`.

mod compare;
mod lava;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Args, CommandFactory, Parser, Subcommand};
use ktap::target::END_MARKER;
use report::json;
use report::kunit_json::{kunit_json, Group};
use report::{analyse_bytes, Analysis};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

const EXIT_OK: i32 = 0;
const EXIT_TEST_FAILURE: i32 = 1;
const EXIT_INFRA: i32 = 2;

/// After a panic line, QEMU normally exits at once (panic=-1 plus
/// -no-reboot); give it this long before killing it.
const PANIC_GRACE: Duration = Duration::from_secs(3);
/// After `target-tests: end`, the guest should power off by itself.
const POWEROFF_GRACE: Duration = Duration::from_secs(60);

/// Boot the image in QEMU, parse its KUnit and on-target KTAP, write reports.
#[derive(Parser)]
#[command(
    name = "harness",
    override_usage = "harness run --launcher PATH --out DIR [--timeout SECS] [--verbose]
                   [--kunit-py PATH] [-- LAUNCHER_ARGS...]
       harness parse LOG --out DIR [--kunit-py PATH]
       harness kunit-json LOG
       harness compare-kunit-py --kunit-py PATH/TO/kunit.py LOG
       harness compare-lava --lava-results FILE LOG",
    after_help = "With --kunit-py, run and parse also cross-check the kernel results against
kunit.py and treat a disagreement as an infrastructure error.

Exit status: 0 all tests passed, 1 test failures, 2 infrastructure or usage
errors."
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Boot with the launcher, stream the console to DIR/console.log, then
    /// write DIR/junit.xml and DIR/results.json and print a summary
    Run(RunArgs),
    /// The same parsing and reporting for an existing console log
    Parse {
        log: PathBuf,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Cross-check the kernel results with this kunit.py
        #[arg(long, value_name = "PATH")]
        kunit_py: Option<PathBuf>,
    },
    /// Print the kernel KUnit results as `kunit.py parse --json` would
    KunitJson { log: PathBuf },
    /// Run kunit.py on LOG and compare its JSON with ours
    CompareKunitPy {
        #[arg(long, value_name = "PATH")]
        kunit_py: PathBuf,
        log: PathBuf,
    },
    /// Compare LAVA's per-case results (scripts/lava.py results) with ours
    /// for the same console log
    CompareLava {
        #[arg(long, value_name = "FILE")]
        lava_results: PathBuf,
        log: PathBuf,
    },
}

#[derive(Args)]
struct RunArgs {
    /// The launch script (output/images/start-qemu.sh)
    #[arg(long, value_name = "PATH")]
    launcher: PathBuf,
    /// Where console.log, junit.xml and results.json go
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Hard limit for the boot, in seconds
    #[arg(long, value_name = "SECS", default_value_t = 900, value_parser = positive_secs)]
    timeout: u64,
    /// Echo the console to stderr while it runs
    #[arg(long)]
    verbose: bool,
    /// Cross-check the kernel results with this kunit.py
    #[arg(long, value_name = "PATH")]
    kunit_py: Option<PathBuf>,
    /// Passed to the launcher
    #[arg(last = true, value_name = "LAUNCHER_ARGS")]
    launcher_args: Vec<String>,
}

fn positive_secs(s: &str) -> Result<u64, String> {
    match s.parse::<u64>() {
        Ok(t) if t > 0 => Ok(t),
        _ => Err("needs a positive number of seconds".to_string()),
    }
}

fn main() {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            let _ = e.print();
            std::process::exit(EXIT_OK);
        }
        Err(e) => {
            eprintln!("{}", usage_error(&e));
            std::process::exit(EXIT_INFRA);
        }
    };
    let code = match cli.command {
        Cmd::Run(args) => cmd_run(args),
        Cmd::Parse { log, out, kunit_py } => cmd_parse(&log, &out, kunit_py.as_deref()),
        Cmd::KunitJson { log } => cmd_kunit_json(&log),
        Cmd::CompareKunitPy { kunit_py, log } => cmd_compare(&kunit_py, &log),
        Cmd::CompareLava { lava_results, log } => cmd_compare_lava(&lava_results, &log),
    };
    std::process::exit(code);
}

/// A bad command line: `harness: <what is wrong>`, then clap's usage of
/// the (sub)command, if it gave one, and its pointer to `--help`.
fn usage_error(e: &clap::Error) -> String {
    let rendered = e.render().to_string();
    let mut paragraphs = rendered.split("\n\n").map(str::trim_end);
    let clap_msg = paragraphs
        .next()
        .unwrap_or("")
        .trim_start_matches("error: ");
    let usage: Vec<&str> = paragraphs
        .filter(|p| p.starts_with("Usage:") || p.starts_with("For more information"))
        .collect();
    let context = |kind| e.get(kind).map(ToString::to_string).unwrap_or_default();
    let msg = match e.kind() {
        ErrorKind::InvalidSubcommand => {
            format!(
                "unknown command '{}'",
                context(ContextKind::InvalidSubcommand)
            )
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let usage = Cli::command().render_usage().to_string();
            return format!("harness: no command given\n\n{}", usage.trim_end());
        }
        ErrorKind::UnknownArgument => match context(ContextKind::InvalidArg) {
            arg if arg.starts_with('-') => format!("unknown option {arg}"),
            arg => format!("unexpected argument '{arg}'"),
        },
        ErrorKind::MissingRequiredArgument => match e.get(ContextKind::InvalidArg) {
            Some(ContextValue::Strings(missing)) => missing
                .iter()
                .map(|m| {
                    let what = if m.starts_with('-') {
                        "option"
                    } else {
                        "argument"
                    };
                    format!("missing required {what} {m}")
                })
                .collect::<Vec<_>>()
                .join("; "),
            _ => clap_msg.to_string(),
        },
        _ => clap_msg.to_string(),
    };
    let mut out = format!("harness: {msg}");
    for p in usage {
        out.push_str("\n\n");
        out.push_str(p);
    }
    out
}

fn read_log(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read log {}: {e}", path.display()))
}

fn cmd_run(args: RunArgs) -> i32 {
    let RunArgs {
        launcher,
        out,
        timeout,
        verbose,
        kunit_py,
        launcher_args,
    } = args;
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
        args: launcher_args,
        console_log: console_log.clone(),
        timeout: Duration::from_secs(timeout),
        panic_grace: PANIC_GRACE,
        poweroff_grace: POWEROFF_GRACE,
        echo: verbose,
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
    finish(&out, &analysis, infra, kunit_py.as_deref(), &console_log)
}

fn cmd_parse(log: &Path, out: &Path, kunit_py: Option<&Path>) -> i32 {
    let bytes = match read_log(log) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("harness: error: {e}");
            return EXIT_INFRA;
        }
    };
    if let Err(e) = std::fs::create_dir_all(out) {
        eprintln!("harness: error: cannot create {}: {e}", out.display());
        return EXIT_INFRA;
    }
    let analysis = analyse_bytes(&bytes);
    let infra = analysis.infra.clone();
    finish(out, &analysis, infra, kunit_py, log)
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
fn kernel_json(bytes: &[u8]) -> Group {
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

fn cmd_kunit_json(log: &Path) -> i32 {
    match read_log(log) {
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

/// Groups (below the top one) and test cases in a kunit JSON group.
fn count(g: &Group) -> (usize, usize) {
    let mut groups = 0;
    let mut cases = g.test_cases.len();
    for sub in &g.sub_groups {
        let (gs, cs) = count(sub);
        groups += 1 + gs;
        cases += cs;
    }
    (groups, cases)
}

fn cmd_compare(kunit_py: &Path, log: &Path) -> i32 {
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

fn cmd_compare_lava(lava_results: &Path, log: &Path) -> i32 {
    let theirs = std::fs::read_to_string(lava_results)
        .map_err(|e| format!("cannot read {}: {e}", lava_results.display()))
        .and_then(|text| lava::parse_results(&text));
    let (theirs, bytes) = match (theirs, read_log(log)) {
        (Ok(t), Ok(b)) => (t, b),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("harness: error: {e}");
            return EXIT_INFRA;
        }
    };
    let ours = lava::expected(&analyse_bytes(&bytes));
    let diffs = lava::diff(&theirs, &ours);
    for d in &diffs {
        println!("{d}");
    }
    if diffs.is_empty() {
        println!(
            "harness and LAVA agree on {}: {}; {}",
            log.display(),
            lava::counts(&ours, "kunit"),
            lava::counts(&ours, "target")
        );
        EXIT_OK
    } else {
        println!(
            "harness and LAVA disagree on {}: {} differences",
            log.display(),
            diffs.len()
        );
        EXIT_TEST_FAILURE
    }
}

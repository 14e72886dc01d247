//! Run a QEMU launcher (a shell script that ends in `exec qemu-system-...`)
//! and capture its console.
//!
//! * stdout and stderr are merged line by line; every line is written to
//!   the console log and flushed as soon as it is complete, so a hang
//!   leaves a useful log behind.
//! * The launcher runs in its own process group; on a timeout the whole
//!   group is killed with `kill -KILL -- -PGID`. A small watchdog shell in
//!   that group does the same if this process dies (e.g. Ctrl-C), so QEMU
//!   is never left running.
//! * Deadlines: a hard timeout from the start; after a panic line a short
//!   grace for QEMU to exit by itself; after the end marker a longer grace
//!   for the guest to power off.

use std::fmt;
use std::fs::File;
use std::io::{self, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

/// What to run and how long to wait.
#[derive(Clone, Debug)]
pub struct RunConfig {
    pub launcher: PathBuf,
    pub args: Vec<String>,
    /// Where the console is streamed to (created or truncated).
    pub console_log: PathBuf,
    /// Hard limit for the whole run.
    pub timeout: Duration,
    /// After a panic line: how long QEMU may take to exit by itself.
    pub panic_grace: Duration,
    /// After the end marker: how long the guest may take to power off.
    pub poweroff_grace: Duration,
    /// Echo every console line to stderr.
    pub echo: bool,
    /// Recognises the end marker line.
    pub is_end: fn(&str) -> bool,
    /// Recognises a kernel panic line.
    pub is_panic: fn(&str) -> bool,
}

/// Infrastructure problems. Each message names the problem.
#[derive(Debug)]
pub enum RunError {
    LauncherNotFound(PathBuf),
    LauncherNotExecutable(PathBuf),
    Spawn(PathBuf, io::Error),
    ConsoleLog(PathBuf, io::Error),
    /// The launcher exited without printing anything at all.
    NoOutput {
        status: String,
    },
    /// Hard timeout before the end marker.
    Hang {
        timeout_secs: u64,
        last_line: Option<String>,
    },
    /// The end marker came but QEMU did not exit in time.
    NoPoweroff {
        waited_secs: u64,
    },
    /// The launcher exited on its own with a failure status.
    LauncherFailed {
        status: String,
        last_line: Option<String>,
    },
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::LauncherNotFound(p) => write!(f, "launcher not found: {}", p.display()),
            RunError::LauncherNotExecutable(p) => {
                write!(f, "launcher is not an executable file: {}", p.display())
            }
            RunError::Spawn(p, e) => write!(f, "cannot start launcher {}: {e}", p.display()),
            RunError::ConsoleLog(p, e) => {
                write!(f, "cannot write console log {}: {e}", p.display())
            }
            RunError::NoOutput { status } => {
                write!(f, "QEMU exited with no output (launcher {status})")
            }
            RunError::Hang {
                timeout_secs,
                last_line,
            } => write!(
                f,
                "QEMU hang: no end marker after {timeout_secs} s; last console line: {}",
                last_line.as_deref().unwrap_or("(none)")
            ),
            RunError::NoPoweroff { waited_secs } => write!(
                f,
                "guest did not power off: QEMU still running {waited_secs} s after the end marker, killed it"
            ),
            RunError::LauncherFailed { status, last_line } => write!(
                f,
                "launcher failed ({status}); last console line: {}",
                last_line.as_deref().unwrap_or("(none)")
            ),
        }
    }
}

/// Everything a run produced.
#[derive(Debug, Default)]
pub struct RunOutcome {
    /// The bytes written to the console log.
    pub console: Vec<u8>,
    pub errors: Vec<RunError>,
    pub saw_end_marker: bool,
    /// A panic line was seen and QEMU had to be killed after the grace.
    pub stopped_on_panic: bool,
    /// We killed the process group.
    pub killed: bool,
    pub exit_status: Option<ExitStatus>,
    pub elapsed: Duration,
}

enum Msg {
    Data(usize, Vec<u8>),
    Eof(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Deadline {
    Hard,
    Panic,
    Poweroff,
}

fn check_launcher(path: &Path) -> Result<(), RunError> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(RunError::LauncherNotFound(path.to_path_buf()))
        }
        Err(e) => return Err(RunError::Spawn(path.to_path_buf(), e)),
    };
    if !meta.is_file() || meta.permissions().mode() & 0o111 == 0 {
        return Err(RunError::LauncherNotExecutable(path.to_path_buf()));
    }
    Ok(())
}

fn status_text(s: ExitStatus) -> String {
    match s.code() {
        Some(c) => format!("exit status {c}"),
        None => format!("terminated: {s}"),
    }
}

/// Send SIGKILL to the whole process group. `kill` is run as a program
/// (no libc needed); the shell's builtin is the fallback.
fn kill_group(pgid: u32) -> bool {
    let target = format!("-{pgid}");
    let quiet = |c: &mut Command| {
        c.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    quiet(Command::new("kill").args(["-KILL", "--", &target]))
        || quiet(
            Command::new("sh")
                .args(["-c", "kill -s KILL -- \"$1\"", "sh"])
                .arg(&target),
        )
}

/// Start the launcher in a process group of its own. exec() fails with
/// ETXTBSY while any process still holds the file open for writing: a
/// launcher written just before, while another thread of this process
/// forked, can be held so by that fork until it execs. That window is
/// short, so ETXTBSY is retried for up to 5 s before it is reported.
fn spawn_launcher(program: &Path, args: &[String]) -> io::Result<Child> {
    let mut tries = 0;
    loop {
        let res = Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn();
        match res {
            Err(e) if e.kind() == io::ErrorKind::ExecutableFileBusy && tries < 100 => {
                tries += 1;
                thread::sleep(Duration::from_millis(50));
            }
            other => return other,
        }
    }
}

/// A shell in the launcher's process group that kills the group when its
/// stdin closes, i.e. when we exit for whatever reason.
fn spawn_watchdog(pgid: u32) -> Option<(Child, ChildStdin)> {
    let mut child = Command::new("sh")
        // `kill -s KILL --` is the POSIX form; dash rejects `kill -KILL --`.
        .args(["-c", "read -r _; kill -s KILL -- \"-$1\" 2>/dev/null", "sh"])
        .arg(pgid.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(pgid as i32)
        .spawn()
        .ok()?;
    let stdin = child.stdin.take()?;
    Some((child, stdin))
}

fn reader(id: usize, mut src: impl Read + Send + 'static, tx: mpsc::Sender<Msg>) {
    thread::spawn(move || {
        let mut buf = [0u8; 8192];
        loop {
            match src.read(&mut buf) {
                Ok(0) | Err(_) => {
                    let _ = tx.send(Msg::Eof(id));
                    return;
                }
                Ok(n) => {
                    if tx.send(Msg::Data(id, buf[..n].to_vec())).is_err() {
                        return;
                    }
                }
            }
        }
    });
}

/// Console bookkeeping shared by the main loop and the final drain.
struct Console<'a> {
    cfg: &'a RunConfig,
    file: File,
    out: RunOutcome,
    partial: [Vec<u8>; 2],
    last_line: Option<String>,
    panic_at: Option<Instant>,
    end_at: Option<Instant>,
    write_error: Option<io::Error>,
}

impl Console<'_> {
    fn line(&mut self, mut bytes: Vec<u8>) {
        while bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
        bytes.push(b'\n');
        if self.write_error.is_none() {
            if let Err(e) = self.file.write_all(&bytes).and_then(|_| self.file.flush()) {
                self.write_error = Some(e);
            }
        }
        if self.cfg.echo {
            let _ = io::stderr().write_all(&bytes);
        }
        self.out.console.extend_from_slice(&bytes);
        let text = String::from_utf8_lossy(&bytes[..bytes.len() - 1]).into_owned();
        if self.end_at.is_none() && (self.cfg.is_end)(&text) {
            self.end_at = Some(Instant::now());
            self.out.saw_end_marker = true;
        }
        if self.panic_at.is_none() && (self.cfg.is_panic)(&text) {
            self.panic_at = Some(Instant::now());
        }
        if !text.trim().is_empty() {
            self.last_line = Some(text);
        }
    }

    fn data(&mut self, id: usize, bytes: &[u8]) {
        self.partial[id].extend_from_slice(bytes);
        while let Some(pos) = self.partial[id].iter().position(|&b| b == b'\n') {
            let rest = self.partial[id].split_off(pos + 1);
            let mut line = std::mem::replace(&mut self.partial[id], rest);
            line.pop();
            self.line(line);
        }
    }

    /// Write out an unterminated last line of a stream.
    fn flush_partial(&mut self, id: usize) {
        if !self.partial[id].is_empty() {
            let line = std::mem::take(&mut self.partial[id]);
            self.line(line);
        }
    }

    fn handle(&mut self, msg: Msg, eofs: &mut usize) {
        match msg {
            Msg::Data(id, bytes) => self.data(id, &bytes),
            Msg::Eof(id) => {
                self.flush_partial(id);
                *eofs += 1;
            }
        }
    }
}

/// Boot: run the launcher until it exits or a deadline passes.
pub fn run(cfg: &RunConfig) -> RunOutcome {
    let start = Instant::now();
    let mut failed = RunOutcome::default();
    if let Err(e) = check_launcher(&cfg.launcher) {
        failed.errors.push(e);
        return failed;
    }
    let file = match File::create(&cfg.console_log) {
        Ok(f) => f,
        Err(e) => {
            failed
                .errors
                .push(RunError::ConsoleLog(cfg.console_log.clone(), e));
            return failed;
        }
    };
    // A bare name would be looked up in $PATH; we mean the file here.
    let program = if cfg.launcher.components().count() == 1 && cfg.launcher.is_relative() {
        Path::new(".").join(&cfg.launcher)
    } else {
        cfg.launcher.clone()
    };
    let mut child = match spawn_launcher(&program, &cfg.args) {
        Ok(c) => c,
        Err(e) => {
            failed.errors.push(RunError::Spawn(cfg.launcher.clone(), e));
            return failed;
        }
    };
    let pgid = child.id();
    let watchdog = spawn_watchdog(pgid);

    let (tx, rx) = mpsc::channel();
    if let Some(out) = child.stdout.take() {
        reader(0, out, tx.clone());
    }
    if let Some(err) = child.stderr.take() {
        reader(1, err, tx.clone());
    }
    drop(tx);

    let mut con = Console {
        cfg,
        file,
        out: RunOutcome::default(),
        partial: [Vec::new(), Vec::new()],
        last_line: None,
        panic_at: None,
        end_at: None,
        write_error: None,
    };
    let mut eofs = 0usize;
    let mut exited: Option<ExitStatus> = None;
    let fired = main_loop(
        cfg,
        start,
        &mut con,
        &rx,
        &mut child,
        &mut eofs,
        &mut exited,
    );

    if fired.is_some() {
        con.out.killed = true;
        if !kill_group(pgid) {
            let _ = child.kill();
        }
        // Collect what was still in flight, but do not wait forever for
        // a pipe some escaped process may hold open.
        let drain_until = Instant::now() + Duration::from_secs(2);
        while eofs < 2 {
            let left = drain_until.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(msg) => con.handle(msg, &mut eofs),
                Err(_) => break,
            }
        }
        exited = wait_briefly(&mut child, Duration::from_secs(5)).or(exited);
    }
    con.flush_partial(0);
    con.flush_partial(1);

    if let Some((mut dog, stdin)) = watchdog {
        drop(stdin);
        let _ = dog.wait();
    }

    let mut out = std::mem::take(&mut con.out);
    out.exit_status = exited;
    if let Some(e) = con.write_error.take() {
        out.errors
            .push(RunError::ConsoleLog(cfg.console_log.clone(), e));
    }
    match fired {
        Some(Deadline::Hard) if out.saw_end_marker => out.errors.push(RunError::NoPoweroff {
            waited_secs: con
                .end_at
                .map_or(0, |t| Instant::now().duration_since(t).as_secs()),
        }),
        Some(Deadline::Hard) => out.errors.push(RunError::Hang {
            timeout_secs: cfg.timeout.as_secs(),
            last_line: con.last_line.clone(),
        }),
        Some(Deadline::Poweroff) => out.errors.push(RunError::NoPoweroff {
            waited_secs: cfg.poweroff_grace.as_secs(),
        }),
        Some(Deadline::Panic) => out.stopped_on_panic = true,
        None => {
            let status = exited.map_or("exit status unknown".to_string(), status_text);
            if out.console.is_empty() {
                out.errors.push(RunError::NoOutput { status });
            } else if !exited.is_some_and(|s| s.success()) {
                out.errors.push(RunError::LauncherFailed {
                    status,
                    last_line: con.last_line.clone(),
                });
            }
        }
    }
    out.elapsed = start.elapsed();
    out
}

fn wait_briefly(child: &mut Child, limit: Duration) -> Option<ExitStatus> {
    let until = Instant::now() + limit;
    loop {
        match child.try_wait() {
            Ok(Some(s)) => return Some(s),
            Ok(None) if Instant::now() < until => thread::sleep(Duration::from_millis(20)),
            _ => return None,
        }
    }
}

/// Read output until the launcher has exited and both pipes are closed
/// (returns None), or until a deadline passes (returns which one).
fn main_loop(
    cfg: &RunConfig,
    start: Instant,
    con: &mut Console,
    rx: &Receiver<Msg>,
    child: &mut Child,
    eofs: &mut usize,
    exited: &mut Option<ExitStatus>,
) -> Option<Deadline> {
    loop {
        if exited.is_none() {
            *exited = child.try_wait().ok().flatten();
        }
        if *eofs >= 2 && exited.is_some() {
            return None;
        }
        let mut deadline = (start + cfg.timeout, Deadline::Hard);
        if let Some(t) = con.panic_at {
            deadline = deadline.min((t + cfg.panic_grace, Deadline::Panic));
        }
        if let Some(t) = con.end_at {
            deadline = deadline.min((t + cfg.poweroff_grace, Deadline::Poweroff));
        }
        let now = Instant::now();
        if now >= deadline.0 {
            return Some(deadline.1);
        }
        // Poll the child now and then even while output keeps coming.
        let wait = (deadline.0 - now).min(Duration::from_millis(50));
        match rx.recv_timeout(wait) {
            Ok(msg) => con.handle(msg, eofs),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                *eofs = 2;
                if exited.is_none() {
                    thread::sleep(wait);
                }
            }
        }
    }
}

//! Command-line parsing (no external crates).

use std::collections::BTreeMap;

pub const USAGE: &str = "\
usage:
  harness run --launcher PATH --out DIR [--timeout SECS] [--verbose]
              [--kunit-py PATH] [-- LAUNCHER_ARGS...]
      Boot with the launcher, stream the console to DIR/console.log, then
      write DIR/junit.xml and DIR/results.json and print a summary.
      --timeout defaults to 900 seconds.
  harness parse LOG --out DIR [--kunit-py PATH]
      The same parsing and reporting for an existing console log.
  harness kunit-json LOG
      Print the kernel KUnit results as `kunit.py parse --json` would.
  harness compare-kunit-py --kunit-py PATH/TO/kunit.py LOG
      Run kunit.py on LOG and compare its JSON with ours.

  With --kunit-py, run and parse also cross-check the kernel results
  against kunit.py and treat a disagreement as an infrastructure error.

exit status: 0 all tests passed, 1 test failures, 2 infrastructure or
usage errors.";

/// Parsed arguments of one subcommand.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Args {
    pub positional: Vec<String>,
    pub values: BTreeMap<String, String>,
    pub flags: Vec<String>,
    /// Everything after `--`.
    pub rest: Vec<String>,
}

impl Args {
    pub fn value(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    pub fn flag(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f == name)
    }

    pub fn required(&self, name: &str) -> Result<&str, String> {
        self.value(name)
            .ok_or_else(|| format!("missing required option {name}"))
    }
}

/// Parse `argv` (without the subcommand) given the options that take a
/// value, the flags, and how many positional arguments are expected.
/// `--opt value` and `--opt=value` are both accepted; `--` ends options
/// only where `allow_rest` is set.
pub fn parse(
    argv: &[String],
    with_value: &[&str],
    flags: &[&str],
    positional: usize,
    allow_rest: bool,
) -> Result<Args, String> {
    let mut args = Args::default();
    let mut i = 0;
    while i < argv.len() {
        let a = &argv[i];
        i += 1;
        if a == "--" {
            if !allow_rest {
                return Err("unexpected '--'".to_string());
            }
            args.rest = argv[i..].to_vec();
            break;
        }
        if a.starts_with("--") {
            let (name, inline) = match a.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (a.as_str(), None),
            };
            if with_value.contains(&name) {
                let v = match inline {
                    Some(v) => v,
                    None => {
                        let v = argv
                            .get(i)
                            .ok_or_else(|| format!("option {name} needs a value"))?;
                        i += 1;
                        v.clone()
                    }
                };
                if args.values.insert(name.to_string(), v).is_some() {
                    return Err(format!("option {name} given twice"));
                }
            } else if flags.contains(&name) && inline.is_none() {
                args.flags.push(name.to_string());
            } else {
                return Err(format!("unknown option {a}"));
            }
        } else {
            args.positional.push(a.clone());
        }
    }
    if args.positional.len() != positional {
        return Err(format!(
            "expected {positional} argument(s), got {}",
            args.positional.len()
        ));
    }
    Ok(args)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn options_flags_and_rest() {
        let a = parse(
            &v(&[
                "--launcher",
                "x.sh",
                "--out=o",
                "--verbose",
                "--",
                "--mode",
                "test",
            ]),
            &["--launcher", "--out", "--timeout"],
            &["--verbose"],
            0,
            true,
        )
        .unwrap();
        assert_eq!(a.value("--launcher"), Some("x.sh"));
        assert_eq!(a.value("--out"), Some("o"));
        assert!(a.flag("--verbose"));
        assert_eq!(a.rest, v(&["--mode", "test"]));
        assert_eq!(a.value("--timeout"), None);
    }

    #[test]
    fn errors() {
        let p = |argv: &[&str]| parse(&v(argv), &["--out"], &["--verbose"], 1, false);
        assert!(p(&["log", "--bogus"])
            .unwrap_err()
            .contains("unknown option --bogus"));
        assert!(p(&["log", "--out"]).unwrap_err().contains("needs a value"));
        assert!(p(&[]).unwrap_err().contains("expected 1 argument"));
        assert!(p(&["log", "--", "x"]).unwrap_err().contains("'--'"));
        assert!(p(&["log", "--out", "a", "--out", "b"]).is_err());
        assert!(p(&["log", "--verbose=1"]).is_err());
        assert_eq!(p(&["log", "--out", "d"]).unwrap().positional, v(&["log"]));
    }
}

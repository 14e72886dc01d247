//! The on-target (userspace) test block.
//!
//! After the kernel's KUnit output, the guest prints
//!
//! ```text
//! target-tests: begin
//! KTAP version 1
//! 1..N
//!     KTAP version 1
//!     # Subtest: suite
//!     ...
//! ok 1 suite
//! target-tests: end
//! ```
//!
//! These lines carry no printk timestamp. Kernel messages (which do) may be
//! interleaved; they can never look like KTAP because they start with `[`,
//! so they simply become diagnostic lines. Failure details are printed as
//! `# ...` lines *after* the `not ok` line (see [`Test::trailing_log`]).

use crate::parser::{parse_ktap, Test};
use crate::pytext::rstrip;

pub const BEGIN_MARKER: &str = "target-tests: begin";
pub const END_MARKER: &str = "target-tests: end";

/// True if `line` is the given marker. Anything in front of the marker
/// (e.g. a half-printed kernel line it got glued to) is tolerated.
pub fn is_marker(line: &str, marker: &str) -> bool {
    rstrip(line).ends_with(marker)
}

/// Where the markers are in a console log (0-based line indexes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// First `target-tests: begin`.
    pub begin: Option<usize>,
    /// First `target-tests: end` after `begin`.
    pub end: Option<usize>,
}

impl Layout {
    pub fn find(lines: &[String]) -> Layout {
        let begin = lines.iter().position(|l| is_marker(l, BEGIN_MARKER));
        let end = begin.and_then(|b| {
            lines[b + 1..]
                .iter()
                .position(|l| is_marker(l, END_MARKER))
                .map(|i| b + 1 + i)
        });
        Layout { begin, end }
    }

    /// The kernel's part of the log: everything before the begin marker.
    pub fn kernel_part<'a>(&self, lines: &'a [String]) -> &'a [String] {
        &lines[..self.begin.unwrap_or(lines.len())]
    }
}

/// The userspace results, if the block started at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TargetResult {
    /// `target-tests: begin` never appeared.
    NotRun,
    Ran {
        test: Box<Test>,
        /// `target-tests: end` was seen. If not, the run was truncated.
        complete: bool,
    },
}

/// Parse the block between the markers. Without an end marker the block
/// runs to the end of the log; results its plans promised are then
/// missing and come out as CRASHED.
pub fn parse_target(lines: &[String], layout: Layout) -> TargetResult {
    let Some(begin) = layout.begin else {
        return TargetResult::NotRun;
    };
    let stop = layout.end.unwrap_or(lines.len());
    let block: Vec<(usize, String)> = lines[begin + 1..stop]
        .iter()
        .enumerate()
        .map(|(i, l)| (begin + 2 + i, l.clone()))
        .collect();
    let mut test = parse_ktap(&block);
    test.name = "target".to_string();
    TargetResult::Ran {
        test: Box::new(test),
        complete: layout.end.is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser::Status;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    #[test]
    fn markers_and_kernel_part() {
        let l = lines("a\n[ 1.0] b\ntarget-tests: begin\nx\ntarget-tests: end\nz");
        let lay = Layout::find(&l);
        assert_eq!(
            lay,
            Layout {
                begin: Some(2),
                end: Some(4)
            }
        );
        assert_eq!(lay.kernel_part(&l).len(), 2);
        let none = Layout::find(&lines("target-tests: end\n"));
        assert_eq!(
            none,
            Layout {
                begin: None,
                end: None
            }
        );
    }

    #[test]
    fn block_with_kernel_noise() {
        let l = lines(
            "target-tests: begin\n\
             KTAP version 1\n\
             1..1\n\
             [   12.345678] random: crng init done\n\
             \x20   KTAP version 1\n\
             \x20   # Subtest: image\n\
             \x20   1..2\n\
             \x20   not ok 1 a\n\
             [   12.400000] ok 7 fake_kernel_line\n\
             \x20   # a is broken\n\
             \x20   ok 2 b # SKIP no rtc\n\
             ok 1 image\n\
             target-tests: end\n",
        );
        let TargetResult::Ran { test, complete } = parse_target(&l, Layout::find(&l)) else {
            panic!("block not found");
        };
        assert!(complete);
        let image = &test.subtests[0];
        assert_eq!(image.name, "image");
        assert_eq!(image.subtests[0].status, Status::Failure);
        assert_eq!(
            image.subtests[0].trailing_log,
            vec!["[   12.400000] ok 7 fake_kernel_line", "    # a is broken"]
        );
        assert_eq!(image.subtests[1].status, Status::Skipped);
        assert_eq!(image.subtests[1].skip_reason.as_deref(), Some("no rtc"));
        assert_eq!(test.counts.failed, 1);
        assert_eq!(test.counts.skipped, 1);
        assert_eq!(image.subtests[0].line, Some(8));
    }
}

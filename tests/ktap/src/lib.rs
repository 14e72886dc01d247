//! KTAP parsing for the test harness. Everything in this crate is a pure
//! function of the console text: no files, no processes, no clocks.
//!
//! * [`pytext`]: read text the way kunit.py's Python does.
//! * [`parser`]: kunit_tool-compatible KTAP parser (kernel KUnit output).
//! * [`target`]: the framed on-target test block that follows it.

pub mod parser;
pub mod pytext;
pub mod target;

pub use parser::{extract_ktap_lines, parse_ktap, parse_kunit, Counts, Status, Test};
pub use target::{parse_target, Layout, TargetResult};

//! Reporting for the harness: combine the kernel KUnit results, the
//! on-target results and the console log scan ([`analysis`]), then write
//! them as kunit-style JSON ([`kunit_json`]), JUnit XML ([`junit`]) and a
//! human summary ([`summary`]). Pure functions; the caller does the I/O.

pub mod analysis;
pub mod json;
pub mod junit;
pub mod kunit_json;
pub mod summary;

pub use analysis::{analyse, analyse_bytes, Analysis, Totals, Verdict};

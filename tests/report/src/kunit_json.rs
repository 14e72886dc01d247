//! JSON in the shape `kunit.py parse --json` prints (kunit_json.py,
//! "KernelCI test API" style): nested groups with `sub_groups` and
//! `test_cases`, every group carrying the same metadata fields. The field
//! order of [`Group`] is kunit_json.py's key order.

use ktap::{Status, Test};
use serde::Serialize;

/// Name kunit_json gives the top-level group.
pub const TOP_GROUP: &str = "KUnit Test Group";

/// kunit_json's status mapping. Note that everything that is not a pass,
/// a skip or a crash is "FAIL", including a suite that ran no tests.
pub fn status_name(status: Status) -> &'static str {
    match status {
        Status::Success => "PASS",
        Status::Skipped => "SKIP",
        Status::Crashed => "ERROR",
        Status::Failure | Status::NoTests | Status::FailureToParse => "FAIL",
    }
}

/// One group. `kunit.py parse` knows nothing about the build, so
/// arch/defconfig/build_environment are empty and lab_name/kernel/job null.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Group {
    pub name: String,
    pub sub_groups: Vec<Group>,
    pub test_cases: Vec<TestCase>,
    pub arch: String,
    pub defconfig: String,
    pub build_environment: String,
    pub lab_name: Option<String>,
    pub kernel: Option<String>,
    pub job: Option<String>,
    pub git_branch: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TestCase {
    pub name: String,
    pub status: &'static str,
}

impl Group {
    /// The JSON text, as `json.dumps(group, indent=4)` prints it.
    pub fn to_pretty(&self) -> String {
        crate::json::to_pretty(self)
    }
}

/// A group for `test`: subtests that have subtests become sub_groups,
/// the others become test_cases.
pub fn group(test: &Test) -> Group {
    let mut sub_groups = Vec::new();
    let mut test_cases = Vec::new();
    for sub in &test.subtests {
        if sub.subtests.is_empty() {
            test_cases.push(TestCase {
                name: sub.name.clone(),
                status: status_name(sub.status),
            });
        } else {
            sub_groups.push(group(sub));
        }
    }
    Group {
        name: test.name.clone(),
        sub_groups,
        test_cases,
        arch: String::new(),
        defconfig: String::new(),
        build_environment: String::new(),
        lab_name: None,
        kernel: None,
        job: None,
        git_branch: "kselftest".to_string(),
    }
}

/// Exactly what `kunit.py parse --json` prints for the kernel's results.
pub fn kunit_json(kernel: &Test) -> Group {
    Group {
        name: TOP_GROUP.to_string(),
        ..group(kernel)
    }
}

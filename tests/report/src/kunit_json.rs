//! JSON in the shape `kunit.py parse --json` prints (kunit_json.py,
//! "KernelCI test API" style): nested groups with `sub_groups` and
//! `test_cases`, every group carrying the same metadata fields.

use crate::json::Value;
use ktap::{Status, Test};

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

/// The metadata fields added to every group. `kunit.py parse` knows
/// nothing about the build, so arch/defconfig/build_environment are empty.
fn common_fields() -> Vec<(String, Value)> {
    vec![
        ("arch".into(), Value::str("")),
        ("defconfig".into(), Value::str("")),
        ("build_environment".into(), Value::str("")),
        ("lab_name".into(), Value::Null),
        ("kernel".into(), Value::Null),
        ("job".into(), Value::Null),
        ("git_branch".into(), Value::str("kselftest")),
    ]
}

/// A group for `test`: subtests that have subtests become sub_groups,
/// the others become test_cases.
pub fn group(test: &Test) -> Value {
    group_with(test, Vec::new())
}

/// Like [`group`], with extra sub_groups appended after the real ones.
pub fn group_with(test: &Test, extra_groups: Vec<Value>) -> Value {
    let mut sub_groups = Vec::new();
    let mut test_cases = Vec::new();
    for sub in &test.subtests {
        if sub.subtests.is_empty() {
            test_cases.push(Value::Object(vec![
                ("name".into(), Value::str(&sub.name)),
                ("status".into(), Value::str(status_name(sub.status))),
            ]));
        } else {
            sub_groups.push(group(sub));
        }
    }
    sub_groups.extend(extra_groups);
    let mut members = vec![
        ("name".into(), Value::str(&test.name)),
        ("sub_groups".into(), Value::Array(sub_groups)),
        ("test_cases".into(), Value::Array(test_cases)),
    ];
    members.extend(common_fields());
    Value::Object(members)
}

/// Set the `name` member of a group object.
pub fn rename(group: &mut Value, name: &str) {
    if let Value::Object(members) = group {
        if let Some((_, v)) = members.iter_mut().find(|(k, _)| k == "name") {
            *v = Value::str(name);
        }
    }
}

/// Exactly what `kunit.py parse --json` prints for the kernel's results.
pub fn kunit_json(kernel: &Test) -> Value {
    let mut g = group(kernel);
    rename(&mut g, TOP_GROUP);
    g
}

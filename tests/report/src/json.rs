//! JSON through serde_json: [`to_pretty`] prints any serializable value as
//! Python's `json.dumps(obj, indent=4)` does (what kunit.py prints), and
//! [`parse`] reads JSON back into a [`Value`] that keeps its key order
//! (serde_json's `preserve_order`), as Python dicts do.

use serde::Serialize;
use serde_json::ser::{PrettyFormatter, Serializer};
pub use serde_json::Value;

/// `json.dumps(value, indent=4)` with Python's default `ensure_ascii=True`:
/// serde_json's pretty printer with a 4-space indent has Python's layout
/// and control-character escapes; every character outside printable ASCII
/// then becomes `\uXXXX` (lower-case hex, surrogate pairs above the BMP).
/// Outside strings the output is ASCII, so escaping the whole text only
/// touches string contents.
pub fn to_pretty<T: Serialize + ?Sized>(value: &T) -> String {
    let mut buf = Vec::new();
    let mut ser = Serializer::with_formatter(&mut buf, PrettyFormatter::with_indent(b"    "));
    value
        .serialize(&mut ser)
        .expect("serializing into memory cannot fail for string-keyed data");
    let text = String::from_utf8(buf).expect("serde_json writes UTF-8");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if (' '..='~').contains(&c) || c == '\n' {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// Parse a JSON document; the error names the line and column.
pub fn parse(text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| format!("JSON error: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pretty_output_matches_python_layout() {
        let v = json!({
            "name": "a",
            "list": [],
            "items": [{"n": null}],
            "ok": true,
        });
        // Equivalent to json.dumps({...}, indent=4) in Python.
        let expected = "{\n    \"name\": \"a\",\n    \"list\": [],\n    \"items\": [\n        {\n            \"n\": null\n        }\n    ],\n    \"ok\": true\n}";
        assert_eq!(to_pretty(&v), expected);
    }

    #[test]
    fn strings_are_escaped_like_python_ensure_ascii() {
        let s = to_pretty(&Value::from("q\"b\\n\n\t\x1b\x7fé😀"));
        assert_eq!(s, r#""q\"b\\n\n\t\u001b\u007f\u00e9\ud83d\ude00""#);
    }

    #[test]
    fn parse_round_trip() {
        let text = r#" {"a": [1, -2.5e3, "x\u00e9\ud83d\ude00\n"], "b": {"c": null, "d": false}, "e": []} "#;
        let v = parse(text).unwrap();
        assert_eq!(
            v.get("a").unwrap().as_array().unwrap()[2].as_str(),
            Some("xé😀\n")
        );
        assert_eq!(parse(&to_pretty(&v)).unwrap(), v);
        assert_eq!(v.get("b").unwrap().get("d"), Some(&Value::Bool(false)));
        // Keys keep the document's order, as Python dicts do.
        let v = parse(r#"{"z": 1, "a": {"y": 2, "b": 3}}"#).unwrap();
        assert_eq!(
            to_pretty(&v),
            "{\n    \"z\": 1,\n    \"a\": {\n        \"y\": 2,\n        \"b\": 3\n    }\n}"
        );
    }

    #[test]
    fn parse_errors() {
        assert!(parse("{\"a\": }").is_err());
        assert!(parse("[1, 2").is_err());
        assert!(parse("\"abc").is_err());
        assert!(parse("{} x").is_err());
        assert!(parse("").is_err());
    }
}

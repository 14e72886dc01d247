//! Text handling that behaves like the Python string operations kunit.py
//! relies on, so that our parser sees exactly the same lines it does.
//!
//! kunit.py opens the log with `errors='backslashreplace'` (invalid UTF-8
//! bytes become the four characters `\xNN`), reads it in universal-newline
//! mode, calls `str.splitlines()` and then `str.rstrip()` on every line.
//! Python's idea of whitespace and of line boundaries is wider than Rust's,
//! hence these helpers.

/// Decode bytes as UTF-8; every byte of an invalid sequence is replaced by
/// the text `\xNN` (lower-case hex), like Python's `backslashreplace`.
pub fn decode_backslashreplace(mut bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    loop {
        match std::str::from_utf8(bytes) {
            Ok(s) => {
                out.push_str(s);
                return out;
            }
            Err(e) => {
                let good = e.valid_up_to();
                // The prefix up to `good` was just validated.
                out.push_str(std::str::from_utf8(&bytes[..good]).unwrap_or_default());
                let bad = e.error_len().unwrap_or(bytes.len() - good);
                for b in &bytes[good..good + bad] {
                    out.push_str(&format!("\\x{b:02x}"));
                }
                bytes = &bytes[good + bad..];
            }
        }
    }
}

/// Characters Python's `str.splitlines()` treats as line boundaries
/// (`\r\n` counts as a single boundary).
fn is_line_boundary(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\x0b'
            | '\x0c'
            | '\x1c'
            | '\x1d'
            | '\x1e'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// Python's `str.splitlines()` (without `keepends`). Universal-newline
/// translation on read is subsumed by this: `\r\n` and `\r` both split.
pub fn splitlines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if is_line_boundary(c) {
            lines.push(&text[start..i]);
            let mut end = i + c.len_utf8();
            if c == '\r' {
                if let Some(&(j, '\n')) = iter.peek() {
                    iter.next();
                    end = j + 1;
                }
            }
            start = end;
        }
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    lines
}

/// Python's `str.isspace()` for one character: Unicode White_Space plus the
/// information separators U+001C..U+001F, which Python also counts.
pub fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// Python's `str.rstrip()` with no argument.
pub fn rstrip(s: &str) -> &str {
    s.trim_end_matches(is_py_space)
}

/// What regex `^\s*` consumes in Python: leading whitespace.
pub fn lstrip(s: &str) -> &str {
    s.trim_start_matches(is_py_space)
}

/// Number of characters (code points) before the first occurrence of
/// `needle`, i.e. `len(s.split(needle)[0])` in Python.
pub fn chars_before(s: &str, needle: &str) -> usize {
    match s.find(needle) {
        Some(i) => s[..i].chars().count(),
        None => s.chars().count(),
    }
}

/// Python's `s[n:]` for a character count `n`.
pub fn skip_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[i..],
        None => "",
    }
}

/// Read a log the way kunit.py does: decode, split, strip line ends.
pub fn log_lines(bytes: &[u8]) -> Vec<String> {
    let text = decode_backslashreplace(bytes);
    splitlines(&text)
        .into_iter()
        .map(|l| rstrip(l).to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_backslash_replaced() {
        assert_eq!(decode_backslashreplace(b"ok \xff\xfe x"), "ok \\xff\\xfe x");
        // A truncated multi-byte sequence at the very end.
        assert_eq!(decode_backslashreplace(b"a\xe2\x82"), "a\\xe2\\x82");
        assert_eq!(decode_backslashreplace("é€".as_bytes()), "é€");
    }

    #[test]
    fn splitlines_matches_python() {
        assert_eq!(splitlines("a\r\nb\rc\nd"), vec!["a", "b", "c", "d"]);
        assert_eq!(splitlines("a\n\nb\n"), vec!["a", "", "b"]);
        assert_eq!(splitlines("a\x0cb\u{2028}c"), vec!["a", "b", "c"]);
        assert_eq!(splitlines("\r\r\n"), vec!["", ""]);
        assert!(splitlines("").is_empty());
        // An escape character is not a line boundary.
        assert_eq!(splitlines("\x1b[0m x\n"), vec!["\x1b[0m x"]);
    }

    #[test]
    fn strip_uses_python_whitespace() {
        assert_eq!(rstrip("ok 1 a \t\x1f"), "ok 1 a");
        assert_eq!(lstrip("\u{a0}  # x"), "# x");
    }

    #[test]
    fn char_prefix_helpers() {
        assert_eq!(chars_before("[ 0.1] KTAP version 1", "KTAP version"), 7);
        assert_eq!(chars_before("é KTAP version 1", "KTAP version"), 2);
        assert_eq!(skip_chars("é abc", 2), "abc");
        assert_eq!(skip_chars("ab", 5), "");
    }

    #[test]
    fn log_lines_strips_carriage_returns() {
        assert_eq!(log_lines(b"one \r\ntwo\r\n"), vec!["one", "two"]);
    }
}

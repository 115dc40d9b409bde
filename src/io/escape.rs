//! Text quoted back to a terminal (error lines, warnings): control and bidirectional
//! characters escaped, so that a cell can neither drive the terminal (`\x1b]0;…\x07` sets
//! its title), hide text (`\r`, NUL) nor reorder the line it is printed on (U+202E).

use std::borrow::Cow;
use std::fmt::Write;

/// `text` with every control character (C0, DEL, C1; the line break too, for a text that is
/// one line) written as `\xNN` (or `\t`, `\r`, `\n`), and every bidirectional formatting
/// character as `\u{NNNN}`. Text without any is borrowed as it is.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if is_bidi(c) => {
                let _ = write!(out, "\\u{{{:04x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control() || is_bidi(c)
}

/// The characters that change the direction of the text around them (Unicode's
/// Bidi_Control), which can make a line read other than it is.
fn is_bidi(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::for_terminal;

    #[test]
    fn controls_and_bidi_characters_are_escaped() {
        assert_eq!(for_terminal("a\u{1b}]0;PWNED\u{7}b"), "a\\x1b]0;PWNED\\x07b");
        assert_eq!(for_terminal("nul\0here\r\n\ttab\u{7f}\u{9b}"), "nul\\x00here\\r\\n\\ttab\\x7f\\x9b");
        assert_eq!(for_terminal("abc\u{202E}fed\u{2066}"), "abc\\u{202e}fed\\u{2066}");
    }

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        for text in ["gdp.real.growth", "預測今年經濟成長率為5%", "Ünïcödé — “quoted”"] {
            assert!(matches!(for_terminal(text), std::borrow::Cow::Borrowed(t) if t == text));
        }
    }
}

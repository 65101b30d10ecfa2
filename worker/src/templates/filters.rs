//! The theme's own template filters: `date`, `slugify` and `truncate_words`.
//!
//! They are deliberately small. `date` is hand-written instead of pulling a date crate into
//! every worker: page dates are RFC 3339 strings written by people, and all a template needs
//! is to show them in a chosen format.

use minijinja::value::{Kwargs, StringInput};
use minijinja::{Error, ErrorKind, State, Value};
use std::fmt::Write as _;

/// The format `date` uses when none is given: `Mar 05, 2024`.
pub const DEFAULT_DATE_FORMAT: &str = "%b %d, %Y";

/// `{{ page.date | date }}`, `{{ page.date | date(format="%Y-%m-%d") }}`: formats an RFC 3339
/// date (`2024-03-05`) or date-time (`2024-03-05T10:20:30Z`) with strftime-like specifiers.
/// The date is shown as written, without time-zone conversion. `none` gives an empty string,
/// so optional dates need no guard; an undefined value is an error like any other.
pub fn date(
    state: &State,
    value: &Value,
    format: Option<String>,
    kwargs: Kwargs,
) -> Result<String, Error> {
    let keyword_format: Option<String> = kwargs.get("format")?;
    kwargs.assert_all_used()?;
    if value.is_none() {
        return Ok(String::new());
    }
    let input = StringInput::new(state, value)?;
    let format = match (format, keyword_format) {
        (Some(_), Some(_)) => {
            return Err(Error::new(
                ErrorKind::TooManyArguments,
                "date: give the format once, either positionally or as `format=`",
            ));
        }
        (Some(format), None) | (None, Some(format)) => format,
        (None, None) => DEFAULT_DATE_FORMAT.to_owned(),
    };
    let parsed = DateTime::parse(input.as_str()).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!(
                "date: `{}` is not an RFC 3339 date (expected `2024-03-05` or `2024-03-05T10:20:30Z`)",
                input.as_str()
            ),
        )
    })?;
    parsed.format(&format)
}

/// `{{ title | slugify }}`: the same slugs the coordinator uses for URLs.
pub fn slugify(value: StringInput<'_>) -> String {
    protocol::slug::slugify(value.as_str())
}

/// `{{ text | truncate_words(30) }}`: the first `n` words of `text`, with `…` when words were
/// cut. Whitespace runs between kept words become one space. The result is plain text (it is
/// escaped on output), because cutting HTML by words could leave tags open.
pub fn truncate_words(value: StringInput<'_>, n: usize) -> String {
    let mut words = value.as_str().split_whitespace();
    let mut out = String::new();
    for word in words.by_ref().take(n) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if words.next().is_some() {
        out.push('…');
    }
    out
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// A calendar date with an optional wall-clock time, as written in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DateTime {
    year: i32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

impl DateTime {
    /// Parses `YYYY-MM-DD`, optionally followed by `T` (or a space) and `HH:MM[:SS[.frac]]`
    /// with an optional `Z` or `±HH:MM` offset. Returns `None` for anything else, including
    /// out-of-range fields such as February 30.
    fn parse(text: &str) -> Option<DateTime> {
        let text = text.trim();
        let bytes = text.as_bytes();
        if bytes.len() < 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let year: i32 = digits(&text[0..4])?.try_into().ok()?;
        let month = digits(&text[5..7])?;
        let day = digits(&text[8..10])?;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        let mut parsed = DateTime {
            year,
            month,
            day,
            hour: 0,
            minute: 0,
            second: 0,
        };
        let rest = &text[10..];
        if rest.is_empty() {
            return Some(parsed);
        }
        let time = rest.strip_prefix(['T', 't', ' '])?;
        let time_bytes = time.as_bytes();
        if time_bytes.len() < 5 || time_bytes[2] != b':' {
            return None;
        }
        parsed.hour = digits(&time[0..2])?;
        parsed.minute = digits(&time[3..5])?;
        let mut tail = &time[5..];
        if let Some(after_colon) = tail.strip_prefix(':') {
            parsed.second = digits(after_colon.get(0..2)?)?;
            tail = &after_colon[2..];
            if let Some(fraction) = tail.strip_prefix('.') {
                let n_digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
                if n_digits == 0 {
                    return None;
                }
                tail = &fraction[n_digits..];
            }
        }
        if parsed.hour > 23 || parsed.minute > 59 || parsed.second > 60 {
            return None;
        }
        match tail {
            "" | "Z" | "z" => Some(parsed),
            offset => {
                let sign_stripped = offset.strip_prefix(['+', '-'])?;
                let offset_bytes = sign_stripped.as_bytes();
                if offset_bytes.len() != 5 || offset_bytes[2] != b':' {
                    return None;
                }
                let offset_hours = digits(&sign_stripped[0..2])?;
                let offset_minutes = digits(&sign_stripped[3..5])?;
                (offset_hours <= 23 && offset_minutes <= 59).then_some(parsed)
            }
        }
    }

    /// 0 = Sunday (Sakamoto's method, proleptic Gregorian calendar).
    fn weekday(&self) -> usize {
        const OFFSETS: [i32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
        let year = if self.month < 3 {
            self.year - 1
        } else {
            self.year
        };
        let sum = year + year / 4 - year / 100
            + year / 400
            + OFFSETS[self.month as usize - 1]
            + self.day as i32;
        sum.rem_euclid(7) as usize
    }

    fn day_of_year(&self) -> u32 {
        (1..self.month)
            .map(|month| days_in_month(self.year, month))
            .sum::<u32>()
            + self.day
    }

    /// Applies strftime-like specifiers; `%-d` style drops the zero padding.
    fn format(&self, format: &str) -> Result<String, Error> {
        let mut out = String::with_capacity(format.len() + 8);
        let mut chars = format.chars();
        while let Some(ch) = chars.next() {
            if ch != '%' {
                out.push(ch);
                continue;
            }
            let mut spec = chars.next();
            let unpadded = spec == Some('-');
            if unpadded {
                spec = chars.next();
            }
            let number = |value: u32, width: usize| {
                if unpadded {
                    value.to_string()
                } else {
                    format!("{value:0width$}")
                }
            };
            // Writing to a String cannot fail.
            let _ = match spec {
                Some('Y') => write!(out, "{}", self.year),
                Some('y') => write!(out, "{}", number(self.year.rem_euclid(100) as u32, 2)),
                Some('m') => write!(out, "{}", number(self.month, 2)),
                Some('d') => write!(out, "{}", number(self.day, 2)),
                Some('e') => write!(out, "{:>2}", self.day),
                Some('j') => write!(out, "{}", number(self.day_of_year(), 3)),
                Some('H') => write!(out, "{}", number(self.hour, 2)),
                Some('M') => write!(out, "{}", number(self.minute, 2)),
                Some('S') => write!(out, "{}", number(self.second, 2)),
                Some('B') => write!(out, "{}", MONTHS[self.month as usize - 1]),
                Some('b') => write!(out, "{}", &MONTHS[self.month as usize - 1][..3]),
                Some('A') => write!(out, "{}", WEEKDAYS[self.weekday()]),
                Some('a') => write!(out, "{}", &WEEKDAYS[self.weekday()][..3]),
                Some('F') => write!(out, "{:04}-{:02}-{:02}", self.year, self.month, self.day),
                Some('%') => write!(out, "%"),
                other => {
                    let shown = other.map_or_else(|| "%".to_owned(), |c| format!("%{c}"));
                    return Err(Error::new(
                        ErrorKind::InvalidOperation,
                        format!(
                            "date: unknown format specifier `{shown}` (supported: %Y %y %m %d %e %j %H %M %S %B %b %A %a %F %%, and %-d style to drop padding)"
                        ),
                    ));
                }
            };
        }
        Ok(out)
    }
}

/// Parses a fixed-width run of ASCII digits.
fn digits(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

#[cfg(test)]
mod tests {
    use crate::templates::Templates;
    use minijinja::context;

    /// Renders `template` (a one-off user page) with a small context and compares the output,
    /// or the error message when `expected` starts with `error:`.
    fn check(template: &str, expected: &str) {
        let templates = Templates::new(&[protocol::TemplateSource {
            name: "t.html".into(),
            path: "templates/t.html".into(),
            source: template.into(),
        }]);
        let ctx = context! {
            day => "2024-03-05",
            stamp => "2023-12-31T23:59:07+02:00",
            nothing => (),
            words => "one  two\nthree four five",
            title => "Getting Started with C++!",
        };
        let got = match templates.render("t.html", &ctx) {
            Ok(html) => html,
            Err(err) => format!("error: {}", err.message),
        };
        if let Some(message_part) = expected.strip_prefix("error: ") {
            assert!(
                got.starts_with("error: ") && got.contains(message_part),
                "{template:?}: got {got:?}"
            );
        } else {
            assert_eq!(got, expected, "{template:?}");
        }
    }

    #[test]
    fn date_formats_rfc3339_dates_and_datetimes() {
        check("{{ day | date }}", "Mar 05, 2024");
        check(
            "{{ day | date(format='%A %-d %B %Y') }}",
            "Tuesday 5 March 2024",
        );
        check("{{ day | date('%F') }}", "2024-03-05");
        check(
            "{{ stamp | date('%a %e %b %y, %H:%M:%S (day %j) 100%%') }}",
            "Sun 31 Dec 23, 23:59:07 (day 365) 100%",
        );
        check(
            "{{ '2024-02-29T08:00:00.123Z' | date('%d/%m %H:%M') }}",
            "29/02 08:00",
        );
        check("{{ '2000-01-01 12:00' | date('%A') }}", "Saturday");
        check("{{ nothing | date }}", "");
    }

    #[test]
    fn date_rejects_what_it_cannot_show() {
        check(
            "{{ '2023-02-29' | date }}",
            "error: `2023-02-29` is not an RFC 3339 date",
        );
        check(
            "{{ 'March 5' | date }}",
            "error: `March 5` is not an RFC 3339 date",
        );
        check(
            "{{ '2024-03-05T25:00:00Z' | date }}",
            "error: is not an RFC 3339 date",
        );
        check(
            "{{ '2024-03-05T10:00:00+0200' | date }}",
            "error: is not an RFC 3339 date",
        );
        check(
            "{{ day | date('%Q') }}",
            "error: unknown format specifier `%Q`",
        );
        check(
            "{{ day | date('%Y', format='%d') }}",
            "error: give the format once",
        );
        check("{{ day | date(fmt='%Y') }}", "error: ");
        check("{{ undefined_date | date }}", "error: undefined");
    }

    #[test]
    fn slugify_matches_the_coordinator() {
        check("{{ title | slugify }}", "getting-started-with-c");
        check("{{ 'Überblick' | slugify }}", "überblick");
        check("{{ nope | slugify }}", "error: undefined");
    }

    #[test]
    fn truncate_words_cuts_and_marks() {
        check("{{ words | truncate_words(3) }}", "one two three…");
        check("{{ words | truncate_words(5) }}", "one two three four five");
        check("{{ words | truncate_words(0) }}", "…");
        check(
            "{{ '<b>a</b> b c' | truncate_words(1) }}",
            "&lt;b&gt;a&lt;/b&gt;…",
        );
        check("{{ words | truncate_words }}", "error: missing argument");
    }
}

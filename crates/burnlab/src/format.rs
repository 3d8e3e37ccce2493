//! Deliberate number formatting. Nothing a person or a tool reads carries float noise such as
//! `0.014400000000000001`: machine-facing numbers go through [`decimal`], human-facing ones through
//! [`sig`], [`percent`] and [`human_duration`]. The rounding itself lives in [`crate::numeric`].

use crate::numeric::{round_sig, settle};

/// The shortest decimal that reads back as `x` settled ([`crate::numeric::settle`]): for YAML, PromQL
/// and JSON. `0.014400000000000001` → `0.0144`, `6.0` → `6`, `1e-5` → `0.00001`.
pub fn decimal(x: f64) -> String {
    if !x.is_finite() {
        return if x.is_nan() {
            "NaN".into()
        } else if x > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    let r = settle(x);
    if r == 0.0 {
        return "0".into();
    }
    // `Display` for f64 never uses exponent notation and prints the shortest round-trip digits.
    let s = format!("{r}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_owned)
}

/// `x` with at most `digits` significant digits, trailing zeros removed: `43.2`, `14.4`, `0.5`.
pub fn sig(x: f64, digits: u32) -> String {
    if !x.is_finite() {
        return if x.is_nan() {
            "not a number".into()
        } else if x > 0.0 {
            "∞".into()
        } else {
            "−∞".into()
        };
    }
    let r = round_sig(x, digits);
    if r != 0.0 && r.abs() < 0.0001 {
        return scientific(r);
    }
    decimal(r)
}

/// A tiny number as `5.03 × 10⁻⁹`: a reader cannot count the zeros of `0.00000000503`.
fn scientific(x: f64) -> String {
    let exponent = x.abs().log10().floor() as i32;
    let mantissa = settle(x / 10f64.powi(exponent));
    // The mantissa can round up to 10 (9.9999 → 10); carry it into the exponent.
    let (mantissa, exponent) = if mantissa.abs() >= 10.0 {
        (mantissa / 10.0, exponent + 1)
    } else {
        (mantissa, exponent)
    };
    const SUPERSCRIPT: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let power: String = exponent
        .unsigned_abs()
        .to_string()
        .chars()
        .filter_map(|c| c.to_digit(10).and_then(|d| SUPERSCRIPT.get(d as usize)))
        .collect();
    let sign = if exponent < 0 { "⁻" } else { "" };
    format!("{} × 10{sign}{power}", decimal(mantissa))
}

/// A ratio shown as a percentage with its nines intact: `0.9995` → `99.95 %`, `0.005` → `0.5 %`.
/// A percentage too small to read with its zeros is written as a power of ten, with the float
/// noise of the ratio's scaling rounded away: `1e-11` → `1 × 10⁻⁹ %`.
pub fn percent(ratio: f64) -> String {
    let p = ratio * 100.0;
    if p != 0.0 && p.abs() < 0.0001 {
        return format!("{} %", sig(p, 6));
    }
    format!("{} %", decimal(round_sig(p, 10)))
}

/// A ratio shown as a percentage with at most `digits` significant digits: `0.0213` → `2.13 %`.
pub fn percent_sig(ratio: f64, digits: u32) -> String {
    format!("{} %", sig(ratio * 100.0, digits))
}

/// A duration in seconds as people say it: `26.2 s`, `43.2 min`, `2 h 15 min`, `6 d`, `2 d 2 h`.
pub fn human_duration(seconds: f64) -> String {
    if !seconds.is_finite() {
        return if seconds > 0.0 {
            "forever".into()
        } else {
            "—".into()
        };
    }
    let s = seconds.max(0.0);
    if s < 60.0 {
        return format!("{} s", sig(s, 3));
    }
    if s < 3600.0 {
        return format!("{} min", sig(s / 60.0, 3));
    }
    if s < 86_400.0 {
        let total_min = (s / 60.0).round() as u64;
        let (h, m) = (total_min / 60, total_min % 60);
        return if m == 0 {
            format!("{h} h")
        } else {
            format!("{h} h {m} min")
        };
    }
    let total_h = (s / 3600.0).round() as u64;
    let (d, h) = (total_h / 24, total_h % 24);
    if h == 0 {
        format!("{d} d")
    } else {
        format!("{d} d {h} h")
    }
}

/// A count of things (requests, failures) with at most `digits` significant digits and thousands
/// separated, because nobody reads `2592000000` at a glance: `2,592,000,000`, `7.2`, `13,900`.
pub fn count(x: f64, digits: u32) -> String {
    let text = sig(x, digits);
    // Only plain decimals of 10,000 or more get separators; `∞`, `5 × 10⁻⁹` and small numbers
    // read fine as they are (four digits such as `2592` are left alone as English style does).
    if !x.is_finite() || x.abs() < 10_000.0 || text.contains('×') {
        return text;
    }
    let (sign, digits_text) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = match digits_text.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits_text, None),
    };
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match fraction {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A burn rate or factor as people read it: `5×`, `0.5×`, `14.4×`, `∞×`.
pub fn times(x: f64) -> String {
    // A multiple below a thousandth is nothing a person acts on, and `1 × 10⁻⁶×` reads as a
    // typo: say it is under the smallest multiple shown.
    if x > 0.0 && x < 0.001 {
        return "under 0.001×".into();
    }
    format!("{}×", sig(x, 4))
}

/// A request rate in the unit that gives a number people can picture: `1000/s`, `10/h`, `3/d`.
/// Below one a second it counts per hour, the unit low-traffic services are described in.
pub fn rate(per_second: f64) -> String {
    if !per_second.is_finite() {
        return sig(per_second, 3);
    }
    if per_second >= 1.0 || per_second == 0.0 {
        format!("{}/s", count(per_second, 4))
    } else if per_second * 3600.0 >= 1.0 {
        format!("{}/h", sig(per_second * 3600.0, 3))
    } else {
        format!("{}/d", sig(per_second * 86_400.0, 3))
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn tiny_percentages_and_multiples_read_without_noise_or_a_wall_of_zeros() {
        // An objective of 1e-9 % is the ratio 1e-11, whose scaling by 100 is not exact.
        assert_eq!(percent(1e-11), "1 × 10⁻⁹ %");
        assert_eq!(percent(0.999_999_9), "99.99999 %");
        assert_eq!(percent(0.000_001), "0.0001 %");
        assert_eq!(times(1e-6), "under 0.001×");
        assert_eq!(times(0.001), "0.001×");
        assert_eq!(times(14.4), "14.4×");
        assert_eq!(times(0.0), "0×");
    }
    use super::*;

    #[test]
    fn machine_numbers_carry_no_float_noise() {
        assert_eq!(decimal(14.4 * 0.001), "0.0144");
        assert_eq!(decimal(1.0 - 0.999), "0.001");
        assert_eq!(decimal(100.0 - 99.9), "0.1");
        assert_eq!(decimal(6.0), "6");
        assert_eq!(decimal(0.00001), "0.00001");
        assert_eq!(decimal(0.0), "0");
        assert_eq!(decimal(f64::INFINITY), "+Inf");
    }

    #[test]
    fn people_numbers_have_few_significant_digits() {
        assert_eq!(sig(43.2, 3), "43.2");
        assert_eq!(sig(30.0 / 14.4, 3), "2.08");
        assert_eq!(sig(5.000000001, 3), "5");
        assert_eq!(sig(f64::INFINITY, 3), "∞");
        assert_eq!(sig(0.000000005034, 3), "5.03 × 10⁻⁹");
        assert_eq!(sig(0.00012345, 3), "0.000123");
        assert_eq!(sig(0.0000099999, 2), "1 × 10⁻⁵");
        assert_eq!(sig(-0.00002, 2), "-2 × 10⁻⁵");
    }

    #[test]
    fn percentages_keep_their_nines() {
        assert_eq!(percent(0.9995), "99.95 %");
        assert_eq!(percent(0.99999), "99.999 %");
        assert_eq!(percent(0.005), "0.5 %");
        assert_eq!(percent_sig(0.021345, 3), "2.13 %");
    }

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(human_duration(2592.0), "43.2 min");
        assert_eq!(human_duration(25.92), "25.9 s");
        assert_eq!(human_duration(6.0 * 86_400.0), "6 d");
        assert_eq!(human_duration(2.0 * 3600.0 + 15.0 * 60.0), "2 h 15 min");
        assert_eq!(human_duration(30.0 / 14.4 * 86_400.0), "2 d 2 h");
        assert_eq!(human_duration(f64::INFINITY), "forever");
    }

    #[test]
    fn large_counts_are_grouped_by_thousands() {
        assert_eq!(count(2_592_000_000.0, 4), "2,592,000,000");
        assert_eq!(count(2_592_000.0, 4), "2,592,000");
        assert_eq!(count(13_888.9, 3), "13,900");
        assert_eq!(count(12_345.678, 7), "12,345.68");
        assert_eq!(count(-25_920.0, 4), "-25,920");
        assert_eq!(count(2592.0, 4), "2592");
        assert_eq!(count(7.2, 4), "7.2");
        assert_eq!(count(f64::INFINITY, 4), "∞");
    }

    #[test]
    fn rates_and_factors_pick_a_readable_unit() {
        assert_eq!(times(14.4), "14.4×");
        assert_eq!(times(13.440000000000001), "13.44×");
        assert_eq!(times(f64::INFINITY), "∞×");
        assert_eq!(rate(1000.0), "1000/s");
        assert_eq!(rate(10.0 / 3600.0), "10/h");
        assert_eq!(rate(0.5), "1800/h");
        assert_eq!(rate(1.0 / 86_400.0), "1/d");
    }
}

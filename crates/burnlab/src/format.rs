//! Deliberate number formatting. Nothing a person or a tool reads carries float noise such as
//! `0.014400000000000001`: machine-facing numbers go through [`decimal`], human-facing ones through
//! [`sig`], [`percent`] and [`human_duration`].

/// Rounds `x` to `digits` significant digits.
pub fn round_sig(x: f64, digits: u32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let magnitude = x.abs().log10().floor() as i32;
    let scale = 10f64.powi(digits as i32 - 1 - magnitude);
    let rounded = (x * scale).round() / scale;
    // Dividing by the scale can reintroduce noise; the shortest representation of the rounded
    // value, re-parsed, removes it.
    format!(
        "{rounded:.prec$e}",
        prec = digits.saturating_sub(1) as usize
    )
    .parse()
    .unwrap_or(rounded)
}

/// The shortest decimal that reads back as `x` rounded to 12 significant digits: for YAML, PromQL
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
    let r = round_sig(x, 12);
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
    decimal(round_sig(x, digits))
}

/// A ratio shown as a percentage with its nines intact: `0.9995` → `99.95 %`, `0.005` → `0.5 %`.
pub fn percent(ratio: f64) -> String {
    format!("{} %", decimal(round_sig(ratio * 100.0, 10)))
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

#[cfg(test)]
mod tests {
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
}

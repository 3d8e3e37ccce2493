//! Rounding of computed figures. Every figure the core derives (a budget, a burn rate, a time to
//! exhaustion) is *settled* to [`SETTLED_DIGITS`] significant digits, so that float noise such as
//! `0.014400000000000001` never reaches a comparison, a rule file or a test, and a shown figure
//! reads back as the value computed. Changing how figures are rounded is a change here.

/// The significant digits every derived figure keeps; also what [`crate::format::decimal`] writes.
pub const SETTLED_DIGITS: u32 = 12;

/// `x` rounded to [`SETTLED_DIGITS`] significant digits.
pub fn settle(x: f64) -> f64 {
    round_sig(x, SETTLED_DIGITS)
}

/// Rounds `x` to `digits` significant digits.
pub fn round_sig(x: f64, digits: u32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let magnitude = x.abs().log10().floor() as i32;
    let scale = 10f64.powi(digits as i32 - 1 - magnitude);
    // Near the ends of the f64 range the scale itself overflows; formatting below still rounds.
    let rounded = if scale.is_finite() && scale > 0.0 {
        (x * scale).round() / scale
    } else {
        x
    };
    if !rounded.is_finite() {
        return x;
    }
    // Dividing by the scale can reintroduce noise; the shortest representation of the rounded
    // value, re-parsed, removes it.
    format!(
        "{rounded:.prec$e}",
        prec = digits.saturating_sub(1) as usize
    )
    .parse()
    .unwrap_or(rounded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settle_removes_float_noise() {
        assert_eq!(settle(0.1 + 0.2), 0.3);
        assert_eq!(settle(14.4 * 0.001), 0.0144);
        assert_eq!(settle(0.0), 0.0);
        assert!(settle(f64::NAN).is_nan());
        assert_eq!(settle(f64::INFINITY), f64::INFINITY);
    }

    #[test]
    fn round_sig_keeps_the_asked_digits() {
        assert_eq!(round_sig(43.2109, 3), 43.2);
        assert_eq!(round_sig(-0.000123456, 2), -0.00012);
        assert_eq!(round_sig(1.2210932515815473e-308, 3), 1.22e-308);
        assert!(round_sig(1.7e308, 1).is_finite());
    }
}

//! What every lane of the replay's timeline draws the same way: its frame, its title on the
//! left, and the vertical grid at the shared axis's ticks.

use std::rc::Rc;

use yew::prelude::*;

use super::axis::{Axis, Tick};

/// Pixels with one decimal, as SVG attributes.
pub fn px(v: f64) -> String {
    let mut s = String::with_capacity(8);
    push_px(&mut s, v);
    s
}

/// Appends `v` with one decimal: whole tenths written as integers, because the charts write
/// thousands of coordinates per answer and the general float formatter is the slow part of
/// drawing them. (A value exactly halfway between tenths may round the other way than
/// `{:.1}` would: a twentieth of a pixel.)
pub fn push_px(out: &mut String, v: f64) {
    use std::fmt::Write;
    let tenths = (v * 10.0).round();
    if !tenths.is_finite() || tenths.abs() >= 1e15 {
        let _ = write!(out, "{v:.1}");
        return;
    }
    let t = tenths as i64;
    if t < 0 {
        out.push('-');
    }
    let a = t.unsigned_abs();
    let _ = write!(out, "{}.{}", a / 10, a % 10);
}

/// The lane's vertical grid lines, one per tick (day boundaries stronger).
pub fn grid(axis: &Axis, ticks: &Rc<Vec<Tick>>, height: f64) -> Html {
    html! {
        <g class="grid" aria-hidden="true">
            { for ticks.iter().map(|t| {
                let x = px(axis.x(t.t_s));
                html! { <line class={classes!(t.major.then_some("major"))} x1={x.clone()} x2={x} y1="0" y2={px(height)} /> }
            }) }
            <line class="frame" x1={px(axis.left())} x2={px(axis.right())} y1={px(height - 0.5)} y2={px(height - 0.5)} />
        </g>
    }
}

/// The lane's title, in the room left of the plot, on one or two lines.
pub fn title(lines: &[&str], y: f64) -> Html {
    html! {
        <text class="lane-title" x="6" y={px(y)}>
            { for lines.iter().enumerate().map(|(i, l)| html! {
                <tspan x="6" dy={if i == 0 { "0" } else { "1.2em" }}>{ *l }</tspan>
            }) }
        </text>
    }
}

/// A text cut to `chars` characters, with an ellipsis when cut.
pub fn cut(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        text.to_owned()
    } else {
        let mut t: String = text.chars().take(chars.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// A clip path id for the plot area of a lane, so shapes that run past the range are cut at
/// the plot's edges.
pub fn clip(id: &str, axis: &Axis, height: f64) -> Html {
    html! {
        <defs>
            <clipPath id={id.to_owned()}>
                <rect x={px(axis.left())} y="0" width={px(axis.right() - axis.left())} height={px(height)} />
            </clipPath>
        </defs>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_are_written_as_one_decimal_formatting_writes_them() {
        // Away from exact halves between tenths, the integer path writes what `{:.1}` does.
        for v in [
            0.0, 0.04, 0.06, 1.0, 12.34, 99.96, 960.0, 1234.56, -0.06, -3.21, -250.0, 1e6,
        ] {
            assert_eq!(px(v), format!("{v:.1}"), "{v}");
        }
        // What is not a number is written as the formatter writes it.
        assert_eq!(px(f64::NAN), "NaN");
        assert_eq!(px(f64::INFINITY), "inf");
        let mut path = String::from("M");
        push_px(&mut path, 1.25e-3);
        path.push(',');
        push_px(&mut path, 7.96);
        assert_eq!(path, "M0.0,8.0");
    }
}

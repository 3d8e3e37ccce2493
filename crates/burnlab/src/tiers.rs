//! Multiwindow, multi-burn-rate alert tiers: one tier fires when the error ratio over both its
//! long and its short window is at least `factor × (1 − objective)`. The tier sets people
//! actually deploy (the SRE Workbook's, Sloth's, Pyrra's) are kept here as data, each naming its
//! source, so the rest of burnlab can compare them on the same incident.

use std::fmt;

use serde::Serialize;

use crate::duration::Duration;
use crate::error::{Error, Result};
use crate::slo::{Objective, Period};
use crate::{format, numeric};

/// Who is told when a tier fires. Pyrra's `critical` and `warning` map to page and ticket:
/// what matters for alert quality is whether a person is woken up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Wakes someone up: the budget is burning fast enough to need action now.
    Page,
    /// Goes to a queue: the budget is burning slowly, someone should look this week.
    Ticket,
}

impl Severity {
    /// The label value: `page` or `ticket`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Page => "page",
            Self::Ticket => "ticket",
        }
    }

    /// Parses `page` or `ticket`, and Pyrra's `critical` (page) or `warning` (ticket).
    pub fn parse(text: &str) -> Result<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "page" | "critical" => Ok(Self::Page),
            "ticket" | "warning" => Ok(Self::Ticket),
            other => Err(Error::field(
                "severity",
                format!("`{other}` is not a severity: use page or ticket"),
            )),
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One alert tier. The fields are private so every tier in burnlab has passed [`Tier::new`]:
/// both windows longer than zero, the short one shorter than the long one, a factor above zero.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Tier {
    severity: Severity,
    long_window: Duration,
    short_window: Duration,
    factor: f64,
    #[serde(rename = "for")]
    for_duration: Option<Duration>,
}

impl Tier {
    /// A checked tier. A `for` of zero is the same as none.
    pub fn new(
        severity: Severity,
        long_window: Duration,
        short_window: Duration,
        factor: f64,
        for_duration: Option<Duration>,
    ) -> Result<Self> {
        if long_window.is_zero() {
            return Err(Error::field(
                "long window",
                "must be longer than zero, e.g. 1h",
            ));
        }
        if short_window.is_zero() {
            return Err(Error::field(
                "short window",
                "must be longer than zero, e.g. 5m",
            ));
        }
        if short_window >= long_window {
            return Err(Error::field(
                "short window",
                format!(
                    "must be shorter than the long window {long_window}, but is {short_window} \
                     (the Workbook uses 1/12 of the long window, e.g. 5m for 1h)"
                ),
            ));
        }
        if !factor.is_finite() || factor <= 0.0 {
            return Err(Error::field(
                "factor",
                "must be a burn rate above 0, e.g. 14.4",
            ));
        }
        Ok(Self {
            severity,
            long_window,
            short_window,
            factor,
            for_duration: for_duration.filter(|d| !d.is_zero()),
        })
    }

    /// A tier from what a person types in a form: `page`, `1h`, `5m`, `14.4`, and `2m` or an
    /// empty `for`.
    pub fn parse(
        severity: &str,
        long_window: &str,
        short_window: &str,
        factor: &str,
        for_duration: &str,
    ) -> Result<Self> {
        let severity = Severity::parse(severity)?;
        let long = Duration::parse(long_window, "long window")?;
        let short = Duration::parse(short_window, "short window")?;
        let f = factor.trim().trim_end_matches(['x', '×']).trim();
        if f.is_empty() {
            return Err(Error::field(
                "factor",
                "is empty: give a burn rate, e.g. 14.4",
            ));
        }
        let f: f64 = f.parse().map_err(|_| {
            Error::field(
                "factor",
                format!(
                    "`{}` is not a number: write a burn rate like 14.4",
                    factor.trim()
                ),
            )
        })?;
        let for_duration = match for_duration.trim() {
            "" => None,
            text => Some(Duration::parse(text, "for")?),
        };
        Self::new(severity, long, short, f, for_duration)
    }

    /// A tier from a form row whose rate cell holds either a factor (`14.4`, `14.4×`) or, with a
    /// percent sign, the share of the budget the tier spends in its long window before it fires
    /// (`2%`): factor = share × period / long window, so 2 % in 1h over 30d is 14.4.
    pub fn parse_on(
        period: Period,
        severity: &str,
        long_window: &str,
        short_window: &str,
        factor_or_share: &str,
        for_duration: &str,
    ) -> Result<Self> {
        let Some(share) = factor_or_share.trim().strip_suffix('%') else {
            return Self::parse(
                severity,
                long_window,
                short_window,
                factor_or_share,
                for_duration,
            );
        };
        let severity = Severity::parse(severity)?;
        let long = Duration::parse(long_window, "long window")?;
        let short = Duration::parse(short_window, "short window")?;
        let share = share.trim();
        let percent: f64 = share.parse().map_err(|_| {
            Error::field(
                "factor",
                format!(
                    "`{}` is not a share of the budget: write a percentage like 2% or a factor like 14.4",
                    factor_or_share.trim()
                ),
            )
        })?;
        if !percent.is_finite() || percent <= 0.0 {
            return Err(Error::field(
                "factor",
                "must be a share of the budget above 0 %, e.g. 2%",
            ));
        }
        if long.is_zero() {
            return Err(Error::field(
                "long window",
                "must be longer than zero, e.g. 1h",
            ));
        }
        let factor = numeric::settle(percent / 100.0 * period.seconds() / long.as_secs_f64());
        let for_duration = match for_duration.trim() {
            "" => None,
            text => Some(Duration::parse(text, "for")?),
        };
        Self::new(severity, long, short, factor, for_duration)
    }

    /// A tier for the documented constants below, which are checked by tests rather than at run
    /// time because a `const` cannot call [`Tier::new`].
    const fn known(
        severity: Severity,
        long_window: Duration,
        short_window: Duration,
        factor: f64,
        for_duration: Option<Duration>,
    ) -> Self {
        Self {
            severity,
            long_window,
            short_window,
            factor,
            for_duration,
        }
    }

    /// Page or ticket.
    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// The long window: it decides when the tier fires, and how much budget is gone by then.
    pub fn long_window(&self) -> Duration {
        self.long_window
    }

    /// The short window: it makes the tier stop soon after the errors stop.
    pub fn short_window(&self) -> Duration {
        self.short_window
    }

    /// The burn-rate factor, e.g. 14.4.
    pub fn factor(&self) -> f64 {
        self.factor
    }

    /// How long the condition must hold before the alert fires, if set.
    pub fn for_duration(&self) -> Option<Duration> {
        self.for_duration
    }

    /// The threshold on the error ratio: factor × (1 − objective). 14.4 × 0.001 = 0.0144.
    pub fn threshold(&self, objective: Objective) -> f64 {
        numeric::settle(self.factor * objective.budget_ratio())
    }

    /// Whether any error ratio can reach the threshold. A 14.4× tier on a 90 % objective needs
    /// 144 % of requests to fail: it can never fire.
    pub fn is_possible(&self, objective: Objective) -> bool {
        self.threshold(objective) <= 1.0
    }

    /// The share of the budget spent by the time the tier fires, not counting `for`:
    /// factor × long window / period. 14.4 × 1h / 30d = 0.02. Rounded to 10 significant digits:
    /// a factor scaled to another period already carries a rounding at the 12th.
    pub fn budget_share(&self, period: Period) -> f64 {
        numeric::round_sig(
            self.factor * self.long_window.as_secs_f64() / period.seconds(),
            10,
        )
    }

    /// A short name for tables and chart legends: `page 1h/5m 14.4×`, with ` for 2m` when set.
    pub fn label(&self) -> String {
        let mut s = format!(
            "{} {}/{} {}×",
            self.severity,
            self.long_window,
            self.short_window,
            format::sig(self.factor, 4)
        );
        if let Some(d) = self.for_duration {
            s.push_str(&format!(" for {d}"));
        }
        s
    }
}

/// How a tier set moves to a period other than the one it was written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Scaling {
    /// Keep the windows and the share of the budget each tier spends before it fires, and
    /// recompute the factors: share × period / window. Sloth does this; its 28d set has 13.44
    /// where the 30d set has 14.4.
    #[serde(rename = "budget-share")]
    KeepBudgetShare,
    /// Keep the factors and scale every window and `for` with the period, rounded to the minute.
    /// Pyrra does this from its 28d base; the budget shares stay (nearly) the same, but windows
    /// and detection times change.
    #[serde(rename = "factors")]
    KeepFactors,
}

impl Scaling {
    /// The name used on the command line and in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::KeepBudgetShare => "budget-share",
            Self::KeepFactors => "factors",
        }
    }

    /// Parses `budget-share` or `factors`.
    pub fn parse(text: &str) -> Result<Self> {
        match text.trim() {
            "budget-share" => Ok(Self::KeepBudgetShare),
            "factors" => Ok(Self::KeepFactors),
            other => Err(Error::field(
                "scaling",
                format!(
                    "`{other}` is not a scaling: use budget-share (as Sloth) or factors (as Pyrra)"
                ),
            )),
        }
    }
}

/// The Workbook's source, quoted by its tier sets.
pub const WORKBOOK_SOURCE: &str = "Google SRE Workbook, chapter \"Alerting on SLOs\": recommended multiwindow, multi-burn-rate tiers for a 30d period";

/// The Workbook's three recommended tiers for a 30d period: 2 % of the budget in 1h (page), 5 %
/// in 6h (page), 10 % in 3d (ticket). The short window is 1/12 of the long one.
pub const WORKBOOK: [Tier; 3] = [
    Tier::known(
        Severity::Page,
        Duration::from_hours(1),
        Duration::from_mins(5),
        14.4,
        None,
    ),
    Tier::known(
        Severity::Page,
        Duration::from_hours(6),
        Duration::from_mins(30),
        6.0,
        None,
    ),
    Tier::known(
        Severity::Ticket,
        Duration::from_days(3),
        Duration::from_hours(6),
        1.0,
        None,
    ),
];

/// The ticket tier the Workbook's example configuration adds: 3× over 1d/2h (10 % of a 30d budget).
pub const WORKBOOK_DAILY_TICKET: Tier = Tier::known(
    Severity::Ticket,
    Duration::from_days(1),
    Duration::from_hours(2),
    3.0,
    None,
);

/// Where Sloth's defaults come from.
pub const SLOTH_SOURCE: &str = "Sloth default SLO period windows (30d): page 2 % in 1h and 5 % in 6h, \
     ticket 10 % in 1d and 10 % in 3d; its 28d windows keep these budget percentages";

/// Sloth's default tiers for a 30d period, without `for`. Sloth states them as budget
/// percentages per window (2 %, 5 %, 10 %, 10 %); these are the factors they come to at 30d.
pub const SLOTH_30D: [Tier; 4] = [
    Tier::known(
        Severity::Page,
        Duration::from_hours(1),
        Duration::from_mins(5),
        14.4,
        None,
    ),
    Tier::known(
        Severity::Page,
        Duration::from_hours(6),
        Duration::from_mins(30),
        6.0,
        None,
    ),
    Tier::known(
        Severity::Ticket,
        Duration::from_days(1),
        Duration::from_hours(2),
        3.0,
        None,
    ),
    Tier::known(
        Severity::Ticket,
        Duration::from_days(3),
        Duration::from_hours(6),
        1.0,
        None,
    ),
];

/// Where Pyrra's defaults come from.
pub const PYRRA_SOURCE: &str = "Pyrra's default burn-rate windows for a 28d objective window \
     (critical 14× and 7×, warning 2× and 1×); windows and `for` scale with the objective window";

/// Pyrra's default tiers for its 28d base. Pyrra calls the severities critical and warning.
pub const PYRRA_28D: [Tier; 4] = [
    Tier::known(
        Severity::Page,
        Duration::from_hours(1),
        Duration::from_mins(5),
        14.0,
        Some(Duration::from_mins(2)),
    ),
    Tier::known(
        Severity::Page,
        Duration::from_hours(6),
        Duration::from_mins(30),
        7.0,
        Some(Duration::from_mins(15)),
    ),
    Tier::known(
        Severity::Ticket,
        Duration::from_days(1),
        Duration::from_hours(2),
        2.0,
        Some(Duration::from_hours(1)),
    ),
    Tier::known(
        Severity::Ticket,
        Duration::from_days(4),
        Duration::from_hours(6),
        1.0,
        Some(Duration::from_hours(3)),
    ),
];

/// The tier sets burnlab knows by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Preset {
    /// [`WORKBOOK`], 30d.
    Workbook,
    /// [`WORKBOOK`] plus [`WORKBOOK_DAILY_TICKET`], 30d.
    WorkbookDaily,
    /// [`SLOTH_30D`], 30d; on another period it keeps the budget shares, as Sloth does.
    Sloth,
    /// [`PYRRA_28D`], 28d; on another period it keeps the factors, as Pyrra does.
    Pyrra,
}

impl Preset {
    /// Every preset, in the order a menu lists them.
    pub const ALL: [Preset; 4] = [
        Self::Workbook,
        Self::WorkbookDaily,
        Self::Sloth,
        Self::Pyrra,
    ];

    /// The name on the command line: `workbook`, `workbook-daily`, `sloth`, `pyrra`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Workbook => "workbook",
            Self::WorkbookDaily => "workbook-daily",
            Self::Sloth => "sloth",
            Self::Pyrra => "pyrra",
        }
    }

    /// The name people know the set by, for menus and sentences: `SRE Workbook`.
    pub fn title(self) -> &'static str {
        match self {
            Self::Workbook => "SRE Workbook",
            Self::WorkbookDaily => "SRE Workbook with the 1d/2h ticket",
            Self::Sloth => "Sloth",
            Self::Pyrra => "Pyrra",
        }
    }

    /// Parses a preset name.
    pub fn parse(text: &str) -> Result<Self> {
        let t = text.trim();
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == t)
            .ok_or_else(|| {
                Error::field(
                    "tiers",
                    format!(
                        "`{t}` is not a tier set: use workbook, workbook-daily, sloth or pyrra"
                    ),
                )
            })
    }

    /// The set as published, on the period it was written for.
    pub fn tier_set(self) -> TierSet {
        let (tiers, period, scaling, source): (Vec<Tier>, _, _, _) = match self {
            Self::Workbook => (
                WORKBOOK.to_vec(),
                Period::DAYS_30,
                Scaling::KeepBudgetShare,
                WORKBOOK_SOURCE,
            ),
            Self::WorkbookDaily => (
                [WORKBOOK[0], WORKBOOK[1], WORKBOOK_DAILY_TICKET, WORKBOOK[2]].to_vec(),
                Period::DAYS_30,
                Scaling::KeepBudgetShare,
                WORKBOOK_SOURCE,
            ),
            Self::Sloth => (
                SLOTH_30D.to_vec(),
                Period::DAYS_30,
                Scaling::KeepBudgetShare,
                SLOTH_SOURCE,
            ),
            Self::Pyrra => (
                PYRRA_28D.to_vec(),
                Period::DAYS_28,
                Scaling::KeepFactors,
                PYRRA_SOURCE,
            ),
        };
        TierSet {
            name: self.as_str().to_owned(),
            title: self.title().to_owned(),
            source: source.to_owned(),
            period,
            native_scaling: scaling,
            tiers,
        }
    }
}

/// A named list of tiers written for one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TierSet {
    name: String,
    title: String,
    source: String,
    period: Period,
    native_scaling: Scaling,
    tiers: Vec<Tier>,
}

impl TierSet {
    /// The user's own tiers, written for `period`. They scale by keeping budget shares unless the
    /// user picks otherwise.
    pub fn custom(period: Period, tiers: Vec<Tier>) -> Result<Self> {
        if tiers.is_empty() {
            return Err(Error::field("tiers", "add at least one tier"));
        }
        Ok(Self {
            name: "custom".into(),
            title: "your own".into(),
            source: "your own tiers".into(),
            period,
            native_scaling: Scaling::KeepBudgetShare,
            tiers,
        })
    }

    /// `workbook`, `sloth`, `pyrra`, `custom`, …
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The name people know the set by, for sentences: `SRE Workbook`, `your own`.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// Where the numbers come from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The period the factors were written for.
    pub fn period(&self) -> Period {
        self.period
    }

    /// How the set's own tool scales it to another period.
    pub fn native_scaling(&self) -> Scaling {
        self.native_scaling
    }

    /// The tiers, fastest first.
    pub fn tiers(&self) -> &[Tier] {
        &self.tiers
    }

    /// The same set for `period`. Unchanged when the period is the one it was written for.
    /// With [`Scaling::KeepFactors`], a window that would round to zero minutes is an error about
    /// the period rather than a tier that can never be evaluated.
    pub fn scale_to(&self, period: Period, scaling: Scaling) -> Result<Self> {
        if period == self.period {
            return Ok(self.clone());
        }
        let tiers = self
            .tiers
            .iter()
            .map(|t| match scaling {
                Scaling::KeepBudgetShare => {
                    let factor = numeric::round_sig(
                        t.factor * period.seconds() / self.period.seconds(),
                        12,
                    );
                    Tier::new(t.severity, t.long_window, t.short_window, factor, t.for_duration)
                }
                Scaling::KeepFactors => {
                    let scale = |d: Duration, what: &str| -> Result<Duration> {
                        let scaled = scale_to_minute(d, self.period, period);
                        if scaled.is_zero() {
                            return Err(Error::field(
                                "period",
                                format!(
                                    "scaling the {d} {what} from {} to {period} rounds it to zero \
                                     minutes: keep the budget share instead, or pick a longer period",
                                    self.period
                                ),
                            ));
                        }
                        Ok(scaled)
                    };
                    Tier::new(
                        t.severity,
                        scale(t.long_window, "long window")?,
                        scale(t.short_window, "short window")?,
                        t.factor,
                        t.for_duration.map(|d| scale_to_minute(d, self.period, period)),
                    )
                }
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Self {
            name: self.name.clone(),
            title: self.title.clone(),
            source: self.source.clone(),
            period,
            native_scaling: self.native_scaling,
            tiers,
        })
    }
}

/// `d × to / from`, rounded to the nearest minute (halves up), as Pyrra rounds its windows.
fn scale_to_minute(d: Duration, from: Period, to: Period) -> Duration {
    const MINUTE: u128 = 60_000;
    let num = u128::from(d.as_millis()) * u128::from(to.duration().as_millis());
    let den = u128::from(from.duration().as_millis()).max(1) * MINUTE;
    // Saturating: two durations near u64::MAX milliseconds multiply to the top of u128.
    let minutes = num.saturating_add(den / 2) / den;
    Duration::from_mins(u64::try_from(minutes).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks that the tier built from the form fields fails on `field`.
    fn check_bad(fields: [&str; 5], field: &str, want: &str) {
        let [s, l, sh, f, d] = fields;
        match Tier::parse(s, l, sh, f, d) {
            Err(err) => {
                assert_eq!(err.field, field, "{fields:?}: {err}");
                assert!(
                    err.message.contains(want),
                    "{fields:?}: {err} lacks {want:?}"
                );
            }
            Ok(t) => panic!("{fields:?}: got {t:?}, want an error about {field}"),
        }
    }

    #[test]
    fn bad_tiers_name_the_field() {
        check_bad(
            ["page", "1h", "1h", "14.4", ""],
            "short window",
            "shorter than the long window",
        );
        check_bad(["page", "1h", "2h", "14.4", ""], "short window", "shorter");
        check_bad(
            ["page", "0", "5m", "14.4", ""],
            "long window",
            "longer than zero",
        );
        check_bad(
            ["page", "1h", "0s", "14.4", ""],
            "short window",
            "longer than zero",
        );
        check_bad(
            ["page", "1 hour", "5m", "14.4", ""],
            "long window",
            "not a duration",
        );
        check_bad(
            ["page", "1h", "five", "14.4", ""],
            "short window",
            "not a duration",
        );
        check_bad(["page", "1h", "5m", "0", ""], "factor", "above 0");
        check_bad(["page", "1h", "5m", "-1", ""], "factor", "above 0");
        check_bad(["page", "1h", "5m", "NaN", ""], "factor", "above 0");
        check_bad(["page", "1h", "5m", "", ""], "factor", "empty");
        check_bad(["page", "1h", "5m", "fast", ""], "factor", "not a number");
        check_bad(
            ["page", "1h", "5m", "14.4", "2 minutes"],
            "for",
            "not a duration",
        );
        check_bad(
            ["sms", "1h", "5m", "14.4", ""],
            "severity",
            "page or ticket",
        );
    }

    #[test]
    fn a_typed_tier_reads_like_the_workbook() {
        assert_eq!(
            Tier::parse("page", "1h", "5m", "14.4×", "0s"),
            Ok(WORKBOOK[0])
        );
        assert_eq!(
            Tier::parse("critical", "1h", "5m", "14", "2m"),
            Ok(PYRRA_28D[0])
        );
    }

    #[test]
    fn a_rate_cell_takes_a_factor_or_a_share_of_the_budget() {
        let on = |period: &str, rate: &str| {
            let period = Period::parse(period).unwrap_or_else(|e| panic!("{e}"));
            Tier::parse_on(period, "page", "1h", "5m", rate, "").map(|t| t.factor())
        };
        // The Workbook's own definition: 2 % of a 30d budget in 1h is 14.4×, 5 % in 6h is 6×.
        assert_eq!(on("30d", "2%"), Ok(14.4));
        assert_eq!(on("30d", " 2 % "), Ok(14.4));
        assert_eq!(on("28d", "2%"), Ok(13.44));
        assert_eq!(on("30d", "14.4"), Ok(14.4));
        assert_eq!(on("30d", "0%").map_err(|e| e.field), Err("factor".into()));
        assert_eq!(on("30d", "x%").map_err(|e| e.field), Err("factor".into()));
        let six =
            Period::parse("30d").and_then(|p| Tier::parse_on(p, "page", "6h", "30m", "5%", ""));
        assert_eq!(six.map(|t| t.factor()), Ok(6.0));
    }

    #[test]
    fn every_documented_tier_passes_its_own_checks() {
        for set in Preset::ALL.map(Preset::tier_set) {
            for t in set.tiers() {
                let checked = Tier::new(
                    t.severity(),
                    t.long_window(),
                    t.short_window(),
                    t.factor(),
                    t.for_duration(),
                );
                assert_eq!(checked.as_ref(), Ok(t), "{}", set.name());
            }
        }
    }

    #[test]
    fn unknown_names_are_errors_about_the_field() {
        assert_eq!(
            Preset::parse("nope").map_err(|e| e.field),
            Err("tiers".into())
        );
        assert_eq!(
            Scaling::parse("nope").map_err(|e| e.field),
            Err("scaling".into())
        );
        assert_eq!(
            TierSet::custom(Period::DAYS_30, vec![]).map_err(|e| e.field),
            Err("tiers".into())
        );
    }

    #[test]
    fn scaling_to_the_longest_period_does_not_overflow() {
        let huge = Period::new(Duration::from_millis(u64::MAX)).unwrap_or(Period::DAYS_30);
        let long = Tier::new(
            Severity::Page,
            Duration::from_millis(u64::MAX),
            Duration::from_mins(5),
            1.0,
            None,
        );
        let set = long.and_then(|t| TierSet::custom(Period::DAYS_28, vec![t]));
        let scaled = set.and_then(|s| s.scale_to(huge, Scaling::KeepFactors));
        assert!(scaled.is_ok(), "{scaled:?}");
    }

    #[test]
    fn scaling_windows_below_a_minute_is_refused() {
        let day = Period::parse("1d").unwrap_or_else(|e| panic!("{e}"));
        let err = Preset::Pyrra.tier_set().scale_to(day, Scaling::KeepFactors);
        assert_eq!(err.map_err(|e| e.field), Err("period".into()));
    }

    proptest::proptest! {
        #[test]
        fn tier_constructors_never_panic(
            s in "\\PC{0,6}", l in "\\PC{0,6}", sh in "\\PC{0,6}", f in "\\PC{0,6}", d in "\\PC{0,6}",
            factor in proptest::num::f64::ANY, long in proptest::num::u64::ANY, short in proptest::num::u64::ANY,
        ) {
            let _ = Tier::parse(&s, &l, &sh, &f, &d);
            let _ = Tier::parse_on(Period::DAYS_30, &s, &l, &sh, &format!("{f}%"), &d);
            let _ = (Severity::parse(&s), Preset::parse(&s), Scaling::parse(&s));
            let _ = Tier::new(Severity::Page, Duration::from_millis(long), Duration::from_millis(short), factor, None);
        }

        #[test]
        fn scaling_never_panics(ms in proptest::num::u64::ANY, keep_factors in proptest::bool::ANY) {
            let period = Period::new(Duration::from_millis(ms)).unwrap_or(Period::DAYS_30);
            let scaling = if keep_factors { Scaling::KeepFactors } else { Scaling::KeepBudgetShare };
            for p in Preset::ALL {
                let _ = p.tier_set().scale_to(period, scaling);
            }
        }
    }
}

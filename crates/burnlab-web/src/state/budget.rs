//! The Budget and Tiers sections' inputs: the text of every field, the last valid value of each
//! field, the figures the core computes from those valid values, and the [`SloContext`] every
//! section builds on. A bad edit of one field
//! keeps that field's last valid value, so every figure that does not depend on it stays fresh.

use std::rc::Rc;

use burnlab::format;
use burnlab::quality::{IncidentImpact, Sweep};
use burnlab::report::BudgetInput;
use burnlab::slo::{ErrorBudget, Period, RequestRate};
use burnlab::tiers::{Preset, Scaling, TierSet};
use burnlab::{BudgetReport, Duration, Error, ErrorRatio, Objective};

use crate::state::tiers::{CustomTiers, RowError, TierChoice};

/// One input of the Budget and Tiers sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The objective, a percentage.
    Objective,
    /// The period, a duration.
    Period,
    /// The observed error ratio.
    ErrorRatio,
    /// Requests per second; optional.
    Requests,
    /// The imagined incident's duration.
    Incident,
    /// The tier set: a preset, or the custom rows.
    Tiers,
    /// How a preset moves to another period.
    Scaling,
}

impl Field {
    /// Every field, in the order they are checked: a later field is checked against the earlier
    /// fields' valid values (the tier set against the period, say).
    pub const ALL: [Field; 7] = [
        Field::Objective,
        Field::Period,
        Field::ErrorRatio,
        Field::Requests,
        Field::Incident,
        Field::Tiers,
        Field::Scaling,
    ];

    /// The key in links and storage, short so shared links stay readable.
    pub fn key(self) -> &'static str {
        match self {
            Field::Objective => "objective",
            Field::Period => "period",
            Field::ErrorRatio => "errors",
            Field::Requests => "rps",
            Field::Incident => "incident",
            Field::Tiers => "tiers",
            Field::Scaling => "scaling",
        }
    }
}

/// What the user typed or picked, exactly as they left it.
#[derive(Debug, Clone, PartialEq)]
pub struct Inputs {
    /// The objective, e.g. `99.9`.
    pub objective: String,
    /// The period, e.g. `30d`.
    pub period: String,
    /// The error ratio, e.g. `0.005` or `0.5%`.
    pub error_ratio: String,
    /// Requests per second; empty when unknown.
    pub requests: String,
    /// How long the imagined incident lasts, e.g. `1h`.
    pub incident: String,
    /// The tier set in use.
    pub tiers: TierChoice,
    /// How a preset moves to another period; `None` does what the preset's own tool does.
    pub scaling: Option<Scaling>,
    /// The user's own tier rows (kept while a preset is in use, so switching back loses nothing).
    pub custom: CustomTiers,
}

impl Default for Inputs {
    fn default() -> Self {
        Self {
            objective: "99.9".into(),
            period: "30d".into(),
            error_ratio: "0.005".into(),
            requests: String::new(),
            incident: "1h".into(),
            tiers: TierChoice::Preset(Preset::Workbook),
            scaling: None,
            custom: CustomTiers::default(),
        }
    }
}

impl Inputs {
    /// The text of a free-text field; `None` for the pickers.
    pub fn text(&self, field: Field) -> Option<&str> {
        match field {
            Field::Objective => Some(&self.objective),
            Field::Period => Some(&self.period),
            Field::ErrorRatio => Some(&self.error_ratio),
            Field::Requests => Some(&self.requests),
            Field::Incident => Some(&self.incident),
            Field::Tiers | Field::Scaling => None,
        }
    }
}

/// The last valid value of every field. Together they always compute.
#[derive(Debug, Clone, PartialEq)]
pub struct Valid {
    /// The objective.
    pub objective: Objective,
    /// The period.
    pub period: Period,
    /// The error ratio.
    pub errors: ErrorRatio,
    /// The request rate, if any.
    pub requests: Option<RequestRate>,
    /// The incident's duration.
    pub incident: Duration,
    /// The tier set as written (a preset on its own period, or the custom rows on `period`).
    pub tiers: TierSet,
    /// The scaling picked, if any.
    pub scaling: Option<Scaling>,
}

impl Default for Valid {
    fn default() -> Self {
        Self {
            objective: Objective::THREE_NINES,
            period: Period::DAYS_30,
            errors: ErrorRatio::new(0.005).unwrap_or(ErrorRatio::ZERO),
            requests: None,
            incident: Duration::from_hours(1),
            tiers: Preset::Workbook.tier_set(),
            scaling: None,
        }
    }
}

impl Valid {
    /// The core's input for these values.
    pub fn budget_input(&self) -> BudgetInput {
        BudgetInput {
            objective: self.objective,
            period: self.period,
            errors: self.errors,
            requests: self.requests,
            tiers: self.tiers.clone(),
            scaling: self.scaling,
        }
    }

    /// The tier set moved to the period: what every figure, chart and rule uses.
    pub fn scaled_tiers(&self) -> burnlab::Result<TierSet> {
        self.budget_input().scaled_tiers()
    }

    /// The value of `field` as text that parses back to it, for a link that carries the last
    /// valid value beside a bad one.
    pub fn text(&self, field: Field) -> String {
        match field {
            Field::Objective => format::decimal(self.objective.percent()),
            Field::Period => self.period.to_string(),
            Field::ErrorRatio => format::decimal(self.errors.ratio()),
            Field::Requests => self
                .requests
                .map(|r| format::decimal(r.value()))
                .unwrap_or_default(),
            Field::Incident => self.incident.to_string(),
            Field::Tiers => self.tiers.name().to_owned(),
            Field::Scaling => self
                .scaling
                .map(Scaling::as_str)
                .unwrap_or_default()
                .to_owned(),
        }
    }
}

/// The result of checking the inputs against the last valid values.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// The new last valid values.
    pub valid: Valid,
    /// Each field's error, at most one per field.
    pub errors: Vec<(Field, Error)>,
    /// Errors on the custom tier rows.
    pub row_errors: Vec<RowError>,
}

/// Checks every field of `inputs` in [`Field::ALL`] order. A field whose text parses and that
/// computes together with the fields before it becomes valid; otherwise it keeps its value from
/// `previous` and gets an error. Checking every field on every edit lets a field that was
/// refused only in combination (Pyrra's windows on a 1d period) recover once the other changes.
pub fn check(inputs: &Inputs, previous: &Valid) -> Checked {
    let mut valid = previous.clone();
    let mut errors = Vec::new();
    let mut row_errors = Vec::new();
    for field in Field::ALL {
        let mut candidate = valid.clone();
        let parsed: Result<(), Error> = match field {
            Field::Objective => {
                Objective::parse(&inputs.objective).map(|o| candidate.objective = o)
            }
            Field::Period => Period::parse(&inputs.period).map(|p| candidate.period = p),
            Field::ErrorRatio => {
                ErrorRatio::parse(&inputs.error_ratio).map(|e| candidate.errors = e)
            }
            Field::Requests => {
                if inputs.requests.trim().is_empty() {
                    candidate.requests = None;
                    Ok(())
                } else {
                    RequestRate::parse(&inputs.requests).map(|r| candidate.requests = Some(r))
                }
            }
            Field::Incident => Duration::parse(&inputs.incident, "incident duration")
                .map(|d| candidate.incident = d),
            Field::Tiers => match inputs.tiers {
                TierChoice::Preset(p) => {
                    candidate.tiers = p.tier_set();
                    Ok(())
                }
                TierChoice::Custom => match inputs.custom.parse(candidate.period) {
                    Ok(set) => {
                        candidate.tiers = set;
                        Ok(())
                    }
                    Err(rows) => {
                        let first = rows.first().map(|r| {
                            let mut e = r.error.clone();
                            e.message = format!("row {}: {}", r.row + 1, e.sentence());
                            e.field = "tiers".into();
                            e
                        });
                        row_errors = rows;
                        Err(first.unwrap_or_else(|| Error::field("tiers", "add a tier")))
                    }
                },
            },
            Field::Scaling => {
                candidate.scaling = inputs.scaling;
                Ok(())
            }
        };
        // A value that parses must also compute with the others: scaling a preset's windows to
        // a short period can round them to nothing.
        let computed = parsed.and_then(|()| candidate.scaled_tiers().map(|_| ()));
        match computed {
            Ok(()) => valid = candidate,
            Err(e) => errors.push((field, e)),
        }
    }
    Checked {
        valid,
        errors,
        row_errors,
    }
}

/// Points per decade in the detection-time chart: smooth curves, a few hundred points in all.
const SWEEP_POINTS_PER_DECADE: u32 = 12;

/// Everything the Budget and Tiers sections show, computed by the core from valid values. Each
/// part is shared, and recomputed only when the values it depends on change.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    /// Headline figures, tiers, warnings and explanations.
    pub report: Rc<BudgetReport>,
    /// Detection time against error ratio for every tier: independent of the error ratio.
    pub sweep: Rc<Sweep>,
    /// What the imagined incident costs and wakes.
    pub incident: Rc<IncidentImpact>,
}

impl Figures {
    /// The figures for `valid`, reusing the parts of `reuse` (computed from the values given
    /// beside it) that do not depend on what changed. `None` only if the core refuses values that
    /// [`check`] accepted, which its tests rule out; the page then keeps its previous figures.
    pub fn compute(valid: &Valid, reuse: Option<(&Valid, &Figures)>) -> Option<Self> {
        let slo_same = |b: &Valid| {
            b.objective == valid.objective
                && b.period == valid.period
                && b.tiers == valid.tiers
                && b.scaling == valid.scaling
        };
        let budget = ErrorBudget::new(valid.objective, valid.period);
        let tiers = valid.scaled_tiers().ok()?;

        let report = match reuse {
            Some((b, f))
                if slo_same(b) && b.errors == valid.errors && b.requests == valid.requests =>
            {
                f.report.clone()
            }
            _ => Rc::new(BudgetReport::compute(&valid.budget_input()).ok()?),
        };
        let sweep = match reuse {
            Some((b, f)) if slo_same(b) => f.sweep.clone(),
            _ => Rc::new(burnlab::quality::sweep(
                tiers.tiers(),
                budget,
                SWEEP_POINTS_PER_DECADE,
            )),
        };
        let incident = match reuse {
            Some((b, f))
                if slo_same(b) && b.errors == valid.errors && b.incident == valid.incident =>
            {
                f.incident.clone()
            }
            _ => Rc::new(
                IncidentImpact::new(budget, tiers.tiers(), valid.errors, valid.incident, 1.0)
                    .ok()?,
            ),
        };
        Some(Self {
            report,
            sweep,
            incident,
        })
    }
}

/// The SLO every section builds on: the last valid objective and period, and the tier set in
/// effect on that period (a preset scaled to it, or the user's own rows). It changes only when
/// one of those does, so sections can recompute what depends on it only then.
#[derive(Debug, Clone, PartialEq)]
pub struct SloContext {
    /// The objective.
    pub objective: Objective,
    /// The period the budget covers.
    pub period: Period,
    /// The tiers in effect, already on `period`.
    pub tiers: TierSet,
}

/// The SLO context of `valid`. `check` only accepts values whose tiers scale; the unscaled set
/// stands in should that ever fail, rather than no context at all.
pub(crate) fn slo_context(valid: &Valid) -> SloContext {
    SloContext {
        objective: valid.objective,
        period: valid.period,
        tiers: valid.scaled_tiers().unwrap_or_else(|_| valid.tiers.clone()),
    }
}

/// How a typed number was read, for the note under its field: the value as the page took it,
/// and the text to offer instead when that value is implausible for what the field names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// `read as 0.999 %`.
    pub said: String,
    /// The text that reads as what was likely meant: `99.9` for an objective typed as the
    /// ratio `0.999`.
    pub suggest: Option<String>,
}

/// A bare number (no `%`), read as the fields read numbers (a decimal comma included).
fn bare_number(typed: &str) -> Option<f64> {
    let t = typed.trim();
    (!t.contains('%'))
        .then(|| burnlab::slo::typed_decimal(t))
        .flatten()
}

/// How the objective field was read. The field is a percentage, so `0.999` is 0.999 %; an
/// objective under 50 % is no promise anyone makes, and a bare number from 0.5 to 1 is a ratio
/// (0.999 for 99.9 %) more likely than a percentage.
pub fn objective_reading(typed: &str, objective: Objective) -> Reading {
    let ratio = objective.ratio();
    let suggest = bare_number(typed)
        .filter(|v| ratio < 0.5 && (0.5..1.0).contains(v))
        .map(|v| format::decimal(burnlab::numeric::settle(v * 100.0)));
    Reading {
        said: format!("read as {}", format::percent(ratio)),
        suggest,
    }
}

/// How the error ratio field was read. It takes a ratio (`0.005`) or a percentage (`0.5%`);
/// a bare number from 0.1 up fails a tenth or more of the requests, which is more likely a
/// percentage typed without its sign.
pub fn error_ratio_reading(typed: &str, errors: ErrorRatio) -> Reading {
    let ratio = errors.ratio();
    let suggest = bare_number(typed)
        .filter(|v| (0.1..=1.0).contains(v))
        .map(|v| format!("{}%", format::decimal(v)));
    Reading {
        said: format!("read as {} of requests failing", format::percent(ratio)),
        suggest,
    }
}

#[cfg(test)]
mod reading_tests {
    use super::*;

    #[test]
    fn a_ratio_typed_as_an_objective_or_a_bare_share_of_errors_offers_what_was_meant() {
        let o = |t: &str| {
            let v = Objective::parse(t).unwrap_or_else(|e| panic!("{e}"));
            objective_reading(t, v)
        };
        assert_eq!(o("0.999").suggest.as_deref(), Some("99.9"));
        assert_eq!(o("0.999").said, "read as 0.999 %");
        assert_eq!(o("99.9").suggest, None);
        assert_eq!(o("1e-9").suggest, None, "no ratio to take it for");
        assert_eq!(o("0.999%").suggest, None, "the sign says what was meant");
        let e = |t: &str| {
            let v = ErrorRatio::parse(t).unwrap_or_else(|e| panic!("{e}"));
            error_ratio_reading(t, v)
        };
        assert_eq!(e("0.5").suggest.as_deref(), Some("0.5%"));
        assert_eq!(e("0.5").said, "read as 50 % of requests failing");
        assert_eq!(e("0.005").suggest, None);
        assert_eq!(e("50%").suggest, None);
    }
}

//! What every section's requests share: the SLO context of the page's Budget and Tiers
//! sections as plain data, exact in both directions.

use burnlab::duration::Duration;
use burnlab::slo::{Objective, Period};
use burnlab::tiers::{Severity, Tier, TierSet};
use serde::{Deserialize, Serialize};

/// One tier as text, for the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TierView {
    /// `page` or `ticket`.
    pub severity: String,
    /// Long window, `1h`.
    pub long: String,
    /// Short window, `5m`.
    pub short: String,
    /// Burn-rate factor.
    pub factor: f64,
    /// `for`, if any.
    pub for_: Option<String>,
}

/// The SLO context of the page's Budget and Tiers sections, for the wire: objective as a
/// ratio (exact), period and tiers as Prometheus text (exact).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SloView {
    /// The objective as a ratio, `0.999`.
    pub objective: f64,
    /// The period, `30d`.
    pub period: String,
    /// The tier set's name: a preset's (`workbook`) or `custom`.
    pub set_name: String,
    /// The tiers, already on `period`.
    pub tiers: Vec<TierView>,
}

impl SloView {
    /// The view of an objective, a period and the tier set in effect on it.
    pub fn new(objective: Objective, period: Period, tiers: &TierSet) -> Self {
        Self {
            objective: objective.ratio(),
            period: period.to_string(),
            set_name: tiers.name().to_owned(),
            tiers: tiers
                .tiers()
                .iter()
                .map(|t| TierView {
                    severity: t.severity().as_str().to_owned(),
                    long: t.long_window().to_string(),
                    short: t.short_window().to_string(),
                    factor: t.factor(),
                    for_: t.for_duration().map(|d| d.to_string()),
                })
                .collect(),
        }
    }

    /// The objective, period and tiers back.
    pub fn read(&self) -> burnlab::Result<(Objective, Period, Vec<Tier>)> {
        let objective = Objective::from_ratio(self.objective)?;
        let period = Period::parse(&self.period)?;
        let mut tiers = Vec::new();
        for t in &self.tiers {
            let for_ = match &t.for_ {
                Some(f) => Some(Duration::parse(f, "for")?),
                None => None,
            };
            tiers.push(Tier::new(
                Severity::parse(&t.severity)?,
                Duration::parse(&t.long, "long window")?,
                Duration::parse(&t.short, "short window")?,
                t.factor,
                for_,
            )?);
        }
        Ok((objective, period, tiers))
    }
}

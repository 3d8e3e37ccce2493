//! The tier set the user works with: one of the published presets, or their own rows, typed
//! cell by cell. Each row keeps its text beside its errors, so a half-typed window never loses
//! the rest of the table.

use burnlab::tiers::{Preset, Severity, Tier, TierSet};
use burnlab::{Error, Period};
use burnlab::{format, numeric};

/// Which tier set is in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TierChoice {
    /// A published set, scaled to the period.
    Preset(Preset),
    /// The user's own rows, written for the current period.
    Custom,
}

impl TierChoice {
    /// The name in links and menus: a preset's name, or `custom`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Preset(p) => p.as_str(),
            Self::Custom => "custom",
        }
    }

    /// Parses what [`TierChoice::as_str`] writes.
    pub fn parse(text: &str) -> burnlab::Result<Self> {
        match text.trim() {
            "custom" => Ok(Self::Custom),
            other => Preset::parse(other).map(Self::Preset).map_err(|_| {
                Error::field(
                    "tiers",
                    format!(
                        "`{other}` is not a tier set: use workbook, workbook-daily, sloth, pyrra \
                         or custom"
                    ),
                )
            }),
        }
    }
}

/// One of a row's editable cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TierCell {
    /// The long window, e.g. `1h`.
    Long,
    /// The short window, e.g. `5m`.
    Short,
    /// A factor (`14.4`) or a share of the budget (`2%`).
    Rate,
    /// The `for` duration; empty for none.
    For,
}

impl TierCell {
    /// The cell's name as the core's errors name it.
    pub fn field(self) -> &'static str {
        match self {
            Self::Long => "long window",
            Self::Short => "short window",
            Self::Rate => "factor",
            Self::For => "for",
        }
    }
}

/// One row as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct TierRow {
    /// Page or ticket.
    pub severity: Severity,
    /// The long window's text.
    pub long: String,
    /// The short window's text.
    pub short: String,
    /// A factor or, with `%`, a share of the budget.
    pub rate: String,
    /// The `for` text; empty for none.
    pub for_duration: String,
}

impl TierRow {
    /// The row that shows `tier` as it is, its factor written out.
    pub fn of(tier: &Tier) -> Self {
        Self {
            severity: tier.severity(),
            long: tier.long_window().to_string(),
            short: tier.short_window().to_string(),
            rate: format::decimal(numeric::round_sig(tier.factor(), 6)),
            for_duration: tier
                .for_duration()
                .map(|d| d.to_string())
                .unwrap_or_default(),
        }
    }

    /// The row a new line of the table starts with: a slow ticket, the Workbook's last tier.
    pub fn new_ticket() -> Self {
        Self {
            severity: Severity::Ticket,
            long: "3d".into(),
            short: "6h".into(),
            rate: "1".into(),
            for_duration: String::new(),
        }
    }

    /// The text of one cell.
    pub fn cell(&self, cell: TierCell) -> &str {
        match cell {
            TierCell::Long => &self.long,
            TierCell::Short => &self.short,
            TierCell::Rate => &self.rate,
            TierCell::For => &self.for_duration,
        }
    }

    /// Sets the text of one cell.
    pub fn set_cell(&mut self, cell: TierCell, text: String) {
        match cell {
            TierCell::Long => self.long = text,
            TierCell::Short => self.short = text,
            TierCell::Rate => self.rate = text,
            TierCell::For => self.for_duration = text,
        }
    }

    /// The tier this row describes on `period`, or the error of its first bad cell.
    pub fn parse(&self, period: Period) -> burnlab::Result<Tier> {
        Tier::parse_on(
            period,
            self.severity.as_str(),
            &self.long,
            &self.short,
            &self.rate,
            &self.for_duration,
        )
    }
}

/// An error located on one row of the custom table, and on its cell when the core names one.
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    /// 0-based row index.
    pub row: usize,
    /// The cell at fault, when the error names one.
    pub cell: Option<TierCell>,
    /// What is wrong.
    pub error: Error,
}

/// The most rows the table takes: more tiers than this is no alerting design anyone can read.
pub const MAX_ROWS: usize = 12;

/// The user's own tiers as typed, in their order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CustomTiers {
    /// The rows; empty until the user starts their own set.
    pub rows: Vec<TierRow>,
}

impl CustomTiers {
    /// Rows copied from `set`, already scaled to the period they will be used on.
    pub fn from_set(set: &TierSet) -> Self {
        Self {
            rows: set.tiers().iter().map(TierRow::of).collect(),
        }
    }

    /// The tier set these rows make on `period`, or every row's error.
    pub fn parse(&self, period: Period) -> Result<TierSet, Vec<RowError>> {
        let mut tiers = Vec::with_capacity(self.rows.len());
        let mut errors = Vec::new();
        for (row, r) in self.rows.iter().enumerate() {
            match r.parse(period) {
                Ok(t) => tiers.push(t),
                Err(error) => {
                    let cell = [
                        TierCell::Long,
                        TierCell::Short,
                        TierCell::Rate,
                        TierCell::For,
                    ]
                    .into_iter()
                    .find(|c| c.field() == error.field);
                    errors.push(RowError { row, cell, error });
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        TierSet::custom(period, tiers).map_err(|error| {
            vec![RowError {
                row: 0,
                cell: None,
                error,
            }]
        })
    }

    /// The rows as one text value for a link or for storage: a line per row, cells separated by
    /// tabs. Tabs and line breaks inside a cell (which no valid value has) become spaces.
    pub fn to_text(&self) -> String {
        let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
        self.rows
            .iter()
            .map(|r| {
                format!(
                    "{}\t{}\t{}\t{}\t{}",
                    r.severity,
                    clean(&r.long),
                    clean(&r.short),
                    clean(&r.rate),
                    clean(&r.for_duration)
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Reads what [`CustomTiers::to_text`] writes. A line whose severity is unknown becomes a
    /// page, so its other cells are kept for the user to fix; at most [`MAX_ROWS`] rows are read.
    pub fn from_text(text: &str) -> Self {
        let rows = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .take(MAX_ROWS)
            .map(|line| {
                let mut cells = line.split('\t').map(str::to_owned);
                let mut next = || cells.next().unwrap_or_default();
                let severity = Severity::parse(&next()).unwrap_or(Severity::Page);
                TierRow {
                    severity,
                    long: next(),
                    short: next(),
                    rate: next(),
                    for_duration: next(),
                }
            })
            .collect();
        Self { rows }
    }
}

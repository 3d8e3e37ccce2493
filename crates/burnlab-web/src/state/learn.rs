//! The guided lesson: the path of "Alerting and Incident Response" through the page. Each step
//! opens the section it talks about with the lesson's numbers loaded, asks a question the user
//! answers by moving something in that section, and checks the answer against the page's own
//! figures (computed by the core, as everywhere else). The steps are data ([`STEPS`]); what a
//! step loads is a list of ordinary [`Action`]s, so a step changes nothing a user could not.

use burnlab::format;
use burnlab::tiers::Severity;

use crate::services::persist::Persist;
use crate::state::rules::{RulesAction, Source};
use crate::state::{Action, Field, Section, State, TierChoice, replay, routing};

/// One step of the lesson.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// Its name in the list and the lesson bar.
    pub title: &'static str,
    /// The section it opens.
    pub section: Section,
    /// What the lesson says at this point, in two or three sentences.
    pub lesson: &'static str,
    /// The question, answered by moving something in the section.
    pub task: &'static str,
    /// What to move, shown until the answer is there.
    pub hint: &'static str,
    /// For a question answered by picking: the choices and the right one.
    pub choices: Option<(&'static [&'static str], usize)>,
}

/// The lesson's path.
pub const STEPS: [Step; 9] = [
    Step {
        title: "The 3 a.m. page",
        section: Section::Budget,
        lesson: "3 a.m., your phone buzzes: \"Task API error rate high\". Twenty minutes later you find a 30-second spike that had already cleared itself. A threshold alert pages for every blip; it knows nothing of what the service promised.",
        task: "The service promises 99.9 % over 30 days. Set the incident below to the spike: 30 s at 100 % errors. How much of the month's error budget did it spend?",
        hint: "In \"What does an incident cost?\", set the duration to 30s; the error ratio above is already 100 %.",
        choices: None,
    },
    Step {
        title: "The error budget",
        section: Section::Budget,
        lesson: "The error budget is what the objective allows to fail: 99.9 % leaves 0.1 % of the requests, the same as 43.2 minutes of full outage in 30 days. Spending it is allowed; running out is the incident.",
        task: "Add a nine: set the objective to 99.99 %. How much full outage does the month allow now?",
        hint: "Type 99.99 in the objective field (or move its slider).",
        choices: None,
    },
    Step {
        title: "Burn rate",
        section: Section::Budget,
        lesson: "Burn rate asks how fast the budget goes: the error ratio divided by the budget ratio. 1× spends it exactly over the period; at 0.5 % errors a 99.9 % SLO burns 5× and is out in 6 days.",
        task: "Find the error ratio that burns 14.4×, the Workbook's page threshold. How long does the budget last at it?",
        hint: "Change the error ratio until \"burning\" in the bar at the top reads 14.4×.",
        choices: None,
    },
    Step {
        title: "Multiwindow, multi-burn-rate tiers",
        section: Section::Tiers,
        lesson: "Each tier fires when the burn rate is above its factor over a long window (it has lasted) and a short one (it is still going on): 14.4× over 1 h and 5 min pages, 6× over 6 h and 30 min pages, 1× over 3 d and 6 h opens a ticket. At 2 % errors the 14.4× page fires first.",
        task: "Now a slow leak: set the error ratio to 0.2 %. Which tiers fire, and after how long?",
        hint: "Set \"Detection at an error ratio of\" above the table to 0.2%.",
        choices: None,
    },
    Step {
        title: "Rules, and the lesson's bug",
        section: Section::Rules,
        lesson: "The lesson's PrometheusRule is loaded as a rule file. Its page compares the ratio over 30 minutes, a series no rule records: the alert reads nothing and can never fire. The lint says so at the line.",
        task: "Switch \"Rules from\" to the form: burnlab writes the recording rules its alerts read. Does the lint still find an error?",
        hint: "Pick \"the form\" under \"Rules from\".",
        choices: None,
    },
    Step {
        title: "The Alertmanager config",
        section: Section::Routing,
        lesson: "The lesson's Alertmanager Secret routes critical alerts to PagerDuty and warnings to Slack. Alertmanager refuses it as written: its email receiver names no mail server.",
        task: "Fix the config with the change the page offers below the editor, until it reads.",
        hint: "Press \"Add smtp_smarthost to global\", then the next fix it offers.",
        choices: None,
    },
    Step {
        title: "Routing: where does an alert go?",
        section: Section::Routing,
        lesson: "Alertmanager walks the routing tree from the top: the first route whose matchers all hold takes the alert, unless it says continue. A route that needs two labels skips an alert that has one.",
        task: "An alert with severity=\"critical\", team=\"payments\" goes to the default email, not to PagerDuty. The tester says why: give it the label it lacks, so it pages.",
        hint: "Read \"Why not the other routes?\" under the tester and add that label to the alert's labels.",
        choices: None,
    },
    Step {
        title: "Replay the night",
        section: Section::Replay,
        lesson: "The night of the lesson, replayed: six 30-second spikes through the burn-rate rules and the Alertmanager config, beside the naive threshold alert. The threshold alert pages for the spikes; the tiers stay quiet, since none of them spends budget that matters.",
        task: "Make it a real incident: let the spikes' 15 % errors last an hour, once. When does a page fire now, and how much of the budget was gone by then?",
        hint: "Click the spikes on the chart (or focus them and press Enter), then set \"Times\" to 1 and \"Lasts\" to 1h.",
        choices: None,
    },
    Step {
        title: "The runbook",
        section: Section::Rules,
        lesson: "Every page needs a runbook, written before the night it is needed: what the alert means, the first five minutes of diagnostics, mitigations, whom to escalate to. burnlab writes one for each generated alert.",
        task: "Open the page alert's runbook below. What share of the 30-day budget is gone by the time the 1 h/5 min page fires?",
        hint: "Read \"Alert Meaning\" in the runbook of TaskApiAvailabilityPage1h (or the Tiers table).",
        choices: Some((&["0.1 %", "2 %", "5 %", "14.4 %"], 1)),
    },
];

/// The lesson's progress.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LearnState {
    /// The step on show in the lesson bar, if the lesson is open.
    pub step: Option<usize>,
    /// The choice picked for the step on show, for a question answered by picking.
    pub picked: Option<usize>,
    /// Steps answered, one bit each.
    pub done: u32,
}

/// A change to the lesson.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LearnAction {
    /// Open step `i`: load its numbers and show it.
    Go(usize),
    /// Pick choice `i` of the step on show.
    Pick(usize),
    /// Close the lesson bar (the progress stays).
    Leave,
}

impl LearnState {
    /// Whether step `i` has been answered.
    pub fn is_done(&self, i: usize) -> bool {
        i < 32 && self.done & (1 << i) != 0
    }
}

/// The actions that load step `i`'s numbers: the lesson's SLO (99.9 % over 30 days, the
/// Workbook's tiers) and what the question starts from.
pub fn setup(i: usize) -> Vec<Action> {
    let text = |s: &str| s.to_owned();
    let mut actions = vec![
        Action::SetObjective { text: text("99.9") },
        Action::SetPeriod { text: text("30d") },
        Action::SetTiers {
            choice: TierChoice::Preset(burnlab::Preset::Workbook),
        },
    ];
    match i {
        0 => actions.extend([
            Action::SetErrorRatio { text: text("100%") },
            Action::SetIncident { text: text("20m") },
        ]),
        1 | 2 => actions.push(Action::SetErrorRatio { text: text("0.5%") }),
        3 => actions.push(Action::SetErrorRatio { text: text("2%") }),
        4 => actions.push(Action::Rules(RulesAction::LoadFile(0))),
        5 => actions.push(Action::Routing(routing::RoutingAction::LoadExample(0))),
        6 => actions.push(Action::Routing(routing::RoutingAction::SetLabels(text(
            "severity=\"critical\", team=\"payments\"",
        )))),
        7 => actions.extend([
            Action::Replay(replay::ReplayAction::Builtin(text("3am"))),
            Action::Replay(replay::ReplayAction::ShowNaive(true)),
        ]),
        8 => actions.push(Action::Rules(RulesAction::SetSource(Source::Form))),
        _ => {}
    }
    actions
}

/// Whether the page now holds the answer to step `i`: the answer in words, with the page's
/// own figures, or `None`.
pub fn check(i: usize, state: &State) -> Option<String> {
    let report = state.figures.as_ref().map(|f| &f.report);
    let current = |fields: &[Field]| fields.iter().all(|f| state.error_for(*f).is_none());
    let lesson_slo =
        current(&[Field::Objective, Field::Period]) && report.is_some_and(|r| r.period == "30d");
    let objective = state.valid.objective.ratio();
    let errors = state.valid.errors.ratio();
    let near = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1e-12);
    match i {
        0 => {
            let f = state.figures.as_ref()?;
            let spike = lesson_slo
                && near(objective, 0.999)
                && current(&[Field::ErrorRatio, Field::Incident])
                && near(errors, 1.0)
                && state.valid.incident.as_millis() == 30_000;
            let spent = f.incident.budget_consumed?;
            spike.then(|| {
                format!(
                    "✓ {} of the month's budget: a threshold alert woke you for about one hundredth of it. A burn-rate page waits for 2 % gone in an hour.",
                    format::percent_sig(spent, 3)
                )
            })
        }
        1 => {
            let r = report?;
            (lesson_slo && near(objective, 0.9999)).then(|| {
                format!(
                    "✓ {} of full outage in 30 days: each nine divides the budget by ten (99.9 % allows 43.2 min).",
                    format::human_duration(r.budget_seconds)
                )
            })
        }
        2 => {
            let r = report?;
            let burn = r.burn_rate?;
            (lesson_slo && current(&[Field::ErrorRatio]) && (burn - 14.4).abs() < 0.05).then(|| {
                format!(
                    "✓ {} errors burn {}: the whole budget is gone in {}, so one hour spends 2 % of the month.",
                    format::percent(errors),
                    r.burn_rate_text(),
                    r.time_to_exhaustion_parts().0
                )
            })
        }
        3 => {
            let r = report?;
            let ok = lesson_slo
                && current(&[Field::ErrorRatio, Field::Tiers])
                && near(errors, 0.002)
                && state.inputs.tiers == TierChoice::Preset(burnlab::Preset::Workbook);
            if !ok {
                return None;
            }
            let (fire, quiet): (Vec<_>, Vec<_>) =
                r.tiers.iter().partition(|t| t.detection_seconds.is_some());
            let names: Vec<&str> = fire.iter().map(|t| t.label.as_str()).collect();
            let times: Vec<String> = fire
                .iter()
                .map(|t| format::human_duration(t.detection_seconds.unwrap_or_default()))
                .collect();
            let pages_quiet = quiet.iter().any(|t| t.severity == Severity::Page);
            Some(format!(
                "✓ At 0.2 % only {} {}, after {}{}: a slow leak is a ticket for the day, not a 3 a.m. page.",
                names.join(" and "),
                if names.len() == 1 { "fires" } else { "fire" },
                times.join(" and "),
                if pages_quiet {
                    "; both pages stay quiet"
                } else {
                    ""
                }
            ))
        }
        4 => {
            let rules = &state.rules;
            let clean = rules.source == Source::Form
                && rules.is_current()
                && !rules.is_stale()
                && rules.output.alerts > 0
                && rules.findings.iter().all(|f| f.level != "error");
            clean.then(|| {
                format!(
                    "✓ No error: the generated file records every series its {} alerts read, and the lint checks each one can fire.",
                    rules.output.alerts
                )
            })
        }
        5 => {
            let r = &state.routing;
            let ok = r.config_error.is_none()
                && !r.is_pending()
                && r.view.is_some()
                && r.config.contains("pagerduty-critical");
            ok.then(|| "✓ Alertmanager would load it now. The placeholders (smtp.example.com, alertmanager@example.com) are yours to replace before it goes to the cluster.".to_owned())
        }
        6 => {
            let r = &state.routing;
            let a = r.last_good.as_deref()?;
            let ok = r.config_error.is_none()
                && r.test_error().is_none()
                && a.labels == r.test.labels
                && a.receivers == "pagerduty-critical"
                && r.test.labels.contains("critical");
            ok.then(|| "✓ It pages now: the PagerDuty route needs severity=\"critical\" and slo=\"availability\" both.".to_owned())
        }
        7 => {
            let view = state.replay.view.as_ref()?;
            let s = &view.timeline.summary;
            let first = s.first_page_s?;
            let spent = s.budget_spent_before_first_page.unwrap_or_default();
            (!state.replay.is_stale()).then(|| {
                format!(
                    "✓ The first page fires {} into the night, with {} of the budget gone: a real incident pages, the blips did not.",
                    format::human_duration(first),
                    format::percent_sig(spent, 2)
                )
            })
        }
        8 => {
            let (_, right) = STEPS.get(8)?.choices?;
            (state.learn.picked == Some(right)).then(|| "✓ 2 %: an hour at 14.4 times the sustainable rate spends what 14.4 hours of the 720-hour period may. The 6 h page spends 5 % and the 3 d ticket 10 % before they fire.".to_owned())
        }
        _ => None,
    }
}

/// The lesson's place travels in links and storage as `learn=3` (the step on show, 1-based)
/// and `learn.done=5` (the answered steps, one bit each).
impl Persist for LearnState {
    fn save(&self, _mode: crate::services::persist::ShareMode, out: &mut Vec<(String, String)>) {
        if let Some(step) = self.step {
            out.push(("learn".to_owned(), (step + 1).to_string()));
        }
        if self.done != 0 {
            out.push(("learn.done".to_owned(), self.done.to_string()));
        }
    }

    fn restore(get: &dyn Fn(&str) -> Option<String>) -> Self {
        Self {
            step: get("learn")
                .and_then(|s| s.parse::<usize>().ok())
                .filter(|s| (1..=STEPS.len()).contains(s))
                .map(|s| s - 1),
            picked: None,
            done: get("learn.done")
                .and_then(|s| s.parse().ok())
                .unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use yew::Reducible;

    use super::*;

    fn step(state: Rc<State>, i: usize) -> Rc<State> {
        state.reduce(Action::Learn(LearnAction::Go(i)))
    }

    #[test]
    fn a_budget_step_loads_the_lessons_numbers_and_waits_for_the_moved_value() {
        let s = step(Rc::new(State::default()), 0);
        assert_eq!(s.learn.step, Some(0));
        assert_eq!(s.inputs.objective, "99.9");
        assert_eq!(
            check(0, &s),
            None,
            "the incident is 20 min until the user moves it"
        );
        let s = s.reduce(Action::SetIncident { text: "30s".into() });
        assert_eq!(
            check(0, &s).as_deref(),
            Some(
                "✓ 1.16 % of the month's budget: a threshold alert woke you for about one hundredth of it. A burn-rate page waits for 2 % gone in an hour."
            )
        );
        assert!(s.learn.is_done(0));
        // An invalid edit of the same field is not an answer.
        let s = step(s, 0).reduce(Action::SetIncident { text: "30".into() });
        assert_eq!(check(0, &s), None);
    }

    #[test]
    fn the_burn_rate_and_tier_steps_read_the_pages_own_figures() {
        let s = step(Rc::new(State::default()), 2);
        assert_eq!(check(2, &s), None, "0.5 % burns 5×");
        let s = s.reduce(Action::SetErrorRatio {
            text: "1.44%".into(),
        });
        assert_eq!(
            check(2, &s).as_deref(),
            Some(
                "✓ 1.44 % errors burn 14.4×: the whole budget is gone in 2 d 2 h, so one hour spends 2 % of the month."
            )
        );
        let s = step(s, 3);
        assert_eq!(check(3, &s), None, "2 % is where the step starts");
        let s = s.reduce(Action::SetErrorRatio {
            text: "0.2%".into(),
        });
        let said = check(3, &s).unwrap_or_default();
        assert!(
            said.starts_with("✓ At 0.2 % only ticket") && said.contains("both pages stay quiet"),
            "{said}"
        );
    }

    #[test]
    fn a_picked_answer_is_checked_and_the_place_travels_in_links() {
        let s = step(Rc::new(State::default()), 8);
        let s = s.reduce(Action::Learn(LearnAction::Pick(2)));
        assert_eq!(check(8, &s), None);
        let s = s.reduce(Action::Learn(LearnAction::Pick(1)));
        assert!(check(8, &s).is_some_and(|a| a.starts_with("✓ 2 %")));
        let mut out = Vec::new();
        s.learn
            .save(crate::services::persist::ShareMode::Local, &mut out);
        assert_eq!(
            out,
            [
                ("learn".to_owned(), "9".to_owned()),
                ("learn.done".to_owned(), "256".to_owned())
            ]
        );
        let back =
            LearnState::restore(&|k| out.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()));
        assert_eq!((back.step, back.done), (Some(8), 256));
        assert_eq!(LearnState::restore(&|_| Some("99".into())).step, None);
    }
}

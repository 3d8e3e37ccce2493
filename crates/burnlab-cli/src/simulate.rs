//! `burnlab simulate` and `burnlab notify`: reading files, calling the core's replay and
//! printing. Every state, send and notification is decided in the core.

use std::error::Error;
use std::path::Path;

use burnlab::Duration;
use burnlab::alertmanager::config::{Config, ConfigOptions};
use burnlab::format;
use burnlab::replay::notify::NotifyInput;
use burnlab::replay::{
    NaiveRule, Options, Outcome, Replay, Scenario, Summary, Version, builtin, events,
};
use burnlab::rules::{Grouping, Spec};
use burnlab::slo::ErrorRatio;

use crate::alertmanager::MatcherMode;

/// Which Prometheus to behave like.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum PrometheusArg {
    /// Prometheus 2.x: closed range windows `[t − r, t]` (what most run today).
    #[value(name = "2")]
    Two,
    /// Prometheus 3.x: left-open range windows `(t − r, t]`.
    #[value(name = "3")]
    Three,
}

/// `burnlab simulate`.
#[derive(clap::Args)]
pub struct SimulateArgs {
    /// The SLO spec: its SLI says which counters the scenario feeds, its objective the budget.
    #[arg(long)]
    spec: String,
    /// A scenario file (YAML or JSON), or the name of a built-in scenario.
    #[arg(long)]
    scenario: String,
    /// Which SLO of the spec (default: the first).
    #[arg(long)]
    slo: Option<String>,
    /// A rule file or PrometheusRule manifest to replay instead of the rules the spec generates.
    #[arg(long)]
    rules: Option<String>,
    /// Generated rules: one alert per severity (Sloth's layout) instead of one per tier.
    #[arg(long)]
    group_by_severity: bool,
    /// An alertmanager.yml (or Secret manifest): who is notified when.
    #[arg(long)]
    alertmanager: Option<String>,
    /// The matcher parser for the Alertmanager configuration.
    #[arg(long, value_enum, default_value = "fallback")]
    matchers: MatcherMode,
    /// Which Prometheus: 2 (closed windows, the default) or 3 (left-open windows).
    #[arg(long, value_enum, default_value = "2")]
    prometheus: PrometheusArg,
    /// The naive rule's threshold on the 5-minute error ratio: a ratio (0.01) or a percentage
    /// (1%). Default: the error budget (0.1 % at 99.9 %), as in the lesson.
    #[arg(long)]
    threshold: Option<String>,
    /// How long the naive rule's condition must hold (`for`); default 1m, as in the lesson.
    #[arg(long)]
    threshold_for: Option<String>,
    /// Leave out the naive threshold comparison.
    #[arg(long)]
    no_naive: bool,
    /// Print the result as JSON (keys documented in the CLI README).
    #[arg(long)]
    json: bool,
    /// Print the scenario as the replay read it (YAML) and stop.
    #[arg(long)]
    print_scenario: bool,
    /// Write a promtool test of the prediction (rules.yaml, test.yaml) and, with
    /// --alertmanager, an amtool script (alertmanager.yml, amtool.sh) into this directory.
    #[arg(long)]
    export_promtool: Option<String>,
}

/// `burnlab notify`.
#[derive(clap::Args)]
pub struct NotifyArgs {
    /// The alertmanager.yml (or Secret manifest).
    #[arg(long)]
    alertmanager: String,
    /// The alerts as Prometheus would send them (JSON; see the CLI README).
    #[arg(long)]
    alerts: String,
    /// The matcher parser for the configuration.
    #[arg(long, value_enum, default_value = "fallback")]
    matchers: MatcherMode,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

fn read(path: &str) -> Result<String, Box<dyn Error>> {
    Ok(std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?)
}

fn config(path: &str, mode: MatcherMode) -> Result<Config, Box<dyn Error>> {
    let text = read(path)?;
    Ok(Config::parse(
        &text,
        ConfigOptions {
            matcher_mode: mode.into(),
        },
    )
    .map_err(|e| format!("{path}: {e}"))?)
}

/// The scenario from a file, or a built-in by name.
fn scenario(arg: &str) -> Result<Scenario, Box<dyn Error>> {
    if Path::new(arg).is_file() {
        let text = read(arg)?;
        return Ok(Scenario::parse(&text).map_err(|e| format!("{arg}: {e}"))?);
    }
    if builtin::text(arg).is_some() {
        return Ok(Scenario::builtin(arg)?);
    }
    Err(format!(
        "{arg}: no such file, and not a built-in scenario (the built-ins are {})",
        builtin::names().collect::<Vec<_>>().join(", ")
    )
    .into())
}

/// `burnlab simulate`.
pub fn simulate(args: SimulateArgs) -> Result<String, Box<dyn Error>> {
    let scenario = scenario(&args.scenario)?;
    if args.print_scenario {
        return Ok(scenario.to_yaml().trim_end().to_owned());
    }
    let spec_text = read(&args.spec)?;
    let spec = Spec::parse(&spec_text).map_err(|e| format!("{}: {e}", args.spec))?;
    let rules_text = args.rules.as_deref().map(read).transpose()?;
    let am = args
        .alertmanager
        .as_deref()
        .map(|p| config(p, args.matchers))
        .transpose()?;
    let slo = match &args.slo {
        Some(name) => spec.slos.iter().find(|s| &s.name == name),
        None => spec.slos.first(),
    };
    let naive = match (&args.threshold, &args.threshold_for, slo) {
        (None, None, _) | (_, _, None) => None,
        (threshold, for_duration, Some(slo)) => {
            let mut rule = NaiveRule::lesson(slo);
            if let Some(t) = threshold {
                rule.threshold = ErrorRatio::parse(t)
                    .map_err(|e| format!("--threshold: {}", e.message))?
                    .ratio();
            }
            if let Some(f) = for_duration {
                rule.for_duration = Duration::parse(f, "--threshold-for")?;
            }
            Some(rule)
        }
    };
    let options = Options {
        prometheus: match args.prometheus {
            PrometheusArg::Two => Version::V2,
            PrometheusArg::Three => Version::V3,
        },
        generator: burnlab::rules::Options {
            grouping: if args.group_by_severity {
                Grouping::BySeverity
            } else {
                Grouping::PerTier
            },
            naive_threshold: false,
        },
        naive,
        compare_naive: !args.no_naive,
        ..Options::default()
    };
    let rules_name = args.rules.as_deref().unwrap_or(&args.spec);
    let mut replay = Replay::compile(
        &spec,
        args.slo.as_deref(),
        rules_text.as_deref(),
        am.as_ref(),
        &options,
    )
    .map_err(|e| format!("{rules_name}: {e}"))?;
    let outcome = replay
        .run(&scenario)
        .map_err(|e| format!("{}: {e}", args.scenario))?;
    let mut notes = Vec::new();
    if let Some(dir) = &args.export_promtool {
        notes.extend(export(
            &replay,
            &scenario,
            &outcome,
            am.as_ref(),
            args.alertmanager.as_deref(),
            dir,
        )?);
    }
    if args.json {
        let mut text = serde_json::to_string_pretty(&outcome)?;
        if !notes.is_empty() {
            eprintln!("{}", notes.join("\n"));
        }
        text.truncate(text.trim_end().len());
        return Ok(text);
    }
    let mut out = readable(&replay, &scenario, &outcome);
    for n in notes {
        out.push_str(&format!("\n{n}"));
    }
    Ok(out.trim_end().to_owned())
}

fn export(
    replay: &Replay,
    scenario: &Scenario,
    outcome: &Outcome,
    am: Option<&Config>,
    am_path: Option<&str>,
    dir: &str,
) -> Result<Vec<String>, Box<dyn Error>> {
    let dir = Path::new(dir);
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let files = replay.promtool_test(scenario, outcome, "rules.yaml")?;
    let write = |name: &str, text: &str| -> Result<(), Box<dyn Error>> {
        let p = dir.join(name);
        std::fs::write(&p, text).map_err(|e| format!("{}: {e}", p.display()))?;
        Ok(())
    };
    write("rules.yaml", &files.rules)?;
    write("test.yaml", &files.test)?;
    let mut notes = vec![format!(
        "wrote {} and {} ({} checks): run `promtool test rules {}`",
        dir.join("rules.yaml").display(),
        dir.join("test.yaml").display(),
        files.checks,
        dir.join("test.yaml").display()
    )];
    if let (Some(config), Some(path)) = (am, am_path) {
        write("alertmanager.yml", &read(path)?)?;
        let script = replay.amtool_script(outcome, config, "alertmanager.yml");
        write("amtool.sh", &script)?;
        notes.push(format!(
            "wrote {} and {}: run `cd {} && sh amtool.sh`",
            dir.join("alertmanager.yml").display(),
            dir.join("amtool.sh").display(),
            dir.display()
        ));
    }
    Ok(notes)
}

fn summary_lines(s: &Summary, scenario: &Scenario, out: &mut String, indent: &str) {
    out.push_str(&format!(
        "{indent}pages {}, tickets {}, false pages {}, false tickets {}, incidents never detected {}\n",
        s.pages, s.tickets, s.false_pages, s.false_tickets, s.undetected_incidents
    ));
    for i in &s.incidents {
        let name = i
            .name
            .clone()
            .unwrap_or_else(|| format!("incidents[{}]", i.index));
        let detection = match (
            i.detection_delay_s,
            i.budget_spent_before_detection,
            i.noise,
        ) {
            _ if !i.affects_sli => "adds nothing this SLI counts as bad".to_owned(),
            (Some(d), _, true) => format!(
                "alerted after {} (a false alarm)",
                format::human_duration(d)
            ),
            (None, _, true) => "no alert, as it should be".to_owned(),
            (Some(d), Some(b), false) => format!(
                "detected after {} with {} of the budget spent",
                format::human_duration(d),
                format::percent_sig(b, 3)
            ),
            _ => "NEVER DETECTED".to_owned(),
        };
        out.push_str(&format!(
            "{indent}{} `{name}`: {detection}; it spent {} of the budget\n",
            if i.noise { "blip" } else { "incident" },
            format::percent_sig(i.budget_spent, 3)
        ));
    }
    if let (Some(t), Some(b)) = (s.first_page_s, s.budget_spent_before_first_page) {
        out.push_str(&format!(
            "{indent}first page at {}, with {} of the budget spent\n",
            events::clock(scenario.start_time, (t * 1000.0).round() as i64),
            format::percent_sig(b, 3)
        ));
    }
    out.push_str(&format!(
        "{indent}budget spent by the end: {}\n",
        format::percent_sig(s.budget_spent, 3)
    ));
    if !s.notifications_per_receiver.is_empty() {
        let per: Vec<String> = s
            .notifications_per_receiver
            .iter()
            .map(|(r, n)| format!("{r} {n}"))
            .collect();
        out.push_str(&format!("{indent}notifications: {}", per.join(", ")));
        if s.uncertain_notifications > 0 {
            out.push_str(&format!(" ({} uncertain)", s.uncertain_notifications));
        }
        out.push('\n');
    }
}

fn readable(replay: &Replay, scenario: &Scenario, outcome: &Outcome) -> String {
    let slo = replay.slo();
    let mut out = format!(
        "scenario {}: {} from {}, {} requests/s, {} errors\nSLO {}: {} over {}\n\n",
        scenario.name.as_deref().unwrap_or("(unnamed)"),
        scenario.duration,
        events::clock(scenario.start_time, 0),
        format::sig(scenario.requests_per_second, 4),
        format::percent(scenario.error_ratio),
        slo.name,
        format::percent(slo.objective.ratio()),
        slo.period,
    );
    for w in outcome
        .scenario_warnings
        .iter()
        .chain(&outcome.timeline.warnings)
    {
        out.push_str(&format!("warning: {w}\n"));
    }
    for e in events::of(outcome, scenario) {
        out.push_str(&format!("{}  {}\n", e.clock, e.text));
    }
    out.push_str("\nsummary\n");
    summary_lines(&outcome.timeline.summary, scenario, &mut out, "  ");
    if let Some(n) = &outcome.naive {
        out.push_str(&format!(
            "\nnaive threshold (error ratio over {} above {} for {})\n",
            n.rule.window,
            format::percent(n.rule.threshold),
            n.rule.for_duration
        ));
        for e in events::of_timeline(&n.timeline, scenario)
            .iter()
            .filter(|e| e.text.starts_with("FIRING") || e.text.starts_with("resolved"))
        {
            out.push_str(&format!("{}  {}\n", e.clock, e.text));
        }
        summary_lines(&n.timeline.summary, scenario, &mut out, "  ");
    }
    out
}

/// `burnlab notify`.
pub fn notify(args: NotifyArgs) -> Result<String, Box<dyn Error>> {
    let config = config(&args.alertmanager, args.matchers)?;
    let input =
        NotifyInput::parse(&read(&args.alerts)?).map_err(|e| format!("{}: {e}", args.alerts))?;
    let outcome = input.run(&config)?;
    if args.json {
        return Ok(serde_json::to_string_pretty(&outcome)?);
    }
    let mut out = String::new();
    for w in &outcome.warnings {
        out.push_str(&format!("warning: {w}\n"));
    }
    for n in &outcome.notifications {
        let names = |ls: &[burnlab::alertmanager::matchers::Labels]| {
            ls.iter()
                .map(|l| {
                    events::label_text(l).replacen(
                        '{',
                        &format!("{}{{", l.get("alertname").map_or("", String::as_str)),
                        1,
                    )
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        out.push_str(&format!(
            "{:>10.3}s  {} via {}{}\n",
            n.at_s,
            n.receiver,
            n.integration,
            if n.uncertain { " (uncertain)" } else { "" }
        ));
        if !n.firing.is_empty() {
            out.push_str(&format!("             firing   {}\n", names(&n.firing)));
        }
        if !n.resolved.is_empty() {
            out.push_str(&format!("             resolved {}\n", names(&n.resolved)));
        }
    }
    if outcome.notifications.is_empty() {
        out.push_str("no notifications\n");
    }
    Ok(out.trim_end().to_owned())
}

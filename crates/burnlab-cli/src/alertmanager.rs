//! `burnlab route` and `burnlab check`: amtool's `config routes test|show` and `check-config`
//! over the core's Alertmanager model. Reading files and printing only.

use std::error::Error;

use burnlab::alertmanager::config::{Config, ConfigOptions};
use burnlab::alertmanager::matchers::{self, Labels, ParserMode};

/// The matcher parser chosen on the command line.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum MatcherMode {
    /// Alertmanager 0.22–0.26 and amtool 0.25.
    Classic,
    /// Alertmanager 0.27+'s strict UTF-8 parser.
    Utf8,
    /// Alertmanager 0.27+'s default: classic when it parses, UTF-8 otherwise.
    Fallback,
}

impl From<MatcherMode> for ParserMode {
    fn from(m: MatcherMode) -> Self {
        match m {
            MatcherMode::Classic => ParserMode::Classic,
            MatcherMode::Utf8 => ParserMode::Utf8,
            MatcherMode::Fallback => ParserMode::Fallback,
        }
    }
}

fn load(path: &str, mode: MatcherMode) -> Result<Config, Box<dyn Error>> {
    let text = crate::io::read(path)?;
    Ok(Config::parse(
        &text,
        ConfigOptions {
            matcher_mode: mode.into(),
        },
    )?)
}

/// `burnlab route`: the matched receivers, comma-separated, as `amtool config routes test`
/// prints them; with `tree`, the whole tree with the matched path marked first.
pub fn route(
    config: &str,
    labels: &[String],
    tree: bool,
    mode: MatcherMode,
) -> Result<String, Box<dyn Error>> {
    let config = load(config, mode)?;
    let mut set = Labels::new();
    for arg in labels {
        let (name, value) =
            matchers::parse_label(arg).map_err(|e| format!("Failed to parse labels: {e}"))?;
        set.insert(name, value);
    }
    let receivers = config.route.receivers_line(&set);
    if tree {
        Ok(format!(
            "{}\n{receivers}",
            config.route.render_matched(&set)
        ))
    } else {
        Ok(receivers)
    }
}

/// `burnlab route --show` without labels: the tree as `amtool config routes show` prints it.
pub fn show(config: &str, mode: MatcherMode) -> Result<String, Box<dyn Error>> {
    Ok(load(config, mode)?.route.render())
}

/// `burnlab check`: amtool check-config's report, with the error located. Prints the report
/// itself and returns an error when the file is invalid, so the exit status says so.
pub fn check(config: &str, mode: MatcherMode, lint: bool) -> Result<String, Box<dyn Error>> {
    match load(config, mode) {
        Ok(c) => {
            let mut out = format!("Checking '{config}'  SUCCESS\nFound:\n");
            out.push_str(" - global config\n - route\n");
            out.push_str(&format!(
                " - {} inhibit rules\n - {} receivers\n - {} templates\n",
                c.inhibit_rules.len(),
                c.receivers.len(),
                c.templates.len()
            ));
            if !c.templates.is_empty() {
                // As amtool check-config: the templates are loaded after the config is read.
                match check_templates(config, &c.templates) {
                    Ok(()) => out.push_str("  SUCCESS\n"),
                    Err(e) => {
                        return Err(Box::new(crate::io::Reported {
                            stdout: format!("{out}  FAILED: {e}\n"),
                            message: "failed to validate 1 file(s)".into(),
                        }));
                    }
                }
            }
            for w in &c.warnings {
                out.push_str(&format!("  WARNING: {w}\n"));
            }
            if lint {
                for l in burnlab::alertmanager::lint::lint(&c) {
                    out.push_str(&format!(
                        "  LINT: line {}: {}: {}\n",
                        l.line, l.path, l.message
                    ));
                }
            }
            Ok(out)
        }
        Err(e) => Err(Box::new(crate::io::Reported {
            stdout: format!("Checking '{config}'  FAILED: {e}\n"),
            message: "failed to validate 1 file(s)".into(),
        })),
    }
}

/// Loads `templates:` as Alertmanager does: globs relative to the config file's folder, a
/// glob matching nothing is fine, every matched file must parse.
fn check_templates(config: &str, globs: &[String]) -> Result<(), Box<dyn Error>> {
    use burnlab::alertmanager::templates;
    let base = std::path::Path::new(config)
        .parent()
        .unwrap_or_else(|| std::path::Path::new(""));
    let mut files = Vec::new();
    for glob in globs {
        let pattern = if glob.starts_with('/') {
            glob.clone()
        } else {
            base.join(glob).to_string_lossy().into_owned()
        };
        templates::check_glob(&pattern)?;
        for path in expand_glob(&pattern)? {
            let text = crate::io::read(&path)?;
            files.push((path, text));
        }
    }
    Ok(templates::check_files(&files)?)
}

/// The files a glob matches, folder by folder and sorted, as Go's `filepath.Glob` lists them.
fn expand_glob(pattern: &str) -> Result<Vec<String>, Box<dyn Error>> {
    use burnlab::alertmanager::templates;
    let mut found: Vec<String> = vec![if pattern.starts_with('/') {
        String::new()
    } else {
        ".".to_owned()
    }];
    let segments: Vec<&str> = pattern.trim_start_matches('/').split('/').collect();
    for segment in segments {
        let mut next = Vec::new();
        for dir in &found {
            let join = |name: &str| {
                if dir == "." {
                    name.to_owned()
                } else {
                    format!("{dir}/{name}")
                }
            };
            if !templates::has_meta(segment) {
                let path = join(segment);
                if std::path::Path::new(&path).exists() {
                    next.push(path);
                }
                continue;
            }
            let listing = if dir.is_empty() { "/" } else { dir.as_str() };
            let Ok(entries) = std::fs::read_dir(listing) else {
                continue;
            };
            let mut names: Vec<String> = entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            for name in names {
                if templates::glob_match(segment, &name)? {
                    next.push(join(&name));
                }
            }
        }
        found = next;
    }
    Ok(found)
}

/// `burnlab alertmanager …`.
#[derive(clap::Subcommand)]
pub enum AlertmanagerCommand {
    /// Write an alertmanager.yml from a routing intent: which severity goes to which receiver,
    /// a fallback, grouping, timers and tier inhibition. Credentials are placeholders to replace.
    Generate(GenerateArgs),
}

/// `burnlab alertmanager generate`.
#[derive(clap::Args)]
pub struct GenerateArgs {
    /// A severity route, SEVERITY=KIND[:NAME] with KIND one of pagerduty, slack, email, webhook;
    /// repeat for each severity, in order [default: page=pagerduty:pager, ticket=slack:tickets].
    #[arg(long = "route", value_name = "SEVERITY=KIND[:NAME]")]
    routes: Vec<String>,
    /// The receiver of everything no severity route takes, KIND[:NAME].
    #[arg(long, default_value = "email:default", value_name = "KIND[:NAME]")]
    fallback: String,
    /// The root's group_by, comma-separated.
    #[arg(long, default_value = "alertname,slo")]
    group_by: String,
    /// group_wait.
    #[arg(long, default_value = "30s")]
    group_wait: String,
    /// group_interval.
    #[arg(long, default_value = "5m")]
    group_interval: String,
    /// repeat_interval.
    #[arg(long, default_value = "4h")]
    repeat_interval: String,
    /// The label holding the severity.
    #[arg(long, default_value = "severity")]
    severity_label: String,
    /// The label naming the SLO: a firing alert inhibits only alerts of the same SLO.
    #[arg(long, default_value = "slo")]
    slo_label: String,
    /// The severity whose firing alerts inhibit the other severities of the same SLO.
    #[arg(long, default_value = "page", conflicts_with = "no_inhibit")]
    inhibit: String,
    /// Write no inhibit rule.
    #[arg(long)]
    no_inhibit: bool,
    /// Wrap the config in the Kubernetes Secret manifest the Prometheus Operator reads.
    #[arg(long)]
    secret: bool,
    /// The Secret's name (with --secret).
    #[arg(long, default_value = "alertmanager-main", requires = "secret")]
    name: String,
    /// The Secret's namespace (with --secret).
    #[arg(long, default_value = "monitoring", requires = "secret")]
    namespace: String,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long = "output")]
    output: Option<String>,
}

/// `burnlab alertmanager generate`: the intent from the flags, the config from the core.
pub fn generate(args: GenerateArgs) -> Result<String, Box<dyn Error>> {
    use burnlab::alertmanager::generate::{alertmanager_yaml, secret_manifest};
    use burnlab::intent::{self, IntentForm};
    let mut form = IntentForm::default();
    if !args.routes.is_empty() {
        form.routes = args
            .routes
            .iter()
            .map(|r| intent::parse_route_arg(r))
            .collect::<Result<_, _>>()?;
    }
    let (kind, name) = intent::parse_receiver_arg(&args.fallback, "--fallback")?;
    form.fallback_kind = intent::kind_name(kind).to_owned();
    form.fallback = name;
    form.group_by = args.group_by;
    form.group_wait = args.group_wait;
    form.group_interval = args.group_interval;
    form.repeat_interval = args.repeat_interval;
    form.severity_label = args.severity_label;
    form.slo_label = args.slo_label;
    form.inhibit = if args.no_inhibit {
        String::new()
    } else {
        args.inhibit
    };
    let mut text = alertmanager_yaml(&form.to_intent()?)?;
    if args.secret {
        text = secret_manifest(&text, &args.name, &args.namespace);
    }
    match args.output {
        Some(path) => {
            crate::io::write_file(&path, &text)?;
            Ok(format!("wrote {path}"))
        }
        None => Ok(text.trim_end().to_owned()),
    }
}

//! The page's path to Go's Unicode tables: without the core's `unicode-tables` feature (the
//! page's build), a config whose regexes need the tables is refused with a recognisable error
//! until the tables are installed from the data file; then it routes as the CLI does.
//! `cargo xtask test` runs this file on its own, so that the feature is really off.

use burnlab::alertmanager::config::{Config, ConfigOptions, labels_from_pairs};
use burnlab::alertmanager::unicode;

const CONFIG: &str = "route:\n  receiver: d\n  routes:\n    - receiver: greek\n      matchers: ['a=~\"\\\\p{Greek}+\"']\n    - receiver: kelvin\n      match_re: {a: '(?i)k'}\nreceivers: [{name: d}, {name: greek}, {name: kelvin}]\n";

fn receivers(config: &Config, value: &str) -> String {
    config
        .route
        .receivers_line(&labels_from_pairs([("a", value)]))
}

#[test]
fn a_config_that_needs_unicode_tables_routes_once_they_are_installed() {
    assert!(unicode::needed(CONFIG));
    let first = Config::parse(CONFIG, ConfigOptions::default());
    if cfg!(feature = "unicode-tables") {
        assert!(unicode::installed().is_some());
    } else {
        // Nothing is installed yet: the error says so, and no answer is given.
        assert!(
            matches!(&first, Err(e) if unicode::is_missing(e) && e.field == "route.routes[0].matchers[0]"),
            "{first:?}"
        );
        // ASCII case folding works without them.
        let ascii = "route:\n  receiver: d\n  routes:\n    - receiver: k\n      match_re: {a: '(?i)k'}\nreceivers: [{name: d}, {name: k}]\n";
        let config = Config::parse(ascii, ConfigOptions::default());
        assert_eq!(
            config.map(|c| receivers(&c, "\u{212A}")),
            Ok("k".to_owned())
        );
    }
    let bytes = include_bytes!("../data/go-unicode-13.bin");
    assert_eq!(unicode::install(bytes), Ok(()));
    let config = Config::parse(CONFIG, ConfigOptions::default());
    let answers = config.map(|c| {
        ["αβγ", "K", "\u{212A}", "x"]
            .iter()
            .map(|v| receivers(&c, v))
            .collect::<Vec<_>>()
    });
    assert_eq!(
        answers,
        Ok(vec![
            "greek".into(),
            "kelvin".into(),
            "kelvin".into(),
            "d".into()
        ])
    );
}

//! The one-click fixes of config errors, taken as a user takes them in the page: the lesson's
//! Secret mended by adding its SMTP settings, a missing `global` block written in place, flow
//! mappings kept flow, misspelt fields renamed. (The real amtool's verdict on mended configs is
//! `crates/burnlab-cli/tests/config_errors.rs`.)

// Test helpers outside `#[test]` functions panic on purpose: a panic is a failed case.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use burnlab::alertmanager::config::{Config, ConfigOptions};
use burnlab_testkit::fixtures::fixture;
use burnlab_testkit::mend::mend;

#[test]
fn the_lessons_secret_is_mended_by_adding_the_smtp_settings_to_global() {
    let lesson = fixture("alertmanager/lesson.secret.yaml");
    let (taken, text) = mend(&lesson, 0).unwrap();
    assert_eq!(
        taken,
        [
            "no global SMTP smarthost set: Add smtp_smarthost to global",
            "no global SMTP from set: Add smtp_from to global",
        ]
    );
    // The settings sit in the block scalar, under `global:`, at its entries' indentation.
    assert!(
        text.contains(
            "    global:\n      smtp_from: 'alertmanager@example.com'\n      smtp_smarthost: 'smtp.example.com:587'\n      resolve_timeout: 5m\n"
        ),
        "{text}"
    );
    // Or in the email config itself.
    let (taken, text) = mend(&lesson, 1).unwrap();
    assert_eq!(
        taken,
        [
            "no global SMTP smarthost set: Add smarthost to this email config",
            "no global SMTP from set: Add from to this email config",
        ]
    );
    assert!(
        text.contains("      - from: 'alertmanager@example.com'\n        smarthost: 'smtp.example.com:587'\n        to: 'team@example.com'\n"),
        "{text}"
    );
}

#[test]
fn a_missing_global_block_is_written_above_the_first_key_and_flow_mappings_stay_flow() {
    let (taken, text) = mend(
        "route: {receiver: s}\nreceivers:\n  - name: s\n    slack_configs: [{channel: '#a'}]\n",
        0,
    )
    .unwrap();
    assert_eq!(
        taken,
        ["no global Slack API URL set either inline or in a file: Add slack_api_url to global"]
    );
    assert_eq!(
        text,
        "global:\n  slack_api_url: 'https://example.com/REPLACE-ME'\nroute: {receiver: s}\nreceivers:\n  - name: s\n    slack_configs: [{channel: '#a'}]\n"
    );
    let (_, text) = mend(
        "route: {receiver: s}\nreceivers:\n  - name: s\n    slack_configs: [{channel: '#a'}]\n",
        1,
    )
    .unwrap();
    assert!(
        text.contains(
            "slack_configs: [{api_url: 'https://example.com/REPLACE-ME', channel: '#a'}]"
        ),
        "{text}"
    );
}

#[test]
fn a_misspelt_field_is_renamed_to_the_one_it_is_close_to() {
    let (taken, text) = mend(
        "route:\n  recevier: a\n  group_wiat: 1m\nreceivers: [{name: a}]\n",
        0,
    )
    .unwrap();
    assert_eq!(
        taken,
        [
            "field recevier not found in type config.plain (did you mean `receiver`? allowed here: receiver, group_by, match, match_re, matchers, mute_time_intervals, active_time_intervals, continue, routes, group_wait, group_interval, repeat_interval): Rename recevier to receiver",
            "field group_wiat not found in type config.plain (did you mean `group_wait`? allowed here: receiver, group_by, match, match_re, matchers, mute_time_intervals, active_time_intervals, continue, routes, group_wait, group_interval, repeat_interval): Rename group_wiat to group_wait",
        ]
    );
    assert_eq!(
        text,
        "route:\n  receiver: a\n  group_wait: 1m\nreceivers: [{name: a}]\n"
    );
    // A name far from every field gets no fix.
    let e = Config::parse(
        "route: {receiver: a, zzzzzz: 1}\nreceivers: [{name: a}]\n",
        ConfigOptions::default(),
    )
    .unwrap_err();
    assert!(e.fixes.is_empty(), "{e:?}");
}

//! A config mended as a user mends it in the page: the first error's fix taken (the one at
//! `pick`, or the first there is), the config read again, until it reads.

use burnlab::alertmanager::config::{Config, ConfigOptions};

/// The fixes taken, as `error message: fix label`, and the text that reads; or why the text
/// could not be mended (an error without a fix, a fix that does not apply, eight fixes not
/// enough).
pub fn mend(text: &str, pick: usize) -> Result<(Vec<String>, String), String> {
    let mut text = text.to_owned();
    let mut taken = Vec::new();
    for _ in 0..8 {
        let Err(e) = Config::parse(&text, ConfigOptions::default()) else {
            return Ok((taken, text));
        };
        let fix = e
            .fixes
            .get(pick)
            .or_else(|| e.fixes.first())
            .ok_or_else(|| format!("no fix for {e}\n{text}"))?;
        taken.push(format!("{}: {}", e.message, fix.label));
        text = fix
            .apply(&text)
            .ok_or_else(|| format!("{} does not apply to\n{text}", fix.label))?;
    }
    Err(format!("still invalid after 8 fixes: {taken:?}\n{text}"))
}

//! The Alertmanager configs the session has read, shared by the Routing and Replay sections:
//! a text is read once however many requests carry it, and both sections go on from the same
//! last valid config while the typed one is invalid.

use burnlab::Error;
use burnlab::alertmanager::config::{Config, ConfigOptions};
use burnlab::alertmanager::matchers::ParserMode;

use crate::sized;

/// A config text and the matcher parser it is read with.
pub type ConfigText = (String, ParserMode);

/// The last config text read with what it read as, and the last valid one.
#[derive(Debug, Default)]
pub struct Configs {
    /// The last text read and its error (`None`: it is the valid one).
    last: Option<(ConfigText, Option<Error>)>,
    /// The last text that read as a valid config, and the config.
    valid: Option<(ConfigText, Config)>,
}

impl Configs {
    /// Reads `text` with `mode` unless it is the text read last, and returns its error, if any.
    /// A text over the page's cap is refused by name without being read. An invalid text
    /// leaves the last valid config in place.
    pub fn read(&mut self, text: &str, mode: ParserMode) -> Option<&Error> {
        let same = self
            .last
            .as_ref()
            .is_some_and(|((t, m), _)| *m == mode && t == text);
        if !same {
            let read = sized(text.len(), "config")
                .and_then(|()| Config::parse(text, ConfigOptions { matcher_mode: mode }));
            let error = match read {
                Ok(config) => {
                    self.valid = Some(((text.to_owned(), mode), config));
                    None
                }
                Err(e) => Some(e),
            };
            self.last = Some(((text.to_owned(), mode), error));
        }
        self.last.as_ref().and_then(|(_, e)| e.as_ref())
    }

    /// The last valid config and its text.
    pub fn valid(&self) -> Option<(&ConfigText, &Config)> {
        self.valid.as_ref().map(|(t, c)| (t, c))
    }
}

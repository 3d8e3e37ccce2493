//! Fuzz target `replay_scenario`: what it checks is `burnlab_fuzz_checks::check("replay_scenario", …)`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(broken) = burnlab_fuzz_checks::check("replay_scenario", data) {
        panic!("{broken}");
    }
});

//! Fuzz target `rules_lint`: what it checks is `burnlab_fuzz_checks::check("rules_lint", …)`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(broken) = burnlab_fuzz_checks::check("rules_lint", data) {
        panic!("{broken}");
    }
});

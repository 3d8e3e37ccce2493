//! Fuzz target `am_config`: what it checks is `burnlab_fuzz_checks::check("am_config", …)`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(broken) = burnlab_fuzz_checks::check("am_config", data) {
        panic!("{broken}");
    }
});

//! Fuzz target `duration`: what it checks is `burnlab_fuzz_checks::check("duration", …)`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(broken) = burnlab_fuzz_checks::check("duration", data) {
        panic!("{broken}");
    }
});

//! Fuzz target `time_intervals`: what it checks is `burnlab_fuzz_checks::check("time_intervals", …)`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(broken) = burnlab_fuzz_checks::check("time_intervals", data) {
        panic!("{broken}");
    }
});

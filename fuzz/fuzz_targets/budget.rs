//! Fuzz target `budget`: what it checks is `burnlab_fuzz_checks::check("budget", …)`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(broken) = burnlab_fuzz_checks::check("budget", data) {
        panic!("{broken}");
    }
});

//! Fuzz target `matchers`: what it checks is `burnlab_fuzz_checks::check("matchers", …)`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(broken) = burnlab_fuzz_checks::check("matchers", data) {
        panic!("{broken}");
    }
});

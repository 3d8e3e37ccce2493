//! Fuzz target `tester`: what it checks is `burnlab_fuzz_checks::check("tester", …)`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(broken) = burnlab_fuzz_checks::check("tester", data) {
        panic!("{broken}");
    }
});

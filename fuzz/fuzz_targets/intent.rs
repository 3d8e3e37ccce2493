//! Fuzz target `intent`: what it checks is `burnlab_fuzz_checks::check("intent", …)`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(broken) = burnlab_fuzz_checks::check("intent", data) {
        panic!("{broken}");
    }
});

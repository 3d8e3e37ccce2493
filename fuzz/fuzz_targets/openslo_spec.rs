//! Fuzz target `openslo_spec`: what it checks is `burnlab_fuzz_checks::check("openslo_spec", …)`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(broken) = burnlab_fuzz_checks::check("openslo_spec", data) {
        panic!("{broken}");
    }
});

//! Fuzz target `sloth_spec`: what it checks is `burnlab_fuzz_checks::check("sloth_spec", …)`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(broken) = burnlab_fuzz_checks::check("sloth_spec", data) {
        panic!("{broken}");
    }
});

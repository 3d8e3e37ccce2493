//! Fuzz target `gotemplate`: what it checks is `burnlab_fuzz_checks::check("gotemplate", …)`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(broken) = burnlab_fuzz_checks::check("gotemplate", data) {
        panic!("{broken}");
    }
});

//! Fuzz target `promql`: what it checks is `burnlab_fuzz_checks::check("promql", …)`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(broken) = burnlab_fuzz_checks::check("promql", data) {
        panic!("{broken}");
    }
});

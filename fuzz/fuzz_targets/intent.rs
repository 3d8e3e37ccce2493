//! Fuzz target `intent`: what it checks is `burnlab_fuzz_checks::intent`. Called by name, not
//! through `burnlab_fuzz_checks::check`, so that only this check's code is linked in: every
//! coverage counter in the binary is cleared and scanned on every input, and with all the
//! checks linked there were 110,000 of them whatever the target.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(broken) = burnlab_fuzz_checks::intent(data) {
        panic!("{broken}");
    }
});

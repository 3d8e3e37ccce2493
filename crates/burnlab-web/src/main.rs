//! Entry point of the page Trunk builds for the first load: see `burnlab_web::run`.

fn main() {
    burnlab_web::run();
}

//! The full build of the page, every section included: loaded on demand when the Replay
//! section opens (see `services::full_build`).

fn main() {
    burnlab_web::run();
}

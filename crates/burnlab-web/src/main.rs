//! Entry point of the page Trunk builds: mounts the app on `<body>`.

fn main() {
    yew::Renderer::<burnlab_web::App>::new().render();
}

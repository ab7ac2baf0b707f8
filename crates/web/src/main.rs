fn main() {
    yew::Renderer::<moat_web::App>::new().render();
}

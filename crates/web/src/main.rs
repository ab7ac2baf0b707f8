fn main() {
    moat_web::start();
}

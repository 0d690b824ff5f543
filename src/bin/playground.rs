//! The playground's entry point (`trunk serve`; see `src/app/`).
fn main() {
    #[cfg(target_arch = "wasm32")]
    seedance::app::main();
}

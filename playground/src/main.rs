//! The playground's entry point: Trunk builds this binary (see `index.html`).
fn main() {
    #[cfg(target_arch = "wasm32")]
    seedance_playground::main();
}

//! The jobs app's entry point (films, variations, batches): Trunk builds it beside the
//! first app (see `index.html`), and the first app loads it on first use.
fn main() {
    #[cfg(target_arch = "wasm32")]
    seedance_playground::jobs_main();
}

//! The wasm32 side: moving bytes between workerd and the pure modules. Everything that
//! decides is in the crate root's modules; here are the fetches, streams and storage.

mod body;
mod generate;
mod handler;
mod js;
mod store;
mod upstream;

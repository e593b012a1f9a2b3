//! wasm-bindgen pass-throughs into the mtlskit core.

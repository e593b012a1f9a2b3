//! The `mtlskit` command.
fn main() {}

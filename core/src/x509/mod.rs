//! Typed X.509 values.

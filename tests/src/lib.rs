//! Shared helpers for the cross-runtime and scenario tests.

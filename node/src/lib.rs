//! napi-rs pass-throughs into the mtlskit core.

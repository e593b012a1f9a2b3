//! (not yet written: see the open issue for this module)

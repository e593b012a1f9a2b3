//! Inspection reports.

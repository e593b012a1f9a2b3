//! Input sniffing.

//! Strict DER reading, borrowing the input (to be filled by the first structure moved onto it).

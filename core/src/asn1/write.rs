//! DER writing into a `Vec<u8>` (to be filled by the first structure moved onto it).

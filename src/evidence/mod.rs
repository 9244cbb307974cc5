//! The evidence Guichet keeps: an append-only probe log whose records are
//! hash-chained per target ([`chain`]), and the walk that checks those chains
//! ([`verify`]). Neither knows how the records are stored: the store reads
//! them and hands them over in order.

pub mod chain;
pub mod verify;

//! Seedance 2.0 client.

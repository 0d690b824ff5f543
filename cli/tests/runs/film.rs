//! `seedance film`.

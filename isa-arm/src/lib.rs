//! AArch64 for remu (work in progress).

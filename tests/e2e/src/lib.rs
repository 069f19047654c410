//! The E2E tests live in `tests/`; this crate has no library code.

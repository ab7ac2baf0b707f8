//! Generated designs for benchmarks and tests (being written).

//! VM sizes and dedicated host SKUs. Written by the isolation work of issue 5.

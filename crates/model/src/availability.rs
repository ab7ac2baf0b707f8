//! Availability estimates (SPEC §6). Written by the availability work of issue 5/6.

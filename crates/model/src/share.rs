//! Share links: the design compressed into the URL fragment (`#design=…`), so a link carries
//! the whole design and no server is involved.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::design::Design;
use crate::format::{self, Loaded};

/// What a share fragment starts with.
pub const PREFIX: &str = "design=";

/// The fragment (without `#`) that carries the design.
pub fn encode(design: &Design) -> String {
    let json = format::to_value(design).to_string();
    let packed = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9);
    format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(packed))
}

/// Reads a fragment made by [`encode`] (with or without the leading `#`).
pub fn decode(fragment: &str) -> Result<Loaded, String> {
    let data = fragment.trim_start_matches('#').strip_prefix(PREFIX).ok_or("the link carries no design")?;
    let packed = URL_SAFE_NO_PAD.decode(data.trim()).map_err(|_| "the link's design is damaged (not base64url)")?;
    // A bound on the unpacked size keeps a hostile link from exhausting memory.
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, 64 * 1024 * 1024)
        .map_err(|_| "the link's design is damaged (not deflate data)")?;
    let text = String::from_utf8(json).map_err(|_| "the link's design is not UTF-8 text")?;
    format::load(&text).map_err(|e| format!("the link's design: {e}"))
}

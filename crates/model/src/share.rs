//! Share links: the design compressed into the URL fragment (`#design=…`), so a link carries
//! the whole design and no server is involved.
//!
//! A fragment is `design=` and the base64url (no padding) of the design's JSON packed as raw
//! deflate (RFC 1951). [`encode`] and [`decode`] do it all here. The web app packs and unpacks
//! with the browser's own `CompressionStream` instead (a deflate of its own would be 10 KB of
//! its download), through the steps they are made of: [`json_of`], [`fragment_of`],
//! [`packed_in`] and [`design_in`], with [`MAX_UNPACKED`] and [`NOT_DEFLATE`].

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::design::Design;
use crate::format::{self, Loaded};

/// What a share fragment starts with.
pub const PREFIX: &str = "design=";

/// The most a link's design may unpack to: a bound that keeps a hostile link from
/// exhausting memory.
pub const MAX_UNPACKED: usize = 64 * 1024 * 1024;

/// Why a link's packed design cannot be unpacked (damaged, or past [`MAX_UNPACKED`]).
pub const NOT_DEFLATE: &str = "the link's design is damaged (not deflate data)";

/// The fragment (without `#`) that carries the design.
pub fn encode(design: &Design) -> String {
    fragment_of(&miniz_oxide::deflate::compress_to_vec(json_of(design).as_bytes(), 9))
}

/// Reads a fragment made by [`encode`] (with or without the leading `#`).
pub fn decode(fragment: &str) -> Result<Loaded, String> {
    let packed = packed_in(fragment)?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_UNPACKED).map_err(|_| NOT_DEFLATE)?;
    design_in(json)
}

/// The JSON text a link carries for `design`, before it is packed.
pub fn json_of(design: &Design) -> String {
    format::to_value(design).to_string()
}

/// The fragment (without `#`) for a design's packed JSON.
pub fn fragment_of(packed: &[u8]) -> String {
    format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(packed))
}

/// The packed JSON a fragment carries (with or without the leading `#`).
pub fn packed_in(fragment: &str) -> Result<Vec<u8>, String> {
    let data = fragment.trim_start_matches('#').strip_prefix(PREFIX).ok_or("the link carries no design")?;
    URL_SAFE_NO_PAD.decode(data.trim()).map_err(|_| "the link's design is damaged (not base64url)".to_owned())
}

/// The design of a link's unpacked JSON.
pub fn design_in(json: Vec<u8>) -> Result<Loaded, String> {
    let text = String::from_utf8(json).map_err(|_| "the link's design is not UTF-8 text")?;
    format::load(&text).map_err(|e| format!("the link's design: {e}"))
}

//! Azure's public regions (`assets/regions.json`): location names, geographies, region
//! pairs and availability-zone support, with the source of the data in the file.

use std::sync::OnceLock;

use serde::Deserialize;

/// One Azure region.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegionInfo {
    /// ARM location name, e.g. `westeurope`.
    pub name: String,
    pub display_name: String,
    /// The geography, the boundary of data residency.
    pub geography: String,
    /// The region pair, when the region has one.
    pub paired_with: Option<String>,
    /// Whether the region has availability zones.
    pub zones: bool,
}

/// The region table with where it came from.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct RegionTable {
    pub source: String,
    pub retrieved: String,
    pub regions: Vec<RegionInfo>,
}

impl RegionTable {
    /// Looks a region up by its ARM name (case-insensitive, as ARM is).
    pub fn get(&self, name: &str) -> Option<&RegionInfo> {
        self.regions.iter().find(|region| region.name.eq_ignore_ascii_case(name))
    }
}

static TABLE: OnceLock<RegionTable> = OnceLock::new();

/// The region table: built in, or read from the site (see [`crate::tables`]).
pub fn regions() -> &'static RegionTable {
    TABLE.get_or_init(|| crate::tables::built_in!("regions.json"))
}

/// Makes `text` (the content of `regions.json`) the table lookups use, unless one is in use
/// already. See [`crate::tables`].
pub(crate) fn install(text: &str) -> Result<(), String> {
    let _ = TABLE.set(crate::tracked::from_json(text)?);
    Ok(())
}

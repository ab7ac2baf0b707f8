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
#[derive(Clone, Debug, Deserialize)]
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

const REGIONS_JSON: &str = include_str!("../../../assets/regions.json");

/// The built-in region table. The asset is checked by a test, so reading it cannot fail
/// in a released build.
pub fn regions() -> &'static RegionTable {
    static TABLE: OnceLock<RegionTable> = OnceLock::new();
    TABLE.get_or_init(|| crate::tracked::from_json(REGIONS_JSON).expect("assets/regions.json is valid (tested)"))
}

//! VM sizes and dedicated host SKUs (`assets/compute.json`): which sizes are isolated (one
//! customer per server), each size's vCPUs, memory and series, and each dedicated host SKU's
//! series and capacity, with the Microsoft Learn pages they come from in the file.
//!
//! Lookups are case-insensitive, as ARM is. A size missing from the table still has a series,
//! derived from its ARM name (`Standard_D4s_v5` is a `Dsv5`), so a host/size mismatch can be
//! told for any size; its vCPUs are only known from the table.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde::Deserialize;

/// One VM size.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SizeInfo {
    pub vcpus: u32,
    #[serde(rename = "memoryGiB")]
    pub memory_gib: f64,
    /// The size series, e.g. `Dsv5`.
    pub series: String,
}

/// One dedicated host SKU (e.g. `Dsv5-Type1`).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HostSku {
    /// The VM series a host of this SKU runs; no other size can be placed on it.
    pub series: Vec<String>,
    /// vCPUs one host offers to VMs ("Available vCPUs").
    pub vcpus: u32,
    /// Memory one host offers to VMs ("Available RAM").
    #[serde(default, rename = "memoryGiB")]
    pub memory_gib: Option<f64>,
    /// When the SKU was retired, if it was.
    #[serde(default)]
    pub retired: Option<String>,
}

impl HostSku {
    /// Whether a host of this SKU runs VMs of a size series (case-insensitive).
    pub fn hosts(&self, series: &str) -> bool {
        self.series.iter().any(|s| s.eq_ignore_ascii_case(series))
    }
}

/// The compute table with where it came from.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ComputeTable {
    pub source: String,
    pub retrieved: String,
    /// The documentation pages the sizes were read from.
    #[serde(default)]
    pub pages: Vec<String>,
    /// ARM names of the sizes that are isolated to hardware dedicated to one customer.
    pub isolated_sizes: Vec<String>,
    /// Isolated sizes whose retirement is announced, with the date.
    #[serde(default)]
    pub isolated_retiring: BTreeMap<String, String>,
    pub sizes: BTreeMap<String, SizeInfo>,
    pub host_skus: BTreeMap<String, HostSku>,
}

struct Index {
    table: ComputeTable,
    /// Lower-cased names to the table's keys.
    sizes: HashMap<String, String>,
    hosts: HashMap<String, String>,
    isolated: HashMap<String, String>,
}

impl Index {
    fn of(table: ComputeTable) -> Index {
        let lower = |names: &mut dyn Iterator<Item = &String>| -> HashMap<String, String> {
            names.map(|n| (n.to_ascii_lowercase(), n.clone())).collect()
        };
        Index {
            sizes: lower(&mut table.sizes.keys()),
            hosts: lower(&mut table.host_skus.keys()),
            isolated: lower(&mut table.isolated_sizes.iter()),
            table,
        }
    }
}

static INDEX: OnceLock<Index> = OnceLock::new();

fn index() -> &'static Index {
    INDEX.get_or_init(|| Index::of(crate::tables::built_in!("compute.json")))
}

/// Makes `text` (the content of `compute.json`) the table the lookups use, unless one is in
/// use already. See [`crate::tables`].
pub(crate) fn install(text: &str) -> Result<(), String> {
    let table: ComputeTable = crate::tracked::from_json(text)?;
    let _ = INDEX.set(Index::of(table));
    Ok(())
}

/// The compute table: built in, or read from the site (see [`crate::tables`]).
pub fn table() -> &'static ComputeTable {
    &index().table
}

/// A VM size by its ARM name (case-insensitive), when the table knows it.
pub fn size(name: &str) -> Option<&'static SizeInfo> {
    let index = index();
    index.sizes.get(&name.trim().to_ascii_lowercase()).and_then(|key| index.table.sizes.get(key))
}

/// Whether a size is isolated to hardware dedicated to one customer (case-insensitive).
pub fn is_isolated(name: &str) -> bool {
    index().isolated.contains_key(&name.trim().to_ascii_lowercase())
}

/// The announced retirement date of an isolated size, if any.
pub fn isolation_retiring(name: &str) -> Option<&'static str> {
    let index = index();
    let key = index.isolated.get(&name.trim().to_ascii_lowercase())?;
    index.table.isolated_retiring.get(key).map(String::as_str)
}

/// A dedicated host SKU by name (case-insensitive: ARM writes both `DSv3-Type1` and `Dsv3-Type1`).
pub fn host_sku(name: &str) -> Option<&'static HostSku> {
    let index = index();
    index.hosts.get(&name.trim().to_ascii_lowercase()).and_then(|key| index.table.host_skus.get(key))
}

/// The series of a size: the table's, else derived from the ARM name. `None` when the name
/// does not read as an ARM size name.
pub fn series_of(size_name: &str) -> Option<String> {
    match size(size_name) {
        Some(info) => Some(info.series.clone()),
        None => derive_series(size_name),
    }
}

/// Reads the series out of an ARM size name: `Standard_<family><vCPUs>[-<active vCPUs>]<features>
/// [_<accelerator>...][_v<version>]`. The series is family + features + accelerator + version,
/// without the `i` that marks an isolated size (`Standard_E104is_v5` is an `Esv5`) and without
/// numeric parts (`Standard_M416-208s_6_v3` is an `Msv3`).
pub fn derive_series(size_name: &str) -> Option<String> {
    let name = size_name.trim();
    let rest = match name.get(..9) {
        Some(prefix) if prefix.eq_ignore_ascii_case("standard_") => &name[9..],
        _ => name,
    };
    let mut parts: Vec<&str> = rest.split('_').collect();
    // A bare version (`Standard_v5`) names no family.
    let head = parts.first().copied().filter(|h| !h.is_empty() && !is_version(h))?;
    let version = match parts.last() {
        Some(last) if parts.len() > 1 && is_version(last) => {
            let version = last.to_ascii_lowercase();
            parts.pop();
            Some(version)
        }
        _ => None,
    };

    let family: String = head.chars().take_while(char::is_ascii_alphabetic).collect();
    let after_family = &head[family.len()..];
    let digits = after_family.chars().take_while(char::is_ascii_digit).count();
    if family.is_empty() || digits == 0 {
        return None;
    }
    let mut tail = &after_family[digits..];
    if let Some(constrained) = tail.strip_prefix('-') {
        let active = constrained.chars().take_while(char::is_ascii_digit).count();
        if active == 0 {
            return None;
        }
        tail = &constrained[active..];
    }
    if !tail.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let features: String = tail.to_ascii_lowercase().chars().filter(|c| *c != 'i').collect();

    let mut series = family.to_ascii_uppercase();
    series.push_str(&features);
    for part in parts.iter().skip(1) {
        if part.is_empty() || !part.chars().all(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        // Memory multipliers like the `6` of `M416-208s_6_v3` are not part of the series.
        if !part.chars().all(|c| c.is_ascii_digit()) {
            series.push_str(part);
        }
    }
    if let Some(version) = version {
        series.push_str(&version);
    }
    Some(series)
}

fn is_version(part: &str) -> bool {
    let mut chars = part.chars();
    matches!(chars.next(), Some('v' | 'V')) && part.len() > 1 && chars.all(|c| c.is_ascii_digit())
}

//! `cargo xtask pricebook`: builds `assets/prices/vm-and-disk.json` from the Azure Retail
//! Prices snapshots in `shared/data/azure-retail-prices/` (West Europe and North Europe):
//! pay-as-you-go and savings-plan hourly prices of every VM size (Linux and Windows),
//! dedicated host SKUs, and managed disks per month. Spot and Low Priority meters are left out.
//! VM prices are kept by column (the size names once, a list of prices per column and region).

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value, json};

const SNAPSHOTS: &[(&str, &str, &str, &str, &str)] = &[
    ("westeurope", "vm-eu-west.json", "2026-08-20", "storage-eu-west.json", "2026-07-15"),
    ("northeurope", "vm-northeurope.json", "2026-08-20", "storage-northeurope.json", "2026-07-15"),
];

/// The price columns of each VM size, as `moat_model::cost` reads them.
const VM_COLUMNS: &[&str] = &["linux", "linuxSavingsPlan", "windows", "windowsSavingsPlan"];

pub fn build(data: &Path, out: &Path) -> Result<(), String> {
    let mut regions = BTreeMap::new();
    for (region, vm_file, vm_date, storage_file, storage_date) in SNAPSHOTS {
        let vm_rows = rows(&data.join(vm_file))?;
        let storage_rows = rows(&data.join(storage_file))?;
        let mut vms: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
        let mut hosts: BTreeMap<String, Value> = BTreeMap::new();
        for row in &vm_rows {
            let (sku, product) = (text(row, "skuName"), text(row, "productName"));
            if sku.ends_with(" Spot") || sku.ends_with(" Low Priority") || text(row, "unitOfMeasure") != "1 Hour" {
                continue;
            }
            let price = row["retailPrice"].clone();
            let savings = row.get("savingsPlanPrice").cloned();
            if product.ends_with("DedicatedHost") {
                hosts.insert(host_sku(sku, product), json!({ "hourly": price, "savingsPlan": savings }));
                continue;
            }
            if !(product.contains("Series") || product.contains("series")) {
                continue;
            }
            let sku = size_name(sku);
            let os = if product.ends_with(" Windows") { "windows" } else { "linux" };
            let entry = vms.entry(sku).or_default();
            entry.insert(os.to_owned(), price);
            if let Some(savings) = savings {
                entry.insert(format!("{os}SavingsPlan"), savings);
            }
        }
        let mut disks = BTreeMap::new();
        for row in &storage_rows {
            let (meter, product) = (text(row, "meterName"), text(row, "productName"));
            if product.ends_with("Managed Disks") && meter.ends_with(" Disk") && text(row, "unitOfMeasure") == "1/Month"
            {
                disks.insert(meter.trim_end_matches(" Disk").to_owned(), row["retailPrice"].clone());
            }
        }
        regions.insert((*region).to_owned(), (vms, json!({ "vms": vm_date, "disks": storage_date }), hosts, disks));
    }
    // VM prices by column: the size names once for every region, then per region one list
    // of prices per column in that order (null where a size has none). The same prices by
    // size, region after region, repeat every name out of gzip's reach: 9 KB more in the site.
    let sizes: std::collections::BTreeSet<&String> = regions.values().flat_map(|(vms, ..)| vms.keys()).collect();
    let regions: Map<String, Value> = regions
        .iter()
        .map(|(name, (vms, as_of, hosts, disks))| {
            let column = |key: &str| -> Value {
                sizes
                    .iter()
                    .map(|size| vms.get(*size).and_then(|prices| prices.get(key)).cloned().unwrap_or(Value::Null))
                    .collect()
            };
            let columns: Map<String, Value> = VM_COLUMNS.iter().map(|key| ((*key).to_owned(), column(key))).collect();
            (name.clone(), json!({ "asOf": as_of, "vms": columns, "hosts": hosts, "disks": disks }))
        })
        .collect();
    let book = json!({
        "source": "Azure Retail Prices API snapshots (pay-as-you-go, USD) kept by the MIT-licensed repository \
                   andy-diericks/azure-pricing-radar (data/latest/); built by `cargo xtask pricebook`",
        "currency": "USD",
        "vmSizes": sizes,
        "regions": regions
    });
    let text = serde_json::to_string(&book).map_err(|e| e.to_string())? + "\n";
    std::fs::write(out, text).map_err(|e| format!("cannot write {}: {e}", out.display()))
}

/// The ARM size name of a meter's SKU: `D4s v5`, `standard_DC4s_v3`, `HB120rs_v3` → `Standard_…`.
fn size_name(sku: &str) -> String {
    let bare = sku.strip_prefix("Standard_").or_else(|| sku.strip_prefix("standard_")).unwrap_or(sku);
    format!("Standard_{}", bare.replace(' ', "_"))
}

/// The ARM host SKU of a dedicated host meter: `Dsv5 Type1` → `Dsv5-Type1`; a meter named
/// only `Type 1` takes its series from the product (`Esv6 Series DedicatedHost`).
fn host_sku(sku: &str, product: &str) -> String {
    let (series, kind) = sku.rsplit_once("Type").unwrap_or(("", sku));
    let series = series.trim();
    let series = if series.is_empty() { product.split(' ').next().unwrap_or("").to_owned() } else { series.to_owned() };
    format!("{series}-Type{}", kind.trim())
}

fn rows(path: &Path) -> Result<Vec<Value>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let value: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    match value {
        Value::Object(map) => Ok(map.into_iter().map(|(_, row)| row).collect()),
        _ => Err(format!("{}: expected an object of meters", path.display())),
    }
}

fn text<'v>(row: &'v Value, key: &str) -> &'v str {
    row[key].as_str().unwrap_or("")
}

/// The snapshot `services-eu.json` was taken on (its README section).
const SERVICES_SNAPSHOT: &str = "2026-08-15";

/// Writes the `retail` list of `assets/prices/services.json` from `services-eu.json`: the
/// hourly and monthly meters of the network and platform services the estimate prices, per
/// region, each with a source a buyer can check. The rest of the file (the indicative
/// `prices` used where no retail item exists, and `usageBased`) is kept as it is.
pub fn build_services(data: &Path, out: &Path) -> Result<(), String> {
    let path = data.join("services-eu.json");
    let content = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let page: Value = serde_json::from_str(&content).map_err(|e| format!("{}: {e}", path.display()))?;
    let items = page["Items"].as_array().ok_or_else(|| format!("{}: no \"Items\" list", path.display()))?;
    let mut retail: Vec<Value> = items.iter().filter_map(retail_price).collect();
    retail.sort_by(|a, b| {
        let key = |entry: &Value| ["service", "sku", "region"].map(|key| text(entry, key).to_owned());
        key(a).cmp(&key(b)).then(a["from"].as_f64().unwrap_or(0.0).total_cmp(&b["from"].as_f64().unwrap_or(0.0)))
    });
    let old = std::fs::read_to_string(out).map_err(|e| format!("cannot read {}: {e}", out.display()))?;
    let mut file: Map<String, Value> = serde_json::from_str(&old).map_err(|e| format!("{}: {e}", out.display()))?;
    file.insert("retail".to_owned(), Value::Array(retail));
    std::fs::write(out, one_entry_a_line(&file)?).map_err(|e| format!("cannot write {}: {e}", out.display()))
}

/// The price book entry of one Retail Prices item, for the meters the estimate prices
/// (`moat_model::cost::service_meter`): `{service, sku, price, unit, region, source, date}`,
/// and `from` for a tier that starts past 0 units.
fn retail_price(item: &Value) -> Option<Value> {
    let (product, sku, meter) = (text(item, "productName"), text(item, "skuName"), text(item, "meterName"));
    if text(item, "type") != "Consumption" {
        return None;
    }
    let (service, key, unit) = moat_model::cost::service_meter(text(item, "serviceName"), product, sku, meter)?;
    let factor = moat_model::cost::price_per_unit(unit, text(item, "unitOfMeasure"))?;
    let region = text(item, "armRegionName");
    let effective = text(item, "effectiveStartDate").get(..10).unwrap_or("");
    let from = item["tierMinimumUnits"].as_f64().unwrap_or(0.0);
    let tier = if from > 0.0 { format!(" from {from} units") } else { String::new() };
    let source = format!(
        "Azure Retail Prices API, {region}, {product} {meter}{tier}, effective {effective}, snapshot {SERVICES_SNAPSHOT}"
    );
    let price = item["retailPrice"].as_f64()? * factor;
    let mut entry = json!({
        "service": service, "sku": key, "price": price, "unit": unit, "region": region,
        "source": source, "date": SERVICES_SNAPSHOT,
    });
    if from > 0.0 {
        entry["from"] = json!(from);
    }
    Some(entry)
}

/// The file as JSON with each entry of its lists on one line, as `services.json` is kept.
fn one_entry_a_line(file: &Map<String, Value>) -> Result<String, String> {
    let json = |value: &Value| serde_json::to_string(value).map_err(|e| e.to_string());
    // An object as `{ "key": value, ... }`, spaced as people write it.
    let one = |value: &Value| match value {
        Value::Object(fields) => {
            let fields: Result<Vec<String>, String> = fields
                .iter()
                .map(|(key, value)| Ok(format!("{}: {}", json(&Value::from(key.as_str()))?, json(value)?)))
                .collect();
            Ok(format!("{{ {} }}", fields?.join(", ")))
        }
        other => json(other),
    };
    let mut fields = Vec::new();
    for (key, value) in file {
        let shown = match value {
            Value::Array(entries) => {
                let lines: Result<Vec<String>, String> =
                    entries.iter().map(|e| Ok(format!("    {}", one(e)?))).collect();
                format!("[\n{}\n  ]", lines?.join(",\n"))
            }
            other => one(other)?,
        };
        fields.push(format!("  {}: {shown}", json(&Value::from(key.as_str()))?));
    }
    Ok(format!("{{\n{}\n}}\n", fields.join(",\n")))
}

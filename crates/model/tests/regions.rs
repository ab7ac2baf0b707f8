//! The region table in assets/regions.json.

use std::collections::HashSet;

use moat_model::regions::regions;

#[test]
fn the_table_loads_with_its_source() {
    let table = regions();
    assert!(table.regions.len() >= 50, "{} regions", table.regions.len());
    assert!(table.source.contains("learn.microsoft.com"));
}

#[test]
fn names_are_unique_and_pairs_name_regions_of_the_table() {
    let table = regions();
    let mut seen = HashSet::new();
    for region in &table.regions {
        assert!(seen.insert(region.name.as_str()), "{} twice", region.name);
        assert_eq!(region.name, region.name.to_lowercase());
        if let Some(pair) = &region.paired_with {
            assert!(table.get(pair).is_some(), "{} pairs with unknown {pair}", region.name);
        }
    }
}

#[test]
fn well_known_facts_hold() {
    let table = regions();
    let weu = table.get("westeurope").unwrap();
    assert_eq!((weu.display_name.as_str(), weu.geography.as_str(), weu.zones), ("West Europe", "Europe", true));
    assert_eq!(weu.paired_with.as_deref(), Some("northeurope"));
    assert_eq!(table.get("NorthEurope").unwrap().paired_with.as_deref(), Some("westeurope"));
    assert_eq!(table.get("swedencentral").unwrap().paired_with.as_deref(), Some("swedensouth"));
    assert_eq!(table.get("italynorth").unwrap().paired_with, None);
    assert!(!table.get("westus").unwrap().zones);
}

//! The compute table in assets/compute.json: VM sizes, isolated sizes, dedicated host SKUs.

use std::collections::HashSet;

use moat_model::compute::{self, derive_series, host_sku, is_isolated, series_of, size, table};

#[test]
fn the_table_loads_with_its_sources() {
    let table = table();
    assert!(table.source.contains("learn.microsoft.com"), "{}", table.source);
    assert!(!table.retrieved.is_empty());
    assert!(!table.pages.is_empty());
    assert!(table.sizes.len() >= 300, "{} sizes", table.sizes.len());
    assert!(table.host_skus.len() >= 40, "{} host SKUs", table.host_skus.len());
    assert!(table.isolated_sizes.len() >= 20, "{} isolated sizes", table.isolated_sizes.len());
}

#[test]
fn names_are_arm_names_and_unique_ignoring_case() {
    let table = table();
    let mut seen = HashSet::new();
    for name in table.sizes.keys().chain(table.isolated_sizes.iter()) {
        assert!(name.starts_with("Standard_"), "{name}");
        assert!(derive_series(name).is_some(), "{name} reads as an ARM size name");
    }
    for name in table.sizes.keys() {
        assert!(seen.insert(name.to_ascii_lowercase()), "{name} twice");
    }
    let mut isolated = HashSet::new();
    for name in &table.isolated_sizes {
        assert!(isolated.insert(name.to_ascii_lowercase()), "{name} listed twice as isolated");
    }
    let mut hosts = HashSet::new();
    for name in table.host_skus.keys() {
        assert!(hosts.insert(name.to_ascii_lowercase()), "{name} twice");
        assert!(name.contains("-Type"), "{name} is a host SKU name");
    }
    for name in table.isolated_retiring.keys() {
        assert!(is_isolated(name), "{name} retires its isolation but is not listed as isolated");
    }
}

#[test]
fn every_size_is_sane_and_its_series_reads_from_its_name() {
    // The one documented exception: DC8_v2 has no `s` but belongs to the DCsv2 series.
    let exceptions = ["Standard_DC8_v2"];
    for (name, info) in &table().sizes {
        assert!(info.vcpus >= 1 && info.vcpus <= 896, "{name}: {} vCPUs", info.vcpus);
        assert!(info.memory_gib > 0.0 && info.memory_gib <= 32_768.0, "{name}: {} GiB", info.memory_gib);
        if !exceptions.contains(&name.as_str()) {
            assert_eq!(derive_series(name).as_deref(), Some(info.series.as_str()), "{name}");
        }
        // The vCPU count is the number after the family letters.
        let digits: String = name["Standard_".len()..]
            .chars()
            .skip_while(char::is_ascii_alphabetic)
            .take_while(char::is_ascii_digit)
            .collect();
        assert_eq!(digits.parse::<u32>().ok(), Some(info.vcpus), "{name}");
    }
}

#[test]
fn every_host_sku_is_sane_and_fits_its_largest_documented_size() {
    for (name, host) in &table().host_skus {
        assert!(!host.series.is_empty(), "{name} hosts some series");
        assert!(host.vcpus >= 8 && host.vcpus <= 448, "{name}: {} vCPUs", host.vcpus);
        assert!(host.memory_gib.is_some_and(|m| m >= 64.0), "{name}");
        assert!(name.starts_with(&host.series[0]) || name.starts_with('M'), "{name} is named after what it hosts");
        // A host that cannot hold even one VM of a series it hosts would be a typo in the table.
        for (size_name, info) in table().sizes.iter().filter(|(_, s)| host.hosts(&s.series)) {
            assert!(info.vcpus <= host.vcpus, "{name} ({} vCPUs) hosts {size_name} ({})", host.vcpus, info.vcpus);
        }
    }
}

#[test]
fn well_known_facts_hold() {
    let d4 = size("Standard_D4s_v5").unwrap();
    assert_eq!((d4.vcpus, d4.memory_gib, d4.series.as_str()), (4, 16.0, "Dsv5"));
    let e8 = size("standard_e8s_v5").unwrap();
    assert_eq!((e8.vcpus, e8.memory_gib), (8, 64.0));
    assert_eq!(size("Standard_E104is_v5").map(|s| (s.vcpus, s.series.as_str())), Some((104, "Esv5")));
    assert_eq!(size("Standard_F72s_v2").map(|s| s.vcpus), Some(72));
    assert_eq!(size("Standard_M128ms").map(|s| s.memory_gib), Some(3892.0));
    assert_eq!(size("Standard_DC8_v2").map(|s| s.series.as_str()), Some("DCsv2"));
    assert!(size("Standard_Nonexistent_v9").is_none());

    assert!(is_isolated("Standard_E104i_v5"));
    assert!(is_isolated("STANDARD_E80IDS_V4"));
    assert!(is_isolated("Standard_M192is_v2"));
    assert!(!is_isolated("Standard_E96s_v5"));
    assert!(!is_isolated("Standard_D4s_v5"));
    // Isolation of these ended in 2020-2022: they run on shared hardware now.
    for retired in ["Standard_D15_v2", "Standard_DS15_v2", "Standard_G5", "Standard_E64i_v3", "Standard_E64is_v3"] {
        assert!(!is_isolated(retired), "{retired}");
    }
    assert_eq!(compute::isolation_retiring("Standard_M192ids_v2"), Some("2027-03-31"));
    assert_eq!(compute::isolation_retiring("Standard_E104i_v5"), None);

    let dsv5 = host_sku("Dsv5-Type1").unwrap();
    assert_eq!((dsv5.vcpus, dsv5.hosts("Dsv5"), dsv5.hosts("Esv5")), (119, true, false));
    assert_eq!(host_sku("DSV5-TYPE1"), Some(dsv5));
    assert_eq!(host_sku("Esv5-Type1").map(|h| h.vcpus), Some(119));
    assert_eq!(host_sku("Dsv3-Type4").map(|h| (h.vcpus, h.series.clone())), Some((119, vec!["Dsv3".to_owned()])));
    assert_eq!(host_sku("Esv3-Type4").map(|h| h.vcpus), Some(119));
    assert_eq!(host_sku("Fsv2-Type2").map(|h| (h.vcpus, h.memory_gib)), Some((72, Some(144.0))));
    assert_eq!(host_sku("Esv3-Type1").and_then(|h| h.retired.as_deref()), Some("2023-06-30"));
    assert!(host_sku("Msm-Type1").is_some_and(|h| h.hosts("Mms") && h.hosts("M")));
    assert!(host_sku("Dsv9-Type9").is_none());
}

#[test]
fn series_are_derived_from_arm_names_not_in_the_table() {
    let cases = [
        ("Standard_D4s_v5", "Dsv5"),
        ("Standard_D2_v3", "Dv3"),
        ("Standard_E16-4ds_v5", "Edsv5"),
        ("Standard_E104i_v5", "Ev5"),
        ("Standard_E192ids_v6", "Edsv6"),
        ("standard_DC2s_v3", "DCsv3"),
        ("Standard_DS3_v2", "DSv2"),
        ("Standard_M128ms", "Mms"),
        ("Standard_M416-208s_6_v3", "Msv3"),
        ("Standard_NV36ads_A10_v5", "NVadsA10v5"),
        ("Standard_NC80adis_H100_v5", "NCadsH100v5"),
        ("Standard_FX4mds", "FXmds"),
        ("Standard_L8as_v3", "Lasv3"),
        ("Standard_B2ms", "Bms"),
        ("D8s_v4", "Dsv4"),
    ];
    for (name, series) in cases {
        assert_eq!(derive_series(name).as_deref(), Some(series), "{name}");
    }
    assert_eq!(series_of("Standard_D8s_v5").as_deref(), Some("Dsv5"));
    assert_eq!(series_of("Standard_D4s_v7").as_deref(), Some("Dsv7"));
    for nonsense in [
        "",
        "Standard_",
        "Standard_v5",
        "Standard_D_v5",
        "Standard_D4-_v5",
        "Standard_D4s__v5",
        "Ω",
        "Standard_D4ß_v5",
        "4s_v5",
    ] {
        assert_eq!(derive_series(nonsense), None, "{nonsense:?}");
    }
}

#[test]
fn the_sizes_of_the_rule_fixtures_are_known() {
    // The base design of the rule fixtures runs these; the isolation rules check them.
    for name in [
        "Standard_D4s_v5",
        "Standard_E8s_v5",
        "Standard_E104ids_v5",
        "Standard_E96ds_v5",
        "Standard_E4s_v5",
        "Standard_D8s_v5",
    ] {
        assert!(size(name).is_some(), "{name}");
    }
    for sku in ["Dsv5-Type1", "Esv5-Type1"] {
        assert!(host_sku(sku).is_some(), "{sku}");
    }
}

//! The reference tables the analyses look things up in: VM sizes and dedicated host SKUs
//! (`compute`), Azure regions (`regions`) and service levels (`availability`).
//!
//! With the `built-in-tables` feature (the CLI, the tests) they are built into the program
//! from `assets/`. The web app is built without it, to keep them out of its download: it
//! reads the same files from its site and installs them with [`install`] before it shows a
//! design. A table is fixed once it is first used or installed.

/// The table of `assets/<file>` as the program holds it before the site's copy is installed:
/// built in with the `built-in-tables` feature (the asset is checked by a test, so reading
/// it cannot fail in a released build), else empty (`Default`).
macro_rules! built_in {
    ($file:literal) => {{
        #[cfg(feature = "built-in-tables")]
        let table = crate::tracked::from_json(include_str!(concat!("../../../assets/", $file))).expect(concat!(
            "assets/",
            $file,
            " is valid (tested)"
        ));
        #[cfg(not(feature = "built-in-tables"))]
        let table = Default::default();
        table
    }};
}

pub(crate) use built_in;

/// One reference table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Table {
    Compute,
    Regions,
    Slas,
}

impl Table {
    /// Every table.
    pub const ALL: [Table; 3] = [Table::Compute, Table::Regions, Table::Slas];

    /// The table's file: its name in `assets/` and the path the site serves it at.
    pub fn file(self) -> &'static str {
        match self {
            Table::Compute => "compute.json",
            Table::Regions => "regions.json",
            Table::Slas => "sla.json",
        }
    }
}

/// Makes `text`, the content of `table`'s file, the table the analyses use. The error names
/// the file and what is wrong in it.
pub fn install(table: Table, text: &str) -> Result<(), String> {
    let installed = match table {
        Table::Compute => crate::compute::install(text),
        Table::Regions => crate::regions::install(text),
        Table::Slas => crate::availability::install_slas(text),
    };
    installed.map_err(|message| format!("{}: {message}", table.file()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_file_is_an_asset_the_site_copies() {
        let index = include_str!("../../../web/index.html");
        for table in Table::ALL {
            let asset = format!("{}/../../assets/{}", env!("CARGO_MANIFEST_DIR"), table.file());
            assert!(std::path::Path::new(&asset).is_file(), "{asset}");
            assert!(
                index.contains(&format!("href=\"../assets/{}\"", table.file())),
                "index.html copies {}",
                table.file()
            );
        }
    }

    #[test]
    fn a_damaged_file_is_refused_with_its_name() {
        let error = install(Table::Slas, "{\"description\": \"x\", \"services\": []}").unwrap_err();
        assert_eq!(error, "sla.json: has no service level \"vm-multi-zone\"");
        let error = install(Table::Compute, "{").unwrap_err();
        assert!(error.starts_with("compute.json: "), "{error}");
    }
}

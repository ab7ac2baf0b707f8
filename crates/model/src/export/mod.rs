//! Exports (SPEC §7): the design handed to other tools. Every text that comes from the
//! design (ids, names) is escaped for the target format: a name such as `<script>` never
//! becomes markup or code.

pub mod drawio;
pub mod mermaid;
pub mod report;
pub mod schema;
pub mod svg;
pub mod terraform;

use crate::cost::PriceBook;
use crate::design::Design;

/// The formats a design is exported to (`moat export --to`, which also writes the format's
/// own JSON Schema: that is no design's, see [`schema::PUBLISHED`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Terraform,
    Drawio,
    Mermaid,
    Svg,
    Report,
}

impl Format {
    pub const ALL: &'static [Format] =
        &[Format::Json, Format::Terraform, Format::Drawio, Format::Mermaid, Format::Svg, Format::Report];

    /// The name used by `--to`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Terraform => "terraform",
            Format::Drawio => "drawio",
            Format::Mermaid => "mermaid",
            Format::Svg => "svg",
            Format::Report => "report",
        }
    }

    /// The file extension of an export.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "moat.json",
            Format::Terraform => "tf",
            Format::Drawio => "drawio",
            Format::Mermaid => "mmd",
            Format::Svg => "svg",
            Format::Report => "review.html",
        }
    }

    /// Whether the export prices the design (the review report does): it needs a price book.
    pub fn priced(self) -> bool {
        self == Format::Report
    }

    pub fn parse(name: &str) -> Option<Format> {
        Format::ALL.iter().copied().find(|f| f.name() == name)
    }
}

/// The design in a format; the formats that are [`Format::priced`] price it with `book`.
/// Pictures show badges for icons, and the report no date: see [`export_with`].
pub fn export(design: &Design, format: Format, book: &PriceBook) -> String {
    export_with(design, format, &With { book, picture: svg::Picture::default(), date: None, rule_texts: None })
}

/// What an export is made with besides the design.
#[derive(Clone, Copy)]
pub struct With<'a> {
    /// Prices, for the formats that are [`Format::priced`].
    pub book: &'a PriceBook,
    /// The icons and the language of pictures (SVG, and the report's diagram).
    pub picture: svg::Picture<'a>,
    /// The day the export is made (`YYYY-MM-DD`), which the report shows.
    pub date: Option<&'a str>,
    /// The rules' English texts, for a build without them (the web app reads
    /// `rules.en.json`); `None` takes the catalogue's own.
    pub rule_texts: Option<&'a crate::rules::i18n::Translation>,
}

/// The design in a format.
pub fn export_with(design: &Design, format: Format, with: &With) -> String {
    match format {
        Format::Json => crate::format::to_json(design),
        Format::Terraform => terraform::terraform(design),
        Format::Drawio => drawio::drawio_with(design, with.picture.icons),
        Format::Mermaid => mermaid::mermaid(design),
        Format::Svg => svg::picture(design, with.picture),
        Format::Report => report::report_made(design, with),
    }
}

/// The version of Moat that makes an export.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

//! `moat`: the command-line face of moat-model. It reads files, calls the model and
//! prints; every decision is the model's.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use moat_model::cost::{PriceBook, money};
use moat_model::export::Format;
use moat_model::format::{self, CURRENT_VERSION, Loaded};
use moat_model::link::FlowProtocol;
use moat_model::reach::{self, Verdict};
use moat_model::rules::i18n::{self, Lang};
use moat_model::rules::{self, Severity};

#[derive(Parser)]
#[command(
    name = "moat",
    version,
    about = "Check and convert Moat designs of sensitive IaaS workloads on Azure",
    after_help = "Exit status: 0 success; 1 the design has problems; 2 the input could not be used."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a design file's structure: ids unique, references resolve, parents of the
    /// right kind, CIDRs, addresses and ports valid.
    Check {
        /// The design file (.moat.json).
        file: PathBuf,
    },
    /// What traffic the design lets through: one flow (--from, --to) or the whole matrix.
    Reach {
        /// The design file (.moat.json).
        file: PathBuf,
        /// The source: a vm, subnet, onPremises or internet id.
        #[arg(long, required_unless_present = "matrix", conflicts_with = "matrix")]
        from: Option<String>,
        /// The destination: a vm, subnet, onPremises or internet id.
        #[arg(long, required_unless_present = "matrix", conflicts_with = "matrix")]
        to: Option<String>,
        /// tcp, udp, icmp or any.
        #[arg(long, default_value = "tcp")]
        protocol: Protocol,
        /// The destination port (every port when absent).
        #[arg(long)]
        port: Option<u16>,
        /// Every tier and endpoint against every other.
        #[arg(long)]
        matrix: bool,
        /// Print JSON (SPEC §3) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Run the rule catalogue on a design: what it gets wrong, by the security guidance.
    Validate {
        /// The design file (.moat.json).
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
        /// Exit with 1 when a finding is at least this severe.
        #[arg(long, value_enum, default_value = "error")]
        fail_on: FailOn,
        /// Language of the rule titles in text output: en or ja.
        #[arg(long, value_name = "LANG", default_value = "en", value_parser = lang)]
        lang: Lang,
    },
    /// List the rule catalogue: id, severity, area, title.
    Rules {
        /// Print JSON, with each rule's rationale and fix.
        #[arg(long)]
        json: bool,
        /// Language of the titles, rationales and fixes: en or ja.
        #[arg(long, value_name = "LANG", default_value = "en", value_parser = lang)]
        lang: Lang,
    },
    /// Cost, isolation and availability of a design.
    Estimate {
        /// The design file (.moat.json).
        file: PathBuf,
        /// An Azure Retail Prices API export (`{"Items": [...]}`) overriding the built-in prices; repeatable.
        #[arg(long = "prices", value_name = "FILE")]
        prices: Vec<PathBuf>,
        /// Print JSON (SPEC §3) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Write the design for another tool: json, json-schema, terraform, drawio, mermaid, svg, report.
    Export {
        /// The design file (.moat.json); not read for json-schema.
        file: PathBuf,
        /// The format.
        #[arg(long, value_name = "FORMAT", value_parser = export_format)]
        to: ExportTarget,
        /// Where to write (default: standard output).
        #[arg(short, long, value_name = "OUT")]
        out: Option<PathBuf>,
    },
    /// List the built-in templates.
    Templates,
    /// Start a design from a built-in template.
    New {
        /// The template's name (see `moat templates`).
        template: String,
        /// Where to write (default: standard output).
        #[arg(short, long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Rewrite a design file at the current format version.
    Migrate {
        /// The design file (.moat.json).
        file: PathBuf,
        /// Where to write the result (default: standard output).
        #[arg(short, long, value_name = "OUT")]
        out: Option<PathBuf>,
    },
}

/// Exit statuses of SPEC §3.
const PROBLEMS: u8 = 1;
const UNUSABLE_INPUT: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Check { file } => check(file),
        Command::Migrate { file, out } => migrate(file, out.as_deref()),
        Command::Validate { file, format, fail_on, lang } => validate(file, *format, *fail_on, *lang),
        Command::Estimate { file, prices, json } => estimate(file, prices, *json),
        Command::Export { file, to, out } => export(file, *to, out.as_deref()),
        Command::Templates => {
            for template in moat_model::templates::templates() {
                say(&format!("{:<22} {}", template.name, template.description));
            }
            Ok(0)
        }
        Command::New { template, out } => new_design(template, out.as_deref()),
        Command::Rules { json, lang } => list_rules(*json, *lang),
        Command::Reach { file, from, to, protocol, port, matrix, json } => {
            let flow = match (from, to) {
                (Some(from), Some(to)) if !matrix => Some((from.as_str(), to.as_str())),
                _ => None,
            };
            reach(file, flow, protocol.into(), *port, *json)
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(reason) => {
            say_err(&format!("moat: {reason}"));
            ExitCode::from(UNUSABLE_INPUT)
        }
    }
}

fn check(file: &Path) -> Result<u8, String> {
    let loaded = read_design(file)?;
    report_notes(file, &loaded);
    let problems = moat_model::check(&loaded.design);
    let shown = file.display();
    if problems.is_empty() {
        let design = &loaded.design;
        say(&format!("{shown}: ok ({} elements, {} links)", design.elements.len(), design.links.len()));
        return Ok(0);
    }
    for problem in &problems {
        say(&format!("{shown}: {problem}"));
    }
    let plural = if problems.len() == 1 { "" } else { "s" };
    say_err(&format!("{shown}: {} structural problem{plural}", problems.len()));
    Ok(PROBLEMS)
}

fn migrate(file: &Path, out: Option<&Path>) -> Result<u8, String> {
    let loaded = read_design(file)?;
    let text = format::to_json(&loaded.design);
    match out {
        Some(out) => fs::write(out, &text).map_err(|e| format!("{}: cannot write: {e}", out.display()))?,
        None => {
            // A closed pipe is not an error worth a panic.
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
        }
    }
    let shown = file.display();
    match loaded.migrated_from {
        Some(from) => say_err(&format!(
            "{shown}: migrated from version {from} to {CURRENT_VERSION} ({})",
            loaded.migrations.join(", ")
        )),
        None => say_err(&format!("{shown}: already at version {CURRENT_VERSION}; written in canonical form")),
    }
    report_notes(file, &loaded);
    Ok(0)
}

/// What `moat export --to` writes: the design in a format, or the format's JSON Schema.
#[derive(Clone, Copy, Debug)]
enum ExportTarget {
    Design(Format),
    Schema,
}

const SCHEMA_TARGET: &str = "json-schema";

fn export_format(name: &str) -> Result<ExportTarget, String> {
    if name == SCHEMA_TARGET {
        return Ok(ExportTarget::Schema);
    }
    Format::parse(name).map(ExportTarget::Design).ok_or_else(|| {
        let mut names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
        names.push(SCHEMA_TARGET);
        format!("unknown format \"{name}\"; one of {}", names.join(", "))
    })
}

fn export(file: &Path, target: ExportTarget, out: Option<&Path>) -> Result<u8, String> {
    let text = match target {
        ExportTarget::Schema => moat_model::export::schema::PUBLISHED.to_owned(),
        ExportTarget::Design(format) => {
            let loaded = read_design(file)?;
            report_notes(file, &loaded);
            let book = PriceBook::builtin();
            let date = today();
            let picture = moat_model::export::svg::Picture { icons: Some(ICONS), ..Default::default() };
            let with = moat_model::export::With { book: &book, picture, date: Some(&date), rule_texts: None };
            moat_model::export::export_with(&loaded.design, format, &with)
        }
    };
    write_out(out, &text)?;
    Ok(0)
}

/// The element icons, drawn into SVG pictures and the report (the web app reads the same
/// file from its site).
const ICONS: &str = include_str!("../../../assets/icons/sprite.svg");

/// Today's date (UTC) for the report, or the day of `SOURCE_DATE_EPOCH` when it is set, so
/// that a pipeline can make the same report twice.
fn today() -> String {
    let now = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| time::OffsetDateTime::from_unix_timestamp(secs).ok())
        .unwrap_or_else(time::OffsetDateTime::now_utc);
    let date = now.date();
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}

fn new_design(name: &str, out: Option<&Path>) -> Result<u8, String> {
    let design = moat_model::templates::instantiate(name).ok_or_else(|| {
        let names: Vec<&str> = moat_model::templates::templates().iter().map(|t| t.name).collect();
        format!("no template \"{name}\"; the templates are {}", names.join(", "))
    })?;
    write_out(out, &format::to_json(&design))?;
    Ok(0)
}

/// Writes to a file, or to standard output; the error names the file.
fn write_out(out: Option<&Path>, text: &str) -> Result<(), String> {
    match out {
        Some(path) => fs::write(path, text).map_err(|e| format!("{}: cannot write: {e}", path.display())),
        None => {
            // A closed pipe is not an error worth a panic.
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
            Ok(())
        }
    }
}

fn estimate(file: &Path, prices: &[PathBuf], json: bool) -> Result<u8, String> {
    let loaded = read_design(file)?;
    report_notes(file, &loaded);
    let mut book = PriceBook::builtin();
    for path in prices {
        let text = fs::read_to_string(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        let imported = book.import(&path.display().to_string(), &text)?;
        say_err(&format!("{}: {}", path.display(), imported_text(&imported)));
    }
    let estimate = moat_model::estimate::estimate(&loaded.design, &book);
    if json {
        say(&to_json(&estimate));
    } else {
        say(&estimate_text(&file.display().to_string(), &estimate));
    }
    Ok(0)
}

/// The estimate for people: cost lines, unknowns, availability, isolation.
fn estimate_text(file: &str, estimate: &moat_model::estimate::Estimate) -> String {
    let cost = &estimate.cost;
    // While a line is unpriced the totals are lower bounds, and say so.
    let at_least = if cost.complete { "" } else { "at least " };
    let mut out = format!(
        "{file}: {at_least}{} {} a month pay-as-you-go ({at_least}{} with a savings plan), 730 hours a month",
        money(cost.monthly_total),
        cost.currency,
        money(cost.savings_plan_total)
    );
    if !cost.complete {
        let lines = cost.unpriced_lines;
        out.push_str(&format!("; {lines} {} unpriced", if lines == 1 { "line" } else { "lines" }));
    }
    for item in &cost.items {
        let price = item.monthly.map_or_else(|| "unknown".to_owned(), money);
        let savings = item.savings_plan_monthly.map(|s| format!(" (savings plan {})", money(s))).unwrap_or_default();
        out.push_str(&format!("\n  {:<14} {:<60} {:>12}{savings}", item.element, item.what, price));
    }
    if !cost.assumptions.is_empty() {
        out.push_str("\nusage assumed:");
        for assumption in &cost.assumptions {
            out.push_str(&format!("\n  {}", assumption.text()));
        }
    }
    if !cost.unpriced.is_empty() {
        out.push_str(&format!(
            "\nunknown prices, not counted (enter them in the design or import them with --prices): {}",
            cost.unpriced.join(", ")
        ));
    }
    let availability = &estimate.availability;
    out.push_str(&format!(
        "\navailability: {}% composite, {} minutes of downtime a month (target {}%)",
        moat_model::availability::show(availability.composite),
        availability.downtime_minutes_per_month,
        moat_model::availability::show(availability.target)
    ));
    for (id, tier) in &availability.tiers {
        out.push_str(&format!("\n  {id}: {}% — {}", moat_model::availability::show(tier.sla), tier.basis));
    }
    out.push_str("\nisolation:");
    for (id, tier) in &estimate.isolation.tiers {
        let mut traits = vec![format!("{:?}", tier.compute)];
        for (flag, word) in [
            (tier.own_subnet, "own subnet"),
            (tier.asg, "ASG"),
            (tier.forced_tunnelling, "forced tunnelling"),
            (tier.own_spoke, "own spoke"),
            (tier.public_endpoint, "PUBLIC ENDPOINT"),
            (tier.side_channel_exposure, "SIDE-CHANNEL EXPOSURE"),
        ] {
            if flag {
                traits.push(word.to_owned());
            }
        }
        out.push_str(&format!("\n  {id}: {}", traits.join(", ")));
    }
    let overhead = &estimate.isolation.cost;
    out.push_str(&format!(
        "\n  isolation costs {} a month over shared hardware ({} against {}){}",
        money(overhead.overhead),
        money(overhead.as_designed),
        money(overhead.shared_hardware),
        if overhead.incomplete { ", some prices unknown" } else { "" }
    ));
    if let Some(c) = &overhead.consolidation {
        let price = c.monthly.map_or_else(|| "unknown".to_owned(), money);
        out.push_str(&format!(
            "\n  consolidated: {} × {} (each needs {} vCPUs) for {price} a month",
            c.vms,
            c.size.as_deref().unwrap_or("no isolated size large enough"),
            c.vcpus_per_vm
        ));
    }
    out
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum OutputFormat {
    Text,
    Json,
    Sarif,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

/// Reads `--lang`.
fn lang(code: &str) -> Result<Lang, String> {
    Lang::parse(code).ok_or_else(|| format!("{code:?} is not a language of the rule texts; use en or ja"))
}

fn validate(file: &Path, format: OutputFormat, fail_on: FailOn, lang: Lang) -> Result<u8, String> {
    let loaded = read_design(file)?;
    report_notes(file, &loaded);
    let report = rules::validate(&loaded.design);
    let shown = file.display().to_string();
    match format {
        OutputFormat::Json => say(&to_json(&report)),
        OutputFormat::Sarif => say(&to_json(&rules::sarif(&report, &shown))),
        OutputFormat::Text => say(&findings_text(&shown, &loaded.design, &report, lang)),
    }
    let failed = fail_on.threshold().is_some_and(|t| report.findings.iter().any(|f| f.severity >= t));
    Ok(if failed { PROBLEMS } else { 0 })
}

/// Findings for people: a summary line, then by severity, each naming the element. In a
/// language other than English, each finding is followed by its rule's title in it.
fn findings_text(file: &str, design: &moat_model::Design, report: &rules::Report, lang: Lang) -> String {
    let s = report.summary;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut out = format!("{file}: {}, {}, {} info", plural(s.error, "error"), plural(s.warning, "warning"), s.info);
    if !report.suppressed.is_empty() {
        out.push_str(&format!(" ({} suppressed)", report.suppressed.len()));
    }
    let index = design.index();
    let name = |id: &str| match index.element(id).and_then(|e| e.name.as_deref()) {
        Some(name) => format!("{id} ({name})"),
        None => id.to_owned(),
    };
    let title = |id: &str| match (lang, rules::rule(id)) {
        (Lang::En, _) | (_, None) => String::new(),
        (_, Some(rule)) => format!("\n    {}", i18n::title(rule, lang)),
    };
    for severity in [Severity::Error, Severity::Warning, Severity::Info] {
        let findings: Vec<_> = report.findings.iter().filter(|f| f.severity == severity).collect();
        if findings.is_empty() {
            continue;
        }
        out.push_str(&format!("\n\n{}:", severity.as_str()));
        for finding in findings {
            out.push_str(&format!(
                "\n  {} {}: {}{}",
                finding.rule,
                name(&finding.element),
                finding.message,
                title(&finding.rule)
            ));
        }
    }
    if !report.suppressed.is_empty() {
        out.push_str("\n\nsuppressed:");
        for s in &report.suppressed {
            out.push_str(&format!(
                "\n  {} {}: {} — {}{}",
                s.finding.rule,
                name(&s.finding.element),
                s.finding.message,
                s.reason,
                title(&s.finding.rule)
            ));
        }
    }
    out
}

fn list_rules(json: bool, lang: Lang) -> Result<u8, String> {
    let catalogue = rules::catalogue();
    if json {
        let list: Vec<serde_json::Value> = catalogue
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id, "severity": r.severity, "standardSeverity": r.standard.unwrap_or(r.severity),
                    "area": r.area, "title": i18n::title(r, lang), "rationale": i18n::rationale(r, lang),
                    "fix": i18n::fix(r, lang)
                })
            })
            .collect();
        say(&to_json(&list));
    } else {
        for r in catalogue {
            say(&format!("{:<7} {:<8} {:<13} {}", r.id, r.severity.as_str(), r.area.as_str(), i18n::title(r, lang)));
        }
    }
    Ok(0)
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Protocol {
    Tcp,
    Udp,
    Icmp,
    Any,
}

impl From<&Protocol> for FlowProtocol {
    fn from(protocol: &Protocol) -> Self {
        match protocol {
            Protocol::Tcp => FlowProtocol::Tcp,
            Protocol::Udp => FlowProtocol::Udp,
            Protocol::Icmp => FlowProtocol::Icmp,
            Protocol::Any => FlowProtocol::Any,
        }
    }
}

fn reach(
    file: &Path,
    flow: Option<(&str, &str)>,
    protocol: FlowProtocol,
    port: Option<u16>,
    json: bool,
) -> Result<u8, String> {
    let loaded = read_design(file)?;
    report_notes(file, &loaded);
    let design = &loaded.design;
    let Some((from, to)) = flow else {
        let grid = reach::matrix(design, port);
        if json {
            say(&to_json(&grid));
        } else {
            say(&matrix_table(&grid, port));
        }
        return Ok(0);
    };
    let answer = reach::verify(design, from, to, protocol, port).map_err(|e| format!("{}: {e}", file.display()))?;
    if json {
        say(&to_json(&answer));
        return Ok(0);
    }
    let what = match (protocol, port) {
        (FlowProtocol::Icmp, _) => "icmp".to_owned(),
        (_, Some(port)) => format!("{}/{port}", protocol_name(protocol)),
        (_, None) => format!("{}, any port", protocol_name(protocol)),
    };
    let verdict = match answer.verdict {
        Verdict::Allow => "ALLOW",
        Verdict::Deny => "DENY",
    };
    say(&format!("{from} → {to} ({what}): {verdict}"));
    say(&format!("  path: {}", answer.path.join(" → ")));
    if !answer.return_path.is_empty() {
        say(&format!("  return path: {}", answer.return_path.join(" → ")));
    }
    if let Some(denied) = &answer.denied_by {
        say(&format!("  decided by: {} rule {}", denied.element, denied.rule));
    }
    if !answer.allowed.is_empty() {
        say(&format!("  allowed: {}", answer.allowed.join(", ")));
    }
    say(&format!("  {}", answer.reason));
    Ok(0)
}

fn protocol_name(protocol: FlowProtocol) -> &'static str {
    match protocol {
        FlowProtocol::Tcp => "tcp",
        FlowProtocol::Udp => "udp",
        FlowProtocol::Icmp => "icmp",
        FlowProtocol::Any => "any protocol",
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// The matrix as a table: rows are sources, columns destinations.
fn matrix_table(grid: &reach::Matrix, port: Option<u16>) -> String {
    let width = grid.endpoints.iter().map(String::len).max().unwrap_or(4).max(4);
    let mut out = format!(
        "{} (rows: from, columns: to)\n",
        port.map_or("any protocol and port".to_owned(), |p| format!("tcp/{p}"))
    );
    let cells = grid.by_pair();
    out.push_str(&format!("{:width$}", ""));
    for to in &grid.endpoints {
        out.push_str(&format!("  {to:>width$}"));
    }
    for from in &grid.endpoints {
        out.push_str(&format!("\n{from:width$}"));
        for to in &grid.endpoints {
            let mark = match cells.get(&(from.as_str(), to.as_str())).map(|c| c.answer.verdict) {
                Some(Verdict::Allow) => "allow",
                Some(Verdict::Deny) => "deny",
                None => "-",
            };
            out.push_str(&format!("  {mark:>width$}"));
        }
    }
    out
}

/// Reads and loads a design; the error names the file.
fn read_design(file: &Path) -> Result<Loaded, String> {
    let shown = file.display();
    let bytes = fs::read(file).map_err(|e| format!("{shown}: cannot read: {e}"))?;
    format::load_bytes(&bytes).map_err(|e| format!("{shown}: {e}"))
}

/// What an import used and passed over, for people.
fn imported_text(imported: &moat_model::cost::Imported) -> String {
    let reasons = [
        (imported.not_pay_as_you_go, "not pay-as-you-go"),
        (imported.not_used, "meters the estimate does not price"),
        (imported.other, "without a price"),
    ];
    let passed: Vec<String> =
        reasons.iter().filter(|(n, _)| *n > 0).map(|(n, reason)| format!("{n} {reason}")).collect();
    let mut text = format!("used {} {}", imported.used, if imported.used == 1 { "price" } else { "prices" });
    if !passed.is_empty() {
        text.push_str(&format!("; passed over {} items: {}", imported.ignored(), passed.join(", ")));
    }
    text
}

fn report_notes(file: &Path, loaded: &Loaded) {
    for repair in &loaded.repairs {
        say_err(&format!("{}: repaired: {repair}", file.display()));
    }
}

fn say(line: &str) {
    let _ = writeln!(std::io::stdout().lock(), "{}", printable(line));
}

fn say_err(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{}", printable(line));
}

/// Text from a design can hold control characters (terminal escapes): they are written as
/// `\u{1b}` so a name can never drive the terminal. JSON output has none (it escapes them).
fn printable(text: &str) -> String {
    if !text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return text.to_owned();
    }
    text.chars()
        .map(
            |c| if c.is_control() && c != '\n' && c != '\t' { format!("\\u{{{:x}}}", c as u32) } else { c.to_string() },
        )
        .collect()
}

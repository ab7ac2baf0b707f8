//! `moat`: the command-line face of moat-model. It reads files, calls the model and
//! prints; every decision is the model's.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use moat_model::format::{self, CURRENT_VERSION, Loaded};

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

/// Reads and loads a design; the error names the file.
fn read_design(file: &Path) -> Result<Loaded, String> {
    let shown = file.display();
    let bytes = fs::read(file).map_err(|e| format!("{shown}: cannot read: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|_| format!("{shown}: not UTF-8 text"))?;
    format::load(&text).map_err(|e| format!("{shown}: {e}"))
}

fn report_notes(file: &Path, loaded: &Loaded) {
    for repair in &loaded.repairs {
        say_err(&format!("{}: repaired: {repair}", file.display()));
    }
}

fn say(line: &str) {
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}

fn say_err(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

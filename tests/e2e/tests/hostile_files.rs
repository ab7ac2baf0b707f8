//! The hostile corpus (`tests/hostile/`, also run through every CLI command) opened in the
//! browser as a person would, from the Open button's file picker: an unusable file is
//! refused with a message naming it while the design on screen and its autosave stay as
//! they were; a file with structural problems or odd content opens without a crash, and
//! markup in its names stays text. A 40 MiB file and one nested 10,000 deep are refused too.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use moat_e2e::Session;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../hostile").canonicalize().expect("tests/hostile exists")
}

fn files(prefix: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus())
        .expect("the hostile corpus")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .filter(|path| path.file_name().is_some_and(|n| n.to_string_lossy().starts_with(prefix)))
        .collect();
    files.sort();
    files
}

#[tokio::test(flavor = "current_thread")]
async fn unusable_files_are_refused_by_name_and_the_design_and_autosave_stay() {
    let session = Session::open().await;
    session.press(fantoccini::key::Key::Escape.into()).await;
    session.type_into("[data-field=\"meta.title\"]", "Mine").await;
    session.wait_for("[data-testid=save-state]:not(.pending)").await;
    let autosaved = session.local_storage("moat.autosave").await.expect("an autosave");
    let elements = session.count("[data-element-id]").await;

    let unusable = files("unusable-");
    assert!(unusable.len() >= 30, "the corpus has {} unusable files", unusable.len());
    let input = session.wait_for("input[data-action=open-file]").await;
    for file in &unusable {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        input.send_keys(file.to_str().unwrap()).await.expect("the file is chosen");
        let message = error_naming(&session, &name).await;
        assert!(message.len() > name.len() + 10, "{name}: the message says why: {message}");
        assert_eq!(session.text("[data-testid=design-title]").await, "Mine", "{name}: the design is untouched");
        assert_eq!(session.count("[data-element-id]").await, elements, "{name}: the canvas is untouched");
        assert!(!session.exists("[data-testid=panic]").await, "{name}: no crash");
    }
    // Files too big to keep in the corpus: 40 MiB, and nesting 10,000 deep.
    let scratch = std::env::temp_dir().join(format!("moat-e2e-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let huge = scratch.join("huge.moat.json");
    let padding = "x".repeat(40 * 1024 * 1024);
    std::fs::write(&huge, format!(r#"{{"format":"moat-design","version":1,"meta":{{"title":"{padding}"}}}}"#)).unwrap();
    let deep = scratch.join("deep.moat.json");
    std::fs::write(&deep, format!("{}{}", "[".repeat(10_000), "]".repeat(10_000))).unwrap();
    for (file, says) in [(&huge, "MiB"), (&deep, "levels deep")] {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        input.send_keys(file.to_str().unwrap()).await.expect("the file is chosen");
        let message = error_naming(&session, &name).await;
        assert!(message.contains(says), "{message}");
        assert_eq!(session.text("[data-testid=design-title]").await, "Mine", "{name}: the design is untouched");
    }
    let _ = std::fs::remove_dir_all(&scratch);
    assert_eq!(session.local_storage("moat.autosave").await, Some(autosaved), "the autosave is untouched");

    // A design given where a price list is expected is refused by name too.
    let design = corpus().join("ok-minimal.json");
    let prices = session.wait_for("input[data-action=prices-file]").await;
    prices.send_keys(design.to_str().unwrap()).await.expect("the file is chosen");
    error_naming(&session, "ok-minimal.json").await;
    assert_eq!(session.text("[data-testid=design-title]").await, "Mine");
    session.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn odd_and_broken_but_readable_files_open_without_a_crash_and_markup_stays_text() {
    let session = Session::open().await;
    let input = session.wait_for("input[data-action=open-file]").await;
    let readable: Vec<PathBuf> = files("problem-").into_iter().chain(files("ok-")).collect();
    assert!(readable.len() >= 20, "{} readable hostile files", readable.len());
    for file in &readable {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let design: serde_json::Value =
            serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap_or(serde_json::Value::Null);
        input.send_keys(file.to_str().unwrap()).await.expect("the file is chosen");
        // The canvas holds the opened design (it draws only what is on screen, and an element
        // laid out a googol away never is).
        if let Some(elements) = design["elements"].as_array() {
            session.wait_for(&format!("[data-testid=canvas][data-element-count=\"{}\"]", elements.len())).await;
        }
        assert!(!session.exists("[data-testid=error]").await, "{name} opens");
        assert!(!session.exists("[data-testid=panic]").await, "{name}: no crash");
        let injected = session
            .client
            .execute("return document.querySelectorAll('[onload], [onerror], [onclick]').length;", vec![]);
        assert_eq!(injected.await.unwrap(), 0, "{name}: markup in the design stays text");
        session.click("[data-tab=structure]").await;
        session.click("[data-tab=findings]").await;
    }
    session.close().await;
}

/// Waits for the error banner to name `file`, and returns its message.
async fn error_naming(session: &Session, file: &str) -> String {
    let start = Instant::now();
    loop {
        let message = session.text("[data-testid=error]").await;
        if message.starts_with(&format!("{file}: ")) {
            return message;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "no error names {file}; the banner says: {message}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

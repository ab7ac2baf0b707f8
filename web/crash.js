// Moat's crash banner. A bug in the app stops its WebAssembly: the release build aborts on a
// panic with no Rust code left to run, which reaches the page as an uncaught
// WebAssembly.RuntimeError. This script needs nothing from the app: it says that Moat stopped
// and offers the last autosaved design, which the app never touches after saving it.
(() => {
  const texts = {
    en: {
      stopped: "Moat stopped on an internal error. Your last autosaved design is safe in this browser. ",
      download: "Download your design",
    },
    ja: {
      stopped: "内部エラーのため Moat が停止しました。最後に自動保存された設計はこのブラウザーに安全に保管されています。",
      download: "設計をダウンロード",
    },
  };
  // The key the app autosaves under (crates/web/src/browser.rs, AUTOSAVE_KEY).
  const autosaveKey = "moat.autosave";

  const download = () => {
    const text = localStorage.getItem(autosaveKey);
    if (text === null) return;
    const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = "moat-autosave.moat.json";
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  };

  const show = () => {
    if (document.querySelector("[data-testid=panic]")) return;
    const text = texts[document.documentElement.lang] || texts.en;
    const banner = document.createElement("div");
    banner.className = "panic-banner";
    banner.setAttribute("role", "alert");
    banner.setAttribute("data-testid", "panic");
    banner.textContent = text.stopped;
    const button = document.createElement("button");
    button.textContent = text.download;
    button.setAttribute("data-action", "download-design");
    button.addEventListener("click", download);
    banner.appendChild(button);
    document.body.appendChild(banner);
  };

  const isTrap = (error) => typeof WebAssembly === "object" && error instanceof WebAssembly.RuntimeError;
  window.addEventListener("error", (event) => isTrap(event.error) && show());
  window.addEventListener("unhandledrejection", (event) => isTrap(event.reason) && show());
})();

// Registers Moat's service worker (offline use) and announces an update that will be used
// on the next visit.
if ("serviceWorker" in navigator) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js").then((registration) => {
      registration.addEventListener("updatefound", () => {
        const incoming = registration.installing;
        if (!incoming || !navigator.serviceWorker.controller) return;
        incoming.addEventListener("statechange", () => {
          if (incoming.state !== "installed") return;
          const note = document.createElement("div");
          note.className = "update-ready";
          note.setAttribute("role", "status");
          note.setAttribute("data-testid", "update-ready");
          note.textContent = "A new version of Moat is ready: it is used from your next visit.";
          document.body.appendChild(note);
        });
      });
    });
  });
}

// Moat's service worker: every file of one build, cached at install, served first from the
// cache. A new build has a new version: it installs beside the old one and takes over on the
// next visit. It never contacts anything but the site's own origin.
const VERSION = "__VERSION__";
const FILES = __FILES__;
const CACHE = "moat-" + VERSION;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.filter((k) => k.startsWith("moat-") && k !== CACHE).map((k) => caches.delete(k))))
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) {
    return;
  }
  event.respondWith(
    caches.open(CACHE).then((cache) =>
      cache.match(request, { ignoreSearch: true }).then((hit) => {
        if (hit) return hit;
        // Navigations (a share link, ?lang=) get the app's page.
        if (request.mode === "navigate") return cache.match("/").then((page) => page || fetch(request));
        return fetch(request);
      })
    )
  );
});

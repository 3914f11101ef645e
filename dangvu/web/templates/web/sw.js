/* dangvu's service worker (dangvu/web/pwa.py serves it at /sw.js for the whole site). Light on purpose:
   - the static assets are kept at install and served from the cache (refreshed with each version);
   - pages are always asked from the network first (never a stale record); when the network fails, a page
     the member saved for offline reading (cache "{{ saved_cache }}", filled by pwa.js) or the offline page;
   - nothing else is cached: API answers, records and lists stay on the server. */
"use strict";
const VERSION = "{{ version }}";
const STATIC_CACHE = "dv-static-" + VERSION;
const SAVED_CACHE = "{{ saved_cache }}";
const OFFLINE_URL = "{{ offline_url }}";
const ASSETS = {{ assets|safe }};
const STATIC_PREFIX = "{{ static_prefix }}";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(STATIC_CACHE).then((cache) => cache.addAll(ASSETS.concat([OFFLINE_URL]))).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(
      keys.filter((key) => key.startsWith("dv-static-") && key !== STATIC_CACHE).map((key) => caches.delete(key))
    )).then(() => self.clients.claim())
  );
});

async function fromStatic(request) {
  const cached = await caches.match(request, { cacheName: STATIC_CACHE });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) (await caches.open(STATIC_CACHE)).put(request, response.clone());
  return response;
}

async function fromNetworkOrSaved(request, isPage) {
  try {
    return await fetch(request);
  } catch (error) {
    const saved = await caches.match(request, { cacheName: SAVED_CACHE, ignoreSearch: true, ignoreVary: true });
    if (saved) return saved;
    if (isPage) {
      const offline = await caches.match(OFFLINE_URL, { cacheName: STATIC_CACHE });
      if (offline) return offline;
    }
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (url.pathname.startsWith(STATIC_PREFIX)) {
    event.respondWith(fromStatic(request));
  } else if (request.mode === "navigate") {
    event.respondWith(fromNetworkOrSaved(request, true));
  } else {
    event.respondWith(fromNetworkOrSaved(request, false));
  }
});

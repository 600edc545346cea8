/* kubeprogram service worker (written here, no Workbox: a shell cache and a cache of the pages an officer takes
   along are all it needs). Version {{ version }}. Never answers for POSTs: actions go through the page's queue. */
"use strict";
const SHELL = "lapangan-shell-{{ version }}";
const PAGES = "lapangan-halaman";
const OFFLINE = "{{ offline }}";
// Pages vary on Cookie and Accept-Language (the locale middleware): a phone sends its language on every request,
// and a lookup that honoured Vary would miss each stored page. One user's pages are kept per phone (emptied when
// signing out), so ignoring Vary here is safe.
const ANY_VARY = { ignoreVary: true };
const SHELL_FILES = [{% for url in shell %}"{{ url|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(SHELL_FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("lapangan-shell-") && k !== SHELL).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(request, ANY_VARY).then((hit) => hit || fetch(request)));
    return;
  }
  if (request.mode !== "navigate") return;
  // Pages: the network first; a page taken along is refreshed in the cache when it loads, and answers from the
  // cache without a signal. A page never taken along shows the offline page.
  event.respondWith(
    fetch(request).then((response) => {
      if (response.ok && !response.redirected) {
        const copy = response.clone();
        caches.open(PAGES).then((cache) => cache.match(request, ANY_VARY).then((old) => old && cache.put(request, copy)));
      }
      return response;
    }).catch(() =>
      caches.open(PAGES)
        .then((cache) => cache.match(request, ANY_VARY))
        .then((hit) => hit || caches.match(OFFLINE, ANY_VARY))
    )
  );
});

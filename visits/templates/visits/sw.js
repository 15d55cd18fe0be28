{% autoescape off %}// The service worker of the rep's day (issue 18), scope /visits/. Versioned caches:
// "static-<version>" for the app's files (cache first), "pages-<version>" for the
// pages last seen online (network first); a new version deletes the old caches.
"use strict";
var VERSION = "{{ version }}";
var STATIC_CACHE = "dealer-crm-static-" + VERSION;
var PAGES_CACHE = "dealer-crm-pages-" + VERSION;
var PRECACHE = {{ precache }};
var OFFLINE_URL = {{ offline_url }};

self.addEventListener("install", function (event) {
  event.waitUntil(Promise.all([
    caches.open(STATIC_CACHE).then(function (cache) {
      return cache.addAll(PRECACHE.filter(function (url) { return url !== OFFLINE_URL; }));
    }),
    caches.open(PAGES_CACHE).then(function (cache) {
      return fetch(OFFLINE_URL, { credentials: "same-origin" }).then(function (response) {
        if (response.ok && !response.redirected) return cache.put(OFFLINE_URL, response);
      });
    }),
  ]).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("dealer-crm-") === 0 && name !== STATIC_CACHE && name !== PAGES_CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf("/api/") === 0) return;  // the API: always the network
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).then(function (response) {
      // Pages seen online are kept for a reload offline (not redirects to the sign-in page).
      if (response.ok && !response.redirected && url.pathname.indexOf("/visits/") === 0) {
        var copy = response.clone();
        caches.open(PAGES_CACHE).then(function (cache) { cache.put(url.pathname, copy); });
      }
      return response;
    }).catch(function () {
      // Offline: the offline page (the day and its waiting changes), whatever was asked.
      return caches.open(PAGES_CACHE).then(function (cache) {
        return cache.match(OFFLINE_URL).then(function (page) {
          return page || cache.match(url.pathname) || Response.error();
        });
      });
    }));
    return;
  }
  if (PRECACHE.indexOf(url.pathname) >= 0) {
    event.respondWith(caches.match(url.pathname).then(function (cached) { return cached || fetch(request); }));
  }
});

// "My day" online asks for a fresh copy of the offline page (the signed-in rep's).
self.addEventListener("message", function (event) {
  if (!event.data || event.data.type !== "refresh-offline-page") return;
  event.waitUntil(caches.open(PAGES_CACHE).then(function (cache) {
    return fetch(OFFLINE_URL, { credentials: "same-origin" }).then(function (response) {
      if (response.ok && !response.redirected) return cache.put(OFFLINE_URL, response);
    });
  }).catch(function () {}));
});

// Background sync where the browser has it: ask the open pages to send the queue.
self.addEventListener("sync", function (event) {
  if (event.tag !== "offline-queue") return;
  event.waitUntil(self.clients.matchAll({ type: "window" }).then(function (clients) {
    clients.forEach(function (client) { client.postMessage({ type: "sync" }); });
  }));
});
{% endautoescape %}

/* The installable portal (issue 14): registers the service worker (/sw.js, whole site) and handles the
   library's "Save for offline": the page of a document and its files are put in the browser's cache
   "dv-saved" (the service worker serves them when the network fails); elements with data-offline-url show
   whether that page is saved on this device. Signing out forgets the saved copies. No framework. */
(function () {
  "use strict";
  var SAVED = "dv-saved";
  if (!("serviceWorker" in navigator) || !("caches" in window)) return;
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});

  function absolute(path) { return new URL(path, location.href).href; }

  function isSaved(path) {
    return caches.open(SAVED).then(function (cache) { return cache.match(absolute(path), { ignoreVary: true }); }).then(Boolean);
  }

  function markAll() {
    document.querySelectorAll("[data-offline-url]").forEach(function (el) {
      isSaved(el.getAttribute("data-offline-url")).then(function (saved) {
        el.hidden = !saved;
        if (saved) el.setAttribute("data-saved", "1"); else el.removeAttribute("data-saved");
      });
    });
  }

  function setupButton(button) {
    var urls = button.getAttribute("data-save-offline").trim().split(/\s+/);
    var label = button.textContent;
    function show(saved) {
      button.textContent = saved ? button.getAttribute("data-remove-label") : label;
      button.setAttribute("aria-pressed", saved ? "true" : "false");
      markAll();
    }
    button.hidden = false;
    isSaved(urls[0]).then(show);
    button.addEventListener("click", function () {
      button.disabled = true;
      caches.open(SAVED).then(function (cache) {
        return cache.match(absolute(urls[0]), { ignoreVary: true }).then(function (found) {
          if (found) return Promise.all(urls.map(function (u) { return cache.delete(absolute(u)); })).then(function () { return false; });
          return cache.addAll(urls.map(absolute)).then(function () { return true; });
        });
      }).then(show, function () {
        var note = button.getAttribute("data-failed-label");
        if (note) button.textContent = note;
      }).then(function () { button.disabled = false; });
    });
  }

  function forgetOnLogout(form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.forgotten) return;
      event.preventDefault();
      caches.delete(SAVED).finally(function () { form.dataset.forgotten = "1"; form.submit(); });
    });
  }

  function listSaved(list) {
    /* The offline page: the saved documents, named by their pages' titles. */
    caches.open(SAVED).then(function (cache) {
      return cache.keys().then(function (requests) {
        var pages = requests.filter(function (r) { return /\/library\/\d+\/$/.test(new URL(r.url).pathname); });
        return Promise.all(pages.map(function (r) {
          return cache.match(r, { ignoreVary: true }).then(function (res) { return res.text(); }).then(function (html) {
            var title = new DOMParser().parseFromString(html, "text/html").title;
            var item = document.createElement("li"), link = document.createElement("a");
            link.href = r.url; link.textContent = title.split(" · ")[0];
            item.appendChild(link); list.appendChild(item);
          });
        }));
      });
    });
  }

  function start() {
    var list = document.getElementById("saved-list");
    if (list) listSaved(list);
    document.querySelectorAll("[data-save-offline]").forEach(setupButton);
    document.querySelectorAll("form[data-logout]").forEach(forgetOnLogout);
    var note = document.getElementById("offline-note");
    if (note && !navigator.onLine) note.hidden = false;
    markAll();
    document.body.addEventListener("htmx:afterSwap", markAll);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();

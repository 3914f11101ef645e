/* Search-as-you-type for long selects (dangvu/web/choosers.py). A <select data-chooser="URL"> keeps its
   options and works without JavaScript; here a search box is put before it, what is typed is searched on
   the server (within the user's scope, word starts, shared labels) and the select shows the results that
   are among its own options (the empty choice and the current one stay). An empty box restores them all.
   With data-chooser-add (a list filter that accepts any organisation of the scope, whose select shows only
   the upper levels) the results not among the options are added to it. */
(function () {
  "use strict";

  function enhance(select) {
    if (select.dataset.chooserReady) return;
    select.dataset.chooserReady = "1";
    var all = Array.prototype.slice.call(select.options).map(function (o) { return o.cloneNode(true); });
    var known = {};
    all.forEach(function (o) { known[o.value] = o; });
    var label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
    var box = document.createElement("input");
    box.type = "search";
    box.className = "chooser-search";
    box.autocomplete = "off";
    box.maxLength = 100;
    if (select.id) box.id = select.id + "_search";
    box.placeholder = select.dataset.chooserPlaceholder || "";
    box.setAttribute("aria-label", (select.dataset.chooserSearch || "") + ": " + (label ? label.textContent.trim().replace(/[:*\s]+$/, "") : ""));
    box.setAttribute("aria-controls", select.id || "");
    var status = document.createElement("small");
    status.className = "chooser-status";
    status.setAttribute("aria-live", "polite");
    select.parentNode.insertBefore(box, select);
    select.parentNode.insertBefore(status, select.nextSibling);

    function show(values) {
      var current = select.value;
      select.textContent = "";
      all.forEach(function (o) {
        if (o.value === "" || o.value === current || values === null || values.indexOf(o.value) >= 0) {
          var copy = o.cloneNode(true);
          copy.selected = o.value === current;
          select.appendChild(copy);
        }
      });
    }

    var timer = null;
    var asked = 0;
    function search() {
      var text = box.value.trim();
      var mine = ++asked;
      if (!text) { show(null); status.textContent = ""; return; }
      var url = new URL(select.dataset.chooser, window.location.href);
      url.searchParams.set("q", text);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data || mine !== asked) return;
          if (select.dataset.chooserAdd) {  // a filter that accepts anything in scope: offer every result
            data.results.forEach(function (r) {
              var v = String(r.id);
              if (!known[v]) { known[v] = new Option(r.label, v); all.push(known[v]); }
            });
          }
          var values = data.results.map(function (r) { return String(r.id); }).filter(function (v) { return known[v]; });
          show(values);
          status.textContent = values.length ? "" : (select.dataset.chooserNone || "");
        })
        .catch(function () { /* the select keeps its options */ });
    }
    box.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(search, 250); });
    box.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); clearTimeout(timer); search(); }
      if (e.key === "ArrowDown") { e.preventDefault(); select.focus(); }
    });
  }

  function enhanceWithin(root) {
    if (root && root.querySelectorAll) root.querySelectorAll("select[data-chooser]").forEach(enhance);
  }
  document.addEventListener("DOMContentLoaded", function () { enhanceWithin(document); });
  document.addEventListener("htmx:load", function (e) { enhanceWithin(e.detail.elt); });
})();

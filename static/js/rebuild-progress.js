/* Follow a full rebuild: poll the status endpoint and move the <progress> bar.
   Without JavaScript the page offers a reload link instead. */
(function () {
  "use strict";
  var box = document.querySelector("[data-rebuild-status-url]");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-rebuild-status-url");
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-rebuild-text]");
  var state = box.querySelector("[data-rebuild-state]");
  var alarm = box.querySelector("[data-rebuild-alarm]");
  var template = box.getAttribute("data-progress-template") || "%(done)s / %(total)s";
  function update() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        if (bar) { bar.max = data.chunks_total || 1; bar.value = data.chunks_done || 0; }
        if (text) {
          text.textContent = template.replace("%(done)s", data.chunks_done).replace("%(total)s", data.chunks_total)
            .replace("%(percent)s", data.percent || 0);
        }
        if (state) { state.textContent = data.status_label; }
        if (alarm) { alarm.textContent = data.alarm || ""; alarm.hidden = !data.alarm; }
        if (data.status === "running") { window.setTimeout(update, 2000); }
      })
      .catch(function () { window.setTimeout(update, 5000); });
  }
  if (box.getAttribute("data-running") === "true") { window.setTimeout(update, 1000); }
})();

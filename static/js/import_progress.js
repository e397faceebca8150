// Follows an import job on its page: polls the job's status URL (the API, with the session) and
// shows the progress; reloads the page, which then shows the report, once the job has finished.
(function () {
  "use strict";
  var box = document.querySelector("[data-import-status-url]");
  if (!box || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-import-status-url");
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-import-progress-text]");

  function later(seconds) {
    window.setTimeout(poll, seconds * 1000);
  }

  function show(job) {
    if (bar) {
      bar.value = job.percent;
      bar.textContent = job.percent + " %";
    }
    if (text) {
      var label = box.getAttribute("data-status-" + job.status) || "";
      text.textContent = label + (job.total ? " " + job.percent + " %" : "");
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data) {
          later(5);
          return;
        }
        if (data.job.status === "done" || data.job.status === "failed") {
          window.location.reload();
          return;
        }
        show(data.job);
        later(2);
      })
      .catch(function () {
        later(5);
      });
  }

  later(1);
})();

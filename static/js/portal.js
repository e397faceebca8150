/* NSP Talent Portal: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  // Navigation: collapsed behind "Menu" on small screens (open without JavaScript).
  var nav = document.querySelector(".nav-toggle");
  if (nav && window.matchMedia("(max-width: 47.99rem)").matches) {
    nav.removeAttribute("open");
  }

  // Forms that ask for confirmation first (withdraw an application, ...).
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });

  // Error summary: move focus to it so screen readers announce the errors.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }

  // Diplomas: the country select filters the diploma select; the levels show below.
  var texts = document.getElementById("diploma-info-texts");
  document.querySelectorAll("[data-diploma-row]").forEach(function (row) {
    var country = row.querySelector("[data-diploma-country]");
    var diploma = row.querySelector("[data-diploma]");
    var info = row.querySelector("[data-diploma-info]");
    if (!country || !diploma) { return; }
    function filter() {
      var chosen = country.value;
      diploma.querySelectorAll("optgroup").forEach(function (group) {
        var options = group.querySelectorAll("option");
        var any = false;
        options.forEach(function (option) {
          var show = !chosen || option.getAttribute("data-country") === chosen;
          option.hidden = !show;
          option.disabled = !show;
          any = any || show;
        });
        group.hidden = !any;
      });
      var selected = diploma.options[diploma.selectedIndex];
      if (selected && selected.disabled) { diploma.value = ""; }
    }
    function describe() {
      if (!info) { return; }
      var option = diploma.options[diploma.selectedIndex];
      if (!option || !option.value) { info.hidden = true; return; }
      if (!country.value) { country.value = option.getAttribute("data-country") || ""; }
      var parts = ["EQF " + option.getAttribute("data-eqf")];
      var framework = option.getAttribute("data-framework");
      if (framework && framework !== "EQF") { parts.push(framework + " " + option.getAttribute("data-level")); }
      var minimum = option.getAttribute("data-minsec") === "1";
      var text = texts ? texts.content.querySelector(minimum ? "[data-yes]" : "[data-no]").textContent : "";
      info.textContent = parts.join(" · ") + ". " + text;
      info.hidden = false;
    }
    country.addEventListener("change", function () { filter(); describe(); });
    diploma.addEventListener("change", describe);
    filter();
  });

  // Skills: autocomplete from the ESCO labels in the user's language (JSON endpoint + datalist).
  var list = document.getElementById("skill-options");
  var input = document.querySelector("input[data-autocomplete]");
  if (list && input && window.fetch) {
    var source = list.getAttribute("data-source");
    var timer = null;
    input.addEventListener("input", function () {
      var parts = input.value.split(";");
      var term = parts[parts.length - 1].trim();
      if (timer) { clearTimeout(timer); }
      if (term.length < 2) { return; }
      timer = setTimeout(function () {
        fetch(source + "?q=" + encodeURIComponent(term), { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            var prefix = parts.slice(0, -1).map(function (p) { return p.trim(); }).filter(Boolean);
            list.innerHTML = "";
            data.results.forEach(function (skill) {
              var option = document.createElement("option");
              option.value = prefix.concat([skill.label]).join("; ");
              list.appendChild(option);
            });
          })
          .catch(function () { /* the text search on the server still works */ });
      }, 200);
    });
  }

  // CV: tell about a too large file before uploading it (the server checks again).
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (file) {
    var message = document.getElementById("cv-too-large");
    file.addEventListener("change", function () {
      var max = parseInt(file.getAttribute("data-max-bytes"), 10);
      var tooLarge = file.files.length && file.files[0].size > max;
      file.setCustomValidity(tooLarge && message ? message.textContent : "");
      if (tooLarge) { file.reportValidity(); }
    });
  });

  // Filters fold on a phone; open in the HTML, so they stay usable without JavaScript.
  if (window.matchMedia && window.matchMedia("(max-width: 47.99rem)").matches) {
    document.querySelectorAll("details[data-collapse-narrow]").forEach(function (details) {
      details.open = false;
    });
  }
})();

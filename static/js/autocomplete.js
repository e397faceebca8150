/* Autocomplete for occupation and skill fields (taxonomy/widgets.py).
   The server renders a <select data-autocomplete-url> holding only the chosen options; this
   script hides it and puts a combobox in front: typed text asks the API
   (?q=...&lang=...), a picked entry becomes a selected <option>, so the form posts the same
   field as before. Keyboard: arrows move, Enter picks, Escape closes. */
(function () {
  "use strict";
  var counter = 0;

  function enhance(select) {
    counter += 1;
    var multiple = select.multiple;
    var listId = "autocomplete-list-" + counter;
    var wrapper = document.createElement("div");
    wrapper.className = "autocomplete";
    select.parentNode.insertBefore(wrapper, select);
    wrapper.appendChild(select);
    select.hidden = true;

    var input = document.createElement("input");
    input.type = "text";
    input.id = select.id + "_search";
    input.className = "autocomplete-input";
    input.autocomplete = "off";
    input.placeholder = select.getAttribute("data-autocomplete-placeholder") || "";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    if (select.getAttribute("aria-describedby")) { input.setAttribute("aria-describedby", select.getAttribute("aria-describedby")); }
    if (select.getAttribute("aria-invalid")) { input.setAttribute("aria-invalid", select.getAttribute("aria-invalid")); }
    // The <label for=select> now names the text box.
    var label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
    if (label) { label.setAttribute("for", input.id); }
    wrapper.insertBefore(input, select);

    var list = document.createElement("ul");
    list.id = listId;
    list.className = "autocomplete-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    wrapper.insertBefore(list, select);

    var chosen = document.createElement("ul");
    chosen.className = "autocomplete-chosen";
    chosen.setAttribute("aria-live", "polite");
    wrapper.appendChild(chosen);

    var active = -1, timer = null, lastQuery = null, hits = [];

    function selectedOptions() {
      var out = [];
      for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].selected && select.options[i].value) { out.push(select.options[i]); }
      }
      return out;
    }

    function showChosen() {
      chosen.textContent = "";
      var options = selectedOptions();
      if (!multiple) {
        input.value = options.length ? options[0].text : input.value;
        return;
      }
      options.forEach(function (option) {
        var item = document.createElement("li");
        item.appendChild(document.createTextNode(option.text + " "));
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "autocomplete-remove";
        remove.textContent = "×";
        remove.setAttribute("aria-label", (select.getAttribute("data-autocomplete-remove") || "Remove") + ": " + option.text);
        remove.addEventListener("click", function () {
          option.selected = false;
          option.remove();
          select.dispatchEvent(new Event("change", { bubbles: true }));
          showChosen();
          input.focus();
        });
        item.appendChild(remove);
        chosen.appendChild(item);
      });
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function pick(hit) {
      var existing = null;
      for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].value === String(hit.id)) { existing = select.options[i]; }
      }
      if (!multiple) {
        for (var j = 0; j < select.options.length; j++) { select.options[j].selected = false; }
      }
      if (!existing) {
        existing = new Option(hit.label, hit.id, true, true);
        select.appendChild(existing);
      }
      existing.selected = true;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      input.value = multiple ? "" : hit.label;
      lastQuery = input.value.trim();
      close();
      showChosen();
    }

    function highlight(index) {
      var items = list.querySelectorAll("[role=option]");
      if (!items.length) { return; }
      active = (index + items.length) % items.length;
      for (var i = 0; i < items.length; i++) { items[i].setAttribute("aria-selected", i === active ? "true" : "false"); }
      input.setAttribute("aria-activedescendant", items[active].id);
    }

    function render(results) {
      hits = results;
      list.textContent = "";
      if (!results.length) {
        var empty = document.createElement("li");
        empty.className = "autocomplete-empty";
        empty.textContent = select.getAttribute("data-autocomplete-empty") || "";
        list.appendChild(empty);
      }
      results.forEach(function (hit, index) {
        var item = document.createElement("li");
        item.id = listId + "-" + index;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.setAttribute("data-id", hit.id);
        item.textContent = hit.label;
        if (hit.matched && hit.matched.toLowerCase() !== hit.label.toLowerCase()) {
          var matched = document.createElement("small");
          matched.textContent = " (" + hit.matched + ")";
          item.appendChild(matched);
        }
        // mousedown, not click: it fires before the input loses focus and closes the list.
        item.addEventListener("mousedown", function (event) { event.preventDefault(); pick(hit); });
        list.appendChild(item);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    function ask() {
      var query = input.value.trim();
      if (query === lastQuery) { return; }
      lastQuery = query;
      if (query.length < 2) { close(); return; }
      var url = select.getAttribute("data-autocomplete-url") + "?q=" + encodeURIComponent(query) +
        "&lang=" + encodeURIComponent(select.getAttribute("data-autocomplete-lang") || "nl");
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (input.value.trim() === query) { render(data.results || []); } })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      if (!multiple && !input.value.trim()) {
        for (var i = 0; i < select.options.length; i++) { select.options[i].selected = !select.options[i].value; }
      }
      clearTimeout(timer);
      timer = setTimeout(ask, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); if (list.hidden) { lastQuery = null; ask(); } else { highlight(active + 1); } }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Enter" && !list.hidden && active >= 0) { event.preventDefault(); pick(hits[active]); }
      else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    showChosen();
  }

  document.querySelectorAll("select[data-autocomplete-url]").forEach(enhance);
})();

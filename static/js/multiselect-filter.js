/* Progressive enhancement of long <select multiple data-filterable> lists (skills):
   a text box above filters the options, a line below lists what is chosen.
   Without JavaScript the plain multi-select works as it is. */
(function () {
  "use strict";
  function enhance(select) {
    var wrapper = select.parentNode;
    var input = document.createElement("input");
    input.type = "search";
    input.className = "skill-filter";
    input.id = select.id + "_filter";
    input.setAttribute("aria-controls", select.id);
    input.setAttribute("aria-label", select.getAttribute("data-filter-label") || "Filter");
    input.placeholder = select.getAttribute("data-filter-placeholder") || "";
    wrapper.insertBefore(input, select);
    var chosen = document.createElement("p");
    chosen.className = "chosen";
    chosen.setAttribute("aria-live", "polite");
    select.insertAdjacentElement("afterend", chosen);
    function showChosen() {
      var names = [];
      for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].selected) { names.push(select.options[i].text); }
      }
      chosen.textContent = names.length ? (select.getAttribute("data-chosen-label") || "") + " " + names.join(", ") : "";
    }
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLowerCase();
      for (var i = 0; i < select.options.length; i++) {
        var option = select.options[i];
        option.hidden = needle !== "" && option.text.toLowerCase().indexOf(needle) === -1 && !option.selected;
      }
    });
    select.addEventListener("change", showChosen);
    showChosen();
  }
  document.querySelectorAll("select[data-filterable]").forEach(enhance);
})();

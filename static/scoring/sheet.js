// The scoring sheet form: running total from the server (one scoring implementation), the reason
// box for a changed prefilled item, and in a review the highlight of items that differ from the
// self-assessment. Without JavaScript the form still saves and shows the total after saving.
(function () {
  "use strict";
  var form = document.getElementById("sheet-form");
  if (!form) return;
  var url = form.getAttribute("data-preview-url");
  var timer = null;

  function rowValue(row) {
    if (row.getAttribute("data-kind") === "media") {
      return Array.prototype.map.call(row.querySelectorAll("input[type=number]"), function (i) { return i.value; }).join(",");
    }
    var field = row.querySelector("select, input[type=number]");
    return field ? field.value : "";
  }

  function markRow(row) {
    var value = rowValue(row);
    if (row.hasAttribute("data-prefilled")) {
      var reason = row.querySelector("input.reason");
      var changed = value !== row.getAttribute("data-prefilled");
      if (reason) {
        reason.classList.toggle("is-hidden", !changed && !reason.value);
        reason.required = changed;
      }
    }
    if (row.hasAttribute("data-self")) {
      row.classList.toggle("diff", value !== row.getAttribute("data-self"));
    }
  }

  function setText(selector, text) {
    document.querySelectorAll(selector).forEach(function (el) { el.textContent = text; });
  }

  function refresh() {
    var body = new FormData(form);
    body.delete("action");
    fetch(url, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var errors = document.getElementById("preview-errors");
        if (!data.ok) {
          errors.textContent = Object.keys(data.errors).map(function (k) { return k + "：" + data.errors[k]; }).join("；");
          setText("#sheet-total", "—");
          return;
        }
        errors.textContent = "";
        setText("#sheet-total", data.total);
        Object.keys(data.parts).forEach(function (part) {
          setText('[data-part-points="' + part + '"]', data.parts[part]);
        });
        document.querySelectorAll("[data-points]").forEach(function (cell) {
          var key = cell.getAttribute("data-points");
          cell.textContent = key in data.items ? data.items[key] : "";
        });
        form.setAttribute("data-scored", data.total);
      })
      .catch(function () { /* the saved total stays; saving still works */ });
  }

  form.addEventListener("input", function (event) {
    var row = event.target.closest("tr[data-path]");
    if (row) markRow(row);
    if (event.target.classList.contains("reason")) return;
    clearTimeout(timer);
    timer = setTimeout(refresh, 150);
  });
  form.addEventListener("change", function (event) {
    var row = event.target.closest("tr[data-path]");
    if (row) markRow(row);
  });
  document.querySelectorAll("tr[data-path]").forEach(markRow);
})();

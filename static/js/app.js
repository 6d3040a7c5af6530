// Behaviour the pages used to write inline (the Content-Security-Policy allows scripts from this
// site only): print buttons, selects that submit their form, and the idle-session warning.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) { window.print(); }
  });
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-autosubmit]")) { event.target.form.submit(); }
  });
  // A form marked data-submit-once (an import's 确认导入) disables its buttons once sent, so a
  // second click cannot post it again; the server refuses a second confirm anyway.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-submit-once]")) { return; }
    if (form.getAttribute("data-sent")) { event.preventDefault(); return; }
    form.setAttribute("data-sent", "1");
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        b.disabled = true;
        if (b.getAttribute("data-busy-text")) { b.textContent = b.getAttribute("data-busy-text"); }
      });
    }, 0);
  });

  // The phone menu and the filter boxes fold behind a real <button> (aria-expanded); without this
  // script both simply stay open. On a wide screen the CSS shows them whatever the button says.
  function folding(button, box, openClass) {
    button.hidden = false;
    button.setAttribute("aria-expanded", "false");
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      box.classList.toggle(openClass, open);
    });
  }
  var topbar = document.querySelector(".topbar");
  var navButton = topbar && topbar.querySelector(".nav-toggle");
  if (navButton) {
    topbar.classList.add("nav-folds");
    folding(navButton, topbar, "nav-open");
  }
  document.querySelectorAll("[data-filter-box]").forEach(function (box) {
    var button = box.querySelector(".filter-toggle");
    if (!button) { return; }
    box.classList.add("is-collapsible");
    folding(button, box, "is-open");
    // a form sent back with an error stays open so the message is seen
    if (box.querySelector(".filters .error")) { button.click(); }
  });

  // Idle sessions end on the server after SESSION_IDLE_MINUTES without a request; warn before.
  var minutes = parseInt(document.body.getAttribute("data-idle-minutes") || "0", 10);
  if (!minutes) { return; }
  var warnAfter = Math.max(minutes - 2, minutes / 2) * 60 * 1000;
  window.setTimeout(function () {
    var banner = document.createElement("div");
    banner.className = "idle-warning";
    banner.setAttribute("role", "alert");
    banner.setAttribute("data-testid", "idle-warning");
    banner.textContent = "您已较长时间未操作，" + minutes + " 分钟无操作将自动退出登录；请保存正在填写的内容，或点击任意链接继续使用。";
    document.body.insertBefore(banner, document.body.firstChild);
  }, warnAfter);
})();

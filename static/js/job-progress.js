/* 后台任务进度：每秒读取 status.json 更新进度条；任务结束后停止。无 JavaScript 时页面以 meta refresh 自动刷新。 */
(function () {
  "use strict";
  var box = document.querySelector("[data-status-url]");
  if (!box || !window.fetch) { return; }
  function part(name) { return box.querySelector('[data-job="' + name + '"]'); }
  function show(name, visible) { var el = part(name); if (el) { el.hidden = !visible; } }
  function render(s) {
    part("state_label").textContent = s.state_label;
    part("state_label").className = "job-state-" + s.state;
    part("bar").style.width = s.percent + "%";
    part("percent").textContent = s.percent + "%";
    box.querySelector("[role=progressbar]").setAttribute("aria-valuenow", s.percent);
    part("processed").textContent = s.processed;
    part("total").textContent = s.total === null ? "（统计中）" : s.total;
    part("eta").textContent = s.eta;
    show("eta-wrap", s.active);
    part("message").textContent = "失败原因：" + s.message;
    show("message", s.state === "failed");
    show("download", s.download);
  }
  // Reload once when the job ends, so the retry button / expiry note rendered by the server appear.
  var wasActive = box.getAttribute("data-active") === "1";
  function poll() {
    fetch(box.getAttribute("data-status-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (s) {
        render(s);
        if (s.active) { setTimeout(poll, 1000); }
        else if (wasActive) { window.location.reload(); }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  if (wasActive) { poll(); }
}());

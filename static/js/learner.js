/* The student area's few behaviours (served locally, no inline script: CSP-ready). */
(function () {
  // The server keeps the time; this only shows it counting down.
  var timer = document.querySelector(".timer[data-remaining]");
  if (timer) {
    var left = parseInt(timer.dataset.remaining, 10), value = timer.querySelector(".timer-value");
    var over = document.querySelector(".timer-over");
    var tick = function () {
      value.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      if (left <= 0) { over.hidden = false; return; }
      left -= 1;
      setTimeout(tick, 1000);
    };
    tick();
  }
  // Its own name: a second "var left" here would overwrite the countdown's seconds (one function scope).
  var focusLeft = document.getElementById("focus-left");
  if (focusLeft) {
    document.addEventListener("visibilitychange", function () { if (document.hidden) { focusLeft.hidden = false; } });
  }
  // One click sends one answer (the server also records only the first).
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function () {
      setTimeout(function () { form.querySelectorAll("button").forEach(function (b) { b.disabled = true; }); }, 0);
    });
  });
})();

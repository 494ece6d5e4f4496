// The kiosk (templates/kiosk/layout.html): after two minutes without a touch, the ballot
// being filled in is discarded and the kiosk locks itself; while the voter is at it, the
// server is told now and then, so that it keeps the kiosk open (it locks it on its own
// otherwise). The receipt slip, when asked for, is printed; "A voté" gives way to the
// lock screen after a few seconds.
(function () {
  "use strict";
  var lockForm = document.querySelector("[data-kiosk-lock]");
  if (lockForm) {
    var idle = Number(lockForm.getAttribute("data-idle-seconds")) * 1000;
    var awakeUrl = lockForm.getAttribute("data-awake-url");
    var token = lockForm.querySelector("input[name=csrf_token]").value;
    var timer = null;
    var lastPing = Date.now();
    var lock = function () { lockForm.submit(); };
    var touched = function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(lock, idle);
      if (Date.now() - lastPing > 30000) {
        lastPing = Date.now();
        var body = new FormData();
        body.append("csrf_token", token);
        fetch(awakeUrl, {method: "POST", body: body, credentials: "same-origin"})
          .then(function (answer) { if (answer.status === 409) { lock(); } })
          .catch(function () {});
      }
    };
    ["keydown", "pointerdown", "touchstart", "input", "scroll"].forEach(function (name) {
      document.addEventListener(name, touched, {passive: true});
    });
    timer = window.setTimeout(lock, idle);
  }
  if (document.querySelector("[data-print-slip]")) {
    window.addEventListener("load", function () { window.print(); });
  }
  var voted = document.querySelector("[data-kiosk-return]");
  if (voted) {
    window.setTimeout(function () {
      window.location.replace(voted.getAttribute("data-kiosk-return"));
    }, 8000);
  }
})();

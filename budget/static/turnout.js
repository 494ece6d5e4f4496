// The staff dashboard's turnout panel, refreshed in place every data-refresh seconds from
// data-url (the same panel, served alone). Without JavaScript the panel shows the numbers of
// the page load. It stops when the server says no (403, 404, or 409 once the phase is over).
(function () {
  "use strict";
  var panel = document.querySelector("[data-turnout]");
  if (!panel || !window.fetch || !window.DOMParser) { return; }
  var delay = (Number(panel.dataset.refresh) || 30) * 1000;
  var refresh = function () {
    if (document.hidden) { setTimeout(refresh, delay); return; }
    fetch(panel.dataset.url, { credentials: "same-origin" }).then(function (response) {
      if (response.status >= 400 && response.status < 500) { return null; }
      if (!response.ok) { setTimeout(refresh, delay); return null; }
      return response.text().then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.querySelector("[data-turnout]");
        if (fresh) { panel.innerHTML = fresh.innerHTML; }
        setTimeout(refresh, delay);
      });
    }).catch(function () { setTimeout(refresh, delay); });
  };
  setTimeout(refresh, delay);
})();

// Keeps a page current: when the picture changes (server-sent events from /api/v1/updates), the
// page is fetched again and its main part replaced. Pages work without it; it only reads.
(function () {
  if (!window.EventSource || !window.fetch) return;
  var shown = document.body.getAttribute("data-linked");
  var source = new EventSource("/api/v1/updates");
  source.addEventListener("picture", function (message) {
    var now = JSON.parse(message.data);
    if (String(now.linked_seq) === shown) return;
    fetch(window.location.href, { credentials: "same-origin", headers: { "X-Lagebild-Live": "1" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var page = new DOMParser().parseFromString(html, "text/html");
        var main = page.getElementById("main");
        if (!main) return;
        document.getElementById("main").replaceWith(main);
        shown = page.body.getAttribute("data-linked");
        document.body.setAttribute("data-linked", shown);
        var note = document.getElementById("live");
        note.textContent = "Updated " + new Date().toLocaleTimeString() + ": " + now.articles + " article(s) in the store.";
        note.hidden = false;
      })
      .catch(function () {});
  });
})();

// Progressive enhancements for the claim form; the form works without them.
(function () {
  "use strict";

  // "Add another" rows for the inline formsets, cloned from their <template>.
  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    var prefix = button.getAttribute("data-add-row");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById(prefix + "-template");
    var rows = document.querySelector('[data-formset="' + prefix + '"]');
    if (!total || !template || !rows) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var first = rows.lastElementChild.querySelector("input, select, textarea");
      if (first) first.focus();
    });
  });

  // Similar-claim suggestions while the statement is typed.
  var statement = document.querySelector("[data-similar-source]");
  var box = document.getElementById("similar-claims");
  if (!statement || !box) return;
  var timer = null;
  var lastQuery = "";
  statement.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var query = statement.value.trim();
      if (query.length < 12 || query === lastQuery) return;
      lastQuery = query;
      var url = box.getAttribute("data-similar-url") + "?q=" + encodeURIComponent(query);
      var exclude = box.getAttribute("data-exclude");
      if (exclude) url += "&exclude=" + encodeURIComponent(exclude);
      var firstArticle = document.getElementById("id_attributions-0-article");
      if (firstArticle && firstArticle.value) url += "&article_url=" + encodeURIComponent(firstArticle.value);
      fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) { box.innerHTML = html; })
        .catch(function () { /* suggestions are a convenience; saving still checks */ });
    }, 400);
  });
})();

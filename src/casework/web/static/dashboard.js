// casework dashboard: keyboard shortcuts for the review queue. No framework, no build step.
// j / k move between items, Enter opens the ticket, and a key named by an element's
// data-key attribute (a accept, o queue, y approve, e edit, x reject) acts on the item.
(function () {
  "use strict";
  function items() { return Array.prototype.slice.call(document.querySelectorAll("li.item")); }
  function current() {
    var el = document.activeElement;
    while (el && !(el.classList && el.classList.contains("item"))) { el = el.parentElement; }
    return el;
  }
  function focus(item) {
    items().forEach(function (i) { i.classList.remove("current"); });
    if (item) { item.classList.add("current"); item.focus(); item.scrollIntoView({block: "nearest"}); }
  }
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var list = items();
    if (!list.length) { return; }
    var item = current();
    var index = item ? list.indexOf(item) : -1;
    if (event.key === "j") { focus(list[Math.min(index + 1, list.length - 1)]); event.preventDefault(); return; }
    if (event.key === "k") { focus(list[Math.max(index - 1, 0)]); event.preventDefault(); return; }
    if (!item) { return; }
    if (event.key === "Enter" && event.target === item) { window.location = item.querySelector("a.ticket-link").href; return; }
    var target = item.querySelector('[data-key="' + event.key + '"]');
    if (!target) { return; }
    event.preventDefault();
    if (target.tagName.toLowerCase() === "select") { target.focus(); }
    else if (target.tagName.toLowerCase() === "summary") { target.click(); var ta = item.querySelector("textarea"); if (ta) { ta.focus(); } }
    else { target.click(); }
  });
})();

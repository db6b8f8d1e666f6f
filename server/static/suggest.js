// As-you-type suggestions for every <input data-suggest="/search.json">: a listbox under the
// field (ARIA combobox pattern), arrow keys to move, Enter to open, Escape to close.
// Results are inserted as text nodes only, never as HTML.
(function () {
  "use strict";
  var counter = 0;

  function attach(input) {
    var url = input.getAttribute("data-suggest");
    var id = "suggest-" + (++counter);
    var list = document.createElement("ul");
    list.id = id;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    input.parentNode.insertBefore(list, input.nextSibling);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);
    var items = [];
    var active = -1;
    var timer = null;
    var latest = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      items.forEach(function (li, i) {
        li.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", items[index].id);
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function pick(index) {
      var li = items[index];
      if (li) {
        window.location.assign(li.getAttribute("data-url"));
      }
    }

    function show(results) {
      list.textContent = "";
      items = results.map(function (r, i) {
        var li = document.createElement("li");
        li.id = id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("data-url", r.url);
        var name = document.createElement("span");
        name.className = "name";
        name.textContent = r.label;
        li.appendChild(name);
        if (r.type) {
          var kind = document.createElement("small");
          kind.textContent = " " + r.type;
          li.appendChild(kind);
        }
        if (r.matched) {
          var alias = document.createElement("small");
          alias.className = "alias";
          alias.textContent = " (" + r.matched + ")";
          li.appendChild(alias);
        }
        li.addEventListener("mousedown", function (event) {
          event.preventDefault();
          pick(i);
        });
        list.appendChild(li);
        return li;
      });
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        highlight(-1);
      } else {
        close();
      }
    }

    function fetchSuggestions() {
      var q = input.value.trim();
      if (q.length < 2) {
        close();
        return;
      }
      var ticket = ++latest;
      fetch(url + "?limit=8&q=" + encodeURIComponent(q), {headers: {Accept: "application/json"}})
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (results) {
          if (ticket === latest) {
            show(results);
          }
        })
        .catch(close);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 120);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) {
        return;
      }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % items.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        pick(active);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () {
      setTimeout(close, 150);
    });
  }

  function start() {
    var inputs = document.querySelectorAll("input[data-suggest]");
    Array.prototype.forEach.call(inputs, attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

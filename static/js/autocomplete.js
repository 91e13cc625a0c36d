/*
 * Tag autocomplete: a progressive enhancement for comma-separated tag fields.
 *
 * Any <input data-autocomplete-type="fandom|character|relationship|freeform|pseud"> gets suggestions
 * of canonical tags (or, for "pseud", of bylines: the posting form's co-creators) for the name
 * being typed after the last comma, from
 * /autocomplete/<type>?term=...&fandoms=... (fandoms already typed in the same form come
 * first for characters and relationships). Without JavaScript the plain text field works.
 *
 * Accessible as an ARIA 1.2 combobox: Down/Up move through the suggestions, Enter or Tab
 * takes the highlighted one, Escape closes the list; suggestions can also be clicked.
 * No inline script or style: load with <script src> (Content Security Policy friendly).
 */
(function () {
  "use strict";

  var DELAY_MS = 150;
  var MIN_LENGTH = 1;
  var counter = 0;
  // Translated status words come from the <script> tag (templates/tags/includes/_autocomplete_script.html).
  var script = document.currentScript;
  var ONE = (script && script.getAttribute("data-one-suggestion")) || "1 suggestion";
  var MANY = (script && script.getAttribute("data-suggestions")) || "%(count)s suggestions";

  function items(value) {
    return value.split(",");
  }

  function lastTerm(value) {
    var parts = items(value);
    return parts[parts.length - 1].replace(/\s+/g, " ").trim();
  }

  function replaceLast(value, name) {
    var parts = items(value);
    parts[parts.length - 1] = (parts.length > 1 ? " " : "") + name;
    return parts.join(",") + ", ";
  }

  function fandomsIn(form) {
    if (!form) return "";
    var names = [];
    var fields = form.querySelectorAll('input[data-autocomplete-type="fandom"]');
    for (var i = 0; i < fields.length; i++) {
      items(fields[i].value).forEach(function (name) {
        name = name.trim();
        if (name) names.push(name);
      });
    }
    return names.join(",");
  }

  function enhance(input) {
    var type = input.getAttribute("data-autocomplete-type");
    var base = input.getAttribute("data-autocomplete-url") || "/autocomplete/" + encodeURIComponent(type);
    var id = "autocomplete-" + (++counter);
    var list = document.createElement("ul");
    var status = document.createElement("span");
    var options = [];
    var active = -1;
    var timer = null;
    var controller = null;

    list.id = id + "-list";
    list.className = "autocomplete suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    if (input.id) {
      var label = document.querySelector('label[for="' + input.id + '"]');
      if (label) {
        if (!label.id) label.id = input.id + "-label";
        list.setAttribute("aria-labelledby", label.id);
      }
    }
    status.className = "landmark autocomplete-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");
    input.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);

    function close() {
      list.hidden = true;
      list.textContent = "";
      options = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      if (!options.length) return;
      if (active >= 0) options[active].setAttribute("aria-selected", "false");
      active = (index + options.length) % options.length;
      options[active].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function choose(index) {
      var option = options[index];
      if (!option) return;
      input.value = replaceLast(input.value, option.getAttribute("data-name"));
      close();
      input.focus();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function show(names) {
      close();
      names.forEach(function (name, index) {
        var option = document.createElement("li");
        option.id = id + "-option-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.setAttribute("data-name", name);
        option.textContent = name;  // tag names are plain text
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();  // keep focus in the input
          choose(index);
        });
        list.appendChild(option);
        options.push(option);
      });
      if (options.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
      status.textContent = !options.length
        ? ""
        : options.length === 1
          ? ONE
          : MANY.replace("%(count)s", String(options.length));
    }

    function fetchSuggestions() {
      var term = lastTerm(input.value);
      if (term.length < MIN_LENGTH) {
        close();
        return;
      }
      if (controller) controller.abort();
      controller = typeof AbortController === "function" ? new AbortController() : null;
      var url = base + "?term=" + encodeURIComponent(term);
      if (type === "character" || type === "relationship") {
        var fandoms = fandomsIn(input.form);
        if (fandoms) url += "&fandoms=" + encodeURIComponent(fandoms);
      }
      fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined
      })
        .then(function (response) {
          return response.ok ? response.json() : [];
        })
        .then(function (data) {
          if (document.activeElement !== input || lastTerm(input.value) !== term) return;
          show(
            (Array.isArray(data) ? data : []).map(function (entry) {
              return entry.name;
            })
          );
        })
        .catch(function () {
          /* aborted or offline: the plain field still works */
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && options.length > 0;
      switch (event.key) {
        case "ArrowDown":
          if (open) {
            event.preventDefault();
            highlight(active + 1);
          } else if (lastTerm(input.value)) {
            event.preventDefault();
            fetchSuggestions();
          }
          break;
        case "ArrowUp":
          if (open) {
            event.preventDefault();
            highlight(active - 1);
          }
          break;
        case "Enter":
          if (open && active >= 0) {
            event.preventDefault();  // take the suggestion instead of submitting the form
            choose(active);
          }
          break;
        case "Tab":
          if (open && active >= 0) choose(active);
          else close();
          break;
        case "Escape":
          if (open) {
            event.preventDefault();
            close();
          }
          break;
        default:
          break;
      }
    });

    input.addEventListener("blur", function () {
      setTimeout(close, 100);
    });
  }

  function init() {
    var inputs = document.querySelectorAll("input[data-autocomplete-type]");
    for (var i = 0; i < inputs.length; i++) enhance(inputs[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

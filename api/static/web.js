// Progressive enhancement only: every page works without this script.
// - suggestions as you type for inputs with data-suggest (skill, occupation, qualification),
//   from the public taxonomy search endpoint, into the input's <datalist>;
// - "Add another" buttons that copy the last row of a repeating group with empty fields;
// - "Add" for the skill picker (appends the chosen skill to the skills box);
// - "Print this plan"; focus moves to the error summary when a form comes back with problems.
(function () {
  "use strict";
  var timers = new WeakMap();

  function suggest(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var q = input.value.trim();
    if (!list || q.length < 2) { return; }
    var url = "/api/v1/taxonomy/search?limit=8&kind=" + encodeURIComponent(input.dataset.suggest) +
      "&q=" + encodeURIComponent(q);
    fetch(url, { headers: { Accept: "application/json" }, credentials: "omit" })
      .then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .then(function (body) {
        if (input.value.trim() !== q) { return; }  // typed on: a newer request will fill it
        list.replaceChildren();
        (body.results || []).forEach(function (m) {
          var option = document.createElement("option");
          option.value = m.label;
          list.appendChild(option);
        });
      })
      .catch(function () { /* suggestions are a help, never a requirement */ });
  }

  function wireSuggest(root) {
    root.querySelectorAll("input[data-suggest]").forEach(function (input) {
      input.addEventListener("input", function () {
        clearTimeout(timers.get(input));
        timers.set(input, setTimeout(function () { suggest(input); }, 200));
      });
    });
  }

  function renumber(row, from, to) {
    row.querySelectorAll("[id],[name],[for],[list],[aria-describedby]").forEach(function (el) {
      ["id", "name", "for", "list", "aria-describedby"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) { el.setAttribute(attr, value.split("-" + from + "-").join("-" + to + "-")); }
      });
    });
    row.querySelectorAll("label").forEach(function (label) {
      label.textContent = label.textContent.replace(new RegExp("\\b" + (from + 1) + "$"), String(to + 1));
    });
  }

  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    var group = document.querySelector('[data-rows="' + button.dataset.addRow + '"]');
    if (!group) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var rows = group.querySelectorAll("[data-row]");
      if (rows.length >= 30) { button.hidden = true; return; }
      var last = rows[rows.length - 1];
      var copy = last.cloneNode(true);
      copy.querySelectorAll("input").forEach(function (el) { el.value = ""; el.removeAttribute("aria-invalid"); });
      copy.querySelectorAll("select").forEach(function (el) { el.selectedIndex = 0; });
      copy.querySelectorAll(".field-error").forEach(function (el) { el.remove(); });
      copy.querySelectorAll(".has-error").forEach(function (el) { el.classList.remove("has-error"); });
      copy.querySelectorAll("datalist").forEach(function (el) { el.replaceChildren(); });
      renumber(copy, rows.length - 1, rows.length);
      group.appendChild(copy);
      wireSuggest(copy);
      var first = copy.querySelector("input, select");
      if (first) { first.focus(); }
    });
  });

  var picker = document.querySelector("[data-skill-picker]");
  var skills = document.getElementById("skills");
  if (picker && skills) {
    picker.hidden = false;
    var search = picker.querySelector("input");
    var add = function () {
      var value = search.value.trim();
      if (!value) { return; }
      skills.value = skills.value.trim() ? skills.value.replace(/\s+$/, "") + "\n" + value : value;
      search.value = "";
      search.focus();
    };
    picker.querySelector("[data-add-skill]").addEventListener("click", add);
    search.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); add(); } });
  }

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // "Copy the code": the clipboard when the browser allows it, else the code selected to copy by hand.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(button.getAttribute("data-copy") + "-status");
    if (!target) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var said = function (words) { if (status) { status.textContent = words; } };
      var byHand = function () {
        var range = document.createRange();
        range.selectNodeContents(target);
        window.getSelection().removeAllRanges();
        window.getSelection().addRange(range);
        said("The code is selected: copy it with your phone's or computer's Copy.");
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(target.textContent.trim()).then(function () { said("Copied."); }, byHand);
      } else {
        byHand();
      }
    });
  });

  wireSuggest(document);
  var summary = document.querySelector("[data-autofocus]");
  if (summary) { summary.focus(); }
})();

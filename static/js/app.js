/* kubeprogram: small enhancements of every page, in Indonesian whatever the browser's language. Without JavaScript
   the pages still work (native inputs, tables that scroll). Run on load and after every htmx swap.

   - A table wider than its box scrolls sideways with a visible hint, and its box takes the keyboard focus so the
     arrow keys scroll it (WCAG 2.1.1; axe "scrollable-region-focusable").
   - A file input says "Pilih berkas" and "Belum ada berkas dipilih" (the browser's own button follows the
     browser's language: "Choose Files" in an English one).
   - A date (typed dd/mm/yyyy, core.forms.DateInput) gets a calendar button beside it; the calendar's choice is
     written back as dd/mm/yyyy. */
(function () {
  "use strict";

  function label(box) {
    var table = box.querySelector("table");
    var caption = table && table.querySelector("caption");
    if (caption) return caption.textContent.trim();
    var card = box.closest(".card");
    var header = card && card.querySelector(".card-header");
    if (header) return header.textContent.trim();
    var heading = document.querySelector("main h1, h1");
    return "Tabel" + (heading ? " " + heading.textContent.trim() : "");
  }

  function tables(root) {
    root.querySelectorAll("table.table").forEach(function (table) {
      if (table.closest(".table-responsive, .no-scroll-wrap, .print-page")) return;
      var box = document.createElement("div");
      box.className = "table-responsive";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      var wide = box.scrollWidth > box.clientWidth + 1;
      box.classList.toggle("is-scrollable", wide);
      var hint = box.previousElementSibling;
      var hasHint = hint && hint.classList.contains("scroll-hint");
      if (wide) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        if (!box.hasAttribute("aria-label")) box.setAttribute("aria-label", label(box));
        if (!hasHint) {
          hint = document.createElement("div");
          hint.className = "scroll-hint no-print";
          hint.setAttribute("aria-hidden", "true");
          hint.textContent = "Geser tabel ke samping untuk melihat semua kolom \u2192";
          box.parentNode.insertBefore(hint, box);
        }
      } else {
        if (box.getAttribute("tabindex") === "0" && box.getAttribute("role") === "region") {
          box.removeAttribute("tabindex");
          box.removeAttribute("role");
        }
        if (hasHint) hint.remove();
      }
    });
  }

  function files(root) {
    root.querySelectorAll("input[type=file]:not([data-picker]):not(.visually-hidden)").forEach(function (input) {
      input.setAttribute("data-picker", "");
      if (!input.id) input.id = "file-" + Math.random().toString(36).slice(2, 9);
      var small = input.classList.contains("form-control-sm");
      var box = document.createElement("div");
      box.className = "file-picker input-group" + (small ? " input-group-sm" : "");
      input.classList.forEach(function (c) { if (/^mw-/.test(c)) box.classList.add(c); });
      var button = document.createElement("span");  // not a second <label>: the input keeps its one name
      button.className = "btn btn-outline-secondary file-picker-button";
      button.setAttribute("aria-hidden", "true");
      button.addEventListener("click", function () { input.click(); });
      button.textContent = input.multiple ? "Pilih berkas (boleh lebih dari satu)" : "Pilih berkas";
      var chosen = document.createElement("span");
      chosen.className = "form-control file-picker-chosen text-truncate";
      chosen.setAttribute("aria-live", "polite");
      chosen.textContent = "Belum ada berkas dipilih";
      chosen.addEventListener("click", function () { input.click(); });
      input.parentNode.insertBefore(box, input);
      box.appendChild(input);
      box.appendChild(button);
      box.appendChild(chosen);
      input.classList.add("file-picker-input");
      input.addEventListener("change", function () {
        var names = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
        chosen.textContent = names.length === 0 ? "Belum ada berkas dipilih"
          : names.length === 1 ? names[0] : names.length + " berkas: " + names.join(", ");
      });
      var form = input.form;
      if (form) form.addEventListener("reset", function () { chosen.textContent = "Belum ada berkas dipilih"; });
    });
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function toIso(text) {
    var m = /^\s*(\d{1,2})[\/\-.](\d{1,2})[\/\-.](\d{4})\s*$/.exec(text || "");
    return m ? m[3] + "-" + pad(+m[2]) + "-" + pad(+m[1]) : "";
  }

  function dates(root) {
    root.querySelectorAll("input[data-date]:not([data-calendar])").forEach(function (input) {
      input.setAttribute("data-calendar", "");
      var box = document.createElement("div");
      box.className = "input-group date-picker" + (input.classList.contains("form-control-sm") ? " input-group-sm" : "");
      input.parentNode.insertBefore(box, input);
      box.appendChild(input);
      var native = document.createElement("input");
      native.type = "date";
      native.className = "date-picker-native";
      native.tabIndex = -1;
      native.setAttribute("aria-hidden", "true");
      native.setAttribute("aria-label", "Kalender");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-outline-secondary";
      button.setAttribute("aria-label", "Pilih tanggal dari kalender");
      button.title = "Pilih tanggal dari kalender";
      // A drawn calendar, not an emoji: office PCs without an emoji font would show an empty box.
      button.innerHTML = '<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">' +
        '<rect x="1.5" y="3" width="13" height="11.5" rx="1.5" fill="none" stroke="currentColor" stroke-width="1.5"/>' +
        '<path d="M1.5 6.5h13M5 1.5v3M11 1.5v3" stroke="currentColor" stroke-width="1.5"/>' +
        '<path d="M4 9h2v2H4zM7 9h2v2H7zM10 9h2v2h-2z" fill="currentColor"/></svg>';
      button.disabled = input.disabled || input.readOnly;
      box.appendChild(button);
      box.appendChild(native);
      button.addEventListener("click", function () {
        native.value = toIso(input.value);
        if (native.showPicker) { try { native.showPicker(); return; } catch (e) { /* fall through */ } }
        native.focus(); native.click();
      });
      native.addEventListener("change", function () {
        var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(native.value);
        if (!m) return;
        input.value = m[3] + "/" + m[2] + "/" + m[1];
        input.dispatchEvent(new Event("input", {bubbles: true}));
        input.dispatchEvent(new Event("change", {bubbles: true}));
        input.focus();
      });
    });
  }

  // A progress bar's width comes from data-percent (a style="" attribute would be refused by the CSP).
  function bars(root) {
    root.querySelectorAll("[data-percent]").forEach(function (bar) {
      bar.style.width = Math.max(0, Math.min(100, +bar.getAttribute("data-percent") || 0)) + "%";
    });
  }

  // The unread count is asked once, for the bell that is shown: beside the menu button on a narrow screen, in the
  // menu bar on a wide one.
  function unread() {
    document.querySelectorAll("[data-unread-url]").forEach(function (span) {
      var below = span.getAttribute("data-unread-below"), from = span.getAttribute("data-unread-from");
      var width = window.innerWidth;
      if ((below && width < +below) || (from && width >= +from)) {
        window.htmx.ajax("GET", span.getAttribute("data-unread-url"), {target: span, swap: "innerHTML"});
      }
    });
  }

  function enhance(root) {
    files(root);
    dates(root);
    tables(root);
    bars(root);
  }

  var timer;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { tables(document); }, 150);
  });
  document.addEventListener("htmx:afterSettle", function (e) { enhance(e.target || document); bars(document); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhance(document); unread(); });
  } else {
    enhance(document);
    unread();
  }
  window.kubeEnhance = enhance;
})();

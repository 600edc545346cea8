/* kubeprogram: what the pages once wrote as onclick/onchange/onsubmit attributes, declared as data-attributes and
   handled here, because the Content-Security-Policy runs no inline script (script-src 'self' with a nonce).
   One listener per event on the document, so content swapped in by htmx works without re-binding.

   data-autosubmit           on a <select>: choosing an option submits its form (the year and status filters).
   data-year-url="/x/0/"     on a form: choosing a year opens that URL with the year in place of /0/.
   data-print                on a button: prints the page.
   data-confirm="…"          on a link, a button or a form: asks first; "Batal" stops it.
   data-disable-on-submit    on a form: its buttons are disabled once it is sent (no double submit);
                             data-show="id" also reveals that element (the upload's progress line).
   data-check-all="selector" on a checkbox: ticks or clears every box the selector finds.
   data-busy="…"             on a download link: says so for a few seconds (the file is being made). */
(function () {
  "use strict";

  document.addEventListener("change", function (e) {
    var target = e.target;
    if (target.matches && target.matches("select[data-autosubmit]") && target.form) {
      target.form.submit();
      return;
    }
    var form = target.closest && target.closest("form[data-year-url]");
    if (form && target.name === "tahun") {
      window.location.href = form.getAttribute("data-year-url").replace("/0/", "/" + encodeURIComponent(target.value) + "/");
    }
  });

  document.addEventListener("click", function (e) {
    var el = e.target.closest && e.target.closest("[data-print], [data-confirm]:not(form), [data-check-all], a[data-busy]");
    if (!el) return;
    if (el.hasAttribute("data-print")) {
      e.preventDefault();
      window.print();
    } else if (el.hasAttribute("data-check-all")) {
      document.querySelectorAll(el.getAttribute("data-check-all")).forEach(function (box) {
        if (box !== el) box.checked = el.checked;
      });
    } else if (el.hasAttribute("data-confirm")) {
      if (!window.confirm(el.getAttribute("data-confirm"))) {
        e.preventDefault();
        e.stopImmediatePropagation();
      }
    } else if (el.hasAttribute("data-busy")) {
      var text = el.textContent;
      el.classList.add("disabled");
      el.textContent = el.getAttribute("data-busy");
      setTimeout(function () { el.classList.remove("disabled"); el.textContent = text; }, 8000);
    }
  });

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.hasAttribute("data-confirm") && !window.confirm(form.getAttribute("data-confirm"))) {
      e.preventDefault();
      return;
    }
    if (form.hasAttribute("data-disable-on-submit")) {
      // After the browser has taken the form's data (a disabled button would drop its name=value).
      setTimeout(function () {
        form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
        var shown = form.getAttribute("data-show");
        if (shown && document.getElementById(shown)) document.getElementById(shown).classList.remove("d-none");
      }, 0);
    }
  });
})();

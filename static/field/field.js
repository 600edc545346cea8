/* Field work with or without a signal (kubeprogram, Dinsos Kaltim). No framework, no build step.
 *
 * - Registers the service worker (/sw.js), which keeps the pages an officer takes along.
 * - Keeps each field action (attendance tick, BAST photo) in IndexedDB with an id made here, then sends it to
 *   /lapangan/kirim/ — at once when online, when the connection returns, or with "Kirim sekarang". The server
 *   applies an id once; what it refuses is kept (its label and reason only, nothing it carried) until a page has
 *   shown it, then dropped from the phone; the page keeps showing it until "Tutup" or the next page.
 * - Shrinks photos before upload (long side at most 1600 px, JPEG), also for ordinary forms (data-shrink).
 * - Signing out warns about unsent actions, then empties the queue and the pages taken along. A page opened with
 *   no one signed in (the session ended: timed out, ended by an administrator) empties the pages taken along and
 *   what was refused; the officer's unsent actions stay, to be sent once the same officer signs in again.
 * - No whole NIK or KK is kept: the pages that can be taken along print them masked for every role (server side),
 *   and an action holds only what its form sent.
 */
(function () {
  "use strict";

  var body = document.body;
  var USER = body.dataset.user || "";
  var SYNC_URL = body.dataset.syncUrl || "/lapangan/kirim/";
  var PAGES = "lapangan-halaman";
  var DB_NAME = "kubeprogram-lapangan";
  var LONG_SIDE = 1600;

  if ("serviceWorker" in navigator && USER) {
    navigator.serviceWorker.register(body.dataset.swUrl || "/sw.js", { scope: "/" }).catch(function () {});
  }

  // IndexedDB: one store of actions {id, user, kind, target, done_at, fields, files, label, state, reason}.
  function db() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore("actions", { keyPath: "id" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function tx(mode, work) {
    return db().then(function (database) {
      return new Promise(function (resolve, reject) {
        var transaction = database.transaction("actions", mode);
        var result = work(transaction.objectStore("actions"));
        transaction.oncomplete = function () { resolve(result && result.result !== undefined ? result.result : result); };
        transaction.onerror = function () { reject(transaction.error); };
      });
    });
  }
  function allActions() {
    return tx("readonly", function (store) { return store.getAll(); }).then(function (rows) {
      return (rows || []).filter(function (a) { return a.user === USER; })
        .sort(function (a, b) { return a.done_at < b.done_at ? -1 : 1; });
    });
  }
  function put(action) { return tx("readwrite", function (store) { store.put(action); }); }
  function remove(id) { return tx("readwrite", function (store) { store.delete(id); }); }
  function clearAll() { return tx("readwrite", function (store) { store.clear(); }); }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // One pending action per participant's attendance and per scheduled visit: a second tap, or the visit form filled
  // in again, replaces the one waiting (so the counter counts participants, and the server gets the last answer).
  var REPLACED = { kehadiran: true, kunjungan: true };
  function sameWork(a, kind, target, fields) {
    return a.state === "pending" && a.kind === kind && a.target === String(target) &&
      (kind !== "kunjungan" || String(a.fields.due_month || "") === String((fields || {}).due_month || ""));
  }
  function pendingFor(kind, target, fields) {
    return allActions().then(function (actions) {
      return actions.filter(function (a) { return sameWork(a, kind, target, fields); });
    });
  }

  // Queue an action and try to send it.
  function queue(kind, target, fields, files, label) {
    var action = {
      id: newId(), user: USER, kind: kind, target: String(target), done_at: new Date().toISOString(),
      fields: fields || {}, files: files || [], label: label || "", state: "pending", reason: ""
    };
    var earlier = REPLACED[kind] ? pendingFor(kind, target, fields) : Promise.resolve([]);
    return earlier.then(function (old) {
      old.forEach(function (a) {  // an edited visit without new photos keeps the photos taken before
        if (!action.files.length && a.files && a.files.length) action.files = a.files;
      });
      return Promise.all(old.map(function (a) { return remove(a.id); }));
    }).then(function () { return put(action); }).then(function () {
      document.dispatchEvent(new CustomEvent("field:queued", { detail: action }));
      render();
      return send();
    });
  }

  var sending = null;
  function send() {
    if (sending) return sending;
    sending = allActions().then(function (actions) {
      var pending = actions.filter(function (a) { return a.state === "pending"; });
      if (!pending.length) return;
      return fetch(SYNC_URL, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
        if (response.status === 401) {  // the session ended: the pages taken along go, unsent work waits
          status("Sesi berakhir: masuk lagi untuk mengirim.", true);
          return window.caches ? caches.delete(PAGES).catch(function () {}) : undefined;
        }
        if (!response.ok) throw new Error("http " + response.status);
        return response.json().then(function (info) {
          if (String(info.user) !== USER) return;  // another account signed in: never send someone else's work
          var sent = 0, refused = 0;
          return pending.reduce(function (chain, action) {
            return chain.then(function () { return sendOne(action, info.csrf); }).then(function (applied) {
              if (applied) { sent += 1; } else { refused += 1; }
            });
          }, Promise.resolve()).then(function () {
            var at = new Date().toLocaleTimeString("id-ID", { hour: "2-digit", minute: "2-digit" });
            status(sent + " tindakan terkirim pukul " + at + (refused ? "; " + refused + " ditolak (lihat di bawah)." : "."),
              refused > 0);
            if (sent) return refreshTaken();
          });
        });
      });
    }).catch(function () { /* no signal: stays queued */ }).then(function () {
      sending = null;
      return render();
    });
    return sending;
  }

  function sendOne(action, csrf) {
    var form = new FormData();
    form.append("id", action.id);
    form.append("kind", action.kind);
    form.append("target", action.target);
    form.append("done_at", action.done_at);
    Object.keys(action.fields).forEach(function (k) { form.append(k, action.fields[k]); });
    (action.files || []).forEach(function (f) { form.append("file", f, f.name || "foto.jpg"); });
    return fetch(SYNC_URL, {
      method: "POST", body: form, credentials: "same-origin", headers: { "X-CSRFToken": csrf }
    }).then(function (response) {
      if (!response.ok) throw new Error("http " + response.status);
      return response.json();
    }).then(function (answer) {
      document.dispatchEvent(new CustomEvent("field:answered", { detail: { action: action, answer: answer } }));
      if (answer.result === "diterapkan") return remove(action.id).then(function () { return true; });
      // Kept only to be shown: its label and the reason, not the answers or photos it carried.
      var refused = { id: action.id, user: action.user, kind: action.kind, target: action.target,
        done_at: action.done_at, fields: {}, files: [], label: action.label, state: "refused",
        reason: answer.reason || "Ditolak server." };
      return put(refused).then(function () { return false; });
    });
  }

  // After sending, the pages taken along are fetched again, so what they show offline is what the server now holds.
  function refreshTaken() {
    if (!window.caches) return Promise.resolve();
    return caches.open(PAGES).then(function (cache) {
      return cache.keys().then(function (requests) {
        return Promise.all(requests.map(function (request) {
          return fetch(request.url, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
            if (response.ok && !response.redirected) return cache.put(request, response);
          }).catch(function () {});
        }));
      });
    }).catch(function () {}).then(function () {
      body.dataset.takenRefreshed = new Date().toISOString();  // when the pages taken along were last fetched again
    });
  }

  var shownRefused = [];  // refused actions this page has shown (no longer on the phone)

  // The status box on field pages: pending count, "Kirim sekarang", refused actions with their reason.
  function status(text, warn) {
    var box = document.querySelector("[data-field-note]");
    if (box) { box.textContent = text; box.classList.toggle("text-danger", !!warn); }
  }
  function render() {
    var box = document.getElementById("field-status");
    if (!box) return Promise.resolve();
    return allActions().then(function (actions) {
      var pending = actions.filter(function (a) { return a.state === "pending"; });
      // Refused actions: shown on this page, dropped from the phone as soon as they are.
      actions.filter(function (a) { return a.state === "refused"; }).forEach(function (a) {
        if (!shownRefused.some(function (b) { return b.id === a.id; })) shownRefused.push(a);
        remove(a.id).catch(function () {});
      });
      var refused = shownRefused;
      box.querySelector("[data-pending]").textContent = pending.length
        ? "Tersimpan di perangkat, belum terkirim (" + pending.length + ")"
        : "Semua sudah terkirim.";
      box.classList.toggle("alert-warning", pending.length > 0);
      box.classList.toggle("alert-success", pending.length === 0);
      // A desktop form (the visit form) shows the box only when something waits or was refused.
      if (box.hasAttribute("data-quiet")) box.hidden = !pending.length && !refused.length;
      box.querySelector("[data-send]").hidden = pending.length === 0;
      var list = box.querySelector("[data-refused]");
      list.innerHTML = "";
      refused.forEach(function (a) {
        var item = document.createElement("li");
        item.className = "list-group-item list-group-item-danger d-flex justify-content-between gap-2";
        item.setAttribute("data-testid", "refused");
        var text = document.createElement("div");
        text.textContent = (a.label || a.kind) + ": ditolak — " + a.reason;
        var dismiss = document.createElement("button");
        dismiss.type = "button";
        dismiss.className = "btn btn-sm btn-outline-dark";
        dismiss.textContent = "Tutup";
        dismiss.addEventListener("click", function () {
          shownRefused = shownRefused.filter(function (b) { return b.id !== a.id; });
          render();
        });
        item.appendChild(text); item.appendChild(dismiss); list.appendChild(item);
      });
      document.querySelectorAll("[data-action-target]").forEach(function (el) {
        var mine = pending.filter(function (a) { return a.kind + ":" + a.target === el.dataset.actionTarget; });
        el.toggleAttribute("data-pending-here", mine.length > 0);
        var mark = el.querySelector("[data-pending-mark]");
        if (mark) mark.hidden = mine.length === 0;
        // The answer chosen on the phone, not yet sent, shows as chosen (also after a reload without a signal).
        var last = mine[mine.length - 1];
        if (last && last.kind === "kehadiran") {
          el.querySelectorAll("[data-attendance]").forEach(function (b) {
            var chosen = b.dataset.status === last.fields.status;
            b.setAttribute("aria-pressed", chosen ? "true" : "false");
            b.classList.toggle("active", chosen);
          });
        }
      });
    });
  }

  // Photos: shrink on the phone (long side ≤ 1600 px, JPEG); a format the browser cannot draw goes as it is.
  function shrink(file) {
    if (!file || !/^image\//.test(file.type) || !window.createImageBitmap) return Promise.resolve(file);
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, LONG_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob) return resolve(file);
          var name = (file.name || "foto").replace(/\.[^.]*$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg", lastModified: Date.now() }));
        }, "image/jpeg", 0.82);
      });
    }).catch(function () { return file; });
  }
  window.kubeShrinkPhoto = shrink;

  // Ordinary forms: <input type=file data-shrink> gets its photos shrunk before the form is sent.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-shrink]") || !window.DataTransfer) return;
    var files = Array.prototype.slice.call(input.files || []);
    if (!files.length) return;
    Promise.all(files.map(shrink)).then(function (smaller) {  // setting .files fires no second "change"
      var transfer = new DataTransfer();
      smaller.forEach(function (f) { transfer.items.add(f); });
      input.files = transfer.files;
    });
  });

  // Field pages: attendance buttons and the BAST photo go through the queue.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-attendance]") : null;
    if (!button) return;
    event.preventDefault();
    var row = button.closest("[data-action-target]");
    row.querySelectorAll("[data-attendance]").forEach(function (b) {
      b.setAttribute("aria-pressed", b === button ? "true" : "false");
      b.classList.toggle("active", b === button);
    });
    queue("kehadiran", button.dataset.attendance, { status: button.dataset.status }, [],
      "Kehadiran " + (row.dataset.label || "") + ": " + button.textContent.trim());
  });
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-handover-photo]")) return;
    var file = input.files && input.files[0];
    if (!file) return;
    shrink(file).then(function (photo) {
      var preview = document.querySelector("[data-photo-preview]");
      if (preview) { preview.src = URL.createObjectURL(photo); preview.hidden = false; }
      return queue("foto_bast", input.dataset.handoverPhoto, {}, [photo], "Foto " + (input.dataset.label || "BAST"));
    }).then(function () { input.value = ""; });
  });

  // A monitoring visit filled in without a signal: kept on the phone, sent when the signal returns (the server
  // judges it with the same form; what it refuses comes back with the reason).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-offline-visit]") || navigator.onLine) return;
    event.preventDefault();
    var fields = {}, photos = [];
    new FormData(form).forEach(function (value, key) {
      if (key === "csrfmiddlewaretoken") return;
      if (value instanceof File) { if (value.size) photos.push(value); } else { fields[key] = value; }
    });
    Promise.all(photos.map(shrink)).then(function (smaller) {
      return queue("kunjungan", form.dataset.offlineVisit, fields, smaller, "Kunjungan " + (form.dataset.label || ""));
    }).then(function () {
      form.hidden = true;
      var done = document.querySelector("[data-offline-saved]");
      if (done) done.hidden = false;
    });
  });

  // The visit form opened again while its visit waits on the phone: say so, and fill in what was kept so the officer
  // edits that one (saving replaces it) instead of writing a second that the server would refuse.
  function showQueuedVisit() {
    var form = document.querySelector("form[data-offline-visit]");
    if (!form) return Promise.resolve();
    var month = form.elements.due_month ? form.elements.due_month.value : "";
    return pendingFor("kunjungan", form.dataset.offlineVisit, { due_month: month }).then(function (found) {
      var kept = found[found.length - 1];
      var note = document.querySelector("[data-offline-queued]");
      if (!kept) return;
      Object.keys(kept.fields).forEach(function (name) {
        var field = form.elements[name];
        if (!field) return;
        if (field.type === "checkbox") { field.checked = kept.fields[name] === "on"; return; }
        if (field instanceof RadioNodeList || field.length !== undefined && !field.tagName) {
          Array.prototype.forEach.call(field, function (r) { r.checked = r.value === kept.fields[name]; });
          return;
        }
        field.value = kept.fields[name];
      });
      if (note) {
        note.hidden = false;
        var photos = (kept.files || []).length;
        note.querySelector("[data-queued-when]").textContent = new Date(kept.done_at).toLocaleString("id-ID",
          { day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" }) + (photos ? " (" + photos + " foto)" : "");
      }
    }).catch(function () {});
  }

  // "Kerja lapangan": store the chosen pages on the phone.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-take-along]") : null;
    if (!button) return;
    event.preventDefault();
    var urls = [location.pathname].concat(
      Array.prototype.map.call(document.querySelectorAll("input[data-page]:checked"), function (c) { return c.dataset.page; })
    );
    var note = document.querySelector("[data-take-note]");
    if (!window.caches) { note.textContent = "Peramban ini tidak dapat menyimpan halaman."; return; }
    note.textContent = "Menyimpan " + (urls.length - 1) + " halaman…";
    caches.open(PAGES).then(function (cache) {
      return Promise.all(urls.map(function (url) {
        return fetch(url, { credentials: "same-origin" }).then(function (response) {
          if (!response.ok || response.redirected) throw new Error(url);
          return cache.put(url, response);
        });
      }));
    }).then(function () {
      note.textContent = (urls.length - 1) + " halaman tersimpan di perangkat; dapat dibuka tanpa sinyal.";
      localStorage.setItem("kubeprogram-taken", new Date().toISOString());
    }).catch(function () {
      note.textContent = "Gagal menyimpan; periksa sinyal lalu coba lagi.";
    });
  });

  // Signing out: warn about unsent work, then empty the queue and the pages kept (the server also sends
  // Clear-Site-Data).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("[data-logout]") || form.dataset.confirmed === "1") return;
    event.preventDefault();
    allActions().catch(function () { return []; }).then(function (actions) {
      var pending = actions.filter(function (a) { return a.state === "pending"; }).length;
      if (pending && !window.confirm("Ada " + pending + " tindakan lapangan yang belum terkirim. Jika keluar sekarang, " +
          "semuanya dihapus dari perangkat ini. Tetap keluar?")) return;
      var emptied = [clearAll().catch(function () {})];
      if (window.caches) emptied.push(caches.delete(PAGES));
      return Promise.all(emptied).then(function () {
        form.dataset.confirmed = "1";
        form.submit();
      });
    });
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-send]")) { event.preventDefault(); send(); }
  });
  window.addEventListener("online", send);

  // No one signed in on this page (the login page after a session ended): the pages taken along and what was
  // refused go; unsent actions stay for their officer. Without IndexedDB or Cache Storage there is nothing to empty.
  function forgetEnded() {
    var emptied = [];
    if (window.caches) emptied.push(caches.delete(PAGES).catch(function () {}));
    if (window.indexedDB) {
      emptied.push(tx("readwrite", function (store) {
        var all = store.getAll();
        all.onsuccess = function () {
          (all.result || []).forEach(function (a) { if (a.state !== "pending") store.delete(a.id); });
        };
      }).catch(function () {}));
    }
    return Promise.all(emptied);
  }
  window.kubeForgetEnded = forgetEnded;
  if (!USER) { forgetEnded(); return; }
  window.kubeField = { queue: queue, send: send, render: render, actions: allActions };
  showQueuedVisit();
  render().then(function () { if (navigator.onLine) send(); });
})();

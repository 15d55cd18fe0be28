// The rep's day without a signal (issue 18). On "My day" online: register the
// service worker and store the day (GET /api/v1/visits/offline-bundle/) in
// IndexedDB. On the offline page: the day's visits from that store; each step
// (market check with photos, start with time and place, count with its
// suggested order computed here, notes, requests, completion) waits in a queue
// with an Idempotency-Key and the time the rep did it, and is sent in order
// when the network returns (the `online` event, page load, background sync, or
// "Send now"). What the server refuses stays, with its reason, to fix and resend.
(function () {
  "use strict";
  var root = document.getElementById("offline-root");
  if (!root || !window.indexedDB) return;
  var T = JSON.parse(document.getElementById("offline-strings").textContent);
  var cfg = root.dataset;
  var USER = cfg.user;
  var API = cfg.apiBase;
  var DB_NAME = "dealer-crm-offline";
  var state = { bundle: null, queue: [], results: {}, syncing: false, authProblem: false, visit: null, fixing: null };

  function fmt(text, params) {
    return text.replace(/%\((\w+)\)s/g, function (_m, name) { return params[name] === undefined ? "" : String(params[name]); });
  }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === undefined || value === null || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name === "on") Object.keys(value).forEach(function (ev) { node.addEventListener(ev, value[ev]); });
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child); });
    return node;
  }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "k" + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }
  // Times as the server's pages show them: 24-hour, in the app's time zone (the bundle's), whatever the phone's.
  function timeText(iso) {
    if (!iso) return "";
    var options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    if (state.bundle && state.bundle.time_zone) options.timeZone = state.bundle.time_zone;
    try { return new Date(iso).toLocaleTimeString(document.documentElement.lang || [], options); }
    catch (error) { delete options.timeZone; return new Date(iso).toLocaleTimeString([], options); }
  }

  // --- IndexedDB -----------------------------------------------------------------------------
  var dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var open = indexedDB.open(DB_NAME, 1);
        open.onupgradeneeded = function () {
          var database = open.result;
          database.createObjectStore("bundles", { keyPath: "user" });
          database.createObjectStore("queue", { keyPath: "id", autoIncrement: true });
          database.createObjectStore("results", { keyPath: "key" });
        };
        open.onsuccess = function () { resolve(open.result); };
        open.onerror = function () { reject(open.error); };
      });
    }
    return dbPromise;
  }
  function store(name, mode, work) {
    return db().then(function (database) {
      return new Promise(function (resolve, reject) {
        var tx = database.transaction(name, mode);
        var result = work(tx.objectStore(name));
        tx.oncomplete = function () { resolve(result && "result" in result ? result.result : result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }
  function all(name) { return store(name, "readonly", function (s) { return s.getAll(); }); }
  function put(name, value) { return store(name, "readwrite", function (s) { return s.put(value); }); }
  function remove(name, key) { return store(name, "readwrite", function (s) { return s.delete(key); }); }

  function load() {
    return Promise.all([
      store("bundles", "readonly", function (s) { return s.get(USER); }), all("queue"), all("results"),
    ]).then(function (values) {
      state.bundle = values[0] ? values[0].data : null;
      state.savedAt = values[0] ? values[0].saved_at : null;
      state.queue = values[1].filter(function (item) { return item.user === USER; }).sort(function (a, b) { return a.id - b.id; });
      state.results = {};
      values[2].forEach(function (row) { state.results[row.key] = row; });
    });
  }

  // --- the server ------------------------------------------------------------------------------
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }
  function refreshBundle() {
    return fetch(cfg.bundleUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      }).then(function (data) {
        var saved = { user: USER, data: data, saved_at: new Date().toISOString() };
        return put("bundles", saved).then(function () { state.bundle = data; state.savedAt = saved.saved_at; state.bundleError = false; });
      }).catch(function () { state.bundleError = true; });
  }
  // Messages of a 4xx answer: {"detail": …} or {"field": [messages], …}.
  function messagesOf(body) {
    if (!body || typeof body !== "object") return [];
    if (typeof body.detail === "string") return [body.detail];
    var out = [];
    Object.keys(body).forEach(function (key) {
      var value = body[key];
      (Array.isArray(value) ? value : [value]).forEach(function (message) {
        out.push(typeof message === "string" ? message : JSON.stringify(message));
      });
    });
    return out;
  }
  function send(item) {
    var headers = { "X-CSRFToken": csrfToken(), "Idempotency-Key": item.key, Accept: "application/json" };
    var body;
    if (item.kind === "photo") {
      body = new FormData();
      body.append("stage", item.body.stage);
      body.append("taken_at", item.recorded_at);
      body.append("image", item.blob, item.body.filename || "photo.jpg");
    } else {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(item.body);
    }
    return fetch(item.url, { method: item.method, credentials: "same-origin", headers: headers, body: body });
  }
  function afterSent(item, response) {
    if (item.kind !== "count") return Promise.resolve();
    // The server's suggestion replaces the phone's; a difference is shown.
    return fetch(API + "visits/" + item.visit + "/suggested-order/", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (server) {
        if (!server) return;
        return put("results", { key: "suggestion:" + item.visit, phone: item.suggestion || [], server: server.lines || [] });
      }).catch(function () {});
  }
  function sync() {
    if (state.syncing || !navigator.onLine) return Promise.resolve();
    state.syncing = true;
    state.authProblem = false;
    render();
    var blocked = {};
    var queue = state.queue.slice();
    var seen = {};
    queue.forEach(function (item) { seen[item.id] = true; });
    var sent = 0, refused = 0;
    function next(index) {
      if (index >= queue.length) return Promise.resolve(true);
      var item = queue[index];
      if (item.status === "refused" || blocked[item.visit]) { blocked[item.visit] = true; return next(index + 1); }
      return send(item).then(function (response) {
        if (response.ok) {
          sent += 1;
          return afterSent(item, response).then(function () { return remove("queue", item.id); })
            .then(function () { return next(index + 1); });
        }
        return response.json().catch(function () { return null; }).then(function (body) {
          var text = messagesOf(body).join(" ");
          if (response.status === 401 || (response.status === 403 && /CSRF/i.test(text))) {
            state.authProblem = true;
            return false;  // not the change's fault: it waits
          }
          if (response.status >= 500 || response.status === 408 || response.status === 429) return false;
          item.status = "refused";
          refused += 1;
          item.error = text || String(response.status);
          item.implausible = !!(body && body.confirm_implausible);
          blocked[item.visit] = true;  // the visit's later steps wait for this one to be fixed
          return put("queue", item).then(function () { return next(index + 1); });
        });
      }, function () { return false; });  // the network is gone again
    }
    return next(0).then(function (done) {
      state.syncing = false;
      return load().then(function () {
        // Changes made while sending go out too.
        if (done && state.queue.some(function (item) { return !seen[item.id]; })) setTimeout(sync, 0);
        // The server's state wins: a cancelled visit leaves the day, a stopped product the count.
        if (done && (sent || refused) && navigator.onLine) return refreshBundle();
      });
    }).then(render, function () { state.syncing = false; render(); });
  }

  function enqueue(item) {
    item.user = USER;
    item.key = uuid();
    var visit = state.bundle && state.bundle.visits.filter(function (v) { return v.id === item.visit; })[0];
    item.dealer_name = visit ? visit.dealer_name : "";
    item.status = "waiting";
    item.recorded_at = item.recorded_at || new Date().toISOString();
    return put("queue", item).then(load).then(function () {
      render();
      if (navigator.serviceWorker && navigator.serviceWorker.ready && window.SyncManager) {
        navigator.serviceWorker.ready.then(function (reg) { return reg.sync && reg.sync.register("offline-queue"); }).catch(function () {});
      }
      return sync();
    });
  }
  function replace(item, changes) {
    Object.keys(changes).forEach(function (name) { item[name] = changes[name]; });
    item.key = uuid();  // a corrected change is a new request
    item.status = "waiting";
    item.error = "";
    return put("queue", item).then(load).then(sync);
  }

  // A phone's photo made small enough to keep and send: at most 1600 px on its longer
  // side, as JPEG; refused (with the limit said) if it is still too large.
  var PHOTO_SIDE = 1600;
  function shrinkPhoto(file, limit) {
    if (!window.createImageBitmap || !file.type || file.type.indexOf("image/") !== 0) {
      return Promise.resolve(file.size <= limit ? file : null);
    }
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, PHOTO_SIDE / Math.max(bitmap.width, bitmap.height));
      if (scale === 1 && file.size <= limit) return file;
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.8); }).then(function (blob) {
        return blob && blob.size <= limit ? blob : null;
      });
    }, function () { return file.size <= limit ? file : null; });
  }

  // --- a visit's state: the stored day plus the changes waiting --------------------------------
  function pending(visitId, kind) {
    return state.queue.filter(function (item) { return item.visit === visitId && (!kind || item.kind === kind); });
  }
  function visitState(visit) {
    var started = pending(visit.id, "start")[0];
    var completed = pending(visit.id, "complete")[0];
    var check = pending(visit.id, "market_check")[0];
    var count = pending(visit.id, "count");
    var status = visit.status;
    if (started && status === "planned") status = "in_progress";
    if (completed) status = "completed";
    return {
      status: status, hasCheck: visit.has_market_check || !!check,
      startedAt: started ? started.recorded_at : visit.started_at,
      completedAt: completed ? completed.recorded_at : visit.completed_at,
      count: count.length ? count[count.length - 1] : null,
    };
  }
  function dealerOf(visit) {
    return state.bundle.dealers.filter(function (dealer) { return dealer.id === visit.dealer; })[0];
  }

  // --- rendering ---------------------------------------------------------------------------------
  function renderBanner() {
    var banner = document.getElementById("offline-banner");
    if (!banner) return;
    banner.textContent = "";
    var online = navigator.onLine;
    var waiting = state.queue.length;
    var line = el("div", { class: "alert mb-2 d-flex flex-wrap align-items-center gap-2 " + (online ? (waiting ? "alert-warning" : "alert-success") : "alert-secondary"),
      "data-testid": "offline-status" }, [
      el("strong", { text: online ? T.online : T.offline }),
      el("span", { "data-testid": "offline-waiting", text: waiting ? fmt(T.waiting, { count: waiting }) : T.all_sent }),
    ]);
    if (waiting) {
      line.appendChild(el("button", { type: "button", class: "btn btn-sm btn-primary ms-auto", disabled: state.syncing || !online,
        text: state.syncing ? T.sending : T.send_now, on: { click: sync } }));
    }
    banner.appendChild(line);
    if (state.authProblem) banner.appendChild(el("div", { class: "alert alert-danger mb-2", text: T.sign_in_again }));
    state.queue.filter(function (item) { return item.status === "refused"; }).forEach(function (item) {
      var visit = (state.bundle ? state.bundle.visits : []).filter(function (v) { return v.id === item.visit; })[0];
      var actions = el("div", { class: "d-flex flex-wrap gap-2 mt-2" });
      if (item.implausible) {
        actions.appendChild(el("button", { type: "button", class: "btn btn-sm btn-warning", text: T.confirm_resend,
          on: { click: function () { var body = Object.assign({}, item.body, { confirm_implausible: true }); replace(item, { body: body, implausible: false }); } } }));
      }
      if (["market_check", "count", "notes", "request"].indexOf(item.kind) >= 0 && visit) {
        actions.appendChild(el("button", { type: "button", class: "btn btn-sm btn-outline-primary", text: T.fix,
          on: { click: function () { state.fixing = item; openVisit(item.visit); } } }));
      }
      // "Resend" sends the change as it is: no longer conditional on the visit's time the phone knew.
      actions.appendChild(el("button", { type: "button", class: "btn btn-sm btn-outline-secondary", text: T.resend,
        on: { click: function () {
          var body = Object.assign({}, item.body);
          delete body.scheduled_for_seen;
          replace(item, { body: body });
        } } }));
      actions.appendChild(el("button", { type: "button", class: "btn btn-sm btn-outline-danger", text: T.discard,
        on: { click: function () { if (window.confirm(T.discard_confirm)) remove("queue", item.id).then(load).then(render); } } }));
      banner.appendChild(el("div", { class: "alert alert-danger mb-2", "data-testid": "offline-refused" }, [
        el("div", { class: "fw-semibold", text: (item.dealer_name ? item.dealer_name + " · " : "") + item.label }),
        el("div", { text: fmt(T.refused, { reason: item.error }) }), actions,
      ]));
    });
    if (cfg.offline === "day") {
      var info = state.bundleError ? T.save_failed : state.savedAt ? fmt(T.saved_for_offline, { time: timeText(state.savedAt) }) : "";
      banner.appendChild(el("p", { class: "small mb-0", "data-testid": state.savedAt && !state.bundleError ? "offline-ready" : "offline-info" }, [
        info + " ", el("a", { href: cfg.offlineUrl, text: T.open_offline }),
      ]));
    }
  }

  function renderApp() {
    var app = document.getElementById("offline-app");
    if (!app) return;
    app.textContent = "";
    if (!state.bundle) { app.appendChild(el("p", { class: "alert alert-info", text: T.no_bundle })); return; }
    var match = /^#visit-(\d+)$/.exec(window.location.hash);
    var visit = match && state.bundle.visits.filter(function (v) { return v.id === +match[1]; })[0];
    if (!visit) { app.appendChild(dayList()); return; }
    app.appendChild(visitPanel(visit));
  }

  function dayList() {
    var list = el("div", { class: "list-group", "data-testid": "offline-visits" });
    if (!state.bundle.visits.length) list.appendChild(el("div", { class: "list-group-item text-muted", text: T.no_visits }));
    state.bundle.visits.forEach(function (visit) {
      var st = visitState(visit);
      list.appendChild(el("a", { href: "#visit-" + visit.id, class: "list-group-item list-group-item-action d-flex justify-content-between gap-2" }, [
        el("span", { text: timeText(visit.scheduled_for) + " " + visit.dealer_name }),
        el("span", { class: "badge text-bg-light", text: T["status_" + st.status] || st.status }),
      ]));
    });
    return el("section", {}, [el("h2", { class: "h5", text: T.todays_visits }), list]);
  }

  function field(label, input) {
    var id = "f-" + Math.random().toString(36).slice(2);
    input.id = id;
    return el("div", { class: "mb-2" }, [el("label", { class: "form-label", for: id, text: label }), input]);
  }
  function card(title, testid, children) {
    return el("section", { class: "card mb-3", "data-testid": testid }, [
      el("div", { class: "card-body" }, [el("h2", { class: "h5", text: title })].concat(children)),
    ]);
  }
  function fixing(visit, kind) {
    var item = state.fixing;
    return item && item.visit === visit.id && item.kind === kind ? item : null;
  }
  function save(visit, kind, label, method, url, body, extra) {
    var item = fixing(visit, kind);
    state.fixing = null;
    var done = item ? replace(item, Object.assign({ body: body }, extra || {}))
      : enqueue(Object.assign({ visit: visit.id, kind: kind, label: label, method: method, url: url, body: body }, extra || {}));
    return done.then(function () { flash(T.queued); });
  }
  function flash(text) {
    var app = document.getElementById("offline-app");
    if (app) app.insertBefore(el("p", { class: "alert alert-info", "data-testid": "offline-flash", text: text }), app.firstChild);
  }

  function visitPanel(visit) {
    var st = visitState(visit);
    var dealer = dealerOf(visit);
    var base = API + "visits/" + visit.id + "/";
    var parts = [
      el("p", {}, [el("a", { href: "#", text: "← " + T.back })]),
      el("h2", { class: "h4", text: visit.dealer_name }),
      el("p", {}, [el("span", { class: "badge text-bg-primary", "data-testid": "offline-visit-status", text: T["status_" + st.status] || st.status })]),
    ];
    // 1. The market check (before the start), with photos kept on the phone.
    if (st.status === "planned" || fixing(visit, "market_check")) {
      var previous = (fixing(visit, "market_check") || pending(visit.id, "market_check")[0] || {}).body || {};
      var observation = (previous.observations || [])[0] || {};
      var outlets = el("input", { type: "number", min: "0", class: "form-control", value: previous.outlets_walked || "" });
      var notes = el("textarea", { class: "form-control", rows: "2" }); notes.value = previous.notes || "";
      var kind = el("select", { class: "form-select" }, [el("option", { value: "", text: "—" })].concat(
        state.bundle.observation_kinds.map(function (k) { return el("option", { value: k[0], text: k[1], selected: observation.kind === k[0] }); })));
      var outlet = el("input", { type: "text", class: "form-control", value: observation.outlet || "" });
      var product = el("select", { class: "form-select" }, [el("option", { value: "", text: "—" })].concat(
        dealer.products.map(function (p) { return el("option", { value: String(p.id), text: p.sku + " " + p.name, selected: observation.product === p.id }); })));
      var price = el("input", { type: "number", step: "0.01", min: "0", inputmode: "decimal", class: "form-control", value: observation.retail_price || "" });
      var inStock = el("input", { type: "checkbox", class: "form-check-input", checked: observation.in_stock === true });
      var skipped = el("input", { type: "text", class: "form-control", value: previous.skipped_reason || "" });
      var photo = el("input", { type: "file", accept: "image/*", capture: "environment", class: "form-control" });
      var error = el("p", { class: "text-danger small mb-2" });
      parts.push(card(T.market_check, "offline-market-check", [
        field(T.kind, kind), field(T.outlet, outlet), field(T.product, product), field(T.retail_price, price),
        el("div", { class: "form-check mb-2" }, [inStock, el("label", { class: "form-check-label", for: (inStock.id = "f-stock"), text: T.in_stock })]),
        field(T.outlets_walked, outlets), field(T.notes, notes), field(T.skipped_reason, skipped), field(T.photo, photo), error,
        el("button", { type: "button", class: "btn btn-primary", text: T.save_check, on: { click: function () {
          var file = photo.files[0];
          var limit = state.bundle.photo_max_bytes;
          (file ? shrinkPhoto(file, limit) : Promise.resolve(null)).then(function (image) {
          if (file && !image) { error.textContent = fmt(T.photo_too_large, { limit: (limit / 1048576).toFixed(0) }); return; }
          var body = { outlets_walked: parseInt(outlets.value, 10) || 0, notes: notes.value.trim(), skipped_reason: skipped.value.trim(), observations: [] };
          if (kind.value) {
            body.observations.push({ kind: kind.value, outlet: outlet.value.trim(), product: product.value ? +product.value : null,
              retail_price: price.value || null, in_stock: inStock.checked ? true : null });
          }
          var now = new Date().toISOString();
          body.recorded_at = now;
          body.scheduled_for_seen = visit.scheduled_for;
          save(visit, "market_check", T.market_check, "PUT", base + "market-check/", body, { recorded_at: now }).then(function () {
            if (!image) return;
            var name = image === file ? file.name : file.name.replace(/\.[^.]*$/, "") + ".jpg";
            return enqueue({ visit: visit.id, kind: "photo", label: T.photo, method: "POST", url: base + "photos/",
              body: { stage: "market_check", filename: name }, blob: image, recorded_at: now });
          });
          });
        } } }),
      ]));
    }
    // 2. The start: time and place on the phone.
    if (st.status === "planned") {
      parts.push(card(T.start, "offline-start", [
        st.hasCheck ? null : el("p", { class: "text-muted small", text: T.start_needs_check }),
        el("button", { type: "button", class: "btn btn-success", disabled: !st.hasCheck, text: T.start, on: { click: function (event) {
          event.target.disabled = true;
          var now = new Date().toISOString();
          var go = function (coords) {
            var body = { recorded_at: now, scheduled_for_seen: visit.scheduled_for };
            if (coords) { body.latitude = coords.latitude.toFixed(6); body.longitude = coords.longitude.toFixed(6); body.accuracy = Math.round(coords.accuracy); }
            enqueue({ visit: visit.id, kind: "start", label: T.start, method: "POST", url: base + "start/", body: body, recorded_at: now });
          };
          if (!navigator.geolocation) return go(null);
          navigator.geolocation.getCurrentPosition(function (p) { go(p.coords); }, function () { go(null); },
            { enableHighAccuracy: true, timeout: 8000, maximumAge: 60000 });
        } } }),
      ]));
    } else if (st.startedAt) {
      parts.push(el("p", { "data-testid": "offline-started", text: fmt(T.started, { time: timeText(st.startedAt) }) }));
    }
    // 3–4. The count and its suggested order (the same rule as the server's).
    if (st.status === "in_progress" || fixing(visit, "count")) parts.push(countCard(visit, dealer, st, base));
    var result = state.results["suggestion:" + visit.id];
    if (result) parts.push(serverSuggestion(result, dealer));
    // 5–7. Notes; 8. requests; completion.
    if (st.status === "in_progress" || st.status === "completed") {
      var notesBody = ((fixing(visit, "notes") || pending(visit.id, "notes").slice(-1)[0] || {}).body) || visit;
      var inputs = {};
      var fields = ["policy_notes", "dealer_feedback", "display_notes", "terminal_notes", "after_sales_notes"].map(function (name) {
        inputs[name] = el("textarea", { class: "form-control", rows: "2" });
        inputs[name].value = notesBody[name] || "";
        return field(T["note_" + name], inputs[name]);
      });
      parts.push(card(T.visit_notes, "offline-notes", fields.concat([
        el("button", { type: "button", class: "btn btn-outline-primary", text: T.save_notes, on: { click: function () {
          var body = {};
          Object.keys(inputs).forEach(function (name) { body[name] = inputs[name].value.trim(); });
          save(visit, "notes", T.visit_notes, "PATCH", base, body);
        } } }),
      ])));
      var fixReq = (fixing(visit, "request") || {}).body || {};
      var description = el("textarea", { class: "form-control", rows: "2" }); description.value = fixReq.description || "";
      var due = el("input", { type: "date", class: "form-control", value: fixReq.due_on || state.bundle.day });
      var beyond = el("input", { type: "checkbox", class: "form-check-input", checked: !!fixReq.beyond_authority });
      parts.push(card(T.request, "offline-request", [
        field(T.request, description), field(T.due_on, due),
        el("div", { class: "form-check mb-2" }, [beyond, el("label", { class: "form-check-label", for: (beyond.id = "f-beyond"), text: T.beyond_authority })]),
        el("button", { type: "button", class: "btn btn-outline-primary", text: T.log_request, on: { click: function () {
          if (!description.value.trim()) return;
          save(visit, "request", T.request, "POST", API + "requests/", { dealer: visit.dealer, visit: visit.id,
            description: description.value.trim(), due_on: due.value, beyond_authority: beyond.checked });
        } } }),
      ]));
    }
    if (st.status === "in_progress") {
      parts.push(el("button", { type: "button", class: "btn btn-success w-100 mb-3", text: T.complete, on: { click: function (event) {
        event.target.disabled = true;
        var now = new Date().toISOString();
        enqueue({ visit: visit.id, kind: "complete", label: T.complete, method: "POST", url: base + "complete/", body: { recorded_at: now }, recorded_at: now });
      } } }));
    } else if (st.completedAt) {
      parts.push(el("p", { "data-testid": "offline-completed", text: fmt(T.completed_at, { time: timeText(st.completedAt) }) }));
    }
    return el("div", {}, parts);
  }

  function countCard(visit, dealer, st, base) {
    var previous = (fixing(visit, "count") || st.count || {}).body || { lines: [] };
    var known = {};
    previous.lines.forEach(function (line) { known[line.product] = line; });
    var rows = dealer.products.map(function (product) {
      var line = known[product.id] || {};
      var quantity = el("input", { type: "number", min: "0", step: "1", inputmode: "numeric", class: "form-control",
        value: line.quantity === undefined || line.quantity === null ? "" : String(line.quantity) });
      var produced = el("input", { type: "date", class: "form-control", value: line.production_date || "" });
      return { product: product, quantity: quantity, produced: produced };
    });
    var table = el("div", { "data-testid": "offline-suggestion" });
    var show = function (suggestion) {
      table.textContent = "";
      if (!suggestion) return;
      var names = {};
      dealer.products.forEach(function (p) { names[p.id] = p.name; });
      table.appendChild(el("h3", { class: "h6 mt-3", text: T.suggestion }));
      suggestion.forEach(function (line) {
        table.appendChild(el("div", { class: "border rounded p-2 mb-2", "data-testid": "offline-suggestion-row" }, [
          el("div", { class: "fw-semibold", text: names[line.product] || String(line.product) }),
          el("div", { class: "small", text: [T.previous + " " + (line.previous_stock === null ? "—" : line.previous_stock),
            T.delivered + " " + line.deliveries, T.current + " " + line.current_stock,
            T.period_sales + " " + (line.period_sales || "—"), T.safety_stock + " " + (line.safety_stock || "—")].join(" · ") }),
          el("div", { text: T.suggested + ": " }, [el("strong", { "data-testid": "offline-suggested-quantity",
            text: line.suggested_quantity === null ? T.no_suggestion : String(line.suggested_quantity) })]),
        ]));
      });
    };
    show(previous.suggestion || (st.count && st.count.suggestion));
    return card(T.stock_count, "offline-count", rows.map(function (row) {
      return el("div", { class: "row g-2 mb-2" }, [
        el("div", { class: "col-7" }, [field(fmt(T.cases, { product: row.product.name }), row.quantity)]),
        el("div", { class: "col-5" }, [field(T.production_date, row.produced)]),
      ]);
    }).concat([
      el("button", { type: "button", class: "btn btn-primary", text: T.save_count, on: { click: function () {
        var lines = rows.filter(function (row) { return row.quantity.value !== ""; }).map(function (row) {
          return { product: row.product.id, quantity: parseInt(row.quantity.value, 10), production_date: row.produced.value || null };
        });
        if (!lines.length) return;
        var now = new Date();
        var day = window.OfflineSuggest.localDay(now, state.bundle.time_zone);
        var suggestion = window.OfflineSuggest.suggestForDealer(state.bundle, dealer, lines, day);
        var body = { lines: lines, counted_at: now.toISOString() };
        if (previous.confirm_implausible) body.confirm_implausible = true;
        save(visit, "count", T.stock_count, "POST", base + "stock-counts/", body, { recorded_at: body.counted_at, suggestion: suggestion });
      } } }),
      table,
    ]));
  }

  function serverSuggestion(result, dealer) {
    var phone = {};
    (result.phone || []).forEach(function (line) { phone[line.product] = line.suggested_quantity; });
    var names = {};
    dealer.products.forEach(function (p) { names[p.id] = p.name; });
    var rows = result.server.map(function (line) {
      var mine = phone[line.product];
      var same = mine === line.suggested_quantity;
      return el("li", { class: same ? "" : "text-danger fw-semibold", "data-testid": "server-suggestion-row" }, [
        (names[line.product] || line.product_name) + ": " + (same ? line.suggested_quantity + " — " + T.server_same
          : fmt(T.server_suggestion, { server: line.suggested_quantity === null ? "—" : line.suggested_quantity, phone: mine === undefined || mine === null ? "—" : mine })),
      ]);
    });
    return card(T.suggested, "server-suggestion", [el("ul", { class: "mb-0" }, rows)]);
  }

  function openVisit(id) {
    if (cfg.offline !== "app") { window.location.href = cfg.offlineUrl + "#visit-" + id; return; }
    if (window.location.hash !== "#visit-" + id) window.location.hash = "visit-" + id; else render();
  }
  function render() { renderBanner(); renderApp(); }

  // --- start ------------------------------------------------------------------------------------
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(cfg.swUrl, { scope: cfg.scope }).then(function () {
      if (cfg.offline === "day") {
        navigator.serviceWorker.ready.then(function (reg) { if (reg.active) reg.active.postMessage({ type: "refresh-offline-page" }); });
      }
    }).catch(function () {});
    navigator.serviceWorker.addEventListener("message", function (event) { if (event.data && event.data.type === "sync") sync(); });
  }
  window.addEventListener("online", function () { render(); sync(); });
  window.addEventListener("offline", render);
  window.addEventListener("hashchange", function () { render(); window.scrollTo(0, 0); });
  load().then(function () {
    render();
    // Online: send what waits first, then store the day afresh (the server's state wins).
    return sync().then(function () {
      if (navigator.onLine && !state.queue.length) return refreshBundle();
    });
  }).then(render, render);
})();

// Shared helpers of every page: texts (i18n), the API client with the server clock and the
// CSRF header, who is logged in, date and duration formats, and the page header.
//
// The login session lives in an HttpOnly cookie that scripts cannot read; the server also
// sets a readable csrf cookie, which every unsafe request repeats in X-CSRF-Token. The page
// keeps no token: localStorage holds only who is logged in (role, id, name) for the header.
(function () {
  "use strict";

  var dict = (window.I18N && window.I18N.strings) || {};
  var TIME_ZONE = "Asia/Ho_Chi_Minh"; // contest times are shown in Vietnam time
  var KEY_SESSION = "contest.session";
  var KEY_ATTEMPT = "contest.attempt";

  // t returns the text of key with {name} placeholders filled from params.
  function t(key, params) {
    var s = Object.prototype.hasOwnProperty.call(dict, key) ? dict[key] : key;
    if (params) {
      s = s.replace(/\{(\w+)\}/g, function (m, name) {
        return Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : m;
      });
    }
    return s;
  }

  // applyI18n fills data-i18n (text) and data-i18n-attr ("attr:key;attr:key") under root.
  function applyI18n(root) {
    root = root || document;
    root.querySelectorAll("[data-i18n]").forEach(function (el) {
      el.textContent = t(el.getAttribute("data-i18n"));
    });
    root.querySelectorAll("[data-i18n-attr]").forEach(function (el) {
      el.getAttribute("data-i18n-attr").split(";").forEach(function (pair) {
        var i = pair.indexOf(":");
        if (i > 0) {
          el.setAttribute(pair.slice(0, i).trim(), t(pair.slice(i + 1).trim()));
        }
      });
    });
  }

  // ---- storage (private modes and third-party frames may refuse it)
  function load(key) {
    try {
      var v = window.localStorage.getItem(key);
      return v ? JSON.parse(v) : null;
    } catch (e) {
      return null;
    }
  }
  function save(key, value) {
    try {
      if (value === null || value === undefined) {
        window.localStorage.removeItem(key);
      } else {
        window.localStorage.setItem(key, JSON.stringify(value));
      }
    } catch (e) { /* nothing to do: the page still works for this visit */ }
  }

  // ---- session. The csrf cookie comes and goes with the session cookie (same lifetime,
  // both cleared at logout), so it tells whether this browser holds a session. Its name has
  // the __Host- prefix unless the server runs with COOKIE_INSECURE=1 (development only).
  function cookie(name) {
    var parts = document.cookie ? document.cookie.split(/;\s*/) : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf("=");
      if (eq > 0 && parts[i].slice(0, eq) === name) { return parts[i].slice(eq + 1); }
    }
    return "";
  }
  function csrfToken() { return cookie("__Host-csrf") || cookie("csrf"); }

  // A session stored by an earlier version of these pages held the bearer token: drop it.
  (function dropStoredToken() {
    var old = load(KEY_SESSION);
    if (old && old.token) { save(KEY_SESSION, null); }
  })();

  // session returns who is logged in ({role, user, name}; {} when not known yet) or null
  // when this browser holds no session.
  function session() {
    if (!csrfToken()) {
      if (load(KEY_SESSION)) { save(KEY_SESSION, null); }
      return null;
    }
    return load(KEY_SESSION) || {};
  }
  // setSession remembers who is logged in (never a token); clearSession forgets it.
  function setSession(s) {
    save(KEY_SESSION, s ? { role: s.role, user: s.user, name: s.name } : null);
  }
  function clearSession() { save(KEY_SESSION, null); }

  // profile resolves to the session with the account's id and name, asking GET /me when
  // this browser has the cookie but not the profile (another tab logged in, storage off).
  var asking = null; // one GET /me per page
  function profile() {
    var s = session();
    if (!s) { return Promise.resolve(null); }
    if (s.user) { return Promise.resolve(s); }
    if (!asking) {
      asking = api("GET", "/me").then(function (res) {
        asking = null;
        if (!res.ok || !res.data) { return res.status === 401 ? null : s; }
        var me = { role: res.data.role, user: res.data.id, name: res.data.full_name };
        setSession(me);
        return me;
      });
    }
    return asking;
  }

  var SAFE_METHODS = { GET: true, HEAD: true, OPTIONS: true };

  // The last attempt of the logged-in participant on this device.
  function storedAttempt() {
    var a = load(KEY_ATTEMPT), s = session();
    if (!a || !s || a.user !== s.user) { return null; }
    return a.id;
  }
  function rememberAttempt(id) {
    var s = session();
    save(KEY_ATTEMPT, id ? { id: id, user: s ? s.user : null } : null);
  }

  // ---- server clock: offset = server_time − device clock, taken at the middle of the
  // request so that the network delay does not bias it.
  var clock = { offset: 0, synced: false };
  function syncClock(serverTime, sentAt, receivedAt) {
    var server = Date.parse(serverTime);
    if (isNaN(server)) { return; }
    clock.offset = server - (sentAt + receivedAt) / 2;
    clock.synced = true;
  }
  function serverNow() { return Date.now() + clock.offset; }

  // api calls the JSON API. It never throws: the answer is
  // {ok, status, data, error: {code, message}, network: true when no answer came}.
  function api(method, path, body, opts) {
    opts = opts || {};
    var headers = { "Accept": "application/json" };
    var form = typeof FormData === "function" && body instanceof FormData; // multipart: the browser sets the type
    if (body !== undefined && !form) { headers["Content-Type"] = "application/json"; }
    if (opts.headers) { Object.keys(opts.headers).forEach(function (k) { headers[k] = opts.headers[k]; }); }
    var csrf = csrfToken();
    if (csrf && !SAFE_METHODS[method.toUpperCase()]) { headers["X-CSRF-Token"] = csrf; }
    var ctrl = typeof AbortController === "function" ? new AbortController() : null;
    var timer = ctrl ? setTimeout(function () { ctrl.abort(); }, opts.timeout || 15000) : null;
    var sentAt = Date.now();
    return fetch("/api/v1" + path, {
      method: method,
      headers: headers,
      body: body === undefined ? undefined : (form ? body : JSON.stringify(body)),
      // Private answers are never cached; a public one may ask to be revalidated (opts.cache).
      cache: opts.cache || "no-store",
      credentials: "same-origin",
      signal: ctrl ? ctrl.signal : undefined
    }).then(function (res) {
      var receivedAt = Date.now();
      return res.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        if (data && typeof data.server_time === "string") { syncClock(data.server_time, sentAt, receivedAt); }
        var out = { ok: res.ok, status: res.status, data: data, error: null, network: false,
          retryAfter: res.headers.get("Retry-After"), retryTicket: res.headers.get("X-Retry-Ticket") };
        if (!res.ok) {
          out.error = (data && data.error) || { code: "http_" + res.status, message: t("common.unexpected") };
          if (res.status === 401 && opts.auth !== false) { clearSession(); }
          // After a password reset every call but the change is refused: go and change it.
          if (out.error.code === "password_change_required" && window.location.pathname !== "/tai-khoan") {
            window.location.assign("/tai-khoan?bat-buoc=1&next=" + encodeURIComponent(window.location.pathname + window.location.search));
          }
        }
        return out;
      });
    }).catch(function () {
      return { ok: false, status: 0, data: null, network: true,
        error: { code: "network", message: t("common.network_error") } };
    }).finally(function () {
      if (timer) { clearTimeout(timer); }
    });
  }

  // apiRetryBusy is api() that, on a 503 (the server busy), waits Retry-After seconds (1–30,
  // default 2, plus up to a second of jitter so a crowd does not come back in step) and tries
  // again for up to budgetMs (default 60 s: a login rush drains well within it);
  // onRetry(attempt) is called before each wait so the page can say it is retrying.
  // opts.beforeEach(attempt), if given, returns a promise run before every attempt (the
  // registration page solves a fresh challenge there: a challenge is spent by each try).
  // A busy answer's X-Retry-Ticket goes back with the retry: it keeps the place in the
  // server's queue that the first try had, so those who came first get in first.
  function apiRetryBusy(method, path, body, opts, onRetry, budgetMs) {
    var deadline = Date.now() + (budgetMs || 60000);
    var ticket = null;
    function attempt(n) {
      var ready = opts && opts.beforeEach ? opts.beforeEach(n) : Promise.resolve();
      return ready.then(function () { return api(method, path, body, withTicket(opts, ticket)); }).then(function (res) {
        if (res.status !== 503) { return res; }
        if (res.retryTicket) { ticket = res.retryTicket; }
        var wait = parseInt(res.retryAfter, 10);
        if (!(wait >= 1)) { wait = 2; }
        if (wait > 30) { wait = 30; }
        var waitMs = wait * 1000 + Math.floor(Math.random() * 1000);
        if (Date.now() + waitMs > deadline) { return res; }
        if (onRetry) { onRetry(n); }
        return new Promise(function (resolve) { setTimeout(resolve, waitMs); }).then(function () { return attempt(n + 1); });
      });
    }
    return attempt(1);
  }

  function withTicket(opts, ticket) {
    if (!ticket) { return opts; }
    var out = {};
    Object.keys(opts || {}).forEach(function (k) { out[k] = opts[k]; });
    out.headers = {};
    Object.keys((opts && opts.headers) || {}).forEach(function (k) { out.headers[k] = opts.headers[k]; });
    out.headers["X-Retry-Ticket"] = ticket;
    return out;
  }

  // download fetches a file with the session cookie and hands it to the browser as a
  // download (so that an error or a file still being prepared shows on the page). The answer
  // is like api()'s, plus pending: true when the server is still preparing the file (202).
  function download(path, fallbackName) {
    return fetch("/api/v1" + path, { cache: "no-store", credentials: "same-origin" }).then(function (res) {
      if (res.status === 202 || !res.ok) {
        return res.text().then(function (text) {
          var data = null;
          try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
          if (res.status === 202) { return { ok: false, pending: true, status: 202, data: data, error: null }; }
          if (res.status === 401) { clearSession(); }
          return { ok: false, status: res.status, data: data, error: (data && data.error) || { code: "http_" + res.status, message: t("common.unexpected") } };
        });
      }
      var name = fallbackName;
      var cd = res.headers.get("Content-Disposition") || "";
      var m = /filename\*=UTF-8''([^;]+)/i.exec(cd) || /filename="?([^";]+)"?/i.exec(cd);
      if (m) { try { name = decodeURIComponent(m[1]); } catch (e) { name = m[1]; } }
      return res.blob().then(function (blob) {
        var url = URL.createObjectURL(blob);
        var a = document.createElement("a");
        a.href = url;
        a.download = name;
        a.hidden = true;
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
        return { ok: true, status: res.status, name: name, size: blob.size, error: null };
      });
    }).catch(function () {
      return { ok: false, status: 0, network: true, error: { code: "network", message: t("common.network_error") } };
    });
  }

  // Where each role works after logging in.
  var ROLE_HOME = {
    committee: "/ban-to-chuc", admin: "/ban-to-chuc", secretariat: "/thu-ky",
    jury: "/giam-khao", agency: "/don-vi", participant: "/thi"
  };
  function roleHome(role) { return ROLE_HOME[role] || "/"; }

  // ---- formats
  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // formatDateTime shows an RFC 3339 time as dd/mm/yyyy HH:MM in Vietnam time.
  function formatDateTime(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) { return ""; }
    try {
      var parts = {};
      new Intl.DateTimeFormat("en-GB", {
        timeZone: TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit",
        hour: "2-digit", minute: "2-digit", hourCycle: "h23"
      }).formatToParts(d).forEach(function (p) { parts[p.type] = p.value; });
      return parts.day + "/" + parts.month + "/" + parts.year + " " + parts.hour + ":" + parts.minute;
    } catch (e) {
      var v = new Date(d.getTime() + 7 * 3600 * 1000); // Vietnam has no daylight saving time
      return pad(v.getUTCDate()) + "/" + pad(v.getUTCMonth() + 1) + "/" + v.getUTCFullYear() + " " +
        pad(v.getUTCHours()) + ":" + pad(v.getUTCMinutes());
    }
  }

  // formatClock shows milliseconds as mm:ss (h:mm:ss past an hour), rounding up so that
  // 00:00 means the time is really up.
  function formatClock(ms) {
    var total = Math.max(0, Math.ceil(ms / 1000));
    var h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
    return (h > 0 ? h + ":" + pad(m) : pad(m)) + ":" + pad(s);
  }

  // formatDuration shows a used time as mm:ss (rounded down).
  function formatDuration(ms) {
    var total = Math.max(0, Math.floor(ms / 1000));
    return pad(Math.floor(total / 60)) + ":" + pad(total % 60);
  }

  // formatLimit says a time limit in words: "10 phút 30 giây".
  function formatLimit(seconds) {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    if (m > 0 && s > 0) { return t("time.minutes_seconds", { m: m, s: s }); }
    if (m > 0) { return t("time.minutes", { m: m }); }
    return t("time.seconds", { s: s });
  }

  // ---- small DOM helpers
  function $(sel, root) { return (root || document).querySelector(sel); }
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === "text") { e.textContent = attrs[k]; } else if (k === "class") { e.className = attrs[k]; } else { e.setAttribute(k, attrs[k]); }
      });
    }
    (children || []).forEach(function (c) { if (c) { e.appendChild(c); } });
    return e;
  }
  function show(node, visible) { if (node) { node.hidden = !visible; } }

  // showMessage puts a message in a box (role=alert or status in the markup) and shows it.
  function showMessage(box, text, kind) {
    if (!box) { return; }
    box.textContent = text || "";
    box.className = "message" + (kind ? " message-" + kind : "");
    box.hidden = !text;
  }

  // safeNext accepts only a path of this site as a redirect target.
  function safeNext(value, fallback) {
    if (typeof value === "string" && /^\/(?!\/)[^\\\s]*$/.test(value)) { return value; }
    return fallback;
  }

  // roundView shows a round: its number and status, its dates, its format.
  function roundView(r) {
    var badge = el("span", { "class": "badge badge-" + r.status, text: t("round.status." + r.status) });
    var name = el("p", { "class": "round-name" }, [el("span", { text: t("round.title", { n: r.number }) }), document.createTextNode(" "), badge]);
    var dates = el("dl", { "class": "round-dates" }, [
      el("div", null, [el("dt", { text: t("round.opens") }), el("dd", { text: formatDateTime(r.opens_at) })]),
      el("div", null, [el("dt", { text: t("round.closes") }), el("dd", { text: formatDateTime(r.closes_at) })])
    ]);
    var format = el("p", { "class": "muted round-format", text: t("round.format", { questions: r.question_count, time: formatLimit(r.time_limit_seconds) }) });
    var box = document.createDocumentFragment();
    [name, dates, format].forEach(function (n) { box.appendChild(n); });
    return box;
  }

  // loadRound fills container with the current round and returns it (null when none).
  function loadRound(container) {
    return api("GET", "/rounds/current", undefined, { auth: false }).then(function (res) {
      container.textContent = "";
      container.removeAttribute("aria-busy");
      if (res.ok && res.data) {
        container.appendChild(roundView(res.data));
        return res.data;
      }
      var text = res.status === 404 ? t("round.none") : (res.network ? res.error.message : t("round.load_error"));
      container.appendChild(el("p", { "class": "muted", text: text }));
      return null;
    });
  }

  // resultView shows a closed attempt's result: score, time used, how it was submitted.
  // The campaign may withhold the score until the round is ranked (correct_count null):
  // the page then says when it is due.
  function resultView(r) {
    function row(cls, label, value) {
      return el("div", { "class": cls }, [el("dt", { text: label }), el("dd", { text: value })]);
    }
    var score;
    if (r.correct_count === null || r.correct_count === undefined) {
      var due = r.score_expected_at ? formatDateTime(r.score_expected_at) : "";
      score = due ? t("result.score_pending_at", { time: due }) : t("result.score_pending");
    } else {
      score = t("result.score", { correct: r.correct_count, total: r.question_count });
    }
    return el("dl", { "class": "result-list", id: "result" }, [
      row("result-score", t("result.score_label"), score),
      row("result-time", t("result.time_used"), formatDuration(r.time_used_ms)),
      row("result-status", t("result.status"), t("result.status." + r.status)),
      row("result-finished", t("result.finished_at"), formatDateTime(r.finished_at))
    ]);
  }

  // ---- header: who is logged in, log out
  function renderHeader() {
    var s = session();
    document.querySelectorAll("[data-auth]").forEach(function (n) {
      n.hidden = (n.getAttribute("data-auth") === "in") !== !!s;
    });
    var hello = $("#nav-hello");
    if (hello) { hello.textContent = s && s.name ? t("nav.hello", { name: s.name }) : ""; }
    var out = $("#nav-logout");
    if (out && !out.dataset.bound) {
      out.dataset.bound = "1";
      out.addEventListener("click", function () {
        out.disabled = true;
        api("DELETE", "/sessions/current").then(function (res) {
          // 401: the session had already ended. Otherwise the cookie may still be valid on
          // the server: say so rather than pretend (a shared computer stays logged in).
          if (res.ok || res.status === 401) {
            clearSession();
            window.location.assign("/");
            return;
          }
          out.disabled = false;
          window.alert(t("nav.logout_failed") + " " + res.error.message);
        });
      });
    }
    var here = window.location.pathname;
    document.querySelectorAll(".site-nav a").forEach(function (a) {
      if (a.getAttribute("href") === here) { a.setAttribute("aria-current", "page"); }
    });
  }

  window.App = {
    t: t, applyI18n: applyI18n, api: api, apiRetryBusy: apiRetryBusy, session: session, setSession: setSession,
    clearSession: clearSession, profile: profile, csrfToken: csrfToken, storedAttempt: storedAttempt, rememberAttempt: rememberAttempt,
    download: download, roleHome: roleHome,
    load: load, save: save, clock: clock, serverNow: serverNow, formatDateTime: formatDateTime,
    formatClock: formatClock, formatDuration: formatDuration, formatLimit: formatLimit,
    roundView: roundView, resultView: resultView, loadRound: loadRound, $: $, el: el, show: show, showMessage: showMessage, safeNext: safeNext, renderHeader: renderHeader
  };

  // "Show password" check boxes: data-toggle-password names the password input.
  function bindPasswordToggles() {
    document.querySelectorAll("[data-toggle-password]").forEach(function (box) {
      box.addEventListener("change", function () {
        var input = document.getElementById(box.getAttribute("data-toggle-password"));
        if (input) { input.type = box.checked ? "text" : "password"; }
      });
    });
  }

  document.documentElement.lang = (window.I18N && window.I18N.lang) || "vi";
  applyI18n(document);
  renderHeader();
  if (session() && !session().user) { profile().then(renderHeader); }
  bindPasswordToggles();
})();

// Login: phone and password → POST /sessions, which sets the session cookie (HttpOnly: this
// page never holds the token) and the csrf cookie; only who logged in is remembered, for the
// header. Then on to the page that asked for the login, or the role's own page
// (committee → /ban-to-chuc, …).
(function () {
  "use strict";
  var App = window.App, t = App.t, $ = App.$;
  var form = $("#login-form"), errorBox = $("#login-error"), submit = $("#login-submit");
  var params = new URLSearchParams(window.location.search);
  var next = App.safeNext(params.get("next"), "");
  // Participant pages are of no use to staff (they may not sit the contest): staff asked to
  // log in from one of them go to their own page instead.
  var PARTICIPANT_PAGES = ["/", "/thi", "/ket-qua"];

  // destination is where the account goes after logging in: the page that asked for the
  // login, else the role's own page.
  function destination(role) {
    if (!next) { return App.roleHome(role); }
    if (role !== "participant" && PARTICIPANT_PAGES.indexOf(next.split(/[?#]/)[0]) >= 0) { return App.roleHome(role); }
    return next;
  }

  if (params.get("logged_out") === "all") {
    App.showMessage($("#login-notice"), t("login.logged_out_all"), "success");
  } else if (params.get("registered")) {
    App.showMessage($("#login-notice"), t("login.registered"), "success");
    try {
      var phone = window.sessionStorage.getItem("contest.registered_phone");
      if (phone) { $("#login-phone").value = phone; }
      var note = window.sessionStorage.getItem("contest.registered_note");
      if (note) {
        App.showMessage($("#login-notice"), note, "info");
        window.sessionStorage.removeItem("contest.registered_note");
      }
    } catch (e) { /* optional */ }
  } else {
    var s = App.session();
    if (s && s.name) { App.showMessage($("#login-notice"), t("login.already", { name: s.name }), "info"); }
  }

  // send posts the login; after repeated failures the server asks for the proof of work
  // (challenge.js) and hands a puzzle with the refusal: it is solved here, said so, and the
  // login sent again with the solution. A solution is good for one try, so a refused one
  // (expired, already used) is replaced by the puzzle that came with the refusal, a few
  // times at most.
  function send(body, headers, solved) {
    return App.apiRetryBusy("POST", "/sessions", body, { auth: false, headers: headers }, function () {
      App.showMessage(errorBox, t("common.busy_retrying"), "info");
    }).then(function (res) {
      var ch = res.data && res.data.challenge;
      if (res.ok || !res.error || !/^challenge_/.test(res.error.code) || !ch || solved >= 3) { return res; }
      App.showMessage(errorBox, t("login.checking"), "info");
      return App.challenge.solve(ch.nonce, ch.difficulty).then(function (r) {
        App.showMessage(errorBox, "");
        return send(body, { "X-Challenge-Token": ch.token, "X-Challenge-Counter": String(r.counter) }, solved + 1);
      });
    });
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    App.showMessage(errorBox, "");
    var body = { phone: $("#login-phone").value.trim(), password: $("#login-password").value };
    submit.disabled = true;
    submit.textContent = t("login.submitting");
    send(body, {}, 0).then(function (res) {
      if (!res.ok) {
        submit.disabled = false;
        submit.textContent = t("login.submit");
        App.showMessage(errorBox, res.error.message, "error");
        return null;
      }
      if (!App.csrfToken()) {
        // The browser refused the cookies (blocked, or a plain-http address it does not
        // trust for Secure cookies): without them no page would know this login.
        submit.disabled = false;
        submit.textContent = t("login.submit");
        App.showMessage(errorBox, t("login.cookies_blocked"), "error");
        return null;
      }
      App.setSession({ role: res.data.role });
      return App.api("GET", "/me").then(function (me) {
        if (me.ok && me.data) {
          App.setSession({ role: me.data.role, user: me.data.id, name: me.data.full_name });
        }
        try { window.sessionStorage.removeItem("contest.registered_phone"); } catch (err) { /* optional */ }
        // A one-time password from a reset must be replaced before anything else.
        if (res.data.must_change_password) {
          window.location.assign("/tai-khoan?bat-buoc=1&next=" + encodeURIComponent(destination(res.data.role)));
          return;
        }
        window.location.assign(destination(res.data.role));
      });
    });
  });
})();

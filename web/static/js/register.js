// Registration: the form, with the agency picker of agency-picker.js (the tree of GET
// /agencies with a search box; communes are listed under their district). Every problem
// shows at its field at once and the focus goes to the first; the date of birth is typed
// and shown as dd/mm/yyyy and sent as ISO.
(function () {
  "use strict";
  var App = window.App, t = App.t, $ = App.$, C = App.registerChecks;
  var form = $("#register-form"), errorBox = $("#register-error"), submit = $("#register-submit");
  var search = $("#agency-search"), dob = $("#date_of_birth"), summary = $("#register-summary");
  var picker = App.agencyPicker({ list: $("#agency-list"), search: search, count: $("#agency-count"), chosen: $("#agency-selected"),
    levelNote: $("#agency-level-note"), onChange: showSummary });
  // The proof of work is solved while the person types; each submit spends one, so the
  // next is started at once (challenge.js).
  var proof = App.challenge.prepare();
  function nextProof() { proof = App.challenge.prepare(); }
  // What the campaign asks for beyond the usual fields; until it is known (or if it cannot
  // be had) both fields show as optional, and the API says at the field what it requires.
  var required = {};
  App.api("GET", "/registration/requirements", undefined, { auth: false }).then(function (res) {
    if (res.ok && res.data) { required = res.data; }
    showRequirements(res.ok && res.data ? res.data : null);
  });
  function showRequirements(r) {
    var cccd = $("#cccd"), code = $("#contest_code");
    $("#cccd-field").hidden = !!r && !r.cccd_required;
    $("#contest_code-field").hidden = !!r && !r.contest_code_required;
    cccd.required = !!(r && r.cccd_required);
    code.required = !!(r && r.contest_code_required);
    if (r && r.cccd_required) { $("#cccd-hint").textContent = t("register.cccd_hint_required"); }
    if (r && r.contest_code_required) {
      $("#contest_code-label").textContent = t("register.contest_code_required");
      $("#contest_code-hint").textContent = t("register.contest_code_hint_required");
    }
    $("#register-roster-only").hidden = !(r && r.roster_only);
    form.setAttribute("data-requirements", r ? "loaded" : "unknown");
  }
  var FIELDS = ["full_name", "date_of_birth", "phone", "email", "agency", "position", "cccd", "contest_code", "password"];
  // Where the focus goes for a field's error: the agency's is the search box.
  function control(field) { return field === "agency" ? search : $("#" + field); }

  function setError(field, text) {
    var box = $("#" + field + "-error"), input = control(field);
    box.textContent = text || "";
    box.hidden = !text;
    $("#" + field + "-field").classList.toggle("has-error", !!text);
    if (text) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
  }
  function clearErrors() {
    FIELDS.forEach(function (f) { setError(f, ""); });
    App.showMessage(errorBox, "");
  }

  // The chosen agency, restated by the button: the last thing read before sending.
  function showSummary() {
    var path = picker.selectedPath();
    summary.textContent = path ? t("register.summary", { agency: path }) : "";
    summary.hidden = !path;
    if (path) { setError("agency", ""); }
  }

  dob.addEventListener("input", function (e) {
    var deleting = !!(e.inputType && e.inputType.indexOf("delete") === 0);
    var v = C.typingDate(dob.value, deleting);
    if (v !== dob.value) { dob.value = v; }
  });
  dob.addEventListener("blur", function () {
    var iso = C.parseDate(dob.value);
    if (iso) { dob.value = C.showDate(iso); }
  });

  function values() {
    return {
      full_name: $("#full_name").value, date_of_birth: dob.value, phone: $("#phone").value, email: $("#email").value,
      agency_id: picker.selected(), position: $("#position").value, password: $("#password").value,
      cccd: $("#cccd").value, contest_code: $("#contest_code").value, required: required
    };
  }

  function showProblems(problems) {
    problems.forEach(function (p) { setError(p.field, t(p.key)); });
    App.showMessage(errorBox, t("register.errors_summary", { n: problems.length }), "error");
    control(problems[0].field).focus();
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearErrors();
    var v = values();
    var problems = C.check(v, App.serverNow());
    if (problems.length) {
      showProblems(problems);
      return;
    }
    var email = v.email.trim();
    var body = {
      full_name: v.full_name.trim(),
      date_of_birth: C.parseDate(v.date_of_birth),
      phone: v.phone.trim(),
      agency_id: v.agency_id,
      position: v.position.trim(),
      password: v.password
    };
    if (email) { body.email = email; }
    // Sent when typed; a requirement the page did not know of comes back at the field (API error.field).
    var cccd = $("#cccd").value.trim(), code = $("#contest_code").value.trim();
    if (cccd) { body.cccd = cccd; }
    if (code) { body.contest_code = code; }
    submit.disabled = true;
    submit.textContent = t("register.submitting");
    var opts = { auth: false, beforeEach: function (n) {
      if (n > 1) { nextProof(); }
      var shown = false;
      var timer = setTimeout(function () { shown = true; App.showMessage(errorBox, t("register.checking"), "info"); }, 150);
      return proof.then(function (headers) {
        clearTimeout(timer);
        if (shown) { App.showMessage(errorBox, ""); }
        opts.headers = headers || {};
      });
    } };
    var challengeRetried = false;
    function send() {
      return App.apiRetryBusy("POST", "/participants", body, opts, function () {
        App.showMessage(errorBox, t("common.busy_retrying"), "info");
      }).then(function (res) {
        nextProof();
        // An expired or already used challenge: solve a new one and send again, once.
        if (!res.ok && res.error && /^challenge_/.test(res.error.code) && !challengeRetried) {
          challengeRetried = true;
          return send();
        }
        return res;
      });
    }
    send().then(function (res) {
      submit.disabled = false;
      submit.textContent = t("register.submit");
      if (res.ok) {
        try {
          window.sessionStorage.setItem("contest.registered_phone", body.phone);
          // An account its agency's roster does not list waits for the focal point: the
          // login page says so (the API's message).
          if (res.data && res.data.roster_status === "pending") { window.sessionStorage.setItem("contest.registered_note", res.data.message); }
        } catch (err) { /* optional */ }
        window.location.assign("/dang-nhap?registered=1");
        return;
      }
      App.showMessage(errorBox, "");
      var field = C.fieldOfAPIError(res.error);
      if (field) {
        setError(field, res.error.message);
        App.showMessage(errorBox, t("register.errors_summary", { n: 1 }), "error");
        control(field).focus();
        return;
      }
      App.showMessage(errorBox, res.error.message, "error");
      errorBox.focus();
    });
  });
})();

// Account page (/tai-khoan): change one's password (PUT /me/password) and log out of every
// device (DELETE /me/sessions). After a password reset the API allows nothing else until
// the password is changed; common.js sends such a session here, with ?bat-buoc=1.
(function () {
  "use strict";
  var App = window.App, t = App.t, $ = App.$;
  var params = new URLSearchParams(window.location.search);
  var form = $("#password-form"), submit = $("#password-submit"), message = $("#password-message");
  var fields = ["current_password", "new_password", "confirm_password"];
  var role = "";
  var forced = false;

  function clearFieldErrors() {
    fields.forEach(function (f) { $("#" + f + "-error").hidden = true; });
    App.showMessage(message, "");
  }

  function fieldError(field, text) {
    var box = $("#" + field + "-error");
    if (!box) { App.showMessage(message, text, "error"); return; }
    box.textContent = text;
    box.hidden = false;
    $("#" + field).focus();
  }

  App.api("GET", "/me").then(function (res) {
    $("#account-loading").hidden = true;
    if (!res.ok) {
      $("#account-login").hidden = false;
      return;
    }
    role = res.data.role;
    forced = !!res.data.must_change_password || params.get("bat-buoc") === "1";
    $("#account-forced").hidden = !res.data.must_change_password;
    $("#password-panel").hidden = false;
    $("#sessions-panel").hidden = false;
    if (res.data.must_change_password) { $("#current_password").focus(); }
  });

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearFieldErrors();
    var body = { current_password: $("#current_password").value, new_password: $("#new_password").value };
    if (body.new_password !== $("#confirm_password").value) {
      fieldError("confirm_password", t("account.mismatch"));
      return;
    }
    submit.disabled = true;
    App.apiRetryBusy("PUT", "/me/password", body, {}, function () {
      App.showMessage(message, t("common.busy_retrying"), "info");
    }).then(function (res) {
      submit.disabled = false;
      if (!res.ok) {
        if (res.error.field) { fieldError(res.error.field, res.error.message); } else { App.showMessage(message, res.error.message, "error"); }
        return;
      }
      form.reset();
      $("#account-forced").hidden = true;
      App.showMessage(message, t("account.changed"), "success");
      // A forced change was in the way of what the participant came for: go on to it.
      if (forced) { window.location.assign(App.safeNext(params.get("next"), App.roleHome(role))); }
    });
  });

  $("#logout-everywhere").addEventListener("click", function () {
    if (!window.confirm(t("account.logout_everywhere_confirm"))) { return; }
    var button = $("#logout-everywhere");
    button.disabled = true;
    App.api("DELETE", "/me/sessions").then(function (res) {
      if (res.ok || res.status === 401) {
        App.clearSession();
        window.location.assign("/dang-nhap?logged_out=all");
        return;
      }
      button.disabled = false;
      App.showMessage($("#sessions-message"), res.error.message, "error");
    });
  });
})();

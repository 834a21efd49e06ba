// Registration: the form, with the agency picker of agency-picker.js (the tree of GET
// /agencies with a search box; communes are listed under their district).
(function () {
  "use strict";
  var App = window.App, t = App.t, $ = App.$;
  var form = $("#register-form"), errorBox = $("#register-error"), submit = $("#register-submit");
  var search = $("#agency-search");
  var picker = App.agencyPicker({ list: $("#agency-list"), search: search, count: $("#agency-count"), chosen: $("#agency-selected") });

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    App.showMessage(errorBox, "");
    $("#password-error").hidden = true;
    var agency = picker.selected();
    if (!agency) {
      App.showMessage(errorBox, t("register.agency_required"), "error");
      search.focus();
      return;
    }
    var email = $("#email").value.trim();
    var body = {
      full_name: $("#full_name").value.trim(),
      date_of_birth: $("#date_of_birth").value,
      phone: $("#phone").value.trim(),
      agency_id: agency,
      position: $("#position").value.trim(),
      password: $("#password").value
    };
    if (email) { body.email = email; }
    submit.disabled = true;
    submit.textContent = t("register.submitting");
    App.apiRetryBusy("POST", "/participants", body, { auth: false }, function () {
      App.showMessage(errorBox, t("common.busy_retrying"), "info");
    }).then(function (res) {
      submit.disabled = false;
      submit.textContent = t("register.submit");
      if (res.ok) {
        try { window.sessionStorage.setItem("contest.registered_phone", body.phone); } catch (err) { /* optional */ }
        window.location.assign("/dang-nhap?registered=1");
        return;
      }
      // A message about one field (a weak password) is shown beside that field.
      var fieldBox = res.error.field ? $("#" + res.error.field + "-error") : null;
      if (fieldBox) {
        fieldBox.textContent = res.error.message;
        fieldBox.hidden = false;
        $("#" + res.error.field).focus();
        return;
      }
      App.showMessage(errorBox, res.error.message, "error");
    });
  });
})();

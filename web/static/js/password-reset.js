// A participant's password reset by staff (POST /participants/:id/password-reset): asked
// once more in the page (whose account, and that they must choose a new password), then
// the one-time password is shown once, here, to be handed over in person; nothing keeps
// it, and "Ẩn mật khẩu" wipes it from the page. Used by the focal point's people list
// (/don-vi) and the secretariat's page (/thu-ky). The API audits every reset.
(function () {
  "use strict";
  var App = window.App, t = App.t, el = App.el;

  // offer shows in box the confirmation for person ({id, full_name}); done(ok) is called
  // when it ends (reset, refused or cancelled).
  function offer(box, person, done) {
    box.textContent = "";
    box.hidden = false;
    var yes = el("button", { type: "button", "class": "button button-primary", id: "reset-confirm", text: t("staff.reset_confirm") });
    var no = el("button", { type: "button", "class": "button button-secondary", id: "reset-cancel", text: t("staff.reset_cancel") });
    box.appendChild(el("div", { "class": "message message-warning", role: "alert" }, [
      el("p", { text: t("staff.reset_question", { name: person.full_name }) }),
      el("p", {}, [yes, document.createTextNode(" "), no])
    ]));
    yes.focus();
    no.addEventListener("click", function () { box.textContent = ""; box.hidden = true; if (done) { done(false); } });
    yes.addEventListener("click", function () {
      yes.disabled = true;
      no.disabled = true;
      yes.textContent = t("staff.reset_working");
      App.apiRetryBusy("POST", "/participants/" + person.id + "/password-reset", {}).then(function (res) {
        box.textContent = "";
        if (!res.ok || !res.data) {
          box.appendChild(el("p", { "class": "message message-error", role: "alert", text: res.error ? res.error.message : t("common.unexpected") }));
          if (done) { done(false); }
          return;
        }
        show(box, person, res.data.one_time_password);
        if (done) { done(true); }
      });
    });
  }

  function show(box, person, password) {
    var hide = el("button", { type: "button", "class": "button button-secondary", id: "reset-hide", text: t("staff.reset_hide") });
    var card = el("div", { "class": "message message-success", role: "status", id: "reset-result" }, [
      el("p", { text: t("staff.reset_done", { name: person.full_name }) }),
      el("p", { "class": "one-time-password", id: "reset-password", text: password }),
      el("p", { text: t("staff.reset_handover") }),
      el("p", {}, [hide])
    ]);
    box.appendChild(card);
    hide.focus();
    hide.addEventListener("click", function () { box.textContent = ""; box.hidden = true; });
  }

  window.PasswordReset = { offer: offer };
})();

// The secretariat's password reset on /thu-ky: someone who forgot their password calls in;
// the secretariat finds their account by the phone they log in with (GET
// /participants?phone=, audited), checks the name and agency with them, and resets it
// (password-reset.js shows the one-time password once). The section is the secretariat's
// only: the API refuses the committee.
(function () {
  "use strict";
  var App = window.App, t = App.t, $ = App.$, el = App.el;

  function start(me) {
    var section = $("#reset-section");
    if (!section || !me || me.role !== "secretariat") { return; }
    section.hidden = false;
    var form = $("#reset-lookup-form"), found = $("#reset-found"), box = $("#reset-box"), phone = $("#reset-phone");
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      box.textContent = "";
      box.hidden = true;
      App.showMessage(found, t("common.loading"), "");
      App.api("GET", "/participants?phone=" + encodeURIComponent(phone.value.trim())).then(function (res) {
        found.textContent = "";
        found.className = "";
        if (!res.ok || !res.data) {
          App.showMessage(found, res.status === 404 ? t("staff.reset_not_found") : res.error.message, "error");
          return;
        }
        var p = res.data;
        var b = el("button", { type: "button", "class": "button button-primary", id: "reset-start",
          "aria-label": t("staff.reset_button_for", { name: p.full_name }), text: t("staff.reset_button") });
        b.addEventListener("click", function () { window.PasswordReset.offer(box, p); });
        found.hidden = false;
        found.appendChild(el("p", { id: "reset-person" }, [
          el("strong", { text: p.full_name }),
          document.createTextNode(" · " + p.phone + (p.agency_name ? " · " + p.agency_name : ""))
        ]));
        found.appendChild(el("p", {}, [b]));
      });
    });
  }

  window.SecretariatReset = { start: start };
})();

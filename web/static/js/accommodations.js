// Accommodations on the committee's page (/ban-to-chuc): extra minutes or one extra attempt
// for one participant in one week, with a mandatory reason. Kept apart from committee.js:
// it needs only the campaign's rounds and its own two endpoints.
(function () {
  "use strict";
  var App = window.App, Staff = window.Staff, t = App.t, $ = App.$, el = App.el;
  var form = $("#accommodation-form");
  if (!form) { return; }
  var errorBox = $("#accommodation-error"), result = $("#accommodation-result"), submit = $("#accommodation-submit");
  var select = $("#accommodation-round");

  function fail(text, field) {
    App.showMessage(errorBox, text, "error");
    var input = field && $("#accommodation-" + ({ phone: "phone", reason: "reason", extra_minutes: "minutes" }[field] || field));
    if (input) { input.setAttribute("aria-invalid", "true"); input.focus(); }
  }

  function list() {
    var box = $("#accommodation-list");
    if (!select.value) { return; }
    App.api("GET", "/rounds/" + select.value + "/accommodations").then(function (res) {
      box.textContent = "";
      if (!res.ok || !res.data) { box.appendChild(el("p", { "class": "message message-error", text: res.error ? res.error.message : t("common.unexpected") })); return; }
      if (!res.data.length) { box.appendChild(el("p", { "class": "muted", text: t("accommodation.none") })); return; }
      box.appendChild(Staff.table({
        id: "accommodation-table", caption: t("accommodation.list_caption"), captionVisible: true,
        columns: [
          { label: t("accommodation.col_participant"), cell: function (a) { return a.participant_name + " · " + a.participant_phone; } },
          { label: t("accommodation.col_grant"), cell: function (a) {
            return [a.extra_minutes ? t("accommodation.extra_minutes", { m: a.extra_minutes }) : "", a.extra_attempt ? t("accommodation.extra_attempt") : ""]
              .filter(Boolean).join(", ");
          } },
          { label: t("accommodation.col_reason"), cell: function (a) { return a.reason; } },
          { label: t("accommodation.col_by"), cell: function (a) { return a.granted_by_name + " · " + App.formatDateTime(a.granted_at); } }
        ],
        rows: res.data
      }));
    });
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    App.showMessage(errorBox, "");
    App.showMessage(result, "");
    form.querySelectorAll("[aria-invalid]").forEach(function (n) { n.removeAttribute("aria-invalid"); });
    var body = { phone: $("#accommodation-phone").value.trim(), extra_minutes: Number($("#accommodation-minutes").value || 0),
      extra_attempt: $("#accommodation-attempt").checked, reason: $("#accommodation-reason").value.trim() };
    if (!body.reason) { fail(t("accommodation.reason_missing"), "reason"); return; }
    if (!body.extra_minutes && !body.extra_attempt) { fail(t("accommodation.nothing"), "extra_minutes"); return; }
    submit.disabled = true;
    App.api("POST", "/rounds/" + select.value + "/accommodations", body).then(function (res) {
      submit.disabled = false;
      if (!res.ok || !res.data) { fail(res.error ? res.error.message : t("common.unexpected"), res.error && res.error.field); return; }
      App.showMessage(result, t("accommodation.granted", { name: res.data.participant_name }), "success");
      var round = select.value;
      form.reset();
      select.value = round;
      list();
    });
  });
  select.addEventListener("change", list);

  document.addEventListener("DOMContentLoaded", function () {
    Staff.loadCampaign().then(function (res) {
      if (!res.ok || !res.data) { return; }
      (res.data.rounds || []).forEach(function (r) {
        select.appendChild(el("option", { value: String(r.id), text: t("accommodation.round_option", { n: r.number }) }));
      });
      list();
    });
  });
})();

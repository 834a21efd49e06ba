// The focal point's list of people on /don-vi (GET …/participation/people): every member
// of their agency's staff roster (those not registered too) and everyone registered in
// their agency and the agencies under it, who sat each week and who did not
// (the correct count once a week's results are published), filterable to those who have
// not sat, and downloadable as .xlsx: the names to remind to reach the target.
(function () {
  "use strict";
  var App = window.App, Staff = window.Staff, t = App.t, $ = App.$, el = App.el;

  function weekCell(p, w) {
    if (p.registered === false) { return el("span", { "class": "badge badge-below", text: t("agency.people_not_registered") }); }
    if (!w.sat) { return el("span", { "class": "badge badge-below", text: t("agency.people_not_sat") }); }
    var text = w.correct === undefined || w.correct === null ? t("agency.people_sat") : t("agency.people_sat_correct", { n: w.correct });
    return el("span", { "class": "badge badge-open", text: text });
  }

  // standing says where a person stands against the roster; an agency without a roster
  // has nothing to say ("—").
  function standing(p) {
    if (p.standing === "on_roster" || p.standing === "not_registered") { return t("agency.people_standing_" + p.standing); }
    if (p.standing === "off_roster") { return t("agency.people_standing_" + (p.roster_status === "confirmed" || p.roster_status === "rejected" ? p.roster_status : "pending")); }
    return "—";
  }

  function summary(d, sat) {
    var unregistered = d.people.filter(function (p) { return p.registered === false; }).length;
    var counts = { total: Staff.num(d.people.length), sat: Staff.num(sat), missing: Staff.num(d.people.length - sat), unregistered: Staff.num(unregistered) };
    var roster = d.people.some(function (p) { return p.standing && p.standing !== "no_roster"; });
    return t(roster ? "agency.people_summary_roster" : "agency.people_summary", counts);
  }

  var me = null;

  // resetCell offers the password reset for an account of the focal point's own agency: the
  // API lets a focal point reset no one else's (those of the agencies under it have their own).
  function resetCell(p) {
    if (!p.registered || !p.id || p.agency_id !== me.agency_id) { return "—"; }
    var b = el("button", { type: "button", "class": "button button-secondary", "data-reset": String(p.id),
      "aria-label": t("staff.reset_button_for", { name: p.full_name }), text: t("staff.reset_button") });
    b.addEventListener("click", function () {
      var out = $("#people-reset");
      window.PasswordReset.offer(out, { id: p.id, full_name: p.full_name });
      out.scrollIntoView({ block: "nearest" });
    });
    return b;
  }

  function render(box, d, onlyMissing) {
    box.textContent = "";
    box.removeAttribute("aria-busy");
    var people = d.people.filter(function (p) { return !onlyMissing || p.weeks_sat === 0; });
    var sat = d.people.filter(function (p) { return p.weeks_sat > 0; }).length;
    box.appendChild(el("p", { "class": "summary", id: "people-summary", text: summary(d, sat) }));
    if (!people.length) { box.appendChild(el("p", { "class": "muted", id: "people-empty", text: t("agency.people_none") })); return; }
    var columns = [
      { label: t("agency.people_col_name"), cell: function (p) { return p.full_name; } },
      { label: t("agency.people_col_position"), cell: function (p) { return p.position || "—"; } },
      { label: t("agency.people_col_agency"), cell: function (p) { return p.agency_name; } },
      { label: t("agency.people_col_birth"), cell: function (p) { return p.date_of_birth || "—"; } },
      { label: t("agency.people_col_standing"), cell: standing }
    ];
    d.rounds.forEach(function (r, i) {
      columns.push({ label: t("round.title", { n: r.number }), cell: function (p) { return weekCell(p, p.weeks[i]); } });
    });
    columns.push({ label: t("agency.people_col_weeks"), cls: "num", cell: function (p) { return String(p.weeks_sat); } });
    if (me && me.role === "agency") { columns.push({ label: t("staff.reset_column"), cell: resetCell }); }
    box.appendChild(Staff.table({ id: "people-table", caption: t("agency.people_title"), rowHeader: true, columns: columns, rows: people }));
  }

  function load(who) {
    me = who;
    var box = $("#people");
    if (!box) { return; }
    App.api("GET", Staff.path("/participation/people")).then(function (res) {
      if (!res.ok || !res.data) { Staff.noData(box, res); return; }
      var only = $("#people-only-missing");
      render(box, res.data, only.checked);
      only.addEventListener("change", function () { render(box, res.data, only.checked); });
    });
    var btn = $("#people-download"), status = $("#people-download-status");
    btn.addEventListener("click", function () {
      btn.disabled = true;
      status.textContent = t("committee.report_loading");
      App.download(Staff.path("/participation/people.xlsx"), "danh-sach-tham-gia.xlsx").then(function (res) {
        btn.disabled = false;
        status.textContent = res.ok ? t("committee.report_done", { name: res.name }) : (res.error ? res.error.message : t("common.unexpected"));
      });
    });
    return who;
  }

  window.AgencyPeople = { load: load };
})();

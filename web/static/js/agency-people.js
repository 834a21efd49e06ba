// The focal point's list of people on /don-vi (GET …/participation/people): everyone
// registered in their agency and the agencies under it, who sat each week and who did not
// (the correct count once a week's results are published), filterable to those who have
// not sat, and downloadable as .xlsx: the names to remind to reach the target.
(function () {
  "use strict";
  var App = window.App, Staff = window.Staff, t = App.t, $ = App.$, el = App.el;

  function weekCell(w) {
    if (!w.sat) { return el("span", { "class": "badge badge-below", text: t("agency.people_not_sat") }); }
    var text = w.correct === undefined || w.correct === null ? t("agency.people_sat") : t("agency.people_sat_correct", { n: w.correct });
    return el("span", { "class": "badge badge-open", text: text });
  }

  function render(box, d, onlyMissing) {
    box.textContent = "";
    box.removeAttribute("aria-busy");
    var people = d.people.filter(function (p) { return !onlyMissing || p.weeks_sat === 0; });
    var sat = d.people.filter(function (p) { return p.weeks_sat > 0; }).length;
    box.appendChild(el("p", { "class": "summary", id: "people-summary", text: t("agency.people_summary", { total: Staff.num(d.people.length), sat: Staff.num(sat), missing: Staff.num(d.people.length - sat) }) }));
    if (!people.length) { box.appendChild(el("p", { "class": "muted", id: "people-empty", text: t("agency.people_none") })); return; }
    var columns = [
      { label: t("agency.people_col_name"), cell: function (p) { return p.full_name; } },
      { label: t("agency.people_col_position"), cell: function (p) { return p.position || "—"; } },
      { label: t("agency.people_col_agency"), cell: function (p) { return p.agency_name; } }
    ];
    d.rounds.forEach(function (r, i) {
      columns.push({ label: t("round.title", { n: r.number }), cell: function (p) { return weekCell(p.weeks[i]); } });
    });
    columns.push({ label: t("agency.people_col_weeks"), cls: "num", cell: function (p) { return String(p.weeks_sat); } });
    box.appendChild(Staff.table({ id: "people-table", caption: t("agency.people_title"), rowHeader: true, columns: columns, rows: people }));
  }

  function load(me) {
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
    return me;
  }

  window.AgencyPeople = { load: load };
})();

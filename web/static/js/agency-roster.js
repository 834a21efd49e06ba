// The focal point's roster sections on /don-vi: the registrations their agency's staff
// roster does not list, to confirm or reject (they count for the agency and may win only
// once confirmed), and the roster upload (CSV or .xlsx, all or nothing). Dates of birth
// and CCCD numbers arrive masked from the API.
(function () {
  "use strict";
  var App = window.App, Staff = window.Staff, t = App.t, $ = App.$, el = App.el;

  function statusText(s) { return t("agency.roster_status_" + s); }

  function renderPending(rows, canDecide) {
    var box = $("#agency-pending");
    box.textContent = "";
    box.removeAttribute("aria-busy");
    if (!rows.length) {
      box.appendChild(el("p", { "class": "muted", id: "agency-pending-none", text: t("agency.pending_none") }));
      return;
    }
    function actions(r) {
      var box = el("span", { "class": "report-buttons" });
      if (!canDecide) { return box; }
      [["confirmed", "agency.pending_confirm"], ["rejected", "agency.pending_reject"]].forEach(function (d) {
        if (r.roster_status === d[0]) { return; }
        var b = el("button", { type: "button", "class": "button button-secondary", id: "decide-" + r.id + "-" + d[0],
          text: t(d[1]), "aria-label": t(d[1]) + ": " + r.full_name });
        b.addEventListener("click", function () { decide(r, d[0], b); });
        box.appendChild(b);
      });
      return box;
    }
    var tbl = Staff.table({ id: "agency-pending-table", caption: t("agency.pending_title"), rows: rows, columns: [
      { label: t("agency.col_name"), cell: function (r) { return r.full_name; } },
      { label: t("agency.col_dob"), cell: function (r) { return r.date_of_birth; } },
      { label: t("agency.col_cccd"), cell: function (r) { return r.cccd || ""; } },
      { label: t("agency.col_phone"), cell: function (r) { return r.phone; } },
      { label: t("agency.col_agency"), cell: function (r) { return r.agency_name; } },
      { label: t("agency.col_status"), cell: function (r) { return statusText(r.roster_status); } },
      { label: t("agency.col_action"), cell: actions }
    ] });
    var trs = tbl.querySelectorAll("tbody tr");
    rows.forEach(function (r, i) { trs[i].id = "pending-" + r.id; });
    box.appendChild(tbl);
  }

  function load(canDecide) {
    return App.api("GET", "/registrations/unconfirmed").then(function (res) {
      if (!res.ok) { App.showMessage($("#agency-pending-status"), res.error.message, "error"); return; }
      renderPending(res.data.rows || [], canDecide);
    });
  }

  function decide(row, decision, button) {
    button.disabled = true;
    App.api("PUT", "/participants/" + row.id + "/roster-decision", { decision: decision }).then(function (res) {
      button.disabled = false;
      App.showMessage($("#agency-pending-status"), res.ok ? res.data.message : res.error.message, res.ok ? "success" : "error");
      if (res.ok) { load(true); }
    });
  }

  function rosterForm() {
    var form = $("#roster-form"), file = $("#roster-file"), submit = $("#roster-submit"), result = $("#roster-result");
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (!file.files || !file.files.length) {
        App.showMessage(result, t("agency.roster_file_required"), "error");
        file.focus();
        return;
      }
      var data = new FormData();
      data.append("file", file.files[0]);
      if ($("#roster-headcount").checked) { data.append("set_headcount", "true"); }
      submit.disabled = true;
      App.api("POST", "/agencies/rosters", data, { timeout: 120000 }).then(function (res) {
        submit.disabled = false;
        var answer = res.data && res.data.lines ? res.data : null;
        var lines = $("#roster-lines");
        lines.textContent = "";
        if (answer) {
          answer.lines.filter(function (l) { return l.outcome === "refused"; }).forEach(function (l) {
            lines.appendChild(el("li", { text: t("agency.roster_line", { n: l.line, problems: (l.problems || []).map(function (p) {
              return (p.column ? p.column + ": " : "") + p.message; }).join("; ") }) }));
          });
        }
        App.showMessage(result, answer ? answer.message : res.error.message, res.ok ? "success" : "error");
        if (res.ok) { form.reset(); load(true); }
      });
    });
  }

  // start is called by agency.js once the account is known.
  window.AgencyRoster = {
    start: function (me) {
      var focal = me.role === "agency";
      $("#agency-pending-section").hidden = false;
      if (focal) {
        $("#agency-roster-section").hidden = false;
        rosterForm();
      }
      load(focal);
    }
  };
})();

// The agency focal point's page (/don-vi): the participation of their own agency (the API
// scopes the answer to it) over the whole contest and week by week, against its threshold,
// as figures, a bar chart and a table; and the agencies under it when the answer has them.
(function () {
  "use strict";
  var App = window.App, Staff = window.Staff, t = App.t, $ = App.$, el = App.el;

  function own(rows, me) {
    return rows.filter(function (r) { return me.agency_id && String(r.id) === String(me.agency_id); })[0] || rows[0] || null;
  }

  // roundNumbers: the campaign's rounds when this account may read the campaign, else the
  // rounds up to the current one (GET /rounds/current is public).
  function roundNumbers() {
    return Staff.loadCampaign().then(function (res) {
      if (res.ok && res.data && res.data.rounds) {
        return res.data.rounds.filter(function (r) { return r.state !== "scheduled"; }).map(function (r) { return r.number; });
      }
      return App.api("GET", "/rounds/current", undefined, { auth: false }).then(function (cur) {
        var out = [];
        if (cur.ok && cur.data && cur.data.number) {
          var last = cur.data.status === "upcoming" ? cur.data.number - 1 : cur.data.number;
          for (var n = 1; n <= last; n++) { out.push(n); }
        }
        return out;
      });
    });
  }

  function renderOverall(row) {
    var box = $("#agency-overall");
    box.textContent = "";
    box.removeAttribute("aria-busy");
    box.appendChild(el("p", { "class": "campaign-name", id: "agency-name" }, [
      el("span", { text: row.name }), document.createTextNode(" "),
      row.headcount > 0 ? Staff.badge(t(row.meets ? "participation.met" : "participation.not_met"), row.meets ? "open" : "below") : null
    ]));
    box.appendChild(el("dl", { "class": "facts facts-big" }, [
      el("div", null, [el("dt", { text: t("participation.col_rate") }), el("dd", { id: "agency-rate", text: Staff.percent(row.rate) })]),
      el("div", null, [el("dt", { text: t("participation.col_threshold") }), el("dd", { text: Staff.percent(row.threshold) })]),
      el("div", null, [el("dt", { text: t("participation.col_participants") }), el("dd", { text: t("participation.of_headcount", { n: Staff.num(row.participants), total: Staff.num(row.headcount) }) })]),
      el("div", null, [el("dt", { text: t("agency.gap") }), el("dd", { text: row.meets ? t("agency.gap_none") : t("agency.gap_people", { n: Staff.num(Math.max(0, Math.ceil((row.threshold || 0) * row.headcount - row.participants))) }) })])
    ]));
    if (row.rolledUp) { box.appendChild(el("p", { "class": "hint", text: t("participation.rolled_up") })); }
  }

  function renderRounds(overall, perRound) {
    var box = $("#agency-rounds");
    box.textContent = "";
    box.removeAttribute("aria-busy");
    var rows = perRound.filter(function (x) { return x.row; }).map(function (x) {
      var r = Object.assign({}, x.row, { rolledUp: false }); // said once, above
      r.label = t("round.title", { n: x.n });
      return r;
    });
    if (!rows.length) { Staff.noData(box, perRound.length ? perRound[0].res : null); return; }
    var all = Object.assign({}, overall, { label: t("agency.overall"), rolledUp: false });
    rows.push(all);
    box.appendChild(Staff.chartLegend());
    var chart = el("div", { "class": "chart", id: "agency-chart" });
    box.appendChild(chart);
    Staff.barChart(chart, rows.map(function (r) { return { label: r.label, value: r.rate, target: r.threshold, meets: r.meets }; }), {
      label: t("agency.chart_label", { name: overall.name })
    });
    box.appendChild(Staff.participationTable(rows, { id: "agency-rounds-table", caption: t("agency.rounds_title"), firstLabel: t("committee.col_round"), noCategory: true }));
  }

  Staff.start({ roles: ["agency", "committee", "admin"], audience: "agency.audience" }).then(function (me) {
    if (!me) { return; }
    Staff.reportList($("#reports"), ["participation", "participants"]);
    window.AgencyPeople.load(me);
    window.AgencyRoster.start(me);
    Staff.fetchParticipation("").then(function (p) {
      if (!p.ok || !p.rows.length) {
        Staff.noData($("#agency-overall"), p.res);
        Staff.noData($("#agency-rounds"));
        return;
      }
      var mine = own(p.rows, me);
      renderOverall(mine);
      if (p.rows.length > 1) {
        $("#agency-units-section").hidden = false;
        $("#agency-units").appendChild(Staff.participationTable(p.rows, { id: "agency-units-table", caption: t("agency.units_title") }));
      }
      roundNumbers().then(function (numbers) {
        return Promise.all(numbers.map(function (n) {
          return Staff.fetchParticipation(n).then(function (x) { return { n: n, row: x.ok ? own(x.rows, me) : null, res: x.res }; });
        }));
      }).then(function (perRound) { renderRounds(mine, perRound); });
    });
  });
})();

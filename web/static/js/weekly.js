// Weekly results (/ket-qua-tuan?tuan=N): the published prize list and top list of a week,
// newest week by default. Everything comes from the public, cacheable API: the feed of
// published weeks and each week's top list. A week not yet published is simply absent.
(function () {
  "use strict";
  var App = window.App, t = App.t, $ = App.$, el = App.el;
  var status = $("#week-status");
  // The answers are public and carry an ETag: let the browser cache revalidate them.
  var cached = { auth: false, cache: "no-cache" };

  function say(text, kind) {
    status.textContent = "";
    status.removeAttribute("aria-busy");
    if (text) { status.appendChild(el("p", { "class": kind === "muted" ? "muted" : "message", text: text })); }
  }

  // Time used, to the tenth of a second: it breaks ties between equal scores.
  function timeUsed(ms) {
    var tenths = Math.floor(ms / 100), s = Math.floor(tenths / 10);
    var m = Math.floor(s / 60);
    return (m < 10 ? "0" : "") + m + ":" + (s % 60 < 10 ? "0" : "") + (s % 60) + "," + (tenths % 10);
  }

  function wanted() {
    var m = /[?&]tuan=(\d+)/.exec(window.location.search);
    return m ? parseInt(m[1], 10) : null;
  }

  // table draws rows as a table; below 40rem, layout "stack" makes each row a card of
  // label: value lines, and "compact" (the long top list) a short block per place.
  function table(caption, cols, rows, rowClass, layout) {
    function cls(c, r) { return "c-" + c.key + (c.cls ? " " + c.cls : "") + (r && c.cellClass ? " " + c.cellClass(r) : ""); }
    var head = el("tr", null, cols.map(function (c) { return el("th", { scope: "col", "class": cls(c), text: c.label }); }));
    var body = el("tbody", null, rows.map(function (r) {
      return el("tr", { "class": rowClass ? rowClass(r) : "" }, cols.map(function (c) {
        var attrs = { "data-label": c.label, "class": cls(c, r) };
        if (c.key === "name") { attrs.scope = "row"; }
        return el(c.key === "name" ? "th" : "td", attrs, [el("span", { "class": "cell-value", text: c.value(r) })]);
      }));
    }));
    return el("table", { "class": "data-table " + (layout || "stack") }, [el("caption", { "class": "visually-hidden", text: caption }), el("thead", null, [head]), body]);
  }

  var prizeCols = [
    { key: "prize", label: t("result.week_col_prize"), value: function (w) { return t("prize." + w.prize); } },
    { key: "name", label: t("result.week_col_name"), value: function (w) { return w.full_name; } },
    { key: "agency", label: t("result.week_col_agency"), value: function (w) { return w.agency_name || t("result.week_no_agency"); } },
    { key: "correct", label: t("result.week_col_correct"), cls: "num", value: function (w) { return String(w.correct_count); } },
    { key: "time", label: t("result.week_col_time"), cls: "num", value: function (w) { return timeUsed(w.time_used_ms); } }
  ];
  var topCols = [
    { key: "rank", label: t("result.week_col_rank"), cls: "num", value: function (r) { return String(r.rank); } },
    { key: "name", label: t("result.week_col_name"), value: function (r) { return r.full_name; } },
    { key: "agency", label: t("result.week_col_agency"), value: function (r) { return r.agency_name || t("result.week_no_agency"); } },
    { key: "correct", label: t("result.week_col_correct"), cls: "num", value: function (r) { return String(r.correct_count); } },
    { key: "time", label: t("result.week_col_time"), cls: "num", value: function (r) { return timeUsed(r.time_used_ms); } },
    { key: "prize", label: t("result.week_col_prize"), value: function (r) { return r.prize ? t("prize." + r.prize) : "—"; },
      cellClass: function (r) { return r.prize ? "" : "no-prize"; } }
  ];

  function tabs(rounds, chosen) {
    var list = $("#week-list");
    list.textContent = "";
    rounds.slice().sort(function (a, b) { return a.round_number - b.round_number; }).forEach(function (r) {
      var a = el("a", { href: "/ket-qua-tuan?tuan=" + r.round_number, text: t("round.title", { n: r.round_number }) });
      if (r.round_number === chosen) { a.setAttribute("aria-current", "page"); }
      list.appendChild(el("li", null, [a]));
    });
    $("#week-tabs").hidden = false;
  }

  function showWeek(p) {
    say(t("result.week_summary", { n: p.round_number, published: App.formatDateTime(p.published_at),
      participants: p.participants, perfect: p.perfect_count }), "muted");
    var prizes = $("#prizes");
    prizes.textContent = "";
    prizes.appendChild(p.winners && p.winners.length ?
      table(t("result.week_prizes"), prizeCols, p.winners, function () { return "row-prize"; }) :
      el("p", { "class": "muted", text: t("result.week_no_prizes") }));
    $("#prizes-section").hidden = false;

    var top = $("#top");
    top.textContent = "";
    top.appendChild(el("p", { "class": "muted", text: t("common.loading") }));
    $("#top-section").hidden = false;
    App.api("GET", "/rounds/" + p.round_id + "/top", undefined, cached).then(function (res) {
      top.textContent = "";
      if (!res.ok || !res.data) {
        top.appendChild(el("p", { "class": "message", text: res.network ? res.error.message : t("result.week_load_error") }));
        return;
      }
      $("#top-title").textContent = t("result.week_top_title", { n: res.data.rows.length });
      top.appendChild(res.data.rows.length ?
        table($("#top-title").textContent, topCols, res.data.rows, function (r) { return r.prize ? "row-prize" : ""; }, "compact") :
        el("p", { "class": "muted", text: t("result.week_top_empty") }));
    });
  }

  App.api("GET", "/feed/results.json", undefined, cached).then(function (res) {
    if (!res.ok || !res.data) { say(res.network ? res.error.message : t("result.week_load_error")); return; }
    var rounds = res.data.rounds || [];
    if (!rounds.length) { say(t("result.week_none"), "muted"); return; }
    var n = wanted(), chosen = null;
    rounds.forEach(function (r) { if (r.round_number === n) { chosen = r; } });
    if (n !== null && !chosen) {
      tabs(rounds, null);
      say(t("result.week_not_published", { n: n }));
      return;
    }
    chosen = chosen || rounds[0]; // the feed is newest first
    tabs(rounds, chosen.round_number);
    showWeek(chosen);
  });
})();

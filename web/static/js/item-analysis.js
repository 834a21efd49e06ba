// Item analysis of a ranked round on the secretariat's page: one row per question with its
// difficulty, discrimination, option shares (A–D as in the bank, whatever shuffle each
// participant saw) and the flags of a question that looks wrong, highlighted; and the
// same as a print-ready workbook. secretariat.js calls ItemAnalysis.init once signed in.
(function () {
  "use strict";
  var App = window.App, Staff = window.Staff, t = App.t, $ = App.$, el = App.el;
  var request = 0;
  var FLAGS = { // the API's flags, by their text
    too_hard: "secretariat.items.flag.too_hard", too_easy: "secretariat.items.flag.too_easy",
    negative_discrimination: "secretariat.items.flag.negative_discrimination",
    distractor_beats_key: "secretariat.items.flag.distractor_beats_key"
  };

  function ratio(v) {
    if (v === null || v === undefined) { return "–"; }
    return new Intl.NumberFormat((window.I18N && window.I18N.locale) || "vi-VN", { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(v);
  }

  function flagList(flags) {
    if (!flags.length) { return el("span", { "class": "muted", text: t("secretariat.items.no_flag") }); }
    return Staff.frag(flags.map(function (f) { return Staff.badge(FLAGS[f] ? t(FLAGS[f]) : f, "flag"); }));
  }

  function show(n) {
    var box = $("#items"), mine = ++request;
    Staff.loading(box);
    $("#items-download").hidden = true;
    App.api("GET", Staff.path("/rounds/" + n + "/item-analysis")).then(function (res) {
      if (mine !== request) { return; }
      box.textContent = "";
      box.removeAttribute("aria-busy");
      if (!res.ok || !res.data || !Array.isArray(res.data.items)) {
        // 409 before the ranking: the API's own words say so.
        box.appendChild(el("p", { "class": "message " + (res.status === 409 ? "message-warning" : "message-error"), id: "items-message",
          text: res.error ? res.error.message : t("common.unexpected") }));
        $("#items-status").textContent = res.error ? res.error.message : "";
        return;
      }
      var a = res.data, flagged = a.items.filter(function (q) { return q.flags.length; }).length;
      var summary = t("secretariat.items.summary", { round: a.round_number, attempts: Staff.num(a.attempts), group: Staff.num(a.group_size), n: a.items.length, flagged: flagged });
      box.appendChild(el("p", { "class": "summary", id: "items-summary", text: summary }));
      $("#items-status").textContent = summary;
      var columns = [
        { label: t("secretariat.items.col_code"), cell: function (q) { return Staff.frag([el("strong", { text: q.code }), el("span", { "class": "cell-note", text: q.text })]); } },
        { label: t("secretariat.items.col_key"), cell: function (q) { return "ABCD".charAt(q.correct_option); } },
        { label: t("secretariat.items.col_attempts"), cls: "num", cell: function (q) { return Staff.num(q.attempts); } },
        { label: t("secretariat.items.col_p"), cls: "num", cell: function (q) { return Staff.percent(q.difficulty); } },
        { label: t("secretariat.items.col_d"), cls: "num", cell: function (q) { return ratio(q.discrimination); } },
        { label: t("secretariat.items.col_rpb"), cls: "num", cell: function (q) { return ratio(q.point_biserial); } }
      ];
      ["A", "B", "C", "D"].forEach(function (letter, i) {
        columns.push({ label: t("secretariat.items.col_option", { option: letter }), cls: "num", cell: function (q) {
          var o = q.options[i], text = Staff.percent(o.share);
          return o.is_key ? el("strong", { "class": "is-key", text: text + " ✓" }) : text;
        } });
      });
      columns.push({ label: t("secretariat.items.col_blank"), cls: "num", cell: function (q) { return Staff.percent(q.attempts ? q.unanswered / q.attempts : 0); } });
      columns.push({ label: t("secretariat.items.col_flags"), cell: function (q) { return flagList(q.flags); } });
      box.appendChild(Staff.table({
        id: "items-table", caption: t("secretariat.items.caption", { round: a.round_number }), rowHeader: true, columns: columns, rows: a.items,
        rowClass: function (q) { return q.flags.length ? "is-flagged" : ""; }
      }));
      $("#items-download").hidden = false;
    });
  }

  function download(n) {
    var btn = $("#items-download"), status = $("#items-download-status");
    btn.disabled = true;
    status.textContent = t("committee.report_loading");
    App.download(Staff.path("/rounds/" + n + "/item-analysis.xlsx"), "item-analysis-" + Staff.code + "-" + n + ".xlsx").then(function (res) {
      btn.disabled = false;
      status.textContent = res.ok ? t("committee.report_done", { name: res.name }) : (res.error ? res.error.message : t("common.unexpected"));
    });
  }

  // init fills the round picker (ranked rounds first chosen) and shows the latest ranked round.
  function init(campaign) {
    var select = $("#items-round");
    select.textContent = "";
    var rounds = (campaign && campaign.rounds) || [];
    rounds.forEach(function (r) { select.appendChild(el("option", { value: String(r.number), text: t("round.title", { n: r.number }) })); });
    var ranked = rounds.filter(function (r) { return ["ranked", "approved", "published"].indexOf(r.state) >= 0; });
    if (!rounds.length) { Staff.noData($("#items")); return; }
    var first = (ranked.length ? ranked[ranked.length - 1] : rounds[0]).number;
    select.value = String(first);
    $("#items-form").addEventListener("submit", function (e) { e.preventDefault(); show(Number(select.value) || 1); });
    $("#items-download").addEventListener("click", function () { download(Number(select.value) || 1); });
    show(first);
  }

  window.ItemAnalysis = { init: init };
})();

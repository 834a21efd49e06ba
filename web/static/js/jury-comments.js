// The jurors' comments on the committee's page: every score sheet that carries a comment
// (GET …/jury/scores, with the clip titles from GET …/videos), clip by clip, so the
// committee reads why a juror scored as they did before closing the jury or deciding.
(function () {
  "use strict";
  var App = window.App, Staff = window.Staff, t = App.t, el = App.el;

  function load(box) {
    if (!box) { return Promise.resolve(); }
    return Promise.all([App.api("GET", Staff.path("/jury/scores")), App.api("GET", Staff.path("/videos"))]).then(function (answers) {
      var sheets = Staff.list(answers[0]), clips = Staff.list(answers[1]) || [];
      box.textContent = "";
      box.removeAttribute("aria-busy");
      if (!sheets) { Staff.noData(box, answers[0]); return; }
      var titles = {};
      clips.forEach(function (c) { titles[c.id] = c.title; });
      var commented = sheets.filter(function (s) { return s.comment; });
      if (!commented.length) { box.appendChild(el("p", { "class": "muted", id: "jury-comments-empty", text: t("committee.jury_comments_none") })); return; }
      box.appendChild(Staff.table({
        id: "jury-comments-table", caption: t("committee.jury_comments_title"), rowHeader: true,
        columns: [
          { label: t("jury.completeness.col_clip"), cell: function (s) { return titles[s.entry_id] || ("#" + s.entry_id); } },
          { label: t("jury.completeness.col_juror"), cell: function (s) { return s.juror; } },
          { label: t("committee.jury_comments_total"), cls: "num", cell: function (s) { return Staff.num(s.total, 2); } },
          { label: t("committee.jury_comments_comment"), cell: function (s) { return s.comment; } }
        ],
        rows: commented
      }));
    });
  }

  window.JuryComments = { load: load };
})();

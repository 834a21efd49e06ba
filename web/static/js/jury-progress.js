// The jury's completeness (GET …/jury/progress), shown on the jury's and the committee's
// pages alike: sheets received against expected, then per clip (which jurors have not
// scored it) and per juror (which clips are left). Scoring closes only when nothing is
// missing, or by a committee override with a written reason.
(function () {
  "use strict";
  var App = window.App, Staff = window.Staff, t = App.t, el = App.el;

  function names(list) { return list && list.length ? list.join(", ") : "—"; }

  // render draws the completeness; opts.clips false leaves out the table by clip (the
  // jury's page says it on each clip's card instead).
  function render(box, d, opts) {
    box.textContent = "";
    box.removeAttribute("aria-busy");
    var summary = d.missing === 0 && d.complete
      ? t("jury.completeness.summary_complete", { received: d.received, expected: d.expected })
      : t("jury.completeness.summary_missing", { received: d.received, expected: d.expected, missing: d.missing });
    if (!d.jurors.length && d.clips.length) { summary = t("jury.completeness.no_jurors", { clips: d.clips.length }); }
    box.appendChild(el("p", { "class": "summary" + (d.complete ? "" : " is-incomplete"), id: "jury-progress-summary", text: summary }));
    if (d.closed) { box.appendChild(el("p", { "class": "muted", id: "jury-progress-closed", text: t("jury.completeness.closed") })); }
    if (!d.clips.length) { return; }
    if (!opts || opts.clips !== false) { box.appendChild(Staff.table({
      id: "jury-progress-clips", caption: t("jury.completeness.by_clip"), captionVisible: true, rowHeader: true,
      rowClass: function (c) { return c.received < c.expected ? "row-missing" : ""; },
      columns: [
        { label: t("jury.completeness.col_clip"), cell: function (c) { return c.title; } },
        { label: t("jury.completeness.col_agency"), cell: function (c) { return c.agency_name; } },
        { label: t("jury.completeness.col_sheets"), cls: "num", cell: function (c) { return c.received + "/" + c.expected; } },
        { label: t("jury.completeness.col_missing_jurors"), cell: function (c) { return names(c.missing_juror_names); } }
      ],
      rows: d.clips
    })); }
    if (!d.jurors.length) { return; }
    box.appendChild(Staff.table({
      id: "jury-progress-jurors", caption: t("jury.completeness.by_juror"), captionVisible: true, rowHeader: true,
      rowClass: function (j) { return j.received < j.expected ? "row-missing" : ""; },
      columns: [
        { label: t("jury.completeness.col_juror"), cell: function (j) { return j.name; } },
        { label: t("jury.completeness.col_scored"), cls: "num", cell: function (j) { return j.received + "/" + j.expected; } },
        { label: t("jury.completeness.col_missing_clips"), cell: function (j) { return names(j.missing_clip_titles); } }
      ],
      rows: d.jurors
    }));
  }

  // load reads the completeness into box; resolves to it, or null when the API refused.
  function load(box, opts) {
    return App.api("GET", Staff.path("/jury/progress")).then(function (res) {
      if (!res.ok || !res.data) { Staff.noData(box, res); return null; }
      render(box, res.data, opts);
      return res.data;
    });
  }

  // clipLine is one clip's sheets as a sentence: "1/2 phiếu chấm; chưa chấm: …".
  function clipLine(c) {
    return c.missing_juror_names.length
      ? t("jury.completeness.clip_missing", { received: c.received, expected: c.expected, names: names(c.missing_juror_names) })
      : t("jury.completeness.clip_complete", { received: c.received, expected: c.expected });
  }

  window.JuryProgress = { load: load, clipLine: clipLine };
})();

// The secretariat's page (/thu-ky): each round's question set with its status (a set the
// committee sent back can be resubmitted here), the questions of a round, the question bank
// CSV import, recording a video entry delivered on USB, and the list of entries.
(function () {
  "use strict";
  var App = window.App, Staff = window.Staff, t = App.t, $ = App.$, el = App.el;
  var FOLLOW_UP_MS = [700, 1500, 2500];
  var state = { campaign: null, picker: null, busy: false };

  // ------------------------------------------------------------------ question sets
  function loadCampaign() {
    return Staff.loadCampaign().then(function (res) {
      if (!res.ok || !res.data) {
        var box = $("#campaign-summary");
        box.removeAttribute("aria-busy");
        box.textContent = "";
        box.appendChild(el("p", { "class": "message message-error", text: res.status === 404 ? t("staff.campaign_not_found", { code: Staff.code }) : res.error.message }));
        Staff.noData($("#sets"));
        return null;
      }
      var c = res.data;
      c.rounds = c.rounds || [];
      c.decisions = c.decisions || [];
      state.campaign = c;
      Staff.campaignSummary($("#campaign-summary"), c);
      renderSets(c);
      fillRounds(c);
      return c;
    });
  }

  // lastSendBack is the committee's latest send-back of a round's set (its comment says why).
  function lastSendBack(c, n) {
    return c.decisions.filter(function (d) { return d.kind === "question_set" && d.round_number === n && d.outcome === "sent_back"; }).slice(-1)[0];
  }

  function renderSets(c) {
    var box = $("#sets");
    box.textContent = "";
    box.removeAttribute("aria-busy");
    if (!c.rounds.length) { Staff.noData(box); return; }
    var list = el("ul", { "class": "decision-list" });
    c.rounds.forEach(function (r) {
      var status = r.question_set_status;
      var li = el("li", { "class": "decision-item", id: "set-" + r.number }, [
        el("p", { "class": "decision-title" }, [
          el("strong", { text: t("round.title", { n: r.number }) }),
          el("span", { "class": "muted", text: " · " + t("secretariat.set_size", { n: r.question_set_size }) +
            (r.question_set_revision > 1 ? " · " + t("secretariat.set_revision", { n: r.question_set_revision }) : "") + " · " }),
          Staff.badge(t("qset." + status), "qset-" + status)
        ])
      ]);
      var view = el("button", { type: "button", "class": "button button-secondary", text: t("secretariat.view_questions", { n: r.number }) });
      view.addEventListener("click", function () { showQuestions(r.number, true); });
      var buttons = [view];
      if (Staff.waits(c, "question_set_ready", r.number)) { // the campaign's own word that the set waits for us
        var back = lastSendBack(c, r.number);
        if (back) {
          li.appendChild(el("p", { "class": "message message-warning send-back-note" }, [
            el("strong", { text: t("secretariat.sent_back_by", { who: back.decided_by, at: App.formatDateTime(back.decided_at) }) }),
            document.createTextNode(" " + (back.comment || t("secretariat.no_comment")))
          ]));
        }
        var cid = "resubmit-comment-" + r.number;
        li.appendChild(el("div", { "class": "field comment-field" }, [
          el("label", { "for": cid, text: t("secretariat.resubmit_comment", { n: r.number }) }),
          el("textarea", { id: cid, rows: "2", maxlength: "2000" })
        ]));
        var resubmit = el("button", { type: "button", "class": "button button-primary", id: "resubmit-" + r.number, text: t("secretariat.resubmit", { n: r.number }) });
        resubmit.addEventListener("click", function () { resubmitSet(r.number, resubmit); });
        buttons.unshift(resubmit);
      }
      li.appendChild(el("div", { "class": "decision-buttons" }, buttons));
      list.appendChild(li);
    });
    box.appendChild(list);
  }

  function resubmitSet(n, btn) {
    if (state.busy) { return; }
    var errorBox = $("#set-error"), resultBox = $("#set-result");
    App.showMessage(errorBox, "");
    App.showMessage(resultBox, "");
    state.busy = true;
    btn.disabled = true;
    var comment = ($("#resubmit-comment-" + n) || { value: "" }).value.trim();
    App.api("POST", Staff.path("/decisions"), { kind: "question_set_ready", round: n, outcome: "done", comment: comment }).then(function (res) {
      state.busy = false;
      btn.disabled = false;
      if (!res.ok) {
        App.showMessage(errorBox, res.error.message, "error");
        errorBox.focus();
        return;
      }
      App.showMessage(resultBox, t("secretariat.resubmitted", { n: n, at: res.data && res.data.decided_at ? App.formatDateTime(res.data.decided_at) : "" }), "success");
      resultBox.focus();
      var i = 0;
      (function again() {
        loadCampaign().then(function (c) {
          var r = c && c.rounds.filter(function (x) { return x.number === n; })[0];
          if (r && r.question_set_status === "sent_back" && i < FOLLOW_UP_MS.length) { setTimeout(again, FOLLOW_UP_MS[i++]); }
        });
      })();
    });
  }

  function fillRounds(c) {
    var select = $("#questions-round"), keep = select.value;
    select.textContent = "";
    c.rounds.forEach(function (r) { select.appendChild(el("option", { value: String(r.number), text: t("round.title", { n: r.number }) })); });
    if (keep) { select.value = keep; }
  }

  // ------------------------------------------------------------------ a round's questions
  // Only the latest request draws: an earlier one answering late must not replace it.
  var questionsRequest = 0;

  function showQuestions(n, scroll) {
    var box = $("#questions"), request = ++questionsRequest;
    $("#questions-round").value = String(n);
    Staff.loading(box);
    if (scroll) { $("#questions-section").scrollIntoView({ block: "start" }); }
    App.api("GET", Staff.path("/rounds/" + n + "/questions")).then(function (res) {
      if (request !== questionsRequest) { return; }
      var qs = Staff.list(res); // [{id, code, source_document, text, options[4], correct_option, is_sample}]
      if (!qs) { Staff.noData(box, res); return; }
      box.textContent = "";
      box.removeAttribute("aria-busy");
      box.appendChild(el("p", { "class": "summary", text: t("secretariat.questions_count", { n: qs.length, round: n }) }));
      $("#questions-status").textContent = t("secretariat.questions_count", { n: qs.length, round: n });
      if (!qs.length) { return; }
      var list = el("ol", { "class": "question-bank" });
      qs.forEach(function (q) {
        var meta = [q.code, q.source_document ? t("secretariat.source", { source: q.source_document }) : "", q.is_sample ? t("secretariat.sample_question") : ""].filter(Boolean).join(" · ");
        list.appendChild(el("li", null, [
          meta ? el("p", { "class": "muted question-meta", text: meta }) : null,
          el("p", { "class": "question-text", text: q.text }),
          el("ul", { "class": "bank-options" }, q.options.map(function (text, i) {
            var ok = i === q.correct_option;
            return el("li", { "class": ok ? "is-correct" : "" }, [
              el("strong", { text: "ABCD".charAt(i) + ". " }), document.createTextNode(text),
              ok ? el("span", { "class": "badge badge-open", text: t("secretariat.correct") }) : null
            ]);
          }))
        ]));
      });
      box.appendChild(list);
    });
  }

  // ------------------------------------------------------------------ question file import
  // The API answers line by line (created, updated, unchanged, refused with reasons), for a
  // dry run ("Kiểm tra trước") as for an import; a refused import (422) carries the same answer.
  function bindImport() {
    var form = $("#import-form"), file = $("#import-file"), errorBox = $("#import-error"), result = $("#import-result");
    var submit = $("#import-submit"), check = $("#import-check"), lines = $("#import-lines");
    function send(dryRun) {
      App.showMessage(errorBox, "");
      App.showMessage(result, "");
      lines.textContent = "";
      if (!file.files || !file.files.length) {
        App.showMessage(errorBox, t("secretariat.import_required"), "error");
        file.focus();
        return;
      }
      var data = new FormData();
      data.append("file", file.files[0]);
      if (dryRun) { data.append("dry_run", "true"); }
      var btn = dryRun ? check : submit, label = dryRun ? "secretariat.import_check" : "secretariat.import_submit";
      submit.disabled = check.disabled = true;
      btn.textContent = t(dryRun ? "secretariat.import_checking" : "secretariat.import_sending");
      App.api("POST", Staff.path("/questions/import"), data, { timeout: 120000 }).then(function (res) {
        submit.disabled = check.disabled = false;
        btn.textContent = t(label);
        var answer = res.data && res.data.lines ? res.data : null;
        if (answer) { renderImportLines(lines, answer); }
        if (!res.ok) {
          App.showMessage(errorBox, res.error.message, "error");
          return;
        }
        var refused = answer.summary && answer.summary.refused > 0;
        App.showMessage(refused ? errorBox : result, answer.message, refused ? "error" : "success");
        if (answer.written) {
          form.reset();
          loadCampaign(); // set sizes, statuses and revisions changed
          showQuestions(Number($("#questions-round").value) || 1, false);
        }
      });
    }
    form.addEventListener("submit", function (e) { e.preventDefault(); send(false); });
    check.addEventListener("click", function () { send(true); });
  }

  function renderImportLines(box, answer) {
    box.textContent = "";
    if (!answer.lines.length) { return; }
    box.appendChild(Staff.table({
      id: "import-lines-table", caption: t("secretariat.import_lines_caption"), captionVisible: true,
      rowClass: function (l) { return "import-" + l.outcome; },
      columns: [
        { label: t("secretariat.import_col_line"), cls: "num", cell: function (l) { return l.line; } },
        { label: t("secretariat.import_col_code"), cell: function (l) { return l.code || ""; } },
        { label: t("secretariat.import_col_outcome"), cell: function (l) {
          return Staff.badge(t("secretariat.import_outcome." + l.outcome), "import-" + l.outcome);
        } },
        { label: t("secretariat.import_col_details"), cell: function (l) {
          var items = (l.problems || []).map(function (p) {
            return p.column ? t("secretariat.import_problem_column", { column: p.column, message: p.message }) : p.message;
          }).concat(l.notes || []);
          if (l.outcome === "updated" && l.revision > 1 && !(l.notes || []).length) { items.push(t("secretariat.import_revision", { n: l.revision })); }
          return items.length ? el("ul", { "class": "import-details" }, items.map(function (x) { return el("li", { text: x }); })) : "";
        } }
      ],
      rows: answer.lines
    }));
  }

  // ------------------------------------------------------------------ video entries
  function parseDuration(s) {
    var m = /^\s*(\d{1,2}):([0-5]\d)\s*$/.exec(s || "");
    if (!m) { return null; }
    var secs = Number(m[1]) * 60 + Number(m[2]);
    return secs > 0 ? { seconds: secs, text: Number(m[1]) + ":" + m[2] } : null;
  }

  function bindVideoForm() {
    var form = $("#video-form"), errorBox = $("#video-error"), result = $("#video-result"), submit = $("#video-submit");
    state.picker = App.agencyPicker({
      list: $("#video-agency-list"), search: $("#video-agency-search"), count: $("#video-agency-count"),
      chosen: $("#video-agency-selected"), name: "video_agency", idPrefix: "video-agency-"
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      App.showMessage(errorBox, "");
      App.showMessage(result, "");
      var agency = state.picker.selected(), title = $("#video-title-input").value.trim();
      var duration = parseDuration($("#video-duration").value), received = $("#video-received").value;
      var fail = function (key, focus) { App.showMessage(errorBox, t(key), "error"); focus.focus(); };
      if (!agency) { return fail("secretariat.video_agency_required", $("#video-agency-search")); }
      if (!title) { return fail("secretariat.video_name_required", $("#video-title-input")); }
      if (!duration) { return fail("secretariat.video_duration_invalid", $("#video-duration")); }
      if (!received) { return fail("secretariat.video_received_required", $("#video-received")); }
      var data = new FormData();
      data.append("agency_id", String(agency));
      data.append("title", title);
      data.append("format", $("#video-format").value);
      data.append("duration", duration.text);
      data.append("received_on", received);
      var file = $("#video-file");
      if (file.files && file.files.length) { data.append("file", file.files[0]); }
      submit.disabled = true;
      submit.textContent = t("secretariat.video_sending");
      App.api("POST", Staff.path("/videos"), data, { timeout: 600000 }).then(function (res) {
        submit.disabled = false;
        submit.textContent = t("secretariat.video_submit");
        if (!res.ok) {
          App.showMessage(errorBox, res.error.message, "error");
          return;
        }
        App.showMessage(result, t("secretariat.video_recorded", { title: title }), "success");
        form.reset();
        state.picker.reset();
        loadVideos();
      });
    });
  }

  function loadVideos() {
    var box = $("#videos");
    App.api("GET", Staff.path("/videos")).then(function (res) {
      var rows = Staff.list(res); // the campaign's entries, oldest first
      if (!rows) { Staff.noData(box, res); return; }
      box.textContent = "";
      box.removeAttribute("aria-busy");
      if (!rows.length) { box.appendChild(el("p", { "class": "muted", id: "videos-empty", text: t("secretariat.videos_empty") })); return; }
      box.appendChild(el("p", { "class": "summary", text: t("secretariat.videos_count", { n: rows.length }) }));
      box.appendChild(Staff.table({
        id: "videos-table", caption: t("secretariat.videos_title"), rowHeader: true,
        columns: [
          { label: t("committee.col_title"), cell: function (v) {
            var edit = el("button", { type: "button", "class": "button button-secondary", id: "correct-video-" + v.id, text: t("secretariat.correct.open") });
            edit.setAttribute("aria-label", t("secretariat.correct.open_label", { title: v.title }));
            edit.addEventListener("click", function () { window.VideoCorrection.open($("#video-correction"), v, loadVideos); });
            return Staff.frag([el("span", { text: v.title }), v.author ? el("span", { "class": "cell-note", text: v.author }) : null, edit]);
          } },
          { label: t("committee.col_agency"), cell: function (v) { return v.agency_name || ""; } },
          { label: t("secretariat.col_format"), cell: function (v) { return t("video.format." + v.format); } },
          { label: t("secretariat.col_duration"), cls: "num", cell: function (v) { return Staff.mmss(v.duration_seconds); } },
          { label: t("secretariat.col_received"), cell: function (v) { return Staff.date(v.received_at); } },
          { label: t("secretariat.col_file"), cell: function (v) { return v.has_file ? (v.file_name || t("secretariat.has_file")) : t("secretariat.no_file"); } },
          { label: t("secretariat.col_scored_by"), cls: "num", cell: function (v) { return Staff.num(v.scored_by); } }
        ],
        rows: rows
      }));
    });
  }

  // ------------------------------------------------------------------ start
  Staff.start({ roles: ["secretariat", "committee", "admin"], audience: "secretariat.audience" }).then(function (me) {
    if (!me) { return; }
    loadCampaign().then(function (c) {
      if (c && c.rounds.length) { showQuestions(c.rounds[0].number, false); } else { Staff.noData($("#questions")); }
      window.ItemAnalysis.init(c);
    });
    bindImport();
    bindVideoForm();
    loadVideos();
    window.SecretariatReset.start(me);
    $("#questions-form").addEventListener("submit", function (e) {
      e.preventDefault();
      showQuestions(Number($("#questions-round").value) || 1, false);
    });
  });
})();

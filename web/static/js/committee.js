// The organizing committee's page (/ban-to-chuc): where the campaign stands, the decisions
// its stage allows (buttons, with an optional comment; a send-back needs one), the rounds,
// the weekly ranking review, participation by agency, the video and collective results, the
// report downloads, every recorded decision and stage, and starting a rehearsal.
(function () {
  "use strict";
  var App = window.App, Staff = window.Staff, t = App.t, $ = App.$, el = App.el;
  var REPORT_KINDS = ["weekly_results", "participation", "video_results", "collective_results", "final_summary", "participants", "prize_winners"];
  var FOLLOW_UP_MS = [600, 1200, 1500, 2000, 2500, 3000]; // re-reads after a decision, until the stage moves
  var PARTICIPATION_FIRST = 15; // rows shown before "show all"

  var state = { campaign: null, signature: "", busy: false, participation: null, participationAll: false, rankingRound: null, followUp: 0 };

  // ------------------------------------------------------------------ campaign
  function signature(c) {
    return JSON.stringify([c.stage, c.waiting_for, c.waiting, c.allowed_decisions, c.live_at, c.decisions.length, c.history.length,
      c.rounds.map(function (r) { return [r.number, r.state, r.question_set_status, r.question_set_size, r.question_set_revision, r.perfect_count, r.submitted]; })]);
  }

  // refresh reads the campaign and redraws what changed; resolves to the campaign or null.
  function refresh() {
    return Staff.loadCampaign().then(function (res) {
      if (!res.ok || !res.data) {
        var box = $("#campaign-summary");
        box.removeAttribute("aria-busy");
        box.textContent = "";
        var msg = res.status === 404 ? t("staff.campaign_not_found", { code: Staff.code }) : res.error.message;
        box.appendChild(el("p", { "class": "message message-error", text: msg }));
        ["#actions", "#rounds"].forEach(function (sel) { Staff.noData($(sel), null); });
        return null;
      }
      var c = res.data;
      c.decisions = c.decisions || [];
      c.history = c.history || [];
      c.rounds = c.rounds || [];
      var sig = signature(c);
      state.campaign = c;
      if (sig !== state.signature) {
        state.signature = sig;
        render(c);
      }
      return c;
    });
  }

  function render(c) {
    Staff.campaignSummary($("#campaign-summary"), c);
    renderActions(c);
    renderRounds(c);
    renderDecisions(c);
    renderHistory(c);
    fillRoundSelect($("#ranking-round"), c, false);
    fillRoundSelect($("#participation-round"), c, true);
  }

  function roundStateLabel(c, s) { return (c.round_state_labels && c.round_state_labels[s]) || s; }

  // ------------------------------------------------------------------ decisions
  function button(label, decision, primary) {
    var b = el("button", { type: "button", "class": "button" + (primary ? " button-primary" : " button-secondary"), text: label });
    b.dataset.kind = decision.kind;
    b.dataset.outcome = decision.outcome;
    if (decision.round) { b.dataset.round = String(decision.round); }
    b.addEventListener("click", function () { decide(decision, b); });
    return b;
  }

  function item(title, detail, buttons, id, status) {
    var li = el("li", { "class": "decision-item" }, [
      el("p", { "class": "decision-title" }, [
        el("strong", { text: title }), detail ? el("span", { "class": "muted", text: " · " + detail }) : null,
        status ? document.createTextNode(" ") : null, status || null
      ]),
      buttons && buttons.length ? el("div", { "class": "decision-buttons" }, buttons) : null
    ]);
    if (id) { li.id = id; }
    return li;
  }

  // The label of each button, by decision kind and outcome; the kinds and outcomes offered
  // come from c.allowed_decisions, which the API derives from what the workflows record.
  var BUTTON_LABELS = {
    question_set: { approved: "committee.action.approve_set", sent_back: "committee.action.send_back_set" },
    weekly_results: { approved: "committee.action.approve_week", sent_back: "committee.action.send_back_week" },
    go_live: { approved: "committee.action.go_live", sent_back: "committee.action.go_live_send_back" },
    final_results: { approved: "committee.action.final_results", sent_back: "committee.action.final_results_send_back" },
    close_jury: { done: "committee.action.close_jury" },
    joint_meeting: { done: "committee.action.joint_meeting" },
    ceremony_held: { done: "committee.action.ceremony_held" }
  };

  // buttons offers each outcome of an allowed decision, the usual one first and primary.
  function buttons(d) {
    return d.outcomes.map(function (o, i) {
      var body = { kind: d.kind, outcome: o };
      if (d.round) { body.round = d.round; }
      if (d.question_set_revision) { body.question_set_revision = d.question_set_revision; }
      var label = (BUTTON_LABELS[d.kind] || {})[o];
      return button(label ? t(label, { n: d.round }) : Staff.outcomeLabel(o), body, i === 0);
    });
  }

  // renderActions lists the decisions the committee may take now: c.allowed_decisions, the
  // decisions among c.waiting (the items the header names too), so the page never decides
  // itself which stage allows what. Rounds and stages only add context around them.
  function renderActions(c) {
    var box = $("#actions");
    box.textContent = "";
    box.removeAttribute("aria-busy");
    var list = el("ul", { "class": "decision-list" });
    var allowed = (c.allowed_decisions || []).filter(function (d) { return d.by === "committee"; });
    var roundOf = function (n) { return c.rounds.filter(function (x) { return x.number === n; })[0] || {}; };
    var setStatus = function (r) { return Staff.badge(t("qset." + r.question_set_status), "qset-" + r.question_set_status); };
    var note = null;
    if (c.stage === "question_bank") {
      // Every round's set is listed while the bank is prepared, with buttons on those the
      // committee can decide.
      c.rounds.forEach(function (r) {
        var d = allowed.filter(function (x) { return x.kind === "question_set" && x.round === r.number; })[0];
        list.appendChild(item(t("round.title", { n: r.number }), t("secretariat.set_size", { n: r.question_set_size }), d ? buttons(d) : [], "set-" + r.number, setStatus(r)));
      });
      if (!allowed.length) { note = t("committee.sets_waiting_secretariat"); }
    }
    allowed.forEach(function (d) {
      switch (d.kind) {
        case "question_set":
          if (c.stage === "question_bank") { break; } // listed with every round above
          var rs = roundOf(d.round);
          list.appendChild(item(t("round.title", { n: d.round }), t("committee.set_revised", { size: rs.question_set_size, revision: rs.question_set_revision }),
            buttons(d), "set-" + d.round, setStatus(rs)));
          break;
        case "weekly_results":
          var r = roundOf(d.round);
          var view = el("button", { type: "button", "class": "button button-secondary", text: t("committee.action.view_ranking", { n: d.round }) });
          view.addEventListener("click", function () { showRanking(d.round, true); });
          list.appendChild(item(t("round.title", { n: d.round }), "", [view].concat(buttons(d)), "week-" + d.round,
            Staff.badge(roundStateLabel(c, r.state || "ranked"), "state-" + (r.state || "ranked"))));
          break;
        case "close_jury":
          var closeItem = item(t("decision.kind.close_jury"), "", buttons(d), "close-jury");
          // Sheets missing: the API refuses the close unless the committee overrides, with a reason.
          closeItem.appendChild(el("div", { "class": "check" }, [
            el("input", { type: "checkbox", id: "close-jury-override" }),
            el("label", { "for": "close-jury-override", text: t("committee.close_jury_override") })
          ]));
          list.appendChild(closeItem);
          break;
        default:
          list.appendChild(item(t("decision.kind." + d.kind), "", buttons(d)));
      }
    });
    if (!allowed.length && !note) {
      note = ({ rounds: "committee.no_week_waiting", video_submission: "committee.no_action_video", completed: "committee.no_action_completed" })[c.stage] || "committee.no_action";
      note = t(note);
    }
    if (list.children.length) { box.appendChild(list); }
    if (note) { box.appendChild(el("p", { "class": "muted", id: "actions-note", text: note })); }
    $("#comment-field").hidden = !allowed.length;
    if (state.busy) { setButtonsDisabled(true); } // a decision is on its way
  }

  function setButtonsDisabled(disabled) {
    document.querySelectorAll("#actions button").forEach(function (b) { b.disabled = disabled; });
  }

  function decide(d, btn) {
    if (state.busy) { return; }
    var comment = $("#decision-comment").value.trim();
    var errorBox = $("#decision-error"), resultBox = $("#decision-result");
    App.showMessage(errorBox, "");
    App.showMessage(resultBox, "");
    if (d.outcome === "sent_back" && !comment) {
      App.showMessage(errorBox, t("committee.comment_required"), "error");
      $("#decision-comment").focus();
      return;
    }
    var override = d.kind === "close_jury" && !!$("#close-jury-override") && $("#close-jury-override").checked;
    if (override && !comment) {
      App.showMessage(errorBox, t("committee.override_comment_required"), "error");
      $("#decision-comment").focus();
      return;
    }
    state.busy = true;
    state.followUp++; // stop re-reading for the previous decision
    setButtonsDisabled(true);
    btn.setAttribute("aria-busy", "true");
    var body = { kind: d.kind, outcome: d.outcome, comment: comment };
    if (d.round) { body.round = d.round; }
    if (override) { body.override = true; }
    if (d.question_set_revision) { body.question_set_revision = d.question_set_revision; } // refused if the set changed since
    var stageBefore = state.campaign ? state.campaign.stage : "";
    App.api("POST", Staff.path("/decisions"), body).then(function (res) {
      state.busy = false;
      btn.removeAttribute("aria-busy");
      setButtonsDisabled(false);
      if (d.kind === "close_jury") { loadJury(); } // what is missing, or the results the close opened
      if (!res.ok) {
        App.showMessage(errorBox, res.error.message, "error");
        errorBox.focus();
        state.signature = ""; // the stage may have moved under us: redraw
        refresh();
        return;
      }
      $("#decision-comment").value = "";
      var r = res.data || {};
      App.showMessage(resultBox, t("committee.decided", {
        what: Staff.decisionLabel({ kind: d.kind, round_number: d.round }), outcome: Staff.outcomeLabel(d.outcome),
        by: r.decided_by || "", at: r.decided_at ? App.formatDateTime(r.decided_at) : ""
      }), "success");
      resultBox.focus();
      followUp(stageBefore);
    });
  }

  // followUp re-reads the campaign after a decision until its stage moves (the workflow
  // records the stage a moment after the decision) or a few seconds have passed.
  function followUp(stageBefore) {
    var run = ++state.followUp;
    var i = 0;
    function next() {
      refresh().then(function (c) {
        if (run !== state.followUp || !c || c.stage !== stageBefore || i >= FOLLOW_UP_MS.length) { return; }
        setTimeout(next, FOLLOW_UP_MS[i++]);
      });
    }
    next();
  }

  // ------------------------------------------------------------------ rounds, history
  function renderRounds(c) {
    var box = $("#rounds");
    box.removeAttribute("aria-busy");
    box.textContent = "";
    if (!c.rounds.length) { Staff.noData(box); return; }
    box.appendChild(Staff.table({
      id: "rounds-table", caption: t("committee.rounds_title"), rowHeader: true,
      columns: [
        { label: t("committee.col_round"), cls: "nowrap", cell: function (r) { return t("committee.round_short", { n: r.number }); } },
        { label: t("committee.col_dates"), cell: function (r) { return t("committee.dates", { opens: App.formatDateTime(r.opens_at), closes: App.formatDateTime(r.closes_at) }); } },
        { label: t("committee.col_state"), cell: function (r) { return Staff.badge(roundStateLabel(c, r.state), "state-" + r.state); } },
        { label: t("committee.col_set"), cell: function (r) { return t("committee.set_detail", { size: r.question_set_size, status: t("qset." + r.question_set_status) }); } },
        { label: t("committee.col_submitted"), cls: "num", cell: function (r) { return Staff.num(r.submitted || 0); } },
        { label: t("committee.col_perfect"), cls: "num", cell: function (r) { return r.perfect_count === null || r.perfect_count === undefined ? "–" : Staff.num(r.perfect_count); } }
      ],
      rows: c.rounds
    }));
  }

  function renderDecisions(c) {
    var box = $("#decisions");
    box.textContent = "";
    if (!c.decisions.length) { box.appendChild(el("p", { "class": "muted", text: t("committee.no_decisions") })); return; }
    box.appendChild(Staff.table({
      id: "decisions-table", caption: t("committee.decisions_caption"), captionVisible: true,
      columns: [
        { label: t("committee.col_when"), cell: function (d) { return App.formatDateTime(d.decided_at); } },
        { label: t("committee.col_what"), cell: function (d) { return Staff.decisionLabel(d); } },
        { label: t("committee.col_outcome"), cell: function (d) { return Staff.badge(Staff.outcomeLabel(d.outcome), "outcome-" + d.outcome); } },
        { label: t("committee.col_who"), cls: "decided-by", cell: function (d) { return d.decided_by; } },
        { label: t("committee.col_comment"), cls: "comment", cell: function (d) { return d.comment || "–"; } }
      ],
      rows: c.decisions.slice().reverse()
    }));
  }

  function renderHistory(c) {
    var box = $("#history");
    box.textContent = "";
    if (!c.history.length) { box.appendChild(el("li", { "class": "muted", text: t("committee.no_history") })); return; }
    c.history.forEach(function (h, i) {
      var current = i === c.history.length - 1;
      var li = el("li", { "class": current ? "is-current" : "" }, [
        el("span", { "class": "timeline-stage", text: Staff.stageLabel(h.stage) }),
        current ? Staff.badge(t("committee.current_stage"), "open") : null,
        el("span", { "class": "timeline-time muted", text: App.formatDateTime(h.entered_at) })
      ]);
      if (current) { li.setAttribute("aria-current", "step"); }
      box.appendChild(li);
    });
  }

  function fillRoundSelect(select, c, withAll) {
    var keep = select.value;
    Array.prototype.slice.call(select.options).forEach(function (o) { if (o.value) { o.remove(); } });
    c.rounds.forEach(function (r) {
      select.appendChild(el("option", { value: String(r.number), text: withAll ? t("round.title", { n: r.number }) : t("committee.round_option", { n: r.number, state: roundStateLabel(c, r.state) }) }));
    });
    if (keep && select.querySelector('option[value="' + keep + '"]')) { select.value = keep; }
    if (!withAll && !state.rankingRound) {
      var pick = c.rounds.filter(function (r) { return Staff.waits(c, "weekly_results", r.number); })[0] ||
        c.rounds.filter(function (r) { return r.state !== "scheduled"; }).slice(-1)[0] || c.rounds[0];
      if (pick) { select.value = String(pick.number); }
    }
  }

  // ------------------------------------------------------------------ weekly ranking
  // prizeCell: a prize the API could only place provisionally (a tie across a prize
  // boundary, unresolved_tie) says so, in the weekly, video and collective tables alike.
  function prizeCell(r) {
    if (!r.prize && r.below_prize_minimum) { return t("committee.prize_below_minimum"); }
    return r.prize ? t(r.unresolved_tie ? "committee.prize_provisional" : "committee.prize_plain", { prize: Staff.prizeLabel(r.prize) }) : "–";
  }

  function centis(ms) {
    var cs = Math.floor((Number(ms) % 1000) / 10);
    return App.formatDuration(ms) + "," + (cs < 10 ? "0" : "") + cs;
  }

  function showRanking(n, focus) {
    state.rankingRound = n;
    $("#ranking-round").value = String(n);
    var box = $("#ranking");
    Staff.loading(box);
    if (focus) { $("#ranking-section").scrollIntoView({ block: "start" }); }
    App.api("GET", Staff.path("/rounds/" + n + "/ranking")).then(function (res) {
      if (state.rankingRound !== n) { return; } // a newer choice is loading
      box.removeAttribute("aria-busy");
      if (!res.ok || !res.data || !res.data.ranking) { Staff.noData(box, res); return; }
      var rk = res.data.ranking, rows = rk.rows || [], ties = res.data.unresolved_tie_rows || 0;
      box.textContent = "";
      box.appendChild(el("dl", { "class": "facts" }, [
        el("div", null, [el("dt", { text: t("committee.col_state") }), el("dd", { text: state.campaign ? roundStateLabel(state.campaign, rk.state) : rk.state })]),
        // Before the ranking exists there is no "participants in the ranking" to show (it
        // would read 0 while people have submitted): the live count of submissions instead.
        el("div", null, [el("dt", { text: t("committee.ranking_participants") }), el("dd", { id: "ranking-participants",
          text: rk.ranked ? Staff.num(rk.participants) : t("committee.not_ranked_submitted", { n: Staff.num(rk.submitted || 0) }) })]),
        el("div", null, [el("dt", { text: t("committee.col_submitted") }), el("dd", { id: "ranking-submitted", text: Staff.num(rk.submitted || 0) })]),
        el("div", null, [el("dt", { text: t("committee.col_perfect") }), el("dd", { text: rk.perfect_count === null || rk.perfect_count === undefined ? t("committee.not_ranked_yet") : Staff.num(rk.perfect_count) })])
      ]));
      $("#ranking-status").textContent = t("committee.ranking_loaded", { n: n, rows: rows.length }) + (ties > 0 ? " " + t("committee.tie_title", { n: ties }) : "");
      if (ties > 0) {
        box.appendChild(el("div", { "class": "message message-warning", id: "tie-warning", role: "note" }, [
          el("p", { "class": "tie-title", text: t("committee.tie_title", { n: ties }) }),
          el("p", { text: t("committee.tie_explain") })
        ]));
      }
      if (!rows.length) {
        box.appendChild(el("p", { "class": "muted", id: "ranking-empty", text: rk.state === "scheduled" || rk.state === "open" || rk.state === "closed" ? t("committee.ranking_not_yet") : t("committee.ranking_empty") }));
        return;
      }
      box.appendChild(Staff.table({
        id: "ranking-table", caption: t("committee.ranking_caption", { n: n }), captionVisible: true,
        rowClass: function (r) { return r.unresolved_tie ? "row-tie" : (r.prize ? "row-prize" : ""); },
        columns: [
          { label: t("committee.col_rank"), cls: "num", cell: function (r) {
            return Staff.frag([el("span", { "class": "rank", text: String(r.rank) }), r.unresolved_tie ? el("span", { "class": "tie-mark", text: t("committee.tie_mark") }) : null]);
          } },
          { label: t("committee.col_prize"), cls: "nowrap", cell: prizeCell },
          { label: t("committee.col_name"), cell: function (r) { return r.full_name; } },
          { label: t("committee.col_agency"), cell: function (r) { return r.agency_name || "–"; } },
          { label: t("committee.col_correct"), cls: "num", cell: function (r) { return Staff.num(r.correct_count); } },
          { label: t("committee.col_prediction"), cls: "num", cell: function (r) {
            return r.prediction === null || r.prediction === undefined ? t("committee.no_prediction") : t("committee.prediction", { value: Staff.num(r.prediction), distance: Staff.num(r.prediction_distance) });
          } },
          { label: t("committee.col_time"), cls: "num", cell: function (r) { return centis(r.time_used_ms); } }
        ],
        rows: rows
      }));
    });
  }

  // ------------------------------------------------------------------ participation
  var SORTS = {
    rate_desc: function (a, b) { return (b.rate || 0) - (a.rate || 0) || a.name.localeCompare(b.name, "vi"); },
    rate_asc: function (a, b) { return (a.rate || 0) - (b.rate || 0) || a.name.localeCompare(b.name, "vi"); },
    below_first: function (a, b) { return (a.meets === b.meets ? 0 : a.meets ? 1 : -1) || ((a.rate || 0) - (a.threshold || 0)) - ((b.rate || 0) - (b.threshold || 0)); },
    participants_desc: function (a, b) { return b.participants - a.participants || a.name.localeCompare(b.name, "vi"); },
    name: function (a, b) { return a.name.localeCompare(b.name, "vi"); }
  };

  function loadParticipation() {
    var box = $("#participation");
    Staff.loading(box);
    var round = $("#participation-round").value;
    Staff.fetchParticipation(round).then(function (p) {
      if (round !== $("#participation-round").value) { return; } // a newer choice is loading
      if (!p.ok) { state.participation = null; Staff.noData(box, p.res); return; }
      state.participation = p.rows;
      drawParticipation();
    });
  }

  function drawParticipation() {
    var box = $("#participation");
    if (!state.participation) { return; }
    var cat = $("#participation-category").value;
    var rows = state.participation.filter(function (r) { return !cat || r.category === cat; });
    rows.sort(SORTS[$("#participation-sort").value] || SORTS.rate_desc);
    box.textContent = "";
    box.removeAttribute("aria-busy");
    if (!rows.length) { Staff.noData(box); return; }
    var met = rows.filter(function (r) { return r.meets; }).length;
    var round = $("#participation-round").value;
    $("#participation-status").textContent = t("participation.summary", { met: met, total: rows.length }) + " " +
      (round ? t("participation.scope_round", { n: round }) : t("participation.scope_all"));
    box.appendChild(el("p", { id: "participation-summary", "class": "summary" }, [
      el("strong", { text: t("participation.summary", { met: met, total: rows.length }) }),
      document.createTextNode(" " + (round ? t("participation.scope_round", { n: round }) : t("participation.scope_all")))
    ]));
    var over = rows.filter(function (r) { return r.over; }).length;
    if (over > 0) {
      box.appendChild(el("p", { "class": "message message-warning", id: "participation-over", role: "note",
        text: t("participation.over_summary", { n: over }) }));
    }
    box.appendChild(Staff.chartLegend());
    var total = rows.length;
    if (!state.participationAll && total > PARTICIPATION_FIRST) { rows = rows.slice(0, PARTICIPATION_FIRST); }
    var chartBox = el("div", { "class": "chart", id: "participation-chart" });
    box.appendChild(chartBox);
    Staff.barChart(chartBox, rows.map(function (r) { return { label: r.name, value: r.rate, target: r.threshold, meets: r.meets }; }), {
      label: t("participation.chart_label", { n: rows.length })
    });
    box.appendChild(Staff.participationTable(rows, { id: "participation-table", caption: t("participation.table_caption") }));
    if (total > PARTICIPATION_FIRST) {
      var more = el("button", { type: "button", "class": "button button-secondary", id: "participation-more", "aria-controls": "participation",
        "aria-expanded": state.participationAll ? "true" : "false",
        text: state.participationAll ? t("participation.show_first", { n: PARTICIPATION_FIRST }) : t("participation.show_all", { n: total }) });
      more.addEventListener("click", function () {
        state.participationAll = !state.participationAll;
        drawParticipation();
        $("#participation-more").focus();
      });
      box.appendChild(el("p", { "class": "more-line" }, [
        el("span", { "class": "muted", text: t("participation.showing", { shown: rows.length, total: total }) + " " }), more
      ]));
    }
  }

  // ------------------------------------------------------------------ video and collective results
  // GET …/video-results: {jurors, clips, score_sheets, complete, closed, rows}.
  // loadJury reads the jury's completeness, then the results, which the API holds back
  // (409 results_not_open) until scoring is closed.
  function loadJury() {
    window.JuryProgress.load($("#jury-progress"));
    window.JuryComments.load($("#jury-comments"));
    loadVideo();
    loadCollective();
  }

  // resultsHeld says, when the API holds results back, that they show after the close; and
  // once shown, whether they are provisional. It returns true when there is nothing to draw.
  function resultsHeld(box, res, statusId) {
    if (res.status === 409 && res.error && res.error.code === "results_not_open") {
      box.textContent = "";
      box.removeAttribute("aria-busy");
      box.appendChild(el("p", { "class": "muted results-held", id: statusId, text: t("committee.results_held") }));
      return true;
    }
    if (!res.ok || !res.data) { return false; }
    box.textContent = "";
    box.removeAttribute("aria-busy");
    box.appendChild(el("p", { "class": "results-status", id: statusId }, [
      Staff.badge(res.data.status_label || "", res.data.provisional ? "upcoming" : "open")
    ]));
    return false;
  }

  function loadVideo() {
    var box = $("#video-results");
    App.api("GET", Staff.path("/video-results")).then(function (res) {
      if (resultsHeld(box, res, "video-status")) { return; }
      var rows = Staff.list(res, "rows");
      if (!rows) { Staff.noData(box, res); return; }
      var d = res.data;
      box.appendChild(el("dl", { "class": "facts" }, [
        el("div", null, [el("dt", { text: t("committee.video_clips") }), el("dd", { text: Staff.num(d.clips) })]),
        el("div", null, [el("dt", { text: t("committee.video_jurors") }), el("dd", { text: Staff.num(d.jurors) })]),
        el("div", null, [el("dt", { text: t("committee.video_sheets") }), el("dd", { text: Staff.num(d.score_sheets) })]),
        el("div", null, [el("dt", { text: t("committee.video_scoring") }), el("dd", { text: t(d.closed ? "committee.video_closed" : (d.complete ? "committee.video_complete" : "committee.video_open")) })])
      ]));
      if (!rows.length) { box.appendChild(el("p", { "class": "muted", text: t("staff.no_data") })); return; }
      box.appendChild(Staff.table({
        id: "video-table", caption: t("committee.video_title"),
        rowClass: function (r) { return r.unresolved_tie ? "row-tie" : (r.prize ? "row-prize" : ""); },
        columns: [
          { label: t("committee.col_rank"), cls: "num", cell: function (r) { return Staff.frag([String(r.rank), r.unresolved_tie ? el("span", { "class": "tie-mark", text: t("committee.tie_mark") }) : null]); } },
          { label: t("committee.col_prize"), cls: "nowrap", cell: prizeCell },
          { label: t("committee.col_agency"), cell: function (r) { return r.agency_name; } },
          { label: t("committee.col_title"), cell: function (r) { return r.title; } },
          { label: t("committee.col_score"), cls: "num", cell: function (r) { return Staff.num(r.score, 2); } },
          { label: t("committee.col_jurors"), cls: "num", cell: function (r) {
            return Staff.frag([el("span", { text: Staff.num(r.jurors) }), r.sheets_missing ? el("span", { "class": "cell-note", text: t("committee.sheets_missing", { n: r.sheets_missing }) }) : null]);
          } }
        ],
        rows: rows
      }));
    });
  }

  function reasonText(reason, row, top) {
    if (reason === "zero_score_in_week") {
      return t("collective.reason.zero_score_in_week", { weeks: (row.zero_score_weeks || []).join(", ") || "?" });
    }
    return t("collective.reason." + reason, { n: top });
  }

  // GET …/collective-results: {top_by_video, rows}; every agency, eligible or with its reasons.
  function loadCollective() {
    var box = $("#collective-results");
    App.api("GET", Staff.path("/collective-results")).then(function (res) {
      if (resultsHeld(box, res, "collective-status")) { return; }
      var rows = Staff.list(res, "rows");
      if (!rows) { Staff.noData(box, res); return; }
      var top = res.data.top_by_video;
      var eligible = rows.filter(function (r) { return r.eligible; }).sort(function (a, b) { return (a.rank || 1e9) - (b.rank || 1e9); });
      var ineligible = rows.filter(function (r) { return !r.eligible; });
      box.appendChild(el("h3", { text: t("committee.collective_eligible", { n: eligible.length }) }));
      if (!eligible.length) {
        box.appendChild(el("p", { "class": "muted", text: t("committee.collective_none") }));
      } else {
        box.appendChild(Staff.table({
          id: "collective-table", caption: t("committee.collective_eligible", { n: eligible.length }),
          rowClass: function (r) { return r.unresolved_tie ? "row-tie" : (r.prize ? "row-prize" : ""); },
          columns: [
            { label: t("committee.col_rank"), cls: "num", cell: function (r) { return Staff.frag([String(r.rank || "–"), r.unresolved_tie ? el("span", { "class": "tie-mark", text: t("committee.tie_mark") }) : null]); } },
            { label: t("committee.col_prize"), cell: function (r) {
              if (!r.prize) { return "–"; }
              return Staff.frag([el("span", { text: prizeCell(r) }), r.certificate_of_merit ? el("span", { "class": "cell-note merit", text: t("collective.certificate") }) : null]);
            } },
            { label: t("committee.col_agency"), cell: function (r) { return r.agency_name; } },
            { label: t("participation.col_rate"), cls: "num", cell: function (r) { return Staff.percent(r.participation_rate); } },
            { label: t("committee.col_mean_best"), cls: "num", cell: function (r) { return Staff.num(r.mean_best_score, 2); } },
            { label: t("committee.col_video_score"), cls: "num", cell: function (r) { return r.video_score === null || r.video_score === undefined ? "–" : Staff.num(r.video_score, 2); } }
          ],
          rows: eligible
        }));
      }
      box.appendChild(el("h3", { text: t("committee.collective_ineligible", { n: ineligible.length }) }));
      if (ineligible.length) {
        box.appendChild(Staff.table({
          id: "ineligible-table", caption: t("committee.collective_ineligible", { n: ineligible.length }),
          columns: [
            { label: t("committee.col_agency"), cell: function (r) { return r.agency_name; } },
            { label: t("committee.col_reasons"), cell: function (r) {
              return el("ul", { "class": "reasons" }, (r.reasons || []).map(function (x) { return el("li", { text: reasonText(x, r, top) }); }));
            } }
          ],
          rows: ineligible
        }));
      }
    });
  }

  // ------------------------------------------------------------------ rehearsal
  function bindRehearsal() {
    var form = $("#rehearsal-form"), errorBox = $("#rehearsal-error"), result = $("#rehearsal-result"), submit = $("#rehearsal-submit");
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      App.showMessage(errorBox, "");
      App.showMessage(result, "");
      var week = Number($("#rehearsal-week").value), limitRaw = $("#rehearsal-limit").value.trim(), limit = Number(limitRaw);
      if (!Number.isInteger(week) || week < 60 || week > 86400) {
        App.showMessage(errorBox, t("committee.rehearsal_week_invalid"), "error");
        $("#rehearsal-week").focus();
        return;
      }
      if (limitRaw && (!Number.isInteger(limit) || limit < 10 || limit > 3600)) {
        App.showMessage(errorBox, t("committee.rehearsal_limit_invalid"), "error");
        $("#rehearsal-limit").focus();
        return;
      }
      var body = { week_seconds: week, auto_approve: $("#rehearsal-auto").checked };
      if (limitRaw) { body.time_limit_seconds = limit; }
      submit.disabled = true;
      submit.textContent = t("committee.rehearsal_submitting");
      App.api("POST", Staff.path("/rehearsals"), body).then(function (res) {
        submit.disabled = false;
        submit.textContent = t("committee.rehearsal_submit");
        if (!res.ok || !res.data || !res.data.code) {
          App.showMessage(errorBox, res.error ? res.error.message : t("common.unexpected"), "error");
          return;
        }
        var newCode = res.data.code;
        result.textContent = "";
        result.appendChild(el("p", { text: t("committee.rehearsal_created", { code: newCode }) }));
        result.appendChild(el("p", null, [el("a", { id: "rehearsal-link", href: "/ban-to-chuc?campaign=" + encodeURIComponent(newCode), text: t("committee.rehearsal_open") })]));
        result.className = "message message-success";
        result.hidden = false;
      });
    });
  }

  // ------------------------------------------------------------------ start
  Staff.start({ roles: ["committee", "admin"], audience: "committee.audience" }).then(function (me) {
    if (!me) { return; }
    refresh().then(function (c) {
      if (c) {
        showRanking(Number($("#ranking-round").value) || 1, false);
      } else {
        Staff.noData($("#ranking"));
      }
      loadParticipation();
    });
    loadJury();
    Staff.reportList($("#reports"), REPORT_KINDS);
    bindRehearsal();
    $("#refresh").addEventListener("click", function () {
      state.signature = "";
      App.showMessage($("#decision-result"), "");
      App.showMessage($("#decision-error"), "");
      refresh();
    });
    $("#ranking-form").addEventListener("submit", function (e) {
      e.preventDefault();
      showRanking(Number($("#ranking-round").value) || 1, false);
    });
    $("#participation-round").addEventListener("change", loadParticipation);
    $("#participation-category").addEventListener("change", drawParticipation);
    $("#participation-sort").addEventListener("change", drawParticipation);
    $("#participation-form").addEventListener("submit", function (e) { e.preventDefault(); });
  });
})();

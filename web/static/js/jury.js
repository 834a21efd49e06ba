// The jury's page (/giam-khao): the score sheet (criteria with their maximum points and
// weights, campaign data), and every clip with a score form bounded by those maxima that
// shows the weighted total as the juror types. A juror scores a clip once: after sending
// (or when the API answers 409 already_scored) the form is read-only. Each clip with a stored
// file plays in the page (<video>, fetched with range requests under the session cookie).
// Points are typed the Vietnamese way, with a decimal comma ("0,5" is half a point): the
// input is text, not type=number, whose reading of a comma depends on the browser's locale.
(function () {
  "use strict";
  var App = window.App, Staff = window.Staff, t = App.t, $ = App.$, el = App.el;
  var state = { criteria: null, maxTotal: 0, clips: [], closers: [] };

  function weightedTotal(points) {
    return state.criteria.reduce(function (sum, c) { return sum + (points[c.code] || 0) * c.weight; }, 0);
  }

  // parseScore mirrors rules.ParseScore (the API decides; this is for the live total and the
  // messages): digits with one decimal comma, or a dot not followed by exactly three digits
  // ("1.500" may mean 1500). It answers a number, NaN for not a number, or "ambiguous".
  function parseScore(raw) {
    var s = String(raw).trim();
    var seps = (s.match(/[.,]/g) || []).length;
    if (seps > 1) { return "ambiguous"; }
    var m = /^([0-9]+)(?:([.,])([0-9]+))?$/.exec(s);
    if (!m) { return NaN; }
    if (m[2] === "." && m[3].length === 3 && /[1-9]/.test(m[1])) { return "ambiguous"; }
    return Number(m[1] + (m[2] ? "." + m[3] : ""));
  }

  function clipPlayer(v) {
    if (!v.has_file) { return el("p", { "class": "muted clip-no-file", text: t("jury.no_file") }); }
    var src = "/api/v1" + Staff.path("/videos/" + v.id + "/file");
    var video = el("video", { id: "clip-video-" + v.id, "class": "clip-video", controls: "", preload: "metadata", playsinline: "", src: src,
      "aria-label": t("jury.video_label", { title: v.title }) });
    var fallback = el("p", { "class": "hint" }, [el("a", { href: src + "?download=1", text: t("jury.video_download") })]);
    return el("div", { "class": "clip-player" }, [video, fallback]);
  }

  function loadStage() {
    Staff.loadCampaign().then(function (res) {
      var box = $("#jury-stage");
      if (!res.ok || !res.data) { return; }
      var c = res.data;
      box.appendChild(el("p", null, [el("span", { text: t("staff.stage") + ": " }), el("strong", { id: "stage-label", text: c.stage_label || Staff.stageLabel(c.stage) })]));
      if (c.stage !== "jury_scoring") { box.appendChild(el("p", { "class": "hint", text: t("jury.not_scoring_stage") })); }
    });
  }

  function renderCriteria(list) {
    var box = $("#criteria");
    box.textContent = "";
    box.removeAttribute("aria-busy");
    state.maxTotal = list.reduce(function (s, c) { return s + c.max_points * c.weight; }, 0);
    box.appendChild(el("h3", { text: t("jury.criteria_title") }));
    box.appendChild(el("ul", { "class": "criteria-list" }, list.map(function (c) {
      return el("li", null, [el("strong", { text: c.name }), el("span", { "class": "muted", text: " · " + t("jury.criterion_limits", { max: Staff.num(c.max_points, 2), weight: Staff.num(c.weight, 2) }) })]);
    })));
    box.appendChild(el("p", { "class": "summary", text: t("jury.max_total", { max: Staff.num(state.maxTotal, 2) }) }));
  }

  function clipMeta(v) {
    return [v.agency_name, t("video.format." + v.format), t("jury.duration", { d: Staff.mmss(v.duration_seconds) }),
      t("jury.received", { d: Staff.date(v.received_at) })].join(" · ");
  }

  function scoredNote(total) {
    return el("p", { "class": "message message-success scored-note", role: "status" }, [
      el("strong", { text: t("jury.scored") }), document.createTextNode(" " + t("jury.scored_total", { total: Staff.num(total, 2), max: Staff.num(state.maxTotal, 2) }))
    ]);
  }

  function clipCard(v) {
    var headingId = "clip-title-" + v.id;
    var card = el("article", { "class": "card clip", id: "clip-" + v.id, "aria-labelledby": headingId }, [
      el("h3", { id: headingId, text: v.title }),
      el("p", { "class": "muted clip-meta", text: clipMeta(v) }),
      clipPlayer(v)
    ]);
    if (v.my_score !== null && v.my_score !== undefined) {
      card.classList.add("is-scored");
      card.appendChild(scoredNote(Number(v.my_score)));
      return card;
    }
    if (!state.criteria) {
      card.appendChild(el("p", { "class": "muted", text: t("jury.no_sheet") }));
      return card;
    }
    card.appendChild(scoreForm(v, card));
    return card;
  }

  function scoreForm(v, card) {
    var inputs = {};
    var totalId = "total-" + v.id;
    var total = el("output", { id: totalId, "class": "score-total", "aria-live": "polite" });
    var errorBox = el("div", { "class": "message message-error", role: "alert", hidden: "" });
    var submit = el("button", { type: "submit", "class": "button button-primary", id: "score-submit-" + v.id, text: t("jury.submit") });
    var fields = state.criteria.map(function (c) {
      var id = "score-" + v.id + "-" + c.code, hint = id + "-hint";
      var input = el("input", { id: id, type: "text", inputmode: "decimal", autocomplete: "off", min: "0", max: String(c.max_points), required: "", "aria-describedby": hint, "data-code": c.code });
      inputs[c.code] = input;
      return el("div", { "class": "field score-field" }, [
        el("label", { "for": id, text: c.name }), input,
        el("p", { "class": "hint", id: hint, text: t("jury.criterion_limits", { max: Staff.num(c.max_points, 2), weight: Staff.num(c.weight, 2) }) })
      ]);
    });
    var commentId = "score-comment-" + v.id;
    var comment = el("textarea", { id: commentId, "class": "score-comment", rows: "3", maxlength: "2000", "aria-describedby": commentId + "-hint" });
    var commentField = el("div", { "class": "field" }, [
      el("label", { "for": commentId, text: t("jury.comment_label") }), comment,
      el("p", { "class": "hint", id: commentId + "-hint", text: t("jury.comment_hint") })
    ]);
    var form = el("form", { "class": "form score-form", novalidate: "", "aria-label": t("jury.sheet_for", { title: v.title }) }, [
      el("fieldset", { "class": "field score-fields" }, [el("legend", { text: t("jury.sheet") })].concat(fields)),
      commentField,
      el("p", { "class": "score-total-line" }, [el("label", { "for": totalId, text: t("jury.total_label") }), document.createTextNode(" "), total]),
      el("p", { "class": "hint final-hint", text: t("jury.final_hint") }),
      errorBox, submit
    ]);

    function read() {
      var points = {}, typed = {}, bad = null;
      state.criteria.forEach(function (c) {
        var input = inputs[c.code], raw = input.value.trim(), n = parseScore(raw);
        var ok = raw !== "" && typeof n === "number" && !isNaN(n) && n <= Number(c.max_points);
        input.setAttribute("aria-invalid", ok || raw === "" ? "false" : "true");
        if (ok) { points[c.code] = n; typed[c.code] = raw; } else if (!bad) { bad = { input: input, c: c, empty: raw === "", ambiguous: n === "ambiguous", raw: raw }; }
      });
      return { points: points, typed: typed, bad: bad };
    }
    function showTotal() {
      var r = read();
      total.textContent = t("jury.total_value", { total: Staff.num(weightedTotal(r.points), 2), max: Staff.num(state.maxTotal, 2) });
    }
    // lock makes the sheet read-only: sent (with the total the API computed), sent before
    // from elsewhere (409 already_scored: see showStoredSheet), or never (scoring has ended).
    function lock(scored, serverTotal) {
      Object.keys(inputs).forEach(function (k) { inputs[k].disabled = true; inputs[k].setAttribute("aria-invalid", "false"); });
      comment.disabled = true;
      submit.hidden = true;
      form.querySelector(".final-hint").hidden = true;
      if (scored) { card.classList.add("is-scored"); }
      if (serverTotal !== undefined) { card.appendChild(scoredNote(serverTotal)); }
    }
    // showStoredSheet replaces what was typed here by the sheet the API holds for this clip
    // (sent from another tab or device): its points and its total.
    function showStoredSheet() {
      App.api("GET", Staff.path("/jury/scores")).then(function (res) {
        var sheet = (Staff.list(res) || []).filter(function (x) { return x.entry_id === v.id; })[0];
        if (!sheet) { return; }
        Object.keys(inputs).forEach(function (k) { inputs[k].value = sheet.points[k] === undefined ? "" : Staff.num(sheet.points[k], 2); });
        comment.value = sheet.comment || "";
        showTotal();
        card.appendChild(scoredNote(sheet.total));
      });
    }
    state.closers.push(function () { if (!submit.hidden) { lock(false); } });
    form.addEventListener("input", showTotal);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      App.showMessage(errorBox, "");
      var r = read();
      if (r.bad) {
        var key = r.bad.empty ? "jury.point_required" : (r.bad.ambiguous ? "jury.point_ambiguous" : "jury.point_invalid");
        App.showMessage(errorBox, t(key, { name: r.bad.c.name, max: Staff.num(r.bad.c.max_points, 2), value: r.bad.raw }), "error");
        r.bad.input.focus();
        return;
      }
      submit.disabled = true;
      submit.textContent = t("jury.sending");
      App.api("POST", Staff.path("/videos/" + v.id + "/scores"), { points: r.typed, comment: comment.value.trim() }).then(function (res) {
        submit.disabled = false;
        submit.textContent = t("jury.submit");
        if (res.ok) { // 201 {entry_id, total}
          lock(true, res.data.total);
          updateProgress(v.id);
          return;
        }
        App.showMessage(errorBox, res.error.message, "error");
        if (res.error.code === "already_scored") {
          lock(true);
          updateProgress(v.id);
          showStoredSheet();
        } else if (res.error.code === "jury_closed") {
          state.closers.forEach(function (close) { close(); }); // no sheet can be sent any more
        }
      });
    });
    showTotal();
    return form;
  }

  function updateProgress(scoredId) {
    state.clips.forEach(function (c) { if (c.id === scoredId && (c.my_score === null || c.my_score === undefined)) { c.my_score = 0; } });
    var done = state.clips.filter(function (c) { return c.my_score !== null && c.my_score !== undefined; }).length;
    $("#clips-progress").textContent = t("jury.progress", { done: done, total: state.clips.length });
    if (scoredId !== null) { loadCompleteness(); } // the whole jury's count moved too
  }

  // loadCompleteness shows the whole jury's progress: the summary and each juror above, and
  // on each clip's card how many sheets it has and who has not scored it.
  function loadCompleteness() {
    window.JuryProgress.load($("#jury-progress"), { clips: false }).then(function (d) {
      if (!d) { return; }
      d.clips.forEach(function (c) {
        var card = document.getElementById("clip-" + c.entry_id);
        if (!card) { return; }
        var line = document.getElementById("clip-sheets-" + c.entry_id);
        if (!line) {
          line = el("p", { "class": "muted clip-sheets", id: "clip-sheets-" + c.entry_id });
          card.insertBefore(line, card.children[2] || null);
        }
        line.textContent = window.JuryProgress.clipLine(c);
        line.classList.toggle("is-incomplete", c.received < c.expected);
      });
    });
  }

  Staff.start({ roles: ["jury"], audience: "jury.audience" }).then(function (me) {
    if (!me) { return; }
    loadStage();
    Promise.all([App.api("GET", Staff.path("/jury/criteria")), App.api("GET", Staff.path("/videos"))]).then(function (answers) {
      var crit = answers[0], vids = answers[1];
      var list = Staff.list(crit); // [{code, name, max_points, weight}]
      if (list && list.length) { state.criteria = list; renderCriteria(list); } else { Staff.noData($("#criteria"), crit, "jury.no_sheet"); }
      var clips = Staff.list(vids); // with my_score once this juror has scored a clip
      var box = $("#clips");
      if (!clips) { Staff.noData(box, vids); return; }
      box.textContent = "";
      box.removeAttribute("aria-busy");
      state.clips = clips;
      if (!clips.length) { box.appendChild(el("p", { "class": "card muted", id: "clips-empty", text: t("jury.no_clips") })); return; }
      clips.forEach(function (v) { box.appendChild(clipCard(v)); });
      updateProgress(null);
    }).then(loadCompleteness); // after the cards, which it annotates
  });
})();

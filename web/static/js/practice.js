// Practice (thi thử): the practice round of the contest, from its own bank. Unlimited
// attempts, one open at a time, the exam timer; never ranked nor counted. The score and
// the review show right after submitting: practising is the point. This page keeps its
// own attempt id, so the contest's quiz and result pages never pick a practice attempt.
(function () {
  "use strict";
  var App = window.App, t = App.t, $ = App.$, el = App.el;
  var STORE_KEY = "contest.practice_attempt";
  var st = { round: null, id: null, deadline: 0, tick: null, answers: {}, total: 0, ended: false };

  function gate(text, kind) {
    $("#practice-loading").hidden = true;
    $("#practice-quiz").hidden = true;
    $("#practice-done").hidden = true;
    App.showMessage($("#practice-message"), text, kind || "error");
  }

  function needLogin() {
    gate(t("practice.need_login"), "info");
    $("#practice-login").hidden = false;
  }

  function showStart() {
    $("#practice-loading").hidden = true;
    $("#practice-quiz").hidden = true;
    $("#practice-done").hidden = true;
    $("#practice-message").hidden = true;
    $("#practice-info").textContent = t("practice.info", { questions: st.round.question_count,
      time: App.formatLimit(st.round.time_limit_seconds), bank: st.round.bank_size });
    $("#practice-start").hidden = false;
  }

  function start() {
    var button = $("#practice-start-button");
    button.disabled = true;
    App.api("POST", "/rounds/" + st.round.round_id + "/attempts").then(function (res) {
      button.disabled = false;
      if (res.status === 401) { needLogin(); return; }
      if (!res.ok) {
        // An open attempt of the contest itself takes precedence: one open attempt at a time.
        gate(res.error.code === "attempt_in_progress" ? t("practice.other_in_progress") : res.error.message);
        return;
      }
      App.save(STORE_KEY, res.data.attempt_id);
      render({ id: res.data.attempt_id, deadline: res.data.deadline, questions: res.data.questions, answers: {} });
    });
  }

  function questionNode(q) {
    var options = el("div", { "class": "options" });
    q.options.forEach(function (o) {
      var id = "p" + q.no + "-" + o.key;
      options.appendChild(el("label", { "class": "option", "for": id }, [
        el("input", { type: "radio", name: "p" + q.no, id: id, value: o.key, "data-no": String(q.no) }),
        el("span", { "class": "option-key", text: o.key }),
        el("span", { "class": "option-text", text: o.text })
      ]));
    });
    return el("li", null, [el("fieldset", { "class": "question", id: "p" + q.no, "aria-describedby": "p" + q.no + "-state" }, [
      el("legend", null, [el("span", { "class": "qno", text: t("quiz.question_no", { n: q.no }) }), el("span", { "class": "question-text", text: q.text })]),
      options,
      el("p", { "class": "save-state", id: "p" + q.no + "-state", "aria-live": "polite" })
    ])]);
  }

  function render(a) {
    st.id = a.id;
    st.deadline = Date.parse(a.deadline);
    st.total = a.questions.length;
    st.answers = a.answers || {};
    st.ended = false;
    var list = $("#practice-questions");
    list.textContent = "";
    a.questions.forEach(function (q) {
      list.appendChild(questionNode(q));
      var saved = st.answers[String(q.no)];
      if (saved) { $("#p" + q.no + "-" + saved).checked = true; }
    });
    $("#practice-gate").hidden = true;
    $("#practice-done").hidden = true;
    $("#practice-quiz").hidden = false;
    $("#practice-submit").disabled = false;
    progress();
    clearInterval(st.tick);
    st.tick = setInterval(tick, 250);
    tick();
    $("#practice-heading").focus({ preventScroll: true });
  }

  function progress() {
    $("#practice-progress").textContent = t("quiz.progress", { done: Object.keys(st.answers).length, total: st.total });
  }

  function tick() {
    var left = st.deadline - App.serverNow();
    $("#practice-timer").textContent = App.formatClock(left);
    if (left <= 0 && !st.ended) { finish(); }
  }

  function answer(no, key) {
    var state = $("#p" + no + "-state");
    state.textContent = t("quiz.state.saving");
    App.api("PUT", "/attempts/" + st.id + "/answers/" + no, { choice: key }).then(function (res) {
      if (res.ok) {
        st.answers[String(no)] = key;
        state.textContent = t("quiz.state.saved");
        progress();
        return;
      }
      state.textContent = res.error && res.error.code === "attempt_closed" ? t("quiz.state.closed") : t("quiz.state.failed");
      if (res.error && res.error.code === "attempt_closed") { finish(); }
    });
  }

  // finish submits (a second submit, or one after the timer's, answers the same result),
  // then reads the attempt for its review.
  function finish() {
    st.ended = true;
    clearInterval(st.tick);
    $("#practice-submit").disabled = true;
    App.api("POST", "/attempts/" + st.id + "/submit").then(function (res) {
      if (!res.ok) {
        st.ended = false;
        $("#practice-submit").disabled = false;
        App.showMessage($("#practice-submit-error"), res.error.message, "error");
        return;
      }
      loadDone(st.id);
    });
  }

  function answerLine(cls, label, key, text) {
    return el("p", { "class": "review-answer " + cls }, [
      el("span", { "class": "review-label", text: label + ": " }),
      el("strong", { text: key + ". " }), document.createTextNode(text)
    ]);
  }

  function loadDone(id) {
    App.api("GET", "/attempts/" + id).then(function (res) {
      if (!res.ok || !res.data) { gate(res.error ? res.error.message : t("common.unexpected")); return; }
      var a = res.data;
      if (a.status === "in_progress") { render(a); return; }
      App.save(STORE_KEY, null);
      $("#practice-gate").hidden = true;
      $("#practice-quiz").hidden = true;
      var r = a.result || {};
      $("#practice-score").textContent = t("practice.score", { correct: r.correct_count, total: r.question_count });
      var list = $("#practice-review");
      list.textContent = "";
      (a.review || []).forEach(function (q) {
        var verdict = el("span", { "class": "badge " + (q.is_correct ? "badge-open" : "badge-closed"), text: t(q.is_correct ? "result.review_correct" : "result.review_wrong") });
        list.appendChild(el("li", { id: "practice-review-" + q.no }, [
          el("p", { "class": "question-text" }, [el("strong", { text: t("quiz.question_no", { n: q.no }) + ". " }), document.createTextNode(q.question || ""), document.createTextNode(" "), verdict]),
          q.choice ? answerLine("review-chosen", t("result.review_chosen"), q.choice, q.choice_text || "") :
            el("p", { "class": "review-answer review-chosen muted", text: t("result.review_unanswered") }),
          answerLine("review-correct", t("result.review_answer"), q.correct_key, q.correct_text || ""),
          q.source ? el("p", { "class": "muted review-source", text: t("result.review_source") + ": " + q.source }) : null
        ]));
      });
      $("#practice-done").hidden = false;
      $("#practice-done").focus();
    });
  }

  function init() {
    $("#practice-start-button").addEventListener("click", start);
    $("#practice-submit").addEventListener("click", finish);
    $("#practice-again").addEventListener("click", function () {
      $("#practice-gate").hidden = false;
      showStart();
    });
    $("#practice-questions").addEventListener("change", function (e) {
      var input = e.target;
      if (input && input.getAttribute("data-no") && !st.ended) { answer(Number(input.getAttribute("data-no")), input.value); }
    });
    App.api("GET", "/practice", undefined, { auth: false }).then(function (res) {
      if (!res.ok || !res.data) { gate(res.error ? res.error.message : t("common.unexpected")); return; }
      st.round = res.data;
      App.profile().then(function (s) {
        App.renderHeader();
        if (!s) { needLogin(); return; }
        var open = App.load(STORE_KEY);
        if (open) { resume(open); return; }
        findOpen();
      });
    });
  }

  function resume(id) {
    App.api("GET", "/attempts/" + id).then(function (res) {
      if (res.ok && res.data && res.data.practice && res.data.status === "in_progress") { render(res.data); return; }
      App.save(STORE_KEY, null);
      findOpen();
    });
  }

  // A practice attempt left open on another device is resumed here.
  function findOpen() {
    App.api("GET", "/me/attempts").then(function (res) {
      var list = res.ok && res.data ? res.data.attempts : [];
      var open = list.filter(function (a) { return a.practice && a.status === "in_progress"; })[0];
      if (open) { resume(open.id); return; }
      showStart();
    });
  }

  init();
})();

// The quiz: start or resume an attempt, save each answer the moment it is picked (queued and
// retried while the network is away), count down on the SERVER clock, and show the result
// when the participant submits or the time runs out.
(function () {
  "use strict";
  var App = window.App, t = App.t, $ = App.$, el = App.el;

  var THRESHOLDS = [300, 60, 30, 10, 0]; // seconds left at which screen readers hear the time
  var POLL_DELAYS = [500, 1000, 1000, 2000, 2000, 3000, 5000]; // waiting for the result
  var SUBMIT_FALLBACK_MS = 15000; // still open this long after the deadline: ask the server to close it
  var RESYNC_MS = 60000; // re-read the attempt (server clock, closed elsewhere) this often
  var MAX_RETRY_MS = 30000;

  var ui = {
    gate: $("#gate"), gateLoading: $("#gate-loading"), gateMessage: $("#gate-message"), gateLogin: $("#gate-login"),
    startPanel: $("#start-panel"), startButton: $("#start-button"),
    quiz: $("#quiz"), bar: $("#quiz-bar"), timer: $("#timer"), warning: $("#timer-warning"), live: $("#timer-live"),
    extended: $("#timer-extended"),
    progress: $("#progress"), offline: $("#offline-banner"), questions: $("#questions"), form: $("#quiz-form"),
    prediction: $("#prediction"), predictionQuestion: $("#prediction-question"),
    submit: $("#submit-button"), submitError: $("#submit-error"),
    done: $("#done"), doneMessage: $("#done-message"), doneResult: $("#done-result"),
    dialog: $("#confirm"), heading: $("#quiz-heading")
  };

  var st = {
    id: null, deadline: 0, total: 0, keys: {}, // key "1".."n" or "prediction" → {desired, saved, inFlight, status, failedValue}
    ended: false, announced: {}, tick: null, resync: null, retry: null, retryDelay: 1000, submitting: false,
    confirming: false
  };

  // ---------------------------------------------------------------- gate (before the quiz)
  function gate(message, opts) {
    opts = opts || {};
    ui.gateLoading.hidden = true;
    App.showMessage(ui.gateMessage, message || "", opts.kind || "info");
    ui.gateLogin.hidden = !opts.login;
    ui.startPanel.hidden = !opts.start;
  }

  function needLogin(message) {
    App.renderHeader();
    ui.quiz.hidden = true;
    gate(message, { login: true, kind: "info" });
  }

  function init() {
    App.profile().then(function (s) {
      if (!s) { needLogin(t("quiz.need_login")); return; }
      App.renderHeader();
      var stored = App.storedAttempt();
      if (stored) { resume(stored); } else { findMine(loadStart); }
    });
  }

  // This browser remembers no attempt (another device, cleared storage): ask the server for
  // the participant's own, resume the one in progress or show the latest result.
  function findMine(onNone) {
    App.api("GET", "/me/attempts").then(function (res) {
      // Practice attempts (thi thử) belong to their own page, never to the contest's.
      var list = (res.ok && res.data ? res.data.attempts : []).filter(function (a) { return !a.practice; });
      if (res.status === 401) { needLogin(t("common.session_expired")); return; }
      var open = list.filter(function (a) { return a.status === "in_progress"; })[0];
      var pick = open || list[0];
      if (!pick) { onNone(); return; }
      App.rememberAttempt(pick.id);
      resume(pick.id);
    });
  }

  function resume(id) {
    App.api("GET", "/attempts/" + id).then(function (res) {
      if (res.ok && res.data) {
        if (res.data.status === "in_progress") { renderQuiz(res.data); } else { finishedAttempt(res.data); }
        return;
      }
      if (res.status === 401) { needLogin(t("common.session_expired")); return; }
      if (res.status === 404 || res.status === 403) { App.rememberAttempt(null); loadStart(); return; }
      gate(res.error.message, { kind: "error" });
    });
  }

  // A closed attempt of the current round shows its result; one of an earlier round does
  // not stop the participant from starting the new round.
  function finishedAttempt(a) {
    App.api("GET", "/rounds/current", undefined, { auth: false }).then(function (res) {
      if (res.ok && res.data && res.data.id !== a.round_id && res.data.status === "open") {
        showStart(res.data);
        return;
      }
      ui.gate.hidden = true;
      showResult(a.result);
    });
  }

  function loadStart() {
    App.api("GET", "/rounds/current", undefined, { auth: false }).then(function (res) {
      if (!res.ok || !res.data) {
        gate(res.status === 404 ? t("round.none") : res.error.message, { kind: "error" });
        return;
      }
      var r = res.data;
      if (r.status === "upcoming") { gate(t("quiz.round_upcoming", { n: r.number, opens: App.formatDateTime(r.opens_at) })); return; }
      if (r.status === "closed") { gate(t("quiz.round_closed", { n: r.number, closes: App.formatDateTime(r.closes_at) })); return; }
      showStart(r);
    });
  }

  function showStart(r) {
    var name = $("#start-round");
    name.textContent = "";
    name.appendChild(App.roundView(r));
    $("#start-info").textContent = t("quiz.start_info", { questions: r.question_count, time: App.formatLimit(r.time_limit_seconds) });
    // The number of attempts is campaign data; say it before the one click that uses one.
    var attempts = $("#start-attempts"), n = r.attempts_per_round;
    attempts.textContent = n > 1 ? t("quiz.start_attempts_many", { n: n }) : (n === 1 ? t("quiz.start_attempts_one") : "");
    attempts.hidden = !attempts.textContent;
    gate("", { start: true });
    ui.startButton.onclick = function () { start(r.id); };
  }

  function start(roundID) {
    ui.startButton.disabled = true;
    ui.startButton.textContent = t("quiz.starting");
    App.api("POST", "/rounds/" + roundID + "/attempts").then(function (res) {
      ui.startButton.disabled = false;
      ui.startButton.textContent = t("quiz.start");
      if (res.ok && res.data) {
        var d = res.data;
        App.rememberAttempt(d.attempt_id);
        renderQuiz({ id: d.attempt_id, status: "in_progress", deadline: d.deadline, server_time: d.server_time,
          questions: d.questions, prediction_question: d.prediction_question, answers: {}, prediction: null });
        return;
      }
      if (res.status === 401) { needLogin(t("common.session_expired")); return; }
      if (res.status === 409 && res.error.code === "attempt_in_progress") {
        var stored = App.storedAttempt();
        if (stored) { resume(stored); return; }
        findMine(function () { gate(t("quiz.already_in_progress"), { kind: "error" }); });
        return;
      }
      gate(res.error.message, { kind: "error" });
    });
  }

  // ---------------------------------------------------------------- rendering
  function questionNode(q) {
    var no = q.no;
    var options = el("div", { "class": "options" });
    q.options.forEach(function (o) {
      var id = "q" + no + "-" + o.key;
      options.appendChild(el("label", { "class": "option", "for": id }, [
        el("input", { type: "radio", name: "q" + no, id: id, value: o.key, "data-key": String(no) }),
        el("span", { "class": "option-key", text: o.key }),
        el("span", { "class": "option-text", text: o.text })
      ]));
    });
    var fs = el("fieldset", { "class": "question", id: "q" + no, "data-no": String(no), "aria-describedby": "q" + no + "-state" }, [
      el("legend", null, [el("span", { "class": "qno", text: t("quiz.question_no", { n: no }) }), el("span", { "class": "question-text", text: q.text })]),
      options,
      el("p", { "class": "save-state", id: "q" + no + "-state", "aria-live": "polite" })
    ]);
    return el("li", null, [fs]);
  }

  function pendingKey() { return "contest.pending." + st.id; }

  function renderQuiz(a) {
    st.id = a.id;
    st.deadline = Date.parse(a.deadline);
    st.total = a.questions.length;
    st.keys = {};
    st.ended = false;
    ui.questions.textContent = "";
    a.questions.forEach(function (q) {
      ui.questions.appendChild(questionNode(q));
      var saved = (a.answers && a.answers[String(q.no)]) || null;
      st.keys[String(q.no)] = { desired: saved, saved: saved, inFlight: false, status: "" };
    });
    ui.predictionQuestion.textContent = a.prediction_question;
    var pred = a.prediction === null || a.prediction === undefined ? null : a.prediction;
    st.keys.prediction = { desired: pred, saved: pred, inFlight: false, status: "" };

    // Answers picked on this device that the server has not got yet (saved before a reload
    // while offline) are sent again.
    var pending = App.load(pendingKey()) || {};
    Object.keys(pending).forEach(function (k) {
      if (st.keys[k] && pending[k] !== null && pending[k] !== st.keys[k].saved) { st.keys[k].desired = pending[k]; }
    });

    Object.keys(st.keys).forEach(function (k) {
      var s = st.keys[k];
      showValue(k, s.desired);
      setStatus(k, s.desired === null ? "" : (s.desired === s.saved ? "saved" : "failed"));
    });

    ui.gate.hidden = true;
    ui.done.hidden = true;
    ui.quiz.hidden = false;
    ui.form.querySelectorAll("input, button").forEach(function (n) { n.disabled = false; });
    ui.submit.disabled = false;

    ui.extended.hidden = true;
    st.announced = {};
    skipPassedThresholds();
    tick();
    clearInterval(st.tick);
    st.tick = setInterval(tick, 250);
    clearInterval(st.resync);
    st.resync = setInterval(resync, RESYNC_MS);
    updateProgress();
    flushAll();
    ui.heading.setAttribute("tabindex", "-1");
    if (!ui.quiz.contains(document.activeElement)) { ui.heading.focus({ preventScroll: true }); }
  }

  function showValue(key, value) {
    if (key === "prediction") {
      ui.prediction.value = value === null ? "" : String(value);
      return;
    }
    ui.questions.querySelectorAll("input[name=q" + key + "]").forEach(function (r) { r.checked = r.value === value; });
  }

  function stateNode(key) { return key === "prediction" ? $("#prediction-state") : $("#q" + key + "-state"); }
  function boxNode(key) { return key === "prediction" ? $("#prediction-box") : $("#q" + key); }

  var STATE_TEXT = { saving: "quiz.state.saving", saved: "quiz.state.saved", failed: "quiz.state.failed_retry",
    closed: "quiz.state.closed", invalid: "quiz.prediction_invalid" };

  function setStatus(key, status, message) {
    var s = st.keys[key];
    if (s) { s.status = status; }
    var node = stateNode(key), box = boxNode(key);
    if (node) {
      var text = status ? t(STATE_TEXT[status]) : "";
      if (status === "failed" && message) { text = t("quiz.state.failed") + ": " + message; }
      if (node.textContent !== text) { node.textContent = text; }
      node.setAttribute("data-state", status || "idle");
    }
    if (box) { box.setAttribute("data-state", status || "idle"); }
    updateBanner();
  }

  function updateProgress() {
    var done = 0;
    Object.keys(st.keys).forEach(function (k) { if (k !== "prediction" && st.keys[k].desired !== null) { done++; } });
    ui.progress.textContent = t("quiz.progress", { done: done, total: st.total });
  }

  function unsavedCount() {
    var n = 0;
    Object.keys(st.keys).forEach(function (k) { var s = st.keys[k]; if (s.desired !== null && s.desired !== s.saved) { n++; } });
    return n;
  }

  function updateBanner() {
    if (!ui.offline) { return; }
    var failed = 0;
    Object.keys(st.keys).forEach(function (k) { if (st.keys[k].status === "failed") { failed++; } });
    var offline = navigator.onLine === false;
    var text = offline ? t("quiz.offline") : (failed ? t("quiz.unsaved_count", { n: failed }) : "");
    if (ui.offline.textContent !== text) { ui.offline.textContent = text; }
    ui.offline.hidden = !text || st.ended;
  }

  // ---------------------------------------------------------------- saving
  function persistPending() {
    var pending = {}, any = false;
    Object.keys(st.keys).forEach(function (k) {
      var s = st.keys[k];
      if (s.desired !== null && s.desired !== s.saved) { pending[k] = s.desired; any = true; }
    });
    App.save(pendingKey(), any ? pending : null);
  }

  function choose(key, value) {
    var s = st.keys[key];
    if (!s || st.ended) { return; }
    s.desired = value;
    s.failedValue = undefined;
    persistPending();
    updateProgress();
    send(key);
  }

  function send(key) {
    var s = st.keys[key];
    if (!s || s.inFlight || st.ended) { return; }
    if (s.desired === null || s.desired === s.saved) {
      if (s.desired !== null) { setStatus(key, "saved"); }
      return;
    }
    var value = s.desired;
    s.inFlight = true;
    setStatus(key, "saving");
    var path = "/attempts/" + st.id + (key === "prediction" ? "/prediction" : "/answers/" + key);
    var body = key === "prediction" ? { count: value } : { choice: value };
    App.api("PUT", path, body).then(function (res) {
      s.inFlight = false;
      if (res.ok) {
        s.saved = value;
        st.retryDelay = 1000;
        persistPending();
        if (s.desired !== value) { send(key); } else { setStatus(key, "saved"); }
        return;
      }
      if (res.status === 409) { setStatus(key, "closed"); checkClosed(); return; }
      if (res.status === 401) { setStatus(key, "failed"); persistPending(); needLogin(t("common.session_expired")); return; }
      var retryable = res.network || res.status >= 500 || res.status === 408 || res.status === 429;
      if (retryable) {
        setStatus(key, "failed");
        scheduleRetry();
      } else {
        s.failedValue = value; // the server refuses this value: do not resend it by itself
        setStatus(key, "failed", res.error.message);
      }
    });
  }

  function flushAll() {
    Object.keys(st.keys).forEach(function (k) {
      var s = st.keys[k];
      if (s.desired !== null && s.desired !== s.saved && !s.inFlight && s.failedValue !== s.desired) { send(k); }
    });
  }

  // Failed saves are retried with exponential backoff, and at once when the network is back.
  function scheduleRetry() {
    if (st.retry || st.ended) { return; }
    var delay = st.retryDelay + Math.floor(Math.random() * 250);
    st.retryDelay = Math.min(MAX_RETRY_MS, st.retryDelay * 2);
    st.retry = setTimeout(function () { st.retry = null; flushAll(); }, delay);
  }

  function retryNow() {
    clearTimeout(st.retry);
    st.retry = null;
    st.retryDelay = 1000;
    flushAll();
  }

  ui.form.addEventListener("change", function (e) {
    var target = e.target;
    if (target.type === "radio" && target.getAttribute("data-key")) {
      choose(target.getAttribute("data-key"), target.value);
    } else if (target === ui.prediction) {
      var raw = ui.prediction.value.trim();
      if (raw === "") { return; }
      var n = Number(raw);
      if (!Number.isInteger(n) || n < 0 || n > 10000000) { setStatus("prediction", "invalid"); return; }
      choose("prediction", n);
    }
  });
  ui.form.addEventListener("submit", function (e) { e.preventDefault(); });

  // ---------------------------------------------------------------- the clock
  function remainingMs() { return st.deadline - App.serverNow(); }

  function tick() {
    if (st.ended) { return; }
    var ms = remainingMs();
    var text = App.formatClock(ms);
    if (ui.timer.textContent !== text) { ui.timer.textContent = text; }
    var secs = Math.max(0, Math.ceil(ms / 1000));
    ui.bar.classList.toggle("is-warning", secs <= 60);
    ui.warning.hidden = !(secs <= 60 && secs > 0);
    announce(secs);
    if (ms <= 0) { confirmTimeUp(); }
  }

  // Thresholds already behind when the clock (re)starts are not announced.
  function skipPassedThresholds() {
    var secs = Math.ceil((st.deadline - App.serverNow()) / 1000);
    THRESHOLDS.forEach(function (th) { st.announced[th] = th >= secs && th > 0; });
  }

  // moveDeadline takes the deadline the server reports; a later one means the committee
  // granted extra time during the exam, which the participant is told about.
  function moveDeadline(deadline) {
    var d = Date.parse(deadline);
    if (!(d > st.deadline + 500)) { return false; }
    st.deadline = d;
    skipPassedThresholds();
    ui.extended.textContent = t("quiz.time_extended", { time: App.formatClock(remainingMs()) });
    ui.extended.hidden = false;
    return true;
  }

  // confirmTimeUp asks the server before ending the exam on this device: extra time may
  // have been granted since the last re-read. Offline, or without an answer soon, the
  // page's own clock decides, as the server's will.
  function confirmTimeUp() {
    if (st.confirming) { return; }
    if (!navigator.onLine) { timeUp(); return; }
    st.confirming = true;
    var fallback = setTimeout(function () { st.confirming = false; timeUp(); }, 3000);
    App.api("GET", "/attempts/" + st.id).then(function (res) {
      clearTimeout(fallback);
      if (!st.confirming) { return; }
      st.confirming = false;
      if (st.ended) { return; }
      if (res.ok && res.data && res.data.status === "in_progress" && moveDeadline(res.data.deadline)) { tick(); return; }
      timeUp();
    });
  }

  // announce speaks only when a threshold is crossed; after a sleep that crossed several,
  // only the last one.
  function announce(secs) {
    var crossed = THRESHOLDS.filter(function (th) { return !st.announced[th] && secs <= th; });
    if (!crossed.length) { return; }
    var th = Math.min.apply(null, crossed);
    crossed.forEach(function (c) { st.announced[c] = true; });
    ui.live.textContent = th === 0 ? t("quiz.announce_zero")
      : th >= 60 ? t("quiz.announce_minutes", { m: th / 60 }) : t("quiz.announce_seconds", { s: th });
  }

  function stopClock() {
    st.ended = true;
    clearInterval(st.tick);
    clearInterval(st.resync);
    clearTimeout(st.retry);
    st.retry = null;
  }

  // resync re-reads the attempt: the answer carries server_time (App.api re-takes the
  // clock offset), and tells whether the attempt was closed meanwhile.
  function resync() {
    if (st.ended || !st.id) { return; }
    App.api("GET", "/attempts/" + st.id).then(function (res) {
      if (!res.ok || !res.data || st.ended) { return; }
      if (!moveDeadline(res.data.deadline)) { st.deadline = Date.parse(res.data.deadline); }
      if (res.data.status !== "in_progress") { closedElsewhere(res.data); return; }
      tick();
    });
  }

  function checkClosed() {
    if (remainingMs() <= 0) { tick(); } else { resync(); }
  }

  function closedElsewhere(a) {
    stopClock();
    ui.quiz.hidden = true;
    showResult(a.result);
  }

  function timeUp() {
    if (st.ended) { return; }
    var unsaved = unsavedCount();
    stopClock();
    ui.timer.textContent = App.formatClock(0);
    ui.warning.hidden = true;
    ui.form.querySelectorAll("input, button").forEach(function (n) { n.disabled = true; });
    ui.quiz.hidden = true;
    ui.done.hidden = false;
    st.lostAtEnd = unsaved;
    var msg = t("quiz.auto_submitted") + (unsaved ? " " + t("quiz.unsaved_count", { n: unsaved }) : "");
    App.showMessage(ui.doneMessage, msg, "warning");
    ui.doneResult.textContent = "";
    ui.doneResult.appendChild(el("p", { "class": "muted", text: t("quiz.grading") }));
    ui.done.focus();
    pollResult();
  }

  // pollResult waits until the server has closed the attempt (its timer fires at the
  // deadline); if it is still open well after, it asks the server to close it.
  function pollResult() {
    var started = Date.now(), i = 0, askedToClose = false;
    function again() { setTimeout(step, POLL_DELAYS[Math.min(i++, POLL_DELAYS.length - 1)]); }
    function step() {
      App.api("GET", "/attempts/" + st.id).then(function (res) {
        if (res.ok && res.data && res.data.status !== "in_progress" && res.data.result) {
          showResult(res.data.result);
          return;
        }
        if (res.status === 401) { needLogin(t("common.session_expired")); return; }
        // Extra time granted while this page had lost the server: take the exam up again
        // instead of closing it early.
        if (res.ok && res.data && res.data.status === "in_progress" && Date.parse(res.data.deadline) > App.serverNow() + 1000) {
          var before = st.deadline;
          renderQuiz(res.data);
          st.deadline = before;
          moveDeadline(res.data.deadline);
          return;
        }
        if (res.ok && !askedToClose && Date.now() - started > SUBMIT_FALLBACK_MS) {
          askedToClose = true;
          App.api("POST", "/attempts/" + st.id + "/submit").then(function (r) {
            if (r.ok && r.data && r.data.status !== "abandoned") { showResult(r.data); } else { again(); }
          });
          return;
        }
        again();
      });
    }
    again();
  }

  function showResult(result) {
    App.save(pendingKey(), null);
    ui.quiz.hidden = true;
    ui.gate.hidden = true;
    ui.done.hidden = false;
    if (result) {
      var auto = result.status === "auto_submitted";
      var msg = (auto ? t("quiz.auto_submitted") : t("quiz.submitted")) + (st.lostAtEnd ? " " + t("quiz.unsaved_count", { n: st.lostAtEnd }) : "");
      App.showMessage(ui.doneMessage, msg, auto ? "warning" : "success");
      ui.doneResult.textContent = "";
      ui.doneResult.appendChild(App.resultView(result));
    }
    ui.done.focus();
  }

  // ---------------------------------------------------------------- submitting
  ui.submit.addEventListener("click", function () {
    if (st.ended || st.submitting) { return; }
    retryNow();
    var unanswered = 0;
    Object.keys(st.keys).forEach(function (k) { if (k !== "prediction" && st.keys[k].desired === null) { unanswered++; } });
    var unsaved = unsavedCount();
    var pu = $("#confirm-unanswered"), ps = $("#confirm-unsaved");
    pu.textContent = t("quiz.confirm_unanswered", { n: unanswered });
    pu.hidden = unanswered === 0;
    ps.textContent = t("quiz.confirm_unsaved", { n: unsaved });
    ps.hidden = unsaved === 0;
    if (typeof ui.dialog.showModal === "function") {
      ui.dialog.returnValue = "";
      ui.dialog.showModal();
      $("#confirm-no").focus();
    } else if (window.confirm(t("quiz.confirm_title") + "\n" + t("quiz.confirm_text"))) {
      submitNow();
    }
  });

  ui.dialog.addEventListener("close", function () {
    if (ui.dialog.returnValue === "submit") { submitNow(); } else { ui.submit.focus(); }
  });

  // submitNow waits a moment for saves in flight, then submits.
  function submitNow() {
    st.submitting = true;
    ui.submit.disabled = true;
    ui.submit.textContent = t("quiz.submitting");
    App.showMessage(ui.submitError, "");
    var waited = 0;
    (function wait() {
      var busy = Object.keys(st.keys).some(function (k) { return st.keys[k].inFlight; });
      if (busy && waited < 5000) { waited += 100; setTimeout(wait, 100); return; }
      App.api("POST", "/attempts/" + st.id + "/submit").then(function (res) {
        st.submitting = false;
        ui.submit.textContent = t("quiz.submit");
        if (res.ok && res.data && res.data.status !== "abandoned") {
          stopClock();
          showResult(res.data);
          return;
        }
        ui.submit.disabled = false;
        if (res.status === 401) { needLogin(t("common.session_expired")); return; }
        App.showMessage(ui.submitError, res.ok ? t("common.unexpected") : res.error.message, "error");
      });
    })();
  }

  // ---------------------------------------------------------------- browser events
  window.addEventListener("online", function () { updateBanner(); retryNow(); resync(); });
  window.addEventListener("offline", updateBanner);
  // A tab that slept (phone locked, tab in the background) recomputes at once and re-reads
  // the server clock.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && st.id && !st.ended) { tick(); resync(); }
  });
  window.addEventListener("pageshow", function (e) { if (e.persisted && st.id && !st.ended) { tick(); resync(); } });

  init();
})();

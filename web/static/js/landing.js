// Landing page: the current round with its dates, and the rules filled with the round's
// question count and time limit.
(function () {
  "use strict";
  var App = window.App, t = App.t;
  App.loadRound(App.$("#round")).then(function (r) {
    if (!r) { return; }
    App.$("#rule-questions").textContent = t("home.rule_questions", { n: r.question_count });
    App.$("#rule-time").textContent = t("home.rule_time", { time: App.formatLimit(r.time_limit_seconds) });
    App.$("#schedule-current").textContent = t("home.schedule_current", {
      n: r.number, opens: App.formatDateTime(r.opens_at), closes: App.formatDateTime(r.closes_at)
    });
  });
})();

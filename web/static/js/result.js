// Results: the participant's last attempt on this device, its review once the round has
// closed, and the place where the weekly winners will be published.
(function () {
  "use strict";
  var App = window.App, t = App.t, $ = App.$, el = App.el;
  var box = $("#my-result");

  function say(text, link) {
    box.textContent = "";
    box.removeAttribute("aria-busy");
    box.appendChild(el("p", { text: text }));
    if (link) { box.appendChild(el("p", null, [el("a", { "class": "button button-primary", href: link.href, text: link.text })])); }
  }

  function review(a) {
    if (!a.review || !a.review.length) {
      if (a.status !== "in_progress") { box.appendChild(el("p", { "class": "muted", text: t("result.review_later") })); }
      return;
    }
    var texts = {};
    (a.questions || []).forEach(function (q) { texts[q.no] = q.text; });
    var list = $("#review");
    list.textContent = "";
    a.review.forEach(function (r) {
      var verdict = el("span", { "class": "badge " + (r.is_correct ? "badge-open" : "badge-closed"), text: t(r.is_correct ? "result.review_correct" : "result.review_wrong") });
      var detail = r.choice ? t("result.review_choice", { choice: r.choice, correct: r.correct_key }) : t("result.review_none", { correct: r.correct_key });
      list.appendChild(el("li", null, [
        el("p", { "class": "question-text" }, [el("strong", { text: t("quiz.question_no", { n: r.no }) + ". " }), document.createTextNode(texts[r.no] || "")]),
        el("p", null, [document.createTextNode(detail + " "), verdict])
      ]));
    });
    $("#review-section").hidden = false;
  }

  function show(s) {
    App.renderHeader();
    if (!s) {
      say(t("quiz.need_login"), { href: "/dang-nhap?next=%2Fket-qua", text: t("nav.login") });
      return;
    }
    var id = App.storedAttempt();
    if (!id) {
      say(t("result.none"), { href: "/thi", text: t("result.go_quiz") });
      return;
    }
    App.api("GET", "/attempts/" + id).then(function (res) {
      if (res.status === 401) { say(t("common.session_expired"), { href: "/dang-nhap?next=%2Fket-qua", text: t("nav.login") }); return; }
      if (res.status === 404) { App.rememberAttempt(null); say(t("result.none"), { href: "/thi", text: t("result.go_quiz") }); return; }
      if (!res.ok || !res.data) { say(res.error.message); return; }
      var a = res.data;
      if (a.status === "in_progress" || !a.result) {
        say(t("result.in_progress"), { href: "/thi", text: t("result.continue") });
        return;
      }
      box.textContent = "";
      box.removeAttribute("aria-busy");
      box.appendChild(App.resultView(a.result));
      if (a.prediction !== null && a.prediction !== undefined) {
        box.querySelector("dl").appendChild(el("div", null, [el("dt", { text: t("result.prediction") }), el("dd", { text: String(a.prediction) })]));
      }
      review(a);
    });
  }
  App.profile().then(show);
})();

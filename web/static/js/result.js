// Results: the participant's last attempt on this device, its review once the rules
// release it, and, once the week is published, the participant's place and prize with a
// link to the week's public results.
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

  // answerLine shows one option in words: options are shuffled per person, so a key alone
  // ("D") says nothing once the quiz is gone.
  function answerLine(cls, label, key, text) {
    return el("p", { "class": "review-answer " + cls }, [
      el("span", { "class": "review-label", text: label + ": " }),
      el("strong", { text: key + ". " }), document.createTextNode(text)
    ]);
  }

  function review(a) {
    if (!a.review || !a.review.length) {
      if (a.status !== "in_progress") { box.appendChild(el("p", { "class": "muted", text: t("result.review_later") })); }
      return;
    }
    var list = $("#review");
    list.textContent = "";
    a.review.forEach(function (r) {
      var verdict = el("span", { "class": "badge " + (r.is_correct ? "badge-open" : "badge-closed"), text: t(r.is_correct ? "result.review_correct" : "result.review_wrong") });
      var chosen = r.choice ? answerLine("review-chosen", t("result.review_chosen"), r.choice, r.choice_text || "") :
        el("p", { "class": "review-answer review-chosen muted", text: t("result.review_unanswered") });
      list.appendChild(el("li", { id: "review-" + r.no }, [
        el("p", { "class": "question-text" }, [el("strong", { text: t("quiz.question_no", { n: r.no }) + ". " }), document.createTextNode(r.question || ""), document.createTextNode(" "), verdict]),
        chosen,
        answerLine("review-correct", t("result.review_answer"), r.correct_key, r.correct_text || ""),
        r.source ? el("p", { "class": "muted review-source", text: t("result.review_source") + ": " + r.source }) : null
      ]));
    });
    $("#review-section").hidden = false;
  }

  // weekly says the participant's place once the week is published, and links the week.
  function weekly(a) {
    var w = $("#weekly");
    w.textContent = "";
    var st = a && a.standing;
    if (st) {
      w.appendChild(el("p", { "class": "standing", text: t("result.standing", { rank: st.rank, participants: st.participants, n: st.round_number }) }));
      if (st.prize) { w.appendChild(el("p", { "class": "message message-success standing-prize", text: t("result.standing_prize", { prize: t("prize." + st.prize), n: st.round_number }) })); }
      w.appendChild(el("p", null, [el("a", { id: "weekly-link", href: "/ket-qua-tuan?tuan=" + st.round_number, text: t("result.weekly_week_link", { n: st.round_number }) })]));
      return;
    }
    w.appendChild(el("p", { text: t("result.weekly_pending") }));
    w.appendChild(el("p", null, [el("a", { id: "weekly-link", href: "/ket-qua-tuan", text: t("result.weekly_link") })]));
  }

  function show(s) {
    App.renderHeader();
    weekly(null);
    if (!s) {
      say(t("quiz.need_login"), { href: "/dang-nhap?next=%2Fket-qua", text: t("nav.login") });
      return;
    }
    // The attempt this device remembers, else the newest one the account has (a result
    // looked up on Monday from another device than the one the quiz was taken on).
    var id = App.storedAttempt();
    var found = id ? Promise.resolve(id) : App.api("GET", "/me/attempts").then(function (res) {
      // Practice attempts (thi thử) have no place on the contest's result page.
      var list = res.ok && res.data && res.data.attempts ? res.data.attempts.filter(function (a) { return !a.practice; }) : [];
      return list.length ? list[0].id : null;
    });
    found.then(function (attemptID) {
      if (!attemptID) {
        say(t("result.none"), { href: "/thi", text: t("result.go_quiz") });
        return;
      }
      load(attemptID);
    });
  }

  function load(id) {
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
      weekly(a);
    });
  }
  App.profile().then(show);
})();

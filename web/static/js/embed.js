// Embeddable card for portals: the current round and a link to the contest (new tab).
(function () {
  "use strict";
  var App = window.App;
  App.$("#embed-link").href = window.location.origin + "/";
  App.loadRound(App.$("#round"));
})();

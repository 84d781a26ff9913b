// The desk's Class 4 alarm, on every desk page: /desk/alerts/live swaps the banner (htmx SSE); this script adds
// what HTML cannot — the page title and a sound, synthesised with the Web Audio API (no audio file) — once per
// new Class 4 request per browser tab. A page without JavaScript still shows the red banner and the intake row.
(function () {
  "use strict";
  var baseTitle = document.title;
  var heard = {};
  try { heard = JSON.parse(sessionStorage.getItem("class4-heard") || "{}"); } catch (e) { heard = {}; }
  var audio = null;

  function context() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return null;
    audio = audio || new Ctx();
    if (audio.state === "suspended") audio.resume();
    return audio;
  }

  // Three short two-tone beeps (880/660 Hz square waves), about 0.8 s in all.
  function alarm() {
    var ctx = context();
    var body = document.body;
    body.dataset.alarmCount = String(Number(body.dataset.alarmCount || 0) + 1);
    if (!ctx) return;
    var t = ctx.currentTime + 0.02;
    for (var i = 0; i < 4; i++) {
      var osc = ctx.createOscillator();
      var gain = ctx.createGain();
      osc.type = "square";
      osc.frequency.value = i % 2 ? 660 : 880;
      gain.gain.setValueAtTime(0.0001, t + i * 0.2);
      gain.gain.exponentialRampToValueAtTime(0.25, t + i * 0.2 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + i * 0.2 + 0.18);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t + i * 0.2);
      osc.stop(t + i * 0.2 + 0.19);
    }
    body.dataset.alarmState = ctx.state;
  }

  function check() {
    var region = document.getElementById("class4-alerts");
    if (!region) return;
    var ids = Array.prototype.map.call(region.querySelectorAll("[data-class4]"), function (el) {
      return el.getAttribute("data-class4");
    });
    document.title = ids.length ? "\u26a0 " + region.dataset.titleText + " (" + ids.length + ") \u2014 " + baseTitle : baseTitle;
    var fresh = ids.filter(function (id) { return !heard[id]; });
    if (fresh.length) {
      fresh.forEach(function (id) { heard[id] = 1; });
      try { sessionStorage.setItem("class4-heard", JSON.stringify(heard)); } catch (e) { /* private mode */ }
      alarm();
    }
  }

  // Tests and people can see when a live region is connected (and when it dropped: htmx reconnects by itself).
  document.addEventListener("htmx:sseOpen", function (e) { e.target.setAttribute("data-live", "open"); });
  document.addEventListener("htmx:sseError", function (e) { e.target.setAttribute("data-live", "error"); });
  // The board's timeline is re-rendered on every change: keep where the dispatcher had scrolled to, and on first
  // sight scroll so that "now" is near the left edge.
  var scrolled = null;
  function timeline() { return document.querySelector("#board .timeline"); }
  document.addEventListener("htmx:sseBeforeMessage", function () {
    var tl = timeline();
    if (tl) scrolled = [tl.scrollLeft, tl.scrollTop];
  });
  function placeTimeline() {
    var tl = timeline();
    if (!tl) return;
    if (scrolled) { tl.scrollLeft = scrolled[0]; tl.scrollTop = scrolled[1]; return; }
    var now = tl.querySelector(".tl-now");
    var name = tl.querySelector(".tl-head .tl-name");
    if (now && name) tl.scrollLeft = Math.max(now.offsetLeft - 2 * 80, 0);  // two hours (--hour) before now
    scrolled = [tl.scrollLeft, tl.scrollTop];
  }
  document.addEventListener("htmx:sseMessage", placeTimeline);
  document.addEventListener("scroll", function (e) {
    if (e.target && e.target.classList && e.target.classList.contains("timeline")) {
      scrolled = [e.target.scrollLeft, e.target.scrollTop];
    }
  }, true);
  document.addEventListener("htmx:afterSettle", check);
  document.addEventListener("htmx:sseMessage", check);
  document.addEventListener("click", function (e) {
    var target = e.target;
    if (target && target.closest && target.closest("[data-sound-test]")) { alarm(); return; }
    if (audio && audio.state === "suspended") audio.resume(); // browsers allow sound after a click
  });
  check();
  placeTimeline();
})();

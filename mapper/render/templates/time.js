/* time.js: the time window: its sliders and labels, "whole period", and playing through time. */
(function (M) {
  "use strict";
  var App = M.App, el = M.el;

  // ``a``..``b`` within ``range``, in order.
  M.clampWindow = function (range, a, b) {
    a = Math.max(range[0], Math.min(range[1], a));
    b = Math.max(range[0], Math.min(range[1], b));
    return a > b ? [b, a] : [a, b];
  };

  App.prototype.setWindow = function (a, b) {
    var w = M.clampWindow(this.D.raw.range, a, b);
    this.t0 = w[0];
    this.t1 = w[1];
    this._showWindow();
    this.update();
  };

  // The sliders and their labels, from the state.
  App.prototype._showWindow = function () {
    this.fromInput.value = String(this.t0);
    this.toInput.value = String(this.t1);
    this.fromLabel.textContent = M.isoDay(this.t0);
    this.toLabel.textContent = M.isoDay(this.t1);
    this._showDateFields();
  };

  // Play: step a window of the current width (a twelfth of the period if it is all of
  // it) through the frames of M.playFrames (histogram.js), from here or from the start.
  App.prototype.togglePlay = function () {
    if (this.timer) { this.stopPlay(); return; }
    var r = this.D.raw.range, self = this;
    var width = this.t1 - this.t0;
    if (width >= r[1] - r[0]) { width = Math.max(0, Math.round((r[1] - r[0]) / 12)); }
    var frames = M.playFrames(this.D, r, width, this.layerOn);
    var at = this.t1 >= r[1] ? 0 : frames.findIndex(function (f) { return f[1] > self.t1; });
    if (at < 0) { at = 0; }
    this.setWindow(frames[at][0], frames[at][1]);
    this.playButton.textContent = "\u275a\u275a Pause";
    this.timer = setInterval(function () {
      at++;
      if (at >= frames.length) { self.stopPlay(); return; }
      self.setWindow(frames[at][0], frames[at][1]);
    }, M.playInterval(frames.length - at));
  };

  App.prototype.stopPlay = function () {
    if (this.timer) { clearInterval(this.timer); this.timer = null; }
    this.playButton.textContent = "\u25b6 Play";
  };

  // The panel's "Time window" section.
  App.prototype._timeSection = function () {
    var self = this, range = this.D.raw.range;
    var time = el("section", "mapper-time");
    time.appendChild(el("h2", null, "Time window"));
    var labels = el("div", "mapper-time-labels");
    this.fromLabel = el("span", "mapper-from");
    this.toLabel = el("span", "mapper-to");
    labels.appendChild(this.fromLabel);
    labels.appendChild(document.createTextNode(" \u2013 "));
    labels.appendChild(this.toLabel);
    time.appendChild(labels);
    time.appendChild(this._histogram());
    function slider(cls, label, which) {
      var s = el("input", cls);
      s.type = "range";
      s.min = String(range[0]);
      s.max = String(range[1]);
      s.step = "1";
      s.setAttribute("aria-label", label);
      // The slider moved keeps its value; the other follows when they cross.
      s.addEventListener("input", function () {
        var a = parseInt(self.fromInput.value, 10), b = parseInt(self.toInput.value, 10);
        if (a > b) { if (which === "from") { b = a; } else { a = b; } }
        self.setWindow(a, b);
      });
      time.appendChild(s);
      return s;
    }
    this.fromInput = slider("mapper-from-input", "Start of the time window", "from");
    this.toInput = slider("mapper-to-input", "End of the time window", "to");
    time.appendChild(this._dateFields());
    var buttons = el("div", "mapper-time-buttons");
    this.playButton = el("button", "mapper-play", "\u25b6 Play");
    this.playButton.type = "button";
    this.playButton.addEventListener("click", function () { self.togglePlay(); });
    var all = el("button", "mapper-all", "Whole period");
    all.type = "button";
    all.addEventListener("click", function () { self.stopPlay(); self.setWindow(range[0], range[1]); });
    buttons.appendChild(this.playButton);
    buttons.appendChild(all);
    time.appendChild(buttons);
    return time;
  };
}(window.mapperPage));

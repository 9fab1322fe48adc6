// See style-guard.js: restores document.createElement once the timeline library has loaded.
(function () {
  if (window.__peacetrackCreateElement) {
    Document.prototype.createElement = window.__peacetrackCreateElement;
    delete window.__peacetrackCreateElement;
  }
})();

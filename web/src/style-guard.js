// Loaded just before the timeline library. Its standalone build injects its stylesheet as inline
// <style> elements, which this page's Content-Security-Policy (no inline style) refuses and reports.
// The same stylesheet is loaded from /vendor/vis-timeline-graph2d.min.css, so while the library
// loads, <style> elements are created as inert <template> elements instead; style-guard-end.js
// restores document.createElement right after.
(function () {
  var create = Document.prototype.createElement;
  window.__peacetrackCreateElement = create;
  Document.prototype.createElement = function (tag, options) {
    if (String(tag).toLowerCase() === 'style') return create.call(this, 'template');
    return create.call(this, tag, options);
  };
})();

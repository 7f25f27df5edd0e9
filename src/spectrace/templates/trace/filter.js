/* spectrace: filter the matrix's rows by their data-* attributes. Without this script the
   table shows every statement and the (hidden) controls stay hidden. */
(function () {
  "use strict";

  function clauseMatches(wanted, row) {
    var parts = wanted.trim().split(/\s+/);
    var clause = parts.pop();
    if (parts.length && parts.join(" ") !== row.dataset.document) {
      return false;
    }
    var own = row.dataset.clause;
    return !clause || own === clause || own.indexOf(clause.replace(/\.$/, "") + ".") === 0;
  }

  function irpMatches(wanted, row) {
    var own = row.dataset.irps ? row.dataset.irps.split(" ") : [];
    if (wanted === "*") {
      return own.length > 0;
    }
    if (wanted === "-") {
      return own.length === 0;
    }
    return own.indexOf(wanted) >= 0;
  }

  function setUp(form) {
    if (form.dataset.ready) {
      return; // the script is on the page once per matrix
    }
    form.dataset.ready = "yes";
    var matrix = form.closest(".spectrace-matrix") || document;
    var rows = Array.prototype.slice.call(matrix.querySelectorAll("tr[data-status]"));
    var count = form.querySelector(".spectrace-count");
    var fields = form.elements;

    function apply() {
      var document_ = fields.document.value;
      var clause = fields.clause.value.trim();
      var actor = fields.actor.value;
      var status = fields.status.value;
      var irp = fields.irp.value;
      var required = fields.required.checked;
      var shown = 0;
      rows.forEach(function (row) {
        var data = row.dataset;
        var keep =
          (!document_ || data.document === document_) &&
          (!clause || clauseMatches(clause, row)) &&
          (!actor || data.actors.split("|").indexOf(actor) >= 0) &&
          (!status || data.status === status) &&
          (!irp || irpMatches(irp, row)) &&
          (!required || data.required === "yes");
        row.hidden = !keep;
        shown += keep ? 1 : 0;
      });
      count.textContent = shown + " of " + rows.length + " statements shown";
    }

    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("reset", function () {
      window.setTimeout(apply, 0);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    form.hidden = false;
    apply();
  }

  function setUpAll() {
    Array.prototype.forEach.call(document.querySelectorAll("form.spectrace-filters"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();

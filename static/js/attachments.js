// Lists the files chosen in a file field before the form is sent: browsers show only "3 files" for several.
// Progressive enhancement: without this script the form works the same, only without the list.
(function () {
  "use strict";

  var UNITS = ["B", "kB", "MB", "GB"];

  // The same Polish size as the portal's human_size(): binary steps, one decimal, a decimal comma.
  function humanSize(size) {
    var value = Math.max(size, 0);
    var unit = 0;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value = value / 1024;
      unit += 1;
    }
    if (unit === 0) {
      return Math.floor(value) + " B";
    }
    return value.toFixed(1).replace(".", ",") + " " + UNITS[unit];
  }

  function show(input, box) {
    var list = box.querySelector("ul");
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    Array.prototype.forEach.call(input.files || [], function (file) {
      var item = document.createElement("li");
      item.textContent = file.name + " (" + humanSize(file.size) + ")";
      list.appendChild(item);
    });
    box.hidden = list.childElementCount === 0;
  }

  document.querySelectorAll("input[type=file][data-file-list]").forEach(function (input) {
    var box = document.getElementById(input.getAttribute("data-file-list"));
    if (!box) {
      return;
    }
    input.addEventListener("change", function () { show(input, box); });
    show(input, box);
  });
}());

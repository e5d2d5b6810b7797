// The SPARQL editor: choosing an example puts its text in the textarea (nothing runs until
// "Run"). Plain DOM, no library.
document.addEventListener("DOMContentLoaded", function () {
  var select = document.getElementById("example");
  var area = document.getElementById("query");
  if (!select || !area) { return; }
  select.addEventListener("change", function () {
    var blocks = document.querySelectorAll("#examples pre");
    for (var i = 0; i < blocks.length; i++) {
      if (blocks[i].getAttribute("data-name") === select.value) {
        area.value = blocks[i].textContent;
        area.focus();
        return;
      }
    }
  });
});

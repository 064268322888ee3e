// The attachment form with a progress bar: the same multipart POST the plain form sends, through
// XMLHttpRequest so the upload's progress can be shown. Without JavaScript the form posts itself.
(function () {
  "use strict";
  function enhance(form) {
    var bar = form.querySelector(".attachment-progress");
    if (!bar || !window.FormData || !window.XMLHttpRequest) {
      return;
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var request = new XMLHttpRequest();
      var button = form.querySelector("button[type=submit]");
      request.open("POST", form.action);
      request.setRequestHeader("X-Attachment-Upload", "progress");
      request.upload.addEventListener("progress", function (progress) {
        if (progress.lengthComputable) {
          bar.value = Math.round((progress.loaded / progress.total) * 100);
          bar.textContent = bar.value + "%";
        }
      });
      request.addEventListener("load", function () {
        var next = null;
        try {
          next = JSON.parse(request.responseText).next;
        } catch (error) {
          next = null;
        }
        window.location.assign(next || window.location.href);
      });
      request.addEventListener("error", function () {
        form.submit();
      });
      bar.hidden = false;
      if (button) {
        button.disabled = true;
      }
      request.send(new FormData(form));
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-attachment-upload]").forEach(enhance);
  });
})();

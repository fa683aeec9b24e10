// Proposes the browser's time zone on the digest preferences form when the
// field still holds the default. Optional: the form works without it.
(function () {
  var field = document.getElementById("digest-timezone");
  if (!field || field.value !== "UTC" || !window.Intl) return;
  var tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (tz) {
    field.value = tz;
    var note = document.getElementById("digest-timezone-note");
    if (note) note.textContent = "Proposed from your browser: " + tz + ". Save to keep it.";
  }
})();

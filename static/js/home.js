// Home page: show the detected language while pasting, warn about files over the size limit before uploading.
(function () {
  "use strict";

  const form = document.querySelector(".compose-form");
  if (!form) return;
  const text = form.querySelector("#text");
  const file = form.querySelector("#file");
  const source = form.querySelector("#source");
  const format = form.querySelector("#format");
  const output = document.getElementById("detected");
  const warning = document.getElementById("file-warning");
  const submit = form.querySelector('button[type="submit"]');
  const tokenMeta = document.querySelector('meta[name="csrf-token"]');
  const maxBytes = Number(form.dataset.maxBytes || 0);
  const initiallyDisabled = submit.disabled;
  let timer = null;
  let sequence = 0;

  function show(message, state) {
    output.textContent = message;
    output.classList.toggle("sure", state === "sure");
    output.classList.toggle("unsure", state === "unsure");
  }

  async function detect(sample, fmt) {
    if (source.value !== "auto") {
      show("Source chosen: " + source.options[source.selectedIndex].text + ".", null);
      return;
    }
    if (sample.trim().length < 20) {
      show("Paste a few sentences to see the detected language.", null);
      return;
    }
    const body = new FormData();
    body.append("text", sample.slice(0, 20000));
    body.append("format", fmt);
    const mine = ++sequence;
    try {
      const response = await fetch(form.dataset.detectUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: tokenMeta ? { "X-CSRFToken": tokenMeta.content } : {},
      });
      if (!response.ok || mine !== sequence) return;
      const result = await response.json();
      const state = !result.language ? null : result.low_confidence || !result.installed ? "unsure" : "sure";
      show(result.message, state);
    } catch (error) {
      show("Detected when you submit.", null);
    }
  }

  function scheduleDetect() {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => detect(text.value, format.value), 350);
  }

  function formatOf(name) {
    return /\.html?$/i.test(name) ? "html" : "auto";
  }

  text.addEventListener("input", scheduleDetect);
  source.addEventListener("change", () => {
    if (file.files.length) checkFile();
    else scheduleDetect();
  });
  format.addEventListener("change", scheduleDetect);

  function checkFile() {
    warning.hidden = true;
    if (!file.files.length) return;
    const chosen = file.files[0];
    if (maxBytes && chosen.size > maxBytes) {
      const mb = (chosen.size / 1048576).toFixed(1);
      const limit = (maxBytes / 1048576).toFixed(1);
      warning.textContent = chosen.name + " is " + mb + " MB; the limit is " + limit + " MB. Split the article first.";
      warning.hidden = false;
      return;
    }
    if (text.value.trim()) {
      warning.textContent = "A file is chosen: clear the text box, or the server will ask you to pick one.";
      warning.hidden = false;
    }
    if (!/\.(txt|text|md|markdown|html?)$/i.test(chosen.name)) return; // a document: no text preview to detect
    const reader = new FileReader();
    reader.onload = () => detect(String(reader.result || ""), formatOf(chosen.name));
    reader.readAsText(chosen.slice(0, 60000));
  }

  file.addEventListener("change", checkFile);

  form.addEventListener("submit", (event) => {
    if (file.files.length && maxBytes && file.files[0].size > maxBytes) {
      event.preventDefault();
      checkFile();
      return;
    }
    submit.disabled = true;
    submit.textContent = "Starting…";
  });

  // Coming back with the browser's back button restores the form but not the button.
  window.addEventListener("pageshow", () => {
    submit.disabled = initiallyDisabled;
    submit.textContent = "Translate";
  });

  if (text.value.trim()) scheduleDetect();
})();

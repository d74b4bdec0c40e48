// Reader: sentence-pair highlighting, the view toggle, and live updates while a job runs.
// Text is never inserted as HTML from JSON: new blocks come as server-rendered (escaped) HTML fragments,
// parsed with DOMParser (inert: nothing in it runs) and moved into the page.
(function () {
  "use strict";

  const reader = document.getElementById("reader");
  if (!reader) return;

  const VIEWS = ["both", "original", "translation"];
  const ACTIVE = reader.dataset.activeStatuses.split(" "); // from translator.status, not a copy
  let highlighted = null;

  // --- Hover or focus a sentence: highlight it and its counterpart on the other side.
  function setHighlight(pair) {
    if (pair === highlighted) return;
    if (highlighted) {
      reader.querySelectorAll(".s.hl").forEach((el) => el.classList.remove("hl"));
    }
    highlighted = pair;
    if (pair) {
      reader.querySelectorAll('.s[data-pair="' + CSS.escape(pair) + '"]').forEach((el) => el.classList.add("hl"));
    }
  }

  function pairOf(target) {
    const sentence = target instanceof Element ? target.closest(".s[data-pair]") : null;
    return sentence ? sentence.dataset.pair : null;
  }

  // Off a sentence, the pointer gives the highlight back to the keyboard focus: a resting pointer that a scroll
  // puts over the page (focusing a sentence scrolls it into view) must not wipe the focused pair's highlight.
  reader.addEventListener("mouseover", (event) => setHighlight(pairOf(event.target) || pairOf(document.activeElement)));
  reader.addEventListener("mouseleave", () => setHighlight(pairOf(document.activeElement)));
  reader.addEventListener("focusin", (event) => setHighlight(pairOf(event.target)));
  reader.addEventListener("focusout", (event) => {
    if (!reader.contains(event.relatedTarget)) setHighlight(null);
  });

  // --- View toggle: both / original only / translation only (links work without JS too).
  function setView(view) {
    if (!VIEWS.includes(view)) return;
    VIEWS.forEach((v) => reader.classList.toggle("view-" + v, v === view));
    reader.querySelectorAll(".views [data-view]").forEach((link) => {
      if (link.dataset.view === view) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    });
    const url = new URL(window.location.href);
    url.searchParams.set("view", view);
    window.history.replaceState(null, "", url);
    try {
      window.localStorage.setItem("reader-view", view);
    } catch (error) {
      // storage can be disabled; the view still changes
    }
  }

  reader.querySelectorAll(".views [data-view]").forEach((link) => {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      setView(link.dataset.view);
    });
  });

  if (!new URL(window.location.href).searchParams.has("view")) {
    let saved = null;
    try {
      saved = window.localStorage.getItem("reader-view");
    } catch (error) {
      saved = null;
    }
    if (saved && saved !== "both") setView(saved);
  }

  // --- Correcting a sentence in place: Enter (or a double click) on a translated sentence opens an editor;
  // Enter saves, Escape cancels. The server answers with the re-rendered block (escaped HTML), swapped in.
  // Without script the pencil link beside each block opens a plain form doing the same.
  const editUrl = reader.dataset.editUrl;
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');

  function editableSentence(target) {
    const sentence = target instanceof Element ? target.closest(".cell.tgt .s[data-pair]") : null;
    const pair = sentence ? sentence.closest(".pair") : null;
    return pair && pair.dataset.editable === "true" ? sentence : null;
  }

  function openEditor(sentence) {
    if (sentence.hidden || !editUrl) return;
    const pairId = sentence.dataset.pair;
    const form = document.createElement("form");
    form.className = "inline-edit";
    const label = document.createElement("label");
    label.className = "visually-hidden";
    label.htmlFor = "edit-" + pairId;
    label.textContent = "Correct this sentence. Enter saves, Escape cancels.";
    const area = document.createElement("textarea");
    area.id = "edit-" + pairId;
    area.name = "translation";
    area.value = sentence.textContent;
    area.rows = Math.min(6, Math.max(2, Math.ceil(area.value.length / 60)));
    area.setAttribute("lang", sentence.closest(".cell").getAttribute("lang") || "");
    const message = document.createElement("p");
    message.className = "edit-message";
    message.setAttribute("role", "alert");
    form.append(label, area, message);
    sentence.hidden = true;
    sentence.after(form);
    area.focus();

    function close() {
      form.remove();
      sentence.hidden = false;
      sentence.focus();
    }

    async function save() {
      const body = new FormData();
      body.set("translation", area.value);
      if (csrfMeta) body.set("csrf_token", csrfMeta.content);
      area.disabled = true;
      let response;
      try {
        response = await fetch(editUrl.replace("PAIR", encodeURIComponent(pairId)), {
          method: "POST",
          body: body,
          credentials: "same-origin",
          headers: { "X-Requested-With": "fetch", Accept: "text/html" },
        });
      } catch (error) {
        response = null;
      }
      area.disabled = false;
      if (response && response.ok) {
        const parsed = new DOMParser().parseFromString(await response.text(), "text/html");
        const fresh = parsed.querySelector(".pair");
        const block = sentence.closest(".pair");
        if (fresh && block) {
          const adopted = document.adoptNode(fresh);
          block.replaceWith(adopted);
          const saved = adopted.querySelector('.cell.tgt .s[data-pair="' + CSS.escape(pairId) + '"]');
          if (saved) saved.focus();
          highlighted = null;
          return;
        }
      }
      let text = "Could not save the correction; reload the page and try again.";
      if (response && (response.headers.get("Content-Type") || "").includes("json")) {
        const problem = await response.json();
        if (problem && problem.error) text = problem.error;
      }
      message.textContent = text;
      area.focus();
    }

    area.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        save();
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      save();
    });
  }

  reader.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    const sentence = editableSentence(event.target);
    if (sentence && event.target === sentence) {
      event.preventDefault();
      openEditor(sentence);
    }
  });
  reader.addEventListener("dblclick", (event) => {
    const sentence = editableSentence(event.target);
    if (sentence) openEditor(sentence);
  });

  // --- Live updates while the job runs.
  const statusUrl = reader.dataset.statusUrl;
  const liveUrl = reader.dataset.liveUrl;
  let live = document.getElementById("live");
  let lastKey = live ? [live.dataset.status, live.dataset.done, live.dataset.total].join("/") : null;
  let lastFetch = 0;
  const POLL_MS = 800;
  let delay = POLL_MS;

  function isActive(status) {
    return ACTIVE.includes(status);
  }

  function updateHeader(summary) {
    const title = reader.querySelector(".doc-title");
    if (title && summary.title) title.textContent = summary.title;
    const langs = reader.querySelector(".doc-langs");
    if (langs) langs.textContent = (summary.source_language + " → " + summary.target_language).toUpperCase();
  }

  function updateProgress(summary) {
    const bar = live.querySelector(".job-bar");
    if (bar) bar.value = summary.progress;
    const percent = live.querySelector(".job-percent");
    if (percent) percent.textContent = Math.round(summary.progress) + "%";
    const count = live.querySelector(".job-count");
    if (count && summary.total_sentences) {
      count.textContent = "(" + summary.done_sentences + " of " + summary.total_sentences + ")";
    }
    const eta = live.querySelector(".job-eta");
    if (eta) eta.textContent = summary.eta_seconds ? ", about " + Math.round(summary.eta_seconds) + " s left" : "";
  }

  function replacePart(fresh, name) {
    const current = live.querySelector('[data-part="' + name + '"]');
    const next = fresh.querySelector('[data-part="' + name + '"]');
    if (current && next) current.replaceWith(document.adoptNode(next));
  }

  function applyFragment(html) {
    const parsed = new DOMParser().parseFromString(html, "text/html");
    const fresh = parsed.getElementById("live");
    if (!fresh) return;
    const oldPairs = live.querySelector('[data-part="pairs"]');
    const newPairs = fresh.querySelector('[data-part="pairs"]');
    const sameShape =
      oldPairs &&
      newPairs &&
      oldPairs.querySelectorAll(".pair").length === newPairs.querySelectorAll(".pair").length &&
      oldPairs.querySelectorAll(".pair").length > 0;
    if (sameShape) {
      // Replace only the blocks that changed, so hover and focus elsewhere survive.
      const olds = oldPairs.querySelectorAll(".pair");
      newPairs.querySelectorAll(".pair").forEach((pair, index) => {
        if (olds[index].dataset.state !== pair.dataset.state) olds[index].replaceWith(document.adoptNode(pair));
      });
      ["status", "notes", "head", "footer"].forEach((name) => replacePart(fresh, name));
      Object.assign(live.dataset, fresh.dataset);
    } else {
      const adopted = document.adoptNode(fresh);
      live.replaceWith(adopted);
      live = adopted;
    }
    highlighted = null;
  }

  function finished(status) {
    reader.dataset.status = status;
    const exports = reader.querySelector(".exports");
    if (exports && status === "done") exports.classList.remove("not-ready");
  }

  async function refreshBlocks() {
    lastFetch = Date.now();
    const response = await fetch(liveUrl, { credentials: "same-origin", headers: { Accept: "text/html" } });
    if (response.ok) applyFragment(await response.text());
  }

  async function poll() {
    let summary;
    try {
      const response = await fetch(statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (response.status === 404) return; // deleted meanwhile: stop polling
      if (response.status === 403) { window.location.reload(); return; } // signed out: the page asks to sign in
      summary = await response.json();
    } catch (error) {
      delay = Math.min(delay * 2, 5000); // server restarting: back off and keep trying
      window.setTimeout(poll, delay);
      return;
    }
    updateProgress(summary);
    updateHeader(summary);
    const active = isActive(summary.status);
    const key = [summary.status, summary.done_sentences, summary.total_sentences].join("/");
    if (!active || (key !== lastKey && Date.now() - lastFetch > 1500)) {
      lastKey = key;
      await refreshBlocks();
    }
    if (active) {
      delay = POLL_MS;
      window.setTimeout(poll, delay);
    } else {
      finished(summary.status);
    }
  }

  if (live && isActive(live.dataset.status)) {
    window.setTimeout(poll, 300);
  } else if (live) {
    finished(live.dataset.status);
  }
})();

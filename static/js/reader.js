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

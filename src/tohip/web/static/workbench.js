// tohip workbench: live updates. Without this script every form still posts and the page
// is rendered again; with it, a change in the case checklist re-assesses at once and only
// the page body is swapped, keeping focus where it was.
"use strict";
(function () {
  function swapMain(html) {
    const doc = new DOMParser().parseFromString(html, "text/html");
    const fresh = doc.querySelector("main");
    const current = document.querySelector("main");
    if (!fresh || !current) return false;
    const focusedId = document.activeElement ? document.activeElement.id : "";
    const open = Array.from(current.querySelectorAll("details[id][open]")).map((d) => d.id);
    const scroll = window.scrollY;
    current.replaceWith(fresh);
    open.forEach((id) => { const d = document.getElementById(id); if (d) d.open = true; });
    window.scrollTo(0, scroll);
    if (focusedId) { const el = document.getElementById(focusedId); if (el) el.focus(); }
    return true;
  }
  let pending = null;
  async function update(form) {
    if (pending) pending.abort();
    pending = new AbortController();
    const body = new FormData(form);
    try {
      const response = await fetch(form.getAttribute("action"), { method: "POST", body: body, signal: pending.signal,
        headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" });
      const html = await response.text();
      if (swapMain(html)) {
        const live = document.getElementById("live");
        const top = document.querySelector("#differential .dx-row");
        if (live && top) live.textContent = "Differential updated: " + top.textContent.replace(/\s+/g, " ").trim();
      }
    } catch (err) {
      if (err.name !== "AbortError") form.submit();
    }
  }
  document.addEventListener("change", function (event) {
    const form = event.target.closest("form.checklist");
    if (form) update(form);
  });
})();

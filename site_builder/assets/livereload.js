// site-builder serve: reload the page when the site has been rebuilt (preview only; never in output/).
(() => {
  const script = document.currentScript;
  const since = script ? new URL(script.src).searchParams.get("g") || "0" : "0";
  const events = new EventSource(`/__site_builder/events?since=${encodeURIComponent(since)}`);
  events.addEventListener("reload", () => { events.close(); window.location.reload(); });
})();

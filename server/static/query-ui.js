// The YASGUI editor of /sparql: our endpoint, the competency questions as examples, no calls
// to other servers (the page's Content-Security-Policy forbids them anyway).
(function () {
  "use strict";
  var holder = document.getElementById("yasgui");
  if (!holder || typeof Yasgui === "undefined") { return; }
  var examples = JSON.parse(document.getElementById("kazkg-examples").textContent);
  var initial = JSON.parse(document.getElementById("kazkg-initial-query").textContent);
  var endpoint = new URL(holder.dataset.endpoint, window.location.href).href;
  var yasgui = new Yasgui(holder, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: "kazkg-yasgui",
    yasqe: { value: initial || (examples.length ? examples[0].query : "SELECT * WHERE { ?s ?p ?o } LIMIT 10") },
  });
  if (initial) { yasgui.getTab().setQuery(initial); }
  document.querySelectorAll("a.example").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var example = examples[Number(link.dataset.example)];
      if (!example) { return; }
      event.preventDefault();
      var tab = yasgui.addTab(true, { name: example.title });
      tab.setQuery(example.query);
      holder.scrollIntoView();
    });
  });
  window.kazkgYasgui = yasgui;
})();

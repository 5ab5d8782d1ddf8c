// The map of Chile coloured by the level each GORE reaches. The table beside it carries the
// same data (rows with data-region and data-nivel) for keyboards and screen readers, so the
// map is hidden from them. A file, not an inline script: the CSP forbids those.
(function () {
  "use strict";
  var mapa = document.getElementById("mapa-calidad");
  if (!mapa) { return; }
  fetch(mapa.getAttribute("data-svg"), { credentials: "same-origin" })
    .then(function (respuesta) { return respuesta.text(); })
    .then(function (texto) {
      var svg = new DOMParser().parseFromString(texto, "image/svg+xml").documentElement;
      svg.setAttribute("aria-hidden", "true");
      svg.setAttribute("focusable", "false");
      document.querySelectorAll("tr[data-region]").forEach(function (fila) {
        var forma = svg.querySelector("#region-" + fila.getAttribute("data-region"));
        if (!forma) { return; }
        forma.removeAttribute("fill");
        forma.classList.add("nivel-" + fila.getAttribute("data-nivel"));
        var titulo = forma.querySelector("title");
        if (titulo) { titulo.textContent = fila.getAttribute("data-titulo"); }
      });
      mapa.appendChild(document.importNode(svg, true));
    });
})();

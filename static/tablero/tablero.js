/* Tablero: draws the charts and the map from the figures the page carries (json_script),
   and makes each bar, slice and region open the list behind it. No inline script (CSP). */
(function () {
  "use strict";

  document.querySelectorAll("[data-imprimir]").forEach(function (boton) {
    boton.addEventListener("click", function () { window.print(); });
  });

  var fuente = document.getElementById("datos-tablero");
  if (!fuente) { return; }
  var datos = JSON.parse(fuente.textContent);
  // Meaningful colours where the categories have a meaning; the palette elsewhere.
  var COLORES_DE = {
    plazos: ["#198754", "#e9a23b", "#adb5bd"],
    validacion: ["#198754", "#e9a23b", "#c8553d", "#adb5bd"]
  };
  var COLORES = ["#0a58a0", "#2a9d8f", "#e9a23b", "#c8553d", "#6c757d", "#6f42c1", "#198754", "#0dcaf0"];

  function irA(enlaces) {
    return function (evento, elementos) {
      if (elementos.length && enlaces[elementos[0].index]) {
        window.location.href = enlaces[elementos[0].index];
      }
    };
  }

  function grafico(lienzo, clave) {
    var g = datos[clave];
    if (!g || typeof Chart === "undefined") { return; }
    var etiquetas = g.filas.map(function (f) { return String(f.nombre); });
    var enlaces = g.filas.map(function (f) { return f.enlace; });
    var opciones = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      onClick: irA(enlaces),
      plugins: { legend: { display: g.tipo === "doughnut" || g.tipo === "line", position: "bottom" } }
    };
    var conjuntos;
    var tipo = g.tipo;
    if (tipo === "line") {
      conjuntos = g.series.map(function (nombre, i) {
        return {
          label: nombre,
          data: g.filas.map(function (f) { return f.valores[i]; }),
          borderColor: COLORES[i],
          backgroundColor: COLORES[i],
          spanGaps: true
        };
      });
      opciones.scales = { y: { min: 0, max: 100, title: { display: true, text: "%" } } };
    } else {
      conjuntos = [{
        label: g.unidad,
        data: g.filas.map(function (f) { return f.valor; }),
        backgroundColor: COLORES_DE[clave] || (tipo === "doughnut" ? COLORES : COLORES[0])
      }];
      opciones.scales = tipo === "doughnut" ? {} : { x: { ticks: { precision: 0 } }, y: { ticks: { precision: 0 } } };
      if (tipo === "barh") {
        tipo = "bar";
        opciones.indexAxis = "y";
      }
      if (g.unidad === "% de avance") {
        opciones.scales = { x: { min: 0, max: 100 } };
      }
      if (tipo === "doughnut") { delete opciones.scales; }
    }
    new Chart(lienzo, { type: tipo, data: { labels: etiquetas, datasets: conjuntos }, options: opciones });
  }

  document.querySelectorAll("canvas[data-grafico]").forEach(function (lienzo) {
    grafico(lienzo, lienzo.getAttribute("data-grafico"));
  });

  var mapa = document.getElementById("mapa-chile");
  if (mapa && datos.mapa) {
    fetch(mapa.getAttribute("data-svg"), { credentials: "same-origin" })
      .then(function (respuesta) { return respuesta.text(); })
      .then(function (texto) {
        var svg = new DOMParser().parseFromString(texto, "image/svg+xml").documentElement;
        // The table beside the map carries the same figures and links for keyboards and readers.
        svg.setAttribute("aria-hidden", "true");
        svg.setAttribute("focusable", "false");
        datos.mapa.forEach(function (region) {
          var forma = svg.querySelector("#region-" + region.codigo);
          if (!forma) { return; }
          forma.removeAttribute("fill");
          forma.classList.add("nivel-" + region.nivel);
          var titulo = forma.querySelector("title");
          if (titulo) {
            titulo.textContent = region.nombre + ": " + region.servicios + " servicios" +
              (region.avance === null ? ", sin informes" : ", avance " + region.avance + " %");
          }
          if (region.enlace) {
            forma.classList.add("con-enlace");
            forma.addEventListener("click", function () { window.location.href = region.enlace; });
          }
        });
        mapa.appendChild(document.importNode(svg, true));
      });
  }
})();

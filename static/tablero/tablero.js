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

  // Figures as in Chile and as the tables beside the charts write them (srm/formato.py):
  // 1.234 and 42,5 %. The browser's own locale (often en-US) would write 42.5.
  function numeroCL(valor, decimales) {
    if (valor === null || valor === undefined || isNaN(valor)) { return "—"; }
    var partes = Math.abs(valor).toFixed(decimales).split(".");
    var enteros = partes[0].replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    var signo = valor < 0 && Number(partes.join(".")) !== 0 ? "-" : "";
    return signo + enteros + (partes.length > 1 ? "," + partes[1] : "");
  }
  function porcentajeCL(valor) {
    var texto = numeroCL(valor, 1);
    return texto === "—" ? texto : texto + " %";
  }
  if (typeof Chart !== "undefined") { Chart.defaults.locale = "es-CL"; }

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
    var esPorcentaje = g.unidad === "%" || g.unidad === "% de avance";
    opciones.plugins.tooltip = {
      callbacks: {
        label: function (contexto) {
          var valor = contexto.raw;
          var texto = esPorcentaje ? porcentajeCL(valor) : numeroCL(valor, 0) + " " + g.unidad;
          // A bar's tooltip has its category as title; a slice's and a line's do not.
          var nombre = g.tipo === "line" ? contexto.dataset.label :
            (g.tipo === "doughnut" ? contexto.label : "");
          return (nombre ? nombre + ": " : "") + texto;
        }
      }
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
            titulo.textContent = region.nombre + ": " + numeroCL(region.servicios, 0) +
              (region.servicios === 1 ? " servicio" : " servicios") +
              (region.avance === null ? ", sin informes" : ", avance " + porcentajeCL(region.avance));
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

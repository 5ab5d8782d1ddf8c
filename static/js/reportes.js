// Reportes page: polls the state of the runs still in progress and updates their bars;
// when one finishes (fails, or is found stopped) the page reloads to show its download link or its error.
(function () {
  "use strict";
  var tabla = document.getElementById("tabla-reportes");
  if (!tabla || !tabla.dataset.enCurso) {
    return;
  }
  var ids = tabla.dataset.enCurso;
  var url = tabla.dataset.urlEstado + "?ids=" + encodeURIComponent(ids);

  function actualizar(reporte) {
    var fila = document.getElementById("reporte-" + reporte.id);
    if (!fila) {
      return;
    }
    var barra = fila.querySelector("progress");
    var porcentaje = fila.querySelector("[data-porcentaje]");
    var etapa = fila.querySelector("[data-etapa]");
    var estado = fila.querySelector("[data-estado]");
    if (barra) {
      barra.value = reporte.progreso;
      barra.textContent = reporte.progreso + " %";
    }
    if (porcentaje) {
      porcentaje.textContent = reporte.progreso + " %";
    }
    if (etapa) {
      etapa.textContent = reporte.etapa;
    }
    if (estado) {
      estado.textContent = reporte.estado_texto;
      estado.classList.toggle("text-bg-info", reporte.estado === "generando");
      estado.classList.toggle("text-bg-secondary", reporte.estado === "pendiente");
    }
  }

  function consultar() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (respuesta) {
        return respuesta.ok ? respuesta.json() : null;
      })
      .then(function (datos) {
        if (!datos) {
          window.setTimeout(consultar, 10000);
          return;
        }
        var terminado = false;
        datos.reportes.forEach(function (reporte) {
          actualizar(reporte);
          if (["listo", "error", "detenido"].indexOf(reporte.estado) !== -1) {
            terminado = true;
          }
        });
        if (terminado) {
          window.location.reload();
        } else {
          window.setTimeout(consultar, 1500);
        }
      })
      .catch(function () {
        window.setTimeout(consultar, 10000);
      });
  }

  window.setTimeout(consultar, 1000);
})();

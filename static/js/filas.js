// Adds rows to Django formsets: each [data-filas] block holds a <template> with the empty form.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-filas]").forEach((bloque) => {
    const prefijo = bloque.dataset.filas;
    const total = bloque.querySelector(`input[name="${prefijo}-TOTAL_FORMS"]`);
    const plantilla = bloque.querySelector("template");
    const destino = bloque.querySelector("[data-filas-destino]");
    const boton = bloque.querySelector("[data-filas-agregar]");
    if (!total || !plantilla || !destino || !boton) return;
    boton.addEventListener("click", () => {
      const indice = Number(total.value);
      const html = plantilla.innerHTML.replaceAll("__prefix__", String(indice));
      destino.insertAdjacentHTML("beforeend", html);
      total.value = String(indice + 1);
      const nueva = destino.lastElementChild;
      const primero = nueva && nueva.querySelector("input:not([type=hidden]), select, textarea");
      if (primero) primero.focus();
    });
  });
});

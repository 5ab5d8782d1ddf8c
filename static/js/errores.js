// After a form comes back with errors, the focus moves to their summary at the top of the page
// (partials/resumen_errores.html), so a keyboard or screen reader user hears what to fix; each
// error links to its field. A file, not an inline script: the CSP forbids those.
document.addEventListener("DOMContentLoaded", () => {
  const resumen = document.querySelector("[data-resumen-errores]");
  if (!resumen) return;
  resumen.focus();
  resumen.querySelectorAll('a[href^="#"]').forEach((enlace) => {
    enlace.addEventListener("click", (evento) => {
      const campo = document.getElementById(enlace.getAttribute("href").slice(1));
      if (!campo) return;
      evento.preventDefault();
      campo.focus();
      campo.scrollIntoView({ block: "center" });
    });
  });
});

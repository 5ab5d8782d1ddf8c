// After a form comes back with errors, the focus moves to their summary at the top of the page
// (partials/resumen_errores.html, or the refusal of an action after a redirect in base.html),
// so a keyboard or screen reader user hears what to fix; each error links to its field.
// A file, not an inline script: the CSP forbids those.
//
// Forms that answer with a redirect (observaciones, verdicts, validation, the DIPRES date) would
// lose what was typed when the server refuses it: what a form sends is kept in this tab's
// sessionStorage until the next page, which puts it back if that page says the action was refused
// (data-devuelto) and forgets it otherwise. Passwords and files are never kept.
const CLAVE_ENVIADO = "srm-formulario-enviado";
const NO_SE_GUARDAN = new Set(["hidden", "password", "file", "submit", "button", "reset", "image"]);

document.addEventListener(
  "submit",
  (evento) => {
    const formulario = evento.target;
    if (!(formulario instanceof HTMLFormElement) || formulario.method.toLowerCase() !== "post") return;
    const campos = {};
    for (const campo of formulario.elements) {
      if (!campo.id || !campo.name || NO_SE_GUARDAN.has(campo.type)) continue;
      campos[campo.id] =
        campo.type === "checkbox" || campo.type === "radio" ? { marcado: campo.checked } : { valor: campo.value };
    }
    try {
      sessionStorage.setItem(
        CLAVE_ENVIADO,
        JSON.stringify({ accion: formulario.getAttribute("action") || "", campos: campos }),
      );
    } catch (error) {
      // Storage full or disabled: the form is sent all the same.
    }
  },
  true,
);

function leerEnviado() {
  try {
    const guardado = sessionStorage.getItem(CLAVE_ENVIADO);
    sessionStorage.removeItem(CLAVE_ENVIADO);
    return guardado ? JSON.parse(guardado) : null;
  } catch (error) {
    return null;
  }
}

// Puts back what the refused form held (found by its fields' ids: several forms of a page may
// post to the same address); returns the first field put back, or null.
function devolverLoEscrito(enviado) {
  let primero = null;
  for (const [id, guardado] of Object.entries(enviado.campos || {})) {
    const campo = document.getElementById(id);
    if (!campo || !campo.form || (campo.form.getAttribute("action") || "") !== enviado.accion) continue;
    if ("marcado" in guardado) campo.checked = guardado.marcado;
    else campo.value = guardado.valor;
    if (!primero && campo.type !== "checkbox" && campo.type !== "radio") primero = campo;
  }
  return primero;
}

document.addEventListener("DOMContentLoaded", () => {
  const enviado = leerEnviado();
  // A form drawn again with its errors has its own summary, with a link per field: it takes the
  // focus, and the form already holds what was typed.
  const delFormulario = document.querySelector("#resumen-errores[data-resumen-errores]");
  const resumen = delFormulario || document.querySelector("[data-resumen-errores]");
  if (!resumen) return;
  if (enviado && !delFormulario && resumen.hasAttribute("data-devuelto")) {
    const campo = devolverLoEscrito(enviado);
    const aviso = resumen.querySelector("[data-devuelto-aviso]");
    if (campo && aviso) {
      aviso.querySelector("a").setAttribute("href", "#" + campo.id);
      aviso.hidden = false;
    }
  }
  resumen.focus();
  // A redirect back to «#medio-12» scrolls to that fragment once the page has loaded, and the
  // browser then moves the focus to the document: take it back to the summary, unless the user
  // has already moved it somewhere.
  if (location.hash) {
    window.addEventListener(
      "load",
      () => {
        requestAnimationFrame(() => {
          if (document.activeElement !== document.body && document.activeElement !== resumen) return;
          resumen.focus();
          resumen.scrollIntoView({ block: "start" });
        });
      },
      { once: true },
    );
  }
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

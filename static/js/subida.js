// Upload forms with a progress bar. The file is sent with XHR so the browser can report
// progress; the server answers with JSON naming the page to show next. Text typed in the
// informe but not yet saved is saved first, so an upload never loses it.
document.addEventListener("DOMContentLoaded", () => {
  const texto = document.getElementById("informe-texto");
  let hayCambios = false;
  if (texto) {
    document.querySelectorAll(`[form="${texto.id}"]`).forEach((campo) => {
      campo.addEventListener("input", () => { hayCambios = true; });
    });
  }

  // Answers null when the text is saved (or nothing changed), else what to tell the person.
  async function guardarTexto() {
    if (!texto || !hayCambios) return null;
    const respuesta = await fetch(texto.action || window.location.href, {
      method: "POST",
      body: new FormData(texto),
      headers: { "X-Requested-With": "XMLHttpRequest" },
    });
    const datos = await respuesta.json().catch(() => ({}));
    if (datos.guardado) {
      hayCambios = false;
      return null;
    }
    return datos.error || "Hay cambios en el informe que no se pudieron guardar: use «Guardar borrador» y revise los campos marcados.";
  }

  document.querySelectorAll("form[data-subida]").forEach((formulario) => {
    formulario.addEventListener("submit", async (evento) => {
      const barra = formulario.querySelector("progress");
      if (!window.XMLHttpRequest || !window.fetch || !barra) return;
      evento.preventDefault();
      const estado = formulario.querySelector("[data-subida-estado]");
      const boton = formulario.querySelector("button[type=submit]");
      const decir = (mensaje) => { if (estado) { estado.classList.remove("d-none"); estado.textContent = mensaje; } };
      boton.disabled = true;
      try {
        const problema = await guardarTexto();
        if (problema) {
          decir(problema);
          boton.disabled = false;
          return;
        }
      } catch (error) {
        decir("No se pudo guardar el texto del informe: revise su conexión e intente de nuevo.");
        boton.disabled = false;
        return;
      }
      const xhr = new XMLHttpRequest();
      xhr.open("POST", formulario.action);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.responseType = "json";
      barra.classList.remove("d-none");
      decir("Subiendo…");
      xhr.upload.addEventListener("progress", (e) => {
        if (!e.lengthComputable) return;
        const porcentaje = Math.round((100 * e.loaded) / e.total);
        barra.value = porcentaje;
        decir(`Subiendo… ${porcentaje} %`);
      });
      xhr.addEventListener("load", () => {
        const destino = xhr.response && xhr.response.url;
        window.location.assign(destino || window.location.href);
        if (destino && destino.includes("#")) window.location.reload();
      });
      xhr.addEventListener("error", () => {
        boton.disabled = false;
        decir("No se pudo subir: revise su conexión e intente de nuevo.");
      });
      xhr.send(new FormData(formulario));
    });
  });
});

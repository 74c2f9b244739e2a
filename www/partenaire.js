// The demonstration partner site's own script: drives the first widget
// through its JavaScript API and listens to its events.
const first = document.getElementById("first");
const log = document.getElementById("log");

document.getElementById("choice").addEventListener("change", (e) => {
  first.setTerritory(e.target.value).catch((err) => {
    log.textContent = `Erreur : ${err.message}`;
  });
});
document.getElementById("export").addEventListener("click", () => {
  first.exportPdf().catch((err) => {
    log.textContent = `Export impossible : ${err.message}`;
  });
});
first.addEventListener("territorychange", (e) => {
  log.textContent = `Territoire affiché : ${e.detail.name}`;
});
first.addEventListener("exportdone", (e) => {
  log.textContent = `PDF téléchargé : ${e.detail.filename}`;
});

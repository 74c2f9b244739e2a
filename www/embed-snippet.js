// « Intégrer cet instantané »: the code a partner site copies to show the
// current view, as an iframe (embed.html, for sites that cannot add
// scripts) or as the <territory-snapshot> element. Fills the given
// <section> and follows the study territory and the comparisons.

import { h } from "./dom.js";

/** `"` and `&` and `<` escaped for an HTML attribute value. */
function attr(text) {
  return String(text).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}

/**
 * The two snippets for `view` = { code, name, compare } (compare: undefined
 * for the default comparisons, else an array of codes), served from `base`
 * (the viewer's URL).
 */
export function snippets(view, base) {
  const embed = new URL("embed.html", base);
  embed.search = "";
  embed.searchParams.set("territoire", view.code);
  if (view.compare !== undefined) embed.searchParams.set("comparer", view.compare.join(","));
  const title = `Instantané territorial : ${view.name}`;
  const iframe =
    `<iframe src="${attr(embed.href)}" title="${attr(title)}" ` +
    `width="100%" height="1400" loading="lazy" style="border:0"></iframe>`;
  const script = new URL("territory-snapshot.js", base).href;
  const pack = new URL("pack.bin", base).href;
  const compare = view.compare === undefined ? "" : ` compare="${attr(view.compare.join(","))}"`;
  const element =
    `<script type="module" src="${attr(script)}"></script>\n` +
    `<territory-snapshot pack="${attr(pack)}" territory="${attr(view.code)}"${compare}></territory-snapshot>`;
  return { iframe, element };
}

async function copy(textarea, status, what) {
  try {
    await navigator.clipboard.writeText(textarea.value);
  } catch {
    // No clipboard permission (an http page, a refusal): select the text so
    // that Ctrl+C copies it.
    textarea.focus();
    textarea.select();
    status.textContent = `Le code ${what} est sélectionné : copiez-le avec Ctrl+C.`;
    return;
  }
  status.textContent = `Code ${what} copié dans le presse-papiers.`;
}

export function createEmbedSnippet(section) {
  const status = h("p", { class: "status", role: "status" });
  const blocks = {};
  const block = (key, heading, hint, what) => {
    const id = `embed-${key}`;
    const textarea = h("textarea", {
      id,
      readonly: true,
      rows: key === "iframe" ? 3 : 4,
      spellcheck: "false",
      class: "embed-code",
      "aria-describedby": `${id}-hint`,
    });
    const button = h("button", { type: "button", class: "button" }, `Copier le code ${what}`);
    button.addEventListener("click", () => copy(textarea, status, what));
    blocks[key] = textarea;
    return h(
      "div",
      { class: "embed-block" },
      h("h3", {}, heading),
      h("p", { class: "hint", id: `${id}-hint` }, hint),
      h("label", { for: id }, `Code ${what}`),
      textarea,
      button,
    );
  };
  section.replaceChildren(
    h("h2", { id: "embed-title" }, "Intégrer cet instantané"),
    h(
      "p",
      { class: "hint" },
      "Affichez ce territoire et ses comparaisons sur votre site : le lecteur fonctionne entièrement dans le navigateur de vos visiteurs.",
    ),
    block(
      "iframe",
      "Dans une iframe (aucun script à ajouter)",
      "Collez ce code là où l'instantané doit apparaître.",
      "iframe",
    ),
    block(
      "element",
      "Avec l'élément <territory-snapshot>",
      "Pour les sites qui acceptent un script : copiez les fichiers de la visionneuse sur votre site (même origine) et adaptez les adresses. Attributs : infographies (panels), cartes (maps), thème par propriétés CSS (--ts-color-accent…).",
      "de l'élément",
    ),
    status,
  );
  section.setAttribute("aria-labelledby", "embed-title");

  return {
    /** Shows the snippets for `view` ({code, name, compare}), or hides the
     * section for null. */
    update(view) {
      section.hidden = !view;
      if (!view) return;
      const s = snippets(view, location.href);
      blocks.iframe.value = s.iframe;
      blocks.element.value = s.element;
      status.textContent = "";
    },
  };
}

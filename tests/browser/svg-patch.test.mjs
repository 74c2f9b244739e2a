// A territory switch sends each infographic as a patch of the one shown
// (src/render/patch.rs), applied by www/svg-import.js patchSvg: the DOM it
// leaves must be the one a whole import of the new document gives, on real
// territories; a patch that does not fit changes nothing; what a patch
// brings is cleaned like a whole document; and the viewer page and the
// widget patch their infographics in place.
//
//   node --test tests/browser/svg-patch.test.mjs

import { test } from "node:test";
import assert from "node:assert/strict";

import { useBrowser } from "./setup.mjs";
import { openViewer } from "./lib.mjs";

const T = { timeout: 120_000 };
const env = useBrowser();

/** Defines `window.canonical(svg)` in the page: the tree as text, each
 * element's attributes sorted (a patch sets a new attribute after the
 * others: their order means nothing). */
function defineCanonical(page) {
  return page.evaluate(() => {
    const walk = (el) => {
      const attrs = el.getAttributeNames().sort().map((n) => `${n}=${el.getAttribute(n)}`);
      const kids = [...el.children];
      return `<${el.localName} ${attrs.join(" ")}>${kids.length ? kids.map(walk).join("") : el.textContent}</${el.localName}>`;
    };
    window.canonical = walk;
  });
}

/** What `fn` returns, run in a fresh page on the widget's embed.html (the
 * core, the pack and www/svg-import.js at hand, `window.canonical`
 * defined); the page closed after. */
async function inEmbedPage(fn) {
  const page = await env.browser.newPage();
  try {
    await page.goto(`${env.server.url}embed.html`);
    await defineCanonical(page);
    return await page.evaluate(fn);
  } finally {
    await page.close();
  }
}

test("patched infographics are exactly the new ones, over real switches", T, async () => {
  const r = await inEmbedPage(async () => {
    const canonical = window.canonical;
    const core = await import("/pkg/territoire.js");
    await core.default();
    const { importSvg, patchSvg } = await import("/svg-import.js");
    const v = new core.Viewer(new Uint8Array(await (await fetch("/pack.bin")).arrayBuffer()));
    try {
      // EPCIs of the Pays de la Loire, then a département, the région,
      // France, an EPCI elsewhere, other comparisons, none, and back.
      const epcis = v.search("communaute", "epci", 40).map((t) => [t.key, undefined]);
      const steps = [...epcis, ["dep:44"], ["reg:52"], ["FRM"], ["200000172"], ["244400404", "85,FRM"], ["244400404", ""], ["244400404"]];
      const host = document.body.appendChild(document.createElement("div"));
      let shown = []; // { svg, key } per panel
      let patched = 0, whole = 0;
      const mismatches = [];
      for (const [code, compare] of steps) {
        const snap = v.infographics(code, compare, shown.map((s) => s?.key ?? "").join(","));
        const fresh = v.infographics(code, compare).panels; // whole documents
        shown = snap.panels.map((p, i) => {
          const prefix = `p${i}-`;
          let svg = shown[i]?.svg;
          if (p.patch && svg && patchSvg(svg, p.patch, prefix)) {
            patched++;
          } else {
            svg = importSvg(p.svg ?? v.infographic_svg(p.key), prefix);
            whole++;
          }
          host.append(svg);
          const want = importSvg(fresh[i].svg, prefix);
          if (canonical(svg) !== canonical(want)) mismatches.push(`${code} ${compare}: ${p.id}`);
          return { svg, key: p.key };
        });
      }
      return { patched, whole, mismatches, steps: steps.length };
    } finally {
      v.free();
    }
  });
  assert.deepEqual(r.mismatches, []);
  // Nine whole documents at first; then, between territories, patches.
  assert.ok(r.patched >= 8 * (r.steps - 1), `${r.patched} patched, ${r.whole} whole`);
});

test("a patch that does not fit the document shown changes nothing", T, async () => {
  const r = await inEmbedPage(async () => {
    const core = await import("/pkg/territoire.js");
    await core.default();
    const { importSvg, patchSvg } = await import("/svg-import.js");
    const v = new core.Viewer(new Uint8Array(await (await fetch("/pack.bin")).arrayBuffer()));
    try {
      const shown = v.infographics("244400404", undefined).panels;
      const svg = importSvg(shown[7].svg, "q-");
      const next = v.infographics("245300389", undefined, shown.map((p) => p.key).join(",")).panels[7];
      // Changed since it was sent: one element fewer.
      svg.querySelector("rect").remove();
      const before = svg.outerHTML;
      const applied = patchSvg(svg, next.patch, "q-");
      const out = { hadPatch: Boolean(next.patch), applied, unchanged: svg.outerHTML === before };
      // Not JSON, not a patch, an index out of range, an unknown op.
      out.bad = ["{", "[]", JSON.stringify([svg.querySelectorAll("*").length + 1, ["a", 99999, "x", "1"]]), JSON.stringify([svg.querySelectorAll("*").length + 1, ["z", 1]])].map(
        (p) => patchSvg(svg, p, "q-"),
      );
      out.stillUnchanged = svg.outerHTML === before;
      // The whole document of that key, for the caller's fallback.
      out.fallback = v.infographic_svg(next.key)?.startsWith("<svg") ?? false;
      return out;
    } finally {
      v.free();
    }
  });
  assert.deepEqual(r, { hadPatch: true, applied: false, unchanged: true, bad: [false, false, false, false], stillUnchanged: true, fallback: true });
});

test("what a patch brings is cleaned like a whole document", T, async () => {
  const r = await inEmbedPage(async () => {
    const { importSvg, patchSvg } = await import("/svg-import.js");
    window.ran = [];
    const text =
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" role="img" aria-labelledby="a-t"><title id="a-t">T</title>' +
      '<defs><pattern id="a-0" width="6" height="6"><rect width="6" height="6" fill="#fff"/></pattern></defs>' +
      '<g><rect x="1" y="1" width="2" height="2" fill="url(#a-0)"/><text x="1" y="5">v</text></g></svg>';
    const svg = importSvg(text, "z-");
    document.body.append(svg);
    // svg 0, title 1, defs 2, pattern 3, its rect 4, g 5, rect 6, text 7
    const n = svg.querySelectorAll("*").length + 1;
    const patch = JSON.stringify([
      n,
      ["a", 0, "aria-labelledby", "b-t"],
      ["a", 1, "id", "b-t"], // a new id: set first, so the reference above follows
      ["a", 5, "onclick", "window.ran.push('a')"],
      ["a", 5, "style", "fill:red"],
      ["a", 5, "fill", "url(http://example.org/x.svg#p)"],
      ["a", 6, "href", "javascript:window.ran.push('c')"],
      ["t", 7, "&lt;img src=x onerror=&quot;window.ran.push('d')&quot;&gt; &amp; co"],
      ["b", 5, '<script>window.ran.push("e")</script><image href="http://example.org/i.png"/><foreignObject><div>x</div></foreignObject><rect id="n" fill="url(#a-0)" onmouseover="window.ran.push(\'f\')"/>'],
      ["e", 5, '<use href="#n"/><use href="https://example.org/#x"/>'],
    ]);
    // A name the core never writes (capitals: "ONLOAD" is not the onload
    // handler on an SVG element, but no such name is let through): the
    // whole patch is refused.
    const capitals = JSON.stringify([n, ["a", 5, "ONLOAD", "window.ran.push('b')"]]);
    const refused = !patchSvg(svg, capitals, "z-") && !svg.querySelector("g").hasAttribute("ONLOAD");
    const applied = patchSvg(svg, patch, "z-");
    for (const el of svg.querySelectorAll("*")) {
      el.dispatchEvent(new MouseEvent("click", { bubbles: true }));
      el.dispatchEvent(new MouseEvent("mouseover", { bubbles: true }));
      el.dispatchEvent(new Event("load"));
    }
    await new Promise((r) => setTimeout(r, 50));
    const names = [svg, ...svg.querySelectorAll("*")].flatMap((e) => e.getAttributeNames().map((a) => `${e.localName}.${a}=${e.getAttribute(a)}`));
    return {
      refused,
      applied,
      ran: window.ran,
      elements: [...svg.querySelectorAll("*")].map((e) => e.localName),
      names,
      text: svg.querySelector("text").textContent,
      labelled: svg.getAttribute("aria-labelledby"),
      title: svg.querySelector("title").id,
    };
  });
  assert.equal(r.refused, true, "a name in capitals is refused");
  assert.equal(r.applied, true);
  assert.deepEqual(r.ran, [], "no handler ran");
  assert.ok(!r.elements.some((e) => ["script", "foreignObject", "div"].includes(e)), r.elements.join(","));
  assert.ok(!r.names.some((n) => /\.on|\.style=|javascript/i.test(n) || (/http/.test(n) && !n.startsWith("svg.xmlns="))), r.names.join(" "));
  assert.ok(r.names.includes("g.fill=none"), "an outside url() becomes none");
  // A text is text; the new id is prefixed and its reference follows;
  // references to the document's own ids are renamed.
  assert.equal(r.text, `<img src=x onerror="window.ran.push('d')"> & co`);
  assert.equal(r.title, "z-b-t");
  assert.equal(r.labelled, "z-b-t");
  assert.ok(r.names.includes("rect.id=z-n") && r.names.includes("use.href=#z-n"), r.names.join(" "));
  assert.ok(r.names.filter((n) => n === "rect.fill=url(#z-a-0)").length === 2, r.names.join(" "));
});

test("the viewer page and the widget patch their infographics in place on a switch", T, async () => {
  const { page, problems } = await openViewer(env.browser, `${env.server.url}?territoire=epci:244400404`);
  try {
    const mark = () =>
      page.evaluate(() => {
        const svgs = [...document.querySelectorAll("#panels .panel-figure > svg")];
        for (const s of svgs) s.__kept = true;
        return svgs.length;
      });
    assert.equal(await mark(), 9);
    await page.evaluate(() => {
      const url = new URL(location.href);
      url.searchParams.set("territoire", "epci:245300389");
      history.pushState(null, "", url);
      dispatchEvent(new PopStateEvent("popstate"));
    });
    await page.waitForFunction(() => /Bocage Mayennais/.test(document.getElementById("fiche-title")?.textContent ?? ""), null, { timeout: 30_000 });
    await defineCanonical(page);
    const r = await page.evaluate(async () => {
      const canonical = window.canonical;
      const core = await import("./pkg/territoire.js");
      const { importSvg } = await import("./svg-import.js");
      const v = new core.Viewer(new Uint8Array(await (await fetch("pack.bin")).arrayBuffer()));
      try {
        const fresh = v.infographics("epci:245300389", undefined).panels;
        const svgs = [...document.querySelectorAll("#panels .panel-figure > svg")];
        return {
          kept: svgs.filter((s) => s.__kept).length,
          same: svgs.filter((s, i) => canonical(s).replace(/p-[a-z_]+-/g, "") === canonical(importSvg(fresh[i].svg, "")).replace(/p-[a-z_]+-/g, "")).length,
        };
      } finally {
        v.free();
      }
    });
    assert.deepEqual(r, { kept: 9, same: 9 });
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }

  const widget = await env.browser.newPage();
  try {
    await widget.goto(`${env.server.url}embed.html`);
    await widget.evaluate(async () => {
      await import("./territory-snapshot.js");
      const el = document.createElement("territory-snapshot");
      el.id = "patched";
      el.setAttribute("territory", "244400404");
      document.body.append(el);
      await el.ready;
      for (const s of el.shadowRoot.querySelectorAll(".panel .figure > svg")) s.__kept = true;
      el.setAttribute("territory", "245300389");
    });
    await widget.waitForFunction(() => /Bocage Mayennais/.test(document.getElementById("patched")?.shadowRoot?.textContent ?? ""), null, {
      timeout: 30_000,
    });
    const kept = await widget.evaluate(() => [...document.getElementById("patched").shadowRoot.querySelectorAll(".panel .figure > svg")].filter((s) => s.__kept).length);
    assert.equal(kept, 9);
  } finally {
    await widget.close();
  }
});

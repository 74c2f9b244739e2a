// www/svg-import.js, the second line of defence between the core's SVG and
// the page (the core escapes what it writes; this catches a crafted pack or
// a bug): crafted SVG documents go in, and what comes out must hold no
// script, handler, foreign content, inline style or outside reference,
// while the drawing, the ids (prefixed) and their references survive.
//
//   node --test tests/browser/svg-import.test.mjs

import { test } from "node:test";
import assert from "node:assert/strict";

import { useBrowser } from "./setup.mjs";

const T = { timeout: 60_000 };
const env = useBrowser();

/** Imports each SVG text in a page; returns, per text, null (refused) or
 * { markup, events: the handlers that ran, attributes: every attribute
 * name in the result }. */
async function importAll(texts) {
  const page = await env.browser.newPage();
  try {
    await page.goto(`${env.server.url}embed.html`); // any page of www/
    return await page.evaluate(async (texts) => {
      const { importSvg } = await import("/svg-import.js");
      window.ran = [];
      const host = document.body.appendChild(document.createElement("div"));
      const out = [];
      for (const [i, text] of texts.entries()) {
        const svg = importSvg(text, `t${i}-`);
        if (!svg) {
          out.push(null);
          continue;
        }
        host.replaceChildren(svg);
        // Give handlers a chance to run: load, error, a click, a focus.
        for (const el of svg.querySelectorAll("*")) {
          el.dispatchEvent(new MouseEvent("click", { bubbles: true }));
          el.dispatchEvent(new Event("load"));
          el.dispatchEvent(new Event("error"));
        }
        await new Promise((r) => setTimeout(r, 50));
        const attributes = [svg, ...svg.querySelectorAll("*")].flatMap((e) => e.getAttributeNames());
        out.push({ markup: svg.outerHTML, events: [...window.ran], attributes, elements: [...svg.querySelectorAll("*")].map((e) => e.localName) });
        window.ran.length = 0;
      }
      return out;
    }, texts);
  } finally {
    await page.close();
  }
}

const HEAD = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 100" width="100" height="100">';

test("crafted SVG: scripts, handlers, foreign content, styles and outside links are dropped", T, async () => {
  const texts = [
    `${HEAD}<script>window.ran.push("script")</script><rect width="10" height="10"/></svg>`,
    `<svg xmlns="http://www.w3.org/2000/svg" onload="window.ran.push('root-onload')" width="10" height="10"><rect onclick="window.ran.push('click')" ONMOUSEOVER="window.ran.push('over')" width="1" height="1"/></svg>`,
    `${HEAD}<rect width="1" height="1"x="1"onclick="window.ran.push('glued')"/></svg>`,
    `${HEAD}<foreignObject width="10" height="10"><img src="x" onerror="window.ran.push('fo-img')"></foreignObject></svg>`,
    `${HEAD}<desc><img src="x" onerror="window.ran.push('desc-img')">texte</desc><rect width="1" height="1"/></svg>`,
    `${HEAD}<a href="javascript:window.ran.push('a')" xlink:href="javascript:window.ran.push('xa')"><text x="1" y="9">lien</text></a></svg>`,
    `${HEAD}<rect style="fill:url(http://evil.example/x)" width="1" height="1" fill="url(http://evil.example/p#q)" stroke="u&#114;l(#elsewhere)"/></svg>`,
    `${HEAD}<use href="http://evil.example/sprite.svg#a"/><image href="http://evil.example/x.png" width="1" height="1"/></svg>`,
    `${HEAD}<animate attributeName="href" to="javascript:window.ran.push('anim')"/><set attributeName="onclick" to="x"/><style>rect{fill:red}</style></svg>`,
  ];
  const out = await importAll(texts);
  for (const [i, r] of out.entries()) {
    assert.ok(r, `text ${i} refused: it is a whole SVG document and should be cleaned, not refused`);
    assert.deepEqual(r.events, [], `text ${i}: handlers ran: ${r.events}`);
    const handlers = r.attributes.filter((a) => /^on/i.test(a));
    assert.deepEqual(handlers, [], `text ${i}: handler attributes left: ${handlers}`);
    assert.ok(!r.attributes.includes("style"), `text ${i}: inline style left`);
    for (const bad of ["script", "foreignObject", "img", "style", "animate", "set"]) {
      assert.ok(!r.elements.includes(bad), `text ${i}: <${bad}> left in ${r.markup}`);
    }
    assert.doesNotMatch(r.markup, /javascript:|evil\.example|#elsewhere/, `text ${i}: outside reference left: ${r.markup}`);
  }
  // What is plain drawing stays.
  assert.match(out[0].markup, /<rect width="10" height="10"/);
  assert.match(out[5].markup, /<text x="1" y="9">lien<\/text>/);
  assert.match(out[6].markup, /fill="none"/);
  assert.match(out[6].markup, /stroke="none"/);
});

test("ids are prefixed and every reference to them follows; labels keep their text", T, async () => {
  const text =
    `${HEAD}<title id="t">Titre</title><desc id="d">Description</desc>` +
    `<defs><pattern id="hatch" width="4" height="4"><path d="M0 0L4 4" stroke="#000"/></pattern></defs>` +
    `<g role="group" aria-label="voir url(#hatch) dans le texte"><rect id="r" width="5" height="5" fill="url(#hatch)"/>` +
    `<use href="#r" xlink:href="#r"/><text aria-labelledby="t d missing" x="1" y="1">a</text></g></svg>`;
  const [r] = await importAll([text]);
  assert.ok(r);
  assert.match(r.markup, /<title id="t0-t">/);
  assert.match(r.markup, /<pattern id="t0-hatch"/);
  assert.match(r.markup, /fill="url\(#t0-hatch\)"/);
  assert.match(r.markup, /<use href="#t0-r" xlink:href="#t0-r">/);
  assert.match(r.markup, /aria-labelledby="t0-t t0-d"/);
  // A label is text, not a reference: kept as written.
  assert.match(r.markup, /aria-label="voir url\(#hatch\) dans le texte"/);
  assert.match(r.markup, /^<svg[^>]* role="img"/);
});

test("cut or foreign documents are refused", T, async () => {
  const out = await importAll([
    "",
    `${HEAD}<rect width="1" height="1"/>`, // cut
    "<div>pas du SVG</div>",
    `${HEAD}</svg><svg xmlns="http://www.w3.org/2000/svg"></svg>`, // two roots
  ]);
  assert.deepEqual(out, [null, null, null, null]);
});

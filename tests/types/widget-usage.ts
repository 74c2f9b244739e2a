// Type-checked by tests/browser/widget.test.mjs (tsc --noEmit --strict):
// a partner's code using the widget through its declarations
// (www/territory-snapshot.d.ts). Never run.
import type { TerritorySnapshot, TerritoryChangeDetail, PdfResult } from "../../www/territory-snapshot.js";

export async function drive(el: TerritorySnapshot): Promise<string> {
  await el.ready;
  const shown: TerritoryChangeDetail = await el.setTerritory("244400404");
  await el.setComparisons(["44", "52"]);
  await el.setComparisons(null);
  el.territory = "dep:44";
  el.addEventListener("territorychange", (e) => {
    const names: string[] = e.detail.comparisons.map((c) => c.name);
    console.log(e.detail.switched, names);
  });
  el.addEventListener("exportdone", (e) => console.log(e.detail.filename, e.detail.blob.size));
  el.addEventListener("snapshoterror", (e) => console.log(e.detail.message));
  const pdf: PdfResult = await el.exportPdf({ download: false });
  const found = document.querySelector("territory-snapshot");
  return `${shown.name} ${pdf.filename} ${pdf.pages} ${found?.info?.kind_label ?? ""}`;
}

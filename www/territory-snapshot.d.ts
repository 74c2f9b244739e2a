// Type declarations of the <territory-snapshot> custom element
// (www/territory-snapshot.js). Import the module once; the element is
// defined as a side effect.

/** A territory as the snapshot shows it. */
export interface TerritoryRef {
  /** Unambiguous key: "epci:244400404", "dep:44", "reg:52", "pays:FRM". */
  key: string;
  /** Official code: SIREN of an EPCI, département or région code, FRM. */
  code: string;
  /** Name, in French. */
  name: string;
}

export interface TerritoryChangeDetail extends TerritoryRef {
  /** "epci" | "dep" | "reg" | "pays" */
  kind: string;
  /** The comparison territories shown. */
  comparisons: TerritoryRef[];
  /** False when only the comparisons or the displayed parts changed. */
  switched: boolean;
}

export interface ExportDoneDetail {
  /** instantane-<code>-<YYYY-MM-DD>.pdf */
  filename: string;
  /** Size in bytes. */
  size: number;
  pages: number;
  blob: Blob;
}

export interface ErrorDetail {
  /** What went wrong, in French. */
  message: string;
}

export interface PdfResult {
  blob: Blob;
  filename: string;
  pages: number;
}

export declare class TerritorySnapshot extends HTMLElement {
  /** Resolves once a snapshot is on screen; rejects with the reason (also
   * shown in the widget) when the latest draw failed, until a later one
   * succeeds. */
  readonly ready: Promise<void>;
  /** The `territory` attribute: code or key of the study territory. */
  territory: string | null;
  /** The territory shown, or null before the first draw. */
  readonly info: (TerritoryRef & { kind: string; kind_label: string }) | null;
  /** Shows `code` (code or key); resolves once drawn, rejects on an unknown code. */
  setTerritory(code: string): Promise<TerritoryChangeDetail>;
  /** null: the default comparisons (département, région, France); []: none. */
  setComparisons(codes: string[] | null): Promise<TerritoryChangeDetail>;
  /** Writes the snapshot's PDF; `download: false` skips the browser download. */
  exportPdf(options?: { download?: boolean }): Promise<PdfResult>;
}

export declare function panelsOf(text: string | null): Set<string> | null;
export declare function mapsOf(text: string | null): string[];

declare global {
  interface HTMLElementTagNameMap {
    "territory-snapshot": TerritorySnapshot;
  }
  interface HTMLElementEventMap {
    territorychange: CustomEvent<TerritoryChangeDetail>;
    snapshoterror: CustomEvent<ErrorDetail>;
    exportdone: CustomEvent<ExportDoneDetail>;
    exporterror: CustomEvent<ErrorDetail>;
  }
}

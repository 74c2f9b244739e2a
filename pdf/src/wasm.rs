//! The page's entry point (wasm32 only), used by www/pdf-worker.js: a
//! [`PdfExporter`] holds the data pack (the worker fetches it itself) and
//! the fonts, lays out the snapshot document the page asks for and writes
//! it as PDF bytes.

use wasm_bindgen::prelude::*;

use territoire::Pack;

use crate::{pdf, request, PdfOptions};

#[wasm_bindgen]
pub struct PdfExporter {
    pack: Pack,
    opts: PdfOptions,
    pages: usize,
}

#[wasm_bindgen]
impl PdfExporter {
    /// `pack`: the data pack's bytes (copied once into aligned memory);
    /// the fonts: the DejaVu Sans files the page already loaded. Errors are
    /// French messages for the page.
    #[wasm_bindgen(constructor)]
    pub fn new(pack: &[u8], regular_font: &[u8], bold_font: &[u8]) -> Result<PdfExporter, JsError> {
        let pack = Pack::from_bytes(pack).map_err(|e| JsError::new(&e.to_string()))?;
        let opts = PdfOptions { regular_font: regular_font.to_vec(), bold_font: bold_font.to_vec() };
        Ok(PdfExporter { pack, opts, pages: 0 })
    }

    /// The PDF of `code`'s snapshot; the arguments as for
    /// [`request::document`]. Sets [`PdfExporter::pages`].
    pub fn render(
        &mut self,
        code: &str,
        compare: Option<String>,
        comments_json: &str,
        maps_json: Option<String>,
        date: &str,
    ) -> Result<Vec<u8>, JsError> {
        let doc = request::document(&self.pack, code, compare.as_deref(), comments_json, maps_json.as_deref(), date)
            .map_err(|e| JsError::new(&e.to_string()))?;
        let bytes = pdf(&doc, &self.opts).map_err(|e| JsError::new(&e.to_string()))?;
        self.pages = doc.pages.len();
        Ok(bytes)
    }

    /// The number of pages of the last PDF written (0 before the first).
    #[wasm_bindgen(getter)]
    pub fn pages(&self) -> usize {
        self.pages
    }
}

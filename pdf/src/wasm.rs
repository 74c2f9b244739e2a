//! The page's entry point (wasm32 only): JSON in, PDF bytes out.

use wasm_bindgen::prelude::*;

use crate::{pdf, PdfOptions};

/// `document_json`: a `territoire::document::Document` as JSON (what the
/// viewer's core returns for an export); the fonts: the DejaVu Sans files
/// the page already loaded. Errors are French messages for the page.
#[wasm_bindgen]
pub fn render_pdf(document_json: &str, regular_font: &[u8], bold_font: &[u8]) -> Result<Vec<u8>, JsError> {
    let doc: territoire::document::Document = serde_json::from_str(document_json)
        .map_err(|e| JsError::new(&format!("Document à exporter illisible : {e}.")))?;
    let opts = PdfOptions { regular_font: regular_font.to_vec(), bold_font: bold_font.to_vec() };
    pdf(&doc, &opts).map_err(|e| JsError::new(&e.to_string()))
}

//! PNG from a chart's SVG, rendered by resvg without a browser. Text is set in the fonts
//! installed on the system (the chart's font stack, first found wins, then resvg's per-glyph
//! fallback), so Chinese labels render wherever a CJK font such as Noto Sans CJK is installed.

use anyhow::{Context, Result};
use resvg::{tiny_skia, usvg};

/// The chart drawn at `scale` times its size (2 for a sharp image on high-density screens).
pub fn render(svg: &str, scale: f32) -> Result<Vec<u8>> {
    let mut options = usvg::Options::default();
    options.fontdb_mut().load_system_fonts();
    options.font_family = "sans-serif".to_string();
    let tree = usvg::Tree::from_str(svg, &options).context("the chart's SVG does not parse")?;
    let size = tree.size().to_int_size().scale_by(scale).context("the chart is too large to render")?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).context("the chart has no area")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    pixmap.encode_png().context("encoding the PNG")
}

/// Whether a font with Chinese characters is installed, for PNG text to need nothing else.
pub fn has_cjk_font() -> bool {
    let mut db = usvg::fontdb::Database::new();
    db.load_system_fonts();
    db.faces().any(|face| face.families.iter().any(|(name, _)| name.contains("CJK") || name.contains("Han Sans")))
}

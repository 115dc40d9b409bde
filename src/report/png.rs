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

#[cfg(test)]
mod tests {
    use super::*;

    fn dark_pixels(png: &[u8]) -> usize {
        let decoder = ::png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut pixels).unwrap();
        let channels = info.color_type.samples();
        pixels[..info.buffer_size()].chunks(channels).filter(|px| px[..3].iter().all(|&c| c < 128)).count()
    }

    #[test]
    fn chinese_text_renders_where_a_cjk_font_is_installed() {
        if !has_cjk_font() {
            eprintln!("skipped: no CJK font installed (apt-get install fonts-noto-cjk; .ci/run does)");
            return;
        }
        let svg = |text: &str| {
            let text = svg::node::element::Text::new(text)
                .set("x", 10)
                .set("y", 60)
                .set("font-size", 48)
                .set("font-family", crate::report::canvas::FONT_STACK);
            svg::node::element::SVG::new().set("width", 200).set("height", 80).add(text).to_string()
        };
        let blank = render(&svg(""), 1.0).unwrap();
        let zhong = render(&svg("中"), 1.0).unwrap();
        let guo = render(&svg("國"), 1.0).unwrap();
        assert_eq!(dark_pixels(&blank), 0);
        assert!(dark_pixels(&zhong) > 100 && dark_pixels(&guo) > 100, "both characters leave ink");
        // resvg draws a character no font has as the same box whatever it is (seen with
        // Egyptian hieroglyphs: ink, but identical pictures); real glyphs differ.
        assert_ne!(zhong, guo, "中 and 國 drew the same picture: a missing-glyph box, not the glyphs");
    }
}

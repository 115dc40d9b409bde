//! Colours and marker shapes. Sources take the Okabe–Ito palette (Okabe & Ito, "Color
//! Universal Design", 2002; the palette Wong recommends in Nature Methods 8, 441, 2011),
//! distinguishable with every common colour-vision deficiency; each source also gets its own
//! marker shape, so a greyscale print still tells them apart. Black is kept for the consensus
//! and the actuals, grey for the target's rule.

use plotters::style::RGBColor;

/// Okabe–Ito without its black: orange, sky blue, bluish green, yellow, blue, vermillion,
/// reddish purple.
pub const SOURCE_COLOURS: [RGBColor; 7] = [
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xF0, 0xE4, 0x42),
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0xCC, 0x79, 0xA7),
];

/// Okabe–Ito's black: the consensus median and the actuals.
pub const INK: RGBColor = RGBColor(0x00, 0x00, 0x00);
/// The target's rule and its band or region.
pub const RULE: RGBColor = RGBColor(0x55, 0x55, 0x55);
pub const RULE_FILL: RGBColor = RGBColor(0xBB, 0xBB, 0xBB);
pub const GRID: RGBColor = RGBColor(0xE4, 0xE4, 0xE4);
pub const TEXT: RGBColor = RGBColor(0x22, 0x22, 0x22);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Circle,
    Square,
    Triangle,
    Diamond,
}

const SHAPES: [Shape; 4] = [Shape::Circle, Shape::Square, Shape::Triangle, Shape::Diamond];

/// How one source is drawn. Proxy forecasts are hollow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    pub colour: RGBColor,
    pub shape: Shape,
    pub hollow: bool,
}

/// The look of the `index`th source. 7 colours and 4 shapes are coprime, so the first 28
/// sources all differ in colour or shape, and neighbours differ in both.
pub fn source_look(index: usize, proxy: bool) -> Look {
    Look { colour: SOURCE_COLOURS[index % SOURCE_COLOURS.len()], shape: SHAPES[index % SHAPES.len()], hollow: proxy }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_eight_sources_all_look_different() {
        let looks: Vec<(RGBColor, Shape)> =
            (0..28).map(|i| source_look(i, false)).map(|l| (l.colour, l.shape)).collect();
        for (i, a) in looks.iter().enumerate() {
            assert!(looks[i + 1..].iter().all(|b| b != a), "source {i}");
        }
    }
}

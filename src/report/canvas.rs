//! A plotters drawing backend that builds an SVG document with the `svg` crate: every shape
//! plotters draws becomes a vector element, text is measured by East Asian width (so Chinese
//! labels are laid out at their real size), and marks can be grouped with a class and an SVG
//! `<title>` tooltip.
//!
//! plotters' own SVG backend estimates text width from the byte length of the text (three
//! bytes per Chinese character, so 1.5 times too wide, and a Latin letter 0.7 em), and has no
//! way to attach a tooltip to a shape; both are why this backend exists.

use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind, FontTransform,
};
use std::cell::RefCell;
use std::convert::Infallible;
use std::rc::Rc;
use svg::node::element::{Circle, Group, Line, Polygon, Polyline, Rectangle, SVG, Text, Title};
use unicode_width::UnicodeWidthChar;

/// The fonts text is set in, first found wins. The CJK faces come first so that Latin and
/// Chinese text share one face where one is installed (Debian: fonts-noto-cjk); the generic
/// `sans-serif` last lets any system fall back.
pub const FONT_STACK: &str = "'Noto Sans CJK TC', 'Noto Sans CJK SC', 'Noto Sans CJK JP', 'Source Han Sans TC', \
     'PingFang TC', 'Microsoft JhengHei', 'Microsoft YaHei', 'WenQuanYi Micro Hei', 'DejaVu Sans', sans-serif";

/// Advance of a narrow (Latin, digit) character, in em. Sans-serif digits and lowercase
/// letters average 0.55–0.6 em; rounding up keeps a measured box at least as wide as the
/// drawn text, so boxes that do not overlap mean texts that do not.
const NARROW_EM: f64 = 0.62;
/// Advance of a wide (CJK, fullwidth) character: a full em by definition of the script.
const WIDE_EM: f64 = 1.0;
/// Height of a line of text, in em.
const LINE_EM: f64 = 1.2;

/// The width and height a text takes at `size` pixels.
pub fn text_size(text: &str, size: f64) -> (f64, f64) {
    let ems: f64 = text
        .chars()
        .map(|c| match c.width() {
            Some(2) => WIDE_EM,
            Some(0) | None => 0.0,
            _ => NARROW_EM,
        })
        .sum();
    (ems * size, LINE_EM * size)
}

/// A rectangle in pixels: left, top, width, height.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Box2 {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Box2 {
    pub fn overlaps(&self, other: &Box2) -> bool {
        self.x < other.x + other.w
            && other.x < self.x + self.w
            && self.y < other.y + other.h
            && other.y < self.y + self.h
    }

    pub fn inside(&self, outer: &Box2) -> bool {
        self.x >= outer.x
            && self.y >= outer.y
            && self.x + self.w <= outer.x + outer.w
            && self.y + self.h <= outer.y + outer.h
    }
}

/// The document being drawn: a stack of open groups, the outermost at the bottom, and the
/// box of every text drawn (to check that no two overlap).
#[derive(Debug)]
pub struct Sheet {
    groups: Vec<Group>,
    pub texts: Vec<(String, Box2)>,
}

/// A shared handle on the sheet: the backend draws into it while the chart code opens and
/// closes groups around marks.
#[derive(Debug, Clone)]
pub struct Marks(Rc<RefCell<Sheet>>);

impl Marks {
    /// Starts a group of `class`; with a `title`, hovering any of its shapes shows it.
    pub fn open(&self, class: &str, title: Option<&str>) {
        let mut group = Group::new().set("class", class);
        if let Some(title) = title {
            group = group.add(Title::new(title));
        }
        self.0.borrow_mut().groups.push(group);
    }

    /// Starts a group whose lines are dashed.
    pub fn dashed(&self) {
        self.0.borrow_mut().groups.push(Group::new().set("class", "dash").set("stroke-dasharray", "6 4"));
    }

    /// Starts a group of labels, each on a white halo so that a line under it stays readable.
    pub fn halo(&self) {
        let group = Group::new()
            .set("class", "labels")
            .set("stroke", "#ffffff")
            .set("stroke-width", 3)
            .set("stroke-linejoin", "round")
            .set("paint-order", "stroke");
        self.0.borrow_mut().groups.push(group);
    }

    /// Closes the group opened last.
    pub fn close(&self) {
        let mut sheet = self.0.borrow_mut();
        if sheet.groups.len() > 1 {
            let group = sheet.groups.pop().expect("more than one group");
            sheet.add(group);
        }
    }

    /// Every text drawn so far with its box.
    pub fn texts(&self) -> Vec<(String, Box2)> {
        self.0.borrow().texts.clone()
    }
}

impl Sheet {
    fn add(&mut self, node: impl Into<Box<dyn svg::Node>>) {
        let top = self.groups.pop().expect("the outermost group is never closed");
        self.groups.push(top.add(node));
    }
}

/// The backend. Create it with [`Canvas::new`], draw with plotters, then [`Canvas::finish`]
/// through the [`Marks`] handle once plotters has let go of it.
pub struct Canvas {
    size: (u32, u32),
    sheet: Marks,
}

impl Canvas {
    pub fn new(width: u32, height: u32) -> (Canvas, Marks) {
        let marks = Marks(Rc::new(RefCell::new(Sheet { groups: vec![Group::new()], texts: Vec::new() })));
        (Canvas { size: (width, height), sheet: marks.clone() }, marks)
    }
}

/// The finished SVG document, `<title>` and `<desc>` first for screen readers.
pub fn finish(marks: &Marks, size: (u32, u32), title: &str, class: &str) -> SVG {
    let mut sheet = marks.0.borrow_mut();
    while sheet.groups.len() > 1 {
        let group = sheet.groups.pop().expect("more than one group");
        sheet.add(group);
    }
    let body = std::mem::replace(&mut sheet.groups[0], Group::new());
    SVG::new()
        .set("width", size.0)
        .set("height", size.1)
        .set("viewBox", (0, 0, size.0, size.1))
        .set("class", class)
        .set("role", "img")
        .set("font-family", FONT_STACK)
        .add(Title::new(title))
        .add(body)
}

fn paint(color: BackendColor) -> String {
    let (r, g, b) = color.rgb;
    format!("#{r:02x}{g:02x}{b:02x}")
}

impl DrawingBackend for Canvas {
    type ErrorType = Infallible;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Infallible>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Infallible>> {
        Ok(())
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), DrawingErrorKind<Infallible>> {
        if color.alpha > 0.0 {
            let pixel = Rectangle::new()
                .set("x", point.0)
                .set("y", point.1)
                .set("width", 1)
                .set("height", 1)
                .set("fill", paint(color))
                .set("fill-opacity", color.alpha);
            self.sheet.0.borrow_mut().add(pixel);
        }
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        let color = style.color();
        if color.alpha > 0.0 {
            let line = Line::new()
                .set("x1", from.0)
                .set("y1", from.1)
                .set("x2", to.0)
                .set("y2", to.1)
                .set("stroke", paint(color))
                .set("stroke-opacity", color.alpha)
                .set("stroke-width", style.stroke_width());
            self.sheet.0.borrow_mut().add(line);
        }
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        let color = style.color();
        if color.alpha > 0.0 {
            let mut rect = Rectangle::new()
                .set("x", upper_left.0)
                .set("y", upper_left.1)
                .set("width", bottom_right.0 - upper_left.0)
                .set("height", bottom_right.1 - upper_left.1);
            rect = if fill {
                rect.set("fill", paint(color)).set("fill-opacity", color.alpha)
            } else {
                rect.set("fill", "none")
                    .set("stroke", paint(color))
                    .set("stroke-opacity", color.alpha)
                    .set("stroke-width", style.stroke_width())
            };
            self.sheet.0.borrow_mut().add(rect);
        }
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        let color = style.color();
        if color.alpha > 0.0 {
            let points: Vec<String> = path.into_iter().map(|(x, y)| format!("{x},{y}")).collect();
            let line = Polyline::new()
                .set("points", points.join(" "))
                .set("fill", "none")
                .set("stroke", paint(color))
                .set("stroke-opacity", color.alpha)
                .set("stroke-width", style.stroke_width())
                .set("stroke-linejoin", "round");
            self.sheet.0.borrow_mut().add(line);
        }
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        let color = style.color();
        if color.alpha > 0.0 {
            let mut circle = Circle::new().set("cx", center.0).set("cy", center.1).set("r", radius);
            circle = if fill {
                circle.set("fill", paint(color)).set("fill-opacity", color.alpha)
            } else {
                circle
                    .set("fill", "#ffffff")
                    .set("stroke", paint(color))
                    .set("stroke-opacity", color.alpha)
                    .set("stroke-width", style.stroke_width().max(2))
            };
            self.sheet.0.borrow_mut().add(circle);
        }
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        let color = style.color();
        if color.alpha > 0.0 {
            let points: Vec<String> = vert.into_iter().map(|(x, y)| format!("{x},{y}")).collect();
            let polygon = Polygon::new()
                .set("points", points.join(" "))
                .set("fill", paint(color))
                .set("fill-opacity", color.alpha);
            self.sheet.0.borrow_mut().add(polygon);
        }
        Ok(())
    }

    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TStyle,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        let color = style.color();
        if color.alpha == 0.0 || text.is_empty() {
            return Ok(());
        }
        let size = style.size();
        let anchor = style.anchor();
        let (w, h) = text_size(text, size);
        let (text_anchor, left) = match anchor.h_pos {
            HPos::Left => ("start", 0.0),
            HPos::Center => ("middle", -w / 2.0),
            HPos::Right => ("end", -w),
        };
        // The baseline sits about 0.8 em below the top of a line; offsets are in em so that
        // browsers and resvg, which read `dominant-baseline` differently, agree.
        let (dy, top) = match anchor.v_pos {
            VPos::Top => ("0.8em", 0.0),
            VPos::Center => ("0.35em", -h / 2.0),
            VPos::Bottom => ("-0.25em", -h),
        };
        let mut node = Text::new(text)
            .set("x", pos.0)
            .set("y", pos.1)
            .set("dy", dy)
            .set("font-size", size)
            .set("text-anchor", text_anchor)
            .set("fill", paint(color));
        let (x, y) = (f64::from(pos.0), f64::from(pos.1));
        let bounds = match style.transform() {
            FontTransform::Rotate90 => {
                node = node.set("transform", format!("rotate(90 {} {})", pos.0, pos.1));
                Box2 { x: x - h - top, y: y + left, w: h, h: w }
            }
            FontTransform::Rotate270 => {
                node = node.set("transform", format!("rotate(270 {} {})", pos.0, pos.1));
                Box2 { x: x + top, y: y - w - left, w: h, h: w }
            }
            _ => Box2 { x: x + left, y: y + top, w, h },
        };
        let mut sheet = self.sheet.0.borrow_mut();
        sheet.texts.push((text.to_string(), bounds));
        // As a plain element: the svg crate prints a `Text` node's content on lines of its
        // own, and that whitespace would become part of the text.
        sheet.add(svg::node::element::Element::from(node));
        Ok(())
    }

    fn estimate_text_size<TStyle: BackendTextStyle>(
        &self,
        text: &str,
        style: &TStyle,
    ) -> Result<(u32, u32), DrawingErrorKind<Infallible>> {
        let (w, h) = text_size(text, style.size());
        // Whole pixels, rounded up: a box never smaller than its text.
        Ok((w.ceil() as u32, h.ceil() as u32))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_characters_measure_a_full_em_and_latin_less() {
        let (latin, _) = text_size("Bloomberg", 10.0);
        let (chinese, _) = text_size("彭博", 10.0);
        assert_eq!(chinese, 20.0, "two wide characters, one em each");
        assert!((latin - 9.0 * 6.2).abs() < 1e-9);
    }

    #[test]
    fn boxes_overlap_only_when_they_share_area() {
        let a = Box2 { x: 0.0, y: 0.0, w: 10.0, h: 10.0 };
        assert!(a.overlaps(&Box2 { x: 5.0, y: 5.0, w: 10.0, h: 10.0 }));
        assert!(!a.overlaps(&Box2 { x: 10.0, y: 0.0, w: 10.0, h: 10.0 }), "touching edges do not overlap");
    }

    #[test]
    fn text_and_titles_are_escaped() {
        let (mut canvas, marks) = Canvas::new(100, 100);
        marks.open("mark", Some("a < b & \"c\""));
        let style = plotters::style::TextStyle::from(("sans-serif", 12).into_font());
        canvas.draw_text("x<y", &style, (10, 10)).unwrap();
        marks.close();
        let svg = finish(&marks, (100, 100), "t", "chart").to_string();
        assert!(svg.contains("a &lt; b &amp; \"c\""), "{svg}");
        assert!(svg.contains("x&lt;y"), "{svg}");
    }

    use plotters::style::IntoFont;
}

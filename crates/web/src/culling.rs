//! What of the design is worth drawing. The browser rasterises an SVG layer well beyond the
//! screen, and redraws everything near a change: with 2,000 elements and links that cross the
//! whole design, one moved box cost a tenth of a second. So the canvas draws only what lies in
//! the *drawn area* — the screen plus a margin — and each link only along the part of it that
//! crosses that area.

use moat_model::design::Rect;

use crate::state::Viewport;

/// The drawn area in canvas units: what `viewport` shows on a canvas of `size` screen pixels,
/// widened by a quarter to a half of a screen each way. Its edges are snapped to quarter
/// screens, so a small pan keeps the same area (and redraws nothing).
pub fn drawn_area(viewport: Viewport, size: (f64, f64)) -> Rect {
    let zoom = if viewport.zoom.is_finite() && viewport.zoom > 0.0 { viewport.zoom } else { 1.0 };
    let (w, h) = (size.0.max(1.0) / zoom, size.1.max(1.0) / zoom);
    let (left, top) = (-viewport.x / zoom, -viewport.y / zoom);
    let snapped = |start: f64, length: f64| {
        let unit = length / 4.0;
        let from = (start / unit).floor() * unit - unit;
        let to = ((start + length) / unit).ceil() * unit + unit;
        (from, to - from)
    };
    let ((x, w), (y, h)) = (snapped(left, w), snapped(top, h));
    Rect { x, y, w, h }
}

/// Whether two boxes share any point.
pub fn overlaps(a: &Rect, b: &Rect) -> bool {
    a.x <= b.x + b.w && b.x <= a.x + a.w && a.y <= b.y + b.h && b.y <= a.y + a.h
}

/// Whether a point lies in a box (its edges included).
pub fn holds(area: &Rect, (x, y): (f64, f64)) -> bool {
    area.x <= x && x <= area.x + area.w && area.y <= y && y <= area.y + area.h
}

/// The part of a line inside a box.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Segment {
    pub from: (f64, f64),
    pub to: (f64, f64),
}

/// The part of the line from `a` to `b` that lies in `area`, if any.
pub fn clip(a: (f64, f64), b: (f64, f64), area: &Rect) -> Option<Segment> {
    let (enter, leave) = moat_model::drawing::route::clip_fractions(a, b, area)?;
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let at = |t: f64| (a.0 + t * dx, a.1 + t * dy);
    Some(Segment { from: at(enter), to: at(leave) })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCREEN: (f64, f64) = (800.0, 400.0);

    #[test]
    fn the_drawn_area_holds_the_screen_and_a_margin_of_a_quarter_to_a_half_screen() {
        for viewport in [
            Viewport { x: 0.0, y: 0.0, zoom: 1.0 },
            Viewport { x: -1234.5, y: 321.0, zoom: 0.48 },
            Viewport { x: 99.0, y: -7.0, zoom: 2.5 },
        ] {
            let area = drawn_area(viewport, SCREEN);
            let (w, h) = (SCREEN.0 / viewport.zoom, SCREEN.1 / viewport.zoom);
            let (left, top) = (-viewport.x / viewport.zoom, -viewport.y / viewport.zoom);
            let eps = 1e-9;
            assert!(left - area.x >= w / 4.0 - eps && left - area.x <= w / 2.0 + eps, "{viewport:?}: {area:?}");
            assert!(top - area.y >= h / 4.0 - eps && top - area.y <= h / 2.0 + eps, "{viewport:?}: {area:?}");
            let right = area.x + area.w - (left + w);
            let bottom = area.y + area.h - (top + h);
            assert!(right >= w / 4.0 - eps && right <= w / 2.0 + eps, "{viewport:?}: {area:?}");
            assert!(bottom >= h / 4.0 - eps && bottom <= h / 2.0 + eps, "{viewport:?}: {area:?}");
        }
    }

    #[test]
    fn a_small_pan_keeps_the_drawn_area() {
        let here = drawn_area(Viewport { x: -1050.0, y: -650.0, zoom: 1.0 }, SCREEN);
        let panned = drawn_area(Viewport { x: -1060.0, y: -654.0, zoom: 1.0 }, SCREEN);
        assert_eq!(here, panned);
    }

    #[test]
    fn a_line_is_cut_to_the_part_inside_the_area() {
        let area = Rect { x: 0.0, y: 0.0, w: 100.0, h: 100.0 };
        let cut = clip((-100.0, 50.0), (300.0, 50.0), &area).unwrap();
        assert_eq!(cut, Segment { from: (0.0, 50.0), to: (100.0, 50.0) });
        let inside = clip((10.0, 10.0), (20.0, 30.0), &area).unwrap();
        assert_eq!(inside, Segment { from: (10.0, 10.0), to: (20.0, 30.0) });
        assert_eq!(clip((-10.0, -10.0), (-20.0, 300.0), &area), None);
        assert_eq!(clip((150.0, 0.0), (0.0, 150.0), &area).map(|s| s.from), Some((100.0, 50.0)));
    }

    #[test]
    fn boxes_overlap_when_they_share_a_point() {
        let a = Rect { x: 0.0, y: 0.0, w: 10.0, h: 10.0 };
        assert!(overlaps(&a, &Rect { x: 10.0, y: 10.0, w: 5.0, h: 5.0 }));
        assert!(overlaps(&a, &Rect { x: -50.0, y: -50.0, w: 200.0, h: 200.0 }));
        assert!(!overlaps(&a, &Rect { x: 11.0, y: 0.0, w: 5.0, h: 5.0 }));
        assert!(holds(&a, (10.0, 0.0)) && !holds(&a, (10.5, 5.0)));
    }
}

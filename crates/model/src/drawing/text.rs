//! How wide text is drawn, and how a name is fitted into a box: wrapped at spaces (or between
//! any two characters of Japanese), and ended with "…" when it still does not fit.
//!
//! Widths are those of DejaVu Sans, the widest of the sans-serif fonts browsers fall back to
//! (Segoe UI, Helvetica, Arial and Roboto are narrower), so a label fitted here fits in any
//! of them. Characters of East Asian scripts are a full em wide.

/// How heavy a text is drawn: names are bold, the rest regular.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

/// The width of `text` drawn at `size` (CSS px or SVG units).
pub fn width(text: &str, size: f64, weight: Weight) -> f64 {
    text.chars().map(|c| advance(c, weight)).sum::<f64>() * size
}

/// A text fitted into a width: its lines, and whether anything was left out (then the whole
/// text belongs in a tooltip).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Fitted {
    pub lines: Vec<String>,
    pub cut: bool,
}

impl Fitted {
    /// The width of its widest line.
    pub fn width(&self, size: f64, weight: Weight) -> f64 {
        self.lines.iter().map(|line| width(line, size, weight)).fold(0.0, f64::max)
    }
}

/// `text` in at most `max_lines` lines of at most `max_width`: broken at spaces where it
/// can be, else between characters; the last line ends in "…" when the rest does not fit.
/// Nothing fits in a width under one "…": then there are no lines (and `cut` is set).
pub fn fit(text: &str, size: f64, weight: Weight, max_width: f64, max_lines: usize) -> Fitted {
    fit_lines(text, size, weight, &vec![max_width; max_lines])
}

/// [`fit`] with a width for each line (the last ends in "…" when the rest does not fit).
pub fn fit_lines(text: &str, size: f64, weight: Weight, widths: &[f64]) -> Fitted {
    let text = text.trim();
    if text.is_empty() {
        return Fitted::default();
    }
    let max_lines = widths.len();
    if max_lines == 0 || widths[0] < width(ELLIPSIS, size, weight) {
        return Fitted { lines: Vec::new(), cut: true };
    }
    let mut lines = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let max_width = widths[lines.len()];
        if lines.len() + 1 == max_lines || width(rest, size, weight) <= max_width {
            let (line, cut) = ellipsized(rest, size, weight, max_width);
            lines.push(line);
            return Fitted { lines, cut };
        }
        let end = line_end(rest, size, weight, max_width);
        lines.push(rest[..end].trim_end().to_owned());
        rest = rest[end..].trim_start();
    }
    Fitted { lines, cut: false }
}

const ELLIPSIS: &str = "…";

/// `text` on one line of `max_width`, ended in "…" when it is too long.
fn ellipsized(text: &str, size: f64, weight: Weight, max_width: f64) -> (String, bool) {
    if width(text, size, weight) <= max_width {
        return (text.to_owned(), false);
    }
    let end = fitting_prefix(text, size, weight, max_width - width(ELLIPSIS, size, weight));
    (format!("{}{ELLIPSIS}", text[..end].trim_end()), true)
}

/// Where the first line of `text` ends: after the last space (or after a character a
/// Japanese line may break after) that keeps it within `max_width`, else after as many
/// characters as fit (at least one).
fn line_end(text: &str, size: f64, weight: Weight, max_width: f64) -> usize {
    let fits = fitting_prefix(text, size, weight, max_width);
    let breaks_after = |c: char| c == ' ' || c == '-' || c == '/' || c == '_' || is_wide(c);
    let last_break = text[..fits].char_indices().rev().find(|(_, c)| breaks_after(*c)).map(|(at, c)| at + c.len_utf8());
    let first_char = text.chars().next().map_or(1, char::len_utf8);
    last_break.unwrap_or(fits).max(first_char)
}

/// The length in bytes of the longest start of `text` no wider than `room`.
fn fitting_prefix(text: &str, size: f64, weight: Weight, room: f64) -> usize {
    let mut used = 0.0;
    let mut end = 0;
    for (at, c) in text.char_indices() {
        used += advance(c, weight) * size;
        if used > room {
            break;
        }
        end = at + c.len_utf8();
    }
    end
}

/// Advance widths of DejaVu Sans for ASCII 32–126, in thousandths of an em.
const REGULAR: [u16; 95] = [
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636,
    636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863,
    748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635,
    615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636,
    337, 636, 838,
];
/// The same for DejaVu Sans Bold.
const BOLD: [u16; 95] = [
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696, 696, 696,
    696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995,
    837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716,
    678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712,
    365, 712, 838,
];

/// The advance of one character, in ems.
fn advance(c: char, weight: Weight) -> f64 {
    let table = match weight {
        Weight::Regular => &REGULAR,
        Weight::Bold => &BOLD,
    };
    match c as u32 {
        code @ 32..=126 => f64::from(table[(code - 32) as usize]) / 1000.0,
        _ if is_wide(c) => 1.0,
        // Other letters (accented Latin, Greek, Cyrillic): as wide as the widest capitals.
        _ => 0.86,
    }
}

/// Characters drawn a full em wide: East Asian scripts and full-width forms.
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_name_stays_whole() {
        assert_eq!(
            fit("Web tier", 13.0, Weight::Bold, 200.0, 2),
            Fitted { lines: vec!["Web tier".into()], cut: false }
        );
    }

    #[test]
    fn a_long_name_wraps_at_spaces_then_ends_in_an_ellipsis() {
        let fitted = fit("ExpressRoute gateway of the hub network in West Europe", 13.0, Weight::Bold, 110.0, 2);
        assert_eq!(fitted.lines[0], "ExpressRoute");
        assert!(fitted.lines[1].ends_with('…'), "{fitted:?}");
        assert!(fitted.cut);
        assert!(fitted.width(13.0, Weight::Bold) <= 110.0);
    }

    #[test]
    fn a_word_longer_than_the_line_is_broken_between_characters() {
        let fitted = fit("snet-gatewaysubnet-westeurope-001", 12.0, Weight::Regular, 100.0, 3);
        assert!(fitted.lines.iter().all(|l| width(l, 12.0, Weight::Regular) <= 100.0), "{fitted:?}");
        assert!(fitted.lines.concat().replace('…', "").len() > 20, "{fitted:?}");
    }

    #[test]
    fn japanese_wraps_between_characters() {
        let fitted = fit("業務系サブネットのネットワークセキュリティグループ", 12.0, Weight::Bold, 96.0, 2);
        assert_eq!(fitted.lines[0], "業務系サブネット");
        assert!(fitted.cut);
    }

    #[test]
    fn nothing_fits_in_no_room() {
        assert_eq!(fit("Web", 13.0, Weight::Bold, 4.0, 1), Fitted { lines: vec![], cut: true });
        assert_eq!(fit("  ", 13.0, Weight::Bold, 100.0, 1), Fitted::default());
    }
}

//! Shared look of every chart: the bundled font, the colour-blind-safe palette, sizes that scale
//! with the image, and tick labels people read ($1M, 10¹⁷, 1,000×).

use std::sync::Once;

use plotters::style::{FontStyle, RGBColor, register_font};

/// DejaVu Sans (Bitstream Vera licence, see assets/fonts/LICENSE-DejaVu.txt), bundled so that
/// text never depends on the system's fonts.
const FONT_REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const FONT_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// The font family name charts ask for.
pub const FONT: &str = "sans-serif";

/// Registers the bundled fonts once per process.
pub fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bytes are valid TrueType files shipped in the repository.
        let _ = register_font(FONT, FontStyle::Normal, FONT_REGULAR);
        let _ = register_font(FONT, FontStyle::Bold, FONT_BOLD);
    });
}

/// Okabe–Ito, reordered so that the first colours are the most distinct on white; yellow, the
/// weakest on white, is darkened; black is left out because it marks the target's cost.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(230, 159, 0),   // orange
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(184, 166, 0),   // yellow, darkened
    RGBColor(120, 120, 120), // grey (black is kept for the target's cost)
];

/// More colours for classes beyond the standard seven (Paul Tol's "muted" scheme, also
/// colour-blind safe). The first two, dark indigo and wine, stand furthest from the standard
/// colours: another class starts there, so it is not mistaken for a standard class it is likely
/// compared with (teal and purple, near bluish green and reddish purple, come last).
const MORE: [RGBColor; 8] = [
    RGBColor(51, 34, 136),   // indigo
    RGBColor(136, 34, 85),   // wine
    RGBColor(153, 153, 51),  // olive
    RGBColor(204, 102, 119), // rose
    RGBColor(221, 204, 119), // sand
    RGBColor(17, 119, 51),   // green
    RGBColor(68, 170, 153),  // teal
    RGBColor(170, 68, 153),  // purple
];

/// Where a non-standard class may start looking for a colour: the two most distinct extras.
const FIRST_CHOICES: u64 = 2;

// The standard classes' names, in the order of `PALETTE`: each keeps its colour in every
// scenario and chart, wherever it sits in the file.
use crate::names::STANDARD_CLASSES;

/// One colour per actor class, by name: a standard class its own fixed colour; any other the
/// first free colour from a place set by a stable hash of its name (so it keeps its colour
/// across runs, and across scenarios unless a clash moves it on). No two classes of one chart
/// share a colour while colours last (16); beyond that they repeat.
pub fn class_colours(names: &[String]) -> Vec<RGBColor> {
    let all: Vec<RGBColor> = PALETTE.iter().chain(&MORE).copied().collect();
    let mut taken = vec![false; all.len()];
    let mut out: Vec<Option<RGBColor>> = names
        .iter()
        .map(|n| {
            let i = STANDARD_CLASSES.iter().position(|s| s == n)?;
            taken[i] = true;
            Some(all[i])
        })
        .collect();
    for (slot, name) in out.iter_mut().zip(names) {
        if slot.is_some() {
            continue;
        }
        let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
        // Start among the most distinct extras, then try every other colour in turn.
        let start = PALETTE.len() + (hash % FIRST_CHOICES) as usize;
        let free = (0..all.len())
            .map(|d| (start + d) % all.len())
            .find(|&i| !taken[i])
            .unwrap_or(start);
        taken[free] = true;
        *slot = Some(all[free]);
    }
    out.into_iter()
        .map(|c| c.expect("every slot filled"))
        .collect()
}

/// Neutral colours for the target's cost and the frontier spend.
pub const COST: RGBColor = RGBColor(60, 60, 60);
/// Light grey for grid lines.
pub const GRID: RGBColor = RGBColor(225, 225, 225);
/// Text colour for secondary text.
pub const MUTED: RGBColor = RGBColor(90, 90, 90);

/// Pixel sizes scaled to the image width (designed at 1200 pixels).
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    scale: f64,
}

impl Sizes {
    /// Sizes for an image `width` pixels wide.
    pub fn new(width: u32) -> Self {
        Self {
            scale: (width as f64 / 1200.0).clamp(0.4, 4.0),
        }
    }
    /// A length given at the design width, scaled.
    pub fn px(&self, at_1200: f64) -> u32 {
        (at_1200 * self.scale).round().max(1.0) as u32
    }
    /// A font size given at the design width, scaled.
    pub fn font(&self, at_1200: f64) -> f64 {
        (at_1200 * self.scale).max(8.0)
    }
}

const SUPERSCRIPTS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

/// `10ⁿ` with superscript digits.
pub fn power_of_ten(n: i32) -> String {
    let digits: String = n
        .abs()
        .to_string()
        .chars()
        .map(|c| SUPERSCRIPTS[c as usize - '0' as usize])
        .collect();
    format!("10{}{digits}", if n < 0 { "⁻" } else { "" })
}

/// Tick label for `10^e` dollars: `$0.001`, `$0.01`, `$0.1`, `$1`, `$10`, `$100`, `$1K` …
/// `$100T`, then `$10¹⁵` (and `$10⁻⁴` below a tenth of a cent).
pub fn dollars_tick(e: f64) -> String {
    let e = e.round() as i32;
    let (unit, base) = match e {
        -3..=-1 => return format!("${:.*}", (-e) as usize, 10f64.powi(e)),
        i32::MIN..=-4 => return format!("${}", power_of_ten(e)),
        0..=2 => ("", 0),
        3..=5 => ("K", 3),
        6..=8 => ("M", 6),
        9..=11 => ("B", 9),
        12..=14 => ("T", 12),
        _ => return format!("${}", power_of_ten(e)),
    };
    format!("${}{unit}", 10i64.pow((e - base) as u32))
}

/// Tick label for `10^e` of a plain quantity: `10¹⁷`.
pub fn power_tick(e: f64) -> String {
    power_of_ten(e.round() as i32)
}

/// Tick label for `10^e` times: `1×`, `10×`, `100×`, `1,000×`, then `10⁴×`.
pub fn times_tick(e: f64) -> String {
    match e.round() as i32 {
        0 => "1×".into(),
        1 => "10×".into(),
        2 => "100×".into(),
        3 => "1,000×".into(),
        n => format!("{}×", power_of_ten(n)),
    }
}

/// A tick label only on whole decades (plotters may place ticks between them).
pub fn on_decade(v: f64, label: fn(f64) -> String) -> String {
    if (v - v.round()).abs() < 1e-9 {
        label(v)
    } else {
        String::new()
    }
}

/// The whole decades covering `[lo, hi]` (log10 values), at least two decades apart.
pub fn decade_range(lo: f64, hi: f64, max_decades: f64) -> (f64, f64) {
    let mut a = lo.floor();
    let mut b = hi.ceil();
    if b - a < 2.0 {
        a -= 1.0;
        b += 1.0;
    }
    if b - a > max_decades {
        a = b - max_decades;
    }
    (a, b)
}

/// Decade tick positions in `[a, b]`, thinned to at most `max_ticks`.
pub fn decade_ticks(a: f64, b: f64, max_ticks: usize) -> Vec<f64> {
    let n = (b - a).round() as usize;
    let step = n.div_ceil(max_ticks.max(1)).max(1);
    (0..=n).step_by(step).map(|i| a + i as f64).collect()
}

pub use crate::names::slug;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tick_labels_read_like_a_report() {
        assert_eq!(dollars_tick(3.0), "$1K");
        assert_eq!(dollars_tick(7.0), "$10M");
        assert_eq!(dollars_tick(11.0), "$100B");
        assert_eq!(dollars_tick(12.0), "$1T");
        assert_eq!(dollars_tick(15.0), "$10¹⁵");
        assert_eq!(dollars_tick(0.0), "$1");
        // Cents as a reader writes them, not `$10⁻¹`.
        assert_eq!(dollars_tick(-1.0), "$0.1");
        assert_eq!(dollars_tick(-2.0), "$0.01");
        assert_eq!(dollars_tick(-3.0), "$0.001");
        assert_eq!(dollars_tick(-4.0), "$10⁻⁴");
        assert_eq!(power_tick(17.0), "10¹⁷");
        assert_eq!(power_tick(-3.0), "10⁻³");
        assert_eq!(times_tick(3.0), "1,000×");
        assert_eq!(times_tick(6.0), "10⁶×");
    }

    #[test]
    fn slugs_and_ranges() {
        assert_eq!(slug("GPT-4 level"), "gpt_4_level");
        assert_eq!(slug("Frontier of 2030"), "frontier_of_2030");
        assert_eq!(slug("!!"), "unnamed");
        assert_eq!(decade_range(3.2, 8.7, 20.0), (3.0, 9.0));
        assert_eq!(decade_range(3.2, 3.7, 20.0), (2.0, 5.0));
        assert_eq!(decade_range(-10.0, 20.0, 16.0), (4.0, 20.0));
        assert_eq!(
            decade_ticks(0.0, 20.0, 10),
            vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 16.0, 18.0, 20.0]
        );
    }
}

#[cfg(test)]
mod colour_tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    /// A class keeps its colour whatever its place in the file and whatever else is in it;
    /// no two classes of one chart share a colour.
    #[test]
    fn colours_follow_the_class_name_and_never_repeat_in_a_chart() {
        let baseline = names(&STANDARD_CLASSES);
        let a = class_colours(&baseline);
        assert_eq!(a, PALETTE[..7].to_vec(), "the baseline keeps its colours");
        let mut inserted = baseline.clone();
        inserted.insert(2, "Export-controlled national labs".into());
        inserted.reverse();
        let b = class_colours(&inserted);
        for (n, c) in baseline.iter().zip(&a) {
            let i = inserted.iter().position(|m| m == n).unwrap();
            assert_eq!(b[i], *c, "{n} changed colour");
        }
        let many: Vec<String> = (0..16).map(|i| format!("class {i}")).collect();
        let c = class_colours(&many);
        for i in 0..c.len() {
            for j in i + 1..c.len() {
                assert_ne!(c[i], c[j], "{} and {} share a colour", many[i], many[j]);
            }
        }
        assert_eq!(
            class_colours(&names(&["class 3"]))[0],
            class_colours(&names(&["class 3"]))[0]
        );
    }
}

/*!
Charts: cost-trajectory fan charts, affordability curves, diffusion lags and the input processes,
drawn with plotters into PNG and SVG, with the bundled font (no system libraries).

Every chart draws from [`ChartData`], which is read back from a run's saved files: `run` and
`plot` draw the very same numbers, and drawing computes no statistics. One file per chart; the
shared look lives in `style`, the shared layout in `layout`.
*/

mod affordability;
mod backtest;
mod comparison;
mod components;
mod cost;
pub mod data;
mod lag;
mod lag_trend;
mod layout;
mod observed;
mod processes;
mod ranks;
pub(crate) mod saved;
pub mod style;
mod sweep;
mod thresholds;
mod tornado;
pub mod view;

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

pub use comparison::render_comparison;
pub use cost::SPEND_LABEL;
pub use data::ChartData;
pub use layout::text_width;
pub use sweep::render_sweep;
pub use thresholds::render_thresholds;
pub use view::{Scope, View};

/// Which image formats to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// PNG only.
    Png,
    /// SVG only.
    Svg,
    /// Both.
    Both,
}

/// How to draw: formats, pixel size and what the charts show.
#[derive(Debug, Clone, PartialEq)]
pub struct PlotOptions {
    /// Formats to write.
    pub format: ImageFormat,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Title, provenance line, classes and axis ranges.
    pub view: View,
}

impl Default for PlotOptions {
    fn default() -> Self {
        Self {
            format: ImageFormat::Both,
            width: 1200,
            height: 750,
            view: View::default(),
        }
    }
}

/// A drawing failure, with the chart it concerns.
pub type PlotResult<T> = Result<T, String>;

/// A chart that can draw itself on any plotters backend.
pub trait Chart {
    /// The file stem, e.g. `cost_gpt_4_level`.
    fn stem(&self) -> String;
    /// Draws on `root`, which covers the whole image.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> PlotResult<()>;
}

/// Turns a plotters error into a message.
pub fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

/// Renders one chart into the requested formats: `(file name, bytes)` pairs.
pub fn render(chart: &impl Chart, opts: &PlotOptions) -> PlotResult<Vec<(String, Vec<u8>)>> {
    style::register_fonts();
    let (w, h) = (opts.width, opts.height);
    let mut files = Vec::new();
    if matches!(opts.format, ImageFormat::Svg | ImageFormat::Both) {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
            chart
                .draw(&root)
                .map_err(|e| format!("{}: {e}", chart.stem()))?;
            root.present().map_err(err)?;
        }
        files.push((format!("{}.svg", chart.stem()), svg.into_bytes()));
    }
    if matches!(opts.format, ImageFormat::Png | ImageFormat::Both) {
        let mut rgb = vec![255u8; w as usize * h as usize * 3];
        {
            let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
            chart
                .draw(&root)
                .map_err(|e| format!("{}: {e}", chart.stem()))?;
            root.present().map_err(err)?;
        }
        let mut png = Vec::new();
        image::ImageEncoder::write_image(
            image::codecs::png::PngEncoder::new(&mut png),
            &rgb,
            w,
            h,
            image::ColorType::Rgb8,
        )
        .map_err(|e| format!("{}: cannot encode PNG: {e}", chart.stem()))?;
        files.push((format!("{}.png", chart.stem()), png));
    }
    Ok(files)
}

/// Draws every chart of a run from its output directory: `(file name, bytes)` pairs, to be
/// written under `charts/`.
pub fn render_run(dir: &Path, opts: &PlotOptions) -> PlotResult<Vec<(String, Vec<u8>)>> {
    let data = ChartData::load(dir)?.with_view(&opts.view);
    let mut files = Vec::new();
    for (j, target) in data.targets.iter().enumerate() {
        if data.has_per_year() {
            files.extend(render(
                &cost::CostChart {
                    data: &data,
                    target: j,
                },
                opts,
            )?);
        }
        files.extend(render(
            &affordability::AffordabilityChart {
                data: &data,
                target: j,
            },
            opts,
        )?);
        if ranks::RanksChart::has_ranks(&data, j) {
            files.extend(render(
                &ranks::RanksChart {
                    data: &data,
                    target: j,
                },
                opts,
            )?);
        }
        if components::ComponentsChart::has_components(&data) {
            files.extend(render(
                &components::ComponentsChart {
                    data: &data,
                    target: j,
                },
                opts,
            )?);
        }
        if target.frontier_year.is_some() {
            files.extend(render(
                &lag::LagChart {
                    data: &data,
                    target: j,
                },
                opts,
            )?);
        }
    }
    if data.frontier_targets().len() >= 2 {
        files.extend(render(&lag_trend::LagTrendChart { data: &data }, opts)?);
    }
    if data.has_per_year() {
        files.extend(render(&processes::ProcessesChart { data: &data }, opts)?);
    }
    for (target, actor) in tornado::TornadoChart::pairs(&data) {
        files.extend(render(
            &tornado::TornadoChart {
                data: &data,
                target,
                actor,
            },
            opts,
        )?);
    }
    Ok(files)
}

/// The kinds of output folder whose charts `plot` redraws, told apart by their files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Folder {
    /// `run`, `sensitivity` or `merge`: `summary.json` (and `sensitivity.csv` after an
    /// analysis).
    Run,
    /// `compare --budgets`: `compare.json` with `thresholds`, beside a run's files.
    Thresholds,
    /// `compare A.toml B.toml …`: `compare.json` with `scenarios`.
    Scenarios,
    /// `sweep`: `sweep.json`.
    Sweep,
}

impl Folder {
    /// Which kind of output folder `dir` is, from its files; `Ok(None)`: none that `plot`
    /// redraws. A `compare.json` that cannot be read, or is not valid JSON, is an error naming
    /// it (and its line and column), not a folder of another kind.
    pub fn of(dir: &Path) -> PlotResult<Option<Folder>> {
        let compare = dir.join("compare.json");
        if compare.is_file() {
            let doc: serde_json::Value = saved::json(&compare, "comparison")?;
            return Ok(if doc.get("thresholds").is_some() {
                Some(Folder::Thresholds)
            } else if doc.get("scenarios").is_some() {
                Some(Folder::Scenarios)
            } else {
                None
            });
        }
        if dir.join("sweep.json").is_file() {
            return Ok(Some(Folder::Sweep));
        }
        Ok(dir.join("summary.json").is_file().then_some(Folder::Run))
    }

    /// What the folder's charts can show, to check a [`View`] against.
    pub fn scope(self, dir: &Path) -> PlotResult<Scope> {
        Ok(match self {
            Folder::Run => {
                let d = ChartData::load(dir)?;
                Scope {
                    kind: "run",
                    costs: d.has_per_year(),
                    classes: d.actors,
                    years: d.years,
                    year_axis: true,
                }
            }
            Folder::Thresholds => thresholds::scope(dir)?,
            Folder::Scenarios => comparison::scope(dir)?,
            Folder::Sweep => sweep::scope(dir)?,
        })
    }

    /// Draws every chart of the folder, as the command that wrote it drew them.
    pub fn render(self, dir: &Path, opts: &PlotOptions) -> PlotResult<Vec<(String, Vec<u8>)>> {
        match self {
            Folder::Run => render_run(dir, opts),
            Folder::Thresholds => render_thresholds(dir, opts),
            Folder::Scenarios => render_comparison(dir, opts),
            Folder::Sweep => render_sweep(dir, opts),
        }
    }
}

/// Draws the backtest's charts: `(file name, bytes)` pairs, to be written under `charts/`.
pub fn render_backtest(
    results: &crate::backtest::BacktestResults,
    opts: &PlotOptions,
) -> PlotResult<Vec<(String, Vec<u8>)>> {
    let mut files = render(&backtest::CasesChart { results }, opts)?;
    files.extend(render(&backtest::PitChart { results }, opts)?);
    Ok(files)
}

//! The page: its sections in order, the inline style (screen and print) and the small inline
//! script (tooltips from the charts' `<title>`s, and the selects that switch targets and
//! tornado charts). Without the script every section shows, and the browser's own tooltips
//! show the same numbers.

use std::fmt::Write;

use crate::plot::style::COST;

use super::escape::escape;
use super::svg::hex;
use super::{ReportData, charts, processes, tables};
use crate::format::year_label;

/// The page's style: readable on a laptop, and in print every target expanded, no controls.
const STYLE: &str = r#"
:root{--ink:#1d1d1f;--muted:#5a5a5a;--rule:#dedede;--bg:#fff;--panel:#f7f7f8}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
main{max-width:1180px;margin:0 auto;padding:24px 28px 48px}
h1{font-size:1.7rem;margin:0 0 .3rem}
h2{font-size:1.25rem;margin:2.2rem 0 .6rem;padding-top:.6rem;border-top:1px solid var(--rule)}
h3{font-size:1.1rem;margin:.2rem 0 .5rem}
p.lede{margin:.2rem 0 1rem;max-width:70em;color:var(--muted)}
p.note{color:var(--muted);font-size:.9rem;margin:.3rem 0 .8rem}
dl.provenance{display:grid;grid-template-columns:repeat(auto-fill,minmax(210px,1fr));gap:.4rem 1.2rem;margin:0;padding:.7rem 1rem;background:var(--panel);border-radius:6px;font-size:.9rem}
dl.provenance dt{color:var(--muted);font-size:.8rem}
dl.provenance dd{margin:0;overflow-wrap:anywhere}
dl.provenance dd.hash{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:.78rem}
dl.provenance div:has(dd.hash){grid-column:span 2}
.controls{display:flex;gap:.6rem;align-items:center;margin:.4rem 0 1rem;padding:.5rem .8rem;background:var(--panel);border-radius:6px;position:sticky;top:0;z-index:2}
.controls[hidden]{display:none}
.controls select{font:inherit;padding:.2rem .4rem;max-width:100%}
table.summary{border-collapse:collapse;margin:.3rem 0 .8rem;font-size:.92rem}
table.summary th,table.summary td{padding:.28rem .8rem;border-bottom:1px solid var(--rule);text-align:left;white-space:nowrap}
table.summary thead th{font-weight:600;color:var(--muted);font-size:.82rem;border-bottom:2px solid var(--rule)}
table.summary .num{text-align:right;font-variant-numeric:tabular-nums}
table.summary tbody th{font-weight:500}
.swatch{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin-right:.45em;vertical-align:-.05em}
.swatch.line{height:3px;vertical-align:.25em}
.swatch.dash{height:0;border-top:2px dashed;vertical-align:.25em;border-radius:0}
ul.legend{list-style:none;display:flex;flex-wrap:wrap;gap:.2rem 1.1rem;margin:.2rem 0 .4rem;padding:0;font-size:.88rem}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(440px,1fr));gap:1rem 1.6rem}
figure{margin:0}
figcaption{font-size:.88rem;color:var(--muted);margin:.1rem 0 .3rem}
figcaption b{color:var(--ink);font-weight:600}
svg.chart{width:100%;height:auto;display:block;font-family:system-ui,"DejaVu Sans",sans-serif}
svg .grid{stroke:#e6e6e6;stroke-width:1}
svg .tick{font-size:12px;fill:var(--muted)}
svg .axis{font-size:12px;fill:var(--muted)}
svg .pt{stroke-width:1.2;cursor:crosshair}
svg .pt:hover,svg .bar:hover{stroke:#000;stroke-width:2}
svg .bar{fill-opacity:.85}
#tip{position:fixed;z-index:10;pointer-events:none;background:#1d1d1f;color:#fff;padding:.4rem .6rem;border-radius:5px;font-size:.85rem;line-height:1.35;white-space:pre-line;max-width:340px;box-shadow:0 2px 8px rgba(0,0,0,.25)}
pre.scenario{background:var(--panel);padding:.8rem 1rem;border-radius:6px;overflow:auto;max-height:34rem;font-size:.82rem;line-height:1.4}
footer{margin-top:2.5rem;color:var(--muted);font-size:.85rem}
@media (max-width:700px){main{padding:14px}.charts{grid-template-columns:1fr}table.summary{font-size:.8rem}}
@media print{
 @page{margin:12mm}
 body{font-size:10.5pt}
 main{max-width:none;padding:0}
 .controls,#tip{display:none!important}
 [data-group][hidden]{display:block!important}
 section.target,figure{break-inside:avoid}
 .charts{grid-template-columns:1fr 1fr}
 pre.scenario{max-height:none;overflow:visible;white-space:pre-wrap}
 h2{break-after:avoid}
}
"#;

/// The page's script: tooltips from the charts' titles, and the switching selects.
const SCRIPT: &str = r#"
(function(){
'use strict';
var tip=document.getElementById('tip');
document.querySelectorAll('svg.chart title').forEach(function(t){
 var p=t.parentNode;p.setAttribute('data-tip',t.textContent);p.removeChild(t);
});
function place(e){
 var x=e.clientX+14,y=e.clientY+14;
 if(x+tip.offsetWidth>window.innerWidth-8){x=e.clientX-tip.offsetWidth-14;}
 if(y+tip.offsetHeight>window.innerHeight-8){y=e.clientY-tip.offsetHeight-14;}
 tip.style.left=Math.max(4,x)+'px';tip.style.top=Math.max(4,y)+'px';
}
document.addEventListener('mouseover',function(e){
 var el=e.target.closest?e.target.closest('[data-tip]'):null;
 if(!el){tip.hidden=true;return;}
 tip.textContent=el.getAttribute('data-tip');tip.hidden=false;place(e);
});
document.addEventListener('mousemove',function(e){if(!tip.hidden){place(e);}});
document.querySelectorAll('select[data-switch]').forEach(function(sel){
 var group=sel.getAttribute('data-switch');
 function apply(){
  document.querySelectorAll('[data-group="'+group+'"]').forEach(function(s){
   s.hidden=s.getAttribute('data-key')!==sel.value;
  });
 }
 sel.addEventListener('change',apply);apply();
});
document.querySelectorAll('.controls').forEach(function(c){c.hidden=false;});
})();
"#;

/// The whole page.
pub fn page(r: &ReportData, date: &str) -> String {
    let s = &r.summary;
    let mut out = String::with_capacity(1 << 20);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{} · diffusion-sim report</title><style>{STYLE}</style></head><body><main>",
        escape(&s.scenario)
    );
    let _ = write!(out, "<header><h1>{}</h1>", escape(&s.scenario));
    if let Some(d) = s.description.as_deref().filter(|d| !d.trim().is_empty()) {
        let _ = write!(out, "<p class=\"lede\">{}</p>", escape(d.trim()));
    }
    out.push_str(&tables::provenance(r, date));
    out.push_str("</header>");
    targets(&mut out, r);
    lag_trend(&mut out, r);
    inputs(&mut out, r);
    sensitivity(&mut out, r);
    if let Some(text) = &r.scenario_text {
        let _ = write!(
            out,
            "<section id=\"scenario\"><h2>The scenario as run</h2><pre class=\"scenario\"><code>{}</code></pre></section>",
            escape(text)
        );
    }
    let _ = write!(
        out,
        "<footer>Written by {} from this run's files (summary.json, trajectories.csv{}). Years are fractional calendar years; “not by {}” means beyond the horizon.</footer>",
        escape(
            r.manifest
                .as_ref()
                .map_or("diffusion-sim", |m| m.tool.as_str())
        ),
        if r.chart.sensitivity.is_empty() {
            ""
        } else {
            ", sensitivity.csv"
        },
        year_label(s.end_year)
    );
    let _ = writeln!(
        out,
        "</main><div id=\"tip\" role=\"tooltip\" hidden></div><script>{SCRIPT}</script></body></html>"
    );
    out
}

/// A select that shows one of a group of sections (hidden until the script runs).
fn switch(out: &mut String, group: &str, label: &str, options: &[String], selected: usize) {
    let _ = write!(
        out,
        "<div class=\"controls\" hidden><label for=\"{group}-select\">{label}</label><select id=\"{group}-select\" data-switch=\"{group}\">"
    );
    for (i, o) in options.iter().enumerate() {
        let sel = if i == selected { " selected" } else { "" };
        let _ = write!(out, "<option value=\"{i}\"{sel}>{}</option>", escape(o));
    }
    out.push_str("</select></div>");
}

/// The class legend: one swatch per class, in the charts' colours.
fn legend(r: &ReportData, extra: &str) -> String {
    let mut out = String::from("<ul class=\"legend\">");
    for (a, c) in r.chart.actors.iter().zip(&r.chart.colours) {
        let _ = write!(
            out,
            "<li><span class=\"swatch\" style=\"background:{}\"></span>{}</li>",
            hex(*c),
            escape(a)
        );
    }
    out.push_str(extra);
    out.push_str("</ul>");
    out
}

/// Per target: its table, its affordability curves and its cost trajectory.
fn targets(out: &mut String, r: &ReportData) {
    let d = &r.chart;
    out.push_str("<section id=\"targets\"><h2>When each target becomes affordable</h2>");
    let _ = write!(
        out,
        "<p class=\"note\">For each actor class: the chance it can afford the target by {}, the median year and 90% interval of when it first can, and, for a frontier-of-year target, the median lag after the frontier. Hover a point on a chart for its numbers.</p>",
        year_label(d.end_year)
    );
    let names: Vec<String> = d.targets.iter().map(|t| t.name.clone()).collect();
    switch(out, "target", "Target", &names, 0);
    let cost_key = format!(
        "<li><span class=\"swatch line\" style=\"background:{}\"></span>target's cost (median, 90% band)</li><li><span class=\"swatch dash\" style=\"border-color:#777\"></span>class budget (median, in the class's colour)</li>{}",
        hex(COST),
        match d.frontier {
            crate::plot::data::FrontierBasis::Overhead(_) => format!(
                "<li><span class=\"swatch dash\" style=\"border-color:{}\"></span>{} (median)</li>",
                hex(charts::SPEND),
                crate::plot::SPEND_LABEL
            ),
            _ => String::new(),
        }
    );
    // A run without per-year outputs (`trajectory_samples = 0`) has no cost trajectories.
    let per_year = d.has_per_year();
    if !per_year {
        out.push_str("<p class=\"note\">This run has no per-year outputs (<code>trajectory_samples = 0</code>): no cost trajectories.</p>");
    }
    let legend = legend(r, if per_year { &cost_key } else { "" });
    for (j, t) in d.targets.iter().enumerate() {
        let _ = write!(
            out,
            "<section class=\"target\" data-group=\"target\" data-key=\"{j}\" data-target=\"{}\"><h3>{}</h3>",
            escape(&t.name),
            escape(&t.name)
        );
        out.push_str(&tables::summary(r, j));
        out.push_str(&legend);
        let cost = if per_year {
            format!(
                "<figure class=\"cost\"><figcaption><b>Cost trajectory</b> · the cost of {} against each class's budget</figcaption>{}</figure>",
                escape(&t.name),
                charts::cost(d, j)
            )
        } else {
            String::new()
        };
        let _ = write!(
            out,
            "<div class=\"charts\"><figure class=\"affordability\"><figcaption><b>Affordability</b> · P(a class can afford {} by each year)</figcaption>{}</figure>{cost}</div></section>",
            escape(&t.name),
            charts::affordability(r, j),
        );
    }
    out.push_str("</section>");
}

/// The lag trend across frontier-of-year targets, when there are two or more.
fn lag_trend(out: &mut String, r: &ReportData) {
    let Some(svg) = charts::lag_trend(&r.chart) else {
        return;
    };
    let _ = write!(
        out,
        "<section id=\"lag-trend\"><h2>Is diffusion slowing, and for whom?</h2><p class=\"note\">Years until each class can afford what the frontier first trains in each year (median). A ring on the dashed line: the median is beyond the horizon ({}).</p>{}<figure class=\"lag-trend\">{svg}</figure></section>",
        year_label(r.chart.end_year),
        legend(r, "")
    );
}

/// What the inputs imply: the processes' fan charts.
fn inputs(out: &mut String, r: &ReportData) {
    let panels = processes::processes(&r.chart);
    if panels.is_empty() {
        return;
    }
    out.push_str("<section id=\"inputs\"><h2>What the inputs imply</h2><p class=\"note\">The processes every target's cost is made of: median line, 50% and 90% bands.</p><div class=\"charts\">");
    for (title, svg) in panels {
        let _ = write!(
            out,
            "<figure class=\"process\"><figcaption><b>{title}</b></figcaption>{svg}</figure>"
        );
    }
    out.push_str("</div></section>");
}

/// The sensitivity tornado charts, when the run has sensitivity.csv: one shown at a time.
fn sensitivity(out: &mut String, r: &ReportData) {
    let d = &r.chart;
    let pairs = charts::tornado_pairs(d);
    if pairs.is_empty() {
        return;
    }
    out.push_str("<section id=\"sensitivity\"><h2>What drives the answer</h2><p class=\"note\">For the inputs with the largest swings: the median year with the input held at its 5th percentile (blue) and at its 95th (orange), around the main run's median (the vertical line).</p>");
    let names: Vec<String> = pairs.iter().map(|(t, a, _)| format!("{t} · {a}")).collect();
    // The select starts at the pair with the largest swing: the most telling chart.
    let first = (0..pairs.len())
        .max_by(|&x, &y| pairs[x].2.total_cmp(&pairs[y].2).then(y.cmp(&x)))
        .unwrap_or(0);
    switch(out, "tornado", "Target · class", &names, first);
    for (i, (t, a, swing)) in pairs.iter().enumerate() {
        let body = if *swing > 0.0 {
            charts::tornado(d, t, a)
        } else {
            "<p class=\"note\">No input moves the median year: it stays put (or beyond the horizon) whatever the inputs.</p>".to_string()
        };
        let _ = write!(
            out,
            "<figure class=\"tornado\" data-group=\"tornado\" data-key=\"{i}\"><figcaption><b>{}</b> · {}</figcaption>{body}</figure>",
            escape(t),
            escape(a),
        );
    }
    out.push_str("</section>");
}

//! What `validate` prints: the scenario as the tool understood it, on one screen.

use std::fmt::Write;

use super::{ActorBudget, Cap, Process, Quantity, Scenario, TargetKind};
use crate::dist::Shape;
use crate::format::format_number;

impl Scenario {
    /// A one-screen description of the processes, regimes, caps, actors, targets and inputs.
    pub fn describe(&self) -> String {
        let mut o = String::new();
        let _ = writeln!(o, "{}  ({})", self.name, self.path.display());
        let _ = writeln!(
            o,
            "horizon {}–{}, {} reporting years ({}–{}); {} samples, seed {}",
            format_number(self.start_year),
            format_number(self.end_year),
            self.report_years.len(),
            format_number(self.report_years[0]),
            format_number(*self.report_years.last().expect("at least one year")),
            self.samples,
            self.seed
        );
        if let Some(set) = self.set_line() {
            let _ = writeln!(o, "{set}");
        }
        self.process(
            &mut o,
            "hardware",
            "effective FLOP per dollar",
            &self.hardware,
        );
        self.process(
            &mut o,
            "algorithms",
            "efficiency multiplier, 1 at the start",
            &self.algorithms,
        );
        match &self.investment {
            Some(p) => self.process(
                &mut o,
                "investment",
                "frontier spend on the largest run, dollars",
                p,
            ),
            None => {
                let _ = writeln!(o, "\ninvestment: none (nothing uses the frontier spend)");
            }
        }
        if let Some(c) = self.closed_from {
            let _ = writeln!(
                o,
                "\npublication: the frontier stops publishing algorithmic insights from {}",
                format_number(c)
            );
        }
        let _ = writeln!(
            o,
            "\ncosts: overhead multiplier m = {} (on training compute)",
            self.show(self.overhead)
        );
        self.describe_components(&mut o);
        self.describe_actors(&mut o);
        self.describe_targets(&mut o);
        self.describe_inputs(&mut o);
        self.describe_correlations(&mut o);
        self.describe_observed(&mut o);
        o
    }

    /// The `[[observed]]` points, drawn on the charts and never sampled.
    fn describe_observed(&self, o: &mut String) {
        if self.observed.is_empty() {
            return;
        }
        let _ = writeln!(
            o,
            "
observed ({}, drawn on the charts, not sampled):",
            self.observed.len()
        );
        for p in &self.observed {
            let mut what = Vec::new();
            if let Some(a) = &p.actor {
                what.push(a.clone());
            }
            if let Some(t) = &p.target {
                what.push(format!("reached {t}"));
            }
            if let Some(v) = p.value {
                what.push(format!(
                    "{}{}",
                    crate::format::format_dollars(v),
                    match p.basis {
                        super::ObservedBasis::Project => "",
                        super::ObservedBasis::FinalRun => " (final run)",
                    }
                ));
            }
            let _ = writeln!(
                o,
                "  {}: {} in {}",
                p.label,
                what.join(", "),
                crate::format::format_number(p.year)
            );
        }
    }

    /// The actor classes: budgets, their paths and access terms.
    fn describe_actors(&self, o: &mut String) {
        let _ = writeln!(o, "\nactor classes ({}):", self.actors.len());
        let beyond = if self.components.is_some() {
            ", plus the frontier's own costs beyond compute of each target"
        } else {
            ""
        };
        for a in &self.actors {
            match &a.budget {
                ActorBudget::Frontier(None) => {
                    let _ = writeln!(
                        o,
                        "  {}: budget = frontier (m × frontier spend{beyond})",
                        a.name
                    );
                }
                ActorBudget::Frontier(Some(f)) => {
                    let _ = writeln!(
                        o,
                        "  {}: budget = {} × frontier (m × frontier spend{beyond})",
                        a.name,
                        self.show(*f)
                    );
                }
                ActorBudget::Own(p) => {
                    let budget = p.initial.map(|q| self.show(q)).unwrap_or_default();
                    let _ = writeln!(
                        o,
                        "  {}: budget {budget}{} at the start",
                        a.name,
                        dollars(&budget)
                    );
                    self.regimes_and_caps(o, "    ", p);
                }
            }
            self.describe_access(o, a);
        }
    }

    /// The targets: what each needs.
    fn describe_targets(&self, o: &mut String) {
        let _ = writeln!(o, "\ntargets ({}):", self.targets.len());
        for t in &self.targets {
            match &t.kind {
                TargetKind::Fixed { flop, flop_year } => {
                    let at = flop_year
                        .map(|y| format!(" at {} algorithms", format_number(y)))
                        .unwrap_or_default();
                    let _ = writeln!(o, "  {}: {} FLOP{at}", t.name, self.show(*flop));
                }
                TargetKind::FrontierOf { year } => {
                    let _ = writeln!(
                        o,
                        "  {}: the frontier of {} (S·P·A of that year)",
                        t.name,
                        format_number(*year)
                    );
                }
                TargetKind::CostAt { cost, year } => {
                    let _ = writeln!(
                        o,
                        "  {}: what a {} dollar frontier project trains in {} (cost·P·A/m of that year)",
                        t.name,
                        self.show(*cost),
                        format_number(*year)
                    );
                }
            }
            let needs: Vec<String> = [
                ("person-years", t.person_years),
                ("tokens served", t.tokens_served),
            ]
            .into_iter()
            .filter_map(|(what, q)| q.map(|q| format!("{} {what}", self.show(q))))
            .collect();
            if !needs.is_empty() {
                let _ = writeln!(o, "    needs {}", needs.join("; "));
            }
        }
    }

    /// The uncertain inputs: family, quantiles and bounds.
    fn describe_inputs(&self, o: &mut String) {
        let _ = writeln!(o, "\nuncertain inputs ({}):", self.inputs.len());
        let width = self
            .inputs
            .iter()
            .map(|i| i.name.chars().count())
            .max()
            .unwrap_or(0);
        for i in &self.inputs {
            let d = &i.dist;
            let (lo, hi) = d.bounds();
            let bounds = match (lo.is_finite(), hi.is_finite()) {
                (false, false) => String::new(),
                _ => format!(
                    ", truncated to [{}, {}]",
                    format_number(lo),
                    format_number(hi)
                ),
            };
            let _ = writeln!(
                o,
                "  {:<width$}  {:<11} 5%: {:<10} 50%: {:<10} 95%: {}{bounds}",
                i.name,
                family(d.shape()),
                cell(d.quantile(0.05)),
                cell(d.quantile(0.5)),
                cell(d.quantile(0.95)),
            );
        }
    }

    /// An actor class's access terms and actors, where they differ from the defaults.
    fn describe_access(&self, o: &mut String, a: &super::Actor) {
        let ac = &a.access;
        let terms: Vec<String> = [
            ("algorithms", ac.algorithm_lag, " years behind"),
            ("hardware", ac.hardware_lag, " years behind"),
            ("price ×", ac.price_multiplier, ""),
            ("compute ×", ac.compute_multiplier, ""),
            ("wage ×", ac.wage_multiplier, ""),
            (
                "own algorithmic halving time",
                ac.own_halving_time,
                " years after the closure",
            ),
        ]
        .into_iter()
        .filter_map(|(what, q, unit)| q.map(|q| format!("{what} {}{unit}", self.show(q))))
        .collect();
        if !terms.is_empty() {
            let _ = writeln!(o, "    access: {}", terms.join("; "));
        }
        if a.count > 1 || a.spread.is_some() {
            let spread = a.spread.map_or("0".to_string(), |q| self.show(q));
            let _ = writeln!(
                o,
                "    {} actors, log10 budgets spread with sd {spread} around the class budget",
                a.count
            );
        }
    }

    /// Costs beyond compute, when the scenario has any.
    fn describe_components(&self, o: &mut String) {
        let Some(c) = &self.components else {
            return;
        };
        let _ = writeln!(
            o,
            "  tokens per parameter r = {} (compute-optimal: N = √(F / 6r) parameters, D = r·N tokens)",
            self.show(c.tokens_per_parameter)
        );
        if let Some(d) = &c.data {
            let _ = writeln!(
                o,
                "  data: {} dollars per token at the start, × {} a year",
                self.show(d.dollars_per_token),
                self.show(d.growth)
            );
            if let Some(st) = &d.stock {
                let _ = writeln!(
                    o,
                    "    up to a stock of {} tokens (× {} a year); beyond it {} dollars per token",
                    self.show(st.tokens),
                    self.show(st.growth),
                    self.show(st.beyond_price)
                );
            }
        }
        if let Some(st) = &c.staff {
            let pay = self.show(st.dollars_per_person_year);
            let _ = writeln!(
                o,
                "  staff: {pay}{} per person-year at the start, × {} a year",
                dollars(&pay),
                self.show(st.growth)
            );
            if let Some(h) = st.effort_halving_time {
                let _ = writeln!(
                    o,
                    "    the person-years a known capability needs halve every {} years after its own year",
                    self.show(h)
                );
            }
        }
        if let Some(d) = &c.deployment {
            let tokens = d
                .tokens_served
                .map_or("per target".to_string(), |q| self.show(q));
            let _ = writeln!(
                o,
                "  deployment: {tokens} tokens served at 2N FLOP each, inference utilisation {} of training's",
                self.show(d.utilisation)
            );
        }
        let fits = match &c.deployment {
            Some(d) if d.in_budget => "training and deployment",
            _ => "training (compute, data, staff)",
        };
        let _ = writeln!(o, "  what must fit in a budget: {fits}");
    }

    /// The requested rank correlations as a matrix over the correlated inputs.
    fn describe_correlations(&self, o: &mut String) {
        let Some(copula) = &self.copula else {
            let _ = writeln!(o, "\ncorrelations: none (inputs are independent)");
            return;
        };
        let members = copula.members();
        let _ = writeln!(
            o,
            "\ncorrelations: Spearman rank correlation ρ (normal-copula Pearson r = 2·sin(πρ/6))"
        );
        for (k, &m) in members.iter().enumerate() {
            let _ = writeln!(o, "  [{}] {}", k + 1, self.inputs[m].name);
        }
        let _ = write!(o, "  {:>5}", "");
        for k in 0..members.len() {
            let _ = write!(o, " {:>6}", format!("[{}]", k + 1));
        }
        o.push('\n');
        for (i, &a) in members.iter().enumerate() {
            let _ = write!(o, "  {:>5}", format!("[{}]", i + 1));
            for &b in members {
                let rho = if a == b {
                    1.0
                } else {
                    self.correlations
                        .iter()
                        .find(|p| (p.a, p.b) == (a, b) || (p.a, p.b) == (b, a))
                        .map_or(0.0, |p| p.rho)
                };
                let _ = write!(o, " {rho:>6.2}");
            }
            o.push('\n');
        }
        for p in &self.correlations {
            let _ = writeln!(
                o,
                "  {} ~ {}: ρ = {} (r = {:.4})",
                self.inputs[p.a].name,
                self.inputs[p.b].name,
                format_number(p.rho),
                crate::correlation::spearman_to_pearson(p.rho)
            );
        }
    }

    fn show(&self, q: Quantity) -> String {
        match q {
            Quantity::Fixed(v) => format_number(v),
            Quantity::Input(i) => self.inputs[i].written.clone(),
        }
    }

    fn process(&self, o: &mut String, key: &str, what: &str, p: &Process) {
        let _ = writeln!(o, "\n{key}: {what}");
        if let Some(q) = p.initial {
            let _ = writeln!(o, "  at the start: {}", self.show(q));
        }
        self.regimes_and_caps(o, "  ", p);
    }

    fn regimes_and_caps(&self, o: &mut String, indent: &str, p: &Process) {
        let mut from = self.start_year;
        for r in &p.regimes {
            let to = r.until.unwrap_or(self.end_year);
            let _ = writeln!(
                o,
                "{indent}{}–{}: {} = {}",
                format_number(from),
                format_number(to),
                r.kind.key(),
                self.show(r.value)
            );
            from = to;
        }
        for c in &p.caps {
            let _ = match c {
                Cap::Level(q) => writeln!(o, "{indent}capped at {}", self.show(*q)),
                Cap::ShareOfGwp {
                    fraction,
                    gwp,
                    growth,
                } => writeln!(
                    o,
                    "{indent}capped at {} of world output ({} dollars, growing {}× a year)",
                    self.show(*fraction),
                    self.show(*gwp),
                    self.show(*growth)
                ),
            };
        }
    }
}

fn family(s: &Shape) -> &'static str {
    match s {
        Shape::Point(_) => "fixed",
        Shape::Normal { .. } => "normal",
        Shape::LogNormal { .. } => "lognormal",
        Shape::Uniform { .. } => "uniform",
        Shape::LogUniform { .. } => "loguniform",
        Shape::Triangular { .. } => "triangular",
        Shape::ScaledBeta { .. } => "beta/pert",
        Shape::Mixture(_) => "mixture",
    }
}

/// The unit after an amount as the scenario wrote it: nothing when it says `$` already.
fn dollars(written: &str) -> &'static str {
    if written.contains('$') {
        ""
    } else {
        " dollars"
    }
}

/// A percentile in the inputs' table: as [`format_number`] writes it when that fits the
/// column (9 characters), else with four significant digits in exponent form (`9.354e5`,
/// not `935414.3467`), so that the columns stay aligned.
fn cell(v: f64) -> String {
    let s = format_number(v);
    if s.chars().count() <= 9 {
        s
    } else {
        crate::format::format_exponent(v)
    }
}

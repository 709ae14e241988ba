//! Compiling the rubric: the items the debrief scores, and what counts for each.

use super::{Compiler, ix};
use crate::clock::TimeSpan;
use crate::scenario::model::{self, ScenarioFile};
use crate::scenario::spans::Path;
use crate::scenario::*;
use std::collections::BTreeSet;

impl Compiler<'_> {
    pub(super) fn rubric(&mut self, f: &ScenarioFile, rp: &Path) -> RubricDef {
        let r = &f.rubric;
        let mut inconsistencies = Vec::new();
        for (i, x) in r.inconsistencies.iter().enumerate() {
            let ip = rp.f("inconsistencies").i(i);
            if x.facts.len() < 2 {
                self.ctx.error(
                    "E122",
                    &ip.f("facts"),
                    format!("inconsistency `{}` needs at least two facts that conflict", x.id),
                    None,
                );
            }
            if x.followed_up_by.is_empty() {
                self.ctx.error(
                    "E122",
                    &ip.f("followed_up_by"),
                    format!("inconsistency `{}` has no action that follows it up", x.id),
                    "list the choices or hotspots that count as following it up".to_string(),
                );
            }
            self.weight(x.weight, &ip.f("weight"));
            inconsistencies.push(InconsistencyDef {
                id: x.id.clone(),
                title: x.title.clone(),
                facts: x
                    .facts
                    .iter()
                    .enumerate()
                    .filter_map(|(j, id)| ix(self.facts.resolve(&mut self.ctx, id, &ip.f("facts").i(j)), FactIx))
                    .collect(),
                followed_up_by: x
                    .followed_up_by
                    .iter()
                    .enumerate()
                    .filter_map(|(j, id)| {
                        ix(self.actions.resolve(&mut self.ctx, id, &ip.f("followed_up_by").i(j)), ActionIx)
                    })
                    .collect(),
                late_after: x.late_after,
                weight: x.weight,
                learning_point: x.learning_point.clone(),
                review_finding: x.review_finding.clone(),
                supervision_question: x.supervision_question.clone(),
                only_if: self.version_condition(x.only_if.as_ref(), &ip.f("only_if")),
            });
        }
        let mut carers = Vec::new();
        let mut seen_carers = BTreeSet::new();
        for (i, x) in r.carers.iter().enumerate() {
            let cp = rp.f("carers").i(i);
            let person = self.people.resolve(&mut self.ctx, &x.person, &cp.f("person"));
            if let Some(p) = person {
                if !f.people[p as usize].carer {
                    self.ctx.error(
                        "E123",
                        &cp.f("person"),
                        format!("`{}` is in the carers rubric but is not marked `carer: true`", x.person),
                        "mark them as a carer, or remove the rubric item".to_string(),
                    );
                }
                if !seen_carers.insert(p) {
                    self.ctx.error(
                        "E101",
                        &cp.f("person"),
                        format!("carer `{}` is listed twice in the rubric", x.person),
                        None,
                    );
                }
            }
            if x.checks.is_empty() {
                self.ctx.error("E122", &cp.f("checks"), format!("carer `{}` has no required checks", x.person), None);
            }
            self.weight(x.weight, &cp.f("weight"));
            carers.push(CarerDef {
                person: PersonIx(person.unwrap_or(0)),
                checks: x
                    .checks
                    .iter()
                    .enumerate()
                    .filter_map(|(j, c)| ix(self.checks.resolve(&mut self.ctx, c, &cp.f("checks").i(j)), CheckIx))
                    .collect(),
                weight: x.weight,
                learning_point: x.learning_point.clone(),
                review_finding: x.review_finding.clone(),
                supervision_question: x.supervision_question.clone(),
                only_if: self.version_condition(x.only_if.as_ref(), &cp.f("only_if")),
            });
        }
        for (i, p) in f.people.iter().enumerate() {
            if p.carer && !seen_carers.contains(&(i as u16)) {
                self.ctx.error(
                    "E124",
                    &Path::root().f("people").i(i).f("carer"),
                    format!("carer `{}` has no item in rubric.carers", p.id),
                    "every adult who lives with or looks after the child is scored: add a CarerChecks item".to_string(),
                );
            }
        }
        let mut escalations = Vec::new();
        for (i, x) in r.escalations.iter().enumerate() {
            let ep = rp.f("escalations").i(i);
            if x.counts.is_empty() && x.met_by.is_empty() && x.met_when.is_none() {
                self.ctx.error(
                    "E122",
                    &ep.f("counts"),
                    format!("escalation `{}` has no routes, choices or condition that meet it", x.id),
                    "list routes in `counts`, choices in `met_by`, or give a `met_when` condition".to_string(),
                );
            }
            if matches!(
                x.deadline,
                TimeSpan::Minutes(0) | TimeSpan::Hours(0) | TimeSpan::Days(0) | TimeSpan::WorkingDays(0)
            ) {
                self.ctx.error(
                    "E121",
                    &ep.f("deadline"),
                    format!("escalation `{}` has a deadline of zero: it can never be met", x.id),
                    "use the timescale from research/timescales.md, e.g. WorkingDays(1) or EndOfDay".to_string(),
                );
            }
            self.weight(x.weight, &ep.f("weight"));
            let refused_by = self.action_ids(&x.refused_by, &ep.f("refused_by"));
            for (j, a) in refused_by.iter().enumerate() {
                if x.met_by.iter().any(|m| *m == self.actions.names[a.ix()]) {
                    self.ctx.error(
                        "E122",
                        &ep.f("refused_by").i(j),
                        format!("`{}` is in both `met_by` and `refused_by` of `{}`", self.actions.names[a.ix()], x.id),
                        "a choice either meets the item or decides against it".to_string(),
                    );
                }
            }
            let consequence_of = x
                .consequence_of
                .as_ref()
                .and_then(|e| ix(self.events.resolve(&mut self.ctx, e, &ep.f("consequence_of")), EventIx));
            if let Some(ev) = consequence_of
                && f.events[ev.ix()].preventable_by.is_empty()
            {
                self.ctx.error(
                    "E122",
                    &ep.f("consequence_of"),
                    format!(
                        "`{}` is the consequence of `{}`, which names no `preventable_by`",
                        x.id,
                        f.events[ev.ix()].id
                    ),
                    "an incident that raises new items names the steps that would have prevented it".to_string(),
                );
            }
            escalations.push(EscalationDef {
                id: x.id.clone(),
                title: x.title.clone(),
                trigger: self.cond(&x.trigger, &ep.f("trigger")),
                counts: x.counts.clone(),
                met_by: x
                    .met_by
                    .iter()
                    .enumerate()
                    .filter_map(|(j, id)| ix(self.actions.resolve(&mut self.ctx, id, &ep.f("met_by").i(j)), ActionIx))
                    .collect(),
                deadline: x.deadline,
                timescale: x.timescale.clone(),
                weight: x.weight,
                learning_point: x.learning_point.clone(),
                review_finding: x.review_finding.clone(),
                supervision_question: x.supervision_question.clone(),
                kind: x.kind,
                met_when: x.met_when.as_ref().map(|c| self.cond(c, &ep.f("met_when"))),
                arises: x.arises.as_ref().map(|c| self.cond(c, &ep.f("arises"))),
                refused_by,
                consequence_of,
            });
        }
        let overreach = r
            .overreach
            .iter()
            .enumerate()
            .map(|(i, x)| OverreachDef {
                id: x.id.clone(),
                route: x.route,
                when: self.cond(&x.when, &rp.f("overreach").i(i).f("when")),
                penalty: x.penalty,
                reason: x.reason.clone(),
            })
            .collect();
        let mut penalties = Vec::new();
        for (i, x) in r.penalties.iter().enumerate() {
            let pp = rp.f("penalties").i(i);
            if x.points == 0 || x.points > 100 {
                self.ctx.error(
                    "E152",
                    &pp.f("points"),
                    format!("penalty `{}` takes {} points: it must take 1 to 100", x.id, x.points),
                    None,
                );
            }
            penalties.push(PenaltyDef {
                id: x.id.clone(),
                title: x.title.clone(),
                when: self.cond(&x.when, &pp.f("when")),
                criterion: x.criterion,
                points: x.points.min(100),
                reason: x.reason.clone(),
                review_finding: x.review_finding.clone(),
            });
        }
        RubricDef { weights: r.weights.clone(), inconsistencies, carers, escalations, overreach, penalties }
    }

    /// An `only_if` condition: it must be about the version of the case
    /// (switches) alone, which is fixed for a whole session.
    fn version_condition(&mut self, c: Option<&model::Condition>, path: &Path) -> Option<Cond> {
        let cond = self.cond(c?, path);
        fn switches_only(c: &Cond) -> bool {
            match c {
                Cond::Always | Cond::Never | Cond::Is(..) => true,
                Cond::Not(inner) => switches_only(inner),
                Cond::All(xs) | Cond::Any(xs) => xs.iter().all(switches_only),
                _ => false,
            }
        }
        if !switches_only(&cond) {
            self.ctx.error(
                "E153",
                path,
                "`only_if` may test only the version of the case (`Is`, with `All`, `Any`, `Not`)".into(),
                "use `Is(\"story\", \"concern\")`; what happens during the case belongs in the item's facts or trigger"
                    .to_string(),
            );
        }
        Some(cond)
    }

    /// Resolves a list of choice or hotspot ids.
    pub(super) fn action_ids(&mut self, ids: &[String], path: &Path) -> Vec<ActionIx> {
        ids.iter()
            .enumerate()
            .filter_map(|(j, id)| ix(self.actions.resolve(&mut self.ctx, id, &path.i(j)), ActionIx))
            .collect()
    }

    /// Resolves a list of escalation item ids to their indices.
    pub(super) fn escalation_ids(&mut self, ids: &[String], path: &Path) -> Vec<usize> {
        ids.iter()
            .enumerate()
            .filter_map(|(j, id)| self.escalations.resolve(&mut self.ctx, id, &path.i(j)).map(usize::from))
            .collect()
    }

    pub(super) fn weight(&mut self, w: f64, path: &Path) {
        if !w.is_finite() || w <= 0.0 || w > 1000.0 {
            self.ctx.error(
                "E152",
                path,
                format!("weight {w} must be above zero and at most 1000"),
                "weights compare items within a criterion: 1 is ordinary, 2 twice as important".to_string(),
            );
        }
    }
}

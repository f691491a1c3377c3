//! Aggregation: teachers who are interchangeable for every rule and every objective level
//! (same school after the returns, same subjects, same T3/T5/T7/T9 facts) become one class
//! with a head count, so the model has integer flows per class instead of a binary per
//! teacher. Inside a class the tie-break of SPEC.md orders who moves first.

use std::collections::BTreeMap;

use super::Context;
use super::state::{
    floor_eligible_person, helper_may_send, max_level, township_bound, weak_side_may_send,
};

/// Teachers who are interchangeable for the whole model.
#[derive(Debug, Clone)]
pub struct Class {
    /// School after the returns.
    pub school: usize,
    /// Subject ids the members can cover (main and second subject), ascending.
    pub subjects: Vec<usize>,
    pub free: bool,
    /// T9 level (free classes only).
    pub max_level: u8,
    /// T3: only inside their own township.
    pub township_bound: bool,
    /// T5 helper side: key or senior (meaningful at a helper).
    pub helper_ok: bool,
    /// T5 weaker side: young enough to be sent.
    pub young_ok: bool,
    /// T7 eligible (only distinguished when the national floor is on).
    pub eligible: bool,
    /// Key teacher (only distinguished when the national floor is on).
    pub key: bool,
    /// The one teacher of a class of one: per-teacher mode, or a teacher a lock or the
    /// published plan names (see `pins`), who must not be merged with others.
    pub single: Option<usize>,
    /// Teacher indices, the one who moves first first: most years at the school, then
    /// smallest id.
    pub teachers: Vec<usize>,
}

impl Class {
    pub fn size(&self) -> usize {
        self.teachers.len()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    school: usize,
    subjects: Vec<usize>,
    free: bool,
    max_level: u8,
    township_bound: bool,
    helper_ok: bool,
    young_ok: bool,
    eligible: bool,
    key: bool,
    /// Distinct per teacher when aggregation is off (the per-teacher model) or the teacher
    /// is pinned.
    single: Option<usize>,
}

/// Builds the classes, in a deterministic order. With `aggregate = false` every teacher is
/// a class of one (the per-teacher model, kept for comparison).
pub fn build_classes(ctx: &Context, aggregate: bool) -> Vec<Class> {
    let inst = ctx.inst;
    let policy = ctx.policy;
    let floor = policy.rotation.national_floor;
    let mut by_key: BTreeMap<Key, Vec<usize>> = BTreeMap::new();
    for t in 0..inst.teachers.len() {
        let school = ctx.state.loc[t];
        let free = ctx.state.is_free(t);
        let mut subjects = ctx.teacher_subjects(t);
        subjects.sort_unstable();
        subjects.dedup();
        let key = if free {
            let at_helper = inst.schools[school].helper;
            Key {
                school,
                subjects,
                free,
                max_level: max_level(inst, school, t),
                township_bound: township_bound(inst, policy, t),
                helper_ok: at_helper && helper_may_send(inst, t),
                young_ok: weak_side_may_send(inst, policy, t),
                eligible: floor
                    && ctx.grouped_or_helper(school)
                    && floor_eligible_person(inst, policy, ctx.state, t),
                key: floor && inst.teachers[t].key,
                single: (!aggregate || ctx.pins.distinct(t)).then_some(t),
            }
        } else {
            Key {
                school,
                subjects,
                free,
                max_level: 0,
                township_bound: false,
                helper_ok: false,
                young_ok: false,
                eligible: false,
                key: false,
                single: (!aggregate || ctx.pins.distinct(t)).then_some(t),
            }
        };
        by_key.entry(key).or_default().push(t);
    }
    by_key
        .into_iter()
        .map(|(k, mut teachers)| {
            teachers.sort_by(|&a, &b| {
                let (ta, tb) = (&inst.teachers[a], &inst.teachers[b]);
                tb.years_at_school
                    .cmp(&ta.years_at_school)
                    .then_with(|| ta.id.cmp(&tb.id))
            });
            Class {
                school: k.school,
                subjects: k.subjects,
                free: k.free,
                max_level: k.max_level,
                township_bound: k.township_bound,
                helper_ok: k.helper_ok,
                young_ok: k.young_ok,
                eligible: k.eligible,
                key: k.key,
                single: k.single,
                teachers,
            }
        })
        .collect()
}

/// Merges classes whose members could make exactly the same moves (same school, subjects,
/// T7 standing and arcs): a flag that changes no arc (say, the age limit at a school no
/// pairing reaches) must not split a class. The merged class keeps the first class's flags,
/// which give the same arcs by construction.
pub fn merge_by_arcs(classes: Vec<Class>, arcs: &[super::arcs::Arc], ctx: &Context) -> Vec<Class> {
    type Sig = (
        usize,
        Vec<usize>,
        bool,
        bool,
        bool,
        Option<usize>,
        Vec<(super::arcs::ArcKind, usize, Option<usize>)>,
    );
    let mut sig_arcs: Vec<Vec<(super::arcs::ArcKind, usize, Option<usize>)>> =
        vec![Vec::new(); classes.len()];
    for a in arcs {
        sig_arcs[a.class].push((a.kind, a.dest, a.subject));
    }
    let mut by_sig: BTreeMap<Sig, usize> = BTreeMap::new();
    let mut out: Vec<Class> = Vec::new();
    for (c, s) in classes.into_iter().zip(sig_arcs) {
        let sig: Sig = (
            c.school,
            c.subjects.clone(),
            c.free,
            c.eligible,
            c.key,
            c.single,
            s,
        );
        match by_sig.get(&sig) {
            Some(&i) => out[i].teachers.extend(c.teachers),
            None => {
                by_sig.insert(sig, out.len());
                out.push(c);
            }
        }
    }
    let inst = ctx.inst;
    for c in &mut out {
        c.teachers.sort_by(|&a, &b| {
            let (ta, tb) = (&inst.teachers[a], &inst.teachers[b]);
            tb.years_at_school
                .cmp(&ta.years_at_school)
                .then_with(|| ta.id.cmp(&tb.id))
        });
    }
    out
}

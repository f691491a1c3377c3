//! Rule-by-rule tests of the moves model on hand-made counties, and a brute-force oracle.

use super::testkit::*;
use super::*;
use crate::domain::instance::{Sex, Title};
use crate::domain::stage::Stage;
use crate::plan::{GroupRow, MoveKind, Role};

fn run(inst: &Instance, policy: &Policy, pairings: &[PairingRow]) -> MovesOutcome {
    let g = grouping(inst, &["S1", "S2"]);
    plan_moves(inst, policy, &g, pairings, &MipOptions::default()).expect("solve")
}

fn objective(out: &MovesOutcome) -> Vec<f64> {
    out.levels.iter().map(|l| l.objective).collect()
}

fn no_exchanges() -> Policy {
    let mut p = policy();
    p.rotation.exchanges_per_pairing = 0;
    p
}

#[test]
fn t2_cap_blocks_the_transfer_until_the_share_allows_one() {
    let inst = tiny();
    // S1 has two math teachers for one post, S2 needs a math teacher; staff 3.
    let mut p = no_exchanges();
    let out = run(&inst, &p, &[]);
    assert!(out.moves.is_empty(), "cap floor(0.1·3) = 0");
    assert_eq!(out.shortage_after(), 1.0);
    p.rotation.cross_cap_share = 0.34;
    let out = run(&inst, &p, &[]);
    assert_eq!(out.moves.len(), 1);
    // Tie-break: B (8 years) before C (3 years).
    assert_eq!(out.moves[0].teacher, "B");
    assert_eq!(out.moves[0].kind, MoveKind::Transfer);
    assert_eq!(
        (out.moves[0].from.as_str(), out.moves[0].to.as_str()),
        ("S1", "S2")
    );
    assert_eq!(out.moves[0].subject, "math");
    assert_eq!(out.moves[0].end_year, None);
    assert_eq!(out.shortage_after(), 0.0);
    assert_eq!(out.shortage_before(), 1.0);
}

#[test]
fn t1_no_transfer_out_of_the_group() {
    let mut inst = tiny();
    // The surplus sits at S3, outside the group.
    inst.teachers[1].school = 3;
    inst.teachers[2].school = 3;
    inst.teachers.push(teacher("E", 1, "math", 1));
    inst.reindex();
    let mut p = no_exchanges();
    p.rotation.cross_cap_share = 1.0;
    let out = run(&inst, &p, &[]);
    assert!(out.moves.is_empty());
}

#[test]
fn t3_age_exempt_teachers_stay_in_their_township_unless_volunteers() {
    let mut inst = tiny();
    inst.schools[2].township = 0; // S2 now in another township than S1
    for t in [1, 2] {
        inst.teachers[t].sex = Sex::Male;
        inst.teachers[t].birth_year = 2026 - 56;
    }
    let mut p = no_exchanges();
    p.rotation.cross_cap_share = 1.0;
    assert!(run(&inst, &p, &[]).moves.is_empty());
    inst.teachers[2].volunteer = true;
    let out = run(&inst, &p, &[]);
    assert_eq!(out.moves.len(), 1);
    assert_eq!(out.moves[0].teacher, "C");
}

#[test]
fn t4_returning_teachers_go_home_and_do_not_move() {
    let mut inst = tiny();
    // B is on exchange at S0 from S1 and comes back; then S1 has the surplus again.
    inst.teachers[1].school = 0;
    inst.teachers[1].home_school = Some(1);
    inst.teachers[1].exchange_until = Some(2026);
    let mut p = no_exchanges();
    p.rotation.cross_cap_share = 1.0;
    let out = run(&inst, &p, &[]);
    assert_eq!(out.returns.len(), 1);
    assert_eq!(out.returns[0].teacher, "B");
    assert_eq!(out.moves.len(), 1);
    assert_eq!(
        out.moves[0].teacher, "C",
        "B returns and may not move again"
    );
    // A continuing exchange stays at the host and counts there.
    inst.teachers[1].exchange_until = Some(2027);
    let out = run(&inst, &p, &[]);
    assert!(out.returns.is_empty());
    assert!(out.moves.is_empty(), "C covers S1; S2 stays short");
}

#[test]
fn t5_helper_sends_key_or_senior_and_the_weak_side_sends_the_young() {
    let mut inst = tiny();
    let p = policy(); // one exchange each way
    let out = run(&inst, &p, &pairing("S0"));
    let ex: Vec<_> = out
        .moves
        .iter()
        .filter(|m| m.kind == MoveKind::Exchange)
        .collect();
    assert_eq!(
        out.levels[0].objective, 1.0,
        "only school → helper: A is not key or senior"
    );
    assert_eq!(ex[0].to, "S0");
    assert_eq!(ex[0].slot, Some(SlotStage::Primary));
    assert_eq!(ex[0].end_year, Some(2027));
    assert_eq!(out.shortfalls.len(), 1);
    assert!(
        out.shortfalls[0].reason.contains("key or senior"),
        "{}",
        out.shortfalls[0].reason
    );
    inst.teachers[0].title = Title::Senior;
    let out = run(&inst, &p, &pairing("S0"));
    assert_eq!(out.levels[0].objective, 2.0);
    // Everyone on the weak side over 40: nobody goes to the helper.
    for t in [1, 2, 3] {
        inst.teachers[t].birth_year = 2026 - 41;
    }
    let out = run(&inst, &p, &pairing("S0"));
    assert_eq!(out.levels[0].objective, 1.0);
    assert!(out.shortfalls[0].reason.contains("aged 40 or under"));
}

#[test]
fn t6_exchanges_are_obliged_even_when_they_raise_the_shortage() {
    let mut inst = tiny();
    inst.teachers[0].key = true;
    let mut p = policy();
    p.rotation.exchanges_per_pairing = 3;
    let out = run(&inst, &p, &pairing("S0"));
    // Helper side has one teacher; weak side has three young ones.
    assert_eq!(out.levels[0].objective, 4.0);
    let to_helper = out.moves.iter().filter(|m| m.to == "S0").count();
    assert_eq!(to_helper, 3);
    assert!(out.shortage_after() > out.shortage_before() - 1.0);
}

#[test]
fn t8_exempt_teachers_never_move() {
    let mut inst = tiny();
    inst.teachers[1].exempt = true;
    inst.teachers[2].exempt = true;
    let mut p = no_exchanges();
    p.rotation.cross_cap_share = 1.0;
    assert!(run(&inst, &p, &[]).moves.is_empty());
}

#[test]
fn t9_levels_limit_transfers_and_exchanges() {
    let mut inst = tiny();
    inst.schools[2].stage = Stage::Middle; // S2's lowest level is 2
    let mut p = no_exchanges();
    p.rotation.cross_cap_share = 1.0;
    assert!(run(&inst, &p, &[]).moves.is_empty());
    inst.teachers[2].certified_stages = vec![Stage::Middle];
    let out = run(&inst, &p, &[]);
    assert_eq!(out.moves.len(), 1);
    assert_eq!(out.moves[0].teacher, "C");
}

#[test]
fn t10_longest_move() {
    let inst = tiny();
    let mut p = no_exchanges();
    p.rotation.cross_cap_share = 1.0;
    p.rotation.max_move_km = Some(4.0); // S1–S2 is 5 km
    assert!(run(&inst, &p, &[]).moves.is_empty());
    p.rotation.max_move_km = Some(5.0);
    assert_eq!(run(&inst, &p, &[]).moves.len(), 1);
}

#[test]
fn second_subject_covers_either_subject_at_home_too() {
    let mut inst = tiny();
    // D (S2) teaches chinese and math; S2 needs both. A second chinese teacher at S2
    // lets D switch to math without anyone moving.
    inst.teachers[3].second_subject = Some("math".into());
    inst.teachers.push(teacher("F", 2, "chinese", 2));
    inst.reindex();
    let out = run(&inst, &no_exchanges(), &[]);
    assert_eq!(out.shortage_before(), 0.0);
    assert!(out.moves.is_empty());
}

#[test]
fn t7_floor_forces_moves_and_explains_when_it_cannot_be_met() {
    let mut inst = tiny();
    for t in &mut inst.teachers {
        t.years_at_school = 10;
    }
    let mut p = no_exchanges();
    p.rotation.national_floor = true;
    p.rotation.floor_share = 0.5;
    p.rotation.floor_key_share = 0.0;
    p.rotation.cross_cap_share = 1.0;
    // Eligible: B, C, D (grouped) and A (helper) = 4; ceil(0.5·4) = 2 must move.
    let out = run(&inst, &p, &[]);
    assert_eq!(out.moves.len(), 2);
    p.rotation.cross_cap_share = 0.34; // cap 1, no exchanges: at most 1
    let err = run_err(&inst, &p);
    assert!(err.contains("needs 2 of 4"), "{err}");
    assert!(err.contains("at most 1"), "{err}");
    assert!(err.contains("cross_cap_share to 0.67"), "{err}");
}

fn run_err(inst: &Instance, policy: &Policy) -> String {
    let g = grouping(inst, &["S1", "S2"]);
    match plan_moves(inst, policy, &g, &[], &MipOptions::default()) {
        Err(Error::Infeasible(m)) => m,
        other => panic!("expected infeasible, got {other:?}"),
    }
}

#[test]
fn per_teacher_model_agrees_with_the_aggregated_one() {
    let mut inst = tiny();
    inst.teachers[0].key = true;
    let mut p = policy();
    p.rotation.cross_cap_share = 1.0;
    let g = grouping(&inst, &["S1", "S2"]);
    let a = plan_moves(&inst, &p, &g, &pairing("S0"), &MipOptions::default()).expect("a");
    let b =
        plan_moves_per_teacher(&inst, &p, &g, &pairing("S0"), &MipOptions::default()).expect("b");
    assert_eq!(objective(&a), objective(&b));
}

/// The county-scope fallback: a better group-scope plan is reported under the county run's
/// bounds only where they still hold.
#[test]
fn a_group_scope_plan_keeps_only_the_county_bounds_that_hold() {
    use super::{MovesOutcome, lex_better, under_bounds_of};
    use crate::solve::mip::SolveStatus;
    use crate::solve::moves::model::LevelStat;
    let outcome = |levels: &[(f64, f64)]| MovesOutcome {
        moves: Vec::new(),
        returns: Vec::new(),
        levels: levels
            .iter()
            .map(|&(objective, bound)| LevelStat {
                status: SolveStatus::Feasible,
                objective,
                bound,
                seconds: 0.0,
            })
            .collect(),
        status: SolveStatus::Feasible,
        seconds: 0.0,
        shortfalls: Vec::new(),
        shortage_by_subject: Default::default(),
        parts: 1,
        classes: 0,
        arcs: 0,
        level_names: vec!["exchanges", "shortage", "teachers_moved", "km"],
    };
    // County run: exchanges proven at 48, shortage stopped at 7466 against a bound of 6.
    let county = outcome(&[(48.0, 48.0), (7466.0, 6.0), (300.0, 0.0), (900.0, 0.0)]);
    let group = outcome(&[
        (48.0, 48.0),
        (625.0, 625.0),
        (254.0, 254.0),
        (1370.0, 1370.0),
    ]);
    assert!(lex_better(&group, &county));
    assert!(!lex_better(&county, &group));
    let merged = under_bounds_of(group, &county);
    let bounds: Vec<f64> = merged.levels.iter().map(|l| l.bound).collect();
    // Level 1's bound holds for any county plan, level 2's because level 1 was proven at
    // the same value; level 3's was computed with shortage pinned at 7466: it falls to 0.
    assert_eq!(bounds, vec![48.0, 6.0, 0.0, 0.0]);
    assert_eq!(merged.levels[0].status, SolveStatus::Optimal);
    assert_eq!(merged.levels[1].status, SolveStatus::Feasible);
    assert_eq!(merged.status, SolveStatus::Feasible);
}

/// The placement written after the moves (`cover`): a mover on a "covers nothing" arc still
/// fills a post where it arrives, and teachers with two subjects go where the weight is.
#[test]
fn cover_places_arrivals_and_stayers_where_they_help_most() {
    let mut inst = tiny();
    // D (S2) teaches chinese and math; S2 needs one of each; chinese weighs 3.
    inst.teachers[3].second_subject = Some("math".into());
    inst.reindex();
    let mut p = no_exchanges();
    p.rotation.subject_weight.insert("chinese".into(), 3.0);
    let g = grouping(&inst, &["S1", "S2"]);
    let state = RotationState::new(&inst, &p);
    let ctx = Context::new(&inst, &p, &g, &state, &[]).expect("context");
    let classes = classes::build_classes(&ctx, true);
    let opts = MipOptions::default();
    let before = cover::best_cover(&ctx, &classes, &[], &[], &opts).expect("cover");
    // D covers chinese (3), math stays short (1).
    assert_eq!(before.total(), 1.0);
    let math = ctx.subject_index["math"];
    assert_eq!(before.by_subject[math], 1.0);
    // B (S1, math) moves to S2 on an arc the model says covers nothing.
    let b = classes
        .iter()
        .position(|c| c.teachers.contains(&1))
        .expect("B's class");
    let mut arcs = vec![arcs::Arc {
        class: b,
        dest: 2,
        kind: arcs::ArcKind::Transfer,
        subject: None,
        km: 5.0,
        ub: 1,
    }];
    let flows = vec![(0, 1)];
    let after = cover::best_cover(&ctx, &classes, &arcs, &flows, &opts).expect("cover");
    assert_eq!(after.total(), 0.0);
    let written = cover::apply(&mut arcs, &flows, &after);
    assert_eq!(written.len(), 1);
    assert_eq!(arcs[written[0].0].subject, Some(math));
}

/// The cv searches' neighbourhoods: a group with the helper paired with it; a group of one
/// school, where no move stays inside, is left out.
#[test]
fn neighbourhoods_are_groups_with_their_helpers() {
    let mut inst = tiny();
    // T5: the helper sends key teachers.
    inst.teachers[0].key = true;
    inst.reindex();
    let p = policy();
    let rows: Vec<GroupRow> = [("g-1", "S1", Role::Core), ("g-1", "S2", Role::Member)]
        .into_iter()
        .chain([("g-2", "S3", Role::Core)])
        .map(|(group, school, role)| GroupRow {
            track: "compulsory".into(),
            group: group.into(),
            school: school.into(),
            role,
        })
        .collect();
    let g = Grouping::from_rows(&inst, &rows).expect("groups");
    let state = RotationState::new(&inst, &p);
    let ctx = Context::new(&inst, &p, &g, &state, &pairing("S0")).expect("context");
    let classes = classes::build_classes(&ctx, true);
    let arcs = arcs::build_arcs(&ctx, &classes);
    let hoods = indicators::neighbourhoods(&ctx, &classes, &arcs);
    assert_eq!(hoods, vec![vec![true, true, true, false]]);
}

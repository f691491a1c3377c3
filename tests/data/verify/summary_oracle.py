#!/usr/bin/env python3
"""Independent oracle for tests/verify.rs: computes the summary figures of a hand-made plan
on schools-tiny straight from SPEC.md, by brute force, so the Rust audit is checked against
a third implementation. Usage: summary_oracle.py INSTANCE PLAN [--cv] > PLAN/summary.json
With --cv the summary is the one of a policy with `[indicators] minimise_cv_excess = true`: the
`cv_excess` level and the `indicators` block."""
import csv, hashlib, itertools, json, math, os, sys

inst, plan = sys.argv[1], sys.argv[2]
rd = lambda p: list(csv.DictReader(open(p, encoding="utf-8")))
towns = {r["id"]: r for r in rd(f"{inst}/townships.csv")}
schools = {r["id"]: r for r in rd(f"{inst}/schools.csv")}
teachers = {r["id"]: r for r in rd(f"{inst}/teachers.csv")}
demand = rd(f"{inst}/demand.csv")
groups = rd(f"{plan}/groups.csv")
pairings = rd(f"{plan}/pairings.csv")
moves = rd(f"{plan}/moves.csv")
YEAR, SHARE = 2026, 0.10

def xy(s):
    r = schools[s]
    return float(r["x_km"]), float(r["y_km"])

def dist(a, b):
    (x1, y1), (x2, y2) = xy(a), xy(b)
    return math.hypot(x1 - x2, y1 - y2)

group_of = {r["school"]: r["group"] for r in groups}
core = {r["group"]: r["school"] for r in groups if r["role"] == "core"}
members = {}
for r in groups:
    members.setdefault(r["group"], []).append(r["school"])

groups_obj = sum(dist(s, core[group_of[s]]) for s in group_of)
pair_km = sum(dist(p["helper"], core[p["group"]]) for p in pairings)

loc = {}
for t, r in teachers.items():
    ret = r["exchange_until"] and int(r["exchange_until"]) <= YEAR and r["home_school"]
    loc[t] = r["home_school"] if ret else r["school"]
after = dict(loc)
settled = {}
for m in moves:
    after[m["teacher"]] = m["to"]
    settled[m["teacher"]] = m["subject"]

def shortage(where, fixed):
    """Brute force over which subject each two-subject teacher covers, school by school."""
    total, by = 0.0, {}
    for s in schools:
        need = {d["subject"]: int(d["positions"]) for d in demand if d["school"] == s}
        here = [t for t in teachers if where[t] == s]
        base, flex = {}, []
        for t in here:
            r = teachers[t]
            if t in fixed:
                base[fixed[t]] = base.get(fixed[t], 0) + 1
            elif r["second_subject"] and r["second_subject"] != r["subject"]:
                flex.append((r["subject"], r["second_subject"]))
            else:
                base[r["subject"]] = base.get(r["subject"], 0) + 1
        best = None
        for pick in itertools.product(*flex):
            sup = dict(base)
            for p in pick:
                sup[p] = sup.get(p, 0) + 1
            short = {k: max(0, v - sup.get(k, 0)) for k, v in need.items()}
            if best is None or sum(short.values()) < sum(best.values()):
                best = short
        best = best or {k: v for k, v in need.items()}
        for k, v in best.items():
            by[k] = by.get(k, 0) + v
        total += sum(best.values())
    return total, by

sb, byb = shortage(loc, {})
sa, bya = shortage(after, settled)

staff = {g: sum(1 for t in loc if group_of.get(loc[t]) == g) for g in members}
per_group = {}
for g in sorted(members):
    tr = sum(1 for m in moves if m["kind"] == "transfer" and group_of.get(m["from"]) == g)
    ex = sum(1 for m in moves if m["kind"] == "exchange"
             and (group_of.get(m["from"]) == g or group_of.get(m["to"]) == g))
    cap = math.floor(SHARE * staff[g] + 1e-9)
    per_group[g] = {"transfers": tr, "exchanges": ex, "staff": staff[g], "cap": cap,
                    "used_share": round(tr / cap, 6) if cap else 0.0}

def band_schools(band):
    ok = {"primary": ("primary", "nine_year"), "middle": ("middle", "nine_year")}[band]
    return [s for s, r in schools.items() if r["stage"] in ok and int(r["students"]) > 0]

def counts(kind, band, t):
    r = teachers[t]
    if kind == "key":
        return r["key"] == "true"
    if kind == "pe_arts":
        return r["subject"] in ("pe", "music", "art")
    ok = ("graduate", "bachelor", "college") if band == "primary" else ("graduate", "bachelor")
    return r["degree"] in ok

def values(kind, band, where):
    return [(100.0 * sum(1 for t in teachers if where[t] == s and counts(kind, band, t))
             / int(schools[s]["students"]), int(schools[s]["students"])) for s in band_schools(band)]

def cv(xs):
    P = sum(p for _, p in xs)
    m = sum(p / P * x for x, p in xs)
    return math.sqrt(sum(p / P * (x - m) ** 2 for x, p in xs)) / m if m else None

FLOORS = {("key", "primary"): 1, ("key", "middle"): 1, ("pe_arts", "primary"): 0.9,
          ("pe_arts", "middle"): 0.9, ("qualified", "primary"): 4.2, ("qualified", "middle"): 5.3}
r6 = lambda x: None if x is None else round(x, 6)
out = {
    "groups": {"objective": r6(groups_obj), "tracks": {"compulsory": {"objective": r6(groups_obj)}}},
    "pairing": {"objective": [4.0, r6(pair_km)], "covered_weight": 4.0, "distance_km": r6(pair_km),
                "covered_slots": 4,
                "uncovered": [{"group": "compulsory-2", "stage": "kindergarten", "priority": False,
                               "reason": "no kindergarten helper"}]},
    "rotation": {"objective": [sum(1 for m in moves if m["kind"] == "exchange"), sa, len(moves),
                               r6(sum(dist(m["from"], m["to"]) for m in moves))],
                 "returns": sum(1 for t in loc if loc[t] != teachers[t]["school"])},
    "shortage_before": sb, "shortage_after": sa,
    "shortage_by_subject": {k: {"before": byb.get(k, 0), "after": bya.get(k, 0)}
                            for k in sorted(set(byb) | set(bya))},
    "moves": {"transfer": sum(1 for m in moves if m["kind"] == "transfer"),
              "exchange": sum(1 for m in moves if m["kind"] == "exchange"),
              "total": len(moves), "per_group": per_group},
    "floors": {},
}
for kind in ("key", "pe_arts", "qualified"):
    out[f"cv_{kind}_per_100_students"] = {
        b: {"before": r6(cv(values(kind, b, loc))), "after": r6(cv(values(kind, b, after)))}
        for b in ("primary", "middle")}
    for b in ("primary", "middle"):
        f = FLOORS[(kind, b)]
        vb, va = values(kind, b, loc), values(kind, b, after)
        out["floors"].setdefault(b, {})[f"{kind}_per_100_students"] = {
            "floor": f, "schools": len(vb),
            "meet_before": sum(1 for x, _ in vb if x >= f - 1e-9),
            "meet_after": sum(1 for x, _ in va if x >= f - 1e-9)}

# Provenance: the digest of every instance file and of the policy.
out["rotaplan_version"] = "hand-made"
out["inputs"] = {}
for name in ("townships.csv", "adjacency.csv", "schools.csv", "teachers.csv", "demand.csv",
             "distances.csv", "policy.toml"):
    path = f"{inst}/{name}"
    if os.path.exists(path):
        out["inputs"][name] = hashlib.sha256(open(path, "rb").read()).hexdigest()
out["policy"] = {"plan_year": YEAR, "rotation": {"cross_cap_share": SHARE}}

# A hand-made plan proves nothing: each level reports a valid trivial bound and its gap, and the
# steps are `feasible`. gap = |objective - bound| / max(1, |objective|).
def step(objective, bound, levels=None):
    gap = lambda o, b: round(abs(o - b) / max(1.0, abs(o)), 6)
    block = {"status": "feasible", "seconds": 0.0}
    if levels is None:
        block.update(objective=objective, bound=bound, gap=gap(objective, bound))
    else:
        block.update(objective=objective, bound=bound, levels=levels,
                     gap=[gap(o, b) for o, b in zip(objective, bound)])
    return block

SLOTS = {"primary": ("primary", "nine_year"), "middle": ("middle", "nine_year"),
         "kindergarten": ("kindergarten",)}
N = 1
slot_weight = sum(1 for g in members for st, ok in SLOTS.items()
                  if any(schools[s]["stage"] in ok for s in members[g]))
out["groups"].update(step(r6(groups_obj), 0.0))
out["groups"]["tracks"]["compulsory"].update(step(r6(groups_obj), 0.0))
out["pairing"].update(step(out["pairing"]["objective"], [float(slot_weight), 0.0],
                           ["covered_weight", "distance_km"]))
out["rotation"].update(step(out["rotation"]["objective"], [2.0 * N * len(pairings), 0.0, 0.0, 0.0],
                            ["exchanges", "shortage", "teachers_moved", "km"]))

# T6: each pairing direction short of N exchanges, with a reason.
short = []
for p in pairings:
    serves = lambda s: group_of.get(s) == p["group"] and schools[s]["stage"] in SLOTS[p["stage"]]
    for direction, test in (("helper_to_school", lambda m: m["from"] == p["helper"] and serves(m["to"])),
                            ("school_to_helper", lambda m: m["to"] == p["helper"] and serves(m["from"]))):
        made = sum(1 for m in moves if m["kind"] == "exchange" and m["slot"] == p["stage"] and test(m))
        if made < N:
            short.append({"helper": p["helper"], "group": p["group"], "stage": p["stage"],
                          "direction": direction, "made": made, "cap": N,
                          "reason": "hand-made plan: no exchange chosen"})
out["rotation"]["exchange_shortfalls"] = short

if "--cv" in sys.argv[3:]:
    # E = sum over the six CVs of max(0, (S - c * mean) / mean_before), a term with
    # mean_before = 0 left out; S and mean of the plan, mean_before after returns only.
    def mean_sd(xs):
        P = sum(p for _, p in xs)
        m = sum(p / P * x for x, p in xs)
        return m, math.sqrt(sum(p / P * (x - m) ** 2 for x, p in xs))
    THRESHOLD = {"primary": 0.50, "middle": 0.45}
    cvs, e_before, e_after = {}, 0.0, 0.0
    for kind in ("key", "pe_arts", "qualified"):
        for b in ("primary", "middle"):
            m0, s0 = mean_sd(values(kind, b, loc))
            m1, s1 = mean_sd(values(kind, b, after))
            c = THRESHOLD[b]
            if m0:
                e_before += max(0.0, (s0 - c * m0) / m0)
                e_after += max(0.0, (s1 - c * m1) / m0)
            term = lambda s, m: max(0.0, (s - c * m) / m0) if m0 else 0.0
            cvs[f"{kind}_{b}"] = {"before": r6(s0 / m0 if m0 else None),
                                  "after": r6(s1 / m1 if m1 else None), "threshold": c,
                                  "excess_before": r6(term(s0, m0)),
                                  "excess_after": r6(term(s1, m1))}
    out["indicators"] = {"cvs": cvs, "excess_before": r6(e_before), "excess_after": r6(e_after)}
    rot = out["rotation"]
    for key, value in (("objective", r6(e_after)), ("bound", 0.0)):
        rot[key].insert(2, value)
    rot["gap"].insert(2, round(abs(e_after) / max(1.0, abs(e_after)), 6))
    rot["levels"].insert(2, "cv_excess")
print(json.dumps(out, indent=2, sort_keys=True, ensure_ascii=False))

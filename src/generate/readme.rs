//! README.md of a generated `hezhang` instance: the assumptions, with this seed's numbers.

use super::demand::SUBJECTS;
use super::hezhang::GROUPS;
use super::model::{Instance, Kind, PLAN_YEAR, Stage};
use super::write::fmt_num;

const STAGES: [Stage; 6] = [
    Stage::Kindergarten,
    Stage::Primary,
    Stage::Middle,
    Stage::NineYear,
    Stage::High,
    Stage::Vocational,
];

fn pct(part: usize, whole: usize) -> String {
    if whole == 0 {
        "0%".to_string()
    } else {
        format!("{}%", fmt_num(100.0 * part as f64 / whole as f64))
    }
}

pub(crate) fn hezhang(
    inst: &Instance,
    seed: u64,
    groups: &[(&'static str, String, usize, &'static str)],
) -> String {
    let schools = &inst.schools;
    let teachers = &inst.teachers;
    let tw = &inst.townships;
    let n_t = teachers.len();
    let mut s = String::new();
    let mut line = |text: &str| {
        s.push_str(text);
        s.push('\n');
    };

    line(&format!(
        "# Synthetic instance: 赫章县 (Hezhang county, Bijie, Guizhou) — profile `hezhang`, seed {seed}"
    ));
    line("");
    line(&format!(
        "Made by `rotaplan generate --profile hezhang --seed {seed}`. The same seed always gives \
         byte-identical files. Plan year {PLAN_YEAR}. Only the townships, the groups, the pairings and the named \
         county-seat schools come from the seed document; everything else (coordinates, school \
         sizes, quality, teachers, demand) is synthetic: plausible, not real data about any \
         school or person."
    ));
    line("");
    line("## Sources");
    line("");
    line(
        "- `seeds/000`: 赫府办发〔2021〕60号 附件2《赫章县推进教育集团化办学管理改革实施方案》 — the \
         2 high-school groups (§二(一)), the 8 compulsory + preschool groups of 30 whole \
         townships/streets (§二(二)), the county-seat schools that help each group by stage \
         (§二(三)), the 10% cap on cross-school moves and the 55/50 age exemption (§三(三)).",
    );
    line(
        "- Timetables: the 2022 national compulsory-curriculum plan (义务教育课程方案), rounded to whole \
         weekly periods; high school after the 2017/2020 general high-school plan. Staffing per \
         kindergarten class: 两教一保 (2 teachers + 1 carer; only teachers are posts here).",
    );
    line(
        "- Sizes and class sizes: typical of a large Guizhou mountain county (the real 赫章 has \
         ~700,000 inhabitants); not taken from any statistics table.",
    );
    line("");

    line("## Scale");
    line("");
    line("| item | count |");
    line("|---|---|");
    line(&format!(
        "| townships / streets | {} ({} urban streets) |",
        tw.len(),
        tw.iter().filter(|t| t.urban).count()
    ));
    line(&format!("| adjacency edges | {} |", inst.edges.len()));
    line(&format!("| schools | {} |", schools.len()));
    for st in STAGES {
        let n = schools.iter().filter(|x| x.stage() == st).count();
        line(&format!("| — {} | {} |", st.as_str(), n));
    }
    let tps = schools
        .iter()
        .filter(|x| x.kind == Kind::TeachingPoint)
        .count();
    line(&format!("| — of which 教学点 (teaching points) | {tps} |"));
    line(&format!(
        "| helper schools | {} |",
        schools.iter().filter(|x| x.helper).count()
    ));
    line(&format!(
        "| students | {} |",
        schools.iter().map(|x| u64::from(x.students)).sum::<u64>()
    ));
    line(&format!(
        "| classes | {} |",
        schools
            .iter()
            .map(|x| u64::from(x.classes.total()))
            .sum::<u64>()
    ));
    line(&format!("| teachers | {n_t} |"));
    let demand_total: u64 = inst.demand.iter().map(|d| u64::from(d.positions)).sum();
    line(&format!("| demand (posts) | {demand_total} |"));
    line("");

    line("## Townships and coordinates");
    line("");
    line(
        "The county seat is at (0, 0) km; x points east, y north. The five 街道 (双河, 汉阳, 金银山, \
         七家湾, 白果) lie within ~3 km of it and are `urban = true`. The 25 rural townships spread \
         over a ~60 × 50 km county; each seed group occupies its own sector (group 2 far west on \
         the 威宁 border, 3 south-west, 4 north-west, 5 north-east, 6 north, 7 east, 8 south), so \
         the seed's groups are geographically compact. Positions follow the rough layout of the \
         real map but are not surveyed; each seed moves every rural township by up to 1.5 km. \
         Schools sit around their township's centre: town-centre schools within 0.8 km, village \
         schools 1–4.5 km out, county-seat schools within 1.2 km.",
    );
    line("");
    line(
        "Adjacency is the Gabriel graph of the township centres (planar, like shared borders) plus \
         the minimum spanning tree, so the graph is connected; then, for any seed group whose \
         townships were not connected among themselves, the shortest edge joining its parts is \
         added. Each of the 8 seed groups therefore induces a connected subgraph, and \
         `contiguous = true` admits the seed's own grouping.",
    );
    line("");
    line("| id | name | urban | priority | seed group |");
    line("|---|---|---|---|---|");
    for (i, t) in tw.iter().enumerate() {
        let g = GROUPS
            .iter()
            .position(|g| g.contains(&i))
            .map_or(String::new(), |g| format!("compulsory-{}", g + 1));
        line(&format!(
            "| {} | {} | {} | {} | {} |",
            t.id, t.name, t.urban, t.priority, g
        ));
    }
    line("");
    let prio: Vec<&str> = tw
        .iter()
        .filter(|t| t.priority)
        .map(|t| t.name.as_str())
        .collect();
    line(&format!(
        "**Priority townships** ({}): {}. These are the most remote rural townships of the \
         synthetic map (far west, far north and far south, 23–35 km from the county seat as the crow flies, \
         much more by mountain road) and stand for the poverty and relocation areas that SPEC rule P4 serves \
         first. 河镇乡 is, to our knowledge, one of Guizhou's 20 极贫乡镇 named in 2017; the \
         other flags are an assumption of this generator, not an official list. (金银山街道 is, to \
         our knowledge, a county-seat 易地扶贫搬迁 relocation area, but as an urban street it is \
         not flagged.)",
        prio.len(),
        prio.join(", ")
    ));
    line("");

    line("## Schools");
    line("");
    line(
        "Each rural township has a 中心幼儿园 and 0–4 village kindergartens, a 中心小学, 2–7 village \
         primary schools, 1–4 教学点 (1–3 multi-grade classes, under 60 pupils, \
         `core_eligible = false`), a township 中学 (large towns sometimes a second one) and, in \
         some, a 九年一贯制学校; so every township has every compulsory stage. Each street has a \
         kindergarten, one or two primaries and a 中学 of its own besides the named county-seat \
         schools, and sometimes a village primary or 教学点 in its hills.",
    );
    line("");
    line(
        "Named schools: the six high schools of §二(一) (`high`; 野马川中学 in 野马川镇, the others in \
         the county seat), 赫章县中等职业学校 (`vocational`, in no track), 赫章县第二幼儿园 (county \
         seat, not a helper) and the helpers of §二(三), all `helper = true`: middle-stage helpers \
         第一, 第二, 第三, 民族, 实验中学 (high schools), 第四, 第五中学 (`middle`), 思源实验学校 \
         (`nine_year`); primary helpers 第一, 第二, 实验, 第三小学; kindergarten helpers 第一, 第三, \
         第四, 第五, 第六, 第九, 第十幼儿园. Which street each stands in is an assumption.",
    );
    line("");
    line(
        "Pupils per class: kindergarten 25–32 (village kindergartens 18–27), primary 38–50 \
         (village schools 20–38, 教学点 6–19), middle 44–52, high 48–54. County-seat schools are \
         large (helper primaries 36–54 classes, high schools 36–66 classes). Quality (0–100): \
         helpers 80–95; other county-seat schools 62–80; 野马川中学 64–78; the vocational school \
         52–68; rural schools 35–75 by kind (town-centre schools ~63, village schools ~53, 教学点 \
         ~42), 5 points lower in priority townships, with noise.",
    );
    line("");

    line("## Demand (posts) and staffing norms");
    line("");
    line(
        "Posts per school and subject = ⌈weekly periods of that subject over all classes ÷ weekly \
         load of one teacher⌉, per level (a nine_year school adds its primary and middle parts). \
         Weekly periods per class:",
    );
    line("");
    line("| level | periods per class per week |");
    line("|---|---|");
    line("| primary grades 1–2 | chinese 8, math 4, science 1, pe 4, music 2, art 2, politics 2 |");
    line(
        "| primary grades 3–6 | chinese 6, math 5, english 3, science 2, pe 3, music 2, art 2, it 1, politics 2 |",
    );
    line(
        "| middle grade 7 | chinese 5, math 5, english 4, biology 2, politics 2, history 2, geography 2, pe 3, music 1, art 1, it 1 |",
    );
    line("| middle grade 8 | as grade 7 plus physics 2 |");
    line(
        "| middle grade 9 | chinese 5, math 5, english 4, physics 3, chemistry 2, politics 2, history 2, pe 3, music 1, art 1, it 1 (biology and geography end with the grade-8 exam) |",
    );
    line(
        "| high | chinese 5, math 5, english 5, physics 3, chemistry 3, biology 2, politics 2, history 2, geography 2, pe 2, music 1, art 1, it 2 |",
    );
    line(
        "| vocational | chinese 4, math 3, english 3, politics 2, pe 2, it 2, vocational (专业课) 14 |",
    );
    line("");
    line(
        "Weekly load of one teacher: primary chinese/math 14, other primary subjects 16; middle and \
         high chinese/math/english 12 (homeroom and marking), other subjects 14. Kindergarten: 2 \
         teachers per class (subject `preschool`). A 教学点 needs one 包班 teacher per class \
         (recorded half `chinese`, half `math`): the timetable norm would ask for nine teachers for \
         one class of twelve children, which no county staffs. Only rows with positions ≥ 1 are \
         written.",
    );
    line("");

    line("## Teachers (supply)");
    line("");
    line(
        "Each school's staff per subject = posts × a staffing factor × noise (±12%), rounded at \
         random. Rural schools recruit general 语数 teachers and cannot attract specialists: \
         factors chinese 1.42, math 1.36, english 0.80, science 0.60, pe 0.68, music 0.48, art \
         0.50, it 0.42, preschool 0.95 (×0.93 in priority townships). County-seat schools: \
         chinese 1.12, math 1.10, music/art/pe 0.95, it 0.90. High schools ≈ 1.0. So the county \
         is roughly balanced overall but rural schools are short of english, music, art, pe, it \
         and science and over in chinese/math, and county-seat schools are slightly over in \
         chinese/math.",
    );
    line("");
    line(
        "People: age 22–59 (rural schools have many young 特岗 recruits and older local teachers; \
         the county seat is older; kindergartens young); sex mostly F in kindergartens (96%) and \
         primary schools (58% rural, 78% county seat), fewer in pe/physics; title by age (none / \
         third under 25, second/first in the thirties, senior mostly after 40, senior_plus only a \
         few at helpers and high schools); key teachers more common at helpers and among \
         experienced first/senior titles; degree by stage (more bachelor in middle/high, some \
         graduate in high schools; some older teachers one level lower); years_at_school in \
         0..=(age − 22), skewed short; a Chinese name from common surnames (with local 龙, 安, \
         陇, 禄) and given names.",
    );
    line("");
    let count =
        |f: &dyn Fn(&super::model::Teacher) -> bool| teachers.iter().filter(|t| f(t)).count();
    line("| attribute | teachers | share |");
    line("|---|---|---|");
    let rows: [(&str, usize); 9] = [
        ("female", count(&|t| t.female)),
        ("key", count(&|t| t.key)),
        ("second_subject", count(&|t| t.second_subject.is_some())),
        ("certified_stages", count(&|t| t.certified_stages.is_some())),
        ("exempt", count(&|t| t.exempt)),
        ("volunteer", count(&|t| t.volunteer)),
        (
            "age-exempt (M ≥ 55, F ≥ 50)",
            count(&|t| super::people::age_exempt(t.female, t.age())),
        ),
        ("on exchange now", count(&|t| t.home_school.is_some())),
        (
            "  of which continuing to 2027",
            count(&|t| t.exchange_until.is_some_and(|y| y > PLAN_YEAR)),
        ),
    ];
    for (label, n) in rows {
        line(&format!("| {label} | {n} | {} |", pct(n, n_t)));
    }
    line("");
    line(
        "`second_subject` is mostly a shortage subject (music, art, pe, english, science, it), and \
         mostly held by rural chinese/math teachers. `certified_stages` lists a higher stage than \
         the teacher's school (e.g. `high;middle`). Current exchanges follow the seed pairings: a \
         helper and a school of a group it helps that serves the pairing's stage (never a 教学点), \
         in either direction; senders from the helper are key or senior, senders from the group \
         are at most 40; most end this summer (`exchange_until = 2026`), two in 2027.",
    );
    line("");

    line("## Demand vs supply by subject");
    line("");
    line(
        "Supply counts teachers where they work now (a teacher away on exchange counts at the host).",
    );
    line("");
    line("| subject | demand | supply | supply − demand |");
    line("|---|---|---|---|");
    let mut tot_d = 0i64;
    let mut tot_s = 0i64;
    for subject in SUBJECTS {
        let d: i64 = inst
            .demand
            .iter()
            .filter(|r| r.subject == subject)
            .map(|r| i64::from(r.positions))
            .sum();
        let sp = teachers.iter().filter(|t| t.subject == subject).count() as i64;
        if d == 0 && sp == 0 {
            continue;
        }
        tot_d += d;
        tot_s += sp;
        line(&format!("| {subject} | {d} | {sp} | {:+} |", sp - d));
    }
    line(&format!(
        "| **total** | {tot_d} | {tot_s} | {:+} |",
        tot_s - tot_d
    ));
    line("");

    line("## The seed's group and pairing structure");
    line("");
    line(
        "`policy.toml` reproduces the seed set-up: track `high` (stages high, school mode, 2 groups \
         of at most 3, helpers included); track `compulsory` (kindergarten, primary, middle, \
         nine_year; township mode, 8 groups, contiguous); `[pairing] helper_capacity = 2` \
         (第一小学, 第二小学, 实验小学, 第三小学 and 第一幼儿园 each help two groups); SPEC defaults \
         for `[rotation]`; `[solver] time_limit_s = 60`. Vocational schools are in no track.",
    );
    line("");
    line(
        "`groups_seed.csv` (track,group,school,role) is the seed's own grouping: `high-1` = 第一中学, \
         民族中学, 野马川中学; `high-2` = 第二中学, 实验中学, 第三中学; `compulsory-1`..`compulsory-8` = \
         all non-helper kindergarten/primary/middle/nine_year schools of each group's townships. \
         The core is the highest-quality core-eligible school of the group. \
         `baseline_pairings.csv` (helper,group,stage) lists the 24 pairings of §二(三).",
    );
    line("");
    line("| group | townships | schools | core |");
    line("|---|---|---|---|");
    let mut names: Vec<String> = Vec::new();
    for (_, g, _, _) in groups {
        if !names.contains(g) {
            names.push(g.clone());
        }
    }
    for g in &names {
        let members: Vec<usize> = groups.iter().filter(|r| &r.1 == g).map(|r| r.2).collect();
        let core = groups
            .iter()
            .find(|r| &r.1 == g && r.3 == "core")
            .map_or(String::new(), |r| {
                format!(
                    "{} {} ({})",
                    schools[r.2].id,
                    schools[r.2].name,
                    fmt_num(schools[r.2].quality)
                )
            });
        let mut tws: Vec<usize> = members.iter().map(|&m| schools[m].township).collect();
        tws.sort_unstable();
        tws.dedup();
        let tnames: Vec<&str> = tws.iter().map(|&t| tw[t].name.as_str()).collect();
        line(&format!(
            "| {g} | {} | {} | {core} |",
            tnames.join(", "),
            members.len()
        ));
    }
    line("");
    line("Seed pairings (附件2 §二(三)):");
    line("");
    line("| group | middle | primary | kindergarten |");
    line("|---|---|---|---|");
    for (g, (m, p, k)) in super::hezhang::pairing_names().iter().enumerate() {
        let id = |n: &str| {
            schools
                .iter()
                .find(|x| x.name == n)
                .map_or(String::new(), |x| x.id.clone())
        };
        line(&format!(
            "| compulsory-{} | {} {m} | {} {p} | {} {k} |",
            g + 1,
            id(m),
            id(p),
            id(k)
        ));
    }
    s
}

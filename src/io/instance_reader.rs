//! Reads an instance folder into an [`Instance`], collecting every problem with its location.
//!
//! Headers and values may be SPEC's or the Chinese words `import` accepts (one alias table,
//! [`crate::io::aliases`]); coordinates may be km or degrees, projected as SPEC says. Inputs
//! that the solvers and `verify` could read two ways are refused here, where both read them
//! (docs/instance-readings.md lists each, and the readings kept).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::aliases::{self, TableSpec};
use super::csv_table::{Cells, Table};
use crate::diagnostics::{Problem, Problems};
use crate::domain::geography::Projection;
use crate::domain::instance::{Degree, Demand, Instance, School, Sex, Teacher, Title, Township};
use crate::domain::stage::Stage;

fn stages_hint() -> String {
    format!("use one of {}", aliases::hint(aliases::STAGES))
}

fn stages_hint_zh() -> String {
    format!("可用值：{}", aliases::hint(aliases::STAGES))
}

/// A required cell holding one of `table`'s coded values (`what`: the value's name in English
/// and Chinese).
fn coded<T>(
    c: &mut Cells,
    col: &str,
    parse: impl Fn(&str) -> Option<T>,
    table: aliases::ValueTable,
    what: [&str; 2],
) -> Option<T> {
    let text = c.required(col)?;
    let v = parse(&text);
    if v.is_none() {
        let [en, zh] = what;
        c.problem(
            col,
            format!("unknown {en}"),
            format!("use one of {}", aliases::hint(table)),
        )
        .zh(
            format!("{zh}无法识别"),
            format!("可用值：{}", aliases::hint(table)),
        );
    }
    v
}

/// The Chinese of the kinds of id a row refers to.
fn what_zh(what: &str) -> &'static str {
    match what {
        "township" => "乡镇",
        "school" => "学校",
        "teacher" => "教师",
        _ => "编号",
    }
}

fn spec(stem: &str) -> &'static TableSpec {
    // The stems are SPEC's file names, all in the alias table.
    aliases::table(stem).unwrap_or(&aliases::TABLES[0])
}

/// Reads `dir`. On any problem, returns all of them (nothing is half-loaded).
pub fn read_instance(dir: &Path) -> Result<Instance, Problems> {
    let mut problems = Problems::default();
    if !dir.is_dir() {
        problems.push(Problem::new(
            dir.display().to_string(),
            "instance folder not found",
            "pass the folder that holds townships.csv, schools.csv, teachers.csv and demand.csv",
        ));
        return Err(problems);
    }
    let mut inst = Instance::default();
    // Every id written in townships.csv and schools.csv, loaded or not: a reference to a row
    // that had problems of its own is not reported again, so one bad school row does not
    // bury the real problems under hundreds of "unknown school" lines.
    let mut seen_ids = SeenIds::default();
    let mut coords = Coordinates::default();
    read_townships(dir, &mut inst, &mut seen_ids, &mut coords, &mut problems);
    read_adjacency(dir, &mut inst, &seen_ids, &mut problems);
    read_schools(dir, &mut inst, &mut seen_ids, &mut coords, &mut problems);
    read_teachers(dir, &mut inst, &seen_ids, &mut problems);
    read_demand(dir, &mut inst, &seen_ids, &mut problems);
    read_distances(dir, &mut inst, &seen_ids, &mut problems);
    if problems.is_empty() {
        Ok(inst)
    } else {
        Err(problems)
    }
}

#[derive(Default)]
struct SeenIds {
    townships: HashSet<String>,
    schools: HashSet<String>,
    /// Loaded rows by name: bureaus often write a name where the id belongs, as in a
    /// workbook, and a name that is not an id and names one row stands for its id.
    township_names: HashMap<String, Vec<usize>>,
    school_names: HashMap<String, Vec<usize>>,
}

/// The unit an instance's coordinates are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Km,
    Degrees,
}

impl Unit {
    fn columns(self) -> (&'static str, &'static str) {
        match self {
            Unit::Km => ("x_km", "y_km"),
            Unit::Degrees => ("lat", "lng"),
        }
    }
}

/// What the instance's coordinates are, as far as read: the unit fixed by the first row
/// that gives any, and the projection once the townships fix it.
#[derive(Default)]
struct Coordinates {
    first: Option<(Unit, &'static str, usize)>,
    projection: Option<Projection>,
}

/// A row's coordinates as written.
#[derive(Debug, Clone, Copy)]
enum Point {
    Km(f64, f64),
    Degrees(f64, f64),
}

impl Coordinates {
    /// Reads one row's coordinates: `Ok(None)` when it gives none, `Err(())` when it has a
    /// problem (recorded). A row gives x_km,y_km or lat,lng, in the instance's one unit.
    fn read(&mut self, c: &mut Cells<'_>, file: &'static str) -> Result<Option<Point>, ()> {
        let km = c.text("x_km").is_some() || c.text("y_km").is_some();
        let degrees = c.text("lat").is_some() || c.text("lng").is_some();
        if km && degrees {
            c.problem(
                "lat",
                "the row gives both x_km/y_km and lat/lng",
                "keep one pair: an instance gives coordinates in km or in degrees throughout",
            )
            .zh(
                "该行同时给出了 x_km/y_km 和 lat/lng",
                "只保留一组：一个实例的坐标要么全用公里，要么全用经纬度",
            );
            return Err(());
        }
        let unit = match (km, degrees) {
            (true, _) => Unit::Km,
            (_, true) => Unit::Degrees,
            _ => return Ok(None),
        };
        let (a, b) = unit.columns();
        match self.first {
            Some((first, first_file, first_line)) if first != unit => {
                let (fa, fb) = first.columns();
                c.problem(
                    a,
                    format!(
                        "the row gives {a},{b} but {first_file} line {first_line} gives {fa},{fb}"
                    ),
                    "an instance uses km or degrees throughout: give every township and school \
                     in the same unit",
                )
                .zh(
                    format!("该行给出 {a},{b}，但 {first_file} 第 {first_line} 行给出 {fa},{fb}"),
                    "一个实例的坐标须统一用公里或经纬度：所有乡镇和学校用同一种单位",
                );
                return Err(());
            }
            Some(_) => {}
            None => self.first = Some((unit, file, c.line())),
        }
        let mut complete = true;
        for col in [a, b] {
            if c.text(col).is_none() {
                c.problem(
                    col,
                    format!("`{col}` is empty"),
                    format!("give both {a} and {b}, or neither"),
                )
                .zh(
                    format!("`{col}` 为空"),
                    format!("{a} 和 {b} 要么都填，要么都不填"),
                );
                complete = false;
            }
        }
        let (x, y) = (c.float(a), c.float(b));
        let (Some(x), Some(y)) = (x, y) else {
            return Err(());
        };
        if !complete {
            return Err(());
        }
        if unit == Unit::Km {
            return Ok(Some(Point::Km(x, y)));
        }
        let mut in_range = true;
        if !(-90.0..=90.0).contains(&x) {
            c.problem(
                "lat",
                "`lat` is outside −90…90 degrees",
                "give the latitude in decimal degrees (north positive, e.g. 27.13); \
                 check that lat and lng are not swapped",
            )
            .zh(
                "`lat` 超出 −90…90 度",
                "请用十进制度数填写纬度（北纬为正，如 27.13）；检查 lat 与 lng 是否填反",
            );
            in_range = false;
        }
        if !(-180.0..=180.0).contains(&y) {
            c.problem(
                "lng",
                "`lng` is outside −180…180 degrees",
                "give the longitude in decimal degrees (east positive, e.g. 104.72)",
            )
            .zh(
                "`lng` 超出 −180…180 度",
                "请用十进制度数填写经度（东经为正，如 104.72）",
            );
            in_range = false;
        }
        if in_range {
            Ok(Some(Point::Degrees(x, y)))
        } else {
            Err(())
        }
    }

    /// A point in km. Degrees need the projection, which exists once a township was read
    /// in degrees (a school in degrees among townships in km was refused as mixed).
    fn km(&self, p: Point) -> Option<(f64, f64)> {
        match p {
            Point::Km(x, y) => Some((x, y)),
            Point::Degrees(lat, lng) => self.projection.map(|pr| pr.to_km(lat, lng)),
        }
    }
}

/// Loaded rows' names, for references that give a name instead of an id.
fn names_of<'a>(names: impl Iterator<Item = &'a str>) -> HashMap<String, Vec<usize>> {
    let mut out: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, n) in names.enumerate() {
        if !n.is_empty() {
            out.entry(n.to_string()).or_default().push(i);
        }
    }
    out
}

fn unique_id(
    seen: &mut HashMap<String, usize>,
    id: &str,
    line: usize,
    file: &str,
    column: usize,
    problems: &mut Problems,
) -> bool {
    if let Some(first) = seen.get(id) {
        problems.push(
            Problem::new(
                file,
                format!("duplicate id (first used on line {first})"),
                "give every row its own id",
            )
            .at(line, column)
            .value(id),
        );
        return false;
    }
    seen.insert(id.to_string(), line);
    true
}

fn read_townships(
    dir: &Path,
    inst: &mut Instance,
    seen_ids: &mut SeenIds,
    coords: &mut Coordinates,
    problems: &mut Problems,
) {
    let file = "townships.csv";
    let Some(table) = Table::read_instance_file(dir, spec("townships"), problems) else {
        return;
    };
    let has_km = table.column("x_km").is_some() && table.column("y_km").is_some();
    let has_degrees = table.column("lat").is_some() && table.column("lng").is_some();
    if !has_km && !has_degrees {
        problems.push(
            Problem::new(
                file,
                "missing columns `x_km`,`y_km` (or `lat`,`lng`)",
                "add x_km,y_km in km (横坐标,纵坐标) or lat,lng in degrees (纬度,经度)",
            )
            .at(table.header_line, table.width() + 1),
        );
    }
    let mut seen = HashMap::new();
    let mut points = Vec::new();
    let id_col = table.column("id").map_or(1, |c| c + 1);
    for row in &table.rows {
        let mut c = table.cells(row, problems);
        let id = c.required("id");
        let name = c.text("name").unwrap_or_default().to_string();
        let urban = c.boolean("urban", false);
        let point = match coords.read(&mut c, file) {
            Ok(Some(p)) => Some(p),
            Ok(None) => {
                if has_km || has_degrees {
                    let col = if has_km { "x_km" } else { "lat" };
                    c.problem(
                        col,
                        "the township has no coordinates",
                        "give x_km,y_km in km or lat,lng in degrees",
                    )
                    .zh(
                        "该乡镇没有坐标",
                        "请给出 x_km,y_km（公里）或 lat,lng（经纬度）",
                    );
                }
                None
            }
            Err(()) => None,
        };
        let priority = c.boolean("priority", false);
        let line = c.line();
        let fresh = id
            .as_deref()
            .is_some_and(|id| unique_id(&mut seen, id, line, file, id_col, problems));
        if let Some(id) = &id {
            seen_ids.townships.insert(id.clone());
        }
        if let (Some(id), Some(point)) = (id, point)
            && fresh
        {
            points.push(point);
            inst.townships.push(Township {
                id,
                name,
                urban,
                x_km: 0.0,
                y_km: 0.0,
                priority,
            });
        }
    }
    coords.projection = Projection::centred_on(points.iter().filter_map(|p| match *p {
        Point::Degrees(lat, lng) => Some((lat, lng)),
        Point::Km(..) => None,
    }));
    for (t, p) in inst.townships.iter_mut().zip(points) {
        (t.x_km, t.y_km) = coords.km(p).unwrap_or_default();
    }
    inst.township_index = inst
        .townships
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.clone(), i))
        .collect();
    seen_ids.township_names = names_of(inst.townships.iter().map(|t| t.name.as_str()));
}

fn read_adjacency(dir: &Path, inst: &mut Instance, seen_ids: &SeenIds, problems: &mut Problems) {
    let Some(table) = Table::read_instance_file(dir, spec("adjacency"), problems) else {
        return;
    };
    let mut edges = HashSet::new();
    for row in &table.rows {
        let mut c = table.cells(row, problems);
        let a = c.required("a");
        let b = c.required("b");
        let (Some(a), Some(b)) = (a, b) else { continue };
        let ia = township_ref(inst, seen_ids, &a, &mut c, "a");
        let ib = township_ref(inst, seen_ids, &b, &mut c, "b");
        if a == b || (ia.is_some() && ia == ib) {
            c.problem(
                "b",
                "self-loop: a township cannot be adjacent to itself",
                "delete this row",
            )
            .zh("自环：乡镇不能与自身相邻", "删除这一行");
            continue;
        }
        if let (Some(ia), Some(ib)) = (ia, ib) {
            let key = (ia.min(ib), ia.max(ib));
            if edges.insert(key) {
                inst.adjacency.push(key);
            }
        }
    }
}

/// The rows a reference may name: by id, or by a name that names exactly one loaded row.
struct Refs<'a> {
    index: &'a HashMap<String, usize>,
    names: &'a HashMap<String, Vec<usize>>,
    /// Ids of rows written but not loaded (they had problems of their own): a reference to
    /// one is not reported again.
    seen: &'a HashSet<String>,
    what: &'static str,
    file: &'static str,
}

impl Refs<'_> {
    fn lookup(&self, id: &str, c: &mut Cells<'_>, col: &str) -> Option<usize> {
        let (what, file) = (self.what, self.file);
        if let Some(&i) = self.index.get(id) {
            return Some(i);
        }
        if self.seen.contains(id) {
            return None;
        }
        match self.names.get(id).map(Vec::as_slice) {
            Some(&[only]) => Some(only),
            Some(many) if many.len() > 1 => {
                c.problem(
                    col,
                    format!("`{id}` is the name of {} {what}s", many.len()),
                    format!("write the {what}'s id from {file}: the name is not unique"),
                )
                .zh(
                    format!("`{id}` 是 {} 个{}的名称", many.len(), what_zh(what)),
                    format!("请填写 {file} 中的编号：该名称不唯一"),
                );
                None
            }
            _ => {
                c.problem(
                    col,
                    format!("unknown {what} `{id}`"),
                    format!("use an id listed in {file}, or add `{id}` there"),
                )
                .zh(
                    format!("{}不存在：`{id}`", what_zh(what)),
                    format!("请使用 {file} 中列出的编号，或在其中添加 `{id}`"),
                );
                None
            }
        }
    }
}

fn township_ref(
    inst: &Instance,
    seen_ids: &SeenIds,
    id: &str,
    c: &mut Cells<'_>,
    col: &str,
) -> Option<usize> {
    Refs {
        index: &inst.township_index,
        names: &seen_ids.township_names,
        seen: &seen_ids.townships,
        what: "township",
        file: "townships.csv",
    }
    .lookup(id, c, col)
}

fn school_ref(
    inst: &Instance,
    seen_ids: &SeenIds,
    id: &str,
    c: &mut Cells<'_>,
    col: &str,
) -> Option<usize> {
    Refs {
        index: &inst.school_index,
        names: &seen_ids.school_names,
        seen: &seen_ids.schools,
        what: "school",
        file: "schools.csv",
    }
    .lookup(id, c, col)
}

fn read_schools(
    dir: &Path,
    inst: &mut Instance,
    seen_ids: &mut SeenIds,
    coords: &mut Coordinates,
    problems: &mut Problems,
) {
    let Some(table) = Table::read_instance_file(dir, spec("schools"), problems) else {
        return;
    };
    let mut seen = HashMap::new();
    let id_col = table.column("id").map_or(1, |c| c + 1);
    for row in &table.rows {
        let mut c = table.cells(row, problems);
        let id = c.required("id");
        let name = c.text("name").unwrap_or_default().to_string();
        let township = c
            .required("township")
            .and_then(|t| township_ref(inst, seen_ids, &t, &mut c, "township"));
        let stage = match c.required("stage") {
            Some(s) => {
                let st = Stage::parse(&s);
                if st.is_none() {
                    c.problem("stage", "unknown stage", stages_hint())
                        .zh("学段无法识别", stages_hint_zh());
                }
                st
            }
            None => None,
        };
        let quality = match c.text("quality") {
            None => {
                c.problem(
                    "quality",
                    "`quality` is empty",
                    "give a quality score from 0 to 100",
                )
                .zh("`quality` 为空", "请填写 0 到 100 的质量分");
                None
            }
            Some(_) => match c.float("quality") {
                Some(q) if (0.0..=100.0).contains(&q) => Some(q),
                Some(_) => {
                    c.problem(
                        "quality",
                        "`quality` is outside 0–100",
                        "give a quality score from 0 to 100",
                    )
                    .zh("`quality` 超出 0–100", "请填写 0 到 100 的质量分");
                    None
                }
                None => None,
            },
        };
        let students = c.count("students");
        if c.text("students").is_none() {
            c.problem(
                "students",
                "`students` is empty",
                "give the number of students (0 or more)",
            )
            .zh("`students` 为空", "请填写学生人数（0 或以上）");
        }
        let classes = c.count("classes");
        if c.text("classes").is_none() {
            c.problem(
                "classes",
                "`classes` is empty",
                "give the number of classes (0 or more)",
            )
            .zh("`classes` 为空", "请填写班级数（0 或以上）");
        }
        let point = coords.read(&mut c, "schools.csv");
        let helper = c.boolean("helper", false);
        let core_eligible = c.boolean("core_eligible", true);
        let line = c.line();
        let fresh = id
            .as_deref()
            .is_some_and(|id| unique_id(&mut seen, id, line, "schools.csv", id_col, problems));
        if let Some(id) = &id {
            seen_ids.schools.insert(id.clone());
        }
        if let (
            Some(id),
            Some(t),
            Some(stage),
            Some(quality),
            Some(students),
            Some(classes),
            Ok(point),
        ) = (id, township, stage, quality, students, classes, point)
            && fresh
        {
            let tw = &inst.townships[t];
            let (x, y) = match point.and_then(|p| coords.km(p)) {
                Some((x, y)) => (Some(x), Some(y)),
                None => (None, None),
            };
            inst.schools.push(School {
                id,
                name,
                township: t,
                stage,
                quality,
                students,
                classes,
                x_km: x.unwrap_or(tw.x_km),
                y_km: y.unwrap_or(tw.y_km),
                helper,
                core_eligible,
            });
        }
    }
    inst.school_index = inst
        .schools
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), i))
        .collect();
    seen_ids.school_names = names_of(inst.schools.iter().map(|s| s.name.as_str()));
}

const SUBJECT_HINT: &str = "write a subject such as 语文 or chinese, 数学 or math \
     (docs/import-aliases.md lists the Chinese names), or a lower-case English identifier";

const SUBJECT_HINT_ZH: &str = "请填写学科，如 语文 或 chinese、数学 或 math\
     （docs/import-aliases.md 列出了中文名称），或小写英文标识";

fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn read_teachers(dir: &Path, inst: &mut Instance, seen_ids: &SeenIds, problems: &mut Problems) {
    let Some(table) = Table::read_instance_file(dir, spec("teachers"), problems) else {
        return;
    };
    let mut seen = HashMap::new();
    let id_col = table.column("id").map_or(1, |c| c + 1);
    for row in &table.rows {
        let mut c = table.cells(row, problems);
        let id = c.required("id");
        let school = c
            .required("school")
            .and_then(|s| school_ref(inst, seen_ids, &s, &mut c, "school"));
        let subject = c.required("subject");
        if let Some(s) = &subject
            && !is_identifier(s)
        {
            c.problem("subject", "unknown subject", SUBJECT_HINT)
                .zh("学科无法识别", SUBJECT_HINT_ZH);
        }
        let sex = coded(&mut c, "sex", Sex::parse, aliases::SEXES, ["sex", "性别"]);
        let birth_year = c.int("birth_year");
        if c.text("birth_year").is_none() {
            c.problem(
                "birth_year",
                "`birth_year` is empty",
                "give the year of birth, e.g. 1985",
            )
            .zh("`birth_year` 为空", "请填写出生年份，如 1985");
        }
        let birth_year = birth_year.and_then(|y| {
            if (1900..=2100).contains(&y) {
                Some(y as i32)
            } else {
                c.problem(
                    "birth_year",
                    "`birth_year` is not a plausible year",
                    "give a four-digit year such as 1985",
                )
                .zh("`birth_year` 不是合理的年份", "请填写四位年份，如 1985");
                None
            }
        });
        let title = coded(
            &mut c,
            "title",
            Title::parse,
            aliases::TITLES,
            ["title", "职称"],
        );
        let key = c.boolean("key", false);
        let years = c.count("years_at_school");
        if c.text("years_at_school").is_none() {
            c.problem(
                "years_at_school",
                "`years_at_school` is empty",
                "give the whole years at the current school (0 or more)",
            )
            .zh("`years_at_school` 为空", "请填写在本校的整年数（0 或以上）");
        }
        let name = c.text("name").map(str::to_string);
        let second_subject = c.text("second_subject").map(str::to_string);
        if let Some(s) = &second_subject
            && !is_identifier(s)
        {
            c.problem("second_subject", "unknown subject", SUBJECT_HINT)
                .zh("第二学科无法识别", SUBJECT_HINT_ZH);
        }
        if second_subject.is_some() && second_subject == subject {
            c.problem(
                "second_subject",
                "`second_subject` is the same as `subject`",
                "leave second_subject empty, or name the other subject the teacher may cover",
            )
            .zh(
                "`second_subject` 与 `subject` 相同",
                "请留空 second_subject，或填写该教师可兼任的另一学科",
            );
        }
        let mut certified_stages = Vec::new();
        if let Some(list) = c.text("certified_stages").map(str::to_string) {
            for part in aliases::split_stages(&list) {
                match aliases::code_for(aliases::STAGES, part).and_then(Stage::parse) {
                    Some(s) if !certified_stages.contains(&s) => certified_stages.push(s),
                    Some(_) => {}
                    None => {
                        c.problem(
                            "certified_stages",
                            format!("unknown stage `{part}`"),
                            format!("separate stages with `;`, and {}", stages_hint()),
                        )
                        .zh(
                            format!("学段无法识别：`{part}`"),
                            format!("多个学段用 `;` 分隔；{}", stages_hint_zh()),
                        );
                    }
                }
            }
        }
        let degree = c.text("degree").map(str::to_string).and_then(|d| {
            let v = Degree::parse(&d);
            if v.is_none() {
                c.problem(
                    "degree",
                    "unknown degree",
                    format!(
                        "use one of {}, or leave it empty",
                        aliases::hint(aliases::DEGREES)
                    ),
                )
                .zh(
                    "学历无法识别",
                    format!("可用值：{}；或留空", aliases::hint(aliases::DEGREES)),
                );
            }
            v
        });
        let home_school = c
            .text("home_school")
            .map(str::to_string)
            .and_then(|s| school_ref(inst, seen_ids, &s, &mut c, "home_school"));
        if let (Some(home), Some(here)) = (home_school, school)
            && home == here
        {
            // The solver would write no return for it and `verify` would then find the
            // exchange never ended (T4): refused here, where both read it.
            c.problem(
                "home_school",
                format!(
                    "the teacher is on exchange at their own home school `{}`",
                    inst.schools[home].id
                ),
                "set `school` to the host school where the teacher works this year, or clear \
                 home_school and exchange_until if the teacher is back home",
            ).zh(format!("该教师在自己的原学校 `{}` 交流", inst.schools[home].id), "请把 `school` 设为本年任教的交流学校；若已返回原校，请清空 home_school 和 exchange_until");
        }
        let exchange_until = c.int("exchange_until").map(|y| y as i32);
        if c.text("home_school").is_some() && c.text("exchange_until").is_none() {
            c.problem(
                "exchange_until",
                "a teacher on exchange (home_school set) needs `exchange_until`",
                "give the year the exchange ends",
            )
            .zh(
                "交流中的教师（已填 home_school）须填写 `exchange_until`",
                "请填写交流结束年份",
            );
        }
        if c.text("exchange_until").is_some() && c.text("home_school").is_none() {
            c.problem(
                "home_school",
                "`exchange_until` is set but `home_school` is empty",
                "give the school the post belongs to, or clear exchange_until",
            )
            .zh(
                "已填 `exchange_until`，但 `home_school` 为空",
                "请填写编制所在学校，或清空 exchange_until",
            );
        }
        let exempt = c.boolean("exempt", false);
        let volunteer = c.boolean("volunteer", false);
        let line = c.line();
        let fresh = id
            .as_deref()
            .is_some_and(|id| unique_id(&mut seen, id, line, "teachers.csv", id_col, problems));
        if let (
            Some(id),
            Some(school),
            Some(subject),
            Some(sex),
            Some(birth_year),
            Some(title),
            Some(years),
        ) = (id, school, subject, sex, birth_year, title, years)
            && fresh
        {
            inst.teachers.push(Teacher {
                id,
                school,
                subject,
                sex,
                birth_year,
                title,
                key,
                years_at_school: years,
                name,
                second_subject,
                certified_stages,
                degree,
                home_school: if exchange_until.is_some() {
                    home_school
                } else {
                    None
                },
                exchange_until: if home_school.is_some() {
                    exchange_until
                } else {
                    None
                },
                exempt,
                volunteer,
            });
        }
    }
    inst.teacher_index = inst
        .teachers
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.clone(), i))
        .collect();
}

fn read_demand(dir: &Path, inst: &mut Instance, seen_ids: &SeenIds, problems: &mut Problems) {
    let Some(table) = Table::read_instance_file(dir, spec("demand"), problems) else {
        return;
    };
    let mut seen: HashMap<(usize, String), usize> = HashMap::new();
    for row in &table.rows {
        let mut c = table.cells(row, problems);
        let school = c
            .required("school")
            .and_then(|s| school_ref(inst, seen_ids, &s, &mut c, "school"));
        let subject = c.required("subject");
        if let Some(s) = &subject
            && !is_identifier(s)
        {
            c.problem("subject", "unknown subject", SUBJECT_HINT)
                .zh("学科无法识别", SUBJECT_HINT_ZH);
        }
        let positions = c.count("positions");
        if c.text("positions").is_none() {
            c.problem(
                "positions",
                "`positions` is empty",
                "give the number of posts (0 or more)",
            )
            .zh("`positions` 为空", "请填写岗位数（0 或以上）");
        }
        let line = c.line();
        if let (Some(school), Some(subject), Some(positions)) = (school, subject, positions) {
            if let Some(first) = seen.get(&(school, subject.clone())) {
                c.problem(
                    "subject",
                    format!(
                        "duplicate demand row for this school and subject (first on line {first})"
                    ),
                    "merge the two rows into one",
                )
                .zh(
                    format!("同一学校同一学科的需求行重复（首次出现在第 {first} 行）"),
                    "请把两行合并为一行",
                );
                continue;
            }
            seen.insert((school, subject.clone()), line);
            inst.demand.push(Demand {
                school,
                subject,
                positions,
            });
        }
    }
}

/// `distances.csv` can hold every pair of a county's schools, so it is parsed with byte
/// records instead of the general table reader; headers and school names are still read as
/// everywhere else. A pair may be given in either order and more than once with the same km;
/// two different km for one pair, or a school's distance to itself other than 0, is refused
/// (the solver and `verify` would each have to pick one).
fn read_distances(dir: &Path, inst: &mut Instance, seen_ids: &SeenIds, problems: &mut Problems) {
    let path = dir.join("distances.csv");
    if !path.exists() {
        return;
    }
    let file = "distances.csv";
    let text = match super::text::read_text(&path) {
        Ok(t) => t,
        Err(e) => {
            problems.push(e.problem(file, true, "check the file's permissions"));
            return;
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h
            .iter()
            .map(|h| {
                aliases::column_for_header(spec("distances"), h)
                    .map_or_else(|| h.to_string(), |c| c.name.to_string())
            })
            .collect(),
        Err(e) => {
            problems.push(
                Problem::new(
                    file,
                    format!("cannot read the header: {e}"),
                    "save the file as CSV",
                )
                .at_line(1),
            );
            return;
        }
    };
    let col = |n: &str| headers.iter().position(|h| h == n);
    let (Some(ca), Some(cb), Some(ck)) = (col("a"), col("b"), col("km")) else {
        for n in ["a", "b", "km"] {
            if col(n).is_none() {
                problems.push(
                    Problem::new(
                        file,
                        format!("missing column `{n}`"),
                        "the header must be a,b,km (or 学校A,学校B,距离)",
                    )
                    .at(1, headers.len() + 1),
                );
            }
        }
        return;
    };
    let mut lines = super::csv_table::LineCounter::new(&text);
    let mut record = csv::ByteRecord::new();
    // km and the line each pair was first given on.
    let mut road_km: HashMap<(usize, usize), (f64, usize)> = HashMap::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| lines.line_of(p.byte()));
                problems.push(
                    Problem::new(
                        file,
                        format!("malformed CSV row: {e}"),
                        "check quotes and commas",
                    )
                    .at_line(line),
                );
                continue;
            }
        }
        let line = record.position().map_or(0, |p| lines.line_of(p.byte()));
        let cell = |i: usize| {
            std::str::from_utf8(record.get(i).unwrap_or_default())
                .unwrap_or("")
                .trim()
        };
        if record.iter().all(|c| c.trim_ascii().is_empty()) {
            continue;
        }
        let mut school = |i: usize| {
            let id = cell(i);
            if let Some(&s) = inst.school_index.get(id) {
                return Some(s);
            }
            if seen_ids.schools.contains(id) {
                return None;
            }
            if let Some(&[only]) = seen_ids.school_names.get(id).map(Vec::as_slice) {
                return Some(only);
            }
            problems.push(
                Problem::new(
                    file,
                    format!("unknown school `{id}`"),
                    "use a school id listed in schools.csv (or a school's unique name)",
                )
                .at(line, i + 1)
                .value(id),
            );
            None
        };
        let a = school(ca);
        let b = school(cb);
        let written = cell(ck);
        let km = match written
            .parse::<f64>()
            .ok()
            .or_else(|| aliases::number_from_text(written))
        {
            Some(v) if v.is_finite() && v >= 0.0 => Some(v),
            _ => {
                problems.push(
                    Problem::new(
                        file,
                        "`km` is not a non-negative number",
                        "write the road distance in km, e.g. 12.5",
                    )
                    .at(line, ck + 1)
                    .value(written),
                );
                None
            }
        };
        let (Some(a), Some(b), Some(km)) = (a, b, km) else {
            continue;
        };
        if a == b {
            if km != 0.0 {
                problems.push(
                    Problem::new(
                        file,
                        format!("a distance from school `{}` to itself", inst.schools[a].id),
                        "a school is 0 km from itself: delete this row (or write 0)",
                    )
                    .at(line, ck + 1)
                    .value(written),
                );
            }
            continue;
        }
        let key = (a.min(b), a.max(b));
        match road_km.get(&key) {
            Some(&(first_km, first_line)) if first_km != km => problems.push(
                Problem::new(
                    file,
                    format!(
                        "the pair {} – {} is given twice with different km (line {first_line}: {first_km})",
                        inst.schools[a].id, inst.schools[b].id
                    ),
                    "keep one row per pair: a pair given once counts both ways",
                )
                .at(line, ck + 1)
                .value(written),
            ),
            Some(_) => {}
            None => {
                road_km.insert(key, (km, line));
            }
        }
    }
    inst.road_km = road_km.into_iter().map(|(k, (km, _))| (k, km)).collect();
}

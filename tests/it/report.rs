//! `rotaplan report`: the page holds every part, escapes hostile data, and runs in a real
//! browser (headless Chromium) without a script error.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

const HOSTILE_SCHOOL: &str = "<script>alert(1)</script>";
const HOSTILE_TEACHER: &str = r#"O'Neil "Tom" & <b>"#;

/// schools-tiny with school S4 renamed to a script tag and teacher P33 given a name full of
/// quotes, plus the hand-written plan of `tests/data/report-tiny`, in one temp dir each.
fn fixture() -> (tempfile::TempDir, tempfile::TempDir) {
    let inst = tempfile::tempdir().expect("tempdir");
    let src = root().join("tests/data/examples/schools-tiny");
    for e in fs::read_dir(&src).expect("example") {
        let e = e.expect("entry");
        fs::copy(e.path(), inst.path().join(e.file_name())).expect("copy");
    }
    let schools = inst.path().join("schools.csv");
    let text = fs::read_to_string(&schools).expect("read");
    fs::write(
        &schools,
        text.replacen("S4,学校5,", &format!("S4,{HOSTILE_SCHOOL},"), 1),
    )
    .expect("write");
    let teachers = inst.path().join("teachers.csv");
    let text = fs::read_to_string(&teachers).expect("read");
    let quoted = format!("\"{}\"", HOSTILE_TEACHER.replace('"', "\"\""));
    // The examples use CRLF line ends.
    assert!(text.contains(",教师33\r\n"));
    fs::write(
        &teachers,
        text.replacen(",教师33\r\n", &format!(",{quoted}\r\n"), 1),
    )
    .expect("write");

    let plan = tempfile::tempdir().expect("tempdir");
    for e in fs::read_dir(root().join("tests/data/report-tiny")).expect("plan") {
        let e = e.expect("entry");
        fs::copy(e.path(), plan.path().join(e.file_name())).expect("copy");
    }
    (inst, plan)
}

fn report(inst: &Path, plan: &Path, lang: Option<&str>) -> (i32, String) {
    let mut cmd = crate::common::bin();
    cmd.arg("report").arg(inst).arg("--plan").arg(plan);
    if let Some(l) = lang {
        cmd.arg("--lang").arg(l);
    }
    let out = cmd.output().expect("run rotaplan");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

fn render(lang: Option<&str>) -> (tempfile::TempDir, tempfile::TempDir, String) {
    let (inst, plan) = fixture();
    let (code, out) = report(inst.path(), plan.path(), lang);
    assert_eq!(code, 0, "{out}");
    let html = fs::read_to_string(plan.path().join("report.html")).expect("report.html");
    (inst, plan, html)
}

#[test]
fn chinese_report_has_every_part() {
    let (_i, _p, html) = render(None);
    assert!(html.contains("<html lang=\"zh-CN\">"));
    for heading in [
        "概览",
        "地图",
        "教育集团",
        "图表",
        "交流名单",
        "未覆盖的结对需求",
        "互派不足",
        "求解状态",
    ] {
        assert!(html.contains(&format!("<h2>{heading}</h2>")), "{heading}");
    }
    assert_eq!(html.matches("<circle class=\"school").count(), 10);
    assert_eq!(html.matches("<tr class=\"move\">").count(), 4);
    assert_eq!(html.matches("class=\"core-ring\"").count(), 2);
    assert_eq!(html.matches("<line class=\"pairing\"").count(), 4);
    assert_eq!(html.matches("<path class=\"transfer\"").count(), 2);
    assert_eq!(html.matches("<path class=\"exchange\"").count(), 2);
    // Teacher names from the instance, and a reason for each move.
    assert!(html.contains("教师35"));
    assert!(html.contains("补&lt;script&gt;alert(1)&lt;/script&gt;数学缺口（2 → 0）"));
    assert!(
        html.contains("调出校学校4数学超编（4 人 / 2 岗）"),
        "surplus at S3"
    );
    assert!(html.contains("学校2与学校3教育集团结对互派（初中），由帮扶校派出"));
    assert!(html.contains("学校2与学校3教育集团结对互派（初中），派往帮扶校"));
    // Groups by display name beside their id; tracks in Chinese.
    assert!(html.contains("学校3教育集团 <span class=\"note\">compulsory-1</span>"));
    assert!(html.contains("<td>义务教育</td>"));
    // A notice per school that anyone leaves or joins, by a move or a return.
    assert_eq!(
        html.matches("<article class=\"notice\"").count(),
        notice_schools()
    );
    assert!(html.contains("补学校2语文缺口（2 → 1）"));
    // Group caps from the summary; statuses and gaps of each step.
    assert!(html.contains("2 / 4 (50%)"));
    assert!(html.contains("最优（已证明）"));
    assert!(html.contains("可行（到时限，未证明最优）"));
    assert!(html.contains("0 / 0.167 / 0 / 0.17"));
    // The return is listed, and the charts are there.
    assert!(html.contains("<tr class=\"return\">"));
    assert!(html.contains("小学差异系数"));
    assert!(html.contains("初中差异系数"));
    assert!(html.contains("达到各项校际底线的学校数"));
}

/// Schools of the report-tiny plan that someone leaves or joins (moves and returns).
fn notice_schools() -> usize {
    let plan = root().join("tests/data/report-tiny");
    let mut schools = std::collections::BTreeSet::new();
    for file in ["moves.csv", "returns.csv"] {
        let text = fs::read_to_string(plan.join(file)).expect("plan file");
        for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let f: Vec<&str> = line.split(',').collect();
            schools.insert(f[1].to_string());
            schools.insert(f[2].to_string());
        }
    }
    schools.len()
}

#[test]
fn english_report_and_reasons() {
    let (_i, _p, html) = render(Some("en"));
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("<h2>Move list</h2>"));
    assert!(
        html.contains("fills the math shortage at &lt;script&gt;alert(1)&lt;/script&gt; (2 → 0)")
    );
    assert!(html.contains(
        "exchange under the pairing of 学校2 with 学校3 education group (middle), sent by the helper"
    ));
    assert!(html.contains("helper → school"));
}

#[test]
fn data_is_escaped_everywhere() {
    let (_i, _p, html) = render(None);
    assert!(
        !html.contains(HOSTILE_SCHOOL),
        "raw school name on the page"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(
        !html.contains("<img"),
        "raw reason from the summary on the page"
    );
    assert!(!html.contains("<b>"), "raw teacher name on the page");
    assert!(html.contains("O&#39;Neil &quot;Tom&quot; &amp; &lt;b&gt;"));
    // Only the page's own three scripts open and close.
    assert_eq!(html.matches("<script").count(), 3);
    assert_eq!(html.matches("</script>").count(), 3);
    let data = html
        .split("<script id=\"report-data\">")
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .expect("data script");
    for bad in ['<', '>', '&', '\''] {
        assert!(!data.contains(bad), "{bad} inside the embedded JSON");
    }
    assert!(data.contains("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"));
    // Nothing is fetched.
    for bad in [
        "http://", "https://", "src=\"", "href=", "@import", "url(http", "url(//", "<link",
        "<iframe",
    ] {
        assert!(!html.contains(bad), "{bad}");
    }
}

#[test]
fn missing_groups_is_a_clear_error_and_later_files_may_be_missing() {
    let (inst, plan) = fixture();
    fs::remove_file(plan.path().join("groups.csv")).expect("rm");
    let (code, out) = report(inst.path(), plan.path(), None);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("groups.csv") && out.contains("rotaplan groups"),
        "{out}"
    );

    let (inst, plan) = fixture();
    for f in ["pairings.csv", "moves.csv", "returns.csv", "summary.json"] {
        fs::remove_file(plan.path().join(f)).expect("rm");
    }
    let (code, out) = report(inst.path(), plan.path(), Some("en"));
    assert_eq!(code, 0, "{out}");
    let html = fs::read_to_string(plan.path().join("report.html")).expect("report");
    assert_eq!(html.matches("<tr class=\"move\">").count(), 0);
    assert!(html.contains("This plan moves no teacher."));
    assert!(html.contains("summary.json has no result for this step."));
    // Caps recomputed from the default share: floor(0.10 × staff).
    assert!(html.contains("Transfer cap"));
}

#[test]
fn broken_plan_file_is_located() {
    let (inst, plan) = fixture();
    fs::write(
        plan.path().join("moves.csv"),
        "teacher,from,to,kind,subject,start_year,end_year,slot\nP33,S3,S4,swap,math,2026,,\n",
    )
    .expect("write");
    let (code, out) = report(inst.path(), plan.path(), None);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("moves.csv:") && out.contains("swap"), "{out}");
}

// ---------------------------------------------------------------------------------------
// Real browser.

/// Whether this is a CI run, where a browser test may not be skipped.
fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// The Chromium binary, or `None` when the test is told to skip it (never under CI).
fn chromium() -> Option<PathBuf> {
    if std::env::var("ROTAPLAN_SKIP_BROWSER").is_ok_and(|v| v == "1") && !under_ci() {
        eprintln!("ROTAPLAN_SKIP_BROWSER=1: browser test skipped");
        return None;
    }
    let candidates = [
        std::env::var("ROTAPLAN_CHROMIUM").ok().map(PathBuf::from),
        Some(PathBuf::from("/usr/bin/chromium")),
        Some(PathBuf::from("/usr/bin/chromium-browser")),
        Some(PathBuf::from("/usr/bin/google-chrome")),
    ];
    match candidates.into_iter().flatten().find(|p| p.exists()) {
        Some(p) => Some(p),
        None => panic!(
            "headless Chromium is required for the report's browser test but was not found \
             (looked in $ROTAPLAN_CHROMIUM, /usr/bin/chromium, /usr/bin/chromium-browser, \
             /usr/bin/google-chrome). Install it with `apt-get install -y chromium`, or set \
             ROTAPLAN_SKIP_BROWSER=1 to skip this test."
        ),
    }
}

/// The DOM of `page` after its scripts ran, as headless Chromium dumps it.
fn dump_dom(browser: &Path, page: &Path) -> String {
    let profile = tempfile::tempdir().expect("tempdir");
    let out_file = profile.path().join("dom.html");
    let out = fs::File::create(&out_file).expect("dom file");
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--virtual-time-budget=2000",
        ])
        .arg(format!(
            "--user-data-dir={}",
            profile.path().join("p").display()
        ))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .stdout(out)
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            panic!("chromium did not finish within 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    fs::read_to_string(&out_file).expect("read dom")
}

/// The page's self-test marker: `<body data-selftest="{…}">`.
fn selftest(dom: &str) -> serde_json::Value {
    attribute_json(dom, "data-selftest")
}

/// The JSON in attribute `name` of the dumped DOM.
fn attribute_json(dom: &str, name: &str) -> serde_json::Value {
    let raw = dom
        .split(&format!("{name}=\""))
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_else(|| {
            panic!(
                "no {name} marker: the page's script did not run\n{}",
                dom.chars().take(2000).collect::<String>()
            )
        });
    let json = raw
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    serde_json::from_str(&json).expect("self-test JSON")
}

#[test]
fn browser_runs_the_page_without_errors() {
    let Some(browser) = chromium() else { return };
    let (_inst, plan, _html) = render(None);
    let st = selftest(&dump_dom(&browser, &plan.path().join("report.html")));
    assert_eq!(st["errors"], serde_json::json!([]), "script errors: {st}");
    assert_eq!(st["schools"], 10, "one map mark per school: {st}");
    assert_eq!(st["moves"], 4, "one move row per move: {st}");
    // The hostile school name stayed text: no extra script element appeared.
    assert_eq!(st["scripts"], 3, "{st}");

    // Hover, filter and sort work: a probe added to a copy of the page drives them.
    let page = plan.path().join("report.html");
    let probe = r#"<script>window.addEventListener('load',function(){
  var c=document.querySelector('#map .school[data-id="S4"]'),r=c.getBoundingClientRect();
  c.dispatchEvent(new MouseEvent('mousemove',{bubbles:true,clientX:r.left+1,clientY:r.top+1}));
  var tip=document.getElementById('tip').textContent;
  var f=document.getElementById('move-filter');f.value='P75';f.dispatchEvent(new Event('input'));
  var shown=[].filter.call(document.querySelectorAll('tr.move'),function(t){return t.style.display!=='none';}).length;
  f.value='';f.dispatchEvent(new Event('input'));
  var th=document.querySelector('#moves thead th');th.click();th.click();
  var first=document.querySelector('#moves tbody tr').cells[0].textContent;
  document.body.setAttribute('data-probe',JSON.stringify({tip:tip,shown:shown,first:first}));
});</script></body>"#;
    let probed = fs::read_to_string(&page)
        .expect("read")
        .replacen("</body>", probe, 1);
    let probed_page = plan.path().join("probed.html");
    fs::write(&probed_page, probed).expect("write");
    let dom = dump_dom(&browser, &probed_page);
    assert_eq!(selftest(&dom)["errors"], serde_json::json!([]));
    let probe = attribute_json(&dom, "data-probe");
    let tip = probe["tip"].as_str().unwrap_or_default();
    assert!(
        tip.contains(HOSTILE_SCHOOL) && tip.contains("(S4)"),
        "tooltip: {probe}"
    );
    assert!(
        tip.contains("compulsory-1") && tip.contains("11 → 13"),
        "tooltip: {probe}"
    );
    assert_eq!(probe["shown"], 1, "filter: {probe}");
    assert_eq!(
        probe["first"], "P9",
        "sorted descending by teacher id: {probe}"
    );

    // The check can fail: a page with a broken script reports it.
    let page = plan.path().join("report.html");
    let broken = fs::read_to_string(&page).expect("read").replacen(
        "<script id=\"report-data\">",
        "<script>no_such_function();</script><script id=\"report-data\">",
        1,
    );
    let broken_page = plan.path().join("broken.html");
    fs::write(&broken_page, broken).expect("write");
    let st = selftest(&dump_dom(&browser, &broken_page));
    assert!(
        st["errors"].as_array().is_some_and(|e| !e.is_empty()),
        "a thrown error must be caught: {st}"
    );
}

#[test]
fn hezhang_seed_plan_reports_every_school() {
    let hz = root().join("instances/hezhang");
    let plan = tempfile::tempdir().expect("tempdir");
    fs::copy(hz.join("groups_seed.csv"), plan.path().join("groups.csv")).expect("copy");
    fs::copy(
        hz.join("baseline_pairings.csv"),
        plan.path().join("pairings.csv"),
    )
    .expect("copy");
    let out = crate::common::bin()
        .arg("report")
        .arg(&hz)
        .arg("--plan")
        .arg(plan.path())
        .args(["--lang", "en", "--policy"])
        .arg(hz.join("policy.toml"))
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = fs::read_to_string(plan.path().join("report.html")).expect("report");
    let schools = fs::read_to_string(hz.join("schools.csv")).expect("schools");
    let n = schools
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .count();
    assert_eq!(html.matches("<circle class=\"school").count(), n);
    let pairings = fs::read_to_string(hz.join("baseline_pairings.csv")).expect("pairings");
    let p = pairings
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .count();
    assert_eq!(html.matches("<line class=\"pairing\"").count(), p);
    // 10 seed groups, each with its cap under cross_cap_share = 0.10.
    assert_eq!(html.matches("<tr class=\"group\">").count(), 10);
    assert!(html.contains("compulsory-8"));
}

// ---------------------------------------------------------------------------------------
// Documents in the run's language, and one reason per move.

/// ASCII words in `text` that are neither ids nor codes: a word of two or more letters with
/// no digit, `_`, `-` or `.` in it (`S12`, `compulsory-1`, `summary.json`,
/// `cross_cap_share` are codes), apart from units and names of tools.
fn english_words(text: &str) -> Vec<String> {
    const ALLOWED: [&str; 3] = ["km", "CV", "HiGHS"];
    text.split(|c: char| !(c.is_ascii_alphanumeric() || "_-.".contains(c)))
        .filter(|w| w.chars().filter(char::is_ascii_alphabetic).count() >= 2)
        .filter(|w| !w.chars().any(|c| c.is_ascii_digit() || "_-.".contains(c)))
        .filter(|w| !ALLOWED.contains(w))
        .map(str::to_string)
        .collect()
}

/// The text a reader sees: no scripts, styles or tags, entities decoded.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        out.push(' ');
        let tail = &rest[i..];
        let skip_to = ["script", "style"]
            .iter()
            .find(|t| tail.starts_with(&format!("<{t}")))
            .map(|t| format!("</{t}>"));
        rest = match skip_to {
            Some(end) => tail.find(&end).map_or("", |j| &tail[j + end.len()..]),
            None => tail.find('>').map_or("", |j| &tail[j + 1..]),
        };
    }
    out.push_str(rest);
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Every string in the page's data for its script (the map's tooltips).
fn script_strings(html: &str) -> Vec<String> {
    let json = html
        .split("const REPORT = ")
        .nth(1)
        .and_then(|s| s.split(";</script>").next())
        .expect("report data");
    let v: serde_json::Value = serde_json::from_str(json).expect("report data JSON");
    let mut out = Vec::new();
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            serde_json::Value::Object(m) => m.values().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    walk(&v, &mut out);
    out
}

#[test]
fn the_english_word_check_can_fail() {
    assert_eq!(
        english_words("P1：no helper 可承担 S12 compulsory-1 summary.json 12 km"),
        ["no", "helper"]
    );
    assert_eq!(
        visible_text("<p>a &amp; b</p><script>var english=1;</script><style>x{}</style>c"),
        " a & b   c"
    );
}

/// schools-tiny under a policy that leaves slots uncovered (one pairing per helper) and
/// pairings short of their exchanges (three each way), so that every kind of reason shows.
fn tiny_policy_with_every_reason(dir: &Path) -> PathBuf {
    let policy = dir.join("policy.toml");
    let text = fs::read_to_string(root().join("tests/data/examples/schools-tiny/policy.toml"))
        .expect("policy")
        .replace("helper_capacity = 3", "helper_capacity = 1")
        .replace("exchanges_per_pairing = 1", "exchanges_per_pairing = 3");
    fs::write(&policy, text).expect("write policy");
    policy
}

#[test]
fn a_chinese_run_writes_a_reason_for_every_move_and_no_english_sentence() {
    let work = tempfile::tempdir().expect("tempdir");
    let policy = tiny_policy_with_every_reason(work.path());
    let plan = work.path().join("plan");
    let inst = root().join("tests/data/examples/schools-tiny");
    let out = crate::common::bin()
        .arg("plan")
        .arg(&inst)
        .arg("--policy")
        .arg(&policy)
        .arg("--out")
        .arg(&plan)
        .args(["--lang", "zh", "--report"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // moves.csv: SPEC's header, and a non-empty reason on every row.
    let moves = fs::read_to_string(plan.join("moves.csv")).expect("moves");
    let mut rows = csv::Reader::from_reader(moves.as_bytes());
    assert_eq!(
        rows.headers().expect("header").iter().collect::<Vec<_>>(),
        [
            "teacher",
            "from",
            "to",
            "kind",
            "subject",
            "start_year",
            "end_year",
            "slot",
            "reason"
        ]
    );
    let reasons: Vec<(String, String)> = rows
        .records()
        .map(|r| {
            let r = r.expect("row");
            (r[0].to_string(), r[8].to_string())
        })
        .collect();
    assert!(!reasons.is_empty(), "the plan moves someone");
    for (teacher, reason) in &reasons {
        assert!(!reason.trim().is_empty(), "{teacher} has no reason");
        assert!(english_words(reason).is_empty(), "{teacher}: {reason}");
    }

    // The summary's own reasons are Chinese too, and there are some of each.
    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(plan.join("summary.json")).expect("summary"))
            .expect("summary JSON");
    let uncovered = summary["pairing"]["uncovered"]
        .as_array()
        .expect("uncovered");
    let short = summary["rotation"]["exchange_shortfalls"]
        .as_array()
        .expect("shortfalls");
    assert!(!uncovered.is_empty() && !short.is_empty(), "{summary}");
    for r in uncovered.iter().chain(short) {
        let reason = r["reason"].as_str().unwrap_or_default();
        assert!(
            !reason.is_empty() && english_words(reason).is_empty(),
            "{reason}"
        );
    }

    // The report: no English word outside ids and codes, in the page or its tooltips; the
    // plan folder's own path (in the header) is the user's, not ours.
    let html = fs::read_to_string(plan.join("report.html")).expect("report");
    let text = visible_text(&html).replace(&plan.display().to_string(), "");
    let words = english_words(&text);
    assert!(words.is_empty(), "English in the Chinese report: {words:?}");
    for tip in script_strings(&html) {
        assert!(
            english_words(&tip).is_empty(),
            "English in a tooltip: {tip}"
        );
    }
    // Every move's reason is in the report word for word.
    for (teacher, reason) in &reasons {
        assert!(text.contains(reason.as_str()), "{teacher}: {reason}");
    }

    // The same plan in English says it in English.
    let (code, out) = report(&inst, &plan, Some("en"));
    assert_eq!(code, 0, "{out}");
    let en = visible_text(&fs::read_to_string(plan.join("report.html")).expect("report"));
    assert!(
        english_words(&en).len() > 50,
        "an English report has English words"
    );
}

#[test]
fn a_moves_csv_without_reasons_gets_the_reasons_rotaplan_writes() {
    let inst = root().join("instances/hezhang");
    let fixture = root().join("tests/data/report-hezhang");
    let plan = tempfile::tempdir().expect("tempdir");
    for f in ["groups.csv", "pairings.csv", "returns.csv", "summary.json"] {
        fs::copy(fixture.join(f), plan.path().join(f)).expect("copy");
    }
    // The same moves, as a planner would write them: no reason column.
    let mut rd = csv::Reader::from_path(fixture.join("moves.csv")).expect("moves");
    let mut wr = csv::Writer::from_path(plan.path().join("moves.csv")).expect("write");
    let mut written = Vec::new();
    wr.write_record(&rd.headers().expect("header").iter().collect::<Vec<_>>()[..8])
        .expect("header");
    for r in rd.records() {
        let r = r.expect("row");
        wr.write_record(&r.iter().collect::<Vec<_>>()[..8])
            .expect("row");
        written.push(r[8].to_string());
    }
    wr.flush().expect("flush");
    let (code, out) = report(&inst, plan.path(), Some("zh"));
    assert_eq!(code, 0, "{out}");
    let text = visible_text(&fs::read_to_string(plan.path().join("report.html")).expect("report"));
    for reason in &written {
        assert!(text.contains(reason.as_str()), "missing: {reason}");
    }
}

/// `page` printed to PDF by headless Chromium, as text (pdftotext).
fn printed_text(browser: &Path, page: &Path) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let pdf = dir.path().join("report.pdf");
    let status = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--no-pdf-header-footer",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("p").display()
        ))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("start chromium");
    assert!(status.success() && pdf.exists(), "chromium printed nothing");
    let out = match Command::new("pdftotext").arg(&pdf).arg("-").output() {
        Ok(o) => o,
        Err(e) => panic!(
            "pdftotext is required to read the printed report back ({e}); install it with \
             `apt-get install -y poppler-utils`"
        ),
    };
    assert!(out.status.success(), "pdftotext failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn hezhang_printed_report_holds_every_moving_teacher_and_a_notice_per_school() {
    let Some(browser) = chromium() else { return };
    let inst = root().join("instances/hezhang");
    let plan = tempfile::tempdir().expect("tempdir");
    for e in fs::read_dir(root().join("tests/data/report-hezhang")).expect("fixture") {
        let e = e.expect("entry");
        fs::copy(e.path(), plan.path().join(e.file_name())).expect("copy");
    }
    let (code, out) = report(&inst, plan.path(), Some("zh"));
    assert_eq!(code, 0, "{out}");
    let printed = printed_text(&browser, &plan.path().join("report.html"));
    let pages: Vec<&str> = printed.split('\u{c}').collect();
    let mut rd = csv::Reader::from_path(plan.path().join("moves.csv")).expect("moves");
    let moves: Vec<csv::StringRecord> = rd.records().map(|r| r.expect("row")).collect();
    assert_eq!(moves.len(), 257);
    // Each teacher is printed at least three times: in the move list, in the notice of the
    // school they leave and in that of the school they join.
    for m in &moves {
        let n = printed.matches(&m[0]).count();
        assert!(n >= 3, "{} printed {n} times", &m[0]);
    }
    // One notice per school that anyone leaves or joins, each starting its own page: its
    // reference line (school id · plan year, plain ASCII so that no font can hide it) is at
    // the top of a page.
    let mut schools = std::collections::BTreeSet::new();
    for m in &moves {
        schools.insert(m[1].to_string());
        schools.insert(m[2].to_string());
    }
    let tops: Vec<Vec<&str>> = pages
        .iter()
        .map(|p| {
            p.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .take(3)
                .collect()
        })
        .collect();
    for school in &schools {
        let reference = format!("{school} · {}", &moves[0][5]);
        assert!(
            tops.iter().any(|t| t.contains(&reference.as_str())),
            "the notice of {school} does not start a page"
        );
    }
    let notices = tops
        .iter()
        .filter(|t| {
            t.iter()
                .any(|l| l.ends_with(&format!(" · {}", &moves[0][5])))
        })
        .count();
    assert!(notices >= schools.len(), "{notices} notice pages");
}

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
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rotaplan"));
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
    assert!(html.contains("结对学校2 → 集团compulsory-1（初中）互派，由帮扶校派出"));
    assert!(html.contains("结对学校2 → 集团compulsory-1（初中）互派，派往帮扶校"));
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

#[test]
fn english_report_and_reasons() {
    let (_i, _p, html) = render(Some("en"));
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("<h2>Move list</h2>"));
    assert!(
        html.contains("fills the math shortage at &lt;script&gt;alert(1)&lt;/script&gt; (2 → 0)")
    );
    assert!(html.contains(
        "exchange under pairing 学校2 → group compulsory-1 (middle), sent by the helper (互派)"
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

/// The Chromium binary, or `None` when the test is told to skip it.
fn chromium() -> Option<PathBuf> {
    if std::env::var("ROTAPLAN_SKIP_BROWSER").is_ok_and(|v| v == "1") {
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
    let out = Command::new(env!("CARGO_BIN_EXE_rotaplan"))
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

//! Escaping and the page shell: inline CSS and a small inline script, nothing fetched.
//!
//! Data strings (school and teacher names, reasons from the solver) reach the page only
//! through [`esc`] (text and attribute values alike) or [`json_for_script`].

use serde_json::Value;

use super::i18n::{Key, Lang};

/// Escapes text for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON that is safe inside a `<script>` element: `<`, `>`, `&`, `'` and the two JavaScript
/// line separators become `\uXXXX` escapes, so no `</script>` or `<!--` can appear and the
/// value parses to the same data. (`"` is already escaped by JSON inside strings.)
pub fn json_for_script(v: &Value) -> String {
    let raw = serde_json::to_string(v).unwrap_or_else(|_| "null".into());
    let mut out = String::with_capacity(raw.len() + 16);
    for c in raw.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\'' => out.push_str("\\u0027"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// The whole page around `body`. `data` is exposed to the script as `REPORT`.
pub fn page(lang: Lang, title: &str, body: &str, data: &Value) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n\
<title>{title}</title>\n<script>{early}</script>\n<style>{css}</style>\n</head>\n<body>\n{body}\n\
<div id=\"tip\" role=\"tooltip\"></div>\n\
<script id=\"report-data\">const REPORT = {data};</script>\n<script>{js}</script>\n</body>\n</html>\n",
        code = lang.html_code(),
        title = esc(title),
        early = EARLY_JS,
        css = CSS,
        body = body,
        data = json_for_script(data),
        js = JS,
    )
}

/// A `<section>` with a heading.
pub fn section(id: &str, lang: Lang, heading: Key, inner: &str) -> String {
    format!(
        "<section id=\"{id}\">\n<h2>{}</h2>\n{inner}\n</section>\n",
        esc(heading.text(lang))
    )
}

/// Runs first, so errors raised anywhere later on the page are collected for the self-test.
const EARLY_JS: &str = "window.__errors=[];window.addEventListener('error',function(e){\
window.__errors.push(String(e.message||e));});";

const CSS: &str = r#"
:root{--ink:#1f2933;--muted:#616e7c;--line:#d9e2ec;--bg:#f5f7fa;--accent:#2f6fb3;--bad:#c0392b;--good:#2e8b57}
*{box-sizing:border-box}
body{margin:0;font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;color:var(--ink);background:var(--bg);font-size:14px;line-height:1.5}
header{background:#123a63;color:#fff;padding:18px 28px}
header h1{margin:0 0 4px;font-size:22px}
header .meta{opacity:.85;font-size:13px}
main{padding:12px 28px 40px;max-width:1400px;margin:0 auto}
section{background:#fff;border:1px solid var(--line);border-radius:6px;padding:12px 18px;margin:14px 0}
h2{font-size:17px;margin:4px 0 10px;color:#123a63}
h3{font-size:14px;margin:10px 0 6px}
.cards{display:flex;flex-wrap:wrap;gap:10px}
.card{flex:1 1 150px;border:1px solid var(--line);border-radius:6px;padding:8px 12px;background:#fbfcfd}
.card .v{font-size:22px;font-weight:600}
.card .k{color:var(--muted);font-size:12px}
.note{color:var(--muted);font-size:12px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef2f7;position:sticky;top:0}
th.sortable{cursor:pointer;user-select:none}
th.sortable::after{content:" \2195";color:var(--muted)}
th[data-dir="asc"]::after{content:" \2191"}
th[data-dir="desc"]::after{content:" \2193"}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.scroll{max-height:640px;overflow:auto;border:1px solid var(--line)}
.swatch{display:inline-block;width:11px;height:11px;border-radius:50%;margin-right:5px;vertical-align:-1px;border:1px solid #0003}
#map-wrap{position:relative;border:1px solid var(--line);background:#fcfdfe}
#map{width:100%;height:720px;display:block;cursor:grab}
#map .school{stroke:#fff;stroke-width:.6;vector-effect:non-scaling-stroke}
#map .school.helper{stroke:#111;stroke-width:2}
#map .school:hover{stroke:#000;stroke-width:2.5}
#map .core-ring{fill:none;stroke:#111;stroke-width:2;vector-effect:non-scaling-stroke}
#map .pairing{stroke-width:1.4;stroke-opacity:.55;vector-effect:non-scaling-stroke;fill:none}
#map .transfer{stroke:#b03a2e;stroke-width:1.6;vector-effect:non-scaling-stroke;fill:none}
#map .exchange{stroke:#6c3483;stroke-width:1.6;stroke-dasharray:5 3;vector-effect:non-scaling-stroke;fill:none}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;margin:8px 0;font-size:12px}
.legend svg{vertical-align:middle}
#tip{position:fixed;pointer-events:none;background:#fff;border:1px solid #889;border-radius:4px;padding:6px 9px;font-size:12px;box-shadow:0 2px 8px #0003;display:none;white-space:pre;z-index:10}
.charts{display:flex;flex-wrap:wrap;gap:16px}
.chart{flex:1 1 560px}
.chart svg{width:100%;height:auto}
.chart text{font-size:12px;fill:var(--ink)}
.chart .bar-before{fill:#9fb3c8}
.chart .bar-after{fill:var(--accent)}
.chart .threshold{stroke:var(--bad);stroke-width:1.5;stroke-dasharray:4 3}
.chart .over{fill:var(--bad)}
input[type=search]{width:100%;max-width:420px;padding:6px 9px;border:1px solid #9aa5b1;border-radius:4px;font-size:14px;margin:0 0 8px}
.status-optimal{color:var(--good);font-weight:600}
.status-feasible{color:#b7791f;font-weight:600}
.status-infeasible,.status-time_limit{color:var(--bad);font-weight:600}
td details summary{cursor:pointer;color:var(--ink)}
td:first-child,td:nth-child(3),td.num{white-space:nowrap}
footer{color:var(--muted);font-size:12px;text-align:center;padding:10px}
#map .township-label{fill:#243b53;font-weight:600;text-anchor:middle;paint-order:stroke;stroke:#fff;stroke-opacity:.85}
#map .school-label{fill:#334e68;paint-order:stroke;stroke:#fff;display:none}
#map.zoomed .school-label{display:inline}
.map-buttons{position:absolute;top:8px;right:8px;display:flex;flex-direction:column;gap:4px}
.map-buttons button{width:34px;height:34px;font-size:18px;border:1px solid #9aa5b1;border-radius:4px;background:#fff;cursor:pointer}
#scale{position:absolute;left:10px;bottom:8px;font-size:12px;display:flex;align-items:center;gap:6px;width:60%}
#scale .bar{display:inline-block;height:6px;border:2px solid #243b53;border-top:0;min-width:8px}
.map-policy{margin-top:6px}
.worse td,.worse-note{color:var(--bad);font-weight:600}
.notice{border-top:1px dashed var(--line);padding-top:6px;margin-top:10px}
.notice h3{font-size:15px;margin-top:2px}
.notice-ref{margin:0;color:var(--muted);font-size:11px;text-align:right}
.notice h4{font-size:13px;margin:8px 0 4px}
.print-only{display:none}
@media (max-width:700px){main{padding:8px}section{padding:8px}#map{height:70vh}header{padding:12px}}
@media print{
  @page{size:A4;margin:12mm}
  body{background:#fff;font-size:11px}
  header{background:none;color:var(--ink);padding:0 0 6px;border-bottom:2px solid var(--ink)}
  main{padding:0;max-width:none}
  section{border:0;padding:0;margin:0 0 10px}
  .scroll{max-height:none;overflow:visible;border:0}
  table{font-size:10px}
  thead{display:table-header-group}
  tr{break-inside:avoid}
  th{position:static}
  th.sortable::after{content:none}
  tr.move{display:table-row!important}
  td:first-child,td:nth-child(3),td.num{white-space:normal}
  #moves td:nth-child(2),#moves td:nth-child(3),#moves td:nth-child(4){white-space:nowrap}
  input[type=search],#move-shown,.map-buttons,.screen-only,#tip{display:none!important}
  .print-only{display:inline}
  #map{height:auto;max-height:180mm}
  #map-section,.chart{break-inside:avoid}
  #notices>h2{break-before:page}
  .notice{break-before:page;border:0;margin:0}
  .notices .notice:first-child{break-before:auto}
  footer{display:none}
}
"#;

/// Hover, filter, sort, map zoom, and the self-test marker the browser test reads.
const JS: &str = r#"
(function(){
'use strict';
var tip=document.getElementById('tip');
var schools=REPORT.schools||{};
var svg=document.getElementById('map');
if(svg){
  var pinned=false;
  function show(t,x,y){
    var s=schools[t.getAttribute('data-id')];
    if(!s)return false;
    tip.textContent=s.join('\n');tip.style.display='block';
    var w=tip.offsetWidth,h=tip.offsetHeight;
    tip.style.left=Math.max(4,Math.min(x+14,window.innerWidth-w-4))+'px';
    tip.style.top=Math.max(4,Math.min(y+14,window.innerHeight-h-4))+'px';
    return true;
  }
  function isSchool(t){return t&&t.classList&&t.classList.contains('school');}
  svg.addEventListener('mousemove',function(e){
    if(pinned)return;
    if(isSchool(e.target)&&show(e.target,e.clientX,e.clientY))return;
    tip.style.display='none';
  });
  svg.addEventListener('mouseleave',function(){if(!pinned)tip.style.display='none';});
  // A tap (or click) pins the details until the next tap elsewhere: phones have no hover.
  document.addEventListener('click',function(e){
    if(isSchool(e.target)&&show(e.target,e.clientX,e.clientY)){pinned=true;return;}
    pinned=false;tip.style.display='none';
  });
  var vb0=svg.getAttribute('viewBox').split(/\s+/).map(Number),vb=vb0.slice(),drag=null;
  var scale=document.getElementById('scale');
  function apply(){
    svg.setAttribute('viewBox',vb.join(' '));
    svg.classList.toggle('zoomed',vb[2]<vb0[2]/2.5);
    if(scale){
      var r=svg.getBoundingClientRect();
      if(r.width>0&&r.height>0){
        var px=Math.min(r.width/vb[2],r.height/vb[3]),want=110/px,p=Math.pow(10,Math.floor(Math.log10(want)));
        var km=[5*p,2*p,p].filter(function(l){return l<=want;})[0]||p;
        scale.querySelector('.bar').style.width=(km*px)+'px';
        scale.querySelector('.label').textContent=(+km.toPrecision(3))+' km';
      }
    }
  }
  function zoom(k,cx,cy){
    var px=vb[0]+cx*vb[2],py=vb[1]+cy*vb[3];
    vb=[px-(px-vb[0])*k,py-(py-vb[1])*k,vb[2]*k,vb[3]*k];apply();
  }
  svg.addEventListener('wheel',function(e){
    e.preventDefault();
    var r=svg.getBoundingClientRect();
    zoom(e.deltaY<0?0.8:1.25,(e.clientX-r.left)/r.width,(e.clientY-r.top)/r.height);
  },{passive:false});
  document.querySelectorAll('.map-buttons button').forEach(function(b){
    b.addEventListener('click',function(e){
      e.stopPropagation();
      var z=b.getAttribute('data-zoom');
      if(z==='reset'){vb=vb0.slice();apply();}else zoom(z==='in'?0.6:1/0.6,0.5,0.5);
    });
  });
  function start(x,y){drag=[x,y,vb[0],vb[1]];}
  function move(x,y){
    if(!drag)return;var r=svg.getBoundingClientRect();
    vb[0]=drag[2]-(x-drag[0])/r.width*vb[2];vb[1]=drag[3]-(y-drag[1])/r.height*vb[3];apply();
  }
  svg.addEventListener('mousedown',function(e){start(e.clientX,e.clientY);});
  window.addEventListener('mouseup',function(){drag=null;});
  window.addEventListener('mousemove',function(e){move(e.clientX,e.clientY);});
  svg.addEventListener('touchstart',function(e){if(e.touches.length===1)start(e.touches[0].clientX,e.touches[0].clientY);},{passive:true});
  svg.addEventListener('touchmove',function(e){if(drag&&e.touches.length===1){e.preventDefault();move(e.touches[0].clientX,e.touches[0].clientY);}},{passive:false});
  svg.addEventListener('touchend',function(){drag=null;});
  svg.addEventListener('dblclick',function(){vb=vb0.slice();apply();});
  window.addEventListener('resize',apply);
  apply();
}
var table=document.getElementById('moves');
var filter=document.getElementById('move-filter');
var shown=document.getElementById('move-shown');
function refresh(){
  if(!table)return;
  var q=(filter&&filter.value||'').trim().toLowerCase(),rows=table.tBodies[0].rows,n=0;
  for(var i=0;i<rows.length;i++){
    var hit=!q||rows[i].textContent.toLowerCase().indexOf(q)>=0;
    rows[i].style.display=hit?'':'none';if(hit)n++;
  }
  if(shown)shown.textContent=REPORT.text.shown.replace('{0}',n).replace('{1}',rows.length);
}
if(filter)filter.addEventListener('input',refresh);
document.querySelectorAll('table.sortable-table').forEach(function(tb){
  var ths=tb.tHead.rows[0].cells;
  for(var c=0;c<ths.length;c++)(function(col,th){
    th.classList.add('sortable');
    th.addEventListener('click',function(){
      var dir=th.getAttribute('data-dir')==='asc'?'desc':'asc';
      for(var j=0;j<ths.length;j++)ths[j].removeAttribute('data-dir');
      th.setAttribute('data-dir',dir);
      var body=tb.tBodies[0],rows=Array.prototype.slice.call(body.rows);
      var num=th.classList.contains('num');
      rows.sort(function(a,b){
        var x=a.cells[col].getAttribute('data-sort')||a.cells[col].textContent;
        var y=b.cells[col].getAttribute('data-sort')||b.cells[col].textContent;
        var r=num?(parseFloat(x)||0)-(parseFloat(y)||0):x.localeCompare(y,document.documentElement.lang);
        return dir==='asc'?r:-r;
      });
      rows.forEach(function(r){body.appendChild(r);});
    });
  })(c,ths[c]);
});
refresh();
function selftest(){
  document.body.setAttribute('data-selftest',JSON.stringify({
    errors:window.__errors,
    schools:document.querySelectorAll('#map .school').length,
    moves:document.querySelectorAll('tr.move').length,
    scripts:document.scripts.length,
    script_ran:true
  }));
}
if(document.readyState==='complete')selftest();else window.addEventListener('load',selftest);
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn esc_neutralises_markup_in_text_and_attributes() {
        assert_eq!(
            esc("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(esc(r#"a"b'c&d"#), "a&quot;b&#39;c&amp;d");
        assert_eq!(esc("第一小学"), "第一小学");
    }

    #[test]
    fn json_for_script_cannot_close_the_script_and_round_trips() {
        let v = serde_json::json!({"name": "</script><script>alert('x')</script> & <!--", "z": "\u{2028}"});
        let s = json_for_script(&v);
        for bad in ["</", "<!--", "<", ">", "&", "'", "\u{2028}"] {
            assert!(!s.contains(bad), "{bad:?} in {s}");
        }
        let back: Value = serde_json::from_str(&s).expect("still JSON");
        assert_eq!(back, v);
    }

    #[test]
    fn page_keeps_data_out_of_markup() {
        let data = serde_json::json!({"x": "</script>"});
        let html = page(Lang::En, "<b>t</b>", "<p>body</p>", &data);
        assert!(html.contains("<title>&lt;b&gt;t&lt;/b&gt;</title>"));
        assert_eq!(
            html.matches("</script>").count(),
            3,
            "only the page's own scripts close"
        );
        assert!(!html.contains("http://") && !html.contains("https://"));
    }
}

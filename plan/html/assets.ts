// The page's inline CSS and script: no network, nothing fetched (a review page opened from a CI artifact).
import type { AccessDecision } from "../types";

/** The grid's colours by decision and mark; tests/html-page.spec.ts reads a real browser's computed styles against these. */
export const PALETTE: Record<AccessDecision | "mixed" | "breach" | "warning", string> = {
  Allowed: "#b7e4c7",
  ExplicitlyDenied: "#a9c8f0",
  ImplicitlyDenied: "#eceff3",
  mixed: "#f3e3b3",
  breach: "#e5484d",
  warning: "#f5c451",
};

export const VERDICT_COLOUR: Record<"breach" | "accepted-limit" | "designed", string> = { breach: "#e5484d", "accepted-limit": "#e08a1e", designed: "#3a9a5b" };

export const CSS = `
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2430;background:#fff}
header{padding:14px 20px;color:#fff}
header.pass{background:#2f7d4a}header.fail{background:#b3261e}
header h1{font-size:18px;margin:0}
main{padding:8px 20px 40px}
h2{font-size:16px;margin:24px 0 6px;border-bottom:1px solid #d5dae1;padding-bottom:4px}
.basis{color:#5a6472;font-size:12px;margin:0 0 8px}
table.grid{border-collapse:collapse;font-size:12px}
table.grid th{font-weight:600;padding:2px 4px;text-align:center;vertical-align:bottom}
table.grid th.label{text-align:left;white-space:nowrap;font-weight:normal}
table.grid th.group{border-left:2px solid #fff}
td.cell{width:26px;height:22px;text-align:center;cursor:pointer;border:1px solid #fff;font-weight:600}
td.cell:focus,td.cell.open{outline:2px solid #1d2430}
td.Allowed{background:${PALETTE.Allowed}}td.ExplicitlyDenied{background:${PALETTE.ExplicitlyDenied}}
td.ImplicitlyDenied{background:${PALETTE.ImplicitlyDenied}}td.mixed{background:${PALETTE.mixed}}
td.warning{background:${PALETTE.warning}}td.breach{background:${PALETTE.breach};color:#fff}
td.none{background:transparent;cursor:default}
.legend span{display:inline-block;padding:1px 6px;margin-right:6px;border-radius:3px;font-size:12px}
#details{position:sticky;bottom:0;background:#f7f9fb;border-top:2px solid #1d2430;padding:8px 20px;display:none;max-height:40vh;overflow:auto}
#details.show{display:block}
#details .row{font-family:ui-monospace,Menlo,monospace;font-size:12px;margin:3px 0}
.bad{color:#b3261e;font-weight:600}.warn{color:#8a5a00;font-weight:600}
svg text{font-size:11px;font-family:system-ui,sans-serif}
svg .node rect{fill:#f7f9fb;stroke:#5a6472}
svg .node.goal rect{fill:#1d2430}svg .node.goal text{fill:#fff}
ul.tree{list-style:none;padding-left:16px;font-size:12px}ul.tree li{margin:1px 0}
.mono{font-family:ui-monospace,Menlo,monospace;font-size:12px}
table.list{border-collapse:collapse;font-size:12px}table.list td,table.list th{border-bottom:1px solid #e3e7ec;padding:3px 6px;text-align:left;vertical-align:top}
`;

/** Opens a cell's deciding statements in the details panel; Escape closes it. */
export const SCRIPT = `
(function(){
  var rows=JSON.parse(document.getElementById('rows').textContent);
  var panel=document.getElementById('details');
  function show(td){
    document.querySelectorAll('td.cell.open').forEach(function(x){x.classList.remove('open')});
    td.classList.add('open');
    var ids=td.getAttribute('data-rows').split(',').map(Number);
    panel.innerHTML='';
    var h=document.createElement('h3');h.textContent=td.getAttribute('data-label')+' \\u2014 '+td.getAttribute('data-col');panel.appendChild(h);
    ids.forEach(function(i){var r=rows[i];var d=document.createElement('div');d.className='row';
      d.textContent=(r.mark?r.mark.toUpperCase()+' ':'')+r.decision+(r.expected?' (expected '+r.expected+')':'')+'  '+r.action+' '+r.target+'  <- '+r.by;
      if(r.mark)d.classList.add(r.mark==='breach'?'bad':'warn');panel.appendChild(d);});
    panel.classList.add('show');
  }
  document.querySelectorAll('td.cell[data-rows]').forEach(function(td){
    td.addEventListener('click',function(){show(td)});
    td.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' '){e.preventDefault();show(td)}});
  });
  document.addEventListener('keydown',function(e){if(e.key==='Escape')panel.classList.remove('show')});
})();
`;

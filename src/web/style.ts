/** The page's styles: two columns on a wide screen, one on a phone. Colours follow the screen's nord theme. */
export const css = `
:root { color-scheme: dark; --bg:#2e3440; --panel:#3b4252; --line:#4c566a; --text:#eceff4; --dim:#a3abb9; --accent:#88c0d0; --ok:#a3be8c; --warn:#ebcb8b; --bad:#bf616a; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--text); font: 14px/1.45 system-ui, sans-serif; }
header { display:flex; flex-wrap:wrap; gap:.75rem; align-items:center; padding:.5rem .75rem; border-bottom:1px solid var(--line); }
header h1 { font-size:1rem; margin:0; }
.dim { color:var(--dim); } .ok { color:var(--ok); } .warn { color:var(--warn); } .bad { color:var(--bad); }
.layout { display:grid; grid-template-columns: minmax(16rem, 22rem) 1fr; gap:.75rem; padding:.75rem; }
@media (max-width: 720px) { .layout { grid-template-columns: 1fr; padding:.5rem; } }
section { background:var(--panel); border-radius:6px; padding:.5rem .75rem; margin-bottom:.75rem; min-width:0; }
h2 { font-size:.85rem; text-transform:uppercase; letter-spacing:.05em; color:var(--dim); margin:.25rem 0 .5rem; }
h3 { font-size:.8rem; color:var(--accent); margin:.5rem 0 .25rem; }
ul { list-style:none; margin:0; padding:0; }
li button.row { all:unset; cursor:pointer; display:block; width:100%; padding:.25rem .35rem; border-radius:4px; overflow-wrap:anywhere; }
li button.row:hover, li button.row[aria-current="true"] { background:var(--line); }
button, input, textarea, select { font:inherit; color:inherit; background:var(--bg); border:1px solid var(--line); border-radius:4px; padding:.35rem .6rem; }
button { cursor:pointer; } button:hover { border-color:var(--accent); }
.actions { display:flex; flex-wrap:wrap; gap:.4rem; margin:.5rem 0; }
.transcript { max-height:60vh; overflow:auto; }
.block { white-space:pre-wrap; overflow-wrap:anywhere; padding:.3rem 0; border-bottom:1px solid var(--line); }
.block.user { color:var(--accent); } .block.system, .block.skipped { color:var(--dim); }
.block details summary { cursor:pointer; color:var(--dim); }
.pending { border:1px solid var(--warn); border-radius:6px; padding:.5rem; margin:.5rem 0; }
pre.diff { white-space:pre-wrap; overflow-wrap:anywhere; max-height:50vh; overflow:auto; font-size:12px; }
form.inline { display:flex; gap:.4rem; } form.inline input { flex:1; min-width:0; }
`

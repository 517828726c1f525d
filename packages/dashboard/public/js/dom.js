// DOM helpers: h()/svg() element builders (attributes and text only, never markup), fill(), $() and cls().
/*
 * Security: everything that comes from the API (finding messages, files,
 * rule ids, bot and repository names, alert messages …) reaches the DOM only
 * as text — through h()/svg() (createTextNode, setAttribute) or textContent —
 * never as HTML. The server's CSP forbids inline scripts and styles, so the
 * page sets no style attributes either: the looks are classes in app.css.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Sets attributes (functions under on* become listeners) and appends children as nodes or text. */
function build(el, attrs, children) {
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (/^on/i.test(k)) {
      if (typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
      continue; // never an inline handler attribute
    }
    el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

/** Appends children: nodes as they are, anything else as a text node; null/undefined/false are skipped. */
function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
}

/** An HTML element: h('td', { class: 'msg' }, finding.message). */
export const h = (tag, attrs, ...children) => build(document.createElement(tag), attrs, children);
/** An SVG element. */
export const svg = (tag, attrs, ...children) => build(document.createElementNS(SVG_NS, tag), attrs, children);
/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}
export const $ = (id) => document.getElementById(id);
/** A value from the API made safe to use in a class name. */
export const cls = (v) => String(v ?? 'unknown').replace(/[^A-Za-z0-9_-]/g, '');

// Building the page from data without ever parsing data as HTML: elements are made with the DOM
// API and every text, however hostile, goes in as a text node.

/** An element with attributes (names fixed by the console's code) and children (nodes or text). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name === 'class') {
      element.className = value;
    } else if (name.startsWith('on')) {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'href') {
      throw new Error('links are made with route() or external()');
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child !== undefined && child !== null && child !== false) {
      element.append(child instanceof Node ? child : String(child));
    }
  }
  return element;
}

/** A link inside the console: each part of the route is encoded, so no value leaves the hash. */
export function route(parts, text) {
  const link = document.createElement('a');
  link.href = '#/' + parts.map(encodeURIComponent).join('/');
  link.textContent = text;
  return link;
}

/** A link to a URL the platform reported: only http and https are links, anything else stays text. */
export function external(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return h('span', { class: 'mono' }, url);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return h('span', { class: 'mono' }, url);
  }
  const link = document.createElement('a');
  link.href = parsed.href;
  link.rel = 'noopener noreferrer';
  link.target = '_blank';
  link.textContent = url;
  return link;
}

export function time(value) {
  if (!value) {
    return '';
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString();
}

export function duration(millis) {
  if (millis === null || millis === undefined || millis < 0) {
    return '';
  }
  return millis < 60000 ? `${(millis / 1000).toFixed(1)} s`
    : `${Math.floor(millis / 60000)} min ${Math.round((millis % 60000) / 1000)} s`;
}

export function table(headings, rows) {
  return h('table', {}, h('thead', {}, h('tr', {}, headings.map((heading) => h('th', {}, heading)))),
    h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((cell) => h('td', {}, cell))))));
}

export function replace(parent, ...children) {
  parent.replaceChildren(...children.flat().filter((child) => child !== null && child !== undefined));
}

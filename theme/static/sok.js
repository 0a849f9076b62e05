// Search with Pagefind: results as you type, filters, sorting. A query first asks the finder (hitta.js) for the
// kommuner whose name, orter or postal codes it matches, listed on top as "Kommun: …"; Pagefind's results follow,
// without the pages of those kommuner, so that each thing is found once. Without JavaScript the page still offers
// the A–Ö list of kommuner and every page; this script only adds to it. No inline script, no other host (see the
// CSP).

import { KIND, REASONS, find, makeIndex } from "./hitta.js";

const FILTERS = [
  ["kommun", "Kommun"],
  ["län", "Län"],
  ["år", "År"],
  ["fokusområde", "Fokusområde"],
  ["ansvar", "Ansvar"],
  ["status", "Status"],
];
const SORTS = [
  ["", "Bäst träff först"],
  ["desc", "Nyast först"],
  ["asc", "Äldst först"],
];
const MAX_RESULTS = 30;
const MAX_KOMMUNER = 10;
const DELAY_MS = 250;

const form = document.getElementById("sok");
const input = document.getElementById("sok-fraga");
const count = document.getElementById("sok-antal");
const list = document.getElementById("sok-resultat");
const filterBox = document.getElementById("sok-filter");
const base = form.dataset.base;
const pageTitle = document.title;
let finderIndex;

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

// Pagefind's excerpt marks the hits with <mark>; keep those and treat everything else as text.
function excerpt(html) {
  const parsed = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html").body.firstChild;
  const out = element("p", { class: "excerpt" });
  for (const node of parsed.childNodes) {
    out.append(node.nodeName === "MARK" ? element("mark", {}, node.textContent) : node.textContent);
  }
  return out;
}

function selectedFilters() {
  const chosen = {};
  for (const box of filterBox.querySelectorAll("input[type=checkbox]:checked")) {
    (chosen[box.name] ??= { any: [] }).any.push(box.value);
  }
  return chosen;
}

function renderFilters(available) {
  FILTERS.forEach(([name, label], group) => {
    const values = Object.entries(available[name] ?? {}).sort(([a], [b]) => a.localeCompare(b, "sv"));
    if (!values.length) return;
    const items = values.map(([value, hits], index) => {
      const id = `filter-${group}-${index}`;
      return element(
        "li",
        {},
        element("input", { type: "checkbox", id, name, value }),
        " ",
        element("label", { for: id }, `${value} (${hits})`),
      );
    });
    filterBox.append(element("fieldset", {}, element("legend", {}, label), element("ul", {}, ...items)));
  });
  const select = element("select", { id: "sok-sortering", name: "sortering" });
  for (const [value, label] of SORTS) select.append(element("option", { value }, label));
  filterBox.append(element("p", {}, element("label", { for: "sok-sortering" }, "Sortera "), select));
}

function resultItem(data) {
  const meta = [data.meta.kommun, data.meta.period ?? data.meta.län].filter(Boolean).join(" · ");
  const item = element(
    "li",
    {},
    element("h2", {}, element("a", { href: data.url }, data.meta.title || data.url)),
    element("p", { class: "result-meta" }, meta),
  );
  if (data.meta.läget) item.append(element("p", { class: "result-status" }, `Läget: ${data.meta.läget}`));
  item.append(excerpt(data.excerpt));
  const subs = (data.sub_results ?? []).filter((sub) => sub.url !== data.url && sub.url.includes("#uppfoljning-"));
  if (subs.length) {
    item.append(
      element(
        "ul",
        { class: "sub-results" },
        ...subs.slice(0, 3).map((sub) => element("li", {}, element("a", { href: sub.url }, sub.title), excerpt(sub.excerpt))),
      ),
    );
  }
  return item;
}

function kommunItem(match) {
  return element(
    "li",
    { class: "result-kommun" },
    element("h2", {}, element("a", { href: match.href }, `Kommun: ${match.name}`)),
    element("p", { class: "result-meta" }, REASONS[match.kind](match)),
  );
}

// The finder's index, fetched at the first query; null if it cannot be, since Pagefind's results still answer.
function loadIndex() {
  finderIndex ??= fetch(form.dataset.index)
    .then((response) => {
      if (!response.ok) throw new Error(`${response.url}: ${response.status}`);
      return response.json();
    })
    .then(makeIndex)
    .catch((error) => {
      console.warn(error);
      return null;
    });
  return finderIndex;
}

// The kommuner a query names, by name, ort or postal code.
async function kommunerFor(term) {
  const index = await loadIndex();
  return index ? find(index, term) : [];
}

function hitsText(total) {
  if (total === 0) return "Inga träffar";
  return total === 1 ? "1 träff" : `${total} träffar`;
}

function countText(total, shown, term) {
  const what = term ? ` för ”${term}”` : "";
  const text = `${hitsText(total)}${what}.`;
  return shown < total ? `${text} De ${shown} bästa visas.` : text;
}

// "trafik – 3 träffar – Sök – Medborgarlöften": the tab and the history say what was searched and found.
function titleText(total, term) {
  return [term, hitsText(total), pageTitle].filter(Boolean).join(" – ");
}

async function main() {
  document.getElementById("sok-utan-js").hidden = true;
  document.getElementById("sok-med-js").hidden = false;
  const pagefind = await import(`${base}pagefind/pagefind.js`);
  await pagefind.options({ baseUrl: base, excerptLength: 24 });
  await pagefind.init();
  renderFilters(await pagefind.filters());

  let latest = 0;
  async function run() {
    const term = input.value.trim();
    const filters = selectedFilters();
    const sortOrder = document.getElementById("sok-sortering").value;
    const url = new URL(window.location.href);
    if (term) url.searchParams.set("q", term);
    else url.searchParams.delete("q");
    history.replaceState(null, "", url);
    const filtered = Object.keys(filters).length > 0;
    if (!term && !filtered) {
      list.replaceChildren();
      count.textContent = "";
      document.title = pageTitle;
      return;
    }
    const ticket = ++latest;
    // The finder's kommuner are no promises: a filter, which narrows the promises, leaves them out.
    const kommuner = term && !filtered ? await kommunerFor(term) : [];
    const codes = kommuner.map((match) => match.code);
    const answered = codes.length ? { [form.dataset.kommunsida]: { none: codes } } : {};
    // A whole postal code is the finder's alone: in the pages' text its digits would only match other numbers.
    const search =
      kommuner[0]?.kind === KIND.POSTNUMMER
        ? { results: [] }
        : await pagefind.search(term || null, {
            filters: { ...filters, ...answered },
            sort: sortOrder ? { datum: sortOrder } : undefined,
          });
    const data = await Promise.all(search.results.slice(0, MAX_RESULTS).map((result) => result.data()));
    if (ticket !== latest) return; // a newer search has started: its results win
    const places = kommuner.slice(0, MAX_KOMMUNER);
    list.replaceChildren(...places.map(kommunItem), ...data.map(resultItem));
    const total = kommuner.length + search.results.length;
    count.textContent = countText(total, places.length + data.length, term);
    document.title = titleText(total, term);
  }

  let timer;
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(run, DELAY_MS);
  };
  input.addEventListener("input", soon);
  filterBox.addEventListener("change", run);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  // Search for what the address asks for, or for what was typed while the index was loading.
  const query = new URLSearchParams(window.location.search).get("q");
  if (query && !input.value) input.value = query;
  if (input.value.trim()) await run();
}

main().catch((error) => {
  document.getElementById("sok-utan-js").hidden = false;
  count.textContent = "Sökningen kunde inte laddas.";
  console.error(error);
});

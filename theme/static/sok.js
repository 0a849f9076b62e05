// Search with Pagefind: results as you type, filters, sorting. Without JavaScript the page still offers the A–Ö
// list of kommuner and every page; this script only adds to it. No inline script, no other host (see the CSP).

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
const DELAY_MS = 250;

const form = document.getElementById("sok");
const input = document.getElementById("sok-fraga");
const count = document.getElementById("sok-antal");
const list = document.getElementById("sok-resultat");
const filterBox = document.getElementById("sok-filter");
const base = form.dataset.base;

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
  const meta = [data.meta.kommun, data.meta.period].filter(Boolean).join(" · ");
  const item = element(
    "li",
    {},
    element("h2", {}, element("a", { href: data.url }, data.meta.title || data.url)),
    element("p", { class: "result-meta" }, meta),
    excerpt(data.excerpt),
  );
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

function countText(total, shown, term) {
  const what = term ? ` för ”${term}”` : "";
  if (total === 0) return `Inga träffar${what}.`;
  const hits = total === 1 ? "1 träff" : `${total} träffar`;
  return shown < total ? `${hits}${what}. De ${shown} bästa visas.` : `${hits}${what}.`;
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
    if (!term && !Object.keys(filters).length) {
      list.replaceChildren();
      count.textContent = "";
      return;
    }
    const ticket = ++latest;
    const search = await pagefind.search(term || null, {
      filters,
      sort: sortOrder ? { datum: sortOrder } : undefined,
    });
    const data = await Promise.all(search.results.slice(0, MAX_RESULTS).map((result) => result.data()));
    if (ticket !== latest) return; // a newer search has started: its results win
    list.replaceChildren(...data.map(resultItem));
    count.textContent = countText(search.results.length, data.length, term);
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

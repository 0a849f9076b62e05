// Hitta din kommun: places.py's `find` over the JSON file its `finder_payload` writes, answering a query with the
// same kommuner in the same order as Python does (the tests compare the two), and the front page's field as a
// WAI-ARIA 1.2 combobox with a listbox popup. The index is fetched from the site itself at the field's first focus
// or input. Without JavaScript the form leads to the A–Ö list below it, which also gives each kommun's state; the
// options repeat that state from the list. The search page (sok.js) imports the finder as a module.

export const KIND = { KOMMUN: 0, ORT: 1, POSTNUMMER: 2, POSTNUMMEROMRADE: 3 };
const POSTAL_DIGITS = 5;
const SHORTEST_PREFIX = 3;
const MAX_OPTIONS = 10;
const ANNOUNCE_DELAY_MS = 400;
const SORT_TABLE = { å: "z{", ä: "z|", ö: "z}", é: "e", ü: "y" };

// As places.fold: lower case, å ä ö é as a a o e, any other marks as single spaces.
export function fold(text) {
  return text.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "").match(/[0-9a-z]+/g)?.join(" ") ?? "";
}

// As swedish.sort_key (Å, Ä and Ö after Z): the order places.py keeps the orter in, which decides between two orter
// of one kommun that match a query equally well. The file's keys are in code point order instead.
function swedishKey(name) {
  return [...name.toLowerCase()].map((char) => SORT_TABLE[char] ?? char).join("");
}

function byCodePoint(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

// The payload of places.Places.payload, unpacked: kommuner by position, every name a query can match, postal runs.
export function makeIndex(data) {
  const kommuner = data.kommuner.map(([code, name, official, href]) => ({ code, name, official, href }));
  const names = [];
  kommuner.forEach((kommun, position) => {
    for (const text of new Set([kommun.name, kommun.official])) {
      names.push({ text, folded: fold(text), kind: KIND.KOMMUN, positions: [position] });
    }
  });
  const orter = Object.entries(data.orter).sort(
    ([a], [b]) => byCodePoint(swedishKey(a), swedishKey(b)) || byCodePoint(a, b),
  );
  for (const [ort, where] of orter) {
    names.push({ text: ort, folded: fold(ort), kind: KIND.ORT, positions: Array.isArray(where) ? where : [where] });
  }
  const runs = [];
  let previous = 0;
  for (let i = 0; i < data.postnummer.length; i += 3) {
    const first = previous + data.postnummer[i];
    const last = first + data.postnummer[i + 1];
    runs.push({ first, last, position: data.postnummer[i + 2] });
    previous = last;
  }
  return { kommuner, names, runs };
}

function postalCode(digits) {
  return digits.length <= SHORTEST_PREFIX ? digits : `${digits.slice(0, 3)} ${digits.slice(3)}`;
}

function match(index, position, kind, text) {
  return { ...index.kommuner[position], position, kind, text };
}

function byPostalCode(index, digits) {
  if (digits.length === POSTAL_DIGITS) {
    const value = Number(digits);
    let low = 0;
    let high = index.runs.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (index.runs[middle].first <= value) low = middle + 1;
      else high = middle;
    }
    const run = low > 0 ? index.runs[low - 1] : null;
    if (run && value <= run.last) return [match(index, run.position, KIND.POSTNUMMER, postalCode(digits))];
    const four = byPostalCode(index, digits.slice(0, 4));
    return four.length ? four : byPostalCode(index, digits.slice(0, 3));
  }
  if (digits.length < SHORTEST_PREFIX || digits.length >= POSTAL_DIGITS) return [];
  const width = 10 ** (POSTAL_DIGITS - digits.length);
  const low = Number(digits) * width;
  const high = (Number(digits) + 1) * width - 1;
  const positions = new Set(index.runs.filter((run) => run.first <= high && run.last >= low).map((r) => r.position));
  return [...positions]
    .sort((a, b) => a - b)
    .map((position) => match(index, position, KIND.POSTNUMMEROMRADE, postalCode(digits)));
}

// 0 for the whole name as typed, 1 for the whole name without its diacritics, 2 for its start, 3 for the start of a
// later word in it; null when it does not match.
function rank(name, folded, typed) {
  if (name.folded === folded) return name.text.toLowerCase() === typed ? 0 : 1;
  if (name.folded.startsWith(folded)) return 2;
  return ` ${name.folded}`.includes(` ${folded}`) ? 3 : null;
}

function compare(a, b) {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

function byName(index, query, folded) {
  const typed = query.trim().toLowerCase();
  const best = new Map();
  for (const name of index.names) {
    const r = rank(name, folded, typed);
    if (r === null) continue;
    for (const position of name.positions) {
      const key = [r, name.kind, position];
      const known = best.get(position);
      if (!known || compare(key, known.key) < 0) {
        best.set(position, { key, match: match(index, position, name.kind, name.text) });
      }
    }
  }
  return [...best.values()].sort((a, b) => compare(a.key, b.key)).map((entry) => entry.match);
}

// The kommuner that answer a query, best first, each once (as places.Places.find), as {code, name, official, href,
// position, kind, text}, `text` being what matched.
export function find(index, query) {
  const folded = fold(query);
  const digits = folded.replaceAll(" ", "");
  if (/^\d+$/.test(digits)) return byPostalCode(index, digits);
  return folded ? byName(index, query, folded) : [];
}

// Why a kommun answers a query, in words: the search page shows it under the kommun's name, the front page's field
// beside it where the name alone is not the answer.
export const REASONS = {
  [KIND.KOMMUN]: (match) => match.official,
  [KIND.ORT]: (match) => `Ort: ${match.text}`,
  [KIND.POSTNUMMER]: (match) => `Postnummer: ${match.text}`,
  [KIND.POSTNUMMEROMRADE]: (match) => `Postnummer som börjar på ${match.text}`,
};

function countText(total, query) {
  if (!total) return `Ingen kommun passar ”${query.trim()}”.`;
  const found = total === 1 ? "1 kommun passar." : `${total} kommuner passar.`;
  return total > MAX_OPTIONS ? `${found} De ${MAX_OPTIONS} första visas; skriv mer för att se färre.` : found;
}

// Each kommun's state as the A–Ö list on the page words it, by the address of its link.
function statesFromList() {
  const states = new Map();
  for (const state of document.querySelectorAll("#a-o [data-state]")) {
    const link = state.closest("li")?.querySelector("a[href]");
    if (link) states.set(link.getAttribute("href"), state.textContent);
  }
  return states;
}

function setup(form) {
  const input = form.querySelector("[name=kommun]");
  const listbox = document.getElementById("hitta-forslag");
  const status = document.getElementById("hitta-antal");
  const states = statesFromList();
  let index = null;
  let loading = null;
  let matches = [];
  let active = -1;
  let announcement = 0;

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listbox.id);

  function load() {
    loading ??= fetch(form.dataset.index)
      .then((response) => {
        if (!response.ok) throw new Error(`${response.status}`);
        return response.json();
      })
      .then((data) => {
        index = makeIndex(data);
      })
      .catch(() => {
        loading = null;
        status.textContent = "Sökningen kunde inte laddas. Använd listan med alla kommuner A–Ö längre ned.";
      });
    return loading;
  }

  function option(found, i) {
    const item = document.createElement("li");
    item.id = `hitta-val-${i}`;
    item.setAttribute("role", "option");
    item.setAttribute("aria-selected", "false");
    const name = document.createElement("span");
    name.className = "finder-name";
    name.textContent = found.name;
    item.append(name);
    if (found.kind !== KIND.KOMMUN) item.append(` (${REASONS[found.kind](found)})`);
    const state = states.get(found.href);
    if (state) {
      const detail = document.createElement("span");
      detail.className = "finder-state";
      detail.textContent = ` – ${state}`;
      item.append(detail);
    }
    item.addEventListener("click", () => go(found));
    return item;
  }

  function setOpen(open) {
    listbox.hidden = !open;
    input.setAttribute("aria-expanded", String(open));
    if (!open) setActive(-1);
  }

  function setActive(i) {
    active = i;
    listbox.querySelectorAll("[role=option]").forEach((item, n) => item.setAttribute("aria-selected", String(n === i)));
    if (i < 0) {
      input.removeAttribute("aria-activedescendant");
      return;
    }
    const item = document.getElementById(`hitta-val-${i}`);
    input.setAttribute("aria-activedescendant", item.id);
    item.scrollIntoView({ block: "nearest" });
  }

  function announce(text) {
    clearTimeout(announcement);
    announcement = setTimeout(() => {
      status.textContent = text;
    }, ANNOUNCE_DELAY_MS);
  }

  function update() {
    if (!index) return;
    const query = input.value;
    matches = query.trim() ? find(index, query) : [];
    listbox.replaceChildren(...matches.slice(0, MAX_OPTIONS).map(option));
    setOpen(matches.length > 0);
    announce(query.trim() ? countText(matches.length, query) : "");
  }

  function go(found) {
    window.location.assign(found.href);
  }

  function shown() {
    return Math.min(matches.length, MAX_OPTIONS);
  }

  input.addEventListener("focus", load);
  input.addEventListener("input", () => load().then(update));
  input.addEventListener("blur", () => setOpen(false));
  // A press on an option keeps the focus in the field, so that the click that follows can choose it.
  listbox.addEventListener("mousedown", (event) => event.preventDefault());

  input.addEventListener("keydown", (event) => {
    const open = !listbox.hidden;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!shown()) return;
      event.preventDefault();
      if (!open) setOpen(true);
      const step = event.key === "ArrowDown" ? 1 : -1;
      const start = active < 0 ? (step > 0 ? -1 : shown()) : active;
      setActive((start + step + shown()) % shown());
    } else if (event.key === "Escape") {
      event.preventDefault();
      if (open) setOpen(false);
      else {
        input.value = "";
        matches = [];
        listbox.replaceChildren();
        announce("");
      }
    }
  });

  // Enter, or the button: the chosen option, else the only one; with several, the first is marked to choose from.
  // Without an index or an answer the form does what it does without JavaScript: it shows the A–Ö list.
  form.addEventListener("submit", (event) => {
    if (!index || !matches.length) return;
    event.preventDefault();
    if (active >= 0 && !listbox.hidden) go(matches[active]);
    else if (matches.length === 1) go(matches[0]);
    else {
      setOpen(true);
      setActive(0);
    }
  });
}

const form = document.getElementById("hitta");
if (form) setup(form);

// Hitta din kommun in the browser: places.py's `find` over the JSON file its `finder_payload` writes, answering a
// query with the same kommuner in the same order as Python does (tests/test_search.py compares the two).

export const KIND = { KOMMUN: 0, ORT: 1, POSTNUMMER: 2, POSTNUMMEROMRADE: 3 };
const POSTAL_DIGITS = 5;
const SHORTEST_PREFIX = 3;
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

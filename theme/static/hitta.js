// Hitta din kommun in the browser: the twin of medborgarlofte/places.py's `find`, over the JSON file its
// `finder_payload` writes (the build puts it at sok/orter.json). The same query gives the same kommuner in the same
// order as in Python; tests/test_search.py compares the two.

const KINDS = ["kommun", "ort", "postnummer", "postnummerområde"];
const POSTAL_CODE_DIGITS = 5;
const SHORTEST_POSTAL_PREFIX = 3;
const SORT_TABLE = { å: "z{", ä: "z|", ö: "z}", é: "e", ü: "y" };

// Lower case, å ä ö é as a a o e, any other marks as single spaces: places.py's `fold`.
export function fold(text) {
  return text.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "").match(/[0-9a-z]+/g)?.join(" ") ?? "";
}

// Å, Ä and Ö after Z: swedish.py's `sort_key`, the order in which places.py lists the orter.
function swedishKey(name) {
  return [...name.toLowerCase()].map((char) => SORT_TABLE[char] ?? char).join("");
}

function byCodePoint(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

function formatPostalCode(digits) {
  return digits.length <= SHORTEST_POSTAL_PREFIX ? digits : `${digits.slice(0, 3)} ${digits.slice(3)}`;
}

// 0 for the whole name spelt as typed, 1 for the whole name without its diacritics, 2 for its start, 3 for the start
// of a later word in it; null when it does not match.
function nameRank(name, folded, typed) {
  if (name.folded === folded) return name.text.toLowerCase() === typed ? 0 : 1;
  if (name.folded.startsWith(folded)) return 2;
  return ` ${name.folded}`.includes(` ${folded}`) ? 3 : null;
}

class Finder {
  constructor(payload) {
    this.kommuner = payload.kommuner.map(([code, name, officialName, href]) => ({ code, name, officialName, href }));
    this.names = [];
    this.kommuner.forEach((kommun, position) => {
      for (const text of new Set([kommun.name, kommun.officialName])) this.names.push(this.name(text, 0, [position]));
    });
    const orter = Object.entries(payload.orter).sort(
      ([a], [b]) => byCodePoint(swedishKey(a), swedishKey(b)) || byCodePoint(a, b),
    );
    for (const [ort, at] of orter) this.names.push(this.name(ort, 1, Array.isArray(at) ? at : [at]));
    this.runs = [];
    let end = 0;
    for (let i = 0; i < payload.postnummer.length; i += 3) {
      const [gap, length, position] = payload.postnummer.slice(i, i + 3);
      this.runs.push({ first: end + gap, last: end + gap + length, position });
      end += gap + length;
    }
  }

  name(text, kind, positions) {
    return { text, folded: fold(text), kind, positions };
  }

  // The kommuner that answer a query, best first, each once, as {code, name, officialName, href, kind, text}, `text`
  // being what matched: see `Places.find`.
  find(query) {
    const folded = fold(query);
    const digits = folded.replaceAll(" ", "");
    if (/^[0-9]+$/.test(digits)) return this.byPostalCode(digits);
    return folded ? this.byName(query, folded) : [];
  }

  byName(query, folded) {
    const typed = query.trim().toLowerCase();
    const best = new Map();
    for (const name of this.names) {
      const rank = nameRank(name, folded, typed);
      if (rank === null) continue;
      for (const position of name.positions) {
        const key = [rank, name.kind, position];
        const known = best.get(position);
        if (!known || compareKeys(key, known.key) < 0) best.set(position, { key, match: this.match(position, name) });
      }
    }
    return [...best.values()].sort((a, b) => compareKeys(a.key, b.key)).map((entry) => entry.match);
  }

  byPostalCode(digits) {
    if (digits.length === POSTAL_CODE_DIGITS) {
      const code = Number(digits);
      let low = 0;
      let high = this.runs.length;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (this.runs[middle].first <= code) low = middle + 1;
        else high = middle;
      }
      const run = this.runs[low - 1];
      if (run && code <= run.last) return [this.match(run.position, { kind: 2, text: formatPostalCode(digits) })];
      const shorter = this.byPostalCode(digits.slice(0, 4));
      return shorter.length ? shorter : this.byPostalCode(digits.slice(0, 3));
    }
    if (digits.length < SHORTEST_POSTAL_PREFIX || digits.length >= POSTAL_CODE_DIGITS) return [];
    const width = 10 ** (POSTAL_CODE_DIGITS - digits.length);
    const low = Number(digits) * width;
    const high = (Number(digits) + 1) * width - 1;
    const overlapping = this.runs.filter((run) => run.first <= high && run.last >= low);
    const positions = new Set(overlapping.map((run) => run.position));
    const text = formatPostalCode(digits);
    return [...positions].sort((a, b) => a - b).map((position) => this.match(position, { kind: 3, text }));
  }

  match(position, { kind, text }) {
    return { ...this.kommuner[position], kind: KINDS[kind], text };
  }
}

function compareKeys(a, b) {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

// The finder over the file at `url`, fetched once.
export async function loadFinder(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return new Finder(await response.json());
}

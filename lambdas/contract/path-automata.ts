// Path languages for the route-grant checks: API Gateway resources and IAM resource patterns as small automata over a
// path's characters, determinized lazily and cached per pattern, so each pair of routes is compared with integer steps.

/** What a pattern step other than one character matches (numbers, so a path character is never mistaken for one). */
const enum Run {
  /** One character but `/`. */
  OneSegmentChar = 1,
  /** A run without `/`. */
  SegmentChars,
  /** Any run. */
  AnyChars,
}
/** One step of a pattern: a character or a run. */
export type Token = string | Run;

/** The request paths API Gateway sends to a resource: `null` segments are parameters, `greedy` a `{name+}` (or `*`) tail. */
export function templateTokens(segments: readonly (string | null)[], greedy: boolean): Token[] {
  const tokens: Token[] = [];
  segments.forEach((segment, i) => {
    if (i > 0) tokens.push('/');
    if (segment === null) tokens.push(Run.OneSegmentChar, Run.SegmentChars);
    else tokens.push(...segment);
  });
  if (greedy) tokens.push(...(segments.length ? ['/'] : []), Run.AnyChars);
  return tokens;
}

/** An IAM resource pattern's path: `*` is any run, `/` included (IAM's rule). */
export function globTokens(glob: string): Token[] {
  return [...glob].map((char) => (char === '*' ? Run.AnyChars : char));
}

/** The states reachable from `states` without reading a character (a run may be empty). */
function closure(tokens: readonly Token[], states: readonly number[]): number[] {
  const out = new Set(states);
  for (const state of out) if (tokens[state] === Run.SegmentChars || tokens[state] === Run.AnyChars) out.add(state + 1);
  return [...out].sort((a, b) => a - b); // one order per set, so equal sets give equal keys
}

function step(tokens: readonly Token[], states: readonly number[], char: string): number[] {
  const next: number[] = [];
  for (const state of states) {
    const token = tokens[state];
    if (token === Run.AnyChars || (token === Run.SegmentChars && char !== '/')) next.push(state);
    else if (token === char || (token === Run.OneSegmentChar && char !== '/')) next.push(state + 1);
  }
  return closure(tokens, next);
}

/**
 * An automaton's deterministic form, built as far as it is walked: state `id` stands for a set of the token automaton's
 * states; its moves are remembered per character class (each letter the pattern names, `/`, and any other character,
 * which all move it alike). Built once per pattern and shared by every pair it is compared in.
 */
export class PathAutomaton {
  /** The characters the pattern names: any other character but `/` moves it as every other such character does. */
  readonly letters: ReadonlySet<string>;
  readonly start: number;
  private readonly classes = new Map<string, number>();
  /** A character of each class, to step the token automaton with. */
  private readonly representatives: string[];
  private readonly sets: number[][] = [];
  private readonly ids = new Map<string, number>();
  private readonly accepting: boolean[] = [];
  private readonly moves: number[][] = [];

  constructor(private readonly tokens: readonly Token[]) {
    this.letters = new Set(tokens.filter((t): t is string => typeof t === 'string'));
    this.representatives = [...new Set([...this.letters, '/'])];
    this.representatives.forEach((char, i) => this.classes.set(char, i));
    let other = OTHER_CHAR.charCodeAt(0);
    while (this.classes.has(String.fromCharCode(other))) other++;
    this.representatives.push(String.fromCharCode(other));
    this.start = this.idOf(closure(tokens, [0]));
  }

  /** The class of `char`: one of the pattern's letters, `/`, or the class of every other character. */
  classOf(char: string): number {
    return this.classes.get(char) ?? this.representatives.length - 1;
  }

  /** Whether state `id` accepts (the path read so far is in the language). */
  accepts(id: number): boolean {
    return this.accepting[id]!;
  }

  /** Whether no continuation of the path read so far can be accepted (the empty set of states). */
  dead(id: number): boolean {
    return this.sets[id]!.length === 0;
  }

  /** The state after reading a character of class `charClass` (see classOf). */
  next(id: number, charClass: number): number {
    const moves = this.moves[id]!;
    let to = moves[charClass];
    if (to === undefined) {
      to = this.idOf(step(this.tokens, this.sets[id]!, this.representatives[charClass]!));
      moves[charClass] = to;
    }
    return to;
  }

  /** Whether API Gateway's `path` is in the language. */
  matches(path: string): boolean {
    let state = this.start;
    for (const char of path) {
      state = this.next(state, this.classOf(char));
      if (this.dead(state)) return false;
    }
    return this.accepts(state);
  }

  private idOf(states: number[]): number {
    const key = states.join(',');
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.sets.length;
      this.sets.push(states);
      this.ids.set(key, id);
      this.accepting.push(states.includes(this.tokens.length));
      this.moves.push([]);
    }
    return id;
  }
}

/** The character standing for every character no pattern names (a control character: never in a route path). */
const OTHER_CHAR = '\u0001';

/** Room for one automaton's state id in a product key (2^16 states; a route path has far fewer). */
const KEY_BASE = 65536;

/**
 * Whether some path is accepted by each automaton whose `accept` is true and refused by each whose `accept` is false
 * (breadth first over the product of the deterministic automata, on the characters the patterns name plus one they do not).
 */
export function someString(automata: readonly PathAutomaton[], accept: readonly boolean[]): boolean {
  const count = automata.length;
  const alphabet = new Set(['/', OTHER_CHAR]);
  for (const automaton of automata) for (const letter of automaton.letters) alphabet.add(letter);
  // classes[c * count + i]: the class automaton i puts the alphabet's c-th character in.
  const classes: number[] = [];
  for (const char of alphabet) for (const automaton of automata) classes.push(automaton.classOf(char));
  const letters = alphabet.size;
  // The queue holds product states flat, `count` ids each; keys are numeric while every id fits KEY_BASE.
  const queue: number[] = automata.map((automaton) => automaton.start);
  const keyAt = (states: readonly number[], at: number): number | string => {
    let key = 0;
    for (let i = 0; i < count; i++) {
      const s = states[at + i]!;
      if (s >= KEY_BASE) return states.slice(at, at + count).join(',');
      key = key * KEY_BASE + s;
    }
    return key;
  };
  const seen = new Set<number | string>([keyAt(queue, 0)]);
  const next: number[] = new Array<number>(count);
  for (let head = 0; head < queue.length; head += count) {
    let done = true;
    for (let i = 0; i < count && done; i++) done = automata[i]!.accepts(queue[head + i]!) === accept[i];
    if (done) return true;
    letter: for (let c = 0; c < letters; c++) {
      for (let i = 0; i < count; i++) {
        const to = automata[i]!.next(queue[head + i]!, classes[c * count + i]!);
        if (accept[i] && automata[i]!.dead(to)) continue letter; // a required language can no longer accept
        next[i] = to;
      }
      const key = keyAt(next, 0);
      if (!seen.has(key)) {
        seen.add(key);
        queue.push(...next);
      }
    }
  }
  return false;
}

/**
 * Whether some path matches both token patterns, walking pairs of positions (no alphabet, no determinizing): two steps
 * read one character together when some character satisfies both (a letter itself, `/` only where a run may span it), a
 * run may also end without reading. The same answer as `someString` on the two automata, for the price of one pass.
 */
export function tokensMeet(a: readonly Token[], b: readonly Token[]): boolean {
  const width = b.length + 1;
  const seen = new Uint8Array((a.length + 1) * width);
  const stack = [0];
  seen[0] = 1;
  const visit = (i: number, j: number) => {
    const at = i * width + j;
    if (!seen[at]) {
      seen[at] = 1;
      stack.push(at);
    }
  };
  while (stack.length) {
    const at = stack.pop()!;
    const [i, j] = [Math.floor(at / width), at % width];
    if (i === a.length && j === b.length) return true;
    const [x, y] = [a[i], b[j]];
    if (x === Run.SegmentChars || x === Run.AnyChars) visit(i + 1, j);
    if (y === Run.SegmentChars || y === Run.AnyChars) visit(i, j + 1);
    if (x === undefined || y === undefined || !someCharFor(x, y)) continue;
    visit(typeof x === 'string' || x === Run.OneSegmentChar ? i + 1 : i, typeof y === 'string' || y === Run.OneSegmentChar ? j + 1 : j);
  }
  return false;
}

/** Whether one character satisfies both steps: a letter satisfies itself, a segment step any letter but `/`, a run anything. */
function someCharFor(x: Token, y: Token): boolean {
  if (typeof x === 'string' && typeof y === 'string') return x === y;
  if (x === Run.AnyChars || y === Run.AnyChars) return true;
  if (typeof x === 'string') return x !== '/';
  if (typeof y === 'string') return y !== '/';
  return true;
}

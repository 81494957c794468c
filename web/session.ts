// The playground's session: the history of statements, a cursor into it, and the
// interpreter's state after the statements up to the cursor.
//
// Stepping back is honest replay: the session re-runs the statements from the start on a
// fresh interpreter (fresh maps), with the runtime's random source (fastrand: hash seeds,
// iteration start points) reseeded to the session's seed first. Within one page the hash
// keys are fixed, so the same statements give the same buckets, tophashes and iteration
// orders every time; nothing about the map is recorded or faked.
//
// Invariants:
// - `interp` is always the state after steps [0, cursor), as a fresh replay would make it:
//   forward steps continue from it; a step back, or a submission that fails after changing
//   something, rebuilds it by replay.
// - Nothing else on the page may draw on fastrand between steps (drawing uses the
//   inspector, which reads without iterating), or replay would diverge.
// - A submission that fails (typed statements, random keys) changes nothing: the statements
//   of it that ran before the failing one are taken back, by replay, and the history is as it
//   was, steps after the cursor included. A lesson's step that fails (a nil-map write) is
//   kept, with its error as its result, since the failure is the lesson.
import { seedFastrand } from "../src/hash/rand.js";
import { inspect } from "../src/index.js";
import type { TraceEvent } from "../src/index.js";
import { Interp } from "./lang/exec.js";
import type { Touched } from "./lang/exec.js";
import { parse } from "./lang/parse.js";
import type { Stmt } from "./lang/parse.js";
import { insertRandom } from "./random.js";

/** One step of the history. */
export type Step =
  | { kind: "stmt"; src: string; stmt: Stmt; note: string | null; expectFailure: boolean }
  | { kind: "random"; src: string; map: string | null; n: number; seed: number; note: string | null; expectFailure: false };

/** What the step at the cursor did. */
export interface StepResult {
  step: Step;
  out: string[];
  error: Error | null;
  /** Trace events of the step, for the map it focused on. */
  events: TraceEvent[];
  touched: Touched | null;
  /** Entries the step's range loops visited, or null when it ran none. */
  ranged: number | null;
}

export class Session {
  private history: Step[] = [];
  private at = 0;
  interp: Interp;
  /** The result of step at-1, or null at the start. */
  last: StepResult | null = null;

  constructor(readonly seed: number) {
    seedFastrand(seed);
    this.interp = new Interp();
  }

  get steps(): readonly Step[] {
    return this.history;
  }

  /** Steps applied: the state shown is after steps [0, cursor). */
  get cursor(): number {
    return this.at;
  }

  /**
   * Runs the statements of src as new steps after the cursor (dropping any steps after it,
   * as an editor's undo history does). A syntax error runs nothing; when a statement fails,
   * the ones before it are taken back too, and its error is thrown: the text can be fixed
   * and submitted again whole.
   */
  submit(src: string): StepResult[] {
    // Each statement is kept as its own text, parsed again so its spans point into that text.
    const texts = parse(src).map((stmt) => src.slice(stmt.at.off, stmt.at.end));
    return this.append(texts.map((text) => ({ kind: "stmt", src: text, stmt: parse(text)[0], note: null, expectFailure: false })));
  }

  /**
   * Inserts n random keys (from a seeded generator, so replay inserts the same) into the map
   * variable `map`, the focused map unless named, as one step.
   */
  randomKeys(n: number, seed: number, map: string | null = this.interp.focus): StepResult {
    const src = `insert ${n} random key${n === 1 ? "" : "s"}${map === null ? "" : ` into ${map}`}`;
    return this.append([{ kind: "random", src, map, n, seed, note: null, expectFailure: false }])[0];
  }

  /** Replaces the history with a lesson's steps, none applied yet. */
  load(steps: { src: string; note: string; fails?: boolean }[]): void {
    this.history = steps.map((s) => {
      const stmts = parse(s.src);
      if (stmts.length !== 1) throw new Error(`a lesson step is one statement: ${s.src}`);
      return { kind: "stmt", src: s.src, stmt: stmts[0], note: s.note, expectFailure: s.fails === true };
    });
    this.restart();
  }

  /**
   * Moves to step n (0 = nothing run): forward by running the steps in between on the
   * current state, back by replaying from the start.
   */
  goto(n: number): void {
    if (!Number.isInteger(n) || n < 0 || n > this.history.length) throw new RangeError(`step ${n} is outside the history (0..${this.history.length})`);
    if (n < this.at) this.restart();
    try {
      for (let i = this.at; i < n; i++) {
        this.last = this.apply(this.history[i], i === n - 1);
        this.at = i + 1;
      }
    } catch (err) {
      // Only a step loaded from a lesson can fail here: roll back what it changed, to the
      // last step that ran.
      this.rollback(this.at);
      throw err;
    }
  }

  /** Rebuilds the state after steps [0, n), all of which have run before without failing. */
  private rollback(n: number): void {
    this.restart();
    for (let i = 0; i < n; i++) this.last = this.apply(this.history[i], i === n - 1);
    this.at = n;
  }

  /** Back to step 0: a fresh interpreter and the runtime's random source reseeded. */
  private restart(): void {
    seedFastrand(this.seed);
    this.interp = new Interp();
    this.last = null;
    this.at = 0;
  }

  /** Runs steps after the cursor, in place of the steps after it; all of them, or none. */
  private append(steps: Step[]): StepResult[] {
    const history = this.history;
    const at = this.at;
    this.history = history.slice(0, at);
    try {
      return steps.map((step) => {
        const result = this.apply(step, true);
        this.history.push(step);
        this.at++;
        this.last = result;
        return result;
      });
    } catch (err) {
      // Undo whatever the submission changed (and whatever it drew from fastrand).
      this.history = history;
      this.rollback(at);
      throw err;
    }
  }

  /**
   * Runs one step on the interpreter. Errors of a step that is expected to fail become its
   * result; any other error is thrown. Trace events are collected when `traced`.
   */
  private apply(step: Step, traced: boolean): StepResult {
    const events: TraceEvent[] = [];
    const stop = traced ? inspect.onTrace((e) => events.push(e)) : null;
    const interp = this.interp;
    interp.locating = traced;
    let error: Error | null = null;
    try {
      if (step.kind === "random") insertRandom(interp, step.map, step.n, step.seed);
      else interp.run(step.stmt, step.src);
    } catch (err) {
      if (!step.expectFailure || !(err instanceof Error)) throw err;
      error = err;
    } finally {
      stop?.();
    }
    const focus = interp.focus === null ? null : interp.mapNamed(interp.focus);
    return {
      step,
      out: interp.out,
      error,
      events: events.filter((e) => focus !== null && e.map === focus.m),
      touched: interp.touched,
      ranged: interp.ranged,
    };
  }
}

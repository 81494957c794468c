// The playground page: wires the statement box, the history controls, the lessons and the
// drawing to one Session. Bundled by esbuild (web/bundle.mjs) with the library's own source
// into build/web/app.js; no network, no framework.
//
// Flow: a user action changes the session (submit, random keys, goto, load a lesson); then
// render() draws the state at the cursor from scratch. Render reads the maps only through
// the inspector, so drawing never changes a map or draws on its random source.
import { inspect } from "../src/index.js";
import { PAGE, drawMap, pageFor, pages } from "./draw.js";
import { explain } from "./explain.js";
import { errorText } from "./lang/errors.js";
import { LESSONS } from "./lessons.js";
import { format, formatKey, fromStored } from "./lang/values.js";
import { Session } from "./session.js";

/** The runtime's random source is seeded with this, so every page shows the same history. */
const SEED = 0x5eed;
const PLAY_MS = 700;

function $<T extends HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (e === null) throw new Error(`playground: #${id} missing from index.html`);
  return e as T;
}

const ui = {
  form: $<HTMLFormElement>("stmt-form"),
  stmt: $<HTMLTextAreaElement>("stmt"),
  error: $<HTMLParagraphElement>("error"),
  rand: [1, 10, 1000].map((n) => [n, $<HTMLButtonElement>(`rand${n}`)] as const),
  first: $<HTMLButtonElement>("first"),
  back: $<HTMLButtonElement>("back"),
  forward: $<HTMLButtonElement>("forward"),
  last: $<HTMLButtonElement>("last"),
  play: $<HTMLButtonElement>("play"),
  position: $<HTMLSpanElement>("position"),
  steps: $<HTMLOListElement>("steps"),
  lesson: $<HTMLSelectElement>("lesson"),
  intro: $<HTMLParagraphElement>("lesson-intro"),
  note: $<HTMLParagraphElement>("note"),
  explain: $<HTMLParagraphElement>("explain"),
  output: $<HTMLPreElement>("output"),
  outputSaid: $<HTMLParagraphElement>("output-said"),
  showSeed: $<HTMLInputElement>("show-seed"),
  mapPick: $<HTMLSelectElement>("map-pick"),
  pagePrev: $<HTMLButtonElement>("page-prev"),
  pageNext: $<HTMLButtonElement>("page-next"),
  pageLabel: $<HTMLSpanElement>("page-label"),
  map: $<HTMLDivElement>("map"),
};

let session = new Session(SEED);
let page = 0;
/** The map variable the user picked, or null to follow the step's focus. */
let picked: string | null = null;
let timer: ReturnType<typeof setInterval> | null = null;

function showError(err: unknown): void {
  ui.error.textContent = errorText(err);
  ui.error.hidden = false;
}

function clearError(): void {
  ui.error.hidden = true;
  ui.error.textContent = "";
}

/** Runs fn on the session, shows its error if it throws, and redraws. */
function act(fn: () => void): void {
  clearError();
  try {
    fn();
  } catch (err) {
    showError(err);
  }
  render(true);
}

/**
 * Marks a button as unable to act without taking it out of the Tab order (aria-disabled, not
 * disabled): a button that disables itself when used from the keyboard (Last at the last
 * step, a pager button at its end) would drop the focus to the top of the page.
 */
function setEnabled(button: HTMLButtonElement, on: boolean): void {
  if (on) button.removeAttribute("aria-disabled");
  else button.setAttribute("aria-disabled", "true");
}

function enabled(button: HTMLButtonElement): boolean {
  return button.getAttribute("aria-disabled") !== "true";
}

/** Runs fn when button is clicked, unless it is marked unable to act. */
function onClick(button: HTMLButtonElement, fn: () => void): void {
  button.addEventListener("click", () => {
    if (enabled(button)) fn();
  });
}

/**
 * The step the live regions (position, note, explanation) last spoke of. Setting a live
 * region's text makes a screen reader read it again even when the text is the same, so a
 * redraw that is not a step (paging, show hash0, a failed submission) leaves them alone, and
 * a step whose explanation is the same as the last one's (a range after a range) still
 * rewrites it.
 */
let said: { session: Session; steps: readonly unknown[]; cursor: number; name: string | null } | null = null;

/** Most printed lines read out after a step; a range over a big map prints hundreds. */
const SPOKEN_LINES = 3;

/** What a screen reader hears of a step's output (#output-said): its lines, or the first few and how many. */
function spoken(lines: readonly string[]): string {
  if (lines.length === 0) return "";
  if (lines.length <= SPOKEN_LINES) return `printed: ${lines.join("; ")}`;
  return `printed ${lines.length} lines: ${lines.slice(0, SPOKEN_LINES).join("; ")}; and ${lines.length - SPOKEN_LINES} more, in the output`;
}

function render(follow: boolean): void {
  const s = session;
  const r = s.last;
  const position = `step ${s.cursor} of ${s.steps.length}`;
  if (ui.position.textContent !== position) ui.position.textContent = position;
  for (const b of [ui.first, ui.back]) setEnabled(b, s.cursor > 0);
  for (const b of [ui.forward, ui.last]) setEnabled(b, s.cursor < s.steps.length);
  renderSteps();
  const step = said === null || said.session !== s || said.steps !== s.steps || said.cursor !== s.cursor;
  if (step) ui.note.textContent = r?.step.note ?? "";
  const printed = r === null ? [] : [...r.out, ...(r.error === null ? [] : [errorText(r.error)])];
  ui.output.textContent = printed.join("\n");
  if (step) ui.outputSaid.textContent = spoken(printed);

  const names = s.interp.mapNames();
  if (picked !== null && !names.includes(picked)) picked = null;
  const focus = s.interp.focus;
  const name = picked ?? focus;
  ui.mapPick.replaceChildren(...names.map((n) => new Option(n, n, false, n === name)));
  const mv = name === null ? null : s.interp.mapNamed(name);
  // The explanation is about the step's map, even when another is drawn.
  const fv = focus === null ? null : s.interp.mapNamed(focus);
  const focusStats = fv === null || fv.m.isNil ? null : inspect.map(fv.m);
  const other = r !== null && name !== null && focus !== null && name !== focus ? ` The drawing shows ${name}, picked in the map list; this step used ${focus}.` : "";
  if (step || said?.name !== name) ui.explain.textContent = r === null ? "" : explain(r, focusStats) + other;
  said = { session: s, steps: s.steps, cursor: s.cursor, name };
  if (mv === null || mv.m.isNil) {
    ui.map.innerHTML = "";
    const p = document.createElement("p");
    p.className = "empty";
    p.textContent = mv === null ? "No map yet: make one, or pick a lesson." : `${name} is a nil map: no hmap, no buckets. Reads see an empty map; writes panic.`;
    ui.map.append(p);
    ui.pageLabel.textContent = "";
    setEnabled(ui.pagePrev, false);
    setEnabled(ui.pageNext, false);
    return;
  }
  const stats = inspect.map(mv.m, { seed: true });
  const onFocus = r !== null && r.touched !== null && r.touched.map === mv;
  const loc = onFocus ? r.touched!.loc : null;
  const events = r !== null && s.interp.focus === name ? r.events : [];
  if (follow) page = pageFor(loc, events, page);
  page = Math.min(page, pages(stats) - 1);
  drawMap(ui.map, {
    name: name as string,
    m: mv.m,
    stats,
    loc,
    events,
    page,
    showSeed: ui.showSeed.checked,
    formatKey: (k) => formatKey(k, mv.t.key),
    formatValue: (v) => format({ t: mv.t.value, v: fromStored(v, mv.t.value) }, s.interp.heap),
  });
  const hi = Math.min(stats.buckets, (page + 1) * PAGE) - 1;
  ui.pageLabel.textContent = stats.buckets === 0 ? "no buckets yet" : `buckets ${page * PAGE}–${hi} of ${stats.buckets}`;
  setEnabled(ui.pagePrev, page > 0);
  setEnabled(ui.pageNext, page < pages(stats) - 1);
}

function renderSteps(): void {
  const s = session;
  // The list is rebuilt: a step button that had the focus (picked with Enter, or ← → pressed
  // on it) gives it to the new button of the same step, or it would fall to the page's top.
  const active = document.activeElement;
  const had = active !== null && ui.steps.contains(active) ? [...ui.steps.children].findIndex((li) => li.contains(active)) : -1;
  const items = s.steps.map((step, i) => {
    const li = document.createElement("li");
    if (i === s.cursor - 1) {
      li.className = "current";
      li.setAttribute("aria-current", "step");
    } else if (i >= s.cursor) li.className = "future";
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = step.src;
    b.title = step.src;
    b.addEventListener("click", () => act(() => s.goto(i + 1)));
    li.append(b);
    return li;
  });
  ui.steps.replaceChildren(...items);
  // One Tab stop for the whole list (a history of 1000 steps would be 1000 stops): the step
  // with the focus, else the step shown, else at step 0 the first. ↑ ↓ Home End move in it.
  const stop = had >= 0 ? Math.min(had, items.length - 1) : Math.max(s.cursor - 1, 0);
  items.forEach((li, i) => li.querySelector("button")!.tabIndex = i === stop ? 0 : -1);
  if (had >= 0) items[stop]?.querySelector("button")?.focus({ preventScroll: true });
  // The step numbers are the list's markers, drawn in its left padding: as wide as the
  // largest number, its dot and a space (monospace, so in ch).
  ui.steps.style.paddingLeft = `${String(Math.max(s.steps.length, 9)).length + 2}ch`;
  // The step shown, or at step 0 the next to run.
  ui.steps.querySelector("li.current, li.future")?.scrollIntoView({ block: "nearest" });
}

function stopPlay(): void {
  if (timer !== null) clearInterval(timer);
  timer = null;
  ui.play.textContent = "Play";
}

function togglePlay(): void {
  if (timer !== null) return stopPlay();
  if (session.cursor === session.steps.length) act(() => session.goto(0));
  // The name says what a press does; no aria-pressed beside it ("Pause, pressed" reads as paused).
  ui.play.textContent = "Pause";
  timer = setInterval(() => {
    if (session.cursor >= session.steps.length) return stopPlay();
    act(() => session.goto(session.cursor + 1));
  }, PLAY_MS);
}

function submit(): void {
  const src = ui.stmt.value;
  if (src.trim() === "") return;
  stopPlay();
  let ok = false;
  act(() => {
    session.submit(src);
    ok = true;
    // A typed statement is drawn: a map picked before gives way to the one it used.
    picked = null;
  });
  if (ok) ui.stmt.value = "";
}

ui.form.addEventListener("submit", (e) => {
  e.preventDefault();
  submit();
});
ui.stmt.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && !e.shiftKey) {
    e.preventDefault();
    submit();
  }
});
ui.steps.addEventListener("keydown", (e) => {
  // The list's one Tab stop moves with the focus: ↑ ↓ to the step before or after, Home and
  // End to the ends. Enter or Space on a step goes to it.
  if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
  const buttons = [...ui.steps.querySelectorAll("button")];
  const at = buttons.indexOf(e.target as HTMLButtonElement);
  if (at < 0) return;
  const to = e.key === "ArrowUp" ? at - 1 : e.key === "ArrowDown" ? at + 1 : e.key === "Home" ? 0 : e.key === "End" ? buttons.length - 1 : null;
  if (to === null) return;
  e.preventDefault();
  const next = buttons[Math.max(0, Math.min(to, buttons.length - 1))];
  buttons[at].tabIndex = -1;
  next.tabIndex = 0;
  next.focus();
});
for (const [n, button] of ui.rand) {
  // Into the map shown: the one picked, or the focused one.
  button.addEventListener("click", () => act(() => session.randomKeys(n, (SEED ^ Math.imul(session.cursor + 1, 0x9e3779b9)) >>> 0, picked ?? session.interp.focus)));
}
onClick(ui.first, () => act(() => session.goto(0)));
onClick(ui.back, () => act(() => session.goto(session.cursor - 1)));
onClick(ui.forward, () => act(() => session.goto(session.cursor + 1)));
onClick(ui.last, () => act(() => session.goto(session.steps.length)));
ui.play.addEventListener("click", togglePlay);
ui.showSeed.addEventListener("change", () => render(false));
ui.mapPick.addEventListener("change", () => {
  picked = ui.mapPick.value;
  render(false);
});
onClick(ui.pagePrev, () => {
  page--;
  render(false);
});
onClick(ui.pageNext, () => {
  page++;
  render(false);
});
document.addEventListener("keydown", (e) => {
  // ← → step through history, except while typing. On a list (the lesson, the map picker)
  // they step too, in place of Chromium's own ← →, which would pick the next lesson: a
  // lesson picked with the mouse keeps the focus, and its intro says to press →. ↑ ↓ still
  // choose.
  if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
  if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
  const t = e.target as HTMLElement;
  if (t.tagName === "TEXTAREA" || (t.tagName === "INPUT" && (t as HTMLInputElement).type !== "checkbox")) return;
  if (t.tagName === "SELECT") e.preventDefault();
  if (e.key === "ArrowLeft" && session.cursor > 0) act(() => session.goto(session.cursor - 1));
  if (e.key === "ArrowRight" && session.cursor < session.steps.length) act(() => session.goto(session.cursor + 1));
});

for (const l of LESSONS) ui.lesson.append(new Option(l.title, l.id));
ui.lesson.addEventListener("change", () => {
  openLesson(ui.lesson.value);
  // The address names the lesson shown, so a reload, the browser's back or a copied link
  // opens that lesson again (replaced, not pushed: picking lessons adds no history entries).
  const url = new URL(location.href);
  url.search = ui.lesson.value === "" ? "" : `?lesson=${encodeURIComponent(ui.lesson.value)}`;
  history.replaceState(null, "", url);
});

/** Loads the lesson with this id ("" for none) into a fresh session. */
function openLesson(id: string): void {
  stopPlay();
  const lesson = LESSONS.find((l) => l.id === id);
  session = new Session(SEED);
  picked = null;
  page = 0;
  ui.intro.textContent = lesson === undefined ? "" : `${lesson.intro} Step forward (▶ or the → key) to run each statement.`;
  act(() => {
    if (lesson !== undefined) session.load(lesson.steps);
  });
}

// A link can open a lesson, and start playing it: ?lesson=grow&play. Not for a reader who
// asked for reduced motion: the lesson opens at its first step, and Play plays it.
const params = new URLSearchParams(location.search);
const linked = LESSONS.find((l) => l.id === params.get("lesson"));
// Set the list even without a lesson: the browser restores a form's last choice when the
// page is shown again (back, reload), which need not be the lesson of the address.
ui.lesson.value = linked?.id ?? "";
if (linked !== undefined) {
  openLesson(linked.id);
  if (params.has("play") && !matchMedia("(prefers-reduced-motion: reduce)").matches) togglePlay();
} else {
  render(false);
}

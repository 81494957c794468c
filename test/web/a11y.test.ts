// The playground for someone who uses a keyboard, a screen reader, or low vision, in Debian's
// Chromium through playwright-core (as test/web/playground.test.ts drives it): Tab order and
// focus, the names and roles the accessibility tree gives, what the live regions announce,
// contrast computed from the page's own computed styles (WCAG AA: 4.5:1 for text, 3:1 for the
// graphics that carry meaning), meaning not carried by colour alone, reduced motion, and a
// 200% zoom (a 640px-wide viewport). If Chromium cannot start these tests fail; they never
// skip.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { launchChromium, startPlay } from "./chromium.js";
import type { PlayServer } from "./chromium.js";

let server: PlayServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

before(async () => {
  server = await startPlay();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on("pageerror", (e) => pageErrors.push(e.message));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function open(query = ""): Promise<void> {
  await page.goto(server.url + query);
  await page.waitForSelector("#stmt");
}

async function run(stmt: string): Promise<void> {
  await page.fill("#stmt", stmt);
  await page.press("#stmt", "Enter");
}

/** The focused element, as "tag#id" or "tag:text" for one without an id. */
function focused(): Promise<string> {
  return page.evaluate(`(() => {
    const e = document.activeElement;
    if (e === null || e === document.body) return "body";
    return e.id !== "" ? e.tagName.toLowerCase() + "#" + e.id : e.tagName.toLowerCase() + ":" + e.textContent;
  })()`) as Promise<string>;
}

test("keyboard: a button used with Enter or Space keeps the focus, even when it can no longer act (Last, First, the pager at its ends)", async () => {
  await open("?lesson=grow");
  await page.focus("#last");
  await page.keyboard.press("Enter");
  assert.equal(await page.textContent("#position"), "step 31 of 31");
  assert.equal(await focused(), "button#last", "Last, at the last step, keeps the focus");
  await page.keyboard.press("Enter");
  assert.equal(await page.textContent("#position"), "step 31 of 31", "Last at the last step does nothing");
  assert.equal(await page.isHidden("#error"), true, "and shows no error");
  assert.equal(await page.getAttribute("#last", "aria-disabled"), "true", "it says it cannot act");
  await page.keyboard.press("Tab");
  assert.equal(await focused(), "button#play", "Tab goes on from Last, not from the top of the page");
  await page.focus("#first");
  await page.keyboard.press("Space");
  assert.equal(await page.textContent("#position"), "step 0 of 31");
  assert.equal(await focused(), "button#first");
  await page.keyboard.press("Space");
  assert.equal(await page.isHidden("#error"), true);
  await open();
  await run("m := make(map[uint32]uint32)");
  await page.click("#rand1000");
  // Page to one end of the 16 pages with the keyboard, then once more.
  const button = (await page.getAttribute("#page-next", "aria-disabled")) === "true" || (await page.isDisabled("#page-next")) ? "#page-prev" : "#page-next";
  await page.focus(button);
  for (let i = 0; i < 17; i++) await page.keyboard.press("Enter");
  assert.equal(await focused(), `button${button}`);
  assert.match((await page.textContent("#page-label")) ?? "", button === "#page-next" ? /^buckets 240–255 of 256$/ : /^buckets 0–15 of 256$/);
  assert.equal(await page.isHidden("#error"), true);
});

test("keyboard: a step picked in the list with Enter keeps the focus on that step", async () => {
  await open("?lesson=grow");
  await page.focus("#steps li:nth-child(3) button");
  await page.keyboard.press("Enter");
  assert.equal(await page.textContent("#position"), "step 3 of 31");
  assert.equal(await focused(), "button:m[1] = 1");
  // ← → step through the history from the list too; the focus stays in it.
  await page.keyboard.press("ArrowRight");
  assert.equal(await page.textContent("#position"), "step 4 of 31");
  assert.match(await focused(), /^button:m\[/);
});

test("keyboard: Tab goes through the controls in page order, a long history is one stop, and the cycle comes back round", async () => {
  await open();
  const lines = ["m := make(map[int]int)"];
  for (let i = 1; i < 40; i++) lines.push(`m[${i}] = ${i}`);
  await run(lines.join("\n"));
  await page.click("#back");
  await page.focus("#stmt");
  const order: string[] = [];
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press("Tab");
    const f = await focused();
    if (f === "textarea#stmt") break;
    order.push(f);
  }
  // One stop in the list of 40 steps: the step shown. The rest of the list is reached with ↑ ↓.
  const steps = order.filter((f) => f.startsWith("button:"));
  assert.deepEqual(steps, ["button:m[38] = 38"], `the steps Tab stops at: ${steps.length}`);
  const expected = ["button#run", "button#rand1", "button#rand10", "button#rand1000", "select#lesson", "button#first", "button#back", "button#forward", "button#last", "button#play", "button:m[38] = 38", "input#show-seed", "select#map-pick", "button#page-prev", "button#page-next"];
  assert.deepEqual(order.filter((f) => f !== "body"), expected, "Tab order, and back to the statement box");
  // In the list: ↑ ↓ Home End move the focus, Enter picks.
  await page.focus("#steps li:nth-child(39) button");
  await page.keyboard.press("ArrowUp");
  assert.equal(await focused(), "button:m[37] = 37");
  await page.keyboard.press("Home");
  assert.equal(await focused(), "button:m := make(map[int]int)");
  await page.keyboard.press("End");
  assert.equal(await focused(), "button:m[39] = 39");
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("Enter");
  assert.equal(await page.textContent("#position"), "step 39 of 40", "↑ ↓ move the focus only; Enter picks");
  assert.equal(await focused(), "button:m[38] = 38");
  // Shift+Tab back into the list lands on the step shown.
  await page.focus("#show-seed");
  await page.keyboard.press("Shift+Tab");
  assert.equal(await focused(), "button:m[38] = 38");
});

test("keyboard: Tab leaves the statement box (it inserts no tab), Shift+Tab too", async () => {
  await open();
  await page.focus("#stmt");
  await page.keyboard.type("m := make(map[int]int)");
  await page.keyboard.press("Tab");
  assert.equal(await focused(), "button#run");
  assert.equal(await page.inputValue("#stmt"), "m := make(map[int]int)");
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Shift+Tab");
  assert.notEqual(await focused(), "textarea#stmt");
});

test("keyboard: every control in the Tab order shows where the focus is", async () => {
  await open("?lesson=grow");
  await page.click("#forward");
  await page.focus("#stmt");
  const seen = new Set<string>();
  for (let i = 0; i < 30; i++) {
    const f = await focused();
    if (seen.has(f)) break;
    seen.add(f);
    if (f !== "body") {
      const [style, width] = (await page.evaluate(`(() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()`)) as [string, number];
      assert.ok(style === "auto" || (style !== "none" && width >= 2), `${f}: outline ${style} ${width}px`);
    }
    await page.keyboard.press("Tab");
  }
  assert.ok(seen.size > 12, `${seen.size} controls`);
});

/** Starts recording changes to the page's live regions (aria-live, role alert or status). */
async function watchLive(): Promise<void> {
  await page.evaluate(`(() => {
    window.__live = [];
    window.__liveObserver?.disconnect();
    const live = (n) => { const e = n.nodeType === 1 ? n : n.parentElement; return e?.closest("[aria-live]:not([aria-live=off]), [role=alert], [role=status]"); };
    window.__liveObserver = new MutationObserver((records) => {
      for (const r of records) { const region = live(r.target); if (region !== null && region !== undefined) window.__live.push(region.id); }
    });
    window.__liveObserver.observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
}

/** The ids of the live regions changed since watchLive, once each. */
async function liveChanged(): Promise<string[]> {
  await page.evaluate("new Promise((r) => setTimeout(r, 0))");
  return [...new Set((await page.evaluate("window.__live")) as string[])].sort();
}

test("screen readers: a step is announced (position, the lesson's note, the explanation); a redraw that is not a step announces nothing", async () => {
  await open("?lesson=grow");
  await watchLive();
  await page.click("#forward");
  const changed = await liveChanged();
  for (const id of ["position", "note", "explain"]) assert.ok(changed.includes(id), `#${id} is announced after a step (changed: ${changed.join(", ")})`);
  await page.click("#forward");
  await watchLive();
  await page.check("#show-seed");
  assert.deepEqual(await liveChanged(), [], "ticking show hash0 announces nothing");
  await run("n := make(map[uint32]uint32)");
  await page.click("#rand1000");
  await watchLive();
  await page.click((await page.isEnabled("#page-next")) ? "#page-next" : "#page-prev");
  assert.deepEqual(await liveChanged(), [], "paging the buckets announces nothing");
  await page.selectOption("#map-pick", "m");
  assert.deepEqual(await liveChanged(), ["explain"], "picking another map to draw: only the explanation, which now says which map is drawn");
  // Two steps in a row with the same explanation are both announced.
  await open("?lesson=order");
  for (let i = 0; i < 7; i++) await page.click("#forward");
  await watchLive();
  await page.click("#forward");
  assert.ok((await liveChanged()).includes("explain"), "a range after a range is announced too");
});

test("screen readers: a step's printed output is announced, a long one by its first lines and its count; a redraw announces nothing", async () => {
  await open();
  await run('m := map[string]int{"a": 1, "b": 2}');
  await watchLive();
  await run('v, ok := m["b"]');
  assert.ok((await liveChanged()).includes("output-said"));
  assert.equal(await page.textContent("#output-said"), "printed: v = 2; ok = true");
  for (let i = 0; i < 3; i++) await page.click("#rand10");
  await run("for k, v := range m");
  const lines = ((await page.textContent("#output")) ?? "").split("\n");
  assert.ok(lines.length > 3, `${lines.length} lines`);
  assert.equal(await page.textContent("#output-said"), `printed ${lines.length} lines: ${lines.slice(0, 3).join("; ")}; and ${lines.length - 3} more, in the output`);
  await watchLive();
  await page.check("#show-seed");
  assert.deepEqual(await liveChanged(), [], "ticking show hash0 announces nothing");
  await page.uncheck("#show-seed");
  // A step that prints nothing says nothing of the last one's output.
  await run('m["z"] = 26');
  assert.equal(await page.textContent("#output-said"), "");
});

test("screen readers: Play is a button whose name says what it does (Play, Pause), not also a pressed toggle", async () => {
  await open("?lesson=nil");
  await page.getByRole("button", { name: "Play" }).click();
  const pause = page.getByRole("button", { name: "Pause" });
  assert.equal(await pause.count(), 1);
  assert.equal(await pause.getAttribute("aria-pressed"), null, "a name that changes with the state and aria-pressed would read 'Pause, pressed'");
  await pause.click();
  assert.equal(await page.getByRole("button", { name: "Play" }).getAttribute("aria-pressed"), null);
});

/** Steps forward n times with the mouse. */
async function forward(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await page.click("#forward");
}

test("screen readers: the drawing says in words what it shows: evacuated buckets, where this step's evacuation went, the slot it touched, the tophash marks", async () => {
  await open("?lesson=grow");
  await forward(28);
  // m[26] = 676: a new key in bucket 4, slot 4; old buckets 0 and 1 evacuated into X=0, Y=4 and X=1, Y=5.
  assert.match((await page.textContent("#explain")) ?? "", /^m\[26\] = 676: new key 26 in bucket 4, slot 4 .*Evacuating bucket 0 into X=0 and Y=4 .*bucket 1 into X=1 and Y=5/);
  const group = (name: string) => page.getByRole("group", { name, exact: true });
  assert.equal(await group("old bucket 0, evacuated by this step into X=0 and Y=4").count(), 1);
  assert.equal(await group("old bucket 1, evacuated by this step into X=1 and Y=5").count(), 1);
  assert.equal(await group("old bucket 2").count(), 1);
  assert.equal(await group("bucket 0, X destination of old bucket 0").count(), 1);
  assert.equal(await group("bucket 4, Y destination of old bucket 0; slot 4 touched by this step").count(), 1);
  assert.equal(await group("bucket 2").count(), 1);
  const tree = await page.locator("#map").ariaSnapshot();
  assert.doesNotMatch(tree, /columnheader/, "the row labels (tophash, keys, values) are row headers, empty rows too");
  assert.match(tree, /row "tophash evacuatedX evacuatedX evacuatedY evacuatedX evacuatedX evacuatedX evacuatedY evacuatedY"/, "marks are read by name");
  assert.match(tree, /row "tophash 22 cd 24 34 f7 emptyRest emptyRest emptyRest"/);
  await forward(1);
  // The next write evacuates the rest, and the old array is gone: bucket groups say no more than that.
  assert.equal(await page.getByRole("group", { name: /^old bucket/ }).count(), 0);
  assert.equal(await group("bucket 3, X destination of old bucket 3; slot 2 touched by this step").count(), 1);
});

/** An in-page function: the contrast of each piece of visible text against what is behind it. */
const CONTRAST = `
  const parse = (s) => { const m = s.match(/rgba?\\(([^)]+)\\)/); if (!m) return [0, 0, 0, 0]; const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const over = (top, base) => [0, 1, 2].map((i) => top[i] * top[3] + base[i] * (1 - top[3]));
  const lum = (c) => { const [r, g, b] = c.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  // An element's pixels: the backgrounds of it and its ancestors painted in turn on white, each
  // opacity group blended with what is behind it, and (for text) the element's colour on top.
  const paint = (el, top) => {
    const chain = [];
    for (let e = el; e; e = e.parentElement) chain.unshift(e);
    const go = (i, base) => {
      if (i === chain.length) return top === null ? base : over(top, base);
      const cs = getComputedStyle(chain[i]);
      const inside = go(i + 1, over(parse(cs.backgroundColor), base));
      const o = Number(cs.opacity);
      return [0, 1, 2].map((k) => inside[k] * o + base[k] * (1 - o));
    };
    return go(0, [255, 255, 255]);
  };
`;

/** Text on the page below WCAG AA contrast (disabled controls are exempt). */
async function lowContrastText(): Promise<string[]> {
  return page.evaluate(`(() => {${CONTRAST}
    const fails = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
      const el = n.parentElement;
      if (n.textContent.trim() === "" || el.closest("[hidden], option, :disabled, [aria-disabled=true], .sr-only") !== null || el.getClientRects().length === 0) continue;
      const cs = getComputedStyle(el);
      const size = parseFloat(cs.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(cs.fontWeight) >= 700);
      const r = ratio(paint(el, parse(cs.color)), paint(el, null));
      if (r < (large ? 3 : 4.5)) fails.push(el.tagName.toLowerCase() + "." + el.className + " " + JSON.stringify(n.textContent.trim().slice(0, 24)) + ": " + r.toFixed(2) + ":1");
    }
    return fails;
  })()`) as Promise<string[]>;
}

test("contrast: all text is 4.5:1 against what is behind it, in a growing map's old buckets too", async () => {
  await open("?lesson=grow");
  await forward(28);
  assert.deepEqual(await lowContrastText(), [], "growing: old buckets evacuated and not");
  await forward(1);
  assert.deepEqual(await lowContrastText(), [], "the growth just over");
  await open("?lesson=nil");
  await forward(5);
  assert.deepEqual(await lowContrastText(), [], "a panic in the output");
  await run("m[1] = ");
  assert.deepEqual(await lowContrastText(), [], "an error shown");
  await open();
  await run("m := make(map[uint32]uint32)");
  await page.click("#rand1000");
  await run("delete(m, 1)");
  assert.deepEqual(await lowContrastText(), [], "a big map");
});

test("colour is not the only cue, and the cues are 3:1: the slot the step touched, and the buckets this step's evacuation filled", async () => {
  await open("?lesson=grow");
  await forward(28);
  // Each marked element: an outline (a shape, not a tint) of 3:1 against the page around it.
  const cues = (await page.evaluate(`(() => {${CONTRAST}
    const cue = (el) => {
      const cs = getComputedStyle(el);
      const around = paint(el.parentElement, null);
      return { style: cs.outlineStyle, width: parseFloat(cs.outlineWidth), contrast: ratio(paint(el.parentElement, parse(cs.outlineColor)), around) };
    };
    return {
      touched: [...document.querySelectorAll("#map td.touched")].map(cue),
      dest: [...document.querySelectorAll("#map .bucket.evac-dest .bmap")].map(cue),
    };
  })()`)) as Record<string, { style: string; width: number; contrast: number }[]>;
  assert.equal(cues.touched.length, 3, "the touched slot's tophash, key and value");
  assert.equal(cues.dest.length, 4, "X=0, Y=4, X=1, Y=5");
  for (const [what, list] of Object.entries(cues)) {
    for (const c of list) assert.ok(c.style !== "none" && c.width >= 2 && c.contrast >= 3, `${what}: outline ${c.style} ${c.width}px at ${c.contrast.toFixed(2)}:1`);
  }
  // And in words on the drawing itself, for whoever cannot tell the tint.
  const tags = await page.locator("#map .bucket.evac-dest").evaluateAll((els) => els.map((e) => `${e.getAttribute("data-index")} ${e.querySelector(".evac-tag")?.textContent}`));
  assert.deepEqual(tags.sort(), ["0 X ← old 0", "1 X ← old 1", "4 Y ← old 0", "5 Y ← old 1"]);
});

test("prefers-reduced-motion: the highlight appears without a transition", async () => {
  const duration = (): Promise<string> => page.evaluate(`getComputedStyle(document.querySelector("#map td.touched")).transitionDuration`) as Promise<string>;
  await open("?lesson=grow");
  await forward(2);
  assert.equal(await duration(), "0.3s", "with no preference, a short fade");
  await page.emulateMedia({ reducedMotion: "reduce" });
  try {
    assert.equal(await duration(), "0s");
  } finally {
    await page.emulateMedia({ reducedMotion: null });
  }
});

test("prefers-reduced-motion: a link's &play opens the lesson without starting it; Play still plays", async () => {
  await page.emulateMedia({ reducedMotion: "reduce" });
  try {
    await open("?lesson=nil&play");
    assert.equal(await page.inputValue("#lesson"), "nil");
    // Two of Play's 700 ms ticks: a playing lesson would be at step 2 by then.
    await page.waitForTimeout(1500);
    assert.equal(await page.textContent("#position"), "step 0 of 7");
    assert.equal(await page.textContent("#play"), "Play");
    await page.click("#play");
    await page.waitForFunction("document.querySelector('#position').textContent === 'step 1 of 7'");
    await page.click("#play");
  } finally {
    await page.emulateMedia({ reducedMotion: null });
  }
});

test("zoom to 200% (640px wide): nothing wider than the window, no control cut off or covering another", async () => {
  const zoomed = await browser.newPage({ viewport: { width: 640, height: 800 } });
  try {
    await zoomed.goto(`${server.url}?lesson=grow`);
    await zoomed.waitForSelector("#stmt");
    for (let i = 0; i < 28; i++) await zoomed.click("#forward");
    assert.ok(((await zoomed.evaluate("document.documentElement.scrollWidth")) as number) <= 640);
    const boxes = (await zoomed.evaluate(`[...document.querySelectorAll("button, select, textarea, input, #position, #page-label")]
      .filter((e) => e.getClientRects().length > 0 && e.closest("#steps") === null)
      .map((e) => { const r = e.getBoundingClientRect(); return { id: e.id, x: r.x, y: r.y, w: r.width, h: r.height }; })`)) as { id: string; x: number; y: number; w: number; h: number }[];
    assert.ok(boxes.length >= 17, `${boxes.length} controls`);
    for (const b of boxes) assert.ok(b.x >= 0 && b.x + b.w <= 640, `#${b.id} spans ${b.x}..${b.x + b.w}`);
    for (const a of boxes) {
      for (const b of boxes) {
        if (a === b) continue;
        const overlap = a.x < b.x + b.w - 1 && b.x < a.x + a.w - 1 && a.y < b.y + b.h - 1 && b.y < a.y + a.h - 1;
        assert.ok(!overlap, `#${a.id} and #${b.id} overlap`);
      }
    }
  } finally {
    await zoomed.close();
  }
});

test("the page threw nothing", () => {
  assert.deepEqual(pageErrors, []);
});

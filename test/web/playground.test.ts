// The playground end to end, in Debian's Chromium through playwright-core: build/web served
// by `gomap play` on 127.0.0.1 and a free port, statements typed, buttons clicked, and the
// drawing's text and structure checked. If Chromium cannot start these tests fail; they never
// skip.
//
// Screenshots of the main states go to build/screenshots/, or to docs/ (the README's
// pictures) when GOMAP_DOCS_SCREENSHOTS=1 (`npm run screenshots`).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { launchChromium, startPlay } from "./chromium.js";
import type { PlayServer } from "./chromium.js";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const shots = process.env.GOMAP_DOCS_SCREENSHOTS === "1" ? join(repo, "docs") : join(repo, "build", "screenshots");

let server: PlayServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const requests: string[] = [];

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startPlay();
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  page.on("request", (r) => requests.push(r.url()));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function fresh(): Promise<void> {
  await page.goto(server.url);
  await page.waitForSelector("#stmt");
}

async function run(stmt: string): Promise<void> {
  await page.fill("#stmt", stmt);
  await page.press("#stmt", "Enter");
}

async function field(name: string): Promise<string> {
  return (await page.textContent(`#map dd[data-field="${name}"]`)) ?? "";
}

async function count(selector: string): Promise<number> {
  return page.locator(selector).count();
}

async function shot(name: string): Promise<void> {
  await page.evaluate("window.scrollTo(0, 0)");
  await page.screenshot({ path: join(shots, name) });
}

test("statements draw the map: header, one bucket of 8 tophash cells, the touched slot", async () => {
  await fresh();
  await run("m := make(map[string]int)");
  assert.equal(await field("buckets"), "nil");
  await run('m["a"] = 1');
  await run('m["b"] = 2');
  await run('v, ok := m["b"]');
  assert.equal(await field("count"), "2");
  assert.equal(await field("B"), "0");
  assert.equal(await field("hash0"), "hidden");
  assert.equal(await count("#map .array.new .bucket"), 1);
  assert.equal(await count("#map .array.new td.tophash"), 8);
  const keys = (await page.locator("#map .array.new td.key").allTextContents()).filter((k) => k !== "");
  assert.deepEqual(keys.sort(), ['"a"', '"b"']);
  assert.equal(await page.textContent("#map td.key.touched"), '"b"');
  assert.equal(await page.textContent("#output"), "v = 2\nok = true");
  assert.match((await page.textContent("#explain")) ?? "", /found "b" in bucket 0, slot \d \(tophash 0x[0-9a-f]{2}\)/);
  await page.check("#show-seed");
  assert.match(await field("hash0"), /^0x[0-9a-f]{8}$/);
  await shot("playground-statements.png");
});

test("a statement the playground does not understand gets a clear error and changes nothing", async () => {
  await fresh();
  await run("m := make(map[int]string)");
  await run('m[1] = "one"');
  await run("m[2] = 2");
  assert.equal(await page.textContent("#error"), 'PlaygroundCompileError: cannot use 2 (untyped int constant) as string value in assignment');
  await run("m[3 = 1");
  assert.match((await page.textContent("#error")) ?? "", /^PlaygroundSyntaxError: 1:5: expected \], found "="/);
  await run("print the map please");
  assert.match((await page.textContent("#error")) ?? "", /unexpected "the"; the playground understands/);
  assert.equal(await page.textContent("#position"), "step 2 of 2");
  assert.equal(await field("count"), "1");
  await run("m[2] = \"two\"");
  assert.equal(await page.isHidden("#error"), true);
});

test("1000 random keys: B=8, a window of 16 buckets, paging", async () => {
  await fresh();
  await run("m := make(map[uint32]uint32)");
  await page.click("#rand1000");
  const n = Number(await field("count"));
  assert.ok(n > 990 && n <= 1000, `count ${n}`);
  assert.equal(await field("B"), "8");
  assert.equal(await count("#map .array.new .bucket"), 16);
  assert.equal(await count("#map .array.new .bmap td.tophash") % 8, 0);
  assert.match((await page.textContent("#page-label")) ?? "", /of 256$/);
  assert.match((await page.textContent("#explain")) ?? "", /growths, B 0 → 8/);
  // The window follows the last key inserted; page away from it, whichever way is open.
  const first = Number(await page.getAttribute("#map .array.new .bucket >> nth=0", "data-index"));
  const forward = await page.isEnabled("#page-next");
  await page.click(forward ? "#page-next" : "#page-prev");
  const next = Number(await page.getAttribute("#map .array.new .bucket >> nth=0", "data-index"));
  assert.equal(next, first + (forward ? 16 : -16));
  await shot("playground-1000-keys.png");
});

test("history: back and forward replay the same map", async () => {
  await fresh();
  await run("m := make(map[int]int)");
  for (let i = 0; i < 10; i++) await run(`m[${i}] = ${i}`);
  const end = await page.locator("#map").innerText();
  assert.equal(await field("B"), "1");
  await page.click("#back");
  await page.click("#back");
  assert.equal(await field("count"), "8");
  assert.equal(await field("B"), "0");
  assert.equal(await page.textContent("#position"), "step 9 of 11");
  await page.locator("body").press("ArrowRight");
  await page.click("#forward");
  assert.equal(await page.textContent("#position"), "step 11 of 11");
  assert.equal(await page.locator("#map").innerText(), end);
  await page.click("#steps li:nth-child(1) button");
  assert.equal(await field("buckets"), "nil");
  await page.click("#last");
  assert.equal(await field("flags"), "0");
  await run("for k, v := range m");
  assert.equal(((await page.textContent("#output")) ?? "").split("\n").length, 10);
  assert.equal(await field("flags"), "iterator|oldIterator", "Go's iterator bits stay set after a range");
});

test("the grow lesson: B=0 to B=3 with the old array drawn beside the new, bucket by bucket", async () => {
  await fresh();
  await page.selectOption("#lesson", "grow");
  assert.equal(await page.textContent("#position"), "step 0 of 31");
  let sawOld = false;
  for (let i = 1; i <= 31; i++) {
    await page.click("#forward");
    if ((await field("B")) === "3" && (await count("#map .array.old")) === 1 && !sawOld) {
      sawOld = true;
      assert.equal(await field("oldbuckets"), "4 buckets");
      assert.equal(await count("#map .array.old .bucket"), 4);
      assert.equal(await count("#map .array.new .bucket"), 8);
      assert.ok((await count("#map .array.old .bucket.evacuated")) >= 1);
      assert.match((await page.textContent("#explain")) ?? "", /Load factor 6\.75 > 6\.5: growing to B=3, 8 new buckets\. Evacuating bucket \d into X=\d and Y=\d/);
      await shot("playground-growing.png");
    }
  }
  assert.ok(sawOld, "the growth to B=3 was drawn in progress");
  assert.equal(await field("B"), "3");
  assert.equal(await field("count"), "30");
});

test("lessons: struct copies and a nil-map write show Go's refusals", async () => {
  await fresh();
  await page.selectOption("#lesson", "structs");
  for (let i = 0; i < 4; i++) await page.locator("body").press("ArrowRight");
  assert.equal(await page.textContent("#output"), 'PlaygroundCompileError: cannot assign to struct field users["alice"].Age in map');
  await page.click("#last");
  assert.equal(await page.textContent("#output"), "{36 9.5}");
  assert.equal(await page.textContent("#map td.value.touched"), "{36 9.5}");
  await shot("playground-lesson-structs.png");
  await page.selectOption("#lesson", "nil");
  for (let i = 0; i < 5; i++) await page.click("#forward");
  assert.equal(await page.textContent("#output"), "panic: assignment to entry in nil map");
  assert.match((await page.textContent("#map")) ?? "", /nil map/);
});

test("a link opens a lesson and plays it", async () => {
  await page.goto(`${server.url}?lesson=nil&play`);
  assert.equal(await page.inputValue("#lesson"), "nil");
  assert.equal(await page.textContent("#play"), "Pause");
  await page.waitForFunction("document.querySelector('#position').textContent === 'step 2 of 7'");
  await page.click("#play");
  assert.equal(await page.textContent("#play"), "Play");
});

test("→ and ← on a focused list step through the history, as the lesson's intro says, and leave the choice alone", async () => {
  await fresh();
  await page.selectOption("#lesson", "grow");
  // A mouse pick leaves the focus on the list; Chromium's own ← → would pick another lesson.
  await page.focus("#lesson");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  assert.equal(await page.inputValue("#lesson"), "grow");
  assert.equal(await page.textContent("#position"), "step 2 of 31");
  await page.keyboard.press("ArrowLeft");
  assert.equal(await page.textContent("#position"), "step 1 of 31");
  await run("n := make(map[int]int)");
  await page.selectOption("#map-pick", "m");
  await page.focus("#map-pick");
  await page.keyboard.press("ArrowLeft");
  assert.equal(await page.inputValue("#map-pick"), "m");
  assert.equal(await page.textContent("#position"), "step 1 of 2");
});

test("a phone's 375px: nothing wider than the screen, and the new array of a growth stays in view", async () => {
  const phone = await browser.newPage({ viewport: { width: 375, height: 740 } });
  phone.on("pageerror", (e) => pageErrors.push(e.message));
  try {
    await phone.goto(`${server.url}?lesson=grow`);
    await phone.waitForSelector("#stmt");
    for (let i = 0; i < 28; i++) await phone.click("#forward");
    assert.equal(await phone.locator("#map .array.old").count(), 1, "step 28 is a growth in progress");
    const width = (): Promise<number> => phone.evaluate("document.documentElement.scrollWidth");
    assert.ok((await width()) <= 375, `the page is ${await width()}px wide`);
    const box = await phone.locator("#map .array.new").boundingBox();
    assert.ok(box !== null && box.x >= 0 && box.x + 100 < 375, `the new array starts at x=${box?.x}`);
    await phone.fill("#stmt", `s := map[string]int{"${"k".repeat(80)}": 1}`);
    await phone.press("#stmt", "Enter");
    assert.equal(await phone.textContent("#position"), "step 29 of 29");
    assert.ok((await width()) <= 375, `with a long statement the page is ${await width()}px wide`);
  } finally {
    await phone.close();
  }
});

test("the lesson list, the URL and the history agree after a reload and after the browser's back", async () => {
  await fresh();
  await page.selectOption("#lesson", "structs");
  assert.equal(new URL(page.url()).search, "?lesson=structs");
  await page.reload();
  await page.waitForSelector("#stmt");
  assert.equal(await page.inputValue("#lesson"), "structs");
  assert.equal(await page.textContent("#position"), "step 0 of 11");
  await page.goto(`${server.url}?lesson=nil`);
  await page.selectOption("#lesson", "order");
  await page.goto("about:blank");
  await page.goBack();
  await page.waitForSelector("#stmt");
  const lesson = await page.inputValue("#lesson");
  const steps = await page.textContent("#position");
  assert.deepEqual([lesson, steps], ["order", "step 0 of 9"], "the list shows the lesson whose steps are loaded");
  await page.selectOption("#lesson", "");
  assert.equal(new URL(page.url()).search, "");
});

test("a run-time panic of the language reads as Go prints it", async () => {
  await fresh();
  await run("z := 0\nw := 1 / z");
  assert.equal(await page.textContent("#error"), "panic: runtime error: integer divide by zero");
  assert.equal(await page.inputValue("#stmt"), "z := 0\nw := 1 / z");
});

test("the explanation speaks of the map the step used, whichever map is drawn", async () => {
  await page.goto(`${server.url}?lesson=grow`);
  await page.waitForSelector("#stmt");
  for (let i = 0; i < 28; i++) await page.click("#forward");
  assert.equal(await field("oldbuckets"), "4 buckets", "m is growing");
  // A statement typed about another map draws that map, not the one picked before.
  await page.selectOption("#map-pick", "m");
  await run("n := make(map[int]int)");
  await run("n[1] = 1");
  assert.equal(await page.textContent("#map h2"), "hmap n");
  assert.doesNotMatch((await page.textContent("#explain")) ?? "", /Growing/);
  // Picking m to look at it: the line still explains n[1] = 1, and says which map is drawn.
  await page.selectOption("#map-pick", "m");
  const text = (await page.textContent("#explain")) ?? "";
  assert.match(text, /^n\[1\] = 1: new key 1 in bucket 0/);
  assert.doesNotMatch(text, /Growing/);
  assert.match(text, /The drawing shows m/);
});

test("the step list's numbers stay whole past 99 and 999 steps", async () => {
  await fresh();
  for (const n of [101, 1001]) {
    const lines = ["m := make(map[int]int)"];
    for (let i = lines.length; i < n; i++) lines.push(`m[${i}] = ${i}`);
    await page.goto(server.url);
    await page.waitForSelector("#stmt");
    await run(lines.join("\n"));
    assert.equal(await page.textContent("#position"), `step ${n} of ${n}`);
    // The numbers are the list's markers, drawn in its left padding: it must hold "1001.".
    const fits = await page.evaluate(`(() => {
      const ol = document.querySelector("#steps");
      const probe = document.createElement("span");
      probe.style.font = getComputedStyle(ol).font;
      probe.textContent = "${n}.";
      document.body.append(probe);
      const need = probe.getBoundingClientRect().width;
      probe.remove();
      return [parseFloat(getComputedStyle(ol).paddingLeft), need];
    })()`);
    const [padding, need] = fits as [number, number];
    assert.ok(padding >= need, `${n} steps: the numbers need ${need}px, the list gives ${padding}px`);
  }
});

test("the step list keeps the step shown, or the next one, in view: First from the end scrolls back", async () => {
  await fresh();
  const lines = ["m := make(map[int]int)"];
  for (let i = 1; i < 40; i++) lines.push(`m[${i}] = ${i}`);
  await run(lines.join("\n"));
  const inView = (nth: number): Promise<boolean> =>
    page.evaluate(`(() => {
      const ol = document.querySelector("#steps").getBoundingClientRect();
      const li = document.querySelector("#steps li:nth-child(${nth})").getBoundingClientRect();
      return li.top >= ol.top - 1 && li.bottom <= ol.bottom + 1;
    })()`) as Promise<boolean>;
  assert.equal(await inView(40), true, "the last step, shown");
  await page.click("#first");
  assert.equal(await page.textContent("#position"), "step 0 of 40");
  assert.equal(await inView(1), true, "at step 0 the next step, the first, is in view");
});

test("the page made no request off 127.0.0.1 and threw nothing", () => {
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(requests.filter((u) => !u.startsWith(server.url)), []);
});

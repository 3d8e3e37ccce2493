// The Replay section as a newcomer uses it: replay the lesson's 3 a.m. story and a real
// incident with their own SLO, tiers and routing, see who gets paged when and why, compare with
// threshold alerting, drag incidents with the mouse and the keyboard, export the tests and run
// them — and check every answer against `burnlab simulate --json` on the files the page exports.
import { expect, test, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { watch } from "./helpers";

const root = join(__dirname, "../..");
const burnlab = join(root, "target/debug/burnlab");
const BUILTINS = ["3am", "fast-burn", "slow-burn", "flapping", "healthy-month"];

/** Waits until the worker has answered everything asked. */
async function settled(page: Page) {
  await expect(page.getByTestId("replay-status")).toHaveText(/^Replayed \d+ evaluations/, { timeout: 20_000 });
}

/** Clicks an export button and returns the downloaded file's path. */
async function exported(page: Page, testid: string, dir: string): Promise<string> {
  // The file comes from the worker, so the browser starts the download after the click's user
  // activation; Chromium may hold such a download on a loaded machine: a second click asks again.
  const once = () => Promise.all([page.waitForEvent("download", { timeout: 15_000 }), page.getByTestId(testid).click()]);
  const [download] = await once().catch(once);
  const path = join(dir, download.suggestedFilename());
  await download.saveAs(path);
  return path;
}

/** The notifications the page lists, as (receiver, at_s). */
async function notifications(page: Page, testid = "replay-notifications"): Promise<[string, number][]> {
  return page
    .getByTestId(testid)
    .locator(":scope > li")
    .evaluateAll((items) => items.map((li) => [li.getAttribute("data-receiver")!, Number(li.getAttribute("data-at-s"))] as [string, number]));
}

/** What `burnlab simulate --json` answers on the page's exported spec, config and scenario. */
async function cliAnswer(page: Page) {
  const dir = mkdtempSync(join(tmpdir(), "burnlab-replay-"));
  const scenario = await exported(page, "replay-export-scenario", dir);
  const spec = await exported(page, "replay-export-spec", dir);
  const config = await exported(page, "replay-export-alertmanager", dir);
  await settled(page);
  const out = execFileSync(burnlab, ["simulate", "--spec", spec, "--scenario", scenario, "--alertmanager", config, "--json"], {
    encoding: "utf8",
    timeout: 60_000,
  });
  return JSON.parse(out);
}

async function openReplay(page: Page) {
  await page.goto("./#replay");
  await expect(page.locator("#replay-title")).toBeVisible();
  await settled(page);
}

test.beforeAll(() => {
  expect(existsSync(burnlab), `${burnlab} is built (cargo build -p burnlab-cli)`).toBe(true);
});

test("the lesson's 3am story: the threshold pages for every blip, the burn-rate rules never page", async ({ page, baseURL }) => {
  const watched = await watch(page, baseURL!);
  await openReplay(page);
  const picker = page.getByTestId("replay-scenario");
  await expect(picker.locator("option:not([disabled])")).toHaveText(BUILTINS);
  await expect(picker).toHaveValue("3am");
  await expect(page.getByTestId("replay-pages")).toHaveText("0");
  const naivePages = Number(await page.getByTestId("replay-threshold-pages").textContent());
  expect(naivePages).toBeGreaterThanOrEqual(6);
  await expect(page.getByTestId("replay-threshold-false-pages")).toHaveText(String(naivePages));
  // Who was woken, and why: the naive rule's pages open to their group and alerts.
  await page.locator(".naive-notifications > summary").click();
  const first = page.getByTestId("replay-threshold-notifications").locator(":scope > li").first();
  await first.locator("summary").click();
  await expect(first.locator(".details")).toContainText("Group");
  await expect(first.locator(".details")).toContainText("alertname");
  await watched.check();
});

test("every built-in scenario answers what burnlab simulate --json answers on the same files", async ({ page }) => {
  test.setTimeout(120_000);
  await openReplay(page);
  for (const name of BUILTINS) {
    await page.getByTestId("replay-scenario").selectOption(name);
    const cli = await cliAnswer(page);
    await expect(page.getByTestId("replay-pages"), name).toHaveText(String(cli.summary.pages));
    await expect(page.getByTestId("replay-threshold-pages"), name).toHaveText(String(cli.naive.summary.pages));
    const want = cli.notifications.map((n: any) => [n.receiver, n.at_s]);
    expect(await notifications(page), name).toEqual(want);
    await expect(page.getByTestId("replay-yaml"), name).not.toHaveValue("");
  }
});

test("a real incident with my own SLO and routing: the fast burn pages the on-call, and the exported test passes promtool", async ({ page }) => {
  test.setTimeout(90_000);
  // My own SLO: 99.95 % over 28 days.
  await page.goto("./#budget");
  await page.locator("#objective").fill("99.95");
  await page.locator("#period").fill("28d");
  await page.getByRole("link", { name: "Replay", exact: true }).click();
  await settled(page);
  await expect(page.getByTestId("replay-slo")).toContainText("99.95 % over 28d");
  await page.getByTestId("replay-scenario").selectOption("fast-burn");
  await settled(page);
  const pages = Number(await page.getByTestId("replay-pages").textContent());
  expect(pages).toBeGreaterThanOrEqual(1);
  const list = await notifications(page);
  expect(list.length).toBeGreaterThan(0);
  const cli = await cliAnswer(page);
  expect(await notifications(page)).toEqual(cli.notifications.map((n: any) => [n.receiver, n.at_s]));
  expect(cli.summary.pages).toBe(pages);

  // The prediction as a promtool test, straight from the page.
  const dir = mkdtempSync(join(tmpdir(), "burnlab-promtool-"));
  await exported(page, "replay-export-rules", dir);
  const test_ = await exported(page, "replay-export-promtool", dir);
  expect(readFileSync(test_, "utf8")).toContain("rule_files:");
  const out = execFileSync("promtool", ["test", "rules", "test.yaml"], { cwd: dir, encoding: "utf8", timeout: 60_000 });
  expect(out).toContain("SUCCESS");

  // Changing a route's timers in the Routing section moves the notifications.
  await page.getByRole("link", { name: "Routing", exact: true }).click();
  const config = page.getByTestId("am-config");
  const text = await config.inputValue();
  expect(text).toMatch(/group_wait: \S+/);
  await config.fill(text.replace(/group_wait: \S+/, "group_wait: 4m"));
  await page.getByRole("link", { name: "Replay", exact: true }).click();
  await settled(page);
  await expect.poll(async () => JSON.stringify(await notifications(page))).not.toBe(JSON.stringify(list));
});

test("dragging an incident with the mouse and with the keyboard moves the timeline", async ({ page }) => {
  await openReplay(page);
  await page.getByTestId("replay-scenario").selectOption("fast-burn");
  await settled(page);
  const before = await notifications(page);
  expect(before.length).toBeGreaterThan(0);
  const yaml = page.getByTestId("replay-yaml");
  const startOf = async () => (await yaml.inputValue()).match(/^\s*start: (\S+)/m)?.[1];
  const original = await startOf();

  // Mouse: drag the bar two hundred pixels to the left.
  const bar = page.locator(".lane-incidents .incident .bar").first();
  const box = (await bar.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - 100, box.y + box.height / 2, { steps: 5 });
  await page.mouse.move(box.x + box.width / 2 - 200, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect.poll(startOf).not.toBe(original);
  await settled(page);
  const dragged = await notifications(page);
  expect(dragged[0][1]).toBeLessThan(before[0][1]);
  await expect(page.getByTestId("replay-scenario")).toHaveValue("");

  // Keyboard: the incident is a button with a name; arrows move it later.
  const incident = page.getByRole("button", { name: /^Incident .*Arrow keys move it/ }).first();
  await incident.focus();
  const mouseStart = await startOf();
  for (let i = 0; i < 5; i++) await incident.press("ArrowRight");
  await expect.poll(startOf).not.toBe(mouseStart);
  await settled(page);
  const moved = await notifications(page);
  expect(moved[0][1]).toBeGreaterThan(dragged[0][1]);
  // Delete removes it: nothing left to page for.
  await page.getByRole("button", { name: /^Incident .*Arrow keys move it/ }).first().press("Delete");
  await settled(page);
  await expect(page.getByTestId("replay-pages")).toHaveText("0");
  await expect(page.getByTestId("replay-notifications").locator(":scope > li")).toHaveCount(0);
});

test("the time axis zooms with the buttons, the keyboard and the wheel, and back to the whole scenario", async ({ page }) => {
  await openReplay(page);
  const range = page.getByTestId("replay-range");
  const whole = await range.textContent();
  await page.getByTestId("replay-zoom-in").click();
  await expect(range).not.toHaveText(whole!);
  await page.getByTestId("replay-zoom-all").click();
  await expect(range).toHaveText(whole!);
  const lanes = page.getByRole("group", { name: /^Replay charts/ });
  await lanes.focus();
  await lanes.press("+");
  await expect(range).not.toHaveText(whole!);
  await lanes.press("0");
  await expect(range).toHaveText(whole!);
  const box = (await lanes.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + 100);
  await page.mouse.wheel(0, -300);
  await expect(range).not.toHaveText(whole!);
});

test("bad YAML is located and the last good replay stays; a shared link and a reload bring the scenario back", async ({ page, browser, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await openReplay(page);
  await page.getByTestId("replay-scenario").selectOption("slow-burn");
  await settled(page);
  const pages = await page.getByTestId("replay-threshold-pages").textContent();
  const yaml = page.getByTestId("replay-yaml");
  const good = await yaml.inputValue();
  await yaml.fill(good.replace(/duration: \S+/, "duration: soon"));
  await expect(page.getByTestId("replay-scenario-error")).toContainText(/line \d+/);
  await expect(page.getByTestId("replay-threshold-pages")).toHaveText(pages!);
  await yaml.fill(good.replace(/requests_per_second: \S+/, "requests_per_second: 50"));
  await settled(page);
  await expect(page.getByTestId("replay-scenario-error")).toHaveCount(0);
  await page.locator("#replay-threshold").fill("2%");
  await settled(page);
  const mine = await yaml.inputValue();
  const threshold = await page.getByTestId("replay-threshold-pages").textContent();

  await page.reload();
  await settled(page);
  await expect(yaml).toHaveValue(mine);
  await expect(page.locator("#replay-threshold")).toHaveValue("2%");

  await page.getByTestId("share-button").click();
  const link = page.getByTestId("share-link");
  await expect(link).toHaveValue(/#replay\?z=/);
  const url = await link.inputValue();
  const other = await browser.newContext();
  const fresh = await other.newPage();
  await fresh.goto(url);
  await expect(fresh.locator("#replay-title")).toBeVisible();
  await settled(fresh);
  await expect(fresh.getByTestId("replay-yaml")).toHaveValue(mine);
  await expect(fresh.getByTestId("replay-threshold-pages")).toHaveText(threshold!);
  await other.close();
});

test("a repeat Alertmanager may send at another time is marked uncertain, as burnlab simulate marks it", async ({ page }) => {
  await openReplay(page);
  // A six-hour outage keeps the page alert firing past the default route's repeat_interval (4h),
  // a multiple of its group_interval (5m): the real Alertmanager may repeat at either flush.
  await page.getByTestId("replay-yaml").fill(
    [
      "name: long-outage",
      "duration: 12h",
      "requests_per_second: 100",
      "error_ratio: 0.0001",
      "incidents:",
      "  - name: outage",
      "    start: 1h",
      "    duration: 6h",
      "    error_ratio: 0.2",
      "",
    ].join("\n"),
  );
  await settled(page);
  const cli = await cliAnswer(page);
  const want = cli.notifications.filter((n: any) => n.uncertain).map((n: any) => [n.receiver, n.at_s]);
  expect(want.length).toBeGreaterThan(0);
  const list = page.getByTestId("replay-notifications");
  const marked = await list
    .locator(':scope > li[data-uncertain="true"]')
    .evaluateAll((items) => items.map((li) => [li.getAttribute("data-receiver")!, Number(li.getAttribute("data-at-s"))]));
  expect(marked).toEqual(want);
  // On the chart too, and the list says why.
  await expect(page.locator(".lane .marker.uncertain")).toHaveCount(want.length);
  const first = list.locator(':scope > li[data-uncertain="true"]').first();
  await first.locator("summary").click();
  await expect(first.locator(".uncertain-why")).toContainText("repeat_interval");
});

test("a link to the Replay section that cannot be read says so, and the replay opens on the last work", async ({ page }) => {
  await page.goto("./#replay?z=not*base64");
  await expect(page.locator("#replay-title")).toBeVisible();
  await settled(page);
  await expect(page.getByTestId("notices")).toContainText("This link's state could not be read");
  await expect(page).toHaveURL(/#replay$/);
});

test("opening the Replay section ends the first-load build's worker: the full build starts its own", async ({ page }) => {
  await page.addInitScript(() => {
    const w = window as any;
    w.__workers = { started: 0, ended: 0 };
    const Original = window.Worker;
    w.Worker = class extends Original {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        w.__workers.started += 1;
      }
      terminate() {
        w.__workers.ended += 1;
        super.terminate();
      }
    };
  });
  await page.goto("./#rules");
  await expect(page.getByTestId("rules-yaml")).toContainText("alert: TaskApiAvailabilityPage1h", { timeout: 20_000 });
  expect(await page.evaluate(() => (window as any).__workers)).toEqual({ started: 1, ended: 0 });
  await page.getByRole("link", { name: "Replay" }).click();
  await settled(page);
  // The hand-over keeps the page (it does not reload), so the counts cover both builds.
  expect(await page.evaluate(() => (window as any).__workers)).toEqual({ started: 2, ended: 1 });
});

test("a notification marker reveals its details where the user looks; delays count from each incident's start", async ({ page }) => {
  await page.goto("./#replay");
  await settled(page);
  await page.getByTestId("replay-scenario").selectOption("fast-burn");
  await settled(page);
  // The bad deploy begins at 10:00: the page comes minutes after it, not "+10 h".
  const incidents = page.getByTestId("replay-incidents");
  await expect(incidents).toContainText(/bad deploy.*page after \d+(\.\d+)? min · ticket after [^(]+\(.* of the budget spent before the first\)/);
  await expect(page.locator("table.compare").first()).toContainText(/First page.*\(\d+(\.\d+)? min( \d+ s)? after bad deploy began\)/);
  await expect(page.locator("table.compare").first()).not.toContainText("(+10 h");
  // Clicking a marker on the chart opens its details and brings them into view, focused.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.locator(".lane g.marker").first().click();
  const opened = page.locator("#notification-rules-0");
  await expect(opened.locator("details")).toHaveAttribute("open");
  await expect(opened.locator("summary")).toBeFocused();
  await expect(opened).toBeInViewport();
});

test("every edit of the scenario undoes and redoes, by button and by Ctrl+Z / Ctrl+Shift+Z", async ({ page }) => {
  await page.goto("./#replay");
  await settled(page);
  await page.getByTestId("replay-scenario").selectOption("fast-burn");
  await settled(page);
  const incident = page.getByRole("button", { name: /^Incident .*Arrow keys move it/ }).first();
  const before = await incident.getAttribute("aria-label");
  await incident.focus();
  for (let i = 0; i < 3; i++) await incident.press("ArrowRight");
  await expect(incident).not.toHaveAttribute("aria-label", before!);
  const moved = await incident.getAttribute("aria-label");
  // Three presses of one kind are one step.
  await page.keyboard.press("ControlOrMeta+z");
  await expect(incident).toHaveAttribute("aria-label", before!);
  await page.keyboard.press("ControlOrMeta+Shift+z");
  await expect(incident).toHaveAttribute("aria-label", moved!);
  // The buttons do the same, and undo reaches back to the built-in as it was picked.
  await page.getByTestId("replay-undo").click();
  await expect(incident).toHaveAttribute("aria-label", before!);
  await expect(page.getByTestId("replay-scenario")).toHaveValue("fast-burn");
  await page.getByTestId("replay-undo").click();
  await expect(page.getByTestId("replay-scenario")).not.toHaveValue("fast-burn");
  await page.getByTestId("replay-redo").click();
  await expect(page.getByTestId("replay-scenario")).toHaveValue("fast-burn");
  await page.getByTestId("replay-redo").click();
  await expect(incident).toHaveAttribute("aria-label", moved!);
  await expect(page.getByTestId("replay-redo")).toBeDisabled();
});

test("the 3 a.m. spikes move as one incident from a spike or between them, never stretched by a grab at a spike", async ({ page }) => {
  await page.goto("./#replay");
  await settled(page);
  await page.getByTestId("replay-scenario").selectOption("3am");
  await settled(page);
  const spikes = page.getByTestId("replay-incident").first();
  const field = async (name: "start" | "duration") => spikes.getAttribute(`data-${name}-ms`);
  const bars = page.locator(".lane-incidents .incident .bar");
  await expect(bars).toHaveCount(6);
  const drag = async (x: number, y: number, by: number) => {
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + by / 2, y, { steps: 4 });
    await page.mouse.move(x + by, y, { steps: 4 });
    await page.mouse.up();
  };
  const start = await field("start");
  // A 30-second spike is a few pixels wide: grabbed at its middle, it moves.
  const spike = (await bars.nth(1).boundingBox())!;
  await drag(spike.x + spike.width / 2, spike.y + spike.height / 2, 80);
  await expect.poll(() => field("start")).not.toBe(start);
  expect(await field("duration")).toBe("30000");
  // Between two spikes is the same incident, not a zoom.
  const moved = await field("start");
  const [a, b] = [(await bars.nth(2).boundingBox())!, (await bars.nth(3).boundingBox())!];
  await drag((a.x + a.width + b.x) / 2, a.y + a.height / 2, -80);
  await expect.poll(() => field("start")).not.toBe(moved);
  expect(await field("duration")).toBe("30000");
  await expect(page.getByRole("button", { name: "Whole scenario" })).toBeDisabled();
});

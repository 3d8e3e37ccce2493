import { expect, Page, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expectNoSidewaysScroll, lowContrast, useTheme, watch } from "./helpers";

const fixtures = join(__dirname, "../fixtures");
const screenshots = join(__dirname, "../../target/screenshots");

/** Replaces the editor's text and waits until the heavy core has read it. */
async function setConfig(page: Page, yaml: string, status: RegExp = /Valid/) {
  await page.getByTestId("am-config").fill(yaml);
  await expect(page.getByTestId("am-status")).toHaveText(status, { timeout: 15_000 });
}

/** Types labels and waits for the answer to them; returns the receivers shown. */
async function route(page: Page, labels: string): Promise<string> {
  await page.getByTestId("route-labels").fill(labels);
  const out = page.getByTestId("route-receivers");
  await expect(out).toHaveAttribute("data-for", labels, { timeout: 15_000 });
  return (await out.textContent()) ?? "";
}

test("routing in the page agrees with amtool config routes test on recorded cases", async ({ page }) => {
  test.setTimeout(120_000);
  const trees = readFileSync(join(fixtures, "amtool/trees.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  const cases: [number, string[], string][] = readFileSync(join(fixtures, "amtool/cases.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  await page.goto("./#routing");
  // amtool 0.25 reads matchers with the classic parser.
  await page.locator("#am-mode").selectOption("classic");
  // A fixed sample: every 250th case, 80 cases over as many trees.
  const sample = cases.filter((_, i) => i % 250 === 0);
  let tree = -1;
  for (const [t, labels, want] of sample) {
    if (t !== tree) {
      await setConfig(page, trees[t].yaml);
      tree = t;
    }
    expect(await route(page, labels.join(", ")), `tree ${t}, labels ${labels.join(", ")}`).toBe(want);
  }
});

test("Unicode classes, (?i) folding and merge keys route in the page as amtool routes them", async ({ page }) => {
  test.setTimeout(60_000);
  const file = join(fixtures, "alertmanager/unicode-merge.yml");
  await page.goto("./#routing");
  await page.locator("#am-mode").selectOption("classic");
  await setConfig(page, readFileSync(file, "utf8"));
  // The Kelvin sign folds with k in Go's RE2; the long s does not fold with k.
  for (const labels of ["team=αβγ", "team=abc", "unit=\u212a", "unit=k", "unit=\u017f", "name=héllo", "name=h3llo", "name=123"]) {
    const label = JSON.parse(`"${labels}"`) as string;
    const want = execFileSync("/usr/bin/amtool", ["config", "routes", "test", `--config.file=${file}`, label], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    expect(await route(page, label), label).toBe(want);
  }
});

test("the tree lights the matched path; a node shows its details by click or keyboard", async ({ page }) => {
  await page.goto("./#routing");
  await expect(page.getByTestId("am-status")).toHaveText(/Valid: 3 routes, 3 receivers, 1 inhibit rules/, { timeout: 15_000 });
  expect(await route(page, "severity=page, slo=availability")).toBe("pager");
  const nodes = page.locator("g.route-node");
  await expect(nodes).toHaveCount(3);
  await expect(nodes.nth(1)).toHaveClass(/matched/);
  await expect(nodes.nth(0)).toHaveClass(/on-path/);
  await expect(nodes.nth(2)).not.toHaveClass(/on-path/);
  await nodes.nth(2).click();
  const details = page.getByTestId("route-details");
  await expect(details).toContainText("route.routes[1]");
  await expect(details).toContainText("tickets");
  await expect(details).toContainText("repeats go out every 4h5m");
  await nodes.nth(1).focus();
  await page.keyboard.press("Enter");
  await expect(details).toContainText("route.routes[0]");
  // Each match's group key and effective timers, as Alertmanager forms them.
  const matches = page.getByTestId("route-matches");
  await expect(matches).toContainText('{}/{severity="page"}:{slo="availability"}');
  await expect(matches).toContainText("30s · 5m · 4h");
});

test("inhibition, silences and time intervals decide whether the tested alert is sent", async ({ page }) => {
  await page.goto("./#routing");
  await expect(page.getByTestId("am-status")).toHaveText(/Valid/, { timeout: 15_000 });
  const verdict = page.getByTestId("route-verdict");
  // The default firing list holds the availability page: it inhibits the ticket of its SLO.
  expect(await route(page, "alertname=TaskApiAvailabilityTicket3d, severity=ticket, slo=availability")).toBe("tickets");
  await expect(verdict).toContainText("Inhibited by firing alert 1 through inhibit rule 1");
  await page.getByRole("button", { name: "Remove firing alert 1" }).click();
  await expect(verdict).toHaveText("Notifies tickets now.");

  await page.getByRole("button", { name: "Add a silence" }).click();
  await page.getByLabel("Silence 1 matchers").fill('slo="availability"');
  const silence = page.locator(".edit-list li").filter({ has: page.getByLabel("Silence 1 matchers") });
  await silence.locator("input[type=datetime-local]").nth(0).fill("2024-03-15T11:00");
  await silence.locator("input[type=datetime-local]").nth(1).fill("2024-03-15T13:00");
  await expect(verdict).toHaveText("Silenced by silence 1. Nothing is sent.");
  await page.locator("#route-at").fill("2024-03-15T14:00");
  await expect(verdict).toHaveText("Notifies tickets now.");

  // Office hours in Berlin: Friday 16:30 UTC is 17:30 there, after hours.
  await page.locator("#am-example").selectOption({ index: 2 });
  await expect(page.getByTestId("am-status")).toHaveText(/Valid/, { timeout: 15_000 });
  await page.locator("#route-at").fill("2024-03-15T16:30");
  expect(await route(page, "severity=ticket, slo=x")).toBe("tickets");
  await expect(page.getByTestId("route-matches")).toContainText("held: outside its active time intervals (office-hours)");
  await expect(page.getByTestId("route-intervals")).toContainText("Europe/Berlin: Fri 2024-03-15 17:30 CET");
  await page.locator("#route-at").fill("2024-03-15T10:30");
  await expect(page.getByTestId("route-matches")).toContainText("✓ sends");
});

test("an invalid config keeps the last valid one in use, marked stale, with the error at its line", async ({ page }) => {
  await page.goto("./#routing");
  await expect(page.getByTestId("am-status")).toHaveText(/Valid/, { timeout: 15_000 });
  const editor = page.getByTestId("am-config");
  const text = await editor.inputValue();
  await setConfig(page, text.replace("receiver: tickets", "receiver: nobody"), /^Line 13, column \d+: /);
  await expect(page.locator("#am-config-findings")).toContainText('line 13');
  await expect(page.locator("#am-config-findings")).toContainText("nobody");
  // The tester still answers from the last valid config, marked stale the one way every
  // section marks it: a dashed card with the badge, and no green verdict.
  expect(await route(page, "severity=ticket")).toBe("tickets");
  await expect(page.getByTestId("route-receivers")).toHaveClass(/stale/);
  await expect(page.getByTestId("route-answer")).toHaveClass(/card stale/);
  await expect(page.getByTestId("route-answer").getByTestId("stale-badge")).toHaveText("last valid config");
  await expect(page.getByTestId("route-verdict")).toHaveClass(/verdict stale/);
  await expect(page.locator(".route-tree")).toHaveClass(/stale/);
  await expect(page.locator(".route-tree").getByTestId("stale-badge")).toBeVisible();
  await expect(page.getByTestId("hygiene-summary")).toHaveText(/^In the last valid config/);
  await expect(page.getByTestId("hygiene-summary")).not.toHaveText(/✓/);
});

test("the lesson's Secret: the error says its fix and one click makes it, until the config reads", async ({ page }) => {
  await page.goto("./#routing");
  await expect(page.getByTestId("am-status")).toHaveText(/Valid/, { timeout: 15_000 });
  await setConfig(page, readFileSync(join(fixtures, "alertmanager/lesson.secret.yaml"), "utf8"), /no global SMTP smarthost set/);
  // amtool names the email config at line 39 (the Secret's block scalar counted in).
  await expect(page.getByTestId("am-status")).toContainText("Line 39, column 9: receivers[0].email_configs[0]: no global SMTP smarthost set");
  const fixes = page.getByTestId("am-fixes");
  await expect(fixes.getByRole("button")).toHaveText(["Add smtp_smarthost to global", "Add smarthost to this email config"]);
  await fixes.getByRole("button", { name: "Add smtp_smarthost to global" }).click();
  await expect(page.getByTestId("am-config")).toHaveValue(/    global:\n      smtp_smarthost: 'smtp.example.com:587'\n      resolve_timeout: 5m/);
  await expect(page.getByTestId("am-status")).toContainText("no global SMTP from set", { timeout: 15_000 });
  await fixes.getByRole("button", { name: "Add smtp_from to global" }).click();
  await expect(page.getByTestId("am-status")).toHaveText(/✓ Valid: 3 routes, 3 receivers/, { timeout: 15_000 });
  await expect(page.getByTestId("stale-badge")).toHaveCount(0);
  // Undo takes the last fix back.
  await page.getByRole("button", { name: "Undo", exact: true }).click();
  await expect(page.getByTestId("am-status")).toContainText("no global SMTP from set", { timeout: 15_000 });
});

test("a YAML indentation error is on the line amtool names, with a column and words a user acts on", async ({ page }) => {
  await page.goto("./#routing");
  await expect(page.getByTestId("am-status")).toHaveText(/Valid/, { timeout: 15_000 });
  const yaml = "route:\n  receiver: a\n  routes:\n    - receiver: b\n      group_wait: 1m\n     continue: true\nreceivers: [{name: a}, {name: b}]\n";
  const want = execFileSync("/bin/sh", ["-c", `printf '%s' "$0" > /tmp/burnlab-e2e-indent.yml; /usr/bin/amtool check-config /tmp/burnlab-e2e-indent.yml 2>&1 || true`, yaml], { encoding: "utf8" });
  expect(want).toContain("yaml: line 5: did not find expected '-' indicator");
  await setConfig(page, yaml, /^Line 5, column 21: config: YAML error: the line after this one is not indented like the list's items/);
  await expect(page.locator("#am-config-findings")).toContainText("line 5");
});

test("the tester says, per route beside the path, which label the alert lacks; labels may come in braces", async ({ page }) => {
  await page.goto("./#routing");
  await expect(page.getByTestId("am-status")).toHaveText(/Valid/, { timeout: 15_000 });
  const lesson = readFileSync(join(fixtures, "alertmanager/lesson.secret.yaml"), "utf8")
    .replace("    global:\n", "    global:\n      smtp_smarthost: 'mail:25'\n      smtp_from: 'am@example.com'\n");
  await setConfig(page, lesson);
  expect(await route(page, '{severity="critical", team="payments"}')).toBe("default-receiver");
  const skipped = page.getByTestId("route-skipped");
  await expect(skipped).toContainText('route.routes[0] → pagerduty-critical: needs slo="availability", the alert has no slo');
  await expect(skipped).toContainText('route.routes[1] → slack-warnings: needs severity="warning", the alert has severity="critical"');
  expect(await route(page, 'severity="critical", slo="availability"')).toBe("pagerduty-critical");
  await expect(page.getByTestId("route-verdict")).toHaveClass(/verdict sent/);
});

test("the generator writes into the editor, undo brings the text back, and hygiene follows", async ({ page }) => {
  await page.goto("./#routing");
  await expect(page.getByTestId("hygiene-summary")).toHaveText("✓ All 3 alerts reach the right kind of receiver.", { timeout: 15_000 });
  await page.getByText("Generate a config from an intent").click();
  await page.locator("#intent-kind-0").selectOption("slack");
  await page.getByTestId("am-generate").click();
  await expect(page.getByTestId("am-config")).toHaveValue(/slack_configs:\n\s+- api_url/);
  await expect(page.getByTestId("hygiene-summary")).toHaveText("⚠ 2 of 3 alerts need attention.", { timeout: 15_000 });
  await expect(page.getByTestId("hygiene-table")).toContainText("page reaches no paging receiver");
  await page.getByRole("button", { name: "Undo", exact: true }).click();
  await expect(page.getByTestId("hygiene-summary")).toHaveText(/All 3 alerts/, { timeout: 15_000 });
});

test("a share link restores the Rules and Routing sections with secrets redacted; a reload keeps them", async ({ page, browser, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto("./#rules");
  await page.locator("#rules-service").fill("checkout");
  await expect(page.getByTestId("rules-yaml")).toContainText("alert: CheckoutAvailabilityPage1h");
  await page.getByRole("link", { name: "Routing" }).click();
  await expect(page.getByTestId("am-status")).toHaveText(/Valid/, { timeout: 15_000 });
  const editor = page.getByTestId("am-config");
  const text = "# Our pager, keyed from the vault.\n" + (await editor.inputValue()).replace("REPLACE_WITH_PAGERDUTY_ROUTING_KEY", "pd-key-0123456789");
  await setConfig(page, text);
  await route(page, "severity=page, slo=availability, alertname=CheckoutAvailabilityPage1h");
  await page.getByRole("button", { name: "Add a silence" }).click();
  await page.getByLabel("Silence 1 matchers").fill('team="platform"');

  await page.getByTestId("share-button").click();
  await expect(page.getByTestId("share-secrets-note")).toContainText("replaced by placeholders");
  // The link is compressed by the browser, a moment after the panel opens.
  await expect(page.getByTestId("share-link")).toHaveValue(/#routing\?z=[A-Za-z0-9_-]+$/);
  const url = await page.getByTestId("share-link").inputValue();
  await page.keyboard.press("Escape");

  const other = await browser.newContext();
  const fresh = await other.newPage();
  await fresh.goto(url);
  await expect(fresh.getByTestId("am-status")).toHaveText(/Valid/, { timeout: 15_000 });
  const shared = await fresh.getByTestId("am-config").inputValue();
  expect(shared).not.toContain("pd-key-0123456789");
  expect(shared).toContain("<secret>");
  // The text as typed, but for the key: comments stay.
  expect(shared.startsWith("# Our pager, keyed from the vault.\n")).toBe(true);
  expect(shared).toBe(text.replace("pd-key-0123456789", "<secret>").replace(/"https:\/\/hooks\.slack\.com[^"]*"/g, "<secret>"));
  await expect(fresh.getByTestId("route-labels")).toHaveValue("severity=page, slo=availability, alertname=CheckoutAvailabilityPage1h");
  await expect(fresh.getByTestId("route-receivers")).toHaveText("pager");
  await expect(fresh.getByLabel("Silence 1 matchers")).toHaveValue('team="platform"');
  await expect(fresh.getByTestId("hygiene-table")).toContainText("CheckoutAvailabilityPage1h");
  await fresh.getByRole("link", { name: "Rules" }).click();
  await expect(fresh.locator("#rules-service")).toHaveValue("checkout");
  await other.close();

  // This browser's storage leaves the key out unless asked, and says so after a reload.
  await page.reload();
  await expect(page.getByTestId("am-config")).toHaveValue(/<secret>/);
  await expect(page.getByTestId("am-config")).not.toHaveValue(/pd-key-0123456789/);
  await expect(page.getByTestId("am-keep-note")).toContainText("Credentials were left out of this browser's storage");
  // Asked, it keeps the key across a reload.
  await page.locator("#am-keep-secrets").check();
  await setConfig(page, text);
  await page.reload();
  await expect(page.getByTestId("am-config")).toHaveValue(/pd-key-0123456789/);
  await expect(page.locator("#am-keep-secrets")).toBeChecked();
  await expect(page.getByTestId("route-labels")).toHaveValue("severity=page, slo=availability, alertname=CheckoutAvailabilityPage1h");
});

for (const width of [1280, 390]) {
  test(`Rules and Routing fit ${width} px without sideways scrolling, in both themes, with AA contrast, on the page's own origin`, async ({ page, baseURL }) => {
    const watcher = await watch(page, baseURL!);
    await page.setViewportSize({ width, height: 900 });
    await page.goto("./#routing");
    await expect(page.getByTestId("am-status")).toHaveText(/Valid/, { timeout: 15_000 });
    for (const theme of ["light", "dark"] as const) {
      await useTheme(page, theme);
      for (const [section, ready] of [
        ["rules", page.getByText("No lint findings")],
        ["routing", page.getByTestId("hygiene-summary")],
      ] as const) {
        await page.getByRole("link", { name: section === "rules" ? "Rules" : "Routing" }).click();
        await expect(ready).toBeVisible({ timeout: 15_000 });
        await expectNoSidewaysScroll(page, `${section} at ${width} px, ${theme}`);
        expect(await lowContrast(page), `${section} at ${width} px, ${theme}`).toEqual([]);
        await page.screenshot({ path: join(screenshots, `${section}-${theme}-${width}.png`), fullPage: true });
      }
    }
    await setConfig(page, "route: [", /^Line \d+, column \d+: /);
    expect(await lowContrast(page), "stale routing").toEqual([]);
    await watcher.check();
  });
}

test("screenshot of the Routing section", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.goto("./#routing");
  await page.locator("#am-example").selectOption({ index: 2 });
  await expect(page.getByTestId("am-status")).toHaveText(/Valid/, { timeout: 15_000 });
  await route(page, "alertname=CheckoutPage, severity=page, slo=checkout");
  await page.locator("g.route-node").nth(2).click();
  await page.evaluate(() => window.scrollTo(0, 0));
  const box = await page.locator("#routing").boundingBox();
  await page.screenshot({ path: join(screenshots, "routing.png"), fullPage: true, clip: box! });
});

import { expect, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PROMTOOL = "/usr/bin/promtool";
const screenshots = join(__dirname, "../../target/screenshots");

/** Runs `promtool check rules` on `text`; returns its output, throws with it on refusal. */
function promtoolCheck(text: string, name = "rules.yaml"): string {
  const dir = mkdtempSync(join(tmpdir(), "burnlab-rules-"));
  const file = join(dir, name);
  writeFileSync(file, text);
  try {
    return execFileSync(PROMTOOL, ["check", "rules", file], { encoding: "utf8" });
  } catch (e: any) {
    throw new Error(`promtool refused the page's rules:\n${e.stdout}${e.stderr}\n${text}`);
  }
}

test("the form's rule file passes promtool check rules as it is, shown, copied and downloaded", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto("./#rules");
  const yaml = page.getByTestId("rules-yaml");
  await expect(yaml).toContainText("alert: TaskApiAvailabilityPage1h");
  const text = (await yaml.textContent()) ?? "";
  expect(promtoolCheck(text)).toContain("SUCCESS: 12 rules found");

  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download slo.rules.yaml" }).click();
  const file = await (await download).path();
  expect(readFileSync(file, "utf8")).toBe(text);
  await page.locator(".sections-output").getByRole("button", { name: "Copy" }).click();
  await expect(page.locator(".sections-output").getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(text);

  // The switch writes the PrometheusRule manifest of the same groups.
  await page.getByTestId("rules-format").selectOption("prometheusrule");
  await expect(yaml).toContainText("kind: PrometheusRule");
  await expect(yaml).toContainText("alert: TaskApiAvailabilityPage1h");
  await page.getByTestId("rules-format").selectOption("rules");
  await expect(yaml).toHaveText(text);
});

test("the objective, period and tiers of the sections above reach the rules", async ({ page }) => {
  await page.goto("./#rules");
  const yaml = page.getByTestId("rules-yaml");
  await expect(yaml).toContainText("> 0.0144");
  await page.getByRole("link", { name: "Budget" }).click();
  await page.getByTestId("objective-input").fill("99.5");
  await page.getByRole("link", { name: "Tiers" }).click();
  await page.locator("#preset").selectOption("sloth");
  await page.getByRole("link", { name: "Rules" }).click();
  // 14.4 × 0.5 % = 7.2 %, and Sloth's 1d/2h ticket.
  await expect(yaml).toContainText("> 0.072");
  await expect(yaml).toContainText("alert: TaskApiAvailabilityTicket1d");
  expect(promtoolCheck((await yaml.textContent()) ?? "")).toContain("SUCCESS");

  // A custom tier set, edited in the Tiers section, reaches the rules too.
  await page.getByRole("link", { name: "Tiers" }).click();
  await page.getByTestId("copy-tiers").click();
  await page.locator("#tier-0-factor").fill("10");
  await page.getByRole("link", { name: "Rules" }).click();
  await expect(page.locator(".context")).toContainText("tiers: custom");
  await expect(yaml).toContainText("> 0.05\n");
  expect(promtoolCheck((await yaml.textContent()) ?? "")).toContain("SUCCESS");
});

test("a bad field names itself and keeps the last rules, marked stale", async ({ page }) => {
  await page.goto("./#rules");
  const yaml = page.getByTestId("rules-yaml");
  await expect(yaml).toContainText("TaskApiAvailabilityPage1h");
  const before = await yaml.textContent();
  await page.locator("#rules-service").fill("task api");
  await expect(page.locator("#rules-service-error")).toContainText("`task api` is not a name");
  await expect(page.locator("figure.code-view").first()).toHaveClass(/stale/);
  await expect(yaml).toHaveText(before ?? "");
  await page.locator("#rules-service").fill("checkout");
  await expect(yaml).toContainText("alert: CheckoutAvailabilityPage1h");
  await expect(page.locator("#rules-service-error")).toHaveText("");
});

test("a bad matcher in the failure filter is named at its field, with the character it goes wrong at", async ({ page }) => {
  await page.goto("./#rules");
  await expect(page.getByTestId("rules-yaml")).toContainText("TaskApiAvailabilityPage1h", { timeout: 15_000 });
  const filter = page.locator("#rules-errf");
  for (const [text, said] of [
    ['status=~"5..', '`status=~"5..` is not a list of matchers at character 9: unterminated string'],
    ['status=~"(5.."', "at character 9: invalid regex: error parsing regexp \"(5..\": found open group without closing ')'"],
  ] as const) {
    await filter.fill(text);
    await expect(page.locator("#rules-errf-error")).toContainText(said, { timeout: 15_000 });
    await expect(filter).toHaveAttribute("aria-invalid", "true");
    await expect(page.locator("figure.code-view").first()).toHaveClass(/stale/);
  }
  await filter.fill('status=~"5.."');
  await expect(page.locator("#rules-errf-error")).toHaveText("", { timeout: 15_000 });
  await expect(filter).not.toHaveAttribute("aria-invalid", "true");
});

test("the lesson's PrometheusRule is linted, its unrecorded series found at its line", async ({ page }) => {
  await page.goto("./#rules");
  await page.getByLabel("a rule file (lint only)").check();
  await page.locator("#rules-file-example").selectOption({ index: 1 });
  const findings = page.getByTestId("rules-findings");
  await expect(findings).toContainText("task_api:error_ratio:rate30m", { timeout: 15_000 });
  await expect(findings).toContainText(/line \d+/);
  // The same finding is marked in the gutter of the shown file.
  await expect(page.locator(".code-view .gutter mark.error").first()).toBeVisible();
});

test("the form's rules lint clean, and without a runbook link the pages are flagged", async ({ page }) => {
  await page.goto("./#rules");
  await expect(page.getByText("No lint findings")).toBeVisible({ timeout: 15_000 });
  await page.locator("#rules-runbook").fill("");
  await expect(page.getByTestId("rules-findings")).toContainText("runbook", { timeout: 15_000 });
});

test("a pasted spec generates its own rules; a broken one is located by line", async ({ page }) => {
  await page.goto("./#rules");
  await page.getByLabel("a spec").check();
  const yaml = page.getByTestId("rules-yaml");
  await expect(yaml).toContainText("alert: TaskApiLatencyPage1h");
  const editor = page.locator("#rules-spec");
  const spec = await editor.inputValue();
  await editor.fill(spec.replace("objective: 99.9", "objective: 120"));
  await expect(page.locator("#rules-spec-findings")).toContainText(/line \d+ *error: slos\[0\]\.objective/);
  await expect(page.locator("#rules .code-editor .gutter mark.error")).toHaveCount(1);
});

test("each alert's runbook is previewed and downloadable", async ({ page }) => {
  await page.goto("./#rules");
  const preview = page.getByTestId("runbook-preview");
  await expect(preview.locator("h3")).toHaveText("Runbook: TaskApiAvailabilityPage1h");
  await page.locator("#runbook-alert").selectOption({ index: 2 });
  await expect(preview.locator("h3")).toHaveText("Runbook: TaskApiAvailabilityTicket3d");
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download TaskApiAvailabilityTicket3d.md" }).click();
  expect((await download).suggestedFilename()).toBe("TaskApiAvailabilityTicket3d.md");
});

test("the form is usable by keyboard alone", async ({ page }) => {
  await page.goto("./#rules");
  await page.locator("#rules-service").focus();
  await page.keyboard.press("Control+A");
  await page.keyboard.type("search");
  await page.keyboard.press("Tab");
  await expect(page.locator("#rules-slo")).toBeFocused();
  await page.keyboard.press("Control+A");
  await page.keyboard.type("latency");
  await expect(page.getByTestId("rules-yaml")).toContainText("alert: SearchLatencyPage1h");
});

test("screenshot of the Rules section", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("./#rules");
  await expect(page.getByText("No lint findings")).toBeVisible({ timeout: 15_000 });
  // The whole page from the top, clipped to the section: no sticky bar across it.
  await page.evaluate(() => window.scrollTo(0, 0));
  const box = await page.locator("#rules").boundingBox();
  await page.screenshot({ path: join(screenshots, "rules.png"), fullPage: true, clip: box! });
});

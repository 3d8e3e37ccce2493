// The guided lesson, walked as a newcomer walks it: from the page's first line into the Learn
// section, then every step of the lesson in the section it opens, answering each question by
// moving what the step says to move, and the page checking the answer.
import { expect, Page, test } from "@playwright/test";
import { watch } from "./helpers";

/** The lesson bar's check, once it says the answer is right. */
async function answered(page: Page, text: RegExp | string) {
  await expect(page.getByTestId("lesson-check")).toContainText(text, { timeout: 20_000 });
  await expect(page.getByTestId("lesson-check")).toHaveClass(/ok/);
}

/** Goes on to the next step through the lesson bar. */
async function next(page: Page, title: string) {
  await page.getByRole("link", { name: `Next: ${title} →` }).click();
  await expect(page.getByTestId("lesson-bar")).toContainText(title);
  await expect(page.getByTestId("lesson-check")).toHaveText(/^Not yet\./);
}

test("the lesson's path, end to end: every step opens its section, asks, and checks the answer", async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  const guard = await watch(page, baseURL!);
  await page.goto("./");
  // The page says what it is, and where a newcomer starts.
  await expect(page.getByTestId("intro")).toContainText("SLO burn-rate alerting, tried before it is deployed");
  await page.getByRole("link", { name: "New here? Follow the lesson →" }).click();
  await expect(page.getByRole("heading", { level: 2 })).toHaveText(/^Learn/);
  await expect(page.getByTestId("learn-progress")).toContainText("0 of 9 steps answered");
  await page.getByRole("link", { name: "Start with step 1 →" }).click();

  // 1. The 3 a.m. page, in the Budget section: the spike's cost.
  await expect(page).toHaveURL(/#budget$/);
  await expect(page.getByTestId("lesson-bar")).toContainText("step 1 of 9: The 3 a.m. page");
  await expect(page.locator("#lesson-bar-title")).toBeFocused();
  await expect(page.getByTestId("lesson-check")).toHaveText(/^Not yet\./);
  await page.locator("#incident-duration").fill("30s");
  await answered(page, "✓ 1.16 % of the month's budget");

  // 2. The error budget: one nine more.
  await next(page, "The error budget");
  await expect(page.locator("#objective")).toHaveValue("99.9");
  await page.locator("#objective").fill("99.99");
  await answered(page, "✓ 4.32 min of full outage in 30 days");

  // 3. Burn rate: the page threshold.
  await next(page, "Burn rate");
  await expect(page.locator("#error-ratio")).toHaveValue("0.5%");
  await page.locator("#error-ratio").fill("1.44%");
  await answered(page, "✓ 1.44 % errors burn 14.4×: the whole budget is gone in 2 d 2 h");

  // 4. The tiers, in the Tiers section: a slow leak.
  await next(page, "Multiwindow, multi-burn-rate tiers");
  await expect(page).toHaveURL(/#tiers$/);
  await page.locator("#tiers-error-ratio").fill("0.2%");
  await answered(page, /✓ At 0.2 % only ticket 3d\/6h 1× fires, after 1 d 12 h; both pages stay quiet/);

  // 5. The lesson's rule file and its bug, in the Rules section.
  await next(page, "Rules, and the lesson's bug");
  await expect(page).toHaveURL(/#rules$/);
  await expect(page.getByTestId("rules-findings")).toContainText("error", { timeout: 20_000 });
  await page.getByLabel("the form", { exact: true }).check();
  await answered(page, "✓ No error");

  // 6. The lesson's Alertmanager Secret: fixed with the offered fixes.
  await next(page, "The Alertmanager config");
  await expect(page).toHaveURL(/#routing$/);
  await expect(page.getByTestId("am-status")).toContainText("no global SMTP smarthost set", { timeout: 20_000 });
  await page.getByRole("button", { name: "Add smtp_smarthost to global" }).click();
  await page.getByRole("button", { name: "Add smtp_from to global" }).click({ timeout: 20_000 });
  await answered(page, "✓ Alertmanager would load it now");

  // 7. Where the critical alert goes, and why not to PagerDuty.
  await next(page, "Routing: where does an alert go?");
  await expect(page.getByTestId("route-receivers")).toHaveText("default-receiver", { timeout: 20_000 });
  await expect(page.getByTestId("route-skipped")).toContainText('needs slo="availability", the alert has no slo');
  await page.getByTestId("route-labels").fill('severity="critical", team="payments", slo="availability"');
  await answered(page, "✓ It pages now");

  // 8. The night replayed (the page loads the full build; the lesson goes on there).
  await next(page, "Replay the night").catch(() => {});
  await expect(page).toHaveURL(/#replay$/);
  await expect(page.getByTestId("lesson-bar")).toContainText("Replay the night", { timeout: 30_000 });
  const spikes = page.getByRole("button", { name: /^Blip spikes: .*Enter edits it/ });
  await spikes.focus({ timeout: 30_000 });
  await spikes.press("Enter");
  await page.locator("#replay-incident-count").fill("1");
  await page.locator("#replay-incident-duration").fill("1h");
  await answered(page, /✓ The first page fires .* into the night, with .* of the budget gone/);

  // 9. The runbook: a question answered by picking.
  await next(page, "The runbook");
  await expect(page).toHaveURL(/#rules$/);
  await page.getByLabel("5 %", { exact: true }).check();
  await expect(page.getByTestId("lesson-check")).toHaveText(/^Not that one\./);
  await page.getByLabel("2 %", { exact: true }).check();
  await answered(page, "✓ 2 %");

  // Every step counts as answered, and the place survives a reload.
  await page.reload();
  await expect(page.getByTestId("lesson-bar")).toContainText("step 9 of 9: The runbook");
  await page.getByRole("link", { name: "All steps" }).click();
  await expect(page.getByTestId("learn-progress")).toContainText("9 of 9 steps answered");
  await guard.check();
});

test("leaving the lesson hides its bar and brings the page's first line back", async ({ page }) => {
  await page.goto("./#learn");
  await page.getByRole("link", { name: "Start with step 1 →" }).click();
  await expect(page.getByTestId("lesson-bar")).toBeVisible();
  await expect(page.getByTestId("intro")).toHaveCount(0);
  await page.getByRole("button", { name: "Leave the lesson" }).click();
  await expect(page.getByTestId("lesson-bar")).toHaveCount(0);
  await expect(page.getByTestId("intro")).toBeVisible();
});

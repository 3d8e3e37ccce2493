import { expect, test } from "@playwright/test";
import { open } from "./helpers";

test("a shared link opens a fresh browser on the same section with the same state", async ({ page, browser, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await open(page, "budget");
  await page.getByTestId("objective-input").fill("99.5");
  await page.getByTestId("error-ratio-input").fill("1%");
  await page.getByRole("link", { name: "Tiers" }).click();
  await page.locator("#preset").selectOption("sloth");
  await page.getByTestId("copy-tiers").click();
  await page.locator("#tier-0-factor").fill("3%");
  await expect(page).toHaveURL(/#tiers$/);

  await page.getByTestId("share-button").click();
  const link = page.getByTestId("share-link");
  await expect(link).toHaveValue(/#tiers\?z=[A-Za-z0-9_-]+$/);
  await expect(page.getByTestId("share-status")).toContainText("Copied");
  const url = await link.inputValue();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
  await expect(page.getByTestId("share-secrets-note")).toContainText("Nothing in this state is a secret");
  await page.getByTestId("share-link").focus();
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("share-link")).toHaveCount(0);
  await expect(page.getByTestId("share-button")).toBeFocused();

  // Another browser, with its own storage, on that link.
  const other = await browser.newContext();
  const fresh = await other.newPage();
  await fresh.goto(url);
  await expect(fresh.locator("#tiers-title")).toBeVisible();
  await expect(fresh.locator("#preset")).toHaveValue("custom");
  await expect(fresh.locator("#tier-0-factor")).toHaveValue("3%");
  await expect(fresh.getByTestId("summary-objective")).toHaveText("99.5 %");
  await expect(fresh.getByTestId("summary-burn")).toHaveText("2×");
  // The address keeps only the section; the state lives in that browser's storage now.
  await expect(fresh).toHaveURL(/#tiers$/);
  await fresh.reload();
  await expect(fresh.locator("#tier-0-factor")).toHaveValue("3%");
  await other.close();
});

test("a reload loses nothing, a half-typed value included", async ({ page }) => {
  await open(page);
  await page.locator("#error-ratio").fill("0.02");
  await expect(page.getByTestId("burn-rate")).toHaveText("20×");
  await page.locator("#incident-duration").fill("2");
  await page.reload();
  await expect(page.getByTestId("burn-rate")).toHaveText("20×");
  await expect(page.locator("#error-ratio")).toHaveValue("0.02");
  await expect(page.locator("#incident-duration")).toHaveValue("2");
  await expect(page.locator("#incident-duration")).toHaveAttribute("aria-invalid", "true");
});

test("a link with bad values opens with every field, every error and the last valid figures", async ({ page }) => {
  // The newcomer's trap: objective=0, period=x and half of `2h` in a link.
  await page.goto("./#budget?objective=0&period=x&incident=2");
  await expect(page.locator("#objective")).toHaveValue("0");
  await expect(page.locator("#period")).toHaveValue("x");
  await expect(page.locator("#incident-duration")).toHaveValue("2");
  await expect(page.getByRole("alert")).toHaveCount(3);
  await expect(page.getByTestId("burn-rate")).toHaveText("5×");
  await page.getByRole("link", { name: "Tiers" }).click();
  await expect(page.getByTestId("tier-table").locator("tbody tr.tier")).toHaveCount(3);
  // Repairing the field brings everything back to fresh.
  await page.getByRole("link", { name: "Budget" }).click();
  await page.locator("#incident-duration").fill("2h");
  await page.locator("#objective").fill("99.9");
  await page.locator("#period").fill("30d");
  await expect(page.locator(".stale")).toHaveCount(0);
});

test("an unknown tier set in a link is said, not silently replaced", async ({ page }) => {
  await page.goto("./#tiers?tiers=google");
  await expect(page.getByTestId("notices")).toContainText("`google` is not a tier set");
  await expect(page.locator("#preset")).toHaveValue("workbook");
  await page.getByTestId("notices").getByRole("button", { name: "Dismiss" }).click();
  await expect(page.getByTestId("notices")).toHaveCount(0);
});

test("links of earlier versions still open, and a shared link keeps earlier work aside", async ({ page }) => {
  await open(page);
  await page.locator("#error-ratio").fill("0.03");
  await expect(page.getByTestId("burn-rate")).toHaveText("30×");
  await page.goto("./?objective=99&errors=0.02&tiers=sloth#tiers");
  await expect(page.locator("#preset")).toHaveValue("sloth");
  await expect(page.getByTestId("summary-burn")).toHaveText("2×");
  await expect(page).toHaveURL(/\/#tiers$/);
  await page.getByRole("button", { name: "Go back to my work" }).click();
  await expect(page.getByTestId("summary-burn")).toHaveText("30×");
});

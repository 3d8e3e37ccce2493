import { expect, test } from "@playwright/test";

test("the inputs live in the URL, so a link opens with the same figures", async ({ page, context }) => {
  await page.goto("./");
  await page.locator("#objective").fill("99");
  await page.locator("#preset").selectOption("sloth");
  await expect(page).toHaveURL(/objective=99(&|$)/);
  await expect(page).toHaveURL(/tiers=sloth/);

  // A fresh page (its own storage) on the same link shows the same figures.
  const other = await context.browser()!.newPage();
  await other.goto(page.url());
  await expect(other.getByTestId("burn-rate")).toHaveText("0.5×");
  await expect(other.locator("#preset")).toHaveValue("sloth");
  await other.close();
});

test("a reload without a query comes back to the last inputs from local storage", async ({ page, baseURL }) => {
  await page.goto("./");
  await page.locator("#error-ratio").fill("0.02");
  await expect(page.getByTestId("burn-rate")).toHaveText("20×");
  await page.goto(baseURL!);
  await expect(page.getByTestId("burn-rate")).toHaveText("20×");
  await expect(page.locator("#error-ratio")).toHaveValue("0.02");
});

test("a link with a bad value shows its error instead of losing it", async ({ page }) => {
  await page.goto("./?objective=101");
  await expect(page.locator("#objective")).toHaveValue("101");
  await expect(page.getByRole("alert")).toContainText("outside (0 %, 100 %]");
});

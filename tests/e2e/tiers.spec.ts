import { expect, test } from "@playwright/test";

test("the tier table shows the Workbook tiers and their detection times", async ({ page }) => {
  await page.goto("./#tiers");
  const table = page.getByTestId("tier-table");
  const rows = table.locator("tbody tr");
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0)).toContainText("1h / 5m");
  await expect(rows.nth(0)).toContainText("14.4×");
  await expect(rows.nth(0)).toContainText("0.0144");
  // 0.5 % errors reach neither page threshold (1.44 %, 0.6 %); only the ticket fires.
  await expect(rows.nth(0).getByTestId("detection")).toHaveText("never");
  await expect(rows.nth(2)).toContainText("3d / 6h");

  // The chart has one curve per tier and the observed error ratio.
  await expect(page.locator("figure.chart g.series")).toHaveCount(3);
  await expect(page.locator("figure.chart > svg line.now")).toHaveCount(1);

  // Pyrra's set has four tiers with `for` values.
  await page.locator("#preset").selectOption("pyrra");
  await expect(rows).toHaveCount(4);
  await expect(page.getByTestId("warnings")).toContainText("written for 28d");
});

test("a 90 % objective warns that the 14.4× tier can never fire", async ({ page }) => {
  await page.goto("./");
  await page.locator("#objective").fill("90");
  await expect(page.getByTestId("warnings")).toContainText("can never fire");
  await expect(page.getByTestId("tier-table").locator("tbody tr").first()).toHaveClass(/impossible/);
});

test("a long incident exhausts the budget and says what that means", async ({ page }) => {
  await page.goto("./#incident");
  await page.locator("#error-ratio").fill("0.05");
  await page.locator("#incident-duration").fill("1d");
  await expect(page.getByTestId("incident-remaining")).toContainText("budget exhausted");
  await page.locator("#incident-duration").fill("1h");
  await expect(page.getByTestId("incident-consumed")).toContainText("6.94 %");
});

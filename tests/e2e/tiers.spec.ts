import { expect, test } from "@playwright/test";
import { open } from "./helpers";

const rows = (page: import("@playwright/test").Page) =>
  page.getByTestId("tier-table").locator("tbody tr.tier");

test("the Workbook tiers, their detection times and the chart", async ({ page }) => {
  await open(page, "tiers");
  await expect(rows(page)).toHaveCount(3);
  await expect(rows(page).nth(0)).toContainText("1h / 5m");
  await expect(rows(page).nth(0)).toContainText("14.4×");
  await expect(rows(page).nth(0)).toContainText("0.0144");
  // 0.5 % errors reach neither page threshold (1.44 %, 0.6 %); only the ticket fires.
  await expect(rows(page).nth(0).getByTestId("detection")).toHaveText("never");
  await expect(rows(page).nth(2)).toContainText("3d / 6h");
  await expect(page.locator("figure.chart g.series")).toHaveCount(3);
  await expect(page.getByTestId("observed-line")).toHaveCount(1);

  await page.locator("#preset").selectOption("pyrra");
  await expect(rows(page)).toHaveCount(4);
  await page.getByRole("link", { name: "Budget" }).click();
  await expect(page.getByTestId("warnings")).toContainText("The Pyrra tiers are written for 28d");
});

test("tiers that make no sense say so on their own row", async ({ page }) => {
  await open(page, "budget");
  await page.locator("#period").fill("1h");
  await page.getByRole("link", { name: "Tiers" }).click();
  const problems = page.getByTestId("tier-problems");
  await expect(problems).toHaveCount(3);
  await expect(problems.nth(0)).toContainText("fires at a burn rate of 0.02×, below 1×");
  await expect(problems.nth(1)).toContainText("6h long window is longer than the 1h period");
});

test("a 90 % objective marks the 14.4× tier as never firing, on its row", async ({ page }) => {
  await open(page);
  await page.locator("#objective").fill("90");
  await page.getByRole("link", { name: "Tiers" }).click();
  await expect(rows(page).first()).toHaveClass(/impossible/);
  await expect(page.getByTestId("tier-problems").first()).toContainText("can never fire: it needs 144 % of events failing");
});

test("your own tiers, edited with the keyboard alone, update every figure", async ({ page }) => {
  await open(page, "tiers");
  await page.getByTestId("copy-tiers").focus();
  await page.keyboard.press("Enter");
  await expect(page.locator("#preset")).toHaveValue("custom");
  await expect(page.getByTestId("tier-row")).toHaveCount(3);

  // The first row: 5 % of the budget in 6h is a 6× burn.
  const long = page.locator("#tier-0-long-window");
  await long.focus();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("6h");
  await page.keyboard.press("Tab");
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("30m");
  await page.keyboard.press("Tab");
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("5%");
  await expect(rows(page).nth(0)).toContainText("6h / 30m");
  await expect(rows(page).nth(0)).toContainText("6×");
  await expect(page.locator("figure.chart g.series").first()).toHaveAttribute("data-series", "page 6h/30m 6×");

  // A slow ticket that spends 131 % of the budget before it fires.
  await page.locator("#tier-2-factor").fill("13.1");
  await expect(page.getByTestId("tier-row-note").nth(2)).toContainText("spends 131 % of the budget before it can fire");

  // A window that cannot be: the row says which cell, the table keeps the last valid tiers.
  await page.locator("#tier-1-short-window").fill("1d");
  await expect(page.getByTestId("tier-row-note").nth(1)).toContainText("The short window must be shorter than the long window 6h, but is 1d");
  await expect(page.locator("#tier-1-short-window")).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator(".table-wrap.stale")).toContainText("last valid input");
  await page.locator("#tier-1-short-window").fill("30m");

  await page.getByTestId("add-tier").click();
  await expect(rows(page)).toHaveCount(4);
  // The added row copies the last one: the same tier twice is said, not accepted silently.
  await expect(page.getByTestId("tier-row-note").nth(3)).toContainText("It is the same tier as row 3");
  await page.getByRole("button", { name: "Remove tier 4" }).click();
  await expect(rows(page)).toHaveCount(3);
  await expect(page.locator(".stale")).toHaveCount(0);
});

test("the chart reads exact values by hover and by keyboard", async ({ page }) => {
  await open(page, "tiers");
  const chart = page.getByTestId("sweep-chart");
  await chart.focus();
  await expect(page.getByTestId("chart-readout")).toHaveText(
    "At 0.5 % errors: page 1h/5m 14.4× never fires; page 6h/30m 6× never fires; ticket 3d/6h 1× fires after 14 h 24 min.",
  );
  // The same figure as the table's.
  await expect(rows(page).nth(2).getByTestId("detection")).toHaveText("14 h 24 min");
  await page.keyboard.press("End");
  await expect(page.getByTestId("chart-readout")).toContainText("At 100 % errors: page 1h/5m 14.4× fires after 51.8 s");
  await chart.blur();

  const box = (await chart.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2);
  await expect(page.getByTestId("chart-cursor")).toHaveCount(1);
  await expect(page.getByTestId("chart-readout")).toContainText("fires after");
});

test("each legend swatch sits beside its own label", async ({ page }) => {
  await open(page, "tiers");
  const items = page.getByTestId("legend").locator("li");
  await expect(items).toHaveCount(4);
  for (let i = 0; i < 4; i++) {
    const swatch = (await items.nth(i).locator("svg").boundingBox())!;
    const label = (await items.nth(i).locator("span").boundingBox())!;
    expect(swatch.width).toBe(28);
    expect(label.x - (swatch.x + swatch.width)).toBeGreaterThanOrEqual(0);
    expect(label.x - (swatch.x + swatch.width)).toBeLessThan(12);
    expect(Math.abs(label.y + label.height / 2 - (swatch.y + swatch.height / 2))).toBeLessThan(8);
  }
});

test("the observed error ratio stays on the axis when the objective is low", async ({ page }) => {
  await open(page);
  await page.locator("#objective").fill("90");
  await page.getByRole("link", { name: "Tiers" }).click();
  const plot = (await page.getByTestId("sweep-chart").boundingBox())!;
  const line = (await page.getByTestId("observed-line").boundingBox())!;
  expect(line.x).toBeGreaterThan(plot.x);
  expect(line.x).toBeLessThan(plot.x + plot.width);
});

test("a long incident exhausts the budget and says what that means", async ({ page }) => {
  await open(page);
  await page.locator("#error-ratio").fill("0.05");
  await page.locator("#incident-duration").fill("1d");
  await expect(page.getByTestId("incident-remaining")).toContainText("budget exhausted");
  await page.locator("#incident-duration").fill("1h");
  await expect(page.getByTestId("incident-consumed")).toContainText("6.94 %");
});

test("a ticket above a page's factor and a `for` longer than the short window are said at their rows", async ({ page }) => {
  await open(page, "tiers");
  await page.getByTestId("copy-tiers").click();
  await page.locator("#tier-2-factor").fill("6");
  await expect(page.getByTestId("tier-row-note").nth(2)).toContainText("It is a ticket at 6×, at or above the page 6h/30m 6× tier");
  await page.locator("#tier-2-factor").fill("1");
  await page.locator("#tier-2-for").fill("12h");
  await expect(page.getByTestId("tier-row-note").nth(2)).toContainText("Its `for` of 12h is longer than its 6h short window");
});

import { expect, test } from "@playwright/test";
import { open, watch } from "./helpers";

test("the objective follows the slider by keyboard and pointer, on its own origin and inside its CSP", async ({ page, baseURL }) => {
  const guard = await watch(page, baseURL!);
  await open(page);
  const burn = page.getByTestId("burn-rate");
  await expect(burn).toHaveText("5×");
  await expect(page.getByTestId("time-to-exhaustion")).toHaveText("6 d");
  await expect(page.getByTestId("budget-time")).toHaveText("43.2 min");

  // Three steps left from three nines: 99.8, 99.5, 99. 0.5 % errors against 99 % burn at
  // 0.5× (the lesson says "5x"), and the budget lasts 60 days.
  const slider = page.getByRole("slider", { name: "Objective" });
  await slider.focus();
  for (let i = 0; i < 3; i++) await slider.press("ArrowLeft");
  await expect(page.getByTestId("objective-input")).toHaveValue("99");
  await expect(burn).toHaveText("0.5×");
  await expect(page.getByTestId("time-to-exhaustion")).toHaveText("60 d");
  await expect(page.getByTestId("summary-objective")).toHaveText("99 %");

  // A click at the right end: six nines.
  const box = (await slider.boundingBox())!;
  await page.mouse.click(box.x + box.width - 2, box.y + box.height / 2);
  await expect(page.getByTestId("objective-input")).toHaveValue("99.9999");
  await expect(burn).toHaveText("5000×");
  await page.getByTestId("objective-input").fill("99.9");
  await expect(burn).toHaveText("5×");
  await page.getByTestId("error-ratio-input").fill("0.5%");
  await expect(burn).toHaveText("5×");
  await guard.check();
});

test("the slider says exactly what the field says", async ({ page }) => {
  await open(page);
  const slider = page.getByRole("slider", { name: "Objective" });
  for (const [typed, spoken] of [["99.97", "99.97 %"], ["89.9", "89.9 %"], ["50", "50 %"], ["100", "100 %"]]) {
    await page.getByTestId("objective-input").fill(typed);
    await expect(slider).toHaveAttribute("aria-valuetext", spoken);
  }
  // From 99.97 the arrow keys go to the neighbouring stops, not from a rounded position.
  await page.getByTestId("objective-input").fill("99.97");
  await slider.focus();
  await slider.press("ArrowRight");
  await expect(page.getByTestId("objective-input")).toHaveValue("99.98");
});

test("a bad objective shows its error beside the last figures, marked as such", async ({ page }) => {
  await open(page);
  await page.getByTestId("objective-input").fill("100.5");
  await expect(page.getByRole("alert")).toContainText("outside (0 %, 100 %]");
  await expect(page.getByTestId("burn-rate")).toHaveText("5×");
  await expect(page.locator(".card.stale").first()).toContainText("last valid input");
  await expect(page.locator(".summary-figures li.stale")).not.toHaveCount(0);
  await page.getByTestId("objective-input").fill("");
  await expect(page.getByRole("alert")).toHaveText("The objective is empty: give a percentage, e.g. 99.9");
});

test("a 100 % objective is one story: immediate exhaustion, every tier firing at once", async ({ page }) => {
  await open(page);
  await page.getByTestId("objective-input").fill("100");
  await expect(page.getByTestId("burn-rate")).toHaveText("∞×");
  await expect(page.getByTestId("time-to-exhaustion")).toHaveText("immediately");
  await expect(page.getByTestId("warnings")).toContainText("Every tier here fires on the first error");
  await page.getByRole("link", { name: "Tiers" }).click();
  await expect(page.getByTestId("chart-note")).toContainText("every tier fires as soon as any request fails");
});

test("an invalid request rate or incident dims nothing it does not feed", async ({ page }) => {
  await open(page);
  await page.locator("#requests").fill("lots");
  await expect(page.locator("#requests")).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator(".stale")).toHaveCount(0);
  await expect(page.locator("#incident .stale")).toHaveCount(0);
  await page.locator("#requests").fill("");
  await page.locator("#incident-duration").fill("2");
  await expect(page.locator("#incident .card.stale")).toHaveCount(1);
  await expect(page.locator("#budget .stale")).toHaveCount(0);
  await expect(page.locator("#incident-duration")).toBeVisible();
});

test("errors and notes take no room they did not already have", async ({ page }) => {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await open(page);
    const marks = async () =>
      page.evaluate(() =>
        ["#budget .results", "#incident-title", "#error-ratio", "#requests", "#incident-duration"].map(
          (s) => Math.round(document.querySelector(s)!.getBoundingClientRect().top + window.scrollY),
        ),
      );
    const before = await marks();
    for (const [field, bad] of [["#objective", "0"], ["#period", "x"], ["#error-ratio", "2"], ["#requests", "x"], ["#incident-duration", "2"]]) {
      await page.locator(field).fill(bad);
      await expect(page.locator(field)).toHaveAttribute("aria-invalid", "true");
      expect(await marks(), `${width}px after ${field} = ${bad}`).toEqual(before);
      await page.locator(field).fill(field === "#requests" ? "" : { "#objective": "99.9", "#period": "30d", "#error-ratio": "0.005", "#incident-duration": "1h" }[field]!);
    }
  }
});

test("large counts are grouped by thousands", async ({ page }) => {
  await open(page);
  await page.locator("#requests").fill("1000");
  await expect(page.getByTestId("budget-requests")).toHaveText("2,592,000 failed requests per 30d at 1000/s");
});

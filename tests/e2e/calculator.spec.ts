import { expect, test } from "@playwright/test";

test("the calculator follows the objective slider and stays on its own origin", async ({ page, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const foreign: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.protocol !== "data:" && url.origin !== origin) foreign.push(request.url());
  });
  const errors: string[] = [];
  page.on("pageerror", (err) => errors.push(err.message));

  await page.goto("./");
  const burn = page.getByTestId("burn-rate");
  await expect(burn).toHaveText("5×");
  await expect(page.getByTestId("exhaustion")).toHaveText("6 d");
  await expect(page.getByTestId("budget")).toContainText("43.2 min");

  // Step the slider from three nines down through 99.8 and 99.5 to 99: 0.5 % errors against
  // 99 % burn at 0.5× (the lesson says "5x"), and the budget lasts 60 days.
  const slider = page.getByRole("slider", { name: "Objective" });
  await slider.focus();
  for (let i = 0; i < 3; i++) await slider.press("ArrowLeft");
  await expect(page.locator("#objective")).toHaveValue("99");
  await expect(burn).toHaveText("0.5×");
  await expect(page.getByTestId("exhaustion")).toHaveText("60 d");
  await expect(page.getByTestId("summary")).toContainText("SLO 99 %");

  // A click near the right end moves it to five nines.
  const box = (await slider.boundingBox())!;
  await page.mouse.click(box.x + box.width - 2, box.y + box.height / 2);
  await expect(page.locator("#objective")).toHaveValue("99.999");
  await expect(burn).toHaveText("500×");
  await page.locator("#objective").fill("99.9");
  await expect(burn).toHaveText("5×");

  await page.screenshot({ path: "../../target/screenshots/calculator.png", fullPage: true });
  expect(foreign, "requests to other origins").toEqual([]);
  expect(errors, "page errors").toEqual([]);
});

test("a bad objective shows its error and keeps the last figures", async ({ page }) => {
  await page.goto("./");
  await page.locator("#objective").fill("100.5");
  await expect(page.getByRole("alert")).toContainText("outside (0 %, 100 %]");
  await expect(page.getByTestId("burn-rate")).toHaveText("5×");
  await page.locator("#objective").fill("100");
  await expect(page.getByTestId("burn-rate")).toHaveText("∞×");
  await expect(page.getByTestId("exhaustion")).toContainText("no budget");
});

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

  // Drag the slider from three nines to two: 0.5 % errors against 99 % burn at 0.5×.
  const slider = page.getByLabel("Objective (nines scale)");
  const box = (await slider.boundingBox())!;
  // The slider spans 1..5 nines; 2 nines is a quarter of the way along.
  await page.mouse.click(box.x + box.width * 0.25, box.y + box.height / 2);
  await expect(page.locator("#objective")).toHaveValue("99");
  await expect(burn).toHaveText("0.5×");
  await expect(page.getByTestId("exhaustion")).toHaveText("60 d");

  // Keyboard steps work too and move the figure again.
  await slider.press("End");
  await expect(page.locator("#objective")).toHaveValue("99.999");
  await expect(burn).toHaveText("500×");

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
